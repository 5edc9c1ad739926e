"""Log records kept in another process (a worker, the render copy), to be logged by the build.

The build logs each record again (``logging.getLogger(record.name).handle(record)``), so its
own handlers and filters treat it as if the build had logged it; what crosses between the
processes is plain text (the arguments and an exception need not pickle).
"""

from __future__ import annotations

import logging


class KeptRecords(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)
