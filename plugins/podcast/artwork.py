"""Artwork larger than Apple's 512 KB recommendation → an optimised JPEG copy (Pillow).

Apps load a show's artwork in every list and an episode's on every play screen; Apple asks for
at most 512 KB. With ``PODCAST_OPTIMISE_ARTWORK = True`` the build publishes such a copy (same
size in pixels, RGB, progressive JPEG, the highest quality that fits; only when no quality
fits, smaller in pixels, never below Apple's minimum of 1400 px) and links it in the feed.
"""

from __future__ import annotations

import io

from PIL import Image

LIMIT = 512 * 1024
QUALITIES = (90, 85, 80, 75, 70, 65, 60)
MINIMUM = 1400  # Apple's smallest artwork


def optimised_jpeg(data: bytes, limit: int = LIMIT) -> bytes:
    """The image as the best JPEG of at most ``limit`` bytes (the smallest one tried when none
    fits: still far smaller than the original)."""
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
    best = b""
    for side in (rgb.width, 2000, MINIMUM):
        if side > rgb.width:
            continue
        sized = rgb if side == rgb.width else rgb.resize((side, side), Image.Resampling.LANCZOS)
        for quality in QUALITIES:
            buffer = io.BytesIO()
            sized.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
            best = buffer.getvalue()
            if len(best) <= limit:
                return best
    return best
