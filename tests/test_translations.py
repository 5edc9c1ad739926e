"""Every visible string goes through translation, and the Dutch catalog covers all of them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "theme" / "translations"


def extracted_msgids(tmp_path: Path) -> set[str]:
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "ngettext:1,2",
            "--omit-header",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fp:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fp) if m.id}


def catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        return read_po(fp, locale=lang)


def test_dutch_catalog_translates_every_string_in_the_code(tmp_path):
    dutch = catalog("nl")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in dutch
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = extracted_msgids(tmp_path) - translated
    assert not missing, f"untranslated in nl: {sorted(missing)} — run `invoke translations`"


def test_catalogs_have_no_fuzzy_entries():
    for lang in ("nl", "en"):
        fuzzy = [m.id for m in catalog(lang) if m.id and m.fuzzy]
        assert not fuzzy, f"{lang}: fuzzy entries need review: {fuzzy}"


def test_translated_placeholders_match_the_source():
    import re

    for message in catalog("nl"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"%\(\w+\)[sd]", " ".join(ids)))
        for text in strings:
            assert set(re.findall(r"%\(\w+\)[sd]", text)) == wanted, message.id
