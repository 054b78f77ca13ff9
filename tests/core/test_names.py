"""The two folds of a city name, and every place that decides "the same city" using one.

GIVEN names that differ only in case, spacing or underscores
WHEN a comparison, a batch file, a queue message or a snapshot meets them
THEN each counts them as one city, because each calls ``names.city_key``;
and the cache keys a query by the title MediaWiki would look up, case kept after the
first letter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citybrief.article import Article
from citybrief.errors import BadInput
from citybrief.filebatch import read_cities
from citybrief.names import city_key, mediawiki_title
from citybrief.queuebatch import process_message
from citybrief.snapshot import SnapshotSource, record
from citybrief.validation import validate_cities

SPELLINGS = ["New York", "new york", "New  York", " New_York ", "NEW\u00a0YORK", "New\u200e York"]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("new york", "New york"),  # only the first letter: "New york" may be another page
        ("  New__York ", "New York"),
        ("São\u00a0Paulo", "São Paulo"),
        ("Sa\u0303o Paulo", "São Paulo"),  # decomposed: NFC, as MediaWiki stores titles
        ("\u200eParis", "Paris"),
        ("reading", "Reading"),
    ],
)
def test_mediawiki_title(query: str, title: str) -> None:
    assert mediawiki_title(query) == title


def test_city_key_folds_what_mediawiki_title_keeps() -> None:
    # GIVEN spellings of one city WHEN folded THEN one key; their titles may still differ
    assert {city_key(name) for name in SPELLINGS} == {"new york"}
    assert mediawiki_title("New York") != mediawiki_title("NEW YORK")
    # AND different cities stay apart
    assert city_key("York") != city_key("New York")


def test_compare_refuses_one_city_spelled_twice() -> None:
    for spelling in SPELLINGS[1:]:
        with pytest.raises(BadInput, match=r"cities\[1\] repeats"):
            validate_cities(["New York", spelling])
    assert validate_cities(["New York", "York"]) == ["New York", "York"]


def test_batch_file_and_queue_message_count_the_same_cities_as_compare() -> None:
    # GIVEN the spellings in a batch file and in a queue message
    # WHEN read THEN both keep only the first, as compare refuses the rest
    assert read_cities([*SPELLINGS, "York"]) == ["New York", "York"]
    message = json.dumps({"cities": [*SPELLINGS, "York"]})
    results = process_message(message, lambda city, sentences, lang: {"title": city})
    assert [result["city"] for result in results] == ["New York", "York"]


def test_a_snapshot_finds_a_city_under_any_spelling(tmp_path: Path) -> None:
    article = Article(
        lang="en",
        title="New York City",
        url="https://en.wikipedia.org/wiki/New_York_City",
        pageid=1,
        revision=1,
        extract="New York City is a city.",
        coordinates=None,
        infobox_html=None,
        description=None,
        retrieved_at="2024-01-01T00:00:00Z",
        requested="New York",
        resolved_via="redirect",
    )
    record(article, tmp_path)
    source = SnapshotSource(tmp_path)
    for spelling in SPELLINGS:
        assert source.fetch(spelling).article.title == "New York City"
