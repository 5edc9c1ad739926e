"""The MPEG audio frames of an MP3, walked one by one: the true duration, where the audio starts
and ends, whether it is VBR and has a seek header, and whether it is whole.

A linear scan over every frame header is what a player does when it plays the file, so the
result is true to the audio whatever the bitrate mode; it also finds truncated and corrupt files.
The audio starts after any number of ID3v2 tags and ends before an ID3v1, APEv2 or Lyrics3 tag.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


class AudioProblem(Exception):
    """Something the author must fix in an audio file: what is wrong and how to fix it."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


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


def _audio_start(data: bytes) -> int:
    """Where the audio may start: after every ID3v2 tag at the front (and the zero padding an
    editor may leave beyond a tag's declared size)."""
    pos = 0
    while size := _id3v2_size(data, pos):
        pos += size
        following = pos
        while following < len(data) and data[following] == 0:
            following += 1
        if data[following : following + 3] == b"ID3":
            pos = following
    return pos


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


def looks_like_mp3(data: bytes) -> bool:
    """Whether MPEG audio frames follow the ID3v2 tags (searched 64 KB past the last one)."""
    start = _audio_start(data)
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
    audio: tuple[int, int] = (0, 0)  # first and past-last byte of the audio frames
    vbr: bool = False  # frames of more than one bitrate


_UNSEEN = object()


def _seconds(samples: dict[int, int]) -> float:
    return sum(count / rate for rate, count in samples.items())


def scan_mpeg_frames(data: bytes) -> MpegScan:
    """Walk every MPEG frame header (a linear scan) and add up the samples.

    This is what a player does when it plays the file, so the result is true to the audio
    whatever the bitrate mode. Raises AudioProblem for truncated or corrupt files.
    """
    start = _audio_start(data)
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
    audio_start = pos
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
    # Each distinct header was decoded once: more than one bitrate among them means VBR.
    bitrates = {header[2] >> 4 for header, frame in decoded.items() if frame is not None}
    return MpegScan(
        _seconds(samples), frames, header_frames, junk, (audio_start, pos), len(bitrates) > 1
    )
