"""Azure Functions, as the host and the Python worker would run ``function_app.py``.

Core Tools cannot run offline, so this plays their part in process: index the app with
``get_functions()`` (what the worker reports to the host), route a call the way the
host's ASP.NET routing does (literal routes before the ``{*path}`` catch-all, only the
registered methods), invoke the user function with a real ``func.HttpRequest`` and a
``func.Context``, then encode the answer with the worker's own ``HttpResponseConverter``
and apply the host's one rewrite (an empty Content-Type means none). Function keys are
not checked: ``func start`` does not check them either.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import azure.functions as func
from azure.functions.http import HttpRequestConverter, HttpResponseConverter
from azure.functions.meta import Datum
from azure.functions.queue import QueueMessageInConverter

from citybrief.settings import Settings
from tests.contract.cases import Call, Reply
from tests.events import load_event

FUNCTION_APP = Path(__file__).resolve().parents[3] / "azure_functions" / "function_app.py"
BASE_URL = "http://localhost:7071/api"  # func start's default port and routePrefix
_loads = itertools.count()
# The worker puts the app root on sys.path: function_app.py imports its sibling modules.
if str(FUNCTION_APP.parent) not in sys.path:
    sys.path.append(str(FUNCTION_APP.parent))


def load_function_app() -> ModuleType:
    """A fresh copy of ``function_app.py`` (settings read from the environment now).

    A fresh module per load keeps tests apart; ``get_functions()`` may run once per app.
    """
    spec = importlib.util.spec_from_file_location(
        f"citybrief_azure_function_app_{next(_loads)}", FUNCTION_APP
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class InvocationContext(func.Context):
    """The ``context`` argument the worker passes, with a fresh invocation id."""

    def __init__(self, function_name: str, traceparent: str = "") -> None:
        self._function_name = function_name
        self._invocation_id = str(uuid.uuid4())
        self._trace = _Trace(traceparent)

    @property
    def invocation_id(self) -> str:
        return self._invocation_id

    @property
    def function_name(self) -> str:
        return self._function_name

    @property
    def function_directory(self) -> str:
        return str(FUNCTION_APP.parent)

    @property
    def thread_local_storage(self) -> Any:
        return threading.local

    @property
    def trace_context(self) -> func._abc.TraceContext:
        return self._trace

    @property
    def retry_context(self) -> func._abc.RetryContext:
        raise NotImplementedError("HTTP triggers have no retry context")


class _Trace(func._abc.TraceContext):
    def __init__(self, traceparent: str) -> None:
        self._traceparent = traceparent

    @property
    def trace_parent(self) -> str:
        return self._traceparent

    @property
    def trace_state(self) -> str:
        return ""

    @property
    def attributes(self) -> dict[str, str]:
        return {}


def _bindings(function: func.Function) -> list[dict[str, Any]]:
    """The bindings as the worker sends them to the host (raw JSON)."""
    return [json.loads(raw) for raw in function.get_raw_bindings()]


def trigger(function: func.Function) -> dict[str, Any]:
    """The function's httpTrigger binding."""
    return next(b for b in _bindings(function) if b["type"] == "httpTrigger")


def http_functions(functions: list[func.Function]) -> list[func.Function]:
    """The HTTP-triggered functions (the app also has a queue trigger when configured)."""
    return [f for f in functions if any(b["type"] == "httpTrigger" for b in _bindings(f))]


def resolve(
    functions: list[func.Function], path: str, method: str
) -> tuple[func.Function, dict[str, str]]:
    """The function the host routes ``method path`` (below /api) to, and its route params.

    A literal template taking the method wins over the catch-all, case-insensitively,
    one trailing slash ignored; a route that does not take the method is passed over,
    as the host's method constraints do.
    """
    segments = path.strip("/")
    catch_all: tuple[func.Function, dict[str, str]] | None = None
    for function in functions:
        binding = trigger(function)
        route = binding["route"]
        if method.upper() not in {m.upper() for m in binding["methods"]}:
            continue
        if route.startswith("{*") and route.endswith("}"):
            catch_all = (function, {route[2:-1]: segments} if segments else {})
        elif route.lower() == segments.lower():
            return function, {}
    if catch_all is None:
        raise LookupError(f"the host would answer {method} {path} with its own 404")
    return catch_all


def http_request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    params: Mapping[str, str] | None = None,
    route_params: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> func.HttpRequest:
    """The ``func.HttpRequest`` the worker decodes from the host's RpcHttp: the recorded
    GET of ``tests/events/azure/http_get.json`` with these fields in its place.

    ``params`` is the host's ``query``, ``route_params`` its ``params``; ``headers`` are
    added to the recorded ones, replacing those of the same name in any case.
    """
    rpc = load_event("azure/http_get")
    names = {name.lower() for name in headers or {}}
    merged = {k: v for k, v in rpc["headers"].items() if k.lower() not in names}
    merged.update(headers or {})

    def strings(values: Mapping[str, str]) -> dict[str, Datum]:
        return {name: Datum(value, "string") for name, value in values.items()}

    fields = {
        "method": Datum(method, "string"),
        "url": Datum(url, "string"),
        "headers": strings(merged),
        "query": strings(params or {}),
        "params": strings(route_params or {}),
        "body": Datum(body, "bytes"),
    }
    request: func.HttpRequest = HttpRequestConverter.decode(
        Datum(fields, "http"), trigger_metadata=None
    )
    return request


def queue_message(body: bytes | str, dequeue_count: int | None = None) -> func.QueueMessage:
    """The ``func.QueueMessage`` the worker decodes from the host's invocation: the
    recorded ``tests/events/azure/queue_message.json`` carrying ``body`` (and, when
    given, this attempt's ``DequeueCount``)."""
    invocation = load_event("azure/queue_message")
    metadata = {
        name: Datum(typed["value"], typed["type"])
        for name, typed in invocation["trigger_metadata"].items()
    }
    if dequeue_count is not None:
        metadata["DequeueCount"] = Datum(str(dequeue_count), "json")
    data = Datum(body, "bytes" if isinstance(body, bytes) else "string")
    metadata["QueueTrigger"] = data  # the host repeats the message text here
    message: func.QueueMessage = QueueMessageInConverter.decode(data, trigger_metadata=metadata)
    return message


def azure_request(call: Call, route_params: Mapping[str, str]) -> func.HttpRequest:
    """The request the worker builds: full URL with the raw query, and ``params`` as the
    host fills them (one string per name, empty values dropped)."""
    query = call.query_string()
    return http_request(
        call.method,
        BASE_URL + call.path + (f"?{query}" if query else ""),
        headers=call.headers,
        params={name: value for name, value in call.decoded_query().items() if value},
        route_params=route_params,
        body=call.body or b"",
    )


def to_reply(response: func.HttpResponse) -> Reply:
    """What reaches the client: the worker's encoding, then the host's Content-Type rule
    (``Response.ContentType = ""`` removes the header)."""
    datum = HttpResponseConverter.encode(response, expected_type=None)
    headers = {name.lower(): value.value for name, value in datum.value["headers"].items()}
    if not headers.get("content-type"):
        headers.pop("content-type", None)
    return Reply(int(datum.value["status_code"].value), headers, datum.value["body"].value)


def invoke(functions: list[func.Function], call: Call) -> Reply:
    """Route, check the method is registered (else the host answers, not the core), call."""
    function, route_params = resolve(functions, call.path, call.method)
    methods = trigger(function)["methods"]
    if call.method.upper() not in {m.upper() for m in methods}:
        raise LookupError(f"{call.method} {call.path}: the host would answer 404 itself")
    user_function = function.get_user_function()
    request = azure_request(call, route_params)
    context = InvocationContext(function.get_function_name() or "")
    return to_reply(user_function(request, context))


@contextmanager
def azure_driver(env: dict[str, str]) -> Iterator[Any]:
    """The function app ``create_app`` builds from ``env``."""
    module: Any = load_function_app()
    app = module.create_app(Settings.from_env(env, platform="azure"))
    functions = http_functions(app.get_functions())
    yield lambda call: invoke(functions, call)


DRIVERS = {"azure": ("azure", azure_driver)}
