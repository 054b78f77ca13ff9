"""The batch state machine (aws_lambda/statemachine/batch.asl.json) run by moto's interpreter.

moto executes the definition itself when ``stepfunctions.execute_state_machine`` is on,
and with ``lambda.use_docker`` off its Lambda never runs our code: each invoke answers
the next canned result queued through moto's API (``/moto-api/static/lambda-simple/
response``), or echoes its payload when the queue is empty. Canned results here are what
the real handler answers to the state machine's own events (fake wiki), so the test
covers: event shape, Map order, Retry, Catch, and the S3 results document.

GIVEN the template's definition with its substitutions filled in
WHEN an execution briefs a batch of cities
THEN it succeeds and s3://<bucket>/results/<execution>.json has, in input order, every
     city's brief or error.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
import requests
from cfnlint.decode import cfn_yaml
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.core.exceptions import JsonRESTError

from citybrief.http import App
from citybrief.service import BriefService
from citybrief.settings import Settings
from tests.contract.driver_aws import FakeContext, aws_handler, swapped_app
from tests.events import load_event

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "aws_lambda" / "template.yaml"
REGION = "us-east-1"
BUCKET = "citybrief-results-test"
UNKNOWN = "Qwxzyville Nonexistent"
LAMBDA_QUEUE = "http://motoapi.amazonaws.com/moto-api/static/lambda-simple/response"
MOTO_CONFIG: Any = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}


def state_machine_resource() -> dict[str, Any]:
    template: dict[str, Any] = cfn_yaml.load(str(TEMPLATE))
    (machine,) = (
        r for r in template["Resources"].values() if r["Type"] == "AWS::Serverless::StateMachine"
    )
    props: dict[str, Any] = machine["Properties"]
    return props


def definition(function_arn: str, max_concurrency: int = 2) -> str:
    """The ASL file the template deploys, with the template's substitutions filled in."""
    props = state_machine_resource()
    text: str = (TEMPLATE.parent / props["DefinitionUri"]).read_text(encoding="utf-8")
    values = {
        "BriefFunctionArn": function_arn,
        "ResultsBucket": BUCKET,
        "MapMaxConcurrency": str(max_concurrency),
    }
    # Every placeholder is substituted by the template, and only those.
    assert set(re.findall(r"\$\{(\w+)\}", text)) == set(props["DefinitionSubstitutions"])
    assert set(values) == set(props["DefinitionSubstitutions"])
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


class Throttled(JsonRESTError):
    """What Lambda answers when the account or function is out of concurrency."""

    code = 429

    def __init__(self) -> None:
        super().__init__("TooManyRequestsException", "Rate Exceeded.")


@dataclass
class Aws:
    """moto's clients plus a deployed copy of the brief function and results bucket."""

    sfn: Any
    s3: Any
    function_arn: str
    role_arn: str

    def state_machine(self, max_concurrency: int = 2) -> str:
        arn: str = self.sfn.create_state_machine(
            name=f"citybrief-batch-{time.monotonic_ns()}",
            definition=definition(self.function_arn, max_concurrency),
            roleArn=self.role_arn,
        )["stateMachineArn"]
        return arn

    def run(self, machine: str, batch: dict[str, Any], name: str) -> dict[str, Any]:
        """Start an execution, wait (bounded) for it to end, return its description."""
        execution = self.sfn.start_execution(
            stateMachineArn=machine, name=name, input=json.dumps(batch)
        )["executionArn"]
        deadline = time.monotonic() + 60.0
        while True:
            described: dict[str, Any] = self.sfn.describe_execution(executionArn=execution)
            if described["status"] != "RUNNING" or time.monotonic() > deadline:
                return described
            time.sleep(0.1)

    def results(self, name: str) -> dict[str, Any]:
        body = self.s3.get_object(Bucket=BUCKET, Key=f"results/{name}.json")["Body"].read()
        document: dict[str, Any] = json.loads(body)
        return document


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    """In-process moto with dummy credentials: the interpreter's own boto3 calls are mocked too."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws(config=MOTO_CONFIG):
        role = boto3.client("iam", region_name=REGION).create_role(
            RoleName="citybrief-test", AssumeRolePolicyDocument="{}"
        )["Role"]["Arn"]
        function = boto3.client("lambda", region_name=REGION).create_function(
            FunctionName="citybrief-test",
            Runtime="python3.12",
            Role=role,
            Handler="handler.handler",
            Code={"ZipFile": b"not run: moto answers canned results"},
        )["FunctionArn"]
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        yield Aws(boto3.client("stepfunctions", region_name=REGION), s3, function, role)


@pytest.fixture
def lam(settings: Settings) -> Iterator[ModuleType]:
    """The real handler module serving a core App aimed at the fake wiki."""
    module = aws_handler()
    app = App(lambda: BriefService(settings), settings, on_complete=module.record_metrics)
    with swapped_app(module, app):
        yield module


def queue_lambda_results(*results: dict[str, Any]) -> None:
    """Queue what the next invokes answer, through moto's documented API."""
    payloads = [json.dumps(result) for result in results]
    reply = requests.post(LAMBDA_QUEUE, json={"results": payloads, "region": REGION}, timeout=5)
    assert reply.status_code == 201


def scripted_lambda(
    monkeypatch: pytest.MonkeyPatch, script: dict[str, list[Callable[[dict[str, str]], Any]]]
) -> None:
    """Per-city misbehaviour: moto's queue cannot fail an invoke, so wrap the backend.

    Each call for a scripted city runs its next step (raise, or set headers and return a
    body); everything else falls through to moto (queue, then echo).
    """
    original = LambdaSimpleBackend.invoke

    def invoke(
        self: LambdaSimpleBackend,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: dict[str, str],
    ) -> Any:
        steps = script.get(json.loads(body).get("city"), [])
        if steps:
            return steps.pop(0)(response_headers)
        return original(self, function_name, qualifier, body, headers, response_headers)

    monkeypatch.setattr(LambdaSimpleBackend, "invoke", invoke)


def throttle(response_headers: dict[str, str]) -> Any:
    raise Throttled()


def time_out(response_headers: dict[str, str]) -> bytes:
    """An unhandled function error, as Lambda reports a function that ran out of time."""
    response_headers["x-amz-function-error"] = "Unhandled"
    error = {"errorType": "Sandbox.Timedout", "errorMessage": "Task timed out after 30.00 seconds"}
    return json.dumps(error).encode()


# -- tests ------------------------------------------------------------------------------------


def test_every_city_gets_its_brief_or_error_in_input_order(aws: Aws, lam: ModuleType) -> None:
    # GIVEN what the handler answers to each city's task event (a brief, a 404 problem)
    cities = ["Chicago", UNKNOWN, "Chicago"]
    answers = [lam.handler({"city": city, "sentences": 2}, FakeContext()) for city in cities]
    assert answers[1]["error"]["status"] == 404
    # queued in input order; concurrency 1 makes the invokes consume them in that order
    queue_lambda_results(*answers)
    machine = aws.state_machine(max_concurrency=1)
    # WHEN a batch runs
    done = aws.run(machine, {"cities": cities, "sentences": 2}, "batch-order")
    # THEN it succeeds, says where the results are, and they are complete and in order
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == {"bucket": BUCKET, "key": "results/batch-order.json"}
    document = aws.results("batch-order")
    assert document["execution"] == "batch-order"
    assert document["sentences"] == 2
    assert [r["city"] for r in document["results"]] == cities
    assert [r["result"] for r in document["results"]] == answers
    assert document["results"][0]["result"]["title"] == "Chicago"


def test_each_invoke_is_the_direct_invoke_event(aws: Aws) -> None:
    # GIVEN nothing queued: moto's Lambda echoes the event it was invoked with
    machine = aws.state_machine()  # the template's default concurrency, 2
    # WHEN a batch runs
    done = aws.run(machine, {"cities": ["Chicago", "Lisbon", "Oslo"], "sentences": 2}, "echo")
    assert done["status"] == "SUCCEEDED", done
    # THEN every city got {"city", "sentences"}: the committed Step Functions task event
    results = aws.results("echo")["results"]
    assert results[0]["result"] == load_event("aws/stepfunctions_task")
    assert [r["result"] for r in results] == [
        {"city": city, "sentences": 2} for city in ("Chicago", "Lisbon", "Oslo")
    ]


def test_sentences_defaults_to_the_core_default(aws: Aws) -> None:
    # GIVEN a batch without "sentences"  WHEN it runs
    done = aws.run(aws.state_machine(), {"cities": ["Chicago"]}, "defaults")
    assert done["status"] == "SUCCEEDED", done
    # THEN the task event carries the core's default (validation.SENTENCES_DEFAULT)
    from citybrief.validation import SENTENCES_DEFAULT

    document = aws.results("defaults")
    assert document["sentences"] == SENTENCES_DEFAULT
    assert document["results"] == [
        {"city": "Chicago", "result": {"city": "Chicago", "sentences": SENTENCES_DEFAULT}}
    ]


def test_throttled_invokes_are_retried(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN Lambda throttles Lisbon twice, then answers
    scripted_lambda(monkeypatch, {"Lisbon": [throttle, throttle]})
    # WHEN a batch runs
    began = time.monotonic()
    done = aws.run(aws.state_machine(), {"cities": ["Chicago", "Lisbon"], "sentences": 2}, "retry")
    # THEN the third attempt's answer is Lisbon's result, after two failed attempts
    assert done["status"] == "SUCCEEDED", done
    results = aws.results("retry")["results"]
    assert results[1] == {"city": "Lisbon", "result": {"city": "Lisbon", "sentences": 2}}
    history = aws.sfn.get_execution_history(executionArn=done["executionArn"])["events"]
    failures = [e["taskFailedEventDetails"]["error"] for e in history if e["type"] == "TaskFailed"]
    assert failures == ["Lambda.TooManyRequestsException"] * 2
    assert time.monotonic() - began < 30  # FULL jitter: at most 2 s + 4 s of waiting


def test_a_crash_is_recorded_and_the_batch_still_succeeds(
    aws: Aws, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the function times out on Lisbon (not retryable: a new attempt would too)
    scripted_lambda(monkeypatch, {"Lisbon": [time_out]})
    # WHEN a batch runs
    done = aws.run(
        aws.state_machine(), {"cities": ["Chicago", "Lisbon", "Oslo"], "sentences": 2}, "crash"
    )
    # THEN the batch succeeds and Lisbon's entry is an error naming what happened
    assert done["status"] == "SUCCEEDED", done
    results = aws.results("crash")["results"]
    assert [r["city"] for r in results] == ["Chicago", "Lisbon", "Oslo"]
    error = results[1]["result"]["error"]
    assert error["error"] == "Sandbox.Timedout"
    assert "timed out" in error["cause"]
    assert "error" not in results[0]["result"]
    assert "error" not in results[2]["result"]


# -- the other side of the task: the handler given the state machine's event --------------------


def test_handler_answers_the_task_event_with_the_brief_itself(lam: ModuleType) -> None:
    # GIVEN the committed event one Map iteration sends  WHEN the real handler runs it
    document = lam.handler(load_event("aws/stepfunctions_task"), FakeContext())
    # THEN the result is the brief document, not an HTTP envelope
    assert "statusCode" not in document
    assert document["title"] == "Chicago"
    assert len(document["summary"]) == 2


def test_handler_answers_an_unknown_city_with_an_error_document(lam: ModuleType) -> None:
    # GIVEN the task event for a city Wikipedia does not have
    event = {**load_event("aws/stepfunctions_task"), "city": UNKNOWN}
    # WHEN handled  THEN a normal result {"error": problem}: the state machine records it as is
    document = lam.handler(event, FakeContext(aws_request_id="task-404"))
    assert set(document) == {"error"}
    assert document["error"]["status"] == 404
    assert document["error"]["request_id"] == "task-404"
