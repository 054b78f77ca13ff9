"""The fake MediaWiki server speaks the real API's shapes and fails on demand."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from urllib3.exceptions import ProtocolError

from tests.support.fakewiki import FakeWiki
from tests.support.fakewiki.pages import DEFAULT_DATA
from tests.support.reference import require

CASSETTES = DEFAULT_DATA / "api-cassettes"
UA = "citybrief-tests/1 (+https://github.com/citybrief/citybrief)"


def get(wiki: FakeWiki, timeout: float = 5.0, **params: str) -> requests.Response:
    params.setdefault("format", "json")
    params.setdefault("formatversion", "2")
    return requests.get(wiki.api_url, params=params, headers={"User-Agent": UA}, timeout=timeout)


def cassette_v2(name: str) -> dict[str, Any]:
    """First recorded answer of a cassette, converted to formatversion=2 shapes."""
    data = json.loads((CASSETTES / name).read_text(encoding="utf-8"))
    body = json.loads(data["interactions"][0]["response"]["body"]["string"])

    def convert(node: Any) -> Any:
        if isinstance(node, dict):
            if node.keys() and all(k.lstrip("-").isdigit() for k in node):
                return [convert(v) for v in node.values()]  # pages keyed by id -> list
            return {k: True if v == "" else convert(v) for k, v in node.items()}
        if isinstance(node, list):
            return [convert(v) for v in node]
        return node

    converted: dict[str, Any] = convert(body)
    return converted


def test_query_shapes_match_recorded_wikipedia(wiki: FakeWiki) -> None:
    """GIVEN recorded en.wikipedia answers WHEN the fake answers the same kind of query
    THEN pages, coordinates and missing pages have the same structure (formatversion=2)."""
    real_coords = cassette_v2("TestVcrWikiCoordinates.test_default.json")["query"]["pages"][0]
    real_missing = cassette_v2("TestVcrPageExistence.test_exists_false.json")["query"]["pages"][0]

    body = get(wiki, action="query", titles="London|No such page 12345", prop="coordinates").json()

    london, missing = body["query"]["pages"]
    assert london.keys() == real_coords.keys()
    assert london["coordinates"][0].keys() == real_coords["coordinates"][0].keys()
    assert london["coordinates"][0]["primary"] is True
    assert {"ns", "title", "missing"} <= real_missing.keys()
    assert missing == {"ns": 0, "title": "No such page 12345", "missing": True}


def test_extracts_info_revisions_pageprops(wiki: FakeWiki) -> None:
    """GIVEN a recorded city WHEN all props are asked THEN each comes back filled in."""
    body = get(
        wiki,
        action="query",
        titles="Chicago",
        prop="extracts|info|revisions|pageprops",
        explaintext="1",
        inprop="url",
        rvprop="ids",
    ).json()

    page = body["query"]["pages"][0]
    expected = (DEFAULT_DATA / "extracts" / "Chicago.txt").read_text(encoding="utf-8")
    assert page["extract"] == expected
    assert page["fullurl"] == page["canonicalurl"] == "https://en.wikipedia.org/wiki/Chicago"
    assert page["revisions"][0]["revid"] == page["lastrevid"]
    assert page["pageprops"]["wikibase_item"].startswith("Q")
    assert "disambiguation" not in page["pageprops"]


def test_normalisation_and_redirects_are_reported(wiki: FakeWiki) -> None:
    """GIVEN a lower-case, underscored redirect WHEN queried with redirects=1
    THEN both steps are reported like the real API."""
    real = cassette_v2("TestVcrWikiExtracts.test_extracts.json")["query"]["normalized"][0]

    body = get(wiki, action="query", titles="lisboa", redirects="1").json()["query"]

    assert real.keys() <= body["normalized"][0].keys()
    assert body["normalized"] == [{"fromencoded": False, "from": "lisboa", "to": "Lisboa"}]
    assert body["redirects"] == [{"from": "Lisboa", "to": "Lisbon"}]
    assert body["pages"][0]["title"] == "Lisbon"


def test_search_ranks_the_city_first_and_finds_nothing_for_nonsense(wiki: FakeWiki) -> None:
    """GIVEN the search index WHEN searching THEN the city leads and nonsense finds nothing."""
    real_hit = cassette_v2("TestVcrWikiSearch.test_default.json")["query"]["search"][0]

    hits = get(wiki, action="query", list="search", srsearch="chicago il", srlimit="5").json()
    none = get(wiki, action="query", list="search", srsearch="qxzvv blorfle").json()

    assert hits["query"]["search"][0]["title"] == "Chicago"
    assert hits["query"]["search"][0].keys() <= real_hit.keys()
    assert hits["query"]["searchinfo"]["totalhits"] >= 2
    assert none["query"] == {"searchinfo": {"totalhits": 0}, "search": []}


def test_disambiguation_links_generator(wiki: FakeWiki) -> None:
    """GIVEN the Springfield disambiguation WHEN its links are generated
    THEN places carry coordinates and the non-place does not."""
    pages = get(
        wiki,
        action="query",
        titles="Springfield",
        generator="links",
        prop="coordinates|pageprops",
        colimit="max",
    ).json()["query"]["pages"]

    by_title = {page["title"]: page for page in pages}
    assert "coordinates" in by_title["Springfield, Illinois"]
    assert "coordinates" not in by_title["Springfield (The Simpsons)"]
    assert "disambiguation" in by_title["Springfield Township"]["pageprops"]
    assert by_title["Springfield, Atlantis"]["missing"] is True


def test_links_generator_orders_and_filters_like_mediawiki(wiki: FakeWiki) -> None:
    """GIVEN Victoria's links (a redirect, a red link, a Help page) WHEN generated in
    namespace 0 THEN the redirect is followed and reported, the Help page is left out,
    and the missing page comes first, then the rest by title."""
    query = get(
        wiki,
        action="query",
        titles="Victoria",
        redirects="1",
        generator="links",
        gplnamespace="0",
        prop="coordinates",
    ).json()["query"]

    assert [page["title"] for page in query["pages"]] == [
        "Victoria (film)",
        "Lake Victoria",
        "Queen Victoria",
        "Victoria (state)",
        "Victoria, British Columbia",
        "Victoria, Seychelles",
    ]
    assert query["pages"][0]["missing"] is True
    assert query["redirects"] == [{"from": "Victoria, BC", "to": "Victoria, British Columbia"}]


def test_parse_section0_gives_infobox_or_missingtitle(wiki: FakeWiki) -> None:
    """GIVEN parse calls WHEN the page exists THEN the infobox HTML comes back,
    and WHEN it does not THEN the missingtitle error does."""
    parsed = get(wiki, action="parse", page="Zurich", prop="text", section="0", redirects="1")
    missing = get(wiki, action="parse", page="Nowhere at all", prop="text", section="0")

    assert parsed.json()["parse"]["title"] == "Zürich"
    assert '<table class="infobox ib-settlement vcard">' in parsed.json()["parse"]["text"]
    assert missing.json()["error"]["code"] == "missingtitle"


def test_gzip_counter_and_log(wiki: FakeWiki) -> None:
    """GIVEN a gzip-accepting client WHEN it calls twice THEN answers are gzipped and both
    requests are counted and logged with their parameters and headers."""
    first = get(wiki, action="query", titles="Berlin")
    get(wiki, action="query", titles="Tokyo")

    assert first.headers["Content-Encoding"] == "gzip"
    assert wiki.requests == 2
    assert [entry.params["titles"] for entry in wiki.log] == ["Berlin", "Tokyo"]
    assert wiki.log[0].headers["user-agent"] == UA


def test_generic_user_agent_is_refused(wiki: FakeWiki) -> None:
    """GIVEN a User-Agent without contact WHEN calling THEN 403, as on Wikimedia."""
    response = requests.get(wiki.api_url, params={"action": "query"}, timeout=5)

    assert response.status_code == 403


def test_faults_apply_to_the_next_n_requests_in_order(wiki: FakeWiki) -> None:
    """GIVEN queued faults WHEN requests arrive THEN each fault is used up, then all is well."""
    wiki.fail("429", times=1, retry_after=1)
    wiki.fail("500", times=1)
    wiki.fail("html", times=1)

    limited, broken, html, ok = (get(wiki, action="query", titles="Paris") for _ in range(4))

    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
    assert broken.status_code == 500
    assert html.status_code == 200
    assert html.headers["Content-Type"].startswith("text/html")
    with pytest.raises(ValueError):
        html.json()
    assert ok.json()["query"]["pages"][0]["title"] == "Paris"


def test_maxlag_only_for_clients_that_ask(wiki: FakeWiki) -> None:
    """GIVEN a maxlag fault WHEN a request lacks maxlag= THEN it is served normally,
    and WHEN it has maxlag= THEN it gets the real maxlag error and headers."""
    wiki.fail("maxlag", times=1)

    plain = get(wiki, action="query", titles="Cairo")
    lagged = get(wiki, action="query", titles="Cairo", maxlag="5")

    assert "query" in plain.json()
    assert lagged.status_code == 200
    assert lagged.json()["error"]["code"] == "maxlag"
    assert lagged.json()["error"]["lag"] == 7
    assert lagged.headers["Retry-After"] == "5"
    assert lagged.headers["MediaWiki-API-Error"] == "maxlag"


def test_reset_hang_and_latency(wiki: FakeWiki) -> None:
    """GIVEN reset, hang and latency faults WHEN requesting THEN the socket drops, the answer
    never comes within the timeout, and the latency is added."""
    wiki.fail("reset", times=1)
    with pytest.raises(requests.ConnectionError):
        get(wiki, action="query", titles="Munich")

    wiki.fail("hang", times=1)
    started = time.monotonic()
    with pytest.raises(requests.ReadTimeout):
        get(wiki, timeout=0.3, action="query", titles="Munich")
    assert time.monotonic() - started < 1.0

    wiki.latency_ms = 200
    started = time.monotonic()
    assert get(wiki, action="query", titles="Munich").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_a_fault_can_be_limited_to_some_requests(wiki: FakeWiki) -> None:
    """GIVEN a fault for parse requests only WHEN a query and a parse arrive THEN only the
    parse fails, and the fault waits for it however many other requests come first."""
    wiki.fail("500", times=1, only={"action": "parse"})

    query = get(wiki, action="query", titles="Munich")
    parse = get(wiki, action="parse", page="Munich", prop="text", section="0")
    again = get(wiki, action="parse", page="Munich", prop="text", section="0")

    assert (query.status_code, parse.status_code, again.status_code) == (200, 500, 200)


def test_trickle_answers_at_once_then_sends_the_body_a_byte_at_a_time(wiki: FakeWiki) -> None:
    """GIVEN the trickle fault WHEN requesting THEN status and headers come at once, the
    body's bytes one per ``trickle_seconds`` (so no read timeout fires), and reset() ends it."""
    wiki.trickle_seconds = 0.05
    wiki.fail("trickle", times=1)
    started = time.monotonic()

    with requests.get(
        wiki.api_url,
        params={"action": "query", "titles": "Munich", "prop": "extracts", "format": "json"},
        headers={"User-Agent": UA, "Accept-Encoding": "identity"},  # the JSON's own bytes
        timeout=0.3,  # longer than the gap between bytes, far shorter than the body
        stream=True,
    ) as response:
        assert response.status_code == 200
        assert time.monotonic() - started < 0.3
        length = int(response.headers["Content-Length"])
        assert length > 1000  # at 0.05 s a byte, more than a minute to send
        assert response.raw.read(5) == b'{"bat'  # the real answer, begun
        assert time.monotonic() - started >= 4 * 0.05
        wiki.reset()  # wakes the handler: it stops and closes the connection
        with pytest.raises(ProtocolError, match="IncompleteRead"):  # cut short
            response.raw.read()

    assert time.monotonic() - started < 1.0


def test_unknown_fault_is_refused(wiki: FakeWiki) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        wiki.fail("teapot")


def test_data_dir_defaults_beside_the_project() -> None:
    require()
    assert (DEFAULT_DATA / "cities.json").is_file()
    assert Path(__file__).resolve().parents[3] / "shared" / "wiki" == DEFAULT_DATA


def test_each_edition_is_served_under_its_language(wiki: FakeWiki) -> None:
    """GIVEN the edition URL template WHEN the German edition is asked for its city
    THEN it answers with de.wikipedia URLs; English has no such page; an edition the fake
    does not serve is a 404, as an unknown host would fail."""

    def ask(lang: str) -> requests.Response:
        url = wiki.edition_api_url.replace("{lang}", lang)
        params = {"action": "query", "titles": "Hamburg", "prop": "info|extracts"}
        params |= {"inprop": "url", "format": "json", "formatversion": "2"}
        return requests.get(url, params=params, headers={"User-Agent": UA}, timeout=5)

    page = ask("de").json()["query"]["pages"][0]
    assert page["fullurl"] == "https://de.wikipedia.org/wiki/Hamburg"
    assert page["pagelanguage"] == "de"
    assert "== Verkehr ==" in page["extract"]
    assert ask("en").json()["query"]["pages"][0].get("missing") is True
    assert ask("xx").status_code == 404
