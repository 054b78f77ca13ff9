"""What the analysis knows about a language: headings, vocabularies, sentence shapes.

A brief reads one Wikipedia edition, and each edition names its sections, its transport
modes, its tenses and its abbreviations in its own words. A ``Language`` holds every such
rule ``analysis`` applies; ``for_code`` gives the profile of the languages citybrief knows
(en, de, fr, es). Any other edition has none, and the analysis then computes only what
needs no language knowledge and says so in the brief's ``analysis.limits``.

The English rules are the ones measured on the labelled set in ``tests/quality``; the
German, French and Spanish ones mirror them rule for rule, in each language's words.
German compounds its nouns ("Containerhafen", "Hauptbahnhof"), so its terms take ``\\w*``
where a compound is productive, with a lookbehind where a compound belongs to another mode
("Flughafen" is air, not sea). Every profile, English included, is built and compiled on
its first request: importing this module compiles nothing, and an English brief builds
no other profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from .text import _ABBREVIATIONS, _SENTENCE_STARTERS

MODE_NAMES = ("air", "sea", "rail", "road", "transit")


@dataclass(frozen=True, eq=False)
class Language:
    """One language's analysis profile: compiled patterns and word sets.

    Patterns are searched in a sentence (or heading path) unless said otherwise. Word
    lists built by ``_vocabulary`` (``strong``, ``weak``, ``line``, ``rank``, ``volume``,
    ``history``, ``secondary``, ``planned``, ``trivia``, ``economy``, ``logistics_noun``,
    ``not_logistics``) are matched on *lower-cased* text. ``sentiment`` names the lexicon
    that scores this language (None: no kept lexicon exists, and ``sentiment_reason``
    says why the brief's sentiment is null).
    """

    code: str
    # Sections: a path through an off-topic heading is never mined; otherwise a path
    # naming transport (or economy) is.
    transport_title: re.Pattern[str]
    economy_title: re.Pattern[str]
    off_topic_title: re.Pattern[str]
    mode_titles: Mapping[str, re.Pattern[str]]  # headings that name one mode
    # Evidence: phrases whose mode word does not mean that mode, blanked in order before
    # any term is counted; then per mode strong terms (one pass, a named group per mode)
    # and weak terms.
    masks: tuple[re.Pattern[str], ...]
    strong: re.Pattern[str]
    weak: Mapping[str, re.Pattern[str]]
    numbered_road: re.Pattern[str]  # "A1", "A 7", "AP-7": road names...
    line: re.Pattern[str]  # ...unless the sentence is about lines of a metro or railway
    facilities: re.Pattern[str]  # a named facility, one pass, a named group per mode
    opener: re.Pattern[str]  # matched at the start: a phrase before the subject
    verb: re.Pattern[str]  # the first verb ends the subject
    rank: re.Pattern[str]
    volume: re.Pattern[str]
    history: re.Pattern[str]
    secondary: re.Pattern[str]
    past: re.Pattern[str]  # a sentence that opens in the past tense
    past_tense: re.Pattern[str]
    present_tense: re.Pattern[str]
    planned: re.Pattern[str]
    trivia: re.Pattern[str]
    economy: re.Pattern[str]
    dangling: re.Pattern[str]  # matched at the start: the subject leans on the sentence before
    # Key phrases.
    stopwords: frozenset[str]
    generic: frozenset[str]  # words that name nothing in particular
    name_joiners: frozenset[str]  # lower-case words inside a name ("Port of Spain")
    number_joiners: frozenset[str]  # joiners after a number that opens a name ("5 de Mayo")
    elisions: frozenset[str]  # elided articles ("l'", "d'"), lower case, apostrophe dropped
    logistics_noun: re.Pattern[str]
    not_logistics: re.Pattern[str]
    ordinal: re.Pattern[str]  # fullmatched: an ordinal that may open a name ("5th Avenue")
    head_first: bool  # noun phrases start with their noun ("gare routière"), names may too
    adverb_endings: tuple[str, ...]  # words never in a noun phrase
    participle_endings: tuple[str, ...]  # words never modifying its noun
    # Text: bracketed groups that are pronunciations or the name in another language, and
    # the sentence splitter's word lists (see ``text.split_sentences``).
    foreign_name: re.Pattern[str]
    abbreviations: frozenset[str]
    sentence_starters: frozenset[str]
    ordinals: bool  # "3. Oktober": a number with a period may be an ordinal
    sentiment: str | None
    sentiment_reason: str | None = None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _terms(alternation: str) -> re.Pattern[str]:
    """The alternation between word boundaries, in any case (headings)."""
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def _modes(table: Mapping[str, str]) -> dict[str, re.Pattern[str]]:
    return {mode: _terms(table[mode]) for mode in MODE_NAMES}


def _lowered(pattern: str) -> str:
    """A word-list pattern for *lower-cased* text: matching it is three times faster than
    re.IGNORECASE on the same list. Callers pass ``text.lower()``."""
    if re.search(r"\\[WSDB]", pattern):
        raise ValueError("upper-case escapes do not survive lower-casing")
    return pattern.lower()


def _vocabulary(pattern: str) -> re.Pattern[str]:
    return re.compile(_lowered(pattern))


def _cues(alternation: str) -> re.Pattern[str]:
    """A word list for lower-cased text; the lookahead skips non-word positions at once."""
    return _vocabulary(rf"\b(?=\w)(?:{alternation})\b")


def _cased(alternation: str) -> re.Pattern[str]:
    """A case-sensitive word list (verbs, tenses: "Is" opens no clause the way "is" does)."""
    return re.compile(rf"\b(?=\w)(?:{alternation})\b")


def _mask(pattern: str) -> re.Pattern[str]:
    """Every alternative starts at a word: the lookahead skips other positions at once."""
    return re.compile(rf"(?=\w)(?:{pattern})", re.IGNORECASE)


def _one_pass(table: Mapping[str, str]) -> re.Pattern[str]:
    """One pattern for all modes' terms, a named group each: a sentence is scanned once.

    The lookahead rejects positions that cannot start a term (a word's end, a digit)
    before the alternatives are tried there.
    """
    return re.compile(
        r"\b(?![\d_])(?=\w)(?:"
        + "|".join(f"(?P<{mode}>{_lowered(table[mode])})" for mode in MODE_NAMES)
        + r")\b"
    )


def _weak(table: Mapping[str, str]) -> dict[str, re.Pattern[str]]:
    """Weak words are shared between modes ("lines", "passengers"): one pattern per mode."""
    return {mode: _vocabulary(rf"\b(?:{table[mode]})\b") for mode in MODE_NAMES}


def _facilities(start: str, table: Mapping[str, str]) -> re.Pattern[str]:
    """Named facilities in one pass; ``start`` is a lookahead every name begins with."""
    return re.compile(
        f"{start}(?:" + "|".join(f"(?P<{mode}>{table[mode]})" for mode in MODE_NAMES) + ")"
    )


def _english() -> Language:
    """English: the rules measured on the labelled set (tests/quality)."""
    name_joiners = _words("of de do da du des del della la le les the upon am an der")
    capitalised_word = r"[A-Z][\w'’.–-]*\s"
    return Language(
        code="en",
        transport_title=_terms(
            r"transport\w*|ports?|harbou?rs?|airports?|aviation|air travel|rail\w*|transit"
            r"|roads?|highways?|expressways?|freeways?|motorways?|freight|shipping|logistics"
            r"|metro|subway|underground|bus\w*|trams?|tramways?|ferr\w+|waterways?|trains?"
            r"|cycling|bicycles?|taxis?|mobility|traffic|commut\w*"
        ),
        economy_title=_terms(
            r"econom\w*|industr\w*|trade|commerce|business\w*|finance|financial|companies"
            r"|manufacturing|infrastructure"
        ),
        off_topic_title=_terms(
            r"histor\w*|sports?|cultur\w*|notable|see also|references|climate|geography"
            r"|demograph\w*|educat\w*|architecture|cityscape|parks?|religio\w*|cuisine|arts?"
            r"|media|tourism|government|politic\w*|crime|neighbo\w+|districts?|etymology"
            r"|twin|sister|further reading|external links|environment\w*|utilities"
            r"|air quality|pollution|water supply"
        ),
        mode_titles=_modes(
            {
                "air": r"air|airports?|aviation|air transport|air travel|flights?",
                "sea": r"ports?|seaports?|harbou?rs?|shipping|maritime|ferr\w+|water(?:ways?)?"
                r"|sea|rivers?|canals?",
                "rail": r"rail\w*|trains?|intercity|stations?",
                "road": r"roads?|highways?|expressways?|freeways?|motorways?|car|cars|autobahn\w*"
                r"|driving|streets?|bridges?|tunnels?",
                "transit": r"transit|metro|subway|underground|bus\w*|trams?|tramways?|streetcars?"
                r"|light rail|public transport\w*|monorail|trolleybus\w*|commuter",
            }
        ),
        masks=(
            # "Metro Atlanta", "Metro Manila": a region, unless a line, station or system follows.
            re.compile(
                r"\bMetro (?!Lines?\b|Stations?\b|Systems?\b|Networks?\b|Rail\b)[A-Z][a-z]+"
            ),
            _mask(
                r"\b(?:maritime|oceanic|continental|mediterranean|humid|monsoon\w*) climate"
                r"|\b(?:sea|water) (?:levels?|temperatures?|breezes?|views?)|\babove sea\b"
                r"|\bair (?:quality|pollution|pollutants|temperatures?|masses|conditioning"
                r"|force bases?)\b"
                r"|\bairports? (?=(?:rail )?(?:stations?|stops?|lines?|links?|express|trains?"
                r"|bus|shuttles?|expressways?|roads?|highways?|motorways?|freeways?|boulevard"
                r"|tunnel)\b)"
                r"|\b(?:Harbou?r|Airport|Port|Coast|Road|Ring|Sea) (?=Lines?\b)"
                r"|\bopen[- ]air\b|\bhot air\b|\bUSB ports?\b"
                r"|\bports? of (?:entry|call)\b(?!\s+for)"
                r"|\bmetro(?:politan)? (?:areas?|regions?|populations?|counties|county|economy"
                r"|GDP)\b"
                r"|\b(?:aircraft|aerospace|airplane|aeroplane|jet engine|ship|car|automobile"
                r"|truck|rail ?car|railcar|locomotive|train|bus)[- ](?:manufactur\w*|mak\w+"
                r"|build\w*|assembly|plants?|factor\w+|industry|production|maker)"
                r"|\bto ferry\b|\bferries (?=passengers|people|goods|cargo|commuters|visitors"
                r"|tourists|them)"
                r"|\b(?:intercity|interstate|long[- ]distance|regional) (?:bus(?:es)?"
                r"|coach(?:es)?)\b"
                r"|\binterstate (?:commerce|trade|compact|conflict|migration)\b"
                r"|\btrain(?:ed|ing|s)? (?:as|for|to become)\b|\btrains? (?:its|their|students)\b"
            ),
        ),
        # Strong terms make a sentence about the mode wherever it stands; weak terms only
        # under a heading of that mode or beside a strong term of it.
        strong=_one_pass(
            {
                "air": r"airports?|airlines?|air ?cargo|air freight|air traffic|air transport"
                r"|air travel|flights?|airfields?|aerodromes?|airstrips?|runways?|air lines"
                r"|airways|air hubs?",
                "sea": r"seaports?|ports?|harbou?rs?|shipping|TEUs?|container (?:ports?"
                r"|terminals?|ships?|traffic|throughput|handling)|ferry|ferries|docks?|wharf"
                r"|wharves|cargo ships?|barges?|cruise (?:ships?|terminals?|lines?)"
                r"|inland waterways?|deep-water|deepwater|seaway",
                "rail": r"railways?|railroads?|(?<!light )(?<!commuter )(?<!suburban )rail"
                r"(?! transit)|intercity|high-speed rail|high-speed trains?|Amtrak|Shinkansen"
                r"|TGV|Eurostar|Thalys|Hauptbahnhof|Bahnhof|Gare|Deutsche Bahn"
                r"|railway stations?|train stations?|freight trains?"
                r"|(?:intercity|long-distance|passenger|express) trains?|rail yards?",
                "road": r"highways?|motorways?|expressways?|freeways?|autobahns?|autobahnen"
                r"|autoroutes?|ring roads?|beltways?|orbital roads?|toll roads?|turnpikes?"
                r"|national roads?|road network|road transport|road traffic|road freight"
                r"|trunk roads?|arterial roads?|interstates|interstate highways?"
                r"|Interstate \d{1,3}|I-\d{1,3}|U\.?S\.? (?:Route )?\d{1,3}|State Route \d{1,3}"
                r"|trucking|lorries|lorry|trucks",
                "transit": r"metro|métro|subways?|trams?|tramways?|streetcars?|light rail"
                r"|light metro|buses|bus (?:network|routes?|lines?|services?|system"
                r"|rapid transit|stops?|terminals?|fleet)|commuter rail|commuter trains?"
                r"|suburban rail|U-Bahn|S-Bahn|RER|rapid transit|public transport(?:ation)?"
                r"|mass transit|monorail|Underground|the Tube|trolleybus(?:es)?|funiculars?"
                r"|cable cars?|Overground",
            }
        ),
        weak=_weak(
            {
                "air": r"aviation|aircraft|air|jets?|terminals?|passengers",
                "sea": r"maritime|vessels?|ships?|navigable|canals?|waterways?|containers?|cargo"
                r"|boats?|river|tonnes",
                "rail": r"trains?|stations?|lines?|freight|intermodal|passengers",
                "road": r"roads?|streets?|bridges?|tunnels?|traffic|cars?|automobiles?|routes?"
                r"|junctions?|lanes?|congestion",
                "transit": r"bus|lines?|stations?|passengers|ridership|fares?|network|riders",
            }
        ),
        # A1, M4, E39, N7, IC17; "the M3 metro line" is a line.
        numbered_road=re.compile(r"\b(?:[AMEN]|[A-Z]{2})\d{1,3}\b"),
        line=_cues(r"lines?|metro|subway|trams?|trains?|stations?"),
        # A capitalised word right before a facility noun ("O'Hare International Airport",
        # "Union Station"), "Port of X", or a numbered road.
        facilities=_facilities(
            "(?=[A-Z])",
            {
                "air": rf"{capitalised_word}(?:Airport|Airfield|Aerodrome|Air Base|Airlines"
                r"|Airways)|Air Lines",
                "sea": rf"(?:Port|Harbou?r) of [A-Z]\w+|{capitalised_word}(?:Port|Harbou?r"
                r"|Terminal|Seaport|Docks)\b",
                "rail": rf"{capitalised_word}(?:Station|Terminal|Railway|Railroad|Hauptbahnhof)"
                r"|Gare (?:d[eou]s?|de la) [A-Z]\w+|Amtrak|Eurostar|Shinkansen",
                "road": rf"{capitalised_word}(?:Highway|Motorway|Expressway|Freeway|Ring Road"
                r"|Beltway|Parkway|Turnpike|Autobahn)|Interstate \d+|I-\d+|\b[AMEN]\d{1,3}\b",
                "transit": rf"{capitalised_word}(?:Metro|Subway|Underground|Tram|Tramway|S-Bahn"
                r"|U-Bahn|Light Rail|Transit|Streetcar|Overground)|Métro|RER",
            },
        ),
        opener=re.compile(
            r"^(?:(?:[A-Z][a-z]+(?:ing|ed)|In|With|At|On|By|From|Since|As|After|Before|During"
            r"|Along|Besides|Apart from)\b[^,]{0,120},\s*)"
        ),
        verb=_cased(
            r"is|are|was|were|has|have|had|will|serves?|served|connects?|covers?|provides?"
            r"|operates?|handles?|runs?|ran|includes?|comprises?|consists?|links?|offers?"
            r"|carries|carry|lies|lie|stands?|remains?|became|becomes?|opened|closed"
            r"|reach(?:es)?|cross(?:es)?|converges?|maintains?|owns?|located|situated|built"
            r"|can|may|also"
        ),
        rank=_cues(
            r"busiest|busy|large|largest|biggest|main|principal|primary|major|chief|leading"
            r"|hub|hubs|international|most|second|third|(?:\d+(?:st|nd|rd|th))|key|largest-?\w*"
        ),
        volume=_cues(
            r"passengers|TEUs?|tonnes|tons|cargo|freight|million|billion|lines|routes|stations"
            r"|km|kilometres|kilometers|miles|mi|daily|annually|per (?:year|day|annum)|a year"
            r"|a day|ridership|connects?|connecting|links?|serves|served|serving|network"
            r"|operates|every (?:day|hour|week)|surround\w*|encircl\w*|converg\w*|cross(?:es)?"
            r"|run through"
        ),
        history=_cues(
            r"closed|former(?:ly)?|abandoned|defunct|demolished|dismantled|horse-drawn"
            r"|horsecars?|ceased|discontinued|no longer|was replaced|were replaced|used to"
            r"|history|since been|turned into|converted into"
            r"|brought the end|(?:1[0-8]|19[0-6])\d{2}s?|\d{1,2}(?:st|nd|rd|th) century|ancient"
            r"|medieval|from \d{4} (?:to|until) (?:19|200)\d{2}"
        ),
        secondary=_cues(
            r"alternat(?:e|ive)|secondary|smaller|minor|general aviation|municipal|nearby"
            r"|other|also|several|regional|private|military"
        ),
        past=re.compile(r"^[^,]{0,80}\b(?:was|were|began|arrived|embarked)\b"),
        past_tense=_cased(
            r"was|were|had|ran|began|arrived|brought|functioned|relocated|handled|served|closed"
        ),
        present_tense=_cased(
            r"is|are|has|have|remains?|serves|operates|runs|handles|connects|carries|offers"
            r"|provides|includes|links|now|today|currently"
        ),
        planned=_cues(
            r"proposed|planned|plans?|cancel+ed|put on hold|would|could|might|rejected"
            r"|suggested|feasibility|postponed|delayed|under construction|expected to|will be"
        ),
        trivia=_vocabulary(
            r"\b(?=\w)(?:fares?|tickets?|prices?|costs?|free of charge|souvenir|shops?|museums?"
            r"|films?|songs?|nicknamed|advocates|celebrit\w+|wi-?fi|apps?|application)\b"
            r"|[$€£¥]\s?\d"
        ),
        economy=_cues(
            r"econom(?:y|ic)|GDP|trade|exports?|imports?|logistics|financial|finance|industr\w+"
            r"|manufacturing|headquarters|companies|corporations|port|hub|commerce|commercial"
            r"|distribution|capital|largest|most populous|centre|center"
        ),
        # "It is…", "This line…", "The airport…", "Opened in 1990, it…".
        dangling=re.compile(
            r"^(?:(?:It|Its|This|These|Those|They|Their|He|She|His|Her|Both|Such)\b"
            r"|The (?:airport|port|harbou?r|station|line|lines|system|network|service|company"
            r"|terminal|project|bridge|tunnel|route|road|highway|facility|building|latter|former"
            r"|two|three|four)\b"
            r"|[A-Z][a-z]+ing\b[^,]{0,80}, (?:it|they|this)\b"
            r"|.*\b(?:this|that|these|those|the same) (?:airport|port|station|line|lines|system"
            r"|network|route|bridge|terminal)\b)"
        ),
        stopwords=_words(
            """
            a about above after again against all also although am among an and any are as at
            be became because become been before being below between both but by can could did
            do does doing down during each either else even ever every few for from further had
            has have having he her here hers herself him himself his how however i if in into is
            it its itself just least less many may me might more most much must my myself near
            neither no nor not now of off often on once one only onto or other others our ours
            ourselves out over own per rather same several she should since so some such than
            that the their theirs them themselves then there these they this those though
            through thus to too toward towards under until up upon us very via was we were what
            when where whether which while who whom whose why will with within without would yet
            you your yours including include includes included known called around along across
            well still since first second third two three four five six seven eight nine ten
            million billion percent per cent year years time times part number
            """
        ),
        generic=_words(
            """
            city cities area areas population census people region regions country countries
            state states world town towns district districts part parts center centre centres
            centers place places number numbers today total average mean percent rate level
            system systems service services way ways side lot end metro major main large largest
            new old many various several other others following north south east west northern
            southern eastern western central greater upper lower ring middle january february
            march april may june july august september october november december monday tuesday
            wednesday thursday friday saturday sunday government authority report estimate
            estimates
            """
        ),
        name_joiners=name_joiners,
        number_joiners=name_joiners - {"of", "the"},
        elisions=frozenset(),
        logistics_noun=_cues(
            r"airports?|airlines?|air lines|airways|ports?|harbou?rs?|terminals?|stations?"
            r"|railways?|railroads?|rail|metro|subway|underground|tram\w*|lines?|highways?"
            r"|motorways?|expressways?|freeways?|interstate|bridges?|tunnels?|ring road|canal"
            r"|docks?|logistics|freight|cargo|shipping|container\w*|exchange|bank|district|zone"
            r"|industr\w*|transit|transport\w*|authority|company|corporation|group"
        ),
        # Institutions that are no part of a logistics brief, however often named.
        not_logistics=_cues(
            r"university|college|school|hospital|museum|cathedral|church|award|prize|report"
            r"|festival|estates|union|war|empire|dynasty|index|score|heritage|government|states"
            r"|league|revolution|memorial|murdered|governorate"
        ),
        ordinal=re.compile(r"\d{1,2}(?:st|nd|rd|th)"),
        head_first=False,
        adverb_endings=("ly", "'s", "’s"),
        participle_endings=("ed", "ing"),
        # "Portuguese: Lisboa", "US: ", "cf. Danish: København"; respellings "at-LAN-tə".
        foreign_name=re.compile(
            r"^[\s;,]*(?:cf\. )?(?:[A-Z][a-z]+ )?"
            r"(?:[A-Z][a-z]*(?:ese|ish|ian|an|ic|ch|ek|i|u)|Latin|US|UK):"
            r"|\b[a-z()]*[A-Z]{2,}[a-z()]*-[a-z(]|\b[a-z()]+-[A-Z]{2,}\b"
        ),
        abbreviations=_ABBREVIATIONS,
        sentence_starters=_SENTENCE_STARTERS,
        ordinals=False,
        sentiment="TextBlob PatternAnalyzer (textblob/en/en-sentiment.xml)",
    )


def _german() -> Language:
    """German: nouns are capitalised and compound, ordinals take a period ("3. Oktober")."""
    return Language(
        code="de",
        # "Fremdenverkehr" is tourism: off-topic wins over "verkehr".
        transport_title=_terms(
            r"\w*verkehr\w*|\w*häfen|\w*hafen\w*|luftfahrt|\w*bahn\w*|schifffahrt|logistik"
            r"|ÖPNV|\w*straßennetz|fernstraßen|autobahn\w*|bus\w*|fähr\w*|mobilität"
            r"|fahrrad\w*|taxi\w*|pendler\w*"
        ),
        economy_title=_terms(
            r"wirtschaft\w*|\w+wirtschaft|industrie\w*|handel|unternehmen|finanz\w*"
            r"|infrastruktur|gewerbe\w*|dienstleistung\w*|messe\w*"
        ),
        off_topic_title=_terms(
            r"\w*geschichte|sport\w*|kultur\w*|persönlichkeiten|söhne und töchter\w*"
            r"|siehe auch|einzelnachweise|anmerkungen|klima|geographie|geografie|lage"
            r"|stadtgliederung|stadtteile|stadtbezirke|bevölkerung\w*|einwohner\w*|demografie"
            r"|bildung\w*|architektur|stadtbild|parks?|grünanlagen|religion\w*|küche|kunst"
            r"|medien|tourismus|fremdenverkehr|politik|verwaltung|kriminalität|wappen"
            r"|namensherkunft|name|städtepartnerschaften|partnerstädte|literatur|weblinks"
            r"|umwelt\w*|ver- und entsorgung|\w*versorgung|luftqualität|sehenswürdigkeiten"
            r"|bauwerke"
        ),
        mode_titles=_modes(
            {
                "air": r"\w*luftverkehr|luftfahrt|\w*flughafen|\w*flughäfen|flugverkehr",
                "sea": r"\w*(?<!flug)hafen|\w*(?<!flug)häfen|\w*schifffahrt|\w*schiffsverkehr"
                r"|seeverkehr|fähr\w*|wasserstraßen|kanäle",
                "rail": r"eisenbahn\w*|schienenverkehr|schienenfernverkehr|schienengüterverkehr"
                r"|bahnverkehr|fernverkehr|\w*bahnhof|\w*bahnhöfe|bahn",
                "road": r"straßenverkehr|straßen|\w*straßennetz|autobahn\w*|fernstraßen"
                r"|individualverkehr|brücken|tunnel",
                "transit": r"\w*nahverkehr|ÖPNV|straßenbahn\w*|stadtbahn|U-Bahn|S-Bahn|bus\w*"
                r"|omnibus|öffentliche[rn]? verkehr\w*",
            }
        ),
        masks=(
            _mask(
                r"\b(?:see|meeres|ozean|kontinental|mittelmeer|maritim)\w*klima\b"
                r"|\b(?:maritime[ns]?|ozeanische[ns]?|kontinentale[ns]?) klima\b"
                r"|\bluft(?:qualität|verschmutzung|temperatur\w*|feuchtigkeit|druck|massen)\b"
                r"|\bluftwaffe\w*|\bmeeresspiegel\w*|\bmetropol\w*"
                r"|\b(?:flugzeug|luftfahrt|automobil|auto|fahrzeug|lkw|schiff|waggon|lokomotiv"
                r"|bus|zug)(?:bau|hersteller|werk\w*|industrie|produktion|fabrik\w*)\w*"
                r"|\b(?:fern|reise)bus\w*|\bbahnhofsviertel\b"
            ),
        ),
        strong=_one_pass(
            {
                "air": r"\w*flughafen\w*|\w*flughäfen|fluggesellschaft\w*|airlines?|airports?"
                r"|luftverkehr\w*|luftfracht\w*|flug|flüge|\w*flugverbindung\w*|flugverkehr\w*"
                r"|flugplatz\w*|flugplätze|\w*landebahn\w*|\w*startbahn\w*|(?:fracht|passagier"
                r"|linien|charter)flug\w*|\w*flugzeuge",
                "sea": r"\w*(?<!flug)hafen\w*|\w*(?<!flug)häfen\w*|\w*schifffahrt\w*"
                r"|\w*schiffsverkehr|(?:container|binnen|fracht|kreuzfahrt)schiff\w*"
                r"|reederei\w*|container\w*|TEU|fähre|fähren|\w*fähre|\w*fähren"
                r"|fährverbindung\w*|fährverkehr\w*|kai|kais|kaianlage\w*|seeweg\w*"
                r"|\w*frachter",
                "rail": r"eisenbahn\w*|\w*bahnhof|\w*bahnhöfe|\w*bahnhofs|bahnstrecke\w*"
                r"|\w*bahnlinie\w*|fernbahn\w*|güterbahn\w*|schnellfahrstrecke\w*"
                r"|\w*güterzüge?|fernzüge?|fernverkehr\w*|schienen(?:güter)?verkehr\w*|ICE"
                r"|Intercity\w*|Deutsche[nr]? Bahn|\w*zugverbindung\w*|(?<!-)bahn",
                "road": r"\w*autobahn\w*|bundesstraße\w*|fernstraße\w*|\w*straßennetz\w*"
                r"|straßenverkehr\w*|straßengüterverkehr\w*|umgehungsstraße\w*|ringstraße\w*"
                r"|schnellstraße\w*|lkw\w*|lastwagen\w*|lastkraftwagen\w*|maut\w*",
                "transit": r"straßenbahn\w*|stadtbahn\w*|U-Bahn\w*|S-Bahn\w*|hochbahn\w*"
                r"|schwebebahn\w*|\w*busse|\w*buslinie\w*|busverkehr\w*|busnetz\w*|omnibus\w*"
                r"|O-Bus\w*|oberleitungsbus\w*|tram\w*|metro|ÖPNV|\w*nahverkehr\w*"
                r"|verkehrsverbund\w*|verkehrsbetriebe|\w*seilbahn\w*|zahnradbahn\w*",
            }
        ),
        weak=_weak(
            {
                "air": r"luftfahrt\w*|flugzeug|jets?|terminals?|passagiere|fluggäste",
                "sea": r"maritim\w*|schiff|schiffe|schiffen|schiffbar\w*|\w*kanal|\w*kanäle"
                r"|wasserstraße\w*|fracht|ladung|boote?|fluss|tonnen",
                "rail": r"zug|züge|zuges|\w*gleis\w*|\w*schiene\w*|\w*strecke|\w*strecken"
                r"|güter\w*|linien?|passagiere",
                "road": r"straße|straßen|\w*brücke|\w*brücken|\w*tunnel|verkehr|autos?|pkw"
                r"|route\w*|\w*kreuz|kreuzung\w*|fahrstreifen|stau\w*",
                "transit": r"bus|linie|linien|haltestelle\w*|stationen|station|fahrgäste"
                r"|fahrgastzahl\w*|tarif\w*|netz",
            }
        ),
        numbered_road=re.compile(r"\b(?:A|B|E) ?\d{1,3}\b"),
        line=_cues(r"\w*linie\w*|\w*bahn\w*|tram\w*|zug|züge|stationen?|haltestellen?"),
        facilities=_facilities(
            "(?=[A-ZÄÖÜ])",
            {
                "air": r"Flughafen [A-ZÄÖÜ][\w/–-]*|[A-ZÄÖÜ]\w+ Airport",
                "sea": r"(?:Hafen|Containerterminal|Terminal) [A-ZÄÖÜ]\w+|[A-ZÄÖÜ]\w+er Hafen",
                "rail": r"[A-ZÄÖÜ]\w+ Hauptbahnhof|[A-ZÄÖÜ]\w+er Hauptbahnhof|Hauptbahnhof"
                r"|[A-ZÄÖÜ]\w*bahnhof [A-ZÄÖÜ][\w-]+|Deutschen? Bahn|ICE",
                "road": r"\b(?:Bundesautobahn|Bundesstraße|A|B) ?\d{1,3}\b"
                r"|[A-ZÄÖÜ]\w+er (?:Kreuz|Ring)",
                "transit": r"(?:U-Bahn|S-Bahn|Straßenbahn|Stadtbahn)(?: [A-ZÄÖÜ]\w+)?"
                r"|[A-ZÄÖÜ]\w+er (?:Verkehrsverbund|Verkehrsbetriebe|Hochbahn)"
                r"|Verkehrsverbund [A-ZÄÖÜ]\w+",
            },
        ),
        opener=re.compile(
            r"^(?:(?:[A-ZÄÖÜ][a-zäöüß]+(?:end|et)|Im|In|Mit|Am|An|Auf|Bei|Von|Seit|Als|Nach"
            r"|Vor|Während|Entlang|Neben|Außer|Über|Unter|Durch|Für)\b[^,]{0,120},\s*)"
        ),
        verb=_cased(
            r"ist|sind|war|waren|hat|haben|hatte|hatten|wird|werden|wurde|wurden|verbindet"
            r"|verbinden|bedient|bedienen|bietet|bieten|betreibt|betreiben|verfügt|verfügen"
            r"|führt|führen|liegt|liegen|lag|befindet|befinden|gehört|gehören|zählt|zählen"
            r"|umfasst|besteht|bestehen|erreicht|erreichen|quert|kreuzt|fährt|fahren|verkehrt"
            r"|verkehren|dient|dienen|besitzt|kann|können|soll|auch|gilt|bildet|bilden"
            r"|erstreckt|erschließt|startet|starten|rollt|läuft|laufen"
        ),
        rank=_cues(
            r"(?:zweit|dritt|viert)?(?:größte|wichtigste|bedeutendste|verkehrsreichste"
            r"|meistfrequentierte)[nrs]?|große[nrs]?|größere[nrs]?|wichtige[nrs]?"
            r"|bedeutende[nrs]?|zentrale[nrs]?|führende[nrs]?|internationale[nrs]?"
            r"|meiste[nrs]?|haupt\w+|\w*drehkreuz\w*|\w*knoten\w*"
        ),
        volume=_cues(
            r"passagiere|fluggäste|fahrgäste|TEU|tonnen|\w*fracht\w*|güter\w*|millionen|mio"
            r"|milliarden|mrd|linien|strecken|bahnhöfe|stationen|haltestellen|km|kilometer"
            r"|täglich|jährlich|pro (?:jahr|tag)|im jahr|am tag|verbindet|verbinden"
            r"|\w*verbindung\w*|bedient|bedienen|netz\w*|betreibt|betreiben|takt\w*"
            r"|\w*umschlag\w*|umgeschlagen|umgibt|umschließt|quert|kreuzt"
        ),
        history=_cues(
            r"geschlossen|stillgelegt\w*|ehemalig\w*|früher\w*|einst|damals|abgerissen"
            r"|aufgegeben|eingestellt|nicht mehr|ersetzt|\w*geschichte|pferde\w*bahn\w*"
            r"|(?:1[0-8]|19[0-6])\d{2}(?:er)?|\d{1,2}\. jahrhundert\w*|antik\w*"
            r"|mittelalter\w*|von \d{4} bis (?:19|200)\d{2}"
        ),
        secondary=_cues(
            r"alternativ\w*|zweite[nrs]?|kleiner\w*|neben\w*|regionalflughafen\w*"
            r"|verkehrslandeplatz|sonderlandeplatz|städtische[nrs]?|nahe\w*|benachbart\w*"
            r"|weitere[nrs]?|auch|ebenfalls|mehrere[nrs]?|regional\w*|private[nrs]?"
            r"|militär\w*"
        ),
        past=re.compile(r"^[^,]{0,80}\b(?:war|waren|wurde|wurden|begann|begannen|kam|kamen)\b"),
        past_tense=_cased(
            r"war|waren|hatte|hatten|wurde|wurden|fuhr|fuhren|begann|kam|brachte|diente"
            r"|verkehrte|verkehrten|lag|befand|bestand|schloss|endete"
        ),
        present_tense=_cased(
            r"ist|sind|hat|haben|wird|werden|bleibt|bleiben|dient|betreibt|verbindet|führt"
            r"|bietet|verfügt|liegt|befindet|fährt|fahren|heute|derzeit|gegenwärtig"
            r"|inzwischen|mittlerweile|aktuell"
        ),
        planned=_cues(
            r"geplant\w*|planung\w*|pläne[n]?|vorgeschlagen\w*|projektiert\w*|soll|sollen"
            r"|sollte|sollten|würde|würden|könnte|könnten|abgelehnt|verschoben|verzögert"
            r"|im bau|in bau|machbarkeitsstudie\w*|voraussichtlich"
        ),
        trivia=_vocabulary(
            r"\b(?:fahrpreis\w*|tarif\w*|fahrkarte\w*|ticket\w*|preis\w*|kosten|kostenlos"
            r"|kostenfrei|souvenir\w*|geschäfte|läden|\w*museum|\w*museen|film\w*|lied\w*"
            r"|spitzname\w*|wlan|apps?)\b|[$€£¥]\s?\d|\d\s?(?:€|euro\b)"
        ),
        economy=_cues(
            r"wirtschaft\w*|\w+wirtschaft|BIP|bruttoinlandsprodukt|handel\w*|\w+handel|export\w*"
            r"|import\w*|logistik\w*|finanz\w*|industrie\w*|\w+industrie|unternehmen"
            r"|\w+unternehmen|konzern\w*|firmensitz|sitz|hafen|drehkreuz|kommerz\w*"
            r"|standort\w*|hauptstadt|größte[nrs]?|bevölkerungsreichste[nrs]?|zentrum|zentren"
        ),
        # "Es ist…", "Dieser Bahnhof…", "Der Hafen ist…" (not "Der Hafen Hamburg" or "Der
        # Hafen der Stadt": a name or complement says which), "Dort…"; "Es gibt" ("there
        # is") leans on nothing.
        dangling=re.compile(
            r"^(?:(?:Es(?! gibt)|Er|Sie|Sein|Seine[nmrs]?|Ihr|Ihre[nmrs]?|Dies|Diese[nmrs]?"
            r"|Jene[nmrs]?|Beide|Solche[nmrs]?|Dort|Von dort)\b"
            r"|(?:Der|Die|Das|Den|Dem) (?:Flughafen|Hafen|Bahnhof|Linie|Linien|Strecke|Netz"
            r"|System|Dienst|Gesellschaft|Unternehmen|Terminal|Projekt|Brücke|Tunnel|Route"
            r"|Straße|Autobahn|Anlage|Gebäude|Letztere|Erstere|beiden|zwei|drei|vier)\b"
            r"(?! [A-ZÄÖÜ0-9]| (?:der|des|von)\b)"
            r"|.*\b(?:diese[nmrs]?|derselbe|dieselbe|dasselbe|denselben|demselben) (?:Flughafen"
            r"|Hafen|Bahnhof|Linie|Linien|Netz|Strecke|Brücke|Terminal|Route)\b)"
        ),
        stopwords=_words(
            """
            der die das den dem des ein eine einer eines einem einen und oder aber doch sondern
            denn weil wenn als wie ob dass daß zu zum zur im in am an auf aus bei mit nach seit
            von vor durch für gegen ohne um unter über zwischen neben hinter bis ab es er sie wir
            ich ihr ihm ihn ihnen sich sein seine seiner seinem seinen seines ihre ihrer ihrem
            ihren ihres dies diese dieser dieses diesem diesen jene jener jenes welche welcher
            welches welchem welchen ist sind war waren wird werden wurde wurden worden sein
            gewesen hat haben hatte hatten habe kann können konnte konnten muss müssen soll
            sollen darf will wollen nicht kein keine keiner keinen keinem auch noch nur schon
            sehr mehr meist meisten viel viele vielen einige einigen mehrere mehreren alle allen
            aller andere anderen anderer anderes so da dort hier heute damals dann danach daher
            damit jedoch zudem außerdem sowie sowohl etwa rund ca bzw usw insbesondere vor
            allem jahr jahre jahren jahrhundert jahrhunderts prozent millionen million milliarden
            zwei drei vier fünf sechs sieben acht neun zehn ersten erste erster zweite zweiten
            größte größten wichtigste wichtigsten neue neuen unter anderem beim vom ins ans
            liegt liegen lag lagen gibt gab gilt galt führt führen fährt fahren verbindet
            verbinden erreicht erreichen zählt zählen gehört gehören befindet befinden steht
            stehen bietet bieten kommt kommen geht gehen macht machen entstand entstanden
            """
        ),
        generic=_words(
            """
            stadt städte gebiet gebiete bevölkerung einwohner menschen region regionen land
            länder staat staaten welt ort orte bezirk bezirke stadtteil stadtteile teil teile
            zentrum mitte platz zahl heute gesamt durchschnitt prozent anteil system systeme
            dienst dienste weg wege seite ende großraum neu neue alt alte viele verschiedene
            andere norden süden osten westen nord süd ost west nördlich südlich östlich westlich
            zentral januar februar märz april mai juni juli august september oktober november
            dezember montag dienstag mittwoch donnerstag freitag samstag sonntag regierung
            behörde bericht jahr jahre millionen kilometer innenstadt
            """
        ),
        # Only place-name joiners ("Frankfurt am Main"): German capitalises every noun, so
        # "von" would join "Massengüter von Binnenschiffen".
        name_joiners=_words("am an ob"),
        number_joiners=frozenset(),
        elisions=frozenset(),
        logistics_noun=_cues(
            r"\w*flughafen|\w*flughäfen|\w*hafen|\w*häfen|\w*bahnhof|\w*bahnhöfe|\w*bahn"
            r"|\w*bahnen|\w*terminal\w*|\w*linie|\w*linien|\w*autobahn\w*|\w*straße|\w*brücke"
            r"|\w*tunnel|\w*kanal|kai|logistik\w*|fracht\w*|\w*verkehr\w*|\w*verbund"
            r"|\w*gesellschaft|\w*betriebe|\w*industrie|\w*werft|\w*börse|\w*bank|\w*messe"
            r"|\w*konzern|\w*unternehmen|spedition\w*|container\w*|\w*kreuz"
        ),
        not_logistics=_cues(
            r"universität\w*|hochschule\w*|\w*schule|krankenhaus\w*|klinik\w*|\w*museum|dom"
            r"|kathedrale|\w*kirche|preis|auszeichnung|festival|\w*krieg|reich|dynastie|index"
            r"|denkmal|erbe|regierung|partei|revolution|gedenkstätte|ermordet"
        ),
        ordinal=re.compile(r"\d{1,2}\."),
        head_first=False,  # and nouns are capitalised: German key phrases are names
        adverb_endings=(),
        participle_endings=(),
        foreign_name=re.compile(
            r"^[\s;,]*(?:[a-zäöü]+ ){0,2}(?:(?:(?:nieder|hoch|platt|alt|mittel)?deutsch"
            r"|englisch|französisch|niederländisch|dänisch|polnisch|tschechisch|sorbisch"
            r"|friesisch|lateinisch|italienisch|spanisch|portugiesisch|russisch|türkisch"
            r"|arabisch|griechisch|schwedisch|norwegisch|ungarisch|kroatisch|slowenisch"
            r"|jiddisch|hebräisch|chinesisch|japanisch)\b|(?:lat|engl|frz|ndl|dän|poln)\.)"
            r"|\bAussprache\b|\banhören\b"
        ),
        abbreviations=_words(
            """
            bzw usw etc ca nr nrn st str jh jhd jhs mio mrd vgl ggf evtl inkl exkl sog gegr einw
            bspw dt engl frz lat hl dr prof abs abt bd geb gest jr sen ehem max min mind tel
            u.a z.b d.h v.a u.ä o.ä s.o s.u i.d.r z.t u.u o.g
            """
        ),
        sentence_starters=_words(
            """
            der die das den dem des ein eine einer eines einem einen es er sie wir ich im in am an
            auf aus bei mit nach seit von vor zu zur zum durch für gegen um unter über heute dort
            hier dies diese dieser dieses diesem diesen als da dann danach daher damit jedoch
            zudem außerdem auch so wie wenn während weil trotz neben seitdem bis ab insgesamt
            zwischen mehrere viele einige alle jede jeder jedes man hinzu seine sein ihre ihr
            """
        ),
        ordinals=True,
        sentiment=None,
        sentiment_reason=(
            "No kept German sentiment lexicon: textblob-de 0.4.3 (last released 2019) fails "
            "to import with TextBlob 0.18+ (it needs the removed textblob.translate), its "
            "scores depend on its own lemmatiser, and its lexicon has no subjectivity values."
        ),
    )


def _french() -> Language:
    """French: noun phrases and facility names put the noun first ("aéroport de Nice")."""
    return Language(
        code="fr",
        # No "géographie" here: French commune articles put "Voies de communication et
        # transports" under it, beside Climat and Relief (which are off-topic themselves).
        transport_title=_terms(
            r"transports?|voies de communication|desserte|aéroports?|aérien\w*|ports?"
            r"|portuaires?|maritimes?|fluvia\w*|ferroviaires?|chemins? de fer|gares?|routes?"
            r"|routiers?|autoroutes?|réseau routier|métro|tramways?|bus|autobus|mobilités?"
            r"|logistique|fret|navigation|ferries|vélo|cyclable\w*|taxis?|circulation|trafic"
            r"|déplacements"
        ),
        economy_title=_terms(
            r"économi\w*|economie|industri\w*|commerce\w*|entreprises|finances?"
            r"|infrastructures?|emploi|secteurs? d['’]activité|zones? d['’]activités?"
        ),
        off_topic_title=_terms(
            r"histoire|historique|toponymie|étymologie|climat|relief|hydrographie|géologie"
            r"|situation|localisation|sports?|cultures?|patrimoine|personnalités\w*"
            r"|jumelages?|héraldique|blason|notes|références|voir aussi|bibliographie"
            r"|liens externes|politique\w*|administration|démographie|population"
            r"|enseignement|éducation|santé|cultes?|religions?|monuments?|quartiers|médias"
            r"|tourisme|environnement|gastronomie|architecture|parcs?|espaces verts"
            r"|criminalité|qualité de l['’]air|pollution|eau potable"
        ),
        mode_titles=_modes(
            {
                "air": r"transport aérien|aérien\w*|aéroports?|aviation|aérodromes?",
                "sea": r"transport maritime|maritimes?|ports?|portuaires?|fluvia\w*|navigation"
                r"|voies navigables|ferries|canal|canaux",
                "rail": r"transport ferroviaire|ferroviaires?|chemins? de fer|gares?|trains?|TGV",
                "road": r"réseau routier|routiers?|routières?|routes?|autoroutes?"
                r"|autoroutier\w*|voirie|ponts?|tunnels?|automobile",
                "transit": r"transports? en commun|transports? urbains?|transports? publics?"
                r"|métro|tramways?|bus|autobus|RER|mobilité urbaine",
            }
        ),
        masks=(
            _mask(
                r"\bclimat (?:océanique|maritime|méditerranéen|continental|tempéré)\w*"
                r"|\bniveau de la mer\b|\bbord de (?:la )?mer\b|\bau-dessus de la mer\b"
                r"|\b(?:qualité|pollution) de l['’]air\b|\ben plein air\b|\barmée de l['’]air\b"
                r"|\bbases? aériennes?\b|\bmétros? aériens?\b"
                r"|\b(?:construction|industrie|constructeurs?) (?:aéronautiques?|automobiles?"
                r"|navale?s?|ferroviaires?)\b|\bconstructeurs? d['’](?:avions|automobiles)\b"
                r"|\bmétropol\w*|\bpistes? (?:cyclables?|de ski)\b|\ben train de\b"
                r"|\bgares? (?:routières?|maritimes?)\b|\b(?:auto)?cars? (?:interurbains?"
                r"|régionaux)\b"
            ),
        ),
        strong=_one_pass(
            {
                "air": r"aéroports?|aérodromes?|aéroportuaires?|compagnies? aériennes?"
                r"|transport aérien|trafic aérien|fret aérien|liaisons? aériennes?|aérogares?"
                r"|pistes?",
                "sea": r"ports?|portuaires?|porte-conteneurs|EVP|TEU|ferries|ferry"
                r"|traversiers?|quais?|docks?|cargos?|péniches?|barges?|terminaux (?:à|de)"
                r"conteneurs|terminal (?:à|de) conteneurs|transport maritime|trafic maritime"
                r"|fret maritime|voies? navigables?|paquebots?|(?:navires?|bateaux?) de"
                r" croisière",
                "rail": r"gares?|ferroviaires?|chemins? de fer|voies? ferrées?|TGV|TER|SNCF"
                r"|Intercités|LGV|lignes? à grande vitesse|trains? à grande vitesse"
                r"|fret ferroviaire|Eurostar|Thalys|trains? de (?:marchandises|fret|voyageurs)"
                r"|gares? de triage|grandes lignes",
                "road": r"autoroutes?|autoroutiers?|autoroutières?|routes? nationales?"
                r"|routes? départementales?|réseau routier|transport routier|trafic routier"
                r"|fret routier|boulevard périphérique|le périphérique|rocades?|camions?"
                r"|poids lourds|péages?|échangeurs?|voies? rapides?|voies? express",
                "transit": r"métros?|tramways?|trams?|autobus|bus urbains?|lignes? de bus"
                r"|réseau de bus|trolleybus|transports? en commun|transports? urbains?"
                r"|transports? publics?|RER|tram-trains?|funiculaires?|téléphériques?|BHNS",
            }
        ),
        weak=_weak(
            {
                "air": r"aériens?|aériennes?|aviation|avions?|vols?|terminal|terminaux"
                r"|passagers",
                "sea": r"maritimes?|navires?|bateaux?|navigables?|canal|canaux|conteneurs?"
                r"|marchandises|fluvia(?:l|le|ux|les)|navigation|écluses?|fleuve|tonnes"
                r"|bassins?",
                "rail": r"trains?|voies?|lignes?|rails?|fret|intermodal\w*|passagers|voyageurs",
                "road": r"routes?|rues?|ponts?|tunnels?|trafic|circulation|voitures?"
                r"|automobiles?|axes?|carrefours?|embouteillages?|bouchons?",
                "transit": r"bus|lignes?|stations?|arrêts?|voyageurs|fréquentation|tarifs?"
                r"|réseau|usagers",
            }
        ),
        numbered_road=re.compile(r"\b(?:A|N|RN|D|RD|E) ?\d{1,4}\b"),
        line=_cues(r"lignes?|métros?|tram\w*|trains?|gares?|stations?|RER"),
        facilities=_facilities(
            r"(?=\w)",
            {
                "air": r"[Aa]éroport (?:international )?(?:de |d['’]|du )?[A-ZÉ][\w-]+"
                r"|[Aa]érodrome (?:de |d['’]|du )?[A-ZÉ][\w-]+",
                "sea": r"(?:[Gg]rand )?[Pp]ort (?:autonome |maritime |fluvial )?(?:de |d['’]"
                r"|du )[A-ZÉ][\w-]+|[Tt]erminal (?:de |d['’]|du )?[A-ZÉ][\w-]+",
                "rail": r"[Gg]are (?:de |d['’]|du |des |de la )?[A-ZÉ][\w-]+|SNCF|TGV|Eurostar"
                r"|Thalys",
                "road": r"\b(?:A|N|RN) ?\d{1,4}\b|[Aa]utoroute (?:du |de l['’]|des )[A-ZÉ]\w+"
                r"|[Bb]oulevard périphérique",
                "transit": r"[Mm]étro (?:de |d['’]|du )[A-ZÉ][\w-]+|[Tt]ramway (?:de |d['’]"
                r"|du )[A-ZÉ][\w-]+|RER|RATP",
            },
        ),
        opener=re.compile(
            r"^(?:(?:[A-ZÉ][a-zéèêàçîô]+(?:é|ée|és|ées|ant)|En|Dans|Avec|À|Au|Aux|Sur|Par"
            r"|Depuis|Comme|Après|Avant|Pendant|Le long de|Outre|Hormis|Selon|Grâce à)\b"
            r"[^,]{0,120},\s*)"
        ),
        verb=_cased(
            r"est|sont|était|étaient|a|ont|avait|fut|sera|dessert|desservent|relie|relient"
            r"|accueille|accueillent|dispose|disposent|compte|comptent|offre|offrent|possède"
            r"|possèdent|permet|permettent|assure|assurent|comprend|comprennent|traverse"
            r"|traversent|se situe|se trouve|située?s?|gère|gèrent|exploite|exploitent|reste"
            r"|peut|peuvent|constitue|constituent|forme|forment|traite|traitent|aussi"
        ),
        rank=_cues(
            r"plus fréquentée?s?|premier|première|premiers|premières|deuxième|troisième"
            r"|\d+e|\d+er|principa(?:l|le|ux|les)|grande?s?|majeure?s?|importante?s?|hubs?"
            r"|plaque tournante|internationa(?:l|le|ux|les)|clés?"
        ),
        volume=_cues(
            r"passagers|voyageurs|EVP|TEU|tonnes|fret|marchandises|millions?|milliards?"
            r"|lignes|routes|gares|stations|arrêts|km|kilomètres|quotidien\w*|par jour|par an"
            r"|chaque (?:jour|année|heure)|annuel\w*|fréquentation|relie|relient|reliant"
            r"|dessert|desservent|desservant|réseau|exploite|exploitent|trafic|liaisons?"
            r"|traverse|traversent|contourne|entoure"
        ),
        history=_cues(
            r"fermée?s?|ancien(?:ne)?s?|autrefois|jadis|abandonnée?s?|désaffectée?s?"
            r"|démolie?s?|disparue?s?|supprimée?s?|hippomobiles?|remplacée?s?|n['’]est plus"
            r"|ne sont plus|histoire|(?:1[0-8]|19[0-6])\d{2}|[XVI]+e siècle|\d{1,2}e siècle"
            r"|antiques?|médiéva\w*|Moyen Âge|de \d{4} à (?:19|200)\d{2}"
        ),
        secondary=_cues(
            r"alternati(?:f|fs|ve|ves)|secondaires?|petite?s?|aviation générale"
            r"|aviation d['’]affaires|municipa(?:l|le|ux|les)|voisine?s?|proches?|autres?"
            r"|aussi|également|plusieurs|régiona(?:l|le|ux|les)|privée?s?|militaires?"
        ),
        past=re.compile(
            r"^[^,]{0,80}\b(?:était|étaient|fut|furent|a été|ont été|commença|arriva)\b"
        ),
        past_tense=_cased(
            r"était|étaient|avait|avaient|fut|furent|a été|ont été|desservait|reliait"
            r"|fonctionnait|servait|commença|arriva|ferma"
        ),
        present_tense=_cased(
            r"est|sont|a|ont|reste|restent|dessert|desservent|relie|relient|accueille|offre"
            r"|propose|comprend|compte|dispose|assure|aujourd['’]hui|actuellement|désormais"
        ),
        planned=_cues(
            r"projetée?s?|prévue?s?|planifiée?s?|envisagée?s?|projets?|serait|seraient"
            r"|pourrait|pourraient|rejetée?s?|reportée?s?|retardée?s?|en construction"
            r"|en cours de construction|étude de faisabilité|devrait|devraient|sera|seront"
        ),
        trivia=_vocabulary(
            r"\b(?:tarifs?|billets?|tickets?|prix|coûts?|coûte|gratuite?s?|souvenirs?"
            r"|boutiques?|magasins?|musées?|films?|chansons?|surnommée?s?|wi-?fi"
            r"|applications?)\b|[$€£¥]\s?\d|\d\s?(?:€|euros\b)"
        ),
        economy=_cues(
            r"économi\w*|PIB|commerce|commercia\w*|exportations?|importations?|logistiques?"
            r"|financi\w*|finance|industri\w*|manufactur\w*|sièges? sociaux|siège|entreprises?"
            r"|sociétés|port|hub|distribution|capitale|plus grande?|plus peuplée?|centre"
        ),
        # "Il est…", "Cette ligne…", "Le port est…" (not "Le port de Marseille", "La gare
        # Saint-Charles": a name or complement says which), "C'est…"; "Il y a" ("there is")
        # leans on nothing.
        dangling=re.compile(
            r"^(?:(?:Il(?! (?:y a|existe|faut)\b)|Elle|Ils|Elles|Son|Sa|Ses|Leur|Leurs|Ce|Cet"
            r"|Cette|Ces|Celui-ci|Celle-ci|Ceux-ci|Celles-ci|Tous deux|Toutes deux"
            r"|Les deux)\b|C['’]est\b"
            r"|(?:Le|La|Les) (?:aéroport|port|gare|ligne|lignes|réseau|système|service"
            r"|compagnie|société|terminal|projet|pont|tunnel|route|autoroute|rocade"
            r"|installation|bâtiment|premier|première|second|seconde|dernier|dernière)\b"
            r"(?! [A-ZÉ]| (?:\w+ )?(?:de|du|des)\b| (?:\w+ )?d['’])"
            r"|L['’](?:aéroport|aérogare|autoroute|ensemble|installation|infrastructure)\b"
            r"(?! [A-ZÉ]| (?:\w+ )?(?:de|du|des)\b| (?:\w+ )?d['’])"
            r"|.*\b(?:cet|cette|ces|ce|le même|la même|les mêmes) (?:aéroport|port|gare|ligne"
            r"|lignes|réseau|système|pont|terminal|route)\b)"
        ),
        stopwords=_words(
            """
            le la les l un une des du de d au aux et ou mais donc or ni car que qu qui quoi dont
            où ce cet cette ces c ça il elle ils elles on se s sa son ses leur leurs lui y en
            dans par pour avec sans sur sous entre vers chez depuis pendant avant après selon
            contre est sont était étaient été être a ont avait avaient avoir fait font peut
            peuvent plus moins très aussi ainsi alors encore déjà toujours comme si non ne pas
            tout tous toute toutes autre autres même mêmes plusieurs certains certaines chaque
            environ près notamment également aujourd'hui lors deux trois quatre cinq six sept
            huit neuf dix premier première second seconde millions million milliards pourcentage
            an ans année années siècle siècles fois grand grande grands grandes principal
            principale principaux nombreux nombreuses partie situé située situés situées
            relie relient propose proposent dispose disposent compte comptent permet permettent
            reste restent devient devenu
            """
        ),
        generic=_words(
            """
            ville villes zone zones population habitants personnes région régions pays état
            états monde commune communes quartier quartiers partie parties centre lieu lieux
            nombre total moyenne taux niveau système systèmes service services voie côté fin
            agglomération métropole grand grande nouveau nouvelle ancien ancienne vieux nombreux
            divers autres nord sud est ouest central centrale janvier février mars avril mai
            juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi
            vendredi samedi dimanche gouvernement autorité rapport estimation
            """
        ),
        name_joiners=_words("de du des la le les"),  # "d'Austerlitz" is a capitalised word
        number_joiners=frozenset(),
        elisions=_words("l d qu c j m n s t jusqu lorsqu puisqu"),
        logistics_noun=_cues(
            r"aéroports?|aérogares?|compagnies?|ports?|terminal|terminaux|gares?|lignes?"
            r"|réseaux?|métros?|tramways?|trams?|autoroutes?|routes?|rocades?|périphériques?"
            r"|ponts?|tunnels?|canal|canaux|quais?|docks?|bassins?|logistique|fret"
            r"|conteneurs?|transports?|chemins?|bus|autobus|zones?|industries?|bourse"
            r"|banques?|sociétés?|groupes?|régie|autorité|entreprises?"
        ),
        not_logistics=_cues(
            r"université|faculté|école|lycée|collège|hôpital|musée|cathédrale|église|basilique"
            r"|prix|festival|guerre|empire|dynastie|indice|patrimoine|gouvernement|ligue"
            r"|révolution|mémorial|assassiné"
        ),
        ordinal=re.compile(r"\d{1,2}(?:er|re|e|ème)"),
        head_first=True,
        adverb_endings=("ment",),
        participle_endings=("ant",),
        foreign_name=re.compile(
            r"^[\s;,]*(?:[a-zé]+ ){0,3}?(?:allemand|anglais|occitan|provençal|catalan|basque"
            r"|breton|flamand|néerlandais|italien|espagnol|portugais|latin|grec|arabe"
            r"|alsacien|corse|picard|francique|arpitan|niçois|gascon|ligure|francoprovençal"
            r"|wallon|créole|hébreu|russe|chinois|japonais)\b|\bprononciation\b|\bécouter\b",
            re.IGNORECASE,
        ),
        abbreviations=_words(
            """
            av apr j.-c jc env hab etc cf ex éd fig vol st ste mme mmes mlle mlles mm dr pr
            boul bd no nos art chap min max c.-à-d cie sté dép arr km
            """
        ),
        sentence_starters=_words(
            """
            le la les l un une des du il elle ils elles on en au aux dans depuis après avant
            pendant par pour avec sur sous selon ce cet cette ces c son sa ses leur leurs
            ainsi alors aujourd'hui cependant toutefois mais puis enfin outre entre plusieurs
            certains certaines tous toutes chaque lors lorsque si quand comme
            """
        ),
        ordinals=False,
        sentiment="textblob-fr 0.2.0 (textblob_fr/fr-sentiment.xml, TextBlob's PatternAnalyzer)",
    )


def _spanish() -> Language:
    """Spanish: noun-first phrases and names; a subject may be only in the verb ("Es…")."""
    return Language(
        code="es",
        transport_title=_terms(
            r"transportes?|comunicaciones|aeropuertos?|aéreo|puertos?|portuario|marítimo"
            r"|fluvial|ferrocarril\w*|ferroviario|trenes|carreteras?|autopistas?|autovías?"
            r"|red viaria|metro|tranvías?|autobuses|autobús|cercanías|movilidad|logística"
            r"|bicicletas?|taxis?|tráfico"
        ),
        economy_title=_terms(
            r"economía|economia|económic\w*|industria\w*|comercio|empresas|finanzas"
            r"|infraestructuras?|sectores?"
        ),
        off_topic_title=_terms(
            r"historia|toponimia|etimología|clima|geografía|relieve|hidrografía|ubicación"
            r"|deportes?|cultura|patrimonio|personajes\w*|ciudades hermanadas|hermanamientos?"
            r"|referencias|véase también|enlaces externos|bibliografía|notas|demografía"
            r"|población|política|gobierno|administración|educación|sanidad|religión"
            r"|gastronomía|fiestas|monumentos|arquitectura|urbanismo|barrios|distritos"
            r"|medios de comunicación|turismo|medio ambiente|parques|calidad del aire"
            r"|contaminación"
        ),
        mode_titles=_modes(
            {
                "air": r"transporte aéreo|aéreo|aeropuertos?|aeródromos?|aviación",
                "sea": r"transporte marítimo|marítimo|puertos?|portuario|fluvial|navegación"
                r"|ferris?|ferries",
                "rail": r"transporte ferroviario|ferroviario|ferrocarril(?:es)?|trenes|tren"
                r"|estaciones|alta velocidad",
                "road": r"carreteras?|autopistas?|autovías?|red viaria"
                r"|transporte por carretera|puentes",
                "transit": r"transporte urbano|transporte público|metro|tranvías?|autobuses"
                r"|autobús|cercanías|movilidad urbana",
            }
        ),
        masks=(
            _mask(
                r"\bclima (?:marítimo|mediterráneo|oceánico|continental)\b|\bnivel del mar\b"
                r"|\bpaseo marítimo\b|\bbrisa marina\b|\b(?:calidad|contaminación) del aire\b"
                r"|\bal aire libre\b|\baire acondicionado\b|\bfuerzas? aéreas?\b"
                r"|\bejército del aire\b|\bbases? aéreas?\b"
                r"|\bindustrias? (?:aeronáutica|automovilística|automotriz|naval|ferroviaria)\b"
                r"|\bfábricas? de (?:aviones|automóviles|coches|trenes|barcos)\b"
                r"|\bpuertos? de montaña\b|\bPuerto Rico\b|\b(?:área|zona) metropolitana\b"
                r"|\bautobuses (?:interurbanos|de largo recorrido)\b|\bestaci(?:ón|ones) de"
                r" (?:autobuses|esquí)\b|\bestaciones del año\b"
            ),
        ),
        strong=_one_pass(
            {
                "air": r"aeropuertos?|aeródromos?|aeroportuari[oa]s?|aerolíneas?"
                r"|compañías? aéreas?|transporte aéreo|tráfico aéreo|carga aérea|vuelos?"
                r"|pistas? de aterrizaje",
                "sea": r"puertos?|portuari[oa]s?|TEU|contenedores|portacontenedores|ferris?"
                r"|ferries|transbordadores?|muelles?|dársenas?|navieras?|cruceros?"
                r"|tráfico marítimo|transporte marítimo|terminal(?:es)? de contenedores"
                r"|autoridad portuaria",
                "rail": r"ferrocarril\w*|ferroviari[oa]s?|alta velocidad|AVE|Alvia|Renfe|Adif"
                r"|vías? férreas?|líneas? férreas?|estaci(?:ón|ones) de (?:tren|ferrocarril)"
                r"|estaci(?:ón|ones) ferroviarias?|larga distancia|media distancia"
                r"|trenes de (?:mercancías|pasajeros)",
                "road": r"autopistas?|autovías?|carreteras? nacionales?|red viaria"
                r"|red de carreteras|circunvalaci(?:ón|ones)|camiones|camión|peajes?"
                r"|transporte por carretera|tráfico rodado|vías? rápidas?",
                "transit": r"metro|metros|metropolitano|suburbano|tranvías?|autobuses"
                r"|autobús urbano|líneas? de autobús|red de autobuses|cercanías"
                r"|transporte público|transporte urbano|transporte colectivo|trolebuses"
                r"|trolebús|funiculares?|teleféricos?|metro ligero|tren ligero",
            }
        ),
        weak=_weak(
            {
                "air": r"aéreos?|aéreas?|aviación|aviones?|terminal(?:es)?|pasajeros",
                "sea": r"marítim[oa]s?|buques?|barcos?|navegables?|canal(?:es)?|contenedor"
                r"|carga|embarcaciones|río|ría|toneladas|navegación|astilleros?",
                "rail": r"tren|trenes|estaci(?:ón|ones)|líneas?|vías?|mercancías|intermodal\w*"
                r"|pasajeros|viajeros",
                "road": r"carreteras?|calles?|puentes?|túnel(?:es)?|tráfico|coches?"
                r"|automóviles?|vehículos|rutas?|accesos?|carriles?|atascos?",
                "transit": r"bus|autobús|líneas?|estaciones|paradas?|pasajeros|viajeros"
                r"|billetes?|tarifas?|red|usuarios",
            }
        ),
        numbered_road=re.compile(r"\b[A-Z]{1,3}-\d{1,3}\b|\b[AN]-[IVX]{1,4}\b"),
        line=_cues(r"líneas?|metro|tranvías?|trenes|tren|estaci(?:ón|ones)|cercanías"),
        facilities=_facilities(
            r"(?=\w)",
            {
                "air": r"[Aa]eropuerto (?:internacional )?(?:de |del )?[A-ZÁÉÍÓÚ][\w-]+",
                "sea": r"[Pp]uerto (?:de |del )[A-ZÁÉÍÓÚ][\w-]+|[Aa]utoridad [Pp]ortuaria"
                r"(?: de| del)? [A-ZÁÉÍÓÚ]\w+|[Tt]erminal (?:de |del )?[A-ZÁÉÍÓÚ]\w+",
                "rail": r"[Ee]staci(?:ón|ones) (?:de |del )?[A-ZÁÉÍÓÚ][\w-]+|Renfe|Adif|AVE"
                r"|Alvia",
                "road": r"\b[A-Z]{1,3}-\d{1,3}\b|[Aa]utopista (?:del |de )[A-ZÁÉÍÓÚ]\w+"
                r"|[Aa]utovía (?:del |de )[A-ZÁÉÍÓÚ]\w+",
                "transit": r"[Mm]etro (?:de |del )[A-ZÁÉÍÓÚ][\w-]+|[Tt]ranvía (?:de |del )"
                r"[A-ZÁÉÍÓÚ][\w-]+|[Cc]ercanías [A-ZÁÉÍÓÚ]\w+",
            },
        ),
        opener=re.compile(
            r"^(?:(?:[A-ZÁÉÍÓÚ][a-záéíóúñ]+(?:ado|ada|ados|adas|ido|ida|idos|idas|ando"
            r"|iendo)|En|Con|A|Al|Desde|Como|Tras|Después de|Antes de|Durante|A lo largo de"
            r"|Además de|Junto a|Según|Gracias a)\b[^,]{0,120},\s*)"
        ),
        verb=_cased(
            r"es|son|era|eran|fue|fueron|ha|han|había|tiene|tienen|tenía|será|cuenta|cuentan"
            r"|une|unen|conecta|conectan|enlaza|enlazan|ofrece|ofrecen|dispone|disponen"
            r"|opera|operan|gestiona|gestionan|recibe|reciben|posee|poseen|atraviesa"
            r"|atraviesan|está|están|se encuentra|se encuentran|se sitúa|situad[oa]"
            r"|ubicad[oa]|comprende|comprenden|incluye|incluyen|forma|forman|sirve|sirven"
            r"|mueve|mueven|registra|registran|puede|pueden|también"
        ),
        rank=_cues(
            r"más transitad[oa]s?|mayor(?:es)?|más grandes?|grandes?|principal(?:es)?|primer"
            r"|primer[oa]s?|segund[oa]s?|tercer[oa]?s?|importantes?|centro neurálgico|nudo"
            r"|hub|internacional(?:es)?|clave|líder(?:es)?|\d+\.?[ºª]"
        ),
        volume=_cues(
            r"pasajeros|viajeros|TEU|toneladas|mercancías|carga|millones|millón|líneas|rutas"
            r"|estaciones|paradas|km|kilómetros|diari[oa]s?|al día|al año|por año|anual\w*"
            r"|cada (?:día|hora|año)|une|unen|conecta|conectan|enlaza|enlazan|sirve|atiende"
            r"|red|opera|operan|tráfico|conexi(?:ón|ones)|rodea|atraviesa"
        ),
        history=_cues(
            r"cerrad[oa]s?|antigu[oa]s?|anteriormente|antaño|abandonad[oa]s?"
            r"|desmantelad[oa]s?|demolid[oa]s?|desaparecid[oa]s?|suprimid[oa]s?"
            r"|sustituid[oa]s?|reemplazad[oa]s?|ya no|historia|tracción animal"
            r"|(?:1[0-8]|19[0-6])\d{2}|siglo [XVI]+|antigüedad|medieval\w*"
            r"|de \d{4} a (?:19|200)\d{2}"
        ),
        secondary=_cues(
            r"alternativ[oa]s?|secundari[oa]s?|menor(?:es)?|más pequeñ[oa]s?"
            r"|aviación general|municipal(?:es)?|cercan[oa]s?|próxim[oa]s?|otr[oa]s?|también"
            r"|varios|varias|regional(?:es)?|privad[oa]s?|militar(?:es)?"
        ),
        past=re.compile(r"^[^,]{0,80}\b(?:era|eran|fue|fueron|comenzó|llegó|llegaron)\b"),
        past_tense=_cased(
            r"era|eran|fue|fueron|había|habían|tenía|tenían|funcionaba|unía|servía|comenzó"
            r"|llegó|cerró"
        ),
        present_tense=_cased(
            r"es|son|tiene|tienen|está|están|sigue|siguen|une|conecta|ofrece|cuenta|dispone"
            r"|opera|recibe|actualmente|hoy|hoy en día"
        ),
        planned=_cues(
            r"proyectad[oa]s?|previst[oa]s?|planead[oa]s?|planificad[oa]s?|propuest[oa]s?"
            r"|proyectos?|sería|serían|podría|podrían|rechazad[oa]s?|aplazad[oa]s?"
            r"|retrasad[oa]s?|en construcción|estudio de viabilidad|será|serán|se prevé"
            r"|está previsto"
        ),
        trivia=_vocabulary(
            r"\b(?:tarifas?|billetes?|precios?|costes?|costos?|gratuit[oa]s?|recuerdos?"
            r"|tiendas?|museos?|películas?|canciones?|apodad[oa]s?|wi-?fi|aplicaci(?:ón|ones)"
            r")\b|[$€£¥]\s?\d|\d\s?(?:€|euros\b)"
        ),
        economy=_cues(
            r"econom\w*|económic[oa]s?|PIB|comercio|comercial\w*|exportaci\w*|importaci\w*"
            r"|logístic[oa]s?|financier[oa]s?|finanzas|industria\w*|manufactur\w*|sede"
            r"|empresas|compañías|puerto|distribución|capital|mayor|más poblad[oa]|centro"
        ),
        # Spanish drops the subject pronoun, so a sentence opening on its verb ("Es el
        # segundo puerto…", "Cuenta con dos terminales") leans on the one before too.
        dangling=re.compile(
            r"^(?:(?:Él|Ella|Ellos|Ellas|Su|Sus|Este|Esta|Estos|Estas|Ese|Esa|Esos|Esas|Dicho"
            r"|Dicha|Dichos|Dichas|Ambos|Ambas|Tal|Tales)\b(?! [A-ZÁÉÍÓÚ])"
            r"|(?:Es|Son|Fue|Fueron|Cuenta|Cuentan|Tiene|Tienen|Dispone|Disponen|Ofrece"
            r"|Ofrecen|Conecta|Conectan|Une|Unen|Recibe|Reciben|Opera|Operan|Está|Están"
            r"|Se (?:encuentra|sitúa|ubica|trata))\b"
            r"|(?:El|La|Los|Las) (?:aeropuerto|puerto|estación|línea|líneas|red|sistema"
            r"|servicio|compañía|empresa|terminal|proyecto|puente|túnel|ruta|carretera"
            r"|autopista|autovía|instalación|edificio|primero|primera|segundo|segunda|último"
            r"|última)\b(?! [A-ZÁÉÍÓÚ]| (?:\w+ )?(?:de|del)\b)"
            r"|.*\b(?:este|esta|estos|estas|dicho|dicha|dichos|dichas|el mismo|la misma)"
            r" (?:aeropuerto|puerto|estación|línea|líneas|red|sistema|puente|terminal|ruta)\b)"
        ),
        stopwords=_words(
            """
            el la los las lo un una unos unas y e o u pero sino que quien quienes cual cuales
            cuyo cuya de del al a en con por para sin sobre entre hacia hasta desde durante
            según tras ante bajo contra se su sus es son era eran fue fueron ser sido siendo
            está están estaba estaban ha han había habían haber hay tiene tienen tenía muy más
            menos también además ya aún como cuando donde mientras si no ni este esta estos
            estas ese esa esos esas aquel aquella otro otra otros otras todo toda todos todas
            cada varios varias algunos algunas mismo misma mismos mismas le les me te nos
            dos tres cuatro cinco seis siete ocho nueve diez primer primera primero segundo
            segunda millones millón miles año años siglo siglos vez veces gran grande grandes
            principal principales parte aproximadamente situado situada une unen
            cuenta cuentan ofrece ofrecen recibe reciben llega llegan
            """
        ),
        generic=_words(
            """
            ciudad ciudades área áreas zona zonas población habitantes personas región regiones
            país países estado estados mundo municipio municipios barrio barrios distrito
            distritos parte partes centro lugar lugares número hoy total media tasa nivel
            sistema sistemas servicio servicios vía lado nuevo nueva viejo vieja muchos varios
            otros norte sur este oeste central enero febrero marzo abril mayo junio julio
            agosto septiembre octubre noviembre diciembre lunes martes miércoles jueves viernes
            sábado domingo gobierno autoridad informe
            """
        ),
        name_joiners=_words("de del la las los el"),
        number_joiners=_words("de"),
        elisions=frozenset(),
        logistics_noun=_cues(
            r"aeropuertos?|aerolíneas?|puertos?|terminal(?:es)?|estaci(?:ón|ones)|líneas?"
            r"|redes|red|metro|tranvías?|autopistas?|autovías?|carreteras?"
            r"|circunvalaci(?:ón|ones)|puentes?|túnel(?:es)?|canal(?:es)?|muelles?|dársenas?"
            r"|logística|carga|contenedores|transportes?|ferrocarril(?:es)?|autobuses|zonas?"
            r"|industrias?|bolsa|bancos?|compañías?|empresas?|grupos?|autoridad|consorcio"
        ),
        not_logistics=_cues(
            r"universidad|facultad|escuela|colegio|instituto|hospital|museo|catedral|iglesia"
            r"|basílica|premio|festival|guerra|imperio|dinastía|índice|patrimonio|gobierno"
            r"|liga|revolución|monumento|asesinad[oa]"
        ),
        ordinal=re.compile(r"\d{1,2}\.?[ºª]"),
        head_first=True,
        adverb_endings=("mente",),
        participle_endings=("ando", "iendo"),
        foreign_name=re.compile(
            r"^[\s;,]*(?:[a-zéáíóú]+ ){0,3}?(?:valenciano|catalán|euskera|vasco|gallego"
            r"|inglés|francés|alemán|portugués|italiano|latín|árabe|asturiano|aragonés"
            r"|aranés|occitano|griego|hebreo|ruso|chino|japonés)\b|\bpronunciación\b"
            r"|\bescuchar\b",
            re.IGNORECASE,
        ),
        abbreviations=_words(
            """
            sr sra srta sres sras dr dra dña avda av etc aprox núm n.º pág págs ee uu ee.uu hab
            a.c d.c st sta sto prov dpto admón ud uds vol cap art km ej p.ej máx mín
            """
        ),
        sentence_starters=_words(
            """
            el la los las lo un una unos unas en de del desde durante tras después antes con
            por para sobre según este esta estos estas ese esa esos esas su sus se es fue hoy
            allí así además sin entre también pero aunque cuando como muchos muchas varios
            varias algunos algunas todos todas cada otro otra
            """
        ),
        ordinals=False,
        sentiment=None,
        sentiment_reason=(
            "No kept Spanish sentiment lexicon: neither TextBlob nor Pattern ships one for "
            "Spanish, and the Spanish packages on PyPI are unmaintained classifiers on other "
            "scales, not comparable with the other languages' polarity."
        ),
    )


# Profiles are built on first request: importing this module compiles nothing, and an
# English brief builds no other profile.
_BUILDERS: dict[str, Callable[[], Language]] = {
    "en": _english,
    "de": _german,
    "fr": _french,
    "es": _spanish,
}
CODES = tuple(_BUILDERS)


@cache
def for_code(code: str) -> Language | None:
    """The profile of a Wikipedia language code, or None when citybrief has none."""
    build = _BUILDERS.get(code)
    return build() if build else None
