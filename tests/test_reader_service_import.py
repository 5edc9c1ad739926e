"""Issue 12, findings 3 and 4: the WordPress import reads dumps with a tokenizer (SQL inside
another table's text, or inside a CSV, is never taken for rows), refuses ambiguous input with a
line number, and replaces the previous import in one transaction — or changes nothing. On
SQLite and PostgreSQL; the command as the admin runs it (a process: never a traceback)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reader_service import admin
from reader_service.backends import open_store
from reader_service.wordpress import ImportProblem, import_wordpress_totals
from tests.reader_service_support import run_service

HIDDEN_LOG = "INSERT INTO wp_ratings VALUES (9,42,''t'',5,1700000000,''ip'',''h'',''u'',0);"
HIDDEN_META = (
    "INSERT INTO `wp_postmeta` VALUES (1,42,''ratings_users'',''1500''),"
    "(2,42,''ratings_score'',''7500'');"
)
LOG_DUMP = f"""-- MySQL dump 10.13
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `wp_comments`;
CREATE TABLE `wp_comments` (`comment_ID` bigint NOT NULL, `comment_content` text);
INSERT INTO `wp_comments` VALUES (1,'Kijk: {HIDDEN_LOG}'),(2,'nog een;
regel met; puntkomma''s');
CREATE TABLE `wp_ratings` (
  `rating_id` int NOT NULL AUTO_INCREMENT,
  `rating_postid` int NOT NULL,
  `rating_posttitle` text NOT NULL,
  `rating_rating` int NOT NULL,
  `rating_timestamp` varchar(15) NOT NULL,
  `rating_ip` varchar(40) NOT NULL,
  `rating_host` varchar(200) NOT NULL,
  `rating_username` varchar(50) NOT NULL,
  `rating_userid` int NOT NULL DEFAULT '0',
  PRIMARY KEY (`rating_id`)
) ENGINE=InnoDB;
LOCK TABLES `wp_ratings` WRITE;
INSERT INTO `wp_ratings` VALUES (1,42,'Welkom; \\'hoi\\'',4,'1700000000','192.0.2.1','h','G',0),
(2,42,'Welkom',2,'1700000100','192.0.2.2','h','Guest',0);
UNLOCK TABLES;
"""
POSTMETA_DUMP = f"""INSERT INTO `wp_posts` (`ID`, `post_content`) VALUES (42, '{HIDDEN_META}');
INSERT INTO `wp_postmeta` VALUES (7,42,'ratings_users','4'),(8,42,'ratings_score','18'),
(9,42,'_edit_lock','1;2');
"""


@pytest.fixture
def files(tmp_path):
    mapping = tmp_path / "map.csv"
    mapping.write_text("wordpress,rating_id\n42,welkom\n")

    def write(name: str, text: str) -> Path:
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path / name

    write.mapping = mapping
    return write


def import_(database: str, mapping: Path, kind: str, path: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    code = admin.main(
        ["--database", database, "import-wordpress", "--mapping", str(mapping), kind, str(path)]
        + list(extra),
        out=out,
    )
    return code, out.getvalue()


def score_of(database: str, item: str = "welkom"):
    store = open_store(database)
    try:
        return store.scores().get(item)
    finally:
        store.close()


# --- finding 3: SQL hidden in other content ------------------------------------------------
def test_sql_inside_another_tables_text_is_not_a_vote(database, files):
    code, text = import_(database, files.mapping, "--log", files("log.sql", LOG_DUMP))
    assert code == 0 and "imported 2 vote(s) for 1 item(s)" in text
    score = score_of(database)
    assert (score.count, score.total) == (2, 6)  # the comment's "vote" of 5 is not among them


def test_postmeta_inside_a_post_body_is_not_a_total(database, files):
    code, text = import_(database, files.mapping, "--postmeta", files("meta.sql", POSTMETA_DUMP))
    assert code == 0 and "imported 4 vote(s)" in text
    assert (score_of(database).count, score_of(database).total) == (4, 18)


def test_a_csv_is_read_as_csv_even_when_a_value_holds_sql(database, files):
    sql = HIDDEN_META.replace("''", "'")  # as SQL text, not inside an SQL string
    csv_text = (
        f'post_id,meta_key,meta_value\n42,ratings_users,10\n42,ratings_score,40\n43,note,"{sql}"\n'
    )

    code, text = import_(database, files.mapping, "--postmeta", files("meta.csv", csv_text))
    assert code == 0 and "imported 10 vote(s)" in text
    assert score_of(database).count == 10


@pytest.mark.parametrize(
    ("dump", "line", "words"),
    [
        (
            "INSERT INTO `wp_ratings` VALUES (1,42,'a',5,'1',"
            "'i','h','u',0);\nINSERT INTO `wp2_ratings` VALUES (1,42,'a',5,'1','i','h','u',0);\n",
            2,
            "several ratings tables",
        ),
        ("INSERT INTO `wp_ratings` VALUES (1,42,'a',5,NOW(),'i','h','u',0);\n", 1, "literal"),
        ("INSERT INTO `wp_ratings` VALUES (1,42,'a',5);\n", 1, "4 values for 9 columns"),
        ("UPDATE wp_ratings SET rating_rating = 1;\n", 1, "UPDATE on a ratings table"),
        ("\n\nINSERT INTO `wp_ratings` VALUES (1,42,'a',5,17000", 3, "ends before"),
        ("INSERT INTO `wp_ratings` VALUES (1,42,'unterminated;\n", 1, "ends inside a string"),
    ],
)
def test_ambiguous_or_broken_dumps_are_refused_with_the_line(tmp_path, files, dump, line, words):
    path = files("log.sql", dump)
    result = run_service(
        {},
        "--database",
        str(tmp_path / "r.sqlite3"),
        "import-wordpress",
        "--mapping",
        str(files.mapping),
        "--log",
        str(path),
        module="reader_service.admin",
    )
    assert result.returncode == 2, result.stderr
    assert f"{path}:{line}: " in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "r.sqlite3").exists()  # a failed import creates nothing either


def test_the_table_prefix_picks_one_of_several(database, files):
    dump = (
        "INSERT INTO `wp_ratings` VALUES (1,42,'a',5,'1','i','h','u',0);\n"
        "INSERT INTO `blog2_ratings` VALUES (1,42,'a',1,'1','i','h','u',0),"
        "(2,42,'b',2,'2','i','h','u',0);\n"
    )
    path = files("log.sql", dump)
    code, _ = import_(database, files.mapping, "--log", path, "--table-prefix", "blog2_")
    assert code == 0 and (score_of(database).count, score_of(database).total) == (2, 3)


def test_a_post_with_two_totals_is_ambiguous(database, files, capsys):
    csv_text = "post_id,meta_key,meta_value\n42,ratings_users,2\n42,ratings_users,3\n"
    code, _ = import_(database, files.mapping, "--postmeta", files("meta.csv", csv_text))
    error = capsys.readouterr().err
    assert code == 2 and "meta.csv:3: post 42 has ratings_users twice (also line 2)" in error


# --- finding 4: a failed re-import destroyed the previous one ------------------------------
def test_a_failed_reimport_changes_nothing(database, files, capsys):
    good = files("log.csv", "rating_postid,rating_rating,rating_timestamp\n42,5,1700000000\n")
    assert import_(database, files.mapping, "--log", good)[0] == 0
    for name, text, words in [
        (
            "huge.csv",
            "rating_postid,rating_rating,rating_timestamp\n42,4,1700000000\n42,3,"
            + "1"
            + "0" * 30
            + "\n",
            "huge.csv:3: rating_timestamp",
        ),
        ("cut.sql", "INSERT INTO `wp_ratings` VALUES (1,42,'t',4,17000", "cut.sql:1: "),
    ]:
        code, _ = import_(database, files.mapping, "--log", files(name, text))
        assert code == 2 and words in capsys.readouterr().err
        score = score_of(database)
        assert (score.count, score.total) == (1, 5)  # the earlier import, untouched
    # A good second import replaces the first completely (never adds to it).
    better = files("log2.csv", "rating_postid,rating_rating,rating_timestamp\n42,2,1700000000\n")
    assert import_(database, files.mapping, "--log", better)[0] == 0
    assert (score_of(database).count, score_of(database).total) == (1, 2)


def test_import_wordpress_totals_replaces_in_one_transaction(database):
    assert import_wordpress_totals(database, {"welkom": (4, 18), "les-1": (1, 5)}) == 5
    assert import_wordpress_totals(database, {"welkom": (2, 10)}) == 2
    assert score_of(database).count == 2 and score_of(database, "les-1") is None
    with pytest.raises(ImportProblem, match="les-1"):
        import_wordpress_totals(database, {"welkom": (9, 45), "les-1": (2, 11)})
    assert (score_of(database).count, score_of(database).total) == (2, 10)  # unchanged
    # Another source is another import: both count.
    import_wordpress_totals(database, {"welkom": (1, 1)}, source="wordpress-wxr")
    assert (score_of(database).count, score_of(database).imported) == (3, 3)
