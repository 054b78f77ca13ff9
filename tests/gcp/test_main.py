"""The Cloud Functions adapter over real HTTP, served by functions-framework as deployed.

The contract suite (tests/contract, driver "gcp") checks every route against the core;
these tests cover what only this adapter decides: the ``gcloud functions call`` shape,
the request id taken from Cloud Trace headers, and Cloud Logging's JSON on stdout.
"""

from __future__ import annotations

import contextlib
import json
import re
import select
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import pytest

from tests.gcp.conftest import BODY_TIMEOUT, PROJECT, SOURCE_DIR, THREADS, FunctionServer

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


def test_a_client_cannot_pick_the_request_id_with_function_execution_id(
    gcp_server: FunctionServer,
) -> None:
    # GIVEN no trace header but a client-chosen Function-Execution-Id (functions-framework
    #       adopts whatever a client sends there)
    # WHEN it is answered
    answer = call(gcp_server, "GET", "/health", headers={"Function-Execution-Id": "exec-42"})
    # THEN the request id is one the core made, not the client's
    assert answer.headers["x-request-id"] != "exec-42"
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"])


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Cloud-Trace-Context": "not-a-trace/1;o=1"},
        {"X-Cloud-Trace-Context": "0" * 32 + "/1;o=1"},
        {"X-Cloud-Trace-Context": TRACE_ID + "/1;o=2"},
        {"traceparent": f"ff-{TRACE_ID}-00f067aa0ba902b7-01"},
        {"traceparent": f"00-{TRACE_ID}-0000000000000000-01"},
        {"traceparent": f"00-{TRACE_ID.upper()}-00f067aa0ba902b7-01"},
        {"traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01-extra"},
        {"traceparent": "00-forged id with spaces-01"},
    ],
    ids=lambda h: next(iter(h.values()))[:40],
)
def test_malformed_trace_headers_are_not_echoed(
    gcp_server: FunctionServer, headers: dict[str, str]
) -> None:
    # GIVEN a trace header that is not of its standard's syntax
    # WHEN the request is answered
    answer = call(gcp_server, "GET", "/health", headers=headers)
    # THEN the request id is a fresh one, nothing taken from the header
    assert answer.status == 200
    assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"])
    assert answer.headers["x-request-id"] != TRACE_ID


# -- the body is bounded before any work (raw sockets: no client library in between) ----


def raw_exchange(server: FunctionServer, head: bytes, timeout: float = 10.0) -> bytes:
    """Send ``head`` (request line, headers, maybe part of a body) and read the answer
    until the server closes or ``timeout`` passes, never sending anything more."""
    host, port = urllib.parse.urlsplit(server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head)
        received = b""
        try:
            while b"\r\n\r\n" not in received or not _complete(received):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        except TimeoutError:
            pass
        return received


def _complete(raw: bytes) -> bool:
    head, _, body = raw.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


def status_and_problem(raw: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 "), raw[:200]
    return int(head.split()[1]), json.loads(body)


def post_head(length: int | None, *, chunked: bool = False) -> bytes:
    lines = [b"POST /brief HTTP/1.1", b"Host: localhost", b"Content-Type: application/json"]
    if length is not None:
        lines.append(b"Content-Length: %d" % length)
    if chunked:
        lines.append(b"Transfer-Encoding: chunked")
    return b"\r\n".join(lines) + b"\r\n\r\n"


def test_a_huge_declared_body_is_refused_without_being_read(gcp_server: FunctionServer) -> None:
    # GIVEN a client declaring a 300 MB body and sending none of it
    started = time.monotonic()
    # WHEN only the headers reach the function
    raw = raw_exchange(gcp_server, post_head(300_000_000))
    # THEN 413 comes back at once: nothing waited for (or read) the body
    status, problem = status_and_problem(raw)
    assert status == 413
    assert problem["type"].endswith("/payload-too-large")
    assert problem["request_id"]
    assert time.monotonic() - started < BODY_TIMEOUT


def test_stalled_huge_bodies_do_not_hold_the_threads(gcp_server: FunctionServer) -> None:
    # GIVEN more connections than the server has threads, each declaring a huge body
    #       and sending nothing more
    host, port = urllib.parse.urlsplit(gcp_server.url).netloc.split(":")
    stalled = []
    try:
        for _ in range(THREADS * 3):
            sock = socket.create_connection((host, int(port)), timeout=10)
            sock.sendall(post_head(999_999_999))
            stalled.append(sock)
        # WHEN each is answered and /health is asked for while they stay open
        for sock in stalled:
            assert sock.recv(64).startswith(b"HTTP/1.1 413")
        started = time.monotonic()
        answer = call(gcp_server, "GET", "/health")
        # THEN /health answers without waiting for any of them
        assert answer.status == 200
        assert time.monotonic() - started < BODY_TIMEOUT
    finally:
        for sock in stalled:
            sock.close()


def test_a_chunked_body_over_the_limit_is_refused(gcp_server: FunctionServer) -> None:
    # GIVEN a chunked body (no declared length) of 64 KiB
    chunk = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"
    # WHEN it is sent whole
    raw = raw_exchange(gcp_server, post_head(None, chunked=True) + chunk * 4 + b"0\r\n\r\n")
    # THEN the function stopped reading past the limit and answered 413
    status, problem = status_and_problem(raw)
    assert status == 413
    assert problem["type"].endswith("/payload-too-large")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_stalled_body_is_cut_off_with_408(gcp_server: FunctionServer, chunked: bool) -> None:
    # GIVEN a small body of which only the first bytes arrive
    partial = b'{"city"' if not chunked else b'7\r\n{"city"\r\n'
    head = post_head(None if chunked else 100, chunked=chunked)
    started = time.monotonic()
    # WHEN the client then sends nothing more
    raw = raw_exchange(gcp_server, head + partial, timeout=BODY_TIMEOUT * 10)
    # THEN after CITYBRIEF_BODY_TIMEOUT the function answers 408 with a request id
    waited = time.monotonic() - started
    status, problem = status_and_problem(raw)
    assert status == 408, problem
    assert problem["type"].endswith("/request-timeout")
    assert problem["request_id"]
    assert BODY_TIMEOUT <= waited < BODY_TIMEOUT * 5


def test_a_trickling_body_is_cut_off_at_the_deadline(gcp_server: FunctionServer) -> None:
    # GIVEN a client that keeps sending one byte at a time, never idle for long
    host, port = urllib.parse.urlsplit(gcp_server.url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=BODY_TIMEOUT * 10) as sock:
        sock.sendall(post_head(1000))
        started = time.monotonic()
        received = b""
        # WHEN it trickles for longer than the body timeout (a byte, then a short wait
        #      for the answer)
        while time.monotonic() - started < BODY_TIMEOUT * 5 and not received:
            with contextlib.suppress(OSError):
                sock.send(b" ")
            readable, _, _ = select.select([sock], [], [], BODY_TIMEOUT / 10)
            if readable:
                received = sock.recv(65536)
        # THEN the whole body, not each read, was bounded: 408 near the deadline
        assert received.startswith(b"HTTP/1.1 408"), received[:200]
        assert time.monotonic() - started < BODY_TIMEOUT * 3


def test_head_answers_like_get_without_a_body(gcp_server: FunctionServer) -> None:
    # GIVEN HEAD /health over a raw socket (so no client library hides a body)
    raw = raw_exchange(gcp_server, b"HEAD /health HTTP/1.1\r\nHost: localhost\r\n\r\n", 2)
    # WHEN it is answered  THEN 200 with GET's Content-Type and nothing after the headers
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b"Content-Type: application/json; charset=utf-8" in head
    assert body == b""


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
