"""WordPress comments into the comment store: the Dutch fixture export's comments land under
the right stable ids with their threads (one level), approved ones in the snapshot, pending
ones pending, spam and trash absent, no e-mail address in the snapshot or the site; a second
import adds nothing; a wrong record or a store that cannot be written stores nothing; the admin
command and the importer (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from reader_service import comments_admin, comments_store
from reader_service.backends import open_store
from reader_service.comments_import import import_wordpress_comments
from reader_service.wordpress import ImportProblem
from tests import wordpress_fixtures as fx
from tests.reader_service_support import postgres_cluster, reset_postgres
from tests.sitecheck import ROOT
from tests.test_wordpress_import import fixture_export, plan  # noqa: F401 (fixtures)

ITEM = "ritme-in-je-community"


def stored(database: str) -> dict:
    store = open_store(database)
    try:
        return {
            "snapshot": comments_store.snapshot(store),
            "pending": comments_store.listing(store, "pending"),
            "all": comments_store.listing(store),
        }
    finally:
        store.close()


def check_fixture_comments(database: str) -> None:
    state = stored(database)
    thread = state["snapshot"][ITEM]
    by_date = {datetime.fromtimestamp(c["created_at"], UTC): c for c in thread}
    assert len(thread) == 5  # 1, 2, 3, 7, 8 approved; 4 pending; 5 and 6 spam and trash
    first = thread[0]
    assert first["parent"] is None
    replies = [c for c in thread if c["parent"] is not None]
    # 2 answers 1 and 3 answers 2: the site shows one level, so both hang under 1.
    assert len(replies) == 2 and {c["parent"] for c in replies} == {first["id"]}
    hostile = by_date[datetime(2024, 3, 18, 8, 0, tzinfo=UTC)]
    assert "<script" not in hostile["html"] and "onerror" not in hostile["html"]
    assert "Leuk!" in hostile["html"] and hostile["approved_at"] == hostile["created_at"]
    assert [c.item for c in state["pending"]] == [ITEM]
    assert fx.PRIVATE_EMAIL not in json.dumps(state["snapshot"])
    assert fx.PRIVATE_EMAIL in {c.email for c in state["all"]}  # kept, privately


def test_fixture_comments_threaded_and_a_second_import_adds_nothing(plan, tmp_path):  # noqa: F811
    database = str(tmp_path / "store.sqlite3")
    counts = import_wordpress_comments(database, plan.comments)
    assert counts == {"approved": 5, "pending": 1, "already": 0, "replies": 2}
    check_fixture_comments(database)
    before = stored(database)["all"]
    again = import_wordpress_comments(database, plan.comments)
    assert again == {"approved": 0, "pending": 0, "already": 6, "replies": 0}
    assert stored(database)["all"] == before


def test_a_wrong_record_stores_nothing(plan, tmp_path):  # noqa: F811
    database = str(tmp_path / "store.sqlite3")
    records = [r for rs in plan.comments["items"].values() for r in rs]
    broken = [*records[:-1], {**records[-1], "status": "spam"}]
    with pytest.raises(ImportProblem, match="is not approved or pending"):
        import_wordpress_comments(database, broken)
    assert stored(database)["all"] == []


def test_admin_command_imports_the_file(plan, tmp_path):  # noqa: F811
    database = str(tmp_path / "store.sqlite3")
    path = tmp_path / "comments.json"
    path.write_text(json.dumps(plan.comments), encoding="utf-8")
    out = io.StringIO()
    assert comments_admin.main(["--database", database, "import-wordpress", str(path)], out) == 0
    assert "5 approved and 1 pending comment(s) imported" in out.getvalue()
    check_fixture_comments(database)
    path.write_text("{", encoding="utf-8")
    assert comments_admin.main(["--database", database, "import-wordpress", str(path)], out) == 2


def run_import(tmp_path, database: str, *extra: str) -> subprocess.CompletedProcess:
    export, uploads = fx.write_export(tmp_path / "wordpress")
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "schitter.wordpress", str(export), "--content", str(content)]
    command += ["--uploads", str(uploads), "--var", str(tmp_path / "var")]
    command += ["--ratings-database", database, "--podcast-show", "community-kompas", *extra]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_importer_stores_the_comments_once(tmp_path):
    database = str(tmp_path / "store.sqlite3")
    first = run_import(tmp_path, database)
    assert first.returncode == 0, first.stderr
    assert "Comments: 5 approved and 1 pending comment(s) imported" in first.stdout
    check_fixture_comments(database)
    content = tmp_path / "content"
    assert not any(fx.PRIVATE_EMAIL in p.read_text(errors="replace") for p in content.rglob("*.*"))
    second = run_import(tmp_path, database)
    assert second.returncode == 0, second.stderr
    assert "0 approved and 0 pending comment(s) imported" in second.stdout
    assert "6 imported before" in second.stdout


def test_the_importer_reports_a_store_it_cannot_write_in_one_line(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    database = str(tmp_path / "a-file" / "store.sqlite3")
    failed = run_import(tmp_path, database)  # the votes cannot be stored either
    assert failed.returncode == 1
    lines = [line for line in failed.stdout.splitlines() if "comment store:" in line]
    assert len(lines) == 1 and failed.stderr == ""  # one report line, no traceback
    assert lines[0].startswith("  - Comments: not imported, none of them stored (comment store: ")
    skipped = run_import(tmp_path, database, "--no-comments")
    assert "comment store:" not in skipped.stdout + skipped.stderr


def test_fixture_comments_on_postgresql(plan):  # noqa: F811
    with postgres_cluster() as url:
        reset_postgres(url)
        assert import_wordpress_comments(url, plan.comments)["approved"] == 5
        check_fixture_comments(url)
        assert import_wordpress_comments(url, plan.comments)["already"] == 6
