"""Link previews: the Open Graph / Twitter Card facts of an article or page.

Pure functions over plain values: an image path → its real size (Pillow, read once per image
per build through :class:`ImageSizes`), an article's fields → :class:`LinkPreview`. The theme's
``partials/head_article.html`` / ``head_page.html`` turn a LinkPreview into ``<meta>`` tags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..core.urls import content_file as image_path  # noqa: F401  (sharing's name for it)

DESCRIPTION_LENGTH = 300
# From this width/height ratio on, an image suits X's large card (shown at 2:1, e.g. 1200×630).
WIDE_IMAGE_RATIO = 1.5
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    mime_type: str


class ImageError(ValueError):
    """An image the preview cannot use; the message says what is wrong."""


@dataclass
class ImageSizes:
    """Real image sizes, each file opened once per build (one instance per build)."""

    seen: dict[Path, ImageFacts | ImageError] = field(default_factory=dict)
    opened: int = 0

    def facts(self, path: Path) -> ImageFacts:
        if path not in self.seen:
            self.seen[path] = self._read(path)
        found = self.seen[path]
        if isinstance(found, ImageError):
            raise found
        return found

    def _read(self, path: Path) -> ImageFacts | ImageError:
        if not path.is_file():
            return ImageError(f"there is no image file {path}")
        self.opened += 1
        try:
            with Image.open(path) as image:  # reads the header only, not the pixels
                width, height = image.size
                kind = image.format or ""
        except (UnidentifiedImageError, OSError) as error:
            return ImageError(f"{path} is not an image Pillow can read ({error})")
        if kind not in IMAGE_TYPES:
            return ImageError(f"{path} is a {kind or 'unknown'} image; use JPEG, PNG or WebP")
        return ImageFacts(width, height, IMAGE_TYPES[kind])


@dataclass(frozen=True)
class PreviewImage:
    url: str
    alt: str
    width: int | None = None
    height: int | None = None
    mime_type: str = ""


@dataclass(frozen=True)
class LinkPreview:
    """What a network shows for a shared link (Open Graph + Twitter Card)."""

    title: str
    description: str
    url: str
    site_name: str
    locale: str
    type: str = "article"  # "article" for articles and episodes, "website" for pages
    published_time: str = ""  # ISO 8601
    modified_time: str = ""
    authors: tuple[str, ...] = ()  # absolute author page URLs
    tags: tuple[str, ...] = ()
    section: str = ""
    image: PreviewImage | None = None

    @property
    def twitter_card(self) -> str:
        """The large card for a wide image; the small card (a square thumbnail) for a square or
        tall one, such as an episode cover, which the large card would crop to 2:1."""
        image = self.image
        if image is None:
            return "summary"
        if image.width and image.height and image.width < WIDE_IMAGE_RATIO * image.height:
            return "summary"
        return "summary_large_image"
