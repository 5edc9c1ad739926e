"""search: the site searches itself in the browser (Pagefind), see glue.py."""
