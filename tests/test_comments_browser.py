"""Comments in a real browser (Debian's Chromium) against the real service on loopback: a post
without JavaScript (form + the question in words), approved with the admin command, the
rebuild it runs, and the comment in the static HTML; a post with JavaScript and the pending
message in place; a reply; comments approved since the build fetched live; a sanitiser bug
caught by the Content-Security-Policy; and no CSP violation on any page of the demo site."""

from __future__ import annotations

import json
import re
import shlex
import subprocess

import pytest

from reader_service import comments_admin, comments_store
from reader_service.comments import Submission
from reader_service.config import Settings
from schitter.devserver import serve_in_background, url_of
from tests.reader_service_support import ServiceThread, make_content
from tests.sitecheck import PELICAN, ROOT

pytestmark = pytest.mark.browser

WORDS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
PENDING = "Bedankt! Je reactie verschijnt na goedkeuring."
WATCH_CSP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def solve(question: str) -> str:
    """ "zeven − … = 5" → "2", as a reader works it out."""
    first, operator, _, _, result = question.split()
    first, result = WORDS.index(first), int(result)
    return str(result - first if operator == "+" else first - result)


@pytest.fixture(scope="module")
def commented_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("comments-browser")
    output, content = folder / "output", make_content(folder / "content")
    database, secret = str(folder / "store.sqlite3"), folder / "secret"
    site = serve_in_background(output)
    site_url = url_of(site).rstrip("/")
    service = ServiceThread(
        Settings(
            database=database,
            secret_file=str(secret),
            manifest=str(output / "ratings" / "manifest.json"),
            comments_manifest=str(output / "comments" / "manifest.json"),
            site_origin=[site_url],
            comment_min_seconds=1,
        )
    )
    overrides = {
        "COMMENTS_STORE": database,
        "COMMENTS_SECRET_FILE": str(secret),
        "COMMENTS_SERVICE_URL": service.url,
        "RATINGS_SERVICE_URL": service.url,
        "RATINGS_STORE": database,
        "CACHE_PATH": str(folder / "cache"),
    }
    # The rebuild the author configures: here the same build as below, as one command line.
    rebuild = shlex.join(
        [*PELICAN, str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(output)]
        + ["--log-handler", "plain", "-e"]
        + [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    )
    result = subprocess.run(shlex.split(rebuild), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    yield {
        "site": site_url,
        "service": service,
        "output": output,
        "rebuild": rebuild,
        "database": database,
    }
    service.stop()
    site.shutdown()


def fill(page, name: str, body: str) -> None:
    page.fill("#reactie-naam", name)
    page.fill("#reactie-tekst", body)
    page.fill("#reactie-vraag", solve(page.inner_text("[data-comments-question]")))


def test_post_without_javascript_approve_rebuild_and_see_it_in_the_page(
    browser, commented_site, page_watch, monkeypatch
):
    site, service = commented_site["site"], commented_site["service"]
    context = browser.new_context(java_script_enabled=False)
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/welkom/")
    assert page.locator("#reacties h2").inner_text() == "Reacties"
    fill(page, "Jet zonder JS", "Dit is **mijn** reactie.")
    page.click("text=Reactie plaatsen")
    page.wait_for_url(re.compile(r"/welkom/#reactie-ontvangen$"))
    assert page.locator("#reactie-ontvangen").inner_text() == PENDING
    assert page.locator("#reactie-ontvangen").is_visible()
    [pending] = comments_store.listing(service.store, "pending")
    assert pending.name == "Jet zonder JS"

    # The author approves it; the approval runs the configured rebuild.
    monkeypatch.setenv("READER_SERVICE_REBUILD_COMMAND", commented_site["rebuild"])
    monkeypatch.delenv("READER_SERVICE_SMTP_HOST", raising=False)
    code = comments_admin.main(
        ["--database", commented_site["database"], "approve", str(pending.id)]
    )
    assert code == 0
    html = (commented_site["output"] / "welkom" / "index.html").read_text()
    assert f'id="reactie-{pending.id}"' in html and "<strong>mijn</strong>" in html
    page.goto(f"{site}/welkom/")
    comment = page.locator(f"#reactie-{pending.id}")
    assert "Dit is mijn reactie." in comment.inner_text()
    assert page.locator("#reacties h2").inner_text() == "1 reactie"
    assert page_watch.console_errors == []
    context.close()


def test_post_with_javascript_shows_the_pending_message_in_place(
    browser, commented_site, page_watch
):
    site, service = commented_site["site"], commented_site["service"]
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/welkom/")
    page.locator("#reageren").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('[name=token]').value !== ''")
    before = len(comments_store.listing(service.store))
    fill(page, "Kees met JS", "Met JavaScript verstuurd.")
    page.wait_for_timeout(1100)  # the service refuses comments sent faster than people type
    page.click("text=Reactie plaatsen")
    page.locator("#reacties [role=status]", has_text=PENDING).wait_for()
    assert page.url == f"{site}/welkom/"  # no reload, no redirect
    assert len(comments_store.listing(service.store)) == before + 1
    assert page.evaluate("window.__csp") == []
    assert page_watch.console_errors == []
    context.close()


def test_a_wrong_answer_with_javascript_is_said_in_place(browser, commented_site, page_watch):
    site, service = commented_site["site"], commented_site["service"]
    context = browser.new_context()
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/welkom/")
    page.locator("#reageren").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('[name=token]').value !== ''")
    before = len(comments_store.listing(service.store))
    fill(page, "Rekenaar", "Fout gerekend.")
    right = page.input_value("#reactie-vraag")
    page.fill("#reactie-vraag", str((int(right) + 1) % 10))
    page.click("text=Reactie plaatsen")  # at once: too fast, sent again by the script, then wrong
    page.locator(
        "#reacties [role=status]", has_text="Het antwoord op de vraag klopte niet."
    ).wait_for()
    assert page.url == f"{site}/welkom/"
    assert len(comments_store.listing(service.store)) == before
    context.close()


def test_reply_to_a_comment(browser, commented_site, page_watch):
    site, service = commented_site["site"], commented_site["service"]
    [parent] = comments_store.listing(service.store, "approved")[:1]
    context = browser.new_context()
    page = page_watch.attach(context.new_page())
    page.goto(f"{site}/welkom/")
    page.locator("#reageren").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('[name=token]').value !== ''")
    page.select_option("#reactie-op", str(parent.id))
    fill(page, "Lot", "Een antwoord op Jet.")
    page.wait_for_timeout(1100)
    page.click("text=Reactie plaatsen")
    page.locator("#reacties [role=status]", has_text=PENDING).wait_for()
    [reply] = [c for c in comments_store.listing(service.store) if c.name == "Lot"]
    assert reply.parent == parent.id
    assert page_watch.console_errors == []
    context.close()


def test_comments_approved_since_the_build_arrive_live(browser, commented_site, page_watch):
    service = commented_site["service"]
    [reply] = [c for c in comments_store.listing(service.store) if c.name == "Lot"]
    comments_store.set_status(service.store, reply.id, "approved", int(reply.created_at) + 10**6)
    context = browser.new_context()
    page = page_watch.attach(context.new_page())
    page.goto(f"{commented_site['site']}/welkom/")
    page.locator("#reageren").scroll_into_view_if_needed()
    live = page.locator(f".comments__replies #reactie-{reply.id}")
    live.wait_for()
    assert "Een antwoord op Jet." in live.inner_text()
    assert page_watch.console_errors == []
    context.close()


def test_a_sanitiser_bug_does_not_become_a_script(browser, commented_site, page_watch):
    """An approved row whose HTML slipped past the sanitiser: the live JSON inserts it, the
    page's CSP refuses its inline handler (and the build would sanitise it again)."""
    service = commented_site["service"]
    comment = comments_store.add_comment(
        service.store,
        Submission("welkom", "Kapot", "", "", "kapot", None, False),
        "",
        "net",
        2_000_000_000,
        False,
    )
    with service.store.transaction() as cur:  # as if the sanitiser had let this through
        cur.execute(
            "UPDATE comments SET html = ?, status = 'approved', approved_at = ? WHERE id = ?",
            (
                '<img src="data:," onerror="window.__pwned=1"><p>kapot</p>',
                2_000_000_000,
                comment.id,
            ),
        )
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = page_watch.attach(context.new_page())
    page.goto(f"{commented_site['site']}/welkom/")
    page.locator("#reageren").scroll_into_view_if_needed()
    page.locator(f"#reactie-{comment.id}", has_text="kapot").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert any("script-src" in v for v in page.evaluate("window.__csp"))
    context.close()


def test_no_csp_violation_on_any_page(browser, site_url, dev_site):
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    pages = sorted(p.relative_to(dev_site).as_posix() for p in dev_site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page.goto(f"{site_url.rstrip('/')}/{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__csp") == [], path
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()
