"""Development settings for the Schitter demo site (`invoke build`, `make serve`).

publishconf.py imports everything from here and overrides what production needs.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def N_(message: str) -> str:
    """Marks a string for translation; the theme translates it when it renders."""
    return message


# --- Site ---------------------------------------------------------------------------------
AUTHOR = "Sanne de Wit"
SITENAME = "Community Kompas"
SITESUBTITLE = "Over het bouwen van online communities die blijven"
SITEURL = ""  # root-relative links while developing; publishconf.py sets the real address
PATH = "content"
TIMEZONE = "Europe/Amsterdam"
DEFAULT_LANG = "nl"  # "en" builds the English interface (dates, labels) for the same content
CONTENT_LANG = "nl"  # the language the articles are written in (<html lang>, feeds); Lang: per item
DEFAULT_DATE_FORMAT = "long"  # a Babel date format (short, medium, long, full) or pattern
DEFAULT_PAGINATION = 8

# --- Theme and plugins --------------------------------------------------------------------
THEME = str(ROOT / "theme")
# One plugin, `plugins/`: its pipeline (plugins/pipeline.py) runs the core and every feature
# (checks, i18n, podcast, sharing, ratings, assets…) in one written-down order.
PLUGIN_PATHS = [str(ROOT)]
PLUGINS = ["plugins"]
# Autoescape: every value is escaped unless the template marks it as HTML (|safe, Markup).
# auto_reload off: templates are read once per build (every build, also `make serve`'s
# rebuilds, makes new environments), not checked on disk again for each of ~15,000 includes.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "auto_reload": False,
}

# --- Content layout -----------------------------------------------------------------------
ARTICLE_PATHS = ["articles", "cursus", "podcast"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "audio", "extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.ico": {"path": "favicon.ico"},
    "extra/favicon.svg": {"path": "favicon.svg"},
}
# Pretty, stable URLs: /slug/ instead of /slug.html.
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "categorie/{slug}/"
CATEGORY_SAVE_AS = "categorie/{slug}/index.html"
CATEGORIES_URL = "categorieen/"
CATEGORIES_SAVE_AS = "categorieen/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_URL = "auteur/{slug}/"
AUTHOR_SAVE_AS = "auteur/{slug}/index.html"
AUTHORS_URL = "auteurs/"
AUTHORS_SAVE_AS = "auteurs/index.html"
ARCHIVES_URL = "archief/"
ARCHIVES_SAVE_AS = "archief/index.html"
YEAR_ARCHIVE_URL = "archief/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archief/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "archief/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "archief/{date:%Y}/{date:%m}/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/pagina/{number}/", "{base_name}/pagina/{number}/index.html"),
)
# 404, sitemap and robots are rendered from theme templates like the index.
DIRECT_TEMPLATES = [
    "index",
    "tags",
    "categories",
    "authors",
    "archives",
    "404",
    "sitemap",
    "robots",
    "search",
]
SEARCH_URL = "zoeken/"  # the search page (plugins/search; README "Search")
SEARCH_SAVE_AS = "zoeken/index.html"
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"

# --- Feeds (Atom and RSS for articles) ----------------------------------------------------
# Feeds, share links and link previews need absolute URLs even while developing: they point at
# the local server (`invoke serve --port 8010` sets SCHITTER_DEV_URL to its address).
FEED_DOMAIN = os.environ.get("SCHITTER_DEV_URL", "http://127.0.0.1:8000").rstrip("/")
FEED_ALL_ATOM = "feeds/alles.atom.xml"
FEED_ALL_RSS = "feeds/alles.rss.xml"
CATEGORY_FEED_ATOM = "feeds/categorie/{slug}.atom.xml"
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
RSS_FEED_SUMMARY_ONLY = False

# --- Podcast (plugins/podcast; README "Podcast") -----------------------------------------
# Each show gets a feed at /podcast/<show>/feed.xml and a page at /podcast/<show>/. An
# episode is an article with an Audio: file; it belongs to a show by its Podcast: field or
# by its category. Artwork: square JPEG/PNG, 1400–3000 px, RGB. Categories: Apple's list.
PODCAST_SHOWS = {
    "succesvollere-communities": {
        "title": "Succesvollere communities",
        "description": (
            "Een cursus in vier lessen over het bouwen van een online community die blijft: "
            "van het eerste doel tot de eerste honderd actieve leden. Elke week een les."
        ),
        "type": "serial",  # a course: listened to in order, every lesson numbered
        "artwork": "images/cursus-cover.jpg",
        "category": "Education",
        "subcategory": "Courses",
        "categories": ["Cursus"],
        "author": "Sanne de Wit",
        "owner_name": "Sanne de Wit",
        "owner_email": "sanne@communitykompas.nl",
        "explicit": False,
        "locked": True,
        # Each reader follows the course from the day they sign up (the newsletter block below):
        # lesson 1 at once, then one a week, in a personal feed (README: "A course with a
        # personal schedule"); the public feed stays for whoever wants all lessons at once.
        "drip": {"interval_days": 7, "public_feed": "keep"},
    },
    "community-kompas": {
        "title": "Community Kompas",
        "description": (
            "Gesprekken en korte afleveringen over online communities: wat werkt, wat niet, "
            "en waarom mensen blijven."
        ),
        "type": "episodic",
        "artwork": "images/podcast-cover.jpg",
        "category": "Business",
        "subcategory": "Marketing",
        "categories": ["Podcast"],
        "author": "Sanne de Wit",
        "owner_name": "Sanne de Wit",
        "owner_email": "sanne@communitykompas.nl",
        "explicit": False,
        "locked": True,
    },
}
# Future-dated lessons: see WITH_FUTURE_DATES below (drafts, so in no feed and no show page).

# --- Navigation ---------------------------------------------------------------------------
DISPLAY_PAGES_ON_MENU = True
DISPLAY_CATEGORIES_ON_MENU = False
# (label msgid, url) — labels are translated by the theme.
MENUITEMS = [
    (N_("Articles"), "/"),
    (N_("Course"), "/podcast/succesvollere-communities/"),
    (N_("Podcast"), "/podcast/community-kompas/"),
    (N_("Archive"), "/archief/"),
    (N_("Search"), "/zoeken/"),
]

# --- Newsletter signup (theme partial; README "Newsletter signup") -------------------------
# The block under every page signs readers up for the free four-week audio course: with
# NEWSLETTER_COURSE it posts to that course's sign-up on the reader service (`make serve` starts
# it), and the reader gets a personal feed that opens one lesson a week (and, once the service
# has SMTP settings, a confirmation mail and a mail for each new lesson). Or post to a newsletter
# provider that takes a plain HTML form (Mailchimp, Buttondown, MailerLite, listmonk): leave
# NEWSLETTER_COURSE empty and set NEWSLETTER_ACTION, e.g.
# "https://buttondown.com/api/emails/embed-subscribe/communitykompas". Both empty: no block.
NEWSLETTER_COURSE = "succesvollere-communities"
NEWSLETTER_ACTION = ""
NEWSLETTER_EMAIL_FIELD = "email"
NEWSLETTER_NAME_FIELD = ""  # e.g. "FNAME" for Mailchimp; empty = no name field
NEWSLETTER_HIDDEN_FIELDS = {}  # provider extras, e.g. {"u": "…", "id": "…"} for Mailchimp
# The block's words ("" = the theme's translated default: "Nieuwsbrief", "Aanmelden", …).
NEWSLETTER_HEADING = "Gratis audiocursus: Succesvollere communities"
NEWSLETTER_TEXT = "Vier weken lang elke week een korte les, vanaf de dag dat je je aanmeldt."
NEWSLETTER_BUTTON = "Stuur me de eerste les"
NEWSLETTER_CONSENT = "Bewaar mijn aanmelddatum en e-mailadres voor de cursus, tot ik me afmeld."

# --- Share buttons and link previews (plugins/share_buttons; README "Share buttons") ---------
SHARE_NETWORKS = [
    "whatsapp",
    "linkedin",
    "facebook",
    "x",
    "bluesky",
    "mastodon",
    "telegram",
    "email",
    "copy",
]  # also available: "threads", "reddit", "pinterest"
SHARE_CALL_TO_ACTION = ""  # empty: "Help je mij dit artikel te delen?" (translated)
SHARE_DEFAULT_IMAGE = "images/standaard-deelafbeelding.jpg"  # 1200×630, when no Image: field
SHARE_DEFAULT_IMAGE_ALT = ""  # empty: the site name
SHARE_PODCAST_IMAGES = {}  # Podcast: show → image for episodes without Image:; empty: show artwork

# --- Search (plugins/search; README "Search") --------------------------------------------
# Pagefind indexes every article, lesson, episode and page; the search page loads it only when
# the reader searches. Without JavaScript the form searches the site on SEARCH_FALLBACK.
SEARCH_FALLBACK = "duckduckgo"  # or "google"; "" hides the form without JavaScript
SEARCH_LANGUAGE = ""  # the index's word forms; "" = the language most items are written in

# --- Star ratings (plugin star_ratings; README "Star ratings") ---------------------------
# `make serve` starts the reader service (reader_service/) on 127.0.0.1:8001 next to the site
# (the next free port after the site's: `invoke serve` sets SCHITTER_RATINGS_URL); the build
# reads its store directly (reader_service.snapshot) for the baked scores.
RATINGS_SERVICE_URL = os.environ.get("SCHITTER_RATINGS_URL", "http://127.0.0.1:8001")
RATINGS_STORE = str(ROOT / "var" / "ratings" / "ratings.sqlite3")
RATINGS_SNAPSHOT_URL = ""
RATINGS_ALLOW_MISSING_SNAPSHOT = False

# --- Comments (plugins/comments; README "Comments") ---------------------------------------
# The same reader service takes the comments; the development build reads its store (and its
# secret, from which the question against spam is derived) directly.
COMMENTS_ENABLED = True
COMMENTS_SERVICE_URL = os.environ.get("SCHITTER_COMMENTS_URL", "http://127.0.0.1:8001")
COMMENTS_STORE = str(ROOT / "var" / "ratings" / "ratings.sqlite3")
COMMENTS_SECRET_FILE = str(ROOT / "var" / "ratings" / "secret")
COMMENTS_SNAPSHOT_URL = ""
COMMENTS_ALLOW_MISSING_SNAPSHOT = False
COMMENTS_CLOSE_AFTER_DAYS = 0  # 0: comments stay open; e.g. 365 closes them after a year

# --- Build behaviour ----------------------------------------------------------------------
# A development build warns about problems and leaves the broken item out; publish is strict.
SCHITTER_STRICT = False
# Articles and lessons dated in the future stay drafts until a build on or after their date
# (the weekly course is delivered by a scheduled rebuild).
WITH_FUTURE_DATES = False
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CACHE_PATH = str(ROOT / "cache")
# The content cache uncompressed: a few megabytes more on disk, half a second less for every
# 1,000 articles (gzip -9 of the cache was the build's slowest single call).
GZIP_CACHE = False
# Worker processes for the build (0: one per core; 1: none, everything in the build's own
# process). They read Markdown and audio and minify the scripts while Pelican goes on.
BUILD_PROCESSES = 0
# A rebuild of a site in which nothing changed takes its pages from disk (plugins/output/reuse.py).
OUTPUT_REUSE = True
# The output folder is kept between builds: a rebuild writes only the pages that changed and
# removes what the site no longer has (a renamed article's old page; plugins/output).
DELETE_OUTPUT_DIRECTORY = False
# Hard-link static files (MP3s, images) into output/ instead of copying them on every rebuild.
STATIC_CREATE_LINKS = True
OUTPUT_RETENTION = [".git"]
RELATIVE_URLS = False
SLUGIFY_SOURCE = "basename"

# --- Page weight (plugins/theme_assets) ---------------------------------------------------
THEME_ASSETS_MINIFY = True  # minify the theme's CSS and JS in the output
THEME_ASSETS_FAVICON = "extra/favicon.svg"  # inlined into every page as a data: URI
THEME_ASSETS_PRECOMPRESS = []  # publishconf.py: ["gz", "br"]
TYPOGRIFY = False
