"""Audio files that are odd or hostile (issue 7's audio corpus): each ends in true facts or a
clear problem, never a traceback. The ordinary bad-input cases are in test_podcast.py."""

from __future__ import annotations

import io
import struct
import sys
import wave
from pathlib import Path

import pytest
from mutagen.id3 import ID3, TIT2, TPE1

from plugins.core.urls import absolute_url
from plugins.podcast.chapters import check_chapters
from plugins.podcast.facts import AudioProblem, read_audio_facts
from tests import audio_fixtures as af

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from synthetic_site import SAMPLE_RATE, SAMPLES_PER_FRAME, frame  # noqa: E402

SECONDS = 6.0


@pytest.fixture(scope="module")
def mp3() -> bytes:
    return af.encode(SECONDS, bitrate=64, seed=21)


def wav_bytes(seconds: float = 1.0) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(b"\x00\x01" * int(22050 * seconds))
    return buffer.getvalue()


def test_a_wav_file_named_mp3_is_not_audio_we_publish():
    with pytest.raises(AudioProblem, match="not an MP3") as caught:
        read_audio_facts(wav_bytes(), "les.mp3")
    assert caught.value.fix


def test_a_huge_embedded_cover_does_not_change_the_audio_facts(mp3):
    huge = af.cover_jpeg(3000, color=(1, 2, 3)) + b"\x00" * 6_000_000  # ~6 MB APIC frame
    data = af.tag(mp3, title="Grote hoes", cover=huge)
    facts = read_audio_facts(data, "grote-hoes.mp3")
    assert facts.size == len(data) and abs(facts.duration - SECONDS) < 0.5
    assert facts.title == "Grote hoes"


@pytest.mark.parametrize(
    ("chapters", "problem"),
    [
        ([(0, 3, "Begin"), (2, SECONDS, "Overlapt")], None),  # overlap is allowed by ID3, ordered
        ([(0, 3, "Begin"), (SECONDS + 30, SECONDS + 40, "Na het einde")], "after the end"),
        # The table of contents (CTOC) lists a later chapter first: a clear problem, not a guess.
        ([(4, 5, "Later"), (1, 2, "Eerder")], "not after"),
    ],
)
def test_malformed_chapter_frames(mp3, chapters, problem):
    facts = read_audio_facts(af.tag(mp3, title="Hoofdstukken", chapters=chapters), "h.mp3")
    assert [c.title for c in facts.chapters] == [title for _, _, title in chapters]
    if problem:
        with pytest.raises(AudioProblem, match=problem):
            check_chapters(facts.chapters, facts.duration)
    else:
        check_chapters(facts.chapters, facts.duration)


@pytest.mark.parametrize("encoding", [0, 1, 2, 3])  # latin-1, UTF-16, UTF-16BE, UTF-8
def test_tags_in_every_id3_text_encoding(mp3, encoding):
    title = "Één café" if encoding == 0 else "Één café ☕ עברית"
    tags = ID3()
    tags.add(TIT2(encoding=encoding, text=[title]))
    tags.add(TPE1(encoding=encoding, text=["Sanne de Wit"]))
    out = io.BytesIO()
    tags.save(out, v2_version=4 if encoding in (2, 3) else 3, padding=lambda info: 0)
    facts = read_audio_facts(out.getvalue() + mp3, "codering.mp3")
    assert facts.title == title and facts.artist == "Sanne de Wit"


def test_file_names_with_spaces_diacritics_and_hash_are_percent_encoded():
    url = absolute_url("https://example.org", "audio/les #3 één & zo.mp3")
    # "&" may stand in a path (RFC 3986); "#" would start a fragment, so it is encoded
    assert url == "https://example.org/audio/les%20%233%20%C3%A9%C3%A9n%20&%20zo.mp3"
    assert url.isascii() and "#" not in url


def test_a_two_hour_episode_is_measured_exactly():
    frames = int(2 * 3600 * SAMPLE_RATE / SAMPLES_PER_FRAME)
    audio = b"".join(frame(4, padding=i % 2) for i in range(frames))
    facts = read_audio_facts(audio, "twee-uur.mp3")
    assert facts.duration == pytest.approx(frames * SAMPLES_PER_FRAME / SAMPLE_RATE, abs=0.01)
    assert abs(facts.duration - 7200) < 0.5
    assert facts.seconds == 7200


def test_random_bytes_after_a_valid_header_are_damage_not_audio():
    header = struct.pack(">I", 0xFFF34000)  # one plausible frame header, then noise
    noise = bytes((i * 7919) % 251 for i in range(200_000))
    with pytest.raises(AudioProblem):
        read_audio_facts(header + noise, "ruis.mp3")
