"""A real build of the generated podcast site that uses every tag (tests/podcast_site.py), read by
four real parsers: gPodder's podcastparser, feedparser, fastfeedparser and podcast-partytime
(the Podcast Index's own parser of the podcast: namespace, on Node). Persons and funding are
shown on the episode and show pages, in Dutch and in English."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import fastfeedparser
import feedparser
import podcastparser
import pytest
from lxml import etree

from plugins.podcast.episode_rules import published_path
from tests.nu_checker import nu_errors
from tests.podcast_site import COURSE, DOMAIN, SHOW, make_site
from tests.sitecheck import build, parse_page
from tests.test_podcast_build import EXPECTED

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
}
PARSERS = Path(__file__).resolve().parent / "feed_parsers"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("podcast-tags")
    content, overrides = make_site(root)
    output = build(root / "output", content=content, overrides=overrides)
    english = build(root / "en", content=content, overrides={**overrides, "DEFAULT_LANG": "en"})
    return content, output, english


def feed(output: Path, show: str) -> Path:
    return output / "podcast" / show / "feed.xml"


def item(output: Path, show: str, title: str):
    root = etree.fromstring(feed(output, show).read_bytes())
    return next(i for i in root.iter("item") if i.findtext("title") == title)


def local(output: Path, url: str) -> Path:
    assert url.startswith(DOMAIN + "/"), url
    return output / unquote(urlsplit(url).path).lstrip("/")


def test_every_transcript_is_linked_with_type_language_and_captions(site):
    _, output, _ = site
    links = item(output, COURSE, "Les 1").findall("podcast:transcript", NS)
    assert [(t.get("type"), t.get("language"), t.get("rel")) for t in links] == [
        ("text/vtt", "nl", "captions"),  # the show's language first
        ("application/x-subrip", "nl", "captions"),
        ("text/vtt", "en", "captions"),
    ]
    for link in links:
        assert local(output, link.get("url")).read_text().strip()


def test_chapter_art_and_a_hidden_chapter_are_published(site):
    _, output, _ = site
    document = json.loads((output / "les-1" / "chapters.json").read_text())
    chapters = document["chapters"]
    assert [c["title"] for c in chapters] == ["Welkom", "Het doel & <jij>", "Huiswerk", "Stil"]
    assert chapters[3]["toc"] is False and "toc" not in chapters[1]
    for chapter in (chapters[1], chapters[3]):
        assert local(output, chapter["img"]).read_bytes()[:3] == b"\xff\xd8\xff"
    page = (output / "les-1" / "index.html").read_text()
    assert "Huiswerk" in page and ">Stil<" not in page  # hidden from the chapter list


def test_non_ascii_audio_is_published_under_its_ascii_name(site):
    content, output, _ = site
    enclosure = item(output, COURSE, "Les 3").find("enclosure").get("url")
    assert enclosure == f"{DOMAIN}/audio/les-3-een.mp3"
    assert (
        local(output, enclosure).read_bytes() == (content / "audio" / "les 3 één.mp3").read_bytes()
    )


def test_item_tags_from_the_episodes_metadata(site):
    _, output, _ = site
    les1 = item(output, COURSE, "Les 1")
    assert les1.find("itunes:image", NS).get("href") == f"{DOMAIN}/images/les-1-vierkant.jpg"
    assert [(p.text, p.get("role")) for p in les1.findall("podcast:person", NS)] == [
        ("Sanne de Wit", "host"),  # the show's host, repeated: item persons replace the channel's
        ("Jan Gast", "guest"),
    ]
    (funding,) = les1.findall("podcast:funding", NS)
    assert (funding.get("url"), funding.text) == ("https://steun.example/les-1", "Steun deze les")
    (bite,) = les1.findall("podcast:soundbite", NS)
    assert (bite.get("startTime"), bite.get("duration"), bite.text) == ("2", "2.5", "Het doel")
    assert les1.findtext("podcast:license", namespaces=NS) == "CC-BY-4.0"
    season = item(output, SHOW, "Aflevering twee").find("podcast:season", NS)
    assert (season.text, season.get("name")) == ("1", "Het eerste seizoen")


def test_channel_tags_from_the_show_settings(site):
    _, output, _ = site
    course = etree.fromstring(feed(output, COURSE).read_bytes()).find("channel")
    assert course.findtext("podcast:medium", namespaces=NS) == "course"
    assert course.findtext("podcast:license", namespaces=NS) == "CC-BY-NC-ND-4.0"
    assert course.find("podcast:txt", NS).get("purpose") == "verify"
    assert course.find("podcast:updateFrequency", NS).get("rrule") == "FREQ=WEEKLY;BYDAY=MO"
    (remote,) = course.find("podcast:podroll", NS)
    praatjes = etree.fromstring(feed(output, SHOW).read_bytes()).find("channel")
    assert remote.get("feedGuid") == praatjes.findtext("podcast:guid", namespaces=NS)
    assert remote.get("feedUrl") == f"{DOMAIN}/podcast/{SHOW}/feed.xml"
    assert praatjes.findtext("itunes:block", namespaces=NS) == "Yes"
    assert praatjes.findtext("podcast:block", namespaces=NS) == "yes"
    assert praatjes.findtext("itunes:new-feed-url", namespaces=NS) == (
        "https://nieuw.example/praatjes/feed.xml"
    )
    (trailer,) = praatjes.findall("podcast:trailer", NS)
    assert trailer.text == "Trailer" and trailer.get("url") == f"{DOMAIN}/audio/trailer.mp3"


def test_persons_and_funding_on_the_episode_and_show_pages(site):
    _, output, english = site
    episode = parse_page(output / "les-1" / "index.html")
    assert not episode.errors
    assert "Makers en gasten" in episode.text
    assert "Sanne de Wit (presentator)" in episode.text and "Jan Gast (gast)" in episode.text
    assert "Steun deze podcast" in episode.text
    assert "Steun deze les" in episode.text and "Steun de cursus" in episode.text
    hrefs = {attrs["href"] for tag, attr, attrs in episode.links if tag == "a"}
    assert {"https://jan.example/", "https://steun.example/les-1"} <= hrefs
    assert not any(attrs.get("src", "").startswith("https://") for _, _, attrs in episode.links)
    show = parse_page(output / "podcast" / COURSE / "index.html")
    assert not show.errors
    assert "Kees Kunst (cover art designer)" in show.text and "Steun de cursus" in show.text
    assert "Jan Gast" not in show.text  # a guest of one lesson, not of the show
    other = parse_page(output / "les-2" / "index.html")
    assert "Sanne de Wit (presentator)" in other.text and "Jan Gast" not in other.text
    en = parse_page(english / "les-1" / "index.html")
    assert "Credits" in en.text and "Jan Gast (guest)" in en.text
    assert "Support this podcast" in en.text
    pages = [output / "les-1" / "index.html", output / "podcast" / COURSE / "index.html"]
    assert nu_errors(pages + [english / "les-1" / "index.html"]) == []  # the Nu HTML Checker


# --- Four real parsers ---------------------------------------------------------------------


def partytime(path: Path) -> dict:
    node = shutil.which("node")
    assert node, "Node.js is missing: `apt-get install nodejs npm`"
    assert (PARSERS / "node_modules" / "podcast-partytime").is_dir(), (
        "run `npm ci --prefix tests/feed_parsers` (invoke test does)"
    )
    result = subprocess.run(
        [node, str(PARSERS / "read_feed.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PARTYTIME_LOG": "silent"},
        check=True,
    )
    return json.loads(result.stdout)


def expected_enclosures(show: str) -> dict[str, str]:
    return {
        title: f"{DOMAIN}/" + published_path(audio).replace(" ", "%20")
        for title, (audio, _) in EXPECTED[show].items()
    }


@pytest.mark.parametrize("show", [COURSE, SHOW])
def test_four_parsers_read_the_feed_with_every_tag(site, show):
    content, output, _ = site
    path = feed(output, show)
    enclosures = expected_enclosures(show)
    sizes = {t: (content / audio).stat().st_size for t, (audio, _) in EXPECTED[show].items()}

    gpodder = podcastparser.parse(f"{DOMAIN}/podcast/{show}/feed.xml", path.open("rb"))
    assert {e["title"]: e["enclosures"][0]["url"] for e in gpodder["episodes"]} == enclosures
    assert {e["title"]: e["enclosures"][0]["file_size"] for e in gpodder["episodes"]} == sizes

    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert {e.title: e.enclosures[0].href for e in parsed.entries} == enclosures

    fast = fastfeedparser.parse(path.read_bytes())
    assert {e["title"]: e["enclosures"][0]["url"] for e in fast["entries"]} == enclosures
    assert {e["title"]: int(e["enclosures"][0]["length"]) for e in fast["entries"]} == sizes

    party = partytime(path)
    assert {i["title"]: i["enclosure"]["url"] for i in party["items"]} == enclosures
    assert {i["title"]: i["enclosure"]["length"] for i in party["items"]} == sizes
    for parsed_item in party["items"]:
        seconds = EXPECTED[show][parsed_item["title"]][1]
        assert abs(parsed_item["duration"] - seconds) <= 1
    if show == COURSE:
        assert party["medium"] == "course" and party["locked"] is True
        assert [(p["name"], p["role"]) for p in party["podcastPeople"]] == [
            ("Sanne de Wit", "Host"),
            ("Kees Kunst", "Cover Art Designer"),
        ]
        assert party["podcastFunding"] == [
            {"message": "Steun de cursus", "url": "https://steun.example/cursus"}
        ]
        assert party["license"]["identifier"] == "CC-BY-NC-ND-4.0"
        assert party["podroll"][0]["title"] == "Praatjes"
        assert party["podcastTxt"] == [{"value": "S6lpp-7ZCn8-dZfGc", "purpose": "verify"}]
        les1 = next(i for i in party["items"] if i["title"] == "Les 1")
        assert [p["name"] for p in les1["podcastPeople"]] == ["Sanne de Wit", "Jan Gast"]
        assert les1["podcastSoundbites"] == [{"duration": 2.5, "startTime": 2, "title": "Het doel"}]
        assert les1["podcastChapters"]["type"] == "application/json+chapters"
        assert {t["rel"] for t in les1["podcastTranscripts"]} == {"captions"}
        assert len(les1["podcastTranscripts"]) == 3
        assert les1["itunesImage"] == f"{DOMAIN}/images/les-1-vierkant.jpg"
    else:
        assert party["podcastBlocked"] == "yes" and party["itunesBlock"] is True
        assert party["itunesNewFeedUrl"] == "https://nieuw.example/praatjes/feed.xml"
        assert [t["title"] for t in party["trailers"]] == ["Trailer"]
        assert party["podcastSeasons"]["1"]["name"] == "Het eerste seizoen"


def test_oversized_artwork_is_published_as_an_optimised_copy(tmp_path):
    """Defect 8's offer: PODCAST_OPTIMISE_ARTWORK publishes a ≤ 512 KB copy and links it."""
    from tests.sitecheck import run_pelican
    from tests.test_podcast_audit import noisy_cover

    content, overrides = make_site(tmp_path)
    (content / "images" / "cursus.jpg").write_bytes(noisy_cover())
    overrides = {**overrides, "PODCAST_OPTIMISE_ARTWORK": True}
    result = run_pelican(tmp_path / "out", content=content, overrides=overrides)
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert 'PODCAST_SHOWS["cursus-test"]["artwork"]' in log and "512 KB" in log
    channel = etree.fromstring(feed(tmp_path / "out", COURSE).read_bytes()).find("channel")
    image = channel.find("itunes:image", NS).get("href")
    assert image == f"{DOMAIN}/images/cursus.512k.jpg"
    published = local(tmp_path / "out", image)
    assert published.stat().st_size <= 512 * 1024
    from plugins.podcast.shows import check_artwork

    assert check_artwork(published) is None
