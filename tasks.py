"""Schitter tasks (invoke): build, serve, publish, test. `invoke --list` shows them all.

`make serve` and `make test` bootstrap the virtualenv and call the tasks of the same name.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
PELICAN = str(VENV_BIN / "pelican")

CONFIG = {
    "dev_settings": "pelicanconf.py",
    "publish_settings": "publishconf.py",
    "output": "output",
    "host": "127.0.0.1",
    "port": 8000,
    "ratings_port": 8001,  # the star ratings service `invoke serve` starts (pelicanconf.py)
    # rsync over SSH (`invoke publish`); override with SCHITTER_SSH_* environment variables.
    "ssh_user": os.environ.get("SCHITTER_SSH_USER", ""),
    "ssh_host": os.environ.get("SCHITTER_SSH_HOST", ""),
    "ssh_port": os.environ.get("SCHITTER_SSH_PORT", "22"),
    "ssh_path": os.environ.get("SCHITTER_SSH_PATH", ""),
    # GitHub Pages (`invoke gh-pages`)
    "github_pages_branch": os.environ.get("SCHITTER_GH_PAGES_BRANCH", "gh-pages"),
}
# System packages the test suite drives for real; installed by `invoke test` when missing.
TEST_SYSTEM_PACKAGES = {"/usr/bin/chromium": "chromium"}
# The ratings service tests start a throwaway PostgreSQL server (initdb/pg_ctl).
TEST_SYSTEM_PACKAGES["/usr/lib/postgresql"] = "postgresql"


def _pelican(c, settings: str, output: str, *extra: str, overrides: dict | None = None) -> None:
    args = [PELICAN, "content", "-s", settings, "-o", output, *extra]
    if overrides:  # one -e with every override: Pelican keeps only the last -e option
        args += ["-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())]
    c.run(shlex.join(args), pty=False)


@task(help={"lang": "interface language: nl (default) or en", "output": "output folder"})
def build(c, lang="nl", output=CONFIG["output"]):
    """Build the site with the development settings."""
    _pelican(c, CONFIG["dev_settings"], output, overrides={"DEFAULT_LANG": lang})


@task
def clean(c):
    """Remove the generated site and the build cache."""
    for folder in (CONFIG["output"], "cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)


@task(help={"port": "port to serve on (default 8000)"})
def serve(c, port=CONFIG["port"]):
    """Build the demo site, serve it on http://127.0.0.1:8000 and rebuild on every change."""
    from schitter import devserver

    # Pelican watches content/, theme/ and the settings and rebuilds; our server (with the
    # Range support browsers need to seek in audio) serves whatever the last build wrote.
    builder = subprocess.Popen(
        [PELICAN, "content", "-s", CONFIG["dev_settings"], "-o", CONFIG["output"], "--autoreload"],
        cwd=ROOT,
    )
    ratings = _start_ratings_service(port)
    try:
        devserver.main([CONFIG["output"], "--host", CONFIG["host"], "--port", str(port)])
    finally:
        for process in (builder, ratings):
            process.terminate()
            process.wait(timeout=10)


def _start_ratings_service(site_port) -> subprocess.Popen:
    """The star ratings service next to the dev site (README, "Star ratings"): SQLite and a
    secret under var/ratings/, votes accepted for the ids in the dev build's manifest."""
    env = dict(os.environ)
    env.setdefault("RATINGS_MANIFEST", str(ROOT / CONFIG["output"] / "ratings" / "manifest.json"))
    env.setdefault(
        "RATINGS_SITE_ORIGIN", f"http://{CONFIG['host']}:{site_port} http://localhost:{site_port}"
    )
    env.setdefault("RATINGS_PORT", str(CONFIG["ratings_port"]))
    return subprocess.Popen([sys.executable, "-m", "ratings_service"], cwd=ROOT, env=env)


@task(help={"args": 'admin command, e.g. "stats" or "export --format json"'})
def ratings(c, args="stats"):
    """Star ratings admin: stats, export, delete, purge, import-wordpress (README)."""
    c.run(f"{shlex.quote(sys.executable)} -m ratings_service.admin {args}", pty=False)


def _publish_build(c) -> Path:
    """A strict build into a fresh folder; only a complete, checked build is ever deployed."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = ROOT / "var" / f"publish-{stamp}"
    target.parent.mkdir(exist_ok=True)
    _pelican(c, CONFIG["publish_settings"], str(target))
    latest = ROOT / "var" / "publish-latest"
    latest.unlink(missing_ok=True)
    latest.symlink_to(target.name)
    return target


@task
def preview(c):
    """Build with the production settings (strict) into var/publish-latest/."""
    target = _publish_build(c)
    print(f"Publish build ready in {target}")


@task
def publish(c):
    """Strict build, then rsync it over SSH (settings: SCHITTER_SSH_* variables)."""
    if not (CONFIG["ssh_host"] and CONFIG["ssh_path"]):
        raise Exit(
            "Set SCHITTER_SSH_HOST and SCHITTER_SSH_PATH (and SCHITTER_SSH_USER, "
            "SCHITTER_SSH_PORT) to the server and folder the site is served from, "
            "then run `invoke publish` again."
        )
    target = _publish_build(c)
    destination = f"{CONFIG['ssh_host']}:{CONFIG['ssh_path'].rstrip('/')}/"
    if CONFIG["ssh_user"]:
        destination = f"{CONFIG['ssh_user']}@{destination}"
    c.run(
        shlex.join(
            [
                "rsync",
                "--delete",
                "--checksum",
                "-avz",
                "-e",
                f"ssh -p {CONFIG['ssh_port']}",
                f"{target}/",
                destination,
            ]
        )
    )


@task(name="gh-pages")
def gh_pages(c):
    """Strict build, then commit it to the gh-pages branch and push it (GitHub Pages)."""
    target = _publish_build(c)
    (target / ".nojekyll").touch()
    c.run(
        shlex.join(
            [
                str(VENV_BIN / "ghp-import"),
                "--no-jekyll",
                "--push",
                "--force",
                "--branch",
                CONFIG["github_pages_branch"],
                "--message",
                "Publish the site",
                str(target),
            ]
        )
    )


def _ensure_system_packages(c, packages: dict[str, str]) -> None:
    """Install the Debian packages the tests drive (a browser, a database) when missing."""
    missing = sorted({pkg for path, pkg in packages.items() if not Path(path).exists()})
    if not missing:
        return
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo"):
        prefix = ["sudo"]
    else:
        raise Exit(
            f"The tests need the Debian packages {', '.join(missing)}. Install them with "
            f"`apt-get install {' '.join(missing)}` as root, then run `make test` again."
        )
    print(f"Installing the system packages the tests need: {', '.join(missing)}")
    c.run(shlex.join([*prefix, "apt-get", "update", "-qq"]))
    c.run(
        shlex.join(
            [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
        ),
        env={"DEBIAN_FRONTEND": "noninteractive"},
    )


@task(help={"args": "extra pytest arguments, e.g. -k feed"})
def test(c, args=""):
    """Run the whole test suite (installs Chromium first when it is missing)."""
    _ensure_system_packages(c, TEST_SYSTEM_PACKAGES)
    c.run(f"{shlex.quote(sys.executable)} -m pytest {args}", pty=False)


@task
def lint(c):
    """ruff: lint and format check."""
    ruff = str(VENV_BIN / "ruff")
    c.run(f"{ruff} check .")
    c.run(f"{ruff} format --check .")


@task
def translations(c):
    """Extract translatable strings into messages.pot and merge them into the nl/en catalogs."""
    pybabel = str(VENV_BIN / "pybabel")
    pot = "theme/translations/messages.pot"
    c.run(
        f"{pybabel} extract -F babel.cfg -k N_ -k _ -k gettext -k ngettext:1,2 "
        f"--no-location --sort-output --omit-header -o {pot} ."
    )
    c.run(f"{pybabel} update -i {pot} -d theme/translations --no-wrap --ignore-obsolete")


@task(help={"runs": "runs per measurement (median and spread)"})
def benchmark(c, runs=3):
    """Measure build speed on a synthetic 1,000-article site; writes benchmarks/RESULTS.md."""
    c.run(f"{shlex.quote(sys.executable)} benchmarks/build_bench.py --runs {int(runs)}", pty=False)
    c.run(f"{shlex.quote(sys.executable)} benchmarks/page_weight.py", pty=False)
