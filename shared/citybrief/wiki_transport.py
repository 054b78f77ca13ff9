"""The HTTP side of talking to the MediaWiki Action API: sessions, retries, the deadline.

``wiki`` knows what to ask (lookup, redirects, search, disambiguation); this module only
knows how: pooled keep-alive sessions, one GET as JSON, retries of 429/5xx/``maxlag``/
connection failures with backoff and ``Retry-After``, and the budget every request of a
fetch shares (see ``deadline``). Bodies are read against the clock, each read waiting at
most for the time left, so an answer whose body trickles in cannot outlast the deadline.
"""

from __future__ import annotations

import contextvars
import json
import logging
import random
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from .deadline import Budget, budget_for
from .errors import UpstreamError, UpstreamTimeout
from .settings import Settings
from .validation import Lang

log = logging.getLogger("citybrief.wiki")

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_READ_CHUNK = 64 * 1024
_GZIP = zlib.MAX_WBITS | 16  # zlib's window bits for a gzip stream


class Retry(NamedTuple):
    """A failed attempt worth repeating: why, and how long the server asked us to wait."""

    problem: str
    wait: float = 0.0


Outcome = dict[str, Any] | Retry


def endpoint_for(settings: Settings, lang: Lang) -> str:
    """The API URL for ``lang`` (validated where the request entered: see ``Lang``)."""
    return settings.wiki_api.replace("{lang}", lang)


def retry_after(response: requests.Response) -> float:
    """Seconds the server asked us to wait (delta or HTTP date); 0 when absent."""
    raw = response.headers.get("Retry-After", "").strip()
    if not raw:
        return 0.0
    if raw.isdigit():
        return float(raw)
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Call:
    """One ``fetch``: the budget it spends and the number of HTTP requests spent so far.

    The budget is the running request's (``compare`` shares one among its cities), else
    ``deadline`` seconds from now. Only the fetch's own thread changes ``requests`` (an
    early attempt is counted before it is handed to its thread), so the count needs no lock.
    """

    def __init__(self, deadline: float) -> None:
        self.budget = budget_for(deadline)
        self.requests = 0

    def remaining(self) -> float:
        return self.budget.remaining()


def time_left(budget: Budget) -> float:
    """Seconds left in ``budget``; UpstreamTimeout when there are none."""
    left = budget.remaining()
    if left <= 0:
        raise UpstreamTimeout("Wikipedia did not answer within the deadline")
    return left


def read_body(response: requests.Response, budget: Budget, read_timeout: float) -> bytes:
    """The whole body, decoded, or UpstreamTimeout once ``budget`` is spent.

    A read timeout bounds one read, not a body: a server sending a byte a second never
    trips it. So the socket's timeout is re-armed to the time left before every read, and
    ``read1`` returns whatever has arrived, letting the clock be checked between reads.
    """
    raw = response.raw
    chunks: list[bytes] = []
    while True:
        left = time_left(budget)
        connection = raw.connection  # None once the body is complete (back in the pool)
        if connection is not None and connection.sock is not None:
            connection.sock.settimeout(min(read_timeout, left))
        chunk = raw.read1(_READ_CHUNK, decode_content=False)
        if not chunk:
            break
        chunks.append(chunk)
    body = b"".join(chunks)
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding == "identity" or not body:
        return body
    if encoding != "gzip":  # we only ever accept gzip
        raise UpstreamError(f"Wikipedia answered in an encoding we did not ask for: {encoding}")
    try:
        return zlib.decompress(body, _GZIP)
    except zlib.error as exc:
        raise UpstreamError("Wikipedia answered with a broken gzip body") from exc


class Early:
    """A request's first attempt, made on a thread of its own while the caller works on.

    Nothing escapes the thread: any failure becomes a ``Retry``, so the caller just goes
    on with the request's retries, in order, as if it had made the attempt itself.
    """

    def __init__(self, attempt: Callable[[], Outcome]) -> None:
        self._attempt = attempt
        self._outcome: Outcome = Retry("early attempt did not finish")
        # In the caller's context, so log records keep their request id.
        self._thread = threading.Thread(
            target=contextvars.copy_context().run, args=(self._run,), name="citybrief-early"
        )
        self._thread.start()

    def _run(self) -> None:
        try:
            self._outcome = self._attempt()
        except Exception as exc:  # e.g. non-JSON: the in-order retry will raise it if it lasts
            self._outcome = Retry(f"{type(exc).__name__}: {exc}")

    def result(self) -> Outcome:
        """The attempt's outcome, waiting for its thread to end."""
        self._thread.join()
        return self._outcome


class Transport:
    """JSON GETs to the Action API over pooled keep-alive sessions, within a fetch's budget.

    Keep one per process (warm function invocations reuse its connections). A
    ``requests.Session`` is not promised to be thread-safe, and ``compare``, threaded
    servers and each fetch's early parse send concurrently, so every request borrows an
    idle session for itself. The early parse runs on a new thread per fetch, so sessions
    are pooled per transport rather than per thread: that keeps its connection warm too.
    """

    def __init__(self, settings: Settings, backoff: float = 0.25) -> None:
        self.settings = settings
        self.backoff = backoff
        self._sessions: list[requests.Session] = []
        self._idle: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    def _borrow(self) -> requests.Session:
        """The most recently returned idle session (its connection is the warmest), or a new one."""
        with self._sessions_lock:
            if self._idle:
                return self._idle.pop()
        session = requests.Session()
        session.headers.update({"User-Agent": self.settings.user_agent, "Accept-Encoding": "gzip"})
        with self._sessions_lock:
            self._sessions.append(session)
        return session

    def _send(
        self, url: str, params: dict[str, str], budget: Budget
    ) -> tuple[requests.Response, bytes]:
        """One GET, body and all, within ``budget``, on a session no other thread is using
        meanwhile (it goes back once its connection is back in the pool, or closed)."""
        session = self._borrow()
        try:
            left = time_left(budget)
            timeout = (
                min(self.settings.connect_timeout, left),
                min(self.settings.read_timeout, left),
            )
            with session.get(url, params=params, timeout=timeout, stream=True) as response:
                return response, read_body(response, budget, self.settings.read_timeout)
        finally:
            with self._sessions_lock:
                self._idle.append(session)

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()
            self._idle.clear()

    def begin(self, call: Call, lang: Lang, allow_errors: tuple[str, ...], **params: str) -> Early:
        """Send an API call's first attempt from another thread; ``get`` can go on from it."""
        url = endpoint_for(self.settings, lang)
        params.update(format="json", formatversion="2", maxlag="5")
        self._spend(call)
        return Early(lambda: self.attempt(url, params, call.budget, allow_errors))

    def get(
        self,
        call: Call,
        lang: Lang,
        allow_errors: tuple[str, ...] = (),
        first: Outcome | None = None,
        **params: str,
    ) -> dict[str, Any]:
        """One API call with retries, all within the fetch's deadline.

        ``first`` is the outcome of an attempt already made (see ``begin``), if any.
        """
        url = endpoint_for(self.settings, lang)
        params.update(format="json", formatversion="2", maxlag="5")
        outcome = first
        for attempt in range(self.settings.max_retries + 1):
            if attempt or outcome is None:
                self._spend(call)
                outcome = self.attempt(url, params, call.budget, allow_errors)
            if not isinstance(outcome, Retry):
                return outcome
            if attempt == self.settings.max_retries:
                raise UpstreamError(f"Wikipedia request failed: {outcome.problem}")
            jitter = random.uniform(0.5, 1.0)  # noqa: S311 - spreading retries, not secrets
            delay = max(self.backoff * 2**attempt * jitter, outcome.wait)
            if delay >= call.remaining():
                raise UpstreamTimeout(
                    f"Wikipedia did not recover within the deadline ({outcome.problem})"
                )
            log.warning(
                "Wikipedia %s; retry %d of %d in %.2fs",
                outcome.problem,
                attempt + 1,
                self.settings.max_retries,
                delay,
            )
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _spend(call: Call) -> None:
        """Count one more request, or raise UpstreamTimeout when no time is left for it."""
        time_left(call.budget)
        call.requests += 1

    def attempt(
        self, url: str, params: dict[str, str], budget: Budget, allow_errors: tuple[str, ...]
    ) -> Outcome:
        """The JSON body, a ``Retry`` when trying again may help, or a raised error."""
        try:
            response, body = self._send(url, params, budget)
        except requests.exceptions.ConnectTimeout:
            return Retry("connect timeout")
        # A slow answer (headers or body) is not retried: it would be slow again.
        except (requests.Timeout, ReadTimeoutError) as exc:
            raise UpstreamTimeout("Wikipedia did not answer within the deadline") from exc
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            ProtocolError,  # the body cut short, read by ``read_body`` from urllib3 itself
        ) as exc:
            return Retry(f"connection failed ({type(exc).__name__})")
        except requests.RequestException as exc:
            raise UpstreamError(f"Wikipedia request failed: {type(exc).__name__}") from exc
        if response.status_code in _RETRY_STATUSES:
            return Retry(f"HTTP {response.status_code}", retry_after(response))
        if response.status_code != 200:
            raise UpstreamError(f"Wikipedia answered HTTP {response.status_code}")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise UpstreamError("Wikipedia answered with something other than JSON") from exc
        if not isinstance(data, dict):
            raise UpstreamError("Wikipedia answered with unexpected JSON")
        error = data.get("error")
        if isinstance(error, dict):
            code = str(error.get("code", "unknown"))
            if code == "maxlag":
                return Retry("database lag (maxlag)", retry_after(response))
            if code not in allow_errors:
                raise UpstreamError(f"Wikipedia API error {code}: {error.get('info', '')}")
        return data
