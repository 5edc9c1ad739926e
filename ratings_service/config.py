"""The ratings service's settings: one dataclass, read from a TOML file and/or RATINGS_* env vars.

Every setting has an embedded development default, so `python -m ratings_service` (and
`make serve`) runs with zero configuration: SQLite under var/ratings/, a secret generated into
var/ratings/secret, the dev site's manifest in output/ratings/manifest.json and the dev site
origin http://127.0.0.1:8000. Production sets at least `database`, `secret_file` (or `secret`),
`manifest` and `site_origin`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT / "var" / "ratings"


class ConfigError(ValueError):
    """A setting is wrong; the message names the setting and the fix."""


@dataclass
class Settings:
    # Where votes are kept: a SQLite file path, or a postgresql:// URL.
    database: str = str(DEV_DIR / "ratings.sqlite3")
    # The HMAC key for voter keys. Either the key itself or a file holding it; a missing file
    # is created with a random key (so a dev machine never needs to invent one).
    secret: str = ""
    secret_file: str = str(DEV_DIR / "secret")
    # The site's manifest of rateable items (written by the star_ratings plugin): path or URL.
    manifest: str = str(ROOT / "output" / "ratings" / "manifest.json")
    # The site's origin(s): CORS and the Origin/Referer check of form posts allow only these.
    site_origin: list[str] = field(default_factory=lambda: ["http://127.0.0.1:8000"])
    # Reverse proxies whose X-Forwarded-For is believed (addresses or networks).
    trusted_proxies: list[str] = field(default_factory=list)
    # Voter keys (the HMAC that stops double votes) are forgotten after this many days.
    retention_days: int = 90
    # At most `rate_limit` votes per client network (/24 IPv4, /48 IPv6) per `rate_window` s.
    rate_limit: int = 30
    rate_window: int = 600
    # Largest request body accepted, in bytes.
    max_body: int = 2048
    # Slow clients: the request line and headers must be complete within `header_timeout`
    # seconds of connecting (or of the previous response), the body within `body_timeout`
    # seconds of the headers; else 408 and the connection is closed (see server.py).
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    # Open connections served at once; a request on one more gets 503. 0: no limit.
    max_connections: int = 500
    host: str = "127.0.0.1"
    port: int = 8001

    def __post_init__(self) -> None:
        if isinstance(self.site_origin, str):
            self.site_origin = [o for o in self.site_origin.replace(",", " ").split() if o]
        if isinstance(self.trusted_proxies, str):
            self.trusted_proxies = [p for p in self.trusted_proxies.replace(",", " ").split() if p]
        for name in (
            "retention_days",
            "rate_limit",
            "rate_window",
            "max_body",
            "max_connections",
            "port",
        ):
            value = getattr(self, name)
            try:
                setattr(self, name, int(value))
            except (TypeError, ValueError):
                raise ConfigError(
                    f"ratings service setting {name} = {value!r} is not a whole number; "
                    f"set {name} (or RATINGS_{name.upper()}) to e.g. "
                    f"{getattr(Settings, name, 1)}."
                ) from None
        for name in ("header_timeout", "body_timeout"):
            value = getattr(self, name)
            try:
                seconds = float(value)
            except (TypeError, ValueError):
                seconds = float("nan")
            if isinstance(value, bool) or not 0 < seconds < 86400:
                raise ConfigError(
                    f"ratings service setting {name} = {value!r} is not a number of seconds "
                    f"above 0; set {name} (or RATINGS_{name.upper()}) to e.g. "
                    f"{getattr(Settings, name):g}."
                )
            setattr(self, name, seconds)
        if self.max_connections < 0:
            raise ConfigError(
                f"ratings service setting max_connections = {self.max_connections} is negative; "
                f"use a positive number (e.g. 500), or 0 for no limit."
            )
        self.site_origin = [o.rstrip("/") for o in self.site_origin]
        for origin in self.site_origin:
            if not origin.startswith(("http://", "https://")) or origin.count("/") != 2:
                raise ConfigError(
                    f"ratings service setting site_origin = {origin!r} is not an origin; use "
                    f"scheme and host only, e.g. https://communitykompas.nl."
                )
        try:
            self.proxy_networks = [
                ipaddress.ip_network(p, strict=False) for p in self.trusted_proxies
            ]
        except ValueError as error:
            raise ConfigError(
                f"ratings service setting trusted_proxies: {error}; list IP addresses or "
                f"networks, e.g. ['127.0.0.1', '10.0.0.0/8']."
            ) from None

    @property
    def uses_postgres(self) -> bool:
        return self.database.startswith(("postgresql://", "postgres://"))

    def secret_key(self) -> bytes:
        """The HMAC key; a missing secret file is created (mode 0600) with a random key."""
        if self.secret:
            return self.secret.encode()
        path = Path(self.secret_file)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fp:
                fp.write(secrets.token_hex(32) + "\n")
        key = path.read_text().strip()
        if len(key) < 16:
            raise ConfigError(
                f"ratings service secret in {path} is shorter than 16 characters; "
                f"put a long random string in it (e.g. `openssl rand -hex 32`)."
            )
        return key.encode()


def load_settings(config_file: str | None = None, environ: dict | None = None) -> Settings:
    """Defaults, then the TOML file (if any), then RATINGS_<NAME> environment variables."""
    environ = os.environ if environ is None else environ
    values: dict = {}
    config_file = config_file or environ.get("RATINGS_CONFIG")
    known = {f.name for f in fields(Settings)}
    if config_file:
        try:
            with open(config_file, "rb") as fp:
                data = tomllib.load(fp)
        except OSError as error:
            raise ConfigError(f"cannot read the ratings config {config_file}: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{config_file} is not valid TOML: {error}") from None
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"{config_file}: unknown setting(s) {', '.join(unknown)}; known settings are "
                f"{', '.join(sorted(known))}."
            )
        values.update(data)
    for name in known:
        env_value = environ.get(f"RATINGS_{name.upper()}")
        if env_value is not None:
            values[name] = env_value
    return Settings(**values)
