"""Markdown read by the build's worker processes (issue 18, build cost): the same site, the same
report, whatever process read a file.

The builds run Pelican's command line, as an author does; ``BUILD_PROCESSES = 1`` is the build
that reads every file itself, the baseline each comparison is made against.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from plugins.core.workers import Workers
from plugins.output.background import BackgroundWrites
from plugins.reading.glue import FEWEST_FILES
from plugins.reading.workers import BATCH, ReadAhead
from tests import fixture_site
from tests.sitecheck import PELICAN, run_pelican, tree

ARTICLE = (
    "Title: Artikel {n}\nDate: 2026-01-{day:02d} 10:00\nCategory: {category}\n"
    "Tags: leden, {tag}\nSummary: Over *leden* {n}.\n\n"
    "Tekst van artikel {n}, met een [link](https://example.org/{n}) en een lijst:\n\n"
    "- een\n- twee\n\n## Kop {n}\n\nNog een alinea.\n"
)
READ_AHEAD = "Markdown files were read ahead"
MANY = 40 * BATCH


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("reading") / "content"
    # Enough files that the workers get batches the build does not take back while they start.
    articles = fixture_site.write_many_articles(
        content,
        MANY,
        lambda n: ARTICLE.format(
            n=n, day=n % 28 + 1, category=("Leden", "Groei")[n % 2], tag=f"thema-{n % 5}"
        ),
    )
    # One file the reader refuses (a date with the day first): reported, whoever read it.
    (articles / "verkeerde-datum.md").write_text(
        "Title: Verkeerde datum\nDate: 03-04-2026\n\nTekst.\n", encoding="utf-8"
    )
    return content


def build(content: Path, out: Path, processes: int, debug: bool = False):
    overrides = {
        "SHARE_DEFAULT_IMAGE": fixture_site.DEFAULT_IMAGE,
        "RATINGS_STORE": "",
        "BUILD_PROCESSES": processes,
    }
    command = [*PELICAN, "--debug"] if debug else None
    result = run_pelican(
        out,
        content=content,
        overrides=overrides,
        command=command,
        log_handler="rich" if debug else "plain",
        env={"COLUMNS": "200"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def report(result) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if ": " in line]


def test_workers_read_the_site_exactly_as_the_build_would(content, tmp_path):
    alone = build(content, tmp_path / "alone", processes=1)
    ahead = build(content, tmp_path / "ahead", processes=2, debug=True)
    read = [
        line for line in ahead.stdout.splitlines() + ahead.stderr.splitlines() if READ_AHEAD in line
    ]
    assert read and int(read[0].split(READ_AHEAD)[0].split()[-1]) >= FEWEST_FILES
    assert tree(tmp_path / "ahead") == tree(tmp_path / "alone")
    assert len(tree(tmp_path / "alone")) > FEWEST_FILES
    # The refused date is one report line, the same as when the build read it itself.
    wrong = [line for line in report(alone) if "verkeerde-datum.md" in line]
    assert wrong and all(line in report(ahead) or line in ahead.stderr for line in wrong)


def test_a_small_build_reads_in_its_own_process(tmp_path):
    content = tmp_path / "content"
    fixture_site.write_site(content, only=("extra/", fixture_site.DEFAULT_IMAGE))
    (content / "articles").mkdir(parents=True)
    for n in range(3):
        (content / "articles" / f"a{n}.md").write_text(
            ARTICLE.format(n=n, day=n + 1, category="Leden", tag="x"), encoding="utf-8"
        )
    result = build(content, tmp_path / "out", processes=2, debug=True)
    assert READ_AHEAD not in result.stdout + result.stderr
    assert "Tekst van artikel 1" in (tmp_path / "out" / "a1" / "index.html").read_text()


def test_a_wrong_number_of_processes_is_reported(content, tmp_path):
    result = run_pelican(
        tmp_path / "out",
        content=content,
        overrides={"SHARE_DEFAULT_IMAGE": fixture_site.DEFAULT_IMAGE, "BUILD_PROCESSES": -3},
    )
    lines = [
        line for line in (result.stdout + result.stderr).splitlines() if "BUILD_PROCESSES" in line
    ]
    assert lines and "-3 is not a number of processes" in lines[0]
    assert "BUILD_PROCESSES = 0" in lines[0]


class LoggingReader(MarkdownReader):
    """A reader that says something while it reads (as an extension's warning would)."""

    def read(self, source_path):
        logging.getLogger("pelican.readers").warning("gelezen: %s", Path(source_path).name)
        return super().read(source_path)


def test_what_a_worker_logs_is_logged_by_the_build_and_settings_stay_the_builds(tmp_path, caplog):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    source = tmp_path / "een.md"
    source.write_text("Title: Een\nTags: leden\n\nTekst.\n", encoding="utf-8")
    broken = tmp_path / "kapot.md"
    broken.write_text("Title: Kapot\nDate: geen datum\n\nTekst.\n", encoding="utf-8")
    reader = LoggingReader(settings)
    workers = Workers(2, ["markdown", "plugins.reading.workers"])
    try:
        ahead = ReadAhead(workers)
        ahead.add(reader, [str(source), str(broken)])
        answer, records = ahead.take(str(source), settings, steal=False)
        content, metadata = answer
        assert "<p>Tekst.</p>" in content
        assert metadata["tags"][0].settings is settings  # the build's own settings object
        assert [r.getMessage() for r in records] == ["gelezen: een.md"]
        # A file whose reading raised: no answer, so the build reads it and reports it itself.
        assert ahead.take(str(broken), settings, steal=False) is None
        assert ahead.take(str(tmp_path / "nooit-gevraagd.md"), settings) is None
    finally:
        workers.stop()


def test_a_page_that_cannot_be_written_fails_the_build_at_its_end(tmp_path):
    written = []

    def write(path, data):
        if path.endswith("kapot"):
            raise PermissionError(13, "Permission denied", path)
        written.append(path)

    pages = BackgroundWrites(write)
    pages.write("een", b"1")
    pages.write("kapot", b"2")
    with pytest.raises(PermissionError):
        pages.finish()
    assert written == ["een"]
    everything = BackgroundWrites(write)
    for n in range(1000):
        everything.write(f"p{n}", b"x")
    everything.finish()
    assert written[1:] == [f"p{n}" for n in range(1000)]  # all, in the order they came


def test_audio_read_by_the_workers_gives_the_facts_and_problems_the_build_would(tmp_path):
    from plugins.podcast.cache import FactsCache
    from plugins.podcast.mpeg import AudioProblem
    from tests import audio_fixtures

    good = audio_fixtures.write(
        tmp_path / "les.mp3", audio_fixtures.tag(audio_fixtures.encode(2.0), title="Les 1")
    )
    broken = tmp_path / "kapot.mp3"
    broken.write_bytes(b"ID3" + b"\0" * 400)
    alone = FactsCache(tmp_path / "alone")
    workers = Workers(2, ["plugins.podcast.cache"])
    try:
        ahead = FactsCache(tmp_path / "ahead")
        assert ahead.read_ahead([good, broken], workers.submit) == (
            good.stat().st_size + broken.stat().st_size
        )
        assert ahead.facts(good) == alone.facts(good)
        with pytest.raises(AudioProblem) as from_worker:
            ahead.facts(broken)
        with pytest.raises(AudioProblem) as from_build:
            alone.facts(broken)
        assert from_worker.value.message == from_build.value.message
        # Known and unchanged: nothing to read ahead.
        assert ahead.read_ahead([good], workers.submit) == 0
    finally:
        workers.stop()


def test_a_strict_build_hashes_an_unchanged_mp3_once(tmp_path, monkeypatch):
    """The read-ahead asks the cache which files it knows, then the episode asks again: a
    strict (publish) build compares each file's bytes with its hash once, not per question."""
    import plugins.podcast.cache as facts_cache
    from tests import audio_fixtures

    good = audio_fixtures.write(tmp_path / "les.mp3", audio_fixtures.encode(1.0))
    first = facts_cache.FactsCache(tmp_path / "cache", verify=True)
    expected = first.facts(good)
    first.save()
    hashed = []
    real = facts_cache._file_sha256
    monkeypatch.setattr(facts_cache, "_file_sha256", lambda p: hashed.append(p) or real(p))
    strict = facts_cache.FactsCache(tmp_path / "cache", verify=True)
    assert strict.stale([good]) == [] and strict.read_ahead([good], None) == 0
    assert strict.facts(good) == expected
    assert hashed == [good]


def test_a_batch_no_worker_has_yet_is_read_by_the_build(tmp_path):
    settings = {**DEFAULT_CONFIG, "PATH": str(tmp_path)}
    sources = []
    for n in range(3 * BATCH):
        source = tmp_path / f"a{n}.md"
        source.write_text(
            ARTICLE.format(n=n, day=n % 28 + 1, category="Leden", tag="x"), encoding="utf-8"
        )
        sources.append(str(source))
    workers = Workers(2, ["markdown", "plugins.reading.workers"])
    try:
        ahead = ReadAhead(workers)
        reader = MarkdownReader(settings)
        ahead.add(reader, sources)
        # The workers are still starting (their fork server imports Markdown first): the first
        # batch is taken back, the build reads it; a later batch, once a worker has had time,
        # comes from the worker.
        assert ahead.take(sources[0], settings) is None
        assert ahead.taken_back == 1
        assert all(ahead.take(path, settings) is None for path in sources[1:BATCH])
        got = ahead.take(sources[-1], settings, steal=False)
        assert got is not None and "Tekst van artikel" in got[0][0]
    finally:
        workers.stop()
