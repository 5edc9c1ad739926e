"""WP-PostRatings totals from the export's post meta, keyed by the new stable ids.

WP-PostRatings keeps a post's number of votes (``ratings_users``) and their sum
(``ratings_score``) as post meta, which the export carries; that is all a site without an SQL
dump has. The totals go through the ratings service's own WordPress import
(``python -m reader_service.admin import-wordpress --mapping … --postmeta …``), which checks
them and replaces an earlier import, so importing the same export twice counts every vote once.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .entries import Entry


def postratings_totals(entries: list[Entry]) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """{stable id: (votes, sum of stars)} and a line per post whose totals are unusable."""
    totals: dict[str, tuple[int, int]] = {}
    problems: list[str] = []
    for entry in entries:
        users = entry.item.first_meta("ratings_users").strip()
        score = entry.item.first_meta("ratings_score").strip()
        if not users and not score:
            continue
        try:
            count, total = int(users or 0), int(score or 0)
        except ValueError:
            problems.append(
                f"{entry.file}: ratings_users/ratings_score {users!r}/{score!r} "
                "are not whole numbers; its votes were not imported"
            )
            continue
        if count == 0:
            continue
        if not count <= total <= 5 * count:
            problems.append(
                f"{entry.file}: {count} vote(s) with {total} stars in total is not an "
                "average from 1 to 5; its votes were not imported"
            )
            continue
        previous = totals.get(entry.stable_id, (0, 0))
        totals[entry.stable_id] = (previous[0] + count, previous[1] + total)
    return totals, problems


def admin_files(totals: dict[str, tuple[int, int]]) -> tuple[str, str]:
    """The mapping and post-meta CSV files the ratings admin's import reads."""
    mapping, postmeta = io.StringIO(), io.StringIO()
    mapping_writer, postmeta_writer = csv.writer(mapping), csv.writer(postmeta)
    mapping_writer.writerow(["wordpress", "rating_id"])
    postmeta_writer.writerow(["post_id", "meta_key", "meta_value"])
    for item, (count, total) in sorted(totals.items()):
        mapping_writer.writerow([item, item])
        postmeta_writer.writerow([item, "ratings_users", count])
        postmeta_writer.writerow([item, "ratings_score", total])
    return mapping.getvalue(), postmeta.getvalue()


def import_totals(folder: Path, totals: dict, database: str | None, config: str | None) -> str:
    """Import the totals into the ratings store (the development store unless told otherwise)
    with the ratings admin; its output line, or an error line starting with "ratings admin:"."""
    from contextlib import redirect_stderr

    from reader_service import admin

    mapping_text, postmeta_text = admin_files(totals)
    mapping, postmeta = folder / "ratings-mapping.csv", folder / "ratings-postmeta.csv"
    mapping.write_text(mapping_text, encoding="utf-8")
    postmeta.write_text(postmeta_text, encoding="utf-8")
    argv = [
        *(["--config", config] if config else []),
        *(["--database", database] if database else []),
    ]
    argv += ["import-wordpress", "--mapping", str(mapping), "--postmeta", str(postmeta)]
    out, errors = io.StringIO(), io.StringIO()
    try:
        with redirect_stderr(errors):
            code = admin.main(argv, out=out)
    except Exception as error:  # the store's own errors (SQLite, PostgreSQL), as one line
        return f"ratings admin: {database or config or 'the ratings store'}: {error}"
    if code == 0:
        return out.getvalue().strip()
    # The reader service's admin says "reader admin: [cannot use the store: ]…".
    message = errors.getvalue().strip().removeprefix("reader admin: ")
    return "ratings admin: " + message.removeprefix("cannot use the store: ")
