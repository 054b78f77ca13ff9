"""French sentiment: textblob-fr's lexicon and rules, loaded without TextBlob's package."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from citybrief.sentiment import Score
from citybrief.sentiment_lang import SUPPORTED, score
from citybrief.text import split_sections
from tests.support.fakewiki.editions import EDITIONS


def _french_sections() -> list[tuple[str, str]]:
    return [
        (f"{page.title}/{section.title or 'Lead'}", section.text)
        for page in EDITIONS["fr"]
        for section in split_sections(page.extract)
        if section.text
    ]


@pytest.mark.parametrize(("name", "text"), _french_sections(), ids=lambda v: str(v)[:40])
def test_french_scores_equal_textblob_fr(name: str, text: str) -> None:
    from textblob_fr.fr import sentiment

    # GIVEN a French section WHEN scored by us and by textblob-fr imported the normal way
    ours = score(text, "fr")
    theirs = sentiment(text)
    # THEN polarity, subjectivity and the number of assessments are identical
    assert ours == Score(theirs[0], theirs[1], len(theirs.assessments)), name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ce n'est pas une bonne idée.",
        "L’aéroport est vraiment magnifique mais la gare est horrible !",
        "Une ville précaire et très belle, c.-à-d. superbe.",
    ],
)
def test_french_edge_cases_equal_textblob_fr(text: str) -> None:
    from textblob_fr.sentiments import PatternAnalyzer

    # GIVEN negation, adverbs, curly apostrophes, accents, abbreviations, nothing
    # WHEN scored THEN the result is textblob-fr's own analyzer's
    assert score(text, "fr")[:2] == tuple(PatternAnalyzer().analyze(text))


def test_french_lexicon_is_not_englishs() -> None:
    # GIVEN plainly positive French WHEN scored in French and by the English lexicon
    from citybrief.sentiment import score as english

    text = "Une ville magnifique, une gare superbe et un port très agréable."
    # THEN only the French lexicon finds the sentiment
    assert score(text, "fr").polarity > 0.5
    assert english(text).assessments == 0
    assert {"fr"} == SUPPORTED


def test_french_scoring_imports_neither_textblob_nor_nltk() -> None:
    # GIVEN a fresh interpreter WHEN a French text is scored
    code = (
        "import json, sys\n"
        "from citybrief.sentiment_lang import score\n"
        "result = score('Une belle ville, un port magnifique.', 'fr')\n"
        "names = ('textblob', 'textblob_fr', 'nltk')\n"
        "print(json.dumps([result.polarity, [m for m in names if m in sys.modules]]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    polarity, imported = json.loads(out.stdout)
    # THEN it was scored, and no package __init__ (TextBlob's, textblob-fr's, NLTK) ran
    assert polarity > 0
    assert imported == []
