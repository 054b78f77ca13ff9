"""MediaWiki semantics: a city name in, one ``Article`` out.

A normal city costs exactly two requests (query + parse of section 0) and one round trip:
the parse is sent for the title as asked, from a second thread, while the query is in
flight, and MediaWiki follows redirects and normalisation in both. When the query lands
elsewhere the early parse is wasted, which costs one request more than a sequential
client: a disambiguation page costs 3 (query, wasted parse, links), and so does a page
shaped like one ("X may refer to:" and a list), a search 5 (query, wasted parse, search,
then query and parse together again). How each request is sent, retried and bounded by
the deadline is ``wiki_transport``'s business.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from .article import Article, Coordinates
from .errors import Ambiguous, BadInput, CitybriefError, NotFound
from .settings import Settings
from .validation import DEFAULT_LANG, Lang
from .wiki_transport import Call, Early, Outcome, Transport

# Characters MediaWiki forbids in titles; "|" would also split one title into several.
_BAD_TITLE = re.compile(r"[#<>\[\]{}|\x00-\x1f\x7f]")
_MAX_TITLE_BYTES = 255
_MAX_CANDIDATES = 10
_SEARCH_LIMIT = 5
_QUALIFIER = re.compile(r"\s*(?:\(.*\)|,.*)$")
_INFOBOX_OPEN = re.compile(r"<table\b[^>]*\bclass=\"[^\"]*\binfobox\b[^\"]*\"[^>]*>", re.I)
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>", re.I)
_SECTION0 = {"action": "parse", "prop": "text", "section": "0", "redirects": "1"}
_PARSE_ERRORS = ("missingtitle",)  # no such page (or deleted since the query): no infobox
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


class ArticleSource(Protocol):
    """Anything that turns a query into an article: the live client or a snapshot."""

    def fetch(self, query: str, lang: Lang = DEFAULT_LANG) -> Fetched: ...


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


class WikiClient:
    """Fetches articles: MediaWiki's lookup, redirects, search and disambiguation pages,
    over a ``Transport``. Keep one per process (its sessions stay warm)."""

    def __init__(
        self,
        settings: Settings,
        backoff: float = 0.25,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.transport = Transport(settings, backoff, sleep=sleep)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> WikiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def fetch(self, query: str, lang: Lang = DEFAULT_LANG) -> Fetched:
        title = _clean_query(query)
        call = Call(self.settings.deadline)
        try:
            article = self._resolve(call, title, query, lang, searched=False)
        except CitybriefError as error:
            error.upstream_requests = call.requests
            raise
        return Fetched(article, call.requests)

    def _resolve(self, call: Call, title: str, query: str, lang: Lang, searched: bool) -> Article:
        """Query ``title`` while its parse is on the way; a missing page falls back to search
        unless this is the hit. The parse's thread is joined before this returns or raises."""
        early = self.transport.begin(call, lang, _PARSE_ERRORS, page=title, **_SECTION0)
        try:
            return self._lookup(call, title, query, lang, searched, early=early)
        finally:
            early.result()

    def _lookup(
        self, call: Call, title: str, query: str, lang: Lang, searched: bool, *, early: Early
    ) -> Article:
        data = self.transport.get(
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
        call: Call,
        page: dict[str, Any],
        query: str,
        lang: Lang,
        via: str,
        *,
        early: Outcome,
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

    def _infobox(self, call: Call, title: str, lang: Lang, early: Outcome) -> str | None:
        """The infobox of ``title``, from the early parse when that reached this very page.

        A failed early parse was the first attempt: its retries follow here, in order.
        """
        first: Outcome | None = early
        if isinstance(early, dict) and early.get("parse", {}).get("title") != title:
            first = None  # it reached another page, or none: parse the query's answer instead
        data = self.transport.get(call, lang, _PARSE_ERRORS, first, page=title, **_SECTION0)
        text = data.get("parse", {}).get("text")
        return infobox_of(text) if isinstance(text, str) else None

    def _links(self, call: Call, page: dict[str, Any], lang: Lang) -> dict[str, Any]:
        """The articles ``page`` links to (redirects followed), each with its coordinates
        and disambiguation flag: the ``query`` part of one ``generator=links`` call."""
        data = self.transport.get(
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

    def _search(self, call: Call, title: str, query: str, lang: Lang) -> Article:
        data = self.transport.get(
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
