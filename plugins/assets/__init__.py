"""assets feature."""
