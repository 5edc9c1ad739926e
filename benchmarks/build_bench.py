"""Build benchmark: the full Schitter build against plain Pelican on the same 1,000 articles.

Generates a synthetic site outside the repository (benchmarks/synthetic_site.py: 1,000 Dutch
articles, 100 episodes with real MP3s) and builds it, alternating in one run of this script:

- **Schitter**: ``pelicanconf.py`` as the author runs it (``python -m schitter.build``, the
  command the tasks use; our theme, every feature: checks, podcast, sharing, ratings, images,
  search index, assets);
- **plain Pelican 4.12**: ``pelican``, its default theme, no plugins, the same content folders
  (:func:`plain_settings`), so only what Schitter adds differs.

Each round builds both cold (no cache, a new empty output folder) and then warm (a rebuild with
the cache of the cold build, nothing changed); the order of the two sites alternates from round
to round, so a machine that gets busier or quieter during the run favours neither. After the
rounds, each site is built cold once more per round right after deleting that output folder, as
an author's ``make clean`` and build do: ext4 then skips the inodes deleted in the last minutes
when it allocates new ones, so those builds pay part of the deletion in system time (a row of
its own; no folder is deleted before the rounds' builds). Every build is a separate
process, as an author runs it; its wall time and its user and system CPU time (``wait4``) are
recorded. The table gives medians (min–max) and the ratios Schitter / plain Pelican.

Also: a Schitter rebuild after touching one article, the audio bytes a warm rebuild reads, the
images a warm rebuild encodes, feed generation alone and peak memory.

    .venv/bin/invoke benchmark            # or: .venv/bin/python benchmarks/build_bench.py --runs 4
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import traced_pelican  # noqa: E402
from synthetic_site import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_COLD = 1.10
TARGET_WARM = 1.00


@dataclass
class Run:
    wall: float
    user: float
    system: float
    peak_rss_mib: float
    audio_bytes: int = 0


def plain_settings(content: Path) -> str:
    """Plain Pelican: its defaults (default theme, no plugins) on our content folders."""
    return "\n".join(
        [
            f"PATH = {str(content)!r}",
            "SITENAME = 'Community Kompas'",
            "SITEURL = ''",
            "TIMEZONE = 'Europe/Amsterdam'",
            "DEFAULT_LANG = 'nl'",
            "ARTICLE_PATHS = ['articles', 'cursus', 'podcast']",
            "PAGE_PATHS = ['pages']",
            "STATIC_PATHS = ['images', 'audio', 'extra']",
            "PLUGINS = []",
            "CACHE_CONTENT = True",
            "",
        ]
    )


def pelican(
    content: Path, output: Path, cache: Path, settings: Path, load_cache: bool, plain: bool
) -> Run:
    """One build in a fresh process: wall time, CPU times, peak RSS, audio bytes read."""
    overrides = {"CACHE_PATH": str(cache), "LOAD_CONTENT_CACHE": load_cache}
    if not plain:
        overrides["RATINGS_ALLOW_MISSING_SNAPSHOT"] = True
    trace = Path(tempfile.mktemp(suffix=".audio-trace"))
    args = [
        sys.executable,
        str(ROOT / "benchmarks" / "traced_pelican.py"),
        *([] if plain else ["--schitter"]),  # each through its own command
        str(content),
        "-s",
        str(settings),
        "-o",
        str(output),
        "--log-handler",
        "plain",
        "-q",
        "-e",
        *(f"{k}={json.dumps(v)}" for k, v in overrides.items()),
    ]
    cpu_trace = trace.with_suffix(".cpu-trace")
    env = {**traced_pelican.environment(trace, cpu_trace), "SCHITTER_RATINGS_URL": ""}
    # What the file system still owes for earlier work (the previous build's files, the output
    # folder just deleted: on a disk mounted with `discard` that is minutes of journal) is done
    # before the clock starts, not charged to this build.
    os.sync()
    start = time.perf_counter()
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    stderr = process.stderr.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed:\n{stderr}")
    audio = traced_pelican.audio_bytes(trace)
    # The build's worker processes: their fork server has ended once the build's stderr closed.
    user, system = traced_pelican.other_cpu(cpu_trace, process.pid)
    trace.unlink(missing_ok=True)
    cpu_trace.unlink(missing_ok=True)
    return Run(
        wall,
        usage.ru_utime + user,
        usage.ru_stime + system,
        usage.ru_maxrss / 1024,
        audio,
    )


def median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs)


def spread(runs: list[Run], field: str) -> str:
    values = [getattr(r, field) for r in runs]
    return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def feed_benchmark(episodes: int, runs: int) -> str:
    """Feed generation alone, built by the podcast feature's pure functions."""
    sys.path.insert(0, str(ROOT))
    try:
        from plugins.podcast.benchmark import time_feed_generation
    except ImportError as error:
        return f"n/a ({error})"
    times = [time_feed_generation(episodes) for _ in range(runs)]
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def encoded_images(cache: Path) -> int:
    """How many image files the image feature has encoded into its cache so far."""
    folder = cache / "images"
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "schitter-benchmark"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    work = args.workdir
    content = work / "content"
    print(
        f"Generating {args.articles} articles and {args.episodes} episodes in {work} …", flush=True
    )
    made = generate(content, args.articles, args.episodes)
    plain_conf = work / "plainconf.py"
    plain_conf.write_text(plain_settings(content), encoding="utf-8")
    sites = {
        "schitter": (ROOT / "pelicanconf.py", False),
        "plain": (plain_conf, True),
    }
    results: dict[str, list[Run]] = {
        f"{site}-{kind}": [] for site in sites for kind in ("cold", "warm")
    }
    touched_runs: list[Run] = []
    warm_encodes: list[int] = []

    after_deleting: dict[str, list[Run]] = {site: [] for site in sites}

    def folders(site: str, round_number: int) -> tuple[Path, Path]:
        return work / f"{site}-output-{round_number}", work / f"{site}-cache-{round_number}"

    def cold_and_warm(site: str, round_number: int) -> None:
        settings, plain = sites[site]
        output, cache = folders(site, round_number)  # new: nothing was deleted there
        print(f"round {round_number}: {site}, cold …", flush=True)
        results[f"{site}-cold"].append(pelican(content, output, cache, settings, False, plain))
        encoded = encoded_images(cache)
        print(f"round {round_number}: {site}, warm …", flush=True)
        results[f"{site}-warm"].append(pelican(content, output, cache, settings, True, plain))
        if not plain:
            warm_encodes.append(encoded_images(cache) - encoded)
            touched = content / "articles" / "artikel-0500.md"
            touched.write_text(touched.read_text() + f"\nAangepast in ronde {round_number}.\n")
            print(f"round {round_number}: {site}, one article touched …", flush=True)
            touched_runs.append(pelican(content, output, cache, settings, True, plain))

    def cold_after_deleting(site: str, round_number: int) -> None:
        settings, plain = sites[site]
        output, cache = folders(site, round_number)
        shutil.rmtree(cache)
        shutil.rmtree(output)
        print(f"round {round_number}: {site}, cold right after deleting its output …", flush=True)
        after_deleting[site].append(pelican(content, output, cache, settings, False, plain))

    load_before = os.getloadavg()
    for i in range(args.runs):
        order = ("schitter", "plain") if i % 2 == 0 else ("plain", "schitter")
        for site in order:
            cold_and_warm(site, i + 1)
    for i in range(args.runs):
        order = ("schitter", "plain") if i % 2 == 0 else ("plain", "schitter")
        for site in order:
            cold_after_deleting(site, i + 1)
    load_after = os.getloadavg()
    feed = feed_benchmark(1000, args.runs)

    def ratio(kind: str, field: str) -> float:
        return median(results[f"schitter-{kind}"], field) / median(results[f"plain-{kind}"], field)

    s_cold, p_cold = results["schitter-cold"], results["plain-cold"]
    s_warm, p_warm = results["schitter-warm"], results["plain-warm"]
    rows = [
        (
            "cold build, wall",
            spread(s_cold, "wall"),
            spread(p_cold, "wall"),
            ratio("cold", "wall"),
            f"target ≤ {TARGET_COLD:.2f}",
        ),
        (
            "cold build, user CPU",
            spread(s_cold, "user"),
            spread(p_cold, "user"),
            ratio("cold", "user"),
            "",
        ),
        (
            "cold build, system CPU",
            spread(s_cold, "system"),
            spread(p_cold, "system"),
            ratio("cold", "system"),
            "",
        ),
        (
            "cold build right after deleting the previous output, wall",
            spread(after_deleting["schitter"], "wall"),
            spread(after_deleting["plain"], "wall"),
            median(after_deleting["schitter"], "wall") / median(after_deleting["plain"], "wall"),
            "",
        ),
        (
            "the same, system CPU",
            spread(after_deleting["schitter"], "system"),
            spread(after_deleting["plain"], "system"),
            median(after_deleting["schitter"], "system")
            / median(after_deleting["plain"], "system"),
            "",
        ),
        (
            "warm rebuild, wall",
            spread(s_warm, "wall"),
            spread(p_warm, "wall"),
            ratio("warm", "wall"),
            f"target ≤ {TARGET_WARM:.2f}",
        ),
        (
            "warm rebuild, user CPU",
            spread(s_warm, "user"),
            spread(p_warm, "user"),
            ratio("warm", "user"),
            "",
        ),
        (
            "warm rebuild, system CPU",
            spread(s_warm, "system"),
            spread(p_warm, "system"),
            ratio("warm", "system"),
            "",
        ),
        (
            "peak memory, cold",
            f"{max(r.peak_rss_mib for r in s_cold):.0f} MiB",
            f"{max(r.peak_rss_mib for r in p_cold):.0f} MiB",
            max(r.peak_rss_mib for r in s_cold) / max(r.peak_rss_mib for r in p_cold),
            "",
        ),
    ]
    other = [
        ("Schitter rebuild after touching one article, wall", spread(touched_runs, "wall")),
        (
            "audio bytes read by a warm rebuild / after touching one article",
            f"{max(r.audio_bytes for r in s_warm)} / {max(r.audio_bytes for r in touched_runs)} "
            f"(a cold build reads {max(r.audio_bytes for r in s_cold) / 1e6:.1f} MB of "
            f"{made['audio_bytes'] / 1e6:.1f} MB)",
        ),
        ("images encoded by a warm rebuild", f"{max(warm_encodes, default=0)}"),
        ("podcast feed generation alone, 1,000 episodes", feed),
    ]
    header = ("measure", "Schitter", "plain Pelican", "ratio", "")
    lines = [header] + [(n, s, p, f"{r:.2f}", note) for n, s, p, r, note in rows]
    widths = [max(len(str(line[i])) for line in lines) for i in range(5)]
    print()
    for line in lines:
        print("  ".join(f"{str(v):<{widths[i]}}" for i, v in enumerate(line)))
    for name, value in other:
        print(f"{name}: {value}")

    if not args.no_write:
        results_file = ROOT / "benchmarks" / "RESULTS.md"
        # Hand-written analysis below "## Notes" survives a new measurement.
        previous = results_file.read_text(encoding="utf-8") if results_file.exists() else ""
        notes = previous[previous.find("\n## Notes") :] if "\n## Notes" in previous else ""
        table = "\n".join(
            f"| {n} | {s} | {p} | **{r:.2f}** | {note} |" for n, s, p, r, note in rows
        )
        others = "\n".join(f"| {n} | {v} |" for n, v in other)
        results_file.write_text(
            "# Build benchmark results\n\n"
            f"Measured by `benchmarks/build_bench.py --runs {args.runs}` on {machine()}; "
            f"load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end "
            "(other work on the machine shares its cores).\n\n"
            f"Site: {made['articles']} articles, {made['episodes']} episodes "
            f"({made['cbr']} CBR, {made['vbr-xing']} VBR with Xing header, "
            f"{made['vbr-noheader']} VBR without header; "
            f"{made['audio_bytes'] / 1e6:.0f} MB of MP3), the demo site's pages and images.\n\n"
            "Schitter: `pelicanconf.py` (our theme and every feature). Plain Pelican: Pelican "
            f"{pelican_version()} with its default theme and no plugins on the same content "
            "folders. Both alternate in one run of the script, each build a separate process; "
            "cold = no cache and an empty output folder, warm = a rebuild with the cold "
            "build's cache and nothing changed (cold builds go into a new folder; the row "
            "'right after deleting' deletes the folder of an earlier build first). Medians of "
            f"{args.runs} builds each (min–max); ratio = Schitter / plain Pelican. CPU times "
            "are those of every process of a build, its worker processes included.\n\n"
            "| measure | Schitter | plain Pelican | ratio | target |\n|---|---|---|---|---|\n"
            + table
            + "\n\n| other measure | result |\n|---|---|\n"
            + others
            + "\n"
            + notes,
            encoding="utf-8",
        )
        print("\nwritten to benchmarks/RESULTS.md")


def pelican_version() -> str:
    from pelican import __version__

    return __version__


if __name__ == "__main__":
    main()
