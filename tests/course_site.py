"""A four-lesson drip course, generated on the spot, for the course tests (build and service).

``make_course_site`` returns (content, overrides): a serial show ``COURSE`` with ``"drip": 7``
and four lessons dated in the past (the public feed has all four; the personal feed opens them
one a week from each reader's sign-up).
"""

from __future__ import annotations

from pathlib import Path

from tests import audio_fixtures as af

COURSE = "audiocursus"
DOMAIN = "http://127.0.0.1:8000"


def make_course_site(root: Path, service_url: str = "http://127.0.0.1:8001", **drip) -> tuple:
    content = root / "content"
    af.write(content / "images" / "standaard-deelafbeelding.jpg", af.cover_jpeg(630))
    af.write(content / "images" / "cursus.jpg", af.cover_jpeg(1400))
    af.write(content / "extra" / "favicon.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    af.write(content / "extra" / "favicon.ico", af.cover_jpeg(32, fmt="ICO"))
    for number in range(1, 5):
        af.write(
            content / "audio" / f"les-{number}.mp3",
            af.tag(af.encode(3.0, bitrate=64, seed=number), title=f"Les {number}"),
        )
        path = content / "cursus" / f"les-{number}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Title: Les {number}\nDate: 2026-01-{number * 7 - 2:02d} 09:00\nCategory: Cursus\n"
            f"Podcast: {COURSE}\nEpisode: {number}\nAudio: audio/les-{number}.mp3\n"
            f"Summary: Les {number} van de cursus.\n\nShownotes van les {number}.\n",
            encoding="utf-8",
        )
    show = {
        "title": "Vier weken audiocursus",
        "description": "Iedere week een les van ongeveer 15 minuten.",
        "author": "Sanne de Wit",
        "owner_name": "Sanne de Wit",
        "owner_email": "sanne@example.org",
        "artwork": "images/cursus.jpg",
        "category": "Education",
        "subcategory": "Courses",
        "type": "serial",
        "categories": ["Cursus"],
        "locked": True,
        "drip": {"interval_days": 7, **drip},
    }
    overrides = {
        "PODCAST_SHOWS": {COURSE: show},
        "PODCAST_COURSE_SERVICE_URL": service_url,
        "MENUITEMS": [["Course", f"/podcast/{COURSE}/"]],
    }
    return content, overrides


class Clock:
    """The service's clock in the course tests: seconds since the epoch, set by the test."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


class CourseService:
    """The reader service (uvicorn, loopback, a free port) with a test's clock."""

    def __init__(self, settings, clock: Clock):
        import threading
        import time

        import uvicorn

        from reader_service.app import create_app
        from reader_service.server import uvicorn_config

        self.app = create_app(settings, clock=clock)
        config = uvicorn_config(self.app, settings, host="127.0.0.1", port=0, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            assert time.monotonic() < deadline, "the reader service did not start"
            assert self.thread.is_alive(), "the reader service thread died"
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    @property
    def service(self):
        return self.app.state.service

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.service.store.close()
