"""Schitter's ratings service: a small HTTP app that collects 1–5 star votes for a static site.

Run it with `python -m ratings_service [--config ratings.toml]`; see README.md, "Star ratings".
"""

__version__ = "1.0.0"
