"""Request every old address of the redirect map and report each one that does not arrive.

    python -m schitter.redirect_check output [--base https://communitykompas.nl]

The map is the one the ``redirects`` plugin wrote into the build (``redirects/map.json``).
Without ``--base`` the build folder is served by the development server on a free port;
with it, any running site is checked (the live one after deploying, behind nginx or Caddy).
An address arrives when it answers a redirect (a 301 from the server, or the redirect page's
``<meta http-equiv="refresh">``) to exactly its new address, and that address answers 200.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlsplit

MAP = "redirects/map.json"
_REFRESH = re.compile(
    r"""<meta\s+http-equiv=["']refresh["']\s+content=["']\d+;\s*url=([^"']+)["']""", re.I
)


@dataclass(frozen=True)
class Checked:
    old: str
    expected: str
    problem: str  # "" when the old address arrives


def old_addresses(redirect_map: dict) -> list[tuple[str, str]]:
    """(old address as requested, new address) for every entry of the map."""
    found = [(quote(old), new) for old, new in redirect_map.get("paths", {}).items()]
    for path, keys in redirect_map.get("queries", {}).items():
        for key, values in keys.items():
            for value, new in values.items():
                found.append((f"{quote(path)}?{urlencode({key: value})}", new))
    return sorted(found)


def _get(base: str, address: str) -> tuple[int, dict, str]:
    url = urljoin(base, address)
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.netloc, timeout=30)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        body = response.read(256 * 1024).decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        connection.close()


def _site_path(base: str, location: str) -> str:
    """A Location or refresh URL as a path on the site (what the map's targets are)."""
    absolute = urlsplit(urljoin(base, location))
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


def check_one(base: str, old: str, expected: str) -> Checked:
    try:
        status, headers, body = _get(base, old)
        if status in (301, 302, 307, 308) and "location" in headers:
            arrived = _site_path(base, headers["location"])
        elif status == 200 and (refresh := _REFRESH.search(body)):
            arrived = _site_path(base, refresh.group(1).replace("&amp;", "&"))
        else:
            return Checked(old, expected, f"answers {status} instead of a redirect")
        wanted = _site_path(base, quote(expected, safe="/?=&%#:"))
        if arrived.split("#")[0] != wanted.split("#")[0]:
            return Checked(old, expected, f"redirects to {arrived} instead")
        status, _, _ = _get(base, quote(expected, safe="/?=&%#:").split("#")[0])
        if status != 200:
            return Checked(old, expected, f"the new address answers {status}")
    except (OSError, http.client.HTTPException) as error:
        return Checked(old, expected, f"no answer ({error})")
    return Checked(old, expected, "")


def check_all(base: str, redirect_map: dict) -> list[Checked]:
    return [check_one(base, old, new) for old, new in old_addresses(redirect_map)]


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="output", help="the built site")
    parser.add_argument("--base", help="a running site to check (default: serve the build)")
    args = parser.parse_args(argv)
    map_file = Path(args.output) / MAP
    try:
        redirect_map = json.loads(map_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        print(
            f"{map_file}: no redirect map — build the site first (`invoke build`); only a "
            "content folder with redirects.json gets one",
            file=sys.stderr,
        )
        return 2
    server = None
    base = args.base
    if not base:
        from schitter import devserver

        server = devserver.serve_in_background(args.output)
        base = devserver.url_of(server)
    try:
        results = check_all(base.rstrip("/") + "/", redirect_map)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    failed = [r for r in results if r.problem]
    for result in failed:
        out.write(f"  - {result.old}: {result.problem} (expected {result.expected})\n")
    out.write(
        f"{len(results)} old address(es) checked against {base}: "
        + (f"{len(failed)} do not arrive\n" if failed else "all arrive\n")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
