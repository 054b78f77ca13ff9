"""The packaged artifacts (``scripts/package.py``), built once per test run, early.

The build costs ~20 s, much of it pip waiting on the package index. So it starts in the
background as soon as a session that will need it begins, while other tests run, and one
build serves every pytest-xdist worker of the run: the first worker to get the lock starts
``package.py``, whose process keeps the lock until it ends; ``build`` waits on that lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.support.runs import locked, run_dir

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "scripts" / "package.py"
BUILD_TIMEOUT = 900  # seconds


@dataclass(frozen=True)
class Build:
    """The built dist/ directory, its sizes.json and how long the build took."""

    dist: Path
    sizes: dict[str, dict[str, Any]]
    seconds: float
    output: str


def skip_or_fail(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true requires it)")
    pytest.skip(f"!!! {reason}: this check did NOT run !!!")


def index_reachable() -> bool:
    """Can pip reach its index? (Assumed yes behind a proxy: pip will use it.)"""
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "PIP_NO_INDEX")):
        return True
    host = urlsplit(os.environ.get("PIP_INDEX_URL") or "https://pypi.org/simple").hostname
    try:
        socket.create_connection((host or "pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


def _start(run: Path) -> None:
    """Start package.py in the background unless this run's build is started or done."""
    with (run / "package.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # another worker's build holds it
        if (run / "package.rc").exists() or (run / "package.started").exists():
            return
        (run / "package.started").write_text(str(time.time()))
        limit = ["timeout", str(BUILD_TIMEOUT)] if shutil.which("timeout") else []
        command = [*limit, sys.executable, str(PACKAGE), "--dist", str(run / "dist")]
        # The child inherits the locked file, so the lock is held until the build ends.
        script = '"$@" >"$PACKAGE_OUT" 2>"$PACKAGE_ERR"; echo $? >"$PACKAGE_RC"'
        env = {
            **os.environ,
            "PACKAGE_OUT": str(run / "package.out"),
            "PACKAGE_ERR": str(run / "package.err"),
            "PACKAGE_RC": str(run / "package.rc"),
        }
        subprocess.Popen(
            ["sh", "-c", script, "sh", *command],
            cwd=ROOT,
            env=env,
            pass_fds=(lock.fileno(),),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def _wait(run: Path) -> Build:
    _start(run)  # if no early start happened (e.g. only an artifact test was selected)
    with locked(run / "package.lock"):  # free once package.py has ended
        pass
    started = float((run / "package.started").read_text())
    code = (run / "package.rc").read_text().strip()
    output = (run / "package.out").read_text(encoding="utf-8")
    errors = (run / "package.err").read_text(encoding="utf-8")
    assert code == "0", f"package.py failed ({code}):\n{output}\n{errors[-4000:]}"
    sizes = json.loads((run / "dist" / "sizes.json").read_text(encoding="utf-8"))
    seconds = (run / "package.rc").stat().st_mtime - started
    return Build(dist=run / "dist", sizes=sizes, seconds=seconds, output=output)


@pytest.fixture(scope="session", autouse=True)
def _build_early(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Start the build with the session when any selected test needs it."""
    items = request.session.items
    if any("build" in getattr(item, "fixturenames", ()) for item in items) and index_reachable():
        _start(run_dir(tmp_path_factory))
    yield


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """scripts/package.py's three artifacts, in a private dist/ of this run: not the
    repository's, so a concurrent `make package` (or a deploy reading dist/) must neither
    break this run nor be broken by it."""
    if not index_reachable():
        skip_or_fail("the package index is unreachable, so the artifacts cannot be built")
    return _wait(run_dir(tmp_path_factory))
