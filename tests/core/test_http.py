"""The HTTP contract every adapter shares: routing, validation, limits, CORS, ids, errors.

Each test reads GIVEN (app + request) / WHEN (handle) / THEN (status, headers, body).
``FakeService`` and ``make_app`` are reused by test_openapi.
"""

from __future__ import annotations

import itertools
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import pytest

from citybrief import __version__
from citybrief.errors import Ambiguous, NotFound, RequestTimeout, UpstreamError, UpstreamTimeout
from citybrief.http import (
    JSON_CONTENT_TYPE,
    MAX_BODY_BYTES,
    PROBLEM_CONTENT_TYPE,
    App,
    Request,
    Response,
    query_from_pairs,
)
from citybrief.settings import Settings
from citybrief.validation import validate_lang

PROBLEMS = "https://citybrief.dev/problems/"
SECRET = "db password is hunter2"


def _raise_for(city: str) -> None:
    if city == "Nowhere":
        raise NotFound(f"No article for {city}.")
    if city == "Springfield":
        raise Ambiguous("Several places.", candidates=["Springfield, Illinois", "Springfield"])
    if city == "Slowtown":
        raise UpstreamTimeout("Wikipedia did not answer within 20 s.")
    if city == "Brokentown":
        raise UpstreamError("Wikipedia answered 503.")
    if city == "Boom":
        raise RuntimeError(SECRET)


def fake_brief(city: str, sentences: int, lang: str) -> dict[str, Any]:
    url = f"https://{lang}.wikipedia.org/wiki/{city.replace(' ', '_')}"
    return {
        "schema_version": "1.1",
        "query": city,
        "title": city,
        "url": url,
        "lang": lang,
        "revision": 1234,
        "retrieved_at": "2024-05-01T12:00:00Z",
        "resolved_via": "exact",
        "summary": [f"{city} is a city."] * sentences,
        "logistics": {
            "air": [{"text": f"{city} has an airport.", "section": "Transport"}],
            "sea": [],
            "rail": [],
            "road": [],
            "transit": [],
        },
        "facts": {
            "coordinates": {"lat": 38.7, "lon": -9.1},
            "population": 545000,
            "population_source": "infobox",
            "timezone": {"iana": "Europe/Lisbon", "utc_offset": "+00:00", "label": None},
            "airports": [
                {"iata": "LIS", "name": "Humberto Delgado", "distance_km": 7.2, "commercial": True}
            ],
        },
        "sentiment": {
            "polarity": 0.1,
            "subjectivity": 0.4,
            "label": "neutral",
            "sections": {"Transport": {"polarity": 0.0, "subjectivity": 0.2}},
        },
        "key_phrases": ["port city"],
        "analysis": {"language": "en", "limits": []},
        "source": {"license": "CC BY-SA 4.0", "attribution": f"Wikipedia: {city}", "url": url},
    }


def fake_comparison(cities: list[str], speed_kmh: float, lang: str) -> dict[str, Any]:
    return {
        "schema_version": "1.1",
        "cities": [
            {
                "title": city,
                "url": f"https://{lang}.wikipedia.org/wiki/{city}",
                "coordinates": None,
                "timezone": None,
                "sentiment": {"polarity": 0.0, "subjectivity": 0.0, "label": "neutral"},
            }
            for city in cities
        ],
        "legs": [
            {
                "from": a,
                "to": b,
                "distance_km": 100.0,
                "distance_mi": 62.1,
                "road_hours": 100.0 / speed_kmh,
                "flight_hours": None,
                "tz_offset_hours": 0,
            }
            for a, b in itertools.pairwise(cities)
        ],
        "ranking": list(cities),
        "assumptions": {"speed_kmh": speed_kmh},
    }


@dataclass
class FakeService:
    """Implements the Service protocol; special city names raise the core's errors."""

    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def brief(self, city: str, sentences: int, lang: str) -> dict[str, Any]:
        self.calls.append(("brief", city, sentences, lang))
        _raise_for(city)
        return fake_brief(city, sentences, lang)

    def compare(self, cities: list[str], speed_kmh: float, lang: str) -> dict[str, Any]:
        self.calls.append(("compare", cities, speed_kmh, lang))
        for city in cities:
            _raise_for(city)
        return fake_comparison(cities, speed_kmh, lang)


@dataclass
class Harness:
    app: App
    service: FakeService
    built: list[FakeService]
    completed: list[tuple[Request, Response, float]]


def make_app(cors: tuple[str, ...] = ()) -> Harness:
    service = FakeService()
    built: list[FakeService] = []
    completed: list[tuple[Request, Response, float]] = []

    def factory() -> FakeService:
        built.append(service)
        return service

    app = App(
        factory,
        Settings(cors_origins=cors, platform="test"),
        on_complete=lambda req, resp, secs: completed.append((req, resp, secs)),
    )
    return Harness(app, service, built, completed)


def get(path: str, **query: str) -> Request:
    return Request("GET", path, query=query)


def post(path: str, body: Any, content_type: str = "application/json") -> Request:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Request("POST", path, headers={"Content-Type": content_type}, body=raw)


# --- valid requests: GIVEN a request WHEN handled THEN 200 and the service gets these args


VALID = [
    ("get brief defaults", get("/brief", city="Lisbon"), ("brief", "Lisbon", 5, "en")),
    (
        "get brief all fields",
        get("/brief", city="Lisbon", sentences="3", lang="pt"),
        ("brief", "Lisbon", 3, "pt"),
    ),
    ("get brief trailing slash", get("/brief/", city="Lisbon"), ("brief", "Lisbon", 5, "en")),
    ("sentences lower bound", get("/brief", city="A", sentences="1"), ("brief", "A", 1, "en")),
    ("sentences upper bound", get("/brief", city="A", sentences="20"), ("brief", "A", 20, "en")),
    ("lang simple", get("/brief", city="A", lang="simple"), ("brief", "A", 5, "simple")),
    ("lang be-tarask", get("/brief", city="A", lang="be-tarask"), ("brief", "A", 5, "be-tarask")),
    (
        "lang zh-min-nan",
        get("/brief", city="A", lang="zh-min-nan"),
        ("brief", "A", 5, "zh-min-nan"),
    ),
    ("city 200 chars", get("/brief", city="x" * 200), ("brief", "x" * 200, 5, "en")),
    ("unknown query ignored", get("/brief", city="A", utm="x"), ("brief", "A", 5, "en")),
    (
        "post brief trims city",
        post("/brief", {"city": "  Lisbon ", "sentences": 7, "lang": "de"}),
        ("brief", "Lisbon", 7, "de"),
    ),
    (
        "post brief charset utf-8",
        post("/brief", {"city": "A"}, "application/json; charset=UTF-8"),
        ("brief", "A", 5, "en"),
    ),
    (
        "post brief +json media type",
        post("/brief", {"city": "A"}, "application/vnd.citybrief+json"),
        ("brief", "A", 5, "en"),
    ),
    (
        "post brief media type case",
        post("/brief", {"city": "A"}, "Application/JSON"),
        ("brief", "A", 5, "en"),
    ),
    (
        "get compare defaults",
        get("/compare", cities="Lisbon,Porto"),
        ("compare", ["Lisbon", "Porto"], 80.0, "en"),
    ),
    (
        "get compare items trimmed",
        get("/compare", cities=" Lisbon, Porto ", speed_kmh="120.5", lang="pt"),
        ("compare", ["Lisbon", "Porto"], 120.5, "pt"),
    ),
    (
        "query numbers are JSON numbers",
        get("/compare", cities="A,B", speed_kmh="1.25e2"),
        ("compare", ["A", "B"], 125.0, "en"),
    ),
    (
        "speed with many decimals",
        get("/compare", cities="A,B", speed_kmh="99.1234567890123"),
        ("compare", ["A", "B"], 99.1234567890123, "en"),
    ),
    (
        "integral sentences as a float",
        get("/brief", city="A", sentences="15.0"),
        ("brief", "A", 15, "en"),
    ),
    (
        "post integral sentences as a float",
        post("/brief", {"city": "A", "sentences": 15.0}),
        ("brief", "A", 15, "en"),
    ),
    (
        "speed bounds",
        get("/compare", cities="A,B", speed_kmh="5"),
        ("compare", ["A", "B"], 5.0, "en"),
    ),
    (
        "ten cities",
        get("/compare", cities=",".join(f"C{i}" for i in range(10))),
        ("compare", [f"C{i}" for i in range(10)], 80.0, "en"),
    ),
    (
        "post compare",
        post("/compare", {"cities": ["Lisbon", "Paris, Texas"], "speed_kmh": 1000}),
        ("compare", ["Lisbon", "Paris, Texas"], 1000.0, "en"),
    ),
    (
        "nfc normalised",
        get("/brief", city="Zu\u0308rich"),
        ("brief", "Zürich", 5, "en"),
    ),
]


@pytest.mark.parametrize(("request_", "call"), [c[1:] for c in VALID], ids=[c[0] for c in VALID])
def test_valid_request_reaches_service(request_: Request, call: tuple[Any, ...]) -> None:
    h = make_app()
    response = h.app.handle(request_)
    assert response.status == 200, response.body
    assert response.headers["Content-Type"] == JSON_CONTENT_TYPE
    assert h.service.calls == [call]
    assert response.json()["schema_version"] == "1.1"


# --- failures: GIVEN a request WHEN handled THEN this status, problem type, detail words


def _pad(n: int) -> bytes:
    """A valid brief body of exactly n bytes."""
    head = b'{"city":"Lisbon"}'
    return head[:-1] + b" " * (n - len(head)) + b"}"


FAILURES = [
    ("unknown route", get("/nope"), 404, "no-such-route", "No route"),
    ("root", get("/"), 404, "no-such-route", "No route"),
    ("double trailing slash", get("/brief//", city="A"), 404, "no-such-route", "No route"),
    ("city missing", get("/brief"), 400, "bad-input", "city is required"),
    ("city blank", get("/brief", city="   "), 400, "bad-input", "city must name a place"),
    ("city hash", get("/brief", city="Chicago#History"), 400, "bad-input", "# < >"),
    ("city pipe", get("/brief", city="A|B"), 400, "bad-input", "# < >"),
    ("city braces", get("/brief", city="{A}"), 400, "bad-input", "# < >"),
    ("city not UTF-8", get("/brief", city="\ufffdChicago"), 400, "bad-input", "UTF-8"),
    ("city surrogate", post("/brief", b'{"city":"\\ud800x"}'), 400, "bad-input", "UTF-8"),
    ("city C1 control", get("/brief", city="A\x85B"), 400, "bad-input", "control"),
    (
        "city too long with spaces",
        get("/brief", city=" " + "x" * 200),
        400,
        "bad-input",
        "city must be 1 to 200",
    ),
    ("city too long", get("/brief", city="x" * 201), 400, "bad-input", "city must be 1 to 200"),
    ("city control char", get("/brief", city="Lis\x07bon"), 400, "bad-input", "control"),
    ("city newline", get("/brief", city="Lis\nbon"), 400, "bad-input", "control"),
    ("sentences abc", get("/brief", city="A", sentences="abc"), 400, "bad-input", "sentences"),
    ("sentences 1.5", get("/brief", city="A", sentences="1.5"), 400, "bad-input", "sentences"),
    ("sentences +5", get("/brief", city="A", sentences="+5"), 400, "bad-input", "sentences"),
    ("sentences empty", get("/brief", city="A", sentences=""), 400, "bad-input", "sentences"),
    ("sentences 0", get("/brief", city="A", sentences="0"), 400, "bad-input", "between 1 and 20"),
    ("sentences 21", get("/brief", city="A", sentences="21"), 400, "bad-input", "between 1 and 20"),
    (
        "sentences huge",
        get("/brief", city="A", sentences="9" * 5000),
        400,
        "bad-input",
        "sentences",
    ),
    ("lang upper", get("/brief", city="A", lang="EN"), 400, "bad-input", "lang"),
    ("lang dot", get("/brief", city="A", lang="en.evil"), 400, "bad-input", "lang"),
    ("lang slash", get("/brief", city="A", lang="en/x"), 400, "bad-input", "lang"),
    ("lang colon", get("/brief", city="A", lang="en:80"), 400, "bad-input", "lang"),
    ("lang at", get("/brief", city="A", lang="a@b"), 400, "bad-input", "lang"),
    ("lang newline", get("/brief", city="A", lang="en\n"), 400, "bad-input", "lang"),
    ("lang one letter", get("/brief", city="A", lang="e"), 400, "bad-input", "lang"),
    (
        "post sentences true",
        post("/brief", {"city": "A", "sentences": True}),
        400,
        "bad-input",
        "sentences",
    ),
    (
        "post sentences 1.5",
        post("/brief", {"city": "A", "sentences": 1.5}),
        400,
        "bad-input",
        "sentences",
    ),
    (
        "post sentences str",
        post("/brief", {"city": "A", "sentences": "5"}),
        400,
        "bad-input",
        "sentences",
    ),
    ("post city number", post("/brief", {"city": 5}), 400, "bad-input", "city must be a string"),
    ("post lang null", post("/brief", {"city": "A", "lang": None}), 400, "bad-input", "lang"),
    (
        "post unknown field",
        post("/brief", {"city": "A", "sentence": 3}),
        400,
        "bad-input",
        "Unknown field(s): sentence",
    ),
    ("post invalid json", post("/brief", b"{city:"), 400, "bad-input", "not valid JSON"),
    ("post empty body", post("/brief", b""), 400, "bad-input", "not valid JSON"),
    ("post invalid utf-8", post("/brief", b'{"city":"\xff"}'), 400, "bad-input", "not valid JSON"),
    (
        "post duplicate keys",
        post("/brief", b'{"city":"A","city":"B"}'),
        400,
        "bad-input",
        "not valid JSON",
    ),
    ("post deep nesting", post("/brief", b"[" * 16000), 400, "bad-input", "not valid JSON"),
    ("post array body", post("/brief", ["A"]), 400, "bad-input", "JSON object"),
    ("post string body", post("/brief", "A"), 400, "bad-input", "JSON object"),
    ("compare one city", get("/compare", cities="Lisbon"), 400, "bad-input", "between 2 and 10"),
    (
        "compare 11 cities",
        get("/compare", cities=",".join(f"C{i}" for i in range(11))),
        400,
        "bad-input",
        "between 2 and 10",
    ),
    ("compare missing", get("/compare"), 400, "bad-input", "cities is required"),
    (
        "compare duplicate",
        get("/compare", cities="Lisbon,Lisbon"),
        400,
        "bad-input",
        "cities[1] repeats",
    ),
    (
        "compare one city in another case",
        get("/compare", cities="Porto,Lisbon,lisbon"),
        400,
        "bad-input",
        "cities[2] repeats",
    ),
    (
        "compare one city spaced differently",
        post("/compare", {"cities": ["New York", "new  york"]}),
        400,
        "bad-input",
        "cities[1] repeats",
    ),
    (
        "compare one city with underscores",
        post("/compare", {"cities": ["New_York", "New York"]}),
        400,
        "bad-input",
        "cities[1] repeats",
    ),
    ("compare blank item", get("/compare", cities="A,,B"), 400, "bad-input", "cities[1]"),
    ("compare trailing comma", get("/compare", cities="A,B,"), 400, "bad-input", "cities[2]"),
    ("compare bad item", get("/compare", cities="A,B\x00"), 400, "bad-input", "cities[1]"),
    (
        "speed too low",
        get("/compare", cities="A,B", speed_kmh="4.9"),
        400,
        "bad-input",
        "between 5 and 1000",
    ),
    (
        "speed too high",
        get("/compare", cities="A,B", speed_kmh="1000.1"),
        400,
        "bad-input",
        "between 5 and 1000",
    ),
    (
        "speed text",
        get("/compare", cities="A,B", speed_kmh="fast"),
        400,
        "bad-input",
        "speed_kmh must be a number",
    ),
    (
        "speed nan",
        get("/compare", cities="A,B", speed_kmh="nan"),
        400,
        "bad-input",
        "speed_kmh must be a number",
    ),
    (
        "post speed bool",
        post("/compare", {"cities": ["A", "B"], "speed_kmh": True}),
        400,
        "bad-input",
        "speed_kmh",
    ),
    (
        "post speed NaN literal",
        post("/compare", b'{"cities":["A","B"],"speed_kmh":NaN}'),
        400,
        "bad-input",
        "not valid JSON",
    ),
    (
        "post speed 1e400",
        post("/compare", b'{"cities":["A","B"],"speed_kmh":1e400}'),
        400,
        "bad-input",
        "speed_kmh",
    ),
    (
        "post cities string",
        post("/compare", {"cities": "A,B"}),
        400,
        "bad-input",
        "cities must be a list",
    ),
    (
        "post cities item",
        post("/compare", {"cities": ["A", 2]}),
        400,
        "bad-input",
        "cities[1] must be a string",
    ),
    (
        "post compare unknown",
        post("/compare", {"cities": ["A", "B"], "x": 1}),
        400,
        "bad-input",
        "Unknown",
    ),
    ("no such city", get("/brief", city="Nowhere"), 404, "not-found", "No article"),
    ("compare no such city", get("/compare", cities="A,Nowhere"), 404, "not-found", "No article"),
    ("ambiguous", get("/brief", city="Springfield"), 409, "ambiguous", "Several"),
    ("upstream timeout", get("/brief", city="Slowtown"), 504, "upstream-timeout", "20 s"),
    ("upstream error", post("/brief", {"city": "Brokentown"}), 502, "upstream-error", "503"),
    ("unexpected", get("/brief", city="Boom"), 500, "internal", "unexpected error"),
    ("413 body", post("/brief", _pad(MAX_BODY_BYTES + 1)), 413, "payload-too-large", "16384"),
    (
        "413 content-length",
        Request(
            "POST",
            "/brief",
            headers={"Content-Type": "application/json", "Content-Length": "20000"},
            body=b'{"city":"A"}',
        ),
        413,
        "payload-too-large",
        "16384",
    ),
    (
        "415 text/plain",
        post("/brief", {"city": "A"}, "text/plain"),
        415,
        "unsupported-media-type",
        "application/json",
    ),
    (
        "415 form",
        post("/brief", {"city": "A"}, "application/x-www-form-urlencoded"),
        415,
        "unsupported-media-type",
        "JSON",
    ),
    (
        "415 latin-1",
        post("/brief", {"city": "A"}, "application/json; charset=latin-1"),
        415,
        "unsupported-media-type",
        "UTF-8",
    ),
    (
        "415 bare +json",
        post("/brief", {"city": "A"}, "application/+json"),
        415,
        "unsupported-media-type",
        "JSON",
    ),
    ("415 missing", Request("POST", "/compare", body=b"{}"), 415, "unsupported-media-type", "JSON"),
    (
        "405 delete brief",
        Request("DELETE", "/brief"),
        405,
        "method-not-allowed",
        "GET, HEAD, POST, OPTIONS",
    ),
    ("405 post health", post("/health", {}), 405, "method-not-allowed", "GET, HEAD, OPTIONS"),
]


@pytest.mark.parametrize(
    ("request_", "status", "slug", "words"),
    [c[1:] for c in FAILURES],
    ids=[c[0] for c in FAILURES],
)
def test_failure_is_a_problem(request_: Request, status: int, slug: str, words: str) -> None:
    h = make_app()
    response = h.app.handle(request_)
    assert response.status == status, response.body
    assert response.headers["Content-Type"] == PROBLEM_CONTENT_TYPE
    problem = response.json()
    assert problem["type"] == PROBLEMS + slug
    assert problem["status"] == status
    assert words in problem["detail"]
    assert problem["request_id"] == response.headers["X-Request-Id"]
    assert problem["instance"].startswith("/")


@pytest.mark.parametrize(
    ("path", "instance"), [("/nope/", "/nope"), ("", "/"), ("/brief//", "/brief/")]
)
def test_problem_instance_is_the_normalised_path(path: str, instance: str) -> None:
    assert make_app().app.handle(get(path)).json()["instance"] == instance


def test_bad_input_never_reaches_the_service() -> None:
    h = make_app()
    h.app.handle(get("/brief", city="A", sentences="abc"))
    assert h.service.calls == []


def test_body_of_exactly_16384_bytes_is_accepted() -> None:
    h = make_app()
    body = _pad(MAX_BODY_BYTES)
    assert len(body) == MAX_BODY_BYTES
    assert h.app.handle(post("/brief", body)).status == 200


def test_get_body_is_ignored() -> None:
    h = make_app()
    request = Request("GET", "/brief", query={"city": "A"}, body=b"x" * (MAX_BODY_BYTES * 2))
    assert h.app.handle(request).status == 200


def test_ambiguous_lists_candidates() -> None:
    problem = make_app().app.handle(get("/brief", city="Springfield")).json()
    assert problem["candidates"] == ["Springfield, Illinois", "Springfield"]
    assert problem["title"] == "Ambiguous city name"


@pytest.mark.parametrize(
    ("request_", "allow"),
    [
        (Request("PUT", "/brief"), "GET, HEAD, POST, OPTIONS"),
        (Request("DELETE", "/compare/"), "GET, HEAD, POST, OPTIONS"),
        (Request("POST", "/openapi.json"), "GET, HEAD, OPTIONS"),
    ],
)
def test_405_lists_allowed_methods(request_: Request, allow: str) -> None:
    assert make_app().app.handle(request_).headers["Allow"] == allow


def test_500_leaks_nothing_and_logs_with_request_id(caplog: pytest.LogCaptureFixture) -> None:
    # GIVEN a service that raises an unexpected exception carrying a secret
    h = make_app()
    caplog.set_level(logging.INFO, logger="citybrief")
    # WHEN the request is handled
    response = h.app.handle(Request("GET", "/brief", query={"city": "Boom"}, request_id="r-1"))
    # THEN the body is generic and the log has the traceback, tagged with the id
    assert response.status == 500
    assert b"hunter2" not in response.body
    assert b"Traceback" not in response.body
    assert b"RuntimeError" not in response.body
    errors = [r for r in caplog.records if r.exc_info]
    assert len(errors) == 1
    assert errors[0].request_id == "r-1"  # type: ignore[attr-defined]


def test_one_log_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="citybrief")
    make_app().app.handle(Request("GET", "/nope\nFAKE 200", request_id="r-2"))
    [record] = caplog.records
    assert record.request_id == "r-2"  # type: ignore[attr-defined]
    assert record.http_status == 404  # type: ignore[attr-defined]
    assert "\n" not in record.getMessage()


# --- service lifecycle


@pytest.mark.parametrize("path", ["/health", "/openapi.json", "/nope"])
def test_cheap_routes_do_not_build_the_service(path: str) -> None:
    h = make_app()
    assert h.app.handle(get(path)).status in {200, 404}
    assert h.built == []


def test_service_is_built_once() -> None:
    h = make_app()
    for _ in range(3):
        h.app.handle(get("/brief", city="A"))
    assert len(h.built) == 1


def test_failing_factory_is_a_500_and_retried() -> None:
    attempts: list[int] = []

    def factory() -> FakeService:
        attempts.append(1)
        if len(attempts) == 1:
            raise ImportError("nltk missing")
        return FakeService()

    app = App(factory, Settings())
    first = app.handle(get("/brief", city="A"))
    assert first.status == 500
    assert b"nltk" not in first.body
    assert app.handle(get("/brief", city="A")).status == 200


def test_health_is_byte_exact() -> None:
    response = make_app().app.handle(get("/health"))
    assert response.status == 200
    assert response.headers["Content-Type"] == JSON_CONTENT_TYPE
    expected = f'{{"status":"ok","version":"{__version__}","platform":"test"}}'
    assert response.body == expected.encode()


def test_openapi_route_serves_the_document() -> None:
    document = make_app().app.handle(get("/openapi.json/")).json()
    assert document["openapi"].startswith("3.1")


def test_on_complete_sees_every_request_and_cannot_break_it() -> None:
    h = make_app()
    response = h.app.handle(get("/health"))
    [(request, seen, seconds)] = h.completed
    assert request.path == "/health"
    assert seen is response
    assert seconds >= 0

    def explode(_req: Request, _resp: Response, _secs: float) -> None:
        raise RuntimeError("metrics down")

    app = App(FakeService, Settings(), on_complete=explode)
    assert app.handle(get("/health")).status == 200


# --- unicode


@pytest.mark.parametrize("city", ["São Paulo", "Zürich", "東京"])
def test_unicode_round_trips_unescaped(city: str) -> None:
    h = make_app()
    for request in (get("/brief", city=city), post("/brief", {"city": city})):
        response = h.app.handle(request)
        assert response.status == 200
        assert city.encode("utf-8") in response.body  # not \u-escaped
        assert response.json()["title"] == city


def test_json_is_compact() -> None:
    body = make_app().app.handle(get("/brief", city="A")).body
    assert b'{"schema_version":"1.1","query":"A"' in body
    assert b", " not in body.replace(b"A is a city.", b"")


# --- request ids and headers


def test_platform_request_id_is_passed_through() -> None:
    request = Request("GET", "/health", request_id="abc-123")
    assert make_app().app.handle(request).headers["X-Request-Id"] == "abc-123"


@pytest.mark.parametrize("platform_id", [None, "", "a\r\nSet-Cookie: x", "x" * 201, "ü"])
def test_request_id_is_generated_when_missing_or_unsafe(platform_id: str | None) -> None:
    app = make_app().app
    first = app.handle(Request("GET", "/nope", request_id=platform_id))
    second = app.handle(Request("GET", "/nope", request_id=platform_id))
    rid = first.headers["X-Request-Id"]
    assert len(rid) == 32
    assert int(rid, 16) >= 0
    assert rid != second.headers["X-Request-Id"]
    assert first.json()["request_id"] == rid


def test_header_names_are_lower_cased() -> None:
    request = Request("POST", "/brief", headers={"Content-Type": "application/json"})
    assert request.headers == {"content-type": "application/json"}


def test_query_from_pairs_last_value_wins() -> None:
    assert query_from_pairs([("city", "A"), ("lang", "de"), ("city", "B")]) == {
        "city": "B",
        "lang": "de",
    }


# --- CORS

A = "https://a.example"
B = "https://b.example"


def with_origin(request: Request, origin: str, **headers: str) -> Request:
    request.headers = {**request.headers, "origin": origin, **headers}
    return request


def cors_headers(response: Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("Access-Control-")}


@pytest.mark.parametrize(
    ("configured", "origin", "expected_origin"),
    [
        ((A,), A, A),
        (("*",), B, B),
        ((A, B), B, B),
        ((A,), B, None),
        ((), A, None),
    ],
)
def test_cors_on_actual_requests(
    configured: tuple[str, ...], origin: str, expected_origin: str | None
) -> None:
    for request in (get("/health"), get("/nope"), get("/brief", city="Nowhere")):
        response = make_app(cors=configured).app.handle(with_origin(request, origin))
        if expected_origin is None:
            assert cors_headers(response) == {}
        else:
            assert cors_headers(response) == {
                "Access-Control-Allow-Origin": expected_origin,
                "Access-Control-Expose-Headers": "X-Request-Id",
            }
        assert response.headers.get("Vary") == ("Origin" if configured else None)


def test_preflight_from_allowed_origin() -> None:
    request = with_origin(
        Request("OPTIONS", "/brief"),
        A,
        **{
            "access-control-request-method": "POST",
            "access-control-request-headers": "X-Request-Id, x-evil",
        },
    )
    response = make_app(cors=(A,)).app.handle(request)
    assert response.status == 204
    assert response.body == b""
    assert "Content-Type" not in response.headers
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"
    assert cors_headers(response) == {
        "Access-Control-Allow-Origin": A,
        "Access-Control-Expose-Headers": "X-Request-Id",
        "Access-Control-Allow-Methods": "GET, POST",
        "Access-Control-Allow-Headers": "Content-Type, X-Request-Id",
        "Access-Control-Max-Age": "600",
    }
    assert response.headers["Vary"].startswith("Origin, ")
    assert response.headers["X-Request-Id"]


@pytest.mark.parametrize(
    ("configured", "origin", "method"),
    [((A,), B, "POST"), ((), A, "GET"), ((A,), A, "DELETE")],
    ids=["other origin", "cors off", "method not on route"],
)
def test_preflight_refused_has_no_preflight_headers(
    configured: tuple[str, ...], origin: str, method: str
) -> None:
    request = with_origin(
        Request("OPTIONS", "/compare"), origin, **{"access-control-request-method": method}
    )
    response = make_app(cors=configured).app.handle(request)
    assert response.status == 204
    assert "Access-Control-Allow-Methods" not in response.headers
    assert "Access-Control-Max-Age" not in response.headers
    assert response.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_plain_options_lists_allow() -> None:
    response = make_app().app.handle(Request("OPTIONS", "/health/"))
    assert response.status == 204
    assert response.body == b""
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert cors_headers(response) == {}


def test_options_on_unknown_route_is_404() -> None:
    assert make_app().app.handle(Request("OPTIONS", "/nope")).status == 404


# --- the shared lang rule, as the wiki client will use it


@pytest.mark.parametrize("lang", ["en", "pt", "simple", "be-tarask", "zh-min-nan", "zh-classical"])
def test_validate_lang_accepts_wikipedia_codes(lang: str) -> None:
    assert validate_lang(lang) == lang


# --- HEAD, and requests an adapter could not read ---------------------------------------


@pytest.mark.parametrize(
    "request_", [get("/health"), get("/brief", city="Lisbon"), get("/brief"), get("/nope")]
)
def test_head_is_get_without_the_body(request_: Request) -> None:
    # GIVEN a GET and the same request as HEAD
    h = make_app()
    got = h.app.handle(request_)
    head = h.app.handle(Request("HEAD", request_.path, query=request_.query))
    # WHEN both are answered  THEN same status and headers (ids aside), and no HEAD body
    assert got.body
    assert head.body == b""
    assert head.status == got.status
    assert {k: v for k, v in head.headers.items() if k != "X-Request-Id"} == {
        k: v for k, v in got.headers.items() if k != "X-Request-Id"
    }


def test_an_unreadable_request_is_answered_as_its_error() -> None:
    # GIVEN a request an adapter could not read, with the platform's id
    h = make_app()
    request = Request("POST", "/brief", request_id="plat-1", error=RequestTimeout("Too slow."))
    # WHEN handled  THEN that problem, with instance, request id and header; no service call
    response = h.app.handle(request)
    problem = response.json()
    assert response.status == 408
    assert problem["type"].endswith("/request-timeout")
    assert problem["instance"] == "/brief"
    assert problem["request_id"] == response.headers["X-Request-Id"] == "plat-1"
    assert h.service.calls == []


@pytest.mark.parametrize("platform_id", [42, ["a"], b"bytes"])
def test_a_request_id_of_the_wrong_type_is_replaced(platform_id: Any) -> None:
    response = make_app().app.handle(Request("GET", "/health", request_id=platform_id))
    assert len(response.headers["X-Request-Id"]) == 32
