"""Wikipedia plaintext extracts -> sections and sentences, offline and deterministic.

Sentences are split by the boundary rules of NLTK's Punkt (Apache-2.0), re-implemented
here for our fixed, hand-written parameters (abbreviations, sentence starters) instead of
a trained model: importing NLTK costs a cold start 150-400 ms, these rules well under 1 ms.
tests/core/test_sentences_punkt.py checks the result equals NLTK's Punkt on real articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

_HEADING = re.compile(r"^(={2,4})\s*(.*?)\s*\1\s*$")

# Lower case, without the final period, as Punkt looks them up. Any dotted initialism
# ("u.s.a", "x.y") counts as well: see _is_abbreviation.
_ABBREVIATIONS = frozenset(
    """
    st mt ft pt dr mr mrs ms messrs prof gen gov sen rep rev hon jr sr lt col capt cmdr
    sgt adm maj brig pres supt inc co corp ltd plc bros assn dept univ no nos vs v e.g
    i.e etc approx est c ca cf al fig figs vol vols pp ed eds repr trans lit incl singl
    r ind cal conn jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri
    sat sun a.m p.m ave blvd rd hwy sq mi km cm mm kg lb lbs oz hr hrs min sec u.s u.k
    u.n u.s.a u.s.s.r d.c e.u n.y l.a tr transl pron
    """.split()  # noqa: SIM905 - a word list reads best as text
)

# Capitalised words that, after an abbreviation or initial, signal a new sentence. Punkt
# also knows them as seen lower case mid-sentence and capitalised only at a sentence start
# (its orthographic context), so "Plan B. The ..." splits too. No starter is an
# abbreviation, which lets _is_starter drop a final period without asking.
_SENTENCE_STARTERS = frozenset(
    """
    the a an it its in on at this these those there he she they we his her their our as
    after before during however since by from with for following according although
    while when some many most all other today both each one several another also but
    because if until between among under over about despite nevertheless meanwhile
    additionally furthermore moreover later then thus such what which who
    """.split()  # noqa: SIM905 - a word list reads best as text
)


# A token of digits ending in a period ("3.") is taken as an ordinal by languages that
# write them so ("am 3. Oktober"): it then ends a sentence only before a sentence starter.
_ORDINAL = re.compile(r"\d{1,3}\.")


class _Rules(NamedTuple):
    """One language's splitting parameters (see ``split_sentences``)."""

    abbreviations: frozenset[str]
    starters: frozenset[str]
    ordinals: bool


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


# Sentence boundaries: the decision rules of NLTK's Punkt (nltk.tokenize.punkt, Apache-2.0),
# worked out for the parameters above: no collocations, and an orthographic context that
# knows exactly the sentence starters.

# Characters that end a word token; a sentence end directly before one is a candidate.
_NON_WORD = r"[)\";}\]*:@'({\[\u2018\u2019\u201c\u201d\xab\xbb?!]"
_MULTI_CHAR = r"(?:-{2,}|\.{2,}|(?:\.\s){2,}\.)"
# Punkt looks back to ASCII whitespace (string.whitespace) for the word before a candidate.
_SPACE = r" \t\n\r\x0b\x0c"

# A potential sentence end: [.?!] followed by punctuation, or by whitespace and a token.
_CANDIDATE = re.compile(rf"[.?!](?=(?P<after>{_NON_WORD}|\s+(?P<next>\S+)))")
# A word (from ASCII whitespace) up to its last candidate, where Punkt judges the word.
_END_WORD = re.compile(rf"(?<![^{_SPACE}])[^{_SPACE}]*{_CANDIDATE.pattern}")
# Punkt's word tokens: multi-character punctuation; a word, ending before whitespace,
# punctuation or a comma that ends it; else any single character. Periods stay attached.
_TOKEN = re.compile(
    rf"""{_MULTI_CHAR}
    | (?=[^(\"`{{\[:;&\#*@)}}\]\-,]) \S+?
      (?=\s|$|{_NON_WORD}|{_MULTI_CHAR}|,(?=$|\s|{_NON_WORD}|{_MULTI_CHAR}))
    | \S""",
    re.VERBOSE,
)
# Closing quotes and brackets after a break belong to the sentence they close.
_CLOSING = re.compile(r"[\"')\]}\u2018\u2019\u201c\u201d\xab\xbb]+(?:\s+|(?=--)|$)")
_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]")
_INITIAL = re.compile(r"[^\W\d]\.")
_NUMBER = re.compile(r"-?[.,]?\d[\d,.-]*\.?")
_PUNCTUATION = frozenset(";:,.!?")


def _is_abbreviation(word: str, rules: _Rules) -> bool:
    """A listed abbreviation or any dotted initialism, lower case without final period."""
    return word in rules.abbreviations or _INITIALISM.fullmatch(word) is not None


def _is_starter(token: str, rules: _Rules) -> bool:
    """Whether Punkt takes ``token`` for the capitalised start of a new sentence."""
    return token[0].isupper() and token.lower().removesuffix(".") in rules.starters


def _ends_sentence(token: str, following: str, rules: _Rules) -> bool:
    """Punkt's verdict (both annotation passes) on a sentence break after ``token``."""
    if token in {".", "?", "!"}:
        return True
    if not token.endswith("."):
        return False
    if token.endswith(".."):  # an ellipsis: tokens split ".." runs off every word
        return _is_starter(following, rules)
    word = token[:-1].lower()
    if _is_abbreviation(word, rules) or _is_abbreviation(word.rsplit("-", 1)[-1], rules):
        # "etc. The" splits, "etc. Paris" does not; an initial that is one ("C.") never.
        return _is_starter(following, rules) and _INITIAL.fullmatch(token) is None
    if rules.ordinals and _ORDINAL.fullmatch(token):  # "3. Oktober", but "Platz 3. Die"
        return _is_starter(following, rules)
    head = following[0]
    if _INITIAL.fullmatch(token):
        # "J. Bach": any cased word but a sentence starter continues the name.
        return _is_starter(following, rules) or not (
            head.isupper() or head.islower() or following in _PUNCTUATION
        )
    if _NUMBER.fullmatch(token):  # "in 1990. The" splits, "the 4. of July" does not
        return not (head.islower() or following in _PUNCTUATION)
    return True


def _break(candidate: re.Match[str], rules: _Rules) -> tuple[int, int] | None:
    """(end, start of the next sentence) if Punkt breaks at ``candidate``'s last [.?!].

    Closing quotes and brackets right after the break stay with the sentence they end.
    """
    tokens = _TOKEN.findall(candidate[0] + candidate["after"])
    if not any(_ends_sentence(token, after, rules) for token, after in pairwise(tokens)):
        return None
    end = candidate.end()
    start = candidate.start("next") if candidate["next"] else end
    # A closing run holds no [.?!], so it never reaches the next break.
    closing = _CLOSING.match(candidate.string, start)
    if closing:
        return start + len(closing[0].rstrip()), closing.end()
    return end, start


def _breaks(line: str, rules: _Rules) -> Iterator[tuple[int, int]]:
    """The breaks Punkt makes in a line, in order: one scan over its candidate words."""
    for word in _END_WORD.finditer(line):
        candidates = [word]
        first = _CANDIDATE.match(line, word.start())
        if first and first.end() < word.end():
            # Punkt also judges a candidate that opens the word on its own ("!! Yes").
            candidates.insert(0, first)
        for candidate in candidates:
            found = _break(candidate, rules)
            if found:
                yield found


def _split_line(line: str, rules: _Rules) -> list[str]:
    """Sentences of a stripped line, as Punkt splits it."""
    sentences: list[str] = []
    start = 0
    for end, next_start in _breaks(line, rules):
        sentences.append(line[start:end])
        start = next_start
    if start < len(line):
        sentences.append(line[start:])
    return sentences


def split_sentences(
    text: str,
    abbreviations: frozenset[str] = _ABBREVIATIONS,
    starters: frozenset[str] = _SENTENCE_STARTERS,
    *,
    ordinals: bool = False,
) -> list[str]:
    """Split text into sentences; every line is its own paragraph.

    In the extracts a sentence never crosses a newline, while list items and headings
    often lack a final period, so splitting lines first keeps them from merging.
    ``abbreviations`` (lower case, no final period) and ``starters`` (lower case) are a
    language's; the defaults are English. ``ordinals``: a 1-3 digit number with a period
    is an ordinal ("3. Oktober") that ends a sentence only before a starter. No starter
    may be an abbreviation.
    """
    rules = _Rules(abbreviations, starters, ordinals)
    sentences: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            sentences.extend(s.strip() for s in _split_line(line, rules))
    return sentences


# Prose cleaning: what an extract keeps of markup that is not prose. Pronunciation and
# native-name parentheticals ("Lisbon (; Portuguese: Lisboa [liʒˈβoɐ] ) is"), editorial
# marks ("[update]", "[citation needed]", "[12]") and sentences run together across a
# lost space ("in 2013.Today") are repaired once here, for every article and language.

# Phonetic letters and marks of the IPA (and respellings' schwa): never in English prose.
_IPA = re.compile(r"[\u0250-\u02af\u02b0-\u02ff\u0300-\u036f\u1d00-\u1dbfəɛɔʃʒθðŋ]")
# Any letter outside the Latin script (Arabic, CJK, Cyrillic, Greek, Devanagari...).
_FOREIGN_SCRIPT = re.compile(
    r"[\u0370-\u03ff\u0400-\u052f\u0590-\u08ff\u0900-\u0dff"
    r"\u0e00-\u0fff\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
# Editorial marks and reference numbers in square brackets.
_EDITORIAL = re.compile(r"\[\d+\]|(?<![^\W\d_])\[(?:[a-z][a-z ?]{0,30}|note \d+|nb \d+)\]")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_SPACE_BEFORE_MARK = re.compile(r" +(?=[,;:.])")
_LOST_SPACE = re.compile(r"(?:(?<=[a-z]{3})|(?<=\d{2}))\.(?=[A-Z][a-z]{2,}\b)")


def _is_non_prose(inside: str, foreign_name: re.Pattern[str] | None) -> bool:
    """A bracketed group that only says how the name is pronounced or written elsewhere."""
    if not inside.strip(" ;,:\u200e\u200f"):
        return True
    return bool(
        _IPA.search(inside)
        or _FOREIGN_SCRIPT.search(inside)
        or (foreign_name is not None and foreign_name.search(inside))
    )


def _drop_groups(
    text: str, opening: str, closing: str, foreign_name: re.Pattern[str] | None
) -> str:
    """Remove balanced ``opening...closing`` groups (nesting allowed) that are non-prose."""
    out: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == opening:
            if depth == 0:
                start = index
            depth += 1
        elif char == closing and depth:
            depth -= 1
            if depth == 0:
                group = text[start : index + 1]
                out.append("" if _is_non_prose(group[1:-1], foreign_name) else group)
        elif depth == 0:
            out.append(char)
    if depth:  # unbalanced: keep the rest as it was
        out.append(text[start:])
    return "".join(out)


def clean_prose(text: str, foreign_name: re.Pattern[str] | None) -> str:
    """Text with pronunciation, native-script and editorial residue removed, line by line.

    ``foreign_name`` is the article language's mark of a bracketed pronunciation or name
    in another language ("Portuguese: Lisboa", "en occitan Marselha"; see
    ``languages.Language.foreign_name``); None where the language has no profile.
    """
    return "\n".join(_clean_line(line, foreign_name) for line in text.splitlines())


def _clean_line(line: str, foreign_name: re.Pattern[str] | None) -> str:
    if "(" in line:
        line = _drop_groups(line, "(", ")", foreign_name)
    if "[" in line:
        line = _drop_groups(_EDITORIAL.sub("", line), "[", "]", foreign_name)
    line = _LOST_SPACE.sub(". ", line)
    line = _SPACES.sub(" ", line)
    return _SPACE_BEFORE_MARK.sub("", line)
