"""brief() and compare(): cache + Wikipedia + analysis glued together.

The cache holds three kinds of entry, all keyed by language: ``resolved`` (what a query
resolved to and how, keyed by the title MediaWiki looks up for it; or, for
``Settings.negative_cache_ttl``, that it found nothing or several pages), ``article``
(the fetched article by title, so analysis can change without refetching) and
``analysis`` (the computed parts of a brief, so a warm brief costs a dictionary lookup,
not an NLP pass). ``ANALYSIS_VERSION`` invalidates the last kind when the analysis
changes.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .article import Article
from .cache import Cache, open_cache
from .deadline import request_budget
from .errors import Ambiguous, CitybriefError, NotFound
from .names import mediawiki_title
from .settings import Settings
from .validation import DEFAULT_LANG, Lang

if TYPE_CHECKING:
    from .wiki import ArticleSource

SCHEMA_VERSION = "1.1"  # 1.1: "analysis" (language, limits); sentiment may be null
ANALYSIS_VERSION = "3"  # 3: German, French and Spanish briefs follow the English rules
LICENSE = "CC BY-SA 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
# Wikimedia's etiquette: keep at most two requests to Wikipedia in flight per caller.
MAX_PARALLEL_FETCHES = 2


@dataclass
class CallStats:
    """What one brief()/compare() call cost: read by adapters for metrics.

    compare() fetches in threads that share one instance, hence the lock.
    """

    cache_hits: int = 0
    cache_misses: int = 0
    upstream_requests: int = 0
    titles: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, *, hits: int = 0, misses: int = 0, requests: int = 0) -> None:
        with self._lock:
            self.cache_hits += hits
            self.cache_misses += misses
            self.upstream_requests += requests


_STATS: contextvars.ContextVar[CallStats] = contextvars.ContextVar("citybrief_stats")


def current_stats() -> CallStats:
    """Stats of the latest service call in this context (empty before any call)."""
    return _STATS.get(CallStats())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _resolved_key(lang: str, query: str) -> str:
    """Keyed by the title MediaWiki looks up for ``query``, so queries sharing a key
    resolve alike."""
    return f"resolved:{lang}:{mediawiki_title(query)}"


def _resolved_via(query: str, title: str, via: str) -> str:
    """How ``query`` reaches ``title``, given how a query with the same key did: a redirect
    or a search is the key's, but exact or normalized depends on the query's spelling."""
    if via in ("exact", "normalized"):
        return "exact" if query.strip() == title else "normalized"
    return via


def _negative(error: NotFound | Ambiguous) -> dict[str, Any]:
    """A ``resolved`` entry that remembers a not-found or ambiguous answer."""
    entry: dict[str, Any] = {"error": error.slug, "detail": error.detail}
    if isinstance(error, Ambiguous):
        entry["candidates"] = error.candidates
    return entry


def _remembered_error(entry: dict[str, Any]) -> CitybriefError:
    """The not-found or ambiguous answer a ``resolved`` entry remembers."""
    if entry["error"] == Ambiguous.slug:
        return Ambiguous(entry["detail"], entry["candidates"])
    return NotFound(entry["detail"])


def _article_key(lang: str, title: str) -> str:
    return f"article:{lang}:{title}"


def _analysis_key(article: Article, sentences: int) -> str:
    revision = article.revision if article.revision is not None else "-"
    return f"analysis:{ANALYSIS_VERSION}:{article.lang}:{article.title}:{revision}:{sentences}"


def attribution(article: Article) -> dict[str, str]:
    """CC BY-SA 4.0 asks for title, source link and licence with every reuse."""
    history = (
        f"https://{article.lang}.wikipedia.org/w/index.php?title="
        f"{quote(article.title.replace(' ', '_'))}&action=history"
    )
    return {
        "license": LICENSE,
        "license_url": LICENSE_URL,
        "attribution": (
            f'Text from the Wikipedia article "{article.title}" by Wikipedia contributors, '
            f"licensed under {LICENSE}."
        ),
        "url": article.url,
        "history_url": history,
    }


_PREPARING: dict[str, threading.Thread] = {}
_PREPARING_LOCK = threading.Lock()
_PREPARE_WAIT = 10.0  # seconds; loading takes ~0.3 s, so only a broken thread waits this long


def _prepare_in_background(lang: Lang) -> None:
    """Once per language and process, load the analysis stack on a thread of its own.

    On a cold start the vocabularies, the sentiment lexicon, the airports and the
    time-zone index cost ~0.3 s of CPU once the article has arrived; loaded meanwhile,
    they overlap the Wikipedia round trip instead (the fetch waits on sockets).
    """
    with _PREPARING_LOCK:
        if lang in _PREPARING:
            return
        thread = threading.Thread(
            target=_prepare, args=(lang,), name="citybrief-prepare", daemon=True
        )
        _PREPARING[lang] = thread
    thread.start()


def _await_preparation(lang: Lang) -> None:
    """Let the loading started for ``lang`` finish before analysing: building the same
    tables at once on two threads would do the work twice, each half as fast."""
    with _PREPARING_LOCK:
        thread = _PREPARING.get(lang)
    if thread is not None:
        thread.join(_PREPARE_WAIT)


def _prepare(lang: Lang) -> None:
    from .analysis import prepare as prepare_analysis
    from .geo import prepare as prepare_geo

    try:
        # The time-zone index first: tzfpy builds it (~0.1 s) without releasing the GIL, so
        # it must be done before the article arrives, or it would hold up reading it.
        prepare_geo()
        prepare_analysis(lang)
    except Exception:  # the brief itself will meet and report any real failure
        logging.getLogger("citybrief.service").debug("preparing the analysis failed", exc_info=True)


class BriefService:
    """The one implementation of ``http.Service``; every entry point builds one."""

    def __init__(
        self,
        settings: Settings,
        source: ArticleSource | None = None,
        cache: Cache | None = None,
    ) -> None:
        self.settings = settings
        self.source = source if source is not None else default_source(settings)
        self.cache = cache if cache is not None else open_cache(settings.cache, settings.cache_ttl)

    # -- articles -----------------------------------------------------------------
    def article(self, query: str, lang: Lang) -> Article:
        """The article for ``query``: from the cache when fresh, else from Wikipedia.

        How the query resolved is the query's, not the cached article's: "Windy City"
        reaches Chicago by redirect, "Chicago" exactly, whichever was cached first.
        """
        stats = current_stats()
        key = _resolved_key(lang, query)
        resolved = self.cache.get(key)
        if resolved is not None and "error" in resolved:
            stats.add(hits=1)
            raise _remembered_error(resolved)
        if resolved is not None:
            cached = self.cache.get(_article_key(lang, resolved["title"]))
            if cached is not None:
                stats.add(hits=1)
                via = _resolved_via(query, resolved["title"], resolved["resolved_via"])
                return Article.from_dict({**cached, "requested": query, "resolved_via": via})
        try:
            fetched = self.source.fetch(query, lang)
        except CitybriefError as error:
            stats.add(misses=1, requests=error.upstream_requests)
            # Worth remembering only when it cost requests (a snapshot's answer costs none).
            if isinstance(error, NotFound | Ambiguous) and error.upstream_requests:
                self.cache.put(key, _negative(error), self.settings.negative_cache_ttl)
            raise
        stats.add(misses=1, requests=fetched.requests)
        article = fetched.article
        self.cache.put(_article_key(lang, article.title), article.to_dict())
        self.cache.put(key, {"title": article.title, "resolved_via": article.resolved_via})
        return article

    def _analysis(self, article: Article, sentences: int) -> dict[str, Any]:
        key = _analysis_key(article, sentences)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        from .analysis import analyse
        from .facts import extract_facts

        _await_preparation(article.lang)
        computed = {
            **analyse(article.extract, sentences, title=article.title, lang=article.lang),
            "facts": extract_facts(article),
        }
        self.cache.put(key, computed)
        return computed

    # -- public ---------------------------------------------------------------------
    def brief(self, city: str, sentences: int = 5, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        _STATS.set(CallStats())
        return self._brief(city, sentences, lang)

    def _brief(self, city: str, sentences: int, lang: Lang) -> dict[str, Any]:
        _prepare_in_background(lang)
        article = self.article(city, lang)
        current_stats().titles.append(article.title)
        parts = self._analysis(article, sentences)
        return {
            "schema_version": SCHEMA_VERSION,
            "query": city,
            "title": article.title,
            "url": article.url,
            "lang": article.lang,
            "revision": article.revision,
            "retrieved_at": article.retrieved_at,
            "resolved_via": article.resolved_via,
            "description": article.description,
            "summary": parts["summary"],
            "logistics": parts["logistics"],
            "facts": parts["facts"],
            "sentiment": parts["sentiment"],
            "key_phrases": parts["key_phrases"],
            "analysis": parts["analysis"],
            "source": attribution(article),
        }

    def compare(
        self, cities: list[str], speed_kmh: float = 80.0, lang: Lang = DEFAULT_LANG
    ) -> dict[str, Any]:
        from .geo import CityPoint, compare

        stats = CallStats()
        _STATS.set(stats)

        def one(city: str) -> dict[str, Any]:
            return self._brief(city, 1, lang)

        # One budget for the request, not one per city: the answer, or our 504, must come
        # before the platform's own timeout (see README, "Deadlines").
        with request_budget(self.settings.deadline):
            briefs = _map_in_context(one, cities)
        points = [
            CityPoint(
                title=brief["title"],
                url=brief["url"],
                coordinates=_coordinates(brief),
                timezone=brief["facts"]["timezone"]["iana"],
                sentiment=_tone(brief["sentiment"]),
            )
            for brief in briefs
        ]
        return {
            "schema_version": SCHEMA_VERSION,
            "generated_at": _now(),
            **compare(points, speed_kmh=speed_kmh),
            "source": {
                "license": LICENSE,
                "license_url": LICENSE_URL,
                "attribution": "Text from Wikipedia articles by Wikipedia contributors, "
                f"licensed under {LICENSE}: " + ", ".join(b["url"] for b in briefs),
            },
        }


def _tone(sentiment: dict[str, Any] | None) -> dict[str, Any] | None:
    """A comparison's sentiment: the overall figures, or None without a lexicon."""
    if sentiment is None:
        return None
    return {k: sentiment[k] for k in ("polarity", "subjectivity", "label")}


def _coordinates(brief: dict[str, Any]) -> Any:
    from .article import Coordinates

    coords = brief["facts"]["coordinates"]
    return Coordinates(**coords) if coords else None


def _map_in_context(fn: Callable[[str], dict[str, Any]], items: list[str]) -> list[dict[str, Any]]:
    """Run ``fn`` over ``items`` with bounded parallelism, sharing this call's stats.

    The first failure (in input order) is raised, so the caller sees which city failed.
    """
    if len(items) <= 1:
        return [fn(item) for item in items]
    context = contextvars.copy_context()
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL_FETCHES) as pool:
        futures = [pool.submit(context.copy().run, fn, item) for item in items]
        results: list[dict[str, Any]] = []
        for item, future in zip(items, futures, strict=True):
            try:
                results.append(future.result())
            except CitybriefError as exc:
                pool.shutdown(cancel_futures=True)  # the answer is an error: stop fetching
                exc.detail = f"{item}: {exc.detail}"
                raise
        return results


def default_source(settings: Settings) -> ArticleSource:
    """A snapshot directory when one is configured, else live Wikipedia."""
    if settings.snapshot_dir:
        from .snapshot import SnapshotSource

        return SnapshotSource(settings.snapshot_dir)
    from .wiki import WikiClient

    return WikiClient(settings)
