"""Podcast: audio lessons and episodes become episode pages, show pages and feeds (glue.py)."""
