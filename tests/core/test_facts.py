"""Population, time zone and airports of an article in ``citybrief.facts``.

The infobox fixtures below copy the markup English Wikipedia renders for
``{{Infobox settlement}}`` (row classes, label/data cells, ``&#160;•&#160;`` bullets,
reference superscripts, ``ib-settlement-fn`` year notes), trimmed to the rows that matter.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from citybrief import facts
from citybrief.article import Article, Coordinates
from tests.support.fakewiki.infobox import infobox_html
from tests.support.reference import cities


def ref(n: int) -> str:
    return (
        f'<sup id="cite_ref-{n}" class="reference"><a href="#cite_note-{n}">&#91;{n}&#93;</a></sup>'
    )


def table(*rows: str) -> str:
    return (
        '<div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">'
        '<style data-mw-deduplicate="TemplateStyles:r1">.mw-parser-output .infobox{x:1}</style>'
        f'<table class="infobox ib-settlement vcard"><tbody>{"".join(rows)}</tbody></table>'
        "<p>Lead paragraph with a population of 1 million.</p></div>"
    )


def header(text: str) -> str:
    return (
        '<tr class="mergedtoprow"><th colspan="2" class="infobox-header" '
        f'style="text-align:left">{text}</th></tr>'
    )


def row(label: str, data: str, cls: str = "mergedrow") -> str:
    return (
        f'<tr class="{cls}"><th scope="row" class="infobox-label">{label}</th>'
        f'<td class="infobox-data">{data}</td></tr>'
    )


def bullet(label: str) -> str:
    return f"&#160;•&#160;{label}"


# London: "Population (2021)" header, "• Total" before Density/Urban/Metro/Demonym.
LONDON_HTML = table(
    header(f'Population<div class="ib-settlement-fn">&#160;(2021){ref(4)}</div>'),
    row(bullet("Total"), f"8,866,180{ref(4)}"),
    row(bullet("Density"), "5,640/km<sup>2</sup> (14,600/sq&#160;mi)"),
    row(
        bullet('<a href="/wiki/Urban_area" title="Urban area">Urban</a>'),
        f"9,787,426{ref(5)}",
    ),
    row(
        bullet('<a href="/wiki/Metropolitan_area" title="Metropolitan area">Metro</a>'),
        f"14,372,596{ref(6)}",
        cls="mergedbottomrow",
    ),
    row(bullet('<a href="/wiki/Demonym" title="Demonym">Demonym</a>'), "Londoner"),
    row(
        '<a href="/wiki/Time_zone" title="Time zone">Time zone</a>',
        '<a href="/wiki/Coordinated_Universal_Time">UTC</a>±00:00 '
        '(<a href="/wiki/Greenwich_Mean_Time">GMT</a>)',
        cls="mergedtoprow",
    ),
    row(
        '<span class="nowrap">&#160;•&#160;Summer (<a href="/wiki/Daylight_saving_time">'
        "DST</a>)</span>",
        'UTC+01:00 (<a href="/wiki/British_Summer_Time">BST</a>)',
    ),
)

# Tokyo: "• Metropolis" is the city proper; the metro figure comes first here on purpose.
TOKYO_HTML = table(
    header(f'Population<div class="ib-settlement-fn">&#160;(October 1, 2020){ref(3)}</div>'),
    row(bullet('<a href="/wiki/Greater_Tokyo_Area">Metro</a>'), f"37,468,000{ref(7)}"),
    row(bullet("Metropolis"), f"14,047,594{ref(3)}"),
    row(bullet("Density"), "6,400/km<sup>2</sup> (17,000/sq&#160;mi)"),
    row(
        '<a href="/wiki/Time_zone">Time zone</a>',
        'UTC+09:00 (<a href="/wiki/Japan_Standard_Time">Japan Standard Time</a>)',
        cls="mergedtoprow",
    ),
)

# Toronto: a rank row (a number that is not a head count) before the city figure, and a
# time zone given as an abbreviation with the offset in the cell after a line break.
TORONTO_HTML = table(
    header(f'Population<div class="ib-settlement-fn">&#160;(2021){ref(9)}</div>'),
    row(bullet("Rank"), '<a href="/wiki/List_of_the_largest_cities">1st</a> in Canada'),
    row(bullet('<a href="/wiki/City">City</a>'), f"2,794,356{ref(9)}"),
    row(bullet("Urban"), "5,647,656"),
    row(
        bullet('<a href="/wiki/Census_metropolitan_area">CMA</a>'),
        "6,202,225 (<a>1st</a>)",
        cls="mergedbottomrow",
    ),
    row(
        "Time zone",
        '<a href="/wiki/Eastern_Time_Zone">EST</a><br>(UTC−5)',
        cls="mergedtoprow",
    ),
)

# A small town: population in a single "Population" row, no time zone row.
SINGLE_ROW_HTML = table(
    row(
        'Population<div class="ib-settlement-fn">&#160;(<a href="/wiki/2020_census">'
        "2020</a>)</div>",
        f"12,345{ref(2)}",
        cls="mergedtoprow",
    ),
    row(bullet("Density"), "1,100/km<sup>2</sup>"),
    row("Elevation", "230&#160;m (750&#160;ft)", cls="mergedtoprow"),
)


# --- parse_infobox ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "population", "label"),
    [
        (LONDON_HTML, 8_866_180, "UTC±00:00 (GMT)"),
        (TOKYO_HTML, 14_047_594, "UTC+09:00 (Japan Standard Time)"),
        (TORONTO_HTML, 2_794_356, "EST (UTC−5)"),
        (SINGLE_ROW_HTML, 12_345, None),
    ],
    ids=["london-total", "tokyo-metropolis", "toronto-city-after-rank", "single-row"],
)
def test_parse_infobox_real_world_variants(html: str, population: int, label: str | None) -> None:
    # GIVEN an infobox shaped like a real Wikipedia one
    # WHEN parsed
    parsed = facts.parse_infobox(html)
    # THEN the city-proper population (not urban/metro, not density/rank) and the
    # reference-free, whitespace-normalised time-zone label come out
    assert parsed == {"population": population, "timezone_label": label}


def test_parse_infobox_estimate_row_and_wider_area_fallback() -> None:
    # GIVEN one infobox with only an estimate row, another with only urban/metro figures
    estimate = table(header("Population"), row(bullet("Estimate (2023)"), "1,234,567"))
    wider = table(
        header("Population"), row(bullet("Metro"), "9,000,000"), row(bullet("Urban"), "5,000,000")
    )
    # THEN the estimate is used, and for the second the first wider figure is the best we have
    assert facts.parse_infobox(estimate)["population"] == 1_234_567
    assert facts.parse_infobox(wider)["population"] == 9_000_000


def test_parse_infobox_fake_server_shape() -> None:
    # GIVEN the infobox our fake Wikipedia serves for Chicago
    html = infobox_html("Chicago", 2_664_452, "America/Chicago")
    # THEN its city population and winter time zone label are read
    assert facts.parse_infobox(html) == {
        "population": 2_664_452,
        "timezone_label": "UTC−06:00 (CST)",
    }


def test_parse_infobox_without_infobox_or_figures() -> None:
    # GIVEN HTML with no infobox at all, and an infobox without population/time zone rows
    # THEN both fields are None rather than a guess
    empty = {"population": None, "timezone_label": None}
    assert facts.parse_infobox("<p>Just prose, 1,000,000 words.</p>") == empty
    assert facts.parse_infobox(table(row("Elevation", "180 m", cls="mergedtoprow"))) == empty


# --- population_from_text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("With a population of 2,746,388 in the 2020 census, it is the third-most", 2_746_388),
        ("the United Kingdom, with a population of around 8.8 million, and its metro", 8_800_000),
        ("Its more than 3.85 million inhabitants make it the most populous city", 3_850_000),
        ("The city has 3.9 million inhabitants.", 3_900_000),
        ("At the 2020 census, the population was 653,833.", 653_833),
        ("with a population estimated at over 13 million residents within the city", 13_000_000),
        ("With more than 22 million residents, Beijing is", 22_000_000),
        ("is the country's largest city, home to 10 million people.", 10_000_000),
        ("With a 2022 population of 749,256 it is the most populous city", 749_256),
    ],
)
def test_population_from_text_patterns(lead: str, expected: int) -> None:
    # GIVEN a lead sentence stating the population in one of Wikipedia's usual ways
    # THEN that number is read
    assert facts.population_from_text(lead) == expected


def test_population_from_text_takes_the_first_figure_and_ignores_non_counts() -> None:
    # GIVEN a lead with the city figure first and the metro figure later
    lead = (
        "With a population of 510,823 living within the city limits, it is the core of a "
        "metropolitan area home to more than 6.3 million people (2023 estimate)."
    )
    # THEN the first one is returned
    assert facts.population_from_text(lead) == 510_823
    # AND densities, percentages and population-less text give nothing
    assert facts.population_from_text("It has 4,500 people per km2.") is None
    assert facts.population_from_text("About 19% of the population of France.") is None
    assert facts.population_from_text("Berlin is the capital of Germany.") is None


# --- extract_facts ----------------------------------------------------------------------


def article(
    title: str,
    coords: Coordinates | None,
    infobox: str | None,
    extract: str = "A city.",
) -> Article:
    return Article(
        lang="en",
        title=title,
        url=f"https://en.wikipedia.org/wiki/{title}",
        pageid=1,
        revision=1,
        extract=extract,
        coordinates=coords,
        infobox_html=infobox,
        description=None,
        retrieved_at="2024-01-15T12:00:00Z",
        requested=title,
        resolved_via="exact",
    )


# Chicago's entry in ../shared/wiki/cities.json, inlined so this test runs anywhere.
CHICAGO = Coordinates(41.85003, -87.65005)
CHICAGO_POPULATION = 2_664_452


def test_extract_facts_from_infobox() -> None:
    # GIVEN Chicago's article with the fake server's infobox
    html = infobox_html("Chicago", CHICAGO_POPULATION, "America/Chicago")
    # WHEN its facts are extracted
    result = facts.extract_facts(article("Chicago", CHICAGO, html))
    # THEN population comes from the infobox, the zone from geography, the offset from the
    # label with an ASCII minus, and the airports include O'Hare and Midway
    assert result["coordinates"] == {"lat": 41.85003, "lon": -87.65005}
    assert result["population"] == 2_664_452
    assert result["population_source"] == "infobox"
    assert result["timezone"] == {
        "iana": "America/Chicago",
        "utc_offset": "UTC-06:00",
        "label": "UTC−06:00 (CST)",
    }
    assert {"ORD", "MDW"} <= {a["iata"] for a in result["airports"]}


def test_extract_facts_falls_back_to_text_and_zone() -> None:
    # GIVEN an article with no infobox, whose lead states the population
    lead = "Chicago is a city. With a population of 2,746,388 in the 2020 census, it is big."
    later = "\nIn 1900 the population was 1,698,575."
    # WHEN its facts are extracted
    result = facts.extract_facts(article("Chicago", CHICAGO, None, lead + later))
    # THEN population comes from the lead and the offset is the zone's standard time
    assert result["population"] == 2_746_388
    assert result["population_source"] == "text"
    assert result["timezone"] == {
        "iana": "America/Chicago",
        "utc_offset": "UTC-06:00",
        "label": None,
    }


@pytest.mark.parametrize(
    ("title", "coords", "zone"),
    [
        ("Kehl", Coordinates(48.5728, 7.8155), "Europe/Berlin"),
        ("Strasbourg", Coordinates(48.5734, 7.7521), "Europe/Paris"),
        ("Ciudad Juárez", Coordinates(31.6904, -106.4245), "America/Ciudad_Juarez"),
        ("El Paso", Coordinates(31.7619, -106.4850), "America/Denver"),
    ],
)
def test_extract_facts_zone_is_the_one_at_the_city_not_at_its_airport(
    title: str, coords: Coordinates, zone: str
) -> None:
    # GIVEN a border town whose nearest airport may lie across the border (Kehl's is
    # Strasbourg's), without an infobox
    # WHEN its facts are extracted
    result = facts.extract_facts(article(title, coords, None))
    # THEN the zone is the one that contains the town itself
    assert result["timezone"]["iana"] == zone


def test_extract_facts_without_coordinates_or_any_figure() -> None:
    # GIVEN an article with neither coordinates, infobox nor stated population
    result = facts.extract_facts(article("Nowhere", None, None, "Nowhere is a place."))
    # THEN everything unknown is None and there are no airports
    assert result == {
        "coordinates": None,
        "population": None,
        "population_source": None,
        "timezone": {"iana": None, "utc_offset": None, "label": None},
        "airports": [],
    }


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("UTC−06:00 (CST)", "UTC-06:00"),
        ("UTC±00:00 (Greenwich Mean Time)", "UTC+00:00"),
        ("UTC+5:30 (IST)", "UTC+05:30"),
        ("EST (UTC−5)", "UTC-05:00"),
        ("UTC (GMT)", "UTC+00:00"),
        ("Central European Time", None),
    ],
)
def test_normalise_utc_offset(label: str, expected: str | None) -> None:
    assert facts.normalise_utc_offset(label) == expected


def test_standard_offset_ignores_summer_time_in_both_hemispheres() -> None:
    # GIVEN zones with northern, southern and "negative" (Dublin) daylight saving time
    # WHEN asked in summer
    july = datetime(2024, 7, 15, tzinfo=UTC)
    # THEN the standard offset is given
    assert facts._standard_offset("Europe/Paris", july) == "UTC+01:00"
    assert facts._standard_offset("Australia/Sydney", july) == "UTC+10:00"
    assert facts._standard_offset("Europe/Dublin", july) == "UTC+00:00"
    assert facts._standard_offset("America/St_Johns", july) == "UTC-03:30"


@pytest.mark.parametrize("city", cities())
def test_extract_facts_for_every_reference_city(city: dict[str, Any]) -> None:
    # GIVEN each reference city's coordinates and the fake server's infobox for it
    tz, population = city["timezone"], city["population_geonames"]
    html = infobox_html(city["title"], population, tz)
    coords = Coordinates(city["lat"], city["lon"])
    # WHEN its facts are extracted
    result = facts.extract_facts(article(city["title"], coords, html))
    # THEN the population is the infobox's, the IANA zone matches GeoNames' zone, and the
    # offset is that zone's January offset in ASCII
    offset = datetime(2024, 1, 15, 12, tzinfo=ZoneInfo(tz)).utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    assert result["population"] == population
    assert result["timezone"]["iana"] == tz
    assert (
        result["timezone"]["utc_offset"]
        == f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    )
    assert result["airports"], "every reference city has an airport within 150 km"
    # AND the first airport listed is a commercial-service one (scheduled passenger flights)
    assert result["airports"][0]["commercial"] is True, result["airports"]


# --- the parser is the standard library's ---------------------------------------------


def test_parse_infobox_rows_of_a_nested_table_are_not_infobox_rows() -> None:
    # GIVEN an infobox whose top cell nests a table (images and captions, as for flags and
    # seals) that happens to have a "Population" row, and a time zone split by <br>,
    # carrying a <style> and a reference
    images = (
        '<tr><td colspan="2" class="infobox-full-data"><table style="width:100%"><tbody>'
        '<tr><td><img src="flag.png"></td><td><img src="seal.png"></td></tr>'
        "<tr><th>Population</th><td>1,000</td></tr></tbody></table></td></tr>"
    )
    html = table(
        images,
        row(
            "Time zone",
            '<style>.x{y:1}</style>CET<br>(UTC+1)<sup class="reference">[2]</sup>',
            cls="mergedtoprow",
        ),
    )
    # THEN no population is read from the nested table, and the label keeps neither the
    # stylesheet nor the reference
    assert facts.parse_infobox(html) == {"population": None, "timezone_label": "CET (UTC+1)"}


def test_extract_facts_in_a_fresh_process_does_not_import_bs4() -> None:
    # GIVEN a fresh interpreter (a cold start) and Chicago's article with an infobox
    html = infobox_html("Chicago", CHICAGO_POPULATION, "America/Chicago")
    code = (
        "import sys\n"
        "from citybrief import facts\n"
        "from citybrief.article import Article, Coordinates\n"
        "article = Article(lang='en', title='Chicago', url='u', pageid=1, revision=1,\n"
        "    extract='A city.', coordinates=Coordinates(41.85003, -87.65005),\n"
        "    infobox_html=sys.stdin.read(), description=None,\n"
        "    retrieved_at='2024-01-15T12:00:00Z', requested='Chicago', resolved_via='exact')\n"
        "result = facts.extract_facts(article)\n"
        "assert result['population'] == 2664452, result\n"
        "assert result['timezone']['label'] == 'UTC\\u221206:00 (CST)', result\n"
        "assert 'bs4' not in sys.modules, 'facts imported bs4'\n"
    )
    # WHEN its facts are extracted
    result = subprocess.run(
        [sys.executable, "-c", code], input=html, capture_output=True, text=True, check=False
    )
    # THEN the infobox was read without BeautifulSoup ever being imported
    assert result.returncode == 0, result.stderr
