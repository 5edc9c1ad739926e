"""Build benchmark: build speed of a 1,000-article site with 100 episodes, and our plugins' cost.

Generates a synthetic site outside the repository (benchmarks/synthetic_site.py), then measures,
each over several runs (median and spread):

  (a) a full build with all our plugins,             (b) the same with our plugins switched off,
  (c) a rebuild with a warm cache and no changes,     (d) a rebuild after touching one article,
  (e) audio bytes read during (c) and (d),            (f) feed generation alone for 1,000 episodes,
  (g) peak memory of a full build.

Prints a table and writes it, with the machine description, to benchmarks/RESULTS.md.

    .venv/bin/invoke benchmark            # or: .venv/bin/python benchmarks/build_bench.py --runs 5
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
from synthetic_site import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUR_FEATURE_PLUGINS = {"podcast", "share_buttons", "star_ratings"}


@dataclass
class Run:
    seconds: float
    peak_rss_mib: float
    audio_bytes: int


def settings_plugins() -> list[str]:
    namespace: dict = {"__file__": str(ROOT / "pelicanconf.py")}
    exec(compile((ROOT / "pelicanconf.py").read_text(), "pelicanconf.py", "exec"), namespace)
    return list(namespace["PLUGINS"])


def pelican(
    content: Path,
    output: Path,
    cache: Path,
    plugins: list[str] | None = None,
    load_cache: bool = True,
) -> Run:
    """One build in a fresh process, as an author runs it; wall time, peak RSS, audio read."""
    overrides = {
        "CACHE_PATH": str(cache),
        "LOAD_CONTENT_CACHE": load_cache,
        "RATINGS_ALLOW_MISSING_SNAPSHOT": True,
    }
    if plugins is not None:
        overrides["PLUGINS"] = plugins
    trace = Path(tempfile.mktemp(suffix=".json"))
    args = [
        sys.executable,
        str(ROOT / "benchmarks" / "traced_pelican.py"),
        str(content),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(output),
        "--log-handler",
        "plain",
        "-q",
        "-e",
        *(f"{k}={json.dumps(v)}" for k, v in overrides.items()),
    ]
    start = time.perf_counter()
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, "SCHITTER_AUDIO_TRACE": str(trace)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed:\n{stderr}")
    audio = json.loads(trace.read_text())["bytes"] if trace.exists() else 0
    trace.unlink(missing_ok=True)
    return Run(seconds, usage.ru_maxrss / 1024, audio)


def summary(runs: list[Run]) -> tuple[float, float, float]:
    times = [r.seconds for r in runs]
    return statistics.median(times), min(times), max(times)


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


def feed_benchmark(episodes: int, runs: int) -> tuple[float, float, float] | None:
    """(f): the podcast feed for N episodes, built by the plugin's pure functions alone."""
    try:
        sys.path.insert(0, str(ROOT / "plugins"))
        from podcast.benchmark import time_feed_generation  # provided by the podcast plugin
    except ImportError:
        return None
    times = [time_feed_generation(episodes) for _ in range(runs)]
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--episodes", type=int, default=100)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "schitter-benchmark"
    )
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()

    work = args.workdir
    content, output, cache = work / "content", work / "output", work / "cache"
    print(
        f"Generating {args.articles} articles and {args.episodes} episodes in {work} …", flush=True
    )
    made = generate(content, args.articles, args.episodes)
    all_plugins = settings_plugins()
    plugins_off = [p for p in all_plugins if p not in OUR_FEATURE_PLUGINS]

    def cold(plugins=None) -> Run:
        shutil.rmtree(cache, ignore_errors=True)
        return pelican(content, output, cache, plugins, load_cache=False)

    results: dict[str, list[Run]] = {"a": [], "b": [], "c": [], "d": [], "b_warm": []}
    for i in range(args.runs):
        print(f"run {i + 1}/{args.runs}: full build with our plugins …", flush=True)
        results["a"].append(cold())
        print(f"run {i + 1}/{args.runs}: warm rebuild, nothing changed …", flush=True)
        results["c"].append(pelican(content, output, cache))
        print(f"run {i + 1}/{args.runs}: warm rebuild after touching one article …", flush=True)
        touched = content / "articles" / "artikel-0500.md"
        touched.write_text(touched.read_text() + f"\nAangepast in ronde {i}.\n")
        results["d"].append(pelican(content, output, cache))
        print(f"run {i + 1}/{args.runs}: full build with our plugins switched off …", flush=True)
        results["b"].append(cold(plugins_off))
        results["b_warm"].append(pelican(content, output, cache, plugins_off))
    feed = feed_benchmark(1000, args.runs)

    a, b, c, d, b_warm = (summary(results[k]) for k in ("a", "b", "c", "d", "b_warm"))
    peak = max(r.peak_rss_mib for r in results["a"])
    audio_c = max(r.audio_bytes for r in results["c"])
    audio_d = max(r.audio_bytes for r in results["d"])
    audio_a = max(r.audio_bytes for r in results["a"])

    def fmt(t):
        return f"{t[0]:.2f} s ({t[1]:.2f}–{t[2]:.2f})"

    rows = [
        ("(a) full build, all our plugins", fmt(a), ""),
        ("(b) full build, our plugins off (same theme)", fmt(b), ""),
        ("(a)/(b) cost of our plugins", f"{a[0] / b[0]:.3f}", "target ≤ 1.10"),
        (
            "(c) warm rebuild, nothing changed",
            fmt(c),
            f"Pelican's own warm rebuild: {fmt(b_warm)}; ratio {c[0] / b_warm[0]:.3f} "
            "(target ≤ 1.10)",
        ),
        ("(d) warm rebuild, one article touched", fmt(d), ""),
        (
            "(e) audio bytes read in (c) / (d)",
            f"{audio_c} / {audio_d}",
            f"target 0 (a cold build reads {audio_a / 1e6:.1f} MB of "
            f"{made['audio_bytes'] / 1e6:.1f} MB)",
        ),
        (
            "(f) feed generation alone, 1,000 episodes",
            fmt(feed) if feed else "n/a (podcast plugin not installed)",
            "",
        ),
        ("(g) peak memory of a full build", f"{peak:.0f} MiB", ""),
    ]
    width = max(len(r[0]) for r in rows)
    table = "\n".join(f"{name:<{width}}  {value:<24}  {note}" for name, value, note in rows)
    print()
    print(table)

    if not args.no_write:
        results_file = ROOT / "benchmarks" / "RESULTS.md"
        # Hand-written analysis below "## Notes" survives a new measurement.
        previous = results_file.read_text(encoding="utf-8") if results_file.exists() else ""
        notes = previous[previous.find("\n## Notes") :] if "\n## Notes" in previous else ""
        md_rows = "\n".join(f"| {n} | {v} | {note} |" for n, v, note in rows)
        results_file.write_text(
            "# Build benchmark results\n\n"
            f"Measured by `benchmarks/build_bench.py --runs {args.runs}` on {machine()}.\n\n"
            f"Site: {made['articles']} articles, {made['episodes']} episodes "
            f"({made['cbr']} CBR, {made['vbr-xing']} VBR with Xing header, "
            f"{made['vbr-noheader']} VBR without header; "
            f"{made['audio_bytes'] / 1e6:.0f} MB of MP3). "
            f"Plugins in (a): {', '.join(all_plugins)}; "
            f"(b) switches off {', '.join(sorted(OUR_FEATURE_PLUGINS))} and keeps "
            f"{', '.join(plugins_off)}.\n\n"
            "Times are wall-clock medians of separate `pelican` processes "
            "(min–max in brackets).\n\n"
            "| measure | result | note |\n|---|---|---|\n" + md_rows + "\n" + notes,
            encoding="utf-8",
        )
        print("\nwritten to benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
