"""The brief's text analysis: summary, logistics evidence, sentiment, key phrases."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from citybrief.analysis import _prose_for_tone, analyse, tone_label
from citybrief.languages import Language, for_code
from citybrief.text import clean_prose, split_sections
from tests.support.reference import articles


def _english() -> Language:
    language = for_code("en")
    assert language is not None
    return language


ENGLISH = _english()


def _names_a_term_of(mode: str, text: str) -> bool:
    """Whether ``text`` names one of the mode's strong or weak terms, or a numbered road."""
    lower = text.lower()
    strong = any(m.lastgroup == mode for m in ENGLISH.strong.finditer(lower))
    return strong or bool(ENGLISH.weak[mode].search(lower) or ENGLISH.numbered_road.search(text))


ARTICLE = """Portville is the largest city of the Example Coast and a major trade hub. \
It is home to 2.5 million people in its metropolitan area. Portville is known for its \
container port, its international airport and its freight railways.

== History ==
The settlement was founded by fishermen in 1650 after a long war. The old fort burned \
down in 1801 and was never rebuilt by the king.

== Economy ==
The economy of Portville is based on logistics, manufacturing and trade. Many logistics \
companies have their regional headquarters in the city. The GDP of the metropolitan \
area grew by 4% in 2020.

== Infrastructure ==

=== Transportation ===
Portville is a major transportation hub of the region. Its public transport network \
is used by 1 million people daily.

==== Airports ====
Portville International Airport is the busiest airport in the region by passengers. \
Several airlines operate cargo flights from the airport to Asia.

==== Port ====
The Port of Portville handled 5 million TEU of containers in 2022. Ferries connect \
the harbour with the nearby islands every hour.
Main terminals:
North Terminal
South Terminal

==== Rail ====
The city is served by three freight railroads and an intercity railway station. \
High-speed trains reach the capital in two hours.

==== Roads ====
Two interstate highways and a ring road surround the city. Trucking companies use \
the expressway to reach the port.

==== Transit ====
The metro has four lines, and a tram network serves the old town. Buses run all night.

== See also ==
List of ports
Portville Harbour Authority

== References ==
"""

RELEVANT = {"", "Economy", "Transportation", "Airports", "Port", "Rail", "Roads", "Transit"}
MODE_WORDS = {
    "air": ("airport", "airline", "flight"),
    "sea": ("port", "teu", "container", "ferr", "harbour"),
    "rail": ("rail", "train", "intercity"),
    "road": ("highway", "interstate", "ring road", "trucking", "expressway"),
    "transit": ("metro", "tram", "bus", "public transport"),
}


def _bodies(extract: str) -> dict[str, str]:
    return {s.title: s.text for s in split_sections(extract)}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return analyse(ARTICLE, sentences=5, evidence_per_mode=2)


def test_result_shape(result: dict[str, Any]) -> None:
    # GIVEN an article WHEN analysed THEN exactly the documented keys come back
    assert set(result) == {"summary", "logistics", "sentiment", "key_phrases", "analysis"}
    assert result["analysis"] == {"language": "en", "limits": []}
    assert set(result["logistics"]) == {"air", "sea", "rail", "road", "transit"}


def test_summary_is_extractive_ordered_and_relevant(result: dict[str, Any]) -> None:
    # GIVEN the synthetic article WHEN summarised into 5 sentences
    summary = result["summary"]
    bodies = _bodies(ARTICLE)
    # THEN there are 5 distinct sentences, each copied from the lead or a logistics section
    assert len(summary) == 5
    assert len({s.lower() for s in summary}) == 5
    for sentence in summary:
        homes = [title for title, body in bodies.items() if sentence in body]
        assert homes and set(homes) <= RELEVANT, sentence
    # AND they keep article order
    positions = [ARTICLE.index(s) for s in summary]
    assert positions == sorted(positions)
    # AND the opening sentence of the lead is among them
    assert summary[0].startswith("Portville is the largest city")


def test_summary_has_no_headings_or_list_debris(result: dict[str, Any]) -> None:
    # GIVEN an article with headings, list items and a See also list
    # WHEN summarised with as many sentences as possible
    summary = analyse(ARTICLE, sentences=20)["summary"]
    # THEN only real sentences come back: final punctuation, several words, no debris
    for sentence in summary:
        assert re.search(r"[.!?]$", sentence), sentence
        assert len(sentence.split()) >= 6, sentence
        assert "==" not in sentence and "\n" not in sentence
    assert not {"Main terminals:", "North Terminal", "List of ports"} & set(summary)
    # AND the irrelevant History section never contributes
    assert not any("fishermen" in s or "fort" in s for s in summary)


def test_summary_length_bounds() -> None:
    # GIVEN the article WHEN 1 or 20 sentences are asked
    one = analyse(ARTICLE, sentences=1)["summary"]
    many = analyse(ARTICLE, sentences=20)["summary"]
    # THEN 1 gives one sentence; 20 gives every good sentence there is (fewer than 20)
    assert len(one) == 1
    assert 10 <= len(many) < 20
    assert len(set(many)) == len(many)


def test_short_text_gives_what_there_is() -> None:
    # GIVEN a two-sentence article WHEN 5 sentences are asked THEN both come back
    text = "Tinyton is a small town with a railway station. Its harbour serves fishing boats."
    assert analyse(text, sentences=5)["summary"] == [
        "Tinyton is a small town with a railway station.",
        "Its harbour serves fishing boats.",
    ]
    # AND an empty article gives empty results without failing
    empty = analyse("", sentences=5)
    assert empty["summary"] == []
    assert empty["key_phrases"] == []
    assert empty["sentiment"]["label"] == "neutral"


def test_references_are_removed() -> None:
    # GIVEN sentences carrying citation markers WHEN summarised THEN the markers are gone
    text = "Exampleton has a busy container port.[1] Its airport opened in 1950.[citation needed]"
    assert analyse(text)["summary"] == [
        "Exampleton has a busy container port.",
        "Its airport opened in 1950.",
    ]


def test_logistics_evidence_matches_mode_and_section(result: dict[str, Any]) -> None:
    # GIVEN the synthetic article WHEN evidence is gathered (2 per mode)
    bodies = _bodies(ARTICLE)
    for mode, items in result["logistics"].items():
        # THEN every mode has evidence, at most 2 items, no sentence twice
        assert 1 <= len(items) <= 2, mode
        texts = [item["text"] for item in items]
        assert len(set(texts)) == len(texts)
        for item in items:
            # AND each sentence names a term of its mode
            assert any(w in item["text"].lower() for w in MODE_WORDS[mode]), (mode, item)
            # AND carries the section it comes from ("Lead" for the lead)
            body = bodies["" if item["section"] == "Lead" else item["section"]]
            assert item["text"] in body, item
        # AND they keep article order
        positions = [ARTICLE.index(t) for t in texts]
        assert positions == sorted(positions)
    # AND the airport's own section gives the hub sentence
    assert "Airports" in {i["section"] for i in result["logistics"]["air"]}


def test_ferry_counts_as_sea_and_light_rail_as_transit() -> None:
    # GIVEN one ferry sentence and one light rail sentence
    text = (
        "Ferryton is a town.\n== Transport ==\n"
        "The main car ferries leave the city for the islands every day.\n"
        "A light rail line with 20 stations links the suburbs with the centre of town."
    )
    logistics = analyse(text)["logistics"]
    # THEN ferries are sea evidence, light rail is transit and not rail
    assert [i["text"] for i in logistics["sea"]] == [text.splitlines()[2]]
    assert [i["text"] for i in logistics["transit"]] == [text.splitlines()[3]]
    assert logistics["rail"] == []


def test_sentiment_ranges_and_labels(result: dict[str, Any]) -> None:
    from textblob import TextBlob

    # GIVEN the analysed article's sentiment
    sentiment = result["sentiment"]
    # THEN values are in range, rounded to 4 decimals, and the label follows the thresholds
    for values in [sentiment, *sentiment["sections"].values()]:
        assert -1 <= values["polarity"] <= 1
        assert 0 <= values["subjectivity"] <= 1
        assert round(values["polarity"], 4) == values["polarity"]
    # AND the per-section keys are the lead and the relevant top-level sections
    assert set(sentiment["sections"]) == {"Lead", "Economy", "Infrastructure"}
    # AND the overall figure is TextBlob's on the analysed text (lead + relevant sections)
    analysed = "\n".join(
        _prose_for_tone(s.text, ENGLISH)
        for s in split_sections(ARTICLE)
        if s.top in {"", "Economy", "Infrastructure"}
    )
    expected = TextBlob(analysed).sentiment
    assert sentiment["polarity"] == pytest.approx(expected.polarity, abs=0.01)
    assert sentiment["subjectivity"] == pytest.approx(expected.subjectivity, abs=0.01)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The port is excellent, wonderful and beautiful. The airport is great.", "positive"),
        ("The port is terrible, awful and horrible. The airport is bad.", "negative"),
        ("The port has three terminals. The airport has two runways.", "neutral"),
    ],
)
def test_sentiment_label(text: str, label: str) -> None:
    # GIVEN a clearly positive, negative or factual text WHEN analysed
    sentiment = analyse(text)["sentiment"]
    # THEN the label matches, and agrees with the documented thresholds
    assert sentiment["label"] == label == tone_label(sentiment["polarity"])


def test_key_phrases(result: dict[str, Any]) -> None:
    # GIVEN the synthetic article WHEN key phrases are extracted
    phrases = result["key_phrases"]
    # THEN they are the facilities it names, distinct, none a stopword or a number
    assert {"Portville International Airport", "Port of Portville"} <= set(phrases)
    assert len({p.lower() for p in phrases}) == len(phrases) <= 10
    for phrase in phrases:
        assert phrase.lower() not in ENGLISH.stopwords
        assert not re.fullmatch(r"[\d\s.,%]+", phrase)
        # AND each is a surface form from the text
        assert phrase in ARTICLE
    # AND the city's own name alone is no key phrase
    assert "Portville" not in phrases


def test_import_is_cheap() -> None:
    # GIVEN a fresh interpreter WHEN citybrief.analysis is imported
    code = "import sys, citybrief.analysis; print(sorted({'nltk', 'textblob'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # THEN neither NLTK nor TextBlob is loaded yet
    assert out.strip() == "[]"


TRANSPORT_HEADING = re.compile(r"transport|transit|airport|railway|port\b", re.IGNORECASE)


@pytest.mark.parametrize("path", articles())
def test_real_articles(path: Path) -> None:
    # GIVEN a real Wikipedia extract
    extract = path.read_text(encoding="utf-8")
    # WHEN analysed with the defaults
    result = analyse(extract)
    # THEN there are 5 distinct summary sentences, copied from the article in order
    summary = result["summary"]
    assert len(summary) == len(set(summary)) == 5
    cleaned = clean_prose(extract, ENGLISH.foreign_name)
    positions = [cleaned.index(s.split(". ")[0]) for s in summary]
    assert positions == sorted(positions)
    # AND 10 key phrases, and evidence for at least 3 modes where there is a transport section
    assert len(result["key_phrases"]) == 10
    modes = [m for m, items in result["logistics"].items() if items]
    if any(TRANSPORT_HEADING.search(s.title) for s in split_sections(extract)):
        assert len(modes) >= 3, modes
    # AND every piece of evidence names a term of its own mode
    for mode, items in result["logistics"].items():
        for item in items:
            assert _names_a_term_of(mode, item["text"]), (mode, item["text"])


def test_off_topic_top_sections_are_not_analysed() -> None:
    # GIVEN transport-sounding sub-sections under History and Sports
    text = (
        "Racetown is a city with a busy airport and a large container port.\n"
        "== History ==\n=== The first port ===\n"
        "The first port was burned by raiders in 1650 and the harbour silted up.\n"
        "== Sports ==\n=== Road running ===\n"
        "The marathon follows the highway along the river every spring.\n"
    )
    result = analyse(text, sentences=5)
    # WHEN analysed THEN only the lead is used: summary, evidence and sentiment sections
    assert result["summary"] == [text.splitlines()[0]]
    assert result["logistics"]["road"] == []
    assert [i["section"] for i in result["logistics"]["sea"]] == ["Lead"]
    assert set(result["sentiment"]["sections"]) == {"Lead"}
