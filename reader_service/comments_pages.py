"""The two small pages of the service itself: the one an e-mail's approve/reject link opens (it
asks to confirm with a button: a mail scanner that follows links changes nothing) and the one
that says it is done. Plain HTML, no script, a policy that allows nothing but the form."""

from __future__ import annotations

import html

from starlette.responses import HTMLResponse

MODERATION_TEXTS = {
    "nl": {
        "approve": "Reactie goedkeuren",
        "reject": "Reactie afwijzen",
        "confirm": "Bevestigen",
        "approved": "Goedgekeurd",
        "rejected": "Afgewezen",
        "gone": "Deze reactie bestaat niet meer.",
        "by": "van",
        "on": "bij",
    },
    "en": {
        "approve": "Approve comment",
        "reject": "Reject comment",
        "confirm": "Confirm",
        "approved": "Approved",
        "rejected": "Rejected",
        "gone": "This comment no longer exists.",
        "by": "by",
        "on": "on",
    },
}


def page(lang: str, title: str, body: str, status: int = 200) -> HTMLResponse:
    """A complete page; ``body`` is HTML the caller escaped."""
    document = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"{body}</body></html>"
    )
    headers = {
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; form-action 'self'",
        "Referrer-Policy": "no-referrer",  # the link's signature stays out of Referer
    }
    return HTMLResponse(document, status_code=status, headers=headers)
