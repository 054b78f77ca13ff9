"""Typed failures of the core.

Every failure a caller can see is one of these. Each knows its HTTP status and its
RFC 9457 problem ``type``, so the single place that renders problems (``http``) and the
CLI's exit codes never guess.
"""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_BASE = "https://citybrief.dev/problems/"


class CitybriefError(Exception):
    """Base of every expected failure; ``str(err)`` is the human-readable detail."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal"
    title: ClassVar[str] = "Internal error"
    # Wikipedia requests spent before failing (set by the client): for stats, and so that
    # only answers that cost something are worth caching.
    upstream_requests: int = 0

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    def problem(self) -> dict[str, Any]:
        """The RFC 9457 problem document for this error."""
        return {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }


class BadInput(CitybriefError):
    status = 400
    slug = "bad-input"
    title = "Invalid input"


class NotFound(CitybriefError):
    status = 404
    slug = "not-found"
    title = "No such city"


class MethodNotAllowed(CitybriefError):
    status = 405
    slug = "method-not-allowed"
    title = "Method not allowed"

    def __init__(self, detail: str, allow: list[str]) -> None:
        super().__init__(detail)
        self.allow = allow


class Ambiguous(CitybriefError):
    """The name matches several pages; ``candidates`` lists titles, places first."""

    status = 409
    slug = "ambiguous"
    title = "Ambiguous city name"

    def __init__(self, detail: str, candidates: list[str]) -> None:
        super().__init__(detail, candidates=candidates)
        self.candidates = candidates


class RequestTimeout(CitybriefError):
    """The request body did not arrive in time (a stalled or trickling client)."""

    status = 408
    slug = "request-timeout"
    title = "Request body too slow"


class PayloadTooLarge(CitybriefError):
    status = 413
    slug = "payload-too-large"
    title = "Request body too large"


class UnsupportedMediaType(CitybriefError):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


class UpstreamError(CitybriefError):
    """Wikipedia answered badly (5xx after retries, non-JSON, API error)."""

    status = 502
    slug = "upstream-error"
    title = "Wikipedia request failed"


class UpstreamTimeout(CitybriefError):
    """Wikipedia did not answer within the brief's deadline."""

    status = 504
    slug = "upstream-timeout"
    title = "Wikipedia timed out"


class InternalError(CitybriefError):
    """Anything unexpected; the detail never carries a traceback."""
