"""The Azure batch path: a queue message in, briefs and error records out, in real Azurite.

GIVEN function_app.py imported with CITYBRIEF_QUEUE_NAME set, AzureWebJobsStorage aimed
at Azurite and the brief service aimed at the fake wiki
WHEN the host indexes it, or the queue function runs with the QueueMessage the worker
builds from the host's trigger metadata
THEN bindings, blobs and retries (raise or complete) are what the module notes promise.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import azure.functions as func
import azure_queue
import pytest
from azure.core.exceptions import AzureError
from azure.storage.blob import BlobServiceClient, ContainerClient

from citybrief.clouds.azure import AzureSettings
from citybrief.records import path_segment
from citybrief.service import BriefService
from citybrief.settings import Settings
from tests.support.drivers.azure import (
    FUNCTION_APP,
    InvocationContext,
    load_function_app,
    queue_message,
)
from tests.support.emulators import Emulator, azurite_connection_string, free_port
from tests.support.fakewiki import FakeWiki

QUEUE = "citybrief-requests"
HOST_JSON = json.loads((FUNCTION_APP.parent / "host.json").read_text(encoding="utf-8"))
MAX_DEQUEUE = HOST_JSON["extensions"]["queues"]["maxDequeueCount"]

Send = Callable[..., None]


@pytest.fixture
def storage(azurite_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """AzureWebJobsStorage on Azurite, a fresh container per test; returns its name."""
    for name, value in azurite_emulator.env.items():
        monkeypatch.setenv(name, value)
    container = f"briefs{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("CITYBRIEF_QUEUE_NAME", QUEUE)
    monkeypatch.setenv("CITYBRIEF_BLOB_CONTAINER", container)
    monkeypatch.delenv("CITYBRIEF_AUTH_LEVEL", raising=False)
    return container


@pytest.fixture
def queue_app(storage: str, settings: Settings) -> func.FunctionApp:
    """The app ``create_app`` builds from the environment, briefing from the fake wiki."""
    # No Wikipedia retries: a failed message is the host's to redeliver, and here they only wait.
    core = dataclasses.replace(settings, platform="azure", max_retries=0)
    service = BriefService(core)
    cloud = AzureSettings(queue_name=QUEUE, blob_container=storage)
    app: func.FunctionApp = load_function_app().create_app(core, lambda: service, cloud)
    return app


@pytest.fixture
def queue_functions(queue_app: func.FunctionApp) -> dict[str, func.Function]:
    return {f.get_function_name() or "": f for f in queue_app.get_functions()}


@pytest.fixture
def blobs(storage: str, azurite_emulator: Emulator) -> Iterator[ContainerClient]:
    """A reader of the test's container, independent of the function's own client."""
    service = BlobServiceClient.from_connection_string(azurite_emulator.env["AzureWebJobsStorage"])
    yield service.get_container_client(storage)


@pytest.fixture
def send(queue_functions: dict[str, func.Function]) -> Send:
    """Run the queue function's user code as the worker would."""
    user_function = queue_functions["queue_briefs"].get_user_function()

    def call(message: func.QueueMessage) -> None:
        user_function(message, InvocationContext("queue_briefs"))

    return call


def names(blobs: ContainerClient) -> list[str]:
    return sorted(blob.name for blob in blobs.list_blobs()) if blobs.exists() else []


def read(blobs: ContainerClient, name: str) -> Any:
    return json.loads(blobs.download_blob(name).readall())


# -- what the host indexes --------------------------------------------------------------


def test_queue_trigger_binding(queue_functions: dict[str, func.Function]) -> None:
    # GIVEN the app indexed with CITYBRIEF_QUEUE_NAME set
    function = queue_functions["queue_briefs"]
    # WHEN its raw bindings are read, as the host receives them
    bindings = [json.loads(raw) for raw in function.get_raw_bindings()]
    # THEN one queue trigger, its queue left for the host to resolve from the app setting
    assert bindings == [
        {
            "type": "queueTrigger",
            "direction": "IN",
            "name": "msg",
            "queueName": "%CITYBRIEF_QUEUE_NAME%",
            "connection": "AzureWebJobsStorage",
        }
    ]
    params = inspect.signature(function.get_user_function()).parameters
    assert params["msg"].annotation is func.QueueMessage
    assert params["context"].annotation is func.Context


def test_no_queue_setting_no_queue_function(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN an app without CITYBRIEF_QUEUE_NAME (an HTTP-only deployment)
    monkeypatch.delenv("CITYBRIEF_QUEUE_NAME", raising=False)
    monkeypatch.delenv("CITYBRIEF_AUTH_LEVEL", raising=False)
    # WHEN it is indexed
    module = load_function_app()
    found = {f.get_function_name() for f in module.app.get_functions()}
    # THEN no queue function, whose unresolvable %setting% would stop the whole host
    assert "queue_briefs" not in found
    assert {"brief", "compare", "health"} <= found


def test_poison_threshold_comes_from_host_json() -> None:
    # GIVEN host.json's queue settings
    queues = HOST_JSON["extensions"]["queues"]
    # WHEN the module reads them at import
    # THEN it poisons on the host's own last attempt, and senders post plain JSON
    assert azure_queue.MAX_DEQUEUE_COUNT == queues["maxDequeueCount"] == 5
    assert queues["messageEncoding"] == "none"


# -- messages -------------------------------------------------------------------------


def test_city_brief_lands_under_its_title(send: Send, blobs: ContainerClient) -> None:
    # GIVEN a one-city message
    # WHEN the queue function runs
    send(queue_message(json.dumps({"city": "chicago", "sentences": 2})))
    # THEN the brief is stored under the resolved title, as JSON
    assert names(blobs) == ["briefs/en/Chicago.json"]
    brief = read(blobs, "briefs/en/Chicago.json")
    assert brief["title"] == "Chicago"
    assert len(brief["summary"]) == 2
    props = blobs.get_blob_client("briefs/en/Chicago.json").get_blob_properties()
    assert props.content_settings.content_type == "application/json; charset=utf-8"


def test_permanent_failures_are_recorded_and_complete(send: Send, blobs: ContainerClient) -> None:
    # GIVEN a message with a good, an unknown and an ambiguous city
    message = queue_message(
        json.dumps({"cities": ["Chicago", "Qwxzyville Nonexistent", "Springfield"]})
    )
    # WHEN the queue function runs (no exception: a retry could not change the outcome)
    send(message)
    # THEN the brief and two error records, each naming the message and the attempt
    assert names(blobs) == [
        "briefs/en/Chicago.json",
        "errors/en/qwxzyville nonexistent.json",
        "errors/en/springfield.json",
    ]
    missing = read(blobs, "errors/en/qwxzyville nonexistent.json")
    assert missing["status"] == "not_found"
    assert missing["city"] == "Qwxzyville Nonexistent"
    assert missing["error"]["status"] == 404
    assert missing["message_id"] == message.id
    assert missing["dequeue_count"] == 1
    assert "final" not in missing  # a permanent outcome: no retry was ever due
    assert read(blobs, "errors/en/springfield.json")["status"] == "ambiguous"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe", json.dumps({"town": "Chicago"}), json.dumps(["Chicago"])],
)
def test_bad_message_is_recorded_not_raised(
    send: Send, blobs: ContainerClient, body: bytes | str
) -> None:
    # GIVEN a message that can never succeed
    message = queue_message(body)
    # WHEN the queue function runs
    send(message)
    # THEN one bad_input record keyed by the message id, and the message completes
    assert names(blobs) == [f"errors/_message/{message.id}-0.json"]
    record = read(blobs, f"errors/_message/{message.id}-0.json")
    assert record["status"] == "bad_input"
    assert record["city"] is None
    assert record["error"]["status"] == 400


def test_upstream_failure_raises_until_the_last_attempt(
    send: Send, blobs: ContainerClient, wiki: FakeWiki
) -> None:
    # GIVEN Wikipedia failing every request
    wiki.fail("500")
    body = json.dumps({"city": "Chicago"})
    # WHEN an early attempt runs
    # THEN it raises for the host to redeliver, and records nothing that would go stale
    with pytest.raises(azure_queue.TransientBatchError, match=f"attempt 1 of {MAX_DEQUEUE}"):
        send(queue_message(body, dequeue_count=1))
    assert names(blobs) == []
    # WHEN the last attempt runs
    last = queue_message(body, dequeue_count=MAX_DEQUEUE)
    with pytest.raises(azure_queue.TransientBatchError):
        send(last)
    # THEN the failure is recorded first, and the raise sends the message to the poison queue
    assert names(blobs) == ["errors/en/chicago.json"]
    record = read(blobs, "errors/en/chicago.json")
    assert record["status"] == "failed"
    assert record["error"]["status"] == 502
    assert record["final"] is True
    assert record["dequeue_count"] == record["max_dequeue_count"] == MAX_DEQUEUE
    assert record["message_id"] == last.id


def test_a_retry_after_recovery_stores_the_brief(
    send: Send, blobs: ContainerClient, wiki: FakeWiki
) -> None:
    # GIVEN a first attempt that met a Wikipedia outage
    body = json.dumps({"cities": ["Chicago", "Toronto"]})
    wiki.fail("500")
    with pytest.raises(azure_queue.TransientBatchError, match="2 of 2 cities"):
        send(queue_message(body, dequeue_count=1))
    # WHEN Wikipedia is back and the host redelivers
    wiki.reset()
    send(queue_message(body, dequeue_count=2))
    # THEN both briefs are stored and no error record lingers
    assert names(blobs) == ["briefs/en/Chicago.json", "briefs/en/Toronto.json"]


def test_storage_down_raises_for_a_retry(send: Send, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN AzureWebJobsStorage pointing at a port nothing listens on
    dead = free_port()
    monkeypatch.setenv("AzureWebJobsStorage", azurite_connection_string(dead, dead, dead))
    # (no SDK retries, whose pauses would cost seconds: the error is the same)
    monkeypatch.setattr(sys.modules["azure_queue"], "BLOB_RETRIES", 0)
    # WHEN a good message is processed
    # THEN the storage error propagates, so the host retries (and later poisons) it
    with pytest.raises(AzureError):
        send(queue_message(json.dumps({"city": "Chicago"})))


# -- blob names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        ("Chicago", "Chicago"),
        ("São Paulo", "São Paulo"),
        ("AC/DC", "AC%2FDC"),
        ("100% Pure?#", "100%25 Pure%3F%23"),
        ("..", "%2E."),
        ("_message-x", "%5Fmessage-x"),
        ("a\u200bb", "a%E2%80%8Bb"),
    ],
)
def test_path_segment_is_one_reversible_segment(text: str, segment: str) -> None:
    # GIVEN a title or city name
    # WHEN it becomes part of a blob name
    # THEN it stays readable, cannot nest or clash with the names citybrief makes up
    assert path_segment(text) == segment


def test_long_names_are_cut_and_hashed() -> None:
    # GIVEN two over-long names that share their first 200 characters
    first, second = "x" * 300, "x" * 299 + "y"
    # WHEN they become blob-name segments
    a, b = path_segment(first), path_segment(second)
    # THEN both are short and still distinct
    assert len(a) < 250 and len(b) < 250
    assert a != b


def test_example_settings_name_the_queue() -> None:
    # GIVEN local.settings.json.example, which `func start` users copy
    example = Path(FUNCTION_APP.parent / "local.settings.json.example")
    values = json.loads(example.read_text(encoding="utf-8"))["Values"]
    # THEN it sets what the binding expression and the container setting read
    assert values["CITYBRIEF_QUEUE_NAME"] == QUEUE
    assert values["CITYBRIEF_BLOB_CONTAINER"] == "briefs"
