"""Comments, the domain rules: what a comment is, how its text becomes safe HTML, and the
signed spam guards (the arithmetic question and the form token). No HTTP, no SQL here.

**Text.** A comment is written in a small Markdown subset (paragraphs, line breaks, *emphasis*,
**strong**, `code`, code blocks, quotes, lists and links; no headings, images, tables or raw
HTML), rendered by markdown-it-py with HTML switched off and then sanitised by nh3 (Ammonia):
only the tags of that subset survive, links only to http(s) and mailto, and every link gets
``rel="nofollow ugc noopener"``. The sanitiser is the guarantee; the renderer's settings only
make the result look like what the reader typed.

**The question.** Readers without JavaScript answer a small sum in words, as on the author's old
site: "zeven − … = 5". The question changes every ``QUESTION_PERIOD`` seconds and is derived
from the service's secret and the period number (HMAC), so the service keeps no state for it:
the form sends the period back with the answer, and the service derives the same sum again.
Questions of the current and the ``QUESTION_PERIODS_VALID`` − 1 previous periods are accepted,
so a page baked a few weeks ago still works. The build bakes the current period's question into
every page (from the snapshot); the page's script fetches a fresh one.

**The form token.** With JavaScript the page fetches a token when the comments come into view:
``issued.nonce.hmac``. A comment sent sooner than ``min_seconds`` after it was issued is refused
(people type slower than scripts), a token is good for ``TOKEN_MAX_AGE`` seconds and once only
(the nonce is remembered until then: a replayed token is refused). Without JavaScript there is
no moment of page load that the service could sign (the page is a static file); such posts carry
no token and rely on the question, the honeypot, the rate limit and the origin check.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

from .guards import Refused

MAX_NAME = 80
MAX_EMAIL = 254
MAX_WEBSITE = 300
MAX_BODY = 5000
QUESTION_PERIOD = 7 * 86400
QUESTION_PERIODS_VALID = 6  # this week's question and the five before it
TOKEN_MAX_AGE = 4 * 3600
HONEYPOT = "homepage"  # a field people never see (hidden by the theme's CSS), bots fill in

ALLOWED_TAGS = {"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
LINK_REL = "nofollow ugc noopener"
EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"']{2,}$")
UNSAFE_IN_URL = re.compile(r"[\s\"'<>\\`]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The subset: CommonMark without raw HTML, images, headings, tables and rules.
_MARKDOWN = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    .disable(["image", "heading", "lheading", "hr", "html_block", "html_inline", "reference"])
    .enable(["newline"])
)


def render(body: str) -> str:
    """The comment's Markdown as sanitised HTML (the one place comment HTML is made)."""
    return sanitise(_MARKDOWN.render(body))


def sanitise(html: str) -> str:
    """Only the subset's tags; links to http(s)/mailto with rel="nofollow ugc noopener"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


@dataclass(frozen=True)
class Submission:
    """A reader's comment as the form or the script sent it, checked."""

    item: str
    name: str
    email: str
    website: str
    body: str
    parent: int | None
    notify: bool


def _text(fields: dict, name: str, limit: int, required: bool = False) -> str:
    value = fields.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused(422, "invalid_comment", f"{name} must be text")
    value = CONTROL.sub("", value).strip()
    if required and not value:
        raise Refused(422, "invalid_comment", f"{name} is required")
    if len(value) > limit:
        raise Refused(422, "invalid_comment", f"{name} is longer than {limit} characters")
    return value


def website_url(value: str) -> str:
    """An http(s) address, or "" (a website without a scheme gets https://)."""
    if not value:
        return ""
    if not re.match(r"^https?://", value, re.IGNORECASE):
        # Another scheme (javascript:, data:, ftp://); "example.nl:8080" is a host and port.
        if "://" in value or re.match(r"^[a-z][a-z0-9+.-]*:(?!\d)", value, re.IGNORECASE):
            raise Refused(422, "invalid_comment", "website must be an http(s) address")
        value = "https://" + value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or UNSAFE_IN_URL.search(value):
        raise Refused(422, "invalid_comment", "website must be an http(s) address")
    return value


def parse_submission(fields: dict) -> Submission:
    """The fields of a comment (form or JSON); Refused 422 with the field that is wrong."""
    if fields.get(HONEYPOT):
        raise Refused(422, "spam_suspected", "the comment was not accepted")
    item = fields.get("item")
    if not isinstance(item, str) or not item:
        raise Refused(400, "bad_request", "the comment names no item")
    name = _text(fields, "name", MAX_NAME, required=True)
    email = _text(fields, "email", MAX_EMAIL)
    if email and not EMAIL.match(email):
        raise Refused(422, "invalid_comment", "email is not an e-mail address")
    website = website_url(_text(fields, "website", MAX_WEBSITE))
    body = _text(fields, "body", MAX_BODY, required=True).replace("\r\n", "\n")
    parent = fields.get("parent")
    if parent in (None, "", 0, "0"):
        parent_id = None
    elif isinstance(parent, int) and not isinstance(parent, bool) and parent > 0:
        parent_id = parent
    elif isinstance(parent, str) and parent.isdigit() and len(parent) < 19:
        parent_id = int(parent)
    else:
        raise Refused(422, "invalid_comment", "parent must be a comment number")
    notify = fields.get("notify") in (True, "1", "on", "yes")
    return Submission(item, name, email.lower(), website, body, parent_id, notify and bool(email))


# --- the question -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    """``first − … = result`` or ``first + … = result``: the reader types the missing number."""

    period: int
    first: int
    operator: str  # "+" or "-"
    result: int

    @property
    def answer(self) -> int:
        return self.result - self.first if self.operator == "+" else self.first - self.result

    def to_json(self) -> dict:
        return {
            "period": self.period,
            "first": self.first,
            "operator": self.operator,
            "result": self.result,
        }


def question(secret: bytes, period: int) -> Question:
    """The question of a period, derived from the secret (numbers 0–10 and answers 1–9)."""
    digest = hmac.new(secret, f"question|{period}".encode(), hashlib.sha256).digest()
    answer = 1 + digest[0] % 9
    if digest[1] % 2:
        first = answer + digest[2] % (11 - answer)  # first − answer = result ≥ 0
        return Question(period, first, "-", first - answer)
    first = digest[2] % (11 - answer)  # first + answer = result ≤ 10
    return Question(period, first, "+", first + answer)


def current_period(now: float) -> int:
    return int(now // QUESTION_PERIOD)


def check_answer(secret: bytes, period_field, answer_field, now: float) -> None:
    """Refused unless the answer fits the question of a recent period."""
    period_text, answer_text = str(period_field or "").strip(), str(answer_field or "").strip()
    if not period_text.isdigit():
        raise Refused(422, "wrong_answer", "answer the question under the form")
    period = int(period_text)
    if not 0 <= current_period(now) - period < QUESTION_PERIODS_VALID:
        raise Refused(422, "question_expired", "the question has expired; reload the page")
    if not answer_text.lstrip("-").isdigit() or int(answer_text) != question(secret, period).answer:
        raise Refused(422, "wrong_answer", "the answer to the question is not right")


# --- the form token (JavaScript) ------------------------------------------------------------------
def _token_signature(secret: bytes, issued: int, nonce: str) -> str:
    message = f"comment-form|{issued}|{nonce}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def issue_token(secret: bytes, now: float) -> str:
    issued, nonce = int(now), secrets.token_hex(8)
    return f"{issued}.{nonce}.{_token_signature(secret, issued, nonce)}"


def check_token(secret: bytes, token: str, now: float, min_seconds: float) -> tuple[str, int]:
    """(nonce, expiry) of a good token; Refused when forged, too fresh or too old."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3 or not parts[0].isdigit():
        raise Refused(403, "bad_token", "the form token is not valid; reload the page")
    issued, nonce, signature = int(parts[0]), parts[1], parts[2]
    if not hmac.compare_digest(signature, _token_signature(secret, issued, nonce)):
        raise Refused(403, "bad_token", "the form token is not valid; reload the page")
    if now - issued < min_seconds:
        raise Refused(422, "too_fast", "the comment was sent too quickly; take a moment")
    if now - issued > TOKEN_MAX_AGE:
        raise Refused(403, "token_expired", "the form token has expired; reload the page")
    return nonce, issued + TOKEN_MAX_AGE


# --- moderation links -------------------------------------------------------------------------
ACTIONS = ("approve", "reject")


def moderation_signature(secret: bytes, comment_id: int, action: str) -> str:
    message = f"moderate|{comment_id}|{action}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def check_moderation(secret: bytes, comment_id: str, action: str, signature: str) -> int:
    if action not in ACTIONS or not str(comment_id).isdigit():
        raise Refused(404, "not_found", "no such moderation link")
    expected = moderation_signature(secret, int(comment_id), action)
    if not isinstance(signature, str) or not hmac.compare_digest(signature, expected):
        raise Refused(403, "bad_signature", "this moderation link is not valid")
    return int(comment_id)


def network_key(secret: bytes, network: str) -> str:
    """The reader's network (/24, /48) as the comment rate limit and the store see it: hashed."""
    return hmac.new(secret, f"comment-network|{network}".encode(), hashlib.sha256).hexdigest()[:32]
