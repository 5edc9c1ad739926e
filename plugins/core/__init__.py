"""The core every feature uses and that uses none of them.

- :mod:`.problems` — one problem type and the build's report (development warns, strict fails);
- :mod:`.settings` — a frozen dataclass of defaults per feature and one reader that reports;
- :mod:`.urls` — the site's absolute address and percent-encoded absolute URLs;
- :mod:`.text` — plain text of a title, control characters, bidi balancing;
- :mod:`.site` — the site model: every item's kind, plain title, canonical URL, stable id;
- :mod:`.build` — the state of one build (report, model, features' state), found from a generator.
"""

from .build import Build, PipelineError, build_of
from .problems import BuildFailed, Problem, Report
from .settings import SettingError, read, setting, shown
from .site import Item, Show, SiteModel

__all__ = [
    "Build",
    "BuildFailed",
    "Item",
    "PipelineError",
    "Problem",
    "Report",
    "SettingError",
    "Show",
    "SiteModel",
    "build_of",
    "read",
    "setting",
    "shown",
]
