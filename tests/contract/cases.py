"""The conformance table: one HTTP call per case, with what every adapter must answer.

Each case is sent to every platform's driver; ``test_conformance`` checks the
expectations below and that every platform's answer equals the core router's answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from citybrief.errors import PROBLEM_BASE

ORIGIN = "https://app.example"  # the one CORS origin the contract run allows
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Call:
    """A platform-neutral HTTP request; ``path`` is relative to the platform's base path.

    ``raw_query`` is a query string sent exactly as written (percent-escapes and all),
    for bytes ``query`` cannot spell; it replaces ``query`` when given.
    """

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    raw_query: str | None = None

    def query_string(self) -> str:
        """The query as it travels: ``raw_query``, else ``query`` as UTF-8 escapes."""
        return self.raw_query if self.raw_query is not None else urlencode(self.query)

    def decoded_query(self) -> dict[str, str]:
        """The query as a front door that decodes it hands it on (UTF-8, errors replaced,
        last value winning): API Gateway's query maps, Azure's ``params``."""
        return dict(parse_qsl(self.query_string(), keep_blank_values=True))


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Case:
    name: str
    call: Call
    status: int
    problem: str | None = None  # problem slug for error cases
    fault: str | None = None  # fake Wikipedia fault to arm before the call
    check: str | None = None  # name of an extra check in test_conformance


def post(path: str, doc: Any, **headers: str) -> Call:
    return Call("POST", path, headers={**JSON, **headers}, body=json.dumps(doc).encode())


CASES: list[Case] = [
    # -- success --------------------------------------------------------------------
    Case(
        "brief-get",
        Call("GET", "/brief", {"city": "Chicago", "sentences": "3"}),
        200,
        check="brief-chicago",
    ),
    Case(
        "brief-post",
        post("/brief", {"city": "Chicago", "sentences": 3}),
        200,
        check="brief-chicago",
    ),
    Case(
        "brief-redirect",
        Call("GET", "/brief", {"city": "Chicago, Illinois"}),
        200,
        check="brief-chicago",
    ),
    Case("brief-unicode", Call("GET", "/brief", {"city": "São Paulo"}), 200, check="unicode"),
    Case("brief-unicode-post", post("/brief", {"city": "Zürich", "sentences": 2}), 200),
    Case(
        "compare-get", Call("GET", "/compare", {"cities": "Chicago,Toronto"}), 200, check="compare"
    ),
    Case(
        "compare-post",
        post("/compare", {"cities": ["Chicago", "Toronto"], "speed_kmh": 100}),
        200,
        check="compare",
    ),
    Case("health", Call("GET", "/health"), 200, check="health"),
    Case("openapi", Call("GET", "/openapi.json"), 200, check="openapi"),
    Case(
        "cors-preflight",
        Call(
            "OPTIONS",
            "/brief",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        ),
        204,
        check="cors-preflight",
    ),
    Case(
        "cors-simple", Call("GET", "/health", headers={"Origin": ORIGIN}), 200, check="cors-simple"
    ),
    # -- client errors ---------------------------------------------------------------
    Case("missing-city", Call("GET", "/brief"), 400, "bad-input"),
    Case(
        "sentences-zero",
        Call("GET", "/brief", {"city": "Chicago", "sentences": "0"}),
        400,
        "bad-input",
    ),
    Case(
        "sentences-text",
        Call("GET", "/brief", {"city": "Chicago", "sentences": "abc"}),
        400,
        "bad-input",
    ),
    Case(
        "lang-host",
        Call("GET", "/brief", {"city": "Chicago", "lang": "en.evil.com"}),
        400,
        "bad-input",
    ),
    Case("city-too-long", Call("GET", "/brief", {"city": "x" * 201}), 400, "bad-input"),
    Case("one-city", Call("GET", "/compare", {"cities": "Chicago"}), 400, "bad-input"),
    Case("invalid-json", Call("POST", "/brief", headers=JSON, body=b"{not json"), 400, "bad-input"),
    Case("not-found", Call("GET", "/brief", {"city": "Qwxzyville Nonexistent"}), 404, "not-found"),
    Case("no-such-route", Call("GET", "/nope"), 404, "no-such-route"),
    Case("double-slash", Call("GET", "//brief", {"city": "Chicago"}), 404, "no-such-route"),
    Case(
        "query-not-utf8",
        Call("GET", "/brief", raw_query="city=%FFChicago"),
        400,
        "bad-input",
    ),
    Case(
        "query-encoded-surrogate",
        Call("GET", "/brief", raw_query="city=%ED%A0%80"),
        400,
        "bad-input",
    ),
    Case("city-title-char", Call("GET", "/brief", {"city": "Chicago#Economy"}), 400, "bad-input"),
    Case("head-health", Call("HEAD", "/health"), 200, check="no-body"),
    Case("head-bad-input", Call("HEAD", "/brief"), 400, check="no-body"),
    Case("wrong-method", Call("DELETE", "/brief"), 405, "method-not-allowed", check="allow"),
    Case(
        "ambiguous",
        Call("GET", "/brief", {"city": "Springfield"}),
        409,
        "ambiguous",
        check="candidates",
    ),
    Case(
        "too-large",
        Call("POST", "/brief", headers=JSON, body=b'{"city": "' + b"x" * 17000 + b'"}'),
        413,
        "payload-too-large",
    ),
    Case(
        "not-json",
        Call("POST", "/brief", headers={"Content-Type": "text/plain"}, body=b"city=Chicago"),
        415,
        "unsupported-media-type",
    ),
    # -- upstream failures -----------------------------------------------------------
    Case(
        "upstream-500",
        Call("GET", "/brief", {"city": "Boston"}),
        502,
        "upstream-error",
        fault="500",
    ),
    Case(
        "upstream-hang",
        Call("GET", "/brief", {"city": "Boston"}),
        504,
        "upstream-timeout",
        fault="hang",
    ),
]


def problem_type(slug: str) -> str:
    return PROBLEM_BASE + slug
