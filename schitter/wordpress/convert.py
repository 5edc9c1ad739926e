"""A post's HTML as WordPress shows it → clean Markdown for ``content/``.

The steps are WordPress's own order: Gutenberg block comments are removed (reusable blocks
inlined, dynamic blocks such as "latest posts" noted: a static page cannot run them);
classic-editor posts get ``wpautop`` paragraphs (WordPress skips that for block content);
shortcodes are expanded (shortcodes.py); then every URL is passed to a resolver (media files →
``{static}``, other imported posts → ``{filename}``), and markdownify writes the Markdown.
Figures with a caption, audio and video stay small HTML blocks, which Markdown passes through;
scripts, iframes, forms and embedded objects never reach the page (an iframe becomes a link).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from bs4 import BeautifulSoup, Tag
from markdownify import ATX, MarkdownConverter

from .shortcodes import Attachments, Note, embed_link, expand

_BLOCK_COMMENT = re.compile(r"<!--\s*(/?)wp:([a-z0-9/-]+)(\s+\{.*?\})?\s*(/?)-->", re.DOTALL)
_ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
# Dropped with everything inside: nothing of these can run or load on a Schitter page.
_REMOVED = ("script", "style", "noscript", "form", "input", "button", "select", "textarea")
_REMOVED_EMBEDS = ("object", "embed", "applet")

# url, what refers to it ("img", "a", "media") → the new reference, the url unchanged, None:
# drop the element (a media file that is not in the uploads copy; a link: keep its text), or
# AS_LINK: show an image as a link to it (an image on another host is never loaded)
Resolver = Callable[[str, str], str | None]
AS_LINK = "\x00as-link"


def markdown_text(text: str) -> str:
    """Text that Markdown shows as written (no link, emphasis or HTML made of it)."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|])", r"\\\1", text)


def has_blocks(content: str) -> bool:
    return "<!-- wp:" in content


def remove_block_comments(content: str, reusable: dict[int, str], notes: list[Note]) -> str:
    """Gutenberg's ``<!-- wp:… -->`` delimiters removed; reusable blocks replaced by their text."""

    def replace(match: re.Match) -> str:
        closing, name, attributes, self_closing = match.groups()
        if closing or not self_closing:
            return ""
        if name in ("block", "core/block"):
            try:
                ref = int(json.loads(attributes or "{}").get("ref", 0))
            except (ValueError, AttributeError):
                ref = 0
            if ref in reusable:
                return remove_block_comments(reusable[ref], {}, notes)
            notes.append(Note(f"wp:{name}", f"reusable block {ref} is not in the export; removed"))
            return ""
        if name not in ("more", "nextpage", "spacer", "separator"):
            notes.append(
                Note(f"wp:{name}", "a dynamic block WordPress filled in on every visit; removed")
            )
        return ""

    return _BLOCK_COMMENT.sub(replace, content)


def wpautop(text: str) -> str:
    """WordPress's wpautop(): blank lines → paragraphs, single newlines → <br> (``<pre>`` kept)."""
    if not text.strip():
        return ""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"<pre wp-pre-tag-{len(kept) - 1}></pre>"

    text = re.sub(r"<(pre|script|style|svg)\b.*?</\1>", keep, text + "\n", flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(r"(<" + _ALL_BLOCKS + r"[\s/>])", r"\n\n\1", text)
    text = re.sub(r"(</" + _ALL_BLOCKS + r">)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\s*<(option|param|source|track)", r"<\1", text)
    text = re.sub(r"(</?(?:option|object|audio|video)[^>]*>)\s*", r"\1", text)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(r"<p>\s*(</?" + _ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(r"<p>\s*(</?" + _ALL_BLOCKS + r"[^>]*>)", r"\1", text)
    text = re.sub(r"(</?" + _ALL_BLOCKS + r"[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"(?<!<br />)\s*\n(?!$)", "<br />\n", text)
    text = re.sub(r"(</?" + _ALL_BLOCKS + r"[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.I
    )
    text = re.sub(r"\n</p>$", "</p>", text)
    return re.sub(r"<pre wp-pre-tag-(\d+)></pre>", lambda m: kept[int(m.group(1))], text)


def post_html(
    content: str, attachments: Attachments, reusable: dict[int, str]
) -> tuple[str, list[Note]]:
    """The HTML WordPress would show for a post body (before its URLs are mapped)."""
    notes: list[Note] = []
    blocks = has_blocks(content)
    text = remove_block_comments(content, reusable, notes) if blocks else content
    text = re.sub(r"<!--(more|nextpage|noteaser)\b.*?-->", "", text, flags=re.S)
    generated: list[str] = []

    def keep(piece: str) -> str:  # a block wpautop leaves alone, put back afterwards
        generated.append(piece)
        return f"<pre wp-shortcode-{len(generated) - 1}></pre>"

    text, shortcode_notes = expand(text, attachments, None if blocks else keep)
    notes += shortcode_notes
    if blocks:
        return text, notes
    text = wpautop(text)
    return re.sub(
        r"<pre wp-shortcode-(\d+)></pre>", lambda m: generated[int(m.group(1))], text
    ), notes


def _code_language(element: Tag) -> str:
    classes = " ".join(element.get("class", []))
    code = element.find("code")
    if code is not None:
        classes += " " + " ".join(code.get("class", []))
    match = re.search(r"(?:language-|lang-|brush:\s*)([\w+#-]+)", classes)
    return match.group(1) if match else ""


class _Converter(MarkdownConverter):
    """markdownify with figures (captioned), audio and video kept as small HTML blocks."""

    def convert_figure(self, el, text, parent_tags):
        image, caption = el.find("img"), el.find("figcaption")
        caption_text = " ".join(caption.get_text(" ").split()) if caption else ""
        if image is None or not caption_text or el.find("figure") is not None:
            return f"\n\n{text.strip()}\n\n"
        return (
            f'\n\n<figure><img src="{html.escape(image.get("src", ""))}" '
            f'alt="{html.escape(image.get("alt", ""))}">'
            f"<figcaption>{html.escape(caption_text)}</figcaption></figure>\n\n"
        )

    def convert_audio(self, el, text, parent_tags):
        return self._player("audio", el)

    def convert_video(self, el, text, parent_tags):
        return self._player("video", el)

    def _player(self, kind: str, el) -> str:
        source = el.get("src") or next((s.get("src") for s in el.find_all("source")), "")
        if not source:
            return ""
        poster = el.get("poster")
        extra = f' poster="{html.escape(poster)}"' if poster and kind == "video" else ""
        return (
            f'\n\n<{kind} controls preload="none" src="{html.escape(source)}"{extra}>'
            f'<a href="{html.escape(source)}">{html.escape(source.rsplit("/", 1)[-1])}</a>'
            f"</{kind}>\n\n"
        )


def to_markdown(source_html: str, resolve: Resolver) -> tuple[str, list[str]]:
    """Markdown for the HTML, URLs mapped by ``resolve``; lines saying what was removed."""
    removed: list[str] = []
    soup = BeautifulSoup(source_html, "html.parser")
    for name in _REMOVED + _REMOVED_EMBEDS:
        for element in soup.find_all(name):
            if name not in ("input", "button", "select", "textarea"):
                removed.append(f"<{name}> removed: nothing on a Schitter page runs or embeds it")
            element.decompose()
    for frame in soup.find_all("iframe"):
        source = frame.get("src", "")
        if source.startswith("//"):
            source = "https:" + source
        replacement = embed_link(source) if source.startswith(("http://", "https://")) else ""
        frame.replace_with(BeautifulSoup(replacement, "html.parser"))
        removed.append(f"<iframe> {source or '(without src)'} became a link: no third-party player")
    _map_urls(soup, resolve)
    markdown = _Converter(
        heading_style=ATX,
        bullets="-",
        code_language_callback=_code_language,
        escape_misc=False,
    ).convert_soup(soup)
    markdown = re.sub(
        r"[ \t]+\n", lambda m: "  \n" if m.group(0).startswith("  ") else "\n", markdown
    )
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    return (markdown + "\n" if markdown else ""), removed


def automatic_excerpt(source_html: str, words: int = 55) -> str:
    """WordPress's automatic excerpt (wp_trim_excerpt): the first 55 words of the text, "…".

    Written as the ``Summary`` of a post without an excerpt: it is what WordPress showed in
    lists and search results, and it is text (a summary Pelican computes from the body would
    render the body's links before the site's files are known).
    """
    soup = BeautifulSoup(source_html, "html.parser")
    for element in soup.find_all(["script", "style", "figcaption", "pre"] + list(_REMOVED)):
        element.decompose()
    text = soup.get_text(" ").split()
    if not text:
        return ""
    return markdown_text(" ".join(text[:words]) + (" …" if len(text) > words else ""))


def _map_urls(soup: BeautifulSoup, resolve: Resolver) -> None:
    for image in soup.find_all("img"):
        new = resolve(image.get("src", ""), "img")
        if new is None:
            link = image.parent if image.parent is not None and image.parent.name == "a" else None
            image.decompose()
            if link is not None and not link.get_text(strip=True) and not link.find("img"):
                link.decompose()
            continue
        if new == AS_LINK:
            link = soup.new_tag("a", href=image.get("src", ""))
            link.string = image.get("alt") or image.get("src", "")
            image.replace_with(link)
            continue
        image["src"] = new
        link = image.parent
        if link is not None and link.name == "a" and len(link.find_all(True)) == 1:
            target = resolve(link.get("href", ""), "a")
            if target in (None, new) or "attachment" in link.get("href", ""):
                link.unwrap()  # WordPress links an image to its own file: not needed
    for link in soup.find_all("a"):
        if link.get("href") and not link.get("href").startswith("{static}/"):
            new = resolve(link["href"], "a")
            if new is None:
                link.unwrap()
            else:
                link["href"] = new
    for kind in ("audio", "video", "source"):
        for element in soup.find_all(kind):
            for attribute, role in (("src", kind), ("poster", "poster")):
                if element.get(attribute):
                    new = resolve(element[attribute], "img" if role == "poster" else "media")
                    if new is None:
                        del element[attribute]
                    else:
                        element[attribute] = new
