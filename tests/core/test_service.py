"""BriefService end to end against the fake wiki: what a brief costs, what the cache saves,
what the documents contain, and that a broken cache or a failing city is handled.

Each test reads GIVEN (service, cache, server state) / WHEN (call) / THEN (document,
server request counter, ``current_stats()``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from citybrief.cache import Cache, MemoryCache, SafeCache, Value, open_cache
from citybrief.errors import Ambiguous, CitybriefError, NotFound
from citybrief.http import App, Request
from citybrief.openapi import openapi_document
from citybrief.service import BriefService, current_stats
from citybrief.settings import Settings
from citybrief.snapshot import record
from citybrief.wiki import WikiClient
from tests.support.fakewiki import FakeWiki

MODES = {"air", "sea", "rail", "road", "transit"}


def assert_valid(document: dict[str, Any], schema: str) -> None:
    """Validate against a component of the OpenAPI document, resolving its $refs."""
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", "components": openapi_document()["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors, errors


class BrokenCache:
    """A backend that fails every call, as a locked or unreachable store would."""

    def get(self, key: str) -> Value | None:
        raise OSError("disk on fire")

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        raise OSError("disk on fire")


def test_cold_brief_costs_two_requests(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN no cache WHEN Chicago is briefed THEN one query and one parse reach the wiki."""
    brief = BriefService(settings).brief("Chicago")

    stats = current_stats()
    assert brief["title"] == "Chicago"
    assert wiki.requests == 2
    assert (stats.upstream_requests, stats.cache_misses, stats.cache_hits) == (2, 1, 0)
    assert stats.titles == ["Chicago"]


def test_warm_brief_costs_nothing(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN a memory cache that saw Chicago WHEN it is briefed again THEN no request is
    made, the stats say hit, and the document is the same."""
    service = BriefService(settings, cache=MemoryCache(ttl=600))
    first = service.brief("Chicago")
    wiki.reset()

    second = service.brief("Chicago")

    stats = current_stats()
    assert wiki.requests == 0
    assert (stats.upstream_requests, stats.cache_hits, stats.cache_misses) == (0, 1, 0)
    assert second == first


def test_a_resolution_is_remembered_once(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN "chicago il" resolved once (through search) WHEN asked again in a spelling
    MediaWiki looks up as the same title (first letter, spaces, underscores) THEN the
    cached resolution answers: no second search, no request at all, still "search"."""
    service = BriefService(settings, cache=MemoryCache(ttl=600))
    first = service.brief("chicago il")
    searches = [r for r in wiki.log if r.params.get("list") == "search"]
    wiki.reset()

    again = service.brief("  Chicago_  il ")

    assert first["title"] == again["title"] == "Chicago"
    assert first["resolved_via"] == again["resolved_via"] == "search"
    assert len(searches) == 1
    assert wiki.requests == 0
    assert current_stats().cache_hits == 1
    assert again["query"] == "  Chicago_  il "


@pytest.mark.parametrize(
    ("first", "then", "vias"),
    [
        ("Windy City", "Chicago", ("redirect", "exact")),
        ("Windy City", "chicago", ("redirect", "normalized")),
        ("chicago", "Chicago", ("normalized", "exact")),
        ("Chicago", "chicago", ("exact", "normalized")),
        ("Chicago", "Windy_City", ("exact", "redirect")),
    ],
)
def test_resolved_via_belongs_to_the_query_not_the_cached_article(
    first: str, then: str, vias: tuple[str, str], settings: Settings, wiki: FakeWiki
) -> None:
    """GIVEN Chicago briefed through two spellings WHEN both are asked again THEN both
    come from the cache (no request), and each brief says how *its* query reaches the
    article, exactly as Wikipedia says, not how the cached article was last reached."""
    service = BriefService(settings, cache=MemoryCache(ttl=600))
    service.brief(first)
    service.brief(then)
    wiki.reset()

    again = [service.brief(first), service.brief(then)]

    assert wiki.requests == 0
    assert [brief["query"] for brief in again] == [first, then]
    assert {brief["title"] for brief in again} == {"Chicago"}
    assert tuple(brief["resolved_via"] for brief in again) == vias
    with WikiClient(settings) as client:
        assert vias == tuple(client.fetch(q).article.resolved_via for q in (first, then))


class Clock:
    """A settable monotonic clock, so TTL tests need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("city", "error", "cost"),
    [
        ("Qzxqzx Nowhere", NotFound, 3),  # missing title + wasted parse, then an empty search
        ("Springfield", Ambiguous, 3),  # disambiguation + wasted parse, then its links
    ],
)
def test_not_found_and_ambiguous_are_remembered_briefly(
    city: str, error: type[CitybriefError], cost: int, settings: Settings, wiki: FakeWiki
) -> None:
    """GIVEN a name Wikipedia has no single article for, asked once WHEN asked again
    within negative_cache_ttl THEN the same answer comes from the cache at no request;
    once that TTL has passed, Wikipedia is asked again (a page may have been created)."""
    clock = Clock()
    service = BriefService(settings, cache=MemoryCache(ttl=86400, clock=clock))
    with pytest.raises(error) as first:
        service.brief(city)
    assert wiki.requests == current_stats().upstream_requests == cost
    wiki.reset()

    clock.now += settings.negative_cache_ttl - 1
    with pytest.raises(error) as again:
        service.brief(city)

    assert again.value.problem() == first.value.problem()
    assert wiki.requests == current_stats().upstream_requests == 0
    assert current_stats().cache_hits == 1

    clock.now += 1
    with pytest.raises(error):
        service.brief(city)
    assert wiki.requests == cost


def test_a_list_of_places_is_ambiguous_through_the_api(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN "Victoria", a "may refer to:" list of places without the disambiguation flag
    (it even has coordinates) WHEN briefed through the core router THEN the answer is 409
    ``ambiguous`` with the linked places as candidates, not a brief of an empty summary."""
    app = App(lambda: BriefService(settings), settings)

    response = app.handle(Request("GET", "/brief", {"city": "Victoria"}))

    problem = response.json()
    assert response.status == 409
    assert response.headers["Content-Type"] == "application/problem+json"
    assert problem["type"] == "https://citybrief.dev/problems/ambiguous"
    assert problem["candidates"][:4] == [
        "Lake Victoria",
        "Victoria (state)",
        "Victoria, British Columbia",
        "Victoria, Seychelles",
    ]
    assert "Queen Victoria" in problem["candidates"]
    assert wiki.requests == 3


def test_negative_cache_ttl_is_a_setting() -> None:
    assert Settings().negative_cache_ttl == 300
    env = {"CITYBRIEF_NEGATIVE_CACHE_TTL": "60"}
    assert Settings.from_env(env).negative_cache_ttl == 60
    with pytest.raises(ValueError, match="CITYBRIEF_NEGATIVE_CACHE_TTL must be positive"):
        Settings.from_env({"CITYBRIEF_NEGATIVE_CACHE_TTL": "0"})


def test_a_snapshot_miss_is_not_remembered(
    settings: Settings, wiki: FakeWiki, tmp_path: Path
) -> None:
    """GIVEN a snapshot without Boston, asked for it (free: no request) WHEN Boston is then
    recorded THEN the next brief finds it: only answers that cost requests are cached."""
    service = BriefService(
        dataclasses.replace(settings, snapshot_dir=str(tmp_path)), cache=MemoryCache(ttl=600)
    )
    with pytest.raises(NotFound):
        service.brief("Boston")

    with WikiClient(settings) as client:
        record(client.fetch("Boston").article, tmp_path)

    assert service.brief("Boston")["title"] == "Boston"


def test_other_sentence_count_reuses_the_article(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN a cached 5-sentence brief WHEN 2 sentences are asked THEN the article comes
    from the cache (0 requests) but the analysis is computed anew."""
    service = BriefService(settings, cache=MemoryCache(ttl=600))
    five = service.brief("Chicago", sentences=5)
    wiki.reset()

    two = service.brief("Chicago", sentences=2)

    assert wiki.requests == 0
    assert current_stats().cache_hits == 1
    assert (len(five["summary"]), len(two["summary"])) == (5, 2)
    assert set(two["summary"]) < set(five["summary"])


@pytest.mark.parametrize("kind", ["raising backend", "corrupt sqlite file"])
def test_broken_cache_never_breaks_a_brief(
    kind: str,
    settings: Settings,
    wiki: FakeWiki,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """GIVEN a cache that fails every call WHEN briefing THEN the brief is complete, fetched
    from the wiki, and each failure is a logged warning."""
    cache: Cache
    if kind == "raising backend":
        cache = SafeCache(BrokenCache(), "broken://")
    else:
        path = tmp_path / "cache.sqlite3"
        path.write_bytes(b"not a database\n" * 100)
        cache = open_cache(f"sqlite:///{path}", 600)

    with caplog.at_level(logging.WARNING, logger="citybrief.cache"):
        brief = BriefService(settings, cache=cache).brief("Chicago")

    assert brief["title"] == "Chicago"
    assert wiki.requests == 2
    assert_valid(brief, "Brief")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings
    assert all("cache" in r.getMessage() and "failed" in r.getMessage() for r in warnings)


def test_brief_document_has_every_public_key(settings: Settings) -> None:
    """GIVEN Chicago WHEN briefed THEN every documented key is there, valid per OpenAPI."""
    brief = BriefService(settings).brief("Chicago")

    assert_valid(brief, "Brief")
    assert {
        "schema_version",
        "query",
        "title",
        "url",
        "lang",
        "revision",
        "retrieved_at",
        "summary",
        "logistics",
        "facts",
        "sentiment",
        "key_phrases",
        "source",
    } <= brief.keys()
    assert brief["schema_version"] == "1.1"
    assert (brief["query"], brief["lang"]) == ("Chicago", "en")
    assert brief["url"] == "https://en.wikipedia.org/wiki/Chicago"
    assert isinstance(brief["revision"], int)
    assert len(brief["summary"]) == 5
    assert set(brief["logistics"]) == MODES
    assert {"coordinates", "population", "timezone", "airports"} <= brief["facts"].keys()
    assert brief["facts"]["coordinates"]["lat"] == pytest.approx(41.85, abs=0.1)
    assert {"polarity", "subjectivity", "label", "sections"} <= brief["sentiment"].keys()
    assert brief["key_phrases"]
    assert brief["source"]["license"] == "CC BY-SA 4.0"
    assert '"Chicago"' in brief["source"]["attribution"]


@pytest.mark.parametrize("cities", [["Chicago", "Boston"], ["Paris", "Berlin", "Tokyo"]])
def test_compare_gives_every_leg_and_a_ranking(
    cities: list[str], settings: Settings, wiki: FakeWiki
) -> None:
    """GIVEN 2-3 cities WHEN compared THEN each pair is one leg, all are ranked, and it cost
    two requests per city."""
    comparison = BriefService(settings).compare(cities)

    n = len(cities)
    assert len(comparison["legs"]) == n * (n - 1) // 2
    assert (comparison["legs"][0]["from"], comparison["legs"][0]["to"]) == tuple(cities[:2])
    assert all(leg["distance_km"] > 0 for leg in comparison["legs"])
    assert sorted(comparison["ranking"]) == sorted(cities)
    assert wiki.requests == current_stats().upstream_requests == 2 * n
    assert all(url in comparison["source"]["attribution"] for url in _urls(comparison))


def test_comparison_matches_the_openapi_schema(settings: Settings) -> None:
    comparison = BriefService(settings).compare(["Paris", "Tokyo"])
    assert [city["timezone"] for city in comparison["cities"]] == ["Europe/Paris", "Asia/Tokyo"]
    assert_valid(comparison, "Comparison")


def _urls(comparison: dict[str, Any]) -> list[str]:
    return [city["url"] for city in comparison["cities"]]


def test_compare_names_the_failing_city(settings: Settings) -> None:
    """GIVEN one unknown city among known ones WHEN compared THEN the error names it."""
    with pytest.raises(NotFound) as caught:
        BriefService(settings).compare(["Chicago", "Qzxqzx Nowhere"])

    assert caught.value.detail.startswith("Qzxqzx Nowhere: ")


def test_snapshot_answers_offline(settings: Settings, wiki: FakeWiki, tmp_path: Path) -> None:
    """GIVEN Chicago recorded into a snapshot WHEN the service uses settings.snapshot_dir
    THEN briefs come from it with zero requests, and unrecorded cities are NotFound."""
    with WikiClient(settings) as client:
        record(client.fetch("Chicago").article, tmp_path)
    wiki.reset()
    service = BriefService(dataclasses.replace(settings, snapshot_dir=str(tmp_path)))

    brief = service.brief("chicago")

    assert brief["title"] == "Chicago"
    assert_valid(brief, "Brief")
    assert wiki.requests == 0
    assert current_stats().upstream_requests == 0
    with pytest.raises(NotFound):
        service.brief("Boston")


def test_a_cold_brief_prepares_the_analysis_while_wikipedia_answers() -> None:
    # GIVEN a fresh interpreter and a Wikipedia that takes its time to answer
    code = """
import sys, threading, time
from citybrief.errors import NotFound
from citybrief.service import BriefService
from citybrief.settings import Settings

class SlowWikipedia:
    def fetch(self, query, lang):
        ends = time.monotonic() + 5
        while time.monotonic() < ends:
            busy = any(t.name == "citybrief-prepare" for t in threading.enumerate())
            if not busy and "tzfpy" in sys.modules and "citybrief.analysis" in sys.modules:
                print("prepared while fetching")
                break
            time.sleep(0.01)
        raise NotFound("no such city")

service = BriefService(Settings(cache="none"), source=SlowWikipedia())
try:
    service.brief("Exampleton")
except NotFound:
    pass
"""
    # WHEN a first brief waits for its article
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    # THEN the analysis stack (vocabularies, lexicon, time-zone index) loaded meanwhile
    assert "prepared while fetching" in out


def test_a_cold_brief_analyses_once_the_preparation_is_done(wiki: FakeWiki) -> None:
    """GIVEN a fresh interpreter and a Wikipedia that answers at once (before the analysis
    stack has loaded) WHEN the first brief is made THEN its analysis waits for the loading
    thread instead of building the same tables beside it, twice as slowly."""
    code = """
import threading, time
import citybrief.analysis as analysis
from citybrief.service import BriefService
from citybrief.settings import Settings

events = []
prepare, analyse = analysis.prepare, analysis.analyse

def timed_prepare(*args, **kwargs):
    prepare(*args, **kwargs)
    events.append(("prepared", time.monotonic()))

def timed_analyse(*args, **kwargs):
    events.append((threading.current_thread().name, time.monotonic()))
    return analyse(*args, **kwargs)

analysis.prepare, analysis.analyse = timed_prepare, timed_analyse
BriefService(Settings.from_env()).brief("Chicago")
prepared = dict(events)["prepared"]
print("ordered" if dict(events)["MainThread"] >= prepared else f"early: {events}")
"""
    env = {**os.environ, "CITYBRIEF_WIKI_API": wiki.api_url, "CITYBRIEF_CACHE": "none"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    ).stdout
    assert out.strip() == "ordered"
