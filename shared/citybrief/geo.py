"""Distances, nearby airports, time zones and the pairwise comparison of cities.

Airports come from ``data/airports.tsv`` (no network), a compact extract of OurAirports
made by ``scripts/build_airports.py``, which decides which airfields are listed and which
of them are commercial-service airports (see its docstring for the rules). The file is
read and indexed on first use only, so handlers that never ask for airports do not pay
for it on a cold start; reading it takes ~10 ms, where parsing a full airport list at run
time took 120-340 ms.

Time zones come from the point itself: ``tzfpy`` looks it up in the time-zone boundary
polygons (timezone-boundary-builder, OpenStreetMap data), so a city near a border gets its
own side's zone. It is imported on first use (~1 ms); its first lookup builds the index
(~80-100 ms), later ones take about a microsecond.
"""

from __future__ import annotations

import math
import os
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from .article import Coordinates
from .errors import BadInput

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius
KM_PER_MILE = 1.609344  # international mile, exact

# Roads are longer than the great circle: published circuity factors for road networks
# are 1.2-1.4 (Ballou et al. 2002, "Selected country circuity factors for road and rail
# network distances"), so 1.3 is the middle of the range.
ROAD_DETOUR_FACTOR = 1.3
# Beyond this great-circle distance no road figure is given: most such legs cross an
# ocean, and the rest (e.g. Lisbon-Beijing) are not trips anyone plans by car. Shorter
# legs assume a road (or car ferry) exists: water is not modelled.
ROAD_MAX_KM = 5000.0
# Typical jet cruise speed, and a fixed allowance for taxi, climb, approach and landing.
FLIGHT_CRUISE_KMH = 800.0
FLIGHT_OVERHEAD_HOURS = 0.5

_DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "airports.tsv")


class _Airports(NamedTuple):
    """The data file as columns, row i being one airport; rows ascend by latitude."""

    lat: list[float]  # degrees: bisected to find the latitude band of a search
    lat_rad: list[float]  # the three inputs of _haversine, precomputed
    lon_rad: list[float]
    cos_lat: list[float]
    iata: list[str]
    name: list[str]
    commercial: list[bool]  # scheduled passenger service at a large or medium airport


@dataclass(frozen=True)
class CityPoint:
    """One city as :func:`compare` needs it; ``sentiment`` has polarity/subjectivity/label,
    or is None where the article's language has no sentiment lexicon."""

    title: str
    url: str
    coordinates: Coordinates | None
    timezone: str | None  # IANA name
    sentiment: dict[str, Any] | None


def haversine_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle distance on the mean-radius sphere (error < 0.5 % versus WGS 84)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    return _haversine(
        (lat1, math.radians(a.lon), math.cos(lat1)), (lat2, math.radians(b.lon), math.cos(lat2))
    )


def _haversine(p: tuple[float, float, float], q: tuple[float, float, float]) -> float:
    """Haversine on (lat, lon, cos lat) in radians, so the index can precompute cosines."""
    (lat1, lon1, cos1), (lat2, lon2, cos2) = p, q
    h = math.sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=1)
def _airports() -> _Airports:
    """Read the data file column-wise: one split and C-level maps instead of a Python loop
    per row keep this to ~10 ms, since it runs on the first request of a cold start."""
    with open(_DATA_FILE, encoding="utf-8") as file:
        text = file.read()
    body = text[text.index("\n", text.index("# iata\t")) + 1 :]  # after the column names
    fields = body.rstrip("\n").replace("\n", "\t").split("\t")
    lat = list(map(float, fields[1::5]))
    lat_rad = list(map(math.radians, lat))
    return _Airports(
        lat=lat,
        lat_rad=lat_rad,
        lon_rad=list(map(math.radians, map(float, fields[2::5]))),
        cos_lat=list(map(math.cos, lat_rad)),
        iata=fields[0::5],
        commercial=[flag == "1" for flag in fields[3::5]],
        name=fields[4::5],
    )


def _within(at: Coordinates, radius_km: float) -> Iterator[tuple[float, int]]:
    """(distance, row) for every airport within ``radius_km`` of ``at``."""
    delta = radius_km / EARTH_RADIUS_KM  # angular radius
    lat0, lon0 = math.radians(at.lat), math.radians(at.lon)
    cos0 = math.cos(lat0)
    origin = (lat0, lon0, cos0)
    # Longitude half-width of the bounding box (Matuschek); none near a pole.
    max_dlon = math.asin(math.sin(delta) / cos0) if math.sin(delta) < cos0 else math.pi
    airports = _airports()
    lo = bisect_left(airports.lat, at.lat - math.degrees(delta))
    hi = bisect_right(airports.lat, at.lat + math.degrees(delta))
    for row in range(lo, hi):
        lon = airports.lon_rad[row]
        dlon = abs(lon - lon0)
        if min(dlon, 2 * math.pi - dlon) > max_dlon:
            continue
        distance = _haversine(origin, (airports.lat_rad[row], lon, airports.cos_lat[row]))
        if distance <= radius_km:
            yield distance, row


def nearest_airports(
    at: Coordinates, radius_km: float = 150, limit: int = 5
) -> list[dict[str, Any]]:
    """Airports within ``radius_km``: commercial-service ones first, each group nearest first.

    A traveller (or a freight forwarder) wants the airline airport 40 km away before the
    flying club 5 km away; other civil fields follow only while ``limit`` leaves room.
    Each entry: iata, name, distance_km, commercial.
    """
    airports = _airports()
    found = sorted(
        (not airports.commercial[row], d, airports.iata[row], row)
        for d, row in _within(at, radius_km)
    )
    return [
        {
            "iata": iata,
            "name": airports.name[row],
            "distance_km": round(d, 1),
            "commercial": not other,
        }
        for other, d, iata, row in found[:limit]
    ]


def prepare() -> None:
    """Load the airport table and the time-zone index (~0.15 s of a cold start's CPU),
    so that a caller can do it while Wikipedia answers."""
    _airports()
    timezone_at(Coordinates(0.0, 0.0))


def timezone_at(at: Coordinates) -> str | None:
    """IANA zone that contains the point, from the time-zone boundary polygons.

    At sea that is the nautical zone (``Etc/GMT+9`` in mid-Pacific); None only if the
    lookup finds nothing. The polygons are simplified to within ~110 m of the border.
    """
    from tzfpy import get_tz  # lazy: /health and /openapi.json never need it

    return get_tz(at.lon, at.lat) or None


def utc_offset_hours(tz_name: str, when: datetime) -> float:
    """Offset of ``tz_name`` from UTC at ``when`` (naive means UTC), e.g. -6.0 or 5.5."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    offset = when.astimezone(ZoneInfo(tz_name)).utcoffset()
    assert offset is not None  # a ZoneInfo always has one
    return offset.total_seconds() / 3600


def _leg(a: CityPoint, b: CityPoint, speed_kmh: float, when: datetime) -> dict[str, Any]:
    leg: dict[str, Any] = {
        "from": a.title,
        "to": b.title,
        "distance_km": None,
        "distance_mi": None,
        "road_hours": None,
        "flight_hours": None,
        "tz_offset_hours": None,
    }
    if a.coordinates is not None and b.coordinates is not None:
        km = haversine_km(a.coordinates, b.coordinates)
        leg["distance_km"] = round(km, 1)
        leg["distance_mi"] = round(km / KM_PER_MILE, 1)
        if km <= ROAD_MAX_KM:
            leg["road_hours"] = round(km * ROAD_DETOUR_FACTOR / speed_kmh, 1)
        leg["flight_hours"] = round(FLIGHT_OVERHEAD_HOURS + km / FLIGHT_CRUISE_KMH, 1)
    if a.timezone is not None and b.timezone is not None:
        leg["tz_offset_hours"] = utc_offset_hours(b.timezone, when) - utc_offset_hours(
            a.timezone, when
        )
    return leg


def compare(
    cities: list[CityPoint], speed_kmh: float = 80.0, when: datetime | None = None
) -> dict[str, Any]:
    """Every unordered pair (input order, i < j) with distance, travel time and clock shift.

    Unknown coordinates or time zones give nulls on the affected legs, never an error;
    ``assumptions`` carries the constants so a reader can redo the arithmetic.
    """
    if not math.isfinite(speed_kmh) or speed_kmh <= 0:
        raise BadInput(f"speed_kmh must be a positive number, got {speed_kmh!r}")
    when = when or datetime.now(UTC)
    return {
        "cities": [
            {
                "title": c.title,
                "url": c.url,
                "coordinates": (
                    {"lat": c.coordinates.lat, "lon": c.coordinates.lon}
                    if c.coordinates is not None
                    else None
                ),
                "timezone": c.timezone,
                "sentiment": c.sentiment,
            }
            for c in cities
        ],
        "legs": [
            _leg(a, b, speed_kmh, when) for i, a in enumerate(cities) for b in cities[i + 1 :]
        ],
        # Only cities with a sentiment can be ranked by it.
        "ranking": [
            title
            for _, title in sorted(
                (-float(c.sentiment["polarity"]), c.title) for c in cities if c.sentiment
            )
        ],
        "assumptions": {
            "speed_kmh": speed_kmh,
            "road_detour_factor": ROAD_DETOUR_FACTOR,
            "road_max_km": ROAD_MAX_KM,
            "flight_cruise_kmh": FLIGHT_CRUISE_KMH,
            "flight_overhead_hours": FLIGHT_OVERHEAD_HOURS,
        },
    }
