"""The fetched article: everything the analysis needs, nothing it computes.

This is what the cache stores (not the brief), so analysis can change without
refetching. ``to_dict``/``from_dict`` are the storage format, also used by snapshots.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .validation import Lang


@dataclass(frozen=True)
class Coordinates:
    lat: float
    lon: float


@dataclass(frozen=True)
class Article:
    lang: Lang  # validated where the request entered
    title: str
    url: str
    pageid: int
    revision: int | None
    extract: str
    coordinates: Coordinates | None
    infobox_html: str | None
    description: str | None
    retrieved_at: str  # RFC 3339 UTC, when Wikipedia answered
    requested: str  # what the caller asked for, before normalisation/redirects
    resolved_via: str  # "exact", "normalized", "redirect" or "search"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        coords = data.get("coordinates")
        return cls(
            **{
                **data,
                "coordinates": Coordinates(**coords) if coords else None,
            }
        )
