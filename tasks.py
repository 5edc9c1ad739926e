"""Schitter tasks (invoke): build, serve, publish, test. `invoke --list` shows them all.

`make serve` and `make test` bootstrap the virtualenv and call the tasks of the same name.
"""

from __future__ import annotations

import ctypes
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from invoke import Exit, UnexpectedExit, task

ROOT = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
# Pelican behind a check of the settings that would stop it with a traceback (schitter/build.py).
PELICAN = [sys.executable, "-m", "schitter.build"]
PLAIN_LOG = ["--log-handler", "plain"]

CONFIG = {
    "dev_settings": "pelicanconf.py",
    "publish_settings": "publishconf.py",
    "output": "output",
    "host": "127.0.0.1",
    "port": 8000,
    # `invoke publish` to a folder on this machine (a web root, a mounted share): README.
    "publish_dir": os.environ.get("SCHITTER_PUBLISH_DIR", ""),
    "publish_keep": 5,  # complete publish builds kept in var/ (rollback: README)
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
# The reader service tests start a throwaway PostgreSQL server (initdb/pg_ctl).
TEST_SYSTEM_PACKAGES["/usr/lib/postgresql"] = "postgresql"
# The redirects of a WordPress move are followed through real nginx and Caddy servers.
TEST_SYSTEM_PACKAGES["/usr/sbin/nginx"] = "nginx-light"
TEST_SYSTEM_PACKAGES["/usr/bin/caddy"] = "caddy"
# Every built page is checked by the Nu HTML Checker (vnu.jar from npm, run by Java).
TEST_SYSTEM_PACKAGES["/usr/bin/java"] = "default-jre-headless"
TEST_SYSTEM_PACKAGES["/usr/bin/npm"] = "npm"
# The podcast feeds are also read by podcast-partytime (the Podcast Index's parser, on Node).
TEST_SYSTEM_PACKAGES["/usr/bin/node"] = "nodejs"
# npm packages the tests run, each folder with a package.json + package-lock.json (pinned):
# podcast-partytime (tests/feed_parsers) and the Nu HTML Checker's vnu.jar (tests/vnu).
TEST_NPM_FOLDERS = [ROOT / "tests" / "feed_parsers", ROOT / "tests" / "vnu"]


def _pelican(c, settings: str, output: str, *extra: str, overrides: dict | None = None) -> None:
    args = [*PELICAN, "content", "-s", settings, "-o", output, *extra]
    if overrides:  # one -e with every override: Pelican keeps only the last -e option
        args += ["-e", *(f"{key}={json.dumps(value)}" for key, value in overrides.items())]
    with c.cd(str(ROOT)):  # content/ and the settings are relative to the project
        c.run(shlex.join(args), pty=False)


@task(
    help={
        "lang": "interface language nl or en (default: DEFAULT_LANG of pelicanconf.py)",
        "output": "output folder",
    }
)
def build(c, lang=None, output=CONFIG["output"]):
    """Build the site with the development settings."""
    # Only a --lang given on the command line overrides the settings file's DEFAULT_LANG.
    _pelican(c, CONFIG["dev_settings"], output, overrides={"DEFAULT_LANG": lang} if lang else None)


@task
def clean(c):
    """Remove the generated site and the build cache."""
    for folder in (CONFIG["output"], "cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)


@task(help={"port": "port to serve on (default 8000)"})
def serve(c, port=CONFIG["port"]):
    """Build the demo site, serve it on http://127.0.0.1:8000 and rebuild on every change."""
    from schitter import devserver

    port = int(port)
    # The reader service on the next free port: 8001 next to 8000, 8011 next to 8010.
    service_port = free_port(CONFIG["host"], port + 1)
    # Share, feed and subscribe URLs carry the address the site is really served on, and the
    # vote form posts to the reader service started below (pelicanconf.py reads these).
    env = serve_environment(os.environ, CONFIG["host"], port, service_port)
    # Pelican watches content/, theme/ and the settings and rebuilds; our server (with the
    # Range support browsers need to seek in audio) serves whatever the last build wrote.
    builder = subprocess.Popen(
        [*PELICAN, "content", "-s", CONFIG["dev_settings"], "-o", CONFIG["output"], "--autoreload"],
        cwd=ROOT,
        env=env,
    )
    service = _start_reader_service(port, service_port)
    print(f"Reader service on http://{CONFIG['host']}:{service_port}", flush=True)
    try:
        devserver.main([CONFIG["output"], "--host", CONFIG["host"], "--port", str(port)])
    finally:
        for process in (builder, service):
            process.terminate()
            process.wait(timeout=10)


def serve_environment(environ, host: str, port: int, service_port: int) -> dict:
    """The environment of `invoke serve`'s build: the site's address and the reader service's."""
    env = dict(environ)
    env["SCHITTER_DEV_URL"] = f"http://{host}:{port}"
    env.setdefault("SCHITTER_RATINGS_URL", f"http://{host}:{service_port}")
    env.setdefault("SCHITTER_COMMENTS_URL", f"http://{host}:{service_port}")
    return env


def free_port(host: str, first: int) -> int:
    """``first`` if nothing listens there, else the next free port after it."""
    import socket

    for candidate in range(first, first + 100):
        with socket.socket() as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    raise Exit(f"No free port from {first} to {first + 99} on {host}.")


def _start_reader_service(site_port, service_port) -> subprocess.Popen:
    """The reader service next to the dev site (README, "The reader service"): SQLite and a
    secret under var/ratings/, votes accepted for the ids in the dev build's manifest."""
    env = dict(os.environ)
    defaults = {
        "MANIFEST": str(ROOT / CONFIG["output"] / "ratings" / "manifest.json"),
        "COMMENTS_MANIFEST": str(ROOT / CONFIG["output"] / "comments" / "manifest.json"),
        "SITE_ORIGIN": f"http://{CONFIG['host']}:{site_port} http://localhost:{site_port}",
        "PORT": str(service_port),
    }
    for name, value in defaults.items():  # the author's own (also deprecated RATINGS_*) win
        if f"READER_SERVICE_{name}" not in env and f"RATINGS_{name}" not in env:
            env[f"READER_SERVICE_{name}"] = value
    env["READER_SERVICE_PORT"] = str(service_port)  # the port the site's pages post to
    env.pop("RATINGS_PORT", None)
    return subprocess.Popen([sys.executable, "-m", "reader_service"], cwd=ROOT, env=env)


@task(help={"args": 'admin command, e.g. "check" or "export --format json"'})
def service(c, args="stats"):
    """Reader service admin: stats, export, delete, purge, check, import-wordpress (README)."""
    c.run(f"{shlex.quote(sys.executable)} -m reader_service.admin {args}", pty=False)


@task(help={"args": 'moderation command, e.g. "pending", "approve 12" or "forget --email …"'})
def comments(c, args="pending"):
    """Comment moderation: pending, list, show, approve, reject, delete, edit, export, forget."""
    c.run(f"{shlex.quote(sys.executable)} -m reader_service.comments_admin {args}", pty=False)


@task(help={"args": 'admin command, e.g. "stats" or "import-wordpress …"'})
def ratings(c, args="stats"):
    """The votes' admin commands (the same as `invoke service`; kept for habit and scripts)."""
    service(c, args)


@task(
    name="import-wordpress",
    help={
        "export": "the WordPress export file (Tools → Export → All content)",
        "uploads": "a copy of the old site's wp-content/uploads folder",
        "dry_run": "only report what would be imported; write nothing",
        "podcast_show": "the PODCAST_SHOWS key imported episodes belong to",
        "args": 'more options, e.g. "--tag-base trefwoord --no-votes" (see --help)',
    },
)
def import_wordpress(c, export, uploads="", dry_run=False, podcast_show="", args=""):
    """Move a WordPress site into content/: posts, pages, media, comments, votes, old addresses."""
    command = [sys.executable, "-m", "schitter.wordpress", export]
    command += ["--uploads", uploads] if uploads else []
    command += ["--dry-run"] if dry_run else []
    command += ["--podcast-show", podcast_show] if podcast_show else []
    with c.cd(str(ROOT)):
        c.run(shlex.join(command) + (f" {args}" if args else ""), pty=False)


@task(
    name="check-redirects",
    help={"base": "a running site to check, e.g. https://communitykompas.nl (default: output/)"},
)
def check_redirects(c, base="", output=CONFIG["output"]):
    """Request every old (WordPress) address and report each one that does not arrive."""
    command = [sys.executable, "-m", "schitter.redirect_check", output]
    command += ["--base", base] if base else []
    with c.cd(str(ROOT)):
        c.run(shlex.join(command), pty=False)


# --- Publishing: atomic from build to server ------------------------------------------------
# A publish build is written to var/publish-<stamp>.partial and renamed to var/publish-<stamp>
# only when Pelican succeeded (strict: any problem in the build report fails it). A failed
# build is removed; var/publish-latest keeps pointing at the last good build, and nothing is
# deployed. The deploy steps switch the live site over in one step at the end.


def _publish_build(c) -> Path:
    """A strict build into a fresh folder; only a complete, checked build is ever deployed."""
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target, number = var / f"publish-{stamp}", 1
    while target.exists() or target.with_name(target.name + ".partial").exists():
        number += 1  # two builds in the same second
        target = var / f"publish-{stamp}-{number}"
    partial = target.with_name(target.name + ".partial")
    latest = var / "publish-latest"
    try:
        _pelican(c, CONFIG["publish_settings"], str(partial))
    except UnexpectedExit as failure:
        shutil.rmtree(partial, ignore_errors=True)
        kept = (
            f"var/publish-latest still points at the last good build ({os.readlink(latest)})"
            if latest.is_symlink() and latest.exists()
            else "there is no earlier good build in var/"
        )
        raise Exit(
            f"The publish build failed (pelican exit code {failure.result.exited}): nothing "
            f"was published, {kept}. Fix the problems listed above and run it again.",
            code=1,
        ) from None
    except BaseException:  # Ctrl-C: no half-written build stays behind either
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(target)
    pointer = var / "publish-latest.new"
    pointer.unlink(missing_ok=True)
    pointer.symlink_to(target.name)
    os.replace(pointer, latest)  # the switch is a single rename
    _prune_publish_builds(var, keep=CONFIG["publish_keep"], current=target)
    return target


def _prune_publish_builds(var: Path, keep: int, current: Path) -> None:
    """Keep the newest complete builds (to roll back to); never the one being published."""
    builds = sorted(
        p for p in var.glob("publish-2*") if p.is_dir() and not p.name.endswith(".partial")
    )  # by name: by time stamp
    for old in builds[:-keep] if keep > 0 else builds:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)


def rsync_command(source: Path, destination: str, port: str) -> list[str]:
    """rsync that switches the server over at the end: new files wait in temporary names
    until everything is transferred (--delay-updates), old files go last (--delete-after)."""
    return [
        "rsync",
        "--archive",
        "--compress",
        "--checksum",
        "--verbose",
        "--delay-updates",
        "--delete-after",
        "-e",
        f"ssh -p {port}",
        f"{source}/",
        destination,
    ]


def deploy_to_folder(build: Path, served: Path) -> None:
    """Copy a build next to the served folder, then put it in its place: the folder a web
    server reads is never half-written (Linux swaps the two folders in one step)."""
    served = served.absolute()
    served.parent.mkdir(parents=True, exist_ok=True)
    staged = served.with_name(served.name + ".new")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(build, staged, symlinks=True)  # the same file system: renames work
    if served.is_dir() and _exchange(staged, served):
        shutil.rmtree(staged)  # now the previous site
        return
    previous = served.with_name(served.name + ".old")
    shutil.rmtree(previous, ignore_errors=True)
    try:
        if served.exists():
            served.rename(previous)
        staged.rename(served)
    except OSError as error:
        raise Exit(
            f"Cannot put the new site in place of {served} ({error.strerror}); the new site is "
            f"in {staged}. Point SCHITTER_PUBLISH_DIR at a folder inside the web root or the "
            "mount, not at the mount point itself."
        ) from None
    shutil.rmtree(previous, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return (
        renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0
    )


# What a preview leaves out, said when it starts: it works offline, on this machine only.
PREVIEW_LEAVES_OUT = (
    "Scores and comments are left out: the preview does not fetch the ratings and comments "
    "snapshots from the production service and shows no vote, comment or course sign-up form. "
    "Nothing is published, no GUID is recorded."
)


def preview_environment(environ, host: str, port: int) -> dict:
    """The production settings for a local address, offline: no ratings service or snapshot."""
    env = dict(environ)
    env["SCHITTER_SITEURL"] = f"http://{host}:{port}"
    env["SCHITTER_RATINGS_URL"] = ""
    env["SCHITTER_RATINGS_SNAPSHOT_URL"] = ""
    env["SCHITTER_RATINGS_ALLOW_MISSING"] = "1"
    env["SCHITTER_COMMENTS_URL"] = ""
    env["SCHITTER_COMMENTS_SNAPSHOT_URL"] = ""
    env["SCHITTER_COMMENTS_ALLOW_MISSING"] = "1"
    return env


@task(
    help={
        "port": "port to serve the preview on (default 8000)",
        "serve": "serve the preview after building it (default: yes; --no-serve only builds)",
    }
)
def preview(c, port=CONFIG["port"], serve=True):
    """The production site (strict) built for http://127.0.0.1:8000 into var/preview/, served."""
    from schitter import devserver

    port = int(port)
    url = f"http://{CONFIG['host']}:{port}"
    print(f"Preview of the production site for {url}/. {PREVIEW_LEAVES_OUT}", flush=True)
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    target, partial = var / "preview", var / "preview.partial"
    shutil.rmtree(partial, ignore_errors=True)
    args = [*PELICAN, "content", "-s", CONFIG["publish_settings"], "-o", str(partial)]
    # A preview records no episode GUIDs: content/ stays as it is.
    args += ["-e", "PODCAST_GUID_REGISTRY_WRITE=false"]
    env = preview_environment(os.environ, CONFIG["host"], port)
    if subprocess.run(args, cwd=ROOT, env=env).returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise Exit(
            "The preview build failed: fix the problems listed above and run it again "
            "(var/preview/ is as it was).",
            code=1,
        )
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    print(f"Preview built in var/preview/. {PREVIEW_LEAVES_OUT}", flush=True)
    if serve:
        devserver.main([str(target), "--host", CONFIG["host"], "--port", str(port)])


@task
def release(c):
    """Strict production build into var/publish-latest/, to upload by hand (no deploy)."""
    target = _publish_build(c)
    print(f"Publish build ready in {target}")


@task
def check(c):
    """Strict build of content/ that lists every problem; deploys nothing, changes nothing."""
    # The production settings, so every problem fails the build as it would fail a publish, but
    # into a throwaway folder: no scores fetched (none needed), no GUIDs recorded in content/,
    # no cache or var/ touched.
    with tempfile.TemporaryDirectory(prefix="schitter-check-") as scratch:
        overrides = {
            "CACHE_PATH": str(Path(scratch) / "cache"),
            "PODCAST_GUID_REGISTRY_WRITE": False,
            "RATINGS_SNAPSHOT_URL": "",
            "RATINGS_STORE": "",
            "RATINGS_ALLOW_MISSING_SNAPSHOT": True,
        }
        try:
            # Plain log lines: one line per problem, however narrow the terminal.
            site = str(Path(scratch) / "site")
            _pelican(c, CONFIG["publish_settings"], site, *PLAIN_LOG, overrides=overrides)
        except UnexpectedExit:
            raise Exit(
                "Problems found in content/ (listed above): fix them from top to bottom and run "
                "`invoke check` again. Nothing was published and content/ was not changed.",
                code=1,
            ) from None
    print("No problems found in content/")


@task
def publish(c):
    """Strict build, then deploy it: to SCHITTER_PUBLISH_DIR, or rsync over SSH (SCHITTER_SSH_*)."""
    if not (CONFIG["publish_dir"] or (CONFIG["ssh_host"] and CONFIG["ssh_path"])):
        raise Exit(
            "Set SCHITTER_PUBLISH_DIR to the folder the site is served from on this machine, "
            "or SCHITTER_SSH_HOST and SCHITTER_SSH_PATH (and SCHITTER_SSH_USER, "
            "SCHITTER_SSH_PORT) to the server and folder, then run `invoke publish` again."
        )
    target = _publish_build(c)
    if CONFIG["publish_dir"]:
        deploy_to_folder(target, Path(CONFIG["publish_dir"]))
        print(f"Published {target.name} to {CONFIG['publish_dir']}")
        return
    destination = f"{CONFIG['ssh_host']}:{CONFIG['ssh_path'].rstrip('/')}/"
    if CONFIG["ssh_user"]:
        destination = f"{CONFIG['ssh_user']}@{destination}"
    try:
        c.run(shlex.join(rsync_command(target, destination, CONFIG["ssh_port"])))
    except UnexpectedExit as failure:
        raise Exit(
            f"rsync failed (exit code {failure.result.exited}). Files are switched over only "
            "at the end of a complete transfer (--delay-updates); run `invoke publish` again.",
            code=1,
        ) from None


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
    """Run the whole test suite (installs Chromium, Java, the Nu HTML Checker… when missing)."""
    _ensure_system_packages(c, TEST_SYSTEM_PACKAGES)
    for folder in TEST_NPM_FOLDERS:
        _ensure_npm_packages(c, folder)
    # One worker per core (pytest-xdist): the builds, browsers and servers of one test never
    # share state with another's; `--args "-n 0"` runs it in one process.
    c.run(f"{shlex.quote(sys.executable)} -m pytest -n auto {args}", pty=False)


def _ensure_npm_packages(c, folder: Path) -> None:
    """The npm packages of a test folder, exactly as its package-lock.json pins them; no
    install scripts (vnu-jar's would download a Java runtime: Debian's is used instead)."""
    lock = folder / "package-lock.json"
    installed = folder / "node_modules" / ".package-lock.json"
    if installed.is_file() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    c.run(
        shlex.join(
            ["npm", "ci", "--prefix", str(folder), "--ignore-scripts", "--no-audit", "--no-fund"]
        )
    )


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
