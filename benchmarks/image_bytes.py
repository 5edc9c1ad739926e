"""Image bytes an article costs a phone, with and without the resized copies (plugins/images).

Builds the demo site three times: with the code of ``--before`` (default ``main``, checked out
into a temporary git worktree), with the working tree and ``IMAGES_ENABLED = False`` (every
picture one full-size file), and with the working tree as it is. Serves each over loopback,
opens the same article in Debian's Chromium as a 390 px wide phone (device pixel ratio 3, like
most phones of that width; ``--dpr 2`` for older ones), scrolls to the end so that lazy pictures
load too, and adds up the bytes of every image response.

    .venv/bin/python benchmarks/image_bytes.py [--before main] [--dpr 2] [--page /slug/]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from schitter.devserver import serve_in_background, url_of  # noqa: E402

PAGE = "/waarom-je-community-een-ritme-nodig-heeft/"
CHROMIUM = "/usr/bin/chromium"


def build(code: Path, output: Path, overrides: tuple[str, ...] = ()) -> None:
    """The demo content built by the code in ``code`` (its own settings, plugins and theme)."""
    result = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(output)]
        + ["-e", f'CACHE_PATH="{output.parent / "cache"}"', *overrides],
        cwd=code,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SCHITTER_RATINGS_URL": "", "HOME": str(output.parent)},
    )
    if result.returncode != 0:
        raise SystemExit(f"build of {code} failed:\n{result.stdout}\n{result.stderr}")


def image_bytes(site: Path, page: str, dpr: float) -> tuple[int, list[tuple[str, int]]]:
    from playwright.sync_api import sync_playwright

    server = serve_in_background(site)
    loaded: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            phone = browser.new_context(
                viewport={"width": 390, "height": 844},
                device_scale_factor=dpr,
                is_mobile=True,
                has_touch=True,
            )
            tab = phone.new_page()

            def seen(response):
                if response.request.resource_type == "image" and response.status == 200:
                    loaded.append((response.url.split("/", 3)[-1], len(response.body())))

            tab.on("response", seen)
            tab.goto(url_of(server) + page, wait_until="networkidle")
            height = tab.evaluate("document.body.scrollHeight")
            for y in range(0, height + 844, 400):  # lazy pictures load as they come near
                tab.evaluate(f"window.scrollTo(0, {y})")
                tab.wait_for_timeout(60)
            tab.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    return sum(size for _, size in loaded), loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="main", help="git revision to compare with")
    parser.add_argument("--page", default=PAGE)
    parser.add_argument("--dpr", type=float, default=3.0, help="device pixel ratio (3 or 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        before_code = work / "before-code"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(before_code), args.before],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            results = {}
            runs = (
                (args.before, before_code, ()),
                ("one size", ROOT, ("IMAGES_ENABLED=false",)),
                ("resized", ROOT, ()),
            )
            for name, code, overrides in runs:
                (work / name).mkdir()
                build(code, work / name / "output", overrides)
                results[name] = image_bytes(work / name / "output", args.page, args.dpr)
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before_code)],
                cwd=ROOT,
                capture_output=True,
            )
    for name, (total, files) in results.items():
        listed = ", ".join(f"{url} {size:,} B" for url, size in files)
        print(f"{name:<9} {total:>9,} B in {len(files)} image(s): {listed}")
    before, after = results["one size"][0], results["resized"][0]
    saved = before - after
    print(f"resized copies save {saved:,} B of {before:,} B ({saved / before:.0%})")


if __name__ == "__main__":
    main()
