"""The moderation commands on a real store: pending, list, show, approve, reject, delete, edit,
export (with and without e-mail addresses) and forget by e-mail address; wrong input is one
line on stderr and exit status 2."""

from __future__ import annotations

import io
import json

import pytest

from reader_service import comments_admin, comments_store
from reader_service.backends import open_store
from reader_service.comments import Submission, render


@pytest.fixture
def database(tmp_path, monkeypatch):
    # No SMTP, no rebuild: the service's own settings from the environment are not used here.
    for name in ("SMTP_HOST", "REBUILD_COMMAND"):
        monkeypatch.delenv(f"READER_SERVICE_{name}", raising=False)
    path = str(tmp_path / "store.sqlite3")
    store = open_store(path)
    for number, (name, address) in enumerate(
        [("Anna", "anna@example.nl"), ("Bob", "bob@example.nl"), ("Anna", "ANNA@example.nl")]
    ):
        body = f"Reactie {number} van {name}"
        comments_store.add_comment(
            store,
            Submission("welkom", name, address.lower(), "", body, None, False),
            render(body),
            "net",
            1_767_000_000 + number,
            False,
        )
    store.close()
    return path


def admin(database: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    return comments_admin.main(["--database", database, *args], out=out), out.getvalue()


def statuses(database: str) -> dict[int, str]:
    store = open_store(database)
    try:
        return {c.id: c.status for c in comments_store.listing(store)}
    finally:
        store.close()


def test_pending_approve_reject_delete(database):
    code, text = admin(database, "pending")
    assert code == 0 and "3 comment(s)" in text and "Reactie 0 van Anna" in text
    assert admin(database, "approve", "1")[0] == 0
    assert admin(database, "reject", "2")[0] == 0
    assert statuses(database) == {1: "approved", 2: "rejected", 3: "pending"}
    assert "1 comment(s)" in admin(database, "pending")[1]
    assert "1 comment(s)" in admin(database, "list", "--status", "approved")[1]
    code, text = admin(database, "delete", "2")
    assert (code, text) == (0, "deleted 1 comment(s)\n")
    assert statuses(database) == {1: "approved", 3: "pending"}


def test_edit_makes_the_html_again(database):
    assert admin(database, "edit", "1", "--body", "Nu met **nadruk**", "--name", "Anna B.")[0] == 0
    code, text = admin(database, "show", "1")
    shown = json.loads(text)
    assert shown["body"] == "Nu met **nadruk**" and shown["name"] == "Anna B."
    store = open_store(database)
    assert comments_store.get(store, 1).html == "<p>Nu met <strong>nadruk</strong></p>"
    store.close()


def test_export_leaves_addresses_out_unless_asked(database, tmp_path):
    code, text = admin(database, "export")
    assert code == 0 and "@example.nl" not in text and len(json.loads(text)) == 3
    target = tmp_path / "export.csv"
    assert (
        admin(database, "export", "--format", "csv", "--with-email", "--output", str(target))[0]
        == 0
    )
    assert "anna@example.nl" in target.read_text()


def test_forget_deletes_every_comment_of_an_address(database):
    code, text = admin(database, "forget", "--email", "Anna@Example.nl")
    assert (code, text) == (0, "deleted 2 comment(s) written with Anna@Example.nl\n")
    assert statuses(database) == {2: "pending"}


def test_mistakes_are_one_line_and_exit_status_2(database, tmp_path, capsys):
    assert admin(database, "approve", "99")[0] == 2
    assert "no comment(s) 99" in capsys.readouterr().err
    assert admin(database, "edit", "1", "--body", " ")[0] == 2
    assert admin(str(tmp_path / "missing.sqlite3"), "pending")[0] == 2
    assert "does not exist" in capsys.readouterr().err
