"""Move a WordPress site into Schitter: ``python -m schitter.wordpress EXPORT.xml`` (README,
"Van WordPress overstappen").

Pure modules, data in and data out: :mod:`.wxr` reads the export (defusedxml),
:mod:`.entries` decides which items become which files with which metadata,
:mod:`.shortcodes` and :mod:`.convert` turn post HTML into Markdown, :mod:`.media` maps
``wp-content/uploads`` references to files, :mod:`.redirects` lists every old address,
:mod:`.comments` and :mod:`.votes` carry readers' comments and WP-PostRatings totals, and
:mod:`.importer` puts them together into one plan. :mod:`.writer` writes the plan all at once
(never over the author's edits), :mod:`.report` words the summary, ``__main__`` is the command.
"""
