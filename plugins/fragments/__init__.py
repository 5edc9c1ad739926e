"""fragments: parts of pages rendered once per build (see glue.py)."""
