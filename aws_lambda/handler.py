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

from citybrief.errors import BadInput, CitybriefError
from citybrief.http import (
    PROBLEM_CONTENT_TYPE,
    App,
    Request,
    Response,
    encode_json,
    query_from_pairs,
)
from citybrief.logs import RequestIdFilter
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


class EventSource:
    """One Lambda event shape: detection, conversion to ``Request``, and the reply."""

    name: ClassVar[str] = "unknown"

    def matches(self, event: Mapping[str, Any]) -> bool:
        raise NotImplementedError

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
        return str(event.get("httpMethod") or "GET")

    def path(self, event: Mapping[str, Any]) -> str:
        return str(event.get("path") or "/")

    def query_pairs(self, event: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        """v1 and ALB shape: the multi-value map when present (it keeps every value)."""
        multi = event.get("multiValueQueryStringParameters")
        if multi:
            return [(name, value) for name, values in multi.items() for value in values or ()]
        return list((event.get("queryStringParameters") or {}).items())

    def headers(self, event: Mapping[str, Any]) -> dict[str, str]:
        """Repeated headers are joined with ", " (RFC 9110), the other sources' behaviour."""
        multi = event.get("multiValueHeaders")
        if multi:
            return {name: ", ".join(values) for name, values in multi.items() if values}
        return dict(event.get("headers") or {})

    def request_id(self, event: Mapping[str, Any], context: Any) -> str | None:
        request_id = (event.get("requestContext") or {}).get("requestId")
        return str(request_id) if request_id else getattr(context, "aws_request_id", None)

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
        return "httpMethod" in event and isinstance(event.get("requestContext"), dict)


class HttpApiV2(EventSource):
    """API Gateway HTTP API (payload format 2.0)."""

    name = "apigw-http"

    def matches(self, event: Mapping[str, Any]) -> bool:
        context = event.get("requestContext")
        return (
            event.get("version") == "2.0"
            and isinstance(context, dict)
            and isinstance(context.get("http"), dict)
        )

    def method(self, event: Mapping[str, Any]) -> str:
        return str(event["requestContext"]["http"].get("method") or "GET")

    def path(self, event: Mapping[str, Any]) -> str:
        path = unquote(str(event.get("rawPath") or "/"))
        stage = event["requestContext"].get("stage") or "$default"
        prefix = f"/{stage}"
        if stage != "$default" and (path == prefix or path.startswith(prefix + "/")):
            path = path[len(prefix) :] or "/"
        return path

    def query_pairs(self, event: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        # rawQueryString keeps order and repeats; queryStringParameters comma-joins them.
        return parse_qsl(str(event.get("rawQueryString") or ""), keep_blank_values=True)

    def headers(self, event: Mapping[str, Any]) -> dict[str, str]:
        headers = dict(event.get("headers") or {})
        cookies = event.get("cookies")
        if cookies:  # 2.0 moves Cookie out of the headers
            headers["cookie"] = "; ".join(cookies)
        return headers


class FunctionUrl(HttpApiV2):
    """Lambda Function URL: payload 2.0 whose domain is ``<id>.lambda-url.<region>.on.aws``."""

    name = "function-url"

    def matches(self, event: Mapping[str, Any]) -> bool:
        domain = str((event.get("requestContext") or {}).get("domainName") or "")
        return super().matches(event) and ".lambda-url." in domain


class Alb(EventSource):
    """Application Load Balancer target; multi-value mode answers in multiValueHeaders."""

    name = "alb"

    def matches(self, event: Mapping[str, Any]) -> bool:
        context = event.get("requestContext")
        return isinstance(context, dict) and "elb" in context

    def path(self, event: Mapping[str, Any]) -> str:
        return unquote(str(event.get("path") or "/"))

    def query_pairs(self, event: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        # ALB passes the query through as sent: "S%C3%A3o+Paulo" must become "São Paulo".
        return [
            (unquote_plus(name), unquote_plus(value)) for name, value in super().query_pairs(event)
        ]

    def request_id(self, event: Mapping[str, Any], context: Any) -> str | None:
        headers = {name.lower(): value for name, value in self.headers(event).items()}
        return headers.get("x-amzn-trace-id") or getattr(context, "aws_request_id", None)

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

    def to_request(self, event: Mapping[str, Any], context: Any) -> Request:
        return Request(
            method="POST",
            path="/compare" if "cities" in event else "/brief",
            headers={"Content-Type": "application/json"},
            body=encode_json(dict(event)),
            request_id=getattr(context, "aws_request_id", None),
        )

    def to_result(self, event: Mapping[str, Any], response: Response) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(response.body)
        return document if response.status == 200 else {"error": document}


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
    source = detect(event)
    if source is None:
        return _unrecognised(event)
    try:
        request = source.to_request(event, context)
    except (BadInput, binascii.Error, UnicodeDecodeError, ValueError) as exc:
        logger.warning("unreadable event", extra={"event_source": source.name, "error": str(exc)})
        metrics.add_metric(name="InvalidEvent", unit=MetricUnit.Count, value=1)
        return source.to_result(event, _bad_event(f"The event could not be read: {exc}"))
    logger.set_correlation_id(request.request_id)
    if tracer is not None:
        tracer.put_annotation("event_source", source.name)
    response = contextvars.Context().run(app.handle, request)
    return source.to_result(event, response)


def _unrecognised(event: Any) -> dict[str, Any]:
    """An event this function cannot serve: a problem document, never a stack trace."""
    if isinstance(event, Mapping):
        keys = ", ".join(sorted(str(key)[:40] for key in event)[:10]) or "none"
        seen = f"an object with keys: {keys}"
    else:
        seen = f"a JSON {type(event).__name__}"
    detail = (
        f"Unrecognised event ({seen}). Expected an API Gateway, Function URL or ALB event, "
        'or {"city": ...} / {"cities": [...]}.'
    )
    logger.warning("unrecognised event", extra={"event_keys": seen})
    metrics.add_metric(name="InvalidEvent", unit=MetricUnit.Count, value=1)
    return {"error": json.loads(_bad_event(detail).body)}


def _bad_event(detail: str) -> Response:
    err: CitybriefError = BadInput(detail)
    return Response(err.status, {"Content-Type": PROBLEM_CONTENT_TYPE}, encode_json(err.problem()))


def _body(event: Mapping[str, Any]) -> bytes | None:
    body = event.get("body")
    if body is None:
        return None
    if event.get("isBase64Encoded"):
        return base64.b64decode(body, validate=True)
    return str(body).encode("utf-8")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


__all__ = ["SOURCES", "EventSource", "app", "detect", "handler", "settings"]
