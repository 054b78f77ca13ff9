"""The logistics brief's text analysis: summary, transport evidence, sentiment, phrases.

Everything works on the *analysed text*: the lead plus the transport and economy sections
(see ``_TRANSPORT_TITLE``, ``_ECONOMY_TITLE``), cleaned of non-prose by
``text.clean_prose``. Climate, geography, history or culture prose says little about
logistics and is where most wrong-mode words live ("maritime climate", "metro area").
No I/O; TextBlob's sentiment lexicon is loaded only when sentiment is first computed.
The rules are vocabularies, headings and sentence shapes, measured on the labelled set
in ``tests/quality`` (``make quality``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .sentiment import score as sentiment_score
from .text import Section, clean_prose, split_sections, split_sentences

LEAD = "Lead"
MODE_NAMES = ("air", "sea", "rail", "road", "transit")

_TRANSPORT_TITLE = re.compile(
    r"\b(?:transport\w*|ports?|harbou?rs?|airports?|aviation|air travel|rail\w*|transit"
    r"|roads?|highways?|expressways?|freeways?|motorways?|freight|shipping|logistics"
    r"|metro|subway|underground|bus\w*|trams?|tramways?|ferr\w+|waterways?|trains?"
    r"|cycling|bicycles?|taxis?|mobility|traffic|commut\w*)\b",
    re.IGNORECASE,
)
_ECONOMY_TITLE = re.compile(
    r"\b(?:econom\w*|industr\w*|trade|commerce|business\w*|finance|financial|companies"
    r"|manufacturing|infrastructure)\b",
    re.IGNORECASE,
)
# A heading path through any of these is never mined, whatever its sub-heading says.
_OFF_TOPIC_TITLE = re.compile(
    r"\b(?:histor\w*|sports?|cultur\w*|notable|see also|references|climate|geography"
    r"|demograph\w*|educat\w*|architecture|cityscape|parks?|religio\w*|cuisine|arts?"
    r"|media|tourism|government|politic\w*|crime|neighbo\w+|districts?|etymology"
    r"|twin|sister|further reading|external links|environment\w*|utilities"
    r"|air quality|pollution|water supply)\b",
    re.IGNORECASE,
)
# Headings that name one mode: evidence under them belongs to that mode first.
_MODE_TITLE = {
    "air": re.compile(r"\b(?:air|airports?|aviation|air transport|air travel|flights?)\b", re.I),
    "sea": re.compile(
        r"\b(?:ports?|seaports?|harbou?rs?|shipping|maritime|ferr\w+|water(?:ways?)?|sea"
        r"|rivers?|canals?)\b",
        re.I,
    ),
    "rail": re.compile(r"\b(?:rail\w*|trains?|intercity|stations?)\b", re.I),
    "road": re.compile(
        r"\b(?:roads?|highways?|expressways?|freeways?|motorways?|car|cars|autobahn\w*"
        r"|driving|streets?|bridges?|tunnels?)\b",
        re.I,
    ),
    "transit": re.compile(
        r"\b(?:transit|metro|subway|underground|bus\w*|trams?|tramways?|streetcars?"
        r"|light rail|public transport\w*|monorail|trolleybus\w*|commuter)\b",
        re.I,
    ),
}


def _lowered(pattern: str) -> str:
    """A word-list pattern for *lower-cased* text: matching it is three times faster than
    re.IGNORECASE on the same list. Callers pass ``text.lower()``."""
    if re.search(r"\\[WSDB]", pattern):
        raise ValueError("upper-case escapes do not survive lower-casing")
    return pattern.lower()


def _vocabulary(pattern: str) -> re.Pattern[str]:
    return re.compile(_lowered(pattern))


# Phrases whose mode word does not mean that mode: masked out before any term is counted.
_NOT_A_MODE = (
    r"\b(?:maritime|oceanic|continental|mediterranean|humid|monsoon\w*) climate"
    r"|\b(?:sea|water) (?:levels?|temperatures?|breezes?|views?)|\babove sea\b"
    r"|\bair (?:quality|pollution|pollutants|temperatures?|masses|conditioning|force bases?)\b"
    r"|\bairports? (?=(?:rail )?(?:stations?|stops?|lines?|links?|express|trains?|bus|shuttles?"
    r"|expressways?|roads?|highways?|motorways?|freeways?|boulevard|tunnel)\b)"
    r"|\b(?:Harbou?r|Airport|Port|Coast|Road|Ring|Sea) (?=Lines?\b)"
    r"|\bopen[- ]air\b|\bhot air\b|\bUSB ports?\b|\bports? of (?:entry|call)\b(?!\s+for)"
    r"|\bmetro(?:politan)? (?:areas?|regions?|populations?|counties|county|economy|GDP)\b"
    r"|\b(?:aircraft|aerospace|airplane|aeroplane|jet engine|ship|car|automobile|truck"
    r"|rail ?car|railcar|locomotive|train|bus)[- ](?:manufactur\w*|mak\w+|build\w*"
    r"|assembly|plants?|factor\w+|industry|production|maker)"
    r"|\bto ferry\b|\bferries (?=passengers|people|goods|cargo|commuters|visitors|tourists|them)"
    r"|\b(?:intercity|interstate|long[- ]distance|regional) (?:bus(?:es)?|coach(?:es)?)\b"
    r"|\binterstate (?:commerce|trade|compact|conflict|migration)\b"
    r"|\btrain(?:ed|ing|s)? (?:as|for|to become)\b|\btrains? (?:its|their|students)\b"
)
# Every alternative starts at a word: the lookahead skips other positions at once.
_MASK = re.compile(rf"(?=\w)(?:{_NOT_A_MODE})", re.IGNORECASE)
# "Metro Atlanta", "Metro Manila": a region, unless a line, station or system follows.
_METRO_REGION = re.compile(
    r"\bMetro (?!Lines?\b|Stations?\b|Systems?\b|Networks?\b|Rail\b)[A-Z][a-z]+"
)


def _mask(text: str) -> str:
    """The text with every phrase whose mode word does not mean that mode blanked."""
    return _MASK.sub(" ", _METRO_REGION.sub(" ", text))


# Per mode: *strong* terms make a sentence about the mode wherever it stands; *weak*
# terms only under a heading of that mode or beside a strong term of it.
_STRONG = {
    "air": r"airports?|airlines?|air ?cargo|air freight|air traffic|air transport|air travel"
    r"|flights?|airfields?|aerodromes?|airstrips?|runways?|air lines|airways|air hubs?",
    "sea": r"seaports?|ports?|harbou?rs?|shipping|TEUs?|container (?:ports?|terminals?|ships?"
    r"|traffic|throughput|handling)|ferry|ferries|docks?|wharf|wharves|cargo ships?|barges?"
    r"|cruise (?:ships?|terminals?|lines?)|inland waterways?|deep-water|deepwater|seaway",
    "rail": r"railways?|railroads?|(?<!light )(?<!commuter )(?<!suburban )rail(?! transit)"
    r"|intercity|high-speed rail|high-speed trains?|Amtrak|Shinkansen|TGV|Eurostar|Thalys"
    r"|Hauptbahnhof|Bahnhof|Gare|Deutsche Bahn|railway stations?|train stations?|freight trains?"
    r"|(?:intercity|long-distance|passenger|express) trains?|rail yards?",
    "road": r"highways?|motorways?|expressways?|freeways?|autobahns?|autobahnen|autoroutes?"
    r"|ring roads?|beltways?|orbital roads?|toll roads?|turnpikes?|national roads?|road network"
    r"|road transport|road traffic|road freight|trunk roads?|arterial roads?|interstates"
    r"|interstate highways?|Interstate \d{1,3}|I-\d{1,3}|U\.?S\.? (?:Route )?\d{1,3}"
    r"|State Route \d{1,3}|trucking|lorries|lorry|trucks",
    "transit": r"metro|métro|subways?|trams?|tramways?|streetcars?|light rail|light metro"
    r"|buses|bus (?:network|routes?|lines?|services?|system|rapid transit|stops?|terminals?"
    r"|fleet)|commuter rail|commuter trains?|suburban rail|U-Bahn|S-Bahn|RER|rapid transit"
    r"|public transport(?:ation)?|mass transit|monorail|Underground|the Tube"
    r"|trolleybus(?:es)?|funiculars?|cable cars?|Overground",
}
_WEAK = {
    "air": r"aviation|aircraft|air|jets?|terminals?|passengers",
    "sea": r"maritime|vessels?|ships?|navigable|canals?|waterways?|containers?|cargo"
    r"|boats?|river|tonnes",
    "rail": r"trains?|stations?|lines?|freight|intermodal|passengers",
    "road": r"roads?|streets?|bridges?|tunnels?|traffic|cars?|automobiles?|routes?"
    r"|junctions?|lanes?|congestion",
    "transit": r"bus|lines?|stations?|passengers|ridership|fares?|network|riders",
}
# Numbered roads (A1, M4, E39, N7, IC17): road names unless the sentence is about lines
# of a metro or railway, which are numbered the same way ("the M3 metro line").
_NUMBERED_ROAD = re.compile(r"\b(?:[AMEN]|[A-Z]{2})\d{1,3}\b")
_LINE = _vocabulary(r"\b(?=\w)(?:lines?|metro|subway|trams?|trains?|stations?)\b")


def _one_pass(table: dict[str, str]) -> re.Pattern[str]:
    """One pattern for all modes, a named group each: a sentence is scanned once.

    The lookahead rejects positions that cannot start a term (a word's end, a digit)
    before the alternatives are tried there.
    """
    return re.compile(
        r"\b(?![\d_])(?=\w)(?:"
        + "|".join(f"(?P<{mode}>{_lowered(terms)})" for mode, terms in table.items())
        + r")\b"
    )


_STRONG_ANY = _one_pass(_STRONG)
# Weak words are shared between modes ("lines", "stations", "passengers"): each mode
# counts its own, so they are not scanned in one pass.
_WEAK_BY_MODE = {mode: _vocabulary(rf"\b(?:{terms})\b") for mode, terms in _WEAK.items()}

# Informativeness cues: the sentence names a rank, a volume or a network's size.
_RANK = _vocabulary(
    r"\b(?=\w)(?:busiest|busy|large|largest|biggest|main|principal|primary|major|chief|leading|hub|hubs"
    r"|international|most|second|third|(?:\d+(?:st|nd|rd|th))|key|largest-?\w*)\b"
)
_VOLUME = _vocabulary(
    r"\b(?=\w)(?:passengers|TEUs?|tonnes|tons|cargo|freight|million|billion|lines|routes|stations"
    r"|km|kilometres|kilometers|miles|mi|daily|annually|per (?:year|day|annum)|a year|a day"
    r"|ridership|connects?|connecting|links?|serves|served|serving|network|operates"
    r"|every (?:day|hour|week)|surround\w*|encircl\w*|converg\w*|cross(?:es)?|run through)\b"
)
# History and trivia: what a planner cannot act on today.
_HISTORY = _vocabulary(
    r"\b(?=\w)(?:closed|former(?:ly)?|abandoned|defunct|demolished|dismantled|horse-drawn"
    r"|horsecars?|ceased|discontinued|no longer|was replaced|were replaced|used to|history"
    r"|since been|turned into|converted into"
    r"|brought the end|(?:1[0-8]|19[0-6])\d{2}s?|\d{1,2}(?:st|nd|rd|th) century|ancient"
    r"|medieval|from \d{4} (?:to|until) (?:19|200)\d{2})\b"
)
# A facility the article itself ranks below the main one.
_SECONDARY = _vocabulary(
    r"\b(?=\w)(?:alternat(?:e|ive)|secondary|smaller|minor|general aviation|municipal|nearby"
    r"|other|also|several|regional|private|military)\b"
)
_PAST = re.compile(r"^[^,]{0,80}\b(?:was|were|began|arrived|embarked)\b")
# A passage told wholly in the past tense describes what was, not what is.
_PAST_TENSE = re.compile(
    r"\b(?=\w)(?:was|were|had|ran|began|arrived|brought|functioned|relocated|handled|served|closed)\b"
)
_PRESENT_TENSE = re.compile(
    r"\b(?=\w)(?:is|are|has|have|remains?|serves|operates|runs|handles|connects|carries|offers"
    r"|provides|includes|links|now|today|currently)\b"
)
_PLANNED = _vocabulary(
    r"\b(?=\w)(?:proposed|planned|plans?|cancel+ed|put on hold|would|could|might|rejected"
    r"|suggested|feasibility|postponed|delayed|under construction|expected to|will be)\b"
)
_TRIVIA = _vocabulary(
    r"\b(?=\w)(?:fares?|tickets?|prices?|costs?|free of charge|souvenir|shops?|museums?|films?"
    r"|songs?|nicknamed|advocates|celebrit\w+|wi-?fi|apps?|application)\b|[$€£¥]\s?\d"
)
_ECONOMY = _vocabulary(
    r"\b(?=\w)(?:econom(?:y|ic)|GDP|trade|exports?|imports?|logistics|financial|finance|industr\w+"
    r"|manufacturing|headquarters|companies|corporations|port|hub|commerce|commercial"
    r"|distribution|capital|largest|most populous|centre|center)\b"
)
# A sentence whose subject leans on the one before: "It is…", "This line…", "The airport…".
_DANGLING = re.compile(
    r"^(?:(?:It|Its|This|These|Those|They|Their|He|She|His|Her|Both|Such)\b"
    r"|The (?:airport|port|harbou?r|station|line|lines|system|network|service|company"
    r"|terminal|project|bridge|tunnel|route|road|highway|facility|building|latter|former"
    r"|two|three|four)\b"
    r"|[A-Z][a-z]+ing\b[^,]{0,80}, (?:it|they|this)\b"
    r"|.*\b(?:this|that|these|those|the same) (?:airport|port|station|line|lines|system"
    r"|network|route|bridge|terminal)\b)"
)
# A named facility: capitalised words ending in (or led by) a facility noun.
# A named facility: a capitalised word right before a facility noun ("O'Hare International
# Airport", "Union Station"), "Port of X", or a numbered road.
_CAPITALISED_WORD = r"[A-Z][\w'’.–-]*\s"
_FACILITY = {
    "air": rf"{_CAPITALISED_WORD}(?:Airport|Airfield|Aerodrome|Air Base|Airlines|Airways)"
    r"|Air Lines",
    "sea": rf"(?:Port|Harbou?r) of [A-Z]\w+|{_CAPITALISED_WORD}(?:Port|Harbou?r|Terminal"
    r"|Seaport|Docks)\b",
    "rail": rf"{_CAPITALISED_WORD}(?:Station|Terminal|Railway|Railroad|Hauptbahnhof)"
    r"|Gare (?:d[eou]s?|de la) [A-Z]\w+|Amtrak|Eurostar|Shinkansen",
    "road": rf"{_CAPITALISED_WORD}(?:Highway|Motorway|Expressway|Freeway|Ring Road"
    r"|Beltway|Parkway|Turnpike|Autobahn)|Interstate \d+|I-\d+|\b[AMEN]\d{1,3}\b",
    "transit": rf"{_CAPITALISED_WORD}(?:Metro|Subway|Underground|Tram|Tramway|S-Bahn"
    r"|U-Bahn|Light Rail|Transit|Streetcar|Overground)|Métro|RER",
}
# Every alternative starts with a capital: the lookahead skips other positions at once.
_FACILITY_ANY = re.compile(
    "(?=[A-Z])(?:" + "|".join(f"(?P<{mode}>{terms})" for mode, terms in _FACILITY.items()) + ")"
)

_WORD = re.compile(r"[^\W\d_]+(?:['’–-][^\W\d_]+)*")
_FINAL = re.compile(r"[.!?][\"'”’)]?$")
_NORMAL = re.compile(r"[\W_]+")


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
    parts: int = 1  # sentences in ``text``
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


def _relevant(sections: list[Section]) -> list[tuple[Section, str, str]]:
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
        elif _OFF_TOPIC_TITLE.search(headings):
            continue
        elif _TRANSPORT_TITLE.search(headings):
            chosen.append((section, headings, "transport"))
        elif _ECONOMY_TITLE.search(headings):
            chosen.append((section, headings, "economy"))
    return chosen


def _heading_modes(headings: str) -> frozenset[str]:
    """The modes named by the most specific heading on the path that names any."""
    for title in reversed(headings.split(" / ")):
        found = frozenset(m for m, p in _MODE_TITLE.items() if p.search(title))
        if found:
            return found
    return frozenset()


# The subject of a sentence: after an opening phrase ("Situated 10 miles south, ..."),
# up to the first verb. When it is one mode's facility the sentence is about that mode.
_OPENER = re.compile(
    r"^(?:(?:[A-Z][a-z]+(?:ing|ed)|In|With|At|On|By|From|Since|As|After|Before|During|Along"
    r"|Besides|Apart from)\b[^,]{0,120},\s*)"
)
_VERB = re.compile(
    r"\b(?=\w)(?:is|are|was|were|has|have|had|will|serves?|served|connects?|covers?|provides?"
    r"|operates?|handles?|runs?|ran|includes?|comprises?|consists?|links?|offers?|carries"
    r"|carry|lies|lie|stands?|remains?|became|becomes?|opened|closed|reach(?:es)?|cross(?:es)?"
    r"|converges?|maintains?|owns?|located|situated|built|can|may|also)\b"
)


def _subject_mode(masked: str) -> str | None:
    """The mode of the first term in the (masked) sentence's subject, if it names one."""
    opener = _OPENER.match(masked)
    body = masked[opener.end() if opener else 0 :]
    verb = _VERB.search(body)
    subject = body[: verb.start()] if verb else body
    found = _STRONG_ANY.search(subject.lower())
    return found.lastgroup if found else None


def _counts(masked: str, pattern: re.Pattern[str]) -> Counter[str]:
    """Matches per mode of a one-pass pattern whose groups are named by mode."""
    return Counter(m.lastgroup for m in pattern.finditer(masked) if m.lastgroup)


def _mode_scores(s: _Sentence) -> dict[str, float]:
    """Informativeness of the sentence as evidence for each mode it is about.

    Terms are counted in the sentence itself; a leaning sentence ("It handles 30 million
    passengers") also takes its antecedent's subject: its mode and named facility.
    """
    masked = _mask(s.own)
    lower, masked_lower = s.own.lower(), masked.lower()
    strong = _counts(masked_lower, _STRONG_ANY)
    weak = Counter({m: len(p.findall(masked_lower)) for m, p in _WEAK_BY_MODE.items()})
    named = _counts(masked, _FACILITY_ANY)
    if not (strong["transit"] or strong["rail"] or _LINE.search(lower)):
        strong["road"] += len(_NUMBERED_ROAD.findall(s.own))
    if not (any(strong.values()) or any(weak.values())):
        return {}  # about no mode: nothing below can make it one
    context = s.text[: len(s.text) - len(s.own)]
    if context:
        masked_context = _mask(context)
        before = _counts(masked_context.lower(), _STRONG_ANY)
        before_named = _counts(masked_context, _FACILITY_ANY)
        for mode in MODE_NAMES:
            if before[mode] and (strong[mode] or weak[mode]):
                strong[mode] += 1
                named[mode] += min(before_named[mode], 1)
    history = len(_HISTORY.findall(lower)) + len(_PAST.findall(s.own))
    history += 2 * bool(_PAST_TENSE.search(s.text) and not _PRESENT_TENSE.search(s.text))
    ranks, volumes = len(_RANK.findall(lower)), len(_VOLUME.findall(lower))
    informative = bool(ranks or volumes) or s.kind == "lead"
    # What does not depend on the mode: cues of rank and volume, history, plans, trivia.
    common = 1.25 * min(ranks, 2) + 0.5 * min(volumes, 3) - 2.5 * min(history, 3)
    common -= 1.5 * sum(bool(p.search(lower)) for p in (_SECONDARY, _PLANNED, _TRIVIA))
    common += 1.0 if s.kind == "lead" else 0.0
    others_named = {m for m in MODE_NAMES if named[m]}
    subject = _subject_mode(masked)
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


def _sentences(
    relevant: list[tuple[Section, str, str]], title_words: frozenset[str] = frozenset()
) -> list[_Sentence]:
    """Candidate sentences, each carrying its antecedent when its subject leans on it.

    The antecedent is the section's previous sentence (with its own antecedent, up to
    three sentences in all); a leaning sentence with none is dropped.
    """
    out: list[_Sentence] = []
    seen: set[str] = set()
    for section, headings, kind in relevant:
        heading_modes = _heading_modes(headings)
        previous: list[str] = []
        for position, text in enumerate(split_sentences(clean_prose(section.text))):
            if not _is_prose(text):
                previous = []
                continue
            chain = [*previous, text] if _DANGLING.match(text) else [text]
            previous = chain if len(chain) < 3 else []
            key = _NORMAL.sub(" ", text.lower()).strip()
            if key in seen or (len(chain) == 1 and _DANGLING.match(text)):
                continue
            seen.add(key)
            lead = position if kind == "lead" else None
            s = _Sentence(
                len(out), " ".join(chain), text, section, headings, lead, kind, heading_modes
            )
            s.modes = _mode_scores(s)
            lower = text.lower()
            s.economy = len(_ECONOMY.findall(lower))
            s.demerit = 1.5 * min(len(_HISTORY.findall(lower)), 2)
            s.demerit += 1.5 * sum(bool(p.search(lower)) for p in (_PLANNED, _TRIVIA))
            s.parts = len(chain)
            s.words = frozenset(_content(text) - title_words)
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


def _content(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in STOPWORDS}


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
        return sum(u.parts for u in units)

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
    return [part for s in sorted(picked, key=lambda s: s.index) for part in split_sentences(s.text)]


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


def _prose_for_tone(text: str) -> str:
    """The text as sentiment should read it: no brackets, coordinates or emoticon shapes,
    and no proper names ("Fort Worth", "Nice", "Base" carry no tone).

    A word capitalised mid-sentence is a name; a sentence's first word is one too when
    it appears capitalised mid-sentence elsewhere in the text.
    """
    text = _NON_PROSE.sub(" ", text)
    names = {m.group() for m in _CAPITALISED.finditer(text)}
    out = []
    for sentence in split_sentences(text):
        words = sentence.split(" ")
        masked = [
            "_" if (i and w[:1].isupper()) or (not i and w.strip(",;:") in names) else w
            for i, w in enumerate(words)
        ]
        out.append(" ".join(masked))
    return "\n".join(out)


def _sentiment_groups(relevant: list[tuple[Section, str, str]]) -> dict[str, str]:
    """The text of each top-level section group ("Lead" first), as it is scored."""
    groups: dict[str, list[str]] = defaultdict(list)
    for section, _, _ in relevant:
        if section.text:
            groups[section.top or LEAD].append(_prose_for_tone(clean_prose(section.text)))
    return {name: "\n".join(texts) for name, texts in groups.items()}


def tone_label(polarity: float) -> str:
    """ "positive"/"negative" only outside the band encyclopaedic prose occupies."""
    if polarity > POSITIVE_ABOVE:
        return "positive"
    return "negative" if polarity < NEGATIVE_BELOW else "neutral"


def _sentiment(relevant: list[tuple[Section, str, str]]) -> dict[str, Any]:
    """TextBlob's PatternAnalyzer over the analysed prose and per top-level section.

    Each section group is scored once with the function ``TextBlob(text).sentiment``
    calls (loaded without NLTK by ``sentiment.score``); the overall figures are the mean
    over all its word assessments, i.e. what TextBlob gives for the joined text.
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
    return {
        "polarity": polarity,
        "subjectivity": subjectivity,
        "label": tone_label(polarity),
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
    well still since first second third two three four five six seven eight nine ten
    million billion percent per cent year years time times part number
    """.split()  # noqa: SIM905 - a word list reads best as text
)
# Words that name nothing in particular: never a key phrase on their own or at its edge.
_GENERIC = frozenset(
    """
    city cities area areas population census people region regions country countries
    state states world town towns district districts part parts center centre centres
    centers place places number numbers today total average mean percent rate level
    system systems service services way ways side lot end metro major main large largest
    new old many various several other others following north south east west northern
    southern eastern western central greater upper lower ring middle january february march
    april may june july august september october november december monday tuesday wednesday
    thursday friday saturday sunday government authority report estimate estimates
    """.split()  # noqa: SIM905 - a word list reads best as text
)
# Lower-case words that may join a name ("Port of Spain", "Gare do Oriente").
_NAME_JOINERS = frozenset(
    [
        "of",
        "de",
        "do",
        "da",
        "du",
        "des",
        "del",
        "della",
        "la",
        "le",
        "les",
        "the",
        "upon",
        "am",
        "an",
        "der",
    ]
)
_TOKEN = re.compile(r"[^\W_][\w'’.&–-]*|[^\w\s]")
_LOGISTICS_NOUN = _vocabulary(
    r"\b(?=\w)(?:airports?|airlines?|air lines|airways|ports?|harbou?rs?|terminals?|stations?"
    r"|railways?|railroads?|rail|metro|subway|underground|tram\w*|lines?|highways?"
    r"|motorways?|expressways?|freeways?|interstate|bridges?|tunnels?|ring road|canal"
    r"|docks?|logistics|freight|cargo|shipping|container\w*|exchange|bank|district|zone"
    r"|industr\w*|transit|transport\w*|authority|company|corporation|group)\b"
)


_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)")
# Institutions that are no part of a logistics brief, however often named.
_NOT_LOGISTICS = _vocabulary(
    r"\b(?=\w)(?:university|college|school|hospital|museum|cathedral|church|award|prize|report"
    r"|festival|estates|union|war|empire|dynasty|index|score|heritage|government|states|league"
    r"|revolution|memorial|murdered|governorate)\b"
)


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


def _names(sentence: str) -> list[str]:
    """Runs of capitalised words (joined by "of", "de"... and numbers), a name each.

    The sentence's first word starts a name only when the next word is capitalised too
    ("New York City is..."), so "Several ports" is no name.
    """
    tokens = _name_tokens(sentence)
    names: list[str] = []
    run: list[str] = []
    at_start = True  # whether the current run began the sentence

    def flush() -> None:
        while run and run[-1].lower() in _NAME_JOINERS:
            run.pop()
        while run and (
            run[0].lower() in _NAME_JOINERS or (at_start and run[0].lower() in STOPWORDS)
        ):
            run.pop(0)
        if run:
            names.append(" ".join(run))
        run.clear()

    for i, token in enumerate(tokens):
        word = token[:-2] if token.endswith("'s") else token
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        capital = word[:1].isupper()
        if i == 0 and capital and not following[:1].isupper():
            continue
        opens_name = (
            word.isdigit()
            and following in _NAME_JOINERS - {"of", "the"}
            and tokens[i + 2 : i + 3] != []
            and tokens[i + 2][:1].isupper()
        )
        opens_name = opens_name or (
            _ORDINAL.fullmatch(word) is not None and following[:1].isupper()
        )
        if capital or opens_name or (run and (word in _NAME_JOINERS or word.isdigit())):
            if not run:
                at_start = i == 0
            run.append(word)
            if len(run) > 6:
                run.clear()
        else:
            flush()
        if word is not token:
            flush()
    flush()
    return names


def _noun_phrases(sentence: str) -> list[str]:
    """Lower-case runs of 2-3 words that end in a logistics noun ("container terminal")."""
    out: list[str] = []
    for chunk in re.split(r"[^\w\s'-]|\d+\w*", sentence):
        run: list[str] = []
        for word in [*_WORD.findall(chunk), ""]:
            if (
                word
                and word[0].islower()
                and word not in STOPWORDS
                and not word.endswith(("ly", "'s", "’s"))
            ):
                run.append(word)
                continue
            for size in (3, 2):
                tail = run[-size:]
                if (
                    len(tail) == size
                    and _LOGISTICS_NOUN.fullmatch(tail[-1].lower())
                    and not any(w in _GENERIC or w.endswith(("ed", "ing")) for w in tail[:-1])
                ):
                    out.append(" ".join(tail))
                    break
            run = []
    return out


def _key_phrases(
    candidates: list[_Sentence], title_words: frozenset[str], top: int = 10
) -> list[str]:
    """Names and logistics noun phrases of the analysed text, by salience.

    Chosen over TextBlob's noun_phrases (needs NLTK corpora and trains a tagger): a name
    is a run of capitalised words, a noun phrase a lower-case run ending in a logistics
    noun; fragments, generic words and the city's own name alone are never phrases.
    Names come first, by frequency with a bonus for longer names and logistics nouns;
    noun phrases only fill what names leave, when seen twice; a name inside a longer
    name seen as often counts for the longer one.
    """
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    lower: set[str] = set()
    for s in candidates:
        phrases = _noun_phrases(s.own)
        lower.update(p.lower() for p in phrases)
        for phrase in [*_names(s.own), *phrases]:
            words = phrase.lower().split()
            if (
                _NOT_LOGISTICS.search(phrase.lower())
                or set(words) <= _GENERIC | title_words | _NAME_JOINERS
                or all(w in _GENERIC | _NAME_JOINERS or _LOGISTICS_NOUN.fullmatch(w) for w in words)
            ):
                continue
            key = phrase.lower().replace("–", "-")
            counts[key] += 1
            surfaces[key][phrase] += 1

    def score(key: str) -> tuple[bool, float]:
        words = key.split()
        value = math.log2(1 + counts[key]) * (1 + 0.25 * min(len(words) - 1, 3))
        return key in lower, value * 2.5 if _LOGISTICS_NOUN.search(key) else value

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


def analyse(
    extract: str, sentences: int = 5, evidence_per_mode: int = 3, title: str = ""
) -> dict[str, Any]:
    """The brief's text part of one article (``sentences`` is validated by the caller).

    Returns ``summary`` (up to ``sentences`` extractive sentences in article order, fewer
    if the article has fewer good ones; a sentence that leans on the one before comes
    with it), ``logistics`` (per mode air/sea/rail/road/transit up to
    ``evidence_per_mode`` ``{"text", "section"}`` items informative enough to act on; the
    lead's section is "Lead"), ``sentiment`` (polarity, subjectivity, label, per
    top-level section) and ``key_phrases`` (up to 10), all from the analysed text only.
    """
    relevant = _relevant(split_sections(extract))
    title_words = frozenset(w.lower() for w in _WORD.findall(title))
    candidates = _sentences(relevant, title_words)
    return {
        "summary": _summary(candidates, sentences),
        "logistics": _logistics(candidates, evidence_per_mode),
        "sentiment": _sentiment(relevant),
        "key_phrases": _key_phrases(candidates, title_words),
    }
