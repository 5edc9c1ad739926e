"""The import's summary and its list of everything not carried over one-to-one, with reasons."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # "where: what — fix" per thing not carried
    notes: list[str] = field(default_factory=list)  # what the author should do next

    def count(self, name: str, by: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + by

    def add(self, where: str, message: str) -> None:
        line = f"{where}: {message}"
        if line not in self.lines:
            self.lines.append(line)


SUMMARY = [
    ("articles", "articles"),
    ("episodes", "podcast episodes"),
    ("pages", "pages"),
    ("drafts", "of them drafts"),
    ("scheduled", "of them scheduled"),
    ("skipped", "items skipped"),
    ("media", "media files"),
    ("media_missing", "media files missing"),
    ("comments_approved", "approved comments"),
    ("comments_pending", "pending comments"),
    ("comments_dropped", "spam/trash comments dropped"),
    ("redirects", "old addresses redirected"),
    ("votes", "votes (WP-PostRatings)"),
]


def format_report(report: Report, heading: str) -> str:
    summary = ", ".join(
        f"{report.counts[key]} {label}" for key, label in SUMMARY if report.counts.get(key)
    )
    out = [heading, f"  {summary or 'nothing to import'}"]
    if report.lines:
        out.append(f"Not carried over one-to-one ({len(report.lines)}):")
        out += [f"  - {line}" for line in report.lines]
    out += report.notes
    return "\n".join(out) + "\n"
