"""The HTTP side of talking to the MediaWiki Action API: connections, retries, the deadline.

``wiki`` knows what to ask (lookup, redirects, search, disambiguation); this module only
knows how: one GET as JSON over pooled keep-alive connections (``connections``), retries
of 429/5xx/``maxlag``/connection failures with backoff and ``Retry-After``, and the budget
every request of a fetch shares (see ``deadline``). Every read waits at most for the time
left, so an answer that trickles in cannot outlast the deadline.
"""

from __future__ import annotations

import contextvars
import http.client
import json
import logging
import random
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode

from .connections import Pool, route_for, time_left
from .deadline import Budget, budget_for
from .errors import UpstreamError, UpstreamTimeout
from .settings import Settings
from .validation import Lang

log = logging.getLogger("citybrief.wiki")

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_GZIP = zlib.MAX_WBITS | 16  # zlib's window bits for a gzip stream
# Far above any article's API answer (the longest extracts are ~1 MB), far below what would
# exhaust a 128 MB function: a larger body is refused, compressed or not.
MAX_BODY_BYTES = 16 * 1024 * 1024


class Retry(NamedTuple):
    """A failed attempt worth repeating: why, and how long the server asked us to wait."""

    problem: str
    wait: float = 0.0


Outcome = dict[str, Any] | Retry


def endpoint_for(settings: Settings, lang: Lang) -> str:
    """The API URL for ``lang`` (validated where the request entered: see ``Lang``)."""
    return settings.wiki_api.replace("{lang}", lang)


def retry_after(value: str | None) -> float:
    """Seconds a ``Retry-After`` value asks us to wait (delta or HTTP date); 0 when absent."""
    raw = (value or "").strip()
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


class Answer(NamedTuple):
    status: int
    retry_after: str | None
    body: bytes


def read_body(response: http.client.HTTPResponse, limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, decoded; UpstreamError when it is larger than ``limit`` either way.

    Every read of it obeys the connection's budget (see ``connections``)."""
    too_large = f"Wikipedia's answer is larger than {limit} bytes"
    if response.length is not None:  # declared: ``read()`` raises IncompleteRead if cut short
        if response.length > limit:
            raise UpstreamError(too_large)
        body = response.read()
    else:  # chunked (cut short: IncompleteRead) or until the server closes
        body = response.read(limit + 1)
    if len(body) > limit:
        raise UpstreamError(too_large)
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding == "identity" or not body:
        return body
    if encoding != "gzip":  # we only ever accept gzip
        raise UpstreamError(f"Wikipedia answered in an encoding we did not ask for: {encoding}")
    inflate = zlib.decompressobj(_GZIP)
    try:
        data = inflate.decompress(body, limit + 1)
    except zlib.error as exc:
        raise UpstreamError("Wikipedia answered with a broken gzip body") from exc
    if len(data) > limit:
        raise UpstreamError(too_large)
    return data


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
    """JSON GETs to the Action API over pooled keep-alive connections, within a fetch's budget.

    Keep one per process (warm function invocations reuse its connections). ``compare``,
    threaded servers and each fetch's early parse send concurrently: every request borrows
    a connection for itself from the one pool, which keeps the early parse's warm too.
    """

    def __init__(
        self,
        settings: Settings,
        backoff: float = 0.25,
        max_body: int = MAX_BODY_BYTES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.backoff = backoff
        self.max_body = max_body
        self._sleep = sleep  # between retries: injectable, so tests need not wait
        self._headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "gzip"}
        self._pool = Pool(settings.connect_timeout, settings.read_timeout)

    def _send(self, url: str, budget: Budget) -> Answer | Retry:
        """One GET, body and all, within ``budget``, on a connection no other thread is
        using meanwhile (it goes back to the pool once its answer is read, if it may)."""
        try:
            connection = self._pool.borrow(route_for(url), budget)
        except ssl.SSLCertVerificationError as exc:  # trying again would not help
            raise UpstreamError(
                f"Wikipedia's TLS certificate was refused: {exc.verify_message}"
            ) from exc
        except TimeoutError:
            return Retry("connect timeout")
        except OSError as exc:  # refused, unreachable, DNS, TLS handshake, proxy tunnel
            return Retry(f"connection failed ({type(exc).__name__})")
        reusable = False
        try:
            response = connection.get(url, self._headers, budget)
            body = read_body(response, self.max_body)
            reusable = not response.will_close
            return Answer(response.status, response.getheader("Retry-After"), body)
        # A slow answer (headers or body) is not retried: it would be slow again.
        except TimeoutError as exc:
            raise UpstreamTimeout("Wikipedia did not answer within the deadline") from exc
        except (http.client.HTTPException, OSError) as exc:  # reset, cut short, garbled
            return Retry(f"connection failed ({type(exc).__name__})")
        finally:
            if reusable:
                self._pool.give_back(connection)
            else:
                connection.close()

    def close(self) -> None:
        self._pool.close()

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
            self._sleep(delay)
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
        answer = self._send(f"{url}?{urlencode(params)}", budget)
        if isinstance(answer, Retry):
            return answer
        if answer.status in _RETRY_STATUSES:
            return Retry(f"HTTP {answer.status}", retry_after(answer.retry_after))
        if answer.status != 200:
            raise UpstreamError(f"Wikipedia answered HTTP {answer.status}")
        try:
            data = json.loads(answer.body)
        except ValueError as exc:
            raise UpstreamError("Wikipedia answered with something other than JSON") from exc
        if not isinstance(data, dict):
            raise UpstreamError("Wikipedia answered with unexpected JSON")
        error = data.get("error")
        if isinstance(error, dict):
            code = str(error.get("code", "unknown"))
            if code == "maxlag":
                return Retry("database lag (maxlag)", retry_after(answer.retry_after))
            if code not in allow_errors:
                raise UpstreamError(f"Wikipedia API error {code}: {error.get('info', '')}")
        return data
