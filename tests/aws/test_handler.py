"""The AWS Lambda adapter, driven with the committed events against the fake Wikipedia.

GIVEN an event from tests/events/aws (mutated to the call under test)
WHEN aws_lambda/handler.py's ``handler`` runs it
THEN the event source is detected, the core answers, and the answer has that source's
     shape; Powertools writes JSON logs with the request id and EMF metrics to stdout.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from aws_lambda_powertools.logging import logger as powertools_logger

from citybrief.cache import SafeCache
from citybrief.service import BriefService
from citybrief.settings import Settings
from tests.contract.cases import Call, post
from tests.events import load_event
from tests.support.drivers.aws import (
    FakeContext,
    alb_event,
    aws_handler,
    http_event,
    reply_from,
    rest_event,
    url_event,
)

BRIEF_CHICAGO = Call("GET", "/brief", {"city": "Chicago", "sentences": "2"})
Handler = Callable[[Any, Any], Any]
BUILDERS = {"rest": rest_event, "http": http_event, "url": url_event, "alb": alb_event}


class BrokenCache:
    """A cache backend that always fails, to make the core log a warning."""

    def get(self, key: str) -> Any:
        raise ConnectionError("cache unreachable")

    def put(self, key: str, value: Any, ttl: float | None = None) -> None:
        raise ConnectionError("cache unreachable")


@pytest.fixture
def lam(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Handler:
    """A handler the module's ``create_app`` aims at the fake wiki, logging to capsys."""
    handler: Handler = aws_handler().create_app(settings)
    return handler


def invoke(handler: Handler, event: Any, request_id: str = "lambda-req-1") -> Any:
    return handler(event, FakeContext(aws_request_id=request_id))


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def emf_documents(text: str) -> list[dict[str, Any]]:
    return [doc for doc in json_lines(text) if "_aws" in doc]


def value(doc: dict[str, Any], name: str) -> float:
    """An EMF value: Powertools writes a list when a metric may hold several."""
    raw = doc[name]
    return float(sum(raw)) if isinstance(raw, list) else float(raw)


def log_records(text: str) -> list[dict[str, Any]]:
    return [doc for doc in json_lines(text) if "_aws" not in doc]


# -- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "source"),
    [
        ("aws/apigw_rest_get", "apigw-rest"),
        ("aws/apigw_http_get", "apigw-http"),
        ("aws/function_url_get", "function-url"),
        ("aws/alb_get", "alb"),
        ("aws/direct_invoke", "direct"),
    ],
)
def test_each_committed_event_is_detected_as_its_source(fixture: str, source: str) -> None:
    # GIVEN a committed event  WHEN it is classified  THEN it is its own source
    detected = aws_handler().detect(load_event(fixture))
    assert detected is not None
    assert detected.name == source


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_every_http_source_serves_a_brief(lam: Handler, name: str) -> None:
    # GIVEN GET /brief?city=Chicago as that front door sends it
    event = BUILDERS[name](BRIEF_CHICAGO)
    # WHEN the handler runs it
    result = invoke(lam, event)
    # THEN the result has the proxy shape and the body is the core's brief
    assert result["statusCode"] == 200
    assert result["isBase64Encoded"] is False
    reply = reply_from(result)
    assert reply.headers["content-type"] == "application/json; charset=utf-8"
    assert reply.json()["title"] == "Chicago"
    assert len(reply.json()["summary"]) == 2


def test_request_id_comes_from_the_request_context(lam: Handler) -> None:
    # GIVEN an HTTP API event with its own request id  WHEN handled
    reply = reply_from(invoke(lam, http_event(Call("GET", "/health"), "apigw-id-42")))
    # THEN the API Gateway id, not the Lambda one, is the request id
    assert reply.headers["x-request-id"] == "apigw-id-42"


# -- paths, queries, headers, bodies ----------------------------------------------------------


def test_named_http_api_stage_is_stripped_from_raw_path(lam: Handler) -> None:
    # GIVEN an HTTP API event on stage "prod", whose rawPath carries the stage
    event = http_event(Call("GET", "/health"))
    event["requestContext"]["stage"] = "prod"
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/prod/health"
    # WHEN handled  THEN the core sees /health
    assert invoke(lam, event)["statusCode"] == 200


def test_default_stage_path_is_taken_verbatim(lam: Handler) -> None:
    # GIVEN the $default stage and a path that merely looks like a stage  THEN no stripping
    event = http_event(Call("GET", "/prod/health"))
    assert invoke(lam, event)["statusCode"] == 404


def test_http_api_repeated_query_parameter_last_value_wins(lam: Handler) -> None:
    # GIVEN rawQueryString repeating sentences (queryStringParameters would comma-join)
    event = http_event(Call("GET", "/brief"))
    event["rawQueryString"] = "city=Chicago&sentences=9&sentences=1"
    # WHEN handled  THEN the last value is used, as on every platform
    assert len(reply_from(invoke(lam, event)).json()["summary"]) == 1


def test_alb_query_is_percent_decoded(lam: Handler) -> None:
    # GIVEN an ALB event whose query is still encoded as the client sent it
    event = alb_event(Call("GET", "/brief", {"city": "São Paulo"}))
    assert event["queryStringParameters"] == {"city": "S%C3%A3o+Paulo"}
    # WHEN handled  THEN the core got the decoded name
    result = invoke(lam, event)
    assert result["statusCode"] == 200
    assert json.loads(result["body"])["title"] == "São Paulo"
    assert result["statusDescription"] == "200 OK"


def test_alb_multi_value_mode_answers_with_multi_value_headers(lam: Handler) -> None:
    # GIVEN a target group with multi-value headers on
    event = alb_event(BRIEF_CHICAGO, multi=True)
    assert "headers" not in event
    # WHEN handled
    result = invoke(lam, event)
    # THEN the response uses multiValueHeaders only, each a list
    assert "headers" not in result
    assert result["multiValueHeaders"]["Content-Type"] == ["application/json; charset=utf-8"]
    trace_header = event["multiValueHeaders"]["x-amzn-trace-id"][0]
    assert result["multiValueHeaders"]["X-Request-Id"] == [trace_header.removeprefix("Root=")]
    assert json.loads(result["body"])["title"] == "Chicago"


def test_base64_body_is_decoded(lam: Handler) -> None:
    # GIVEN a REST event whose JSON body API Gateway base64-encoded
    event = rest_event(post("/brief", {"city": "Chicago", "sentences": 1}))
    event["body"] = base64.b64encode(event["body"].encode()).decode()
    event["isBase64Encoded"] = True
    # WHEN handled  THEN the core parsed the JSON
    result = invoke(lam, event)
    assert result["statusCode"] == 200, result["body"]
    assert json.loads(result["body"])["title"] == "Chicago"


def test_invalid_base64_body_is_a_problem_not_a_crash(lam: Handler) -> None:
    # GIVEN a body flagged base64 that is not
    event = rest_event(post("/brief", {"city": "Chicago"}))
    event.update(body="***not base64***", isBase64Encoded=True)
    # WHEN handled  THEN a 400 problem in the proxy shape
    result = invoke(lam, event)
    assert result["statusCode"] == 400
    assert result["headers"]["Content-Type"] == "application/problem+json"
    assert json.loads(result["body"])["type"].endswith("/bad-input")


def test_preflight_answers_204_with_an_empty_body(lam: Handler) -> None:
    # GIVEN an OPTIONS preflight through a Function URL  THEN 204 and "" as body
    result = invoke(lam, url_event(Call("OPTIONS", "/brief")))
    assert result["statusCode"] == 204
    assert result["body"] == ""


# -- direct invoke ----------------------------------------------------------------------------


def test_direct_invoke_returns_the_brief_itself(lam: Handler) -> None:
    # GIVEN what `aws lambda invoke --payload '{"city": "Chicago"}'` sends
    event = load_event("aws/direct_invoke")
    # WHEN handled  THEN the brief document, with no HTTP envelope
    document = invoke(lam, event)
    assert document["title"] == "Chicago"
    assert "statusCode" not in document


def test_direct_invoke_compares_cities(lam: Handler) -> None:
    document = invoke(lam, {"cities": ["Chicago", "Toronto"], "speed_kmh": 100})
    assert [leg["from"] for leg in document["legs"]] == ["Chicago"]


@pytest.mark.parametrize(
    ("event", "slug"),
    [
        ({"city": ""}, "bad-input"),
        ({"city": "Chicago", "sentencez": 2}, "bad-input"),
        ({"city": "Qwxzyville Nonexistent"}, "not-found"),
    ],
)
def test_direct_invoke_failure_is_an_error_document(
    lam: Handler, event: dict[str, Any], slug: str
) -> None:
    # GIVEN a direct invoke the core refuses  WHEN handled  THEN {"error": problem}
    document = invoke(lam, event, request_id="direct-1")
    assert set(document) == {"error"}
    assert document["error"]["type"].endswith("/" + slug)
    assert document["error"]["request_id"] == "direct-1"


@pytest.mark.parametrize("event", [{"Records": [{"s3": {}}]}, ["Chicago"], "Chicago", None])
def test_unrecognised_event_is_a_clear_error_document(lam: Handler, event: Any) -> None:
    # GIVEN an event of a source this function does not serve
    # WHEN handled
    document = invoke(lam, event)
    # THEN a bad-input problem naming what was seen, not a traceback
    problem = document["error"]
    assert problem["status"] == 400
    assert problem["type"].endswith("/bad-input")
    assert "Unrecognised event" in problem["detail"]
    if isinstance(event, dict):
        assert "Records" in problem["detail"]


# -- observability ----------------------------------------------------------------------------


def test_emf_metrics_are_printed_for_each_invocation(
    lam: Handler, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a brief that must fetch from Wikipedia
    # WHEN handled
    invoke(lam, http_event(BRIEF_CHICAGO))
    # THEN one EMF document carries latency and the upstream request count
    docs = [doc for doc in emf_documents(capsys.readouterr().out) if "Latency" in doc]
    assert len(docs) == 1
    doc = docs[0]
    names = {m["Name"] for m in doc["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert {"Latency", "CacheHit", "CacheMiss", "UpstreamRequests"} <= names
    assert doc["_aws"]["CloudWatchMetrics"][0]["Namespace"] == aws_handler().metrics.namespace
    assert value(doc, "UpstreamRequests") >= 1
    assert value(doc, "CacheMiss") == 1
    assert value(doc, "Latency") > 0
    assert doc["service"] == "citybrief"


def test_health_reports_no_stale_upstream_stats(
    lam: Handler, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a warm function that just served a brief
    invoke(lam, http_event(BRIEF_CHICAGO))
    capsys.readouterr()
    # WHEN /health is served next  THEN its metrics do not repeat the brief's requests
    invoke(lam, http_event(Call("GET", "/health")))
    docs = [doc for doc in emf_documents(capsys.readouterr().out) if "Latency" in doc]
    assert value(docs[0], "UpstreamRequests") == 0


def test_logs_are_json_with_request_id_even_from_inside_the_core(
    lam: Handler, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a cache that fails on every operation (the core logs and carries on)
    broken = SafeCache(BrokenCache(), "broken://")
    handler = aws_handler().create_app(settings, lambda: BriefService(settings, cache=broken))
    # WHEN a brief is served through API Gateway
    result = invoke(handler, rest_event(BRIEF_CHICAGO, "rest-req-7"))
    assert result["statusCode"] == 200
    # THEN every log line is JSON, and the cache warning carries the request id
    records = log_records(capsys.readouterr().out)
    warnings = [r for r in records if r.get("name") == "citybrief.cache"]
    assert warnings, records
    assert warnings[0]["level"] == "WARNING"
    assert warnings[0]["request_id"] == "rest-req-7"
    assert warnings[0]["correlation_id"] == "rest-req-7"
    access = [r for r in records if r.get("http_path") == "/brief"]
    assert access[0]["request_id"] == "rest-req-7"
    assert access[0]["function_request_id"] == "lambda-req-1"


def test_cold_start_flag_is_true_only_on_the_first_invocation(
    lam: Handler, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a fresh container
    monkeypatch.setattr(powertools_logger, "is_cold_start", True)
    # WHEN two requests arrive
    invoke(lam, http_event(Call("GET", "/health")))
    invoke(lam, http_event(Call("GET", "/health")))
    # THEN only the first one's log line says cold_start
    access = [r for r in log_records(capsys.readouterr().out) if r.get("http_path") == "/health"]
    assert [r["cold_start"] for r in access] == [True, False]


# -- events of the wrong shape ------------------------------------------------------------


def _number_header(event: dict[str, Any]) -> None:
    event["headers"]["content-length"] = 12


def _number_trace_id(event: dict[str, Any]) -> None:
    event["headers"]["x-amzn-trace-id"] = 12345


def _number_request_id(event: dict[str, Any]) -> None:
    event["requestContext"]["requestId"] = 42


def _object_body(event: dict[str, Any]) -> None:
    event["body"] = {"city": "Chicago"}


def _text_base64_flag(event: dict[str, Any]) -> None:
    event["isBase64Encoded"] = "yes"


def _multi_value_not_a_list(event: dict[str, Any]) -> None:
    event["multiValueHeaders"] = {"accept": "*/*"}


def _list_request_context(event: dict[str, Any]) -> None:
    event["requestContext"] = ["elb"]
    event["httpMethod"] = "GET"


@pytest.mark.parametrize(
    ("builder", "spoil", "field"),
    [
        ("http", _number_header, "headers"),
        ("alb", _number_trace_id, "headers"),
        ("rest", _object_body, "body"),
        ("url", _text_base64_flag, "isBase64Encoded"),
        ("rest", _multi_value_not_a_list, "multiValueHeaders"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_field_of_the_wrong_type_is_a_problem_with_a_request_id(
    lam: Handler, builder: str, spoil: Any, field: str
) -> None:
    # GIVEN an event whose field has a JSON type no front door sends
    event = BUILDERS[builder](BRIEF_CHICAGO, "front-door-7")
    spoil(event)
    # WHEN handled
    result = invoke(lam, event, request_id="lambda-req-9")
    # THEN a 400 problem in the proxy shape, naming the field, carrying the request id in
    #      the header and the body, and no Python exception text
    reply = reply_from(result)
    problem = reply.json()
    assert reply.status == 400
    assert reply.headers["content-type"] == "application/problem+json"
    assert problem["type"].endswith("/bad-input")
    assert field in problem["detail"]
    assert "Error" not in problem["detail"]
    assert problem["request_id"] == reply.headers["x-request-id"]
    assert problem["request_id"] in {"front-door-7", "lambda-req-9"}
    assert problem["instance"] == "/brief"


def test_a_non_string_request_id_falls_back_to_the_invocation_id(lam: Handler) -> None:
    # GIVEN an HTTP API event whose requestId is a number
    event = http_event(Call("GET", "/health"))
    _number_request_id(event)
    # WHEN handled  THEN it is served, under Lambda's own request id
    reply = reply_from(invoke(lam, event, request_id="lambda-req-3"))
    assert reply.status == 200
    assert reply.headers["x-request-id"] == "lambda-req-3"


def test_a_request_context_of_the_wrong_type_is_a_clear_error(lam: Handler) -> None:
    # GIVEN an event whose requestContext is a list  WHEN handled
    document = invoke(lam, _spoiled(load_event("aws/apigw_rest_get"), _list_request_context))
    # THEN the unrecognised-event problem, with the invocation's request id
    assert document["error"]["status"] == 400
    assert document["error"]["request_id"] == "lambda-req-1"


def _spoiled(event: dict[str, Any], spoil: Any) -> dict[str, Any]:
    spoil(event)
    return event


def test_a_deeply_nested_direct_invoke_is_a_problem_not_a_crash(lam: Handler) -> None:
    # GIVEN a direct invoke nested ~1000 levels deep (more than JSON encoding recurses)
    payload: Any = "Chicago"
    for _ in range(1000):
        payload = [payload]
    # WHEN handled
    document = invoke(lam, {"city": payload}, request_id="direct-deep")
    # THEN {"error": problem} with the request id and no exception text
    problem = document["error"]
    assert problem["type"].endswith("/bad-input")
    assert problem["request_id"] == "direct-deep"
    assert problem["instance"] == "/brief"
    assert "Recursion" not in problem["detail"]


def test_head_answers_like_get_without_a_body(lam: Handler) -> None:
    # GIVEN HEAD /health through an HTTP API  WHEN handled
    result = invoke(lam, http_event(Call("HEAD", "/health")))
    # THEN 200, GET's Content-Type, and an empty body
    assert result["statusCode"] == 200
    assert result["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert result["body"] == ""


@pytest.mark.parametrize(
    ("header", "request_id"),
    [
        ("Root=1-5759e988-bd862e3fe1be46a994272793", "1-5759e988-bd862e3fe1be46a994272793"),
        (
            "Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793",
            "1-5759e988-bd862e3fe1be46a994272793",
        ),
        ("Root=not-a-trace", "lambda-req-5"),
        ("Root=1-5759e988-bd862e3fe1be46a994272793;Evil=a b", "lambda-req-5"),
        ("anything I like", "lambda-req-5"),
    ],
)
def test_alb_request_id_is_a_well_formed_trace_root_only(
    lam: Handler, header: str, request_id: str
) -> None:
    # GIVEN an ALB event whose X-Amzn-Trace-Id a client may have written
    event = alb_event(Call("GET", "/health"), header)
    # WHEN handled  THEN only a well-formed Root becomes the request id
    reply = reply_from(invoke(lam, event, request_id="lambda-req-5"))
    assert reply.headers["x-request-id"] == request_id
