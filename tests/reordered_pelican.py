"""Run Pelican's command line with directory listings in another order than the disk's.

``SCHITTER_DIR_ORDER=reversed`` lists every directory backwards; ``shuffled:<seed>`` in a
random but repeatable order. ``os.listdir``, ``os.scandir`` and with them ``os.walk``, ``glob``
and ``pathlib`` (which all list through these two) see the new order, so any output that
depends on the order the file system happens to list files in shows up as a difference
between two builds (tests/test_determinism.py).
"""

from __future__ import annotations

import os
import random
import sys

_listdir = os.listdir
_scandir = os.scandir


def reorder(names: list) -> list:
    order = os.environ.get("SCHITTER_DIR_ORDER", "")
    names = sorted(names, key=lambda entry: getattr(entry, "name", entry))
    if order == "reversed":
        names.reverse()
    elif order.startswith("shuffled:"):
        random.Random(order.partition(":")[2]).shuffle(names)
    return names


class ReorderedScandir:
    """What ``os.scandir`` returns (an iterator and a context manager), in the new order."""

    def __init__(self, entries: list):
        self._entries = iter(entries)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._entries = iter(())


def listdir(path=None):
    return reorder(_listdir(path) if path is not None else _listdir())


def scandir(path=None):
    with _scandir(path) if path is not None else _scandir() as entries:
        return ReorderedScandir(reorder(list(entries)))


if __name__ == "__main__":
    os.listdir = listdir
    os.scandir = scandir  # os.walk looks scandir up in the os module on every call
    from pelican import main

    sys.argv[0] = "pelican"
    main()
