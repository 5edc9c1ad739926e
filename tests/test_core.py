"""The plugins' core, in-process: the settings reader, the report, the pipeline's order, the
per-build state, the site model and the URL helpers."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest

from plugins import pipeline
from plugins.core import build as builds
from plugins.core.problems import BuildFailed, Report
from plugins.core.settings import SettingError, read, setting
from plugins.core.site import Item, Show, SiteModel, check_ids, stable_id
from plugins.core.urls import absolute_url, base_url, published_as_is, site_link


# --- settings --------------------------------------------------------------------------------
def _even(value: int) -> int:
    if value % 2:
        raise SettingError(f"{value} is odd", "use an even number", instead=value + 1)
    return value


@dataclass(frozen=True)
class Example:
    name: str = "kompas"
    count: int = setting(2, check=_even)
    ratio: float = 1.5
    on: bool = True
    names: tuple[str, ...] = ("a",)
    limit: float | None = None


def test_defaults_when_nothing_is_set():
    config, problems = read(Example, {}, "EX_")
    assert config == Example() and problems == []


def test_values_are_read_by_prefix_and_converted():
    config, problems = read(
        Example, {"EX_NAME": "x", "EX_RATIO": 2, "EX_NAMES": ["b", "c"], "EX_LIMIT": 3}, "EX_"
    )
    assert (config.name, config.ratio, config.names, config.limit) == ("x", 2.0, ("b", "c"), 3.0)
    assert isinstance(config.ratio, float) and problems == []


def test_a_wrong_type_names_the_setting_and_the_default_used():
    config, (problem,) = read(Example, {"EX_ON": "ja"}, "EX_", "pelicanconf.py")
    assert config.on is True
    assert str(problem) == (
        "pelicanconf.py: EX_ON: 'ja' is not True or False; the default True is used — write "
        "EX_ON as True or False, or remove it"
    )


def test_a_bool_is_not_a_number_and_none_is_not_set():
    config, (problem,) = read(Example, {"EX_RATIO": True, "EX_NAME": None}, "EX_")
    assert config.ratio == 1.5 and config.name == "kompas" and problem.field == "EX_RATIO"


def test_a_check_may_refuse_and_say_what_is_used_instead():
    config, (problem,) = read(Example, {"EX_COUNT": 3}, "EX_")
    assert config.count == 4
    assert problem.message == "3 is odd; 4 is used" and problem.fix == "use an even number"


# --- the report ------------------------------------------------------------------------------
def test_the_report_keeps_each_problem_once_and_a_strict_build_fails(capsys):
    report = Report(strict=True)
    for _ in range(2):
        report.add("content/a.md", "Date", "is wrong", "fix it")
    assert len(report.problems) == 1
    with pytest.raises(BuildFailed) as failed:
        report.finish()
    assert failed.value.code == 1
    # Printed as it is: one problem, one line (not through the log handler, which wraps).
    assert "\n  - content/a.md: Date: is wrong — fix it\n" in capsys.readouterr().err


def test_a_development_build_only_warns():
    report = Report(strict=False)
    report.add("content/a.md", "link", "is broken", "correct it")
    report.finish()  # no exception
    summary = report.summary()
    assert "went on; each line says what it did" in summary
    assert "were left out" not in summary  # a broken link leaves nothing out (issue 13)


# --- the pipeline ----------------------------------------------------------------------------
def test_the_pipelines_order_holds():
    pipeline.check_order(pipeline.STEPS)


def test_a_step_before_what_it_needs_fails_loudly():
    steps = list(pipeline.STEPS)
    model = next(s for s in steps if s.gives == ("site",))
    steps.remove(model)
    steps.append(model)  # the site model built last: sharing would read nothing
    with pytest.raises(pipeline.PipelineOrderError, match="needs site"):
        pipeline.check_order(tuple(steps))


def test_a_step_listed_against_pelicans_signal_order_fails_loudly():
    steps = list(pipeline.STEPS)
    steps.insert(0, pipeline.Step("finalized", lambda pelican: None))
    with pytest.raises(pipeline.PipelineOrderError, match="which Pelican sends later"):
        pipeline.check_order(tuple(steps))


# --- one build's state -----------------------------------------------------------------------
SETTINGS = {"PATH": "content", "SITEURL": "", "SCHITTER_STRICT": False}


def test_each_context_gets_its_own_build_and_a_copied_one_is_not_reused():
    context = dict(SETTINGS)
    first = builds.build_of(context)
    assert builds.build_of(context) is first
    later = dict(context)  # Pelican's next build starts from a copy of the settings
    assert builds.build_of(later) is not first


def test_reading_the_site_model_before_it_is_built_is_an_error():
    build = builds.build_of(dict(SETTINGS))
    with pytest.raises(builds.PipelineError, match="before it was built"):
        build.site  # noqa: B018


def test_pelicans_content_cache_never_keeps_a_build():
    context = dict(SETTINGS)
    builds.build_of(context)
    assert pickle.loads(pickle.dumps(context))[builds.CONTEXT_KEY] is None


def test_a_strict_build_without_an_absolute_siteurl_is_reported():
    build = builds.build_of({**SETTINGS, "SCHITTER_STRICT": True})
    assert [p.field for p in build.report.problems] == ["SITEURL"]


# --- the site model --------------------------------------------------------------------------
def test_the_stable_id_is_the_id_field_else_the_older_rating_id_else_the_slug():
    assert stable_id({"id": " eerste "}, "slug") == "eerste"
    assert stable_id({"rating-id": "oud"}, "slug") == "oud"
    assert stable_id({}, "nieuw") == "nieuw"


def make(source: str, item_id: str, kind: str = "article") -> Item:
    class Content:
        metadata: dict = {}

    return Item(kind, item_id, "T", "https://x.nl/a/", "a/", source, Content())


def test_unusable_and_duplicate_ids_are_reported_and_kept_by_nobody():
    first, twin, bad = make("a.md", "een"), make("b.md", "een"), make("c.md", "Met Spatie")
    problems = check_ids([first, twin, bad])
    assert [p.source for p in problems] == ["b.md", "c.md"]
    assert (first.id, twin.id, bad.id) == ("een", "", "")


def test_the_podcast_says_what_is_a_lesson_and_what_an_episode():
    course = Show("cursus", "Cursus", "images/c.jpg", "u", "f", serial=True)
    lesson, episode, article = make("l.md", "l"), make("e.md", "e"), make("a.md", "a")
    site = SiteModel([lesson, episode, article])
    site.mark_episode(lesson, course, episode="facts")
    site.mark_episode(episode, None, episode="facts")
    assert [i.kind for i in site.items] == ["lesson", "episode", "article"]
    assert site.episodes == [lesson, episode] and lesson.show is course


# --- URLs ------------------------------------------------------------------------------------
def test_absolute_urls_are_percent_encoded_once():
    assert absolute_url("https://x.nl/", "audio/les één.mp3") == (
        "https://x.nl/audio/les%20%C3%A9%C3%A9n.mp3"
    )
    assert absolute_url("https://x.nl", "/a%b/") == "https://x.nl/a%25b/"
    assert absolute_url("https://x.nl", "https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"


def test_the_base_url_in_production_and_while_developing():
    assert base_url({"SITEURL": "https://communitykompas.nl/"}) == "https://communitykompas.nl"
    assert base_url({"SITEURL": "", "SCHITTER_DEV_URL": "http://127.0.0.1:8010"}) == (
        "http://127.0.0.1:8010"
    )
    assert site_link({"SITEURL": ""}, "les-1/") == "/les-1/"


def test_what_pelicans_static_step_publishes():
    settings = {"STATIC_PATHS": ["images", "audio"]}
    assert published_as_is("images/a.jpg", settings)
    assert not published_as_is("pages/a.jpg", settings)
    assert not published_as_is("images/../../etc/passwd", settings)
