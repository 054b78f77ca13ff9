"""The fake wiki's content: the 18 recorded cities plus hand-written fixture pages.

The fixtures cover what the recorded data cannot: redirects, a disambiguation page whose
links mix places and non-places, a list of places without the disambiguation flag (a set
index), unicode titles and a same-named non-place page.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.reference import WIKI

DEFAULT_DATA = WIKI


@dataclass(frozen=True)
class Page:
    title: str
    extract: str
    lat: float | None = None
    lon: float | None = None
    population: int | None = None
    timezone: str | None = None
    description: str | None = None
    disambiguation: bool = False
    links: tuple[str, ...] = ()
    ns: int = 0

    @property
    def pageid(self) -> int:
        """Stable per title, like a real page id, so tests can rely on it."""
        return zlib.crc32(self.title.encode()) % 90_000_000 + 10_000

    @property
    def revid(self) -> int:
        return zlib.crc32(b"rev:" + self.title.encode()) % 900_000_000 + 1_000_000_000

    @property
    def lead(self) -> str:
        return self.extract.split("\n==", 1)[0]


@dataclass
class Wiki:
    pages: dict[str, Page] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    lang: str = "en"  # the edition: its URLs and page language

    def add(self, page: Page) -> None:
        self.pages[page.title] = page

    def search(self, text: str, limit: int) -> tuple[int, list[Page]]:
        """Token-overlap ranking: title beats redirect titles beats the lead, as on-wiki."""
        wanted = _tokens(text)
        aliases: dict[str, set[str]] = {}
        for source, target in self.redirects.items():
            aliases.setdefault(target, set()).update(_tokens(source))
        scored = []
        for page in self.pages.values():
            if page.ns != 0:
                continue
            title, alias, lead = _tokens(page.title), aliases.get(page.title, set()), None
            score = 0
            for token in wanted:
                if token in title:
                    score += 10
                if token in alias:
                    score += 3
                if lead is None:
                    lead = _tokens(page.lead)
                if token in lead:
                    score += 1
            if score:
                scored.append((-score, -len(page.extract), page.title, page))
        scored.sort()
        return len(scored), [row[3] for row in scored[:limit]]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _fixtures() -> list[Page]:
    sections = "\n\n== Transport ==\n{name} has an airport, a port and a railway station.\n"
    return [
        Page(
            "Springfield",
            "Springfield may refer to:\n",
            disambiguation=True,
            links=(
                "Springfield (The Simpsons)",
                "Springfield, Illinois",
                "Springfield Township",
                "Springfield, Massachusetts",
                "Springfield, Missouri",
                "Springfield (disambiguation)",
                "Springfield, Atlantis",
            ),
        ),
        Page(
            "Springfield Township",
            "Springfield Township may refer to:\n",
            disambiguation=True,
        ),
        Page(
            "Springfield (The Simpsons)",
            "Springfield is the fictional town in which The Simpsons is set.",
            description="Fictional town in The Simpsons",
        ),
        Page(
            "Springfield, Illinois",
            "Springfield is the capital city of the U.S. state of Illinois."
            + sections.format(name="Springfield"),
            lat=39.80172,
            lon=-89.64371,
            population=114394,
            timezone="America/Chicago",
            description="Capital city of Illinois, United States",
        ),
        Page(
            "Springfield, Massachusetts",
            "Springfield is a city in the U.S. state of Massachusetts."
            + sections.format(name="Springfield"),
            lat=42.10148,
            lon=-72.58981,
            population=155929,
            timezone="America/New_York",
            description="City in Massachusetts, United States",
        ),
        Page(
            "Springfield, Missouri",
            "Springfield is the third most populous city in the U.S. state of Missouri."
            + sections.format(name="Springfield"),
            lat=37.21533,
            lon=-93.29824,
            population=169176,
            timezone="America/Chicago",
            description="City in Missouri, United States",
        ),
        Page(
            "São Paulo",
            "São Paulo is the most populous city in Brazil." + sections.format(name="São Paulo"),
            lat=-23.5475,
            lon=-46.63611,
            population=10021295,
            timezone="America/Sao_Paulo",
            description="Largest city in Brazil",
        ),
        Page(
            "Zürich",
            "Zürich is the largest city in Switzerland." + sections.format(name="Zürich"),
            lat=47.36667,
            lon=8.55,
            population=341730,
            timezone="Europe/Zurich",
            description="Largest city in Switzerland",
        ),
        Page(
            "Chicago (band)",
            "Chicago is an American rock band formed in 1967 in Chicago, Illinois.",
            description="American rock band",
        ),
        Page("Help:Disambiguation", "Help page.", ns=12),
        # A set index: lists places like a disambiguation page, but has no such page
        # property, and carries one place's coordinates. Its lines show a redirect
        # ("Victoria, BC") and a red link ("Victoria (film)"), as real lists do.
        Page(
            "Victoria",
            "Victoria may refer to:\n\n\n== Places ==\n\n\n=== Australia ===\n"
            "Victoria (state), a state of Australia\n\n\n=== Canada ===\n"
            "Victoria, BC, the capital of British Columbia\n\n\n=== Seychelles ===\n"
            "Victoria, Seychelles, the capital of the Seychelles\n\n\n=== Africa ===\n"
            "Lake Victoria, the largest lake in Africa\n\n\n== People ==\n"
            "Queen Victoria (1819–1901), monarch of the United Kingdom\n\n\n"
            "== Other uses ==\nVictoria (film), a 2015 German film\n\n\n== See also ==\n"
            "All pages with titles beginning with Victoria\n",
            lat=48.4284,
            lon=-123.3656,
            description="Topics referred to by the same term",
            links=(
                "Victoria (state)",
                "Victoria, BC",
                "Victoria, Seychelles",
                "Lake Victoria",
                "Queen Victoria",
                "Victoria (film)",
                "Help:Disambiguation",
            ),
        ),
        Page(
            "Victoria, British Columbia",
            "Victoria is the capital city of the Canadian province of British Columbia."
            + sections.format(name="Victoria"),
            lat=48.4284,
            lon=-123.3656,
            population=91867,
            timezone="America/Vancouver",
            description="Capital city of British Columbia, Canada",
        ),
        Page("Victoria (state)", "Victoria is a state in southeastern Australia.", -37, 144),
        Page("Victoria, Seychelles", "Victoria is the capital of the Seychelles.", -4.62, 55.45),
        Page("Lake Victoria", "Lake Victoria is one of the African Great Lakes.", -1.0, 33.0),
        Page("Queen Victoria", "Victoria was Queen of the United Kingdom from 1837 to 1901."),
    ]


REDIRECTS = {
    "Chicago, Illinois": "Chicago",
    "Chicago, IL": "Chicago",
    "Windy City": "Chicago",
    "Lisboa": "Lisbon",
    "Moskva": "Moscow",
    "München": "Munich",
    "Sao Paulo": "São Paulo",
    "Zurich": "Zürich",
    "Springfield (disambiguation)": "Springfield",
    "Victoria, BC": "Victoria, British Columbia",
}


def load(data_dir: Path = DEFAULT_DATA) -> Wiki:
    """The 18 recorded cities (extract + ``cities.json``) and the fixtures above."""
    wiki = Wiki(redirects=dict(REDIRECTS))
    for city in json.loads((data_dir / "cities.json").read_text(encoding="utf-8")):
        title = city["title"]
        wiki.add(
            Page(
                title,
                (data_dir / "extracts" / f"{title}.txt").read_text(encoding="utf-8"),
                lat=city["lat"],
                lon=city["lon"],
                population=city["population_geonames"],
                timezone=city["timezone"],
                description=f"City in {city['country']}",
            )
        )
    for page in _fixtures():
        wiki.add(page)
    return wiki


def load_editions() -> dict[str, Wiki]:
    """The other editions (``editions.py``), by language code."""
    from .editions import EDITIONS

    return {
        lang: Wiki(pages={page.title: page for page in pages}, lang=lang)
        for lang, pages in EDITIONS.items()
    }
