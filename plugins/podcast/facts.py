"""Audio file → :class:`AudioFacts`: the true duration, size, type, tags, chapters and cover.

The file is the source of truth; the author never types a duration or a byte count. Tags come
from mutagen (ID3 for MP3, MP4 atoms for M4A). The MP3 duration comes from our own scan of the
MPEG frames (``mpeg.py``): mutagen's length is only exact when the file starts with a
Xing/Info/VBRI header; for a VBR file without one it extrapolates the first frame's bitrate and
can be off by a factor of five. The scan also finds truncated and corrupt files, and VBR files
without such a header (players seek badly in them: the build warns).

The audio starts after any number of ID3v2 tags (an editor that appends a tag instead of
rewriting the first one leaves two, the second often holding a large cover). The identity hash
(``sha256``) covers the audio frames only, never the tags: retagging a file keeps its identity.

Pure functions: bytes in, facts out. Problems the author can fix raise :class:`AudioProblem`.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import asdict, dataclass, field

import mutagen
from mutagen.id3 import ID3, ID3NoHeaderError
from mutagen.mp4 import MP4

from ..core.text import author_text
from .mpeg import AudioProblem, looks_like_mp3, scan_mpeg_frames

MIME_MP3 = "audio/mpeg"
MIME_M4A = "audio/x-m4a"
EXTENSIONS = {MIME_MP3: (".mp3",), MIME_M4A: (".m4a", ".mp4", ".m4b")}


@dataclass(frozen=True)
class Cover:
    mime: str  # image/jpeg or image/png
    data: bytes = field(repr=False)

    def to_json(self) -> dict:
        return {"mime": self.mime, "data": self.data.hex()}

    @classmethod
    def from_json(cls, data: dict | None) -> Cover | None:
        return cls(data["mime"], bytes.fromhex(data["data"])) if data else None


@dataclass(frozen=True)
class Chapter:
    start: float  # seconds
    title: str
    end: float | None = None
    url: str | None = None  # as tagged (WXXX); only http(s) reaches a feed (chapters.py)
    image: Cover | None = None  # APIC inside the CHAP frame: the chapter's art
    toc: bool = True  # False: a CHAP no table of contents lists (a "silent" chapter)


@dataclass(frozen=True)
class AudioFacts:
    size: int  # bytes, exact
    mime: str  # audio/mpeg or audio/x-m4a
    duration: float  # seconds, true to the audio
    sha256: str  # identity of the audio content (recognises a renamed file)
    title: str = ""
    album: str = ""
    artist: str = ""
    comment: str = ""
    date: str = ""  # as tagged (ID3 TDRC / MP4 ©day), e.g. "2026-11-21"
    track: int | None = None
    track_total: int | None = None
    chapters: tuple[Chapter, ...] = ()
    cover: Cover | None = None
    vbr_without_header: bool = False  # VBR MP3 without Xing/Info/VBRI: players seek badly

    @property
    def seconds(self) -> int:
        """Whole seconds, rounded: what itunes:duration says."""
        return int(self.duration + 0.5)

    def to_json(self) -> dict:
        data = asdict(self)
        data["cover"] = self.cover.to_json() if self.cover else None
        data["chapters"] = [
            {**asdict(c), "image": c.image.to_json() if c.image else None} for c in self.chapters
        ]
        return data

    @classmethod
    def from_json(cls, data: dict) -> AudioFacts:
        data = dict(data)
        cover = data.pop("cover")
        chapters = tuple(
            Chapter(**{**c, "image": Cover.from_json(c.get("image"))}) for c in data.pop("chapters")
        )
        return cls(**data, chapters=chapters, cover=Cover.from_json(cover))


def read_audio_facts(data: bytes, name: str = "") -> AudioFacts:
    """The facts of one audio file, given its bytes (``name`` only improves messages)."""
    if not data:
        raise AudioProblem(
            "the file is empty (0 bytes)", "export the episode again and replace the file"
        )
    if _looks_like_mp4(data):
        facts = _mp4_facts(data)
    elif looks_like_mp3(data):
        facts = _mp3_facts(data)
    else:
        raise AudioProblem(
            "this is not an MP3 or M4A audio file (no audio frames found)",
            "export the episode as MP3 (or M4A) and point to that file",
        )
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix and suffix not in EXTENSIONS[facts.mime]:
        kind = "an MP3" if facts.mime == MIME_MP3 else "an M4A"
        raise AudioProblem(
            f"the file is {kind} file but its name ends in {suffix}",
            f"rename it to end in {EXTENSIONS[facts.mime][0]} (podcast apps trust the name)",
        )
    return facts


# --- MP3 ----------------------------------------------------------------------------------


def _text(frame) -> str:
    return author_text(str(frame.text[0])).strip() if frame is not None and frame.text else ""


def _track(value: str) -> tuple[int | None, int | None]:
    number, _, total = value.partition("/")
    return (
        int(number) if number.strip().isdigit() else None,
        int(total) if total.strip().isdigit() else None,
    )


def _id3_chapters(tags: ID3) -> tuple[Chapter, ...]:
    """Chapters in the order of the top-level table of contents (CTOC); a CHAP it does not
    list is a hidden chapter (``toc=False``, ID3 chapter spec 4.1), placed by its start time."""
    chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
    listed: list[str] = []
    has_toc = False
    for toc in tags.getall("CTOC"):  # the top-level table of contents gives the order
        if toc.flags & 2:
            has_toc = True
            listed = [child for child in toc.child_element_ids if child in chaps]
            break
    if not listed:
        has_toc = False
        listed = sorted(chaps, key=lambda key: (chaps[key].start_time, key))
    hidden = sorted(set(chaps) - set(listed), key=lambda key: (chaps[key].start_time, key))
    order = listed + hidden
    starts = [chaps[key].start_time for key in listed]
    if has_toc and hidden and starts == sorted(starts):
        order.sort(key=lambda key: chaps[key].start_time)  # stable: listed order kept
    return tuple(_chapter(chaps[key], key, toc=key in listed) for key in order)


def _chapter(chap, element_id: str, toc: bool) -> Chapter:
    sub = chap.sub_frames
    title = _text(sub.get("TIT2")) if sub else ""
    links = [f.url for f in sub.getall("WXXX")] if sub else []
    end = chap.end_time / 1000 if chap.end_time not in (None, 0xFFFFFFFF) else None
    image = _id3_cover(sub) if sub else None
    return Chapter(
        chap.start_time / 1000,
        title or element_id,
        end,
        links[0] if links else None,
        image=image,
        toc=toc,
    )


def _id3_cover(tags) -> Cover | None:
    pictures = tags.getall("APIC")
    front = [p for p in pictures if p.type == 3] or pictures
    for picture in front:
        mime = _image_mime(picture.data)
        if mime:
            return Cover(mime, bytes(picture.data))
    return None


def _image_mime(data: bytes) -> str | None:
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    return None


def _mp3_facts(data: bytes) -> AudioFacts:
    scan = scan_mpeg_frames(data)
    first, past_last = scan.audio
    try:
        tags = ID3(io.BytesIO(data))
    except ID3NoHeaderError:
        tags = ID3()
    except mutagen.MutagenError as error:
        raise AudioProblem(
            f"the ID3 tags cannot be read ({error})", "save the tags again in your tag editor"
        ) from error
    comments = tags.getall("COMM")
    comment = next((c for c in comments if not c.desc), comments[0] if comments else None)
    track, total = _track(_text(tags.get("TRCK")))
    date = tags.get("TDRC") or tags.get("TDRL")
    return AudioFacts(
        size=len(data),
        mime=MIME_MP3,
        duration=round(scan.duration, 3),
        sha256=hashlib.sha256(memoryview(data)[first:past_last]).hexdigest(),
        title=_text(tags.get("TIT2")),
        album=_text(tags.get("TALB")),
        artist=_text(tags.get("TPE1")),
        comment=_text(comment),
        date=str(date.text[0]) if date and date.text else "",
        track=track,
        track_total=total,
        chapters=_id3_chapters(tags),
        cover=_id3_cover(tags),
        vbr_without_header=scan.vbr and scan.header_frames is None,
    )


# --- M4A ----------------------------------------------------------------------------------


def _looks_like_mp4(data: bytes) -> bool:
    return data[4:8] == b"ftyp"


def _mp4_media_hash(data: bytes) -> str:
    """SHA-256 of the media data (``mdat`` atoms) only: tags live in ``moov`` and may change."""
    digest = hashlib.sha256()
    pos = found = 0
    view = memoryview(data)
    while pos + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1 and pos + 16 <= len(data):
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        elif size == 0:
            size = len(data) - pos
        if size < header:
            break
        if kind == b"mdat":
            digest.update(view[pos + header : pos + size])
            found += 1
        pos += size
    return digest.hexdigest() if found else hashlib.sha256(data).hexdigest()


def _mp4_facts(data: bytes) -> AudioFacts:
    try:
        audio = MP4(io.BytesIO(data))
    except mutagen.MutagenError as error:
        raise AudioProblem(
            f"the M4A file is damaged ({error})", "export the episode again and replace the file"
        ) from error
    if not audio.info.length or audio.info.length <= 0:
        raise AudioProblem(
            "the M4A file holds no audio", "export the episode again and replace the file"
        )
    tags = audio.tags or {}

    def tag(key: str) -> str:
        values = tags.get(key)
        return author_text(str(values[0])).strip() if values else ""

    track, total = (tags.get("trkn") or [(None, None)])[0]
    covers = tags.get("covr") or []
    cover = None
    for picture in covers:
        mime = _image_mime(bytes(picture))
        if mime:
            cover = Cover(mime, bytes(picture))
            break
    chapters = tuple(
        Chapter(round(c.start, 3), author_text(c.title or "") or f"{i + 1}")
        for i, c in enumerate(audio.chapters or [])
    )
    return AudioFacts(
        size=len(data),
        mime=MIME_M4A,
        duration=round(audio.info.length, 3),
        sha256=_mp4_media_hash(data),
        title=tag("\xa9nam"),
        album=tag("\xa9alb"),
        artist=tag("\xa9ART"),
        comment=tag("\xa9cmt") or tag("desc"),
        date=tag("\xa9day"),
        track=track or None,
        track_total=total or None,
        chapters=chapters,
        cover=cover,
    )
