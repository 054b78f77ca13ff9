"""The Lambda adapter answers a comparison that runs out of time with our 504, in time.

GIVEN an HTTP API event for ten cities and a slow Wikipedia
WHEN aws_lambda/handler.py's ``handler`` runs it
THEN the request's one budget ends it: a 504 ``upstream-timeout`` problem document comes
     back within the deadline, long before API Gateway's 30 s would answer for us.
"""

from __future__ import annotations

import dataclasses
import time

from citybrief.http import App
from citybrief.service import BriefService
from citybrief.settings import Settings
from tests.contract.cases import Call
from tests.core.test_deadlines import BOUND, DEADLINE, LATENCY_MS, TEN, warm
from tests.support.drivers.aws import FakeContext, aws_handler, http_event, reply_from
from tests.support.fakewiki import FakeWiki


def test_slow_cities_get_a_504_problem_within_the_deadline(
    settings: Settings, wiki: FakeWiki
) -> None:
    short = dataclasses.replace(settings, read_timeout=10.0, deadline=DEADLINE)
    service = BriefService(short)
    warm(App(lambda: service, short))  # the service's first brief imports the NLP stack
    handler = aws_handler().create_app(short, lambda: service)
    wiki.latency_ms = LATENCY_MS
    event = http_event(Call("GET", "/compare", {"cities": ",".join(TEN)}))
    started = time.monotonic()

    result = handler(event, FakeContext())

    assert time.monotonic() - started < BOUND
    reply = reply_from(result)
    assert result["statusCode"] == 504, reply.body[:300]
    assert reply.headers["content-type"] == "application/problem+json"
    problem = reply.json()
    assert problem["type"] == "https://citybrief.dev/problems/upstream-timeout"
    assert problem["status"] == 504
    assert problem["request_id"] == reply.headers["x-request-id"]
