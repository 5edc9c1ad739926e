"""Unit tests of the podcast plugin's pure parts: audio facts, GUIDs, chapters, shows, feed."""

from __future__ import annotations

import io
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import mutagen.mp3
import pytest
from lxml import etree

from plugins.core.urls import absolute_url as absolute
from plugins.podcast import cache as facts_cache
from plugins.podcast.chapters import chapters_document, check_chapters
from plugins.podcast.episodes import (
    MetadataProblem,
    absolute_links,
    audio_source,
    clock,
    explicit_flag,
    positive_int,
    subscribe_links,
)
from plugins.podcast.facts import (
    AudioFacts,
    AudioProblem,
    Chapter,
    read_audio_facts,
    scan_mpeg_frames,
)
from plugins.podcast.feed import FeedItem, build_feed
from plugins.podcast.guid import EpisodeIdentity, assign_guids, podcast_guid
from plugins.podcast.settings import read_settings
from plugins.podcast.shows import Show, apple_categories, check_artwork, check_show
from plugins.podcast.transcripts import read_cues
from tests import audio_fixtures as af

SECONDS = 8.0


@pytest.fixture(scope="module")
def cbr() -> bytes:
    return af.encode(SECONDS, bitrate=64)


@pytest.fixture(scope="module")
def vbr() -> bytes:
    return af.encode(SECONDS * 2, vbr=True, seed=5)


# --- Audio facts ----------------------------------------------------------------------------


def test_cbr_duration_size_and_type(cbr):
    facts = read_audio_facts(cbr, "les.mp3")
    assert facts.mime == "audio/mpeg"
    assert facts.size == len(cbr)
    assert abs(facts.duration - SECONDS) < 0.5
    assert facts.seconds == round(SECONDS)


def test_vbr_without_xing_header_is_counted_frame_by_frame(vbr):
    """mutagen extrapolates the first frame's bitrate; the frame count is the truth."""
    assert b"Xing" not in vbr[:1000] and b"Info" not in vbr[:1000] and b"VBRI" not in vbr[:1000]
    guessed = mutagen.mp3.MP3(io.BytesIO(vbr)).info.length
    assert abs(guessed - SECONDS * 2) > 2, "the fixture must fool a header-based estimate"
    facts = read_audio_facts(vbr, "les.mp3")
    assert abs(facts.duration - SECONDS * 2) < 0.5


def test_vbr_with_xing_header_and_after_stripping_it(vbr):
    with_header = af.with_xing(vbr)
    assert abs(mutagen.mp3.MP3(io.BytesIO(with_header)).info.length - SECONDS * 2) < 0.5
    scan = scan_mpeg_frames(with_header)
    assert scan.header_frames == len(af.frame_lengths(vbr))
    assert abs(read_audio_facts(with_header, "x.mp3").duration - SECONDS * 2) < 0.5
    stripped = af.strip_first_frame(with_header)
    assert stripped == vbr
    assert abs(read_audio_facts(stripped, "x.mp3").duration - SECONDS * 2) < 0.5


def test_tags_chapters_and_cover(cbr):
    cover = af.cover_jpeg(1400)
    data = af.tag(
        cbr,
        title="Les 2: doelen",
        album="Succesvollere communities",
        artist="Sanne",
        comment="Over doelen.",
        track="2/4",
        date="2026-11-02",
        chapters=[(0, 3, "Intro"), (3, 6.5, "Doelen"), (6.5, SECONDS, "Huiswerk")],
        cover=cover,
    )
    facts = read_audio_facts(data, "les-2.mp3")
    assert (facts.title, facts.album, facts.artist, facts.comment) == (
        "Les 2: doelen",
        "Succesvollere communities",
        "Sanne",
        "Over doelen.",
    )
    assert (facts.track, facts.track_total, facts.date) == (2, 4, "2026-11-02")
    assert [(c.start, c.title, c.end) for c in facts.chapters] == [
        (0.0, "Intro", 3.0),
        (3.0, "Doelen", 6.5),
        (6.5, "Huiswerk", SECONDS),
    ]
    assert facts.cover.mime == "image/jpeg" and facts.cover.data == cover
    assert abs(facts.duration - SECONDS) < 0.5  # the ID3 tag is not mistaken for audio
    assert AudioFacts.from_json(facts.to_json()) == facts


def test_trailing_id3v1_tag_is_not_audio(cbr):
    data = cbr + b"TAG" + bytes(125)
    facts = read_audio_facts(data, "x.mp3")
    assert abs(facts.duration - SECONDS) < 0.5


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("empty", lambda mp3: b"", "empty"),
        ("text", lambda mp3: b"Dit is geen audio, alleen tekst.\n" * 200, "not an MP3"),
        ("png", lambda mp3: af.cover_jpeg(20, fmt="PNG"), "not an MP3"),
        ("truncated", lambda mp3: mp3[: len(mp3) * 2 // 3 + 7], "truncated"),
        (
            "corrupt",
            lambda mp3: mp3[:20000] + random.Random(3).randbytes(30000) + mp3[50000:],
            "damaged",
        ),
    ],
)
def test_bad_audio_is_a_clear_problem(cbr, name, make, expected):
    with pytest.raises(AudioProblem) as caught:
        read_audio_facts(make(cbr), f"{name}.mp3")
    assert expected in caught.value.message
    assert caught.value.fix


def test_truncated_vbr_with_xing_header_is_found_even_at_a_frame_boundary(vbr):
    lengths = af.frame_lengths(vbr)
    cut = sum(lengths[: len(lengths) // 2])  # exactly between two frames
    with pytest.raises(AudioProblem, match="truncated"):
        read_audio_facts(af.with_xing(vbr)[: 417 + cut], "x.mp3")


def test_audio_with_the_wrong_extension(cbr):
    with pytest.raises(AudioProblem, match="an MP3 file but its name ends in .m4a") as caught:
        read_audio_facts(cbr, "les.m4a")
    assert "rename it to end in .mp3" in caught.value.fix


# --- Facts cache ----------------------------------------------------------------------------


def test_cache_reads_each_unchanged_file_once(tmp_path, cbr, monkeypatch):
    audio = af.write(tmp_path / "content" / "les 1.mp3", cbr)
    opened = []
    real_open = facts_cache.open_audio
    monkeypatch.setattr(
        facts_cache, "open_audio", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k)
    )
    first = facts_cache.FactsCache(tmp_path / "cache")
    facts = first.facts(audio)
    first.save()
    assert len(opened) == 1
    second = facts_cache.FactsCache(tmp_path / "cache")
    assert second.facts(audio) == facts
    assert len(opened) == 1, "an unchanged file must come from the cache"
    tagged = af.write(tmp_path / "content" / "les 2.mp3", af.tag(cbr, cover=af.cover_jpeg(1400)))
    with_cover = facts_cache.FactsCache(tmp_path / "cache")
    assert with_cover.facts(tagged).cover.mime == "image/jpeg"
    with_cover.facts(audio)
    with_cover.save()
    assert len(opened) == 2
    warm = facts_cache.FactsCache(tmp_path / "cache").facts(tagged)
    assert warm == read_audio_facts(tagged.read_bytes(), tagged.name)  # cover included
    assert len(opened) == 2
    assert len(list((tmp_path / "cache" / "podcast-covers").iterdir())) == 1
    opened.clear()
    audio.write_bytes(cbr[: len(cbr) - 418 * 3])  # changed size: read again
    assert facts_cache.FactsCache(tmp_path / "cache").facts(audio).size == len(cbr) - 418 * 3
    assert len(opened) == 1


# --- Identity -------------------------------------------------------------------------------


def test_podcast_guid_follows_the_podcast_index_rule():
    # The examples of the Podcast Index namespace documentation.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == (
        "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
    assert podcast_guid("https://podnews.net/rss") == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert podcast_guid("http://podnews.net/rss/") == podcast_guid("https://podnews.net/rss")


SHOW_GUID = str(uuid.uuid4())


def identity(source, audio, sha, explicit=""):
    return EpisodeIdentity(source, audio, sha, SHOW_GUID, explicit)


def test_guids_survive_retitle_and_renames():
    first = [identity("cursus/les-1.md", "audio/les-1.mp3", "aaa")]
    guids, registry = assign_guids(first, {})
    guid = guids["cursus/les-1.md"]
    assert guid == str(uuid.uuid5(uuid.UUID(SHOW_GUID), "cursus/les-1.md"))
    # a rebuild (retitled: the title is no input) → same GUID, registry unchanged
    assert assign_guids(first, registry) == (guids, registry)
    # the Markdown file renamed
    renamed = [identity("cursus/01-doelen.md", "audio/les-1.mp3", "aaa")]
    guids2, registry2 = assign_guids(renamed, registry)
    assert guids2 == {"cursus/01-doelen.md": guid}
    # then the MP3 renamed as well: recognised by its content
    both = [identity("cursus/les-een.md", "audio/les een.mp3", "aaa")]
    guids3, registry3 = assign_guids(both, registry2)
    assert guids3 == {"cursus/les-een.md": guid}
    assert registry3[guid]["source"] == "cursus/les-een.md"
    # a new episode next to it gets a new GUID
    more = both + [identity("cursus/les-2.md", "audio/les-2.mp3", "bbb")]
    guids4, _ = assign_guids(more, registry3)
    assert guids4["cursus/les-een.md"] == guid and guids4["cursus/les-2.md"] != guid


def test_explicit_guid_wins():
    guids, _ = assign_guids([identity("a.md", "a.mp3", "x", explicit="urn:mijn:1")], {})
    assert guids == {"a.md": "urn:mijn:1"}


# --- Chapters, transcripts, metadata ------------------------------------------------------


def test_chapters_document_and_checks():
    chapters = (Chapter(0, "Intro", 12.5), Chapter(12.5, "Kern", url="https://example.org/"))
    assert chapters_document(chapters) == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0, "title": "Intro", "endTime": 12.5},
            {"startTime": 12.5, "title": "Kern", "url": "https://example.org/"},
        ],
    }
    check_chapters(chapters, 60)
    with pytest.raises(AudioProblem, match="after the end"):
        check_chapters(chapters, 10)
    with pytest.raises(AudioProblem, match="not after"):
        check_chapters((Chapter(5, "b"), Chapter(2, "a")), 60)


def test_transcript_cues_from_vtt_and_srt():
    vtt = (
        "WEBVTT\n\nintro\n00:00:01.500 --> 00:00:03.000\nHallo <i>allemaal</i>\n\n"
        "01:02.000 --> 01:04.000\nTot slot\n"
    )
    assert [(c.start, c.text) for c in read_cues(vtt)] == [
        (1.5, "Hallo allemaal"),
        (62, "Tot slot"),
    ]
    srt = "1\r\n00:01:00,250 --> 00:01:02,000\r\nRegel één\r\nregel twee\r\n"
    assert [(c.start, c.text) for c in read_cues(srt)] == [(60.25, "Regel één regel twee")]


def test_metadata_values():
    assert positive_int("Episode", "3") == 3
    assert positive_int("Episode", None) is None
    for wrong in ("0", "-1", "twee", "1.5"):
        with pytest.raises(MetadataProblem):
            positive_int("Episode", wrong)
    assert explicit_flag("true") is True and explicit_flag("nee") is False
    with pytest.raises(MetadataProblem):
        explicit_flag("misschien")
    assert clock(62.6) == "1:03" and clock(62.6, rounded=False) == "1:02"
    assert clock(3723) == "1:02:03"


def test_audio_paths_stay_inside_the_content_folder(tmp_path):
    content = tmp_path / "content"
    af.write(content / "audio" / "les.mp3", b"x")
    af.write(content / "cursus" / "naast.mp3", b"x")
    af.write(tmp_path / "buiten.mp3", b"x")
    (content / "audio" / "link.mp3").symlink_to(tmp_path / "buiten.mp3")
    lessons = content / "cursus"
    for value, found in [
        ("audio/les.mp3", content / "audio" / "les.mp3"),
        ("/audio/les.mp3", content / "audio" / "les.mp3"),
        ("{static}/audio/les.mp3", content / "audio" / "les.mp3"),
        (str(content / "audio" / "les.mp3"), content / "audio" / "les.mp3"),
        ("naast.mp3", lessons / "naast.mp3"),  # next to the text
        ("../audio/les.mp3", lessons / "../audio/les.mp3"),  # from the text, still inside
        ("audio/weg.mp3", content / "audio" / "weg.mp3"),  # missing: reported by the caller
        ("/audio/weg.mp3", content / "audio" / "weg.mp3"),
    ]:
        assert audio_source(value, content, lessons) == found, value
    for value in (
        "../buiten.mp3",
        "../../etc/passwd",
        "../" * 40 + "etc/passwd",
        "/etc/passwd",
        str(tmp_path / "buiten.mp3"),
        "audio/link.mp3",
        "{static}/../buiten.mp3",
    ):
        with pytest.raises(MetadataProblem, match="is outside the content folder") as caught:
            audio_source(value, content, lessons)
        assert caught.value.field == "Audio" and "content/audio/" in caught.value.fix


def test_urls_are_percent_encoded_ascii():
    url = absolute("https://example.org", "audio/les 3 één.mp3")
    assert url == "https://example.org/audio/les%203%20%C3%A9%C3%A9n.mp3"
    assert url.isascii()
    html = '<p><a href="/les-1/">les</a> <img src="../images/x.png" alt=""> <a href="https://a.nl/">a</a></p>'
    assert absolute_links(html, "https://example.org/les-2/") == (
        '<p><a href="https://example.org/les-1/">les</a> '
        '<img src="https://example.org/images/x.png" alt=""> <a href="https://a.nl/">a</a></p>'
    )


def test_subscribe_links_open_the_feed_in_apps():
    links = dict(subscribe_links("https://example.org/podcast/x/feed.xml", "Show & zo"))
    assert links["Apple Podcasts"] == "podcast://example.org/podcast/x/feed.xml"
    assert links["AntennaPod"] == (
        "https://antennapod.org/deeplink/subscribe?url=https%3A%2F%2Fexample.org%2Fpodcast"
        "%2Fx%2Ffeed.xml&title=Show%20%26%20zo"
    )
    assert links["Overcast"].startswith("overcast://x-callback-url/add?url=https%3A%2F%2F")
    assert links["Pocket Casts"] == "pktc://subscribe/example.org/podcast/x/feed.xml"
    assert links["RSS"] == "https://example.org/podcast/x/feed.xml"


# --- Shows ------------------------------------------------------------------------------------


def show_settings(**changes) -> dict:
    values = {
        "title": "Cursus",
        "description": "Een cursus.",
        "author": "Sanne",
        "owner_name": "Sanne",
        "owner_email": "sanne@example.org",
        "artwork": "cover.jpg",
        "category": "Education",
        "subcategory": "Courses",
        "type": "serial",
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("image", "name", "expected"),
    [
        (lambda: af.cover_jpeg(1400), "cover.jpg", None),
        (lambda: af.cover_jpeg(3000, fmt="PNG"), "cover.png", None),
        (lambda: af.cover_jpeg(1000), "cover.jpg", "1000×1000"),
        (lambda: af.cover_jpeg(3200), "cover.jpg", "3200×3200"),
        (lambda: af.cover_jpeg((1400, 1500)), "cover.jpg", "not square"),
        (lambda: af.cover_jpeg(1400, mode="CMYK", color=(0, 0, 0, 0)), "cover.jpg", "CMYK"),
        (lambda: af.cover_jpeg(1400, mode="RGBA", fmt="PNG", color=(1, 2, 3, 4)), "c.png", "RGBA"),
        (lambda: af.cover_jpeg(1400, fmt="PNG"), "cover.jpg", "rename"),
        (lambda: af.cover_jpeg(1400, fmt="GIF"), "cover.gif", "GIF"),
        (lambda: b"geen plaatje", "cover.jpg", "not an image"),
    ],
)
def test_artwork_rules(tmp_path, image, name, expected):
    path = af.write(tmp_path / name, image())
    problem = check_artwork(path)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and expected in " ".join(problem)
    assert check_artwork(tmp_path / "missing.jpg")[0].endswith("does not exist")


def test_show_settings_and_problems(tmp_path):
    af.write(tmp_path / "cover.jpg", af.cover_jpeg(1400))
    settings = {
        "PATH": str(tmp_path),
        "SITEURL": "https://example.org",
        "DEFAULT_LANG": "nl",
        "PODCAST_SHOWS": {
            "goed": show_settings(),
            "fout": show_settings(category="Onderwijs", owner_email="geen-adres", kleur="rood"),
            "sub": show_settings(subcategory="Cooking"),
        },
    }
    podcast, problems = read_settings(settings)
    assert list(podcast.shows) == ["goed", "fout", "sub"]  # episodes still find their show
    show = podcast.shows["goed"]
    assert (show.language, show.serial, show.explicit, show.locked) == ("nl", True, False, True)
    assert podcast.feed_url(show) == "https://example.org/podcast/goed/feed.xml"
    messages = {p.setting: p.message for p in problems}
    assert messages['PODCAST_SHOWS["fout"]["kleur"]'] == "is not a show setting"
    assert messages['PODCAST_SHOWS["fout"]["category"]'] == (
        "'Onderwijs' is not one of Apple's podcast categories"
    )
    assert "not an e-mail address" in messages['PODCAST_SHOWS["fout"]["owner_email"]']
    assert "'Cooking' is not a subcategory" in messages['PODCAST_SHOWS["sub"]["subcategory"]']
    # directory checks belong to their show (they matter once it has episodes)
    assert {p.show for p in problems if p.setting.endswith('["category"]')} == {"fout"}
    assert not [p for p in problems if p.setting.startswith('PODCAST_SHOWS["goed"]')]
    incomplete, problems = read_settings({**settings, "PODCAST_SHOWS": {"x": {"title": "X"}}})
    assert not incomplete.shows
    assert 'PODCAST_SHOWS["x"]["artwork"]' in {p.setting for p in problems}
    # no absolute SITEURL: the feed is on the core's base URL (FEED_DOMAIN, the dev server)
    local, _ = read_settings({**settings, "SITEURL": ""})
    assert local.feed_url(local.shows["goed"]) == "http://127.0.0.1:8000/podcast/goed/feed.xml"
    # PODCAST_* settings are read the core's way: a wrong one names itself, the default is used
    wrong, problems = read_settings({**settings, "PODCAST_FEED_SAVE_AS": "feed.xml"})
    (problem,) = [p for p in problems if p.setting == "PODCAST_FEED_SAVE_AS"]
    assert "has no {show}" in problem.message and wrong.feed_save_as == "podcast/{show}/feed.xml"


def test_categories_come_from_apples_list():
    categories = apple_categories()
    assert "Courses" in categories["Education"] and "Society & Culture" in categories
    show = Show("x", "X", "d", "a", "o", "o@example.org", "c.jpg", "Kids & Family", "Parenting")
    assert not [p for p in check_show(show, "X", Path("/nonexistent")) if "category" in p.setting]


# --- Feed -----------------------------------------------------------------------------------

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}


def feed_item(number: int, facts: AudioFacts, days: int, **changes) -> FeedItem:
    values = dict(
        guid=f"guid-{number}",
        title=f"Les {number}",
        page_url=f"https://example.org/les-{number}/",
        date=datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=1))) + timedelta(days=days),
        description=f"Les {number}.",
        content_html=f"<p>Les {number}</p>",
        audio_url=f"https://example.org/audio/les-{number}.mp3",
        facts=facts,
        number=number,
    )
    values.update(changes)
    return FeedItem(**values)


def test_feed_items_order_and_determinism(cbr):
    facts = read_audio_facts(cbr, "x.mp3")
    show = Show(
        "c",
        "Cursus",
        "Een cursus.",
        "Sanne",
        "Sanne",
        "s@example.org",
        "c.jpg",
        "Education",
        "Courses",
        "nl",
        "serial",
        explicit=True,
    )
    items = [
        feed_item(1, facts, 0),
        feed_item(2, facts, 7, explicit=False),
        feed_item(3, facts, 14),
    ]

    def make(order):
        return build_feed(
            show,
            order,
            "https://example.org/podcast/c/feed.xml",
            "https://example.org/podcast/c/",
            "https://example.org/c.jpg",
            podcast_guid("https://example.org/podcast/c/feed.xml"),
        )

    xml = make(items)
    assert make(list(reversed(items))) == xml  # the input order does not matter
    root = etree.fromstring(xml)
    channel = root.find("channel")
    assert channel.findtext("lastBuildDate") == "Thu, 15 Jan 2026 09:00:00 +0100"
    assert channel.findtext("itunes:explicit", namespaces=NS) == "true"
    assert [i.findtext("itunes:episode", namespaces=NS) for i in channel.iter("item")] == [
        "3",
        "2",
        "1",
    ]
    assert [i.findtext("itunes:explicit", namespaces=NS) for i in channel.iter("item")] == [
        None,
        "false",
        None,
    ]
    assert channel.findtext("link") == "https://example.org/podcast/c/"
    empty = etree.fromstring(make([]))
    assert empty.find("channel/lastBuildDate") is None  # never "now"


def test_m4a_facts():
    cover = af.cover_jpeg(1400)
    data = af.m4a(
        7.5, title="Aflevering 2", album="Praatjes", track=(2, 5), comment="Hoi", cover=cover
    )
    facts = read_audio_facts(data, "afl-2.m4a")
    assert (facts.mime, facts.size, facts.duration) == ("audio/x-m4a", len(data), 7.5)
    assert (facts.title, facts.album, facts.comment) == ("Aflevering 2", "Praatjes", "Hoi")
    assert (facts.track, facts.track_total) == (2, 5)
    assert facts.cover == facts.cover.__class__("image/jpeg", cover)
    with pytest.raises(AudioProblem, match="an M4A file but its name ends in .mp3"):
        read_audio_facts(data, "afl-2.mp3")
    with pytest.raises(AudioProblem, match="M4A file"):
        read_audio_facts(data[:200], "afl-2.m4a")  # cut off inside the moov atom


def test_reading_a_large_audio_file_says_so(monkeypatch, tmp_path):
    """A long cold build does not look stuck: large files are announced while they are read."""
    from pelican.log import console

    lesson = af.write(tmp_path / "les-1 één.mp3", af.tag(af.encode(8, seed=7), title="Les 1"))
    with console.capture() as quiet:
        facts_cache.read_audio_file(lesson)  # a small file: nothing to say
    assert quiet.get() == ""
    monkeypatch.setattr(facts_cache, "ANNOUNCE_BYTES", 1)
    with console.capture() as announced:
        facts = facts_cache.read_audio_file(lesson)
    assert "Podcast: reading audio facts of les-1 één.mp3" in announced.get()
    assert facts.duration == pytest.approx(8, abs=0.1)
