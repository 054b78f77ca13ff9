"""Sentiment in languages other than English, where a kept lexicon exists: French.

French is scored as ``textblob_fr.sentiments.PatternAnalyzer`` scores it: textblob-fr's
lexicon (``fr-sentiment.xml``, Pattern's hand-tagged French adjectives) read by TextBlob's
own ``Sentiment`` class with the arguments, tokenizer rules and ``load()`` override of
``textblob_fr/fr.py``. Importing ``textblob_fr`` would run TextBlob's package ``__init__``
and with it all of NLTK (~350 ms), so, as ``sentiment`` does for English, nothing of
either package is imported: the lexicon is found with ``find_spec`` and TextBlob's
``_text.py`` is executed as a private module. tests/core/test_sentiment_lang.py proves the
scores equal textblob-fr's. Loaded on the first French brief only.

German and Spanish have no kept lexicon (see ``languages``): their briefs have no sentiment.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from typing import Any

from .sentiment import Score, _package_dir, _text_module

# textblob_fr/fr.py: French contractions are split off before lexicon lookup.
_CONTRACTIONS = ("l", "c", "d", "j", "m", "n", "qu", "s", "t", "jusqu", "lorsqu", "puisqu")
_REPLACE = {f"{c}'": f"{c}' " for c in _CONTRACTIONS} | {
    "(l|c|d|j|m|n|qu|s|t|jusqu|lorsqu|puisqu)’": "\\1&rsquo; "
}
_REPLACE |= {k.upper(): v.upper() for k, v in list(_REPLACE.items())}
_ABBREVIATIONS = frozenset(
    """av. boul. C.-B. c.-à-d. ex. éd. fig. I.-P.-E. J.-C. Ltee. Ltée. M. Me. Mlle. Mlles.
    MM. N.-B. N.-É. p. S.B.E. Ste. T.-N. t.a.b.""".split()  # noqa: SIM905 - as in fr.py
)
_ACCENTS = (("à", "a"), ("é", "e"), ("è", "e"), ("ê", "e"), ("ï", "i"))

_lock = threading.Lock()
_scorers: dict[str, Any] = {}


def _french() -> Any:
    """``textblob_fr.fr.sentiment``, rebuilt on TextBlob's ``_text.py``; fully loaded."""
    spec = importlib.util.find_spec("textblob_fr")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textblob-fr is not installed", name="textblob_fr")
    lexicon = os.path.join(next(iter(spec.submodule_search_locations)), "fr-sentiment.xml")
    text = _text_module(_package_dir())
    base = text.Sentiment

    def load(self: Any, path: str | None = None) -> None:
        """``textblob_fr.fr.Sentiment.load``: "précaire" also as "precaire"."""
        base.load(self, path)
        if not path:
            for word, tags in list(dict.items(self)):
                plain = word
                if not word.endswith(("à", "è", "é", "ê", "ï")):
                    for accented, bare in _ACCENTS:
                        plain = plain.replace(accented, bare)
                if plain != word:
                    for pos, (p, s, i) in tags.items():
                        self.annotate(plain, pos, p, s, i)

    parser = text.Parser(lexicon=None, default=("NN", "NNP", "CD"), language="fr")

    def tokens(sentence: str, **kwargs: Any) -> list[str]:
        """``textblob_fr.fr.Parser.find_tokens``."""
        kwargs.setdefault("abbreviations", _ABBREVIATIONS)
        kwargs.setdefault("replace", _REPLACE)
        found = text.Parser.find_tokens(parser, sentence, **kwargs)
        return [t.replace("&rsquo ;", "’") for t in found]

    french = type("Sentiment", (base,), {"load": load})
    scorer = french(
        path=lexicon,
        synset=None,
        negations=("n'", "ne", "ni", "non", "pas", "rien", "sans", "aucun", "jamais"),
        modifiers=("RB",),
        modifier=lambda w: w.endswith("ment"),
        tokenizer=tokens,
        language="fr",
    )
    scorer.load()
    return scorer


_BUILDERS = {"fr": _french}
SUPPORTED = frozenset(_BUILDERS)


def _scorer(code: str) -> Any:
    # Built under a lock and cached only once loaded: see sentiment._scorer.
    with _lock:
        if code not in _scorers:
            _scorers[code] = _BUILDERS[code]()
        return _scorers[code]


def score(text: str, code: str) -> Score:
    """Polarity, subjectivity and assessment count in language ``code`` (see SUPPORTED)."""
    result = _scorer(code)(text)
    return Score(result[0], result[1], len(result.assessments))
