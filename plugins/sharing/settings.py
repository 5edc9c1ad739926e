"""The ``SHARE_*`` settings: defaults and checks, read with the core's settings reader."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.settings import SettingError, setting
from .networks import DEFAULT_NETWORKS, N_, NETWORKS

# og:locale per interface language (i18n.SUPPORTED_LANGUAGES).
OG_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

DEFAULT_CALL_TO_ACTION = N_("Will you help me share this article?")
DEFAULT_EPISODE_CALL_TO_ACTION = N_("Will you help me share this episode?")
DEFAULT_LESSON_CALL_TO_ACTION = N_("Will you help me share this lesson?")  # a course's


def network_list(value: object) -> tuple[str, ...]:
    """Known network names in the order given; a comma-separated string works too."""
    valid = ", ".join(NETWORKS)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise SettingError(
            f"must be a list of network names, not {value!r}",
            f'use e.g. SHARE_NETWORKS = ["whatsapp", "linkedin", "email"]; valid: {valid}',
        )
    names: list[str] = []
    unknown = []
    for name in value:
        key = str(name).strip().lower()
        if key not in NETWORKS:
            unknown.append(name)
        elif key not in names:
            names.append(key)
    if unknown:
        raise SettingError(
            f"{unknown[0]!r} is not a network Schitter can share to",
            f"use only these names: {valid}",
            instead=tuple(names),
        )
    return tuple(names)


def image_map(value: dict) -> dict:
    return {str(show): str(image) for show, image in value.items()}


@dataclass(frozen=True)
class ShareSettings:
    networks: object = setting(DEFAULT_NETWORKS, check=network_list)
    call_to_action: str = ""  # empty: the translated default
    default_image: str = "images/standaard-deelafbeelding.jpg"
    default_image_alt: str = ""  # empty: the site name
    # Podcast: show slug → image for its episodes without an Image:; empty: the show artwork.
    podcast_images: dict = setting(
        {},
        check=image_map,
        fix='use e.g. SHARE_PODCAST_IMAGES = {"my-show": "images/my-show-cover.jpg"}',
    )
    og_locale: str = ""  # empty: from DEFAULT_LANG
