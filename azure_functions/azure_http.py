"""A ``func.HttpRequest`` as the core's ``Request`` and the core's ``Response`` back:
the path below the route prefix as sent, the raw query, the invocation id as request id
(docs/decisions/azure-http.md)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import azure.functions as func

from citybrief.http import App, Request, Response, RouteNotFound, normalise_path, query_from_pairs
from citybrief.logs import RequestIdFilter, parse_traceparent

# Every method the host can route; the core decides which ones a path accepts.
ALL_METHODS = [
    func.HttpMethod.GET,
    func.HttpMethod.POST,
    func.HttpMethod.PUT,
    func.HttpMethod.PATCH,
    func.HttpMethod.DELETE,
    func.HttpMethod.OPTIONS,
    func.HttpMethod.HEAD,
]
# Keyed routes leave OPTIONS out: a browser's CORS preflight carries no function key,
# so the host routes it on to the anonymous catch-all, which hands it to the core.
KEYED_METHODS = [method for method in ALL_METHODS if method != func.HttpMethod.OPTIONS]
# The core paths behind a function key.
KEYED_PATHS = frozenset({"/brief", "/compare"})
HOST_JSON = Path(__file__).with_name("host.json")


def route_prefix(host_json: Path = HOST_JSON) -> str:
    """host.json's ``extensions.http.routePrefix`` ("api" when unset), as "/api"."""
    try:
        http = json.loads(host_json.read_text(encoding="utf-8"))["extensions"]["http"]
        prefix = str(http.get("routePrefix", "api"))
    except (OSError, ValueError, KeyError, TypeError):
        prefix = "api"
    return "/" + prefix.strip("/") if prefix.strip("/") else ""


ROUTE_PREFIX = route_prefix()


def tag_request_ids(level: str) -> None:
    """Request id on every citybrief record, for handlers that read it (OpenTelemetry,
    local formatters). Logger filters do not see children's records, hence each one."""
    names = ["citybrief", "citybrief.azure"] + [
        n for n in logging.root.manager.loggerDict if n.startswith("citybrief.")
    ]
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RequestIdFilter) for f in logger.filters):
            logger.addFilter(RequestIdFilter())
    logging.getLogger("citybrief").setLevel(level)


def _query(req: func.HttpRequest) -> dict[str, str]:
    """Every pair of the raw query, last value winning: the host hands Python one string
    per name (repeats comma-joined, empty values dropped). ``params`` if the URL has none."""
    raw = urlsplit(req.url).query
    if raw:
        return query_from_pairs(parse_qsl(raw, keep_blank_values=True))
    return query_from_pairs(req.params.items())


def _request_id(req: func.HttpRequest, context: func.Context | None) -> str | None:
    """The invocation id (Application Insights' ``customDimensions.InvocationId``: the
    worker forwards log messages only, so it is the correlation key); failing that the
    W3C trace id."""
    invocation_id = getattr(context, "invocation_id", None)
    if invocation_id:
        return str(invocation_id)
    trace = parse_traceparent(req.headers.get("traceparent", "").strip())
    return trace.trace_id if trace else None


def _path(req: func.HttpRequest, routed: str) -> str:
    """The URL's path below the route prefix, however the host's routing folded it;
    ``routed`` (the host's match) if the URL does not start with the prefix."""
    path = unquote(urlsplit(req.url).path)
    if ROUTE_PREFIX and (path == ROUTE_PREFIX or path.startswith(ROUTE_PREFIX + "/")):
        return path[len(ROUTE_PREFIX) :] or "/"
    return path if not ROUTE_PREFIX else routed


def _to_azure(response: Response) -> func.HttpResponse:
    """Status, headers and bytes verbatim. The worker adds ``text/plain`` to a response
    without a Content-Type; ``mimetype=""`` makes the host send none (the bodyless 204)."""
    return func.HttpResponse(
        response.body,
        status_code=response.status,
        headers=response.headers,
        mimetype=response.headers.get("Content-Type", ""),
    )


def serve(
    core: App, req: func.HttpRequest, context: func.Context | None, routed: str, *, keyed: bool
) -> func.HttpResponse:
    """One request through the core. ``routed`` is the path the host matched (below the
    route prefix); ``keyed=False`` (the anonymous catch-all) refuses the keyed paths, so
    no path variant or host routing quirk serves a brief without a key."""
    path = _path(req, routed)
    error = None
    if not keyed and normalise_path(path) in KEYED_PATHS and req.method.upper() != "OPTIONS":
        error = RouteNotFound("This path needs a function key; no anonymous route serves it.")
    request = Request(
        method=req.method,
        path=path,
        query=_query(req),
        headers=dict(req.headers),
        body=req.get_body(),
        request_id=_request_id(req, context),
        error=error,
    )
    return _to_azure(core.handle(request))
