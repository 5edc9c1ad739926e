"""The site's Content-Security-Policy, made from the settings (pure).

Once readers' text is in the pages, a sanitiser bug must not become a script: every page says
that scripts run only from the site itself (``script-src 'self'``: no inline script, no event
handler attributes, no ``javascript:`` URLs; JSON-LD is data and never runs), that it talks only
to the site and its reader service (``connect-src``), and that forms post only there and to the
newsletter provider (``form-action``). Styles allow inline ``style`` attributes (the rating bars'
widths); a stylesheet or a style attribute cannot run code.

The policy goes into every page as ``<meta http-equiv="Content-Security-Policy">``. Browsers
ignore ``frame-ancestors`` there, so the header the web server sends (README: nginx, Caddy)
adds it: :func:`header_policy`.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def origin(url: str) -> str:
    """The origin of an absolute http(s) URL, else "" (a relative URL is the site itself)."""
    parts = urlsplit(str(url or ""))
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def policy(service_urls: list[str], form_urls: list[str], site_url: str = "") -> str:
    """The policy for pages whose scripts call ``service_urls`` and whose forms post to
    ``form_urls`` (and to the services). ``site_url``: the site's own address, named as well,
    for the pages the reader service serves from its own origin (a course sign-up's answer),
    which load the site's style sheet, script and pictures."""
    services = sorted({o for o in map(origin, service_urls) if o})
    forms = sorted({o for o in map(origin, [*service_urls, *form_urls]) if o})
    site = [o for o in [origin(site_url)] if o]
    directives = [
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", *site]),
        ("style-src", ["'self'", *site, "'unsafe-inline'"]),
        ("img-src", ["'self'", *site, "data:"]),
        ("media-src", ["'self'", *site]),
        ("connect-src", ["'self'", *services]),
        ("form-action", ["'self'", *forms]),
        ("base-uri", ["'self'"]),
        ("object-src", ["'none'"]),
    ]
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


def header_policy(meta_policy: str, webassembly: bool = True) -> str:
    """The same policy as an HTTP header, with what only a header can say. ``webassembly``:
    scripts of the site may compile WebAssembly (``'wasm-unsafe-eval'``, never ``eval`` of
    JavaScript): Pagefind's search runs it in a worker, and a worker script follows the policy
    of its own response, this header (a page's ``<meta>`` does not reach it)."""
    if webassembly:
        meta_policy = meta_policy.replace(
            "script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'"
        )
    return f"{meta_policy}; frame-ancestors 'none'"
