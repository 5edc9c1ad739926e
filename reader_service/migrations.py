"""The store's schema, as numbered migrations: a store is brought up to the newest on start.

Every store records the migrations it has had in `schema_version` (one row per version). A store
from before that table (the ratings service 1.0: `votes` and `imported_totals` only) has
version 0; migration 1 is written so that it is a no-op on such a store and creates the tables
on an empty one, and the later ones convert it. Migrations only ever get appended: what readers
send next (comments, course sign-ups) comes as migration 4, 5, … with tables of its own, next
to the shared guard tables of migration 3 (`rate_limits` counts per action and network, so a
comment and a vote limit share the machinery, not the counter).

Each migration is a list of statements per dialect, run in one transaction with the version row
(PostgreSQL runs DDL transactionally; so does SQLite), so a failed migration changes nothing.
`{pk}` is the auto-increment primary key of the dialect.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import comments_store


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sqlite: tuple[str, ...]
    postgresql: tuple[str, ...]


def _both(*statements: str) -> dict:
    return {"sqlite": statements, "postgresql": statements}


# The per-item aggregate computed from the votes: what `scores` must always equal (admin check).
RECOUNT = """
    SELECT item_id, SUM(c), SUM(t), SUM(s1), SUM(s2), SUM(s3), SUM(s4), SUM(s5), SUM(imp) FROM (
        SELECT item_id, COUNT(*) AS c, SUM(score) AS t,
               SUM(CASE WHEN score = 1 THEN 1 ELSE 0 END) AS s1,
               SUM(CASE WHEN score = 2 THEN 1 ELSE 0 END) AS s2,
               SUM(CASE WHEN score = 3 THEN 1 ELSE 0 END) AS s3,
               SUM(CASE WHEN score = 4 THEN 1 ELSE 0 END) AS s4,
               SUM(CASE WHEN score = 5 THEN 1 ELSE 0 END) AS s5, 0 AS imp
        FROM votes {where} GROUP BY item_id
        UNION ALL
        SELECT item_id, SUM(count), SUM(total), 0, 0, 0, 0, 0, SUM(count)
        FROM imported_totals {where} GROUP BY item_id
    ) AS parts GROUP BY item_id"""
SCORE_COLUMNS = "item_id, count, total, s1, s2, s3, s4, s5, imported"

_VOTES = """CREATE TABLE IF NOT EXISTS votes (
    id {pk},
    item_id TEXT NOT NULL,
    score SMALLINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    voter_key TEXT,
    created_at BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT 'web',
    UNIQUE (item_id, voter_key)
)"""
_SCORES = """CREATE TABLE scores (
    item_id TEXT PRIMARY KEY,
    count BIGINT NOT NULL DEFAULT 0,
    total BIGINT NOT NULL DEFAULT 0,
    s1 BIGINT NOT NULL DEFAULT 0, s2 BIGINT NOT NULL DEFAULT 0, s3 BIGINT NOT NULL DEFAULT 0,
    s4 BIGINT NOT NULL DEFAULT 0, s5 BIGINT NOT NULL DEFAULT 0,
    imported BIGINT NOT NULL DEFAULT 0
)"""
_IMPORTED = """CREATE TABLE imported_totals_new (
    source TEXT NOT NULL,
    item_id TEXT NOT NULL,
    count BIGINT NOT NULL CHECK (count >= 0),
    total BIGINT NOT NULL CHECK (total >= 0),
    PRIMARY KEY (source, item_id)
)"""
_CONVERT = (
    _SCORES,
    _IMPORTED,
    "INSERT INTO imported_totals_new (source, item_id, count, total) "
    "SELECT source, item_id, count, total FROM imported_totals",
    "DROP TABLE imported_totals",
    "ALTER TABLE imported_totals_new RENAME TO imported_totals",
    "CREATE INDEX IF NOT EXISTS votes_source ON votes (source)",
    f"INSERT INTO scores ({SCORE_COLUMNS}) " + RECOUNT.format(where=""),
)
_GUARDS = (
    # One reader address may vote for an item `votes_per_address` times, whatever its user
    # agent (guards.py); the key is an HMAC like the voter key and is forgotten with it.
    """CREATE TABLE address_votes (
        item_id TEXT NOT NULL,
        address_key TEXT NOT NULL,
        votes INTEGER NOT NULL,
        last_at BIGINT NOT NULL,
        PRIMARY KEY (item_id, address_key)
    )""",
    "CREATE INDEX address_votes_last_at ON address_votes (last_at)",
    "CREATE TABLE service_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # The purge finds the keys still to forget without walking the ones already forgotten.
    "CREATE INDEX votes_keyed ON votes (created_at) WHERE voter_key IS NOT NULL",
)
# Rate-limit counters (limits.py). On PostgreSQL UNLOGGED: shared by every instance, cheap to
# write (no WAL), and after a crash they are simply empty, which is what they should be.
_RATE_LIMITS = """CREATE {unlogged} TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    started DOUBLE PRECISION NOT NULL,
    hits INTEGER NOT NULL
)"""

# PostgreSQL: the vote as one function, so that a vote is one round trip (one statement in
# autocommit: one transaction) instead of five. It does what Store.vote_in does, step by step.
_VOTE_FUNCTION = """CREATE OR REPLACE FUNCTION reader_vote(
    p_item TEXT, p_score INTEGER, p_key TEXT, p_now BIGINT, p_address TEXT, p_limit INTEGER,
    OUT outcome TEXT, OUT o_count BIGINT, OUT o_total BIGINT, OUT o_s1 BIGINT, OUT o_s2 BIGINT,
    OUT o_s3 BIGINT, OUT o_s4 BIGINT, OUT o_s5 BIGINT, OUT o_imported BIGINT
) LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO votes (item_id, score, voter_key, created_at, source)
        VALUES (p_item, p_score, p_key, p_now, 'web') ON CONFLICT (item_id, voter_key) DO NOTHING;
    IF NOT FOUND THEN
        outcome := 'duplicate';
        RETURN;
    END IF;
    IF p_address IS NOT NULL THEN
        INSERT INTO address_votes AS a (item_id, address_key, votes, last_at)
            VALUES (p_item, p_address, 1, p_now)
            ON CONFLICT (item_id, address_key) DO UPDATE
            SET votes = a.votes + 1, last_at = excluded.last_at WHERE a.votes < p_limit;
        IF NOT FOUND THEN  -- undo the vote: this address has cast its votes for the item
            DELETE FROM votes WHERE item_id = p_item AND voter_key = p_key;
            outcome := 'address_limit';
            RETURN;
        END IF;
    END IF;
    INSERT INTO scores AS s (item_id, count, total, s1, s2, s3, s4, s5)
        VALUES (p_item, 1, p_score, (p_score = 1)::int, (p_score = 2)::int, (p_score = 3)::int,
                (p_score = 4)::int, (p_score = 5)::int)
        ON CONFLICT (item_id) DO UPDATE SET count = s.count + 1, total = s.total + excluded.total,
            s1 = s.s1 + excluded.s1, s2 = s.s2 + excluded.s2, s3 = s.s3 + excluded.s3,
            s4 = s.s4 + excluded.s4, s5 = s.s5 + excluded.s5
        RETURNING s.count, s.total, s.s1, s.s2, s.s3, s.s4, s.s5, s.imported
        INTO o_count, o_total, o_s1, o_s2, o_s3, o_s4, o_s5, o_imported;
    outcome := 'stored';
END $$"""

# Drip courses (course_store.py): one row per personal feed. The token itself is never stored,
# only its HMAC (a copy of the database gives nobody a working feed); the e-mail address only
# when the reader gave it.
_COURSE = (
    """CREATE TABLE course_subscribers (
        token_key TEXT PRIMARY KEY,
        show TEXT NOT NULL,
        signed_up BIGINT NOT NULL,
        email TEXT,
        confirmed_at BIGINT,
        revoked_at BIGINT,
        announced INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX course_subscribers_show ON course_subscribers (show, signed_up)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "votes and imported totals (the layout of the ratings service 1.0)",
        **_both(
            _VOTES,
            "CREATE INDEX IF NOT EXISTS votes_created_at ON votes (created_at)",
            """CREATE TABLE IF NOT EXISTS imported_totals (
                item_id TEXT PRIMARY KEY,
                count INTEGER NOT NULL CHECK (count >= 0),
                total INTEGER NOT NULL CHECK (total >= 0),
                source TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "per-item scores kept with every vote; imported totals per source",
        **_both(*_CONVERT),
    ),
    Migration(
        3,
        "shared guards: votes per address, rate-limit counters, service state",
        sqlite=(*_GUARDS, _RATE_LIMITS.format(unlogged="")),
        postgresql=(*_GUARDS, _RATE_LIMITS.format(unlogged="UNLOGGED"), _VOTE_FUNCTION),
    ),
    Migration(4, comments_store.MIGRATION_DESCRIPTION, **_both(*comments_store.TABLES)),
    Migration(5, "drip courses: personal feeds (token HMAC, sign-up time)", **_both(*_COURSE)),
    Migration(6, comments_store.ORIGIN_DESCRIPTION, **_both(*comments_store.ORIGIN)),
)
LATEST = MIGRATIONS[-1].version
