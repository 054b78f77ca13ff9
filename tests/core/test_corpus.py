"""Every recorded article, briefed through the fake wiki: the analysis holds up on real text,
not only on the hand-written fixtures. One service, no cache, so each brief is cold.
"""

from __future__ import annotations

import re

import pytest

from citybrief.service import BriefService, current_stats
from citybrief.settings import Settings
from tests.support.fakewiki import FakeWiki
from tests.support.reference import WIKI as DATA
from tests.support.reference import city_titles, require

CITIES = city_titles()
TRANSPORT_HEADING = re.compile(r"^== *(Transport\w*|Infrastructure)\b.* *==$", re.M)
SENTENCES = 5


@pytest.fixture(scope="module")
def service(fake_wiki: FakeWiki) -> BriefService:
    return BriefService(Settings(wiki_api=fake_wiki.api_url, cache="none", deadline=5.0))


def has_transport_section(title: str) -> bool:
    """A level-1 section such as "Transport", "Transportation", "Transport in Berlin"."""
    text = (DATA / "extracts" / f"{title}.txt").read_text(encoding="utf-8")
    return TRANSPORT_HEADING.search(text) is not None


def test_corpus_has_eighteen_cities_with_transport_sections() -> None:
    """Guards the heading pattern: if it stopped matching, the mode check would be skipped."""
    require()
    assert len(CITIES) == 18
    assert all(has_transport_section(title) for title in CITIES)


@pytest.mark.parametrize("title", CITIES)
def test_every_recorded_city_briefs_well(title: str, service: BriefService, wiki: FakeWiki) -> None:
    """GIVEN a real article WHEN briefed cold THEN the summary is full, the transport
    section yields evidence for most modes, facts and tone are sane, and it cost ≤ 2."""
    brief = service.brief(title, sentences=SENTENCES)

    assert brief["title"] == title
    assert len(brief["summary"]) == SENTENCES
    assert all(sentence.strip() for sentence in brief["summary"])
    if has_transport_section(title):
        modes = [mode for mode, evidence in brief["logistics"].items() if evidence]
        assert len(modes) >= 3, modes
    assert brief["facts"]["coordinates"] is not None
    sentiment = brief["sentiment"]
    assert -1 <= sentiment["polarity"] <= 1
    assert 0 <= sentiment["subjectivity"] <= 1
    assert sentiment["label"] in {"positive", "neutral", "negative"}
    assert wiki.requests == current_stats().upstream_requests <= 2
