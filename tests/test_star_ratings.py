"""star_ratings: pure functions, the admin CLI (WordPress import) and full builds with a seeded
store — baked scores in the pages and in the JSON-LD, the manifest, strict publish behaviour."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from plugins.core.site import stable_id as rating_id
from plugins.ratings.scores import Rating, json_ld, parse_snapshot, structured_data
from reader_service import admin
from reader_service.backends import open_store
from reader_service.config import Settings
from tests import fixture_site
from tests.reader_service_support import ITEM_IDS, ServiceThread, free_port, make_content
from tests.sitecheck import build, parse_page, run_pelican

SERVICE = "http://127.0.0.1:8001"
# welkom: 12 votes, sum 52 → 4,33; aflevering-1: 5, 4, 4; les-1: none;
# oude-naam: 1 web vote (5) + WordPress post 42 (5 votes, sum 20) → 6 votes, 25 → 4,17.
SEED = {"welkom": [5] * 7 + [4] * 3 + [3, 2], "aflevering-1": [5, 4, 4], "oude-naam": [5]}


# --- pure functions ---------------------------------------------------------------------------
def test_rating_id_prefers_the_explicit_id():
    assert rating_id({"rating-id": " oude-naam "}, "nieuwe-naam") == "oude-naam"
    assert rating_id({}, "nieuwe-naam") == "nieuwe-naam"


def test_json_ld_cannot_end_its_script_element():
    text = json_ld({"name": "Over </script><script>alert(1)</script> & <!-- meer"})
    assert "</script" not in text and "<!--" not in text and "&" not in text
    assert json.loads(text)["name"] == "Over </script><script>alert(1)</script> & <!-- meer"


def test_aggregate_rating_only_where_allowed():
    rated = Rating("x", count=2, total=9, baked=True)
    kwargs = dict(
        title="T",
        url="https://s/x/",
        description="",
        published="2026-01-01",
        author="A",
        site_name="S",
        rated_types=frozenset({"Course", "PodcastEpisode"}),
    )
    assert "aggregateRating" not in structured_data("BlogPosting", rating=rated, **kwargs)
    episode = structured_data("PodcastEpisode", rating=rated, **kwargs)
    assert episode["aggregateRating"]["ratingValue"] == 4.5
    assert episode["aggregateRating"]["ratingCount"] == 2
    nobody = Rating("x", baked=True)
    assert "aggregateRating" not in structured_data("Course", rating=nobody, **kwargs)


def test_parse_snapshot_refuses_garbage():
    from plugins.ratings.scores import SnapshotUnavailable

    with pytest.raises(SnapshotUnavailable):
        parse_snapshot({"items": {"x": {"count": "many"}}})
    with pytest.raises(SnapshotUnavailable):
        parse_snapshot([1])


# --- admin CLI --------------------------------------------------------------------------------
def run_admin(*args) -> tuple[int, str]:
    out = io.StringIO()
    return admin.main(list(args), out=out), out.getvalue()


def test_admin_stats_export_delete(tmp_path):
    database = str(tmp_path / "r.sqlite3")
    store = open_store(database)
    store.add_vote("a", 5, "k1", 1_700_000_000)
    store.add_vote("a", 3, "k2", 1_700_000_100)
    store.add_vote("b", 1, "k3", 1_800_000_000)
    store.close()
    code, text = run_admin("--database", database, "stats")
    assert code == 0 and re.search(r"^a\s+2\s+4\.00\s+0\s+0\s+1\s+0\s+1$", text, re.M)
    code, text = run_admin("--database", database, "stats", "--json")
    assert json.loads(text)["b"]["count"] == 1
    code, text = run_admin("--database", database, "export", "--format", "json")
    votes = json.loads(text)
    assert [v["item"] for v in votes] == ["a", "a", "b"] and "voter_key" not in votes[0]
    csv_file = tmp_path / "votes.csv"
    assert run_admin("--database", database, "export", "--output", str(csv_file))[0] == 0
    assert csv_file.read_text().splitlines()[0] == "id,item,score,created_at,source"
    code, text = run_admin(
        "--database", database, "delete", "--since", "2023-11-14T22:14:00", "--until", "2024-01-01"
    )
    assert (code, text) == (0, "deleted 1 vote(s)\n")  # only a's second vote (…100) is inside
    assert run_admin("--database", database, "delete", "--item", "b")[1] == "deleted 1 vote(s)\n"
    store = open_store(database)
    assert {k: v.count for k, v in store.scores().items()} == {"a": 1}


POSTMETA_SQL = """-- mysqldump of wp_postmeta
INSERT INTO `wp_postmeta` VALUES (1,42,'ratings_users','5'),(2,42,'ratings_score','20'),
(3,42,'ratings_average','4'),(4,43,'_edit_lock','x\\'y'),(5,99,'ratings_users','2'),
(6,99,'ratings_score','9');
"""
LOG_CSV = """rating_id,rating_postid,rating_posttitle,rating_rating,rating_timestamp,\
rating_ip,rating_host,rating_username,rating_userid
1,7,"Aflevering, één",5,1600000000,192.0.2.1,host,Guest,0
2,7,"Aflevering, één",4,1600000100,192.0.2.2,host,Guest,0
3,8,Other,2,1600000200,192.0.2.3,host,Guest,0
"""
LOG_SQL = """INSERT INTO `wp_ratings` VALUES
(1,7,'Aflevering',5,1600000000,'192.0.2.1','h','Guest',0),
(2,7,'It\\'s',4,1600000100,'192.0.2.2','h','Guest',0);"""


def import_postmeta(database: str, folder: Path, mapping_rows: str) -> tuple[int, str]:
    """Import POSTMETA_SQL with a mapping of WordPress post ids to rating ids (CSV rows)."""
    mapping = folder / "mapping.csv"
    mapping.write_text("wordpress,rating_id\n" + mapping_rows)
    postmeta = folder / "postmeta.sql"
    postmeta.write_text(POSTMETA_SQL)
    return run_admin(
        "--database",
        database,
        "import-wordpress",
        "--mapping",
        str(mapping),
        "--postmeta",
        str(postmeta),
    )


def test_wordpress_import(tmp_path):
    database = str(tmp_path / "r.sqlite3")
    mapping = tmp_path / "mapping.csv"
    code, text = import_postmeta(database, tmp_path, "42,oude-naam\n7,aflevering-1\n")
    assert code == 0, text
    assert "imported 5 vote(s) for 1 item(s)" in text and "99" in text  # 99 has no mapping
    log_csv = tmp_path / "ratings.csv"
    log_csv.write_text(LOG_CSV)
    for _ in range(2):  # importing twice replaces, never doubles
        code, text = run_admin(
            "--database",
            database,
            "import-wordpress",
            "--mapping",
            str(mapping),
            "--log",
            str(log_csv),
        )
        assert code == 0 and "imported 2 vote(s)" in text and "8" in text
    store = open_store(database)
    scores = store.scores()
    assert (scores["oude-naam"].count, scores["oude-naam"].total) == (5, 20)
    assert scores["oude-naam"].imported == 5
    assert (scores["aflevering-1"].count, scores["aflevering-1"].total) == (2, 9)
    assert scores["aflevering-1"].distribution[5] == 1
    with store.transaction() as cur:
        cur.execute("SELECT COUNT(*) FROM votes WHERE voter_key IS NOT NULL")
        assert cur.fetchone()[0] == 0  # no IP addresses or keys from WordPress
    store.close()
    log_sql = tmp_path / "ratings.sql"
    log_sql.write_text(LOG_SQL)
    other = str(tmp_path / "other.sqlite3")
    code, text = run_admin(
        "--database", other, "import-wordpress", "--mapping", str(mapping), "--log", str(log_sql)
    )
    assert code == 0 and "imported 2 vote(s)" in text


def test_wordpress_import_errors_name_the_file(tmp_path, capsys):
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("post,id\n1,a\n")
    log = tmp_path / "log.csv"
    log.write_text(LOG_CSV)
    code, _ = run_admin(
        "--database",
        str(tmp_path / "r.sqlite3"),
        "import-wordpress",
        "--mapping",
        str(mapping),
        "--log",
        str(log),
    )
    assert code == 2 and "mapping.csv" in capsys.readouterr().err
    mapping.write_text("wordpress,rating_id\n7,a\n")
    log.write_text(LOG_CSV.replace(",5,1600000000", ",10,1600000000"))
    code, _ = run_admin(
        "--database",
        str(tmp_path / "r.sqlite3"),
        "import-wordpress",
        "--mapping",
        str(mapping),
        "--log",
        str(log),
    )
    error = capsys.readouterr().err
    assert code == 2 and "log.csv:2: rating_rating = '10'" in error


# --- full builds ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ratings-build")
    database = str(folder / "ratings.sqlite3")
    store = open_store(database)
    for item, scores in SEED.items():
        for number, score in enumerate(scores):
            assert store.add_vote(item, score, f"{item}-{number}", 1_700_000_000 + number)
    store.close()
    code, text = import_postmeta(database, folder, "42,oude-naam\n")
    assert code == 0, text
    return {"folder": folder, "database": database, "content": make_content(folder / "content")}


def build_with(seeded, name, **overrides):
    settings = {"RATINGS_STORE": seeded["database"], "RATINGS_SERVICE_URL": SERVICE, **overrides}
    return build(seeded["folder"] / name, content=seeded["content"], overrides=settings)


@pytest.fixture(scope="module")
def nl_build(seeded):
    return build_with(seeded, "nl")


def json_ld_of(output: Path, slug: str) -> dict:
    html = (output / slug / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(found) == 1
    return json.loads(found[0])


def test_baked_scores_in_dutch(nl_build):
    page = parse_page(nl_build / "welkom" / "index.html")
    assert page.errors == []
    assert "Gemiddeld 4,3 van 5 · 12 stemmen" in page.text
    assert "Beoordeel dit artikel" in page.text
    for label in ("1 ster", "2 sterren", "3 sterren", "4 sterren", "5 sterren"):
        assert label in page.text
    html = (nl_build / "welkom" / "index.html").read_text()
    assert f'<form class="rating__form" method="post" action="{SERVICE}/votes">' in html
    assert '<input type="hidden" name="item" value="welkom">' in html
    assert re.search(r'data-stars="5">.*?rating__spread-count">7<', html)
    assert html.count('type="radio" name="score"') == 5
    episode = parse_page(nl_build / "aflevering-1" / "index.html").text
    assert "Gemiddeld 4,3 van 5 · 3 stemmen" in episode and "Beoordeel deze aflevering" in episode
    lesson = parse_page(nl_build / "les-1-het-fundament" / "index.html").text
    assert "Nog geen stemmen" in lesson and "Beoordeel deze les" in lesson
    imported = parse_page(nl_build / "nieuwe-naam" / "index.html").text
    assert "Gemiddeld 4,2 van 5 · 6 stemmen" in imported
    assert "5 eerdere stemmen zonder verdeling over de sterren" in imported


def test_json_ld_of_every_item(nl_build):
    post = json_ld_of(nl_build, "welkom")
    assert post["@type"] == "BlogPosting" and "aggregateRating" not in post
    assert post["name"] == "Welkom </script> bij de community"
    assert post["url"] == "http://127.0.0.1:8000/welkom/"
    episode = json_ld_of(nl_build, "aflevering-1")
    assert episode["@type"] == "PodcastEpisode"
    assert episode["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.33,
        "ratingCount": 3,
        "bestRating": 5,
        "worstRating": 1,
    }
    course = json_ld_of(nl_build, "les-1-het-fundament")
    assert course["@type"] == "Course" and "aggregateRating" not in course
    assert course["provider"]["name"]


def test_manifest_lists_every_item_with_stable_ids(nl_build):
    manifest = json.loads((nl_build / "ratings" / "manifest.json").read_text())
    assert [i["id"] for i in manifest["items"]] == ITEM_IDS
    moved = next(i for i in manifest["items"] if i["id"] == "oude-naam")
    assert moved["url"] == "/nieuwe-naam/"


def test_english_build(seeded):
    output = build_with(seeded, "en", DEFAULT_LANG="en")
    text = parse_page(output / "welkom" / "index.html").text
    assert "Average 4.3 of 5 · 12 votes" in text and "Rate this article" in text
    assert "1 star" in text and "5 stars" in text


def test_dev_build_without_a_snapshot_renders_without_score(seeded):
    output = seeded["folder"] / "no-store"
    result = run_pelican(
        output,
        content=seeded["content"],
        overrides={"RATINGS_STORE": str(seeded["folder"] / "missing.sqlite3")},
    )
    assert result.returncode == 0, result.stderr
    assert "pages show no score" in result.stdout + result.stderr
    html = (output / "welkom" / "index.html").read_text()
    # No score and (in the test builds) no service to vote at: no empty rating box at all.
    assert '<section class="rating"' not in html
    assert "Gemiddeld" not in parse_page(output / "welkom" / "index.html").text
    assert "aggregateRating" not in html and "application/ld+json" in html


def test_publish_build_fails_without_a_snapshot(seeded):
    closed = f"http://127.0.0.1:{free_port()}/scores"
    output = seeded["folder"] / "publish-fails"
    result = run_pelican(
        output,
        settings="publishconf.py",
        content=seeded["content"],
        overrides={"RATINGS_SNAPSHOT_URL": closed, "RATINGS_ALLOW_MISSING_SNAPSHOT": False},
    )
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "RATINGS_SNAPSHOT_URL" in log and "RATINGS_ALLOW_MISSING_SNAPSHOT" in log
    assert "Traceback" not in log
    allowed = run_pelican(
        seeded["folder"] / "publish-allowed",
        settings="publishconf.py",
        content=seeded["content"],
        overrides={"RATINGS_SNAPSHOT_URL": closed, "RATINGS_ALLOW_MISSING_SNAPSHOT": True},
    )
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_publish_build_bakes_the_snapshot_from_the_service(seeded, tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text('{"items": []}')
    service = ServiceThread(
        Settings(database=seeded["database"], secret="x" * 20, manifest=str(manifest))
    )
    try:
        output = build(
            seeded["folder"] / "publish",
            settings="publishconf.py",
            content=seeded["content"],
            overrides={
                "RATINGS_SNAPSHOT_URL": f"{service.url}/scores",
                "RATINGS_ALLOW_MISSING_SNAPSHOT": False,
                "SITEURL": "https://voorbeeld.nl",
            },
        )
    finally:
        service.stop()
    assert "Gemiddeld 4,3 van 5 · 12 stemmen" in parse_page(output / "welkom" / "index.html").text
    manifest = json.loads((output / "ratings" / "manifest.json").read_text())
    assert {i["url"] for i in manifest["items"]} >= {"https://voorbeeld.nl/welkom/"}
    assert json_ld_of(output, "aflevering-1")["aggregateRating"]["ratingCount"] == 3


def test_duplicate_or_bad_rating_ids_are_reported(seeded, tmp_path):
    content = make_content(tmp_path / "content")
    (content / "articles" / "dubbel.md").write_text(
        "Title: Dubbel\nDate: 2026-02-01\nCategory: Communities\nRating-Id: welkom\n\nTekst.\n"
    )
    (content / "articles" / "fout.md").write_text(
        "Title: Fout\nDate: 2026-02-02\nCategory: Communities\nRating-Id: Met Spaties\n\nTekst.\n"
    )
    result = run_pelican(
        tmp_path / "out", content=content, overrides={"RATINGS_STORE": seeded["database"]}
    )
    log = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0
    assert "Rating-Id" in log and "already used" in log and "not a usable id" in log


def test_every_article_lesson_and_episode_has_json_ld_and_a_widget(dev_site, tmp_path):
    manifest = json.loads((dev_site / "ratings" / "manifest.json").read_text())
    assert sorted(item["id"] for item in manifest["items"]) == sorted(
        item.slug for item in fixture_site.PUBLISHED
    )
    for item in manifest["items"]:
        path = item["url"].strip("/")
        page = dev_site / path / "index.html"
        html = page.read_text(encoding="utf-8")
        assert html.count('<script type="application/ld+json">') == 1, page
        # The shared demo build has no service and no scores: nothing to show, no box.
        assert f'data-rating-item="{item["id"]}"' not in html, page
        data = json_ld_of(dev_site, path)
        assert data["@type"] in ("BlogPosting", "Course", "PodcastEpisode")
        assert data["name"] == item["title"]
    # With a service to vote at, every rateable item has its widget.
    voting = build(tmp_path / "voting", overrides={"RATINGS_SERVICE_URL": "http://127.0.0.1:9"})
    for item in manifest["items"]:
        html = (voting / item["url"].strip("/") / "index.html").read_text(encoding="utf-8")
        assert f'data-rating-item="{item["id"]}"' in html, item


def test_a_wrong_setting_is_reported_by_name(seeded, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        content=seeded["content"],
        overrides={"RATINGS_STORE": seeded["database"], "RATINGS_ALLOW_MISSING_SNAPSHOT": "ja"},
    )
    log = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0
    assert "RATINGS_ALLOW_MISSING_SNAPSHOT" in log and "is not True or False" in log


def test_serve_starts_the_reader_service_on_embedded_defaults(tmp_path, monkeypatch):
    import time
    import urllib.request

    import tasks
    from tests.reader_service_support import write_manifest

    port = free_port()
    monkeypatch.setenv("READER_SERVICE_DATABASE", str(tmp_path / "dev.sqlite3"))
    monkeypatch.setenv("READER_SERVICE_SECRET_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv(
        "READER_SERVICE_MANIFEST", str(write_manifest(tmp_path / "m.json", ["welkom"]))
    )
    monkeypatch.setenv("READER_SERVICE_PORT", str(port))
    process = tasks._start_reader_service(8000, port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert json.load(r)["status"] == "ok"
                    break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        from tests.reader_service_support import vote

        status, _, data = vote(f"http://127.0.0.1:{port}", "welkom", 5)  # dev origin :8000
        assert status == 201, data
        assert (tmp_path / "secret").exists()  # a dev secret was generated
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_new_vote_is_shown_by_a_rebuild_of_an_otherwise_unchanged_site(tmp_path):
    """The pages of an unchanged site are taken from disk (plugins/output/reuse.py); scores
    come from outside the content folder, so a new vote renders them again."""
    database = str(tmp_path / "ratings.sqlite3")
    store = open_store(database)
    assert store.add_vote("welkom", 5, "lezer-1", 1_700_000_000)
    content = make_content(tmp_path / "content")
    out, settings = tmp_path / "out", {"RATINGS_STORE": database, "RATINGS_SERVICE_URL": SERVICE}
    build(out, content=content, overrides=settings)
    assert "Gemiddeld 5,0 van 5 · 1 stem" in parse_page(out / "welkom" / "index.html").text
    assert store.add_vote("welkom", 1, "lezer-2", 1_700_000_100)
    store.close()
    build(out, content=content, overrides=settings)
    assert "Gemiddeld 3,0 van 5 · 2 stemmen" in parse_page(out / "welkom" / "index.html").text
