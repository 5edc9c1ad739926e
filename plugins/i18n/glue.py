"""i18n's steps in the pipeline: the theme speaks the site's language, and so does Python code.

Every generator's Jinja environment gets the catalogs (``{% trans %}``, ``_()``) and the Babel
filters (``date``, ``datetime``, ``number``, ``month_name``); the build's ``gettext`` is the same
catalog, for the strings features make in Python (share labels, alt texts). Translations with
literal arguments only are looked up once per template (:mod:`.folding`), not on every page.
"""

from __future__ import annotations

from ..core.build import build_of
from .catalogs import SUPPORTED_LANGUAGES, language, make_filters, translations_for
from .folding import ConstantTranslations


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


def check_language(generator) -> None:
    lang = generator.settings.get("DEFAULT_LANG")
    if lang not in SUPPORTED_LANGUAGES:
        build_of(generator).setting_problem(
            "DEFAULT_LANG",
            f"{lang!r} is not a language the theme speaks, so the site was built in Dutch",
            f"set DEFAULT_LANG to one of: {', '.join(SUPPORTED_LANGUAGES)}",
        )
