"""Feed generation timed on its own, for ``benchmarks/build_bench.py`` (never in tests)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from .facts import AudioFacts, Chapter
from .feed import FeedItem, build_feed
from .guid import podcast_guid
from .shows import Show


def time_feed_generation(episodes: int) -> float:
    """Seconds to build the RSS document of a show with ``episodes`` episodes."""
    show = Show(
        "bench",
        "Benchmark",
        "A show with many episodes.",
        "Author",
        "Owner",
        "owner@example.org",
        "images/cover.jpg",
        "Education",
        "Courses",
    )
    feed_url = "https://example.org/podcast/bench/feed.xml"
    start = datetime(2020, 1, 1, 7, tzinfo=UTC)
    items = [
        FeedItem(
            guid=f"episode-{n}",
            title=f"Episode {n}",
            page_url=f"https://example.org/episode-{n}/",
            date=start + timedelta(days=n),
            description=f"Episode {n} in one sentence.",
            content_html=f"<p>Notes of episode {n}, <a href='https://example.org/'>a link</a>.</p>",
            audio_url=f"https://example.org/audio/episode-{n}.mp3",
            facts=AudioFacts(
                size=4_000_000 + n,
                mime="audio/mpeg",
                duration=1800.0 + n,
                sha256=f"{n:064x}",
                chapters=(Chapter(0, "Intro"), Chapter(60, "Main")),
            ),
            number=n + 1,
            chapters_url=f"https://example.org/episode-{n}/chapters.json",
        )
        for n in range(episodes)
    ]
    began = time.perf_counter()
    build_feed(
        show,
        items,
        feed_url,
        "https://example.org/podcast/bench/",
        "https://example.org/images/cover.jpg",
        podcast_guid(feed_url),
    )
    return time.perf_counter() - began
