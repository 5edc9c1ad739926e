"""Shared fixtures: real builds of the generated test site (tests/fixture_site.py), a real HTTP
server, a real browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schitter.devserver import serve_in_background, url_of
from tests.sitecheck import build

# Star ratings: the shared test builds have no ratings service (no vote form, no live score
# fetch) and publish builds never fetch the production snapshot; the ratings tests start a real
# service and set these settings themselves.
os.environ.setdefault("SCHITTER_RATINGS_URL", "")
os.environ.setdefault("SCHITTER_RATINGS_SNAPSHOT_URL", "")
os.environ.setdefault("SCHITTER_RATINGS_ALLOW_MISSING", "1")
# Comments likewise: no form and no snapshot in the shared builds; the comments tests start one.
os.environ.setdefault("SCHITTER_COMMENTS_URL", "")
os.environ.setdefault("SCHITTER_COMMENTS_SNAPSHOT_URL", "")
os.environ.setdefault("SCHITTER_COMMENTS_ALLOW_MISSING", "1")

CHROMIUM = "/usr/bin/chromium"
# Chromium flags for a closed network: no background requests to Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory) -> Path:
    """The generated test site built with the development settings (Dutch)."""
    return build(tmp_path_factory.mktemp("dev") / "output")


@pytest.fixture(scope="session")
def en_site(tmp_path_factory) -> Path:
    """The generated test site with the English interface."""
    return build(tmp_path_factory.mktemp("en") / "output", overrides={"DEFAULT_LANG": "en"})


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory) -> Path:
    """The generated test site built with the production settings (absolute URLs, strict)."""
    return build(tmp_path_factory.mktemp("publish") / "output", settings="publishconf.py")


@pytest.fixture(scope="session")
def site_url(dev_site) -> str:
    """The development build served over loopback by the same server `make serve` uses."""
    server = serve_in_background(dev_site)
    yield url_of(server)
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "Debian's chromium is missing: `apt-get install chromium`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The pages' Content-Security-Policy has no 'unsafe-eval': Playwright's wait_for_function polls
# a plain expression with eval() inside the page, so give it a function ("() => …") instead.


@pytest.fixture
def page_watch():
    """Collects console errors, page errors and every request URL of a Playwright page."""

    class Watch:
        def __init__(self):
            self.console_errors: list[str] = []
            self.requests: list[str] = []

        def attach(self, page):
            page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
            page.on("pageerror", lambda e: self.console_errors.append(str(e)))
            page.on("request", lambda r: self.requests.append(r.url))
            return page

    return Watch()


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: a skip must never hide a missing dependency."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") and skipped:
        reporter.write_line(f"CI: {skipped} test(s) were skipped; every test must run.", red=True)
        session.exitstatus = 1


# --- the reader service's databases ------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_url():
    """One throwaway PostgreSQL server for the session (tests/reader_service_support.py)."""
    from tests.reader_service_support import postgres_cluster  # loaded by the tests using it

    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A fresh store for the reader service: a SQLite file, then the PostgreSQL server emptied."""
    if request.param == "sqlite":
        return str(tmp_path / "ratings.sqlite3")
    from tests.reader_service_support import reset_postgres

    url = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    return url
