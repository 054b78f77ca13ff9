"""AWS Lambda entry point: converts each event source to the core's ``Request`` and back.

Everything a client can observe (routing, validation, CORS, errors) is decided by
``citybrief.http.App``; this module only knows the shapes of Lambda events. One function
serves API Gateway REST (payload 1.0), HTTP API (2.0), Function URLs, an ALB target
group, and direct invokes (``aws lambda invoke``, Step Functions tasks).

Decisions worth knowing:

* REST v1 uses ``event["path"]``, which API Gateway gives without the stage. A custom
  domain with a base-path mapping puts that base path into ``path``; map the API at the
  domain root (empty base path) so URLs are BASE/brief as on every other cloud.
* HTTP API v2 puts a named stage in ``rawPath`` (``/prod/brief``); it is stripped. The
  ``$default`` stage (our template, and every Function URL) has no prefix.
* ALB hands over query strings exactly as sent, so names and values are percent-decoded
  here; API Gateway has already decoded them.
* Each invocation runs in a fresh ``contextvars.Context``: the service's per-call stats
  and the request id can never leak from the previous (warm) invocation.
* Every event gets an answer, never an exception. A field of the wrong JSON type (a
  number where a front door sends a string, a payload nested past what JSON can encode)
  makes the event unreadable: the core answers it as a 400 problem naming the field,
  with a request id, in the event's own response shape (``EventSource.read``).
* The request id is the front door's (API Gateway's ``requestId``; for an ALB the Root of
  a well-formed ``X-Amzn-Trace-Id``), else the invocation's ``aws_request_id``.
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import json
import os
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote, unquote_plus

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from citybrief.errors import BadInput
from citybrief.http import (
    App,
    Request,
    Response,
    encode_json,
    query_from_pairs,
)
from citybrief.logs import RequestIdFilter, parse_amzn_trace_id
from citybrief.service import BriefService, current_stats
from citybrief.settings import Settings

SERVICE = "citybrief"

settings = Settings.from_env(platform="aws")

# The Powertools logger wraps the stdlib "citybrief" logger, the parent of every logger in
# the core (citybrief.cache, ...): wiki and cache warnings get the same JSON formatter,
# Lambda context keys and correlation id without copy_config_to_registered_loggers.
logger = Logger(service=SERVICE, level=os.environ.get("POWERTOOLS_LOG_LEVEL") or settings.log_level)
logger.append_keys(name="%(name)s")
logger.registered_handler.addFilter(RequestIdFilter())

metrics = Metrics(
    namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE") or SERVICE, service=SERVICE
)

# X-Ray's SDK costs ~0.3 s of every cold start to import, so a deployment that turns
# tracing off (POWERTOOLS_TRACE_DISABLED=true: the template's TracingMode=PassThrough)
# builds no Tracer at all. Otherwise patch only what the function calls: requests
# (Wikipedia) and, with a DynamoDB cache, botocore; outside Lambda the Tracer sends nothing.
TRACING = os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() not in {"1", "true"}
tracer: Tracer | None = (
    Tracer(
        service=SERVICE,
        patch_modules=("requests", "botocore")
        if settings.cache.startswith("dynamodb")
        else ("requests",),
    )
    if TRACING
    else None
)


def record_metrics(request: Request, response: Response, seconds: float) -> None:
    """``App``'s on_complete hook: one EMF document per invocation, flushed by log_metrics."""
    stats = current_stats()
    metrics.add_metric(name="Latency", unit=MetricUnit.Milliseconds, value=seconds * 1000)
    metrics.add_metric(name="CacheHit", unit=MetricUnit.Count, value=stats.cache_hits)
    metrics.add_metric(name="CacheMiss", unit=MetricUnit.Count, value=stats.cache_misses)
    metrics.add_metric(
        name="UpstreamRequests", unit=MetricUnit.Count, value=stats.upstream_requests
    )
    # Emitted as 0 too, so an alarm on its Sum never sees "missing data" on quiet periods.
    metrics.add_metric(name="ServerError", unit=MetricUnit.Count, value=int(response.status >= 500))


# The NLP stack is imported by BriefService's first brief, never at module import.
app = App(lambda: BriefService(settings), settings, on_complete=record_metrics)


# -- event sources ------------------------------------------------------------------------


class UnreadableEvent(ValueError):
    """A field no front door would send in that shape; the message names the field."""


def _text(value: Any, field: str, default: str | None = None) -> str:
    """A string field; a missing (null) one is ``default`` when that is given."""
    if value is None and default is not None:
        return default
    if not isinstance(value, str):
        raise UnreadableEvent(f"{field} must be a string")
    return value


def _texts(value: Any, field: str) -> dict[str, str]:
    """A map of strings to strings (API Gateway's headers and query maps); null is empty."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(name, str) and isinstance(item, str) for name, item in value.items()
    ):
        raise UnreadableEvent(f"{field} must map names to strings")
    return dict(value)


def _text_lists(value: Any, field: str) -> dict[str, list[str]]:
    """A map of strings to lists of strings (the multi-value maps); null is empty."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(name, str)
        and isinstance(items, list)
        and all(isinstance(item, str) for item in items)
        for name, items in value.items()
    ):
        raise UnreadableEvent(f"{field} must map names to lists of strings")
    return {name: list(items) for name, items in value.items()}


def _context(event: Mapping[str, Any]) -> Mapping[str, Any]:
    context = event.get("requestContext")
    return context if isinstance(context, Mapping) else {}


class EventSource:
    """One Lambda event shape: detection, conversion to ``Request``, and the reply."""

    name: ClassVar[str] = "unknown"

    def matches(self, event: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def read(self, event: Mapping[str, Any], context: Any) -> Request:
        """The event as a ``Request``; an unreadable one carries the core's 400 instead."""
        try:
            return self.to_request(event, context)
        except UnreadableEvent as exc:
            reason = str(exc)
        except binascii.Error:
            reason = "body is flagged base64 but is not"
        except (RecursionError, TypeError, ValueError):
            reason = "the payload is nested too deeply or holds values JSON cannot encode"
        logger.warning("unreadable event", extra={"event_source": self.name, "reason": reason})
        metrics.add_metric(name="InvalidEvent", unit=MetricUnit.Count, value=1)
        return Request(
            method=_or_default(lambda: self.method(event), "GET"),
            path=_or_default(lambda: self.path(event), "/"),
            request_id=_or_default(
                lambda: self.request_id(event, context), _invocation_id(context)
            ),
            error=BadInput(f"The event could not be read: {reason}."),
        )

    def to_request(self, event: Mapping[str, Any], context: Any) -> Request:
        return Request(
            method=self.method(event),
            path=self.path(event),
            query=query_from_pairs(self.query_pairs(event)),
            headers=self.headers(event),
            body=_body(event),
            request_id=self.request_id(event, context),
        )

    def method(self, event: Mapping[str, Any]) -> str:
        return _text(event.get("httpMethod"), "httpMethod", "GET") or "GET"

    def path(self, event: Mapping[str, Any]) -> str:
        return _text(event.get("path"), "path", "/") or "/"

    def query_pairs(self, event: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        """v1 and ALB shape: the multi-value map when present (it keeps every value)."""
        multi = _text_lists(
            event.get("multiValueQueryStringParameters"), "multiValueQueryStringParameters"
        )
        if multi:
            return [(name, value) for name, values in multi.items() for value in values]
        return list(_texts(event.get("queryStringParameters"), "queryStringParameters").items())

    def headers(self, event: Mapping[str, Any]) -> dict[str, str]:
        """Repeated headers are joined with ", " (RFC 9110), the other sources' behaviour."""
        multi = _text_lists(event.get("multiValueHeaders"), "multiValueHeaders")
        if multi:
            return {name: ", ".join(values) for name, values in multi.items() if values}
        return _texts(event.get("headers"), "headers")

    def request_id(self, event: Mapping[str, Any], context: Any) -> str | None:
        request_id = _context(event).get("requestId")
        if isinstance(request_id, str) and request_id:
            return request_id
        return _invocation_id(context)

    def to_result(self, event: Mapping[str, Any], response: Response) -> dict[str, Any]:
        return {
            "statusCode": response.status,
            "headers": dict(response.headers),
            "body": response.body.decode("utf-8"),
            "isBase64Encoded": False,
        }


class RestApiV1(EventSource):
    """API Gateway REST API, Lambda proxy integration (payload format 1.0)."""

    name = "apigw-rest"

    def matches(self, event: Mapping[str, Any]) -> bool:
        return "httpMethod" in event and isinstance(event.get("requestContext"), Mapping)


class HttpApiV2(EventSource):
    """API Gateway HTTP API (payload format 2.0)."""

    name = "apigw-http"

    def matches(self, event: Mapping[str, Any]) -> bool:
        return event.get("version") == "2.0" and isinstance(_context(event).get("http"), Mapping)

    def method(self, event: Mapping[str, Any]) -> str:
        http = _context(event).get("http") or {}
        return _text(http.get("method"), "requestContext.http.method", "GET") or "GET"

    def path(self, event: Mapping[str, Any]) -> str:
        path = unquote(_text(event.get("rawPath"), "rawPath", "/") or "/")
        stage = _text(_context(event).get("stage"), "requestContext.stage", "$default")
        prefix = f"/{stage}"
        if stage != "$default" and (path == prefix or path.startswith(prefix + "/")):
            path = path[len(prefix) :] or "/"
        return path

    def query_pairs(self, event: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        # rawQueryString keeps order and repeats; queryStringParameters comma-joins them.
        raw = _text(event.get("rawQueryString"), "rawQueryString", "")
        return parse_qsl(raw, keep_blank_values=True)

    def headers(self, event: Mapping[str, Any]) -> dict[str, str]:
        headers = _texts(event.get("headers"), "headers")
        cookies = event.get("cookies")
        if cookies is not None and not (
            isinstance(cookies, list) and all(isinstance(c, str) for c in cookies)
        ):
            raise UnreadableEvent("cookies must be a list of strings")
        if cookies:  # 2.0 moves Cookie out of the headers
            headers["cookie"] = "; ".join(cookies)
        return headers


class FunctionUrl(HttpApiV2):
    """Lambda Function URL: payload 2.0 whose domain is ``<id>.lambda-url.<region>.on.aws``."""

    name = "function-url"

    def matches(self, event: Mapping[str, Any]) -> bool:
        domain = _context(event).get("domainName")
        return super().matches(event) and isinstance(domain, str) and ".lambda-url." in domain


class Alb(EventSource):
    """Application Load Balancer target; multi-value mode answers in multiValueHeaders."""

    name = "alb"

    def matches(self, event: Mapping[str, Any]) -> bool:
        return "elb" in _context(event)

    def path(self, event: Mapping[str, Any]) -> str:
        return unquote(super().path(event))

    def query_pairs(self, event: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        # ALB passes the query through as sent: "S%C3%A3o+Paulo" must become "São Paulo".
        return [
            (unquote_plus(name), unquote_plus(value)) for name, value in super().query_pairs(event)
        ]

    def request_id(self, event: Mapping[str, Any], context: Any) -> str | None:
        headers = {name.lower(): value for name, value in self.headers(event).items()}
        return parse_amzn_trace_id(headers.get("x-amzn-trace-id")) or _invocation_id(context)

    def to_result(self, event: Mapping[str, Any], response: Response) -> dict[str, Any]:
        result = super().to_result(event, response)
        result["statusDescription"] = f"{response.status} {_phrase(response.status)}"
        if "multiValueHeaders" in event:  # the target group has multi-value headers on
            result["multiValueHeaders"] = {
                name: [value] for name, value in result.pop("headers").items()
            }
        return result


class DirectInvoke(EventSource):
    """``{"city": ...}`` -> POST /brief, ``{"cities": [...]}`` -> POST /compare."""

    name = "direct"

    def matches(self, event: Mapping[str, Any]) -> bool:
        return "requestContext" not in event and ("city" in event or "cities" in event)

    def method(self, event: Mapping[str, Any]) -> str:
        return "POST"

    def path(self, event: Mapping[str, Any]) -> str:
        return "/compare" if "cities" in event else "/brief"

    def request_id(self, event: Mapping[str, Any], context: Any) -> str | None:
        return _invocation_id(context)

    def to_request(self, event: Mapping[str, Any], context: Any) -> Request:
        return Request(
            method=self.method(event),
            path=self.path(event),
            headers={"Content-Type": "application/json"},
            body=encode_json(dict(event)),
            request_id=self.request_id(event, context),
        )

    def to_result(self, event: Mapping[str, Any], response: Response) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(response.body)
        return document if response.status == 200 else {"error": document}


class Unrecognised(DirectInvoke):
    """Any other event: answered like a direct invoke, with the core's 400 problem."""

    name = "unrecognised"

    def matches(self, event: Mapping[str, Any]) -> bool:
        return True

    def path(self, event: Mapping[str, Any]) -> str:
        return "/"

    def to_request(self, event: Mapping[str, Any], context: Any) -> Request:
        if isinstance(event, Mapping):
            keys = ", ".join(sorted(str(key)[:40] for key in event)[:10]) or "none"
            seen = f"an object with keys: {keys}"
        else:
            seen = f"a JSON {type(event).__name__}"
        logger.warning("unrecognised event", extra={"event_keys": seen})
        metrics.add_metric(name="InvalidEvent", unit=MetricUnit.Count, value=1)
        detail = (
            f"Unrecognised event ({seen}). Expected an API Gateway, Function URL or ALB event, "
            'or {"city": ...} / {"cities": [...]}.'
        )
        return Request("POST", "/", request_id=_invocation_id(context), error=BadInput(detail))


UNRECOGNISED = Unrecognised()


# Fixed order: ALB and Function URL events also look like the more general shapes after them.
SOURCES: tuple[EventSource, ...] = (Alb(), FunctionUrl(), HttpApiV2(), RestApiV1(), DirectInvoke())


def detect(event: Any) -> EventSource | None:
    """The source that produced ``event``, or None for a shape this function does not serve."""
    if not isinstance(event, Mapping):
        return None
    return next((source for source in SOURCES if source.matches(event)), None)


# -- handler ------------------------------------------------------------------------------


def _traced(function: Callable[[Any, Any], dict[str, Any]]) -> Callable[[Any, Any], Any]:
    """The handler as an X-Ray segment when tracing is on; untouched otherwise."""
    if tracer is None:
        return function
    traced: Callable[[Any, Any], Any] = tracer.capture_lambda_handler(capture_response=False)(
        function
    )
    return traced


@logger.inject_lambda_context(log_event=False)
@_traced
@metrics.log_metrics(capture_cold_start_metric=True, raise_on_empty_metrics=False)
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point: detect the source, let the core answer, convert the answer."""
    logger.set_correlation_id(None)  # keys persist across warm invocations: drop the last id
    source = detect(event) or UNRECOGNISED
    request = source.read(event, context)
    logger.set_correlation_id(request.request_id)
    if tracer is not None:
        tracer.put_annotation("event_source", source.name)
    response = contextvars.Context().run(app.handle, request)
    return source.to_result(event, response)


def _or_default(read: Callable[[], Any], default: Any) -> Any:
    """A field for the unreadable-event answer, or ``default`` if it is unreadable too."""
    try:
        return read()
    except UnreadableEvent:
        return default


def _invocation_id(context: Any) -> str | None:
    request_id = getattr(context, "aws_request_id", None)
    return request_id if isinstance(request_id, str) else None


def _body(event: Mapping[str, Any]) -> bytes | None:
    body = _text(event.get("body"), "body", "") or None
    encoded = event.get("isBase64Encoded", False)
    if not isinstance(encoded, bool):
        raise UnreadableEvent("isBase64Encoded must be true or false")
    if body is None:
        return None
    if encoded:
        return base64.b64decode(body, validate=True)
    # surrogatepass: a lone surrogate (a JSON escape) reaches the core as bytes that are
    # not UTF-8, so its JSON check refuses the body instead of this encode raising.
    return body.encode("utf-8", "surrogatepass")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


__all__ = ["SOURCES", "EventSource", "app", "detect", "handler", "settings"]
