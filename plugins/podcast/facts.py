"""Audio file → :class:`AudioFacts`: the true duration, size, type, tags, chapters and cover.

The file is the source of truth; the author never types a duration or a byte count. Tags come
from mutagen (ID3 for MP3, MP4 atoms for M4A). The MP3 duration comes from our own scan of the
MPEG frames: mutagen's length is only exact when the file starts with a Xing/Info/VBRI header;
for a VBR file without one it extrapolates the first frame's bitrate and can be off by a factor
of five. The scan also finds truncated and corrupt files.

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

MIME_MP3 = "audio/mpeg"
MIME_M4A = "audio/x-m4a"
EXTENSIONS = {MIME_MP3: (".mp3",), MIME_M4A: (".m4a", ".mp4", ".m4b")}


class AudioProblem(Exception):
    """Something the author must fix in an audio file: what is wrong and how to fix it."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class Chapter:
    start: float  # seconds
    title: str
    end: float | None = None
    url: str | None = None


@dataclass(frozen=True)
class Cover:
    mime: str  # image/jpeg or image/png
    data: bytes = field(repr=False)


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

    @property
    def seconds(self) -> int:
        """Whole seconds, rounded: what itunes:duration says."""
        return int(self.duration + 0.5)

    def to_json(self) -> dict:
        data = asdict(self)
        data["cover"] = (
            {"mime": self.cover.mime, "data": self.cover.data.hex()} if self.cover else None
        )
        return data

    @classmethod
    def from_json(cls, data: dict) -> AudioFacts:
        data = dict(data)
        cover = data.pop("cover")
        chapters = tuple(Chapter(**c) for c in data.pop("chapters"))
        return cls(
            **data,
            chapters=chapters,
            cover=Cover(cover["mime"], bytes.fromhex(cover["data"])) if cover else None,
        )


def read_audio_facts(data: bytes, name: str = "") -> AudioFacts:
    """The facts of one audio file, given its bytes (``name`` only improves messages)."""
    if not data:
        raise AudioProblem(
            "the file is empty (0 bytes)", "export the episode again and replace the file"
        )
    if _looks_like_mp4(data):
        facts = _mp4_facts(data)
    elif _looks_like_mp3(data):
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

_BITRATES = {  # kbit/s by (MPEG-1?, layer), index 1..14
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


@dataclass(frozen=True)
class _Frame:
    length: int  # bytes
    samples: int
    sample_rate: int
    mpeg1: bool
    mono: bool


def _frame_at(data: bytes, pos: int) -> _Frame | None:
    """The MPEG audio frame whose header starts at ``pos``, or None if there is none."""
    if pos + 4 > len(data) or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    b1, b2, b3 = data[pos + 1], data[pos + 2], data[pos + 3]
    version = (b1 >> 3) & 3  # 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5, 1 reserved
    layer = 4 - ((b1 >> 1) & 3)  # 4 = reserved
    bitrate_index = b2 >> 4
    rate_index = (b2 >> 2) & 3
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    bitrate = _BITRATES[(mpeg1, layer)][bitrate_index - 1] * 1000
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = (b2 >> 1) & 1
    if layer == 1:
        length = (12 * bitrate // sample_rate + padding) * 4
        samples = 384
    elif layer == 2 or mpeg1:
        length = 144 * bitrate // sample_rate + padding
        samples = 1152
    else:
        length = 72 * bitrate // sample_rate + padding
        samples = 576
    return _Frame(length, samples, sample_rate, mpeg1, (b3 >> 6) == 3)


def _id3v2_size(data: bytes, pos: int = 0) -> int:
    if data[pos : pos + 3] != b"ID3" or len(data) < pos + 10:
        return 0
    size = 0
    for byte in data[pos + 6 : pos + 10]:
        size = (size << 7) | (byte & 0x7F)
    footer = 10 if data[pos + 5] & 0x10 else 0
    return 10 + size + footer


def _audio_end(data: bytes) -> int:
    """Where the audio frames end: before an ID3v1, APEv2 or Lyrics3 tag at the end."""
    end = len(data)
    if end >= 128 and data[end - 128 : end - 125] == b"TAG":
        end -= 128
    if end >= 32 and data[end - 32 : end - 24] == b"APETAGEX":
        size, flags = struct.unpack("<I4xI", data[end - 20 : end - 8])
        end -= size + (32 if flags & 0x80000000 else 0)
    if end >= 15 and data[end - 9 : end] == b"LYRICS200":
        end -= int(data[end - 15 : end - 9] or b"0") + 15
    return max(end, 0)


def _first_frame(data: bytes, start: int, end: int, chain: int = 3) -> int | None:
    """The first offset from ``start`` where ``chain`` valid frames follow each other."""
    pos = data.find(b"\xff", start, end)
    while pos != -1:
        cursor, found = pos, 0
        while found < chain:
            frame = _frame_at(data, cursor)
            if frame is None or cursor + frame.length > end:
                break
            cursor += frame.length
            found += 1
            if cursor == end:
                found = chain  # a very short file: the chain reached the end exactly
        if found >= chain:
            return pos
        pos = data.find(b"\xff", pos + 1, end)
    return None


def _looks_like_mp3(data: bytes) -> bool:
    start = _id3v2_size(data)
    end = _audio_end(data)
    return start < end and _first_frame(data, start, min(end, start + 64 * 1024)) is not None


def _vbr_header_frames(data: bytes, pos: int, frame: _Frame) -> int | None:
    """Frame count from a Xing/Info or VBRI header in the frame at ``pos`` (-1: no count)."""
    side_info = (32 if not frame.mono else 17) if frame.mpeg1 else (17 if not frame.mono else 9)
    xing = pos + 4 + side_info
    if data[xing : xing + 4] in (b"Xing", b"Info"):
        (flags,) = struct.unpack(">I", data[xing + 4 : xing + 8])
        return struct.unpack(">I", data[xing + 8 : xing + 12])[0] if flags & 1 else -1
    if data[pos + 36 : pos + 40] == b"VBRI":
        return struct.unpack(">I", data[pos + 50 : pos + 54])[0]
    return None


@dataclass(frozen=True)
class MpegScan:
    duration: float
    frames: int
    header_frames: int | None  # frame count a Xing/Info/VBRI header claims, if any
    junk: int  # bytes between frames that were not audio


_UNSEEN = object()


def _seconds(samples: dict[int, int]) -> float:
    return sum(count / rate for rate, count in samples.items())


def scan_mpeg_frames(data: bytes) -> MpegScan:
    """Walk every MPEG frame header (a linear scan) and add up the samples.

    This is what a player does when it plays the file, so the result is true to the audio
    whatever the bitrate mode. Raises AudioProblem for truncated or corrupt files.
    """
    start = _id3v2_size(data)
    end = _audio_end(data)
    pos = _first_frame(data, start, end)
    if pos is None:
        raise AudioProblem(
            "no MPEG audio frames found: the file is not an MP3 or it is damaged",
            "export the episode as MP3 again and replace the file",
        )
    first = _frame_at(data, pos)
    header_frames = _vbr_header_frames(data, pos, first)
    if header_frames is not None:
        pos += first.length  # the header frame holds no audio
    # A file repeats a handful of distinct frame headers thousands of times: decode each
    # header once, and add up samples per sample rate (exact integers) instead of seconds.
    decoded: dict[bytes, _Frame | None] = {}
    samples: dict[int, int] = {}
    frames = junk = 0
    while pos < end:
        header = data[pos : pos + 4]
        frame = decoded.get(header, _UNSEEN)
        if frame is _UNSEEN:
            frame = decoded[header] = _frame_at(data, pos)
        if frame is not None and pos + frame.length <= end:
            samples[frame.sample_rate] = samples.get(frame.sample_rate, 0) + frame.samples
            frames += 1
            pos += frame.length
            continue
        if frame is not None:  # a frame header whose frame runs past the end of the file
            raise AudioProblem(
                f"the file is truncated: its last frame misses {pos + frame.length - end} "
                f"bytes after {_seconds(samples):.1f} s of audio",
                "the upload or export was cut short; export or copy the file again",
            )
        following = _first_frame(data, pos + 1, end, chain=2)
        if following is None:  # trailing bytes that are no frame (an unknown tag, padding)
            junk += end - pos
            break
        junk += following - pos
        pos = following
    if frames == 0:
        raise AudioProblem(
            "the file has no audio frames", "export the episode as MP3 again and replace the file"
        )
    if junk > max(4096, (end - start) // 100):
        raise AudioProblem(
            f"the file is damaged: {junk} bytes between the audio frames are not audio",
            "export the episode as MP3 again and replace the file",
        )
    if header_frames and header_frames > 0 and frames < header_frames - 1:
        raise AudioProblem(
            f"the file is truncated: its header announces {header_frames} frames but only "
            f"{frames} are present",
            "the upload or export was cut short; export or copy the file again",
        )
    return MpegScan(_seconds(samples), frames, header_frames, junk)


def _text(frame) -> str:
    return author_text(str(frame.text[0])).strip() if frame is not None and frame.text else ""


def _track(value: str) -> tuple[int | None, int | None]:
    number, _, total = value.partition("/")
    return (
        int(number) if number.strip().isdigit() else None,
        int(total) if total.strip().isdigit() else None,
    )


def _id3_chapters(tags: ID3) -> tuple[Chapter, ...]:
    chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
    order: list[str] = []
    for toc in tags.getall("CTOC"):  # the top-level table of contents gives the order
        if toc.flags & 2:
            order = [child for child in toc.child_element_ids if child in chaps]
            break
    if not order:
        order = sorted(chaps, key=lambda key: (chaps[key].start_time, key))
    chapters = []
    for element_id in order:
        chap = chaps[element_id]
        title = _text(chap.sub_frames.get("TIT2")) or element_id
        links = [f.url for f in chap.sub_frames.getall("WXXX")] if chap.sub_frames else []
        end = chap.end_time / 1000 if chap.end_time not in (None, 0xFFFFFFFF) else None
        chapters.append(Chapter(chap.start_time / 1000, title, end, links[0] if links else None))
    return tuple(chapters)


def _id3_cover(tags: ID3) -> Cover | None:
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
        sha256=hashlib.sha256(data).hexdigest(),
        title=_text(tags.get("TIT2")),
        album=_text(tags.get("TALB")),
        artist=_text(tags.get("TPE1")),
        comment=_text(comment),
        date=str(date.text[0]) if date and date.text else "",
        track=track,
        track_total=total,
        chapters=_id3_chapters(tags),
        cover=_id3_cover(tags),
    )


# --- M4A ----------------------------------------------------------------------------------


def _looks_like_mp4(data: bytes) -> bool:
    return data[4:8] == b"ftyp"


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
        sha256=hashlib.sha256(data).hexdigest(),
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
