"""Helpers for the comments tests: a reader service with a comments manifest on loopback, a
fresh form (token + question) from the live endpoint, and the answer to its question."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from reader_service.config import Settings
from tests.reader_service_support import SITE_ORIGIN, ServiceThread, request, write_manifest

SECRET = "test-secret-0123456789"


def write_comments_manifest(path: Path, ids: list[str], closes: dict | None = None) -> Path:
    closes = closes or {}
    items = [
        {"id": i, "title": i.title(), "url": f"/{i}/", "closes_at": closes.get(i)} for i in ids
    ]
    path.write_text(json.dumps({"version": 1, "items": items}))
    return path


def answer(question: dict) -> int:
    if question["operator"] == "+":
        return question["result"] - question["first"]
    return question["first"] - question["result"]


@contextmanager
def comment_services(folder: Path, ids: list[str], database: str | None = None):
    """``start(**settings)`` starts a reader service whose comments manifest lists ``ids``."""
    started: list[ServiceThread] = []

    def start(closes: dict | None = None, **changes) -> ServiceThread:
        values = dict(
            database=database or str(folder / f"comments-{len(started)}.sqlite3"),
            secret=SECRET,
            manifest=str(write_manifest(folder / "manifest.json", ids)),
            comments_manifest=str(
                write_comments_manifest(folder / "comments-manifest.json", ids, closes)
            ),
            site_origin=[SITE_ORIGIN],
            comment_min_seconds=0,
        )
        values.update(changes)
        started.append(ServiceThread(Settings(**values)))
        return started[-1]

    try:
        yield start
    finally:
        for running in started:
            running.stop()


def fresh_form(url: str, item: str) -> dict:
    status, _, data = request("GET", f"{url}/comments/{item}")
    assert status == 200, data
    return data["form"]


def comment_json(url: str, item: str, form: dict | None = None, **fields):
    """Post a comment as the page's script does (a fresh token unless one is given)."""
    form = form or fresh_form(url, item)
    body = {
        "item": item,
        "name": "Jan",
        "body": "Mooi stuk!",
        "token": form["token"],
        "period": str(form["question"]["period"]),
        "answer": str(answer(form["question"])),
        **fields,
    }
    return request("POST", f"{url}/comments", body)


def comment_form(url: str, item: str, question: dict | None = None, **fields):
    """Post a comment as a plain HTML form without JavaScript (no token)."""
    question = question or fresh_form(url, item)["question"]
    body = {
        "item": item,
        "name": "Jan",
        "body": "Mooi stuk!",
        "period": str(question["period"]),
        "answer": str(answer(question)),
        **fields,
    }
    return request(
        "POST",
        f"{url}/comments",
        urlencode(body),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
