"""TextBlob's English sentiment scorer (``PatternAnalyzer``), without importing TextBlob.

Importing anything under ``textblob`` first runs ``textblob/__init__.py``, which imports
all of NLTK (150-400 ms on a cold start) for classes the scorer never touches. The scorer
itself lives in ``textblob/_text.py``, which needs only the standard library, so we
execute that file as a private module and build the English ``Sentiment`` exactly as
``textblob/en/__init__.py`` does: same lexicon file, same arguments, same ``load()``
override. Scores equal ``textblob.en.sentiment`` (tests/core/test_sentiment.py checks
every recorded article).
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from types import ModuleType
from typing import Any, NamedTuple

_MODULE = "citybrief._textblob_text"


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
    """``textblob.en.sentiment``, rebuilt from ``_text.py``; loaded here, not lazily.

    TextBlob loads the lexicon on first use, and a thread scoring during another's load
    could miss the derived adverbs; building it fully before caching avoids that.
    """
    package = _package_dir()
    text = _text_module(package)
    base = text.Sentiment

    def load(self: Any, path: str | None = None) -> None:
        """``textblob.en.Sentiment.load``: adverbs from adjectives ("terrible" -> "terribly")."""
        base.load(self, path)
        if not path:
            for word, pos in list(dict.items(self)):
                if "JJ" in pos:
                    w = word[:-1] + "i" if word.endswith("y") else word
                    if w.endswith("le"):
                        w = w[:-2]
                    p, s, i = pos["JJ"]
                    self.annotate(w + "ly", "RB", p, s, i)

    english = type("Sentiment", (base,), {"load": load})
    # Parser.find_tokens never reads the lexicon, so the parser gets none: TextBlob's
    # en-lexicon.txt (1.2 MB) is lazy there too and is never loaded for sentiment.
    parser = text.Parser(lexicon=None, default=("NN", "NNP", "CD"), language="en")
    scorer = english(
        path=os.path.join(package, "en", "en-sentiment.xml"),
        synset="wordnet_id",
        negations=("no", "not", "n't", "never"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ly"),
        tokenizer=parser.find_tokens,
        language="en",
    )
    scorer.load()
    return scorer


def score(text: str) -> Score:
    """Polarity, subjectivity and assessment count, as ``textblob.en.sentiment(text)``."""
    result = _scorer()(text)
    return Score(result[0], result[1], len(result.assessments))
