"""Every platform answers every case with the same status, headers and JSON.

GIVEN a case from the table and a platform's driver
WHEN the case's call is sent through that platform
THEN the status and problem type are the case's, the case's own check holds, and the
     answer equals the core router's answer (timestamps and request ids aside).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.contract.cases import CASES, ORIGIN, Case, Reply, problem_type
from tests.support.drivers.core import core_app, send_to

# Headers the core sets that every platform must pass through unchanged.
CONTRACT_HEADERS = (
    "content-type",
    "allow",
    "vary",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-expose-headers",
)
VOLATILE_KEYS = {"retrieved_at", "generated_at", "request_id"}


def _strip(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _strip(v) for k, v in doc.items() if k not in VOLATILE_KEYS}
    if isinstance(doc, list):
        return [_strip(v) for v in doc]
    return doc


def comparable(reply: Reply) -> tuple[int, dict[str, str], Any]:
    body = _strip(reply.json()) if reply.body else None
    if isinstance(body, dict) and body.get("status") == "ok":
        body.pop("platform", None)  # /health names the platform; checked separately
    headers = {name: reply.headers[name] for name in CONTRACT_HEADERS if name in reply.headers}
    return reply.status, headers, body


@pytest.fixture
def armed(fake_wiki: Any) -> Iterator[Any]:
    fake_wiki.reset()
    yield fake_wiki
    fake_wiki.reset()


def _send(case: Case, wiki: Any, send: Any) -> Reply:
    if case.fault:
        wiki.fail(case.fault)
    try:
        return send(case.call)
    finally:
        wiki.reset()


_reference: dict[str, Reply] = {}


def reference(case: Case, wiki: Any, env: dict[str, str]) -> Reply:
    """The core router's answer to ``case``, computed once per session."""
    if case.name not in _reference:
        _reference[case.name] = _send(case, wiki, lambda call: send_to(core_app(env), call))
    return _reference[case.name]


def check(case: Case, reply: Reply, platform: str) -> None:
    doc = reply.json() if reply.body else None
    match case.check:
        case "brief-chicago":
            assert doc["title"] == "Chicago"
            assert doc["schema_version"] == "1.1"
            assert len(doc["summary"]) == int(case.call.query.get("sentences", "5")) or len(
                doc["summary"]
            ) in (3, 5)
            assert doc["source"]["license"] == "CC BY-SA 4.0"
        case "unicode":
            assert doc["title"] == "São Paulo"
            assert "São Paulo".encode() in reply.body  # UTF-8, not \\u escapes
        case "compare":
            assert [leg["from"] for leg in doc["legs"]] == ["Chicago"]
            assert 650 < doc["legs"][0]["distance_km"] < 750
        case "health":
            assert doc["status"] == "ok"
            assert doc["platform"] == platform
        case "openapi":
            assert doc["openapi"].startswith("3.1")
        case "cors-preflight":
            assert reply.headers["access-control-allow-origin"] == ORIGIN
            assert "POST" in reply.headers["access-control-allow-methods"]
        case "cors-simple":
            assert reply.headers["access-control-allow-origin"] == ORIGIN
        case "allow":
            assert {"GET", "POST"} <= {m.strip() for m in reply.headers["allow"].split(",")}
        case "no-body":
            assert reply.body == b""
            assert reply.headers["content-type"].startswith("application/")
        case "candidates":
            assert doc["candidates"][0].startswith("Springfield, ")
        case None:
            pass
        case other:
            raise AssertionError(f"unknown check {other}")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_platform_answers_like_the_core(
    case: Case, platform_driver: tuple[str, Any], armed: Any, env: dict[str, str]
) -> None:
    platform, send = platform_driver
    # GIVEN the core router's answer to the same call
    expected = reference(case, armed, env)
    # WHEN the platform answers it
    reply = _send(case, armed, send)
    # THEN status, problem type, the case's check and the whole answer agree
    assert reply.status == case.status, reply.body[:500]
    assert reply.headers.get("x-request-id"), "every response carries X-Request-Id"
    if case.problem:  # (a HEAD answer has the problem's headers, but no body to check)
        assert reply.headers["content-type"].startswith("application/problem+json")
        assert reply.json()["type"] == problem_type(case.problem)
    check(case, reply, platform)
    assert comparable(reply) == comparable(expected)
