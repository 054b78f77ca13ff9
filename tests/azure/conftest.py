"""Fixtures for the Azure adapter: a freshly imported ``function_app`` and a caller.

The module is imported anew per test (as the worker does per process), so a test can
set ``CITYBRIEF_*`` first and ``get_functions()`` indexes each app exactly once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import ModuleType

import azure.functions as func
import pytest

from citybrief.settings import Settings
from tests.support.drivers.azure import (
    InvocationContext,
    http_functions,
    http_request,
    load_function_app,
)

Invoke = Callable[..., tuple[func.HttpResponse, InvocationContext]]


@pytest.fixture
def function_app(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``function_app.py`` imported with no auth-level override in the environment."""
    monkeypatch.delenv("CITYBRIEF_AUTH_LEVEL", raising=False)
    return load_function_app()


@pytest.fixture
def functions(function_app: ModuleType, settings: Settings) -> dict[str, func.Function]:
    """The HTTP functions of an app ``create_app`` aims at the fake wiki, as the worker
    reports them to the host, by name."""
    app = function_app.create_app(dataclasses.replace(settings, platform="azure"))
    indexed = http_functions(app.get_functions())
    return {f.get_function_name() or "": f for f in indexed}


@pytest.fixture
def invoke(functions: dict[str, func.Function]) -> Invoke:
    """Call a function's user code with the ``func.HttpRequest`` the worker decodes
    (from the recorded ``tests/events/azure/http_get.json``) and a context."""

    def call(
        name: str,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        route_params: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> tuple[func.HttpResponse, InvocationContext]:
        request = http_request(
            method, url, headers=headers, params=params, route_params=route_params, body=body
        )
        context = InvocationContext(name)
        return functions[name].get_user_function()(request, context), context

    return call
