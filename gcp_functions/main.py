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
  of ``X-Cloud-Trace-Context``, else of ``traceparent``, else ``Function-Execution-Id``
  (functions-framework sets one on every request). The trace id is what Logs Explorer
  groups a request's lines by, so an id a user quotes finds the whole request. A caller
  that propagates one trace over several calls gets the same id for each of them.
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
import json
import logging
import os
import re
import sys
import traceback
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Final

import flask
import functions_framework
from cloudevents.http import CloudEvent
from werkzeug.datastructures import Headers

from citybrief.errors import BadInput
from citybrief.http import MAX_BODY_BYTES, App, Request, query_from_pairs
from citybrief.jobs import Result, process_message, record_id
from citybrief.logs import REQUEST_ID, RequestIdFilter
from citybrief.service import BriefService
from citybrief.settings import Settings

TRACE_FIELD: Final = "logging.googleapis.com/trace"
SPAN_FIELD: Final = "logging.googleapis.com/spanId"
SAMPLED_FIELD: Final = "logging.googleapis.com/trace_sampled"
LABELS_FIELD: Final = "logging.googleapis.com/labels"
SOURCE_FIELD: Final = "logging.googleapis.com/sourceLocation"

# X-Cloud-Trace-Context: TRACE_ID[/SPAN_ID][;o=OPTIONS], span id in decimal.
_CLOUD_TRACE_RE = re.compile(r"([0-9a-fA-F]{32})(?:/([0-9]{1,20}))?(?:;o=([0-9]+))?")
# W3C traceparent: VERSION-TRACE_ID-PARENT_ID-FLAGS, all hex.
_TRACEPARENT_RE = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})")
_ZERO_TRACE = "0" * 32
# LogRecord attributes that are not ``extra=`` fields.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}
_HANDLER_MARK = "_citybrief_cloud_logging"


@dataclass(frozen=True)
class Trace:
    """The request's Cloud Trace context, for the log lines written while it runs."""

    trace_id: str
    span_id: str | None = None
    sampled: bool | None = None


_TRACE: ContextVar[Trace | None] = ContextVar("citybrief_gcp_trace", default=None)


def parse_trace(headers: Headers) -> Trace | None:
    """The trace from ``X-Cloud-Trace-Context`` or, failing that, ``traceparent``."""
    cloud = _CLOUD_TRACE_RE.fullmatch(headers.get("X-Cloud-Trace-Context", "").strip())
    if cloud and cloud.group(1) != _ZERO_TRACE:
        trace_id, span, options = cloud.groups()
        # Cloud Logging wants the span as 16 hex digits; this header carries it in decimal.
        span_id = f"{int(span):016x}" if span and 0 < int(span) < 2**64 else None
        sampled = None if options is None else options == "1"
        return Trace(trace_id, span_id, sampled)
    parent = _TRACEPARENT_RE.fullmatch(headers.get("traceparent", "").strip().lower())
    if parent and parent.group(1) != _ZERO_TRACE:
        trace_id, span_id, flags = parent.groups()
        return Trace(trace_id, span_id, bool(int(flags, 16) & 1))
    return None


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
PROJECT = os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCP_PROJECT") or None
install_logging(settings.log_level, PROJECT)
app = App(lambda: BriefService(settings), settings)


def to_core(request: flask.Request) -> tuple[Request, Trace | None]:
    """The platform-neutral request, and the trace its log lines should carry."""
    body = request.get_data(cache=False)
    trace = parse_trace(request.headers)
    request_id = trace.trace_id if trace else request.headers.get("Function-Execution-Id")
    core = Request(
        method=request.method,
        path=route_path(request.method, request.path, body),
        query=query_from_pairs(request.args.items(multi=True)),
        headers=dict(request.headers.items()),
        body=body,
        request_id=request_id,
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
    collection = client.collection(settings.briefs_collection)
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
