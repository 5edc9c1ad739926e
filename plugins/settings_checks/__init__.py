"""settings_checks: a wrong Pelican or theme setting is reported by name, not a traceback.

Pelican reads most settings deep inside a generator or a template, so a typo such as
``MENUITEMS = 5`` used to end in "'int' object is not iterable". As soon as the settings are
final (``initialized``) this plugin checks the core settings our theme and Pelican read, reports
each wrong one to the build report (naming the settings file and the setting) and replaces it
by the default, so that a development build completes and lists the problem, and a publish
build fails with the same list.

The checks are pure functions over the settings dict (:func:`check_settings`); the plugin's
own settings (``SHARE_*``, ``PODCAST_*``, ``RATINGS_*``) are checked by those plugins, and
``DEFAULT_LANG`` by i18n. Pelican fixes or warns about a few settings itself (a trailing slash
on SITEURL, a string instead of a list for the ``*_PATHS`` settings); those are not reported
twice. Out of reach for any plugin, because Pelican stops before plugins load: a settings file
that is not Python, a PATH or THEME that does not exist, a SITEURL or DEFAULT_LANG that is not
text; ``schitter/build.py`` checks those before it starts Pelican.
"""

from __future__ import annotations

import string
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from babel.dates import format_date
from pelican import signals
from pelican.settings import DEFAULT_CONFIG

try:
    from build_report import report, settings_file
except ImportError:  # imported as plugins.settings_checks (tests)
    from plugins.build_report import report, settings_file

# Where the problems wait between `initialized` (no build context yet) and the first generator.
PROBLEMS_KEY = "SETTINGS_CHECKS_PROBLEMS"
# The address `make serve` serves the site on: feeds fall back to it while developing.
DEV_BASE_URL = "http://127.0.0.1:8000"

_KEEP = object()  # a problem that needs no replacement value


@dataclass(frozen=True)
class SettingProblem:
    setting: str
    message: str  # what is wrong, with the value, and what the build does instead
    fix: str
    replacement: object = _KEEP  # the value the build uses instead (_KEEP: unchanged)


def shown(value: object, limit: int = 60) -> str:
    """The value as the author wrote it (its repr), shortened for one report line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _instead(default: object) -> str:
    return f"the default {default!r} is used"


def _is_absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# --- The checks: each takes the settings and yields the problems it finds ------------------

TEXT_SETTINGS = {"SITENAME": DEFAULT_CONFIG["SITENAME"], "AUTHOR": "", "SITESUBTITLE": ""}


def check_text(settings: dict) -> Iterator[SettingProblem]:
    for name, default in TEXT_SETTINGS.items():
        value = settings.get(name, default)
        if value is None and name != "SITENAME":  # "no subtitle": shown as nothing, not "None"
            yield SettingProblem(name, "", "", replacement="")
        elif not isinstance(value, str):
            yield SettingProblem(
                name,
                f"{shown(value)} is not text; {_instead(default)}",
                f'write it between quotes, e.g. {name} = "…"',
                replacement=default,
            )


def check_siteurl(settings: dict) -> Iterator[SettingProblem]:
    siteurl = settings.get("SITEURL", "")
    # Pelican fails on a SITEURL that is not text before plugins run; a strict build's
    # SITEURL is checked by share_buttons (it needs the absolute address for share links).
    if not isinstance(siteurl, str) or not siteurl or settings.get("SCHITTER_STRICT"):
        return
    if not (_is_absolute_url(siteurl) or siteurl.startswith("/")):
        yield SettingProblem(
            "SITEURL",
            f"{shown(siteurl)} is not an absolute address (http:// or https://…); "
            "the default '' (links from the site root) is used",
            'write the full address, e.g. SITEURL = "https://communitykompas.nl", or leave it '
            '"" while developing',
            replacement="",
        )


def check_feed_domain(settings: dict) -> Iterator[SettingProblem]:
    domain = settings.get("FEED_DOMAIN")
    if domain in (None, ""):
        return
    siteurl = settings.get("SITEURL")
    fallback = siteurl if isinstance(siteurl, str) and _is_absolute_url(siteurl) else DEV_BASE_URL
    fix = (
        'write the address the feeds are read from, e.g. FEED_DOMAIN = "https://communitykompas.nl"'
    )
    if not isinstance(domain, str) or not _is_absolute_url(domain):
        yield SettingProblem(
            "FEED_DOMAIN",
            f"{shown(domain)} is not an absolute address (http:// or https://…); "
            f"the feeds use {fallback!r} instead",
            fix,
            replacement=fallback,
        )
    elif domain.endswith("/"):
        yield SettingProblem(
            "FEED_DOMAIN",
            f"{shown(domain)} ends with a slash, which doubles the slash in every feed link; "
            f"{domain.rstrip('/')!r} is used",
            "leave out the slash at the end",
            replacement=domain.rstrip("/"),
        )


def check_timezone(settings: dict) -> Iterator[SettingProblem]:
    if "TIMEZONE" not in settings:
        return  # Pelican warns and uses UTC
    value = settings["TIMEZONE"]
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, TypeError, ValueError):
        yield SettingProblem(
            "TIMEZONE",
            f"{shown(value)} is not a time zone; 'UTC' is used",
            'use a name from the tz database, e.g. TIMEZONE = "Europe/Amsterdam"',
            replacement="UTC",
        )


def check_pagination(settings: dict) -> Iterator[SettingProblem]:
    value = settings.get("DEFAULT_PAGINATION", False)
    if value is False or value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        yield SettingProblem(
            "DEFAULT_PAGINATION",
            f"{shown(value)} is not a number of articles per page; "
            "the default False (no pagination) is used",
            "write a whole number such as DEFAULT_PAGINATION = 8, or False for one long list",
            replacement=False,
        )


def check_date_format(settings: dict) -> Iterator[SettingProblem]:
    value = settings.get("DEFAULT_DATE_FORMAT", "long")
    problem = None
    if not isinstance(value, str):
        problem = "is not text"
    elif not value.startswith("%"):  # Pelican's strftime default: i18n uses "long" then
        try:
            format_date(date(2026, 11, 21), format=value, locale="nl")
        except (ValueError, AttributeError, KeyError) as error:
            # AttributeError: a time field (mm is minutes) in a pattern for dates.
            detail = "it asks for a time of day" if isinstance(error, AttributeError) else error
            problem = f"is not a Babel date format ({detail})"
    if problem:
        yield SettingProblem(
            "DEFAULT_DATE_FORMAT",
            f"{shown(value)} {problem}; 'long' is used",
            'use short, medium, long or full, or a pattern such as "d MMMM y" '
            '("dd-MM-y" for 21-11-2026; MM is the month, mm would be minutes)',
            replacement="long",
        )


MENU_FIX = 'write MENUITEMS = [("Articles", "/"), ("Archive", "/archief/")]'


def _is_menu_item(item: object) -> bool:
    return (
        isinstance(item, list | tuple)
        and len(item) == 2
        and all(isinstance(part, str) for part in item)
    )


def check_menuitems(settings: dict) -> Iterator[SettingProblem]:
    value = settings.get("MENUITEMS", ())
    if value is None:
        yield SettingProblem("MENUITEMS", "", "", replacement=())  # no menu items
        return
    if not isinstance(value, list | tuple):
        yield SettingProblem(
            "MENUITEMS",
            f"{shown(value)} is not a list of (label, url) pairs; the menu has no items",
            MENU_FIX,
            replacement=(),
        )
        return
    bad = [(number, item) for number, item in enumerate(value, 1) if not _is_menu_item(item)]
    for number, item in bad:
        yield SettingProblem(
            "MENUITEMS",
            f"item {number}, {shown(item)}, is not a (label, url) pair of texts; "
            "it is left out of the menu",
            MENU_FIX,
            replacement=tuple(tuple(item) for item in value if _is_menu_item(item)),
        )


# Pelican's address settings: *_URL is a link (relative to SITEURL), *_SAVE_AS and the feed
# settings a file inside the output folder. Our direct templates (sitemap, robots) have no
# Pelican default; Pelican then writes "<template>.html".
ADDRESS_SETTINGS = sorted(
    key for key in DEFAULT_CONFIG if key.endswith(("_URL", "_SAVE_AS")) and key != "SITEURL"
)
FEED_SETTINGS = [
    f"{kind}_{form}"
    for kind in ("FEED", "FEED_ALL", "CATEGORY_FEED", "AUTHOR_FEED", "TAG_FEED", "TRANSLATION_FEED")
    for form in ("ATOM", "RSS")
]


def _address_problem(name: str, value: object) -> str | None:
    if value in (None, "", False):  # an empty save_as: Pelican writes no such page
        return None
    if not isinstance(value, str):
        return "is not text"
    try:
        list(string.Formatter().parse(value))
    except ValueError as error:
        return f"is not a valid pattern ({error})"
    if name.endswith("_URL"):
        return None
    if value.startswith("/") or ".." in PurePosixPath(value.replace("\\", "/")).parts:
        return "points outside the output folder"
    return None


def _partner(name: str) -> str | None:
    """ARTICLE_URL ↔ ARTICLE_SAVE_AS: a link and its file must change together."""
    if name.endswith("_URL"):
        return name[: -len("_URL")] + "_SAVE_AS"
    if name.endswith("_SAVE_AS"):
        return name[: -len("_SAVE_AS")] + "_URL"
    return None


def check_addresses(settings: dict) -> Iterator[SettingProblem]:
    direct = settings.get("DIRECT_TEMPLATES") or ()
    extra = {
        f"{template.upper()}_{kind}": f"{template}.html"
        for template in direct
        if isinstance(template, str)
        for kind in ("URL", "SAVE_AS")
    }
    defaults = {key: DEFAULT_CONFIG[key] for key in ADDRESS_SETTINGS}
    defaults.update({key: DEFAULT_CONFIG.get(key) for key in FEED_SETTINGS})
    defaults.update({key: value for key, value in extra.items() if key not in defaults})
    for name, default in defaults.items():
        if name not in settings:
            continue
        value = settings[name]
        problem = _address_problem(name, value)
        partner = _partner(name)
        if problem and partner in settings and partner in defaults:
            # Pelican's default link with our own file name (or the reverse) would break links.
            yield SettingProblem(partner, "", "", replacement=defaults[partner])
            instead = (
                f"Pelican's defaults are used for {name} ({default!r}) and {partner} "
                f"({defaults[partner]!r})"
            )
        else:
            instead = _instead(default)
        if problem:
            if name in FEED_SETTINGS:
                example = "feeds/all.atom.xml"
            else:
                example = "{slug}/" if name.endswith("_URL") else "{slug}/index.html"
            yield SettingProblem(
                name,
                f"{shown(value)} {problem}; {instead}",
                f'write a path inside the site with {{…}} fields, e.g. "{example}"',
                replacement=default,
            )
        elif name.endswith("_URL") and isinstance(value, str) and value.startswith("/"):
            yield SettingProblem(
                name,
                f"{shown(value)} starts with a slash, which makes links like //slug/ "
                f"(another host); {value.lstrip('/')!r} is used",
                "leave out the slash at the start (links already start from SITEURL)",
                replacement=value.lstrip("/"),
            )


NEWSLETTER_DEFAULTS = {
    "NEWSLETTER_ACTION": "",
    "NEWSLETTER_EMAIL_FIELD": "email",
    "NEWSLETTER_NAME_FIELD": "",
}


def check_newsletter(settings: dict) -> Iterator[SettingProblem]:
    """The theme's signup form (partials/newsletter.html)."""
    for name, default in NEWSLETTER_DEFAULTS.items():
        value = settings.get(name, default)
        if not isinstance(value, str) and value is not None:
            yield SettingProblem(
                name,
                f"{shown(value)} is not text; {_instead(default)}",
                f'write it between quotes, e.g. {name} = "…"',
                replacement=default,
            )
    action = settings.get("NEWSLETTER_ACTION")
    if isinstance(action, str) and action and not _is_absolute_url(action):
        yield SettingProblem(
            "NEWSLETTER_ACTION",
            f"{shown(action)} is not an absolute address; the signup form is hidden",
            "copy the form's https://… address from your newsletter provider",
            replacement="",
        )
    email_field = settings.get("NEWSLETTER_EMAIL_FIELD")
    if isinstance(email_field, str) and not email_field.strip() and action:
        yield SettingProblem(
            "NEWSLETTER_EMAIL_FIELD",
            "is empty; the default 'email' is used",
            "write the name your provider gives the e-mail field, e.g. EMAIL",
            replacement="email",
        )
    hidden = settings.get("NEWSLETTER_HIDDEN_FIELDS", {})
    if hidden is not None and not (
        isinstance(hidden, dict) and all(isinstance(v, str | int) for v in hidden.values())
    ):
        yield SettingProblem(
            "NEWSLETTER_HIDDEN_FIELDS",
            f"{shown(hidden)} is not a dict of field name → value; no hidden fields are sent",
            'write e.g. NEWSLETTER_HIDDEN_FIELDS = {"u": "…", "id": "…"}',
            replacement={},
        )


CHECKS = (
    check_text,
    check_siteurl,
    check_feed_domain,
    check_timezone,
    check_pagination,
    check_date_format,
    check_menuitems,
    check_addresses,
    check_newsletter,
)


def check_settings(settings: dict) -> tuple[list[SettingProblem], dict]:
    """The problems in ``settings`` and the values to use instead (setting → value).

    A problem with an empty message is a silent normalisation (None where text is meant)."""
    problems: list[SettingProblem] = []
    replacements: dict = {}
    for check in CHECKS:
        for problem in check(settings):
            if problem.replacement is not _KEEP:
                replacements[problem.setting] = problem.replacement
            if problem.message:
                problems.append(problem)
    return problems, replacements


# --- Pelican glue ---------------------------------------------------------------------------


def check(pelican) -> None:
    """Check the final settings and make the wrong ones harmless before any generator runs."""
    settings = pelican.settings
    problems, replacements = check_settings(settings)
    settings.update(replacements)
    source = settings_file()
    settings[PROBLEMS_KEY] = [(source, p.setting, p.message, p.fix) for p in problems]


def report_problems(generator) -> None:
    # Every build (also each autoreload rebuild) has a new context; report() keeps one copy.
    for problem in generator.settings.get(PROBLEMS_KEY, ()):
        report(generator.context, *problem)


def register() -> None:
    signals.initialized.connect(check)
    signals.generator_init.connect(report_problems)
