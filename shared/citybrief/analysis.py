"""The logistics brief's text analysis: summary, transport evidence, sentiment, phrases.

Everything works on the *analysed text*: the lead plus the transport and economy sections
(see ``Language.transport_title``, ``economy_title``), cleaned of non-prose by
``text.clean_prose``. Climate, geography, history or culture prose says little about
logistics and is where most wrong-mode words live ("maritime climate", "metro area").
The rules are vocabularies, headings and sentence shapes, measured on the labelled set
in ``tests/quality`` (``make quality``); every word of them is the article's language's
(``languages``). An edition without a profile gets only what needs no language
knowledge, and ``analysis.limits`` says what is missing. No I/O; a sentiment lexicon is
loaded only when sentiment is first computed in its language.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from .languages import MODE_NAMES, Language, for_code
from .sentiment import score as sentiment_score
from .text import Section, clean_prose, split_sections, split_sentences

LEAD = "Lead"

_WORD = re.compile(r"[^\W\d_]+(?:['’–-][^\W\d_]+)*")
_FINAL = re.compile(r"[.!?][\"'”’)]?$")
_NORMAL = re.compile(r"[\W_]+")
_ELIDED = re.compile(r"([^\W\d_]+)['’](.+)")


@dataclass
class _Sentence:
    index: int  # position in the article, for article order
    text: str  # the sentence, preceded by its antecedent when it leans on one
    own: str  # the sentence alone
    section: Section
    headings: str  # the heading path down to the section
    lead_position: int | None  # 0-based position in the lead, None outside it
    kind: str  # "lead", "transport" or "economy"
    heading_modes: frozenset[str]  # modes the nearest mode-naming heading names
    modes: dict[str, float] = field(default_factory=dict)  # mode -> informativeness
    economy: int = 0
    demerit: float = 0.0  # history, plans and trivia, as the summary weighs them
    chain: tuple[str, ...] = ()  # the sentences of ``text``: antecedents, then ``own``
    words: frozenset[str] = frozenset()  # content words of ``own``, to spot repeats


def _label(section: Section) -> str:
    return section.title or LEAD


def _is_prose(sentence: str) -> bool:
    """Reject list debris: fragments, name/number lines, list intros ("They are:")."""
    if not 20 <= len(sentence) <= 600 or not _FINAL.search(sentence):
        return False
    if not (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in "\"'“"):
        return False
    if sentence.count("(") != sentence.count(")"):
        return False
    words = _WORD.findall(sentence)
    lower = sum(1 for w in words if w[0].islower())
    return len(sentence.split()) >= 5 and lower >= 3 and lower >= len(words) // 4


def _relevant(sections: list[Section], language: Language) -> list[tuple[Section, str, str]]:
    """The lead and every transport or economy section, with heading path and kind.

    A section counts by the titles on its path ("Economy / Port" is transport), unless
    any title on the path is off-topic (History, Climate, Geography, Culture...).
    """
    chosen: list[tuple[Section, str, str]] = []
    parents: dict[int, str] = {}
    for section in sections:
        parents = {lvl: t for lvl, t in parents.items() if lvl < section.level}
        parents[section.level] = section.title
        headings = " / ".join(t for t in parents.values() if t)
        if section.title == "":
            chosen.append((section, headings, "lead"))
        elif language.off_topic_title.search(headings):
            continue
        elif language.transport_title.search(headings):
            chosen.append((section, headings, "transport"))
        elif language.economy_title.search(headings):
            chosen.append((section, headings, "economy"))
    return chosen


def _heading_modes(headings: str, language: Language) -> frozenset[str]:
    """The modes named by the most specific heading on the path that names any."""
    for title in reversed(headings.split(" / ")):
        found = frozenset(m for m, p in language.mode_titles.items() if p.search(title))
        if found:
            return found
    return frozenset()


def _mask(text: str, language: Language) -> str:
    """The text with every phrase whose mode word does not mean that mode blanked."""
    for mask in language.masks:
        text = mask.sub(" ", text)
    return text


def _subject_mode(masked: str, language: Language) -> str | None:
    """The mode of the first term in the (masked) sentence's subject, if it names one.

    The subject runs from after an opening phrase ("Situated 10 miles south, ...") up to
    the first verb; when it is one mode's facility the sentence is about that mode.
    """
    opener = language.opener.match(masked)
    body = masked[opener.end() if opener else 0 :]
    verb = language.verb.search(body)
    subject = body[: verb.start()] if verb else body
    found = language.strong.search(subject.lower())
    return found.lastgroup if found else None


def _counts(masked: str, pattern: re.Pattern[str]) -> Counter[str]:
    """Matches per mode of a one-pass pattern whose groups are named by mode."""
    return Counter(m.lastgroup for m in pattern.finditer(masked) if m.lastgroup)


def _mode_scores(s: _Sentence, language: Language) -> dict[str, float]:
    """Informativeness of the sentence as evidence for each mode it is about.

    Terms are counted in the sentence itself; a leaning sentence ("It handles 30 million
    passengers") also takes its antecedent's subject: its mode and named facility.
    """
    masked = _mask(s.own, language)
    lower, masked_lower = s.own.lower(), masked.lower()
    strong = _counts(masked_lower, language.strong)
    weak = Counter({m: len(p.findall(masked_lower)) for m, p in language.weak.items()})
    named = _counts(masked, language.facilities)
    if not (strong["transit"] or strong["rail"] or language.line.search(lower)):
        strong["road"] += len(language.numbered_road.findall(s.own))
    if not (any(strong.values()) or any(weak.values())):
        return {}  # about no mode: nothing below can make it one
    context = s.text[: len(s.text) - len(s.own)]
    if context:
        masked_context = _mask(context, language)
        before = _counts(masked_context.lower(), language.strong)
        before_named = _counts(masked_context, language.facilities)
        for mode in MODE_NAMES:
            if before[mode] and (strong[mode] or weak[mode]):
                strong[mode] += 1
                named[mode] += min(before_named[mode], 1)
    history = len(language.history.findall(lower)) + len(language.past.findall(s.own))
    history += 2 * bool(
        language.past_tense.search(s.text) and not language.present_tense.search(s.text)
    )
    ranks, volumes = len(language.rank.findall(lower)), len(language.volume.findall(lower))
    informative = bool(ranks or volumes) or s.kind == "lead"
    # What does not depend on the mode: cues of rank and volume, history, plans, trivia.
    common = 1.25 * min(ranks, 2) + 0.5 * min(volumes, 3) - 2.5 * min(history, 3)
    demerits = (language.secondary, language.planned, language.trivia)
    common -= 1.5 * sum(bool(p.search(lower)) for p in demerits)
    common += 1.0 if s.kind == "lead" else 0.0
    others_named = {m for m in MODE_NAMES if named[m]}
    subject = _subject_mode(masked, language)
    others_strong = {m for m in MODE_NAMES if strong[m]}
    scores: dict[str, float] = {}
    for mode in MODE_NAMES:
        under_own = mode in s.heading_modes
        if subject not in (None, mode) and not under_own:
            continue  # "the airport covers the land inside Interstate 75..." is about air
        if strong[mode]:
            # Under another mode's heading a passing mention is not this mode's evidence.
            if s.heading_modes and not under_own and strong[mode] + named[mode] < 2:
                continue
        elif not (under_own and weak[mode] and not (others_strong | others_named) - {mode}):
            continue  # a weak word counts only under its heading, and alone there
        if not (informative or named[mode]):
            continue  # names no facility, rank or volume: "Pink buses are for women only."
        value = common + min(strong[mode], 3) + 0.5 * min(weak[mode], 2)
        value += 1.5 * min(named[mode], 1)
        value += 1.5 if under_own else 0.5 if s.kind == "transport" else 0.0
        if s.kind == "economy" and not named[mode] and strong[mode] < 2:
            value -= 1.5  # an economy sentence is mode evidence only when it says so plainly
        scores[mode] = value
    return scores


def _split(text: str, language: Language) -> list[str]:
    """Sentences by the language's abbreviations, sentence starters and ordinals."""
    return split_sentences(
        text, language.abbreviations, language.sentence_starters, ordinals=language.ordinals
    )


def _sentences(
    relevant: list[tuple[Section, str, str]],
    language: Language,
    title_words: frozenset[str] = frozenset(),
) -> list[_Sentence]:
    """Candidate sentences, each carrying its antecedent when its subject leans on it.

    The antecedent is the section's previous sentence (with its own antecedent, up to
    three sentences in all); a leaning sentence with none is dropped.
    """
    out: list[_Sentence] = []
    seen: set[str] = set()
    for section, headings, kind in relevant:
        heading_modes = _heading_modes(headings, language)
        previous: list[str] = []
        prose = clean_prose(section.text, language.foreign_name)
        for position, text in enumerate(_split(prose, language)):
            if not _is_prose(text):
                previous = []
                continue
            leans = language.dangling.match(text) is not None
            chain = [*previous, text] if leans else [text]
            previous = chain if len(chain) < 3 else []
            key = _NORMAL.sub(" ", text.lower()).strip()
            if key in seen or (len(chain) == 1 and leans):
                continue
            seen.add(key)
            lead = position if kind == "lead" else None
            s = _Sentence(
                len(out), " ".join(chain), text, section, headings, lead, kind, heading_modes
            )
            s.modes = _mode_scores(s, language)
            lower = text.lower()
            s.economy = len(language.economy.findall(lower))
            s.demerit = 1.5 * min(len(language.history.findall(lower)), 2)
            s.demerit += 1.5 * sum(
                bool(p.search(lower)) for p in (language.planned, language.trivia)
            )
            s.chain = tuple(chain)
            s.words = frozenset(_content(text, language) - title_words)
            out.append(s)
    return out


_MIN_EVIDENCE = 3.0  # informativeness below which a mention is not worth a planner's time


def _logistics(candidates: list[_Sentence], k: int) -> dict[str, list[dict[str, str]]]:
    """Per mode, the ``k`` most informative sentences about it, in article order."""
    result: dict[str, list[dict[str, str]]] = {}
    for mode in MODE_NAMES:
        ranked = sorted(
            (s for s in candidates if s.modes.get(mode, -1.0) >= _MIN_EVIDENCE),
            key=lambda s: (-s.modes[mode], s.index),
        )
        chosen: list[_Sentence] = []
        for s in ranked:
            if len(chosen) == k:
                break
            if not any(_overlaps(s, c) for c in chosen):
                chosen.append(s)
        result[mode] = [
            {"text": s.text, "section": _label(s.section)}
            for s in sorted(chosen, key=lambda s: s.index)
        ]
    return result


def _content(text: str, language: Language) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in language.stopwords}


def _overlaps(a: _Sentence, b: _Sentence) -> bool:
    """The same fact twice: shared text, or most content words in common (the city's own
    name is no content: every sentence may name it)."""
    if a.own in b.text or b.own in a.text:
        return True
    shared = len(a.words & b.words)
    return shared >= 3 and shared / min(len(a.words), len(b.words)) > 0.6


def _summary(candidates: list[_Sentence], n: int) -> list[str]:
    """Extractive: the lead's definition, then the most informative logistics facts.

    Picked greedily by score; a pick costs the rest of its section a point, a mode
    already covered costs more, and sentences that repeat a pick are skipped, so five
    airport sentences don't crowd out the port.
    """

    def score(s: _Sentence) -> float:
        value = 0.0
        if s.lead_position is not None:
            value += 6.0 if s.lead_position == 0 else 1.0 + 1.0 / s.lead_position
        value += max([v for v in s.modes.values()] + [0.0]) * 0.6
        value += min(s.economy, 3) * 0.5 - s.demerit
        words = len(s.own.split())
        if words < 5 or words > 55:
            value -= 1.0
        return value

    def topic(s: _Sentence) -> str | None:
        best = max(s.modes.items(), key=lambda kv: kv[1], default=None)
        return best[0] if best and best[1] >= _MIN_EVIDENCE else None

    scores = {s.index: score(s) for s in candidates}
    covered: Counter[str | None] = Counter()
    picked: list[_Sentence] = []
    pool = list(candidates)

    def size(units: list[_Sentence]) -> int:
        return sum(len(u.chain) for u in units)

    while pool and size(picked) < n:
        # A mode already in the summary costs 3 points a sentence: one fact per mode first.
        best = min(
            pool,
            key=lambda s: (
                -(scores[s.index] - 3.0 * covered[topic(s)] * (topic(s) is not None)),
                s.index,
            ),
        )
        pool.remove(best)
        # A sentence that leans on a pick comes with it: it replaces the lone antecedent.
        extended = [p for p in picked if best.text.startswith(p.text + " ")]
        kept = [p for p in picked if p not in extended]
        if any(_overlaps(best, p) for p in kept) or size([*kept, best]) > n:
            continue
        picked = [p for p in picked if p not in extended]
        picked.append(best)
        covered[topic(best)] += 1
        for s in pool:
            if s.section is best.section:
                scores[s.index] -= 1.0
    return [part for s in sorted(picked, key=lambda s: s.index) for part in s.chain]


# Tone: the band of polarity that encyclopaedic prose occupies, calibrated on the
# labelled set (tests/quality: every article there is labelled neutral; its polarities
# lie in 0.05-0.12 once names and non-prose are masked). Only prose clearly outside that
# band is called positive or negative; see README "Sentiment".
POSITIVE_ABOVE = 0.15
NEGATIVE_BELOW = -0.05
_NON_PROSE = re.compile(
    r"[\[\](){}]|\d+°[^A-Za-z]*[NS][^A-Za-z]*\d+°[^A-Za-z]*[EW]|[:;=][-^']?[DPp/\\|]\B"
)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’-]*")


def _prose_for_tone(text: str, language: Language) -> str:
    """The text as sentiment should read it: no brackets, coordinates or emoticon shapes,
    and no proper names ("Fort Worth", "Nice", "Base" carry no tone).

    A word capitalised mid-sentence is a name; a sentence's first word is one too when
    it appears capitalised mid-sentence elsewhere in the text.
    """
    text = _NON_PROSE.sub(" ", text)
    names = {m.group() for m in _CAPITALISED.finditer(text)}
    out = []
    for sentence in _split(text, language):
        words = sentence.split(" ")
        masked = [
            "_" if (i and w[:1].isupper()) or (not i and w.strip(",;:") in names) else w
            for i, w in enumerate(words)
        ]
        out.append(" ".join(masked))
    return "\n".join(out)


def _sentiment_groups(
    relevant: list[tuple[Section, str, str]], language: Language
) -> dict[str, str]:
    """The text of each top-level section group ("Lead" first), as it is scored."""
    groups: dict[str, list[str]] = defaultdict(list)
    for section, _, _ in relevant:
        if section.text:
            prose = clean_prose(section.text, language.foreign_name)
            groups[section.top or LEAD].append(_prose_for_tone(prose, language))
    return {name: "\n".join(texts) for name, texts in groups.items()}


def tone_label(polarity: float) -> str:
    """ "positive"/"negative" only outside the band encyclopaedic prose occupies."""
    if polarity > POSITIVE_ABOVE:
        return "positive"
    return "negative" if polarity < NEGATIVE_BELOW else "neutral"


def _sentiment(
    relevant: list[tuple[Section, str, str]], language: Language
) -> dict[str, Any] | None:
    """TextBlob's PatternAnalyzer over the analysed prose and per top-level section.

    Each section group is scored once with the function ``TextBlob(text).sentiment``
    calls (loaded without NLTK by ``sentiment.score``; French by ``sentiment_lang``); the
    overall figures are the mean over all its word assessments, i.e. what TextBlob gives
    for the joined text. None for a language without a kept lexicon: an English lexicon
    would call any other text neutral.
    """
    if language.sentiment is None:
        return None
    score = sentiment_score
    if language.code != "en":
        from .sentiment_lang import score as score_in

        score = partial(score_in, code=language.code)
    sections: dict[str, dict[str, float]] = {}
    total_p = total_s = 0.0
    assessed = 0
    for name, text in _sentiment_groups(relevant, language).items():
        polarity, subjectivity, count = score(text)
        total_p, total_s, assessed = (
            total_p + polarity * count,
            total_s + subjectivity * count,
            assessed + count,
        )
        sections[name] = {"polarity": round(polarity, 4), "subjectivity": round(subjectivity, 4)}
    polarity = round(total_p / assessed, 4) if assessed else 0.0
    subjectivity = round(total_s / assessed, 4) if assessed else 0.0
    return {
        "polarity": polarity,
        "subjectivity": subjectivity,
        "label": tone_label(polarity),
        "sections": sections,
    }


_TOKEN = re.compile(r"[^\W_][\w'’.&–-]*|[^\w\s]")


def _name_tokens(sentence: str) -> list[str]:
    """Words with inner dots, dashes and apostrophes kept ("U.S.", "Hartsfield–Jackson");
    punctuation a token of its own; a final period dropped unless the word is dotted."""
    tokens = []
    for raw in _TOKEN.findall(sentence.replace("’", "'")):
        token = raw.rstrip("'")
        if token.endswith(".") and token.count(".") == 1 and len(token) > 2:
            token = token[:-1]
        tokens.append(token)
    return tokens


def _elided(token: str, language: Language) -> str | None:
    """The word after an elided article ("d'Austerlitz": "Austerlitz"), if the token has one."""
    if not language.elisions:
        return None
    found = _ELIDED.fullmatch(token)
    return found[2] if found and found[1].lower() in language.elisions else None


def _capital(token: str, language: Language) -> bool:
    """Capitalised, or a capitalised word behind an elided article ("l'Atlantique")."""
    rest = token if token[:1].isupper() else _elided(token, language)
    return rest is not None and rest[:1].isupper()


def _names(sentence: str, language: Language) -> list[str]:
    """Runs of capitalised words (joined by "of", "de"... and numbers), a name each.

    The sentence's first word starts a name only when the next word is capitalised too
    ("New York City is..."), so "Several ports" is no name. Where nouns come first, a
    logistics noun before a name opens it ("gare de Lyon", "puerto de Valencia").
    """
    tokens = _name_tokens(sentence)
    joiners, elisions = language.name_joiners, language.elisions
    names: list[str] = []
    run: list[str] = []
    at_start = True  # whether the current run began the sentence

    def flush() -> None:
        while run and run[-1].lower() in joiners:
            run.pop()
        while run and (
            run[0].lower() in joiners or (at_start and run[0].lower() in language.stopwords)
        ):
            run.pop(0)
        if run:
            if elisions:
                run[0] = _elided(run[0], language) or run[0]
            names.append(" ".join(run))
        run.clear()

    for i, token in enumerate(tokens):
        word = token[:-2] if token.endswith("'s") else token
        possessive = word is not token
        if elisions:
            rest = _elided(word, language)
            if rest is not None and not rest[:1].isupper():
                word = rest  # "L'aéroport de Nice": the article is no part of the name
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        capital = word[:1].isupper() or (bool(elisions) and _capital(word, language))
        if i == 0 and capital and not following[:1].isupper():
            continue
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        opens_name = (
            word.isdigit()
            and following in language.number_joiners
            and after != ""
            and after[:1].isupper()
        )
        opens_name = opens_name or (
            language.ordinal.fullmatch(word) is not None and following[:1].isupper()
        )
        opens_name = opens_name or (
            language.head_first
            and not run
            and language.logistics_noun.fullmatch(word.lower()) is not None
            and (
                _capital(following, language)
                or (following in joiners and after != "" and _capital(after, language))
            )
        )
        if capital or opens_name or (run and (word in joiners or word.isdigit())):
            if not run:
                at_start = i == 0
            run.append(word)
            if len(run) > 6:
                run.clear()
        else:
            flush()
        if possessive:
            flush()
    flush()
    return names


def _phrase_words(chunk: str, language: Language) -> list[str]:
    """The words of a chunk; an elided article ends a run ("" marks the break)."""
    if not language.elisions:
        return _WORD.findall(chunk)
    words: list[str] = []
    for word in _WORD.findall(chunk):
        rest = _elided(word, language)
        words.extend(["", rest] if rest else [word])
    return words


def _noun_phrases(sentence: str, language: Language) -> list[str]:
    """Lower-case runs of 2-3 words headed by a logistics noun: its last word in English
    ("container terminal"), its first in French or Spanish ("gare routière")."""
    out: list[str] = []
    for chunk in re.split(r"[^\w\s'-]|\d+\w*", sentence):
        run: list[str] = []
        for word in [*_phrase_words(chunk, language), ""]:
            if (
                word
                and word[0].islower()
                and word not in language.stopwords
                and not word.endswith(language.adverb_endings)
            ):
                run.append(word)
                continue
            for size in (3, 2):
                if len(run) < size:
                    continue
                phrase = run[:size] if language.head_first else run[-size:]
                head, modifiers = (
                    (phrase[0], phrase[1:]) if language.head_first else (phrase[-1], phrase[:-1])
                )
                if language.logistics_noun.fullmatch(head.lower()) and not any(
                    w in language.generic or w.endswith(language.participle_endings)
                    for w in modifiers
                ):
                    out.append(" ".join(phrase))
                    break
            run = []
    return out


def _key_phrases(
    candidates: list[_Sentence], title_words: frozenset[str], language: Language, top: int = 10
) -> list[str]:
    """Names and logistics noun phrases of the analysed text, by salience.

    Chosen over TextBlob's noun_phrases (needs NLTK corpora and trains a tagger): a name
    is a run of capitalised words, a noun phrase a lower-case run headed by a logistics
    noun; fragments, generic words and the city's own name alone are never phrases.
    Names come first, by frequency with a bonus for longer names and logistics nouns;
    noun phrases only fill what names leave, when seen twice; a name inside a longer
    name seen as often counts for the longer one.
    """
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    lower: set[str] = set()
    plain = language.generic | language.name_joiners
    logistics_noun = language.logistics_noun
    for s in candidates:
        phrases = _noun_phrases(s.own, language)
        lower.update(p.lower() for p in phrases)
        for phrase in [*_names(s.own, language), *phrases]:
            words = phrase.lower().split()
            if (
                language.not_logistics.search(phrase.lower())
                or set(words) <= plain | title_words
                or all(w in plain or logistics_noun.fullmatch(w) for w in words)
            ):
                continue
            key = phrase.lower().replace("–", "-")
            counts[key] += 1
            surfaces[key][phrase] += 1

    def score(key: str) -> tuple[bool, float]:
        words = key.split()
        value = math.log2(1 + counts[key]) * (1 + 0.25 * min(len(words) - 1, 3))
        return key in lower, value * 2.5 if logistics_noun.search(key) else value

    ranked = sorted(counts, key=lambda k: (score(k)[0], -score(k)[1], k))
    chosen: list[str] = []
    for key in ranked:
        if len(chosen) == top:
            break
        if len(key.split()) < 2 or (key in lower and counts[key] < 2):
            continue  # a lone word is a country, a demonym or a fragment more often than not
        if any(f" {key} " in f" {c} " and counts[c] >= counts[key] for c in chosen):
            continue
        chosen.append(key)
    return [surfaces[k].most_common(1)[0][0] for k in chosen]


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
    if language is not None and language.code == "en":
        return []
    found = list(_UNPROFILED_LIMITS) if language is None else []
    if language is not None and language.sentiment_reason is not None:
        found.append(("sentiment", f"Null: {language.sentiment_reason}"))
    found.append(_FACTS_LIMIT)
    return [{"field": name, "reason": reason} for name, reason in found]


def _lead_only(extract: str, sentences: int) -> list[str]:
    """The first prose sentences of the lead, split on [.?!] with no word lists."""
    lead = clean_prose(split_sections(extract)[0].text, None)
    split = split_sentences(lead, frozenset(), frozenset())
    return [s for s in split if _is_prose(s)][:sentences]


def analyse(
    extract: str,
    sentences: int = 5,
    evidence_per_mode: int = 3,
    title: str = "",
    lang: str = "en",
) -> dict[str, Any]:
    """The brief's text part of one article (``sentences`` is validated by the caller).

    Returns ``summary`` (up to ``sentences`` extractive sentences in article order, fewer
    if the article has fewer good ones; a sentence that leans on the one before comes
    with it), ``logistics`` (per mode air/sea/rail/road/transit up to
    ``evidence_per_mode`` ``{"text", "section"}`` items informative enough to act on; the
    lead's section is "Lead"), ``sentiment`` (polarity, subjectivity, label, per
    top-level section; None without a lexicon for ``lang``) and ``key_phrases`` (up to
    10), all from the analysed text only, and ``analysis``: the language profile used
    (None when ``lang`` has none) and the ``limits`` that follow from it.
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
    title_words = frozenset(w.lower() for w in _WORD.findall(title))
    candidates = _sentences(relevant, language, title_words)
    return {
        "summary": _summary(candidates, sentences),
        "logistics": _logistics(candidates, evidence_per_mode),
        "sentiment": _sentiment(relevant, language),
        "key_phrases": _key_phrases(candidates, title_words, language),
        "analysis": analysis,
    }


def prepare(lang: str = "en") -> None:
    """Build what a first analysis in ``lang`` needs (its compiled vocabularies and its
    sentiment lexicon), so that a caller can do it while Wikipedia answers."""
    analyse("Prepared is a city. Its port is good.", sentences=1, lang=lang)
