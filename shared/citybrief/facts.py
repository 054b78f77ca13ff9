"""Hard facts of a city: coordinates, population, time zone, nearby airports.

Population and the time-zone label come from the article's ``{{Infobox settlement}}``
HTML, which states them in a fixed place; the prose lead is only a fallback, because
leads mix city, urban and metro figures. The IANA zone comes from the city's own
coordinates through the time-zone boundary polygons (:func:`citybrief.geo.timezone_at`),
because infoboxes give an offset, not a zone, and a nearby airport may lie across a
border; the airports come from :mod:`citybrief.geo` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any, NamedTuple, TypedDict

from . import geo
from .article import Article


class Infobox(TypedDict):
    population: int | None
    timezone_label: str | None  # as printed, e.g. "UTC−06:00 (CST)"


_SCALES = {"million": 1_000_000, "billion": 1_000_000_000}
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(million|billion)\b)?"
_HEDGE = (
    r"(?:(?:about|around|approximately|roughly|nearly|almost|over|more\s+than|just\s+over"
    r"|just\s+under|some|an\s+estimated|c\.|circa)\s+)*"
)
# "population of 2,746,388", "population was 653,833", "population estimated at over 13
# million", and "3.9 million inhabitants" / "more than 22 million residents".
_TEXT_PATTERNS = (
    re.compile(
        r"\bpopulation(?:\s+(?:of|was|is|stood|estimated|at|reached|totalled|totaled))+\s+"
        + _HEDGE
        + _NUMBER,
        re.I,
    ),
    re.compile(
        r"\b" + _HEDGE + _NUMBER + r"\s+(?:inhabitants|residents|people)\b(?!\s+per\b)", re.I
    ),
)

# Population row labels, by tier: the city itself, then unknown labels ("Estimate
# (2023)", a lone "Population" row), then wider areas. Statistics that are not a head
# count are never read.
_NOT_A_COUNT = frozenset({"density", "rank", "ranking", "demonym", "demonyms", "gdp", "households"})
_WIDER_AREA = frozenset(
    {"urban", "metro", "metropolitan", "region", "regional", "agglomeration", "greater"}
)
_CITY_PROPER = frozenset(
    {"city", "total", "municipality", "commune", "capital", "proper", "metropolis"}
)
_UTC_OFFSET = re.compile(r"UTC\s*(?:([+\-−–±])\s*(\d{1,2})(?::?(\d{2}))?)?")


def _to_int(number: str, scale: str | None) -> int | None:
    """ "2,746,388" -> 2746388, ("8.8", "million") -> 8800000; a bare decimal is no count."""
    value = Decimal(number.replace(",", ""))
    if scale is not None:
        return int(value * _SCALES[scale.lower()])
    return int(value) if value == value.to_integral_value() else None


def _clean(text: str) -> str:
    """Visible text with non-breaking spaces and runs of whitespace collapsed."""
    return " ".join(text.replace("\xa0", " ").split())


class _Row(NamedTuple):
    classes: list[str]
    header: str | None  # text of the row's first <th>, if any
    data: str | None  # text of its first <td>, if any
    in_infobox: bool


@dataclass
class _OpenRow:
    classes: list[str]
    in_infobox: bool
    depth: int  # table depth of its table: cells of nested tables are not its cells
    cells: dict[str, list[str]] = field(default_factory=dict)  # "th"/"td" -> first's text


class _RowCollector(HTMLParser):
    """The rows of the first ``table.infobox`` (without one: of the outermost tables).

    The standard library's parser, not BeautifulSoup: importing bs4 and soupsieve cost
    140-190 ms of the first brief. Text inside ``<sup class="reference">``, ``<style>``,
    ``<script>`` and ``<template>`` is dropped, ``<br>`` is a space, character references
    are decoded. A table nested in a cell (flag and seal images, say) adds text to that
    cell, never rows of its own.
    """

    _DROPPED = frozenset({"style", "script", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._rows: list[_Row] = []
        self._seen_infobox = False
        self._depth = 0  # open <table>s
        self._infobox_depth: int | None = None  # depth of the infobox while it is open
        self._row: _OpenRow | None = None
        self._cell: list[str] | None = None  # where the open first th/td collects text
        self._drop: tuple[str, int] | None = None  # (tag, nesting) of a dropped element

    @property
    def rows(self) -> list[_Row]:
        return [row for row in self._rows if row.in_infobox or not self._seen_infobox]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._drop is not None:
            if tag == self._drop[0]:
                self._drop = (tag, self._drop[1] + 1)
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag in self._DROPPED or (tag == "sup" and "reference" in classes):
            self._drop = (tag, 1)
        elif tag == "br":
            self.handle_data(" ")
        elif tag == "table":
            self._depth += 1
            if "infobox" in classes and not self._seen_infobox:
                self._seen_infobox = True
                self._infobox_depth = self._depth
                self._row = self._cell = None  # a row around the infobox is not read
        elif tag == "tr":
            self._open_row(classes)
        elif tag in {"th", "td"} and self._row is not None and self._row.depth == self._depth:
            cells = self._row.cells
            self._cell = None  # a second th (or td) of the row is not read
            if tag not in cells:
                self._cell = cells[tag] = []

    def handle_endtag(self, tag: str) -> None:
        if self._drop is not None:
            if tag == self._drop[0]:
                nesting = self._drop[1] - 1
                self._drop = (tag, nesting) if nesting else None
            return
        own_level = self._row is not None and self._row.depth == self._depth
        if tag in {"th", "td"} and own_level:
            self._cell = None
        elif tag == "tr" and own_level:
            self._close_row()
        elif tag == "table" and self._depth:
            if own_level:
                self._close_row()  # an unclosed <tr> ends with its table
            if self._depth == self._infobox_depth:
                self._infobox_depth = None
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._drop is None and self._cell is not None:
            self._cell.append(data)

    def _open_row(self, classes: list[str]) -> None:
        if self._row is not None and self._row.depth == self._depth:
            self._close_row()  # an unclosed <tr> ends at the next one
        if self._row is None:
            in_infobox = self._depth == self._infobox_depth
            if in_infobox or (self._depth == 1 and not self._seen_infobox):
                self._row = _OpenRow(classes, in_infobox, self._depth)

    def _close_row(self) -> None:
        assert self._row is not None
        header, data = self._row.cells.get("th"), self._row.cells.get("td")
        self._rows.append(
            _Row(
                self._row.classes,
                _clean("".join(header)) if header is not None else None,
                _clean("".join(data)) if data is not None else None,
                self._row.in_infobox,
            )
        )
        self._row = self._cell = None


def _label_words(label: str) -> set[str]:
    return set(re.findall(r"[a-z]+", label.lower()))


def _tier(label: str) -> int | None:
    words = _label_words(label)
    if words & _NOT_A_COUNT:
        return None
    if words & _WIDER_AREA:
        return 2
    return 0 if words & _CITY_PROPER else 1


def _first_count(text: str) -> int | None:
    match = re.search(_NUMBER, text, re.I)
    return _to_int(match[1], match[2]) if match else None


def parse_infobox(html: str) -> Infobox:
    """Population and time-zone label from a rendered ``{{Infobox settlement}}``.

    Population is either a "Population" header followed by bulleted rows ("• City",
    "• Total", "• Urban", ...) or one "Population" row with the number; the city-proper
    figure wins over urban/metro ones. References, footnote marks and ``&nbsp;`` are
    dropped first.
    """
    collector = _RowCollector()
    collector.feed(html)
    collector.close()

    candidates: list[tuple[int, int]] = []  # (tier, count) in document order
    timezone_label: str | None = None
    in_population = False
    for row in collector.rows:
        label = row.header or ""
        bulleted = label.startswith("•")
        label = label.lstrip("• ").strip()
        continues_group = bulleted or "mergedrow" in row.classes or "mergedbottomrow" in row.classes
        if label.lower().startswith("population"):
            in_population = True
            if row.data is not None:  # single row: "Population | 1,234,567"
                count = _first_count(row.data)
                if count is not None:
                    candidates.append((1, count))
            continue
        in_population = in_population and continues_group
        if row.data is None:
            continue
        if in_population:
            tier = _tier(label)
            count = _first_count(row.data)
            if tier is not None and count is not None:
                candidates.append((tier, count))
        elif timezone_label is None and label.lower().startswith("time zone"):
            timezone_label = row.data or None
    best = min(candidates, key=lambda c: c[0], default=None)  # min is stable: first wins
    return {"population": best[1] if best else None, "timezone_label": timezone_label}


def population_from_text(extract_lead: str) -> int | None:
    """The earliest population figure stated in prose, for articles without an infobox."""
    found = [
        (match.start(), value)
        for pattern in _TEXT_PATTERNS
        for match in pattern.finditer(extract_lead)
        if (value := _to_int(match[1], match[2])) is not None
    ]
    return min(found)[1] if found else None


def normalise_utc_offset(label: str) -> str | None:
    """ "UTC−06:00 (CST)" -> "UTC-06:00", "UTC+5:30" -> "UTC+05:30", "UTC±00:00" -> "UTC+00:00"."""
    match = _UTC_OFFSET.search(label)
    if match is None:
        return None
    sign, hours, minutes = match[1], match[2], match[3]
    if sign is None:  # plain "UTC"
        return "UTC+00:00"
    ascii_sign = "-" if sign in "-−–" else "+"
    return f"UTC{ascii_sign}{int(hours):02d}:{int(minutes or 0):02d}"


def _standard_offset(tz_name: str, now: datetime) -> str:
    """Standard (non-DST) offset this year: the smaller of January's and July's, which
    stays right in the southern hemisphere and for Dublin's "negative DST"."""
    hours = min(
        geo.utc_offset_hours(tz_name, datetime(now.year, month, 1, tzinfo=UTC)) for month in (1, 7)
    )
    minutes = round(hours * 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def extract_facts(article: Article) -> dict[str, Any]:
    """The facts section of a brief; every unknown is ``None`` (or ``[]``), never an error."""
    infobox = parse_infobox(article.infobox_html) if article.infobox_html else None
    population = infobox["population"] if infobox else None
    source = "infobox" if population is not None else None
    if population is None:
        lead = article.extract.split("\n", 1)[0]
        population = population_from_text(lead)
        source = "text" if population is not None else None

    coords = article.coordinates
    iana = geo.timezone_at(coords) if coords else None
    label = infobox["timezone_label"] if infobox else None
    offset = normalise_utc_offset(label) if label else None
    if offset is None and iana is not None:
        offset = _standard_offset(iana, datetime.now(UTC))
    return {
        "coordinates": {"lat": coords.lat, "lon": coords.lon} if coords else None,
        "population": population,
        "population_source": source,
        "timezone": {"iana": iana, "utc_offset": offset, "label": label},
        "airports": geo.nearest_airports(coords) if coords else [],
    }
