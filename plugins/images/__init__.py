"""images: every picture in sizes that fit the reader's screen (see glue.py)."""
