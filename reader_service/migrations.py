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

# PostgreSQL group commit (postgres.py): the votes that arrived while the previous commit was in
# flight, as arrays, in one call: one round trip, one transaction, one WAL flush. Each vote gets
# its own outcome (its position in the arrays, 'stored', 'duplicate', 'address_limit' or
# 'rate_limited'); a refused vote changes nothing of the others. A vote whose network's rate
# limit only the database can tell (limits.py) brings its hit along: counted first, in this
# transaction, like `Store.hit` would (o_hits: the count after it). Rows are locked in one
# global order, in passes (rate-limit counters by name, votes by item and voter key, address
# counts by item and address, scores by item; reader_vote follows it too), so concurrent
# batches of several instances wait for each other but never deadlock. A stored vote is
# answered with its item's score after the whole batch.
_VOTES_FUNCTION = """CREATE OR REPLACE FUNCTION reader_votes(
    p_items TEXT[], p_scores INTEGER[], p_keys TEXT[], p_now BIGINT[], p_addresses TEXT[],
    p_limits INTEGER[], p_buckets TEXT[], p_hits INTEGER[], p_started DOUBLE PRECISION[],
    p_expired DOUBLE PRECISION[], p_rate_limits INTEGER[]
) RETURNS TABLE (
    o_position INTEGER, o_outcome TEXT, o_hits INTEGER, o_count BIGINT, o_total BIGINT,
    o_s1 BIGINT, o_s2 BIGINT, o_s3 BIGINT, o_s4 BIGINT, o_s5 BIGINT, o_imported BIGINT
) LANGUAGE plpgsql AS $$
DECLARE
    i INTEGER;
    counted INTEGER;
    outcomes TEXT[] := array_fill('duplicate'::TEXT, ARRAY[cardinality(p_items)]);
    counts INTEGER[] := array_fill(NULL::INTEGER, ARRAY[cardinality(p_items)]);
BEGIN
    FOR i IN SELECT v.n FROM unnest(p_buckets) WITH ORDINALITY AS v(bucket, n)
             WHERE v.bucket IS NOT NULL ORDER BY v.bucket COLLATE "C", v.n LOOP
        INSERT INTO rate_limits AS r (bucket, started, hits)
            VALUES (p_buckets[i], p_started[i], p_hits[i])
            ON CONFLICT (bucket) DO UPDATE SET
            started = CASE WHEN r.started <= p_expired[i] THEN excluded.started ELSE r.started END,
            hits = CASE WHEN r.started <= p_expired[i] THEN excluded.hits
                   ELSE r.hits + excluded.hits END
            RETURNING r.hits INTO counted;
        counts[i] := counted;
        IF counted > p_rate_limits[i] THEN
            outcomes[i] := 'rate_limited';
        END IF;
    END LOOP;
    FOR i IN SELECT v.n FROM unnest(p_items, p_keys, outcomes) WITH ORDINALITY
                 AS v(item, key, outcome, n)
             WHERE v.outcome <> 'rate_limited'
             ORDER BY v.item COLLATE "C", v.key COLLATE "C", v.n LOOP
        INSERT INTO votes (item_id, score, voter_key, created_at, source)
            VALUES (p_items[i], p_scores[i], p_keys[i], p_now[i], 'web')
            ON CONFLICT (item_id, voter_key) DO NOTHING;
        IF FOUND THEN
            outcomes[i] := 'stored';
        END IF;
    END LOOP;
    FOR i IN SELECT v.n FROM unnest(p_items, p_addresses, outcomes) WITH ORDINALITY
                 AS v(item, address, outcome, n)
             WHERE v.outcome = 'stored' AND v.address IS NOT NULL
             ORDER BY v.item COLLATE "C", v.address COLLATE "C", v.n LOOP
        INSERT INTO address_votes AS a (item_id, address_key, votes, last_at)
            VALUES (p_items[i], p_addresses[i], 1, p_now[i])
            ON CONFLICT (item_id, address_key) DO UPDATE
            SET votes = a.votes + 1, last_at = excluded.last_at WHERE a.votes < p_limits[i];
        IF NOT FOUND THEN  -- undo this vote alone: its address has cast its votes for the item
            DELETE FROM votes WHERE item_id = p_items[i] AND voter_key = p_keys[i];
            outcomes[i] := 'address_limit';
        END IF;
    END LOOP;
    RETURN QUERY
    WITH added AS (
        SELECT v.item, COUNT(*) AS c, SUM(v.score) AS t,
               COUNT(*) FILTER (WHERE v.score = 1) AS s1, COUNT(*) FILTER (WHERE v.score = 2) AS s2,
               COUNT(*) FILTER (WHERE v.score = 3) AS s3, COUNT(*) FILTER (WHERE v.score = 4) AS s4,
               COUNT(*) FILTER (WHERE v.score = 5) AS s5
        FROM unnest(p_items, p_scores, outcomes) AS v(item, score, outcome)
        WHERE v.outcome = 'stored' GROUP BY v.item
    ), kept AS (
        INSERT INTO scores AS s (item_id, count, total, s1, s2, s3, s4, s5)
            SELECT * FROM added ORDER BY added.item COLLATE "C"
            ON CONFLICT (item_id) DO UPDATE SET count = s.count + excluded.count,
                total = s.total + excluded.total, s1 = s.s1 + excluded.s1,
                s2 = s.s2 + excluded.s2, s3 = s.s3 + excluded.s3, s4 = s.s4 + excluded.s4,
                s5 = s.s5 + excluded.s5
            RETURNING s.item_id, s.count, s.total, s.s1, s.s2, s.s3, s.s4, s.s5, s.imported
    )
    SELECT v.n::INTEGER, v.outcome, v.hits, k.count, k.total, k.s1, k.s2, k.s3, k.s4, k.s5,
           k.imported
    FROM unnest(p_items, outcomes, counts) WITH ORDINALITY AS v(item, outcome, hits, n)
    LEFT JOIN kept AS k ON k.item_id = v.item AND v.outcome = 'stored'
    ORDER BY v.n;
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
    Migration(
        7,
        "PostgreSQL group commit: the votes of one commit in one call (reader_votes)",
        sqlite=(),
        postgresql=(_VOTES_FUNCTION,),
    ),
)
LATEST = MIGRATIONS[-1].version
