"""What the analysis needs to know about a language: headings, vocabularies, sentence rules.

A brief reads one Wikipedia edition, and each edition names its sections, its transport
modes and its abbreviations in its own words. ``for_code`` gives the profile of the
languages citybrief knows (en, de, fr, es); any other edition has none, and the analysis
then computes only what needs no language knowledge and says so (see ``analysis``).

Vocabularies are regular-expression alternations, matched case-insensitively between word
boundaries. German compounds its nouns ("Containerhafen", "Hauptbahnhof"), so its terms
take ``\\w*`` where a compound is productive, with a negative lookahead where a compound
belongs to another mode ("Straßenbahn" is transit, "Autobahn" road, "Flughafen" air).
Profiles other than English are built, and every profile's regexes compiled, on first use:
importing this module compiles nothing, and an English brief builds no other profile.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property

from .text import _ABBREVIATIONS, _SENTENCE_STARTERS

MODE_NAMES = ("air", "sea", "rail", "road", "transit")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, eq=False)
class Language:
    """One language's analysis profile.

    ``sentiment`` names the lexicon that scores this language (None: no kept lexicon
    exists, and ``sentiment_reason`` says why the brief's sentiment is null).
    """

    code: str
    relevant_headings: str  # sections (at any level) worth analysing, with their subsections
    off_topic_headings: str  # top-level sections never analysed, whatever their subsections
    transport_headings: str  # sections whose sentences count as about transport
    mode_terms: Mapping[str, str]  # per mode in MODE_NAMES
    economy_terms: str
    abbreviations: frozenset[str]  # lower case, without the final period
    sentence_starters: frozenset[str]  # lower case; none may be an abbreviation
    stopwords: frozenset[str]
    sentiment: str | None
    sentiment_reason: str | None = None
    ordinals: bool = False  # "3. Oktober": a number with a period may be an ordinal

    @cached_property
    def relevant_title(self) -> re.Pattern[str]:
        return _between_words(self.relevant_headings)

    @cached_property
    def off_topic_top(self) -> re.Pattern[str]:
        return _between_words(self.off_topic_headings)

    @cached_property
    def transport_title(self) -> re.Pattern[str]:
        return _between_words(self.transport_headings)

    @cached_property
    def modes(self) -> dict[str, re.Pattern[str]]:
        return {mode: _between_words(self.mode_terms[mode]) for mode in MODE_NAMES}

    @cached_property
    def vocabulary(self) -> re.Pattern[str]:
        """All terms in one pass (a sentence is scanned once, not six times).

        A match belongs to the first group that takes it, so "public transport" is transit
        before economy. Every term starts with a letter (or ``\\w``): the lookahead rejects
        a word's *end* boundary before trying ~110 alternatives there (~40% faster).
        """
        groups = [*((m, self.mode_terms[m]) for m in MODE_NAMES), ("economy", self.economy_terms)]
        return re.compile(
            r"\b(?=[^\W\d_])(?:" + "|".join(f"(?P<{g}>{t})" for g, t in groups) + r")\b",
            re.IGNORECASE,
        )


def _between_words(alternation: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


ENGLISH = Language(
    code="en",
    relevant_headings=(
        r"transport\w*|infrastructure|econom\w*|ports?|harbou?rs?|airports?|aviation"
        r"|rail\w*|geography|transit|highways?|expressways?|freight|shipping"
        r"|logistics|trade|industry|commerce"
    ),
    # Past ports and sports' road races are not logistics, whatever their sub-heading says.
    off_topic_headings=r"histor\w*|sports?|cultur\w*|notable|see also|references",
    transport_headings=(
        r"transport\w*|ports?|harbou?rs?|airports?|aviation|rail\w*|transit|roads?"
        r"|highways?|expressways?|freeways?|motorways?|freight|shipping|logistics|metro"
        r"|subway|bus\w*|trams?|ferr\w+|air|sea|water"
    ),
    # Ferries count as sea: in a logistics brief they are port traffic (ro-ro, car ferries),
    # and city water buses are rare in these articles. Light rail and commuter rail are
    # transit, so "rail" inside those phrases is not (freight/intercity) rail.
    mode_terms={
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
    },
    economy_terms=(
        r"cargo|freight|logistics|trade|exports?|imports?|GDP|econom(?:y|ic)|hubs?"
        r"|industr(?:y|ies|ial)|manufacturing|distribution|warehous\w*|tonnes|tons|passengers"
        r"|transport(?:ation)?|commerce|financial|busiest|largest"
    ),
    abbreviations=_ABBREVIATIONS,
    sentence_starters=_SENTENCE_STARTERS,
    stopwords=_words(
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
        """
    ),
    sentiment="TextBlob PatternAnalyzer (textblob/en/en-sentiment.xml)",
)


def _german() -> Language:
    """German: nouns compound, ordinals take a period."""
    return Language(
        code="de",
        # No "Geographie": its subsections are Lage, Klima, Stadtgliederung, never logistics.
        relevant_headings=(
            r"\w*verkehr\w*|infrastruktur\w*|wirtschaft\w*|\w*häfen|(?!flug)\w*hafen\w*"
            r"|flughafen\w*|luftfahrt|\w*bahn\w*|eisenbahn\w*|logistik|handel|industrie\w*"
            r"|schifffahrt|unternehmen"
        ),
        off_topic_headings=(
            r"geschichte|klima|sport\w*|kultur\w*|persönlichkeiten|söhne und töchter\w*"
            r"|sehenswürdigkeiten|einzelnachweise|literatur|weblinks|siehe auch|politik"
            r"|religion\w*|name|namensherkunft|bevölkerung\w*|einwohnerentwicklung|bildung\w*"
        ),
        transport_headings=(
            r"\w*verkehr\w*|\w*häfen|\w*hafen\w*|luftfahrt|\w*bahn\w*|\w*straßen|schifffahrt"
            r"|logistik|nahverkehr|bus\w*"
        ),
        mode_terms={
            "air": r"flug\w*|\w*flughafen\w*|\w*flughäfen|luftverkehr\w*|luftfracht\w*|luftfahrt\w*"
            r"|\w*fluggesellschaft\w*|\w*flugplatz\w*|\w*flugplätze|airlines?|airports?"
            r"|\w*landebahn\w*|\w*startbahn\w*",
            "sea": r"(?!flug)\w*hafen\w*|(?!flug)\w*häfen\w*|\w*schiff\w*|reederei\w*|container\w*"
            r"|TEU|\w*werft\w*|\w*werften|fähr\w*|\w+fähren?|\w*kai|kaianlage\w*|seeweg\w*"
            r"|binnenschiff\w*|\w*frachter",
            "rail": r"(?!straßen|stadt|hoch|auto|u-|s-|start|lande|fahr|seil|schwebe)\w*bahn\w*"
            r"|\w*bahnhöfe|zug|züge|zuges|\w*güterzüge?|\w*zugverbindung\w*|ICE|Intercity\w*"
            r"|gleis\w*|\w*schienen\w*",
            "road": r"\w*autobahn\w*|bundesstraße\w*|\w*fernstraße\w*|\w*straßennetz\w*"
            r"|straßenverkehr\w*|umgehungsstraße\w*|ringstraße\w*|lkw\w*|lastwagen\w*"
            r"|lastkraftwagen\w*|maut\w*",
            "transit": r"straßenbahn\w*|stadtbahn\w*|U-Bahn\w*|S-Bahn\w*|\w*busse|\w*buslinie\w*"
            r"|bus|omnibus\w*|O-Bus\w*|oberleitungsbus\w*|tram\w*|metro\w*|ÖPNV"
            r"|öffentliche[nr]? (?:personen)?nahverkehr\w*|\w*nahverkehr\w*|verkehrsverbund\w*"
            r"|hochbahn\w*|schwebebahn\w*|seilbahn\w*",
        },
        economy_terms=(
            r"wirtschaft\w*|\w+wirtschaft|handel\w*|\w+handel|export\w*|import\w*|\w*industrie\w*"
            r"|logistik\w*|güter\w*|\w*umschlag\w*|tonnen|fracht\w*|unternehmen|\w+unternehmen"
            r"|bruttoinlandsprodukt|BIP|arbeitsplätze|beschäftigte|passagiere|fluggäste"
            r"|fahrgäste|\w*drehkreuz\w*|verkehrsknoten\w*|größte[nrs]?|bedeutendste[nrs]?"
            r"|finanz\w*|standort\w*|spedition\w*|\w*speditionen"
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
            damit jedoch zudem außerdem sowie sowohl etwa rund ca bzw usw etwa insbesondere vor
            allem jahr jahre jahren jahrhundert jahrhunderts prozent millionen million milliarden
            zwei drei vier fünf sechs sieben acht neun zehn ersten erste erster zweite zweiten
            größte größten wichtigste wichtigsten neue neuen unter anderem beim vom ins ans
            liegt liegen lag lagen gibt gab gilt galt führt führen fährt fahren verbindet
            verbinden erreicht erreichen zählt zählen gehört gehören befindet befinden steht
            stehen bietet bieten kommt kommen geht gehen macht machen entstand entstanden
            """
        ),
        sentiment=None,
        sentiment_reason=(
            "No kept German sentiment lexicon: textblob-de 0.4.3 (last released 2019) fails "
            "to import with TextBlob 0.18+ (it needs the removed textblob.translate), its "
            "scores depend on its own lemmatiser, and its lexicon has no subjectivity values."
        ),
        ordinals=True,
    )


def _french() -> Language:
    """French."""
    return Language(
        code="fr",
        # No "Géographie": its subsections are Situation, Climat, Relief, never logistics.
        relevant_headings=(
            r"transports?|voies de communication|infrastructures?|économie|economie"
            r"|activités? économiques?|ports?|aéroports?|transport aérien|ferroviaires?"
            r"|logistique|commerce|industries?|desserte|mobilités?"
        ),
        off_topic_headings=(
            r"histoire|toponymie|climat|sports?|cultures?|culture et patrimoine|patrimoine"
            r"|personnalités\w*|jumelages?|héraldique|notes et références|références"
            r"|voir aussi|bibliographie|liens externes|politique\w*|démographie|enseignement"
            r"|santé|cultes?|monuments?"
        ),
        transport_headings=(
            r"transports?|voies de communication|aéroports?|transport aérien|ports?|maritimes?"
            r"|fluvia(?:l|le|ux)|ferroviaires?|gares?|routes?|autoroutes?|réseau routier"
            r"|métro|tramways?|bus|desserte|mobilités?"
        ),
        mode_terms={
            "air": r"aéroports?|aérodromes?|aéroportuaires?|aériens?|aériennes?"
            r"|compagnies aériennes|vols?|fret aérien|aviation|avions?|aérogares?",
            "sea": r"ports?|portuaires?|maritimes?|navires?|porte-conteneurs|conteneurs?|EVP|TEU"
            r"|ferries|ferry|traversiers?|quais?|docks?|chantiers? nava(?:l|ls)"
            r"|fluvia(?:l|le|ux|les)|péniches?|armateurs?|navigation|écluses?",
            "rail": r"gares?|ferroviaires?|chemins? de fer|voies? ferrées?|(?<!en )trains?|TGV|TER"
            r"|SNCF|Intercités|LGV|lignes? à grande vitesse|grande vitesse|fret ferroviaire"
            r"|Eurostar",
            "road": r"autoroutes?|autoroutiers?|autoroutières?|routes? nationales?"
            r"|routes? départementales?|réseau routier|routiers?|routières?|périphériques?"
            r"|rocades?|camions?|poids lourds|péages?|échangeurs?",
            "transit": r"métros?|métropolitain|tramways?|trams?|bus|autobus|trolleybus"
            r"|transports? en commun|transports? urbains?|RER|tram-trains?|funiculaires?"
            r"|téléphériques?|lignes? de bus|réseau de bus|BHNS",
        },
        economy_terms=(
            r"économi\w*|commerce|commercia\w*|exportations?|importations?|industri\w*"
            r"|logistiques?|fret|marchandises|tonnes|PIB|emplois?|entreprises?|plates?-formes?"
            r"|plateformes?|hubs?|passagers|voyageurs|trafic|premier|première|principa(?:l|le|ux|les)"
            r"|financi\w*"
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
        sentiment="textblob-fr 0.2.0 (textblob_fr/fr-sentiment.xml, TextBlob's PatternAnalyzer)",
    )


def _spanish() -> Language:
    """Spanish."""
    return Language(
        code="es",
        # No "Geografía": its subsections are Ubicación, Clima, Relieve, never logistics.
        relevant_headings=(
            r"transportes?|infraestructuras?|economía|economia|puertos?|aeropuertos?"
            r"|ferrocarril\w*|comunicaciones|logística|comercio|industria\w*|movilidad"
        ),
        off_topic_headings=(
            r"historia|toponimia|clima|deportes?|cultura|patrimonio|personajes\w*"
            r"|ciudades hermanadas|hermanamientos?|referencias|véase también|enlaces externos"
            r"|bibliografía|notas|demografía|política|educación|gastronomía|fiestas"
            r"|monumentos"
        ),
        transport_headings=(
            r"transportes?|puertos?|aeropuertos?|ferrocarril\w*|carreteras?|autopistas?|metro"
            r"|autobuses|tranvías?|movilidad|comunicaciones|marítimo|aéreo"
        ),
        mode_terms={
            "air": r"aeropuertos?|aeródromos?|aeroportuari[oa]s?|aéreos?|aéreas?|aerolíneas?"
            r"|vuelos?|aviación|aviones?|pistas? de aterrizaje",
            "sea": r"puertos?|portuari[oa]s?|marítim[oa]s?|buques?|barcos?|contenedores?|TEU"
            r"|ferris?|ferries|transbordadores?|muelles?|dársenas?|astilleros?|navieras?"
            r"|navegación|cruceros?",
            "rail": r"ferrocarril\w*|ferroviari[oa]s?|trenes|tren|AVE|alta velocidad|Renfe"
            r"|vías? férreas?|líneas? férreas?|estaci(?:ón|ones) de tren",
            "road": r"autopistas?|autovías?|carreteras?|red viaria|circunvalaci(?:ón|ones)"
            r"|camiones|camión|peajes?|transporte por carretera",
            "transit": r"metro|metropolitano|suburbano|tranvías?|autobuses|autobús|bus|buses"
            r"|cercanías|transporte público|transporte urbano|transporte colectivo|trolebuses"
            r"|trolebús|funiculares?|funicular|teleféricos?",
        },
        economy_terms=(
            r"económic[oa]s?|economía|comercio|comercial\w*|exportaci(?:ón|ones)"
            r"|importaci(?:ón|ones)|industria\w*|logístic[oa]s?|mercancías|carga|toneladas|PIB"
            r"|empleos?|empresas?|pasajeros|viajeros|tráfico|principal(?:es)?|mayor(?:es)?"
            r"|financier[oa]s?"
        ),
        abbreviations=_words(
            """
            sr sra srta sres sras dr dra dña avda av etc aprox núm n.º pág págs ee uu ee.uu hab
            a.c d.c st sta sto prov dpto admón ud uds vol cap art km aprox ej p.ej máx mín
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
            principal principales parte aproximadamente situado situada une unen tiene
            cuenta cuentan ofrece ofrecen recibe reciben llega llegan
            """
        ),
        sentiment=None,
        sentiment_reason=(
            "No kept Spanish sentiment lexicon: neither TextBlob nor Pattern ships one for "
            "Spanish, and the Spanish packages on PyPI are unmaintained classifiers on other "
            "scales, not comparable with the other languages' polarity."
        ),
    )


# Other profiles are built on first request, so an English brief builds none of them.
_BUILDERS: dict[str, Callable[[], Language]] = {"de": _german, "fr": _french, "es": _spanish}
CODES = ("en", *_BUILDERS)


@cache
def for_code(code: str) -> Language | None:
    """The profile of a Wikipedia language code, or None when citybrief has none."""
    if code == ENGLISH.code:
        return ENGLISH
    build = _BUILDERS.get(code)
    return build() if build else None
