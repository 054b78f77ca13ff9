"""One general rule per brief-quality problem, each on a short self-written article.

The labelled set (tests/quality) measures the whole; these pin each rule, so that a
change that breaks one fails here by name. The articles are invented: every rule must
hold for articles the project has never seen.
"""

from __future__ import annotations

from typing import Any

import pytest

from citybrief.analysis import _prose_for_tone, analyse, tone_label
from citybrief.languages import Language, for_code
from citybrief.text import clean_prose, split_sentences


def _english() -> Language:
    language = for_code("en")
    assert language is not None
    return language


ENGLISH = _english()


def _clean(text: str) -> str:
    return clean_prose(text, ENGLISH.foreign_name)


def _brief(lead: str, **sections: str) -> dict[str, Any]:
    text = lead + "".join(f"\n== {title} ==\n{body}" for title, body in sections.items())
    return analyse(text, sentences=5, title="Exampleton")


def _evidence(result: dict[str, Any], mode: str) -> list[str]:
    return [item["text"] for item in result["logistics"][mode]]


# 1. Ranked by informativeness, history demoted ---------------------------------------


def test_the_hub_outranks_trivia_and_history() -> None:
    # GIVEN a transit section with a fare detail, a closed horse-tram line and the subway
    result = _brief(
        "Exampleton is a port city.",
        Transport=(
            "A single bus ticket costs two dollars.\n"
            "A horse-drawn tram line operated until 1911, when it was closed.\n"
            "The Exampleton Subway, the busiest metro system in the country, has 12 lines "
            "and carries 3 million passengers daily."
        ),
    )
    # WHEN evidence is chosen THEN the subway is there, the fare and the closed line not
    transit = _evidence(result, "transit")
    assert any("Exampleton Subway" in t for t in transit)
    assert not any("ticket" in t or "horse-drawn" in t for t in transit)


def test_the_main_airport_outranks_a_flight_school() -> None:
    result = _brief(
        "Exampleton is a city.",
        Airports=(
            "A private flying school trains pilots at a small airfield nearby.\n"
            "Exampleton International Airport is the busiest airport in the region, "
            "handling 20 million passengers a year."
        ),
    )
    air = _evidence(result, "air")
    assert air[0].startswith("Exampleton International Airport")
    assert not any("flying school" in t for t in air)


# 2. Wrong mode and off-topic sections -------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "mode"),
    [
        ("The city has a maritime climate with mild winters and 1,200 mm of rain.", "sea"),
        ("The metro area has a population of 4 million, the largest in the state.", "transit"),
        ("Aircraft manufacturing employs 40,000 people, the largest industry.", "air"),
        ("The main train ferries passengers to the coast in 2 hours.", "sea"),
        ("Several intercity buses leave the main coach station every hour.", "rail"),
        ("Many interstate buses stop at the main terminal every day.", "road"),
    ],
)
def test_a_mode_word_in_another_sense_is_no_evidence(sentence: str, mode: str) -> None:
    # GIVEN a transport section sentence whose mode word means something else
    result = _brief("Exampleton is a city.", Transport=sentence)
    # THEN it is not evidence for that mode
    assert _evidence(result, mode) == []


@pytest.mark.parametrize("heading", ["Climate", "Geography", "History", "Air quality"])
def test_off_topic_sections_are_never_mined(heading: str) -> None:
    # GIVEN a port and an airport named under an off-topic heading
    result = _brief(
        "Exampleton is a city.",
        **{heading: "The Port of Exampleton is the largest port, with 9 million TEU a year."},
    )
    # THEN no evidence comes from it
    assert all(items == [] for items in result["logistics"].values())


# 3. Road vocabulary --------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The A1 and the M4 connect the city with the capital, 200 km away.",
        "The E39 and the N7 cross the city on the main national roads.",
        "The I-95 runs through the city and carries 150,000 vehicles daily.",
        "The autoroute network links Exampleton with the largest cities of the country.",
        "A ring road of 40 km surrounds the city centre.",
    ],
)
def test_roads_are_recognised(sentence: str) -> None:
    result = _brief("Exampleton is a city.", Transport=sentence)
    assert _evidence(result, "road") == [sentence]


def test_a_numbered_metro_line_is_no_road() -> None:
    sentence = "The M3 metro line opened with 17 stations in the city centre."
    result = _brief("Exampleton is a city.", Transport=sentence)
    assert _evidence(result, "road") == []
    assert _evidence(result, "transit") == [sentence]


# 4. Summary: short key facts kept, no repeats -----------------------------------------


def test_a_short_key_fact_is_kept_and_a_fact_is_not_repeated() -> None:
    result = _brief(
        "Exampleton is the capital of Exland. It is a major port on the Atlantic.",
        Port=(
            "The Port of Exampleton is the largest port in Exland, handling 9 million TEU.\n"
            "The Port of Exampleton is the largest port of Exland and handles 9 million TEU."
        ),
    )
    summary = result["summary"]
    # THEN the short lead fact stays (with the sentence its "It" leans on)
    assert "It is a major port on the Atlantic." in summary
    # AND the port's figure appears once, not twice
    assert sum("9 million TEU" in s for s in summary) == 1


# 5. Sentence debris --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Agartala () is the capital.", "Agartala is the capital."),
        ("Exampleton (Portuguese: Exemplo [ɛˈzɛplu] ) is a city.", "Exampleton is a city."),
        ("Exampleton (/ɪɡˈzɑːmpəltən/; Russian: Экземплтон) is a city.", "Exampleton is a city."),
        (
            "The port has 12 berths [update] and 3 terminals.[12]",
            "The port has 12 berths and 3 terminals.",
        ),
        ("Exampleton ( ex-AM-pəl-tən) is a city.", "Exampleton is a city."),
    ],
)
def test_non_prose_is_removed(raw: str, clean: str) -> None:
    assert _clean(raw) == clean


def test_sentences_run_together_are_split() -> None:
    assert split_sentences(_clean("The line opened in 2013.Today it carries 5 lines.")) == [
        "The line opened in 2013.",
        "Today it carries 5 lines.",
    ]


def test_abbreviations_keep_the_defining_sentence_whole() -> None:
    text = "St. Exampleton (Russian: Санкт-Экземплтон, tr. Sankt-Ekzemplton) is the second city."
    assert split_sentences(_clean(text)) == ["St. Exampleton is the second city."]


# 6. Dangling references ---------------------------------------------------------------


def test_a_leaning_sentence_comes_with_its_antecedent() -> None:
    result = _brief(
        "Exampleton is a city.",
        Airports=(
            "Exampleton International Airport lies 20 km north of the city.\n"
            "It is the busiest airport in Exland, with 30 million passengers a year."
        ),
    )
    (item,) = [t for t in _evidence(result, "air") if "busiest" in t]
    assert item.startswith("Exampleton International Airport lies")


def test_a_leaning_sentence_without_antecedent_is_dropped() -> None:
    result = _brief("Exampleton is a city.", Airports="It handles 30 million passengers a year.")
    assert _evidence(result, "air") == []


# 7. Sentiment --------------------------------------------------------------------------


def test_ipa_brackets_and_proper_names_carry_no_tone() -> None:
    from citybrief.sentiment import _scorer

    # GIVEN a lead with an IPA bracket (":[" reads as a sad emoticon, -0.75) and names
    # that are lexicon words ("Nice", "Fort Worth", "Base")
    lead = (
        "Exampleton (IPA: [ɛɡˈzɑːmpəl]) is a city near Nice and Fort Worth.\n"
        "Exampleton Base lies 10 km from the centre."
    )
    # WHEN scored as the brief scores it
    assessed = [
        words for words, *_ in _scorer()(_prose_for_tone(_clean(lead), ENGLISH)).assessments
    ]
    # THEN only prose words are assessed: no emoticon, no name
    assert assessed == [["near"]]
    assert analyse(lead)["sentiment"]["polarity"] > 0


def test_encyclopaedic_prose_is_neutral_and_evaluative_prose_is_not() -> None:
    # GIVEN mildly positive encyclopaedic prose (polarity about 0.1) THEN neutral
    assert tone_label(0.1) == "neutral"
    # AND clearly evaluative prose is labelled
    assert analyse("The port is excellent, wonderful and beautiful.")["sentiment"]["label"] == (
        "positive"
    )
    assert analyse("The port is terrible, awful and horrible.")["sentiment"]["label"] == (
        "negative"
    )


# 8. Key phrases ------------------------------------------------------------------------


def test_key_phrases_are_whole_names_not_fragments_or_generic_words() -> None:
    result = _brief(
        "Exampleton is the largest city near New York City.",
        Economy=(
            "JPMorgan Chase announced a new office near New York City.\n"
            "The city area and its population grew, as the census shows.\n"
            "The Port of Exampleton handles 9 million TEU, and New York City is 300 km away.\n"
            "The Port of Exampleton is the largest employer of the city."
        ),
    )
    phrases = result["key_phrases"]
    assert "New York City" in phrases and "York City" not in phrases
    assert "Port of Exampleton" in phrases
    assert not {"JPMorgan Chase announced", "city", "area", "population", "census"} & set(phrases)
