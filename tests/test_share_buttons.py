"""sharing: the pure parts — share URLs per network, settings, link preview helpers — and the
glue's choice of a preview image, run in-process on a small site model."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from PIL import Image

from plugins.core import read
from plugins.core.text import plain_text, shorten
from plugins.core.urls import absolute_url, base_url
from plugins.sharing.networks import (
    DEFAULT_NETWORKS,
    ICONS,
    NETWORKS,
    mastodon_text,
    share_links,
)
from plugins.sharing.preview import (
    ImageError,
    ImageSizes,
    LinkPreview,
    PreviewImage,
    image_path,
)
from plugins.sharing.settings import ShareSettings


def read_settings(settings: dict):
    config, problems = read(ShareSettings, settings, "SHARE_")
    return config, [p.field for p in problems], problems


TITLE = "Quotes \"dubbel\" & 'enkel' #1 + 2 = 3 ½ 🎉 één café </script><b>"
TEXT = "Over 'moderatie' & <em>groei</em>?\nTweede regel; 100% #zeker"
URL = "https://communitykompas.nl/een-artikel/?a=1&b=2+3#deel"
IMAGE = "https://communitykompas.nl/images/foto met spatie.jpg"

# What each network must receive, after decoding: {parameter: value}.
EXPECTED = {
    "whatsapp": ("https", "wa.me", "/", "query", {"text": f"{TITLE} {URL}"}),
    "linkedin": ("https", "www.linkedin.com", "/sharing/share-offsite/", "query", {"url": URL}),
    "facebook": ("https", "www.facebook.com", "/sharer/sharer.php", "query", {"u": URL}),
    "x": ("https", "x.com", "/intent/tweet", "query", {"text": TITLE, "url": URL}),
    "bluesky": ("https", "bsky.app", "/intent/compose", "query", {"text": f"{TITLE} {URL}"}),
    "mastodon": (
        "https",
        "share.joinmastodon.org",
        "/",
        "fragment",
        {"text": f"{TITLE}\n\n{URL}"},
    ),
    "telegram": ("https", "t.me", "/share/url", "query", {"url": URL, "text": TITLE}),
    "email": ("mailto", "", "", "query", {"subject": TITLE, "body": f"{TEXT}\r\n\r\n{URL}"}),
    "threads": ("https", "www.threads.net", "/intent/post", "query", {"text": TITLE, "url": URL}),
    "reddit": ("https", "www.reddit.com", "/submit", "query", {"url": URL, "title": TITLE}),
    "pinterest": (
        "https",
        "www.pinterest.com",
        "/pin/create/button/",
        "query",
        {"url": URL, "media": IMAGE, "description": TITLE},
    ),
}

# Characters that may appear raw in a share URL's parameters: unreserved + the separators.
SAFE_PARAMS = re.compile(r"^[A-Za-z0-9%._~=&-]*$")


def decode_params(encoded: str) -> dict[str, str]:
    """Strict RFC 3986 decoding: %XX only; a '+' would stay a '+' (we never emit one)."""
    params = {}
    for pair in encoded.split("&"):
        name, _, value = pair.partition("=")
        assert name not in params, f"parameter {name} twice"
        params[unquote(name, errors="strict")] = unquote(value, errors="strict")
    return params


@pytest.mark.parametrize("network", sorted(EXPECTED))
def test_every_network_url_decodes_back_to_the_exact_url_and_text(network):
    (link,) = share_links(URL, TITLE, TEXT, networks=[network], image_url=IMAGE)
    scheme, host, path, where, expected = EXPECTED[network]
    parts = urlsplit(link.url)
    assert (parts.scheme, parts.netloc, parts.path) == (scheme, host, path)
    encoded = parts.fragment if where == "fragment" else parts.query
    if where == "fragment":
        assert parts.query == "", "the Mastodon text must stay in the fragment (never sent)"
    assert SAFE_PARAMS.match(encoded), f"unencoded characters in {encoded!r}"
    assert " " not in link.url and "+" not in link.url and "<" not in link.url
    assert decode_params(encoded) == expected
    # Receivers that read '+' as a space (application/x-www-form-urlencoded) get the same.
    as_form = parse_qs(encoded, keep_blank_values=True, strict_parsing=True)
    assert {name: values[0] for name, values in as_form.items()} == expected


def test_mailto_follows_rfc_6068():
    (link,) = share_links(URL, "Eén & twee", "regel 1\nregel 2", networks=["email"])
    assert link.url.startswith("mailto:?subject=")
    # Spaces as %20 (a '+' would show up as a plus in mail clients), UTF-8 bytes percent-encoded,
    # the line breaks between text and link as CRLF.
    assert "subject=E%C3%A9n%20%26%20twee&" in link.url
    assert "%0D%0A%0D%0Ahttps%3A%2F%2F" in link.url
    assert not link.new_tab


def test_copy_link_without_javascript_is_the_article_itself():
    (link,) = share_links(URL, TITLE, networks=["copy"])
    assert link.url == URL
    assert not link.new_tab


def test_mastodon_link_carries_the_post_text_for_the_readers_own_server():
    (link,) = share_links(URL, TITLE, networks=["mastodon"])
    assert link.share_text == f"{TITLE}\n\n{URL}" == mastodon_text(URL, TITLE)


def test_links_follow_the_configured_order_with_translated_labels():
    dutch = {"Share on LinkedIn": "Deel op LinkedIn", "Copy link": "Link kopiëren"}
    links = share_links(
        URL, TITLE, networks=["copy", "linkedin"], gettext=lambda m: dutch.get(m, m)
    )
    assert [(ln.name, ln.label, ln.title) for ln in links] == [
        ("copy", "Link kopiëren", "Link kopiëren"),
        ("linkedin", "Deel op LinkedIn", "LinkedIn"),
    ]


def test_every_network_has_a_tiny_hidden_icon_and_an_accessible_label():
    for name in NETWORKS:
        (link,) = share_links(URL, TITLE, networks=[name])
        assert link.icon.startswith("<svg") and 'aria-hidden="true"' in link.icon
        assert len(link.icon) < 400, f"{name} icon is {len(link.icon)} bytes"
        assert link.label and link.title
    assert sum(len(ICONS[n]) for n in DEFAULT_NETWORKS) < 2500


def test_unknown_network_is_a_key_error():
    with pytest.raises(KeyError):
        share_links(URL, TITLE, networks=["myspace"])


# --- settings --------------------------------------------------------------------------------


def test_default_settings():
    share, problems, _ = read_settings({"SITEURL": "https://example.nl/", "DEFAULT_LANG": "nl"})
    assert share.networks == DEFAULT_NETWORKS
    assert DEFAULT_NETWORKS == (
        "whatsapp",
        "linkedin",
        "facebook",
        "x",
        "bluesky",
        "mastodon",
        "telegram",
        "email",
        "copy",
    )
    assert share.default_image == "images/standaard-deelafbeelding.jpg"
    assert problems == []


def test_unknown_network_names_the_setting_and_lists_the_valid_names():
    share, fields, (problem,) = read_settings(
        {"SHARE_NETWORKS": ["LinkedIn", "myspace", "email", "email"]}
    )
    assert share.networks == ("linkedin", "email")
    assert problem.field == "SHARE_NETWORKS"
    assert "'myspace'" in problem.message
    for name in NETWORKS:
        assert name in problem.fix


def test_networks_may_be_a_comma_separated_string():
    share, fields, _ = read_settings({"SHARE_NETWORKS": "email, copy"})
    assert share.networks == ("email", "copy") and fields == []


def test_networks_must_be_a_list():
    share, fields, _ = read_settings({"SHARE_NETWORKS": 42})
    assert share.networks == DEFAULT_NETWORKS
    assert fields == ["SHARE_NETWORKS"]


def test_the_base_url_is_siteurl_else_the_feed_domain_else_the_local_server():
    assert base_url({"SITEURL": "https://example.nl/"}) == "https://example.nl"
    assert base_url({"SITEURL": "", "FEED_DOMAIN": "http://127.0.0.1:8123/"}) == (
        "http://127.0.0.1:8123"
    )
    assert base_url({"SITEURL": ""}) == "http://127.0.0.1:8000"
    assert base_url({"SITEURL": "", "SCHITTER_DEV_URL": "http://127.0.0.1:8010"}) == (
        "http://127.0.0.1:8010"
    )
    assert base_url({"SITEURL": "/blog"}) == "http://127.0.0.1:8000/blog"


def test_wrongly_typed_settings_are_reported_by_name():
    share, fields, _ = read_settings(
        {"SHARE_CALL_TO_ACTION": ["x"], "SHARE_PODCAST_IMAGES": "cover.jpg"}
    )
    assert set(fields) == {"SHARE_CALL_TO_ACTION", "SHARE_PODCAST_IMAGES"}
    assert share.call_to_action == ""


# --- link preview helpers --------------------------------------------------------------------


def test_plain_text_drops_tags_and_decodes_entities():
    assert plain_text("Café &amp; <em>thee</em> &quot;nu&quot;") == 'Café & thee "nu"'
    assert plain_text(None) == ""


def test_shorten_cuts_at_a_word():
    text = "woord " * 100
    short = shorten(text, 50)
    assert len(short) <= 50 and short.endswith("woord…")
    assert shorten("kort", 50) == "kort"


@pytest.mark.parametrize(
    "value",
    ["images/a b.jpg", "/images/a b.jpg", "{static}/images/a b.jpg", "{attach}images/a b.jpg"],
)
def test_image_field_forms(value):
    assert image_path(value) == "images/a b.jpg"


def test_absolute_urls_are_percent_encoded_and_remote_ones_kept():
    assert absolute_url("https://x.nl/", "images/één foto.jpg") == (
        "https://x.nl/images/%C3%A9%C3%A9n%20foto.jpg"
    )
    assert absolute_url("https://x.nl", "https://cdn.example/a.jpg") == "https://cdn.example/a.jpg"


def test_image_sizes_are_real_and_read_once_per_build(tmp_path: Path):
    Image.new("RGB", (1200, 630)).save(tmp_path / "wide.jpg")
    Image.new("RGB", (640, 480)).save(tmp_path / "photo.png")
    (tmp_path / "fake.jpg").write_text("not an image")
    sizes = ImageSizes()
    assert sizes.facts(tmp_path / "wide.jpg").__dict__ == {
        "width": 1200,
        "height": 630,
        "mime_type": "image/jpeg",
    }
    for _ in range(3):
        assert sizes.facts(tmp_path / "photo.png").mime_type == "image/png"
    assert sizes.opened == 2
    with pytest.raises(ImageError, match="no image file"):
        sizes.facts(tmp_path / "missing.jpg")
    with pytest.raises(ImageError, match="not an image"):
        sizes.facts(tmp_path / "fake.jpg")


@pytest.mark.parametrize(
    "size, card",
    [
        ((1200, 630), "summary_large_image"),  # the usual link-preview image
        ((1500, 1000), "summary_large_image"),  # 3:2 is still wide
        ((1400, 1400), "summary"),  # a square episode cover: a thumbnail, not cropped to 2:1
        ((800, 1200), "summary"),  # portrait
        ((None, None), "summary_large_image"),  # a remote image of unknown size
    ],
)
def test_card_size_follows_the_image_shape(size, card):
    image = PreviewImage("https://x.nl/a.jpg", "alt", *size)
    with_image = LinkPreview("t", "d", "https://x.nl/", "s", "nl_NL", image=image)
    assert with_image.twitter_card == card


def test_small_card_without_an_image():
    assert LinkPreview("t", "d", "https://x.nl/", "s", "nl_NL").twitter_card == "summary"


def test_empty_network_list_means_no_buttons():
    share, fields, _ = read_settings({"SHARE_NETWORKS": []})
    assert share.networks == () and fields == []
    assert share_links(URL, TITLE, networks=share.networks) == []
