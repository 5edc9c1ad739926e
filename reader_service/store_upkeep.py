"""The store's upkeep, the SQL both databases speak for it: recount, check and repair the kept
scores, replace an import in one transaction, forget voter keys past the retention, export and
delete votes — what the admin CLI and the service's hourly purge do, never a reader's request.

A mixin of store.Store (its `transaction`, `reading` and `_sql`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .migrations import RECOUNT, SCORE_COLUMNS
from .score import STARS, Score


class Upkeep:
    # --- aggregates: recount, check, repair -----------------------------------------------
    def recount(self, cur=None, items: Iterable[str] | None = None) -> dict[str, Score]:
        """Scores computed from the votes themselves (slow: what `scores` saves us)."""
        items = sorted(set(items)) if items is not None else None
        where, args = "", ()
        if items is not None:
            if not items:
                return {}
            where = f"WHERE item_id IN ({', '.join('?' * len(items))})"
            args = (*items, *items)
        if cur is None:
            with self.reading() as cur:
                return self.recount(cur, items)
        cur.execute(self._sql(RECOUNT.format(where=where)), args)
        return {row[0]: Score.from_row(row[1:]) for row in cur.fetchall() if int(row[1] or 0)}

    def refresh_scores(self, cur, items: Iterable[str] | None = None) -> None:
        """Rewrite the kept scores of `items` (all when None) from the votes."""
        if items is None:
            cur.execute("DELETE FROM scores")
            counted = self.recount(cur)
        else:
            items = sorted(set(items))
            for item in items:
                cur.execute(self._sql("DELETE FROM scores WHERE item_id = ?"), (item,))
            counted = self.recount(cur, items)
        cur.executemany(
            self._sql(f"INSERT INTO scores ({SCORE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            [
                (item, s.count, s.total, *(s.distribution[n] for n in STARS), s.imported)
                for item, s in counted.items()
            ],
        )

    def check(self, repair: bool = False) -> list[tuple[str, Score, Score]]:
        """Items whose kept score differs from a recount: (item, kept, counted)."""
        with self.transaction() as cur:
            cur.execute(f"SELECT {SCORE_COLUMNS} FROM scores WHERE count > 0")
            kept = {row[0]: Score.from_row(row[1:]) for row in cur.fetchall()}
            counted = self.recount(cur)
            wrong = [
                (item, kept.get(item, Score()), counted.get(item, Score()))
                for item in sorted(set(kept) | set(counted))
                if kept.get(item) != counted.get(item)
            ]
            if repair and wrong:
                self.refresh_scores(cur, [item for item, _, _ in wrong])
        return wrong

    # --- imports --------------------------------------------------------------------------
    def replace_imported_totals(self, source: str, totals: dict[str, tuple[int, int]]) -> None:
        """The totals of `source` become exactly `totals` (one transaction, scores included)."""
        with self.transaction() as cur:
            cur.execute(
                self._sql("SELECT item_id FROM imported_totals WHERE source = ?"), (source,)
            )
            touched = {row[0] for row in cur.fetchall()} | set(totals)
            cur.execute(self._sql("DELETE FROM imported_totals WHERE source = ?"), (source,))
            cur.executemany(
                self._sql(
                    "INSERT INTO imported_totals (source, item_id, count, total) "
                    "VALUES (?, ?, ?, ?)"
                ),
                [(source, item, count, total) for item, (count, total) in totals.items()],
            )
            self.refresh_scores(cur, touched)

    def replace_imported_votes(self, source: str, votes: list[tuple[str, int, int]]) -> None:
        """The votes of `source` become exactly `votes` (item, score, time): one transaction."""
        with self.transaction() as cur:
            cur.execute(self._sql("SELECT DISTINCT item_id FROM votes WHERE source = ?"), (source,))
            touched = {row[0] for row in cur.fetchall()} | {v[0] for v in votes}
            cur.execute(self._sql("DELETE FROM votes WHERE source = ?"), (source,))
            cur.executemany(
                self._sql(
                    "INSERT INTO votes (item_id, score, voter_key, created_at, source) "
                    "VALUES (?, ?, NULL, ?, ?)"
                ),
                [(item, score, created, source) for item, score, created in votes],
            )
            self.refresh_scores(cur, touched)

    # --- retention, export, deletion --------------------------------------------------------
    def purge_voter_keys(self, before: int, batch: int = 5000) -> int:
        """Forget voter and address keys of votes older than `before` (unix time), `batch`
        votes per transaction so that votes cast meanwhile wait for one batch at most."""
        purged = 0
        while True:
            with self.transaction() as cur:
                cur.execute(
                    self._sql(
                        "UPDATE votes SET voter_key = NULL WHERE id IN (SELECT id FROM votes "
                        "WHERE created_at < ? AND voter_key IS NOT NULL LIMIT ?)"
                    ),
                    (before, batch),
                )
                done = cur.rowcount
            purged += done
            if done < batch:
                break
        with self.transaction() as cur:
            cur.execute(self._sql("DELETE FROM address_votes WHERE last_at < ?"), (before,))
        return purged

    def votes(self, item_id: str | None = None) -> list[dict]:
        """Every vote (without voter keys), oldest first: the export."""
        where, args = ("WHERE item_id = ?", (item_id,)) if item_id else ("", ())
        with self.reading() as cur:
            cur.execute(
                self._sql(
                    f"SELECT id, item_id, score, created_at, source FROM votes {where} "
                    "ORDER BY created_at, id"
                ),
                args,
            )
            names = ("id", "item", "score", "created_at", "source")
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def delete_votes(
        self, item_id: str | None = None, since: int | None = None, until: int | None = None
    ) -> int:
        """Delete the votes of an item and/or a time window [since, until); returns how many."""
        clauses, args = [], []
        if item_id:
            clauses.append("item_id = ?")
            args.append(item_id)
        if since is not None:
            clauses.append("created_at >= ?")
            args.append(since)
        if until is not None:
            clauses.append("created_at < ?")
            args.append(until)
        if not clauses:
            raise ValueError("refusing to delete every vote: give an item and/or a time window")
        where = " AND ".join(clauses)
        with self.transaction() as cur:
            cur.execute(self._sql(f"SELECT DISTINCT item_id FROM votes WHERE {where}"), args)
            touched = {row[0] for row in cur.fetchall()}
            cur.execute(self._sql(f"DELETE FROM votes WHERE {where}"), args)
            deleted = cur.rowcount
            if item_id and since is None and until is None:
                cur.execute(self._sql("DELETE FROM imported_totals WHERE item_id = ?"), (item_id,))
                deleted += cur.rowcount
                touched.add(item_id)
            self.refresh_scores(cur, touched)
        return deleted
