"""Schitter's own tooling next to the Pelican plugins: the development web server."""
