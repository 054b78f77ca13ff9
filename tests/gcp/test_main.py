"""The Cloud Functions adapter over real HTTP, served by functions-framework as deployed.

The contract suite (tests/contract, driver "gcp") checks every route against the core;
these tests cover what only this adapter decides: the ``gcloud functions call`` shape,
the request id taken from Cloud Trace headers, and Cloud Logging's JSON on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from tests.gcp.conftest import PROJECT, SOURCE_DIR, FunctionServer

TRACE_ID = "105445aa7843bc8bf206b12000100000"
JSON = {"Content-Type": "application/json"}


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    server: FunctionServer,
    method: str,
    path: str,
    query: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    url = server.url + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = None if body is None else json.dumps(body).encode()
    all_headers = {**(JSON if data is not None else {}), **(headers or {})}
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            status, raw_headers, payload = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        status, raw_headers, payload = err.code, err.headers, err.read()
    return Answer(status, {k.lower(): v for k, v in raw_headers.items()}, payload)


def log_entries_for(server: FunctionServer, request_id: str) -> list[dict[str, Any]]:
    """The structured lines labelled with ``request_id`` (waits briefly for the flush)."""
    for _ in range(50):
        entries = [
            entry
            for entry in server.log_entries()
            if entry.get("logging.googleapis.com/labels", {}).get("request_id") == request_id
        ]
        if entries:
            return entries
        time.sleep(0.1)
    return []


def test_brief_get(gcp_server: FunctionServer) -> None:
    # GIVEN the function served by functions-framework
    # WHEN a client GETs a brief
    answer = call(gcp_server, "GET", "/brief", {"city": "Chicago", "sentences": "2"})
    # THEN it is the core's JSON, with the core's exact Content-Type
    assert answer.status == 200, answer.body[:300]
    assert answer.headers["content-type"] == "application/json; charset=utf-8"
    assert answer.json()["title"] == "Chicago"
    assert len(answer.json()["summary"]) == 2


def test_brief_post(gcp_server: FunctionServer) -> None:
    # GIVEN a JSON body
    # WHEN it is POSTed to /brief
    answer = call(gcp_server, "POST", "/brief", body={"city": "Chicago", "sentences": 3})
    # THEN the brief has three summary sentences
    assert answer.status == 200, answer.body[:300]
    assert len(answer.json()["summary"]) == 3


def test_unicode_city_in_query_and_answer(gcp_server: FunctionServer) -> None:
    # GIVEN a city name outside ASCII, percent-encoded as UTF-8
    # WHEN it is requested
    answer = call(gcp_server, "GET", "/brief", {"city": "São Paulo"})
    # THEN the title comes back as raw UTF-8, not \\u escapes
    assert answer.status == 200, answer.body[:300]
    assert "São Paulo".encode() in answer.body
    assert answer.json()["title"] == "São Paulo"


def test_error_is_a_problem_document(gcp_server: FunctionServer) -> None:
    # GIVEN a request without the required city
    # WHEN it is sent
    answer = call(gcp_server, "GET", "/brief")
    # THEN it is the core's RFC 9457 problem, not Flask's HTML error page
    assert answer.status == 400
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"].endswith("/bad-input")
    assert problem["request_id"] == answer.headers["x-request-id"]
    assert "Traceback" not in answer.body.decode()


def test_no_content_type_is_added_to_a_preflight(gcp_server: FunctionServer) -> None:
    # GIVEN a CORS preflight, whose answer has no body
    # WHEN it is sent
    answer = call(gcp_server, "OPTIONS", "/brief")
    # THEN Flask adds no text/html Content-Type of its own
    assert answer.status == 204
    assert "content-type" not in answer.headers
    assert answer.headers["allow"] == "GET, HEAD, POST, OPTIONS"


def test_gcloud_functions_call_shape_is_a_brief(gcp_server: FunctionServer) -> None:
    # GIVEN what `gcloud functions call NAME --data '{"city":"Chicago"}'` sends:
    #       a POST of the JSON body to the function's root
    # WHEN it reaches the function
    answer = call(gcp_server, "POST", "/", body={"city": "Chicago"})
    # THEN it is answered as POST /brief
    assert answer.status == 200, answer.body[:300]
    assert answer.json()["title"] == "Chicago"


def test_gcloud_functions_call_with_cities_is_a_compare(gcp_server: FunctionServer) -> None:
    # GIVEN a root POST whose body names cities
    # WHEN it reaches the function
    answer = call(gcp_server, "POST", "/", body={"cities": ["Chicago", "Toronto"]})
    # THEN it is answered as POST /compare
    assert answer.status == 200, answer.body[:300]
    assert [leg["from"] for leg in answer.json()["legs"]] == ["Chicago"]


def test_root_post_errors_are_the_cores(gcp_server: FunctionServer) -> None:
    # GIVEN a root POST with a body the core rejects
    # WHEN it reaches the function
    answer = call(gcp_server, "POST", "/", body={"city": "Chicago", "typo": 1})
    # THEN the core's /brief validation answers, not the adapter
    assert answer.status == 400
    assert answer.json()["instance"] == "/brief"


def test_get_root_is_no_route(gcp_server: FunctionServer) -> None:
    # GIVEN a GET of the function's root (a browser opening the function URL)
    # WHEN it is sent
    answer = call(gcp_server, "GET", "/")
    # THEN it is the same 404 as on every platform
    assert answer.status == 404
    assert answer.json()["type"].endswith("/no-such-route")


def test_request_id_is_the_cloud_trace_id(gcp_server: FunctionServer) -> None:
    # GIVEN a request carrying Google's trace header, as the front end adds it
    headers = {"X-Cloud-Trace-Context": f"{TRACE_ID}/1;o=1"}
    # WHEN it is answered
    answer = call(gcp_server, "GET", "/health", headers=headers)
    # THEN the trace id is the request id the client sees
    assert answer.status == 200
    assert answer.headers["x-request-id"] == TRACE_ID


def test_request_id_from_traceparent(gcp_server: FunctionServer) -> None:
    # GIVEN only a W3C traceparent header
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    headers = {"traceparent": f"00-{trace}-00f067aa0ba902b7-01"}
    # WHEN it is answered
    answer = call(gcp_server, "GET", "/health", headers=headers)
    # THEN its trace id is the request id
    assert answer.headers["x-request-id"] == trace


def test_request_id_falls_back_to_the_execution_id(gcp_server: FunctionServer) -> None:
    # GIVEN no trace header but a Function-Execution-Id
    # WHEN it is answered
    answer = call(gcp_server, "GET", "/health", headers={"Function-Execution-Id": "exec-42"})
    # THEN the execution id is the request id
    assert answer.headers["x-request-id"] == "exec-42"


def test_log_lines_are_cloud_logging_json(gcp_server: FunctionServer) -> None:
    # GIVEN a request traced by Google's front end
    trace = "0af7651916cd43dd8448eb211c80319c"
    headers = {"X-Cloud-Trace-Context": f"{trace}/12345;o=1"}
    # WHEN it is answered
    answer = call(gcp_server, "GET", "/brief", {"city": "Chicago"}, headers=headers)
    assert answer.status == 200, answer.body[:300]
    # THEN the access line on stdout is one JSON object with Cloud Logging's special fields
    entries = log_entries_for(gcp_server, trace)
    assert entries, gcp_server.output()[-3000:]
    access = [e for e in entries if e["message"].startswith("GET /brief 200")]
    assert access, entries
    entry = access[0]
    assert entry["severity"] == "INFO"
    assert entry["logging.googleapis.com/trace"] == f"projects/{PROJECT}/traces/{trace}"
    assert entry["logging.googleapis.com/spanId"] == f"{12345:016x}"
    assert entry["logging.googleapis.com/trace_sampled"] is True
    assert entry["http_status"] == 200
    assert "stack_trace" not in entry


def test_every_citybrief_line_is_json_with_a_severity(gcp_server: FunctionServer) -> None:
    # GIVEN the server has answered some requests
    call(gcp_server, "GET", "/health")
    # WHEN its output is read
    lines = [line for line in gcp_server.output().splitlines() if '"logger"' in line]
    # THEN each of our lines parses and has a valid severity
    assert lines
    for line in lines:
        entry = json.loads(line)
        assert entry["severity"] in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        assert entry["logger"].startswith("citybrief")


def test_exceptions_are_logged_as_stack_trace() -> None:
    # GIVEN the adapter's logging, imported as the runtime imports it (own process: it
    #       turns off propagation on the "citybrief" logger)
    code = (
        "import logging, main\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('citybrief.wiki').exception('boom', extra={'request_id': 'r1'})\n"
    )
    # WHEN a child logger logs an exception
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=SOURCE_DIR, capture_output=True, text=True, check=True
    )
    # THEN stdout has one ERROR line whose traceback is in stack_trace, not in message
    (line,) = done.stdout.splitlines()
    entry = json.loads(line)
    assert entry["severity"] == "ERROR"
    assert entry["message"] == "boom"
    assert "ZeroDivisionError" in entry["stack_trace"]
    assert entry["logging.googleapis.com/labels"] == {"request_id": "r1"}
