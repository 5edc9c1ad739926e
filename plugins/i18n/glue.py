"""i18n's steps in the pipeline: the theme speaks the site's language, and so does Python code.

Two languages: the interface's (``DEFAULT_LANG``, "nl" or "en": the theme's words and dates)
and the articles' (``CONTENT_LANG``, or an item's ``Lang:``): ``<html lang>`` is the text's, the
interface's own parts say ``lang`` when it differs (``ui_lang``).

Every generator's Jinja environment gets the catalogs (``{% trans %}``, ``_()``) and the Babel
filters (``date``, ``datetime``, ``number``, ``month_name``); the build's ``gettext`` is the same
catalog, for the strings features make in Python (share labels, alt texts). Translations with
literal arguments only are looked up once per template (:mod:`.folding`), not on every page.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from markupsafe import Markup

from ..core.build import build_of
from ..core.site import content_language
from .catalogs import SUPPORTED_LANGUAGES, language, make_filters, translations_for
from .folding import ConstantTranslations


def ui_lang_of(interface: str):
    """``ui_lang(page_lang)`` for the templates: ` lang="en"` on the interface's own parts
    (header, footer, share and rating blocks) when the page's text is in another language."""

    def ui_lang(page_lang: object) -> Markup:
        page = str(page_lang or "").strip()
        return Markup(' lang="%s"') % interface if page and page != interface else Markup("")

    return ui_lang


def install(generator) -> None:
    build = build_of(generator)
    translations = translations_for(generator.settings)
    build.gettext = translations.gettext
    build.ngettext = translations.ngettext
    env = generator.env
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(translations, newstyle=True)
    # Calls with literal arguments only are translated once, when a template is compiled.
    env.schitter_catalog = translations
    env.add_extension(ConstantTranslations)
    env.filters.update(make_filters(generator.settings))
    env.globals["LANG"] = language(generator.settings)
    env.globals["CONTENT_LANG"] = content_language(generator.settings)
    env.globals["ui_lang"] = ui_lang_of(language(generator.settings))


def check_language(generator) -> None:
    written = generator.settings.get("CONTENT_LANG")
    if written is not None and not _is_language_code(written):
        generator.settings["CONTENT_LANG"] = None
        build_of(generator).setting_problem(
            "CONTENT_LANG",
            f"{written!r} is not a language code; DEFAULT_LANG is used for the articles",
            'write the language the articles are written in, e.g. CONTENT_LANG = "nl"',
        )
    lang = generator.settings.get("DEFAULT_LANG")
    if lang not in SUPPORTED_LANGUAGES:
        build_of(generator).setting_problem(
            "DEFAULT_LANG",
            f"{lang!r} is not a language the theme speaks, so the site was built in Dutch",
            f"set DEFAULT_LANG to one of: {', '.join(SUPPORTED_LANGUAGES)}",
        )


def _is_language_code(value: object) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True
