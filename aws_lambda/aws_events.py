"""AWS Lambda event shapes: which front door sent an event, as a core ``Request``, and
the answer in that door's shape (docs/decisions/aws-events.md)."""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote, unquote_plus

from citybrief.errors import BadInput
from citybrief.http import Request, Response, encode_json, query_from_pairs
from citybrief.logs import parse_amzn_trace_id

log = logging.getLogger("citybrief.aws")


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
        log.warning("unreadable event", extra={"event_source": self.name, "reason": reason})
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
        log.warning("unrecognised event", extra={"event_keys": seen})
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
