"""The batch state machine (aws_lambda/statemachine/batch.asl.json) run by moto's interpreter.

moto executes the definition itself when ``stepfunctions.execute_state_machine`` is on.
With ``lambda.use_docker`` off its Lambda never runs code on its own: each invoke answers
the next canned result queued through moto's API, or echoes its payload. Here the invoke
is routed to the real batch task (aws_lambda/batch_task.py) in process, briefing against
the fake wiki and writing to moto's S3, so the test covers the task event, Map order,
Retry, Catch, every city's S3 record and the S3 index, and how large the execution's
state grows. Like Step Functions, moto fails a state whose input or output passes
256 KiB (States.DataLimitExceeded): a Map that carried ~5 KB briefs failed at ~50 cities.

GIVEN the template's definition with its substitutions filled in
WHEN an execution briefs a batch of cities
THEN it succeeds, s3://<bucket>/results/<execution>/<index>.json holds each city's record
     and s3://<bucket>/results/<execution>.json lists {city, status, key} in input order.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.core.exceptions import JsonRESTError
from moto.s3.models import S3Backend
from moto.stepfunctions.parser.asl.component.common.retry import retrier_decl

from citybrief.service import BriefService
from citybrief.settings import Settings
from citybrief.validation import DEFAULT_LANG, SENTENCES_DEFAULT
from tests.events import load_event
from tests.support.drivers.aws import FakeContext, lambda_module
from tests.support.fakewiki import FakeWiki
from tests.support.templates import load_template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "aws_lambda" / "template.yaml"
TASK_PATH = ROOT / "aws_lambda" / "batch_task.py"
TASK_MODULE = "citybrief_aws_batch_task"  # not "batch_task": keep the import path unique
REGION = "us-east-1"
BUCKET = "citybrief-results-test"
UNKNOWN = "Qwxzyville Nonexistent"
MOTO_CONFIG: Any = {
    "stepfunctions": {"execute_state_machine": True},
    "lambda": {"use_docker": False},
}
STATE_LIMIT = 256 * 1024  # Step Functions' cap on a state's input or output, in bytes
# The fake wiki's recorded articles (../shared/wiki): real briefs of realistic size.
REFERENCE_CITIES = (
    "Atlanta",
    "Beijing",
    "Berlin",
    "Boston",
    "Cairo",
    "Chicago",
    "Copenhagen",
    "Houston",
    "Karachi",
    "Lisbon",
    "London",
    "Moscow",
    "Munich",
    "Paris",
    "Seattle",
    "Shanghai",
    "Tokyo",
    "Toronto",
)


def state_machine_resource() -> dict[str, Any]:
    template: dict[str, Any] = load_template(TEMPLATE)
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
        "BatchFunctionArn": function_arn,
        "ResultsBucket": BUCKET,
        "MapMaxConcurrency": str(max_concurrency),
    }
    # Every placeholder is substituted by the template, and only those.
    assert set(re.findall(r"\$\{(\w+)\}", text)) == set(props["DefinitionSubstitutions"])
    assert set(values) == set(props["DefinitionSubstitutions"])
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def batch_task_module() -> ModuleType:
    """aws_lambda/batch_task.py as a module, imported once (its globals are the cold start)."""
    return lambda_module(TASK_MODULE, TASK_PATH)[0]


class Throttled(JsonRESTError):
    """What Lambda answers when the account or function is out of concurrency."""

    code = 429

    def __init__(self) -> None:
        super().__init__("TooManyRequestsException", "Rate Exceeded.")


@dataclass
class Aws:
    """moto's clients plus a deployed copy of the batch function and results bucket."""

    sfn: Any
    s3: Any
    function_arn: str
    role_arn: str
    retry_waits: list[float]  # seconds each Retry asked to wait, in order (not slept)

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
        deadline = time.monotonic() + 120.0
        while True:
            described: dict[str, Any] = self.sfn.describe_execution(executionArn=execution)
            if described["status"] != "RUNNING" or time.monotonic() > deadline:
                return described
            time.sleep(0.1)

    def read(self, key: str) -> Any:
        return json.loads(self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())

    def index(self, name: str) -> dict[str, Any]:
        document: dict[str, Any] = self.read(f"results/{name}.json")
        return document

    def history(self, execution_arn: str) -> list[dict[str, Any]]:
        pages = self.sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
        return [event for page in pages for event in page["events"]]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Aws]:
    """In-process moto with dummy credentials: the interpreter's own boto3 calls are mocked too.

    The interpreter's Retry waits are recorded in ``retry_waits`` instead of slept.
    """
    waits: list[float] = []
    monkeypatch.setattr(retrier_decl, "time", SimpleNamespace(sleep=waits.append))
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
            FunctionName="citybrief-batch-test",
            Runtime="python3.12",
            Role=role,
            Handler="batch_task.handler",
            Code={"ZipFile": b"not run by moto: see task_runs()"},
        )["FunctionArn"]
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET)
        yield Aws(boto3.client("stepfunctions", region_name=REGION), s3, function, role, waits)


Task = Callable[[dict[str, Any], Any], dict[str, Any]]


@pytest.fixture
def task(aws: Aws, settings: Settings) -> Task:
    """The real batch task, briefing against the fake wiki and writing to moto's S3.

    A memory cache, as a warm function has: a batch that repeats a city pays for it once.
    """
    service = BriefService(dataclasses.replace(settings, cache="memory"))
    handler: Task = batch_task_module().create_task(settings, s3=aws.s3, service=service)
    return handler


Step = Callable[[dict[str, str]], Any]


def task_runs(
    monkeypatch: pytest.MonkeyPatch,
    handler: Task,
    script: dict[str, list[Step]] | None = None,
) -> list[dict[str, Any]]:
    """Make moto's Lambda run the batch task; returns the events it was invoked with.

    A scripted city's next step runs instead (raise, or set headers and return a body):
    moto's own queue cannot fail an invoke.
    """
    steps = script or {}
    seen: list[dict[str, Any]] = []

    def invoke(
        self: LambdaSimpleBackend,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: dict[str, str],
    ) -> Any:
        event = json.loads(body)
        seen.append(event)
        pending = steps.get(event.get("city"), [])
        if pending:
            return pending.pop(0)(response_headers)
        try:
            answer = handler(event, FakeContext(aws_request_id=f"task-{len(seen)}"))
        except Exception as error:  # what the Lambda runtime reports for a raise
            response_headers["x-amz-function-error"] = "Unhandled"
            answer = {"errorType": type(error).__name__, "errorMessage": str(error)}
        return json.dumps(answer).encode()

    monkeypatch.setattr(LambdaSimpleBackend, "invoke", invoke)
    return seen


def throttle(response_headers: dict[str, str]) -> Any:
    raise Throttled()


def time_out(response_headers: dict[str, str]) -> bytes:
    """An unhandled function error, as Lambda reports a function that ran out of time."""
    response_headers["x-amz-function-error"] = "Unhandled"
    error = {"errorType": "Sandbox.Timedout", "errorMessage": "Task timed out after 30.00 seconds"}
    return json.dumps(error).encode()


def payloads(history: list[dict[str, Any]]) -> list[str]:
    """Every input, output and parameters (JSON text) the events of an execution carry."""
    return [
        value
        for event in history
        for key, details in event.items()
        if key.endswith("EventDetails")
        for value in details.values()
        if isinstance(value, str)
    ]


# -- the state machine ------------------------------------------------------------------------


def test_every_city_gets_its_record_and_the_index_lists_them_in_order(
    aws: Aws, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the batch task serving moto's Lambda
    task_runs(monkeypatch, task)
    cities = ["Chicago", UNKNOWN, "Lisbon", "Chicago"]
    # WHEN a batch runs
    done = aws.run(aws.state_machine(), {"cities": cities, "sentences": 2}, "batch-order")
    # THEN it succeeds and says where its index is
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == {"bucket": BUCKET, "key": "results/batch-order.json"}
    # AND the index lists a small entry per city, in input order, each keyed by its position
    index = aws.index("batch-order")
    assert index["execution"] == "batch-order"
    assert (index["sentences"], index["lang"]) == (2, "en")
    assert index["results"] == [
        {"city": city, "status": status, "key": f"results/batch-order/{position}.json"}
        for position, (city, status) in enumerate(
            zip(cities, ["ok", "not_found", "ok", "ok"], strict=True)
        )
    ]
    # AND each key holds that city's citybrief.records record: the brief, or the problem
    chicago, unknown, lisbon, again = (aws.read(entry["key"]) for entry in index["results"])
    assert chicago["status"] == "ok" and chicago["city"] == "Chicago"
    assert chicago["brief"]["title"] == "Chicago" and len(chicago["brief"]["summary"]) == 2
    assert lisbon["brief"]["title"] == "Lisbon"
    assert again == chicago
    assert unknown["status"] == "not_found"
    assert unknown["error"]["status"] == 404
    assert unknown["lang"] == "en"


def test_each_invoke_is_the_task_event(aws: Aws) -> None:
    # GIVEN moto's Lambda left to itself: it echoes the event it was invoked with
    machine = aws.state_machine()  # the template's default concurrency, 2
    # WHEN a batch runs
    done = aws.run(machine, {"cities": ["Chicago", "Lisbon", "Oslo"], "sentences": 2}, "echo")
    assert done["status"] == "SUCCEEDED", done
    # THEN every city got the committed task event's shape, with its own key
    results = aws.index("echo")["results"]
    assert results[0] == load_event("aws/stepfunctions_task")
    assert results == [
        {
            "city": city,
            "sentences": 2,
            "lang": "en",
            "bucket": BUCKET,
            "key": f"results/echo/{position}.json",
        }
        for position, city in enumerate(("Chicago", "Lisbon", "Oslo"))
    ]


def test_sentences_and_lang_default_to_the_core_defaults(
    aws: Aws, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a batch without "sentences" or "lang"
    events = task_runs(monkeypatch, task)
    # WHEN it runs
    done = aws.run(aws.state_machine(), {"cities": ["Chicago"]}, "defaults")
    assert done["status"] == "SUCCEEDED", done
    # THEN the task event carries the core's defaults (validation.SENTENCES_DEFAULT, DEFAULT_LANG)
    assert [(e["sentences"], e["lang"]) for e in events] == [(SENTENCES_DEFAULT, DEFAULT_LANG)]
    index = aws.index("defaults")
    assert (index["sentences"], index["lang"]) == (SENTENCES_DEFAULT, DEFAULT_LANG)
    brief = aws.read(index["results"][0]["key"])["brief"]
    assert len(brief["summary"]) == SENTENCES_DEFAULT


def test_throttled_invokes_are_retried(
    aws: Aws, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN Lambda throttles Lisbon twice, then runs it
    task_runs(monkeypatch, task, {"Lisbon": [throttle, throttle]})
    # WHEN a batch runs
    done = aws.run(aws.state_machine(), {"cities": ["Chicago", "Lisbon"], "sentences": 2}, "retry")
    # THEN the third attempt's record is Lisbon's, after two failed attempts
    assert done["status"] == "SUCCEEDED", done
    entry = aws.index("retry")["results"][1]
    assert entry == {"city": "Lisbon", "status": "ok", "key": "results/retry/1.json"}
    assert aws.read(entry["key"])["brief"]["title"] == "Lisbon"
    history = aws.history(done["executionArn"])
    failures = [e["taskFailedEventDetails"]["error"] for e in history if e["type"] == "TaskFailed"]
    assert failures == ["Lambda.TooManyRequestsException"] * 2
    # after waits the definition's FULL jitter draws below 2 s, then below 4 s
    first, second = aws.retry_waits
    assert 0 <= first <= 2 and 0 <= second <= 4


def test_a_wikipedia_outage_is_retried_then_recorded_as_failed(
    aws: Aws, settings: Settings, monkeypatch: pytest.MonkeyPatch, wiki: FakeWiki
) -> None:
    # GIVEN Wikipedia failing every request (a transient failure for the one policy)
    wiki.fail("500")
    no_retries = dataclasses.replace(settings, max_retries=0)
    task_runs(monkeypatch, batch_task_module().create_task(no_retries, s3=aws.s3))
    # WHEN a one-city batch runs
    done = aws.run(aws.state_machine(), {"cities": ["Lisbon"], "sentences": 2}, "outage")
    # THEN the task raised TransientBatchError, was retried twice, then the Catch recorded it
    assert done["status"] == "SUCCEEDED", done
    history = aws.history(done["executionArn"])
    failures = [e["taskFailedEventDetails"]["error"] for e in history if e["type"] == "TaskFailed"]
    assert failures == ["TransientBatchError"] * 3
    first, second = aws.retry_waits  # FULL jitter below 2 s, then below 4 s
    assert 0 <= first <= 2 and 0 <= second <= 4
    (entry,) = aws.index("outage")["results"]
    assert entry == {"city": "Lisbon", "status": "failed", "key": "results/outage/0.json"}
    record = aws.read(entry["key"])
    assert record["status"] == "failed" and record["error"]["error"] == "TransientBatchError"
    problem = json.loads(json.loads(record["error"]["cause"])["errorMessage"])
    assert problem["status"] == 502


def test_a_crash_is_recorded_and_the_batch_still_succeeds(
    aws: Aws, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the function times out on Lisbon (not retryable: a new attempt would too)
    task_runs(monkeypatch, task, {"Lisbon": [time_out]})
    # WHEN a batch runs
    cities = ["Chicago", "Lisbon", UNKNOWN]
    done = aws.run(aws.state_machine(), {"cities": cities, "sentences": 2}, "crash")
    # THEN the batch succeeds; Lisbon's entry says failed and points at its record
    assert done["status"] == "SUCCEEDED", done
    results = aws.index("crash")["results"]
    assert [(r["city"], r["status"]) for r in results] == [
        ("Chicago", "ok"),
        ("Lisbon", "failed"),
        (UNKNOWN, "not_found"),
    ]
    # AND the record, written by the state machine itself, names what happened
    record = aws.read(results[1]["key"])
    assert record["city"] == "Lisbon" and record["lang"] == "en"
    assert record["status"] == "failed"
    assert record["error"]["error"] == "Sandbox.Timedout"
    assert "timed out" in record["error"]["cause"]


def test_a_crash_s3_refuses_to_record_is_named_in_the_index(
    aws: Aws, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the function times out on Lisbon and S3 refuses Lisbon's key
    task_runs(monkeypatch, task, {"Lisbon": [time_out]})
    original = S3Backend.put_object

    def put_object(self: S3Backend, bucket_name: str, key_name: str, *args: Any, **kw: Any) -> Any:
        if key_name == "results/unstored/1.json":
            raise JsonRESTError("ServiceUnavailable", "Please reduce your request rate.")
        return original(self, bucket_name, key_name, *args, **kw)

    monkeypatch.setattr(S3Backend, "put_object", put_object)
    # WHEN a batch runs
    cities = ["Chicago", "Lisbon"]
    done = aws.run(aws.state_machine(), {"cities": cities, "sentences": 2}, "unstored")
    # THEN the batch still succeeds, and the index carries the error's name instead of a key
    assert done["status"] == "SUCCEEDED", done
    results = aws.index("unstored")["results"]
    assert results[0]["status"] == "ok"
    assert results[1] == {"city": "Lisbon", "status": "failed", "error": "Sandbox.Timedout"}


def test_a_300_city_batch_keeps_its_state_small_and_every_brief_in_s3(
    aws: Aws, task: Task, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN 300 cities whose briefs together far exceed Step Functions' 256 KiB state limit
    cities = [REFERENCE_CITIES[n % len(REFERENCE_CITIES)] for n in range(300)]
    task_runs(monkeypatch, task)
    # WHEN the batch runs with the template's default concurrency
    done = aws.run(aws.state_machine(), {"cities": cities, "sentences": 5}, "batch-300")
    # THEN it succeeds, and every city's brief is in S3, where its index entry says
    assert done["status"] == "SUCCEEDED", done
    results = aws.index("batch-300")["results"]
    assert [r["city"] for r in results] == cities
    assert {r["status"] for r in results} == {"ok"}
    assert len({r["key"] for r in results}) == 300
    records = [aws.s3.get_object(Bucket=BUCKET, Key=r["key"])["Body"].read() for r in results]
    assert [json.loads(body)["brief"]["title"] for body in records] == cities
    brief_bytes = sum(len(body) for body in records)
    assert brief_bytes > 4 * STATE_LIMIT  # carried in the state, they would fail the run
    # AND no state the execution passed through comes near the limit: no brief is in it
    # (moto, like Step Functions, would have failed the run past 256 KiB)
    states = payloads(aws.history(done["executionArn"]))
    assert max(len(state.encode("utf-8")) for state in states) < STATE_LIMIT / 4
    assert not [state for state in states if '"summary"' in state]


def test_a_batch_over_the_cap_fails_before_any_work(aws: Aws) -> None:
    # GIVEN more cities than one execution's state and history can hold
    cities = [f"City {n}" for n in range(1001)]
    # WHEN it is started
    done = aws.run(aws.state_machine(), {"cities": cities}, "too-many")
    # THEN it fails at once, naming why, and no city was briefed
    assert done["status"] == "FAILED", done
    assert done["error"] == "citybrief.TooManyCities"
    history = aws.history(done["executionArn"])
    assert not [e for e in history if e["type"].startswith("Map")]
    assert aws.s3.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 0


# -- the other side of the task: the batch function given the state machine's event ---------------


def test_task_stores_the_record_and_answers_a_small_entry(aws: Aws, task: Task) -> None:
    # GIVEN the committed event one Map iteration sends  WHEN the real task runs it
    entry = task(load_event("aws/stepfunctions_task"), FakeContext())
    # THEN the answer is the index entry only, and the brief is in S3 at the event's key
    assert entry == {"city": "Chicago", "status": "ok", "key": "results/echo/0.json"}
    record = aws.read("results/echo/0.json")
    assert set(record) == {"city", "lang", "status", "brief"}
    assert record["brief"]["title"] == "Chicago"
    assert len(record["brief"]["summary"]) == 2
    stored = aws.s3.head_object(Bucket=BUCKET, Key="results/echo/0.json")
    assert stored["ContentType"] == "application/json"


def test_task_records_a_bad_city_without_failing(aws: Aws, task: Task) -> None:
    # GIVEN task events the core rejects: a name too long, and sentences out of range
    base = load_event("aws/stepfunctions_task")
    long_name = {**base, "city": "x" * 201, "key": "results/bad/0.json"}
    many = {**base, "sentences": 99, "key": "results/bad/1.json"}
    # WHEN handled  THEN each is a bad_input record with its problem, not an exception
    for event in (long_name, many):
        entry = task(event, FakeContext(aws_request_id="task-400"))
        assert entry == {"city": event["city"], "status": "bad_input", "key": event["key"]}
        record = aws.read(event["key"])
        assert record["status"] == "bad_input"
        assert record["error"]["status"] == 400
