"""The defects an independent audit of the podcast plugin found (issue 16), one test each,
on audio made on the spot: two ID3v2 tags, tag edits and identity, stale cached facts, chapter
art and hidden chapters, chapter links, VBR without a seek header."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image, ImageFilter

from plugins.podcast import cache as facts_cache
from plugins.podcast.chapters import chapter_images, chapters_document, link_problems, visible
from plugins.podcast.facts import read_audio_facts
from tests import audio_fixtures as af

SECONDS = 6.0


@pytest.fixture(scope="module")
def mp3() -> bytes:
    return af.encode(SECONDS, bitrate=64, seed=31)


def test_audio_after_two_id3v2_tags_with_a_large_cover(mp3):
    """Defect 1: a second ID3v2 tag holding a 1.3 MB cover hid the audio from the frame search."""
    big_cover = af.cover_jpeg(1400) + b"\x00" * 1_300_000
    data = af.tag(af.tag(mp3, cover=big_cover), title="Twee tags")
    assert data.count(b"ID3\x04") >= 2
    facts = read_audio_facts(data, "twee-tags.mp3")
    assert abs(facts.duration - SECONDS) < 0.5 and facts.size == len(data)
    assert facts.title == "Twee tags"
    # zero padding beyond the first tag's declared size, then the second tag
    first = af.tag(b"", title="Met opvulling")
    padded = first + b"\x00" * 500 + af.tag(mp3, cover=big_cover)
    assert abs(read_audio_facts(padded, "x.mp3").duration - SECONDS) < 0.5


def test_identity_hash_covers_the_audio_only(mp3):
    """Defect 2: retagging (title, cover, a second tag, an ID3v1 tag) keeps the identity."""
    plain = read_audio_facts(mp3, "a.mp3").sha256
    retagged = [
        af.tag(mp3, title="Les 1"),
        af.tag(mp3, title="Les 1: nieuwe titel", cover=af.cover_jpeg(1400)),
        af.tag(af.tag(mp3, comment="x"), title="twee tags"),
        af.tag(mp3, title="v1 erachter") + b"TAG" + bytes(125),
        af.with_xing(mp3),  # a seek header added (the fix for defect 10) is no new audio
    ]
    for data in retagged:
        assert read_audio_facts(data, "a.mp3").sha256 == plain
    other = af.encode(SECONDS, bitrate=64, seed=32)
    assert read_audio_facts(other, "a.mp3").sha256 != plain
    m4a = read_audio_facts(af.m4a(5, title="Een"), "a.m4a").sha256
    assert read_audio_facts(af.m4a(5, title="Andere titel", album="x"), "a.m4a").sha256 == m4a
    assert read_audio_facts(af.m4a(6, title="Een"), "a.m4a").sha256 != m4a


def _retitle_in_place(path: Path, old: str, new: str) -> None:
    """A tag editor's in-place edit: same size, modification time put back."""
    stat = path.stat()
    data = path.read_bytes()
    assert len(old) == len(new) and data.count(old.encode()) == 1
    path.write_bytes(data.replace(old.encode(), new.encode()))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


@pytest.mark.parametrize("verify", [False, True])
def test_an_edit_that_keeps_size_and_mtime_is_noticed(tmp_path, mp3, verify):
    """Defect 3: the cache key was path + size + mtime, which such an edit keeps."""
    audio = af.write(
        tmp_path / "les.mp3", af.tag(mp3, chapters=[(0, 3, "Welkom"), (3, SECONDS, "Einde")])
    )
    first = facts_cache.FactsCache(tmp_path / "cache", verify=verify)
    assert [c.title for c in first.facts(audio).chapters] == ["Welkom", "Einde"]
    first.save()
    _retitle_in_place(audio, "Welkom", "Hallo!")
    again = facts_cache.FactsCache(tmp_path / "cache", verify=verify).facts(audio)
    assert [c.title for c in again.chapters] == ["Hallo!", "Einde"]


def test_a_strict_build_checks_the_bytes_even_when_every_stat_field_matches(tmp_path, mp3):
    audio = af.write(tmp_path / "les.mp3", af.tag(mp3, title="Goed"))
    cache = facts_cache.FactsCache(tmp_path / "cache", verify=True)
    cache.facts(audio)
    cache.save()
    # Simulate a cache entry whose stat fields all match but whose content is another file's.
    stored = json.loads((tmp_path / "cache" / facts_cache.CACHE_FILE).read_text())
    (entry,) = stored["files"].values()
    entry["facts"]["title"] = "Verouderd"
    (tmp_path / "cache" / facts_cache.CACHE_FILE).write_text(json.dumps(stored))
    lenient = facts_cache.FactsCache(tmp_path / "cache").facts(audio)
    assert lenient.title == "Verouderd"  # what development trusts: the stat key
    entry["file_sha256"] = "0" * 64
    (tmp_path / "cache" / facts_cache.CACHE_FILE).write_text(json.dumps(stored))
    strict = facts_cache.FactsCache(tmp_path / "cache", verify=True).facts(audio)
    assert strict.title == "Goed"


def test_chapter_art_and_hidden_chapters(tmp_path, mp3):
    """Defect 4: an APIC inside a CHAP gives the chapter's img; a CHAP the CTOC does not list
    is kept with "toc": false."""
    art = af.cover_jpeg(600, color=(1, 90, 200))
    data = af.tag(
        mp3,
        chapters=[
            (0, 2, "Intro"),
            (2, 4, "Stil", {"image": art}),
            (4, SECONDS, "Slot", {"image": art, "url": "https://example.org/slot"}),
        ],
        hidden=(1,),
    )
    facts = read_audio_facts(data, "les.mp3")
    assert [(c.title, c.toc) for c in facts.chapters] == [
        ("Intro", True),
        ("Stil", False),
        ("Slot", True),
    ]
    assert facts.chapters[1].image.data == art and facts.chapters[1].image.mime == "image/jpeg"
    assert [c.title for c in visible(facts.chapters)] == ["Intro", "Slot"]
    document = chapters_document(facts.chapters, "https://example.org/les-1/")
    assert document["chapters"] == [
        {"startTime": 0, "title": "Intro", "endTime": 2},
        {
            "startTime": 2,
            "title": "Stil",
            "endTime": 4,
            "img": "https://example.org/les-1/chapter-2.jpg",
            "toc": False,
        },
        {
            "startTime": 4,
            "title": "Slot",
            "endTime": SECONDS,
            "img": "https://example.org/les-1/chapter-3.jpg",
            "url": "https://example.org/slot",
        },
    ]
    assert [name for name, _ in chapter_images(facts.chapters)] == [
        "chapter-2.jpg",
        "chapter-3.jpg",
    ]
    # the cache keeps chapter art beside its JSON, like covers
    audio = af.write(tmp_path / "les.mp3", data)
    cold = facts_cache.FactsCache(tmp_path / "cache")
    assert cold.facts(audio) == facts
    cold.save()
    assert facts_cache.FactsCache(tmp_path / "cache").facts(audio) == facts


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//example.org/zonder-schema",
        "https://",
    ],
)
def test_chapter_links_that_are_not_http_are_reported_and_left_out(mp3, url):
    """Defect 5: a WXXX link of javascript: went into chapters.json."""
    data = af.tag(mp3, chapters=[(0, 3, "Link", {"url": url}), (3, SECONDS, "Goed")])
    facts = read_audio_facts(data, "les.mp3")
    document = chapters_document(facts.chapters, "https://example.org/les/")
    assert all("url" not in chapter for chapter in document["chapters"])
    (problem,) = link_problems(facts.chapters)
    assert "'Link'" in problem[0] and "not an http(s) address" in problem[0]
    assert "https://" in problem[1]


def test_vbr_without_a_seek_header_is_flagged(mp3):
    """Defect 10: durations are right, but players seek badly: the facts say so."""
    vbr = af.encode(SECONDS * 2, vbr=True, seed=33)
    assert read_audio_facts(vbr, "vbr.mp3").vbr_without_header is True
    assert read_audio_facts(af.with_xing(vbr), "vbr.mp3").vbr_without_header is False
    assert read_audio_facts(mp3, "cbr.mp3").vbr_without_header is False  # CBR seeks fine


def noisy_cover(size: int = 3000) -> bytes:
    """A photo-like cover saved at quality 100: several MB at 3000×3000."""
    channels = [
        Image.effect_noise((size, size), 40).filter(ImageFilter.GaussianBlur(2)) for _ in range(3)
    ]
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=100)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def big_cover() -> bytes:
    data = noisy_cover()
    assert len(data) > 2_000_000
    return data


def test_show_artwork_above_512_kb_is_a_warning_with_the_fix(tmp_path, big_cover):
    """Defect 8: a 9 MB show cover passed without a word."""
    from plugins.podcast.shows import Show, check_show

    af.write(tmp_path / "groot.jpg", big_cover)
    show = Show("x", "X", "d", "a", "o", "o@example.org", "groot.jpg", "Education")
    (problem,) = check_show(show, 'PODCAST_SHOWS["x"]', tmp_path)
    assert problem.warning and problem.setting == 'PODCAST_SHOWS["x"]["artwork"]'
    assert "Apple recommends at most 512 KB" in problem.message
    assert "PODCAST_OPTIMISE_ARTWORK = True" in problem.fix


def test_an_id3_cover_above_512_kb_is_a_warning(mp3, big_cover):
    from plugins.podcast.episode_rules import audio_notices

    facts = read_audio_facts(af.tag(mp3, cover=big_cover), "les.mp3")
    (notice,) = [n for n in audio_notices(facts, "audio/les.mp3") if "cover" in n.message]
    assert notice.warning and "512 KB" in notice.message


def test_the_optimised_copy_fits_and_keeps_its_size_in_pixels(big_cover, tmp_path):
    from plugins.podcast.artwork import optimised_jpeg
    from plugins.podcast.shows import check_artwork

    small = optimised_jpeg(big_cover)
    assert len(small) <= 512 * 1024
    copy = af.write(tmp_path / "klein.jpg", small)
    assert check_artwork(copy) is None  # still square, 1400–3000 px, RGB, a real JPEG
    assert Image.open(copy).size == (3000, 3000)  # quality gave way, not pixels
    noise = Image.effect_noise((3000, 3000), 120).convert("RGB")  # incompressible: pixels go
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert Image.open(io.BytesIO(optimised_jpeg(buffer.getvalue()))).size[0] >= 1400
