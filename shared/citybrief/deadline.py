"""One time budget per request, shared by every Wikipedia request made for it.

A lone fetch (a brief) spends a budget of ``Settings.deadline`` seconds of its own.
``compare`` runs one budget for the whole request instead, so its cities share it:
with one each, 10 cities two at a time could take five deadlines, long past the
platform's own timeout, and the caller got the platform's error instead of our 504.
The running budget travels in a context variable, which the threads a request starts
(compare's pool, a fetch's early parse) copy, so every request made for it sees one end.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(frozen=True)
class Budget:
    """When the time is up, on ``clock``'s scale (injectable, so tests need not wait)."""

    ends: float
    clock: Clock = time.monotonic

    @classmethod
    def starting_now(cls, seconds: float, clock: Clock = time.monotonic) -> Budget:
        return cls(clock() + seconds, clock)

    def remaining(self) -> float:
        return self.ends - self.clock()


_RUNNING: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "citybrief_budget", default=None
)


def budget_for(seconds: float) -> Budget:
    """The running request's budget, or else a new one of ``seconds`` starting now."""
    return _RUNNING.get() or Budget.starting_now(seconds)


@contextmanager
def request_budget(seconds: float, clock: Clock = time.monotonic) -> Iterator[Budget]:
    """Run the block, and every fetch it makes, on one budget of ``seconds``.

    A request has one budget: inside a running one, the block spends that one.
    """
    running = _RUNNING.get()
    if running is not None:
        yield running
        return
    budget = Budget.starting_now(seconds, clock)
    token = _RUNNING.set(budget)
    try:
        yield budget
    finally:
        _RUNNING.reset(token)
