"""The MediaWiki Action API client: a city name in, one ``Article`` out.

A normal city costs exactly two requests (query + parse of section 0) and one round trip:
the parse is sent for the title as asked, from a second thread, while the query is in
flight, and MediaWiki follows redirects and normalisation in both. When the query lands
elsewhere the early parse is wasted, which costs one request more than a sequential
client: a disambiguation page costs 3 (query, wasted parse, links), and so does a page
shaped like one ("X may refer to:" and a list), a search 5 (query, wasted parse, search,
then query and parse together again).

Every request shares one deadline (the running request's budget, see ``deadline``), so
neither retries of 429/5xx/maxlag/connection failures nor an answer whose body trickles
in can make a brief slower than ``Settings.deadline``: bodies are read against the
clock, each read waiting at most for the time left.
"""

from __future__ import annotations

import contextvars
import json
import logging
import random
import re
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple, Protocol

import requests
from urllib3.exceptions import ProtocolError, ReadTimeoutError

from .article import Article, Coordinates
from .deadline import Budget, budget_for
from .errors import Ambiguous, BadInput, CitybriefError, NotFound, UpstreamError, UpstreamTimeout
from .settings import Settings
from .validation import validate_lang

log = logging.getLogger("citybrief.wiki")

# Wikipedia language codes: "en", "simple", "zh-yue", "be-tarask", "zh-min-nan",
# "zh-classical". Letters, digits and hyphens only, so the code can never change the host.
# Characters MediaWiki forbids in titles; "|" would also split one title into several.
_BAD_TITLE = re.compile(r"[#<>\[\]{}|\x00-\x1f\x7f]")
_MAX_TITLE_BYTES = 255
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_MAX_CANDIDATES = 10
_SEARCH_LIMIT = 5
_QUALIFIER = re.compile(r"\s*(?:\(.*\)|,.*)$")
_INFOBOX_OPEN = re.compile(r"<table\b[^>]*\bclass=\"[^\"]*\binfobox\b[^\"]*\"[^>]*>", re.I)
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.I)
_SECTION0 = {"action": "parse", "prop": "text", "section": "0", "redirects": "1"}
_PARSE_ERRORS = ("missingtitle",)  # no such page (or deleted since the query): no infobox
_READ_CHUNK = 64 * 1024
_GZIP = zlib.MAX_WBITS | 16  # zlib's window bits for a gzip stream
# The line that opens a list of other pages: "X may refer to:", "X may also refer to:",
# "X can refer to:", "X is the name of several places:".
_LIST_INTRO = re.compile(
    r"\b(?:(?:may|might|can|could)(?:\s+also)?\s+refer\s+to|is\s+the\s+name\s+of)\b.*:$", re.I
)
_HEADING = re.compile(r"^=+ .* =+$")  # explaintext's section lines (exsectionformat=wiki)
_MAX_ENTRY_WORDS = 40  # a list entry is a phrase or a sentence; a longer line is prose
_PARENTHESIS = re.compile(r"\s*\(.*\)$")


class Fetched(NamedTuple):
    article: Article
    requests: int  # HTTP requests this fetch made, retries included


class _Retry(NamedTuple):
    """A failed attempt worth repeating: why, and how long the server asked us to wait."""

    problem: str
    wait: float = 0.0


class ArticleSource(Protocol):
    """Anything that turns a query into an article: the live client or a snapshot."""

    def fetch(self, query: str, lang: str = "en") -> Fetched: ...


def endpoint_for(settings: Settings, lang: str) -> str:
    """The API URL for ``lang``, substituted only after validation."""
    return settings.wiki_api.replace("{lang}", validate_lang(lang))


def _clean_query(query: str) -> str:
    title = query.strip() if isinstance(query, str) else ""
    if not title:
        raise BadInput("Give a city name")
    if _BAD_TITLE.search(title):
        raise BadInput(f"{query!r} cannot be a Wikipedia title")
    # A well-formed name that no article can carry: not found, as the API documents
    # (JSON Schema cannot state a limit in bytes, so it is no input error).
    if len(title.encode("utf-8", "surrogatepass")) > _MAX_TITLE_BYTES:
        raise NotFound(f"No Wikipedia article for {query[:60]!r}...: titles are at most 255 bytes")
    return title


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _retry_after(response: requests.Response) -> float:
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


def infobox_of(html: str) -> str | None:
    """The first ``<table class="infobox ...">`` with its nested tables, or None.

    Storing only the infobox keeps cached articles small; the analysis reads nothing else.
    """
    start = _INFOBOX_OPEN.search(html)
    if start is None:
        return None
    depth = 0
    for tag in _TABLE_TAG.finditer(html, start.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start.start() : tag.end()]
    return None  # unbalanced markup: better no infobox than half of one


def _listed_entries(extract: str) -> list[str] | None:
    """The entries of an article that only lists other pages, or None if it has prose.

    Such an article (a disambiguation page without the page property, a set index) opens
    with a list intro (``_LIST_INTRO``) as one of its lead's first two lines (a short
    primary topic may come first), and every other line but headings is a short entry.
    """
    lines = [line.strip() for line in extract.split("\n") if line.strip()]
    for index, line in enumerate(lines[:2]):
        if _HEADING.match(line):
            return None  # the lead ended before any intro
        if _LIST_INTRO.search(line):
            others = lines[:index] + lines[index + 1 :]
            if any(len(other.split()) > _MAX_ENTRY_WORDS for other in others):
                return None
            return [entry for entry in lines[index + 1 :] if not _HEADING.match(entry)]
    return None


def _mostly_links(entries: list[str], title: str, linked: list[str]) -> bool:
    """Whether two entries in three name a page the article links to: a list of links.

    A link is named by its title or, when that is not the article's own name, by its
    title without a parenthesised qualifier ("Victoria (state)" shown as "Victoria")."""
    names = {name.casefold() for name in linked}
    names |= {_PARENTHESIS.sub("", name).casefold() for name in linked}
    names.discard(title.casefold())
    names.discard("")
    named = sum(any(name in entry.casefold() for name in names) for entry in entries)
    return 3 * named >= 2 * len(entries)


def _plausible(title: str, query: str) -> bool:
    """Whether a search hit names the place asked for ("chicago il" -> "Chicago").

    The hit's title without its qualifier must equal a leading run of the query's words,
    so a search can never answer with an unrelated page.
    """
    base = re.findall(r"\w+", _QUALIFIER.sub("", title).casefold())
    words = re.findall(r"\w+", query.casefold())
    return bool(base) and words[: len(base)] == base


def _linked_titles(links: dict[str, Any]) -> list[str]:
    """Every title the links were shown as: the pages' own and the redirects to them."""
    titles = [linked.get("title", "") for linked in links.get("pages", [])]
    return titles + [redirect.get("from", "") for redirect in links.get("redirects", [])]


def _candidates(links: dict[str, Any]) -> list[str]:
    """Linked articles worth offering: places (with coordinates) first, then the rest;
    never missing pages or other disambiguation pages."""
    places: list[str] = []
    others: list[str] = []
    for linked in links.get("pages", []):
        title = linked.get("title", "")
        if (
            linked.get("missing")
            or linked.get("ns", 0) != 0
            or "disambiguation" in linked.get("pageprops", {})
            or title.endswith("(disambiguation)")
        ):
            continue
        (places if linked.get("coordinates") else others).append(title)
    return (places + others)[:_MAX_CANDIDATES]


class _Call:
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


def _time_left(budget: Budget) -> float:
    """Seconds left in ``budget``; UpstreamTimeout when there are none."""
    left = budget.remaining()
    if left <= 0:
        raise UpstreamTimeout("Wikipedia did not answer within the deadline")
    return left


def _read_body(response: requests.Response, budget: Budget, read_timeout: float) -> bytes:
    """The whole body, decoded, or UpstreamTimeout once ``budget`` is spent.

    A read timeout bounds one read, not a body: a server sending a byte a second never
    trips it. So the socket's timeout is re-armed to the time left before every read, and
    ``read1`` returns whatever has arrived, letting the clock be checked between reads.
    """
    raw = response.raw
    chunks: list[bytes] = []
    while True:
        left = _time_left(budget)
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


class _Early:
    """A request's first attempt, made on a thread of its own while the caller works on.

    Nothing escapes the thread: any failure becomes a ``_Retry``, so the caller just goes
    on with the request's retries, in order, as if it had made the attempt itself.
    """

    def __init__(self, attempt: Callable[[], dict[str, Any] | _Retry]) -> None:
        self._attempt = attempt
        self._outcome: dict[str, Any] | _Retry = _Retry("early attempt did not finish")
        # In the caller's context, so log records keep their request id.
        self._thread = threading.Thread(
            target=contextvars.copy_context().run, args=(self._run,), name="citybrief-early"
        )
        self._thread.start()

    def _run(self) -> None:
        try:
            self._outcome = self._attempt()
        except Exception as exc:  # e.g. non-JSON: the in-order retry will raise it if it lasts
            self._outcome = _Retry(f"{type(exc).__name__}: {exc}")

    def result(self) -> dict[str, Any] | _Retry:
        """The attempt's outcome, waiting for its thread to end."""
        self._thread.join()
        return self._outcome


class WikiClient:
    """Fetches articles over pooled keep-alive sessions.

    Keep one per process (warm function invocations reuse its connections). A
    ``requests.Session`` is not promised to be thread-safe, and ``compare``, threaded
    servers and each fetch's early parse send concurrently, so every request borrows an
    idle session for itself. The early parse runs on a new thread per fetch, so sessions
    are pooled per client rather than per thread: that keeps its connection warm too.
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
            left = _time_left(budget)
            timeout = (
                min(self.settings.connect_timeout, left),
                min(self.settings.read_timeout, left),
            )
            with session.get(url, params=params, timeout=timeout, stream=True) as response:
                return response, _read_body(response, budget, self.settings.read_timeout)
        finally:
            with self._sessions_lock:
                self._idle.append(session)

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()
            self._idle.clear()

    def __enter__(self) -> WikiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fetch(self, query: str, lang: str = "en") -> Fetched:
        validate_lang(lang)
        title = _clean_query(query)
        call = _Call(self.settings.deadline)
        try:
            article = self._resolve(call, title, query, lang, searched=False)
        except CitybriefError as error:
            error.upstream_requests = call.requests
            raise
        return Fetched(article, call.requests)

    def _resolve(self, call: _Call, title: str, query: str, lang: str, searched: bool) -> Article:
        """Query ``title`` while its parse is on the way; a missing page falls back to search
        unless this is the hit. The parse's thread is joined before this returns or raises."""
        early = self._begin(call, lang, _PARSE_ERRORS, page=title, **_SECTION0)
        try:
            return self._lookup(call, title, query, lang, searched, early=early)
        finally:
            early.result()

    def _lookup(
        self, call: _Call, title: str, query: str, lang: str, searched: bool, *, early: _Early
    ) -> Article:
        data = self._get(
            call,
            lang,
            action="query",
            titles=title,
            redirects="1",
            prop="extracts|coordinates|pageprops|info|revisions",
            explaintext="1",
            exsectionformat="wiki",
            inprop="url",
            rvprop="ids",
            ppprop="disambiguation|wikibase-shortdesc",
            coprimary="primary",
        )
        body = data.get("query", {})
        pages = body.get("pages") or [{}]
        page = pages[0]
        if page.get("missing") or page.get("invalid") or "pageid" not in page:
            if not searched:
                return self._search(call, title, query, lang)
            raise NotFound(f"No Wikipedia article for {query!r}")
        flagged = "disambiguation" in page.get("pageprops", {})
        entries = None if flagged else _listed_entries(page.get("extract", ""))
        if flagged or entries is not None:  # unflagged, it must list what it links to
            links = self._links(call, page, lang)
            if entries is None or _mostly_links(entries, page["title"], _linked_titles(links)):
                raise Ambiguous(f"{query!r} may refer to several pages", _candidates(links))
        if searched:
            via = "search"
        elif body.get("redirects"):
            via = "redirect"
        else:
            via = "normalized" if body.get("normalized") else "exact"
        return self._article(call, page, query, lang, via, early=early.result())

    def _article(
        self,
        call: _Call,
        page: dict[str, Any],
        query: str,
        lang: str,
        via: str,
        *,
        early: dict[str, Any] | _Retry,
    ) -> Article:
        coords = (page.get("coordinates") or [None])[0]
        revisions = page.get("revisions") or [{}]
        return Article(
            lang=lang,
            title=page["title"],
            url=page.get("canonicalurl") or page.get("fullurl") or "",
            pageid=page["pageid"],
            revision=revisions[0].get("revid") or page.get("lastrevid"),
            extract=page.get("extract", ""),
            coordinates=Coordinates(coords["lat"], coords["lon"]) if coords else None,
            infobox_html=self._infobox(call, page["title"], lang, early),
            description=page.get("pageprops", {}).get("wikibase-shortdesc"),
            retrieved_at=_now(),
            requested=query,
            resolved_via=via,
        )

    def _infobox(
        self, call: _Call, title: str, lang: str, early: dict[str, Any] | _Retry
    ) -> str | None:
        """The infobox of ``title``, from the early parse when that reached this very page.

        A failed early parse was the first attempt: its retries follow here, in order.
        """
        first: dict[str, Any] | _Retry | None = early
        if isinstance(early, dict) and early.get("parse", {}).get("title") != title:
            first = None  # it reached another page, or none: parse the query's answer instead
        data = self._get(call, lang, _PARSE_ERRORS, first, page=title, **_SECTION0)
        text = data.get("parse", {}).get("text")
        return infobox_of(text) if isinstance(text, str) else None

    def _links(self, call: _Call, page: dict[str, Any], lang: str) -> dict[str, Any]:
        """The articles ``page`` links to (redirects followed), each with its coordinates
        and disambiguation flag: the ``query`` part of one ``generator=links`` call."""
        data = self._get(
            call,
            lang,
            action="query",
            titles=page["title"],
            redirects="1",
            generator="links",
            gpllimit="max",
            gplnamespace="0",
            prop="coordinates|pageprops",
            ppprop="disambiguation",
            coprimary="primary",
            colimit="max",
        )
        query: dict[str, Any] = data.get("query", {})
        return query

    def _search(self, call: _Call, title: str, query: str, lang: str) -> Article:
        data = self._get(
            call,
            lang,
            action="query",
            list="search",
            srsearch=title,
            srlimit=str(_SEARCH_LIMIT),
            srnamespace="0",
        )
        hits = [hit["title"] for hit in data.get("query", {}).get("search", [])]
        if not hits:
            raise NotFound(f"No Wikipedia article for {query!r}")
        if not _plausible(hits[0], title):
            raise Ambiguous(f"{query!r} matches no article title; did you mean one of these?", hits)
        article = self._resolve(call, hits[0], query, lang, searched=True)
        if article.coordinates is None:  # a guess that is no place ("chicago band"): ask
            raise Ambiguous(
                f"{query!r} found {article.title!r}, which is not a place; "
                "did you mean one of these?",
                hits,
            )
        return article

    def _begin(
        self, call: _Call, lang: str, allow_errors: tuple[str, ...], **params: str
    ) -> _Early:
        """Send an API call's first attempt from another thread; ``_get`` can go on from it."""
        url = endpoint_for(self.settings, lang)
        params.update(format="json", formatversion="2", maxlag="5")
        self._spend(call)
        return _Early(lambda: self._attempt(url, params, call.budget, allow_errors))

    def _get(
        self,
        call: _Call,
        lang: str,
        allow_errors: tuple[str, ...] = (),
        first: dict[str, Any] | _Retry | None = None,
        **params: str,
    ) -> dict[str, Any]:
        """One API call with retries, all within the fetch's deadline.

        ``first`` is the outcome of an attempt already made (see ``_begin``), if any.
        """
        url = endpoint_for(self.settings, lang)
        params.update(format="json", formatversion="2", maxlag="5")
        outcome = first
        for attempt in range(self.settings.max_retries + 1):
            if attempt or outcome is None:
                self._spend(call)
                outcome = self._attempt(url, params, call.budget, allow_errors)
            if not isinstance(outcome, _Retry):
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
    def _spend(call: _Call) -> None:
        """Count one more request, or raise UpstreamTimeout when no time is left for it."""
        _time_left(call.budget)
        call.requests += 1

    def _attempt(
        self, url: str, params: dict[str, str], budget: Budget, allow_errors: tuple[str, ...]
    ) -> dict[str, Any] | _Retry:
        """The JSON body, a ``_Retry`` when trying again may help, or a raised error."""
        try:
            response, body = self._send(url, params, budget)
        except requests.exceptions.ConnectTimeout:
            return _Retry("connect timeout")
        # A slow answer (headers or body) is not retried: it would be slow again.
        except (requests.Timeout, ReadTimeoutError) as exc:
            raise UpstreamTimeout("Wikipedia did not answer within the deadline") from exc
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            ProtocolError,  # the body cut short, read by ``_read_body`` from urllib3 itself
        ) as exc:
            return _Retry(f"connection failed ({type(exc).__name__})")
        except requests.RequestException as exc:
            raise UpstreamError(f"Wikipedia request failed: {type(exc).__name__}") from exc
        if response.status_code in _RETRY_STATUSES:
            return _Retry(f"HTTP {response.status_code}", _retry_after(response))
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
                return _Retry("database lag (maxlag)", _retry_after(response))
            if code not in allow_errors:
                raise UpstreamError(f"Wikipedia API error {code}: {error.get('info', '')}")
        return data
