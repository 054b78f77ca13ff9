"""The logistics brief's text analysis: summary, transport evidence, sentiment, phrases.

Everything works on the *analysed text*: the lead plus the logistics-relevant sections
(see ``_RELEVANT_TITLE``), with their sub-sections. History, culture or sports prose
says little about logistics and would dilute every signal here. No I/O; TextBlob's
sentiment lexicon is loaded only when sentiment is first computed (see ``sentiment``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from .sentiment import score as sentiment_score
from .text import Section, split_sections, split_sentences

LEAD = "Lead"

_RELEVANT_TITLE = re.compile(
    r"\b(?:transport\w*|infrastructure|econom\w*|ports?|harbou?rs?|airports?|aviation"
    r"|rail\w*|geography|transit|highways?|expressways?|freight|shipping"
    r"|logistics|trade|industry|commerce)\b",
    re.IGNORECASE,
)
# Past ports and sports' road races are not logistics, whatever their sub-heading says.
_OFF_TOPIC_TOP = re.compile(
    r"\b(?:histor\w*|sports?|cultur\w*|notable|see also|references)\b", re.I
)
_TRANSPORT_TITLE = re.compile(
    r"\b(?:transport\w*|ports?|harbou?rs?|airports?|aviation|rail\w*|transit|roads?"
    r"|highways?|expressways?|freeways?|motorways?|freight|shipping|logistics|metro"
    r"|subway|bus\w*|trams?|ferr\w+|air|sea|water)\b",
    re.IGNORECASE,
)


# Ferries count as sea: in a logistics brief they are port traffic (ro-ro, car ferries),
# and city water buses are rare in these articles. Light rail and commuter rail are
# transit, so "rail" inside those phrases is not (freight/intercity) rail.
_MODE_TERMS = {
    "air": r"airports?|airlines?|air cargo|air freight|flights?|aviation|air traffic"
    r"|airfields?|aircraft|airstrips?",
    "sea": r"ports?|seaports?|harbou?rs?|shipping|TEUs?|containers?|maritime|ferry|ferries"
    r"|docks?|wharf|wharves|cargo ships?|vessels?|barges?|shipyards?",
    "rail": r"railways?|railroads?|freight rail|rail yards?|(?<!light )(?<!commuter )rail"
    r"|Amtrak|intercity|high-speed rail|trains?|Shinkansen|TGV|Eurostar|Hauptbahnhof"
    r"|Deutsche Bahn|intermodal",
    "road": r"highways?|interstates?|motorways?|expressways?|freeways?|autobahns?|autobahnen"
    r"|ring roads?|beltways?|trucking|trucks?|lorry|lorries|toll roads?|road network"
    r"|turnpikes?",
    "transit": r"metro|subways?|trams?|tramways?|streetcars?|light rail|bus|buses"
    r"|commuter rail|U-Bahn|S-Bahn|rapid transit|public transport(?:ation)?|mass transit"
    r"|monorail|London Underground|the Tube|trolleybus(?:es)?",
}
_ECONOMY_TERMS = (
    r"cargo|freight|logistics|trade|exports?|imports?|GDP|econom(?:y|ic)|hubs?"
    r"|industr(?:y|ies|ial)|manufacturing|distribution|warehous\w*|tonnes|tons|passengers"
    r"|transport(?:ation)?|commerce|financial|busiest|largest"
)
MODES: dict[str, re.Pattern[str]] = {
    mode: re.compile(rf"\b(?:{terms})\b", re.IGNORECASE) for mode, terms in _MODE_TERMS.items()
}
# All terms in one pass (a sentence is scanned once, not six times); a match belongs to
# the first group that takes it, so "public transport" is transit before economy. Every
# term starts with a letter: the (?=[a-z]) lookahead rejects a word's *end* boundary
# before trying ~110 alternatives there, which makes the scan ~40% faster.
_VOCABULARY = re.compile(
    r"\b(?=[a-z])(?:"
    + "|".join(f"(?P<{m}>{t})" for m, t in [*_MODE_TERMS.items(), ("economy", _ECONOMY_TERMS)])
    + r")\b",
    re.IGNORECASE,
)

_REFERENCE = re.compile(r"\s*\[(?:\d+|[a-z]|citation needed|note \d+|nb \d+)\]", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_FINAL = re.compile(r"[.!?][\"'”’)]?$")
_NORMAL = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class _Sentence:
    index: int  # position in the article, for article order
    text: str
    section: Section
    headings: str  # the heading path down to the section
    lead_position: int | None  # 0-based position in the lead, None outside it
    transport: bool  # inside a section (or parent) whose title is about transport
    modes: dict[str, int]  # matched terms per mode
    economy: int  # matched logistics/economy vocabulary


def _label(section: Section) -> str:
    return section.title or LEAD


def _is_prose(sentence: str) -> bool:
    """Reject list debris: fragments, name/number lines, list intros ("They are:")."""
    if not 20 <= len(sentence) <= 600 or not _FINAL.search(sentence):
        return False
    if not (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in "\"'“("):
        return False
    words = _WORD.findall(sentence)
    lower = sum(1 for w in words if w[0].islower())
    return len(sentence.split()) >= 5 and lower >= 3 and lower >= len(words) // 4


def _relevant(sections: list[Section]) -> list[tuple[Section, str]]:
    """The lead and every section under a logistics-relevant heading, at any level,
    except below off-topic top-level sections (History, Sports, ...).

    Returns each with its heading path ("Infrastructure / Transportation / Airports").
    """
    chosen: list[tuple[Section, str]] = []
    parents: dict[int, str] = {}
    for section in sections:
        parents = {lvl: t for lvl, t in parents.items() if lvl < section.level}
        parents[section.level] = section.title
        headings = " / ".join(parents.values())
        if section.title == "" or (
            _RELEVANT_TITLE.search(headings) and not _OFF_TOPIC_TOP.search(section.top)
        ):
            chosen.append((section, headings))
    return chosen


def _sentences(relevant: list[tuple[Section, str]]) -> list[_Sentence]:
    out: list[_Sentence] = []
    seen: set[str] = set()
    for section, headings in relevant:
        transport = _TRANSPORT_TITLE.search(headings) is not None
        for position, text in enumerate(split_sentences(_REFERENCE.sub("", section.text))):
            key = _NORMAL.sub(" ", text.lower()).strip()
            if key in seen or not _is_prose(text):
                continue
            seen.add(key)
            lead = position if section.title == "" else None
            found = Counter(m.lastgroup for m in _VOCABULARY.finditer(text))
            modes = {mode: found[mode] for mode in MODES}
            out.append(
                _Sentence(
                    len(out), text, section, headings, lead, transport, modes, found["economy"]
                )
            )
    return out


def _summary(candidates: list[_Sentence], n: int) -> list[str]:
    """Extractive: lead position + logistics/economy vocabulary + length sanity.

    Picked greedily; each pick costs the rest of its section a point, so five airport
    sentences don't crowd out the port and the railways.
    """

    def score(s: _Sentence) -> float:
        value = 0.0
        if s.lead_position is not None:
            value += 5.0 if s.lead_position == 0 else 1.0 + 1.0 / s.lead_position
        value += min(s.economy + sum(s.modes.values()), 4) * 0.75
        if s.transport:
            value += 0.5
        words = len(s.text.split())
        if words < 10 or words > 50:
            value -= 1.0
        return value

    scores = {s.index: score(s) for s in candidates}
    picked: list[_Sentence] = []
    pool = list(candidates)
    while pool and len(picked) < n:
        best = min(pool, key=lambda s: (-scores[s.index], s.index))
        picked.append(best)
        pool.remove(best)
        for s in pool:
            if s.section is best.section:
                scores[s.index] -= 1.0
    return [s.text for s in sorted(picked, key=lambda s: s.index)]


def _evidence_rank(s: _Sentence, mode: str) -> tuple[bool, bool, float]:
    own = bool(MODES[mode].search(s.headings) or re.search(rf"\b{mode}\b", s.headings, re.I))
    return (not own, not s.transport, -s.modes[mode] / len(s.text.split()))


def _logistics(candidates: list[_Sentence], k: int) -> dict[str, list[dict[str, str]]]:
    """Per mode, rank sentences naming its terms, then output them in article order.

    Ranking: under a heading about this mode ("Airports" for air), then under any
    transport heading, then by matched-term density.
    """
    result: dict[str, list[dict[str, str]]] = {}
    for mode in MODES:
        ranked = sorted(
            (s for s in candidates if s.modes[mode]), key=partial(_evidence_rank, mode=mode)
        )
        chosen = sorted(ranked[:k], key=lambda s: s.index)
        result[mode] = [{"text": s.text, "section": _label(s.section)} for s in chosen]
    return result


def _sentiment_groups(relevant: list[tuple[Section, str]]) -> dict[str, str]:
    """The text of each top-level section group ("Lead" first), as it is scored."""
    groups: dict[str, list[str]] = defaultdict(list)
    for section, _ in relevant:
        if section.text:
            groups[section.top or LEAD].append(section.text)
    return {name: "\n".join(texts) for name, texts in groups.items()}


def _sentiment(relevant: list[tuple[Section, str]]) -> dict[str, Any]:
    """TextBlob's PatternAnalyzer over the analysed text and per top-level section.

    ``label``: polarity > 0.05 is "positive", < -0.05 "negative", else "neutral".
    Each section group is scored once with the function ``TextBlob(text).sentiment``
    calls (``textblob.en.sentiment``, loaded without NLTK by ``sentiment.score``); the
    overall figures are the mean over all its word assessments, i.e. what TextBlob gives
    for the joined text, at half the cost.
    """
    sections: dict[str, dict[str, float]] = {}
    total_p = total_s = 0.0
    assessed = 0
    for name, text in _sentiment_groups(relevant).items():
        polarity, subjectivity, count = sentiment_score(text)
        total_p, total_s, assessed = (
            total_p + polarity * count,
            total_s + subjectivity * count,
            assessed + count,
        )
        sections[name] = {"polarity": round(polarity, 4), "subjectivity": round(subjectivity, 4)}
    polarity = round(total_p / assessed, 4) if assessed else 0.0
    subjectivity = round(total_s / assessed, 4) if assessed else 0.0
    label = "positive" if polarity > 0.05 else "negative" if polarity < -0.05 else "neutral"
    return {
        "polarity": polarity,
        "subjectivity": subjectivity,
        "label": label,
        "sections": sections,
    }


STOPWORDS = frozenset(
    """
    a about above after again against all also although am among an and any are as at be
    became because become been before being below between both but by can could did do
    does doing down during each either else even ever every few for from further had has
    have having he her here hers herself him himself his how however i if in into is it
    its itself just least less many may me might more most much must my myself near
    neither no nor not now of off often on once one only onto or other others our ours
    ourselves out over own per rather same several she should since so some such than
    that the their theirs them themselves then there these they this those though
    through thus to too toward towards under until up upon us very via was we were what
    when where whether which while who whom whose why will with within without would yet
    you your yours including include includes included known called around along across
    well still since first second third new two three four five six seven eight nine ten
    million billion percent per cent year years time times part large largest major main
    number
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def _key_phrases(text: str, top: int = 10) -> list[str]:
    """RAKE-style: candidates are 1-4 word runs between stopwords/punctuation.

    Chosen over TextBlob's noun_phrases (needs NLTK corpora and trains a tagger) and
    YAKE (a heavy dependency): data-free, deterministic and ~ms per article. Words score
    degree/frequency, a phrase sums its words and is weighted by how often it recurs;
    phrases seen once only compete when too few recur, so one-off long runs can't win.
    Phrases with transport/economy vocabulary get a 1.5x boost: this is a logistics brief.
    """
    phrases: list[list[str]] = []
    for chunk in re.split(r"[^\w\s'’-]|\n|\s[-–]\s|\d+\w*", text):
        run: list[str] = []
        for token in _WORD.findall(chunk):
            possessive = token.lower().endswith(("'s", "’s"))
            word = token[:-2] if possessive else token
            if word.lower() in STOPWORDS or len(word) < 2:
                phrases.append(run)
                run = []
                continue
            run.append(word)
            if possessive:
                phrases.append(run)
                run = []
        phrases.append(run)
    phrases = [p for p in phrases if 1 <= len(p) <= 4]

    frequency: Counter[str] = Counter()
    degree: Counter[str] = Counter()
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for phrase in phrases:
        key = " ".join(phrase).lower()
        counts[key] += 1
        surfaces[key][" ".join(phrase)] += 1
        for word in phrase:
            frequency[word.lower()] += 1
            degree[word.lower()] += len(phrase)

    def score(key: str) -> float:
        words = key.split()
        value = sum(degree[w] / frequency[w] for w in words) * math.log2(1 + counts[key])
        return value * 1.5 if _VOCABULARY.search(key) else value

    recurring = [k for k, c in counts.items() if c >= 2]
    pool = recurring if len(recurring) >= top else list(counts)
    ranked = sorted(pool, key=lambda k: (-score(k), k))[:top]
    return [surfaces[k].most_common(1)[0][0] for k in ranked]


def analyse(extract: str, sentences: int = 5, evidence_per_mode: int = 3) -> dict[str, Any]:
    """The brief's text part of one article (``sentences`` is validated by the caller).

    Returns ``summary`` (up to ``sentences`` extractive sentences in article order, fewer
    if the article has fewer good ones), ``logistics`` (per mode air/sea/rail/road/transit
    up to ``evidence_per_mode`` ``{"text", "section"}`` items; the lead's section is
    "Lead"), ``sentiment`` (polarity, subjectivity, label, per top-level section) and
    ``key_phrases`` (up to 10), all computed from the analysed text only.
    """
    relevant = _relevant(split_sections(extract))
    candidates = _sentences(relevant)
    analysed = "\n".join(section.text for section, _ in relevant if section.text)
    return {
        "summary": _summary(candidates, sentences),
        "logistics": _logistics(candidates, evidence_per_mode),
        "sentiment": _sentiment(relevant),
        "key_phrases": _key_phrases(analysed),
    }
