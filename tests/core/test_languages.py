"""Language profiles: sentence rules and vocabularies of German, French and Spanish."""

from __future__ import annotations

import subprocess
import sys

import pytest

from citybrief.languages import CODES, MODE_NAMES, for_code
from citybrief.text import split_sentences


def _split(code: str, text: str) -> list[str]:
    language = for_code(code)
    assert language is not None
    return split_sentences(
        text, language.abbreviations, language.sentence_starters, ordinals=language.ordinals
    )


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        (
            "de",
            "Sie hat z. B. einen Hafen bzw. eine Werft. Die Linie Nr. 3 fährt nach St. Pauli.",
            ["Sie hat z. B. einen Hafen bzw. eine Werft.", "Die Linie Nr. 3 fährt nach St. Pauli."],
        ),
        (
            "de",
            "Am 3. Oktober 1990 kam die Einheit. Das war im 19. Jahrhundert. Sie kam auf Platz 3. "
            "Die anderen folgten. Er kam 1990. Danach wuchs die Stadt.",
            [
                "Am 3. Oktober 1990 kam die Einheit.",
                "Das war im 19. Jahrhundert.",
                "Sie kam auf Platz 3.",
                "Die anderen folgten.",
                "Er kam 1990.",
                "Danach wuchs die Stadt.",
            ],
        ),
        (
            "fr",
            "Fondée vers 600 av. J.-C. par des Grecs, elle compte env. 870 000 hab. aujourd'hui. "
            "Elle date de 52 av. J.-C. La ville grandit. M. Dupont est maire.",
            [
                "Fondée vers 600 av. J.-C. par des Grecs, elle compte env. 870 000 hab. "
                "aujourd'hui.",
                "Elle date de 52 av. J.-C.",
                "La ville grandit.",
                "M. Dupont est maire.",
            ],
        ),
        (
            "es",
            "El Sr. García vive en la Avda. del Puerto. Fue fundada en 138 a. C. por los romanos. "
            "Viajó a EE. UU. en 1990. La ciudad creció.",
            [
                "El Sr. García vive en la Avda. del Puerto.",
                "Fue fundada en 138 a. C. por los romanos.",
                "Viajó a EE. UU. en 1990.",
                "La ciudad creció.",
            ],
        ),
    ],
)
def test_sentences_follow_the_languages_abbreviations(
    code: str, text: str, expected: list[str]
) -> None:
    # GIVEN text with the language's abbreviations and (German) ordinals
    # WHEN split with its profile THEN no abbreviation or ordinal ends a sentence
    assert _split(code, text) == expected
    # AND the English rules would have cut it wrongly
    assert split_sentences(text) != expected


@pytest.mark.parametrize(
    ("code", "word", "group"),
    [
        ("de", "Flughafen", "air"),
        ("de", "Frachtflughäfen", "air"),
        ("de", "Containerhafen", "sea"),
        ("de", "Fähren", "sea"),
        ("de", "Hauptbahnhof", "rail"),
        ("de", "ICE-Züge", "rail"),
        ("de", "Autobahnen", "road"),
        ("de", "Lkw-Verkehr", "road"),
        ("de", "Straßenbahnnetz", "transit"),
        ("de", "S-Bahn", "transit"),
        ("de", "U-Bahn-Linie", "transit"),
        ("de", "Hochbahn", "transit"),
        ("fr", "aéroport", "air"),
        ("fr", "portuaires", "sea"),
        ("fr", "TGV", "rail"),
        ("fr", "autoroutes", "road"),
        ("fr", "tramway", "transit"),
        ("es", "aeropuerto", "air"),
        ("es", "puertos", "sea"),
        ("es", "ferrocarril", "rail"),
        ("es", "autovía", "road"),
        ("es", "cercanías", "transit"),
    ],
)
def test_strong_terms_put_each_word_in_its_mode(code: str, word: str, group: str) -> None:
    # GIVEN a word of a language's strong transport vocabulary
    language = for_code(code)
    assert language is not None
    # WHEN the one-pass vocabulary scans it (lower-cased, as the analysis does)
    match = language.strong.search(f"hier: {word}.".lower())
    # THEN its own mode takes the word (a hyphenated compound at least by its first part:
    # "U-Bahn-Linie", "Lkw-Verkehr")
    assert match is not None and match.lastgroup == group
    assert match[0] == word.lower() or word.lower().startswith(match[0] + "-")


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("de", "Ein Ausflug in die Kultur: er verhandelte und wurde behandelt."),
        ("de", "Der Flugzeugbau und die Luftfahrtindustrie der Metropolregion wachsen."),
        ("fr", "Il est en train de lire, la porte est ouverte, au bord de la mer."),
        ("fr", "La construction aéronautique fait vivre la métropole."),
        ("es", "El paseo marítimo y el puerto de montaña del área metropolitana."),
    ],
)
def test_vocabulary_ignores_look_alike_words(code: str, text: str) -> None:
    # GIVEN words that contain a term, or phrases whose mode word is no mode ("Ausflug",
    # "en train de", "Flugzeugbau", "paseo marítimo", "puerto de montaña")
    language = for_code(code)
    assert language is not None
    # WHEN masked and scanned as the analysis does THEN no mode's term is left
    masked = text
    for mask in language.masks:
        masked = mask.sub(" ", masked)
    lower = masked.lower()
    assert language.strong.search(lower) is None
    assert not any(weak.search(lower) for weak in language.weak.values()), lower


def test_profiles_cover_every_mode_and_only_known_codes() -> None:
    # GIVEN the registry WHEN asked THEN de/fr/es/en have full profiles and others none
    assert set(CODES) == {"en", "de", "fr", "es"}
    for code in CODES:
        language = for_code(code)
        assert language is not None and language.code == code
        assert set(language.mode_titles) == set(language.weak) == set(MODE_NAMES)
        assert set(language.strong.groupindex) == set(language.facilities.groupindex)
        assert set(language.strong.groupindex) == set(MODE_NAMES)
        assert (language.sentiment is None) == (language.sentiment_reason is not None)
    assert for_code("it") is None
    assert for_code("simple") is None


def test_importing_the_profiles_builds_and_compiles_nothing() -> None:
    # GIVEN a fresh interpreter WHEN citybrief.languages is imported (as /openapi.json does)
    code = (
        "import re\n"
        "import citybrief.text\n"
        "before = len(re._cache)\n"
        "from citybrief import languages as L\n"
        "print(L.for_code.cache_info().currsize, len(re._cache) - before)\n"
        "L.for_code('en')\n"
        "print(len(re._cache) - before > 20)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # THEN no profile is built and no pattern of one compiled (as the first request does)
    assert out.stdout.split() == ["0", "0", "True"]


@pytest.mark.parametrize(
    ("code", "sentence", "leans"),
    [
        ("de", "Der Hafen erstreckt sich über 70 Quadratkilometer.", True),
        ("de", "Von dort starten Flüge zu Zielen in ganz Europa.", True),
        ("de", "Der Hafen Hamburg ist der größte Seehafen Deutschlands.", False),
        ("de", "Es gibt zwei Flughäfen in der Stadt.", False),
        ("fr", "Il est relié au centre par une navette.", True),
        ("fr", "Le port est le premier de France.", True),
        ("fr", "Le port de Marseille est le premier de France.", False),
        ("fr", "La gare de la Part-Dieu est très fréquentée.", False),
        ("fr", "Il y a deux aéroports près de la ville.", False),
        ("es", "Cuenta con dos terminales de pasajeros.", True),
        ("es", "Esta línea une el centro con el puerto.", True),
        ("es", "El puerto de Valencia mueve cinco millones de TEU.", False),
    ],
)
def test_a_sentence_leans_on_the_one_before_by_its_languages_words(
    code: str, sentence: str, leans: bool
) -> None:
    # GIVEN a sentence whose subject is a pronoun, a bare "the port" or a verb (Spanish
    # drops the pronoun) - or a named subject, or "there is"
    language = for_code(code)
    assert language is not None
    # WHEN its start is read THEN only the first kind leans on the sentence before
    assert (language.dangling.match(sentence) is not None) is leans


@pytest.mark.parametrize(
    ("code", "heading", "current", "past"),
    [
        (
            "de",
            "Verkehr",
            "Der Flughafen Köln ist mit 12 Millionen Passagieren der größte der Region.",
            "Die ehemalige Pferdebahn wurde 1895 stillgelegt und durch Busse ersetzt.",
        ),
        (
            "fr",
            "Transports",
            "L'aéroport de Nantes accueille 7 millions de passagers par an.",
            "L'ancienne ligne de tramway hippomobile fut supprimée en 1911.",
        ),
        (
            "es",
            "Transporte",
            "El aeropuerto de Málaga recibe 20 millones de pasajeros al año.",
            "El antiguo tranvía de tracción animal fue suprimido en 1901.",
        ),
    ],
)
def test_evidence_is_what_a_planner_can_use_today(
    code: str, heading: str, current: str, past: str
) -> None:
    from citybrief.analysis import analyse

    # GIVEN a transport section with a ranked, current fact and a closed, historic one
    extract = f"Ort ist eine Stadt.\n\n== {heading} ==\n{current} {past}\n"
    # WHEN analysed in its language
    evidence = analyse(extract, 5, lang=code)["logistics"]
    shown = [item["text"] for items in evidence.values() for item in items]
    # THEN the current fact is evidence and the history is not
    assert current in shown, evidence
    assert not any(past in text for text in shown), evidence


@pytest.mark.parametrize(
    ("code", "lead", "clean"),
    [
        (
            "fr",
            "Marseille (en occitan Marselha) est une ville portuaire du sud de la France.",
            "Marseille est une ville portuaire du sud de la France.",
        ),
        (
            "es",
            "Bilbao (en euskera Bilbo) es una ciudad portuaria del norte de España.",
            "Bilbao es una ciudad portuaria del norte de España.",
        ),
        (
            "de",
            "Leipzig (sorbisch Lipsk) ist eine Stadt mit einem großen Flughafen.",
            "Leipzig ist eine Stadt mit einem großen Flughafen.",
        ),
    ],
)
def test_the_name_in_another_language_is_not_prose(code: str, lead: str, clean: str) -> None:
    from citybrief.analysis import analyse

    # GIVEN a lead that gives the city's name in a regional language, in brackets
    # WHEN analysed in the article's language THEN the summary drops the bracket
    assert analyse(lead, 1, lang=code)["summary"] == [clean]


def test_names_led_by_a_facility_noun_are_key_phrases() -> None:
    from citybrief.analysis import analyse

    # GIVEN French prose naming facilities noun first, one behind an elided article
    text = (
        "Paris est la capitale de la France.\n\n== Transports ==\n"
        "La gare d'Austerlitz dessert le sud-ouest. La gare d'Austerlitz est rénovée. "
        "L'aéroport de Paris-Orly accueille 30 millions de passagers. "
        "L'aéroport de Paris-Orly est au sud.\n"
    )
    # WHEN key phrases are extracted THEN they are the names, without the elided article
    phrases = analyse(text, 3, lang="fr", title="Paris")["key_phrases"]
    assert {"gare d'Austerlitz", "aéroport de Paris-Orly"} <= set(phrases), phrases
    assert not any(p.lower().startswith(("l'", "d'")) for p in phrases)
