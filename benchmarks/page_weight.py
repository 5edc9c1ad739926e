"""Page weight of the generated test site (as the demo: rating widget, comment form, the course's
signup block) as readers get it: bytes and requests per page, and what
precompression (gzip -9, brotli 11) saves over on-the-fly gzip at a typical level 6.

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import sys
import tempfile
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_page_weight import PAGES, loaded_resources, served  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # As the test weighs it: with the rating widget, the comment form and the signup block.
        site = served(Path(tmp))
        print(f"{'page':<10} {'file':<58} {'raw':>7} {'gzip-6':>7} {'gzip-9':>7} {'br-11':>7}")
        for kind, name in sorted(PAGES.items()):
            page = site / name
            totals = [0, 0, 0, 0]
            files = [page, *loaded_resources(site, page)]
            for path in files:
                data = path.read_bytes()
                sizes = (
                    len(data),
                    len(gzip.compress(data, 6)),
                    len(gzip.compress(data, 9)),
                    len(brotli.compress(data, quality=11)),
                )
                totals = [t + s for t, s in zip(totals, sizes, strict=True)]
                rel = path.relative_to(site).as_posix()
                print(f"{kind:<10} {rel:<58} " + " ".join(f"{s:>7}" for s in sizes))
            live = int("data-rating-service=" in page.read_text())
            label = f"TOTAL ({len(files) + live} requests incl. live score)"
            print(f"{kind:<10} {label:<58} " + " ".join(f"{t:>7}" for t in totals))


if __name__ == "__main__":
    main()
