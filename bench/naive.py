"""The naive peer: what the seed did, the ``wikipedia`` package plus TextBlob inline.

Kept faithful on purpose (summary, page content, coordinates, sentiment, each through the
package's own calls), so the benchmark's ratios compare against the real naive cost.
Imports sit at the top, as in the seed: their cost is part of the naive cold start.
"""

from __future__ import annotations

from typing import Any

import wikipedia
import wikipedia.wikipedia as wikimodule
from textblob import TextBlob

# Functions the package memoizes with its ``@cache`` decorator (wikipedia/util.py).
_CACHED = (
    wikimodule.search,
    wikimodule.geosearch,
    wikimodule.suggest,
    wikimodule.summary,
    wikimodule.languages,
)


def point_at(api_url: str) -> None:
    """Aim the package at ``api_url`` (it reads the module global on every request)."""
    wikimodule.API_URL = api_url


def clear_caches() -> None:
    """Forget memoized answers, so every brief pays its requests as a fresh process would."""
    for func in _CACHED:
        func.clear_cache()


def naive_brief(city: str, sentences: int = 5) -> dict[str, Any]:
    """One brief the seed's way; each attribute access below is one or more API calls."""
    summary = wikipedia.summary(city, sentences=sentences)
    page = wikipedia.page(city)
    content = page.content
    coordinates = page.coordinates
    sentiment = TextBlob(content).sentiment
    return {
        "title": page.title,
        "url": page.url,
        "summary": summary,
        "content_chars": len(content),
        "coordinates": [float(c) for c in coordinates] if coordinates else None,
        "sentiment": {"polarity": sentiment.polarity, "subjectivity": sentiment.subjectivity},
    }
