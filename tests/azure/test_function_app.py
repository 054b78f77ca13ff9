"""The Azure adapter: what the host indexes, and that each function only converts.

GIVEN function_app.py imported as the Python worker imports it
WHEN the host indexes it, or a function is called with a real func.HttpRequest
THEN bindings, status, headers and JSON are what the shared core defines.
"""

from __future__ import annotations

import inspect
import json
import logging
from typing import Any

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter

from citybrief.errors import PROBLEM_BASE
from citybrief.http import JSON_CONTENT_TYPE, PROBLEM_CONTENT_TYPE
from citybrief.logs import REQUEST_ID
from tests.azure.conftest import Invoke
from tests.support.drivers.azure import (
    http_functions,
    http_request,
    load_function_app,
    resolve,
    to_reply,
    trigger,
)

API = "http://localhost:7071/api"
ALL_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"}
ROUTES = {
    "brief": "brief",
    "compare": "compare",
    "health": "health",
    "openapi": "openapi.json",
    "catch_all": "{*path}",
}


def body(response: func.HttpResponse) -> Any:
    return json.loads(response.get_body())


def auth_levels(module: Any) -> dict[str, str]:
    indexed = http_functions(module.app.get_functions())
    return {f.get_function_name(): trigger(f)["authLevel"] for f in indexed}


# -- indexing -------------------------------------------------------------------------


def test_every_route_is_a_function_taking_every_method(
    functions: dict[str, func.Function],
) -> None:
    # GIVEN the app as the worker indexes it
    # WHEN its HTTP triggers are read
    routes = {name: trigger(f)["route"] for name, f in functions.items()}
    methods = {name: set(trigger(f)["methods"]) for name, f in functions.items()}
    # THEN the core's routes plus the catch-all exist, each open to every method,
    # so the core (not the host) answers wrong methods with 405 and Allow -- except
    # OPTIONS on the keyed routes, which falls through to the anonymous catch-all
    assert routes == ROUTES
    keyed = {"brief", "compare"}
    assert all(methods[name] == ALL_METHODS - {"OPTIONS"} for name in keyed)
    assert all(m == ALL_METHODS for name, m in methods.items() if name not in keyed)


def test_a_keyless_preflight_reaches_the_core_through_the_catch_all(
    functions: dict[str, func.Function],
) -> None:
    # GIVEN the keyed /brief route and a browser preflight, which never carries a key
    # WHEN the host routes OPTIONS /api/brief
    function, route_params = resolve(list(functions.values()), "/brief", "OPTIONS")
    # THEN an anonymous function takes it and tells the core the real path
    assert trigger(function)["authLevel"].upper() == "ANONYMOUS"
    assert route_params == {"path": "brief"}


def test_brief_and_compare_need_a_function_key_by_default(
    functions: dict[str, func.Function],
) -> None:
    # GIVEN no CITYBRIEF_AUTH_LEVEL
    # WHEN the auth levels are read
    levels = {name: trigger(f)["authLevel"] for name, f in functions.items()}
    # THEN the paid routes need a key, the discovery routes and the 404s do not
    assert levels == {
        "brief": "FUNCTION",
        "compare": "FUNCTION",
        "health": "ANONYMOUS",
        "openapi": "ANONYMOUS",
        "catch_all": "ANONYMOUS",
    }


@pytest.mark.parametrize(("value", "level"), [("anonymous", "ANONYMOUS"), ("ADMIN", "ADMIN")])
def test_auth_level_follows_the_setting(
    monkeypatch: pytest.MonkeyPatch, value: str, level: str
) -> None:
    # GIVEN CITYBRIEF_AUTH_LEVEL set before the worker imports the module
    monkeypatch.setenv("CITYBRIEF_AUTH_LEVEL", value)
    # WHEN it is imported and indexed
    levels = auth_levels(load_function_app())
    # THEN only brief and compare change
    assert levels["brief"] == levels["compare"] == level
    assert levels["health"] == levels["openapi"] == levels["catch_all"] == "ANONYMOUS"


def test_an_unknown_auth_level_stops_the_import(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a typo in the setting
    monkeypatch.setenv("CITYBRIEF_AUTH_LEVEL", "anonymus")
    # WHEN the module is imported
    # THEN it fails loudly instead of guessing how open the API should be
    with pytest.raises(ValueError, match="CITYBRIEF_AUTH_LEVEL"):
        load_function_app()


def test_functions_declare_real_types_for_the_worker(
    functions: dict[str, func.Function],
) -> None:
    # GIVEN the worker binds parameters by their annotations
    for function in functions.values():
        # WHEN a user function's signature is inspected
        params = inspect.signature(function.get_user_function()).parameters
        # THEN req and context are annotated with the classes, not strings
        assert params["req"].annotation is func.HttpRequest
        assert params["context"].annotation is func.Context


# -- calls ----------------------------------------------------------------------------


def test_brief_get(invoke: Invoke) -> None:
    # GIVEN a GET with the city in the query
    # WHEN the brief function runs
    response, context = invoke(
        "brief", "GET", f"{API}/brief?city=Chicago&sentences=3", params={"city": "Chicago"}
    )
    # THEN the core's brief comes back as UTF-8 JSON, tagged with the invocation id
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_CONTENT_TYPE
    assert response.headers["X-Request-Id"] == context.invocation_id
    doc = body(response)
    assert doc["title"] == "Chicago"
    assert len(doc["summary"]) == 3


def test_brief_post(invoke: Invoke) -> None:
    # GIVEN a JSON body
    payload = json.dumps({"city": "Chicago", "sentences": 2}).encode()
    # WHEN it is posted to brief
    response, _ = invoke(
        "brief",
        "POST",
        f"{API}/brief",
        headers={"Content-Type": "application/json"},
        body=payload,
    )
    # THEN the body is read from get_body()
    assert response.status_code == 200
    assert len(body(response)["summary"]) == 2


def test_compare_get(invoke: Invoke) -> None:
    # GIVEN two cities in one query value
    # WHEN compare runs
    response, _ = invoke(
        "compare",
        "GET",
        f"{API}/compare?cities=Chicago%2CToronto",
        params={"cities": "Chicago,Toronto"},
    )
    # THEN one leg is measured between them
    assert response.status_code == 200
    legs = body(response)["legs"]
    assert [leg["from"] for leg in legs] == ["Chicago"]


def test_unicode_city_is_utf8_not_escaped(invoke: Invoke) -> None:
    # GIVEN a percent-encoded non-ASCII city
    # WHEN brief runs
    response, _ = invoke(
        "brief", "GET", f"{API}/brief?city=S%C3%A3o+Paulo", params={"city": "São Paulo"}
    )
    # THEN the title is raw UTF-8 in the body
    assert response.status_code == 200
    assert "São Paulo".encode() in response.get_body()


def test_repeated_query_name_last_value_wins(invoke: Invoke) -> None:
    # GIVEN the host's params joining a repeated name with a comma
    # WHEN brief runs
    response, _ = invoke(
        "brief",
        "GET",
        f"{API}/brief?city=Qwxzyville&city=Chicago",
        params={"city": "Qwxzyville,Chicago"},
    )
    # THEN the raw query is used and the last value wins, as on every platform
    assert response.status_code == 200
    assert body(response)["title"] == "Chicago"


@pytest.mark.parametrize(
    ("url", "params", "status", "slug"),
    [
        (f"{API}/brief", {}, 400, "bad-input"),
        (
            f"{API}/brief?city=Chicago&sentences=0",
            {"city": "Chicago", "sentences": "0"},
            400,
            "bad-input",
        ),
        (
            f"{API}/brief?city=Qwxzyville+Nonexistent",
            {"city": "Qwxzyville Nonexistent"},
            404,
            "not-found",
        ),
    ],
)
def test_errors_are_the_cores_problems(
    invoke: Invoke, url: str, params: dict[str, str], status: int, slug: str
) -> None:
    # GIVEN a request the core rejects
    # WHEN brief runs
    response, context = invoke("brief", "GET", url, params=params)
    # THEN the status and RFC 9457 body are the core's, with the same request id
    assert response.status_code == status
    assert response.headers["Content-Type"] == PROBLEM_CONTENT_TYPE
    problem = body(response)
    assert problem["type"] == PROBLEM_BASE + slug
    assert problem["request_id"] == context.invocation_id


def test_wrong_method_is_the_cores_405(invoke: Invoke) -> None:
    # GIVEN a DELETE, which the trigger accepts so the core can answer it
    # WHEN brief runs
    response, _ = invoke("brief", "DELETE", f"{API}/brief")
    # THEN 405 with the core's Allow header
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert body(response)["type"] == PROBLEM_BASE + "method-not-allowed"


def test_unknown_path_reaches_the_core_through_the_catch_all(invoke: Invoke) -> None:
    # GIVEN a path no literal route claims; the host passes it as route param "path"
    # WHEN the catch-all runs
    response, _ = invoke(
        "catch_all", "GET", f"{API}/nope/deeper", route_params={"path": "nope/deeper"}
    )
    # THEN the core's no-such-route problem, naming the path below /api
    assert response.status_code == 404
    problem = body(response)
    assert problem["type"] == PROBLEM_BASE + "no-such-route"
    assert problem["instance"] == "/nope/deeper"


def test_health_names_the_platform(invoke: Invoke) -> None:
    # GIVEN the anonymous health route
    # WHEN it runs
    response, _ = invoke("health", "GET", f"{API}/health")
    # THEN it reports azure
    assert response.status_code == 200
    assert body(response)["platform"] == "azure"


# -- what the worker and host send on -----------------------------------------------


def test_worker_keeps_our_content_type(invoke: Invoke) -> None:
    # GIVEN a JSON answer
    response, _ = invoke("openapi", "GET", f"{API}/openapi.json")
    # WHEN the worker encodes it for the host
    reply = to_reply(response)
    # THEN Content-Type is the core's, not the worker's text/plain default
    assert reply.headers["content-type"] == JSON_CONTENT_TYPE
    assert json.loads(reply.body)["openapi"].startswith("3.1")


def test_bodyless_204_gets_no_content_type(invoke: Invoke) -> None:
    # GIVEN a preflight, answered with 204 and no body
    response, _ = invoke("brief", "OPTIONS", f"{API}/brief")
    # WHEN the worker encodes it
    encoded = HttpResponseConverter.encode(response, expected_type=None)
    # THEN the worker sends an empty Content-Type (not text/plain), which the host drops
    assert encoded.value["headers"]["content-type"].value == ""
    assert response.status_code == 204
    assert "content-type" not in to_reply(response).headers


def test_traceparent_is_the_fallback_request_id(functions: dict[str, func.Function]) -> None:
    # GIVEN a call without a context but with a W3C traceparent
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    request = http_request(
        "GET", f"{API}/health", headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    )
    # WHEN it is served
    response = functions["health"].get_user_function()(request, None)
    # THEN the trace id (App Insights' operation id) is the request id
    assert response.headers["X-Request-Id"] == trace_id


def test_log_records_carry_the_request_id(invoke: Invoke, caplog: pytest.LogCaptureFixture) -> None:
    # GIVEN the root logger captured, as the worker's handler captures it
    caplog.set_level(logging.INFO, logger="citybrief")
    # WHEN a request is served, and a core module logs without an explicit id
    _, context = invoke("health", "GET", f"{API}/health")
    token = REQUEST_ID.set("req-1")
    try:
        logging.getLogger("citybrief.cache").warning("cache unavailable")
    finally:
        REQUEST_ID.reset(token)
    # THEN every citybrief record carries its request id
    ids = [getattr(r, "request_id", None) for r in caplog.records if r.name.startswith("citybrief")]
    assert ids == [context.invocation_id, "req-1"]


@pytest.mark.parametrize(
    "traceparent",
    [
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "xx-forged request id with spaces-ab-cd",
    ],
)
def test_a_malformed_traceparent_is_not_the_request_id(
    functions: dict[str, func.Function], traceparent: str
) -> None:
    # GIVEN no invocation context and a traceparent that breaks W3C Trace Context syntax
    request = http_request("GET", f"{API}/health", headers={"traceparent": traceparent})
    # WHEN it is served
    response = functions["health"].get_user_function()(request, None)
    # THEN the core makes a fresh id instead of echoing any part of the header
    assert response.headers["X-Request-Id"] not in traceparent
    assert len(response.headers["X-Request-Id"]) == 32


# -- the anonymous catch-all and keyed routes -------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "HEAD", "PUT"])
@pytest.mark.parametrize("path", ["brief", "compare", "brief/"])
def test_the_catch_all_never_serves_a_keyed_route(invoke: Invoke, method: str, path: str) -> None:
    # GIVEN the anonymous catch-all handed a keyed path (a host routing quirk, a variant
    #       of the path), with a valid request
    response, _ = invoke(
        "catch_all",
        method,
        f"{API}/{path}?city=Chicago&cities=Chicago,Toronto",
        params={"city": "Chicago", "cities": "Chicago,Toronto"},
        route_params={"path": path},
    )
    # WHEN it runs  THEN no brief or comparison: the core's 404, as no key was checked
    assert response.status_code == 404
    if method != "HEAD":
        assert body(response)["type"] == PROBLEM_BASE + "no-such-route"


def test_the_catch_all_still_takes_the_keyed_routes_preflight(invoke: Invoke) -> None:
    # GIVEN a browser preflight for /api/brief, which carries no key
    response, _ = invoke(
        "catch_all",
        "OPTIONS",
        f"{API}/brief",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
        route_params={"path": "brief"},
    )
    # WHEN the catch-all runs  THEN the core answers the preflight
    assert response.status_code == 204
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


@pytest.mark.parametrize("url_path", ["//brief", "/Brief"])
def test_the_path_is_the_urls_whichever_function_the_host_chose(
    invoke: Invoke, url_path: str
) -> None:
    # GIVEN a URL the host's case-insensitive, slash-folding routing may hand to "brief"
    response, _ = invoke(
        "brief", "GET", f"{API}{url_path}?city=Chicago", params={"city": "Chicago"}
    )
    # WHEN it runs  THEN the core sees the URL's own path: no such route, as elsewhere
    assert response.status_code == 404
    assert body(response)["instance"] == url_path
