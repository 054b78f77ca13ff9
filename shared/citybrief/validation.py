"""Input rules every entry point shares.

One module, with no third-party imports, so the HTTP layer, the CLI and the Wikipedia
client reject the same inputs with the same words, and so the OpenAPI document states
these limits instead of copies of them. Validators take already-decoded JSON values
(a query string is converted by ``http`` first) and raise ``BadInput`` naming the field.
"""

from __future__ import annotations

import math
import re
import unicodedata

from .errors import BadInput

CITY_MAX_LENGTH = 200
SENTENCES_MIN = 1
SENTENCES_MAX = 20
SENTENCES_DEFAULT = 5
CITIES_MIN = 2
CITIES_MAX = 10
SPEED_MIN_KMH = 5.0
SPEED_MAX_KMH = 1000.0
SPEED_DEFAULT_KMH = 80.0
DEFAULT_LANG = "en"

# A Wikipedia subdomain: "en", "simple", "be-tarask", "zh-min-nan", "zh-classical".
# It becomes part of a host name, so ".", "/", ":", "@" and upper case can never pass.
LANG_PATTERN = r"^[a-z]{2,8}(?:-[a-z0-9]{2,10}){0,2}$"
_LANG_RE = re.compile(LANG_PATTERN)

# Cc: control characters (newlines, NUL, ESC); Cs: lone surrogates JSON can smuggle in
# and UTF-8 cannot encode.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cs"})


def validate_lang(value: object, field: str = "lang") -> str:
    """A Wikipedia language code, safe to put into a host name."""
    # fullmatch, because "$" alone would also accept a trailing newline.
    if not isinstance(value, str) or not _LANG_RE.fullmatch(value):
        raise BadInput(
            f"{field} must be a lower-case Wikipedia language code such as "
            "'en', 'simple' or 'zh-min-nan'."
        )
    return value


def validate_city(value: object, field: str = "city") -> str:
    """A city name, trimmed and NFC-normalised (as MediaWiki stores titles)."""
    if not isinstance(value, str):
        raise BadInput(f"{field} must be a string.")
    name = unicodedata.normalize("NFC", value.strip())
    if not 1 <= len(name) <= CITY_MAX_LENGTH:
        raise BadInput(
            f"{field} must be 1 to {CITY_MAX_LENGTH} characters long after trimming whitespace."
        )
    if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in name):
        raise BadInput(f"{field} must not contain control characters.")
    return name


def validate_sentences(value: object) -> int:
    """How many summary sentences; a JSON integer, never a boolean or 5.0."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput("sentences must be an integer.")
    if not SENTENCES_MIN <= value <= SENTENCES_MAX:
        raise BadInput(f"sentences must be between {SENTENCES_MIN} and {SENTENCES_MAX}.")
    return value


def validate_speed(value: object) -> float:
    """Average road speed in km/h; the bounds keep travel times meaningful."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadInput("speed_kmh must be a number.")
    if not SPEED_MIN_KMH <= value <= SPEED_MAX_KMH:
        raise BadInput(f"speed_kmh must be between {SPEED_MIN_KMH:g} and {SPEED_MAX_KMH:g}.")
    return float(value)


def validate_cities(value: object) -> list[str]:
    """2-10 distinct city names; blank items are dropped (so "a,,b," is two cities)."""
    if not isinstance(value, list):
        raise BadInput("cities must be a list of city names.")
    cities: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(value):
        if isinstance(item, str) and not item.strip():
            continue
        name = validate_city(item, field=f"cities[{index}]")
        key = name.casefold()
        if key in seen:
            raise BadInput(f"cities[{index}] repeats an earlier city; each city may appear once.")
        seen.add(key)
        cities.append(name)
    if not CITIES_MIN <= len(cities) <= CITIES_MAX:
        raise BadInput(f"cities must name between {CITIES_MIN} and {CITIES_MAX} cities.")
    return cities
