"""What 1,000 comments on one article cost a build: the same small site built with no comments
(the baseline, measured in the same run) and with 1,000 approved comments (900 comments, 100
replies, Markdown with links) on one article, read from a real store through the service's
public snapshot function.

    .venv/bin/python benchmarks/comments_build.py [--runs 3] [--comments 1000]

Prints the median build time of each, the difference (what baking the comments costs) and the
ratio to the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader_service.backends import open_store  # noqa: E402
from reader_service.comments import render  # noqa: E402
from tests.reader_service_support import make_content  # noqa: E402
from tests.sitecheck import run_pelican  # noqa: E402

SECRET = "comments-bench-secret-0123456789"


def seed(database: Path, count: int) -> None:
    store = open_store(str(database))
    rows = []
    for number in range(count):
        body = f"Reactie **{number}** met een [link](https://example.nl/{number}) en wat tekst."
        parent = (number % 9) + 1 if number >= count * 0.9 else None
        rows.append((parent, f"Lezer {number}", body, render(body), 1_767_000_000 + number))
    with store.transaction() as cur:
        cur.executemany(
            store._sql(
                "INSERT INTO comments (item_id, parent_id, status, name, body, html, "
                "created_at, approved_at) VALUES ('welkom', ?, 'approved', ?, ?, ?, ?, ?)"
            ),
            [(p, n, b, h, t, t) for p, n, b, h, t in rows],
        )
    store.close()


def timed_build(folder: Path, content: Path, database: Path, secret: Path, run: int) -> float:
    output = folder / f"out-{database.stem}-{run}"
    started = time.perf_counter()
    result = run_pelican(
        output,
        content=content,
        overrides={
            "COMMENTS_STORE": str(database),
            "COMMENTS_SECRET_FILE": str(secret),
            "COMMENTS_SERVICE_URL": "http://127.0.0.1:8001",
            "LOAD_CONTENT_CACHE": False,
        },
    )
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--comments", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        content = make_content(folder / "content")
        secret = folder / "secret"
        secret.write_text(SECRET)
        empty, full = folder / "empty.sqlite3", folder / "full.sqlite3"
        seed(empty, 0)
        seed(full, args.comments)
        times: dict[str, list[float]] = {"baseline": [], "with": []}
        for run in range(args.runs):  # interleaved: both see the same machine load
            times["baseline"].append(timed_build(folder, content, empty, secret, run))
            times["with"].append(timed_build(folder, content, full, secret, run))
        page = (folder / f"out-full-{args.runs - 1}" / "welkom" / "index.html").read_text()
        assert page.count('class="comment"') == args.comments, "not every comment was baked"
    base, with_comments = (statistics.median(times[k]) for k in ("baseline", "with"))
    print(f"build, no comments (baseline): {base:.2f} s  (runs: {times['baseline']})")
    print(f"build, {args.comments} comments on one article: {with_comments:.2f} s")
    print(f"cost of baking {args.comments} comments: {with_comments - base:.2f} s")
    print(f"ratio to the baseline: {with_comments / base:.2f}")
    print(f"page size with {args.comments} comments: {len(page.encode()) / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
