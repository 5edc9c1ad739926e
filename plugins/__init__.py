"""Schitter's Pelican plugins: one core (``core/``), one package per feature, and the pipeline
(``pipeline.py``) that connects every feature's handlers to Pelican's signals in one written-down
order. Pelican loads this package as the plugin ``plugins`` (``PLUGINS = ["plugins"]``)."""


def register() -> None:
    from .pipeline import register as connect_the_pipeline

    connect_the_pipeline()
