"""Memory and SQLite specifics, ``open_cache`` spec parsing, and SafeCache's contract.

Behaviour every backend shares (round trips, expiry, concurrency) lives in
tests/cache/test_cache_backends.py; this file covers what only these pieces do.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sqlite3
import threading
import time
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from queue import Queue

import pytest

from citybrief.cache import (
    MemoryCache,
    NullCache,
    SafeCache,
    SqliteCache,
    Value,
    open_cache,
)


class Clock:
    """A settable ``time.monotonic`` so TTL tests need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(time, "monotonic", clock)
    return clock


def test_memory_evicts_the_least_recently_used() -> None:
    """GIVEN a full 2-entry cache where "a" was read last WHEN "c" is added THEN "b" goes."""
    memory = MemoryCache(ttl=60, max_entries=2)
    memory.put("a", {"n": 1})
    memory.put("b", {"n": 2})
    assert memory.get("a") == {"n": 1}

    memory.put("c", {"n": 3})

    assert memory.get("b") is None
    assert memory.get("a") == {"n": 1}
    assert memory.get("c") == {"n": 3}


def test_memory_overwrite_refreshes_recency() -> None:
    memory = MemoryCache(ttl=60, max_entries=2)
    memory.put("a", {"n": 1})
    memory.put("b", {"n": 2})
    memory.put("a", {"n": 10})

    memory.put("c", {"n": 3})

    assert (memory.get("a"), memory.get("b")) == ({"n": 10}, None)


def test_memory_entries_expire_after_ttl(clock: Clock) -> None:
    """GIVEN a 60 s TTL WHEN 59.9 s pass THEN the entry is there; at 60 s it is gone."""
    memory = MemoryCache(ttl=60)
    memory.put("k", {"v": 1})

    clock.now += 59.9
    assert memory.get("k") == {"v": 1}
    clock.now += 0.1
    assert memory.get("k") is None
    assert "k" not in memory._items  # expired entries are dropped, not kept forever


def test_memory_entry_ttl_overrides_the_cache_ttl(clock: Clock) -> None:
    """GIVEN a 60 s cache WHEN an entry is put for 5 s THEN it goes at 5 s, the rest stays."""
    memory = MemoryCache(ttl=60)
    memory.put("short", {"v": 1}, ttl=5)
    memory.put("default", {"v": 2})

    clock.now += 5
    assert (memory.get("short"), memory.get("default")) == (None, {"v": 2})


def test_sqlite_creates_its_directory_and_serves_threads(tmp_path: Path) -> None:
    """The CLI's first run has no ~/.cache/citybrief yet; workers each get a connection."""
    path = tmp_path / "new" / "dir" / "cache.sqlite3"
    sqlite = SqliteCache(str(path), ttl=60)

    def work(n: int) -> None:
        sqlite.put(f"k{n}", {"n": n})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert path.is_file()
    assert [sqlite.get(f"k{n}") for n in range(4)] == [{"n": n} for n in range(4)]


# Processes are spawned, not forked: the test process runs server threads (the fake wiki).
SPAWN = multiprocessing.get_context("spawn")


def _hold_write_lock(path: str, held: Event, release: Event) -> None:
    """In another process: take the write lock of a fresh, empty file, as a process
    creating the schema does, and keep it until ``release``."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    release.wait(30)
    conn.execute("COMMIT")
    conn.close()


def test_sqlite_waits_for_another_process_holding_a_fresh_file(tmp_path: Path) -> None:
    """GIVEN another process holding the write lock of a fresh file (SQLite then refuses
    the switch to WAL at once, without waiting) WHEN the cache is used THEN it waits for
    the lock instead of failing with "database is locked", and the file ends up in WAL."""
    path = tmp_path / "cache.sqlite3"
    held, release = SPAWN.Event(), SPAWN.Event()
    holder = SPAWN.Process(target=_hold_write_lock, args=(str(path), held, release))
    holder.start()
    try:
        assert held.wait(30)
        threading.Timer(0.3, release.set).start()  # the holder lets go while we wait

        sqlite = SqliteCache(str(path), ttl=60)
        sqlite.put("k", {"v": 1})

        assert sqlite.get("k") == {"v": 1}
    finally:
        release.set()
        holder.join(30)
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def _open_fresh_files(paths: list[str], start: Barrier, results: Queue[tuple[str, str]]) -> None:
    """In each of several processes: open every file at the same moment as the others."""
    me = str(os.getpid())
    for path in paths:
        start.wait(60)
        try:
            sqlite = SqliteCache(path, ttl=60)
            sqlite.put(me, {"pid": me})
            results.put((path, "ok" if sqlite.get(me) == {"pid": me} else "lost"))
        except Exception as exc:
            results.put((path, f"{type(exc).__name__}: {exc}"))


def test_sqlite_fresh_file_opened_by_several_processes_at_once(tmp_path: Path) -> None:
    """GIVEN 6 processes WHEN, released together, they open the same fresh cache file (15
    times over) THEN none fails or loses its entry, and every entry is in the file."""
    processes, rounds = 6, 15
    paths = [str(tmp_path / f"cache-{n}.sqlite3") for n in range(rounds)]
    start = SPAWN.Barrier(processes)
    results: Queue[tuple[str, str]] = SPAWN.Queue()  # type: ignore[assignment]
    workers = [
        SPAWN.Process(target=_open_fresh_files, args=(paths, start, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(processes * rounds)]
    for worker in workers:
        worker.join(30)

    assert [o for o in outcomes if o[1] != "ok"] == []
    for path in paths:
        rows = sqlite3.connect(path).execute("SELECT COUNT(*) FROM cache").fetchone()[0]
        assert rows == processes


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        ("sqlite:///relative/cache.db", str(Path.cwd().resolve() / "relative/cache.db")),
        ("sqlite:////absolute/cache.db", "/absolute/cache.db"),
        ("sqlite:///~/cache.db", str(Path("~/cache.db").expanduser())),
    ],
)
def test_open_cache_sqlite_paths(spec: str, path: str) -> None:
    """Three slashes then the path, SQLAlchemy-style: a fourth makes it absolute; a
    relative one is relative to the current directory."""
    opened = open_cache(spec, 60)

    assert isinstance(opened, SafeCache)
    assert isinstance(opened.inner, SqliteCache)
    assert str(opened.inner.path) == path
    assert opened.inner.ttl == 60


def test_open_cache_none_and_memory() -> None:
    assert isinstance(open_cache("none", 60), NullCache)  # nothing to fail, nothing to wrap
    memory = open_cache("memory", 30)
    assert isinstance(memory, SafeCache)
    assert isinstance(memory.inner, MemoryCache)
    assert memory.inner.ttl == 30


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "None",
        "memory://",
        "sqlite://",
        "sqlite:///",
        "sqlite:relative.db",
        "redis://h",
        "s3://b",
        "dynamodb://",
        "firestore:/x",
        "azuretable://a/b",
        "dynamodb://my table",
    ],
)
def test_open_cache_rejects_unknown_specs(spec: str) -> None:
    with pytest.raises(ValueError, match="is not one of: none, memory, sqlite:///PATH"):
        open_cache(spec, 60)


class Broken:
    def get(self, key: str) -> Value | None:
        raise ConnectionError("backend down")

    def put(self, key: str, value: Value, ttl: float | None = None) -> None:
        raise ConnectionError("backend down")


def test_safe_cache_logs_and_swallows(caplog: pytest.LogCaptureFixture) -> None:
    """GIVEN a failing backend WHEN get and put are called THEN get misses, put returns,
    and each failure is one warning naming the spec and the exception."""
    safe = SafeCache(Broken(), "fake://spec")

    with caplog.at_level(logging.WARNING, logger="citybrief.cache"):
        assert safe.get("k") is None
        safe.put("k", {"v": 1})

    assert [r.getMessage() for r in caplog.records] == [
        "cache get failed (fake://spec): ConnectionError: backend down",
        "cache put failed (fake://spec): ConnectionError: backend down",
    ]
    assert all(r.levelno == logging.WARNING for r in caplog.records)


def test_safe_cache_passes_results_through() -> None:
    safe = SafeCache(MemoryCache(ttl=60), "memory")
    safe.put("k", {"v": 1})
    assert safe.get("k") == {"v": 1}


def test_memory_values_are_not_shared_with_callers() -> None:
    memory = MemoryCache(ttl=60)
    value: Value = {"summary": ["one"]}
    memory.put("k", value)
    value["summary"].append("changed after put")
    got = memory.get("k")
    assert got is not None
    got["summary"].append("changed after get")

    assert memory.get("k") == {"summary": ["one"]}
