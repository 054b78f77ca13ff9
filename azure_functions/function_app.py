"""citybrief on Azure Functions (Python v2 model): ``/api/brief``, ``/api/compare`` behind
a function key, ``/api/health``, ``/api/openapi.json`` and a catch-all, all answered by
the core ``App`` (conversion in ``azure_http``); the queue batch path (``azure_queue``)
when ``CITYBRIEF_QUEUE_NAME`` is set. Routing choices: docs/decisions/azure-http.md.
No ``from __future__ import annotations``: the worker binds arguments by annotation."""

from collections.abc import Callable

import azure.functions as func
from azure_http import ALL_METHODS, KEYED_METHODS, serve, tag_request_ids
from azure_queue import queue_blueprint

from citybrief.clouds.azure import AzureSettings
from citybrief.http import App, Service
from citybrief.service import BriefService
from citybrief.settings import Settings


def create_app(
    settings: Settings,
    service: Callable[[], Service] | None = None,
    azure: AzureSettings | None = None,
) -> func.FunctionApp:
    """The function app serving a core ``App`` built from ``settings`` (and the Azure-only
    ``azure``, from the environment when None); cheap, as the host indexes it before any
    request (the NLP stack loads on the first brief)."""
    azure = azure or AzureSettings.from_env()
    factory = service or (lambda: BriefService(settings))
    core = App(factory, settings)
    app = func.FunctionApp()  # FUNCTION for any HTTP function that names no level
    keyed = func.AuthLevel(azure.auth_level)
    anonymous = func.AuthLevel.ANONYMOUS
    tag_request_ids(settings.log_level)

    @app.route(route="brief", methods=KEYED_METHODS, auth_level=keyed)
    def brief(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
        """GET/POST /api/brief."""
        return serve(core, req, context, "/brief", keyed=True)

    @app.route(route="compare", methods=KEYED_METHODS, auth_level=keyed)
    def compare(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
        """GET/POST /api/compare."""
        return serve(core, req, context, "/compare", keyed=True)

    @app.route(route="health", methods=ALL_METHODS, auth_level=anonymous)
    def health(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
        """GET /api/health: open, so probes and uptime checks need no key."""
        return serve(core, req, context, "/health", keyed=True)

    @app.route(route="openapi.json", methods=ALL_METHODS, auth_level=anonymous)
    def openapi(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
        """GET /api/openapi.json: open, so clients can discover the API before holding a key."""
        return serve(core, req, context, "/openapi.json", keyed=True)

    @app.route(route="{*path}", methods=ALL_METHODS, auth_level=anonymous)
    def catch_all(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
        """Any other path under /api (the host prefers literal routes), and preflights of
        the keyed routes: the core's 404 problem, never a keyed path without a key."""
        return serve(core, req, context, "/" + req.route_params.get("path", ""), keyed=False)

    if azure.queue_name:
        app.register_functions(queue_blueprint(azure.blob_container, factory))
    return app


app = create_app(Settings.from_env(platform="azure"))
