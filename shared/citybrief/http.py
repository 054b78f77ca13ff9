"""The cloud-neutral HTTP contract every adapter calls.

Adapters only turn their platform's request into a ``Request`` and the ``Response`` back;
routing, validation, limits, CORS, request ids and error mapping live here, once, so all
platforms answer with the same status, headers and bytes. Choices a client can observe:

* A repeated query parameter: the LAST value wins (``query_from_pairs`` does it).
* One trailing slash is ignored: ``/brief/`` is ``/brief``; nothing else is rewritten
  (``//brief`` is no route).
* ``HEAD`` is answered wherever ``GET`` is, as ``GET`` without the body.
* Unknown query parameters are ignored (caches and trackers append them); unknown JSON
  fields are a 400, because in a body they are almost always a typo.
* GET bodies are ignored. POST bodies are at most 16 KiB of UTF-8 JSON: an object with
  unique keys, ``application/json`` or ``application/*+json``.
* Numbers in the query are JSON numbers (``15``, ``15.0``, ``1.5e2``), read as a body's
  would be, so both ways in accept the same values (and the OpenAPI schema's).
* A preflight from an origin not in ``Settings.cors_origins`` gets a 204 without CORS
  headers (the browser then blocks the call), as most servers do, not a 403.
* JSON is compact (``","``/``":"``), UTF-8 with non-ASCII unescaped, NaN refused.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Protocol

from . import __version__
from .errors import (
    BadInput,
    CitybriefError,
    InternalError,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from .logs import REQUEST_ID
from .settings import Settings
from .validation import (
    DEFAULT_LANG,
    SENTENCES_DEFAULT,
    SPEED_DEFAULT_KMH,
    Lang,
    validate_cities,
    validate_city,
    validate_lang,
    validate_sentences,
    validate_speed,
)

log = logging.getLogger("citybrief")

MAX_BODY_BYTES: Final = 16 * 1024
CORS_MAX_AGE: Final = 600
JSON_CONTENT_TYPE: Final = "application/json; charset=utf-8"
PROBLEM_CONTENT_TYPE: Final = "application/problem+json"

# Path -> methods, in the order the Allow header lists them. OPTIONS is implicit on
# every path, HEAD on every path with GET. The OpenAPI document is tested against this table.
ROUTES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "/brief": ("GET", "POST"),
        "/compare": ("GET", "POST"),
        "/health": ("GET",),
        "/openapi.json": ("GET",),
    }
)

_BRIEF_FIELDS = frozenset({"city", "sentences", "lang"})
_COMPARE_FIELDS = frozenset({"cities", "speed_kmh", "lang"})
# Request headers a browser may send cross-origin; Content-Type is always granted.
_CORS_HEADERS = {
    "accept": "Accept",
    "accept-language": "Accept-Language",
    "content-language": "Content-Language",
    "content-type": "Content-Type",
    "x-request-id": "X-Request-Id",
}
_INTERNAL_DETAIL = "An unexpected error occurred; quote the request id when reporting it."
_JSON_MEDIA_RE = re.compile(r"application/(?:json|[a-z0-9!#$&^_.-]+\+json)")
# Printable ASCII without spaces: safe in a header and on a log line.
_REQUEST_ID_RE = re.compile(r"[\x21-\x7e]{1,200}")
# RFC 8259's number grammar: a query number is read exactly as the same body number.
_JSON_NUMBER_RE = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_QUERY_NUMBERS = {"sentences": "an integer", "speed_kmh": "a number"}


class RouteNotFound(CitybriefError):
    """No route at this path; distinct from ``NotFound`` (no such city)."""

    status = 404
    slug = "no-such-route"
    title = "No such route"


class Service(Protocol):
    """What the routes need from the brief service (the NLP stack lives behind it)."""

    def brief(self, city: str, sentences: int, lang: Lang) -> dict[str, Any]: ...

    def compare(self, cities: list[str], speed_kmh: float, lang: Lang) -> dict[str, Any]: ...


@dataclass
class Request:
    """A platform-neutral request; ``path`` is already stripped of the base path.

    ``query`` holds one value per name: for a repeated name adapters pass the last one.
    ``request_id`` is the platform's id when it has one; ``App`` generates one otherwise.
    ``error`` is set by an adapter that could not read the platform's request (an
    unreadable event, a body that never arrived): the core answers that problem instead
    of routing, with the usual request id, CORS headers and log line.
    Header names are lower-cased on construction.
    """

    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    request_id: str | None = None
    error: CitybriefError | None = None

    def __post_init__(self) -> None:
        self.headers = {name.lower(): value for name, value in self.headers.items()}


@dataclass
class Response:
    """What the adapter sends back verbatim: status, headers, body bytes."""

    status: int
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        """The decoded body, for tests."""
        return json.loads(self.body)


def query_from_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Collapse a multi-valued query to single values, the last one winning.

    Adapters call this with every (name, value) pair in order, so a platform that keeps
    the first value by default cannot make the answer differ.
    """
    return dict(pairs)


def encode_json(document: Any) -> bytes:
    """The one JSON serialisation of every body, so adapters are byte-identical."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


class App:
    """Routes a ``Request`` to the service and renders every outcome as a ``Response``.

    The service is built on the first route that needs it, so ``/health`` and
    ``/openapi.json`` never import the NLP stack. ``on_complete(request, response,
    seconds)`` lets an adapter record metrics; its failures are logged, never raised.
    """

    def __init__(
        self,
        service_factory: Callable[[], Service],
        settings: Settings,
        *,
        on_complete: Callable[[Request, Response, float], None] | None = None,
    ) -> None:
        self._service_factory = service_factory
        self._settings = settings
        self._on_complete = on_complete
        self._service: Service | None = None
        self._service_lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        """Answer one request; never raises. Its id tags every log line meanwhile."""
        request_id = _request_id(request.request_id)
        token = REQUEST_ID.set(request_id)
        try:
            return self._handle(request, request_id)
        finally:
            REQUEST_ID.reset(token)

    def _handle(self, request: Request, request_id: str) -> Response:
        started = time.perf_counter()
        path = normalise_path(request.path)
        try:
            response = self._dispatch(request, path)
        except CitybriefError as err:
            response = _problem(err, path, request_id)
        except Exception:
            log.exception("unhandled error", extra={"request_id": request_id})
            response = _problem(InternalError(_INTERNAL_DETAIL), path, request_id)
        if request.method.upper() == "HEAD":
            response.body = b""
        response.headers["X-Request-Id"] = request_id
        self._add_cors(request, response)
        duration = time.perf_counter() - started
        log.info(
            "%s %s %d %.1fms",
            _loggable(request.method),
            _loggable(path),
            response.status,
            duration * 1000,
            extra={
                "request_id": request_id,
                "http_method": request.method,
                "http_path": path,
                "http_status": response.status,
                "duration_ms": round(duration * 1000, 1),
            },
        )
        if self._on_complete is not None:
            try:
                self._on_complete(request, response, duration)
            except Exception:
                log.exception("on_complete callback failed", extra={"request_id": request_id})
        return response

    def _dispatch(self, request: Request, path: str) -> Response:
        if request.error is not None:
            raise request.error
        methods = ROUTES.get(path)
        if methods is None:
            raise RouteNotFound(
                "No route matches this path; the API is described at /openapi.json."
            )
        method = request.method.upper()
        if method == "OPTIONS":
            return self._options(request, methods)
        if method == "HEAD" and "GET" in methods:
            method = "GET"  # the body is dropped in _handle
        if method not in methods:
            allow = _allow(methods)
            raise MethodNotAllowed(f"This route accepts {', '.join(allow)}.", allow=allow)
        if path == "/health":
            return _json_response(
                {"status": "ok", "version": __version__, "platform": self._settings.platform}
            )
        if path == "/openapi.json":
            from .openapi import openapi_document

            return _json_response(openapi_document())
        if path == "/brief":
            fields = _fields(request, method, _BRIEF_FIELDS)
            city = validate_city(_required(fields, "city"))
            sentences = validate_sentences(fields.get("sentences", SENTENCES_DEFAULT))
            lang = validate_lang(fields.get("lang", DEFAULT_LANG))
            return _json_response(self._service_instance().brief(city, sentences, lang))
        fields = _fields(request, method, _COMPARE_FIELDS)
        cities = validate_cities(_required(fields, "cities"))
        speed = validate_speed(fields.get("speed_kmh", SPEED_DEFAULT_KMH))
        lang = validate_lang(fields.get("lang", DEFAULT_LANG))
        return _json_response(self._service_instance().compare(cities, speed, lang))

    def _service_instance(self) -> Service:
        # Double-checked so concurrent first requests on threaded hosts build one service;
        # a factory that fails is retried by the next request.
        if self._service is None:
            with self._service_lock:
                if self._service is None:
                    self._service = self._service_factory()
        return self._service

    def _options(self, request: Request, methods: tuple[str, ...]) -> Response:
        headers = {"Allow": ", ".join(_allow(methods))}
        requested = request.headers.get("access-control-request-method", "").upper()
        origin = request.headers.get("origin")
        if requested in methods and origin is not None and self._origin_allowed(origin):
            asked = request.headers.get("access-control-request-headers", "")
            wanted = {name.strip().lower() for name in asked.split(",")} | {"content-type"}
            headers["Access-Control-Allow-Methods"] = ", ".join(methods)
            headers["Access-Control-Allow-Headers"] = ", ".join(
                canonical for name, canonical in _CORS_HEADERS.items() if name in wanted
            )
            headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE)
            headers["Vary"] = "Access-Control-Request-Method, Access-Control-Request-Headers"
        return Response(204, headers)

    def _origin_allowed(self, origin: str) -> bool:
        allowed = self._settings.cors_origins
        return "*" in allowed or origin in allowed

    def _add_cors(self, request: Request, response: Response) -> None:
        if not self._settings.cors_origins:
            return
        # The answer depends on Origin whenever CORS is on, so shared caches must key on it.
        vary = response.headers.get("Vary")
        response.headers["Vary"] = f"Origin, {vary}" if vary else "Origin"
        origin = request.headers.get("origin")
        if origin is not None and self._origin_allowed(origin):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "X-Request-Id"


def _allow(methods: tuple[str, ...]) -> list[str]:
    """The Allow header's methods: the route's, HEAD beside GET, and OPTIONS."""
    allow = [
        name for method in methods for name in ((method, "HEAD") if method == "GET" else (method,))
    ]
    return [*allow, "OPTIONS"]


def _json_response(document: Any) -> Response:
    return Response(200, {"Content-Type": JSON_CONTENT_TYPE}, encode_json(document))


def _problem(err: CitybriefError, path: str, request_id: str) -> Response:
    """RFC 9457 body for ``err``; an unserialisable extension degrades to a plain 500."""
    try:
        body = encode_json({**err.problem(), "instance": path, "request_id": request_id})
    except (TypeError, ValueError):
        log.exception("unserialisable problem", extra={"request_id": request_id})
        err = InternalError(_INTERNAL_DETAIL)
        body = encode_json({**err.problem(), "instance": path, "request_id": request_id})
    headers = {"Content-Type": PROBLEM_CONTENT_TYPE}
    if isinstance(err, MethodNotAllowed):
        headers["Allow"] = ", ".join(err.allow)
    return Response(err.status, headers, body)


def _request_id(platform_id: object) -> str:
    if isinstance(platform_id, str) and _REQUEST_ID_RE.fullmatch(platform_id):
        return platform_id
    return uuid.uuid4().hex


def normalise_path(path: str) -> str:
    """The path the router matches: one trailing slash dropped, nothing else changed."""
    if len(path) > 1 and path.endswith("/"):
        return path[:-1]
    return path or "/"


def _loggable(text: str) -> str:
    """Client text on a log line, with control characters escaped (no forged lines)."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _required(fields: Mapping[str, Any], name: str) -> Any:
    if name not in fields:
        raise BadInput(f"{name} is required.")
    return fields[name]


def _fields(request: Request, method: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    """The route's input as JSON values, from the query (GET) or the body (POST)."""
    if method == "GET":
        return {
            name: _from_query(name, value)
            for name, value in request.query.items()
            if name in allowed
        }
    document = _json_body(request)
    unknown = sorted(set(document) - allowed)
    if unknown:
        names = ", ".join(name[:40] for name in unknown[:5])
        raise BadInput(f"Unknown field(s): {names}. Allowed: {', '.join(sorted(allowed))}.")
    return document


def _from_query(name: str, value: str) -> Any:
    """Convert query text to the JSON type the shared validators expect."""
    if name in _QUERY_NUMBERS:
        try:
            if not _JSON_NUMBER_RE.fullmatch(value):
                raise ValueError(value)
            return json.loads(value)
        except ValueError as exc:  # includes integers past Python's digit limit
            raise BadInput(f"{name} must be {_QUERY_NUMBERS[name]}.") from exc
    if name == "cities":
        return value.split(",")
    return value


def _json_body(request: Request) -> dict[str, Any]:
    body = request.body or b""
    length = request.headers.get("content-length", "")
    declared = int(length) if length.isascii() and length.isdigit() and len(length) < 16 else 0
    if len(body) > MAX_BODY_BYTES or declared > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"The body may be at most {MAX_BODY_BYTES} bytes.")
    if not _is_json_media_type(request.headers.get("content-type", "")):
        raise UnsupportedMediaType("The body must be JSON: Content-Type application/json (UTF-8).")
    try:
        document = json.loads(
            body.decode("utf-8"),
            object_pairs_hook=_unique_keys,
            parse_constant=_reject_constant,
        )
    except (ValueError, RecursionError) as exc:
        raise BadInput("The body is not valid JSON.") from exc
    if not isinstance(document, dict):
        raise BadInput("The body must be a JSON object.")
    return document


def _is_json_media_type(content_type: str) -> bool:
    media, *params = content_type.split(";")
    if not _JSON_MEDIA_RE.fullmatch(media.strip().lower()):
        return False
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            return False
    return True


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Reject {"city": "a", "city": "b"}: which one wins differs between parsers."""
    document = dict(pairs)
    if len(document) != len(pairs):
        raise ValueError("duplicate key")
    return document


def _reject_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, though Python's parser accepts them."""
    raise ValueError(f"{name} is not JSON")
