"""The Podcast Index and Apple tags a show and an episode can carry (issue 16): each value checked
by the namespace's rule, each tag read back from the feed with lxml, and the settings and
metadata an author writes for them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from plugins.podcast.episode_rules import episode_image, episode_tags, episode_title, published_path
from plugins.podcast.facts import read_audio_facts
from plugins.podcast.feed import FeedItem, build_feed
from plugins.podcast.itunes_ext import ItunesEntryExtension, ItunesExtension
from plugins.podcast.podcastindex_ext import PodcastIndexEntryExtension, PodcastIndexExtension
from plugins.podcast.settings import read_settings
from plugins.podcast.shows import Show
from plugins.podcast.tag_fields import item_persons, read_episode_tags
from plugins.podcast.tags import (
    Funding,
    License,
    Person,
    RemoteItem,
    Soundbite,
    TranscriptLink,
    Txt,
    UpdateFrequency,
)
from tests import audio_fixtures as af

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
}
FEED = "https://example.org/podcast/cursus/feed.xml"
OTHER_GUID = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
TZ = timezone(timedelta(hours=1))


def full_show(**changes) -> Show:
    values = dict(
        slug="cursus",
        title="Cursus",
        description="Een cursus.",
        author="Sanne",
        owner_name="Sanne",
        owner_email="sanne@example.org",
        artwork="c.jpg",
        category="Education",
        subcategory="Courses",
        language="nl",
        type="serial",
        new_feed_url="https://nieuw.example.org/feed.xml",
        block=True,
        persons=(
            Person("Sanne de Wit", img="https://example.org/sanne.jpg", href="https://sanne.nl"),
            Person.of_role("Kees", "cover art designer"),
        ),
        funding=(Funding("https://example.org/steun", "Steun de cursus"),),
        license=License("CC-BY-4.0"),
        medium="course",
        txt=(Txt("05124", "applepodcastsverify"),),
        podroll=(RemoteItem(OTHER_GUID, "https://feeds.example.org/pc20.xml", "Podcasting 2.0"),),
        update_frequency=UpdateFrequency("Elke maandag", "FREQ=WEEKLY;BYDAY=MO"),
        seasons=((1, "De basis"),),
    )
    values.update(changes)
    return Show(**values)


@pytest.fixture(scope="module")
def facts():
    return read_audio_facts(af.encode(8, seed=41), "les.mp3")


def item(facts, number: int, days: int, **changes) -> FeedItem:
    values = dict(
        guid=f"guid-{number}",
        title=f"Les {number}: Onderwerp {number}",
        itunes_title=f"Onderwerp {number}",
        episode_display=f"Les {number}",
        page_url=f"https://example.org/les-{number}/",
        date=datetime(2026, 1, 5, 9, tzinfo=TZ) + timedelta(days=days),
        description="Samenvatting.",
        content_html="<p>Notities</p>",
        audio_url=f"https://example.org/audio/les-{number}.mp3",
        facts=facts,
        number=number,
        season=1,
    )
    values.update(changes)
    return FeedItem(**values)


@pytest.fixture(scope="module")
def feed(facts):
    guest = Person.of_role("Jan Jansen", "guest", href="https://jan.example.nl")
    items = [
        item(facts, 1, 0, image_url="https://example.org/images/les-1.jpg"),
        item(
            facts,
            2,
            7,
            persons=item_persons((guest,), full_show().persons),
            funding=(Funding("https://example.org/les-2/steun", "Steun deze les"),),
            soundbites=(Soundbite(1.5, 4, "Het mooiste stuk"), Soundbite(5, 2)),
            license=License("mijn-licentie", "https://example.org/licentie"),
            transcripts=(
                TranscriptLink("https://example.org/audio/les-2.vtt", "text/vtt", "nl", True),
                TranscriptLink(
                    "https://example.org/audio/les-2.srt", "application/x-subrip", "nl", True
                ),
                TranscriptLink("https://example.org/audio/les-2.en.vtt", "text/vtt", "en", True),
            ),
        ),
        item(facts, 3, 14, episode_type="trailer", title="Voorproefje", itunes_title=""),
    ]
    xml = build_feed(
        full_show(),
        items,
        FEED,
        "https://example.org/podcast/cursus/",
        "https://example.org/c.jpg",
        "g",
    )
    return etree.fromstring(xml)


def items_by_number(feed) -> dict[str, etree._Element]:
    return {i.findtext("itunes:episode", namespaces=NS): i for i in feed.iter("item")}


def test_channel_itunes_new_feed_url_and_block(feed):
    channel = feed.find("channel")
    assert channel.findtext("itunes:new-feed-url", namespaces=NS) == (
        "https://nieuw.example.org/feed.xml"
    )
    assert channel.findtext("itunes:block", namespaces=NS) == "Yes"
    (block,) = channel.findall("podcast:block", NS)
    assert block.text == "yes" and block.get("id") is None  # unbounded: block every platform


def test_channel_persons_funding_license_medium(feed):
    channel = feed.find("channel")
    persons = channel.findall("podcast:person", NS)
    assert [(p.text, p.get("role"), p.get("group")) for p in persons] == [
        ("Sanne de Wit", "host", "cast"),
        ("Kees", "cover art designer", "visuals"),
    ]
    assert persons[0].get("img") == "https://example.org/sanne.jpg"
    assert persons[0].get("href") == "https://sanne.nl"
    assert persons[1].get("img") is None and persons[1].get("href") is None
    (funding,) = channel.findall("podcast:funding", NS)
    assert (funding.get("url"), funding.text) == ("https://example.org/steun", "Steun de cursus")
    (license,) = channel.findall("podcast:license", NS)
    assert license.text == "CC-BY-4.0" and license.get("url") is None  # well known: no url
    (medium,) = channel.findall("podcast:medium", NS)
    assert medium.text == "course"


def test_channel_txt_podroll_update_frequency(feed):
    channel = feed.find("channel")
    (txt,) = channel.findall("podcast:txt", NS)
    assert (txt.get("purpose"), txt.text) == ("applepodcastsverify", "05124")
    (podroll,) = channel.findall("podcast:podroll", NS)
    (remote,) = podroll
    assert remote.tag == f"{{{NS['podcast']}}}remoteItem"
    assert remote.get("feedGuid") == OTHER_GUID
    assert remote.get("feedUrl") == "https://feeds.example.org/pc20.xml"
    assert remote.get("title") == "Podcasting 2.0"
    (frequency,) = channel.findall("podcast:updateFrequency", NS)
    assert frequency.text == "Elke maandag" and frequency.get("rrule") == "FREQ=WEEKLY;BYDAY=MO"
    assert frequency.get("complete") is None


def test_channel_trailer_from_a_trailer_episode(feed, facts):
    (trailer,) = feed.find("channel").findall("podcast:trailer", NS)
    assert trailer.text == "Voorproefje"
    assert trailer.get("url") == "https://example.org/audio/les-3.mp3"
    assert trailer.get("pubdate") == "Mon, 19 Jan 2026 09:00:00 +0100"  # RFC 2822
    assert trailer.get("length") == str(facts.size) and trailer.get("type") == "audio/mpeg"
    assert trailer.get("season") == "1"


def test_item_season_and_episode_with_names(feed):
    les1 = items_by_number(feed)["1"]
    season = les1.find("podcast:season", NS)
    assert (season.text, season.get("name")) == ("1", "De basis")
    episode = les1.find("podcast:episode", NS)
    assert (episode.text, episode.get("display")) == ("1", "Les 1")
    assert les1.findtext("itunes:title", namespaces=NS) == "Onderwerp 1"  # without the number
    assert les1.findtext("title") == "Les 1: Onderwerp 1"  # as typed
    assert items_by_number(feed)["3"].findtext("itunes:title", namespaces=NS) == "Voorproefje"


def test_item_image_persons_soundbites_funding_license_transcripts(feed):
    by_number = items_by_number(feed)
    assert by_number["1"].find("itunes:image", NS).get("href") == (
        "https://example.org/images/les-1.jpg"
    )
    les2 = by_number["2"]
    # item persons replace the channel's: the show's host is repeated next to the guest
    assert [(p.text, p.get("role")) for p in les2.findall("podcast:person", NS)] == [
        ("Sanne de Wit", "host"),
        ("Jan Jansen", "guest"),
    ]
    assert by_number["1"].findall("podcast:person", NS) == []  # the channel's hold
    bites = les2.findall("podcast:soundbite", NS)
    assert [(b.get("startTime"), b.get("duration"), b.text) for b in bites] == [
        ("1.5", "4", "Het mooiste stuk"),
        ("5", "2", None),  # no title: left blank, apps use the episode title
    ]
    (funding,) = les2.findall("podcast:funding", NS)
    assert funding.get("url") == "https://example.org/les-2/steun"
    (license,) = les2.findall("podcast:license", NS)
    assert (license.text, license.get("url")) == ("mijn-licentie", "https://example.org/licentie")
    transcripts = les2.findall("podcast:transcript", NS)
    assert [(t.get("type"), t.get("language"), t.get("rel")) for t in transcripts] == [
        ("text/vtt", "nl", "captions"),
        ("application/x-subrip", "nl", "captions"),
        ("text/vtt", "en", "captions"),
    ]


def test_a_show_without_the_new_tags_writes_none_of_them(facts):
    plain = Show("x", "X", "d", "a", "o", "o@example.org", "c.jpg", "Education")
    root = etree.fromstring(build_feed(plain, [item(facts, 1, 0)], FEED, FEED, FEED, "g"))
    channel = root.find("channel")
    for tag in ("block", "person", "funding", "license", "medium", "txt", "podroll", "trailer"):
        assert channel.find(f"podcast:{tag}", NS) is None, tag
    assert channel.find("itunes:block", NS) is None
    assert channel.find("itunes:new-feed-url", NS) is None


# --- The values: each namespace rule --------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Person(""), "name is empty"),
        (lambda: Person("x" * 129), "129 characters"),
        (lambda: Person("A", role="bakker"), "not a role of the group 'cast'"),
        (lambda: Person("A", group="keuken"), "not in the Podcast Taxonomy"),
        (lambda: Person.of_role("A", "bakker"), "not in the Podcast Taxonomy"),
        (lambda: Person("A", img="images/a.jpg"), "not an absolute http(s) address"),
        (lambda: Person("A", href="javascript:alert(1)"), "not an absolute http(s) address"),
        (lambda: Funding("ftp://example.org/", "Steun"), "not an absolute http(s)"),
        (lambda: Funding("https://example.org/", ""), "funding text is empty"),
        (lambda: Soundbite(-1, 10), "start ≥ 0"),
        (lambda: Soundbite(5, 0), "duration > 0"),
        (lambda: License("mijn-licentie"), "needs the url"),
        (lambda: Txt("x" * 4001), "allows 4000"),
        (lambda: RemoteItem("geen-guid"), "not a podcast:guid"),
        (lambda: UpdateFrequency("Wekelijks", "BYDAY=MO"), "needs FREQ="),
        (lambda: UpdateFrequency("10 keer", "FREQ=WEEKLY;COUNT=10"), "needs a dtstart"),
        (lambda: UpdateFrequency("x", "FREQ=DAILY", dtstart="morgen"), "not an ISO 8601"),
    ],
)
def test_values_outside_the_namespace_rules_are_refused(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_values_inside_the_rules():
    assert Person("A", role="Host", group="Cast").role == "host"  # case-insensitive
    assert Person.of_role("B", "Editor").group == "writing"  # the first group with the role
    assert License("cc-by-nc-nd-4.0").url == ""
    assert UpdateFrequency("10 keer", "FREQ=WEEKLY;COUNT=10", dtstart="2026-01-05").rrule
    assert RemoteItem(OTHER_GUID.upper()).feed_guid == OTHER_GUID
    with pytest.raises(ValueError, match="runs past the end"):
        Soundbite(5, 10).check_inside(8)


def test_extension_accessors_refuse_what_the_spec_does_not_allow():
    channel, entry = ItunesExtension(), ItunesEntryExtension()
    index, item_index = PodcastIndexExtension(), PodcastIndexEntryExtension()
    for call in (
        lambda: channel.type("weekly"),
        lambda: channel.image("cover.jpg"),
        lambda: channel.new_feed_url("feed.xml"),
        lambda: entry.episode(0),
        lambda: entry.season(True),
        lambda: entry.duration(1.5),
        lambda: entry.episode_type("extra"),
        lambda: index.medium("podcastL"),  # a list medium holds only remote items
        lambda: index.medium("mixed"),
        lambda: index.person("Sanne"),  # a checked Person, not a string
        lambda: index.podroll([]),
        lambda: item_index.episode(3, display="x" * 33),
        lambda: item_index.season(-1),
        lambda: item_index.chapters("chapters.json"),
    ):
        with pytest.raises(ValueError):
            call()


# --- What the author writes -----------------------------------------------------------------


def show_values(**changes) -> dict:
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


def test_show_tag_settings(tmp_path):
    af.write(tmp_path / "cover.jpg", af.cover_jpeg(1400))
    af.write(tmp_path / "images" / "sanne.jpg", af.cover_jpeg(300))
    settings = {
        "PATH": str(tmp_path),
        "SITEURL": "https://example.org",
        "PODCAST_SHOWS": {
            "cursus": show_values(
                persons=[{"name": "Sanne", "role": "host", "img": "images/sanne.jpg"}],
                funding=[{"url": "https://example.org/steun", "text": "Steun"}],
                license={"name": "eigen", "url": "https://example.org/licentie"},
                medium="course",
                txt=[{"purpose": "verify", "text": "abc"}],
                podroll=["praatjes", {"feed_guid": OTHER_GUID, "title": "Podcasting 2.0"}],
                update_frequency={"text": "Wekelijks", "rrule": "FREQ=WEEKLY"},
                seasons={1: "De basis", "2": "Verdieping"},
                new_feed_url="https://nieuw.example.org/feed.xml",
                block=True,
            ),
            "praatjes": show_values(type="episodic"),
        },
    }
    podcast, problems = read_settings(settings)
    assert problems == []
    show = podcast.shows["cursus"]
    assert show.persons == (Person("Sanne", img="https://example.org/images/sanne.jpg"),)
    assert show.license == License("eigen", "https://example.org/licentie")
    assert show.seasons == ((1, "De basis"), (2, "Verdieping")) and show.season_name(2)
    assert show.block is True and show.medium == "course"
    other = podcast.feed_url(podcast.shows["praatjes"])
    assert show.podroll[0] == RemoteItem(
        str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), other.split("://")[1])),
        other,
        "Cursus",
    )
    assert show.podroll[1].feed_guid == OTHER_GUID


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("persons", [{"name": "Jan", "role": "kok"}], "'kok' is not in the Podcast Taxonomy"),
        ("persons", [{"name": "Jan", "img": "images/weg.jpg"}], "does not exist"),
        ("persons", [{"naam": "Jan"}], "unknown keys ['naam']"),
        ("funding", [{"url": "steun.html", "text": "x"}], "not an absolute http(s)"),
        ("license", "eigen-licentie", "needs the url"),
        ("medium", "podcastL", "not a podcast:medium value"),
        ("podroll", ["bestaat-niet"], "not another show"),
        ("update_frequency", {"text": "x", "rrule": "FREQ=SOMS"}, "needs FREQ="),
        ("seasons", {"een": "x"}, "not a positive whole number"),
        ("new_feed_url", "/nieuw/feed.xml", "not an absolute http(s)"),
        ("block", "ja", "is not True or False"),
    ],
)
def test_wrong_show_tag_settings_name_the_setting(tmp_path, key, value, expected):
    af.write(tmp_path / "cover.jpg", af.cover_jpeg(1400))
    settings = {
        "PATH": str(tmp_path),
        "SITEURL": "https://example.org",
        "PODCAST_SHOWS": {"cursus": show_values(**{key: value})},
    }
    podcast, problems = read_settings(settings)
    (problem,) = problems
    assert problem.setting == f'PODCAST_SHOWS["cursus"]["{key}"]'
    assert expected in problem.message and problem.fix
    assert problem.show == ""  # reported always; the show keeps its feed without the tag
    assert "cursus" in podcast.shows


def test_episode_tag_fields(tmp_path):
    af.write(tmp_path / "images" / "jan.jpg", af.cover_jpeg(300))
    metadata = {
        "person": [
            "Jan Jansen | guest | https://jan.example.nl | images/jan.jpg",
            "Piet | co-host",
        ],
        "funding": "https://example.org/steun | Steun deze aflevering",
        "soundbite": ["73 | 45 | Waarom dit ertoe doet", "10 | 5"],
        "license": "CC-BY-4.0",
    }
    tags, problems = read_episode_tags(metadata, tmp_path, lambda p: f"https://example.org/{p}")
    assert problems == []
    assert tags["persons"] == (
        Person(
            "Jan Jansen",
            "guest",
            "cast",
            "https://example.org/images/jan.jpg",
            "https://jan.example.nl",
        ),
        Person("Piet", "co-host"),
    )
    assert tags["funding"] == (Funding("https://example.org/steun", "Steun deze aflevering"),)
    assert tags["soundbites"] == (Soundbite(73, 45, "Waarom dit ertoe doet"), Soundbite(10, 5))
    assert tags["license"] == License("CC-BY-4.0")
    # a soundbite past the end of the audio is a problem, the rest stays
    tags, notices = episode_tags(metadata, 60, tmp_path, lambda p: f"https://example.org/{p}")
    assert tags["soundbites"] == (Soundbite(10, 5),)
    (notice,) = notices
    assert notice.field == "Soundbite" and "runs past the end of the audio (60 s)" in notice.message


def test_wrong_episode_tag_fields_are_reported(tmp_path):
    metadata = {
        "person": "Jan | kok",
        "funding": "geen-url | x",
        "soundbite": "later | 5",
        "license": "eigen",
    }
    _, problems = read_episode_tags(metadata, tmp_path, lambda p: p)
    assert [field for field, _, _ in problems] == ["Person", "Funding", "Soundbite", "License"]
    assert all(fix.startswith("write ") for _, _, fix in problems)


def test_item_persons_follow_the_replace_rule():
    host = Person("Sanne")
    guest = Person.of_role("Jan", "guest")
    stand_in = Person.of_role("Piet", "guest host")
    assert item_persons((), (host,)) == ()  # nothing of its own: the channel's hold
    assert item_persons((guest,), (host,)) == (host, guest)
    assert item_persons((stand_in, guest), (host,)) == (stand_in, guest)


# --- Titles, names, art -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "number", "typed", "expected"),
    [
        ("Les 4: Meten en duurzaam groeien", 4, "", ("Meten en duurzaam groeien", "Les 4")),
        (
            "Aflevering 2: Moderatie zonder burn-out",
            2,
            "",
            ("Moderatie zonder burn-out", "Aflevering 2"),
        ),
        ("Aflevering 2 – Moderatie", 2, "", ("Moderatie", "Aflevering 2")),
        ("#5: Vijf", 5, "", ("Vijf", "#5")),
        ("Les 4: een andere les", 3, "", ("Les 4: een andere les", "")),  # not its own number
        ("Les 10 van de cursus", 10, "", ("Les 10 van de cursus", "")),  # no separator
        ("Zonder nummer", None, "", ("Zonder nummer", "")),
        ("Les 4: Meten", 4, "Meten, en meer", ("Meten, en meer", "Les 4")),  # EpisodeTitle:
    ],
)
def test_itunes_title_without_the_number(title, number, typed, expected):
    assert episode_title(title, number, typed) == expected


def test_ascii_publish_names():
    assert published_path("audio/Aflevering één & co.mp3") == "audio/aflevering-een-co.mp3"
    assert published_path("audio/les 3.mp3") == "audio/les 3.mp3"  # ASCII already: kept
    assert published_path("afleveringen/ĳs/Ütopia.MP3") == "afleveringen/ijs/utopia.mp3"


def test_the_episodes_own_image_when_it_is_podcast_art(tmp_path):
    af.write(tmp_path / "images" / "vierkant.jpg", af.cover_jpeg(1400))
    af.write(tmp_path / "images" / "breed.jpg", af.cover_jpeg((1200, 630)))
    assert episode_image("images/vierkant.jpg", tmp_path) == "images/vierkant.jpg"
    assert episode_image("{static}/images/vierkant.jpg", tmp_path) == "images/vierkant.jpg"
    assert episode_image("images/breed.jpg", tmp_path) == ""  # a link-preview picture
    assert episode_image("images/weg.jpg", tmp_path) == ""
    assert episode_image("", tmp_path) == ""
    assert episode_image("../buiten.jpg", Path(tmp_path / "images")) == ""
