"""GCP's batch path: a Pub/Sub message (Eventarc's ``messagePublished`` CloudEvent, or
a push request functions-framework converts to one) in, ``citybrief.records`` records
as Firestore documents out, retried as docs/decisions/batch-retries.md says."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Final

import functions_framework
from cloudevents.http import CloudEvent

from citybrief.clouds.gcp import GcpSettings
from citybrief.errors import BadInput
from citybrief.logs import REQUEST_ID
from citybrief.queuebatch import bad_message, process_message
from citybrief.records import Key, Record, document_id, settle
from citybrief.service import BriefService
from citybrief.settings import Settings

# A 2nd gen function deployed with --retry is retried for 24 h, at most 600 s apart: an
# attempt on a message older than this may be its last.
LAST_ATTEMPT_AGE: Final = timedelta(hours=24) - timedelta(seconds=600)
log = logging.getLogger("citybrief.gcp")


class TransientBatchError(RuntimeError):
    """Raised so that Pub/Sub redelivers the message (the function is deployed --retry)."""


def pubsub_payload(message: Any) -> bytes | BadInput:
    """The message's bytes (``data`` is base64 in both event formats), or why there are none."""
    data = message.get("data") if isinstance(message, dict) else None
    if not isinstance(data, str):
        return BadInput("The Pub/Sub message has no data.")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return BadInput("The Pub/Sub message data is not valid base64.")


def is_last_attempt(published_at: str | None, now: datetime) -> bool:
    """Whether the retry window may close before another attempt (unknown age: no)."""
    try:
        published = datetime.fromisoformat(str(published_at).replace("Z", "+00:00"))
    except ValueError:
        return False
    return now - published >= LAST_ATTEMPT_AGE


def create_pubsub(
    settings: Settings,
    project: str | None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    gcp: GcpSettings | None = None,
) -> Callable[[CloudEvent], None]:
    """The ``citybrief_pubsub`` CloudEvent function; the service and the Firestore client
    are built on the first message, so the HTTP function's cold start never loads them."""
    gcp = gcp or GcpSettings.from_env()
    briefs_collection, store_timeout = gcp.briefs_collection, gcp.store_timeout

    @cache
    def service() -> BriefService:
        return BriefService(settings)

    @cache
    def firestore_client() -> Any:
        from google.cloud import firestore  # honours FIRESTORE_EMULATOR_HOST

        return firestore.Client(project=project)

    def store(records: list[tuple[Key, Record]], message_id: str, published_at: str | None) -> None:
        """One atomic batch of documents, so a redelivered message overwrites its own."""
        from google.api_core.retry import Retry, if_transient_error
        from google.cloud import firestore

        client = firestore_client()
        collection = client.collection(briefs_collection)
        batch = client.batch()
        for key, record in records:
            document = {
                **record,
                "message_id": message_id,
                "published_at": published_at,
                "updated_at": firestore.SERVER_TIMESTAMP,
            }
            batch.set(collection.document(document_id(key)), document)
        retry = Retry(predicate=if_transient_error, initial=0.2, maximum=2.0, timeout=store_timeout)
        batch.commit(retry=retry, timeout=store_timeout)

    @functions_framework.cloud_event
    def citybrief_pubsub(cloud_event: CloudEvent) -> None:
        """Brief the message's cities and store their records; raise (the platform then
        redelivers) when storing fails or a transient failure is left."""
        data = cloud_event.data if isinstance(cloud_event.data, dict) else {}
        message = data.get("message")
        message = message if isinstance(message, dict) else {}
        message_id = str(message.get("messageId") or cloud_event["id"])
        published_at = message.get("publishTime") or cloud_event.get("time")
        token = REQUEST_ID.set(message_id)
        try:
            payload = pubsub_payload(message)
            records = (
                [bad_message(payload)]
                if isinstance(payload, BadInput)
                else process_message(payload, service().brief)
            )
            for record in records:
                log.info(
                    "batch result %s for %r",
                    record["status"],
                    record["city"],
                    extra={"status": record["status"], "city": record["city"]},
                )
            settled = settle(
                records, message_id, last_attempt=is_last_attempt(published_at, clock())
            )
            store(settled.store, message_id, published_at)
            log.info(
                "stored %d record(s)", len(settled.store), extra={"source": cloud_event["source"]}
            )
            if settled.transient:
                raise TransientBatchError(
                    f"{len(settled.transient)} of {len(records)} cities failed upstream; "
                    "Pub/Sub redelivers the message"
                )
        except Exception:
            log.exception("batch message not done; the platform may redeliver it")
            raise
        finally:
            REQUEST_ID.reset(token)

    return citybrief_pubsub
