"""Production settings: absolute URLs, feeds with the real domain, strict checks.

Set SITEURL for your domain (or export SCHITTER_SITEURL). A publish build fails on problems
that a development build only warns about.
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SCHITTER_SITEURL", "https://communitykompas.nl").rstrip("/")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
SCHITTER_STRICT = True
LOAD_CONTENT_CACHE = False  # a release is always built from scratch

# Star ratings: the production reader service, behind the site's own reverse proxy (README,
# "Star ratings"). The publish build bakes the scores from its snapshot and fails without it.
RATINGS_SERVICE_URL = os.environ.get("SCHITTER_RATINGS_URL", SITEURL + "/api/ratings").rstrip("/")
RATINGS_SNAPSHOT_URL = os.environ.get(
    "SCHITTER_RATINGS_SNAPSHOT_URL", RATINGS_SERVICE_URL and RATINGS_SERVICE_URL + "/scores"
)
RATINGS_STORE = ""
RATINGS_ALLOW_MISSING_SNAPSHOT = os.environ.get("SCHITTER_RATINGS_ALLOW_MISSING") == "1"
# Comments: the same service; the publish build bakes the approved comments from its snapshot.
COMMENTS_SERVICE_URL = os.environ.get("SCHITTER_COMMENTS_URL", RATINGS_SERVICE_URL).rstrip("/")
COMMENTS_SNAPSHOT_URL = os.environ.get(
    "SCHITTER_COMMENTS_SNAPSHOT_URL", COMMENTS_SERVICE_URL and COMMENTS_SERVICE_URL + "/comments"
)
COMMENTS_STORE = ""
COMMENTS_ALLOW_MISSING_SNAPSHOT = os.environ.get("SCHITTER_COMMENTS_ALLOW_MISSING") == "1"
STATIC_CREATE_LINKS = False  # real copies: the upload must not depend on links

# Podcast: future-dated lessons are drafts; a release does not publish drafts at any URL.
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""

# Precompressed copies for hosts that serve them (nginx gzip_static/brotli_static, Caddy).
THEME_ASSETS_PRECOMPRESS = ["gz", "br"]
