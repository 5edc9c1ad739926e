"""Checks of the address settings (``*_URL``, ``*_SAVE_AS``, feed paths) and the newsletter form."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import PurePosixPath

from pelican.settings import DEFAULT_CONFIG

from ..core.settings import shown
from .setting_fix import SettingFix, instead, is_absolute_url

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


def check_addresses(settings: dict) -> Iterator[SettingFix]:
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
            yield SettingFix(partner, "", "", replacement=defaults[partner])
            replaced = (
                f"Pelican's defaults are used for {name} ({default!r}) and {partner} "
                f"({defaults[partner]!r})"
            )
        else:
            replaced = instead(default)
        if problem:
            if name in FEED_SETTINGS:
                example = "feeds/all.atom.xml"
            else:
                example = "{slug}/" if name.endswith("_URL") else "{slug}/index.html"
            yield SettingFix(
                name,
                f"{shown(value)} {problem}; {replaced}",
                f'write a path inside the site with {{…}} fields, e.g. "{example}"',
                replacement=default,
            )
        elif name.endswith("_URL") and isinstance(value, str) and value.startswith("/"):
            yield SettingFix(
                name,
                f"{shown(value)} starts with a slash, which makes links like //slug/ "
                f"(another host); {value.lstrip('/')!r} is used",
                "leave out the slash at the start (links already start from SITEURL)",
                replacement=value.lstrip("/"),
            )


NEWSLETTER_DEFAULTS = {
    "NEWSLETTER_ACTION": "",
    "NEWSLETTER_COURSE": "",  # a drip course's show: the block signs readers up for it
    "NEWSLETTER_EMAIL_FIELD": "email",
    "NEWSLETTER_NAME_FIELD": "",
    # The block's words; "" is the theme's translated default.
    "NEWSLETTER_HEADING": "",
    "NEWSLETTER_TEXT": "",
    "NEWSLETTER_BUTTON": "",
    "NEWSLETTER_CONSENT": "",
}


def check_newsletter(settings: dict) -> Iterator[SettingFix]:
    """The theme's signup form (partials/newsletter.html)."""
    for name, default in NEWSLETTER_DEFAULTS.items():
        value = settings.get(name, default)
        if not isinstance(value, str) and value is not None:
            yield SettingFix(
                name,
                f"{shown(value)} is not text; {instead(default)}",
                f'write it between quotes, e.g. {name} = "…"',
                replacement=default,
            )
    action = settings.get("NEWSLETTER_ACTION")
    if isinstance(action, str) and action and not is_absolute_url(action):
        yield SettingFix(
            "NEWSLETTER_ACTION",
            f"{shown(action)} is not an absolute address; the signup form is hidden",
            "copy the form's https://… address from your newsletter provider",
            replacement="",
        )
    email_field = settings.get("NEWSLETTER_EMAIL_FIELD")
    if isinstance(email_field, str) and not email_field.strip() and action:
        yield SettingFix(
            "NEWSLETTER_EMAIL_FIELD",
            "is empty; the default 'email' is used",
            "write the name your provider gives the e-mail field, e.g. EMAIL",
            replacement="email",
        )
    hidden = settings.get("NEWSLETTER_HIDDEN_FIELDS", {})
    if hidden is not None and not (
        isinstance(hidden, dict) and all(isinstance(v, str | int) for v in hidden.values())
    ):
        yield SettingFix(
            "NEWSLETTER_HIDDEN_FIELDS",
            f"{shown(hidden)} is not a dict of field name → value; no hidden fields are sent",
            'write e.g. NEWSLETTER_HIDDEN_FIELDS = {"u": "…", "id": "…"}',
            replacement={},
        )
