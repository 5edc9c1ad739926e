"""The files a drip course adds to the output (called by the glue's ``PodcastGenerator``).

- ``podcast/<show>/course-feed.xml``: the whole course feed, made once by ``feed.build_feed``
  (the show blocked from directories, no ``podcast:locked``, its self link the personal feed
  URL with the placeholder ``TOKEN`` the service replaces);
- ``podcast/<show>/course.json``: the lessons manifest the reader service reads
  (``course_feed.course_manifest``), with the welcome and closing items in the site's language;
- ``podcast/<show>/course-answer.html``: the page that answers a sign-up, rendered by the
  theme like every page (the subscribe block included) for the placeholder token
  ``TOKEN``, which the service replaces by the reader's own token (the placeholder is made of
  letters only, so it is the same in the page, in its HTML escaping and in URL encoding).
"""

from __future__ import annotations

import json
from dataclasses import replace

from .course_feed import course_manifest
from .episodes import subscribe_links
from .feed import build_feed

TOKEN = "SCHITTERCOURSETOKEN"


def signup_url(service: str, show_slug: str) -> str:
    """Where a course's sign-up form posts (the reader service's ``/course/<show>/signup``)."""
    return f"{service}/course/{show_slug}/signup"


def course_paths(show_slug: str) -> dict[str, str]:
    folder = f"podcast/{show_slug}"
    return {
        "feed": f"{folder}/course-feed.xml",
        "manifest": f"{folder}/course.json",
        "answer": f"{folder}/course-answer.html",
    }


def notices(gettext, title: str, days: int) -> dict[str, dict[str, str]]:
    """The items a personal feed may carry besides the lessons, and the e-mails, translated."""
    twice = title.replace("%", "%%")  # e-mail texts are formatted again by the service
    return {
        "welcome": {
            "title": gettext("Welcome to %(show)s") % {"show": title},
            "text": gettext(
                "This is your personal feed. The first lesson is here now; a new lesson "
                "follows every %(days)d days."
            )
            % {"days": days},
        },
        "ended": {
            "title": gettext("%(show)s: the course is complete") % {"show": title},
            "text": gettext(
                "Every lesson is in your feed. You can listen to them again whenever you like."
            ),
        },
        # The service fills in %(link)s, %(feed)s and %(lesson)s (it has no catalogs).
        "confirm": {
            "title": gettext("Confirm your sign-up for %(show)s") % {"show": title},
            "text": gettext(
                "Hello,\n\nSomeone (you, we hope) signed up for %(show)s with this address. "
                "Confirm it with this link, and we will tell you about each new lesson:\n\n"
                "%%(link)s\n\nYour personal feed, for your podcast app:\n\n%%(feed)s\n\n"
                "If it was not you, ignore this message: without confirmation we send nothing "
                "more."
            )
            % {"show": twice},
        },
        "announce": {
            "title": gettext("%(show)s: a new lesson is in your feed") % {"show": title},
            "text": gettext(
                "Hello,\n\n%%(lesson)s of %(show)s is in your personal feed now; your podcast "
                "app shows it.\n\nYour feed address and the page where you can leave the "
                "course are in the confirmation e-mail we sent you. The course: %%(link)s"
            )
            % {"show": twice},
        },
        "revoked": {
            "title": gettext("%(show)s: this feed has stopped") % {"show": title},
            "text": gettext(
                "This personal feed no longer receives lessons. You can sign up again on the "
                "course page."
            ),
        },
    }


def course_files(show_entry: dict, items: list, build, service_url: str) -> tuple[bytes, str, dict]:
    """(course feed, manifest JSON, the answer page's context) of one drip show."""
    show = show_entry["show"]
    personal = f"{service_url}/course/{TOKEN}/feed.xml"
    xml = build_feed(
        replace(show, block=True),
        items,
        feed_url=personal,
        site_url=show_entry["site_url"],
        artwork_url=show_entry["artwork_absolute"],
        podcast_guid=show_entry["podcast_guid"],
    )
    order = [episode.guid for _article, episode in show_entry["episodes"]]
    texts = notices(build.gettext, show.title, show.drip.interval_days)
    xml, manifest = course_manifest(xml, show.slug, show.drip, texts, order)
    manifest["service_url"] = service_url
    answer = {
        "course_show": show,
        "course_entry": show_entry,
        "course_feed_url": personal,
        "course_subscribe": subscribe_links(personal, show.title),
    }
    return xml, json.dumps(manifest, ensure_ascii=False, indent=1), answer
