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

import zoneinfo
from collections.abc import Iterator
from datetime import date

from babel.dates import format_date
from pelican.settings import DEFAULT_CONFIG

from ..core.settings import shown
from ..core.urls import DEV_BASE_URL
from .addresses import check_addresses, check_newsletter
from .setting_fix import KEEP, SettingFix, instead, is_absolute_url

# --- The checks: each takes the settings and yields the problems it finds ------------------

TEXT_SETTINGS = {"SITENAME": DEFAULT_CONFIG["SITENAME"], "AUTHOR": "", "SITESUBTITLE": ""}


def check_text(settings: dict) -> Iterator[SettingFix]:
    for name, default in TEXT_SETTINGS.items():
        value = settings.get(name, default)
        if value is None and name != "SITENAME":  # "no subtitle": shown as nothing, not "None"
            yield SettingFix(name, "", "", replacement="")
        elif not isinstance(value, str):
            yield SettingFix(
                name,
                f"{shown(value)} is not text; {instead(default)}",
                f'write it between quotes, e.g. {name} = "…"',
                replacement=default,
            )


def check_siteurl(settings: dict) -> Iterator[SettingFix]:
    siteurl = settings.get("SITEURL", "")
    # Pelican fails on a SITEURL that is not text before plugins run; a strict build's
    # SITEURL is checked by share_buttons (it needs the absolute address for share links).
    if not isinstance(siteurl, str) or not siteurl or settings.get("SCHITTER_STRICT"):
        return
    if not (is_absolute_url(siteurl) or siteurl.startswith("/")):
        yield SettingFix(
            "SITEURL",
            f"{shown(siteurl)} is not an absolute address (http:// or https://…); "
            "the default '' (links from the site root) is used",
            'write the full address, e.g. SITEURL = "https://communitykompas.nl", or leave it '
            '"" while developing',
            replacement="",
        )


def check_feed_domain(settings: dict) -> Iterator[SettingFix]:
    domain = settings.get("FEED_DOMAIN")
    if domain in (None, ""):
        return
    siteurl = settings.get("SITEURL")
    fallback = siteurl if isinstance(siteurl, str) and is_absolute_url(siteurl) else DEV_BASE_URL
    fix = (
        'write the address the feeds are read from, e.g. FEED_DOMAIN = "https://communitykompas.nl"'
    )
    if not isinstance(domain, str) or not is_absolute_url(domain):
        yield SettingFix(
            "FEED_DOMAIN",
            f"{shown(domain)} is not an absolute address (http:// or https://…); "
            f"the feeds use {fallback!r} instead",
            fix,
            replacement=fallback,
        )
    elif domain.endswith("/"):
        yield SettingFix(
            "FEED_DOMAIN",
            f"{shown(domain)} ends with a slash, which doubles the slash in every feed link; "
            f"{domain.rstrip('/')!r} is used",
            "leave out the slash at the end",
            replacement=domain.rstrip("/"),
        )


def check_timezone(settings: dict) -> Iterator[SettingFix]:
    if "TIMEZONE" not in settings:
        return  # Pelican warns and uses UTC
    value = settings["TIMEZONE"]
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, TypeError, ValueError):
        yield SettingFix(
            "TIMEZONE",
            f"{shown(value)} is not a time zone; 'UTC' is used",
            'use a name from the tz database, e.g. TIMEZONE = "Europe/Amsterdam"',
            replacement="UTC",
        )


def check_pagination(settings: dict) -> Iterator[SettingFix]:
    value = settings.get("DEFAULT_PAGINATION", False)
    if value is False or value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        yield SettingFix(
            "DEFAULT_PAGINATION",
            f"{shown(value)} is not a number of articles per page; "
            "the default False (no pagination) is used",
            "write a whole number such as DEFAULT_PAGINATION = 8, or False for one long list",
            replacement=False,
        )


def check_date_format(settings: dict) -> Iterator[SettingFix]:
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
        yield SettingFix(
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


def check_menuitems(settings: dict) -> Iterator[SettingFix]:
    value = settings.get("MENUITEMS", ())
    if value is None:
        yield SettingFix("MENUITEMS", "", "", replacement=())  # no menu items
        return
    if not isinstance(value, list | tuple):
        yield SettingFix(
            "MENUITEMS",
            f"{shown(value)} is not a list of (label, url) pairs; the menu has no items",
            MENU_FIX,
            replacement=(),
        )
        return
    bad = [(number, item) for number, item in enumerate(value, 1) if not _is_menu_item(item)]
    for number, item in bad:
        yield SettingFix(
            "MENUITEMS",
            f"item {number}, {shown(item)}, is not a (label, url) pair of texts; "
            "it is left out of the menu",
            MENU_FIX,
            replacement=tuple(tuple(item) for item in value if _is_menu_item(item)),
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


def check_settings(settings: dict) -> tuple[list[SettingFix], dict]:
    """The problems in ``settings`` and the values to use instead (setting → value).

    A problem with an empty message is a silent normalisation (None where text is meant)."""
    problems: list[SettingFix] = []
    replacements: dict = {}
    for check in CHECKS:
        for problem in check(settings):
            if problem.replacement is not KEEP:
                replacements[problem.setting] = problem.replacement
            if problem.message:
                problems.append(problem)
    return problems, replacements
