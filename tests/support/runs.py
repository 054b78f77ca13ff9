"""What the pytest-xdist workers of one test run share: a directory, and locks in it."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def run_dir(factory: pytest.TempPathFactory) -> Path:
    """This run's directory: the session's own, or the one its xdist workers share (pytest
    keeps the last few runs' and removes older ones)."""
    base = factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock on ``path`` (waiting for it) for the block."""
    with path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
