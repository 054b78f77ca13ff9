"""Cloud Logging on GCP: one structured JSON object per ``citybrief`` log record on stdout,
with the request's trace, so Logs Explorer groups a request's lines and Error Reporting
reads ``stack_trace``. Tracebacks never reach a response."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Final

from citybrief.logs import RequestIdFilter, Trace

TRACE_FIELD: Final = "logging.googleapis.com/trace"
SPAN_FIELD: Final = "logging.googleapis.com/spanId"
SAMPLED_FIELD: Final = "logging.googleapis.com/trace_sampled"
LABELS_FIELD: Final = "logging.googleapis.com/labels"
SOURCE_FIELD: Final = "logging.googleapis.com/sourceLocation"

# LogRecord attributes that are not ``extra=`` fields.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}
_HANDLER_MARK = "_citybrief_cloud_logging"


TRACE: ContextVar[Trace | None] = ContextVar("citybrief_gcp_trace", default=None)


class CloudLoggingFormatter(logging.Formatter):
    """One Cloud Logging structured-log JSON object per record.

    Uses the special fields the logging agent lifts into the LogEntry: ``severity``,
    ``message``, ``time``, ``logging.googleapis.com/{trace,spanId,trace_sampled,labels,
    sourceLocation}``. The request id is a label (indexed, filterable); ``extra=`` fields
    stay in ``jsonPayload``; a traceback is ``stack_trace``, the field Error Reporting
    reads first.
    """

    def __init__(self, project: str | None) -> None:
        super().__init__()
        self.project = project

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": _severity(record.levelno),
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
            SOURCE_FIELD: {
                "file": record.pathname,
                "line": str(record.lineno),
                "function": record.funcName,
            },
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            entry[LABELS_FIELD] = {"request_id": str(request_id)}
        trace = TRACE.get()
        if trace is not None and self.project:
            entry[TRACE_FIELD] = f"projects/{self.project}/traces/{trace.trace_id}"
            if trace.span_id is not None:
                entry[SPAN_FIELD] = trace.span_id
            if trace.sampled is not None:
                entry[SAMPLED_FIELD] = trace.sampled
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRS and name not in entry:
                entry[name] = value
        if record.exc_info:
            entry["stack_trace"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.stack_info:
            entry["stack_trace"] = record.stack_info
        return json.dumps(entry, default=str)


class StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stdout`` is at emit time.

    functions-framework swaps ``sys.stdout`` per request when ``LOG_EXECUTION_ID`` is
    set (its wrapper adds an ``execution_id`` label to our JSON); a stream bound at
    import would bypass it.
    """

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stdout
        super().emit(record)


def _severity(levelno: int) -> str:
    for floor, name in (
        (logging.CRITICAL, "CRITICAL"),
        (logging.ERROR, "ERROR"),
        (logging.WARNING, "WARNING"),
        (logging.INFO, "INFO"),
        (logging.DEBUG, "DEBUG"),
    ):
        if levelno >= floor:
            return name
    return "DEFAULT"


def install_logging(level: str, project: str | None) -> logging.Logger:
    """Structured stdout logging on the ``citybrief`` logger; idempotent.

    The filter sits on the handler, not the logger, because logger filters skip the
    records that child loggers (``citybrief.wiki``...) propagate. ``propagate`` is off
    so a root handler configured by the framework cannot print a second, plain copy.
    """
    logger = logging.getLogger("citybrief")
    logger.setLevel(level)
    logger.propagate = False
    if not any(getattr(handler, _HANDLER_MARK, False) for handler in logger.handlers):
        handler = StdoutHandler()
        handler.setFormatter(CloudLoggingFormatter(project))
        handler.addFilter(RequestIdFilter())
        setattr(handler, _HANDLER_MARK, True)
        logger.addHandler(handler)
    return logger
