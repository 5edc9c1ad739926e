"""The WordPress importer's pure parts: export reader, shortcodes, HTML → Markdown, media,
entries, redirects, comments, votes and the all-or-nothing writer (schitter/wordpress/)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pelican
import pytest

from schitter.wordpress import comments as wp_comments
from schitter.wordpress import convert, entries, media, redirects, shortcodes, votes, writer, wxr
from schitter.wordpress.importer import plan_import
from tests import wordpress_fixtures as fx

# The sample export that ships with Pelican (its own importer's test data).
PELICAN_SAMPLE = Path(pelican.__file__).parent / "tests" / "content" / "wordpressexport.xml"


@pytest.fixture(scope="module")
def fixture_export(tmp_path_factory) -> tuple[Path, Path]:
    return fx.write_export(tmp_path_factory.mktemp("wordpress"))


@pytest.fixture(scope="module")
def plan(fixture_export):
    export_path, uploads = fixture_export
    return plan_import(
        wxr.read_export(export_path),
        uploads,
        entries.ImportSettings("Europe/Amsterdam", "nl", "community-kompas"),
        redirects.RedirectSettings(podcast_show="community-kompas"),
        "export.xml",
    )


def text(plan, name: str) -> str:
    return plan.files[name].decode("utf-8")


# --- the export ----------------------------------------------------------------------------
def test_pelicans_sample_export_is_read_completely():
    export = wxr.read_export(PELICAN_SAMPLE)
    kinds = [i.post_type for i in export.items]
    assert export.wxr_version == "1.1" and export.authors["Bob"] == "Bob"
    assert kinds.count("post") == 11 and kinds.count("page") == 2 and kinds.count("attachment") == 4
    commented = next(i for i in export.items if i.slug == "with-comments")
    assert [c.approved for c in commented.comments] == ["1", "1", "trash", "1"]
    assert commented.comments[1].parent == 116
    assert commented.date_gmt == datetime(2012, 4, 18, 8, 36, 26, tzinfo=UTC)
    assert not hasattr(commented.comments[0], "ip")  # readers' addresses are never read


@pytest.mark.parametrize(
    "document, expected",
    [
        (fx.ENTITY_BOMB, "declares XML entities"),
        (fx.EXTERNAL_ENTITY, "declares XML entities"),
        ("<?xml version='1.0'?><rss><channel><title>kapot", "line 1: not a complete XML file"),
        ("<rss><channel><title>Een feed</title></channel></rss>", "no <wp:wxr_version>"),
        ("<html><body>geen export</body></html>", "not a WordPress export"),
    ],
)
def test_unreadable_exports_are_refused_with_one_line(tmp_path, document, expected):
    path = tmp_path / "export.xml"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(wxr.ExportProblem) as refused:
        wxr.read_export(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message
    assert "lollol" not in message and "root:" not in message  # nothing expanded or read


# --- shortcodes and HTML -------------------------------------------------------------------
def no_attachments(ids):
    return []


def test_wordpress_attribute_rules():
    assert shortcodes.parse_attributes(" id=\"a b\" width=300 'x' align='left' flag") == {
        "id": "a b",
        "width": "300",
        "0": "x",
        "align": "left",
        "1": "flag",
    }


def test_caption_in_both_wordpress_forms():
    new, _ = shortcodes.expand(
        '[caption id="a" width="300"]<img src="/x.jpg"> Het bijschrift[/caption]', no_attachments
    )
    old, _ = shortcodes.expand(
        '[caption caption="Oud bijschrift"]<img src="/x.jpg">[/caption]', no_attachments
    )
    assert new == '<figure><img src="/x.jpg"><figcaption>Het bijschrift</figcaption></figure>'
    assert old == '<figure><img src="/x.jpg"><figcaption>Oud bijschrift</figcaption></figure>'


def test_galleries_by_ids_and_by_attached_images():
    requested = []

    def attachments(ids):
        requested.append(ids)
        return [shortcodes.GalleryImage("/a.jpg", "A & B", "Bij <a>")]

    html, _ = shortcodes.expand('[gallery ids="3, 5"] [gallery columns="2"]', attachments)
    assert requested == [[3, 5], None]
    assert html.count('<img src="/a.jpg" alt="A &amp; B">') == 2
    assert "<figcaption>Bij &lt;a&gt;</figcaption>" in html


def test_players_embeds_and_bare_urls_load_nothing_from_other_hosts():
    html, notes = shortcodes.expand(
        '[audio mp3="https://s.nl/wp-content/uploads/a.mp3"][/audio]\n'
        '[video src="/v.mp4" poster="/p.jpg"]\n[embed]https://vimeo.com/1[/embed]\n'
        "https://www.youtube.com/watch?v=abc\n[audio]",
        no_attachments,
    )
    assert '<audio controls preload="none" src="https://s.nl/wp-content/uploads/a.mp3">' in html
    assert '<video controls preload="none" src="/v.mp4" poster="/p.jpg">' in html
    assert '<a href="https://vimeo.com/1">Vimeo: https://vimeo.com/1</a>' in html
    assert "YouTube: https://www.youtube.com/watch?v=abc</a>" in html
    assert "<iframe" not in html and notes == [
        shortcodes.Note("audio", "[audio] without a file; removed")
    ]


def test_plugin_shortcodes_are_removed_and_listed_bracketed_text_stays():
    html, notes = shortcodes.expand(
        "[ratings] [mc4wp_form id=1] [ssba] [contact-form-7 id=2] "
        "[kader_x kleur=rood]binnen[/kader_x] [sic] [1] [[gallery]] <code>[gallery]</code>",
        no_attachments,
    )
    assert html.split() == ["binnen", "[sic]", "[1]", "[gallery]", "<code>[gallery]</code>"]
    reasons = {note.shortcode: note.message for note in notes}
    assert "star rating" in reasons["ratings"] and "newsletter" in reasons["mc4wp_form"]
    assert "share buttons" in reasons["ssba"] and "contact form" in reasons["contact-form-7"]
    assert "does not know" in reasons["kader_x"]


def test_blocks_reusable_and_dynamic():
    notes = []
    html = convert.remove_block_comments(
        '<!-- wp:paragraph {"a":1} --><p>Een</p><!-- /wp:paragraph --><!-- wp:block {"ref":7} /-->'
        '<!-- wp:latest-posts /--><!-- wp:block {"ref":8} /-->',
        {7: "<!-- wp:paragraph --><p>Herbruikt</p><!-- /wp:paragraph -->"},
        notes,
    )
    assert html == "<p>Een</p><p>Herbruikt</p>"
    assert [n.shortcode for n in notes] == ["wp:latest-posts", "wp:block"]


def test_wpautop_paragraphs_line_breaks_and_pre():
    html = convert.wpautop("Een\ntwee\n\nDrie<pre>a\n\nb</pre>\n<ul>\n<li>x</li>\n</ul>")
    assert html.startswith("<p>Een<br />\ntwee</p>\n<p>Drie</p>\n<pre>a\n\nb</pre>")
    assert "<ul>" in html and "<p><ul>" not in html and "<li>x</li>" in html


def test_markdown_keeps_figures_players_code_drops_scripts():
    markdown, removed = convert.to_markdown(
        '<p>Tekst met <em>nadruk</em> en <a href="/x">een link</a>.</p>'
        '<figure class="wp-block-image"><img src="/f.jpg" alt="Een &quot;foto&quot;">'
        "<figcaption>Bij <b>schrift</b></figcaption></figure>"
        '<figure><img src="/g.jpg" alt="Zonder"></figure><audio src="/a.mp3"></audio>'
        '<pre class="wp-block-code"><code class="language-php">&lt;?php echo 1;</code></pre>'
        "<script>alert(1)</script><form><input name=q></form>"
        "<iframe src='//www.youtube.com/embed/q'></iframe>",
        lambda url, role: url,
    )
    assert "Tekst met *nadruk* en [een link](/x)." in markdown
    figure = '<figure><img src="/f.jpg" alt="Een &quot;foto&quot;"><figcaption>Bij schrift'
    assert figure + "</figcaption></figure>" in markdown
    assert "![Zonder](/g.jpg)" in markdown
    assert (
        '<audio controls preload="none" src="/a.mp3"><a href="/a.mp3">a.mp3</a></audio>' in markdown
    )
    assert "```php\n<?php echo 1;\n```" in markdown
    assert "alert" not in markdown and "<input" not in markdown and "<iframe" not in markdown
    assert "[YouTube: https://www.youtube.com/embed/q](https://www.youtube.com/embed/q)" in markdown
    assert len(removed) == 3  # script, form, iframe


# --- media ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.site.nl/wp-content/uploads/2024/03/foto.jpg", "2024/03/foto.jpg"),
        ("/wp-content/uploads/2024/03/f%C3%B6to%20x.jpg?resize=300", "2024/03/föto x.jpg"),
        ("https://i0.wp.com/site.nl/wp-content/uploads/a.png#x", "a.png"),
        ("https://site.nl/wp-content/uploads/../../wp-config.php", None),
        ("https://site.nl/wp-content/themes/x/logo.png", None),
        ("javascript:alert(1)//wp-content/uploads/a.png", None),
    ],
)
def test_uploads_paths(url, expected):
    assert media.uploads_path(url) == expected


def test_size_variants_map_back_to_the_original():
    uploads = {"2024/03/foto.jpg", "2024/03/foto-300x200.jpg", "2024/03/alleen-300x200.jpg"}
    assert media.original_upload("2024/03/foto-300x200.jpg", uploads) == "2024/03/foto.jpg"
    assert media.original_upload("2024/03/foto-scaled-1024x683.jpg", uploads) == "2024/03/foto.jpg"
    assert (
        media.original_upload("2024/03/alleen-300x200.jpg", uploads) == "2024/03/alleen-300x200.jpg"
    )
    assert media.original_upload("2024/03/weg.jpg", uploads) is None
    assert media.destination("2024/03/les.MP3") == "audio/2024/03/les.MP3"
    assert media.destination("2024/03/foto.jpg") == "images/2024/03/foto.jpg"


# --- entries -------------------------------------------------------------------------------
def test_statuses_dates_and_time_zones(plan):
    assert "Date: 2023-07-01 00:30\n" in text(plan, "articles/welkom.md")  # summer: UTC+2
    assert "Date: 2024-03-15 09:30\n" in text(plan, "articles/ritme-in-je-community.md")  # UTC+1
    assert "Modified: 2024-04-01 14:00\n" in text(plan, "articles/ritme-in-je-community.md")
    # The night summer time ends, 02:30 happens twice: the offset keeps them apart.
    assert "Date: 2024-10-27 02:30+02:00\n" in text(plan, "articles/half-drie-een.md")
    assert "Date: 2024-10-27 02:30+01:00\n" in text(plan, "articles/half-drie-twee.md")
    scheduled = text(plan, "articles/gepland.md")
    assert "Date: 2099-01-01 09:00\n" in scheduled and "Status" not in scheduled
    for name in ("een-concept", "ter-beoordeling", "prive", "geheim"):
        assert "\nStatus: draft\n" in text(plan, f"articles/{name}.md"), name
    assert "Date: 2024-05-05 12:00\n" in text(plan, "articles/een-concept.md")  # local fallback
    assert not any("weggegooid" in name or "product" in name for name in plan.files)
    lines = "\n".join(plan.report.lines)
    assert "WordPress post 110 ('Weggegooid'): skipped: in the WordPress trash" in lines
    assert "post type 'product' has no Schitter equivalent" in lines
    assert "password-protected" in lines and "sticky" in lines


def test_metadata_of_an_article(plan):
    article = text(plan, "articles/ritme-in-je-community.md")
    header = article.split("\n\n", 1)[0].splitlines()
    assert header == [
        "Title: Ritme in je community",
        "Date: 2024-03-15 09:30",
        "Modified: 2024-04-01 14:00",
        "Author: Sanne de Wit",
        "Category: Community bouwen",  # Yoast's primary category
        "Tags: ritme, Betrokkenheid, een komma, Groei",
        "Slug: ritme-in-je-community",
        "Summary: Waarom vaste momenten *werken*.",
        "Image: images/2024/03/kalender.jpg",
        "ImageAlt: Een kalender aan de muur",
        f"Guid: {fx.SITE}/?p=102",
        "Rating-Id: ritme-in-je-community",
    ]


def test_hostile_title_stays_one_line_of_text(plan):
    article = text(plan, "articles/vijandige-titel.md")
    assert article.startswith('Title: </title><script>alert("titel")</script> Status: draft\n')
    assert "\nStatus:" not in article


def test_percent_encoded_slug_and_its_rating_id(plan):
    article = text(plan, "articles/één-twee.md")
    assert "Slug: één-twee\n" in article and "Rating-Id: een-twee\n" in article


def test_pelican_sample_untitled_and_duplicates():
    plan = plan_import(
        wxr.read_export(PELICAN_SAMPLE),
        None,
        entries.ImportSettings(),
        redirects.RedirectSettings(),
        "sample",
    )
    untitled = plan.files["articles/zonder-titel-wordpress-bericht-168.md"].decode()
    assert untitled.startswith("Title: Zonder titel (WordPress-bericht 168)\n")
    # dc:creator "bob" is the login "Bob", whose display name is used
    assert "Author: Bob\n" in plan.files["articles/with-excerpt.md"].decode()
    assert plan.report.counts["articles"] == 11 and plan.report.counts["pages"] == 2
    assert any("post id 175 appears twice" in line for line in plan.report.lines)


# --- content, media, links -----------------------------------------------------------------
def test_links_images_and_shortcodes_in_the_body(plan):
    blocks = text(plan, "articles/ritme-in-je-community.md")
    assert "[link naar het\noudste bericht]({filename}/articles/welkom.md)" in blocks
    assert "({filename}/articles/ritme-in-je-community.md#vaste-momenten)" in blocks
    assert (
        '<img src="{static}/images/2024/03/kalender.jpg" alt="Een kalender aan de muur">' in blocks
    )
    assert "![Koffie]({static}/images/2024/03/koffie.jpg)" in blocks  # -scaled → original
    assert "Tekst uit een herbruikbaar blok." in blocks and "weg.jpg" not in blocks
    assert "[gallery] blijft tekst" in blocks
    classic = text(plan, "articles/klassieke-editor.md")
    assert (
        "Een nieuwe regel" in classic
        and "<figcaption>Koffie bij de eerste meetup</figcaption>" in classic
    )
    assert '<audio controls preload="none" src="{static}/audio/2024/03/interview.mp3">' in classic
    assert "[Spotify: https://open.spotify.com/episode/abc123]" in classic
    assert "Tekst in een plugin-blok" in classic and "weg ermee" not in classic
    assert "Lees ook [het ritme-artikel]({filename}/articles/ritme-in-je-community.md)" in classic
    assert "het concept." in classic and "?p=107" not in classic  # a draft: text without link


def test_each_upload_is_copied_once_and_missing_ones_are_listed(plan, fixture_export):
    _, uploads = fixture_export
    copies = {name: path for name, path in plan.files.items() if isinstance(path, Path)}
    assert copies == {
        "images/2024/03/kalender.jpg": uploads / "2024/03/kalender.jpg",
        "images/2024/03/koffie.jpg": uploads / "2024/03/koffie.jpg",
        "audio/2024/03/interview.mp3": uploads / "2024/03/interview.mp3",
        "audio/2024/07/aflevering-1.mp3": uploads / "2024/07/aflevering-1.mp3",
    }
    missing = [line for line in plan.report.lines if ": wp-content/uploads/" in line]
    assert len(missing) == 2 and plan.report.counts["media_missing"] == 2
    assert any(
        line.startswith("articles/ritme-in-je-community.md: wp-content/uploads/2024/03/weg.jpg")
        for line in missing
    )


def test_podcast_enclosures(plan):
    episode = text(plan, "podcast/aflevering-1.md")
    assert "Podcast: community-kompas\nAudio: audio/2024/07/aflevering-1.mp3\n" in episode
    assert f"Guid: {fx.SITE}/?p=120\n" in episode
    elsewhere = text(plan, "articles/aflevering-2.md")
    assert (
        "Audio:" not in elsewhere
        and "[afl-2.mp3](https://media.example.net/afl-2.mp3)" in elsewhere
    )


# --- redirects -----------------------------------------------------------------------------
def test_every_old_address_is_in_the_map(plan):
    found = json.loads(plan.files["redirects.json"])["redirects"]
    expected = {
        "/?p=101": "{filename}articles/welkom.md",
        "/hallo-wereld/": "{filename}articles/welkom.md",  # _wp_old_slug
        "/2023/07/01/hallo-wereld/": "{filename}articles/welkom.md",
        "/2024/03/15/ritme-in-je-community/": "{filename}articles/ritme-in-je-community.md",
        "/2024/03/ritme-in-je-community/": "{filename}articles/ritme-in-je-community.md",
        "/2024/03/15/weekritme/": "{filename}articles/ritme-in-je-community.md",
        "/archives/102/": "{filename}articles/ritme-in-je-community.md",
        "/2024/05/11/één-twee/": "{filename}articles/één-twee.md",
        "/over-mij/contact/": "{filename}pages/contact.md",
        "/?page_id=131": "{filename}pages/contact.md",
        "/?attachment_id=501": "{filename}articles/ritme-in-je-community.md",
        "/category/groei/community-bouwen/": "{category}Community bouwen",
        "/category/groei/community-bouwen/feed/": "{category-feed}Community bouwen",
        "/?cat=12": "{category}Community bouwen",
        "/tag/ritme/": "{tag}ritme",
        "/?tag=ritme": "{tag}ritme",
        "/feed/": "{feed}",
        "/feed/atom/": "{feed}",
        "/?feed=rss2": "{feed}",
        "/feed/podcast/": "{podcast-feed}community-kompas",
        "/author/sanne/": "{author}Sanne de Wit",
        "/2024/03/": "{archive}2024/03",
        "/?m=202403": "{archive}2024/03",
    }
    assert {k: found.get(k) for k in expected} == expected
    assert not any("gepland" in target or "concept" in target for target in found.values())


def test_old_address_normalisation():
    site = "https://www.site.nl"
    assert redirects.old_address("https://site.nl/a/%C3%A9/?b=2&a=1", site) == "/a/é/?b=2&a=1"
    assert redirects.old_address("https://elders.nl/a/", site) is None
    assert redirects.old_address("/?p=3", site) == "/?p=3"
    assert redirects.old_address("mailto:a@b.nl", site) is None


# --- comments and votes --------------------------------------------------------------------
def test_comments_are_threaded_statuses_kept_spam_and_trash_dropped(plan):
    records = plan.comments["items"]["ritme-in-je-community"]
    by_id = {r["id"]: r for r in records}
    assert set(by_id) == {f"wordpress-{n}" for n in (1, 2, 3, 4, 7, 8)}
    assert by_id["wordpress-2"]["parent"] == "wordpress-1"
    assert by_id["wordpress-3"]["parent"] == "wordpress-2"
    assert by_id["wordpress-7"]["parent"] is None  # its parent was spam
    assert by_id["wordpress-4"]["status"] == "pending"
    hostile = by_id["wordpress-8"]
    assert hostile["email"] == fx.PRIVATE_EMAIL and hostile["url"] == ""  # javascript: dropped
    assert hostile["text"] == fx.HOSTILE_COMMENT and hostile["created"] == "2024-03-18T08:00:00Z"
    assert "192.0.2" not in json.dumps(plan.comments)  # no IP address is imported
    assert plan.report.counts["comments_dropped"] == 2


def test_comment_records_reattach_replies_under_the_nearest_kept_comment():
    def comment(number, parent, approved="1"):
        return wxr.Comment(number, parent, "x", "", "", None, "t", approved, "", 0)

    records, counts = wp_comments.comment_records(
        [
            comment(1, 0),
            comment(2, 1, "spam"),
            comment(3, 2, "trash"),
            comment(4, 3),
            comment(5, 5),
        ],
        "item",
    )
    assert [(r.id, r.parent) for r in records] == [
        ("wordpress-1", None),
        ("wordpress-4", "wordpress-1"),
        ("wordpress-5", None),  # a comment that names itself as parent
    ]
    assert counts == {"approved": 3, "spam": 1, "trash": 1}


def test_postratings_totals_by_stable_id(plan):
    assert plan.votes == {"welkom": (4, 18)}
    mapping, postmeta = votes.admin_files(plan.votes)
    assert mapping == "wordpress,rating_id\r\nwelkom,welkom\r\n"
    assert "welkom,ratings_users,4" in postmeta and "welkom,ratings_score,18" in postmeta


# --- the writer ----------------------------------------------------------------------------
def write_all(content: Path, files: dict) -> writer.WriteResult:
    result, to_write, manifest = writer.plan_writes(content, files)
    writer.apply_writes(content, to_write, manifest)
    return result


def test_reimport_is_a_noop_and_edits_are_never_overwritten(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "pages").mkdir()
    (content / "pages" / "eigen.md").write_text("Title: Van mij\n")
    files = {
        "articles/a.md": b"A1",
        "articles/b.md": b"B1",
        "articles/c.md": b"C1",
        "pages/eigen.md": b"X",
    }
    first = write_all(content, files)
    assert sorted(first.new) == ["articles/a.md", "articles/b.md", "articles/c.md"]
    assert first.kept_foreign == ["pages/eigen.md"]
    stamps = {p: p.stat().st_mtime_ns for p in content.rglob("*")}
    again, to_write, _ = writer.plan_writes(content, files)
    assert (
        not again.changed
        and not to_write
        and sorted(again.unchanged) == ["articles/a.md", "articles/b.md", "articles/c.md"]
    )
    assert {p: p.stat().st_mtime_ns for p in content.rglob("*")} == stamps
    (content / "articles" / "b.md").write_text("B edited by the author")
    (content / "articles" / "c.md").unlink()
    second = write_all(content, {**files, "articles/a.md": b"A2", "articles/b.md": b"B2"})
    assert second.replaced == ["articles/a.md"] and second.kept_edited == ["articles/b.md"]
    assert second.kept_deleted == ["articles/c.md"]
    assert (content / "articles" / "a.md").read_bytes() == b"A2"
    assert (content / "articles" / "b.md").read_text() == "B edited by the author"
    assert not (content / "articles" / "c.md").exists()
    assert (content / "pages" / "eigen.md").read_text() == "Title: Van mij\n"


def test_a_failed_write_changes_nothing(tmp_path, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    write_all(content, {"articles/a.md": b"A1"})
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    calls = []
    real_replace = os.replace

    def replace_fails_on_the_third_file(source, target):  # a full disk, half-way
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(writer.os, "replace", replace_fails_on_the_third_file)
    files = {
        "articles/a.md": b"A2",
        "articles/b.md": b"B",
        "images/2024/c.jpg": b"C",
        "pages/d.md": b"D",
    }
    with pytest.raises(writer.WriteProblem) as failed:
        write_all(content, files)
    assert "No space left on device — nothing was changed" in str(failed.value)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in content.iterdir()) == [".wordpress-import.json", "articles"]


def test_a_broken_manifest_is_one_line(tmp_path):
    (tmp_path / writer.MANIFEST).write_text("{niet")
    with pytest.raises(writer.WriteProblem, match="not the manifest an import writes"):
        writer.plan_writes(tmp_path, {"a.md": b"x"})
