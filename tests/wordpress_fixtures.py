"""A Dutch WordPress export with every case the importer handles, made on the spot.

``write_export(folder)`` writes ``export.xml`` (WXR 1.2) and an ``uploads/`` copy (real JPEGs
and an MP3) and returns both paths. The site used date-based permalinks
(``/%year%/%monthnum%/%day%/%postname%/``) except for its oldest post, still at ``/?p=ID``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests import audio_fixtures as af

SITE = "https://www.communitykompas.nl"
HOSTILE_TITLE = '</title><script>alert("titel")</script>\nStatus: draft'
HOSTILE_COMMENT = '<script>alert("reactie")</script><img src=x onerror=alert(1)>Leuk!'
PRIVATE_EMAIL = "geheim-adres@example.org"

BLOCKS = """<!-- wp:paragraph -->
<p>Een bericht uit de <strong>blokeditor</strong>, met een <a href="SITE/?p=101">link naar het
oudste bericht</a> en een <a href="SITE/2024/03/15/ritme-in-je-community/#vaste-momenten">link met
anker</a>.</p>
<!-- /wp:paragraph -->

<!-- wp:image {"id":501,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="SITE/wp-content/uploads/2024/03/kalender-1024x683.jpg" alt="Een kalender aan de muur" class="wp-image-501"/><figcaption>Elke week hetzelfde moment</figcaption></figure>
<!-- /wp:image -->

<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery has-nested-images"><!-- wp:image {"id":501} -->
<figure class="wp-block-image"><img src="SITE/wp-content/uploads/2024/03/kalender-300x200.jpg" alt="Kalender klein"/></figure>
<!-- /wp:image -->
<!-- wp:image {"id":502} -->
<figure class="wp-block-image"><img src="SITE/wp-content/uploads/2024/03/koffie-scaled.jpg" alt="Koffie"/></figure>
<!-- /wp:image --></figure>
<!-- /wp:gallery -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div></figure>
<!-- /wp:embed -->

<!-- wp:code -->
<pre class="wp-block-code"><code class="language-python">if leden &lt; 100:
    print("[gallery] blijft tekst")</code></pre>
<!-- /wp:code -->

<!-- wp:block {"ref":900} /-->

<!-- wp:latest-posts /-->

<!-- wp:paragraph -->
<p>Een afbeelding die ontbreekt: <img src="SITE/wp-content/uploads/2024/03/weg.jpg" alt="weg"></p>
<!-- /wp:paragraph -->"""

CLASSIC = """Dit bericht komt uit de klassieke editor.
Een nieuwe regel binnen dezelfde alinea.

[caption id="attachment_502" align="alignnone" width="300"]<a href="SITE/wp-content/uploads/2024/03/koffie.jpg"><img class="size-medium wp-image-502" src="SITE/wp-content/uploads/2024/03/koffie-300x200.jpg" alt="Een kop koffie" width="300" height="200" /></a> Koffie bij de <em>eerste</em> meetup[/caption]

[gallery ids="501,502"]

[gallery]

[audio mp3="SITE/wp-content/uploads/2024/03/interview.mp3"][/audio]

[video mp4="SITE/wp-content/uploads/2024/03/filmpje.mp4" poster="SITE/wp-content/uploads/2024/03/kalender.jpg"][/video]

[embed]https://vimeo.com/76979871[/embed]

https://open.spotify.com/episode/abc123

[ratings]

[mc4wp_form id="12"]

[addtoany]

[contact-form-7 id="5" title="Contact"]

[vakje_plugin kleur="rood"]Tekst in een plugin-blok[/vakje_plugin]

Een voetnoot [1] en [sic] blijven staan, net als [[gallery]].

Lees ook <a href="SITE/2024/03/15/ritme-in-je-community/">het ritme-artikel</a> en
<a href="SITE/?p=107">het concept</a>.

<script>document.write("weg ermee")</script>
<iframe src="https://www.youtube.com/embed/xyz" width="560" height="315"></iframe>"""


def _amsterdam(date_gmt: str) -> str:
    if date_gmt.startswith("0000"):
        return date_gmt
    moment = datetime.strptime(date_gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%Y-%m-%d %H:%M:%S")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("SITE", SITE) + "]]>"


def _meta(key: str, value: str) -> str:
    return (
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
        f"<wp:meta_value>{_cdata(value)}</wp:meta_value></wp:postmeta>"
    )


def _comment(
    comment_id, author, email, date_gmt, text, approved="1", parent=0, kind="", url=""
) -> str:
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author>{_cdata(author)}</wp:comment_author>
<wp:comment_author_email>{email}</wp:comment_author_email>
<wp:comment_author_url>{url}</wp:comment_author_url>
<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>
<wp:comment_date>{date_gmt}</wp:comment_date><wp:comment_date_gmt>{date_gmt}</wp:comment_date_gmt>
<wp:comment_content>{_cdata(text)}</wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>
</wp:comment>"""


def item(
    post_id: int,
    title: str,
    slug: str,
    date_gmt: str,
    content: str = "",
    status: str = "publish",
    post_type: str = "post",
    link: str | None = None,
    excerpt: str = "",
    terms: str = "",
    meta: str = "",
    comments: str = "",
    parent: int = 0,
    sticky: bool = False,
    password: str = "",
    attachment_url: str = "",
    creator: str = "sanne",
    date_local: str | None = None,
    modified_gmt: str | None = None,
) -> str:
    if date_local is None:  # the old site's local time, as WordPress writes it
        date_local = _amsterdam(date_gmt)
    if link is None:
        y, m, d = date_local[:10].split("-")
        link = f"{SITE}/{y}/{m}/{d}/{slug}/" if post_type == "post" else f"{SITE}/{slug}/"
    title_xml = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"""<item><title>{title_xml}</title><link>{link}</link>
<dc:creator>{_cdata(creator)}</dc:creator>
<guid isPermaLink="false">{SITE}/?p={post_id}</guid><description></description>
<content:encoded>{_cdata(content)}</content:encoded>
<excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date_local}</wp:post_date>
<wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>
<wp:post_modified_gmt>{modified_gmt or date_gmt}</wp:post_modified_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>{slug}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_parent>{parent}</wp:post_parent>
<wp:menu_order>0</wp:menu_order><wp:post_type>{post_type}</wp:post_type>
<wp:post_password>{password}</wp:post_password><wp:is_sticky>{int(sticky)}</wp:is_sticky>
{f"<wp:attachment_url>{attachment_url}</wp:attachment_url>" if attachment_url else ""}
{terms}{meta}{comments}</item>"""


def category(slug: str, name: str) -> str:
    return f'<category domain="category" nicename="{slug}">{_cdata(name)}</category>'


def tag(slug: str, name: str) -> str:
    return f'<category domain="post_tag" nicename="{slug}">{_cdata(name)}</category>'


def attachment(post_id: int, path: str, parent: int, alt: str, caption: str = "") -> str:
    return item(
        post_id,
        path.rsplit("/", 1)[-1],
        path.rsplit("/", 1)[-1].split(".")[0],
        "2024-03-01 10:00:00",
        status="inherit",
        post_type="attachment",
        link=f"{SITE}/?attachment_id={post_id}",
        excerpt=caption,
        parent=parent,
        attachment_url=f"{SITE}/wp-content/uploads/{path}",
        meta=_meta("_wp_attached_file", path) + _meta("_wp_attachment_image_alt", alt),
    )


def items() -> list[str]:
    threaded = "".join(
        [
            _comment(1, "Joris", "joris@example.org", "2024-03-16 08:00:00", "Mooi stuk!"),
            _comment(2, "Sanne", "sanne@example.org", "2024-03-16 09:00:00", "Dank je!", parent=1),
            _comment(3, "Joris", "joris@example.org", "2024-03-16 10:00:00", "Graag.", parent=2),
            _comment(4, "Nog te keuren", "k@example.org", "2024-03-17 08:00:00", "Wacht", "0"),
            _comment(5, "Spammer", "spam@example.org", "2024-03-17 09:00:00", "Koop nu", "spam"),
            _comment(6, "Weg", "weg@example.org", "2024-03-17 10:00:00", "Prullenbak", "trash"),
            _comment(7, "Onder spam", "o@example.org", "2024-03-17 11:00:00", "Hm", parent=5),
            _comment(
                8,
                "<b>Kwaadwillend</b>",
                PRIVATE_EMAIL,
                "2024-03-18 08:00:00",
                HOSTILE_COMMENT,
                url="javascript:alert(1)",
            ),
        ]
    )
    return [
        # The oldest post: the site had plain permalinks then (?p=101), old slug, summer time.
        item(
            101,
            "Welkom bij Community Kompas",
            "welkom",
            "2023-06-30 22:30:00",
            "<p>Het eerste bericht.</p>",
            link=f"{SITE}/?p=101",
            terms=category("algemeen", "Algemeen") + tag("start", "start"),
            meta=_meta("_wp_old_slug", "hallo-wereld")
            + _meta("ratings_users", "4")
            + _meta("ratings_score", "18"),
        ),
        # Winter time, blocks, featured image, threaded comments, old slug, sticky, Yoast.
        item(
            102,
            "Ritme in je community",
            "ritme-in-je-community",
            "2024-03-15 08:30:00",
            BLOCKS,
            excerpt="<p>Waarom vaste momenten <em>werken</em>.</p>",
            sticky=True,
            terms=category("groei", "Groei")
            + category("community-bouwen", "Community bouwen")
            + tag("ritme", "ritme")
            + tag("betrokkenheid", "Betrokkenheid")
            + tag("een-komma", "een, komma"),
            meta=_meta("_thumbnail_id", "501")
            + _meta("_wp_old_slug", "weekritme")
            + _meta("_yoast_wpseo_primary_category", "12"),
            comments=threaded,
            modified_gmt="2024-04-01 12:00:00",
        ),
        item(
            103,
            "Alles uit de klassieke editor",
            "klassieke-editor",
            "2024-06-01 07:00:00",
            CLASSIC,
            terms=category("groei", "Groei"),
        ),
        # The night summer time ends: 00:30 and 01:30 UTC are both 02:30 in Amsterdam.
        item(
            104,
            "Om half drie, de eerste keer",
            "half-drie-een",
            "2024-10-27 00:30:00",
            "<p>Voor de klok terug ging.</p>",
            terms=category("algemeen", "Algemeen"),
        ),
        item(
            105,
            "Om half drie, de tweede keer",
            "half-drie-twee",
            "2024-10-27 01:30:00",
            "<p>Nadat de klok terug ging.</p>",
            terms=category("algemeen", "Algemeen"),
        ),
        item(
            106,
            "Gepland voor later",
            "gepland",
            "2099-01-01 08:00:00",
            "<p>Nog niet.</p>",
            status="future",
            terms=category("algemeen", "Algemeen"),
        ),
        item(
            107,
            "Een concept",
            "",
            "0000-00-00 00:00:00",
            "<p>Half af.</p>",
            status="draft",
            date_local="2024-05-05 12:00:00",
        ),
        item(108, "Ter beoordeling", "ter-beoordeling", "2024-05-06 10:00:00", status="pending"),
        item(109, "Privé notitie", "prive", "2024-05-07 10:00:00", status="private"),
        item(110, "Weggegooid", "weggegooid", "2024-05-08 10:00:00", status="trash"),
        item(
            111,
            "Met wachtwoord",
            "geheim",
            "2024-05-09 10:00:00",
            "<p>Geheim.</p>",
            password="sesam",
        ),
        item(
            112,
            HOSTILE_TITLE,
            "vijandige-titel",
            "2024-05-10 10:00:00",
            "<p>Tekst.</p>",
            terms=category("algemeen", "Algemeen"),
        ),
        item(
            113,
            "Eén twee",
            "%c3%a9%c3%a9n-twee",
            "2024-05-11 10:00:00",
            "<p>Accenten.</p>",
            terms=category("algemeen", "Algemeen") + tag("cafe", "Café"),
        ),
        # A podcast episode (PowerPress enclosure, file in uploads) and one hosted elsewhere.
        item(
            120,
            "Aflevering 1: Beginnen",
            "aflevering-1",
            "2024-07-01 05:00:00",
            "<p>Shownotes van de eerste aflevering.</p>",
            terms=category("podcast", "Podcast"),
            meta=_meta(
                "enclosure",
                f"{SITE}/wp-content/uploads/2024/07/aflevering-1.mp3\n"
                '52288\naudio/mpeg\na:1:{s:8:"duration";s:8:"00:00:06";}',
            ),
        ),
        item(
            121,
            "Aflevering 2: Elders",
            "aflevering-2",
            "2024-07-08 05:00:00",
            "<p>Deze staat bij een andere host.</p>",
            terms=category("podcast", "Podcast"),
            meta=_meta("enclosure", "https://media.example.net/afl-2.mp3\n100\naudio/mpeg"),
        ),
        # Pages: a parent and a child (WordPress address /over-mij/contact/).
        item(
            130,
            "Over mij",
            "over-mij",
            "2023-01-01 10:00:00",
            "<p>Ik ben Sanne.</p>",
            post_type="page",
        ),
        item(
            131,
            "Contact",
            "contact",
            "2023-01-02 10:00:00",
            "<p>Mail me.</p>",
            post_type="page",
            parent=130,
            link=f"{SITE}/over-mij/contact/",
        ),
        item(140, "Productpagina", "product", "2023-01-03 10:00:00", post_type="product"),
        item(
            900,
            "Herbruikbaar blok",
            "herbruikbaar",
            "2023-01-04 10:00:00",
            "<!-- wp:paragraph --><p>Tekst uit een herbruikbaar blok.</p><!-- /wp:paragraph -->",
            post_type="wp_block",
        ),
        attachment(501, "2024/03/kalender.jpg", 102, "Een kalender aan de muur", "De kalender"),
        attachment(502, "2024/03/koffie.jpg", 103, "Een kop koffie", "Koffie"),
    ]


EXPORT = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Community Kompas</title><link>{site}</link>
<description>Over online communities</description><language>nl-NL</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{site}</wp:base_site_url><wp:base_blog_url>{site}</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[sanne]]></wp:author_login>
<wp:author_email><![CDATA[sanne@example.org]]></wp:author_email>
<wp:author_display_name><![CDATA[Sanne de Wit]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>11</wp:term_id><wp:category_nicename>algemeen</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Algemeen]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>12</wp:term_id><wp:category_nicename>community-bouwen</wp:category_nicename>
<wp:category_parent>groei</wp:category_parent><wp:cat_name><![CDATA[Community bouwen]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>13</wp:term_id><wp:category_nicename>groei</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Groei]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>14</wp:term_id><wp:category_nicename>podcast</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Podcast]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>21</wp:term_id><wp:tag_slug>ritme</wp:tag_slug><wp:tag_name><![CDATA[ritme]]></wp:tag_name></wp:tag>
{items}
</channel></rss>
"""

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>&lol3;</title><wp:wxr_version>1.2</wp:wxr_version></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY geheim SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>&geheim;</title><wp:wxr_version>1.2</wp:wxr_version></channel></rss>
"""


def write_uploads(uploads: Path) -> None:
    """The uploads copy: originals and size variants, an MP3; 2024/03/weg.jpg is missing."""
    for name, color in (("kalender", (40, 90, 160)), ("koffie", (120, 70, 30))):
        af.write(uploads / "2024" / "03" / f"{name}.jpg", af.cover_jpeg((1200, 800), color))
        af.write(uploads / "2024" / "03" / f"{name}-300x200.jpg", af.cover_jpeg((300, 200), color))
    af.write(uploads / "2024" / "03" / "kalender-1024x683.jpg", af.cover_jpeg((1024, 683)))
    af.write(uploads / "2024" / "03" / "koffie-scaled.jpg", af.cover_jpeg((2560, 1707)))
    af.write(uploads / "2024" / "03" / "interview.mp3", af.encode(2.0, bitrate=64, seed=5))
    af.write(uploads / "2024" / "07" / "aflevering-1.mp3", af.encode(3.0, bitrate=64, seed=6))


def write_export(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / "export.xml"
    export.write_text(EXPORT.format(site=SITE, items="\n".join(items())), encoding="utf-8")
    uploads = folder / "uploads"
    write_uploads(uploads)
    return export, uploads
