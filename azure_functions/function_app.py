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
* Path: the request URL's, below the route prefix, whichever function the host chose; so
  ``//brief`` or ``/Brief`` are no route here as on every platform, however the host's
  routing folds them.
* The anonymous catch-all never serves a keyed route: handed ``brief`` or ``compare``
  (by a host routing quirk, or a trailing-slash variant) it answers 404 for anything but
  the preflight it exists to take, so no path variant gets a brief without a key.
* Request id: the invocation id, which Application Insights already stores on every
  trace as ``customDimensions.InvocationId``; the worker forwards log *messages* only
  (``extra`` fields are dropped), so that shared id is the correlation key. Without one,
  the trace id of a well-formed ``traceparent``.

Batch path (``queue_briefs``): a queue trigger on ``%CITYBRIEF_QUEUE_NAME%`` through the
``AzureWebJobsStorage`` connection. ``citybrief.jobs`` owns the message format and the
per-city records; this module only stores them and decides what is worth a retry:

* Registered only when ``CITYBRIEF_QUEUE_NAME`` is set (the ARM template and
  local.settings.json.example set it): the host refuses to start the whole app, HTTP
  included, over a binding expression naming a missing setting.
* One container (``CITYBRIEF_BLOB_CONTAINER``, default ``briefs``, as in the template),
  two prefixes: ``briefs/<lang>/<title>.json`` holds the brief document (two names for
  one city share a blob) and ``errors/<lang>/<city>.json`` the failure record plus the
  message id and dequeue count. The fixed ``briefs/`` prefix is needed because
  ``errors`` itself passes the language-code pattern. Blobs are written with the storage
  SDK, not an output binding: a binding names one blob per invocation, a message yields
  up to ten. A redelivered message overwrites the same names.
* Permanent outcomes (bad message, bad name, not found, ambiguous, internal bug) are
  recorded and the message completes: a retry cannot change them. Transient ones
  (Wikipedia 429/502/503/504, storage errors) raise, so the host redelivers after
  ``visibilityTimeout``; the briefs that worked are stored on every attempt. On the last
  attempt (``dequeue_count`` reaches host.json's ``maxDequeueCount``) the transient
  failures are recorded under ``errors/`` with ``"poisoned": true`` and the function still
  raises, so the host moves the message to ``<queue>-poison``, ready to be replayed.
* host.json sets ``messageEncoding: none``: senders put plain JSON text, not Base64.

No ``from __future__ import annotations`` here: the worker reads the functions'
annotations as real types to bind ``req``, ``msg`` and ``context``.
"""

import contextlib
import functools
import hashlib
import json
import logging
import unicodedata
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import azure.functions as func

from citybrief.clouds.azure import AzureSettings, storage_client
from citybrief.http import App, Request, Response, RouteNotFound, normalise_path, query_from_pairs
from citybrief.jobs import process_message
from citybrief.logs import REQUEST_ID, RequestIdFilter, parse_traceparent
from citybrief.names import city_key
from citybrief.service import BriefService
from citybrief.settings import Settings
from citybrief.validation import CITY_MAX_LENGTH

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
# The core paths behind a function key (the functions below with PROTECTED).
KEYED_PATHS = frozenset({"/brief", "/compare"})
HOST_JSON = Path(__file__).with_name("host.json")


def _route_prefix(host_json: Path = HOST_JSON) -> str:
    """host.json's ``extensions.http.routePrefix`` ("api" when unset), as "/api"."""
    try:
        http = json.loads(host_json.read_text(encoding="utf-8"))["extensions"]["http"]
        prefix = str(http.get("routePrefix", "api"))
    except (OSError, ValueError, KeyError, TypeError):
        prefix = "api"
    return "/" + prefix.strip("/") if prefix.strip("/") else ""


ROUTE_PREFIX = _route_prefix()

# Cheap at import (the host indexes this module before any request): the service and
# its NLP stack are built by the core on the first /brief or /compare.
settings = Settings.from_env(platform="azure")
azure_settings = AzureSettings.from_env()
core = App(lambda: BriefService(settings), settings)
app = func.FunctionApp()  # FUNCTION for any HTTP function that names no level
PROTECTED = func.AuthLevel(azure_settings.auth_level)


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
    trace = parse_traceparent(req.headers.get("traceparent", "").strip())
    return trace.trace_id if trace else None


def _path(req: func.HttpRequest, routed: str) -> str:
    """The URL's path below the route prefix; ``routed`` (the host's match) if the URL
    does not start with the prefix."""
    path = unquote(urlsplit(req.url).path)
    if ROUTE_PREFIX and (path == ROUTE_PREFIX or path.startswith(ROUTE_PREFIX + "/")):
        return path[len(ROUTE_PREFIX) :] or "/"
    return path if not ROUTE_PREFIX else routed


def _to_azure(response: Response) -> func.HttpResponse:
    """Status, headers and bytes verbatim; see the module notes on Content-Type."""
    return func.HttpResponse(
        response.body,
        status_code=response.status,
        headers=response.headers,
        mimetype=response.headers.get("Content-Type", ""),
    )


def serve(
    req: func.HttpRequest, context: func.Context | None, routed: str, *, keyed: bool = True
) -> func.HttpResponse:
    """One request through the core. ``routed`` is the path the host matched (below the
    route prefix); ``keyed=False`` (the anonymous catch-all) refuses the keyed paths."""
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


@app.route(route="brief", methods=KEYED_METHODS, auth_level=PROTECTED)
def brief(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    """GET/POST /api/brief."""
    return serve(req, context, "/brief")


@app.route(route="compare", methods=KEYED_METHODS, auth_level=PROTECTED)
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

    The host prefers literal routes, so this only sees paths no function above claims,
    and preflights of the keyed routes (which do not take OPTIONS); anything else for a
    keyed path is refused, as this function checks no key.
    """
    return serve(req, context, "/" + req.route_params.get("path", ""), keyed=False)


# -- batch path: queue messages in, blobs out ------------------------------------------

QUEUE_CONNECTION = "AzureWebJobsStorage"
BRIEFS_PREFIX = "briefs"
ERRORS_PREFIX = "errors"
# Problem statuses a later attempt may not see again: rate limiting, Wikipedia down or slow.
TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
# The host's own default when host.json names none.
DEFAULT_MAX_DEQUEUE_COUNT = 5
# Short, and few quick retries (the SDK's default backoff starts at 15 s): a storage
# outage fails the attempt well inside functionTimeout, and the host's redelivery retries.
BLOB_CONNECT_TIMEOUT = 5
BLOB_READ_TIMEOUT = 20
BLOB_RETRIES = 2
BLOB_BACKOFF = 1  # seconds before the first retry; then + 2**n

log = logging.getLogger("citybrief.azure")
_tag_request_ids()  # again, now that this logger exists


def _max_dequeue_count(host_json: Path = HOST_JSON) -> int:
    """host.json's ``extensions.queues.maxDequeueCount``, the one source of truth, so
    the function knows which attempt the host will poison after."""
    try:
        queues = json.loads(host_json.read_text(encoding="utf-8"))["extensions"]["queues"]
        return int(queues.get("maxDequeueCount", DEFAULT_MAX_DEQUEUE_COUNT))
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MAX_DEQUEUE_COUNT


MAX_DEQUEUE_COUNT = _max_dequeue_count()


class TransientBatchError(RuntimeError):
    """Raised so the host redelivers the message (or, on the last attempt, poisons it)."""


@functools.cache
def jobs_service() -> BriefService:
    """The batch path's service, built on the first message (the NLP stack is slow to
    import); separate from the HTTP core's so neither path reaches into the other."""
    return BriefService(settings)


@functools.cache
def briefs_container() -> Any:
    """A ``ContainerClient`` for the briefs container, created if absent (Azurite, local).

    The account comes from ``storage_client``: a connection string locally, the
    managed identity in a keyless deployment (what the ARM template sets up).
    """
    from azure.core.exceptions import ResourceExistsError
    from azure.storage.blob import BlobServiceClient

    service = storage_client(
        BlobServiceClient,
        "blob",
        connection_timeout=BLOB_CONNECT_TIMEOUT,
        read_timeout=BLOB_READ_TIMEOUT,
        retry_total=BLOB_RETRIES,
        initial_backoff=BLOB_BACKOFF,
        increment_base=2,
        random_jitter_range=1,
    )
    container = service.get_container_client(azure_settings.blob_container)
    with contextlib.suppress(ResourceExistsError):
        container.create_container()
    return container


# Characters that would nest ("/", "\\"), end the URL path ("?", "#") or make the
# encoding ambiguous ("%"); a leading "_" is kept for names citybrief makes up.
_ESCAPE = frozenset("/\\?#%")


def path_segment(text: str) -> str:
    """``text`` as one readable blob-name segment: Unicode kept, risky characters and
    control/format characters percent-encoded (so the mapping is reversible), long
    names cut and suffixed with a hash so they stay unique and under the name limit."""
    if len(text) > CITY_MAX_LENGTH:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        text = f"{text[:CITY_MAX_LENGTH]}~{digest}"
    out = []
    for index, char in enumerate(text):
        risky = char in _ESCAPE or unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"}
        if risky or (index == 0 and char in "_."):
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass")))
        else:
            out.append(char)
    return "".join(out)


def blob_name(result: Mapping[str, Any], message_id: str, index: int) -> str:
    """Where a ``citybrief.jobs`` record is stored (see the module notes).

    ok: ``briefs/<lang>/<title>.json``. Otherwise ``errors/<lang>/<city>.json`` with the
    city folded by ``citybrief.names.city_key`` (so retries overwrite one record);
    without a city or a valid language ``errors/_message/<message id>-<index>.json``.
    """
    brief = result.get("brief")
    if result.get("status") == "ok" and isinstance(brief, Mapping):
        folder, title = path_segment(str(brief["lang"])), path_segment(str(brief["title"]))
        return f"{BRIEFS_PREFIX}/{folder}/{title}.json"
    city, lang = result.get("city"), result.get("lang")
    if isinstance(city, str) and city_key(city) and isinstance(lang, str):
        return f"{ERRORS_PREFIX}/{path_segment(lang)}/{path_segment(city_key(city))}.json"
    return f"{ERRORS_PREFIX}/_message/{path_segment(message_id)}-{index}.json"


def is_transient(result: Mapping[str, Any]) -> bool:
    """A ``failed`` record whose problem another attempt might not meet (not a bug)."""
    error = result.get("error")
    return (
        result.get("status") == "failed"
        and isinstance(error, Mapping)
        and error.get("status") in TRANSIENT_STATUSES
    )


def _write(container: Any, name: str, document: Mapping[str, Any]) -> None:
    """Overwrite ``name`` with UTF-8 JSON: a redelivered message rewrites, never fails."""
    from azure.storage.blob import ContentSettings

    container.upload_blob(
        name,
        json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        overwrite=True,
        content_settings=ContentSettings(content_type="application/json; charset=utf-8"),
    )


def store_results(
    results: list[dict[str, Any]], msg: func.QueueMessage, container: Any
) -> list[dict[str, Any]]:
    """Write every record this attempt should keep; return the transient ones.

    Transient failures are written only on the last attempt (earlier ones are retried, and
    a record would then go stale); everything else is written on every attempt.
    """
    message_id = msg.id or "unknown"
    attempt = msg.dequeue_count or 1
    last = attempt >= MAX_DEQUEUE_COUNT
    transient = [r for r in results if is_transient(r)]
    for index, result in enumerate(results):
        retry = is_transient(result)
        name = blob_name(result, message_id, index)
        if result.get("status") == "ok":
            _write(container, name, result["brief"])
        elif retry and not last:
            continue
        else:
            _write(
                container,
                name,
                {
                    **result,
                    "message_id": message_id,
                    "dequeue_count": attempt,
                    "max_dequeue_count": MAX_DEQUEUE_COUNT,
                    "poisoned": retry,
                    "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
                },
            )
    return transient


if azure_settings.queue_name:

    @app.queue_trigger(
        arg_name="msg", queue_name="%CITYBRIEF_QUEUE_NAME%", connection=QUEUE_CONNECTION
    )
    def queue_briefs(msg: func.QueueMessage, context: func.Context) -> None:
        """Brief each city of one message into blobs; raise only for what a retry can fix."""
        token = REQUEST_ID.set(str(getattr(context, "invocation_id", "") or msg.id or ""))
        try:
            results = process_message(msg.get_body(), jobs_service().brief)
            transient = store_results(results, msg, briefs_container())
            counts = Counter(r["status"] for r in results)
            log.info(
                "queue message %s attempt %s: %s",
                msg.id,
                msg.dequeue_count,
                ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
            )
            if transient:
                raise TransientBatchError(
                    f"{len(transient)} of {len(results)} cities failed upstream on attempt "
                    f"{msg.dequeue_count or 1} of {MAX_DEQUEUE_COUNT}; the host retries"
                )
        finally:
            REQUEST_ID.reset(token)
