"""citybrief.queuebatch and citybrief.records: messages to per-city records, against the
fake wiki; one key scheme and one retry policy.

What matters here is that nothing a sender puts in a message raises (a raise means the
queue redelivers it forever) and that each city gets its own status.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from citybrief.errors import PROBLEM_BASE
from citybrief.queuebatch import MAX_CITIES, Job, parse_message, process_message
from citybrief.records import (
    MAX_ID_BYTES,
    blob_name,
    document_id,
    record_key,
    settle,
)
from citybrief.service import BriefService
from citybrief.settings import Settings
from tests.support.fakewiki import FakeWiki

BAD_INPUT = PROBLEM_BASE + "bad-input"


@pytest.fixture
def service(settings: Settings) -> BriefService:
    """Without Wikipedia retries (the queue's own redelivery is the retry that matters)."""
    return BriefService(dataclasses.replace(settings, max_retries=0))


def run(service: BriefService, message: Any) -> list[dict[str, Any]]:
    data = message if isinstance(message, bytes) else json.dumps(message).encode()
    return process_message(data, service.brief)


# --- parsing -------------------------------------------------------------------------


def test_single_city_message_parses_with_defaults() -> None:
    # GIVEN a message naming one city WHEN parsed THEN defaults match /brief's
    assert parse_message(b'{"city": "Chicago"}') == Job(cities=("Chicago",), sentences=5, lang="en")


def test_cities_message_keeps_options_and_raw_items() -> None:
    # GIVEN a multi-city message with options WHEN parsed THEN items stay raw for per-item checks
    job = parse_message('{"cities": ["Lisbon", 7], "sentences": 2, "lang": "simple"}')
    assert job == Job(cities=("Lisbon", 7), sentences=2, lang="simple")


@pytest.mark.parametrize(
    ("message", "detail"),
    [
        (b"not json", "not valid UTF-8 JSON"),
        (b"\xff\xfe", "not valid UTF-8 JSON"),
        (b'{"city": NaN}', "not valid UTF-8 JSON"),
        (b'["Chicago"]', "must be a JSON object"),
        (b"{}", "exactly one of"),
        (b'{"city": "A", "cities": ["B"]}', "exactly one of"),
        (b'{"city": "Chicago", "colour": 1}', "Unknown field(s): colour"),
        (b'{"cities": "Chicago"}', "must be a list"),
        (b'{"cities": []}', f"between 1 and {MAX_CITIES}"),
        (json.dumps({"cities": [f"c{i}" for i in range(MAX_CITIES + 1)]}).encode(), "between"),
        (b'{"city": "Chicago", "sentences": 0}', "sentences must be between"),
        (b'{"city": "Chicago", "sentences": true}', "sentences must be an integer"),
        (b'{"city": "Chicago", "lang": "en.evil.com"}', "lang must be"),
        (b'{"city": "' + b"x" * 70_000 + b'"}', "at most"),
    ],
)
def test_bad_message_is_one_bad_input_record_not_an_exception(
    service: BriefService, message: bytes, detail: str
) -> None:
    # GIVEN a message that can never succeed
    # WHEN it is processed
    results = run(service, message)
    # THEN it yields exactly one bad_input record with no city, instead of raising
    assert len(results) == 1
    record = results[0]
    assert record["city"] is None and record["lang"] is None
    assert record["status"] == "bad_input"
    assert record["error"]["type"] == BAD_INPUT
    assert detail in record["error"]["detail"]


# --- per-city statuses ------------------------------------------------------------------


def test_single_city_is_briefed(service: BriefService) -> None:
    # GIVEN {"city": "Chicago"} WHEN processed THEN one ok record holding the brief
    [record] = run(service, {"city": "Chicago", "sentences": 2})
    assert record["status"] == "ok"
    assert record["city"] == "Chicago" and record["lang"] == "en"
    assert record["brief"]["title"] == "Chicago"
    assert 1 <= len(record["brief"]["summary"]) <= 2
    assert "error" not in record


def test_each_city_gets_its_own_status_in_message_order(service: BriefService) -> None:
    # GIVEN cities that resolve, are missing, are ambiguous or are invalid
    message = {"cities": ["Lisbon", "Qwxzyville Nonexistent", "Springfield", "  ", 42]}
    # WHEN processed
    results = run(service, message)
    # THEN each has its own record, in order, and one bad item spoils nothing else
    assert [r["status"] for r in results] == [
        "ok",
        "not_found",
        "ambiguous",
        "bad_input",
        "bad_input",
    ]
    assert results[0]["brief"]["title"] == "Lisbon"
    assert results[1]["city"] == "Qwxzyville Nonexistent"
    assert results[1]["error"]["status"] == 404
    assert results[2]["error"]["candidates"]
    assert results[3]["city"] == "  " and "cities[3]" in results[3]["error"]["detail"]
    assert (
        results[4]["city"] is None and "cities[4] must be a string" in results[4]["error"]["detail"]
    )


def test_repeated_city_is_briefed_once(service: BriefService) -> None:
    # GIVEN the same city twice up to case and spacing WHEN processed THEN one record
    results = run(service, {"cities": ["Lisbon", "  lisbon "]})
    assert [r["city"] for r in results] == ["Lisbon"]


def test_upstream_failure_is_recorded_as_failed(service: BriefService, wiki: FakeWiki) -> None:
    # GIVEN a wiki that answers every request with a 500
    wiki.fail("500")
    # WHEN a city is processed THEN it is a failed record, not an exception
    [record] = run(service, {"city": "Chicago"})
    assert record["status"] == "failed"
    assert record["error"]["status"] in (502, 504)


def test_unexpected_bug_costs_one_record() -> None:
    # GIVEN a brief function with a bug for one city
    def brief(city: str, sentences: int, lang: str) -> dict[str, Any]:
        if city == "Boom":
            raise RuntimeError("bug")
        return {"title": city, "lang": lang}

    # WHEN both are processed THEN the other city is still briefed
    results = process_message(b'{"cities": ["Boom", "Fine"]}', brief)
    assert [r["status"] for r in results] == ["failed", "ok"]
    assert "RuntimeError" in results[0]["error"]["detail"]


def test_options_reach_the_brief_function() -> None:
    # GIVEN a message with sentences and lang WHEN processed THEN brief() gets them
    calls: list[tuple[str, int, str]] = []

    def brief(city: str, sentences: int, lang: str) -> dict[str, Any]:
        calls.append((city, sentences, lang))
        return {"title": city, "lang": lang}

    process_message(b'{"city": " Lisboa ", "sentences": 3, "lang": "pt"}', brief)
    assert calls == [("Lisboa", 3, "pt")]


# --- record keys and the retry policy ------------------------------------------------------


def test_record_keys_are_stable_safe_and_distinct() -> None:
    # GIVEN results of each kind
    ok = {
        "city": "Windy City",
        "lang": "en",
        "status": "ok",
        "brief": {"title": "AC/DC", "lang": "en"},
    }
    missing = {"city": "Qwxzyville  NONEXISTENT", "lang": "en", "status": "not_found"}
    bad = {"city": None, "lang": None, "status": "bad_input"}
    # WHEN keys are made THEN briefs are keyed by title, errors by folded query, bad by message
    assert record_key(ok, "m1", 0) == ("briefs", "en", "AC/DC")
    assert record_key(missing, "m1", 1) == ("errors", "en", "qwxzyville nonexistent")
    assert record_key(bad, "m/1", 0) == ("errors", "_message", "m/1-0")
    # AND each store renders the one key without nesting: Firestore ids, blob names
    assert document_id(record_key(ok, "m1", 0)) == "briefs:en:AC%2FDC"
    assert document_id(record_key(bad, "m/1", 0)) == "errors:_message:m%2F1-0"
    assert blob_name(record_key(ok, "m1", 0)) == "briefs/en/AC%2FDC.json"
    assert blob_name(record_key(bad, "m/1", 0)) == "errors/_message/m%2F1-0.json"
    # AND a huge id is hashed under Firestore's limit
    huge = {"city": "é" * 5000, "lang": "en", "status": "bad_input"}
    assert document_id(record_key(huge, "m", 0)).startswith("sha256:")
    assert len(document_id(record_key(huge, "m", 0)).encode()) <= MAX_ID_BYTES


def failed(status: int) -> dict[str, Any]:
    return {"city": "X", "lang": "en", "status": "failed", "error": {"status": status}}


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_upstream_failures_are_retried_and_recorded_only_on_the_last_attempt(
    status: int,
) -> None:
    # GIVEN an ok record, a permanent failure and an upstream (transient) failure
    ok = {"city": "A", "lang": "en", "status": "ok", "brief": {"title": "A", "lang": "en"}}
    missing = {"city": "B", "lang": "en", "status": "not_found", "error": {"status": 404}}
    records = [ok, missing, failed(status)]
    # WHEN an early attempt settles THEN the transient one is left for a retry, unstored
    early = settle(records, "m1", last_attempt=False)
    assert early.store == [(("briefs", "en", "A"), ok), (("errors", "en", "b"), missing)]
    assert early.transient == [failed(status)]
    # WHEN the last attempt settles THEN it is stored too, marked final, under its query
    last = settle(records, "m1", last_attempt=True)
    assert [record for _, record in last.store] == [ok, missing, {**failed(status), "final": True}]
    assert last.store[2][0] == ("errors", "en", "x")
    assert last.transient == [failed(status)]


def test_a_bug_is_a_final_record_not_a_retry() -> None:
    # GIVEN a failure that is ours (500), not Wikipedia's
    # WHEN settled on a first attempt THEN it is stored at once and nothing is retried
    settlement = settle([failed(500)], "m1", last_attempt=False)
    assert settlement.store == [(("errors", "en", "x"), failed(500))]
    assert settlement.transient == []
