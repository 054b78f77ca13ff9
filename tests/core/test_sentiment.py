"""TextBlob's sentiment scorer loaded without TextBlob's package (and so without NLTK)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from citybrief.analysis import _relevant, _sentiment_groups
from citybrief.languages import for_code
from citybrief.sentiment import Score, score
from citybrief.text import split_sections
from tests.support.reference import EXTRACTS, articles, require

BUILD_LEXICON = Path(__file__).resolve().parents[2] / "scripts" / "build_lexicon.py"


@pytest.mark.parametrize("path", articles())
def test_scores_equal_textblobs_own_on_real_articles(path: Path) -> None:
    from textblob import TextBlob
    from textblob.en import sentiment

    # GIVEN each section group of a real article, exactly as analyse() scores it
    sections = split_sections(path.read_text(encoding="utf-8"))
    english = for_code("en")
    assert english is not None
    groups = _sentiment_groups(_relevant(sections, english), english)
    assert "Lead" in groups and len(groups) >= 2
    for name, text in groups.items():
        # WHEN scored by us and by TextBlob imported the normal way
        ours = score(text)
        theirs = sentiment(text)
        # THEN polarity, subjectivity and the number of assessments are identical
        assert ours == Score(theirs[0], theirs[1], len(theirs.assessments)), name
        assert ours[:2] == tuple(TextBlob(text).sentiment), name
        assert ours.assessments > 0, name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The port is not very good!",
        "The airport is terribly crowded (!) but the trains are great :-)",
        "It isn't bad. It's never horrible.\n\nA new heading",
    ],
)
def test_edge_cases_equal_textblobs_own(text: str) -> None:
    from textblob.en import sentiment

    # GIVEN negations, modifiers, derived adverbs, sarcasm, emoticons, paragraphs, nothing
    theirs = sentiment(text)
    # WHEN scored by us THEN the result is TextBlob's
    assert score(text) == (theirs[0], theirs[1], len(theirs.assessments))


def test_analyse_does_not_import_textblob() -> None:
    # GIVEN a fresh interpreter and a short real extract (Tokyo's lead)
    require()
    lead = (EXTRACTS / "Tokyo.txt").read_text(encoding="utf-8").split("\n== ")[0]
    code = (
        "import json, sys\n"
        "from citybrief.analysis import analyse\n"
        "result = analyse(sys.stdin.read(), sentences=2)\n"
        "modules = ['textblob', 'textblob.blob', 'textblob.en', 'textblob.en.sentiments']\n"
        "print(json.dumps([result['sentiment'], [m for m in modules if m in sys.modules]]))"
    )
    # WHEN analysed, sentiment included
    out = subprocess.run(
        [sys.executable, "-c", code], input=lead, capture_output=True, text=True, check=True
    ).stdout
    sentiment, imported = json.loads(out)
    # THEN sentiment was scored, and TextBlob's package __init__ (blob, NLTK) never ran
    assert set(sentiment["sections"]) == {"Lead"}
    assert sentiment["subjectivity"] > 0
    assert imported == []


def test_the_recorded_lexicon_is_exactly_textblobs_as_loaded() -> None:
    """GIVEN the installed TextBlob WHEN its English lexicon is loaded its own way (XML,
    averages, derived adverbs) THEN ``data/sentiment-en.json`` is exactly that, byte for
    byte; after a TextBlob upgrade, rerun ``scripts/build_lexicon.py`` and commit."""
    spec = importlib.util.spec_from_file_location("build_lexicon", BUILD_LEXICON)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)

    committed = build.OUT.read_text(encoding="utf-8")

    assert committed == build.render(build.textblob_lexicon()), (
        "data/sentiment-en.json is stale: rerun .venv/bin/python scripts/build_lexicon.py"
    )
