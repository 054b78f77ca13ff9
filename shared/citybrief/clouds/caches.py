"""Cloud cache backends, named by ``CITYBRIEF_CACHE`` and loaded by ``cache.open_cache``.

Each class imports its SDK in ``__init__`` so that a function only pays for the SDK it
uses at cold start, and each constructor does no network I/O: an unreachable service
surfaces in ``get``/``put``, where ``SafeCache`` turns it into a logged miss. Connection
details come from each SDK's standard environment, and timeouts and retries are short
because a cache that waits longer than the Wikipedia call it saves is worse than none.

Values are stored as gzip-compressed JSON: a 120 KB article shrinks to ~40 KB, well
inside DynamoDB's 400 KB item, Firestore's 1 MiB document and Azure Table's 64 KiB
property limits. Every backend also checks ``expires_at`` itself, because the services'
TTL deletion is lazy (hours to days) or, for Azure Table, absent.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import math
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ..cache import Value
from .azure import storage_client

CONNECT_TIMEOUT = 2.0
READ_TIMEOUT = 5.0


def encode(value: Value) -> bytes:
    """Compressed JSON: the one storage format of every cloud backend."""
    return gzip.compress(json.dumps(value, ensure_ascii=False).encode(), compresslevel=6)


def decode(blob: bytes) -> Value:
    value: Value = json.loads(gzip.decompress(blob))
    return value


def _expiry(now: float, ttl: float) -> datetime:
    return datetime.fromtimestamp(now, UTC) + timedelta(seconds=ttl)


def safe_id(key: str) -> str:
    """A fixed-length id that Firestore document ids and Azure RowKeys accept for any key.

    Both forbid ``/`` (and Azure ``\\ # ?`` and control characters); hashing also keeps
    long keys under their length limits.
    """
    return hashlib.sha256(key.encode()).hexdigest()


class DynamoDbCache:
    """One item per key: ``pk`` (S), ``value`` (B, gzip JSON), ``expires_at`` (N, epoch s).

    ``expires_at`` is the table's TTL attribute. The endpoint and region come from
    boto3's environment (``AWS_ENDPOINT_URL[_DYNAMODB]``, ``AWS_REGION`` on Lambda or
    ``AWS_DEFAULT_REGION``).
    """

    def __init__(self, table: str, ttl: float) -> None:
        import boto3
        from botocore.config import Config

        self.table = table
        self.ttl = ttl
        self.clock: Callable[[], float] = time.time  # epoch seconds; tests set their own
        self._client: Any = boto3.client(
            "dynamodb",
            region_name=os.environ.get("AWS_REGION") or None,
            config=Config(
                connect_timeout=CONNECT_TIMEOUT,
                read_timeout=READ_TIMEOUT,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        )

    def get(self, key: str) -> Value | None:
        item = self._client.get_item(TableName=self.table, Key={"pk": {"S": key}}).get("Item")
        if item is None or float(item["expires_at"]["N"]) <= self.clock():
            return None
        return decode(item["value"]["B"])

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        # Whole seconds: DynamoDB TTL reads epoch seconds; rounding up never expires early.
        expires_at = math.ceil(self.clock() + (self.ttl if ttl is None else ttl))
        self._client.put_item(
            TableName=self.table,
            Item={
                "pk": {"S": key},
                "value": {"B": encode(value)},
                "expires_at": {"N": str(expires_at)},
            },
        )


class FirestoreCache:
    """One document per key in ``collection``, id ``safe_id(key)``.

    Fields: ``key`` (for people reading the console), ``value`` (bytes, gzip JSON) and
    ``expires_at`` (timestamp, for a Firestore TTL policy on that field). The client
    honours ``FIRESTORE_EMULATOR_HOST`` and ``GOOGLE_CLOUD_PROJECT``.
    """

    def __init__(self, collection: str, ttl: float) -> None:
        from google.api_core.retry import Retry, if_transient_error
        from google.cloud import firestore

        self.ttl = ttl
        self.clock: Callable[[], float] = time.time  # epoch seconds; tests set their own
        self._collection: Any = firestore.Client().collection(collection)
        # The default retry keeps trying an unreachable service for 60 s or more.
        self._retry = Retry(
            predicate=if_transient_error, initial=0.2, maximum=1.0, timeout=CONNECT_TIMEOUT
        )

    def get(self, key: str) -> Value | None:
        snapshot = self._collection.document(safe_id(key)).get(
            retry=self._retry, timeout=READ_TIMEOUT
        )
        if not snapshot.exists:
            return None
        data = snapshot.to_dict()
        if data["expires_at"] <= datetime.fromtimestamp(self.clock(), UTC):
            return None
        return decode(data["value"])

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        self._collection.document(safe_id(key)).set(
            {
                "key": key,
                "value": encode(value),
                "expires_at": _expiry(self.clock(), self.ttl if ttl is None else ttl),
            },
            retry=self._retry,
            timeout=READ_TIMEOUT,
        )


class AzureTableCache:
    """One entity per key in ``table``: PartitionKey ``citybrief``, RowKey ``safe_id(key)``.

    A binary property holds at most 64 KiB, so the gzip JSON is split over ``value_0``,
    ``value_1``, ... (``chunks`` says how many) up to the 1 MiB entity limit. The
    account comes from ``clouds.azure.storage_client``; the table is created on first write.
    """

    PARTITION = "citybrief"
    CHUNK = 64 * 1024

    def __init__(self, table: str, ttl: float) -> None:
        from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
        from azure.data.tables import TableServiceClient, UpdateMode

        self.ttl = ttl
        self.clock: Callable[[], float] = time.time  # epoch seconds; tests set their own
        self._not_found = ResourceNotFoundError
        self._exists = ResourceExistsError
        self._replace = UpdateMode.REPLACE
        service = storage_client(
            TableServiceClient,
            "table",
            connection_timeout=CONNECT_TIMEOUT,
            read_timeout=READ_TIMEOUT,
            retry_total=1,
            retry_backoff_factor=0.2,
        )
        self._client: Any = service.get_table_client(table)

    def get(self, key: str) -> Value | None:
        try:
            entity = self._client.get_entity(self.PARTITION, safe_id(key))
        except self._not_found:  # no such entity, or no table yet
            return None
        if entity["expires_at"] <= datetime.fromtimestamp(self.clock(), UTC):
            return None
        return decode(b"".join(entity[f"value_{i}"] for i in range(entity["chunks"])))

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        blob = encode(value)
        pieces = [blob[i : i + self.CHUNK] for i in range(0, len(blob), self.CHUNK)]
        entity: dict[str, Any] = {
            "PartitionKey": self.PARTITION,
            "RowKey": safe_id(key),
            "key": key,
            "expires_at": _expiry(self.clock(), self.ttl if ttl is None else ttl),
            "chunks": len(pieces),
        }
        entity.update({f"value_{i}": piece for i, piece in enumerate(pieces)})
        # REPLACE, not MERGE: an overwrite with fewer chunks must drop the old ones.
        try:
            self._client.upsert_entity(entity, mode=self._replace)
        except self._not_found:
            with contextlib.suppress(self._exists):  # another writer created it first
                self._client.create_table()
            self._client.upsert_entity(entity, mode=self._replace)
