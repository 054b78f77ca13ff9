"""The OpenAPI document is valid, matches the router, and describes what the app answers."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from citybrief.errors import BadInput
from citybrief.http import ROUTES, Request
from citybrief.openapi import openapi_document
from citybrief.validation import (
    CITIES_MAX,
    CITY_MAX_LENGTH,
    CITY_PATTERN,
    LANG_PATTERN,
    SENTENCES_MAX,
    SPEED_MAX_KMH,
    validate_city,
)

from .test_http import get, make_app, post

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def schema_validator(ref: str) -> jsonschema.Draft202012Validator:
    """A validator for one component, resolving $refs inside the whole document."""
    document = openapi_document()
    return jsonschema.Draft202012Validator(
        {"$ref": ref, "components": document["components"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def test_document_is_valid_openapi_3_1() -> None:
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_paths_and_methods_match_the_router() -> None:
    documented = {
        path: {m.upper() for m in item if m in METHODS}
        for path, item in openapi_document()["paths"].items()
    }
    assert documented == {path: set(methods) for path, methods in ROUTES.items()}


def test_documented_limits_are_the_enforced_ones() -> None:
    schemas = openapi_document()["components"]["schemas"]
    brief = schemas["BriefRequest"]["properties"]
    compare = schemas["CompareRequest"]["properties"]
    assert brief["city"]["maxLength"] == CITY_MAX_LENGTH
    assert brief["sentences"]["maximum"] == SENTENCES_MAX
    assert brief["lang"]["pattern"] == LANG_PATTERN
    assert compare["cities"]["maxItems"] == CITIES_MAX
    assert compare["speed_kmh"]["maximum"] == SPEED_MAX_KMH


def _ok_schema(path: str, method: str) -> str:
    operation = openapi_document()["paths"][path][method]
    return str(operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"])


@pytest.mark.parametrize(
    "request_",
    [
        get("/health"),
        get("/openapi.json"),
        get("/brief", city="São Paulo"),
        post("/brief", {"city": "Zürich", "sentences": 2}),
        get("/compare", cities="Lisbon,Porto,Faro"),
        post("/compare", {"cities": ["Lisbon", "Porto"], "speed_kmh": 60}),
    ],
    ids=lambda r: f"{r.method} {r.path}",
)
def test_success_bodies_match_their_schema(request_: Request) -> None:
    response = make_app().app.handle(request_)
    assert response.status == 200
    schema_validator(_ok_schema(request_.path, request_.method.lower())).validate(response.json())


@pytest.mark.parametrize(
    ("request_", "status"),
    [
        (get("/brief"), 400),
        (get("/brief", city="Nowhere"), 404),
        (get("/nope"), 404),
        (Request("PUT", "/brief"), 405),
        (get("/brief", city="Springfield"), 409),
        (post("/brief", b"{}", "text/plain"), 415),
        (get("/brief", city="Boom"), 500),
        (get("/brief", city="Brokentown"), 502),
        (get("/compare", cities="A,Slowtown"), 504),
    ],
    ids=lambda v: str(v) if isinstance(v, int) else f"{v.method} {v.path}",
)
def test_problem_bodies_match_the_problem_schema(request_: Request, status: int) -> None:
    response = make_app().app.handle(request_)
    assert response.status == status
    schema_validator("#/components/schemas/Problem").validate(response.json())


@pytest.mark.parametrize("status", ["400", "404", "409", "500", "502", "504"])
def test_every_service_operation_documents_the_service_problems(status: str) -> None:
    for path in ("/brief", "/compare"):
        for method in ("get", "post"):
            responses: dict[str, Any] = openapi_document()["paths"][path][method]["responses"]
            assert status in responses


@pytest.mark.parametrize(
    ("value", "valid"),
    [("en", True), ("zh-min-nan", True), ("EN", False), ("en.x", False), ("a@b", False)],
)
def test_lang_pattern_means_the_same_in_json_schema(value: str, valid: bool) -> None:
    errors = list(jsonschema.Draft202012Validator({"pattern": LANG_PATTERN}).iter_errors(value))
    assert (not errors) is valid


@pytest.mark.parametrize(
    "value",
    [
        "Chicago",
        " São Paulo ",
        "\u3000x",
        "   ",
        "",
        "\ufeff",
        "a\n",
        "a\x85b",
        "Chicago#History",
        "a|b",
        "[x]",
        "\ufffdChicago",
        "x" * 200,
        " " + "x" * 200,
    ],
)
def test_city_schema_and_validation_agree(value: str) -> None:
    # GIVEN a city name  WHEN the documented schema and the validator judge it
    schema = openapi_document()["components"]["schemas"]["BriefRequest"]["properties"]["city"]
    valid_by_schema = jsonschema.Draft202012Validator(schema).is_valid(value)
    try:
        validate_city(value)
        valid_by_code = True
    except BadInput:
        valid_by_code = False
    # THEN they agree, and the schema states the code's own pattern
    assert valid_by_schema is valid_by_code
    assert schema["pattern"] == CITY_PATTERN
