"""The real functions-framework server as a subprocess, as ``make run`` and Cloud Run start it.

``start_function_server`` is a context manager so any test (the HTTP function here, the
contract driver, the deploy smoke test, a later CloudEvent function) runs the deployed
code path: gunicorn, functions-framework's routing and middleware, our module import.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIR = ROOT / "gcp_functions"
FUNCTIONS_FRAMEWORK = Path(sys.executable).with_name("functions-framework")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


@dataclass
class FunctionServer:
    """A running server: its base URL and the file holding its stdout and stderr."""

    url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_entries(self) -> list[dict[str, Any]]:
        """Every stdout line that is a JSON object (the structured log lines)."""
        entries = []
        for line in self.output().splitlines():
            if line.startswith("{"):
                try:
                    entries.append(json.loads(line))
                except ValueError:
                    continue
        return entries


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(server: FunctionServer, ready_path: str | None) -> None:
    """Poll until the server answers (any HTTP status counts for ``ready_path=None``)."""
    deadline = time.monotonic() + START_TIMEOUT
    url = server.url + (ready_path or "/")
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"function server exited early:\n{server.output()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except urllib.error.HTTPError:
            if ready_path is None:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"function server not ready after {START_TIMEOUT}s:\n{server.output()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the one process we started: SIGINT is gunicorn's quick shutdown (its master
    stops its workers at once; SIGTERM's graceful one waits on idle keep-alive sockets)."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


@contextmanager
def start_function_server(
    env: dict[str, str],
    target: str = "citybrief_http",
    signature_type: str = "http",
    *,
    log_path: Path | None = None,
    ready_path: str | None = "/health",
) -> Iterator[FunctionServer]:
    """Run ``functions-framework --target TARGET`` from gcp_functions/ on a free port.

    ``env`` is added to this process's environment. Readiness is ``ready_path`` answering
    200; pass ``None`` for functions without a GET route (CloudEvent functions), then
    any HTTP answer counts. Output goes to ``log_path`` and is printed if start fails.
    """
    port = free_port()
    if log_path is None:
        log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"citybrief-ff-{port}.log"
    full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    command = [
        str(FUNCTIONS_FRAMEWORK),
        "--target",
        target,
        "--signature-type",
        signature_type,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=SOURCE_DIR, env=full_env, stdout=log_file, stderr=subprocess.STDOUT
        )
    server = FunctionServer(f"http://127.0.0.1:{port}", log_path, process)
    try:
        _wait_ready(server, ready_path)
        yield server
    except BaseException:
        print(f"--- functions-framework output ({log_path}) ---\n{server.output()}")
        raise
    finally:
        _stop(process)


PROJECT = "citybrief-test"
BODY_TIMEOUT = 1.0
THREADS = 4


@pytest.fixture(scope="session")
def gcp_server(
    fake_wiki: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FunctionServer]:
    """The HTTP function over the fake wiki, with a project id so logs carry traces."""
    # Imported here: tests.contract.conftest imports the drivers, which import this module.
    from tests.contract.conftest import contract_env

    env = {
        **contract_env(fake_wiki.api_url),
        "GOOGLE_CLOUD_PROJECT": PROJECT,
        # Short, so the slow-body tests wait one second, not the default ten.
        "CITYBRIEF_BODY_TIMEOUT": str(BODY_TIMEOUT),
        # Fewer threads than the tests' stalled clients, so one held thread shows.
        "THREADS": str(THREADS),
    }
    log_path = tmp_path_factory.mktemp("gcp") / "functions-framework.log"
    with start_function_server(env, log_path=log_path) as server:
        yield server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failure, show the server's recent output beside the assertion."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    server = getattr(item, "funcargs", {}).get("gcp_server")
    if report.when == "call" and report.failed and isinstance(server, FunctionServer):
        report.sections.append(("functions-framework output", server.output()[-5000:]))
