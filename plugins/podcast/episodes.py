"""Episode metadata fields → checked values, and the small helpers pages and feeds share
(pure): the audio path inside the content folder, numbers, flags, clock times, subscribe links.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urljoin

import lxml.html

from .facts import AudioFacts, AudioProblem

EPISODE_TYPES = ("full", "trailer", "bonus")


class MetadataProblem(Exception):
    """A metadata field the author must fix."""

    def __init__(self, field: str, message: str, fix: str):
        super().__init__(message)
        self.field, self.message, self.fix = field, message, fix


def audio_source(value: str, content: Path, article_dir: Path) -> Path:
    """The audio file an ``Audio:`` field points at: a path in the content folder (``/audio/x``
    too, as in Pelican's links) or next to the text.

    A path that leads out of the content folder (``../``, an absolute path elsewhere, a link
    to a file elsewhere) is a MetadataProblem: the build never reads or publishes a file from
    elsewhere on the machine. ``content`` must be resolved.
    """
    value = value.strip()
    for prefix in ("{static}", "{attach}", "{filename}"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    candidate = content / value.lstrip("/")
    if value.startswith("/") and not candidate.exists():
        if _inside(Path(value), content) or Path(value).exists():
            candidate = Path(value)  # a full path: in the content folder, or reported below
    elif not value.startswith("/") and not (_inside(candidate, content) and candidate.exists()):
        beside = article_dir / value
        if _inside(beside, content) and beside.exists():
            candidate = beside
    if not _inside(candidate, content):
        raise MetadataProblem(
            "Audio",
            f"{value} is outside the content folder ({candidate.resolve()}); the site only "
            "publishes files from the content folder",
            "move the audio file into the content folder (e.g. content/audio/) and write "
            "Audio: audio/<file>.mp3",
        )
    return candidate


def _inside(path: Path, content: Path) -> bool:
    return path.resolve().is_relative_to(content)


def positive_int(field_name: str, value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise MetadataProblem(
            field_name, f"{text!r} is not a positive whole number", f"write e.g. {field_name}: 1"
        )
    return int(text)


def explicit_flag(value) -> bool | None:
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().lower()
    if text in ("true", "yes", "ja", "1"):
        return True
    if text in ("false", "no", "nee", "clean", "0"):
        return False
    raise MetadataProblem("Explicit", f"{value!r} is not true or false", "write Explicit: false")


def episode_type(value) -> str:
    text = str(value or "full").strip().lower()
    if text not in EPISODE_TYPES:
        raise MetadataProblem(
            "EpisodeType", f"{value!r} is not an episode type", "use full, trailer or bonus"
        )
    return text


def absolute_links(html: str, base_url: str) -> str:
    """Show notes with every link and image absolute (feed readers have no base URL)."""
    if not html.strip():
        return ""
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    fragment.rewrite_links(lambda link: urljoin(base_url, link))
    inner = (fragment.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in fragment
    )
    return inner.strip()


def clock(seconds: float, rounded: bool = True) -> str:
    """12:05 or 1:02:03 — how players show a time (a timestamp is not rounded up)."""
    total = max(int(seconds + 0.5) if rounded else int(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def iso_duration(seconds: float) -> str:
    total = int(seconds + 0.5)
    return f"PT{total // 3600}H{total % 3600 // 60}M{total % 60}S"


def subscribe_links(feed_url: str, title: str) -> list[tuple[str, str]]:
    """(app, link) that open the feed in a podcast app; the last one is the plain feed."""
    bare = feed_url.split("://", 1)[-1]
    encoded = quote(feed_url, safe="")
    return [
        ("Apple Podcasts", f"podcast://{bare}"),
        (
            "AntennaPod",
            f"https://antennapod.org/deeplink/subscribe?url={encoded}"
            f"&title={quote(title, safe='')}",
        ),
        ("Pocket Casts", f"pktc://subscribe/{bare}"),
        ("Overcast", f"overcast://x-callback-url/add?url={encoded}"),
        ("RSS", feed_url),
    ]


def check_audio_matches(facts: AudioFacts) -> None:
    """Podcast apps need a positive duration."""
    if facts.duration <= 0:
        raise AudioProblem("the audio is 0 seconds long", "export the episode again")
