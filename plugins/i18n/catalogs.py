"""Dutch-first interface: gettext catalogs and Babel-formatted dates (pure functions).

Every visible string in the theme goes through ``{% trans %}``/``_()``; the catalogs are the
``.po`` files in ``theme/translations/<lang>/LC_MESSAGES/messages.po`` (compiled in memory, so
nothing binary is committed). Dates and numbers are formatted by Babel with its own CLDR data,
so a machine without the nl_NL system locale still prints "21 november 2026".

Settings: ``DEFAULT_LANG`` (Pelican's own: "nl" or "en"), ``DEFAULT_DATE_FORMAT`` (a Babel
format name or pattern) and ``I18N_TRANSLATIONS_PATH`` (defaults to the theme's translations).
"""

from __future__ import annotations

import io
import logging
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("nl", "en")


def translations_path(settings: dict) -> Path:
    configured = settings.get("I18N_TRANSLATIONS_PATH")
    return Path(configured) if configured else Path(settings["THEME"]) / "translations"


def language(settings: dict) -> str:
    """The interface language: DEFAULT_LANG if the theme speaks it, else Dutch."""
    lang = str(settings.get("DEFAULT_LANG") or "nl")
    return lang if lang in SUPPORTED_LANGUAGES else "nl"


@lru_cache(maxsize=8)
def _load_catalog(po_file: Path, mtime_ns: int, lang: str) -> NullTranslations:
    # mtime is part of the key so that an autoreload build picks up an edited catalog.
    with po_file.open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


def translations_for(settings: dict) -> NullTranslations:
    """The gettext translations of the site's language (also for plugins' Python strings)."""
    lang = language(settings)
    po_file = translations_path(settings) / lang / "LC_MESSAGES" / "messages.po"
    if not po_file.exists():
        if lang != "en":  # English msgids are the source text, so en needs no catalog
            log.warning("No translations for %r: %s is missing", lang, po_file)
        return NullTranslations()
    return _load_catalog(po_file, po_file.stat().st_mtime_ns, lang)


def make_filters(settings: dict) -> dict:
    """Jinja filters that format dates and numbers in the site language."""
    locale = Locale.parse(language(settings))
    default_format = settings.get("DEFAULT_DATE_FORMAT") or "long"
    if default_format.startswith("%"):  # Pelican's strftime default; Babel uses CLDR
        default_format = "long"
    tz = settings.get("TIMEZONE")

    # Cached: the same dates and numbers appear on many pages (lists, archives, widgets), and
    # Babel parses its pattern on every call. The cache lives as long as this build's filters.
    @cache
    def format_day(value: date, fmt: str) -> str:
        return format_date(value, format=fmt, locale=locale)

    def date_filter(value: date | datetime, fmt: str = default_format) -> str:
        # Babel formats the day of a datetime (its date part): cached per day, not per moment.
        return format_day(value.date() if isinstance(value, datetime) else value, fmt)

    @cache
    def datetime_filter(value: datetime, fmt: str = "long") -> str:
        return format_datetime(value, format=fmt, locale=locale, tzinfo=tz)

    @cache
    def number_filter(value: float, fmt: str | None = None) -> str:
        return format_decimal(value, format=fmt, locale=locale)

    def month_name(number: int, width: str = "wide") -> str:
        return locale.months["stand-alone"][width][int(number)]

    return {
        "date": date_filter,
        "datetime": datetime_filter,
        "number": number_filter,
        "month_name": month_name,
    }
