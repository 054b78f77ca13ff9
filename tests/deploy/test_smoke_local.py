"""scripts/smoke.py against the GCP function served locally by functions-framework.

The smoke test is what a deploy pipeline trusts, so it is run as a pipeline runs it (a
subprocess, exit status and stderr) against the real server: once healthy, once with
Wikipedia failing, where it must fail loudly rather than pass.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.gcp.conftest import FunctionServer, start_function_server

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "scripts" / "smoke.py"


@pytest.fixture(scope="module")
def local_function(
    fake_wiki: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FunctionServer]:
    """The HTTP function over the fake wiki; retries off so a failing wiki fails fast."""
    env = {
        "CITYBRIEF_WIKI_API": fake_wiki.api_url,
        "CITYBRIEF_CACHE": "none",
        "CITYBRIEF_MAX_RETRIES": "0",
        "CITYBRIEF_DEADLINE": "5",
        "CITYBRIEF_CONTACT": "https://github.com/citybrief/citybrief/smoke-tests",
    }
    log_path = tmp_path_factory.mktemp("smoke") / "functions-framework.log"
    with start_function_server(env, log_path=log_path) as server:
        yield server


def run_smoke(base_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SMOKE), base_url, "--timeout", "20"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_smoke_passes_against_a_healthy_function(local_function: FunctionServer, wiki: Any) -> None:
    # GIVEN the function served locally over a working (fake) Wikipedia
    # WHEN the deploy smoke test runs against it
    done = run_smoke(local_function.url)
    # THEN it exits 0 and says what it checked
    assert done.returncode == 0, (
        f"stdout={done.stdout!r} stderr={done.stderr!r}\n{local_function.output()[-3000:]}"
    )
    assert done.stdout.startswith("OK ")
    assert "/health" in done.stdout


def test_smoke_fails_clearly_when_wikipedia_fails(
    local_function: FunctionServer, wiki: Any
) -> None:
    # GIVEN the function is up but every Wikipedia call answers 500
    wiki.fail("500")
    # WHEN the smoke test runs
    done = run_smoke(local_function.url)
    # THEN it exits 1, naming the brief check and the status it got (health still passes)
    assert done.returncode == 1, f"stdout={done.stdout!r} stderr={done.stderr!r}"
    assert "FAIL brief: expected HTTP 200, got 502" in done.stderr
    assert "health" not in done.stderr
