"""Sections and sentences of Wikipedia plaintext extracts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from citybrief.text import Section, split_sections, split_sentences

EXTRACT = """Lead sentence one. Lead sentence two.

== Geography ==
Geography text.

=== Climate ===
Climate text.

== Infrastructure ==


=== Transportation ===
Transport text.

==== Airports ====
Airport text.
Second line.

== References ==
"""


def test_sections_keep_levels_order_and_top() -> None:
    # GIVEN an extract with a lead and three heading levels
    # WHEN it is split
    sections = split_sections(EXTRACT)
    # THEN every heading appears in order, with its level and enclosing == section
    assert [(s.title, s.level, s.top) for s in sections] == [
        ("", 1, ""),
        ("Geography", 1, "Geography"),
        ("Climate", 2, "Geography"),
        ("Infrastructure", 1, "Infrastructure"),
        ("Transportation", 2, "Infrastructure"),
        ("Airports", 3, "Infrastructure"),
        ("References", 1, "References"),
    ]
    # AND bodies are stripped, keep their inner lines, and contain no heading lines
    by_title = {s.title: s for s in sections}
    assert by_title[""].text == "Lead sentence one. Lead sentence two."
    assert by_title["Airports"].text == "Airport text.\nSecond line."
    assert all("==" not in s.text for s in sections)
    # AND empty containers are kept (hierarchy stays complete) with empty text
    assert by_title["Infrastructure"].text == ""
    assert by_title["References"].text == ""


def test_sections_of_text_without_headings_is_the_lead() -> None:
    # GIVEN text without headings WHEN split THEN it is one lead section
    assert split_sections("  Just a lead.  \n") == [
        Section(title="", level=1, text="Just a lead.", top="")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "St. Louis is a city in the U.S. state of Missouri.",
        "Mt. Rainier is visible from Seattle on clear days.",
        "The port reopened on Jan. 5 after the storm.",
        "The metro area has 3.5 million residents.",
        "The airport is named after John F. Kennedy, the president.",
        "The novelist J. R. R. Tolkien lived in Oxford.",
        "Dallas and Ft. Worth share an airport.",
        "The firm, Acme Inc., moved to Chicago in the 1950s.",
        "Goods such as grain, timber, etc. pass through the port.",
        "The fare is approx. 2.50 dollars, e.g. for a single ride.",
        "Built c. 1820, it was rebuilt ca. 1900 by Dr. Smith and Mr. Jones.",
        "The game was Chicago vs. Boston on the 4th of July.",
        "The plan of the U.K. government was approved.",
        "The route was Interstate No. 5 in Washington, D.C. area traffic.",
    ],
)
def test_abbreviations_do_not_split(sentence: str) -> None:
    # GIVEN one sentence full of abbreviations, initials and decimals
    # WHEN it is split THEN it stays one sentence
    assert split_sentences(sentence) == [sentence]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Trains leave at 5 p.m. The last one leaves at 11 p.m.",
            ["Trains leave at 5 p.m.", "The last one leaves at 11 p.m."],
        ),
        (
            "It is the largest port in the U.S. It handles containers.",
            ["It is the largest port in the U.S.", "It handles containers."],
        ),
        (
            "They carry coal, grain, etc. The port also has ferries.",
            ["They carry coal, grain, etc.", "The port also has ferries."],
        ),
        (
            "The city grew. By 1900 it had a port! Was it the largest? Yes.",
            ["The city grew.", "By 1900 it had a port!", "Was it the largest?", "Yes."],
        ),
        (
            'He said "the port is busy." Then he left.',
            ['He said "the port is busy."', "Then he left."],
        ),
    ],
)
def test_real_boundaries_split(text: str, expected: list[str]) -> None:
    # GIVEN text with real sentence ends, some right after an abbreviation
    # WHEN it is split THEN each sentence is separate
    assert split_sentences(text) == expected


def test_lines_are_paragraphs() -> None:
    # GIVEN list-like lines without final punctuation and a blank line
    text = "Airports\nO'Hare International Airport\n\nThe port is busy. It is big."
    # WHEN split THEN no sentence spans a newline and blank lines yield nothing
    assert split_sentences(text) == [
        "Airports",
        "O'Hare International Airport",
        "The port is busy.",
        "It is big.",
    ]
    assert split_sentences("") == []
    assert split_sentences(" \n\n ") == []


def test_splitting_never_imports_nltk() -> None:
    # GIVEN a fresh interpreter WHEN citybrief.text splits a paragraph
    code = (
        "import sys\n"
        "from citybrief.text import split_sentences\n"
        "print(len(split_sentences('It is in the U.S. It has a port. Dr. Smith runs it.')))\n"
        "print('nltk' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # THEN it splits, and NLTK (150-400 ms of cold start) was never imported
    assert out.split() == ["3", "False"]
