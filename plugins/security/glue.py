"""security: the Content-Security-Policy of every page (policy.py), handed to the templates
as ``CONTENT_SECURITY_POLICY`` (base.html writes it as a ``<meta http-equiv>``).

It reads the settings of the features that talk to other origins — the reader service of the
ratings and the comments, the newsletter form, the search page's form without JavaScript — so
no feature has to know about the policy.
"""

from __future__ import annotations

from ..core.urls import base_url
from .policy import policy


def add_policy(pelican) -> None:
    settings = pelican.settings
    services = [
        str(settings.get("RATINGS_SERVICE_URL") or ""),
        str(settings.get("COMMENTS_SERVICE_URL") or ""),
        str(settings.get("PODCAST_COURSE_SERVICE_URL") or ""),  # course sign-ups
    ]
    forms = [
        str(settings.get("NEWSLETTER_ACTION") or ""),
        # The search page's form without JavaScript (set by the search feature's first step).
        str(settings.get("SEARCH_FORM_ACTION") or ""),
    ]
    settings["CONTENT_SECURITY_POLICY"] = policy(services, forms, base_url(settings))
