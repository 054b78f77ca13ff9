"""The MediaWiki client against the fake server: resolution, request budget and failures."""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from citybrief.cache import NullCache
from citybrief.deadline import request_budget
from citybrief.errors import Ambiguous, BadInput, NotFound, UpstreamError, UpstreamTimeout
from citybrief.http import App, Request
from citybrief.logs import REQUEST_ID, RequestIdFilter
from citybrief.queuebatch import process_message
from citybrief.service import BriefService
from citybrief.settings import Settings
from citybrief.validation import validate_lang
from citybrief.wiki import (
    WikiClient,
    _listed_entries,
    _mostly_links,
    _plausible,
    infobox_of,
)
from citybrief.wiki_transport import endpoint_for
from tests.support.fakewiki import FakeWiki, Logged
from tests.support.fakewiki.pages import DEFAULT_DATA

from .test_corpus import CITIES

EXTRACTS = DEFAULT_DATA / "extracts"


@pytest.fixture
def client(settings: Settings) -> Iterator[WikiClient]:
    """A client with a tiny backoff, so retry tests spend time only where a server asks."""
    wiki_client = WikiClient(settings, backoff=0.01)
    yield wiki_client
    wiki_client.close()


def test_a_city_costs_exactly_two_requests(client: WikiClient, wiki: FakeWiki) -> None:
    """GIVEN a city title WHEN fetched THEN query + parse are the only requests made."""
    fetched = client.fetch("Chicago")

    assert fetched.requests == 2 == wiki.requests
    article = fetched.article
    assert (article.title, article.resolved_via, article.requested) == (
        "Chicago",
        "exact",
        "Chicago",
    )
    assert article.url == "https://en.wikipedia.org/wiki/Chicago"
    assert article.coordinates is not None
    assert (article.coordinates.lat, article.coordinates.lon) == (41.85003, -87.65005)
    assert article.extract.startswith("Chicago is the most populous city")
    assert article.revision and article.pageid
    assert article.infobox_html is not None
    assert article.infobox_html.startswith('<table class="infobox')
    assert article.infobox_html.endswith("</table>")
    assert article.retrieved_at.endswith("Z")


def _entry(wiki: FakeWiki, action: str) -> Logged:
    """The one logged request for ``action`` (query and parse arrive in either order)."""
    (entry,) = [e for e in wiki.log if e.params["action"] == action]
    return entry


def test_a_city_costs_one_round_trip(client: WikiClient, wiki: FakeWiki) -> None:
    """GIVEN a wiki 200 ms away WHEN a city is fetched THEN query and parse are in flight
    together: the parse arrives before the query is answered, and the brief takes about
    one round trip, not two."""
    wiki.latency_ms = 200
    started = time.monotonic()

    fetched = client.fetch("Chicago")

    elapsed = time.monotonic() - started
    assert fetched.requests == 2 == wiki.requests
    assert fetched.article.infobox_html is not None
    query, parse = _entry(wiki, "query"), _entry(wiki, "parse")
    assert abs(parse.at - query.at) < 0.1  # sequential requests would be >= 0.2 s apart
    assert elapsed < 1.6 * 0.2 + 0.15  # two round trips would take >= 0.4 s


def test_a_redirect_costs_one_round_trip_and_uses_its_target(
    client: WikiClient, wiki: FakeWiki
) -> None:
    """GIVEN a redirect WHEN fetched THEN the parse sent for the title as asked followed the
    redirect too, so its infobox (of the target) is used: still 2 requests."""
    fetched = client.fetch("Chicago, Illinois")

    assert (fetched.article.title, fetched.article.resolved_via) == ("Chicago", "redirect")
    assert fetched.requests == 2 == wiki.requests
    assert _entry(wiki, "parse").params["page"] == "Chicago, Illinois"
    assert fetched.article.infobox_html == client.fetch("Chicago").article.infobox_html


def _early_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "citybrief-early"]


@pytest.mark.parametrize("fault", ["500", "reset", "html"])
def test_a_failed_early_parse_is_retried_after_the_query(
    client: WikiClient, wiki: FakeWiki, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    """GIVEN the parse sent alongside the query fails (any way, even with non-JSON) WHEN a
    city is fetched THEN the parse is tried again once the query has answered, and the
    brief is whole: 3 requests, no thread left behind."""
    wiki.fail(fault, times=1)  # faults hit the first request to arrive: make it the parse
    attempt = client.transport.attempt

    def query_later(url: str, params: dict[str, str], *args: Any) -> Any:
        if params["action"] == "query":
            time.sleep(0.1)
        return attempt(url, params, *args)

    monkeypatch.setattr(client.transport, "attempt", query_later)

    fetched = client.fetch("Chicago")

    assert fetched.article.title == "Chicago"
    assert fetched.article.infobox_html is not None
    assert fetched.requests == 3 == wiki.requests
    assert [e.params["action"] for e in wiki.log] == ["parse", "query", "parse"]
    assert _early_threads() == []


def test_an_early_parse_of_a_missing_title_never_breaks_the_brief(client: WikiClient) -> None:
    """GIVEN a page whose early parse fails with missingtitle (here: found through search)
    WHEN fetched THEN the answer is parsed in its own right and nothing leaks."""
    article = client.fetch("chicago il").article

    assert article.title == "Chicago"
    assert article.infobox_html is not None
    assert _early_threads() == []


def test_every_request_is_polite(client: WikiClient, wiki: FakeWiki, settings: Settings) -> None:
    """GIVEN Wikimedia's API etiquette WHEN fetching THEN each request asks for
    formatversion=2 JSON, sets maxlag=5, accepts gzip and names us with a contact."""
    client.fetch("Berlin")

    assert sorted(entry.params["action"] for entry in wiki.log) == ["parse", "query"]
    for entry in wiki.log:
        assert entry.params["formatversion"] == "2"
        assert entry.params["format"] == "json"
        assert entry.params["maxlag"] == "5"
        assert entry.headers["user-agent"] == settings.user_agent
        assert "gzip" in entry.headers["accept-encoding"]
    assert _entry(wiki, "parse").params["section"] == "0"


@pytest.mark.parametrize(
    ("query", "title", "via"),
    [
        ("chicago", "Chicago", "normalized"),
        ("Windy City", "Chicago", "redirect"),
        ("moskva", "Moscow", "redirect"),
        ("São Paulo", "São Paulo", "exact"),
        ("Sao_Paulo", "São Paulo", "redirect"),
    ],
)
def test_redirects_and_normalisation_are_reported(
    client: WikiClient, wiki: FakeWiki, query: str, title: str, via: str
) -> None:
    """GIVEN another spelling WHEN fetched THEN the canonical article comes back in two
    requests, saying how it was reached."""
    fetched = client.fetch(query)

    assert (fetched.article.title, fetched.article.resolved_via) == (title, via)
    assert fetched.article.requested == query
    assert fetched.requests == 2
    assert _entry(wiki, "query").params["titles"] == query  # unicode survived the round trip
    assert _entry(wiki, "parse").params["page"] == query  # parsed alongside, as asked


def test_a_search_guess_that_is_no_place_is_offered_not_answered(client: WikiClient) -> None:
    """GIVEN "chicago band" (no such title; search's plausible hit is the band's page)
    WHEN fetched THEN the caller is asked, with the hits, instead of getting a band as a city."""
    with pytest.raises(Ambiguous) as caught:
        client.fetch("chicago band")

    assert "not a place" in caught.value.detail
    assert "Chicago (band)" in caught.value.candidates


def test_an_exact_title_is_answered_even_when_it_is_no_place(client: WikiClient) -> None:
    """Asked for by its exact title, a page is what the caller wants: no guess was made."""
    assert client.fetch("Chicago (band)").article.title == "Chicago (band)"


def test_search_finds_the_city_behind_a_qualified_name(client: WikiClient) -> None:
    """GIVEN "chicago il" (no such title) WHEN fetched THEN search leads to Chicago."""
    fetched = client.fetch("chicago il")

    assert (fetched.article.title, fetched.article.resolved_via) == ("Chicago", "search")
    # missing query + early parse (wasted), search, query + parse: one more than sequential
    assert fetched.requests == 5


def test_gibberish_is_not_found(client: WikiClient) -> None:
    with pytest.raises(NotFound):
        client.fetch("Qxzvv blorfle")


def test_an_implausible_search_hit_is_offered_not_answered(client: WikiClient) -> None:
    """GIVEN words that only appear in articles' text WHEN fetched THEN the hits become
    candidates instead of an answer about an unrelated page."""
    with pytest.raises(Ambiguous) as caught:
        client.fetch("Lake Michigan")

    assert "Chicago" in caught.value.candidates


def test_disambiguation_lists_places_first(client: WikiClient, wiki: FakeWiki) -> None:
    """GIVEN the Springfield disambiguation page WHEN fetched THEN Ambiguous lists places
    (with coordinates) before other pages and drops missing and disambiguation pages."""
    with pytest.raises(Ambiguous) as caught:
        client.fetch("Springfield")

    assert caught.value.candidates == [
        "Springfield, Illinois",
        "Springfield, Massachusetts",
        "Springfield, Missouri",
        "Springfield (The Simpsons)",
    ]
    assert caught.value.problem()["candidates"] == caught.value.candidates
    assert wiki.requests == 3  # query + early parse (wasted), then the links
    assert _early_threads() == []


VICTORIA_CANDIDATES = [
    "Lake Victoria",
    "Victoria (state)",
    "Victoria, British Columbia",
    "Victoria, Seychelles",
    "Queen Victoria",
]


def test_a_list_of_places_without_the_flag_is_ambiguous(client: WikiClient, wiki: FakeWiki) -> None:
    """GIVEN "Victoria", a set index: "may refer to:" then lines naming its links, no
    disambiguation page property, one place's coordinates WHEN fetched THEN it is
    ambiguous, with its linked articles as candidates (places first; the red link and the
    Help page dropped), at the cost of a disambiguation page."""
    with pytest.raises(Ambiguous) as caught:
        client.fetch("Victoria")

    assert caught.value.candidates == VICTORIA_CANDIDATES
    assert wiki.requests == 3  # query + early parse (wasted), then the links
    links = [e.params for e in wiki.log if e.params.get("generator") == "links"]
    assert [(p["titles"], p["gplnamespace"]) for p in links] == [("Victoria", "0")]
    assert _early_threads() == []


@pytest.mark.parametrize(
    "extract",
    [
        "Victoria may refer to:\n\n\n== Places ==\nVictoria (state)\nLake Victoria\n",
        "Victoria can refer to:\nVictoria (state), in Australia\nLake Victoria, in Africa",
        "Victoria is the name of several places:\nVictoria (state)\nLake Victoria",
        "Victoria most commonly refers to Queen Victoria.\nVictoria may also refer to:\n"
        "Victoria (state)\nLake Victoria",
        "Victoria may refer to:\n",
    ],
)
def test_list_shaped_extracts(extract: str) -> None:
    """A lead that opens a list ("may refer to:", "may also refer to:" after a primary
    topic, "can refer to:", "is the name of ...:") followed only by list lines."""
    entries = _listed_entries(extract)

    assert entries is not None
    assert all(entry.startswith(("Victoria (state)", "Lake Victoria")) for entry in entries)


PROSE = " ".join(["Victoria grew as a port and a railway town on the coast."] * 5)


@pytest.mark.parametrize(
    "extract",
    [
        f"Victoria may refer to:\nVictoria (state)\n\n\n== History ==\n{PROSE}\n",
        f"{PROSE}\nVictoria may refer to:\nVictoria (state)",
        "Victoria is a city.\nIt has a port.\nVictoria may refer to:\nVictoria (state)",
        "== Places ==\nVictoria may refer to:\nVictoria (state)",
        "Victoria may refer to the state, the lake or the queen.\nVictoria (state)",
    ],
)
def test_extracts_with_prose_are_no_lists(extract: str) -> None:
    """A paragraph anywhere, an intro too late or not opening a list: an article."""
    assert _listed_entries(extract) is None


@pytest.mark.parametrize("city", CITIES)
def test_no_real_article_is_taken_for_a_list(city: str) -> None:
    assert _listed_entries((EXTRACTS / f"{city}.txt").read_text(encoding="utf-8")) is None


def test_a_list_must_mostly_name_its_links() -> None:
    """Two entries in three must name a linked title, or that title without its
    qualifier unless that is the page's own name; otherwise it is no list of links."""
    entries = ["Victoria (state), in Australia", "Lake Victoria", "Victoria, a film"]
    linked = ["Victoria (state)", "Lake Victoria", "Victoria (film)", "Help:Disambiguation"]

    assert _mostly_links(entries, "Victoria", linked)
    assert not _mostly_links(entries, "Victoria", ["Australia", "Africa"])
    assert not _mostly_links(["Victoria, a city", "Victoria, a lake", "Lake"], "Victoria", linked)


@pytest.mark.parametrize("query", ["", "   ", "a|b", "Chicago#History", "<script>"])
def test_impossible_titles_are_bad_input(client: WikiClient, wiki: FakeWiki, query: str) -> None:
    with pytest.raises(BadInput):
        client.fetch(query)
    assert wiki.requests == 0


@pytest.mark.parametrize("query", ["x" * 256, "ü" * 128, "🏙" * 64])
def test_names_over_255_utf8_bytes_are_not_found_without_a_request(
    client: WikiClient, wiki: FakeWiki, query: str
) -> None:
    # GIVEN a well-formed name longer than any MediaWiki title (255 UTF-8 bytes)
    # WHEN it is fetched  THEN no article can match: not found, and Wikipedia is not asked
    with pytest.raises(NotFound, match="255 bytes"):
        client.fetch(query)
    assert wiki.requests == 0


@pytest.mark.parametrize(
    "lang",
    ["en.evil.com", "../", "EN", "", "en/", "en\n", "en?x=1", "evil.com#", "e", "en-", "a b"],
)
def test_bad_language_codes_never_reach_the_network(
    client: WikiClient, wiki: FakeWiki, settings: Settings, lang: str
) -> None:
    """GIVEN a bad code WHEN it enters through the HTTP API (query or body) or a batch
    message THEN it is refused there, the one place ``lang`` is checked (the core takes
    only a validated ``Lang`` after that), and Wikipedia is never asked."""
    app = App(lambda: BriefService(settings, client, NullCache()), settings)
    by_query = app.handle(Request("GET", "/brief", query={"city": "Paris", "lang": lang}))
    body = json.dumps({"cities": ["Paris", "Lisbon"], "lang": lang}).encode()
    headers = {"Content-Type": "application/json"}
    by_body = app.handle(Request("POST", "/compare", headers=headers, body=body))
    message = json.dumps({"city": "Paris", "lang": lang})
    queued = process_message(message, BriefService(settings, client, NullCache()).brief)

    assert by_query.status == by_body.status == 400
    assert [result["status"] for result in queued] == ["bad_input"]
    assert wiki.requests == 0


@pytest.mark.parametrize("lang", ["en", "de", "simple", "zh-yue", "be-tarask", "zh-min-nan"])
def test_real_language_codes_keep_the_wikipedia_host(lang: str) -> None:
    """GIVEN a valid code WHEN substituted THEN only the subdomain changes."""
    assert validate_lang(lang) == lang
    assert urlsplit(endpoint_for(Settings(), lang)).hostname == f"{lang}.wikipedia.org"


@pytest.fixture
def waits(settings: Settings) -> Iterator[tuple[WikiClient, list[float]]]:
    """A client whose pauses between retries are recorded instead of slept."""
    asked: list[float] = []
    with WikiClient(settings, backoff=0.01, sleep=asked.append) as wiki_client:
        yield wiki_client, asked


def test_retry_after_is_honoured(waits: tuple[WikiClient, list[float]], wiki: FakeWiki) -> None:
    """GIVEN one 429 asking for a 1 s pause WHEN fetching THEN the client waits that long
    (not its own shorter backoff) and succeeds."""
    client, asked = waits
    wiki.fail("429", times=1, retry_after=1)

    fetched = client.fetch("Paris")

    assert fetched.article.title == "Paris"
    assert fetched.requests == 3 == wiki.requests
    assert asked == [1.0]


def test_retry_after_beyond_the_deadline_gives_up_at_once(
    client: WikiClient, wiki: FakeWiki
) -> None:
    wiki.fail("429", retry_after=30)
    started = time.monotonic()

    with pytest.raises(UpstreamTimeout):
        client.fetch("Paris")
    assert time.monotonic() - started < 1.0


def test_server_error_then_success(client: WikiClient, wiki: FakeWiki) -> None:
    wiki.fail("500", times=2)

    assert client.fetch("Tokyo").requests == 4


def test_each_retry_is_logged_with_the_request_id(
    client: WikiClient, wiki: FakeWiki, caplog: pytest.LogCaptureFixture
) -> None:
    # GIVEN a Wikipedia that fails once, and a request id set for this request
    wiki.fail("500", times=1)
    caplog.handler.addFilter(RequestIdFilter())  # as adapters attach it to their handler
    token = REQUEST_ID.set("req-42")
    try:
        # WHEN a brief is fetched
        with caplog.at_level(logging.WARNING, logger="citybrief.wiki"):
            client.fetch("Chicago")
    finally:
        REQUEST_ID.reset(token)
    # THEN the retry is one warning that names the cause and carries the request id
    (record,) = [r for r in caplog.records if r.name == "citybrief.wiki"]
    assert "HTTP 500" in record.getMessage()
    assert "retry 1 of" in record.getMessage()
    assert record.request_id == "req-42"


def test_server_error_forever_is_upstream_error(
    client: WikiClient, wiki: FakeWiki, settings: Settings
) -> None:
    wiki.fail("500")

    with pytest.raises(UpstreamError, match="HTTP 500"):
        client.fetch("Tokyo")
    # every query attempt, plus the early parse: it is retried only once the query answers
    assert wiki.requests == settings.max_retries + 2
    assert _early_threads() == []


def test_maxlag_is_retried(waits: tuple[WikiClient, list[float]], wiki: FakeWiki) -> None:
    """GIVEN a lagged database (HTTP 200 + maxlag error) WHEN fetching THEN the client
    waits the Retry-After and tries again."""
    client, asked = waits
    wiki.fail("maxlag", times=1, retry_after=1)

    fetched = client.fetch("Seattle")

    assert fetched.article.title == "Seattle"
    assert fetched.requests == 3
    assert asked == [1.0]


def test_non_json_is_upstream_error_without_retry(client: WikiClient, wiki: FakeWiki) -> None:
    wiki.fail("html")

    with pytest.raises(UpstreamError, match="JSON"):
        client.fetch("Toronto")
    assert wiki.requests == 2  # the query and the early parse, each once
    assert _early_threads() == []


def test_connection_reset_is_retried(client: WikiClient, wiki: FakeWiki) -> None:
    wiki.fail("reset", times=1)

    assert client.fetch("Houston").requests == 3


def test_connection_reset_forever_is_upstream_error(
    client: WikiClient, wiki: FakeWiki, settings: Settings
) -> None:
    wiki.fail("reset")

    with pytest.raises(UpstreamError, match="connection"):
        client.fetch("Houston")
    assert wiki.requests == settings.max_retries + 2  # as for HTTP 500 above


def test_a_hang_ends_at_the_deadline(settings: Settings, wiki: FakeWiki) -> None:
    """GIVEN a server that never answers and a read timeout longer than the deadline
    WHEN fetching THEN UpstreamTimeout arrives once the deadline is spent."""
    short = dataclasses.replace(settings, read_timeout=5.0, deadline=1.0)
    wiki.fail("hang")
    started = time.monotonic()

    with WikiClient(short) as client, pytest.raises(UpstreamTimeout):
        client.fetch("Atlanta")
    assert time.monotonic() - started < short.deadline + 1.0
    assert _early_threads() == []  # the hung early parse ended at the deadline too


TRICKLE_BOUND = 1.0  # a 0.5 s deadline plus slack; a trickled answer takes minutes


@pytest.fixture
def half_second(settings: Settings) -> Iterator[WikiClient]:
    """A client with a 0.5 s deadline and a read timeout far longer than that."""
    with WikiClient(dataclasses.replace(settings, read_timeout=10.0, deadline=0.5)) as client:
        yield client


@pytest.mark.parametrize(
    ("query", "only"),
    [
        ("Atlanta", {}),  # the query and its early parse, both
        ("Atlanta", {"action": "query"}),  # the article query alone
        ("Atlanta", {"action": "parse"}),  # the infobox parse, sent alongside
        ("chicago il", {"list": "search"}),  # the search behind a missing title
        ("Springfield", {"generator": "links"}),  # a disambiguation page's candidates
    ],
    ids=["both", "query", "parse", "search", "candidates"],
)
def test_a_trickling_answer_ends_at_the_deadline(
    half_second: WikiClient, wiki: FakeWiki, query: str, only: dict[str, str]
) -> None:
    """GIVEN a Wikipedia that answers 200 at once, then sends the body a byte every 50 ms
    (each read gets a byte, so no read timeout ever fires) on one path of a fetch
    WHEN fetching THEN UpstreamTimeout comes at the 0.5 s deadline, not minutes later,
    and no thread is left reading."""
    wiki.trickle_seconds = 0.05
    wiki.fail("trickle", only=only)
    started = time.monotonic()

    with pytest.raises(UpstreamTimeout):
        half_second.fetch(query)

    assert time.monotonic() - started < TRICKLE_BOUND
    assert _early_threads() == []


def test_bytes_further_apart_than_the_deadline_end_at_the_deadline(
    half_second: WikiClient, wiki: FakeWiki
) -> None:
    """GIVEN a body whose bytes come 5 s apart (less than the 10 s read timeout) WHEN
    fetching with 0.5 s left THEN no read waits past the deadline for the next byte."""
    wiki.trickle_seconds = 5.0
    wiki.fail("trickle")
    started = time.monotonic()

    with pytest.raises(UpstreamTimeout):
        half_second.fetch("Atlanta")

    assert time.monotonic() - started < TRICKLE_BOUND


def test_a_body_cut_short_is_retried(client: WikiClient, wiki: FakeWiki) -> None:
    """GIVEN one answer whose body stops half-way (the server closes the connection while
    trickling it) WHEN fetching THEN that request is tried again, like a reset connection."""
    wiki.trickle_seconds = 0.02
    wiki.fail("trickle", times=1, only={"action": "query"})
    cut = threading.Timer(0.3, wiki.reset)  # ends the trickle: the body is cut short
    cut.start()
    try:
        fetched = client.fetch("Houston")
    finally:
        cut.cancel()

    assert fetched.article.title == "Houston"
    assert fetched.requests == 3  # the query twice (reset() cleared the server's log), the parse


def test_a_request_budget_already_spent_sends_nothing(client: WikiClient, wiki: FakeWiki) -> None:
    """GIVEN a running request budget whose (injected) clock says the time is up WHEN a
    fetch starts inside it THEN it gives up before sending a request: the request's
    budget, not the fetch's own deadline, is the one spent."""
    now = [100.0]
    with request_budget(5.0, clock=lambda: now[0]):
        now[0] += 5.0
        with pytest.raises(UpstreamTimeout):
            client.fetch("Atlanta")

    assert wiki.requests == 0
    assert client.fetch("Atlanta").article.title == "Atlanta"  # outside it: a budget of its own


def test_latency_within_the_deadline_is_fine(client: WikiClient, wiki: FakeWiki) -> None:
    wiki.latency_ms = 300
    started = time.monotonic()

    assert client.fetch("Boston").article.title == "Boston"
    assert time.monotonic() - started >= 0.3  # one round trip: query and parse overlap


def test_non_place_page_has_no_coordinates_or_infobox(client: WikiClient) -> None:
    article = client.fetch("Chicago (band)").article

    assert article.coordinates is None
    assert article.infobox_html is None
    assert article.description == "American rock band"


@pytest.mark.parametrize(
    ("title", "query", "plausible"),
    [
        ("Chicago", "chicago il", True),
        ("Springfield, Illinois", "springfield", True),
        ("São Paulo", "são paulo brazil", True),
        ("Chicago", "lake michigan", False),
        ("Houston", "chicago il", False),
        ("New York City", "new", False),
        ("St. Louis", "st louis missouri", True),
    ],
)
def test_plausible_search_hits(title: str, query: str, plausible: bool) -> None:
    assert _plausible(title, query) is plausible


def test_infobox_of_keeps_nested_tables_and_nothing_else() -> None:
    html = (
        '<div><p>x</p><table class="infobox ib-settlement vcard"><tr><td>'
        "<table><tr><td>inner</td></tr></table></td></tr></table><table>after</table></div>"
    )

    box = infobox_of(html)

    assert box is not None
    assert box.startswith('<table class="infobox') and box.endswith("</table></td></tr></table>")
    assert "after" not in box
    assert infobox_of("<div>no box</div>") is None
