"""Schitter's reader service: the one small HTTP service that receives what readers send.

Today that is 1–5 star votes (comments and course sign-ups build on the same store and
guards). Run it with `python -m reader_service [--config reader.toml]`; administer it with
`python -m reader_service.admin`; builds read its scores through `reader_service.snapshot`.
See README.md, "The reader service".
"""

__version__ = "2.0.0"
