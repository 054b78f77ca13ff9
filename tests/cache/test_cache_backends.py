"""One behavioural suite for every cache backend, against real services or emulators.

Each backend is built through ``open_cache`` (so the spec mapping is tested too) and then
unwrapped from ``SafeCache``: here a backend bug must fail the test, not become a miss.
The last tests go through ``SafeCache`` on purpose: a broken or unreachable backend must
be a logged miss that never raises.
"""

from __future__ import annotations

import base64
import logging
import os
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from citybrief.cache import Cache, MemoryCache, SafeCache, Value, open_cache
from citybrief.service import BriefService
from citybrief.settings import Settings
from tests.support.emulators import azurite_connection_string, free_port
from tests.support.fakewiki import FakeWiki
from tests.support.reference import require

Make = Callable[[float], Cache]


@pytest.fixture(
    params=[
        "memory",
        "sqlite",
        pytest.param("dynamodb", marks=pytest.mark.emulator),
        pytest.param("firestore", marks=pytest.mark.emulator),
        pytest.param("azuretable", marks=pytest.mark.emulator),
    ]
)
def make_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Make:
    """A factory of unwrapped caches of one backend, all sharing the same storage."""
    backend: str = request.param
    if backend == "memory":
        spec = "memory"
    elif backend == "sqlite":
        spec = f"sqlite:///{tmp_path / 'cache.db'}"
    elif backend == "dynamodb":
        spec = f"dynamodb://{request.getfixturevalue('moto_server')}"
    elif backend == "firestore":
        spec = f"firestore://{request.getfixturevalue('firestore_collection')}"
    else:
        spec = f"azuretable://{request.getfixturevalue('azurite_table')}"

    def make(ttl: float = 600.0) -> Cache:
        cache = open_cache(spec, ttl)
        assert isinstance(cache, SafeCache)
        return cache.inner

    return make


def article(title: str, text: str) -> Value:
    return {"title": title, "lang": "en", "extract": text, "sections": [], "revision": 1}


def test_miss(make_cache: Make) -> None:
    assert make_cache(600).get("article:en:Nowhere") is None


def test_round_trip_keeps_json_types(make_cache: Make) -> None:
    cache = make_cache(600)
    value: Value = {
        "title": "Zürich",
        "population": 421878,
        "area_km2": 87.88,
        "capital": False,
        "airports": [{"iata": "ZRH", "km": 9.5}],
        "timezone": None,
        "note": "Straße — 東京 — \u2028 emoji 🚆",
    }
    cache.put("article:de:Zürich", value)
    assert cache.get("article:de:Zürich") == value


def test_overwrite(make_cache: Make) -> None:
    cache = make_cache(600)
    cache.put("article:en:Berlin", {"revision": 1})
    cache.put("article:en:Berlin", {"revision": 2})
    assert cache.get("article:en:Berlin") == {"revision": 2}


def test_entries_expire(make_cache: Make) -> None:
    """An entry lives for the cache's TTL unless ``put`` gives its own, shorter (a
    remembered not-found) or longer. The caches read an injected clock: no real waiting
    (DynamoDB rounds expiry up to a whole second, hence 2.1 s for a 1 s TTL)."""
    now = [time.time()]
    short, long = make_cache(1.0), make_cache(600)
    for cache in (short, long):
        cache.clock = lambda: now[0]  # type: ignore[attr-defined]
    short.put("article:en:Cairo", {"revision": 2}, ttl=600)
    long.put("article:en:Tokyo", {"revision": 3})
    short.put("article:en:Lisbon", {"revision": 1})
    assert short.get("article:en:Lisbon") == {"revision": 1}
    long.put("resolved:en:Qzxqzx", {"error": "not-found"}, ttl=1.0)
    assert long.get("resolved:en:Qzxqzx") == {"error": "not-found"}
    now[0] += 2.1
    assert short.get("article:en:Lisbon") is None
    assert short.get("article:en:Cairo") == {"revision": 2}
    assert long.get("resolved:en:Qzxqzx") is None
    assert long.get("article:en:Tokyo") == {"revision": 3}


def test_written_entries_are_seen_by_another_instance(make_cache: Make) -> None:
    """A new cold start reads what an earlier one wrote; the in-process cache, by design,
    shares nothing between instances."""
    first, second = make_cache(600), make_cache(600)
    first.put("article:en:Cairo", {"revision": 7})
    expected = None if isinstance(first, MemoryCache) else {"revision": 7}
    assert second.get("article:en:Cairo") == expected


def test_large_article(make_cache: Make) -> None:
    text = (require() / "extracts" / "Moscow.txt").read_text(encoding="utf-8")
    assert len(text.encode()) > 100_000
    cache = make_cache(600)
    cache.put("article:en:Moscow", article("Moscow", text))
    assert cache.get("article:en:Moscow") == article("Moscow", text)


def test_large_incompressible_value_then_small_overwrite(make_cache: Make) -> None:
    """~150 KB even after gzip: past one Azure property (64 KiB), under every item limit."""
    noise = base64.b64encode(random.Random(7).randbytes(150_000)).decode()
    cache = make_cache(600)
    cache.put("article:en:Noise", article("Noise", noise))
    assert cache.get("article:en:Noise") == article("Noise", noise)
    cache.put("article:en:Noise", article("Noise", "short"))
    assert cache.get("article:en:Noise") == article("Noise", "short")


KEYS = [
    "article:de:Zürich",
    "article:ja:東京",
    "article:en:AC/DC",
    "article:en:C#",
    "article:en:What?",
    "article:en:back\\slash",
    "article:en:tab\there",
    "article:en:" + "long" * 200,
]


def test_unicode_and_reserved_characters_in_keys(make_cache: Make) -> None:
    cache = make_cache(600)
    for key in KEYS:
        cache.put(key, {"key": key})
    for key in KEYS:
        assert cache.get(key) == {"key": key}
    assert cache.get("article:en:AC") is None


def test_concurrent_writers(make_cache: Make) -> None:
    """8 threads x 6 puts on one instance: every entry readable, no torn shared entry."""
    cache = make_cache(600)

    def writer(thread: int) -> None:
        for i in range(6):
            cache.put(f"article:en:T{thread}-{i}", {"thread": thread, "i": i})
            cache.put("article:en:Shared", {"thread": thread, "i": i, "pad": "x" * 1000})

    with ThreadPoolExecutor(max_workers=8) as pool:
        for future in [pool.submit(writer, thread) for thread in range(8)]:
            future.result()
    for thread in range(8):
        for i in range(6):
            assert cache.get(f"article:en:T{thread}-{i}") == {"thread": thread, "i": i}
    shared = cache.get("article:en:Shared")
    assert shared is not None
    assert shared == {"thread": shared["thread"], "i": shared["i"], "pad": "x" * 1000}


def test_resolved_via_is_the_query_s_after_a_hit(
    make_cache: Make, settings: Settings, wiki: FakeWiki
) -> None:
    """GIVEN Chicago briefed as "Windy City" then as "Chicago" through this backend WHEN
    both are asked again THEN both are cache hits, each saying how its own query resolved."""
    service = BriefService(settings, cache=make_cache(600))
    service.brief("Windy City")
    service.brief("Chicago")
    wiki.reset()

    again = [service.brief("Windy City"), service.brief("Chicago")]

    assert wiki.requests == 0
    assert [(b["title"], b["resolved_via"]) for b in again] == [
        ("Chicago", "redirect"),
        ("Chicago", "exact"),
    ]


# --- failures become logged misses through open_cache's SafeCache -----------------------


def assert_logged_misses(cache: Cache, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="citybrief.cache"):
        assert cache.get("article:en:Berlin") is None
        cache.put("article:en:Berlin", {"revision": 1})
        assert cache.get("article:en:Berlin") is None
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("cache get failed") for m in messages), messages
    assert any(m.startswith("cache put failed") for m in messages), messages


@pytest.mark.parametrize("backend", ["dynamodb", "firestore", "azuretable"])
def test_unreachable_backend_is_a_fast_logged_miss(
    backend: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    closed = free_port()
    if backend == "dynamodb":
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed}")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    elif backend == "firestore":
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{closed}")
        monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "citybrief-test")
    else:
        monkeypatch.setenv("AzureWebJobsStorage", azurite_connection_string(closed, closed, closed))
    began = time.monotonic()
    assert_logged_misses(open_cache(f"{backend}://citybrief", 600), caplog)
    assert time.monotonic() - began < 30


def test_sqlite_corrupt_file_is_a_logged_miss(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cache.db"
    path.write_bytes(b"this is not an SQLite database\n" * 200)
    assert_logged_misses(open_cache(f"sqlite:///{path}", 600), caplog)


def test_sqlite_read_only_directory_is_a_logged_miss(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Root ignores a 0o555 mode, but procfs refuses new files even to root."""
    if os.geteuid() == 0:
        directory = Path("/proc/self")
    else:
        directory = tmp_path / "read-only"
        directory.mkdir()
        directory.chmod(0o555)
    assert_logged_misses(open_cache(f"sqlite:///{directory / 'cache.db'}", 600), caplog)
