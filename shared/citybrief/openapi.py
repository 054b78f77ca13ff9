"""The OpenAPI 3.1 description of the HTTP contract in ``http``.

Built once, on the first request for ``/openapi.json``, from the same constants the
validators use, so the documented limits cannot drift from the enforced ones. The tests
check the paths and methods against ``http.ROUTES`` and the service's documents against
the schemas.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from . import __version__
from .languages import CODES
from .validation import (
    CITIES_MAX,
    CITIES_MIN,
    CITY_MAX_LENGTH,
    CITY_PATTERN,
    DEFAULT_LANG,
    LANG_PATTERN,
    SENTENCES_DEFAULT,
    SENTENCES_MAX,
    SENTENCES_MIN,
    SPEED_DEFAULT_KMH,
    SPEED_MAX_KMH,
    SPEED_MIN_KMH,
    city_pattern,
)

_SCHEMAS = "#/components/schemas/"
_RESPONSES = "#/components/responses/"

_CITY = {
    "type": "string",
    "minLength": 1,
    "maxLength": CITY_MAX_LENGTH,
    "pattern": CITY_PATTERN,
    "description": (
        "Not blank; no control characters, no U+FFFD (text that was not valid UTF-8) and "
        "none of # < > [ ] { } |. Surrounding white space is ignored. A name longer than "
        "255 UTF-8 bytes can be no Wikipedia title: 404 not-found."
    ),
    "examples": ["Chicago"],
}
_LANG = {"type": "string", "pattern": LANG_PATTERN, "default": DEFAULT_LANG}
_SENTENCES = {
    "type": "integer",
    "minimum": SENTENCES_MIN,
    "maximum": SENTENCES_MAX,
    "default": SENTENCES_DEFAULT,
}
_SPEED = {
    "type": "number",
    "minimum": SPEED_MIN_KMH,
    "maximum": SPEED_MAX_KMH,
    "default": SPEED_DEFAULT_KMH,
    "description": "Average road speed used for road travel times, in km/h.",
}
_CITIES = {
    "type": "array",
    "items": _CITY,
    "minItems": CITIES_MIN,
    "maxItems": CITIES_MAX,
    "uniqueItems": True,
    "description": (
        "City names, none sent twice: names that differ only in case, underscores or "
        "white space ('New York', 'new  york') are one city."
    ),
    "examples": [["Chicago", "Toronto"]],
}

# In the query the list is split on ",", so no item can hold one.
_QUERY_CITIES = {**_CITIES, "items": {**_CITY, "pattern": city_pattern(",")}}

# status -> (component name, description); every problem the API can answer.
_PROBLEMS = {
    "400": ("BadRequest", "Invalid input: the detail names the field."),
    "404": ("NotFound", "No such city (type .../not-found) or no such route (.../no-such-route)."),
    "405": ("MethodNotAllowed", "Method not allowed on this path; see the Allow header."),
    "408": ("RequestTimeout", "The request body did not arrive in time."),
    "409": ("Ambiguous", "The name matches several pages; see candidates."),
    "413": ("PayloadTooLarge", "The body exceeds 16384 bytes."),
    "415": ("UnsupportedMediaType", "The body is not application/json (UTF-8)."),
    "500": ("InternalError", "Unexpected failure; quote request_id."),
    "502": ("UpstreamError", "Wikipedia answered badly."),
    "504": (
        "UpstreamTimeout",
        "Wikipedia did not answer within the request's deadline (CITYBRIEF_DEADLINE, 20 s by "
        "default), which ends before the platform's own timeout. A comparison's cities share "
        "one deadline and it is all or nothing: no partial result; detail names the city.",
    ),
}
_SERVICE_PROBLEMS = ("400", "404", "409", "500", "502", "504")
_BODY_PROBLEMS = ("408", "413", "415")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _SCHEMAS + name}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An object whose every property is required (the documents never omit keys)."""
    return {"type": "object", "required": list(properties), "properties": properties, **extra}


_NULLABLE_STRING = {"type": ["string", "null"]}
_NON_NEGATIVE_OR_NULL = {"type": ["number", "null"], "minimum": 0}

_COMPONENT_SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status", "detail", "instance", "request_id"],
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string", "description": "The request path."},
            "request_id": {"type": "string", "description": "Also in X-Request-Id."},
            "candidates": {
                "type": "array",
                "items": {"type": "string"},
                "description": "409 only: matching page titles, places first.",
            },
        },
    },
    "Health": _object(
        {
            "status": {"const": "ok"},
            "version": {"type": "string"},
            "platform": {"type": "string"},
        }
    ),
    "BriefRequest": {
        **_object({"city": _CITY, "sentences": _SENTENCES, "lang": _LANG}),
        "required": ["city"],
        "additionalProperties": False,
    },
    "CompareRequest": {
        **_object({"cities": _CITIES, "speed_kmh": _SPEED, "lang": _LANG}),
        "required": ["cities"],
        "additionalProperties": False,
    },
    "Coordinates": _object(
        {
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
        }
    ),
    "Timezone": _object(
        {
            "iana": {**_NULLABLE_STRING, "examples": ["Europe/Lisbon"]},
            "utc_offset": {**_NULLABLE_STRING, "examples": ["UTC+01:00"]},
            "label": _NULLABLE_STRING,
        }
    ),
    "SentimentScore": _object(
        {
            "polarity": {"type": "number", "minimum": -1, "maximum": 1},
            "subjectivity": {"type": "number", "minimum": 0, "maximum": 1},
        }
    ),
    "Sentiment": _object(
        {
            "polarity": {"type": "number", "minimum": -1, "maximum": 1},
            "subjectivity": {"type": "number", "minimum": 0, "maximum": 1},
            "label": {"enum": ["positive", "neutral", "negative"]},
            "sections": {"type": "object", "additionalProperties": _ref("SentimentScore")},
        }
    ),
    "LogisticsItem": _object({"text": {"type": "string"}, "section": {"type": "string"}}),
    "Limit": _object(
        {
            "field": {"type": "string", "examples": ["sentiment", "facts.population"]},
            "reason": {"type": "string"},
        },
        description="A part of the brief that this language leaves out or computes less well.",
    ),
    "Analysis": _object(
        {
            "language": {
                "enum": [*CODES, None],
                "description": "The language profile the text was analysed with (headings, "
                "vocabularies, sentence rules, stopwords); null when the edition's language "
                "has none, and the brief then has only what needs no language knowledge.",
            },
            "limits": {
                "type": "array",
                "items": _ref("Limit"),
                "description": "Empty for English.",
            },
        }
    ),
    "Airport": _object(
        {
            "iata": {"type": "string", "pattern": "^[A-Z0-9]{3}$"},
            "name": {"type": "string"},
            "distance_km": {"type": "number", "minimum": 0},
            "commercial": {
                "type": "boolean",
                "description": "Scheduled passenger service at a large or medium airport;"
                " these come first in the list.",
            },
        }
    ),
    "Brief": _object(
        {
            "schema_version": {"const": "1.1"},
            "query": {"type": "string", "description": "The city as asked for."},
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "lang": {"type": "string", "pattern": LANG_PATTERN},
            "revision": {"type": ["integer", "null"]},
            "retrieved_at": {"type": "string", "format": "date-time"},
            "resolved_via": {"enum": ["exact", "normalized", "redirect", "search"]},
            "summary": {"type": "array", "items": {"type": "string"}},
            "logistics": _object(
                {
                    mode: {"type": "array", "items": _ref("LogisticsItem")}
                    for mode in ("air", "sea", "rail", "road", "transit")
                }
            ),
            "facts": _object(
                {
                    "coordinates": _nullable(_ref("Coordinates")),
                    "population": {"type": ["integer", "null"], "minimum": 0},
                    "population_source": _NULLABLE_STRING,
                    "timezone": _ref("Timezone"),
                    "airports": {"type": "array", "items": _ref("Airport")},
                }
            ),
            "sentiment": {
                **_nullable(_ref("Sentiment")),
                "description": "Null when the article's language has no kept sentiment "
                "lexicon (there is one for en and fr); analysis.limits says why.",
            },
            "key_phrases": {"type": "array", "items": {"type": "string"}},
            "analysis": _ref("Analysis"),
            "source": _object(
                {
                    "license": {"const": "CC BY-SA 4.0"},
                    "attribution": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                }
            ),
        }
    ),
    "Comparison": _object(
        {
            "schema_version": {"const": "1.1"},
            "cities": {
                "type": "array",
                "items": _object(
                    {
                        "title": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "coordinates": _nullable(_ref("Coordinates")),
                        "timezone": {
                            "type": ["string", "null"],
                            "description": "IANA time zone name, e.g. Europe/Paris",
                        },
                        "sentiment": _nullable(
                            {
                                **_ref("SentimentScore"),
                                "required": ["polarity", "subjectivity", "label"],
                                "properties": {
                                    "label": {"enum": ["positive", "neutral", "negative"]}
                                },
                            }
                        ),
                    }
                ),
            },
            "legs": {
                "type": "array",
                "items": _object(
                    {
                        "from": {"type": "string"},
                        "to": {"type": "string"},
                        "distance_km": _NON_NEGATIVE_OR_NULL,
                        "distance_mi": _NON_NEGATIVE_OR_NULL,
                        "road_hours": _NON_NEGATIVE_OR_NULL,
                        "flight_hours": _NON_NEGATIVE_OR_NULL,
                        "tz_offset_hours": {"type": ["number", "null"]},
                    }
                ),
            },
            "ranking": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Titles by polarity, most positive first; cities without a "
                "sentiment are left out.",
            },
            "assumptions": {"type": "object"},
        }
    ),
}


def _query(name: str, schema: dict[str, Any], *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def _operation(
    operation_id: str,
    summary: str,
    schema: str,
    problems: tuple[str, ...] = ("500",),
    *,
    parameters: list[dict[str, Any]] | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}},
            "content": {"application/json": {"schema": _ref(schema)}},
        }
    }
    responses |= {status: {"$ref": _RESPONSES + _PROBLEMS[status][0]} for status in problems}
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    return operation


def _build() -> dict[str, Any]:
    lang = _query("lang", _LANG)
    brief_get = _operation(
        "getBrief",
        "Logistics brief of one city",
        "Brief",
        _SERVICE_PROBLEMS,
        parameters=[_query("city", _CITY, required=True), _query("sentences", _SENTENCES), lang],
    )
    compare_get = _operation(
        "getCompare",
        "Compare 2-10 cities",
        "Comparison",
        _SERVICE_PROBLEMS,
        parameters=[
            {
                **_query("cities", _QUERY_CITIES, required=True),
                "style": "form",
                "explode": False,
            },
            _query("speed_kmh", _SPEED),
            lang,
        ],
    )
    problem_content = {"application/problem+json": {"schema": _ref("Problem")}}
    request_id_header = {"$ref": "#/components/headers/X-Request-Id"}
    responses: dict[str, Any] = {
        name: {
            "description": description,
            "headers": {"X-Request-Id": request_id_header},
            "content": problem_content,
        }
        for name, description in _PROBLEMS.values()
    }
    responses["MethodNotAllowed"]["headers"]["Allow"] = {
        "description": "The path's methods, plus OPTIONS.",
        "schema": {"type": "string"},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "citybrief",
            "version": __version__,
            "summary": "Logistics briefs of cities from Wikipedia.",
            "description": (
                "The same API on AWS Lambda, Google Cloud Functions and Azure Functions. "
                "Every path also answers OPTIONS (CORS preflight), and HEAD wherever it "
                "answers GET (the same answer without the body); any other method gets "
                "405 with an Allow header, an unknown path 404 (.../no-such-route). "
                "A repeated query parameter: the last value wins; query numbers are "
                "JSON numbers (15, 15.0, 1.5e2). Unknown query "
                "parameters are ignored; unknown JSON fields are rejected. Text content is "
                "from Wikipedia under CC BY-SA 4.0."
            ),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        # Relative to where this document is served, so platform base paths just work.
        "servers": [{"url": "."}],
        "paths": {
            "/brief": {
                "get": brief_get,
                "post": _operation(
                    "postBrief",
                    "Logistics brief of one city",
                    "Brief",
                    _SERVICE_PROBLEMS + _BODY_PROBLEMS,
                    body="BriefRequest",
                ),
            },
            "/compare": {
                "get": compare_get,
                "post": _operation(
                    "postCompare",
                    "Compare 2-10 cities",
                    "Comparison",
                    _SERVICE_PROBLEMS + _BODY_PROBLEMS,
                    body="CompareRequest",
                ),
            },
            "/health": {"get": _operation("getHealth", "Liveness and version", "Health")},
            "/openapi.json": {"get": _operation("getOpenapi", "This document", "OpenApiDocument")},
        },
        "components": {
            "schemas": {**_COMPONENT_SCHEMAS, "OpenApiDocument": {"type": "object"}},
            "responses": responses,
            "headers": {
                "X-Request-Id": {
                    "description": "The platform's request id, or a generated uuid4 hex.",
                    "schema": {"type": "string"},
                }
            },
        },
    }


@cache
def openapi_document() -> dict[str, Any]:
    """The document, built on first use; callers must not mutate it."""
    return _build()
