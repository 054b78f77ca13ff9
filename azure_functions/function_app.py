"""citybrief on Azure Functions (Python v2 programming model): a converter, nothing more.

Every route, check, CORS header and error comes from the shared core
(``citybrief.http.App``); this module only turns ``func.HttpRequest`` into a core
``Request`` and the core ``Response`` into ``func.HttpResponse``. Decisions:

* Base path ``/api``: host.json keeps the platform's ``routePrefix`` convention, so a
  root catch-all cannot shadow the host's own pages and the deploy workflow's URL
  (``https://<host>/api``) stays right. Functions see paths without the prefix.
* Every function takes every method the host knows, and ``{*path}`` catches the rest,
  so a wrong method or an unknown path reaches the core (405 with ``Allow``, 404
  ``no-such-route`` as problem+json) instead of the host's own empty 404.
* ``/brief`` and ``/compare`` use ``CITYBRIEF_AUTH_LEVEL`` (default ``function``: the
  host wants ``x-functions-key``); health, the OpenAPI document and the catch-all are
  anonymous. Locally ``func start`` does not check keys.
* Query: the host hands Python one string per name (repeats comma-joined, empty values
  dropped), so the pairs are re-read from the raw query in ``req.url`` and the last
  value wins, as on every platform; ``req.params`` is the fallback.
* Content-Type: the worker adds ``text/plain`` when the headers carry none. The core's
  bodies always name theirs; for the bodyless 204 we pass ``mimetype=""``, which the
  host's ``Response.ContentType = ""`` turns into no header at all.
* Request id: the invocation id, which Application Insights already stores on every
  trace as ``customDimensions.InvocationId``; the worker forwards log *messages* only
  (``extra`` fields are dropped), so that shared id is the correlation key.

No ``from __future__ import annotations`` here: the worker reads the functions'
annotations as real types to bind ``req`` and ``context``.
"""

import logging
from urllib.parse import parse_qsl, urlsplit

import azure.functions as func

from citybrief.http import App, Request, Response, query_from_pairs
from citybrief.logs import RequestIdFilter
from citybrief.service import BriefService
from citybrief.settings import Settings

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

# Cheap at import (the host indexes this module before any request): the service and
# its NLP stack are built by the core on the first /brief or /compare.
settings = Settings.from_env(platform="azure")
core = App(lambda: BriefService(settings), settings)
app = func.FunctionApp()  # FUNCTION for any HTTP function that names no level
PROTECTED = func.AuthLevel(settings.auth_level)


def _tag_request_ids() -> None:
    """Request id on every citybrief record, for handlers that read it (OpenTelemetry,
    local formatters). Logger filters do not see children's records, hence each one."""
    names = ["citybrief"] + [
        n for n in logging.root.manager.loggerDict if n.startswith("citybrief.")
    ]
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RequestIdFilter) for f in logger.filters):
            logger.addFilter(RequestIdFilter())
    logging.getLogger("citybrief").setLevel(settings.log_level)


_tag_request_ids()


def _query(req: func.HttpRequest) -> dict[str, str]:
    """Every pair of the raw query, last value winning; ``params`` if the URL has none."""
    raw = urlsplit(req.url).query
    if raw:
        return query_from_pairs(parse_qsl(raw, keep_blank_values=True))
    return query_from_pairs(req.params.items())


def _request_id(req: func.HttpRequest, context: func.Context | None) -> str | None:
    """The invocation id; failing that the W3C trace id (App Insights' operation id)."""
    invocation_id = getattr(context, "invocation_id", None)
    if invocation_id:
        return str(invocation_id)
    parts = req.headers.get("traceparent", "").split("-")
    return parts[1] if len(parts) == 4 and len(parts[1]) == 32 else None


def _to_azure(response: Response) -> func.HttpResponse:
    """Status, headers and bytes verbatim; see the module notes on Content-Type."""
    return func.HttpResponse(
        response.body,
        status_code=response.status,
        headers=response.headers,
        mimetype=response.headers.get("Content-Type", ""),
    )


def serve(req: func.HttpRequest, context: func.Context | None, path: str) -> func.HttpResponse:
    """One request through the core; ``path`` is relative to the ``/api`` base path."""
    request = Request(
        method=req.method,
        path=path,
        query=_query(req),
        headers=dict(req.headers),
        body=req.get_body(),
        request_id=_request_id(req, context),
    )
    return _to_azure(core.handle(request))


@app.route(route="brief", methods=ALL_METHODS, auth_level=PROTECTED)
def brief(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    """GET/POST /api/brief."""
    return serve(req, context, "/brief")


@app.route(route="compare", methods=ALL_METHODS, auth_level=PROTECTED)
def compare(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    """GET/POST /api/compare."""
    return serve(req, context, "/compare")


@app.route(route="health", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def health(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    """GET /api/health: open, so probes and uptime checks need no key."""
    return serve(req, context, "/health")


@app.route(route="openapi.json", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def openapi(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    """GET /api/openapi.json: open, so clients can discover the API before holding a key."""
    return serve(req, context, "/openapi.json")


@app.route(route="{*path}", methods=ALL_METHODS, auth_level=func.AuthLevel.ANONYMOUS)
def catch_all(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    """Any other path under /api: the core's 404 problem, not the host's blank page.

    The host prefers literal routes, so this only sees paths no function above claims.
    """
    return serve(req, context, "/" + req.route_params.get("path", ""))
