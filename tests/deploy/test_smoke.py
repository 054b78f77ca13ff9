"""scripts/smoke.py against a stdlib HTTP stub: success and each failure path."""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any

import pytest

from .conftest import ROOT

GOOD_BRIEF = {
    "title": "Chicago",
    "summary": ["Chicago is a city on Lake Michigan."],
    "schema_version": "1.0",
}


def load_smoke() -> ModuleType:
    name = "citybrief_scripts_smoke"
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "smoke.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


smoke = load_smoke()


class Stub:
    """What the stub server answers, and what it saw."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.set("/health", 200, {"status": "ok"})
        self.set("/brief", 200, GOOD_BRIEF)

    def set(self, path: str, status: int, body: Any, ctype: str = "application/json") -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.routes[path] = (status, ctype, raw)


@pytest.fixture
def server() -> Iterator[tuple[str, Stub]]:
    stub = Stub()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            stub.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            status, ctype, body = stub.routes.get(path, (404, "text/plain", b"nope"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", stub
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_success(server: tuple[str, Stub], capsys: pytest.CaptureFixture[str]) -> None:
    base, stub = server
    assert smoke.main([base + "/", "--timeout", "5"]) == 0
    assert "OK" in capsys.readouterr().out
    assert [path for path, _ in stub.requests] == ["/health", "/brief?city=Chicago"]


def test_headers(server: tuple[str, Stub]) -> None:
    base, stub = server
    assert smoke.main([base, "--key", "k3y", "--bearer", "t0ken"]) == 0
    for _, headers in stub.requests:
        assert headers["x-functions-key"] == "k3y"
        assert headers["authorization"] == "Bearer t0ken"


def test_other_city(server: tuple[str, Stub]) -> None:
    base, stub = server
    stub.set("/brief", 200, {**GOOD_BRIEF, "title": "São Paulo"})
    assert smoke.main([base, "--city", "São Paulo"]) == 0
    assert stub.requests[-1][0] == "/brief?city=S%C3%A3o+Paulo"


@pytest.mark.parametrize(
    ("path", "status", "body", "ctype", "reason"),
    [
        (
            "/health",
            500,
            {"status": "error"},
            "application/json",
            "health: expected HTTP 200, got 500",
        ),
        ("/health", 200, {"status": "degraded"}, "application/json", "expected status 'ok'"),
        ("/health", 200, b"<html>", "text/html", "health: body is not a JSON object"),
        (
            "/brief",
            200,
            {**GOOD_BRIEF, "title": "Chicago, IL"},
            "application/json",
            "expected title",
        ),
        ("/brief", 200, {**GOOD_BRIEF, "summary": []}, "application/json", "summary is missing"),
        (
            "/brief",
            200,
            {**GOOD_BRIEF, "summary": "Chicago is a city."},  # a string is not the contract
            "application/json",
            "summary is missing",
        ),
        (
            "/brief",
            200,
            {**GOOD_BRIEF, "summary": ["  "]},
            "application/json",
            "summary is missing",
        ),
        ("/brief", 200, {"title": "Chicago", "summary": "x"}, "application/json", "schema_version"),
        ("/brief", 200, GOOD_BRIEF, "text/plain", "expected application/json"),
        (
            "/brief",
            404,
            {"error": "not found"},
            "application/json",
            "brief: expected HTTP 200, got 404",
        ),
    ],
)
def test_failures(
    server: tuple[str, Stub],
    capsys: pytest.CaptureFixture[str],
    path: str,
    status: int,
    body: Any,
    ctype: str,
    reason: str,
) -> None:
    base, stub = server
    stub.set(path, status, body, ctype)
    assert smoke.main([base]) == 1
    err = capsys.readouterr().err
    assert reason in err
    assert all(line.startswith("FAIL ") for line in err.splitlines())


def test_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke.main(["http://127.0.0.1:9", "--timeout", "2"]) == 1
    err = capsys.readouterr().err
    assert "health: request failed" in err
    assert "brief: request failed" in err


def test_bad_url() -> None:
    with pytest.raises(SystemExit) as exc:
        smoke.main(["ftp://example.com"])
    assert exc.value.code == 2
