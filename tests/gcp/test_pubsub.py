"""The Pub/Sub batch function end to end: real functions-framework, Firestore and Pub/Sub.

``citybrief_pubsub`` runs as deployed (``--signature-type cloudevent``) over the fake
wiki and writes to the Firestore emulator. The direct tests POST the recorded events of
``tests/events/gcp`` (Eventarc's binary and structured CloudEvents, a push request) to it,
so a failure there is ours, not the Pub/Sub emulator's; the last test goes the whole way: a
push subscription on the Pub/Sub emulator delivers the legacy push JSON
``{"message": ..., "subscription": ...}``, which functions-framework converts into a
``google.cloud.pubsub.topic.v1.messagePublished`` CloudEvent.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.events import load_event
from tests.gcp.conftest import SOURCE_DIR, FunctionServer, start_function_server
from tests.support.emulators import GCP_PROJECT, Emulator, free_port
from tests.support.fakewiki import FakeWiki

POLL_SECONDS = 30.0


def server_env(wiki: FakeWiki, firestore_host: str, collection: str) -> dict[str, str]:
    return {
        "FIRESTORE_EMULATOR_HOST": firestore_host,
        "GOOGLE_CLOUD_PROJECT": GCP_PROJECT,
        "CITYBRIEF_WIKI_API": wiki.api_url,
        "CITYBRIEF_CACHE": "none",
        "CITYBRIEF_BRIEFS_COLLECTION": collection,
        "CITYBRIEF_MAX_RETRIES": "0",
    }


@pytest.fixture
def batch_server(
    fake_wiki: FakeWiki, firestore_emulator: Emulator, firestore_collection: str, tmp_path: Path
) -> Iterator[FunctionServer]:
    """citybrief_pubsub writing to a fresh collection of the Firestore emulator."""
    env = server_env(
        fake_wiki, firestore_emulator.env["FIRESTORE_EMULATOR_HOST"], firestore_collection
    )
    with start_function_server(
        env,
        "citybrief_pubsub",
        "cloudevent",
        log_path=tmp_path / "functions-framework.log",
        ready_path=None,  # a CloudEvent function has no GET route: any answer means "up"
    ) as server:
        yield server


@pytest.fixture
def briefs(firestore_collection: str) -> Any:
    """The collection the server writes to, read through the real SDK."""
    from google.cloud import firestore

    return firestore.Client(project=GCP_PROJECT).collection(firestore_collection)


def encoded(message: Any) -> str:
    """Pub/Sub's base64 ``data`` for a message (bytes as they are, anything else as JSON)."""
    raw = message if isinstance(message, bytes) else json.dumps(message).encode()
    return base64.b64encode(raw).decode()


def post(server: FunctionServer, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(
        server.url + "/", data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def binary_event(
    server: FunctionServer, message: Any, message_id: str, time: str | None = None
) -> tuple[int, str]:
    """Eventarc's binary-mode CloudEvent (``tests/events/gcp/pubsub_binary.json``, ce-*
    headers) carrying ``message``, published at ``time`` (else the recorded time)."""
    event = load_event("gcp/pubsub_binary")
    headers, body = event["headers"], event["body"]
    body["message"].update(data=encoded(message), messageId=message_id)
    headers["ce-id"] = message_id
    if time is not None:
        body["message"]["publishTime"] = headers["ce-time"] = time
    return post(server, body, headers)


def wait_for(read: Callable[[], dict[str, Any]], count: int) -> dict[str, Any]:
    """Poll until ``read`` returns ``count`` documents (bounded: POLL_SECONDS)."""
    deadline = time.monotonic() + POLL_SECONDS
    found = read()
    while len(found) < count and time.monotonic() < deadline:
        time.sleep(0.25)
        found = read()
    return found


def documents(collection: Any) -> dict[str, dict[str, Any]]:
    return {snapshot.id: snapshot.to_dict() for snapshot in collection.stream()}


# --- direct CloudEvents (no Pub/Sub) -------------------------------------------------------


def test_binary_cloud_event_stores_the_brief(batch_server: FunctionServer, briefs: Any) -> None:
    # GIVEN the function and an Eventarc-style binary CloudEvent for Chicago
    # WHEN it is delivered
    status, _ = binary_event(batch_server, {"city": "Chicago", "sentences": 2}, "direct-1")
    # THEN it is acknowledged and Chicago's brief is stored under its language and title
    assert status == 200
    document = briefs.document("briefs:en:Chicago").get().to_dict()
    assert document["status"] == "ok"
    assert document["brief"]["title"] == "Chicago"
    assert len(document["brief"]["summary"]) <= 2
    assert document["message_id"] == "direct-1"
    assert document["published_at"] == "2026-01-01T00:00:00Z"
    assert document["updated_at"] is not None
    # AND the log lines are Cloud Logging JSON carrying the message id
    lines = [e for e in batch_server.log_entries() if e.get("status") == "ok"]
    assert lines and lines[0]["logging.googleapis.com/labels"] == {"request_id": "direct-1"}


def test_structured_cloud_event_records_each_city(
    batch_server: FunctionServer, briefs: Any
) -> None:
    # GIVEN a structured-mode CloudEvent (the whole event as JSON) naming three cities
    event = load_event("gcp/pubsub_structured")
    event["data"]["message"]["data"] = encoded(
        {"cities": ["Lisbon", "Qwxzyville Nonexistent", "Springfield"]}
    )
    # WHEN it is delivered
    status, _ = post(batch_server, event, {"Content-Type": "application/cloudevents+json"})
    # THEN every city has its own document and status, and the event is acknowledged
    assert status == 200
    stored = documents(briefs)
    assert stored["briefs:en:Lisbon"]["status"] == "ok"
    missing = stored["errors:en:qwxzyville%20nonexistent"]
    assert missing["status"] == "not_found"
    assert missing["city"] == "Qwxzyville Nonexistent"
    assert missing["error"]["status"] == 404
    assert stored["errors:en:springfield"]["status"] == "ambiguous"


def test_a_push_request_is_converted_and_stored(batch_server: FunctionServer, briefs: Any) -> None:
    # GIVEN the request body a push subscription sends (recorded from the emulator), for Chicago
    push = load_event("gcp/pubsub_push")
    message = push["body"]["message"]
    # WHEN it reaches the function directly, with no CloudEvent headers
    status, _ = post(batch_server, push["body"], push["headers"])
    # THEN functions-framework makes it a CloudEvent, and the brief is stored under the
    #      message's own id and publish time
    assert status == 200
    document = briefs.document("briefs:en:Chicago").get().to_dict()
    assert document["status"] == "ok"
    assert document["message_id"] == message["messageId"]
    assert document["published_at"] == message["publishTime"]


@pytest.mark.parametrize("message", [b"not json", {"city": "Chicago", "colour": "red"}])
def test_bad_message_is_recorded_and_acknowledged(
    batch_server: FunctionServer, briefs: Any, message: Any
) -> None:
    # GIVEN a message that can never succeed
    # WHEN it is delivered
    status, _ = binary_event(batch_server, message, "bad-1")
    # THEN it is acknowledged (no redelivery loop) and recorded against the message
    assert status == 200
    document = briefs.document("errors:_message:bad-1-0").get().to_dict()
    assert document["status"] == "bad_input"
    assert document["error"]["type"].endswith("/bad-input")


def test_a_wikipedia_outage_is_redelivered_and_recorded_only_near_the_window_end(
    batch_server: FunctionServer, briefs: Any, wiki: FakeWiki
) -> None:
    # GIVEN Wikipedia failing every request (transient: a later attempt may not meet it)
    wiki.fail("500")
    recent = datetime.now(UTC).isoformat()
    # WHEN a fresh message arrives alongside an unknown city
    status, _ = binary_event(batch_server, {"cities": ["Chicago"]}, "out-1", recent)
    # THEN the event fails (Pub/Sub redelivers it) and no stale failure is stored
    assert status == 500
    assert documents(briefs) == {}
    # WHEN an attempt comes near the end of the 24 h retry window
    old = (datetime.now(UTC) - timedelta(hours=24)).isoformat()
    status, _ = binary_event(batch_server, {"cities": ["Chicago"]}, "out-2", old)
    # THEN the failure is recorded as final, and the event still fails
    assert status == 500
    record = briefs.document("errors:en:chicago").get().to_dict()
    assert record["status"] == "failed" and record["final"] is True
    assert record["error"]["status"] == 502


def test_store_down_fails_the_event_so_it_is_redelivered(
    fake_wiki: FakeWiki, tmp_path: Path
) -> None:
    # GIVEN the function pointed at a Firestore that does not answer
    env = server_env(fake_wiki, f"127.0.0.1:{free_port()}", "unreachable")
    env["CITYBRIEF_STORE_TIMEOUT"] = "1"
    with start_function_server(
        env, "citybrief_pubsub", "cloudevent", log_path=tmp_path / "ff.log", ready_path=None
    ) as server:
        # WHEN an event arrives
        began = time.monotonic()
        status, _ = binary_event(server, {"city": "Chicago"}, "down-1")
        took = time.monotonic() - began
        # THEN it fails with a 500 (Pub/Sub/Eventarc retry it), within the store's bound
        assert status == 500
        assert took < 8
        errors = [e for e in server.log_entries() if e.get("severity") == "ERROR"]
        assert errors and "stack_trace" in errors[0]


def test_http_entry_point_does_not_import_firestore() -> None:
    # GIVEN main.py imported as the HTTP function's cold start does
    code = "import sys, main; print('google.cloud.firestore' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=SOURCE_DIR, capture_output=True, text=True, check=True
    )
    # THEN the Firestore SDK has not been loaded
    assert done.stdout.strip().splitlines()[-1] == "False"


# --- the whole way: Pub/Sub emulator push -> functions-framework -> Firestore ---------------


def test_pubsub_push_subscription_delivers_to_the_function(
    batch_server: FunctionServer, briefs: Any, pubsub_project: str
) -> None:
    from google.cloud import pubsub_v1  # type: ignore[attr-defined]

    # GIVEN a topic and a push subscription whose endpoint is the function's URL
    suffix = uuid.uuid4().hex[:8]
    publisher = pubsub_v1.PublisherClient()
    subscriber = pubsub_v1.SubscriberClient()
    topic = publisher.topic_path(pubsub_project, f"citybrief-requests-{suffix}")
    subscription = subscriber.subscription_path(pubsub_project, f"citybrief-push-{suffix}")
    publisher.create_topic(name=topic)
    subscriber.create_subscription(
        name=subscription,
        topic=topic,
        push_config={"push_endpoint": batch_server.url + "/"},
        ack_deadline_seconds=60,
    )
    try:
        # WHEN two messages are published
        ids = [
            publisher.publish(topic, json.dumps(message).encode()).result(timeout=10)
            for message in ({"city": "Chicago"}, {"cities": ["Lisbon", "Qwxzyville Nonexistent"]})
        ]
        # THEN the documents land in Firestore (bounded wait)
        stored = wait_for(lambda: documents(briefs), 3)
    finally:
        subscriber.delete_subscription(subscription=subscription)
        publisher.delete_topic(topic=topic)
    assert set(stored) == {
        "briefs:en:Chicago",
        "briefs:en:Lisbon",
        "errors:en:qwxzyville%20nonexistent",
    }, f"pushed documents: {sorted(stored)}; function log:\n{batch_server.output()[-3000:]}"
    assert stored["briefs:en:Chicago"]["brief"]["title"] == "Chicago"
    assert stored["briefs:en:Chicago"]["message_id"] == ids[0]
    assert stored["errors:en:qwxzyville%20nonexistent"]["status"] == "not_found"
    assert stored["briefs:en:Lisbon"]["message_id"] == ids[1]
