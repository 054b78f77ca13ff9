"""Drivers: one per platform, each sending a ``Call`` the way that platform would.

A driver module is ``tests/support/drivers/<name>.py`` exposing ``DRIVERS``: a dict of
platform label -> ``(platform, factory)``, where ``platform`` is what ``/health`` must
report and ``factory(env)`` is a context manager yielding ``send(call) -> Reply``.
``env`` holds the ``CITYBRIEF_*`` settings every platform gets for the contract run.
Modules are discovered, so adding a platform never edits this file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.contract.cases import ORIGIN, Call, Reply

DRIVER_DIR = Path(__file__).resolve().parents[1] / "support" / "drivers"
Send = Callable[[Call], Reply]
Factory = Callable[[dict[str, str]], AbstractContextManager[Send]]


def _discover() -> dict[str, tuple[str, Factory]]:
    drivers: dict[str, tuple[str, Factory]] = {}
    for path in sorted(DRIVER_DIR.glob("*.py")):
        if path.stem != "__init__":
            module = importlib.import_module(f"tests.support.drivers.{path.stem}")
            drivers.update(module.DRIVERS)
    if not drivers:
        raise RuntimeError(f"no platform driver found in {DRIVER_DIR}")
    return drivers


DRIVERS = _discover()


def contract_env(api_url: str) -> dict[str, str]:
    """Settings for every platform: the fake Wikipedia, short deadlines, and a memory cache:
    a repeated city costs a lookup (the adapters translate the same answer either way;
    upstream failures are never cached, so the fault cases always reach the fake server)."""
    return {
        "CITYBRIEF_WIKI_API": api_url,
        "CITYBRIEF_CACHE": "memory",
        "CITYBRIEF_CONNECT_TIMEOUT": "1",
        "CITYBRIEF_READ_TIMEOUT": "0.75",  # the hang case waits this long per platform
        "CITYBRIEF_DEADLINE": "3",
        "CITYBRIEF_MAX_RETRIES": "1",
        "CITYBRIEF_CORS_ORIGINS": ORIGIN,
        "CITYBRIEF_CONTACT": "https://github.com/citybrief/citybrief/contract-tests",
    }


@pytest.fixture(scope="session")
def env(fake_wiki: Any) -> dict[str, str]:
    return contract_env(fake_wiki.api_url)


@pytest.fixture(scope="session", params=sorted(DRIVERS))
def platform_driver(
    request: pytest.FixtureRequest, env: dict[str, str]
) -> Iterator[tuple[str, Send]]:
    """(platform, send) for each driver label, started once per session."""
    platform, factory = DRIVERS[request.param]
    with factory(env) as send:
        yield platform, send
