#!/usr/bin/env python3
"""Build shared/citybrief/data/airports.tsv from the installed ``airportsdata``.

Run after upgrading airportsdata (a dev dependency only) and commit the result:

    .venv/bin/python scripts/build_airports.py

The core reads the committed file instead of ``airportsdata.load("IATA")``: parsing the
full CSV and filtering names cost 190-340 ms per cold start; the TSV loads in ~10 ms.

Every IATA-coded entry is kept, because :func:`citybrief.geo.timezone_at` uses any
aerodrome as a time-zone landmark (RAF Ascension Island is the only one for 1,000 km).
The ``passenger`` column says whether :func:`citybrief.geo.nearest_airports` may offer
it to a traveller.

Which entries count as passenger airports: ``airportsdata`` has no "scheduled passenger
service" flag, so the name is the only signal. Dropped: heliports, seaplane bases,
rail/bus stations that carry IATA codes, and military fields (air bases, AFB/RAF/CFB,
army/naval/coast guard fields), except joint-use fields whose name also names a civil
airport ("Charleston Afb/International Airport", "Sierra Vista Municipal-Libby Army Air
Field"); also the closed airports in :data:`CLOSED`, which upstream still lists. Known
limits: small general-aviation fields stay in (there is no way to tell them apart), and
a few military-named fields with some airline service go (e.g. Reus, Iwakuni).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import airportsdata

OUT = Path(__file__).resolve().parents[1] / "shared" / "citybrief" / "data" / "airports.tsv"
COLUMNS = ("iata", "lat", "lon", "tz", "passenger", "name")

_NOT_AN_AIRFIELD = re.compile(
    r"\b(?:heliport|helipad|seaplane base|(?:railway|rail|train|bus) station)\b", re.I
)
_MILITARY = re.compile(
    r"\b(?:air base|air force|afb|raf|rnas|cfb|army|naval|navy|marine corps|coast guard"
    r"|air station|joint base)\b",
    re.I,
)
_CIVIL = re.compile(r"/|\b(?:international|municipal|regional)\b", re.I)

# Closed to scheduled passenger flights but still listed upstream. Kept in the file (their
# time zone is still right), never offered as an airport. Only add an entry with a source.
CLOSED = {
    "TXL": "Berlin-Tegel, closed 8 November 2020 (replaced by BER)",
    "NAY": "Beijing Nanyuan, closed 25 September 2019 (replaced by PKX)",
    "HEW": "Athens Ellinikon, closed 28 March 2001 (replaced by ATH)",
    "ISL": "Istanbul Atatürk, passenger flights moved to IST on 6 April 2019",
    "YMX": "Montréal-Mirabel, passenger flights ended 31 October 2004 (cargo only)",
}


def is_passenger_airport(iata: str, name: str) -> bool:
    """Whether a traveller can fly into it on a ticket, judged from its name."""
    if iata in CLOSED or _NOT_AN_AIRFIELD.search(name):
        return False
    return not _MILITARY.search(name) or bool(_CIVIL.search(name))


def _licence() -> str:
    """airportsdata's MIT licence text, which must travel with data derived from it."""
    dist = metadata.distribution("airportsdata")
    for file in dist.files or ():
        if file.name.upper().startswith(("LICENSE", "LICENCE")):
            return file.read_text(encoding="utf-8")
    raise SystemExit("airportsdata's LICENSE file not found in its installed metadata")


def render(generated: str) -> str:
    """The file's text for the installed airportsdata; ``generated`` is the header date."""
    version = metadata.version("airportsdata")
    header = [
        f"airportsdata {version}, generated {generated} by scripts/build_airports.py"
        " (do not edit; rerun the script)",
        "Derived from airportsdata (https://github.com/mborsetti/airportsdata), MIT License,"
        " Copyright (c) 2020- Mike Borsetti; licence text follows.",
        "",
        *_licence().strip().splitlines(),
        "",
        "\t".join(COLUMNS),
    ]
    lines = [f"# {line}".rstrip() for line in header]
    # By latitude, then code: citybrief.geo bisects the latitudes to find a search band.
    airports = airportsdata.load("IATA")
    for code, row in sorted(airports.items(), key=lambda item: (item[1]["lat"], item[0])):
        fields = (code, str(row["lat"]), str(row["lon"]), row["tz"], row["name"])
        if any(char in field for field in fields for char in "\t\r\n"):
            raise SystemExit(f"{code}: a tab or line break inside a field would break the TSV")
        passenger = "1" if is_passenger_airport(code, row["name"]) else "0"
        lines.append("\t".join((*fields[:4], passenger, fields[4])))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args(argv)
    text = render(datetime.now(UTC).date().isoformat())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    rows = sum(1 for line in text.splitlines() if not line.startswith("#"))
    print(f"wrote {args.out} ({rows} airports, {len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
