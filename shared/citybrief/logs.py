"""The request id in every log line, whoever logs it.

``App.handle`` sets ``REQUEST_ID`` for the duration of a request; ``RequestIdFilter``
copies it onto each record as ``record.request_id``, so the wiki client's retry warnings
and the cache's failures carry it too. Adapters attach the filter to their handler.

The parsers below read the trace headers clients and front ends send; adapters take a
request id from them only through these, so only well-formed ids are ever echoed.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass

REQUEST_ID: ContextVar[str | None] = ContextVar("citybrief_request_id", default=None)


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to records that do not carry one already."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


# -- correlation ids a client may send --------------------------------------------------
# Adapters echo a trace id as the request id only when its header is well-formed, so what a
# client puts there can never be a malformed id, a forged log line or a platform's own id.


@dataclass(frozen=True)
class Trace:
    """A request's trace context: 32 lower-case hex digits, the span as 16 hex digits."""

    trace_id: str
    span_id: str | None = None
    sampled: bool | None = None


# W3C Trace Context: VERSION-TRACE_ID-PARENT_ID-FLAGS, lower-case hex; a later version may
# append "-..." fields, version 00 may not.
_TRACEPARENT_RE = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")
# X-Cloud-Trace-Context: TRACE_ID[/SPAN_ID][;o=0|1], the span in decimal (uint64).
_CLOUD_TRACE_RE = re.compile(r"([0-9a-fA-F]{32})(?:/([0-9]{1,20}))?(?:;o=([01]))?")
# X-Amzn-Trace-Id: Field=value pairs split by ";", one of them Root=1-8 hex-24 hex.
_AMZN_FIELD_RE = re.compile(r"[A-Za-z]{1,32}=[0-9A-Za-z._:-]{1,64}")
_AMZN_ROOT_RE = re.compile(r"Root=(1-[0-9a-f]{8}-[0-9a-f]{24})")
_ZERO_TRACE = "0" * 32


def parse_traceparent(value: object) -> Trace | None:
    """The trace in a W3C ``traceparent`` header, or None unless it is well-formed."""
    match = _TRACEPARENT_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    version, trace_id, parent_id, flags, rest = match.groups()
    if version == "ff" or (version == "00" and rest) or trace_id == _ZERO_TRACE:
        return None
    if parent_id == "0" * 16:
        return None
    return Trace(trace_id, parent_id, bool(int(flags, 16) & 1))


def parse_cloud_trace(value: object) -> Trace | None:
    """The trace in Google's ``X-Cloud-Trace-Context`` header, or None unless well-formed."""
    match = _CLOUD_TRACE_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None or match.group(1) == _ZERO_TRACE:
        return None
    trace_id, span, options = match.groups()
    # Cloud Logging wants the span as 16 hex digits; this header carries it in decimal.
    span_id = f"{int(span):016x}" if span and 0 < int(span) < 2**64 else None
    sampled = None if options is None else options == "1"
    return Trace(trace_id.lower(), span_id, sampled)


def parse_amzn_trace_id(value: object) -> str | None:
    """The Root id (``1-5759e988-bd862e3fe1be46a994272793``) of a well-formed
    ``X-Amzn-Trace-Id``, the id X-Ray groups a request's segments by; else None."""
    if not isinstance(value, str) or len(value) > 512:
        return None
    fields = value.split(";")
    if not all(_AMZN_FIELD_RE.fullmatch(field) for field in fields):
        return None
    roots = [match.group(1) for field in fields if (match := _AMZN_ROOT_RE.fullmatch(field))]
    return roots[0] if len(roots) == 1 else None
