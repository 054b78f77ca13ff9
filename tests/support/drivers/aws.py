"""AWS Lambda: each ``Call`` becomes the event an AWS front door would send, built from
the committed fixtures in tests/events/aws, and goes through ``handler.handler``.

Four front doors, one function: API Gateway REST (1.0), HTTP API (2.0), Function URL and
ALB. The handler module is loaded once from aws_lambda/handler.py; each driver serves a
handler its ``create_app`` builds from the contract env.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from citybrief.settings import Settings
from tests.contract.cases import Call, Reply
from tests.events import load_event

HANDLER_PATH = Path(__file__).resolve().parents[3] / "aws_lambda" / "handler.py"
MODULE_NAME = "citybrief_aws_handler"  # not "handler": other adapters may own that name


def lambda_module(name: str, path: Path) -> tuple[ModuleType, bool]:
    """``path`` imported as Lambda imports a handler's module, under the unique ``name``,
    once (its globals are the cold start); whether this call imported it."""
    module = sys.modules.get(name)
    if module is not None:
        return module, False
    if str(path.parent) not in sys.path:  # Lambda's task root is on sys.path
        sys.path.append(str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module, True


def aws_handler() -> ModuleType:
    """aws_lambda/handler.py as a module, imported once (its globals are the cold start)."""
    # Tracer disables itself outside Lambda anyway; this also covers a Lambda-like CI.
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
    module, imported = lambda_module(MODULE_NAME, HANDLER_PATH)
    if imported:
        # The JSON log handler keeps the stream it was built with; make it follow
        # sys.stdout, as pytest's capture (capsys) swaps it per test.
        module.logger.registered_handler.setStream(_CurrentStdout())
    return module


class _CurrentStdout:
    """Writes to whatever ``sys.stdout`` is at the time of the write."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@dataclass
class FakeContext:
    """The LambdaContext attributes Powertools reads (logger keys, cold-start metric)."""

    aws_request_id: str = "11111111-2222-3333-4444-555555555555"
    function_name: str = "citybrief-test"
    function_version: str = "$LATEST"
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:citybrief-test"
    memory_limit_in_mb: int = 1024
    log_group_name: str = "/aws/lambda/citybrief-test"
    log_stream_name: str = "2026/01/01/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


# -- events ---------------------------------------------------------------------------------


def _body_fields(call: Call) -> dict[str, Any]:
    """Text bodies as text, anything else base64, as API Gateway's binary media types do."""
    if call.body is None:
        return {"body": None, "isBase64Encoded": False}
    content_type = next((v for k, v in call.headers.items() if k.lower() == "content-type"), "")
    if "json" in content_type or content_type.startswith("text/"):
        try:
            return {"body": call.body.decode("utf-8"), "isBase64Encoded": False}
        except UnicodeDecodeError:
            pass
    return {"body": base64.b64encode(call.body).decode("ascii"), "isBase64Encoded": True}


def _merge(base: dict[str, str], extra: dict[str, str], *, lower: bool) -> dict[str, str]:
    """Fixture headers overlaid with the call's, names compared case-insensitively."""
    names = {name.lower() for name in extra}
    merged = {name: value for name, value in base.items() if name.lower() not in names}
    merged.update({name.lower() if lower else name: value for name, value in extra.items()})
    return merged


def rest_event(call: Call, request_id: str | None = None) -> dict[str, Any]:
    """API Gateway REST proxy integration, payload 1.0, stage ``prod``."""
    event = load_event("aws/apigw_rest_get")
    headers = _merge(event["headers"], call.headers, lower=False)
    query = call.decoded_query()
    event.update(
        httpMethod=call.method,
        path=call.path,
        resource="/{proxy+}",
        pathParameters={"proxy": call.path.lstrip("/")},
        queryStringParameters=query or None,
        multiValueQueryStringParameters={k: [v] for k, v in query.items()} or None,
        headers=headers,
        multiValueHeaders={name: [value] for name, value in headers.items()},
        **_body_fields(call),
    )
    context = event["requestContext"]
    context.update(
        httpMethod=call.method,
        path=f"/{context['stage']}{call.path}",
        resourcePath="/{proxy+}",
        requestId=request_id or str(uuid.uuid4()),
    )
    return event


def _v2_event(name: str, call: Call, request_id: str | None) -> dict[str, Any]:
    event = load_event(name)
    context = event["requestContext"]
    stage = context.get("stage", "$default")
    raw_path = call.path if stage == "$default" else f"/{stage}{call.path}"
    event.update(
        rawPath=raw_path,
        rawQueryString=call.query_string(),
        queryStringParameters=call.decoded_query() or None,
        headers=_merge(event["headers"], call.headers, lower=True),
        **_body_fields(call),
    )
    if event["queryStringParameters"] is None:
        del event["queryStringParameters"]
    if event["body"] is None:  # 2.0 omits the key for a request without a body
        del event["body"]
    context["http"].update(method=call.method, path=raw_path)
    context["requestId"] = request_id or str(uuid.uuid4())
    return event


def http_event(call: Call, request_id: str | None = None) -> dict[str, Any]:
    """API Gateway HTTP API, payload 2.0, ``$default`` stage."""
    return _v2_event("aws/apigw_http_get", call, request_id)


def url_event(call: Call, request_id: str | None = None) -> dict[str, Any]:
    """Lambda Function URL (payload 2.0 on a ``.lambda-url.`` domain)."""
    return _v2_event("aws/function_url_get", call, request_id)


def alb_event(call: Call, request_id: str | None = None, *, multi: bool = False) -> dict[str, Any]:
    """ALB target: the query stays percent-encoded; ``multi`` is the multi-value mode."""
    event = load_event("aws/alb_get")
    trace = request_id or f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]}"
    headers = _merge(event.pop("headers"), {**call.headers, "X-Amzn-Trace-Id": trace}, lower=True)
    # The pairs as sent, still escaped (a repeated name: the last one, as ALB's map keeps).
    query = dict(pair.partition("=")[::2] for pair in call.query_string().split("&") if pair)
    del event["queryStringParameters"]
    if multi:
        event["multiValueHeaders"] = {name: [value] for name, value in headers.items()}
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
    else:
        event["headers"] = headers
        event["queryStringParameters"] = query
    event.update(httpMethod=call.method, path=call.path, **_body_fields(call))
    if event["body"] is None:
        event["body"] = ""
    return event


def reply_from(result: dict[str, Any]) -> Reply:
    """The Lambda result as the HTTP response the front door would send."""
    headers = {name.lower(): str(value) for name, value in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name.lower()] = ", ".join(str(value) for value in values)
    text = result.get("body") or ""
    body = base64.b64decode(text) if result.get("isBase64Encoded") else text.encode("utf-8")
    return Reply(int(result["statusCode"]), headers, body)


# -- drivers --------------------------------------------------------------------------------


def _driver(build: Callable[[Call], dict[str, Any]]) -> Callable[[dict[str, str]], Any]:
    @contextmanager
    def factory(env: dict[str, str]) -> Iterator[Callable[[Call], Reply]]:
        handler = aws_handler().create_app(Settings.from_env(env, platform="aws"))

        def send(call: Call) -> Reply:
            context = FakeContext(aws_request_id=str(uuid.uuid4()))
            return reply_from(handler(build(call), context))

        yield send

    return factory


DRIVERS = {
    "aws-rest": ("aws", _driver(rest_event)),
    "aws-http": ("aws", _driver(http_event)),
    "aws-url": ("aws", _driver(url_event)),
    "aws-alb": ("aws", _driver(alb_event)),
}
