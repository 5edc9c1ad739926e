"""Full builds with the podcast plugin (Pelican's real CLI) on generated content.

The feeds are read by real podcast-client parsers (gPodder's podcastparser, feedparser) and
checked line by line against PODCAST_FEED.md with lxml.
"""

from __future__ import annotations

import email.utils
import io
import json
import re
import shutil
import uuid
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import feedparser
import podcastparser
import pytest
from lxml import etree

from plugins.podcast.episode_rules import published_path
from plugins.podcast.shows import apple_categories, check_artwork
from tests import audio_fixtures as af
from tests import fixture_site
from tests.podcast_site import COURSE, DOMAIN, SHOW, lesson, make_site
from tests.sitecheck import build, fixture_content, parse_page, resolve_local, run_pelican

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
# What each generated episode really is: (audio file, seconds of audio)
EXPECTED = {
    COURSE: {
        "Les 1": ("audio/les-1.mp3", 6),
        "Les 2": ("audio/les-2.mp3", 12),
        "Les 3": ("audio/les 3 één.mp3", 6),
    },
    SHOW: {
        "Aflevering één": ("podcast/aflevering-een.mp3", 6),
        "Aflevering twee": ("audio/afl-2.m4a", 6),
        "Trailer": ("audio/trailer.mp3", 6),
    },
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("podcast-site")
    content, overrides = make_site(root)
    output = build(root / "output", content=content, overrides=overrides)
    return content, output, overrides


def mime(audio: str) -> str:
    return "audio/x-m4a" if audio.endswith(".m4a") else "audio/mpeg"


def feed_path(output: Path, show: str) -> Path:
    return output / "podcast" / show / "feed.xml"


def local(output: Path, url: str, domain: str = DOMAIN) -> Path:
    assert url.startswith(domain + "/"), url
    return output / unquote(urlsplit(url).path).lstrip("/")


@pytest.mark.parametrize("show", [COURSE, SHOW])
def test_podcastparser_finds_every_episode(site, show):
    _, output, _ = site
    with feed_path(output, show).open("rb") as stream:
        parsed = podcastparser.parse(f"{DOMAIN}/podcast/{show}/feed.xml", stream)
    episodes = {e["title"]: e for e in parsed["episodes"]}
    assert set(episodes) == set(EXPECTED[show])
    for title, (audio, seconds) in EXPECTED[show].items():
        episode = episodes[title]
        (enclosure,) = episode["enclosures"]
        # published under an ASCII name (Apple's rule): "les 3 één.mp3" → "les-3-een.mp3"
        assert enclosure["url"] == f"{DOMAIN}/" + published_path(audio).replace(" ", "%20")
        assert enclosure["url"].isascii()
        assert enclosure["file_size"] == local(output, enclosure["url"]).stat().st_size
        assert enclosure["mime_type"] == mime(audio)
        assert abs(episode["total_time"] - seconds) <= 1
        assert episode["guid"]


@pytest.mark.parametrize("show", [COURSE, SHOW])
def test_feedparser_finds_every_episode(site, show):
    _, output, _ = site
    parsed = feedparser.parse(feed_path(output, show).read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    entries = {e.title: e for e in parsed.entries}
    assert set(entries) == set(EXPECTED[show])
    for title, (audio, seconds) in EXPECTED[show].items():
        (enclosure,) = entries[title].enclosures
        assert int(enclosure.length) == local(output, enclosure.href).stat().st_size
        assert enclosure.type == mime(audio)
        assert abs(int(entries[title].itunes_duration) - seconds) <= 1


def all_urls(root) -> list[str]:
    urls = []
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in ("href", "url"):
                urls.append(value)
        if element.tag in ("link", "url", "docs") and element.text:
            urls.append(element.text.strip())
    return urls


@pytest.mark.parametrize("show", [COURSE, SHOW])
def test_feed_meets_every_line_of_podcast_feed_md(site, show):
    content, output, overrides = site
    root = check_feed_rules(
        feed_path(output, show).read_bytes(),
        output=output,
        content=content,
        domain=DOMAIN,
        show=show,
        settings=overrides["PODCAST_SHOWS"][show],
        expected=EXPECTED[show],
    )
    items = root.find("channel").findall("item")
    if show == COURSE:  # lesson 1 has chapters, a transcript and its own cover
        first = next(i for i in items if i.findtext("title") == "Les 1")
        assert first.find("podcast:chapters", NS) is not None
        assert first.find("podcast:transcript", NS) is not None
        cover = first.find("itunes:image", NS).get("href")
        assert check_artwork(local(output, cover, DOMAIN)) is None
        assert [i.findtext("itunes:episode", namespaces=NS) for i in items] == ["3", "2", "1"]


def check_feed_rules(xml, output, content, domain, show, settings, expected):
    """Every line of PODCAST_FEED.md, asserted on one feed; returns the parsed feed."""
    feed_url = f"{domain}/podcast/{show}/feed.xml"
    root = etree.fromstring(xml)  # well-formed
    # Document
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap == NS
    for url in all_urls(root):
        assert url.isascii() and url.startswith(("http://", "https://")), url
    channel = root.find("channel")
    # Channel
    assert channel.findtext("title") == settings["title"]
    assert channel.findtext("link") == f"{domain}/podcast/{show}/"  # the website, not the feed
    assert 0 < len(channel.findtext("description").encode()) <= 4000
    assert channel.findtext("language") == "nl"
    (self_link,) = channel.findall("atom:link[@rel='self']", NS)
    assert self_link.get("href") == feed_url
    image = channel.find("itunes:image", NS).get("href")
    # square, 1400–3000 px, JPEG/PNG, RGB, extension matching the real format
    assert check_artwork(local(output, image, domain)) is None
    (category,) = channel.findall("itunes:category", NS)
    assert category.get("text") in apple_categories()
    sub = category.find("itunes:category", NS)
    if sub is not None:
        assert sub.get("text") in apple_categories()[category.get("text")]
    assert "&amp;" in xml.decode() if "&" in category.get("text") else True
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.findtext("itunes:author", namespaces=NS) == settings["author"]
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == settings["owner_email"]
    assert channel.findtext("itunes:owner/itunes:name", namespaces=NS) == settings["owner_name"]
    kind = channel.findtext("itunes:type", namespaces=NS)
    assert kind == settings["type"]
    guid = channel.findtext("podcast:guid", namespaces=NS)
    namespace = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    assert guid == str(uuid.uuid5(namespace, feed_url.split("://")[1]))
    locked = channel.find("podcast:locked", NS)
    assert locked.text == "yes" and locked.get("owner") == settings["owner_email"]
    # Items
    items = channel.findall("item")
    assert {i.findtext("title") for i in items} == set(expected)
    dates = [email.utils.parsedate_to_datetime(i.findtext("pubDate")) for i in items]
    assert all(d.tzinfo is not None for d in dates)
    assert all(re.search(r"[+-]\d{4}$", i.findtext("pubDate")) for i in items)
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")) == max(dates)
    guids = [i.findtext("guid") for i in items]
    assert len(set(guids)) == len(guids) and all(guids)
    assert all(i.find("guid").get("isPermaLink") == "false" for i in items)
    enclosures = [i.find("enclosure") for i in items]
    assert len({e.get("url") for e in enclosures}) == len(enclosures)
    for item, enclosure in zip(items, enclosures, strict=True):
        audio, seconds = expected[item.findtext("title")]
        assert item.findtext("description")
        notes = item.findtext("content:encoded", namespaces=NS)
        assert notes
        for link in re.findall(r'(?:href|src)="([^"]+)"', notes):
            assert link.startswith(("http://", "https://")), link  # absolute links
            if link.startswith(domain):
                assert (
                    local(output, link.split("#")[0], domain).exists()
                    or local(output, link.split("#")[0], domain).with_name("index.html").exists()
                )
        assert enclosure.get("url") == f"{domain}/{quote(published_path(audio))}"
        assert int(enclosure.get("length")) == (content / audio).stat().st_size
        assert enclosure.get("type") == mime(audio)
        duration = item.findtext("itunes:duration", namespaces=NS)
        assert duration.isdigit() and abs(int(duration) - seconds) <= 1
        number = item.findtext("itunes:episode", namespaces=NS)
        if kind == "serial":
            assert number and int(number) > 0
        if number is not None:
            assert int(number) > 0
        assert item.findtext("itunes:episodeType", namespaces=NS) in ("full", "trailer", "bonus")
        chapters = item.find("podcast:chapters", NS)
        if chapters is not None:
            assert chapters.get("type") == "application/json+chapters"
            document = json.loads(local(output, chapters.get("url"), domain).read_text())
            assert document["version"] == "1.2.0"
            starts = [c["startTime"] for c in document["chapters"]]
            assert starts == sorted(starts) and starts[0] >= 0 and starts[-1] < seconds
            assert all(c["title"] for c in document["chapters"])
        transcript = item.find("podcast:transcript", NS)
        if transcript is not None:
            assert transcript.get("type") in ("text/vtt", "application/x-subrip")
            assert local(output, transcript.get("url"), domain).read_text().strip()
    return root


def test_future_lesson_is_not_published(site):
    _, output, _ = site
    feed = feed_path(output, COURSE).read_text()
    assert "Les 4" not in feed and "les-4" not in feed
    assert not (output / "les-4").exists()
    show_page = (output / "podcast" / COURSE / "index.html").read_text()
    assert "Les 4" not in show_page


def test_two_builds_give_identical_feeds(site, tmp_path):
    content, output, overrides = site
    again = build(tmp_path / "again", content=content, overrides=overrides)
    for show in (COURSE, SHOW):
        assert feed_path(again, show).read_bytes() == feed_path(output, show).read_bytes()
    assert (again / "les-1" / "chapters.json").read_bytes() == (
        output / "les-1" / "chapters.json"
    ).read_bytes()


def test_episode_page(site):
    _, output, _ = site
    path = output / "les-1" / "index.html"
    page = parse_page(path)
    assert not page.errors
    html = path.read_text()
    assert 'preload="metadata"' in html and 'src="/audio/les-1.mp3"' in html
    assert "Les 1 van 4" in page.text  # lesson 4 exists, not yet published
    assert "Duur: 0:06" in page.text and "MP3, 0,1 MB" in page.text
    assert 'href="/audio/les-1.mp3#t=2" data-seek="2.0"' in html
    assert "Het doel" in page.text and "Huiswerk" in page.text
    assert "Wat is jouw doel & plan?" in page.text  # transcript shown as text
    assert "Het doel &amp; &lt;jij&gt;</a>" in html  # tag text is escaped, not HTML
    assert "Volgende les" in page.text and 'href="/les-2/" rel="next"' in html
    assert "antennapod.org/deeplink/subscribe?url=http%3A%2F%2F127.0.0.1%3A8000" in html
    assert 'value="http://127.0.0.1:8000/podcast/cursus-test/feed.xml"' in html
    assert "overcast://x-callback-url/add?url=" in html and "podcast://127.0.0.1:8000/" in html
    for tag, attr, attrs in page.links:
        # A srcset is a list of "URL width" candidates (the pictures' resized copies).
        urls = (
            [c.split()[0] for c in attrs[attr].split(",")]
            if attr == "srcset"
            else [attrs[attr].split("#")[0] or "#"]
        )
        for url in urls:
            target = resolve_local(output, path, url)
            if target is not None and tag in ("a", "audio", "img"):
                assert target.exists(), (tag, url)
    three = (output / "les-3" / "index.html").read_text()
    assert 'src="/audio/les-3-een.mp3"' in three  # the ASCII name it is published under
    assert "Vorige les" in three and "Les 3 van 4" in three


def test_show_pages_list_episodes_in_course_order(site):
    _, output, _ = site
    path = output / "podcast" / COURSE / "index.html"
    page = parse_page(path)
    assert not page.errors
    text = page.text
    html = path.read_text()
    positions = [html.index(f'<li class="episode-list__item" value="{n}">') for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert text.index("Les 1") < text.index("Les 2") < text.index("Les 3")
    assert "0:12" in text and "0:06" in text  # durations
    assert "Abonneer je op Testcursus" in text
    sitemap = (output / "sitemap.xml").read_text()
    assert f"<loc>/podcast/{COURSE}/</loc>" in sitemap and f"<loc>/podcast/{SHOW}/</loc>" in sitemap
    other = parse_page(output / "podcast" / SHOW / "index.html")
    assert "Aflevering één" in other.text


def test_standalone_mp3_is_an_episode(site):
    _, output, _ = site
    page = parse_page(output / "aflevering-een" / "index.html")
    assert not page.errors
    assert "Aflevering één" in page.text and "Met twee alinea's & een teken." in page.text
    assert (output / "podcast" / "aflevering-een.mp3").is_file()
    assert "/categorie/podcast/" in (output / "aflevering-een" / "index.html").read_text()


def test_guids_fixed_at_first_publication_survive_renames(tmp_path):
    content, overrides = make_site(tmp_path)
    publish = build(
        tmp_path / "p1", settings="publishconf.py", content=content, overrides=overrides
    )
    registry = json.loads((content / "podcast-guids.json").read_text())
    feed = etree.fromstring(feed_path(publish, COURSE).read_bytes())
    guids = {i.findtext("title"): i.findtext("guid") for i in feed.iter("item")}
    assert {registry[g]["source"] for g in guids.values()} == {
        "cursus/les-1.md",
        "cursus/les-2.md",
        "cursus/les-3.md",
    }
    # The author renames lesson 2's text and audio and retitles it.
    (content / "cursus" / "les-2.md").unlink()
    (content / "audio" / "les-2.mp3").rename(content / "audio" / "02-doelen.mp3")
    lesson(content, 2, "audio/02-doelen.mp3", "2026-01-12 09:00", "Doelen", name="02-doelen.md")
    again = build(tmp_path / "p2", settings="publishconf.py", content=content, overrides=overrides)
    feed = etree.fromstring(feed_path(again, COURSE).read_bytes())
    renamed = {i.findtext("title"): i.findtext("guid") for i in feed.iter("item")}
    assert renamed == {"Les 1": guids["Les 1"], "Doelen": guids["Les 2"], "Les 3": guids["Les 3"]}
    registry = json.loads((content / "podcast-guids.json").read_text())
    assert registry[guids["Les 2"]]["source"] == "cursus/02-doelen.md"
    assert registry[guids["Les 2"]]["audio"] == "audio/02-doelen.mp3"


# --- Bad input ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("podcast-bad")
    content, overrides = make_site(root)
    good = af.encode(4, seed=9)
    af.write(content / "audio" / "kapot.mp3", good[:9000] + bytes(range(256)) * 40 + good[19000:])
    af.write(content / "audio" / "half.mp3", good[: len(good) // 2 + 5])
    af.write(content / "audio" / "tekst.mp3", b"Dit is een tekstbestand.\n" * 100)
    af.write(content / "audio" / "leeg.mp3", b"")
    af.write(content / "audio" / "dubbel.mp3", af.encode(3, seed=10))
    af.write(content / "audio" / "dubbel-guid.mp3", af.encode(3, seed=11))
    af.write(content / "audio" / "guid-twee.mp3", af.encode(3, seed=14))
    lesson(content, 22, "audio/les-2.mp3", "2026-01-25", "Zelfde audio", name="zelfde.md")
    cases = {
        "kapot": "audio/kapot.mp3",
        "half": "audio/half.mp3",
        "tekst": "audio/tekst.mp3",
        "leeg": "audio/leeg.mp3",
        "weg": "audio/bestaat-niet.mp3",
    }
    for number, (name, audio) in enumerate(cases.items(), start=10):
        lesson(content, number, audio, "2026-01-20 10:00", title=f"Kapot {name}", name=f"{name}.md")
    lesson(content, 2, "audio/dubbel.mp3", "2026-01-21 10:00", "Tweede les 2", name="dubbel.md")
    lesson(
        content,
        20,
        "audio/dubbel-guid.mp3",
        "2026-01-22",
        "Guid een",
        "Guid: urn:x:1\n",
        name="guid-een.md",
    )
    lesson(
        content,
        21,
        "audio/guid-twee.mp3",
        "2026-01-23",
        "Guid twee",
        "Guid: urn:x:1\n",
        name="guid-twee.md",
    )
    text = (
        (content / "cursus" / "les-3.md")
        .read_text()
        .replace("Podcast: cursus-test", "Podcast: onbekend")
    )
    (content / "cursus" / "onbekend.md").write_text(text.replace("Episode: 3", "Episode: 30"))
    af.write(content / "podcast" / "zonder-datum.mp3", af.tag(af.encode(2, seed=15), title="Los"))
    af.write(content / "podcast" / "geen-audio.mp3", b"<html>dit is een webpagina</html>\n" * 50)
    af.write(content / "images" / "klein.jpg", af.cover_jpeg(600))
    af.write(content / "audio" / "slecht.mp3", af.encode(3, seed=13))
    (content / "podcast" / "slecht.md").write_text(
        "Title: Slechte show\nDate: 2026-01-24\nPodcast: slecht\nAudio: audio/slecht.mp3\n\nX\n"
    )
    # Audio: outside the content folder (a real MP3 right next to it, system files).
    af.write(root / "buiten.mp3", af.tag(af.encode(3, seed=16), title="Buiten", track="40"))
    for number, (name, audio) in enumerate(OUTSIDE.items(), start=40):
        lesson(content, number, audio, "2026-01-26", title=f"Buiten {name}", name=f"{name}.md")
    (content / "podcast" / "gelinkt.mp3").symlink_to(root / "buiten.mp3")
    shows = dict(overrides["PODCAST_SHOWS"])
    shows["slecht"] = {
        **shows[SHOW],
        "title": "Slecht",
        "artwork": "images/klein.jpg",
        "category": "Onderwijs",
        "categories": [],
    }
    return content, {**overrides, "PODCAST_SHOWS": shows}


OUTSIDE = {
    "buiten": "../buiten.mp3",
    "passwd": "../" * 40 + "etc/passwd",  # enough ../ to reach /etc from any folder
    "hostname": "/etc/hostname",
    "passwd-kort": "../../etc/passwd",
}
OUTSIDE_FIX = "move the audio file into the content folder (e.g. content/audio/)"
PROBLEMS = [
    ("cursus/buiten.md", "Audio", "../buiten.mp3 is outside the content folder (", OUTSIDE_FIX),
    ("cursus/passwd.md", "Audio", "etc/passwd is outside the content folder (/etc/passwd)", "/"),
    ("cursus/hostname.md", "Audio", "/etc/hostname is outside the content folder", OUTSIDE_FIX),
    ("cursus/passwd-kort.md", "Audio", "../../etc/passwd is outside the content folder", "/"),
    ("podcast/gelinkt.mp3", "Audio", "links to ", "copy the audio file into the content folder"),
    ("cursus/kapot.md", "Audio", "damaged", "export the episode as MP3 again"),
    ("cursus/half.md", "Audio", "truncated", "export or copy the file again"),
    ("cursus/tekst.md", "Audio", "not an MP3 or M4A", "export the episode as MP3"),
    ("cursus/leeg.md", "Audio", "empty (0 bytes)", "replace the file"),
    ("cursus/weg.md", "Audio", "audio/bestaat-niet.mp3 does not exist", "correct the path"),
    ("cursus/dubbel.md", "Episode", "episode number 2 is also used by", "its own number"),
    ("cursus/zelfde.md", "Audio", "audio/les-2.mp3 is also the audio of", "own file"),
    ("cursus/guid-twee.md", "Guid", "GUID urn:x:1 is also the GUID of", "its own GUID"),
    ("podcast/zonder-datum.mp3", "Date", "no recording date tag", "set the date in your tag"),
    ("podcast/geen-audio.mp3", "Audio", "not an MP3 or M4A", "export the episode as MP3"),
    ("cursus/onbekend.md", "Podcast", "'onbekend' is not a show", "use one of"),
    ("pelicanconf.py", 'PODCAST_SHOWS["slecht"]["artwork"]', "600×600 px", "1400–3000 px"),
    ("pelicanconf.py", 'PODCAST_SHOWS["slecht"]["category"]', "'Onderwijs' is not one", "Arts"),
]


def assert_reported(log: str, settings: str = "pelicanconf.py") -> None:
    assert "Traceback" not in log
    for source, field, message, fix in PROBLEMS:
        source = settings if source == "pelicanconf.py" else source  # the file of this build
        lines = [line for line in log.splitlines() if f"{field}: " in line and message in line]
        assert lines, f"no report of {source} {field} {message} in:\n{log}"
        assert any(source in line and fix in line for line in lines), lines


def assert_nothing_from_outside(output: Path, outside_mp3: Path) -> None:
    """No file from outside the content folder was published, under any name."""
    secrets = {outside_mp3.read_bytes(), Path("/etc/passwd").read_bytes()}
    secrets.add(Path("/etc/hostname").read_bytes())
    for path in output.rglob("*"):
        assert path.name not in {"passwd", "hostname", "buiten.mp3", "gelinkt.mp3"}, path
        if path.is_file():
            assert path.read_bytes() not in secrets, path
    for page in output.rglob("*.html"):
        text = page.read_text()
        assert "etc/passwd" not in text and "buiten.mp3" not in text, page


def test_development_build_warns_and_leaves_broken_episodes_out(bad_site, tmp_path):
    content, overrides = bad_site
    result = run_pelican(tmp_path / "out", content=content, overrides=overrides)
    assert result.returncode == 0, result.stderr
    assert_reported(result.stdout + result.stderr)
    output = tmp_path / "out"
    feed = feed_path(output, COURSE).read_text()
    for title in ("Kapot", "Tweede les 2", "Guid twee", "Les 30", "Zelfde audio"):
        assert title not in feed
    bad = ("kapot", "half", "tekst", "leeg", "weg", "dubbel", "guid-twee", "onbekend", "zelfde")
    bad += ("zonder-datum", "geen-audio", *OUTSIDE, "gelinkt")
    for name in bad:
        assert not (output / name).exists()
    assert_nothing_from_outside(output, content.parent / "buiten.mp3")
    assert "Guid een" in feed and "Les 1" in feed  # the good ones stay
    assert not (output / "podcast" / "slecht").exists()  # the broken show: no feed, no page
    assert (output / "slecht" / "index.html").exists()  # its episode stays an article


def test_publish_build_fails_with_the_same_report(bad_site, tmp_path):
    content, overrides = bad_site
    shutil.copytree(content, tmp_path / "content", symlinks=True)
    shutil.copy(content.parent / "buiten.mp3", tmp_path / "buiten.mp3")
    result = run_pelican(
        tmp_path / "out",
        settings="publishconf.py",
        content=tmp_path / "content",
        overrides=overrides,
    )
    assert result.returncode == 1
    assert_reported(result.stdout + result.stderr, "publishconf.py")
    assert_nothing_from_outside(tmp_path / "out", tmp_path / "buiten.mp3")
    assert "fails" in result.stdout + result.stderr


# --- Cache ------------------------------------------------------------------------------------


def pelican_in_process(content: Path, output: Path, cache: Path, overrides: dict) -> None:
    """One real Pelican build in this process (so the test can watch the plugin's reads)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(
        str(Path(__file__).resolve().parent.parent / "pelicanconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(cache),
            **overrides,
        },
    )
    Pelican(settings).run()


def test_warm_rebuild_reads_no_audio(tmp_path, monkeypatch):
    import plugins.podcast.cache

    content, overrides = make_site(tmp_path)
    opened: list[str] = []
    real_open = plugins.podcast.cache.open_audio

    def counting_open(path, *args, **kwargs):
        opened.append(Path(path).name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(plugins.podcast.cache, "open_audio", counting_open)
    cache = tmp_path / "cache"
    pelican_in_process(content, tmp_path / "out1", cache, overrides)
    audio_files = {"les-1.mp3", "les-2.mp3", "les 3 één.mp3", "aflevering-een.mp3"}
    assert audio_files <= set(opened)  # the cold build read every episode's audio
    assert (cache / "podcast-audio-facts.json").is_file()
    opened.clear()
    pelican_in_process(content, tmp_path / "out2", cache, overrides)
    assert opened == [], "a rebuild with unchanged audio must read no audio bytes"
    cover = (tmp_path / "out1" / "les-1" / "cover.jpg").read_bytes()
    assert (tmp_path / "out2" / "les-1" / "cover.jpg").read_bytes() == cover  # from the cache
    for show in (COURSE, SHOW):
        assert (
            feed_path(tmp_path / "out2", show).read_bytes()
            == feed_path(tmp_path / "out1", show).read_bytes()
        )
    # Changing one file makes exactly that file be read again.
    les2 = content / "audio" / "les-2.mp3"
    les2.write_bytes(af.tag(af.encode(5, vbr=True, seed=12), title="Les 2", track="2/3"))
    pelican_in_process(content, tmp_path / "out3", cache, overrides)
    assert opened == ["les-2.mp3"]
    feed = etree.fromstring(feed_path(tmp_path / "out3", COURSE).read_bytes())
    lesson2 = next(i for i in feed.iter("item") if i.findtext("title") == "Les 2")
    assert lesson2.findtext("itunes:duration", namespaces=NS) == "5"


# --- The generated test site (tests/fixture_site.py) -------------------------------------------


def site_episodes(show: str) -> dict[str, tuple[str, float]]:
    """Title → (audio path, true seconds) of the test site's published episodes of a show."""
    return {e.title: (e.audio, e.seconds) for e in fixture_site.episodes(show)}


@pytest.mark.parametrize("show", fixture_site.SHOWS)
def test_site_feeds_pass_every_check(publish_site, show):
    import publishconf

    expected = site_episodes(show)
    assert len(expected) >= 2
    content = fixture_content(publish_site)
    xml = feed_path(publish_site, show).read_bytes()
    check_feed_rules(
        xml,
        output=publish_site,
        content=content,
        domain=publishconf.SITEURL,
        show=show,
        settings=fixture_site.shows()[show],
        expected=expected,
    )
    parsed = podcastparser.parse(f"{publishconf.SITEURL}/podcast/{show}/feed.xml", io.BytesIO(xml))
    assert {e["title"] for e in parsed["episodes"]} == set(expected)
    for episode in parsed["episodes"]:
        audio, seconds = expected[episode["title"]]
        (enclosure,) = episode["enclosures"]
        assert enclosure["url"] == f"{publishconf.SITEURL}/{quote(published_path(audio))}"
        assert enclosure["file_size"] == (content / audio).stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
        assert abs(episode["total_time"] - seconds) <= 1
    entries = feedparser.parse(xml).entries
    assert {e.title for e in entries} == set(expected)
    for entry in entries:
        audio, seconds = expected[entry.title]
        (enclosure,) = entry.enclosures
        assert int(enclosure.length) == (content / audio).stat().st_size
        assert abs(int(entry.itunes_duration) - seconds) <= 1


def test_site_course_is_serial_with_numbered_lessons(dev_site):
    root = etree.fromstring(feed_path(dev_site, fixture_site.COURSE).read_bytes())
    assert root.findtext("channel/itunes:type", namespaces=NS) == "serial"
    numbers = sorted(int(i.findtext("itunes:episode", namespaces=NS)) for i in root.iter("item"))
    assert numbers == [lesson.number for lesson in fixture_site.LESSONS]
    first = fixture_site.LESSONS[0].slug
    page = parse_page(dev_site / first / "index.html")
    assert not page.errors
    # The scheduled lesson counts: the course is announced with all its lessons.
    assert f"Les 1 van {fixture_site.COURSE_LENGTH}" in page.text and "Volgende les" in page.text
    assert (dev_site / first / "chapters.json").is_file()
    show_page = parse_page(dev_site / "podcast" / fixture_site.COURSE / "index.html")
    titles = [show_page.text.index(lesson.title) for lesson in fixture_site.LESSONS]
    assert titles == sorted(titles)  # course order
    assert fixture_site.FUTURE_LESSON.title not in show_page.text


def test_the_guid_registry_fixes_the_guids_of_both_builds(dev_site, publish_site):
    """Development and publish builds (other feed URLs, so other derived GUIDs) both take every
    item GUID from the site's committed registry, and the publish build leaves it unchanged."""
    registry = fixture_site.files()[fixture_site.GUID_REGISTRY]
    assert (fixture_content(publish_site) / fixture_site.GUID_REGISTRY).read_bytes() == registry
    for show in fixture_site.SHOWS:
        expected = {e.guid for e in fixture_site.episodes(show)}
        for site in (dev_site, publish_site):
            feed = etree.fromstring(feed_path(site, show).read_bytes())
            assert {i.findtext("guid") for i in feed.iter("item")} == expected


def test_a_future_lesson_is_published_by_a_rebuild_on_its_date(tmp_path):
    """The weekly course: a lesson dated later appears with the first build after its date."""
    import time
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    content, overrides = make_site(tmp_path)
    due = datetime.now(ZoneInfo("Europe/Amsterdam")) + timedelta(seconds=15)
    (content / "cursus" / "les-4.md").unlink()
    lesson(content, 4, "audio/les-4.mp3", due.strftime("%Y-%m-%d %H:%M:%S"))
    cache = tmp_path / "cache"
    before = build(
        tmp_path / "before",
        settings="publishconf.py",
        content=content,
        overrides=overrides,
        cache=cache,
    )
    assert datetime.now(ZoneInfo("Europe/Amsterdam")) < due, "the first build took too long"
    assert "Les 4" not in feed_path(before, COURSE).read_text()
    assert not (before / "les-4").exists() and not (before / "drafts").exists()
    time.sleep(max(0.0, (due - datetime.now(ZoneInfo("Europe/Amsterdam"))).total_seconds() + 1))
    after = build(
        tmp_path / "after",
        settings="publishconf.py",
        content=content,
        overrides=overrides,
        cache=cache,
    )
    assert "Les 4" in feed_path(after, COURSE).read_text()
    assert (after / "les-4" / "index.html").is_file()
