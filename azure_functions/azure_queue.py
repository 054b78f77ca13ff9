"""Azure's batch path, a ``func.Blueprint``: a queue message on ``%CITYBRIEF_QUEUE_NAME%``
in, ``citybrief.records`` records as blobs out, retried as
docs/decisions/batch-retries.md says. No ``from __future__ import annotations``: the
worker reads the function's annotations as types to bind ``msg`` and ``context``."""

import contextlib
import functools
import json
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import azure.functions as func

from citybrief.clouds.azure import storage_client
from citybrief.http import Service
from citybrief.logs import REQUEST_ID
from citybrief.queuebatch import process_message
from citybrief.records import blob_name, settle

QUEUE_CONNECTION = "AzureWebJobsStorage"
HOST_JSON = Path(__file__).with_name("host.json")
# The host's own default when host.json names none.
DEFAULT_MAX_DEQUEUE_COUNT = 5
# Short, and few quick retries (the SDK's default backoff starts at 15 s): a storage
# outage fails the attempt well inside functionTimeout, and the host's redelivery retries.
BLOB_CONNECT_TIMEOUT = 5
BLOB_READ_TIMEOUT = 20
BLOB_RETRIES = 2
BLOB_BACKOFF = 1  # seconds before the first retry; then + 2**n

log = logging.getLogger("citybrief.azure")


def max_dequeue_count(host_json: Path = HOST_JSON) -> int:
    """host.json's ``extensions.queues.maxDequeueCount``, the one source of truth, so
    the function knows which attempt the host will poison after."""
    try:
        queues = json.loads(host_json.read_text(encoding="utf-8"))["extensions"]["queues"]
        return int(queues.get("maxDequeueCount", DEFAULT_MAX_DEQUEUE_COUNT))
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_MAX_DEQUEUE_COUNT


MAX_DEQUEUE_COUNT = max_dequeue_count()


class TransientBatchError(RuntimeError):
    """Raised so the host redelivers the message (or, on the last attempt, poisons it)."""


def briefs_container(container: str) -> Any:
    """A ``ContainerClient``, the container created if absent (Azurite, local); the
    account is ``storage_client``'s: a connection string or the managed identity."""
    from azure.core.exceptions import ResourceExistsError
    from azure.storage.blob import BlobServiceClient

    service = storage_client(
        BlobServiceClient,
        "blob",
        connection_timeout=BLOB_CONNECT_TIMEOUT,
        read_timeout=BLOB_READ_TIMEOUT,
        retry_total=BLOB_RETRIES,
        initial_backoff=BLOB_BACKOFF,
        increment_base=2,
        random_jitter_range=1,
    )
    client = service.get_container_client(container)
    with contextlib.suppress(ResourceExistsError):
        client.create_container()
    return client


def write(container: Any, name: str, document: Mapping[str, Any]) -> None:
    """Overwrite ``name`` with UTF-8 JSON: a redelivered message rewrites, never fails."""
    from azure.storage.blob import ContentSettings

    container.upload_blob(
        name,
        json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        overwrite=True,
        content_settings=ContentSettings(content_type="application/json; charset=utf-8"),
    )


def queue_blueprint(container_name: str, service: Callable[[], Service]) -> func.Blueprint:
    """The queue function; register it only when ``CITYBRIEF_QUEUE_NAME`` is set, as the
    host refuses to start the whole app over a binding naming a missing setting."""
    blueprint = func.Blueprint()
    briefs = functools.cache(service)
    container = functools.cache(lambda: briefs_container(container_name))

    @blueprint.queue_trigger(
        arg_name="msg", queue_name="%CITYBRIEF_QUEUE_NAME%", connection=QUEUE_CONNECTION
    )
    def queue_briefs(msg: func.QueueMessage, context: func.Context) -> None:
        """Brief each city of one message into blobs; raise only for what a retry can fix."""
        token = REQUEST_ID.set(str(getattr(context, "invocation_id", "") or msg.id or ""))
        try:
            message_id, attempt = msg.id or "unknown", msg.dequeue_count or 1
            records = process_message(msg.get_body(), briefs().brief)
            settled = settle(records, message_id, last_attempt=attempt >= MAX_DEQUEUE_COUNT)
            for key, record in settled.store:
                # A brief blob is the brief document itself; other records say which attempt.
                document = (
                    record["brief"]
                    if record["status"] == "ok"
                    else {
                        **record,
                        "message_id": message_id,
                        "dequeue_count": attempt,
                        "max_dequeue_count": MAX_DEQUEUE_COUNT,
                        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    }
                )
                write(container(), blob_name(key), document)
            counts = Counter(r["status"] for r in records)
            log.info(
                "queue message %s attempt %s: %s",
                msg.id,
                attempt,
                ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
            )
            if settled.transient:
                raise TransientBatchError(
                    f"{len(settled.transient)} of {len(records)} cities failed upstream on "
                    f"attempt {attempt} of {MAX_DEQUEUE_COUNT}; the host retries"
                )
        finally:
            REQUEST_ID.reset(token)

    return blueprint
