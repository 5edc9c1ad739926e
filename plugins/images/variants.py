"""Resized copies of one picture: which widths, where they go, and their bytes (Pillow).

Pure functions: bytes of a source image in, bytes of every copy out. A picture gets one copy per
width of ``IMAGES_WIDTHS`` that is smaller than the picture, plus one at its own width (capped at
the largest wanted width), never an enlargement, in the modern format (WebP, or AVIF), and one
fallback copy that every browser and feed reader shows (JPEG; PNG for a picture with
transparency, which JPEG cannot hold), ``IMAGES_FALLBACK_WIDTH`` wide (or narrower).

The bytes are deterministic: the same source and settings give the same files on every machine
with the same Pillow (no timestamps, no EXIF, fixed encoder settings). The camera's orientation
(EXIF) is applied first, so a phone photo stands the right way up once its EXIF is gone; the
colour profile (ICC) is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePosixPath

import PIL
from PIL import Image, ImageOps, UnidentifiedImageError

RASTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
# Encoder settings: part of every cache key (a change re-encodes).
MODERN_FORMATS = {
    "webp": ("WEBP", "image/webp", {"method": 4}),
    "avif": ("AVIF", "image/avif", {"speed": 8}),
}
FALLBACKS = {
    "jpg": ("JPEG", "image/jpeg", {"optimize": True, "progressive": True}),
    "png": ("PNG", "image/png", {"optimize": True}),
}
ENCODER = f"pillow-{PIL.__version__}-1"


class ImageProblem(ValueError):
    """A source that cannot be made into copies; the message says what is wrong."""


@dataclass(frozen=True)
class Facts:
    """What a source picture is, as shown (after its EXIF orientation)."""

    width: int
    height: int
    transparent: bool

    @property
    def fallback(self) -> str:
        return "png" if self.transparent else "jpg"


@dataclass(frozen=True)
class Copy:
    width: int
    height: int
    ext: str  # "webp", "avif", "jpg" or "png"
    path: str  # inside the site, e.g. "sizes/images/ritme-480w.webp"

    @property
    def mime_type(self) -> str:
        table = {**MODERN_FORMATS, **FALLBACKS}
        return table[self.ext][1]


def is_raster(path: str) -> bool:
    return path.lower().endswith(RASTER_SUFFIXES)


def widths_for(width: int, wanted: tuple[int, ...]) -> tuple[int, ...]:
    """The widths of the copies of a picture ``width`` pixels wide (never wider than it is)."""
    if not wanted:
        return (width,)
    top = min(width, max(wanted))
    return tuple(sorted({w for w in wanted if w < top} | {top}))


def height_at(facts: Facts, width: int) -> int:
    return max(1, round(facts.height * width / facts.width))


def copy_path(folder: str, source: str, width: int, ext: str) -> str:
    """Where the copy of ``source`` (a path inside the content folder) goes in the site."""
    stem = PurePosixPath(source).with_suffix("")
    return f"{folder.strip('/')}/{stem}-{width}w.{ext}"


def plan(
    source: str,
    facts: Facts,
    wanted: tuple[int, ...],
    modern: str,
    folder: str,
    fallback_width: int = 800,
) -> tuple[Copy, ...]:
    """Every copy of one picture: the modern ones, narrowest first, then the fallback."""
    copies = [
        Copy(width, height_at(facts, width), modern, copy_path(folder, source, width, modern))
        for width in widths_for(facts.width, wanted)
    ]
    width = min(fallback_width, facts.width)
    ext = facts.fallback
    copies.append(Copy(width, height_at(facts, width), ext, copy_path(folder, source, width, ext)))
    return tuple(copies)


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as error:
        raise ImageProblem(f"is too large to resize safely ({error})") from None
    except UnidentifiedImageError:
        raise ImageProblem("is not an image Pillow can read (no JPEG, PNG or WebP data)") from None
    except (OSError, SyntaxError, ValueError) as error:  # a truncated or damaged file
        raise ImageProblem(f"is not an image Pillow can read ({error})") from None
    return image


def _shown(image: Image.Image) -> Image.Image:
    """The picture as it is meant to be seen: EXIF orientation applied, RGB or RGBA."""
    shown = ImageOps.exif_transpose(image)
    transparent = shown.mode in ("RGBA", "LA", "PA") or (
        shown.mode == "P" and "transparency" in shown.info
    )
    return shown.convert("RGBA" if transparent else "RGB")


def read_facts(data: bytes) -> Facts:
    image = _shown(_open(data))
    return Facts(image.width, image.height, image.mode == "RGBA")


def encode(data: bytes, copies: tuple[Copy, ...], quality: int) -> dict[str, bytes]:
    """The bytes of every copy (by site path), resized from ``data`` with Lanczos."""
    original = _open(data)
    icc = original.info.get("icc_profile")
    shown = _shown(original)
    resized: dict[int, Image.Image] = {}
    made = {}
    for copy in copies:
        if copy.width not in resized:
            resized[copy.width] = (
                shown
                if copy.width == shown.width
                else shown.resize((copy.width, copy.height), Image.Resampling.LANCZOS)
            )
        kind, _mime, options = {**MODERN_FORMATS, **FALLBACKS}[copy.ext]
        buffer = io.BytesIO()
        extra = {"icc_profile": icc} if icc else {}
        if kind != "PNG":
            extra["quality"] = quality
        resized[copy.width].save(buffer, kind, **options, **extra)
        made[copy.path] = buffer.getvalue()
    return made
