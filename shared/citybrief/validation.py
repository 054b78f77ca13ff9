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
from typing import NewType

from .errors import BadInput
from .names import city_key

CITY_MAX_LENGTH = 200
SENTENCES_MIN = 1
SENTENCES_MAX = 20
SENTENCES_DEFAULT = 5
CITIES_MIN = 2
CITIES_MAX = 10
SPEED_MIN_KMH = 5.0
SPEED_MAX_KMH = 1000.0
SPEED_DEFAULT_KMH = 80.0

# A language code that has passed ``validate_lang``: the core takes only this type, so the
# one check at the edge (HTTP, CLI, batch message) is the only one, and mypy proves it.
Lang = NewType("Lang", str)
DEFAULT_LANG = Lang("en")

# A Wikipedia subdomain: "en", "simple", "be-tarask", "zh-min-nan", "zh-classical".
# It becomes part of a host name, so ".", "/", ":", "@" and upper case can never pass.
LANG_PATTERN = r"^[a-z]{2,8}(?:-[a-z0-9]{2,10}){0,2}$"
_LANG_RE = re.compile(LANG_PATTERN)

# A city name as sent: at least one character that is not white space, and none of
#   - Cc, control characters (newlines, NUL, ESC);
#   - U+FFFD, the mark a decoder leaves for bytes that were not UTF-8 (MediaWiki refuses
#     it too), and lone surrogates, which JSON escapes can smuggle in and UTF-8 cannot
#     encode (no JSON Schema engine can hold them in a string, so the pattern omits them);
#   - # < > [ ] { } |, which MediaWiki forbids in titles ("|" would also split one title
#     into several).
# "White space" is what str.strip() removes (controls aside). Written with explicit classes
# and an end-of-input lookahead so it means the same in Python and in ECMA-262, the
# dialect of JSON Schema's "pattern": the OpenAPI document states this very string.
_CITY_FORBIDDEN = r"\x00-\x1f\x7f-\x9f\ufffd#<>\[\]{}|"
_CITY_SPACE = r"\x20\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def city_pattern(also_forbidden: str = "") -> str:
    """The city rule as a pattern; ``also_forbidden`` adds characters (the query's
    ``cities`` list is split on "," so its items cannot hold one)."""
    forbidden = _CITY_FORBIDDEN + re.escape(also_forbidden)
    return rf"^[{_CITY_SPACE}]*[^{_CITY_SPACE}{forbidden}][^{forbidden}]*(?![\s\S])"


CITY_PATTERN = city_pattern()
_CITY_RE = re.compile(CITY_PATTERN)
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")


def validate_lang(value: object, field: str = "lang") -> Lang:
    """A Wikipedia language code, safe to put into a host name: checked once, where a
    request enters, and typed ``Lang`` from there on."""
    # fullmatch, because "$" alone would also accept a trailing newline.
    if not isinstance(value, str) or not _LANG_RE.fullmatch(value):
        raise BadInput(
            f"{field} must be a lower-case Wikipedia language code such as "
            "'en', 'simple' or 'zh-min-nan'."
        )
    return Lang(value)


def validate_city(value: object, field: str = "city") -> str:
    """A city name, trimmed and NFC-normalised (as MediaWiki stores titles).

    The limits apply to the name as sent, as the OpenAPI schema states them.
    """
    if not isinstance(value, str):
        raise BadInput(f"{field} must be a string.")
    if not 1 <= len(value) <= CITY_MAX_LENGTH:
        raise BadInput(f"{field} must be 1 to {CITY_MAX_LENGTH} characters long.")
    if not _CITY_RE.match(value) or _SURROGATE_RE.search(value):
        raise BadInput(
            f"{field} must name a place: not blank, valid UTF-8, no control characters "
            "and none of # < > [ ] { } |."
        )
    return unicodedata.normalize("NFC", value.strip())


def validate_sentences(value: object) -> int:
    """How many summary sentences: an integral JSON number (5 or 5.0), never a boolean."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
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
    """2-10 city names, none sent twice.

    "Twice" means the same city as a batch counts it (``names.city_key``: "New York",
    "new  york" and "New_York" are one), which is stricter than JSON Schema's
    ``uniqueItems``; the schema's description says so.
    """
    if not isinstance(value, list):
        raise BadInput("cities must be a list of city names.")
    if not CITIES_MIN <= len(value) <= CITIES_MAX:
        raise BadInput(f"cities must name between {CITIES_MIN} and {CITIES_MAX} cities.")
    cities: list[str] = []
    for index, item in enumerate(value):
        name = validate_city(item, field=f"cities[{index}]")
        if city_key(name) in map(city_key, cities):
            raise BadInput(f"cities[{index}] repeats an earlier city; each city may appear once.")
        cities.append(name)
    return cities
