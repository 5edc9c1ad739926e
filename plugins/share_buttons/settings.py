"""The ``SHARE_*`` settings: defaults, reading and validation, all in this one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from .networks import DEFAULT_NETWORKS, N_, NETWORKS

DEV_BASE_URL = "http://127.0.0.1:8000"
# og:locale per interface language (i18n.SUPPORTED_LANGUAGES).
OG_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

DEFAULT_CALL_TO_ACTION = N_("Will you help me share this article?")
DEFAULT_EPISODE_CALL_TO_ACTION = N_("Will you help me share this episode?")


@dataclass(frozen=True)
class SettingProblem:
    setting: str
    message: str
    fix: str


@dataclass(frozen=True)
class ShareSettings:
    networks: tuple[str, ...] = DEFAULT_NETWORKS
    call_to_action: str = ""  # empty: the translated default
    default_image: str = "images/standaard-deelafbeelding.jpg"
    default_image_alt: str = ""  # empty: the site name
    podcast_images: dict[str, str] = field(default_factory=dict)  # Podcast: slug → image
    og_locale: str = ""  # empty: from DEFAULT_LANG
    base_url: str = DEV_BASE_URL  # absolute site address every share and preview URL starts with
    problems: tuple[SettingProblem, ...] = ()


def _base_url(settings: dict) -> tuple[str, SettingProblem | None]:
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    if siteurl.startswith(("http://", "https://")):
        return siteurl, None
    if settings.get("SCHITTER_STRICT"):
        return DEV_BASE_URL, SettingProblem(
            "SITEURL",
            f"is {siteurl!r}, but share links and link previews need the site's absolute address",
            'set SITEURL = "https://your-domain.example" in publishconf.py '
            "(or export SCHITTER_SITEURL)",
        )
    if siteurl:  # a relative SITEURL in development: share links still need a scheme and host
        return DEV_BASE_URL + "/" + siteurl.lstrip("/"), None
    feed_domain = str(settings.get("FEED_DOMAIN") or "").rstrip("/")
    if feed_domain.startswith(("http://", "https://")):
        return feed_domain, None
    return DEV_BASE_URL, None


def read_settings(settings: dict) -> ShareSettings:
    """Read every SHARE_* setting; wrong values become problems (kept in ``.problems``)."""
    problems: list[SettingProblem] = []
    base_url, problem = _base_url(settings)
    if problem:
        problems.append(problem)

    raw_networks = settings.get("SHARE_NETWORKS", DEFAULT_NETWORKS)
    if isinstance(raw_networks, str):
        raw_networks = [part.strip() for part in raw_networks.split(",") if part.strip()]
    networks: list[str] = []
    valid = ", ".join(NETWORKS)
    if not isinstance(raw_networks, list | tuple):
        problems.append(
            SettingProblem(
                "SHARE_NETWORKS",
                f"must be a list of network names, not {raw_networks!r}",
                f'use e.g. SHARE_NETWORKS = ["whatsapp", "linkedin", "email"]; valid: {valid}',
            )
        )
        raw_networks = DEFAULT_NETWORKS
    for name in raw_networks:
        key = str(name).strip().lower()
        if key not in NETWORKS:
            problems.append(
                SettingProblem(
                    "SHARE_NETWORKS",
                    f"{name!r} is not a network Schitter can share to",
                    f"use only these names: {valid}",
                )
            )
        elif key not in networks:
            networks.append(key)

    def text_setting(name: str, default: str) -> str:
        value = settings.get(name, default)
        if value is None:
            return default
        if not isinstance(value, str):
            problems.append(SettingProblem(name, f"must be text, not {value!r}", "use a string"))
            return default
        return value.strip()

    podcast_images = settings.get("SHARE_PODCAST_IMAGES") or {}
    if not isinstance(podcast_images, dict):
        problems.append(
            SettingProblem(
                "SHARE_PODCAST_IMAGES",
                f"must map a podcast (the Podcast: field) to an image, not {podcast_images!r}",
                'use e.g. SHARE_PODCAST_IMAGES = {"my-show": "images/my-show-cover.jpg"}',
            )
        )
        podcast_images = {}

    og_locale = text_setting("SHARE_OG_LOCALE", "")
    if not og_locale:
        og_locale = OG_LOCALES.get(str(settings.get("DEFAULT_LANG") or "nl"), "nl_NL")

    return ShareSettings(
        networks=tuple(networks),
        call_to_action=text_setting("SHARE_CALL_TO_ACTION", ""),
        default_image=text_setting("SHARE_DEFAULT_IMAGE", ShareSettings.default_image),
        default_image_alt=text_setting("SHARE_DEFAULT_IMAGE_ALT", ""),
        podcast_images={str(k): str(v) for k, v in podcast_images.items()},
        og_locale=og_locale,
        base_url=base_url,
        problems=tuple(problems),
    )
