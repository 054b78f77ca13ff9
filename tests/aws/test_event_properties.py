"""Every event, however malformed, gets a well-formed answer from the AWS handler.

GIVEN a committed event of each supported shape (REST v1, HTTP API v2, Function URL, ALB,
      direct invoke), with random fields replaced by hostile content or the wrong JSON
      type, random headers, queries and bodies added, or no known shape at all
WHEN aws_lambda/handler.py's ``handler`` runs it
THEN it returns (never raises) the answer that shape expects: a proxy result with a
     status, X-Request-Id and, for errors, an RFC 9457 problem carrying that request id;
     or, for direct invokes, the document or ``{"error": problem}`` with a request id.

The core's service is a fake here: these properties are about reading events, and every
example then costs microseconds instead of a (fake) Wikipedia round trip.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citybrief.errors import NotFound
from citybrief.settings import Settings
from tests.events import load_event
from tests.support.drivers.aws import FakeContext, aws_handler

FIXTURES = (
    "aws/apigw_rest_get",
    "aws/apigw_http_get",
    "aws/function_url_get",
    "aws/alb_get",
    "aws/direct_invoke",
)
# Exception names that would mean Python's own text leaked into an answer.
LEAKS = ("Traceback", "Error(", "TypeError", "KeyError", "AttributeError", "object has no")


class EchoService:
    """Answers like the real service, shape-wise, without Wikipedia."""

    def brief(self, city: str, sentences: int, lang: str) -> dict[str, Any]:
        if city.startswith("Nowhere"):
            raise NotFound(f"No Wikipedia article for {city!r}")
        return {"title": city, "sentences": sentences, "lang": lang}

    def compare(self, cities: list[str], speed_kmh: float, lang: str) -> dict[str, Any]:
        return {"cities": cities, "speed_kmh": speed_kmh, "lang": lang}


@pytest.fixture(scope="module")
def lam() -> Any:
    return aws_handler().create_app(Settings(platform="aws"), EchoService)


HOSTILE_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "\x00", "\ud800", "\r\nX-Evil: 1", "%FF", "%ED%A0%80", "../..", "\u202e", "🏙" * 70]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE_TEXT, inner, max_size=3),
    max_leaves=8,
)


def nested(depth: int) -> Any:
    """A list nested ``depth`` levels deep, as a hand-written payload could be."""
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


ANY_VALUE = st.one_of(JSON_VALUES, st.integers(900, 1100).map(nested))
# Where a hostile value may be put: top-level keys, and keys one level down.
KEY_PATHS = st.lists(
    st.sampled_from(
        [
            ("body",),
            ("isBase64Encoded",),
            ("path",),
            ("rawPath",),
            ("rawQueryString",),
            ("httpMethod",),
            ("headers",),
            ("multiValueHeaders",),
            ("queryStringParameters",),
            ("multiValueQueryStringParameters",),
            ("cookies",),
            ("version",),
            ("city",),
            ("cities",),
            ("sentences",),
            ("requestContext",),
            ("requestContext", "requestId"),
            ("requestContext", "stage"),
            ("requestContext", "http"),
            ("requestContext", "domainName"),
            ("requestContext", "elb"),
            ("headers", "x-amzn-trace-id"),
            ("headers", "content-type"),
            ("headers", "origin"),
            ("headers", "content-length"),
        ]
    ),
    max_size=4,
)


@st.composite
def events(draw: st.DrawFn) -> Any:
    """A committed event with up to four fields replaced, or any JSON value at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(ANY_VALUE)
    event: dict[str, Any] = load_event(draw(st.sampled_from(FIXTURES)))
    for path in draw(KEY_PATHS):
        target = event
        for key in path[:-1]:
            child = target.get(key)
            if not isinstance(child, dict):
                child = target[key] = {}
            target = child
        target[path[-1]] = draw(ANY_VALUE)
    return event


def _problem_ok(problem: Any, request_id: str | None = None) -> None:
    assert isinstance(problem, dict), problem
    assert {"type", "title", "status", "detail", "instance", "request_id"} <= set(problem)
    assert isinstance(problem["status"], int) and 400 <= problem["status"] <= 599
    assert isinstance(problem["request_id"], str) and problem["request_id"]
    if request_id is not None:
        assert problem["request_id"] == request_id
    assert not any(leak in problem["detail"] for leak in LEAKS), problem["detail"]


def check_answer(module: ModuleType, event: Any, result: Any) -> None:
    source = module.detect(event)
    assert isinstance(result, dict)
    if source is None or source.name == "direct":
        # Direct invoke (or no known shape): the document itself, or {"error": problem}.
        if "error" in result:
            assert set(result) == {"error"}
            _problem_ok(result["error"])
        return
    assert isinstance(result["statusCode"], int) and 100 <= result["statusCode"] <= 599
    assert isinstance(result["body"], str)
    if "multiValueHeaders" in result:
        headers = {name.lower(): values[0] for name, values in result["multiValueHeaders"].items()}
    else:
        headers = {name.lower(): value for name, value in result["headers"].items()}
    assert all(isinstance(value, str) for value in headers.values())
    request_id = headers["x-request-id"]
    assert request_id and request_id.isascii() and request_id.isprintable()
    if result["statusCode"] >= 400 and result["body"]:
        assert headers["content-type"] == "application/problem+json"
        problem = json.loads(result["body"])
        _problem_ok(problem, request_id)
        assert problem["status"] == result["statusCode"]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(event=events())
def test_every_event_gets_a_well_formed_answer(lam: Any, event: Any) -> None:
    # GIVEN any event  WHEN handled  THEN an answer of the right shape, never an exception
    result = lam(event, FakeContext(aws_request_id="prop-1"))
    check_answer(aws_handler(), event, result)
