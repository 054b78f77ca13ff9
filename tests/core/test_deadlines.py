"""One budget per request: a comparison answers, or says 504, within ``Settings.deadline``.

Without it every city had a deadline of its own, so ten cities fetched two at a time could
take five deadlines: past Lambda's and API Gateway's 30 s, where the caller gets the
platform's error instead of our problem document.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

import pytest

from citybrief.deadline import request_budget
from citybrief.errors import UpstreamTimeout
from citybrief.http import App, Request
from citybrief.service import BriefService
from citybrief.settings import Settings
from citybrief.wiki import Fetched, WikiClient
from tests.support.fakewiki import FakeWiki

TEN = [
    "Atlanta",
    "Berlin",
    "Boston",
    "Cairo",
    "Chicago",
    "Lisbon",
    "London",
    "Paris",
    "Tokyo",
    "Toronto",
]
LATENCY_MS = 300  # per round trip: ten cities two at a time take 5 x 0.3 = 1.5 s
DEADLINE = 1.0  # longer than any one city needs, shorter than all ten
BOUND = DEADLINE + 0.8  # the answer's latest time: the deadline plus the slack of a busy CI


@pytest.fixture
def short(settings: Settings) -> Settings:
    """A 1 s deadline and a read timeout far longer, so only the deadline can end a wait."""
    return dataclasses.replace(settings, read_timeout=10.0, deadline=DEADLINE)


def warm(app: App) -> App:
    """``app`` after one brief, so a test's clock runs over requests, not first imports."""
    assert app.handle(Request("GET", "/brief", {"city": "Munich"})).status == 200
    return app


@pytest.fixture
def app(short: Settings) -> Iterator[App]:
    service = BriefService(short)
    yield warm(App(lambda: service, short))
    assert isinstance(service.source, WikiClient)
    service.source.close()


def _compare(app: App, cities: list[str]) -> tuple[int, dict[str, object], float]:
    started = time.monotonic()
    response = app.handle(Request("GET", "/compare", {"cities": ",".join(cities)}))
    return response.status, response.json(), time.monotonic() - started


def test_ten_slow_cities_share_one_deadline(app: App, wiki: FakeWiki) -> None:
    """GIVEN a Wikipedia 0.3 s away (each city well within the 1 s deadline, all ten not)
    WHEN ten cities are compared through the router THEN a 504 upstream-timeout problem
    arrives at the deadline, instead of an answer (or nothing) after 1.5 s."""
    wiki.latency_ms = LATENCY_MS

    status, problem, elapsed = _compare(app, TEN)

    assert status == 504, problem
    assert problem["type"] == "https://citybrief.dev/problems/upstream-timeout"
    assert elapsed < BOUND
    assert wiki.requests < 2 * len(TEN)  # the cities left at the deadline were never asked


def test_a_hang_after_slow_cities_ends_at_the_request_deadline(app: App, wiki: FakeWiki) -> None:
    """GIVEN slow answers, and a hang for the last city WHEN ten cities are compared THEN
    the hang is cut at what is left of the request's budget, not after a deadline of its own."""
    wiki.latency_ms = LATENCY_MS
    wiki.fail("hang", only={"titles": TEN[-1]})

    status, problem, elapsed = _compare(app, TEN)

    assert status == 504, problem
    assert problem["type"] == "https://citybrief.dev/problems/upstream-timeout"
    assert elapsed < BOUND


def test_a_comparison_within_the_deadline_is_answered(app: App, wiki: FakeWiki) -> None:
    """GIVEN the same slow Wikipedia WHEN two cities (one round trip) are compared THEN the
    shared budget is enough: the comparison is whole."""
    wiki.latency_ms = LATENCY_MS

    status, document, _ = _compare(app, TEN[:2])

    assert status == 200, document
    assert len(document["legs"]) == 1  # type: ignore[arg-type]


class _Advancing:
    """An article source whose every fetch takes ``step`` seconds of an injected clock."""

    def __init__(self, client: WikiClient, now: list[float], step: float) -> None:
        self.client, self.now, self.step = client, now, step

    def fetch(self, query: str, lang: str = "en") -> Fetched:
        fetched = self.client.fetch(query, lang)
        self.now[0] += self.step
        return fetched


def test_the_cities_of_a_comparison_spend_one_budget(short: Settings, wiki: FakeWiki) -> None:
    """GIVEN a 10 s request budget on an injected clock, and fetches that take 6 s of it
    WHEN four cities are compared THEN the cities fetched after the budget is spent fail
    at once, unasked: no city gets a fresh deadline of its own."""
    now = [0.0]
    with WikiClient(short) as client:
        service = BriefService(short, source=_Advancing(client, now, step=6.0))
        with request_budget(10.0, clock=lambda: now[0]), pytest.raises(UpstreamTimeout):
            service.compare(TEN[:4])

    asked = {entry.params.get("titles") for entry in wiki.log} - {None}
    assert len(asked) < 4
