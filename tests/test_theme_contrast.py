"""The theme's colour pairs meet WCAG AA contrast (4.5:1 for text) in light and dark mode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "theme/static/css/site.css").read_text()

# (foreground, background) pairs the theme actually uses for text.
TEXT_PAIRS = [
    ("--text", "--bg"),
    ("--text", "--surface"),
    ("--muted", "--bg"),
    ("--muted", "--surface"),
    ("--brand", "--bg"),
    ("--brand", "--surface"),
    ("--brand-strong", "--bg"),
    ("--accent", "--bg"),
    ("--bg", "--brand"),
    ("--bg", "--brand-strong"),
]
# Focus rings and star outlines are non-text UI: 3:1 (WCAG 1.4.11).
UI_PAIRS = [
    ("--focus", "--bg"),
    ("--focus", "--surface"),
    ("--star", "--bg"),
    ("--star", "--surface"),
]


def palette(scheme: str) -> dict[str, str]:
    light = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", CSS.split("@media")[0]))
    if scheme == "light":
        return light
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*{\s*:root\s*{(.*?)}", CSS, re.S)
    return {**light, **dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", dark_block.group(1)))}


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_meet_wcag_aa(scheme):
    colours = palette(scheme)
    failing = [
        (fg, bg, round(contrast(colours[fg], colours[bg]), 2))
        for fg, bg in TEXT_PAIRS
        if contrast(colours[fg], colours[bg]) < 4.5
    ]
    assert not failing, f"{scheme}: below 4.5:1: {failing}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_and_icon_colours_meet_non_text_contrast(scheme):
    colours = palette(scheme)
    failing = [
        (fg, bg, round(contrast(colours[fg], colours[bg]), 2))
        for fg, bg in UI_PAIRS
        if contrast(colours[fg], colours[bg]) < 3
    ]
    assert not failing, f"{scheme}: below 3:1: {failing}"
