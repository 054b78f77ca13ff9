"""Caches behind one small interface, chosen by ``CITYBRIEF_CACHE``.

Values are JSON-able dicts. Every backend is wrapped in ``SafeCache`` by ``open_cache``,
which is the single place that makes a broken cache (corrupt, locked, read-only,
unreachable) harmless: the failure is logged once per operation and the brief goes on
uncached. Cloud backends are imported only when their scheme is chosen (cold start).
"""

from __future__ import annotations

import importlib
import json
import logging
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger("citybrief.cache")

Value = dict[str, Any]

# Seconds an SQLite connection waits for another process's lock before "locked".
BUSY_TIMEOUT = 10.0
WAL_RETRY_PAUSE = 0.01


class Cache(Protocol):
    def get(self, key: str) -> Value | None: ...

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        """Store ``value`` for ``ttl`` seconds (the cache's own TTL when None)."""


class NullCache:
    """``CITYBRIEF_CACHE=none``: every lookup misses."""

    def get(self, key: str) -> Value | None:
        return None

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        return None


class MemoryCache:
    """In-process TTL + LRU: survives warm invocations, costs nothing to start.

    Values are kept as JSON text, so a caller that edits a returned brief cannot change
    what the next caller gets, and only what every other backend accepts is accepted.
    """

    def __init__(
        self, ttl: float, max_entries: int = 256, clock: Callable[[], float] | None = None
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock or time.monotonic  # tests pass their own
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Value | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            expires, text = item
            if expires <= self.clock():
                del self._items[key]
                return None
            self._items.move_to_end(key)
        value: Value = json.loads(text)
        return value

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        text = json.dumps(value, ensure_ascii=False)
        expires = self.clock() + (self.ttl if ttl is None else ttl)
        with self._lock:
            self._items[key] = (expires, text)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)


class SqliteCache:
    """Persistent cache for the CLI and local server; one connection per thread.

    WAL lets readers run beside a writer. Several processes may open a fresh file at once
    (parallel CLI runs, a batch beside a server), so every connection waits up to
    ``BUSY_TIMEOUT`` for another's lock; the switch to WAL, which SQLite refuses at once
    instead of waiting while another connection holds a lock, is retried for as long;
    and the schema is created (expired rows pruned, so the file does not grow without
    bound) in a transaction that takes the write lock up front, where waiting works.
    Each process does this once, under a lock shared by its threads.
    """

    def __init__(self, path: str, ttl: float) -> None:
        self.path = Path(path).expanduser()
        self.ttl = ttl
        self.clock: Callable[[], float] = time.time  # epoch seconds; tests set their own
        self._local = threading.local()
        self._ready = False
        self._ready_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT)

    def _prepare(self) -> None:
        with self._ready_lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            conn.isolation_level = None  # autocommit: the transaction is spelt out below
            try:
                _use_wal(conn)
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS cache "
                    "(key TEXT PRIMARY KEY, expires REAL NOT NULL, value TEXT NOT NULL)"
                )
                conn.execute("DELETE FROM cache WHERE expires <= ?", (self.clock(),))
                conn.execute("COMMIT")
            finally:
                conn.close()  # after a failure, this rolls the transaction back
            self._ready = True

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            self._prepare()
            conn = self._connect()
            self._local.conn = conn
        return conn

    def get(self, key: str) -> Value | None:
        row = (
            self._connection()
            .execute("SELECT expires, value FROM cache WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None or row[0] <= self.clock():
            return None
        value: Value = json.loads(row[1])
        return value

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        expires = self.clock() + (self.ttl if ttl is None else ttl)
        conn = self._connection()
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO cache (key, expires, value) VALUES (?, ?, ?)",
                (key, expires, json.dumps(value, ensure_ascii=False)),
            )


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (it stays so), retrying while another connection holds a
    lock: SQLite answers "locked" at once here rather than calling the busy handler."""
    ends = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = exc.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() >= ends:
                raise
        time.sleep(WAL_RETRY_PAUSE)


class SafeCache:
    """Turns any backend failure into a logged miss, so a cache never breaks a brief."""

    def __init__(self, inner: Cache, spec: str) -> None:
        self.inner = inner
        self.spec = spec

    def get(self, key: str) -> Value | None:
        try:
            return self.inner.get(key)
        except Exception as exc:
            log.warning("cache get failed (%s): %s: %s", self.spec, type(exc).__name__, exc)
            return None

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        try:
            self.inner.put(key, value, ttl)
        except Exception as exc:
            log.warning("cache put failed (%s): %s: %s", self.spec, type(exc).__name__, exc)


# scheme -> "module:factory"; each factory takes (location, ttl). Named, not imported: a
# backend (and its SDK) loads only when its scheme is chosen (``citybrief.clouds``).
CLOUD_BACKENDS: dict[str, str] = {
    "dynamodb": "citybrief.clouds.caches:DynamoDbCache",
    "firestore": "citybrief.clouds.caches:FirestoreCache",
    "azuretable": "citybrief.clouds.caches:AzureTableCache",
}
SPECS = "none, memory, sqlite:///PATH, dynamodb://TABLE, firestore://COLLECTION, azuretable://TABLE"


def resolve_cache_spec(spec: str, cwd: Path) -> str:
    """A ``CITYBRIEF_CACHE`` value checked, with an SQLite path made absolute against ``cwd``.

    ``sqlite:///relative/path`` is relative to ``cwd``, ``sqlite:////absolute/path`` and
    ``sqlite:///~/path`` are not; a cloud backend's location is one name (no ``/`` or
    white space). Anything else raises ``ValueError`` naming the variable.
    """
    scheme, sep, location = spec.partition("://")
    if spec in ("none", "memory"):
        return spec
    if scheme == "sqlite" and sep and location.startswith("/") and len(location) > 1:
        return f"sqlite:///{(cwd / Path(location[1:]).expanduser()).resolve()}"
    if scheme in CLOUD_BACKENDS and sep and location and not re.search(r"[\s/]", location):
        return spec
    raise ValueError(f"CITYBRIEF_CACHE={spec!r} is not one of: {SPECS}")


def open_cache(spec: str, ttl: float) -> Cache:
    """Build the cache a resolved ``CITYBRIEF_CACHE`` value (``Settings.cache``) names.

    A value ``resolve_cache_spec`` would refuse raises ``ValueError``.
    """
    scheme, _, location = resolve_cache_spec(spec, Path.cwd()).partition("://")
    inner: Cache
    if spec == "none":
        return NullCache()
    if spec == "memory":
        inner = MemoryCache(ttl)
    elif scheme == "sqlite":
        inner = SqliteCache(location[1:], ttl)
    else:
        module_name, _, factory = CLOUD_BACKENDS[scheme].partition(":")
        inner = getattr(importlib.import_module(module_name), factory)(location, ttl)
    return SafeCache(inner, spec)
