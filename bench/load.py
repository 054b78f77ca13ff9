"""A bounded keep-alive load generator for the local functions-framework server.

Threads with one ``http.client`` connection each, as a fleet of keep-alive clients would
be; bounded by time and by a request cap so a fast server cannot run away with the bench.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote

MAX_REQUESTS = 50_000


@dataclass
class LoadResult:
    """Every latency in seconds plus the failures, merged from all clients."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _client(
    port: int, paths: Iterator[str], lock: threading.Lock, ends: float, result: LoadResult
) -> None:
    """Send requests back to back on one keep-alive connection until ``ends``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        while time.monotonic() < ends and len(result.latencies) < MAX_REQUESTS:
            with lock:
                path = next(paths)
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{path}: {type(exc).__name__}")
                conn.close()  # reconnect on the next request
                continue
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status} {body[:120]!r}")
                continue
            latencies.append(time.perf_counter() - started)
    finally:
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += len(errors)
            result.error_samples.extend(errors[: 5 - len(result.error_samples)])


def run_load(port: int, cities: list[str], clients: int, seconds: float) -> LoadResult:
    """``clients`` concurrent keep-alive clients cycling over ``cities`` for ``seconds``."""
    paths = itertools.cycle(f"/brief?city={quote(city)}" for city in cities)
    lock = threading.Lock()
    result = LoadResult()
    started = time.monotonic()
    ends = started + seconds
    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(_client, port, paths, lock, ends, result) for _ in range(clients)]
        for future in futures:
            future.result()  # a bug in a client must fail the bench, not vanish
    result.seconds = time.monotonic() - started
    return result
