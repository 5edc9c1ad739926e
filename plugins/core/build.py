"""The state of one build: its settings, its report, its site model and each feature's state.

Pelican gives every generator of a build the same ``context`` dict (a new one for every build,
also for every autoreload rebuild), so the :class:`Build` lives there, never in a module global:
nothing outlives the build. :func:`build_of` finds it from a generator, a context or the Pelican
object (at ``finalized``, the one signal without a context, it is found on the settings and
released there).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import urls
from .digest import stable
from .problems import Report, settings_file, where
from .settings import read
from .site import SiteModel
from .workers import MODULES_KEY, Workers, WorkerSettings, available, usable_cores

CONTEXT_KEY = "SCHITTER_BUILD"
# Problems found before any generator exists (settings checks at `initialized`) wait here.
PENDING_KEY = "SCHITTER_PENDING_PROBLEMS"
WORKERS_KEY = "core.workers"
PROCESSES_KEY = "core.processes"

State = TypeVar("State")


class PipelineError(RuntimeError):
    """A handler ran before what it needs was there: the pipeline's order is wrong (our bug)."""


@dataclass
class Build:
    settings: dict
    context: dict
    report: Report
    content: Path  # the content folder, resolved
    base_url: str  # the site's absolute address (urls.base_url)
    settings_file: str  # the settings file of this build, as a problem's source
    features: dict[str, Any] = field(default_factory=dict)
    # The site language's catalog for strings made in Python (set by i18n; English until then).
    gettext: Callable[[str], str] = str
    ngettext: Callable[[str, str, int], str] = lambda one, other, n: one if n == 1 else other
    # Digests of data from outside the content folder that pages show (depends_on).
    outside: dict[str, str] = field(default_factory=dict)
    _site: SiteModel | None = None

    def __reduce__(self):
        # Pelican's content cache pickles each article with the context it was read in; a
        # later build must never see this build's state, so it is pickled as "no build".
        return (_no_build, ())

    # -- problems ------------------------------------------------------------------------------
    def problem(self, source: str, field_name: str, message: str, fix: str) -> None:
        """A problem in a file (``source``: a path, shown relative to the project)."""
        self.report.add(where(source, self.settings.get("PATH")), field_name, message, fix)

    def setting_problem(self, setting: str, message: str, fix: str) -> None:
        self.report.add(self.settings_file, setting, message, fix)

    def where(self, path) -> str:
        return where(path, self.settings.get("PATH"))

    # -- the site model ------------------------------------------------------------------------
    @property
    def site(self) -> SiteModel:
        if self._site is None:
            raise PipelineError(
                "the site model was read before it was built: a handler that needs it runs "
                "before core.build_site_model in plugins/pipeline.py"
            )
        return self._site

    @site.setter
    def site(self, model: SiteModel) -> None:
        self._site = model

    @property
    def has_site(self) -> bool:
        return self._site is not None

    # -- features' own per-build state -----------------------------------------------------------
    def state(self, feature: str, factory: Callable[[], State]) -> State:
        """The per-build state of a feature, made by ``factory`` the first time it is asked."""
        if feature not in self.features:
            self.features[feature] = factory()
        return self.features[feature]

    def existing_state(self, feature: str) -> Any:
        """A feature's state if it was started in this build, else None."""
        return self.features.get(feature)

    def depends_on(self, name: str, value: Any) -> None:
        """Pages of this build show ``value``, data from outside the content folder (a
        snapshot of scores or comments): when it changes, no page is taken from disk."""
        self.outside[name] = hashlib.sha256(stable(value).encode()).hexdigest()

    # -- worker processes ------------------------------------------------------------------------
    def workers(self) -> Workers | None:
        """The build's worker processes (:mod:`.workers`), started on first use; None when
        the build runs in one process (``BUILD_PROCESSES = 1``, one core, no fork server)."""
        if WORKERS_KEY not in self.features:
            processes = self.processes()
            self.features[WORKERS_KEY] = (
                Workers(processes, list(self.settings.get(MODULES_KEY) or ()))
                if processes >= 2 and available()
                else None
            )
        return self.features[WORKERS_KEY]

    def processes(self) -> int:
        """How many processes this build may work in (``BUILD_PROCESSES``; 0: one per core).
        A wrong value is reported once and the default used."""
        if PROCESSES_KEY not in self.features:
            config, problems = read(WorkerSettings, self.settings, "BUILD_", self.settings_file)
            self.report.extend(problems)
            self.features[PROCESSES_KEY] = config.processes or usable_cores()
        return self.features[PROCESSES_KEY]

    def running_workers(self) -> Workers | None:
        """The workers if this build has started them (for work worth sending only then)."""
        return self.features.get(WORKERS_KEY)

    def stop_workers(self) -> None:
        workers = self.features.get(WORKERS_KEY)
        if workers is not None:
            workers.stop()
            self.features[WORKERS_KEY] = None


def _no_build() -> None:
    return None


def start(context: dict, settings: dict) -> Build:
    build = Build(
        settings=settings,
        context=context,
        report=Report(strict=bool(settings.get("SCHITTER_STRICT"))),
        content=Path(settings["PATH"]).resolve(),
        base_url=urls.base_url(settings),
        settings_file=settings_file(),
    )
    for source, setting, message, fix in settings.get(PENDING_KEY, ()):
        build.report.add(source, setting, message, fix)
    if build.report.strict and not urls.is_absolute(str(settings.get("SITEURL") or "")):
        build.setting_problem(
            "SITEURL",
            f"is {settings.get('SITEURL')!r}, but feeds, share links and link previews need the "
            "site's absolute address",
            'set SITEURL = "https://your-domain.example" in publishconf.py (or export '
            "SCHITTER_SITEURL)",
        )
    context[CONTEXT_KEY] = build
    settings[CONTEXT_KEY] = build  # for `finalized`, released there
    return build


def build_of(holder: Any) -> Build:
    """The build of a generator (or of its context): started by the first generator."""
    context = holder if isinstance(holder, dict) else holder.context
    build = context.get(CONTEXT_KEY)
    # The context starts as a copy of the settings: a build left there by a build that broke
    # off (an exception before `finalized`) is not this build's.
    if build is None or build.context is not context:
        build = start(context, holder.settings if not isinstance(holder, dict) else context)
    return build


def finish(pelican) -> Build | None:
    """The build that has just ended, released from the settings."""
    return pelican.settings.pop(CONTEXT_KEY, None)
