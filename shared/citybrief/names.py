"""How city names are compared: the two folds, each defined once.

``mediawiki_title`` is the title MediaWiki looks up for a query (case matters after the
first letter: "Reading" and "reading" are one page, "Reading" and "READING" two), so it
keys what Wikipedia answered. ``city_key`` is looser: whether two requested names are the
same city for us, folding case too ("new york", "New  York", "New_York"), so it decides
duplicates in a comparison or a batch, batch records and snapshot aliases. Two queries
with one MediaWiki title always have one ``city_key``.
"""

from __future__ import annotations

import re
import unicodedata

# Direction marks MediaWiki strips from titles (LRM, RLM, and the embedding controls).
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")


def mediawiki_title(query: str) -> str:
    """The title MediaWiki looks up for ``query``: NFC, direction marks removed,
    underscores as spaces, runs of white space as one, trimmed, first letter upper case."""
    text = unicodedata.normalize("NFC", _BIDI_MARKS.sub("", query))
    title = " ".join(text.replace("_", " ").split())
    return title[:1].upper() + title[1:]


def city_key(name: str) -> str:
    """Whether two requested names are the same city: their MediaWiki titles, case folded."""
    return mediawiki_title(name).casefold()
