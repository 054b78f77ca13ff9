"""The reference: the core router called directly, as every adapter does inside."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from citybrief.http import App, Request
from citybrief.service import BriefService
from citybrief.settings import Settings
from tests.contract.cases import Call, Reply


def core_app(env: dict[str, str], platform: str = "local") -> App:
    settings = Settings.from_env(env, platform=platform)
    return App(lambda: BriefService(settings), settings)


def send_to(app: App, call: Call) -> Reply:
    response = app.handle(
        Request(call.method, call.path, call.decoded_query(), dict(call.headers), call.body)
    )
    headers = {name.lower(): value for name, value in response.headers.items()}
    return Reply(response.status, headers, response.body)


@contextmanager
def core_driver(env: dict[str, str]) -> Iterator[object]:
    app = core_app(env)
    yield lambda call: send_to(app, call)


DRIVERS = {"core": ("local", core_driver)}
