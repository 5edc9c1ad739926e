"""plugins/redirects: the map's targets, the server snippets, feed entry ids, the development
server's answer to old query-string addresses, and the problem lines of a broken map."""

from __future__ import annotations

import io
import json

import feedparser
from feedgenerator import Atom1Feed, Rss201rev2Feed

from plugins.redirects import feed_ids, snippets
from plugins.redirects.targets import (
    Addresses,
    page_file,
    resolve_map,
    resolve_target,
    split_address,
)
from schitter.devserver import query_redirect
from tests import audio_fixtures as af
from tests.sitecheck import run_pelican

SITE = Addresses(
    content={"articles/ritme.md": "/ritme/", "pages/over.md": "/over-mij/"},
    static={"images/a.jpg": "/images/a.jpg"},
    categories={"Groei": "/categorie/groei/"},
    category_feeds={"Groei": "/feeds/categorie/groei.atom.xml"},
    tags={"ritme": "/tag/ritme/"},
    authors={"Sanne de Wit": "/auteur/sanne-de-wit/"},
    archives={"2024": "/archief/2024/", "2024/03": "/archief/2024/03/"},
    podcast_feeds={"show": "/podcast/show/feed.xml"},
    feed="/feeds/alles.atom.xml",
)


def test_every_kind_of_target():
    expected = {
        "{filename}articles/ritme.md": "/ritme/",
        "{filename}/articles/ritme.md": "/ritme/",
        "{static}images/a.jpg": "/images/a.jpg",
        "{category}Groei": "/categorie/groei/",
        "{category-feed}Groei": "/feeds/categorie/groei.atom.xml",
        "{tag}ritme": "/tag/ritme/",
        "{author}Sanne de Wit": "/auteur/sanne-de-wit/",
        "{archive}2024/03": "/archief/2024/03/",
        "{feed}": "/feeds/alles.atom.xml",
        "{podcast-feed}show": "/podcast/show/feed.xml",
        "/zelf/": "/zelf/",
        "{filename}articles/weg.md": None,
        "{onbekend}x": None,
        "https://elders.nl/": None,
        "//elders.nl/": None,
    }
    assert {target: resolve_target(target, SITE) for target in expected} == expected
    without_feeds = Addresses(categories={"Groei": "/categorie/groei/"})
    assert resolve_target("{category-feed}Groei", without_feeds) == "/categorie/groei/"


def test_old_addresses_that_can_and_cannot_redirect():
    assert split_address("/2024/03/15/ritme/") == ("/2024/03/15/ritme/", "", "")
    assert split_address("/?p=12") == ("/", "p", "12")
    assert split_address("/blog/?page_id=3") == ("/blog/", "page_id", "3")
    for refused in (
        "/",
        "relative/",
        "//host/x",
        "/a/../b/",
        "/a//b/",
        "/?p=1&x=2",
        "/x#y",
        "/a\nb",
    ):
        assert split_address(refused) is None, refused


def test_the_map_resolved_against_the_build():
    resolved = resolve_map(
        {
            "/2024/03/15/ritme/": "{filename}articles/ritme.md",
            "/over-mij/": "{filename}pages/over.md",  # the old address is the new one
            "/?p=12": "{filename}articles/ritme.md",
            "/?feed=rss2": "{feed}",
            "/é/": "/over-mij/",
            "/oud/": "{filename}articles/weg.md",
            "/../etc/": "/over-mij/",
        },
        SITE,
    )
    assert resolved.paths == {"/2024/03/15/ritme/": "/ritme/", "/é/": "/over-mij/"}
    assert resolved.queries == {
        "/": {"feed": {"rss2": "/feeds/alles.atom.xml"}, "p": {"12": "/ritme/"}}
    }
    assert [(old, what.split(",")[0]) for old, what, _ in resolved.problems] == [
        ("/../etc/", "is not an address of this site (a path starting with /"),
        ("/oud/", "points at {filename}articles/weg.md"),
    ]


def test_page_files():
    assert page_file("/2024/03/ritme/") == "2024/03/ritme/index.html"
    assert page_file("/archives/12") == "archives/12/index.html"
    assert page_file("/oud/pagina.html") == "oud/pagina.html"
    assert page_file("/index.php/2024/x/") == "index.php/2024/x/index.html"


def test_nginx_and_caddy_snippets():
    paths = {"/2024/03/ritme/": "/ritme/", "/met spatie/": "/x/", '/"quote"/': "/x/"}
    queries = {"/": {"feed": {"rss2": "/f.xml"}, "p": {"12": "/ritme/", "1;2": "/x/"}}}
    http = snippets.nginx_http(paths, queries)
    assert '    "/2024/03/ritme/" "/ritme/";\n    "/2024/03/ritme" "/ritme/";\n' in http
    assert 'map "$uri|$arg_p" $schitter_redirect_p {' in http
    assert '    "/|12" "/ritme/";\n    "/index.php|12" "/ritme/";\n' in http
    assert "spatie" not in http and "quote" not in http and "1;2" not in http
    server = snippets.nginx_server(queries)
    assert server.index("$schitter_redirect_p;") < server.index("$schitter_redirect_feed;")
    caddy = snippets.caddyfile(paths, queries)
    assert "redir /2024/03/ritme/ /ritme/ permanent\n" in caddy
    assert "    path / /index.php\n    query p=12\n}\nredir @schitter_redirect_" in caddy
    assert "spatie" not in caddy and "1;2" not in caddy


def test_imported_posts_keep_their_feed_ids():
    class Article:
        def __init__(self, url, guid=""):
            self.url, self.guid = url, guid

    ids = feed_ids.entry_ids(
        [
            Article("ritme/", "https://oud.nl/?p=102"),
            Article("één/", "https://oud.nl/?p=113"),
            Article("nieuw/"),
        ],
        "https://communitykompas.nl",
    )
    assert ids == {"/ritme/": "https://oud.nl/?p=102", "/één/": "https://oud.nl/?p=113"}
    for kind in (Atom1Feed, Rss201rev2Feed):
        feed = kind("Titel", "https://communitykompas.nl/", "Over")
        for path in ("ritme/", "één/", "nieuw/"):
            feed.add_item(
                title=path,
                link=f"https://communitykompas.nl/{path}",
                description="x",
                unique_id=f"tag:communitykompas.nl,2024:/{path}",
            )
        assert feed_ids.apply_entry_ids(feed, ids) == 2
        out = io.StringIO()
        feed.write(out, "utf-8")
        parsed = feedparser.parse(out.getvalue())
        assert [e.id for e in parsed.entries] == [
            "https://oud.nl/?p=102",
            "https://oud.nl/?p=113",
            "tag:communitykompas.nl,2024:/nieuw/",
        ]
        if kind is Rss201rev2Feed:
            assert '<guid isPermaLink="false">https://oud.nl/?p=102</guid>' in out.getvalue()


def test_the_development_server_answers_old_query_addresses(tmp_path):
    (tmp_path / "redirects").mkdir()
    (tmp_path / "redirects" / "map.json").write_text(
        json.dumps({"queries": {"/": {"p": {"12": "/ritme/"}, "feed": {"rss2": "/f.xml"}}}})
    )
    assert query_redirect(tmp_path, "/?p=12") == "/ritme/"
    assert query_redirect(tmp_path, "/?utm_source=x&p=12&feed=rss2") == "/ritme/"  # p first
    assert query_redirect(tmp_path, "/?p=13") is None
    assert query_redirect(tmp_path, "/ritme/") is None
    assert query_redirect(tmp_path / "geen", "/?p=12") is None


def test_a_broken_map_is_a_problem_line_and_fails_a_strict_build(tmp_path):
    content = tmp_path / "content"
    af.write(content / "images" / "standaard-deelafbeelding.jpg", af.cover_jpeg((1200, 630)))
    af.write(content / "extra" / "favicon.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    (content / "articles").mkdir()
    (content / "articles" / "ritme.md").write_text(
        "Title: Ritme\nDate: 2024-03-15 09:30\nSummary: Over ritme.\n\nTekst.\n"
    )
    (content / "redirects.json").write_text(
        json.dumps(
            {
                "version": 1,
                "redirects": {
                    "/2024/03/ritme/": "{filename}articles/ritme.md",
                    "/oud/": "{filename}articles/weg.md",
                },
            }
        )
    )
    overrides = {"PODCAST_SHOWS": {}, "MENUITEMS": []}
    built = run_pelican(tmp_path / "dev", content=content, overrides=overrides)
    assert built.returncode == 0
    line = (
        "content/redirects.json: redirects: '/oud/' points at {filename}articles/weg.md, which "
        "this build does not have; it does not redirect — point it at a file, category or tag "
        "that exists, or remove the line"
    )
    assert line in built.stdout + built.stderr
    assert (tmp_path / "dev" / "2024" / "03" / "ritme" / "index.html").is_file()
    strict = run_pelican(
        tmp_path / "publish", "publishconf.py", content=content, overrides=overrides
    )
    assert strict.returncode == 1 and line in strict.stdout + strict.stderr
    (content / "redirects.json").write_text("{niet")
    broken = run_pelican(tmp_path / "dev2", content=content, overrides=overrides)
    assert "content/redirects.json: redirects: is not a redirect map (JSONDecodeError)" in (
        broken.stdout + broken.stderr
    )
