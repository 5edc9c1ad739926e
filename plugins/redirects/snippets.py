"""Server snippets for the old addresses: nginx and Caddy, written next to the site.

A static page can redirect a path, but not ``/?p=12``: the query string never reaches a file.
The web server answers those with a 301, and it may as well answer the old paths too (a 301
is what search engines and feed readers follow best; the redirect pages stay as the fallback
on hosts without configuration). nginx gets ``map`` blocks (``http { }``) and the returns
(``server { }``), one map per query parameter so that ``/?p=12&utm_source=x`` works too;
Caddy gets one ``redir`` per address.
"""

from __future__ import annotations

import re

HEADER = (
    "# Old addresses (WordPress) → this site. Written by the redirects plugin from\n"
    "# content/redirects.json on every build: do not edit, edit that file.\n"
)
_UNSAFE = re.compile(r'[\s"\\${};]|[\x00-\x1f]')


def _usable(*values: str) -> bool:
    """Whether the values can be written literally (no quoting tricks in a server config)."""
    return not any(_UNSAFE.search(value) for value in values)


def _variable(key: str) -> str:
    return "schitter_redirect_" + re.sub(r"\W", "_", key)


def nginx_http(paths: dict[str, str], queries: dict[str, dict[str, dict[str, str]]]) -> str:
    """The ``map`` blocks: include this file inside ``http { }``."""
    out = [HEADER + "# Include inside http { } (the maps) — see redirects/nginx-server.conf.\n"]
    out.append('map $uri $schitter_redirect_path {\n    default "";\n')
    for old, new in sorted(paths.items()):
        if _usable(old, new):
            out.append(f'    "{old}" "{new}";\n')
            if old.endswith("/") and len(old) > 1:
                out.append(f'    "{old[:-1]}" "{new}";\n')
    out.append("}\n")
    for key in query_keys(queries):
        out.append(f'map "$uri|$arg_{key}" ${_variable(key)} {{\n    default "";\n')
        for path, by_key in sorted(queries.items()):
            for value, new in sorted(by_key.get(key, {}).items()):
                if _usable(path, value, new):
                    out.append(f'    "{path}|{value}" "{new}";\n')
                    if path == "/":  # WordPress answers /index.php?p=12 as well
                        out.append(f'    "/index.php|{value}" "{new}";\n')
        out.append("}\n")
    return "".join(out)


def nginx_server(queries: dict[str, dict[str, dict[str, str]]]) -> str:
    """The returns: include this file inside the site's ``server { }``."""
    out = [HEADER + "# Include inside server { } — the maps are in redirects/nginx-http.conf.\n"]
    out.append("if ($schitter_redirect_path) {\n    return 301 $schitter_redirect_path;\n}\n")
    for key in query_keys(queries):
        out.append(f"if (${_variable(key)}) {{\n    return 301 ${_variable(key)};\n}}\n")
    return "".join(out)


def caddyfile(paths: dict[str, str], queries: dict[str, dict[str, dict[str, str]]]) -> str:
    """``import`` this file inside the site block of the Caddyfile."""
    out = [HEADER + "# import this file inside the site's block of your Caddyfile.\n"]
    for old, new in sorted(paths.items()):
        if _usable(old, new):
            out.append(f"redir {old} {new} permanent\n")
            if old.endswith("/") and len(old) > 1:
                out.append(f"redir {old[:-1]} {new} permanent\n")
    number = 0
    for path, by_key in sorted(queries.items()):
        for key, values in sorted(by_key.items()):
            for value, new in sorted(values.items()):
                if not _usable(path, key, value, new) or "&" in value or "=" in value:
                    continue
                number += 1
                paths_matched = f"{path} /index.php" if path == "/" else path
                out.append(
                    f"@schitter_redirect_{number} {{\n    path {paths_matched}\n"
                    f"    query {key}={value}\n}}\n"
                    f"redir @schitter_redirect_{number} {new} permanent\n"
                )
    return "".join(out)


def query_keys(queries: dict[str, dict[str, dict[str, str]]]) -> list[str]:
    """The query parameters, in WordPress's precedence (a post id before a feed name)."""
    order = ["p", "page_id", "attachment_id", "cat", "tag", "m", "author", "feed"]
    found = {key for by_key in queries.values() for key in by_key if re.fullmatch(r"\w+", key)}
    return sorted(found, key=lambda k: (order.index(k) if k in order else len(order), k))
