"""Our sentence splitter equals NLTK's Punkt with the same parameters.

citybrief.text re-implements Punkt's boundary rules so that a cold start never imports
NLTK. Here NLTK (a dev dependency) builds the reference tokenizer from the very word lists
citybrief.text uses, and every paragraph (non-empty line of a section body) of the 18 real
articles must split identically. A few synthetic lines pin the rarer branches. The German,
French and Spanish word lists of citybrief.languages must agree with Punkt given the same
lists on the fake wiki's articles in those languages (German ordinals, an addition of
ours, are tested in test_languages.py).
"""

from __future__ import annotations

import time

import pytest
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from citybrief import text
from citybrief.languages import for_code
from citybrief.text import split_sections, split_sentences
from tests.support.fakewiki.editions import EDITIONS
from tests.support.reference import EXTRACTS, require

FILES = sorted(EXTRACTS.glob("*.txt"))

# Punkt's orthographic context flags: seen capitalised at a sentence start / lower case
# mid-sentence (nltk.tokenize.punkt._ORTHO_BEG_UC, _ORTHO_MID_LC).
ORTHO_BEG_UC = 1 << 1
ORTHO_MID_LC = 1 << 5


class _Abbreviations(set[str]):
    """Punkt's abbreviation set, plus every dotted initialism as citybrief.text has it."""

    def __init__(self, rules: text._Rules) -> None:
        super().__init__(rules.abbreviations)
        self.rules = rules

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and text._is_abbreviation(item, self.rules)


def _punkt(abbreviations: frozenset[str], starters: frozenset[str]) -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = _Abbreviations(text._Rules(abbreviations, starters, False))
    params.sent_starters = set(starters)
    for word in starters:
        params.add_ortho_context(word, ORTHO_BEG_UC | ORTHO_MID_LC)
    return PunktSentenceTokenizer(params)


@pytest.fixture(scope="module")
def punkt() -> PunktSentenceTokenizer:
    return _punkt(text._ABBREVIATIONS, text._SENTENCE_STARTERS)


def _reference(punkt: PunktSentenceTokenizer, paragraph: str) -> list[str]:
    return [s.strip() for s in punkt.tokenize(paragraph)]


def _paragraphs() -> list[str]:
    return [
        line.strip()
        for path in FILES
        for section in split_sections(path.read_text(encoding="utf-8"))
        for line in section.text.splitlines()
        if line.strip()
    ]


def test_same_sentences_as_punkt_on_real_articles(punkt: PunktSentenceTokenizer) -> None:
    # GIVEN every paragraph of the 18 articles
    require()
    assert len(FILES) == 18, EXTRACTS
    paragraphs = _paragraphs()
    # WHEN both split them
    started = time.perf_counter()
    ours = [split_sentences(p) for p in paragraphs]
    elapsed = time.perf_counter() - started
    reference = [_reference(punkt, p) for p in paragraphs]
    # THEN every paragraph gives the same sentences
    differing = [(p, o, r) for p, o, r in zip(paragraphs, ours, reference, strict=True) if o != r]
    size = sum(len(p.encode()) for p in paragraphs) / 1024
    print(
        f"\n{len(paragraphs)} paragraphs, {sum(map(len, reference))} sentences; "
        f"ours {elapsed * 1000:.0f} ms for {size:.0f} KB ({elapsed * 1000 / size:.3f} ms/KB)"
    )
    assert differing == []
    assert sum(map(len, reference)) > 5000  # the corpus really was segmented


@pytest.mark.parametrize(
    "paragraph",
    [
        # abbreviations, initials and numbers before each kind of next token
        "It costs 5 etc. The end. Trade etc. Paris grew. See c. The one.",
        "Plan B. The port. Plan B. Paris. J. R. Tolkien. Item A. 1990 was good.",
        "Route 5. The road. On the 4. of July. Up 5. (see below) Page 7. 8 more.",
        "Sgt. pepper, Dr. who. Ex-Gov. He left. Ex-Gov. Smith left. U.S.A. Today!",
        "Wait... The end... or not... Then... what? Really?! Yes!!! No.",
        # closing quotes, brackets and punctuation glued to a period
        'He said "Go." Then (it ended.) And [so on.]" Next. \u201cQuoted.\u201d Done.',
        "A sentence.)No space. Odd.--dash. Also.'quote' here. End.\u2019s thing.",
        "Words.,then more. Dotted . . . spaces. Trail .  Gap. Two  spaces. Tab.\tHere.",
        # non-breaking and other Unicode spaces, which are not ASCII whitespace
        "It is p.\xa0123. Next one. St.\u2009Louis. The\u202fend. A.\xa0B. C.",
        "Ends here.",
        "No end",
        ".",
        "?!",
        "...",
        'Quote."',
        "x.) y",
        "(a.) (b.) c.",
    ],
)
def test_same_sentences_as_punkt_on_edge_cases(
    punkt: PunktSentenceTokenizer, paragraph: str
) -> None:
    # GIVEN a line exercising rarer Punkt branches WHEN both split it THEN they agree
    assert split_sentences(paragraph) == _reference(punkt, paragraph)


@pytest.mark.parametrize("code", ["de", "fr", "es"])
def test_same_sentences_as_punkt_with_each_languages_word_lists(code: str) -> None:
    # GIVEN a language's abbreviations and starters, and every paragraph of its articles
    language = for_code(code)
    assert language is not None
    punkt = _punkt(language.abbreviations, language.sentence_starters)
    paragraphs = [
        line.strip()
        for page in EDITIONS[code]
        for section in split_sections(page.extract)
        for line in section.text.splitlines()
        if line.strip()
    ]
    # WHEN both split them with those lists
    ours = [
        split_sentences(p, language.abbreviations, language.sentence_starters) for p in paragraphs
    ]
    # THEN they agree, and the lists did matter (English lists split differently)
    assert ours == [_reference(punkt, p) for p in paragraphs]
    assert ours != [split_sentences(p) for p in paragraphs]


@pytest.mark.parametrize("code", ["en", "de", "fr", "es"])
def test_no_sentence_starter_is_an_abbreviation(code: str) -> None:
    # GIVEN a language's word lists WHEN compared THEN they are disjoint, which lets
    # citybrief.text read "The." as the starter "the" (Punkt: a sentence-break period)
    language = for_code(code)
    assert language is not None
    rules = text._Rules(language.abbreviations, language.sentence_starters, language.ordinals)
    assert not any(text._is_abbreviation(word, rules) for word in language.sentence_starters)
