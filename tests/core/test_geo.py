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


def test_chicago_has_ord_and_mdw_nearest_first() -> None:
    # GIVEN downtown Chicago
    # WHEN its nearby airports are listed
    airports = geo.nearest_airports(CHICAGO)
    # THEN O'Hare and Midway are in it, within 150 km, sorted by distance, 1-decimal km
    codes = [a["iata"] for a in airports]
    assert {"ORD", "MDW"} <= set(codes)
    distances = [a["distance_km"] for a in airports]
    assert distances == sorted(distances)
    assert all(0 < d <= 150 for d in distances)
    assert all(round(d, 1) == d for d in distances)
    assert len(airports) <= 5
    ord_ = next(a for a in airports if a["iata"] == "ORD")
    assert ord_["name"] == "Chicago O'Hare International Airport"
    # O'Hare is ~25 km from the Loop, computed here from its published coordinates
    assert ord_["distance_km"] == pytest.approx(
        geo.haversine_km(CHICAGO, Coordinates(41.97694, -87.90815)), abs=0.05
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


def test_military_fields_and_heliports_are_not_offered_to_travellers() -> None:
    # GIVEN Paris (Villacoublay air base is nearer than Orly) and Tokyo (Yokota, Atsugi)
    paris = [a["iata"] for a in geo.nearest_airports(PARIS, limit=10)]
    tokyo = [a["iata"] for a in geo.nearest_airports(Coordinates(35.6895, 139.69171), limit=10)]
    # THEN the military fields are left out and the airline airports kept
    assert "VIY" not in paris
    assert {"ORY", "CDG"} <= set(paris)
    assert not {"OKO", "NJA"} & set(tokyo)
    assert {"HND", "NRT"} <= set(tokyo)
    # AND a heliport (Muir Army Heliport, Pennsylvania) is never listed, even from on top of it
    muir = Coordinates(40.43523, -76.568631)
    assert "MUI" not in [a["iata"] for a in geo.nearest_airports(muir)]


def test_closed_airports_are_not_offered_but_still_give_the_time_zone() -> None:
    # GIVEN Berlin (Tegel closed in 2020) and Beijing (Nanyuan closed in 2019), both
    # still listed upstream
    berlin = geo.nearest_airports(Coordinates(52.52437, 13.41053))
    beijing = [a["iata"] for a in geo.nearest_airports(Coordinates(39.9075, 116.39723))]
    # THEN Berlin Brandenburg comes first and Tegel is gone; Nanyuan is gone from Beijing's
    assert berlin[0]["iata"] == "BER"
    assert "TXL" not in [a["iata"] for a in berlin]
    assert "NAY" not in beijing
    assert {"PEK", "PKX"} <= set(beijing)
    # AND right on top of Tegel the zone still comes from it
    assert geo.timezone_at(Coordinates(52.5597, 13.2877)) == "Europe/Berlin"


def test_joint_use_military_and_civil_airport_is_kept() -> None:
    # GIVEN Charleston, SC, whose airline airport shares runways with an air force base
    # ("Charleston Afb/International Airport" in the data)
    airports = geo.nearest_airports(Coordinates(32.77657, -79.93092))
    # THEN it is listed
    assert "CHS" in [a["iata"] for a in airports]


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
        if table.passenger[row]
        and geo.haversine_km(point, Coordinates(table.lat[row], math.degrees(table.lon_rad[row])))
        <= 500
    }
    assert got == expected


def test_airports_load_in_a_fresh_process_without_airportsdata() -> None:
    # GIVEN a fresh interpreter (a cold start) that asks for Chicago's airports
    code = (
        "import sys\n"
        "from citybrief import geo\n"
        "from citybrief.article import Coordinates\n"
        "codes = [a['iata'] for a in geo.nearest_airports(Coordinates(41.85003, -87.65005))]\n"
        "assert {'ORD', 'MDW'} <= set(codes), codes\n"
        "assert geo.timezone_at(Coordinates(41.85003, -87.65005)) == 'America/Chicago'\n"
        "assert 'airportsdata' not in sys.modules, 'geo imported airportsdata'\n"
    )
    # WHEN it runs
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    # THEN the shipped data file answered, and the airportsdata package was never imported
    assert result.returncode == 0, result.stderr


def test_middle_of_the_ocean_has_no_airport_and_no_time_zone() -> None:
    # GIVEN a point in the equatorial Pacific far from any island
    # THEN there are no airports within 150 km and no time zone can be inferred
    assert geo.nearest_airports(MID_PACIFIC) == []
    assert geo.timezone_at(MID_PACIFIC) is None


# --- time zones -------------------------------------------------------------------------


def test_timezone_at_chicago_and_london() -> None:
    assert geo.timezone_at(CHICAGO) == "America/Chicago"
    assert geo.timezone_at(LONDON) == "Europe/London"


def test_utc_offset_hours_follows_dst_and_half_hour_zones() -> None:
    # GIVEN zones with DST and with a non-whole-hour offset
    # THEN the offsets are those of standard and summer time, naive datetimes being UTC
    assert geo.utc_offset_hours("America/Chicago", WINTER) == -6.0
    assert geo.utc_offset_hours("America/Chicago", SUMMER) == -5.0
    assert geo.utc_offset_hours("Asia/Kolkata", WINTER) == 5.5
    assert geo.utc_offset_hours("Asia/Kathmandu", WINTER.replace(tzinfo=None)) == 5.75


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
