"""BriefService end to end against the fake wiki: what a brief costs, what the cache saves,
what the documents contain, and that a broken cache or a failing city is handled.

Each test reads GIVEN (service, cache, server state) / WHEN (call) / THEN (document,
server request counter, ``current_stats()``).
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from citybrief.cache import Cache, MemoryCache, SafeCache, Value, open_cache
from citybrief.errors import NotFound
from citybrief.openapi import openapi_document
from citybrief.service import BriefService, current_stats
from citybrief.settings import Settings
from citybrief.snapshot import record
from citybrief.wiki import WikiClient
from tests.fakewiki import FakeWiki

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

    def put(self, key: str, value: Value) -> None:
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


def test_alias_is_resolved_once(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN "chicago il" resolved once (through search) WHEN asked again with other case and
    spacing THEN the cached alias answers: no second search, no request at all."""
    service = BriefService(settings, cache=MemoryCache(ttl=600))
    first = service.brief("chicago il")
    searches = [r for r in wiki.log if r.params.get("list") == "search"]
    wiki.reset()

    again = service.brief("  Chicago   IL ")

    assert first["title"] == again["title"] == "Chicago"
    assert first["resolved_via"] == "search"
    assert len(searches) == 1
    assert wiki.requests == 0
    assert current_stats().cache_hits == 1
    assert again["query"] == "  Chicago   IL "


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
