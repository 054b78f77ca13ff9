"""The file batch (``citybrief batch``): many cities, one JSON line each, resumable.

Lines are ``citybrief.records`` records (without ``lang``) in completion order: each is
written and flushed, under a lock, the moment its city is done, so an interrupted run
leaves only whole lines. Every run is a last attempt (it records every outcome); a rerun
skips the cities the file holds except ``failed`` ones, which it tries again.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .errors import BadInput
from .names import city_key
from .records import STATUSES, outcome

# Wikimedia's etiquette asks for at most two requests in flight; more is an explicit choice.
DEFAULT_CONCURRENCY = 2
MAX_CONCURRENCY = 8

BriefFn = Callable[[str], dict[str, Any]]


def validate_concurrency(value: int) -> int:
    if not 1 <= value <= MAX_CONCURRENCY:
        raise BadInput(f"concurrency must be between 1 and {MAX_CONCURRENCY}.")
    return value


def read_cities(lines: Iterable[str]) -> list[str]:
    """One name per line; blank lines, ``#`` comments and repeats are dropped."""
    cities: list[str] = []
    seen: set[str] = set()
    for line in lines:
        name = line.strip()
        if not name or name.startswith("#") or city_key(name) in seen:
            continue
        seen.add(city_key(name))
        cities.append(name)
    return cities


def load_done(path: Path) -> set[str]:
    """Keys of the cities ``path`` already answers, after tidying the file for appending.

    A torn last line (the run was killed mid-write: unterminated, an object cut short) and
    ``failed`` lines are dropped by rewriting the file atomically; any other line that is
    not a result line means this is not our file, and overwriting it would destroy
    someone's data.
    """
    if not path.exists():
        return set()
    text = path.read_text(encoding="utf-8")
    # split("\n"), not splitlines(): JSON text may hold a raw U+2028 inside a string.
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    kept: list[str] = []
    done: set[str] = set()
    for number, line in enumerate(lines, 1):
        try:
            city, status = _result(line)
        except ValueError as error:
            last = number == len(lines) and not text.endswith("\n")
            if last and line.startswith("{") and isinstance(error, json.JSONDecodeError):
                continue
            raise BadInput(
                f"{path}:{number} is not a batch result line ({error}); refusing to append."
            ) from None
        if status != "failed":
            kept.append(line)
            done.add(city_key(city))
    if len(kept) != len(lines) or (lines and not text.endswith("\n")):
        _replace(path, "".join(line + "\n" for line in kept))
    return done


def _result(line: str) -> tuple[str, str]:
    """(city, status) of one result line; ValueError says why it is not one."""
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError(f"a JSON {type(record).__name__}, not an object")
    city, status = record.get("city"), record.get("status")
    if not isinstance(city, str):
        raise ValueError("its city is not a string")
    if status not in STATUSES:
        raise ValueError(f"its status is not one of {', '.join(STATUSES)}")
    return city, status


def _replace(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)


@dataclass
class Progress:
    """Counts so far and, when ``stream`` is a terminal, a bar redrawn in place (piped,
    nothing until the summary). ``clock`` is injectable for the time-left estimate."""

    total: int
    stream: TextIO
    counts: Counter[str] = field(default_factory=Counter)
    clock: Callable[[], float] = time.monotonic
    width: int = 24
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def add(self, status: str) -> None:
        self.counts[status] += 1
        self.draw()

    def draw(self) -> None:
        if self.stream.isatty():
            self.stream.write(f"\r{self.bar()}\x1b[K")  # \x1b[K: erase a longer last bar
            self.stream.flush()

    def bar(self) -> str:
        """``[#####---] 12/40  30%  10 ok, 2 not ok, ~0:35 left``"""
        done = sum(self.counts.values())
        filled = self.width * done // self.total if self.total else self.width
        percent = 100 * done // self.total if self.total else 100
        not_ok = done - self.counts["ok"]
        text = (
            f"[{'#' * filled}{'-' * (self.width - filled)}] {done}/{self.total} {percent:3d}%  "
            f"{self.counts['ok']} ok, {not_ok} not ok"
        )
        if 0 < done < self.total:
            left = round((self.clock() - self.started) / done * (self.total - done))
            text += f", ~{left // 60}:{left % 60:02d} left"
        return text

    def summary(self, skipped: int, interrupted: bool) -> str:
        end = "\n" if self.stream.isatty() else ""
        parts = ", ".join(f"{self.counts[s]} {s.replace('_', ' ')}" for s in STATUSES)
        state = "interrupted after" if interrupted else "done:"
        return f"{end}citybrief: batch {state} {parts}; {skipped} skipped (already done)"


def run_batch(
    cities: list[str], brief: BriefFn, out: TextIO, progress: Progress, concurrency: int
) -> None:
    """Brief ``cities`` with at most ``concurrency`` in flight, writing lines to ``out``.

    Workers write their own lines, so a KeyboardInterrupt in the main thread never tears
    one. On interrupt (in the main thread, or raised inside a worker) no further city
    starts, running ones finish and are written, and the interrupt is re-raised; the
    counts so far are in ``progress``.
    """
    lock = threading.Lock()
    stop = threading.Event()

    def work(city: str) -> None:
        if stop.is_set():
            return
        try:
            line = outcome(city, brief)
        except BaseException:
            stop.set()
            raise
        text = json.dumps(line, ensure_ascii=False) + "\n"
        with lock:
            out.write(text)
            out.flush()
            progress.add(line["status"])

    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="citybrief-batch")
    try:
        for future in as_completed([pool.submit(work, city) for city in cities]):
            future.result()  # re-raises what a worker could not handle (KeyboardInterrupt)
    except BaseException:
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
