"""Fixtures shared by every test: the fake MediaWiki server and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from citybrief.settings import Settings
from tests.support.fakewiki import FakeWiki, serve
from tests.support.reference import require

# Emulator fixtures (moto, gcloud emulators, Azurite) and their log-reporting hooks; the
# packaged artifacts, built once per run in the background.
pytest_plugins = ["tests.support.emulators", "tests.support.artifacts"]


@pytest.fixture(scope="session")
def fake_wiki() -> Iterator[FakeWiki]:
    """One fake wiki for the whole session; starting it loads ~1.5 MB of extracts."""
    require()
    server = serve()
    yield server
    server.stop()


@pytest.fixture
def wiki(fake_wiki: FakeWiki) -> Iterator[FakeWiki]:
    """The fake wiki with a clean counter, log, latency and fault queue."""
    fake_wiki.reset()
    yield fake_wiki
    fake_wiki.reset()


@pytest.fixture
def settings(wiki: FakeWiki) -> Settings:
    """Settings aimed at the fake wiki, with timeouts short enough for fault tests."""
    return Settings(
        wiki_api=wiki.api_url,
        connect_timeout=1.0,
        read_timeout=2.0,
        deadline=5.0,
        cache="none",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Captured output as UTF-8 that pytest-xdist can send: hostile-input tests put lone
    surrogates ("\\ud800") into log records, which only the test's own capture keeps raw
    (the product's JSON logs escape them)."""
    report: pytest.TestReport = yield
    report.sections = [
        (title, content.encode("utf-8", "backslashreplace").decode("utf-8"))
        for title, content in report.sections
    ]
    return report
