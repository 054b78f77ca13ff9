"""Google Cloud Functions (2nd gen) adapter: a Flask request in, the core's answer out.

Deploy with ``gcloud functions deploy NAME --gen2 --runtime=python312 --source=dist/gcp
--entry-point=citybrief_http --trigger-http``; run locally with ``make run``.

Everything a client can observe (routing, validation, limits, CORS, errors) is decided
by ``citybrief.http.App``; this module only converts. Its own decisions:

* ``POST /`` is ``POST /brief``, or ``POST /compare`` when the body is a JSON object with
  a ``"cities"`` key. ``gcloud functions call NAME --data '{"city":"Chicago"}'`` (and the
  console's Testing tab) can only POST a body to the function's root, so this makes them
  work. Only the path is translated: the body is peeked at, never validated, and every
  error (bad JSON, wrong media type, too large) is the core's, as for ``/brief``.
  ``GET /`` and every other method on ``/`` are NOT translated: they get the core's 404
  ``no-such-route``, as on every other platform (health checks use ``/health``).
* The request id (echoed as ``X-Request-Id`` and put on every log line) is the trace id
  of ``X-Cloud-Trace-Context``, else of ``traceparent``, each only when well-formed
  (``citybrief.logs``); else the core makes one. The trace id is what Logs Explorer
  groups a request's lines by, so an id a user quotes finds the whole request. A caller
  that propagates one trace over several calls gets the same id for each of them.
  ``Function-Execution-Id`` is never used: functions-framework adopts whatever a client
  sends in it, so it would let a client name the request (it is still on the log lines
  as functions-framework's own ``execution_id`` label when ``LOG_EXECUTION_ID`` is set).
* The body is read before any work, and bounded (``read_body``): a declared
  Content-Length over 16 KiB is refused (413) without reading a byte, at most 16 KiB + 1
  bytes are ever read, and a body still arriving after ``CITYBRIEF_BODY_TIMEOUT`` seconds
  is cut off (408): gunicorn serves a fixed number of threads, and a client declaring a
  large body and sending nothing would otherwise hold one forever. functions-framework
  reads whatever the function left unread after it answers, so the stream it sees is
  emptied first; gunicorn drains or closes the connection itself.
* The path is the request's own (``PATH_INFO``): Werkzeug's ``request.path`` folds
  leading slashes, which would make ``//brief`` a brief here and no route elsewhere.
* Logs are Cloud Logging structured JSON on stdout, one object per line (see
  ``CloudLoggingFormatter``); tracebacks go to ``stack_trace`` for Error Reporting and
  never into a response.

``citybrief_pubsub`` is the batch path (``--entry-point=citybrief_pubsub
--trigger-topic=TOPIC``): a CloudEvent function, so it takes Eventarc's
``google.cloud.pubsub.topic.v1.messagePublished`` events and, through
functions-framework's conversion, a plain Pub/Sub push request too. Each message's
cities go through ``citybrief.jobs``; every result, good or bad, becomes a Firestore
document (see ``store_results``). Only a failure to store raises, because only that is
worth the platform's retry (which ``gcloud functions deploy --retry`` enables).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import json
import logging
import os
import socket
import sys
import threading
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final
from urllib.parse import parse_qsl

import flask
import functions_framework
from cloudevents.http import CloudEvent
from werkzeug.datastructures import Headers
from werkzeug.exceptions import ClientDisconnected

from citybrief.clouds.gcp import GcpSettings
from citybrief.errors import BadInput, CitybriefError, RequestTimeout
from citybrief.http import MAX_BODY_BYTES, App, Request, query_from_pairs
from citybrief.jobs import Result, process_message, record_id
from citybrief.logs import (
    REQUEST_ID,
    RequestIdFilter,
    Trace,
    parse_cloud_trace,
    parse_traceparent,
)
from citybrief.service import BriefService
from citybrief.settings import Settings

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


_TRACE: ContextVar[Trace | None] = ContextVar("citybrief_gcp_trace", default=None)


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
        trace = _TRACE.get()
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


class RawResponse(flask.Response):
    """A response whose Content-Type is exactly the core's, or absent (204s)."""

    default_mimetype = None


# Module level and cheap: the NLP stack loads on the first route that needs it.
settings = Settings.from_env(platform="gcp")
gcp_settings = GcpSettings.from_env()
PROJECT = os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCP_PROJECT") or None
install_logging(settings.log_level, PROJECT)
app = App(lambda: BriefService(settings), settings)


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


def to_core(request: flask.Request) -> tuple[Request, Trace | None]:
    """The platform-neutral request, and the trace its log lines should carry."""
    body, error = read_body(request, gcp_settings.body_timeout)
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


@functions_framework.http
def citybrief_http(request: flask.Request) -> flask.Response:
    """HTTP entry point: every route of the citybrief API."""
    core, trace = to_core(request)
    token = _TRACE.set(trace)
    try:
        response = app.handle(core)
    finally:
        _TRACE.reset(token)
    return RawResponse(response.body, response.status, response.headers)


# --- batch path: Pub/Sub -> briefs in Firestore ------------------------------------------

# Bounded, unlike the client's default (which retries an unreachable service for minutes):
# past this the invocation fails and Pub/Sub redelivers, instead of hanging to its timeout.
STORE_TIMEOUT: Final = 10.0
log = logging.getLogger("citybrief.gcp")


@lru_cache(maxsize=1)
def batch_service() -> BriefService:
    """One service per instance, built on the first message (not at import)."""
    return BriefService(settings)


@lru_cache(maxsize=1)
def firestore_client() -> Any:
    """One client per instance; the SDK is imported only here, so the HTTP function's
    cold start never loads it. Honours FIRESTORE_EMULATOR_HOST."""
    from google.cloud import firestore

    return firestore.Client(project=PROJECT)


def pubsub_payload(message: Any) -> bytes | BadInput:
    """The message's bytes (``data`` is base64 in both event formats), or why there are none."""
    data = message.get("data") if isinstance(message, dict) else None
    if not isinstance(data, str):
        return BadInput("The Pub/Sub message has no data.")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return BadInput("The Pub/Sub message data is not valid base64.")


def store_results(results: list[Result], message_id: str, published_at: str | None) -> None:
    """Write every result in one atomic batch; raise if that fails, so Pub/Sub retries.

    Ids come from ``jobs.record_id``: a redelivered message overwrites its own documents.
    ``updated_at`` is the server's commit time.
    """
    from google.api_core.retry import Retry, if_transient_error
    from google.cloud import firestore

    client = firestore_client()
    collection = client.collection(gcp_settings.briefs_collection)
    batch = client.batch()
    for index, result in enumerate(results):
        document = {
            **result,
            "message_id": message_id,
            "published_at": published_at,
            "updated_at": firestore.SERVER_TIMESTAMP,
        }
        batch.set(collection.document(record_id(result, message_id, index)), document)
    retry = Retry(predicate=if_transient_error, initial=0.2, maximum=2.0, timeout=STORE_TIMEOUT)
    batch.commit(retry=retry, timeout=STORE_TIMEOUT)


@functions_framework.cloud_event
def citybrief_pubsub(cloud_event: CloudEvent) -> None:
    """Pub/Sub entry point: brief the message's cities and store one document per city.

    Bad messages and unknown cities are stored as records and the event is acknowledged;
    an exception (the store failing) makes the platform redeliver the message.
    """
    data = cloud_event.data if isinstance(cloud_event.data, dict) else {}
    message = data.get("message")
    message = message if isinstance(message, dict) else {}
    message_id = str(message.get("messageId") or cloud_event["id"])
    published_at = message.get("publishTime") or cloud_event.get("time")
    token = REQUEST_ID.set(message_id)
    try:
        payload = pubsub_payload(message)
        if isinstance(payload, BadInput):
            results: list[Result] = [
                {"city": None, "lang": None, "status": "bad_input", "error": payload.problem()}
            ]
        else:
            service = batch_service()
            results = process_message(payload, service.brief)
        for result in results:
            log.info(
                "batch result %s for %r",
                result["status"],
                result["city"],
                extra={"status": result["status"], "city": result["city"]},
            )
        store_results(results, message_id, published_at)
        log.info("stored %d result(s)", len(results), extra={"source": cloud_event["source"]})
    except Exception:
        log.exception("batch message not stored; the platform may redeliver it")
        raise
    finally:
        REQUEST_ID.reset(token)
