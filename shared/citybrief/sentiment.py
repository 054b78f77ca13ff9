"""TextBlob's English sentiment scorer (``PatternAnalyzer``), without importing TextBlob.

Importing anything under ``textblob`` first runs ``textblob/__init__.py``, which imports
all of NLTK (150-400 ms on a cold start) for classes the scorer never touches. The scorer
itself lives in ``textblob/_text.py``, which needs only the standard library, so we
execute that file as a private module and build the English ``Sentiment`` with the
arguments ``textblob/en/__init__.py`` gives it and its lexicon as loaded (recorded by
``scripts/build_lexicon.py``). Scores equal ``textblob.en.sentiment``
(tests/core/test_sentiment.py checks every recorded article, and the recorded lexicon).
"""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

_MODULE = "citybrief._textblob_text"
_LEXICON = Path(__file__).parent / "data" / "sentiment-en.json"


class Score(NamedTuple):
    """``TextBlob(text).sentiment`` plus how many words/phrases were assessed."""

    polarity: float
    subjectivity: float
    assessments: int


def _package_dir() -> str:
    # find_spec of a top-level package locates it without executing its __init__.
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textblob is not installed", name="textblob")
    return next(iter(spec.submodule_search_locations))


def _text_module(package: str) -> ModuleType:
    """``textblob/_text.py`` under a private name (its own .pyc is reused)."""
    path = os.path.join(package, "_text.py")
    spec = importlib.util.spec_from_file_location(_MODULE, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}", name=_MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def _scorer() -> Any:
    """``textblob.en.sentiment``: TextBlob's scorer from ``_text.py`` with its lexicon as
    ``scripts/build_lexicon.py`` recorded it once loaded, in ``data/sentiment-en.json``.

    Reading that table costs a few ms where parsing and averaging the XML cost ~50 ms of
    a cold start. The scorer is filled before it is cached: TextBlob loads its lexicon on
    first use, and a lexicon that is not empty is never loaded again.
    """
    text = _text_module(_package_dir())
    table = json.loads(_LEXICON.read_text(encoding="utf-8"))
    # Parser.find_tokens never reads the lexicon, so the parser gets none: TextBlob's
    # en-lexicon.txt (1.2 MB) is lazy there too and is never loaded for sentiment.
    parser = text.Parser(lexicon=None, default=("NN", "NNP", "CD"), language="en")
    scorer = text.Sentiment(
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        tokenizer=parser.find_tokens,
        language="en",
    )
    words: dict[str, dict[str | None, list[float]]] = {}
    for word, pos, *values in table["words"]:
        words.setdefault(word, {})[pos] = values
    dict.update(scorer, words)
    scorer.labeler.update(table["labels"])
    scorer._synsets.update(table["synsets"])
    scorer._language = table["language"]
    return scorer


def score(text: str) -> Score:
    """Polarity, subjectivity and assessment count, as ``textblob.en.sentiment(text)``."""
    result = _scorer()(text)
    return Score(result[0], result[1], len(result.assessments))
