"""output: a rebuild writes only what changed and removes what the site no longer has."""
