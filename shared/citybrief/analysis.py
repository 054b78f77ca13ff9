"""The logistics brief's text analysis: summary, transport evidence, sentiment, phrases.

Everything works on the *analysed text*: the lead plus the logistics-relevant sections
(``Language.relevant_title``), with their sub-sections. History, culture or sports prose
says little about logistics and would dilute every signal here. Headings, vocabularies,
sentence rules and stopwords come from the article's language profile (``languages``);
an edition without one gets only what needs no language knowledge, and ``limits`` says
what is missing. No I/O; a sentiment lexicon is loaded only when first used.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any

from .languages import ENGLISH, MODE_NAMES, Language, for_code
from .sentiment import score as sentiment_score
from .text import Section, split_sections, split_sentences

LEAD = "Lead"

_REFERENCE = re.compile(r"\s*\[(?:\d+|[a-z]|citation needed|note \d+|nb \d+)\]", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ELISION = re.compile(r"([^\W\d_]+)['’](.+)")
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


def _relevant(sections: list[Section], language: Language) -> list[tuple[Section, str]]:
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
            language.relevant_title.search(headings)
            and not language.off_topic_top.search(section.top)
        ):
            chosen.append((section, headings))
    return chosen


def _split(text: str, language: Language) -> list[str]:
    return split_sentences(
        _REFERENCE.sub("", text),
        language.abbreviations,
        language.sentence_starters,
        ordinals=language.ordinals,
    )


def _sentences(relevant: list[tuple[Section, str]], language: Language) -> list[_Sentence]:
    out: list[_Sentence] = []
    seen: set[str] = set()
    for section, headings in relevant:
        transport = language.transport_title.search(headings) is not None
        for position, text in enumerate(_split(section.text, language)):
            key = _NORMAL.sub(" ", text.lower()).strip()
            if key in seen or not _is_prose(text):
                continue
            seen.add(key)
            lead = position if section.title == "" else None
            found = Counter(m.lastgroup for m in language.vocabulary.finditer(text))
            modes = {mode: found[mode] for mode in MODE_NAMES}
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


def _evidence_rank(s: _Sentence, mode: str, language: Language) -> tuple[bool, bool, float]:
    own = bool(
        language.modes[mode].search(s.headings) or re.search(rf"\b{mode}\b", s.headings, re.I)
    )
    return (not own, not s.transport, -s.modes[mode] / len(s.text.split()))


def _logistics(
    candidates: list[_Sentence], k: int, language: Language
) -> dict[str, list[dict[str, str]]]:
    """Per mode, rank sentences naming its terms, then output them in article order.

    Ranking: under a heading about this mode ("Airports" for air), then under any
    transport heading, then by matched-term density.
    """
    result: dict[str, list[dict[str, str]]] = {}
    for mode in MODE_NAMES:
        ranked = sorted(
            (s for s in candidates if s.modes[mode]),
            key=partial(_evidence_rank, mode=mode, language=language),
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


def _sentiment(relevant: list[tuple[Section, str]], language: Language) -> dict[str, Any] | None:
    """TextBlob's PatternAnalyzer over the analysed text and per top-level section.

    ``label``: polarity > 0.05 is "positive", < -0.05 "negative", else "neutral".
    Each section group is scored once with the function ``TextBlob(text).sentiment``
    calls (``textblob.en.sentiment``, loaded without NLTK by ``sentiment.score``; French
    by ``sentiment_lang``); the overall figures are the mean over all its word assessments,
    i.e. what TextBlob gives for the joined text, at half the cost. None for a language
    without a lexicon.
    """
    sections: dict[str, dict[str, float]] = {}
    total_p = total_s = 0.0
    assessed = 0
    if language.sentiment is None:
        return None  # no kept lexicon: an English lexicon would call any other text neutral
    score = sentiment_score
    if language is not ENGLISH:
        from .sentiment_lang import score as score_in

        score = partial(score_in, code=language.code)
    for name, text in _sentiment_groups(relevant).items():
        polarity, subjectivity, count = score(text)
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


def _key_phrases(text: str, language: Language, top: int = 10) -> list[str]:
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
        for found in _WORD.findall(chunk):
            token = found
            elided = _ELISION.fullmatch(found)  # "l'aéroport", "d'un": the article is a stopword
            if elided and elided[1].lower() in language.stopwords:
                phrases.append(run)
                run = []
                token = elided[2]
            possessive = token.lower().endswith(("'s", "’s"))
            word = token[:-2] if possessive else token
            if word.lower() in language.stopwords or len(word) < 2:
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
        return value * 1.5 if language.vocabulary.search(key) else value

    recurring = [k for k, c in counts.items() if c >= 2]
    pool = recurring if len(recurring) >= top else list(counts)
    ranked = sorted(pool, key=lambda k: (-score(k), k))[:top]
    return [surfaces[k].most_common(1)[0][0] for k in ranked]


# What an edition without a language profile does not get, and why.
_UNPROFILED_LIMITS = (
    (
        "summary",
        "The first sentences of the lead, in order: no transport or economy vocabulary for "
        "this language ranks them, and sentences are split without its abbreviations.",
    ),
    ("logistics", "Empty: no transport vocabulary or section headings for this language."),
    ("sentiment", "Null: no sentiment lexicon for this language."),
    ("key_phrases", "Empty: no stopword list for this language."),
)
_FACTS_LIMIT = (
    "facts.population",
    "Read from English infobox labels and English prose only, so usually null here.",
)


def _limits(language: Language | None) -> list[dict[str, str]]:
    """What this brief's language leaves out (nothing, in English)."""
    if language is ENGLISH:
        return []
    found = list(_UNPROFILED_LIMITS) if language is None else []
    if language is not None and language.sentiment_reason is not None:
        found.append(("sentiment", f"Null: {language.sentiment_reason}"))
    found.append(_FACTS_LIMIT)
    return [{"field": field, "reason": reason} for field, reason in found]


def _lead_only(extract: str, sentences: int) -> list[str]:
    """The first prose sentences of the lead, split on [.?!] with no word lists."""
    lead = split_sections(extract)[0].text
    split = split_sentences(_REFERENCE.sub("", lead), frozenset(), frozenset())
    return [s for s in split if _is_prose(s)][:sentences]


def analyse(
    extract: str, sentences: int = 5, evidence_per_mode: int = 3, lang: str = "en"
) -> dict[str, Any]:
    """The brief's text part of one article (``sentences`` is validated by the caller).

    Returns ``summary`` (up to ``sentences`` extractive sentences in article order, fewer
    if the article has fewer good ones), ``logistics`` (per mode air/sea/rail/road/transit
    up to ``evidence_per_mode`` ``{"text", "section"}`` items; the lead's section is
    "Lead"), ``sentiment`` (polarity, subjectivity, label, per top-level section; None
    without a lexicon for ``lang``), ``key_phrases`` (up to 10), all computed from the
    analysed text only, and ``analysis``: the language profile used (None when ``lang``
    has none) and the ``limits`` that follow from it.
    """
    language = for_code(lang)
    analysis = {"language": language.code if language else None, "limits": _limits(language)}
    if language is None:
        return {
            "summary": _lead_only(extract, sentences),
            "logistics": {mode: [] for mode in MODE_NAMES},
            "sentiment": None,
            "key_phrases": [],
            "analysis": analysis,
        }
    relevant = _relevant(split_sections(extract), language)
    candidates = _sentences(relevant, language)
    analysed = "\n".join(section.text for section, _ in relevant if section.text)
    return {
        "summary": _summary(candidates, sentences),
        "logistics": _logistics(candidates, evidence_per_mode, language),
        "sentiment": _sentiment(relevant, language),
        "key_phrases": _key_phrases(analysed, language),
        "analysis": analysis,
    }
