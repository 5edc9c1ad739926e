"""The reader service's settings: one dataclass, read from a TOML file and/or environment
variables, and checked in one place (config_values.py: the allowed range of every number,
how a value is checked).

Every setting has a development default, so `python -m reader_service` (and `make serve`) runs
with zero configuration: SQLite under var/ratings/, a secret generated into var/ratings/secret,
the dev site's manifest in output/ratings/manifest.json and the dev site origin
http://127.0.0.1:8000. Production sets at least `database`, `secret_file` (or `secret`),
`manifest` and `site_origin`.

Environment variables are `READER_SERVICE_<NAME>` (`READER_SERVICE_CONFIG` names the TOML
file). The names of the ratings service 1.0, `RATINGS_<NAME>`, are still read when the new
name is not set; they are deprecated and the service says so at start-up.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .config_values import (
    MIN_SECRET,
    OLD_PREFIX,
    PREFIX,
    SPEC,
    ConfigError,
    checked_boolean,
    checked_number,
    checked_text_list,
    named,
    redact,
)

__all__ = ["MIN_SECRET", "ConfigError", "Settings", "load_settings", "redact"]

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT / "var" / "ratings"  # (kept from the ratings service: dev votes stay)


@dataclass
class Settings:
    # Where submissions are kept: a SQLite file path, or a postgresql:// URL.
    database: str = str(DEV_DIR / "ratings.sqlite3")
    # The HMAC key for voter keys: the key itself, or a file holding it; a missing file is
    # created with a random key (so a dev machine never needs to invent one).
    secret: str = ""
    secret_file: str = str(DEV_DIR / "secret")
    # The site's manifest of rateable items (written by the star_ratings plugin): path or URL,
    # refreshed in the background (manifest.py); /health is 503 once it is older than max_age.
    manifest: str = str(ROOT / "output" / "ratings" / "manifest.json")
    manifest_refresh: float = 60.0
    manifest_max_age: float = 900.0
    # The site's origin(s): CORS and the Origin/Referer check of form posts allow only these.
    site_origin: list[str] = field(default_factory=lambda: ["http://127.0.0.1:8000"])
    # Reverse proxies whose X-Forwarded-For is believed (addresses or networks).
    trusted_proxies: list[str] = field(default_factory=list)
    # Voter and address keys (which stop double votes) are forgotten after this many days.
    retention_days: int = 90
    # Per client network (/24 IPv4, /48 IPv6): at most rate_limit votes per rate_window s and
    # read_rate_limit reads per read_rate_window s (limits.py).
    rate_limit: int = 30
    rate_window: float = 600.0
    read_rate_limit: int = 1200
    read_rate_window: float = 60.0
    # Votes per item from one reader address, whatever the user agent (guards.py).
    votes_per_address: int = 3
    # In-memory rate-limit counters (SQLite) kept at most; PostgreSQL keeps them in the database.
    max_networks: int = 100_000
    max_body: int = 2048
    # Slow clients (server.py): the request head must be complete within header_timeout s, the
    # body within body_timeout s of the head; else 408 and the connection is closed.
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    # Open connections served at once; a request on one more gets 503. 0: no limit.
    max_connections: int = 500
    database_pool: int = 8  # PostgreSQL connections per instance
    # An access log line per request: method, path, status, time; never the client's address.
    access_log: bool = True
    host: str = "127.0.0.1"
    port: int = 8001
    # --- comments (comments*.py; README "Comments") ---
    # The site's manifest of items open for comments (written by the comments feature).
    comments_manifest: str = str(ROOT / "output" / "comments" / "manifest.json")
    # A comment sent by script sooner than this after its form token was issued is refused.
    comment_min_seconds: float = 4.0
    # Per client network (hashed): at most comment_rate_limit comments per comment_rate_window s.
    comment_rate_limit: int = 5
    comment_rate_window: float = 600.0
    comment_max_body: int = 65536  # a 5,000-character comment, percent-encoded
    # Approve a comment at once when its e-mail address has an approved comment already.
    auto_approve_returning: bool = False
    # The service's own public address (links in e-mails), e.g. https://site.nl/api/ratings.
    public_url: str = "http://127.0.0.1:8001"
    # Drip courses (course_app.py): the folder where the build writes <show>/course.json, and
    # how long a revoked personal feed still answers (with a last item saying it stopped).
    courses: str = str(ROOT / "output" / "podcast")
    course_revoke_grace_days: int = 7
    course_announce_every: float = 600.0  # how often new lessons are announced by e-mail
    # E-mail: a message to the author per new comment, course confirmations and lessons
    # (comments_notify.py, course_mail.py; empty smtp_host: no e-mail at all).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"  # "starttls", "ssl" or "none"
    smtp_user: str = ""
    smtp_password: str = ""
    mail_from: str = ""
    author_email: str = ""
    mail_language: str = "nl"  # language of the e-mails and the moderation page: nl or en
    # Run after a comment was approved, e.g. "invoke publish" (a shell-style command line).
    rebuild_command: str = ""

    def __post_init__(self) -> None:
        for name, (kind, low, high, unit) in SPEC.items():
            setattr(self, name, checked_number(name, getattr(self, name), kind, low, high, unit))
        for name in (
            "database",
            "secret",
            "secret_file",
            "manifest",
            "host",
            "courses",
            "smtp_host",
            "smtp_user",
            "smtp_password",
            "mail_from",
        ):
            if not isinstance(getattr(self, name), str):
                raise ConfigError(f"{named(name)} must be text; got {type(getattr(self, name))}")
        self.access_log = checked_boolean("access_log", self.access_log)
        self.auto_approve_returning = checked_boolean(
            "auto_approve_returning", self.auto_approve_returning
        )
        for name in (
            "comments_manifest",
            "public_url",
            "smtp_host",
            "smtp_user",
            "smtp_password",
            "mail_from",
            "author_email",
            "rebuild_command",
        ):
            if not isinstance(getattr(self, name), str):
                raise ConfigError(f"{named(name)} must be text; got {type(getattr(self, name))}")
        self.public_url = self.public_url.rstrip("/")
        for name, allowed in (
            ("smtp_security", ("starttls", "ssl", "none")),
            ("mail_language", ("nl", "en")),
        ):
            if getattr(self, name) not in allowed:
                raise ConfigError(
                    f"{named(name)} = {getattr(self, name)!r} is not allowed; use one of "
                    f"{', '.join(allowed)}."
                )
        if self.smtp_host and "@" not in self.mail_from:
            raise ConfigError(
                f"{named('mail_from')} is empty; with {named('smtp_host')} set, give the address "
                f"e-mails come from, e.g. sanne@example.nl (and author_email for the e-mail per "
                f"new comment)."
            )
        if not self.database.strip():
            raise ConfigError(f"{named('database')} is empty; give a SQLite path or a URL.")
        if self.secret and len(self.secret) < MIN_SECRET:
            raise ConfigError(
                f"{named('secret')} is {len(self.secret)} character(s) long; use at least "
                f"{MIN_SECRET} random characters (e.g. `openssl rand -hex 32`)."
            )
        self.site_origin = [
            o.rstrip("/") for o in checked_text_list("site_origin", self.site_origin)
        ]
        if not self.site_origin:
            raise ConfigError(
                f"{named('site_origin')} is empty; give the site's origin, e.g. "
                f"['https://communitykompas.nl']: no vote would ever be accepted."
            )
        for origin in self.site_origin:
            if not origin.startswith(("http://", "https://")) or origin.count("/") != 2:
                raise ConfigError(
                    f"{named('site_origin')}: {origin!r} is not an origin; use scheme and host "
                    f"only, e.g. https://communitykompas.nl."
                )
        self.trusted_proxies = checked_text_list("trusted_proxies", self.trusted_proxies)
        try:
            self.proxy_networks = [
                ipaddress.ip_network(p, strict=False) for p in self.trusted_proxies
            ]
        except ValueError as error:
            raise ConfigError(
                f"{named('trusted_proxies')}: {error}; list IP addresses or networks, e.g. "
                f"['127.0.0.1', '10.0.0.0/8']."
            ) from None

    @property
    def uses_postgres(self) -> bool:
        return self.database.startswith(("postgresql://", "postgres://"))

    def secret_key(self) -> bytes:
        """The HMAC key; a missing secret file is created (mode 0600) with a random key."""
        if self.secret:
            return self.secret.encode()
        path = Path(self.secret_file)
        try:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fp:
                    fp.write(secrets.token_hex(32) + "\n")
            key = path.read_text().strip()
        except OSError as error:
            raise ConfigError(f"{named('secret_file')}: cannot read {path}: {error}") from None
        if len(key) < MIN_SECRET:
            raise ConfigError(
                f"{named('secret_file')}: the secret in {path} is shorter than {MIN_SECRET} "
                f"characters; put a long random string in it (e.g. `openssl rand -hex 32`)."
            )
        return key.encode()


def load_settings(
    config_file: str | None = None, environ: dict | None = None, warnings: list | None = None
) -> Settings:
    """Defaults, then the TOML file (if any), then READER_SERVICE_<NAME> (or, deprecated,
    RATINGS_<NAME>) environment variables. Deprecated names used are added to `warnings`."""
    environ = os.environ if environ is None else environ
    warnings = [] if warnings is None else warnings

    def env(name: str) -> str | None:
        if f"{PREFIX}{name}" in environ:
            return environ[f"{PREFIX}{name}"]
        if f"{OLD_PREFIX}{name}" in environ:
            warnings.append(
                f"{OLD_PREFIX}{name} is deprecated; rename it to {PREFIX}{name} "
                f"(the old name will stop working in a later version)"
            )
            return environ[f"{OLD_PREFIX}{name}"]
        return None

    values: dict = {}
    config_file = config_file or env("CONFIG")
    known = {f.name for f in fields(Settings)}
    if config_file:
        try:
            with open(config_file, "rb") as fp:
                data = tomllib.load(fp)
        except OSError as error:
            raise ConfigError(f"cannot read the settings file {config_file}: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{config_file} is not valid TOML: {error}") from None
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"{config_file}: unknown setting(s) {', '.join(unknown)}; known settings are "
                f"{', '.join(sorted(known))}."
            )
        values.update(data)
    for name in sorted(known):
        env_value = env(name.upper())
        if env_value is not None:
            values[name] = env_value
    return Settings(**values)
