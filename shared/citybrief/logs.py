"""The request id in every log line, whoever logs it.

``App.handle`` sets ``REQUEST_ID`` for the duration of a request; ``RequestIdFilter``
copies it onto each record as ``record.request_id``, so the wiki client's retry warnings
and the cache's failures carry it too. Adapters attach the filter to their handler.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

REQUEST_ID: ContextVar[str | None] = ContextVar("citybrief_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records that do not carry one already."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True
