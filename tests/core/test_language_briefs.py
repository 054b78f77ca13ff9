"""Briefs of German, French, Spanish and Italian articles, end to end through the fake wiki.

The fake wiki's editions (tests/support/fakewiki/editions.py) put transport under each language's
own headings and mention ports, trains and roads in History and Climate sections too.
"""

from __future__ import annotations

from typing import Any

import pytest

from citybrief.languages import MODE_NAMES, for_code
from citybrief.service import BriefService
from citybrief.settings import Settings
from citybrief.text import split_sections
from tests.core.test_service import assert_valid
from tests.support.fakewiki import FakeWiki
from tests.support.fakewiki.editions import EDITIONS

# Per language: sections that must never give evidence or summary sentences, and the
# transport headings the evidence should come from.
IGNORED = {
    "de": {"Geschichte", "Klima", "Kultur"},
    "fr": {"Histoire", "Climat", "Culture"},
    "es": {"Historia", "Clima", "Cultura"},
}
TRANSPORT = {"de": "Verkehr", "fr": "Transport", "es": "Transporte"}


@pytest.fixture
def service(wiki: FakeWiki) -> BriefService:
    """A service whose {lang} endpoint reaches each edition of the fake wiki."""
    return BriefService(Settings(wiki_api=wiki.edition_api_url, cache="none"))


def _sections_by_title(lang: str, title: str) -> dict[str, str]:
    page = next(p for p in EDITIONS[lang] if p.title == title)
    return {s.title: s.text for s in split_sections(page.extract)}


def _cities(lang: str) -> list[str]:
    return [page.title for page in EDITIONS[lang]]


@pytest.mark.parametrize(
    ("lang", "city"), [(lang, city) for lang in IGNORED for city in _cities(lang)]
)
def test_evidence_comes_from_the_languages_transport_sections(
    service: BriefService, lang: str, city: str
) -> None:
    # GIVEN an article in German, French or Spanish
    sections = _sections_by_title(lang, city)
    ignored = " ".join(sections.get(title, "") for title in IGNORED[lang])
    # WHEN briefed in its language
    brief = service.brief(city, 5, lang)
    # THEN it is analysed with that language's profile and is a valid brief
    assert_valid(brief, "Brief")
    assert brief["analysis"]["language"] == lang
    assert brief["url"] == f"https://{lang}.wikipedia.org/wiki/{city.replace(' ', '_')}"
    # AND (inland cities have no sea) four modes or more have evidence, most of it from the
    # transport sections
    logistics = brief["logistics"]
    assert sum(1 for mode in MODE_NAMES if logistics[mode]) >= 4, logistics
    items = [item for mode in MODE_NAMES for item in logistics[mode]]
    under_transport = [i for i in items if i["section"] not in ("Lead", "Wirtschaft", "Économie")]
    assert len(under_transport) >= len(items) * 2 // 3, items
    # AND nothing comes from History, Climate or Culture, although they name ports and roads
    for item in items:
        assert item["section"] not in IGNORED[lang]
        assert item["text"] not in ignored, item
    for sentence in brief["summary"]:
        assert sentence not in ignored, sentence
    # AND key phrases are names from the article, none opening on an article or stopword
    phrases = brief["key_phrases"]
    language = for_code(lang)
    assert language is not None
    assert 3 <= len(phrases) <= 10, phrases
    page = next(p for p in EDITIONS[lang] if p.title == city)
    for phrase in phrases:
        assert phrase in page.extract.replace(". ", " "), phrase  # "Nr. 3" is "Nr 3"
        assert phrase.split()[0].lower() not in language.stopwords, phrase


@pytest.mark.parametrize(
    ("lang", "city", "mode", "section"),
    [
        ("de", "Hamburg", "sea", "Hafen und Schifffahrt"),
        ("de", "Hamburg", "rail", "Schienenverkehr"),
        ("de", "Hamburg", "transit", "Öffentlicher Nahverkehr"),
        ("de", "Leipzig", "road", "Straßenverkehr"),
        ("fr", "Marseille", "air", "Transport aérien"),
        ("fr", "Marseille", "rail", "Transport ferroviaire"),
        ("fr", "Lille", "transit", "Transports en commun"),
        ("es", "Valencia", "sea", "Puerto"),
        ("es", "Valencia", "road", "Carreteras"),
        ("es", "Bilbao", "transit", "Transporte urbano"),
    ],
)
def test_each_mode_finds_its_own_sub_section(
    service: BriefService, lang: str, city: str, mode: str, section: str
) -> None:
    # GIVEN a transport sub-section about one mode WHEN the city is briefed
    evidence = service.brief(city, 3, lang)["logistics"][mode]
    # THEN that mode's evidence comes first of all from it
    assert section in {item["section"] for item in evidence}, evidence
    own = _sections_by_title(lang, city)[section]
    assert any(item["text"] in own for item in evidence)


def test_german_article_gets_no_sentiment_and_says_why(service: BriefService) -> None:
    # GIVEN a German article full of German praise ("wunderbar", "herrlich")
    # WHEN briefed in German
    brief = service.brief("Hamburg", 5, "de")
    # THEN no English lexicon labels it: sentiment is null, and the limits say why
    assert brief["sentiment"] is None
    reasons = {limit["field"]: limit["reason"] for limit in brief["analysis"]["limits"]}
    assert "textblob-de" in reasons["sentiment"]
    assert "facts.population" in reasons
    assert "Spanish" in service.brief("Sevilla", 5, "es")["analysis"]["limits"][0]["reason"]


def test_french_article_is_scored_with_the_french_lexicon(service: BriefService) -> None:
    from citybrief.sentiment import score as english

    # GIVEN a French article WHEN briefed in French
    brief = service.brief("Marseille", 5, "fr")
    sentiment: dict[str, Any] = brief["sentiment"]
    # THEN it has a sentiment, per analysed top-level section (not History or Culture)
    assert set(sentiment["sections"]) == {"Lead", "Économie", "Transports"}
    assert sentiment["label"] == "positive"
    # AND it is the French lexicon's: the English one finds far less in the same text
    economy = _sections_by_title("fr", "Marseille")["Économie"]
    assert sentiment["sections"]["Économie"]["polarity"] > 0.1
    assert english(economy).polarity < sentiment["sections"]["Économie"]["polarity"]
    assert brief["analysis"]["language"] == "fr"
    # AND key phrases drop elided articles ("l'aéroport" is "aéroport")
    assert not any(p.lower().startswith(("l'", "d'", "l’", "d’")) for p in brief["key_phrases"])
    assert [limit["field"] for limit in brief["analysis"]["limits"]] == ["facts.population"]


def test_language_without_a_profile_gets_an_honest_limited_brief(service: BriefService) -> None:
    # GIVEN an Italian article (citybrief has no Italian profile)
    lead = _sections_by_title("it", "Genova")[""]
    # WHEN briefed in Italian
    brief = service.brief("Genova", 3, "it")
    # THEN it is still a valid brief: facts that need no language, the lead's first sentences
    assert_valid(brief, "Brief")
    assert brief["summary"] == [
        "Genova è una città dell'Italia nord-occidentale, capoluogo della Liguria.",
        "Con circa 560 000 abitanti è il sesto comune italiano per popolazione.",
        "Il suo porto è uno dei più importanti del Mar Mediterraneo.",
    ]
    assert all(sentence in lead for sentence in brief["summary"])
    assert brief["facts"]["timezone"]["iana"] == "Europe/Rome"
    assert brief["facts"]["airports"][0]["iata"] == "GOA"
    # AND nothing that needs the language is guessed with English rules
    assert brief["logistics"] == {mode: [] for mode in MODE_NAMES}
    assert brief["sentiment"] is None
    assert brief["key_phrases"] == []
    # AND the limits say so, field by field
    assert brief["analysis"]["language"] is None
    fields = [limit["field"] for limit in brief["analysis"]["limits"]]
    assert fields == ["summary", "logistics", "sentiment", "key_phrases", "facts.population"]


def test_comparison_ranks_only_cities_with_a_sentiment(service: BriefService) -> None:
    # GIVEN German cities (no German lexicon) WHEN compared
    comparison = service.compare(["Hamburg", "Leipzig"], lang="de")
    # THEN distances are there, sentiment is null and the ranking by tone is empty
    assert_valid(comparison, "Comparison")
    assert comparison["legs"][0]["distance_km"] > 200
    assert [c["sentiment"] for c in comparison["cities"]] == [None, None]
    assert comparison["ranking"] == []
    # AND French cities are ranked as before
    assert len(service.compare(["Marseille", "Lyon", "Lille"], lang="fr")["ranking"]) == 3


def test_an_english_analysis_loads_no_other_language() -> None:
    import subprocess
    import sys

    # GIVEN a fresh interpreter WHEN an English article is analysed, sentiment included
    code = (
        "import sys\n"
        "from citybrief.analysis import analyse\n"
        "from citybrief.languages import for_code\n"
        "result = analyse('Portville is a port city with a busy airport and a lovely harbour.')\n"
        "print(result['sentiment']['label'], for_code.cache_info().currsize,\n"
        "      'citybrief.sentiment_lang' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # THEN only the English profile was built, and no other lexicon module was imported
    assert out.stdout.split() == ["positive", "1", "False"]


def test_cli_shows_the_limits(service: BriefService) -> None:
    from citybrief.cli import render_brief

    # GIVEN a German brief WHEN rendered for a terminal
    text = render_brief(service.brief("Leipzig", 3, "de"))
    # THEN the missing sentiment is explained, not shown as a neutral score
    assert "Sentiment    not computed (see Limits)" in text
    assert "\nLimits\n  sentiment: Null: No kept German sentiment lexicon" in text
