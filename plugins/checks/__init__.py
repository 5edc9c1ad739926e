"""checks feature."""
