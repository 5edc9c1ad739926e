"""Audio files made on the spot for the podcast tests: lameenc encodes, mutagen tags.

Nothing is downloaded. The signal alternates silence and a noisy tone every second, so a VBR
encoder really varies its bitrate (and mutagen's first-frame estimate really goes wrong).
"""

from __future__ import annotations

import io
import math
import random
import struct
from pathlib import Path

import lameenc
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TDRC,
    TIT2,
    TPE1,
    TRCK,
    WXXX,
    CTOCFlags,
)
from PIL import Image

SAMPLE_RATE = 44100


def pcm(seconds: float, sample_rate: int = SAMPLE_RATE, seed: int = 1) -> bytes:
    """Mono 16-bit PCM: one second of silence, one second of a noisy 440 Hz tone, and so on."""
    rnd = random.Random(seed)
    count = int(seconds * sample_rate)
    samples = [
        max(
            -32768,
            min(
                32767,
                int(9000 * math.sin(2 * math.pi * 440 * i / sample_rate))
                + rnd.randint(-7000, 7000),
            ),
        )
        if (i // sample_rate) % 2
        else 0
        for i in range(count)
    ]
    return struct.pack(f"<{count}h", *samples)


def encode(seconds: float, vbr: bool = False, bitrate: int = 64, seed: int = 1) -> bytes:
    """MPEG-1 Layer III frames, as lameenc writes them: no Xing/Info header."""
    return encode_pcm(pcm(seconds, seed=seed), vbr=vbr, bitrate=bitrate)


def encode_pcm(samples: bytes, vbr: bool = False, bitrate: int = 64) -> bytes:
    """Mono 16-bit PCM at 44.1 kHz as MPEG-1 Layer III frames (no Xing/Info header)."""
    encoder = lameenc.Encoder()
    encoder.set_channels(1)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_out_sample_rate(SAMPLE_RATE)
    if vbr:
        encoder.set_vbr(4)
        encoder.set_vbr_quality(2)
    else:
        encoder.set_bit_rate(bitrate)
    encoder.set_quality(7)
    return bytes(encoder.encode(samples) + encoder.flush())


def frame_lengths(data: bytes) -> list[int]:
    """Byte length of each frame of a headerless MPEG-1 Layer III stream (44.1 kHz)."""
    rates = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
    lengths, pos = [], 0
    while pos + 4 <= len(data):
        assert data[pos] == 0xFF, f"lost sync at {pos}"
        bitrate = rates[data[pos + 2] >> 4] * 1000
        length = 144 * bitrate // SAMPLE_RATE + ((data[pos + 2] >> 1) & 1)
        lengths.append(length)
        pos += length
    return lengths


def with_xing(frames: bytes) -> bytes:
    """Put a Xing header frame (frame and byte counts) in front of headerless MPEG frames."""
    count = len(frame_lengths(frames))
    # A 128 kbit/s mono MPEG-1 Layer III frame (417 bytes) carries the header.
    header = bytes([0xFF, 0xFB, 0x90, 0xC4])
    body = bytearray(417 - 4)
    xing = 17  # side information of an MPEG-1 mono frame
    body[xing : xing + 16] = b"Xing" + struct.pack(">III", 3, count, len(frames) + 417)
    return header + bytes(body) + frames


def strip_first_frame(data: bytes) -> bytes:
    """Remove the first frame (where a Xing/Info header lives) of a bare MPEG stream."""
    return data[frame_lengths(data)[0] :]


def cover_jpeg(
    size: int = 1400, color=(200, 80, 40), mode: str = "RGB", fmt: str = "JPEG"
) -> bytes:
    image = Image.new(mode, (size, size) if isinstance(size, int) else size, color)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def tag(
    audio: bytes,
    title: str = "",
    album: str = "",
    artist: str = "",
    comment: str = "",
    track: str = "",
    date: str = "",
    chapters: list[tuple] | None = None,
    cover: bytes | None = None,
    hidden: tuple[int, ...] = (),
) -> bytes:
    """Audio bytes with an ID3v2.4 tag in front.

    ``chapters``: (start, end, title) or (start, end, title, {"url": …, "image": jpeg bytes});
    the chapters whose index is in ``hidden`` are left out of the table of contents (CTOC).
    """
    tags = ID3()
    for frame_class, value in (
        (TIT2, title),
        (TALB, album),
        (TPE1, artist),
        (TRCK, track),
        (TDRC, date),
    ):
        if value:
            tags.add(frame_class(encoding=3, text=[value]))
    if comment:
        tags.add(COMM(encoding=3, lang="nld", desc="", text=[comment]))
    if cover:
        tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="cover", data=cover))
    if chapters:
        ids = [f"ch{i}" for i in range(len(chapters))]
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=[key for i, key in enumerate(ids) if i not in hidden],
                sub_frames=[TIT2(text=["Hoofdstukken"])],
            )
        )
        for element_id, (start, end, title_, *more) in zip(ids, chapters, strict=True):
            extra = more[0] if more else {}
            sub_frames = [TIT2(encoding=3, text=[title_])]
            if extra.get("url"):
                sub_frames.append(WXXX(encoding=3, desc="", url=extra["url"]))
            if extra.get("image"):
                sub_frames.append(
                    APIC(encoding=3, mime="image/jpeg", type=0, desc="", data=extra["image"])
                )
            tags.add(
                CHAP(
                    element_id=element_id,
                    start_time=int(start * 1000),
                    end_time=int(end * 1000),
                    sub_frames=sub_frames,
                )
            )
    buffer = io.BytesIO(audio)
    buffer.seek(0)
    out = io.BytesIO()
    tags.save(out, v2_version=4, padding=lambda info: 0)
    return out.getvalue() + audio


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _atom(kind: bytes, *children: bytes) -> bytes:
    body = b"".join(children)
    return struct.pack(">I", 8 + len(body)) + kind + body


def m4a(
    seconds: float,
    title: str = "",
    album: str = "",
    track: tuple[int, int] | None = None,
    comment: str = "",
    cover: bytes | None = None,
) -> bytes:
    """A minimal M4A (MP4) file: the atoms a podcast app and mutagen read for type, duration and
    tags. No AAC encoder is available offline, so the media data is silence-sized filler; the
    duration lives where every MP4 reader takes it from, the sound track's mdhd atom."""
    timescale = 44100
    duration = int(seconds * timescale)
    full = b"\x00\x00\x00\x00"  # version 0, flags 0
    mvhd = _atom(b"mvhd", full + struct.pack(">IIII", 0, 0, timescale, duration) + bytes(80))
    mdhd = _atom(b"mdhd", full + struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))
    hdlr = _atom(b"hdlr", full + b"\x00\x00\x00\x00soun" + bytes(12) + b"SoundHandler\x00")
    moov = _atom(b"moov", mvhd, _atom(b"trak", _atom(b"mdia", mdhd, hdlr)))
    ftyp = _atom(b"ftyp", b"M4A \x00\x00\x02\x00M4A isomiso2")
    mdat = _atom(b"mdat", bytes(int(seconds * 2000)))
    data = ftyp + moov + mdat
    from mutagen.mp4 import MP4, MP4Cover

    buffer = io.BytesIO(data)
    audio = MP4(buffer)
    audio.add_tags()
    if title:
        audio.tags["\xa9nam"] = [title]
    if album:
        audio.tags["\xa9alb"] = [album]
    if comment:
        audio.tags["\xa9cmt"] = [comment]
    if track:
        audio.tags["trkn"] = [track]
    if cover:
        audio.tags["covr"] = [MP4Cover(cover, imageformat=MP4Cover.FORMAT_JPEG)]
    buffer.seek(0)
    audio.save(buffer)
    return buffer.getvalue()
