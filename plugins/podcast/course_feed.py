"""A drip course's feed, cut into the parts the reader service puts together per subscriber.

The build makes the course feed once, with the same ``feed.build_feed`` as every other feed
(the show with ``itunes:block``/``podcast:block`` set: a personal feed never belongs in a
directory). This module takes that document and returns the lessons manifest: the channel
before and after the items (``head``, ``tail``), and per lesson its GUID, position, opening
offset and the item exactly as the feed has it. The service (``reader_service/course.py``)
only joins strings: the items open for a subscriber, each with its opening time in place of
``PUBDATE``, the reader's token in the self link in place of ``TOKEN`` (course_build.py).

``podcast:locked`` is left out: its ``owner`` attribute names the owner's e-mail address for
hosts that import feeds, and a personal feed is nobody's to import.
"""

from __future__ import annotations

from lxml import etree

from .drip import Drip

MANIFEST_VERSION = 1
PUBDATE = "@@PUBDATE@@"  # where each item's opening time goes
ITEMS = "@@ITEMS@@"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"


def course_manifest(
    feed_xml: bytes,
    show_slug: str,
    drip: Drip,
    notices: dict[str, dict[str, str]],
    order: list[str],
) -> tuple[bytes, dict]:
    """The course feed without ``podcast:locked``, and the lessons manifest cut from it.

    ``notices``: the welcome, ended and revoked items' ``title`` and ``text`` in the site's
    language (the build translates them; the service has no catalogs); ``order``: the
    lessons' GUIDs in the order they open (the show's order: by number in a serial show)."""
    root = etree.fromstring(feed_xml)
    channel = root.find("channel")
    for name in (f"{{{PODCAST_NS}}}locked", "lastBuildDate"):
        for element in channel.findall(name):
            channel.remove(element)
    complete = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    items = channel.findall("item")
    place = {guid: index for index, guid in enumerate(order)}
    items.sort(key=lambda item: place.get(item.findtext("guid"), len(place)))
    lessons = []
    for position, item in enumerate(items, start=1):
        item.find("pubDate").text = PUBDATE
        text = etree.tostring(item, encoding="unicode").strip()
        for prefix, uri in root.nsmap.items():  # declared once, on <rss>
            text = text.replace(f' xmlns:{prefix}="{uri}"', "", 1)
        lessons.append(
            {
                "guid": item.findtext("guid"),
                "position": position,
                "title": item.findtext("title"),
                "opens_after": drip.opens_after(position),
                "item": text,
            }
        )
        channel.remove(item)
    marker = etree.SubElement(channel, "items")
    marker.text = ITEMS
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()
    head, tail = document.split(f"<items>{ITEMS}</items>")
    return complete, {
        "version": MANIFEST_VERSION,
        "show": show_slug,
        "interval_days": drip.interval_days,
        "language": channel.findtext("language") or "",
        "title": channel.findtext("title") or "",
        "link": channel.findtext("link") or "",
        "head": head,
        "tail": tail,
        "lessons": lessons,
        "notices": notices,
    }
