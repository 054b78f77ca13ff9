"""A Flask request as the core's ``Request``: the path as sent, the raw query, a bounded
body that must arrive within ``CITYBRIEF_BODY_TIMEOUT``, and the request's trace
(docs/decisions/gcp-http.md)."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
from urllib.parse import parse_qsl

import flask
from werkzeug.datastructures import Headers
from werkzeug.exceptions import ClientDisconnected

from citybrief.errors import BadInput, CitybriefError, RequestTimeout
from citybrief.http import MAX_BODY_BYTES, Request, query_from_pairs
from citybrief.logs import Trace, parse_cloud_trace, parse_traceparent


def parse_trace(headers: Headers) -> Trace | None:
    """The trace from ``X-Cloud-Trace-Context`` or, failing that, ``traceparent``."""
    return parse_cloud_trace(headers.get("X-Cloud-Trace-Context", "").strip()) or (
        parse_traceparent(headers.get("traceparent", "").strip())
    )


def route_path(method: str, path: str, body: bytes) -> str:
    """``POST /`` -> ``/compare`` for ``{"cities": ...}``, else ``/brief``; others unchanged.

    Only the path is chosen here: the core still validates the body for that route.
    """
    if method.upper() != "POST" or path not in ("", "/"):
        return path
    if len(body) <= MAX_BODY_BYTES:
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            document = None
        if isinstance(document, dict) and "cities" in document:
            return "/compare"
    return "/brief"


class _BodyDeadline:
    """Shuts the socket's read side when the body is late, so a blocked read returns.

    gunicorn reads the body on the handler's own thread with no timeout of its own; a
    socket timeout would only bound each recv(), and a client trickling one byte at a
    time would never trip it. A timer bounds the whole body.
    """

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        self._done = False
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
        with contextlib.suppress(OSError):  # already closed by the client
            self._sock.shutdown(socket.SHUT_RD)

    def finish(self) -> None:
        with self._lock:
            self._done = True
        self._timer.cancel()


def read_body(request: flask.Request, timeout: float) -> tuple[bytes, CitybriefError | None]:
    """The body, never more than ``MAX_BODY_BYTES + 1`` bytes, and why it is unusable.

    A declared length over the limit is not read at all (the core refuses it on the
    Content-Length header) and the socket's read side is shut, so gunicorn closes the
    connection instead of draining what the client may still send. Whatever happens,
    functions-framework's after-request read finds an empty stream.
    """
    declared = request.content_length
    sock = request.environ.get("gunicorn.socket")
    sock = sock if isinstance(sock, socket.socket) else None
    try:
        if declared is not None and declared > MAX_BODY_BYTES:
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RD)
            return b"", None
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        expected = chunked or bool(declared)  # no timer thread for the usual bodyless GET
        deadline = _BodyDeadline(sock, timeout) if sock is not None and expected else None
        try:
            body = request.stream.read(MAX_BODY_BYTES + 1)
        except (OSError, ClientDisconnected):
            body = None
        finally:
            if deadline is not None:
                deadline.finish()
        complete = body is not None and (declared is None or len(body) >= declared)
        if not complete and deadline is not None and deadline.expired:
            return b"", RequestTimeout(f"The body did not arrive within {timeout:g} s.")
        if body is None or not complete:
            return b"", BadInput("The body ended before its declared length.")
        return body, None
    finally:
        request.stream = io.BytesIO()


def request_path(request: flask.Request) -> str:
    """The path as sent: WSGI's PATH_INFO, whose bytes travel as Latin-1 text."""
    raw = request.environ.get("PATH_INFO") or "/"
    return raw.encode("latin-1", "replace").decode("utf-8", "replace")


def query_pairs(request: flask.Request) -> list[tuple[str, str]]:
    """Every (name, value) of the raw query, decoded as UTF-8 like the other platforms do:
    Werkzeug's ``args`` keeps an invalid escape such as ``%FF`` as literal text, where
    they decode it to U+FFFD (which the core then refuses in a name)."""
    return parse_qsl(request.query_string.decode("utf-8", "replace"), keep_blank_values=True)


def to_core(request: flask.Request, body_timeout: float) -> tuple[Request, Trace | None]:
    """The platform-neutral request, and the trace its log lines should carry."""
    body, error = read_body(request, body_timeout)
    trace = parse_trace(request.headers)
    core = Request(
        method=request.method,
        path=route_path(request.method, request_path(request), body),
        query=query_from_pairs(query_pairs(request)),
        headers=dict(request.headers.items()),
        body=body,
        request_id=trace.trace_id if trace else None,
        error=error,
    )
    return core, trace
