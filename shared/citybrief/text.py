"""Wikipedia plaintext extracts -> sections and sentences, offline and deterministic.

Sentences come from NLTK's Punkt algorithm with parameters written here (abbreviations,
sentence starters) instead of the pickled/trained English model, so nothing is
downloaded and nothing reads ``nltk_data``. NLTK is imported lazily: importing this
module stays cheap for a cold start that never splits sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

_HEADING = re.compile(r"^(={2,4})\s*(.*?)\s*\1\s*$")

# Lower case, without the final period, as Punkt looks them up.
_ABBREVIATIONS = frozenset(
    """
    st mt ft pt dr mr mrs ms messrs prof gen gov sen rep rev hon jr sr lt col capt cmdr
    sgt adm maj brig pres supt inc co corp ltd plc bros assn dept univ no nos vs v e.g
    i.e etc approx est c ca cf al fig figs vol vols pp ed eds repr trans lit incl singl
    r ind cal conn jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri
    sat sun a.m p.m ave blvd rd hwy sq mi km cm mm kg lb lbs oz hr hrs min sec u.s u.k
    u.n u.s.a u.s.s.r d.c e.u n.y l.a
    """.split()  # noqa: SIM905 - a word list reads best as text
)

# Capitalised words that, after an abbreviation or initial, signal a new sentence.
_SENTENCE_STARTERS = frozenset(
    """
    the a an it its in on at this these those there he she they we his her their our as
    after before during however since by from with for following according although
    while when some many most all other today both each one several another also but
    because if until between among under over about despite nevertheless meanwhile
    additionally furthermore moreover later then thus such what which who
    """.split()  # noqa: SIM905 - a word list reads best as text
)


class _AbbreviationSet(set[str]):
    """Punkt's abbreviation set that also knows every dotted initialism (``x.y``)."""

    _INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")

    def __contains__(self, item: object) -> bool:
        return super().__contains__(item) or (
            isinstance(item, str) and self._INITIALISM.fullmatch(item) is not None
        )


@dataclass(frozen=True)
class Section:
    """One part of an article: ``level`` 1 is the lead or a ``==`` section."""

    title: str
    level: int
    text: str
    top: str


def split_sections(extract: str) -> list[Section]:
    """Split an extract on its ``== Heading ==`` lines, in article order.

    The lead always comes first (``title`` ""). Sections with an empty body (containers
    such as "Infrastructure" above its sub-sections, or "References") are kept, so the
    heading hierarchy stays complete for callers that walk it; skip them on ``text``.
    """
    sections: list[Section] = []
    title, level, top = "", 1, ""
    body: list[str] = []

    def flush() -> None:
        text = "\n".join(body).strip()
        sections.append(Section(title=title, level=level, text=text, top=top))

    for line in extract.splitlines():
        match = _HEADING.match(line)
        if match is None:
            body.append(line)
            continue
        flush()
        body = []
        title, level = match.group(2), len(match.group(1)) - 1
        if level == 1:
            top = title
    flush()
    return sections


# Punkt's orthographic flags (nltk.tokenize.punkt._ORTHO_*), copied to keep NLTK lazy.
_ORTHO_BEG_UC = 1 << 1
_ORTHO_MID_LC = 1 << 5


@lru_cache(maxsize=1)
def _tokenizer() -> PunktSentenceTokenizer:
    """Build Punkt from hand-written parameters once (~1 ms; importing NLTK dominates)."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = _AbbreviationSet(_ABBREVIATIONS)
    params.sent_starters = set(_SENTENCE_STARTERS)
    # Tell the orthographic heuristic these words are seen lower case mid-sentence and
    # capitalised only at a sentence start, so "Plan B. The ..." splits too.
    for word in _SENTENCE_STARTERS:
        params.add_ortho_context(word, _ORTHO_BEG_UC | _ORTHO_MID_LC)
    return PunktSentenceTokenizer(params)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences; every line is its own paragraph.

    In the extracts a sentence never crosses a newline, while list items and headings
    often lack a final period, so splitting lines first keeps them from merging.
    """
    tokenizer = _tokenizer()
    sentences: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            sentences.extend(s.strip() for s in tokenizer.tokenize(line))
    return sentences
