"""The one batch model: a city's outcome as a record, its status, whether a retry may
change it, and where it is stored. The file batch, the queue batch and every cloud's
batch path build and store exactly these records (docs/decisions/batch-retries.md)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from .errors import Ambiguous, BadInput, CitybriefError, InternalError, NotFound
from .names import city_key
from .validation import CITY_MAX_LENGTH, validate_city

# ``{"city", "lang", "status": "ok", "brief"}`` or ``{"city", "lang", "status", "error"}``.
Record = dict[str, Any]
STATUSES: Final = ("ok", "not_found", "ambiguous", "bad_input", "failed")
# Problem statuses a later attempt may not meet again: rate limiting, Wikipedia down or slow.
TRANSIENT_STATUSES: Final = frozenset({429, 502, 503, 504})
# Top-level folders of the key scheme; "errors" also passes the language-code pattern,
# hence a fixed folder for briefs too.
BRIEFS: Final = "briefs"
ERRORS: Final = "errors"
MESSAGE: Final = "_message"


def outcome(city: str, brief: Callable[[str], dict[str, Any]]) -> Record:
    """One city's record; every failure becomes a status, never an exception."""
    try:
        return {"city": city, "status": "ok", "brief": brief(validate_city(city))}
    except CitybriefError as error:
        return {"city": city, "status": _status(error), "error": error.problem()}
    except Exception as error:  # a bug must cost one record, not the whole batch
        problem = InternalError(f"{type(error).__name__}: {error}").problem()
        return {"city": city, "status": "failed", "error": problem}


def _status(error: CitybriefError) -> str:
    if isinstance(error, NotFound):
        return "not_found"
    if isinstance(error, Ambiguous):
        return "ambiguous"
    if isinstance(error, BadInput):
        return "bad_input"
    return "failed"


def is_transient(record: Mapping[str, Any]) -> bool:
    """A ``failed`` record another attempt might not meet (Wikipedia's fault, not a bug)."""
    error = record.get("error")
    return (
        record.get("status") == "failed"
        and isinstance(error, Mapping)
        and error.get("status") in TRANSIENT_STATUSES
    )


Key = tuple[str, str, str]


@dataclass(frozen=True)
class Settlement:
    """What one attempt stores, under which keys, and the transient failures left for
    the platform's retry."""

    store: list[tuple[Key, Record]]
    transient: list[Record]


def settle(records: list[Record], message_id: str, *, last_attempt: bool) -> Settlement:
    """The one retry policy: permanent outcomes are stored on every attempt; transient
    failures are stored only on the last one (earlier, a retry would leave them stale),
    marked ``"final": true``, and always reported so the adapter fails the invocation."""
    store: list[tuple[Key, Record]] = []
    transient: list[Record] = []
    for index, record in enumerate(records):
        key = record_key(record, message_id, index)
        if is_transient(record):
            transient.append(record)
            if last_attempt:
                store.append((key, {**record, "final": True}))
        else:
            store.append((key, record))
    return Settlement(store, transient)


def record_key(record: Mapping[str, Any], message_id: str, index: int) -> Key:
    """Where a record is stored, as (folder, language, name), so a redelivery overwrites it.

    ok: (briefs, LANG, TITLE): two names of one city share a record. Other statuses:
    (errors, LANG, folded query), apart from briefs so a failure never hides a brief.
    Without a city or a language (a bad message): (errors, _message, ID-INDEX). Each store
    renders the parts with its own separator and escaping.
    """
    brief = record.get("brief")
    city, lang = record.get("city"), record.get("lang")
    if record.get("status") == "ok" and isinstance(brief, Mapping):
        return BRIEFS, str(brief["lang"]), str(brief["title"])
    if isinstance(city, str) and city_key(city) and isinstance(lang, str):
        return ERRORS, lang, city_key(city)
    return ERRORS, MESSAGE, f"{message_id}-{index}"


def bounded(key: str, max_bytes: int) -> str:
    """``key``, or a SHA-256 of it when it is longer than a store allows."""
    if len(key.encode("utf-8", "surrogatepass")) <= max_bytes:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# Firestore's document-id limit; an id past it is hashed.
MAX_ID_BYTES: Final = 1500
# Characters that would nest ("/", "\\"), end a URL path ("?", "#") or make the encoding
# ambiguous ("%").
_ESCAPE: Final = frozenset("/\\?#%")


def document_id(key: Key) -> str:
    """The key as one Firestore document id: parts percent-encoded (no ``/``, never
    ``.``/``..``/``__x__``) and joined with ``:``; hashed past ``MAX_ID_BYTES``."""
    return bounded(":".join(quote(part, safe="") for part in key), MAX_ID_BYTES)


def blob_name(key: Key) -> str:
    """The key as a blob name, ``folder/lang/name.json``, each part one readable segment."""
    return "/".join(path_segment(part) for part in key) + ".json"


def path_segment(text: str) -> str:
    """``text`` as one readable path segment: Unicode kept, risky and control/format
    characters percent-encoded (so the mapping is reversible), a leading ``_`` or ``.``
    too (``_message`` is ours), long names cut and suffixed with a hash."""
    if text == MESSAGE:
        return text
    if len(text) > CITY_MAX_LENGTH:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        text = f"{text[:CITY_MAX_LENGTH]}~{digest}"
    out = []
    for index, char in enumerate(text):
        risky = char in _ESCAPE or unicodedata.category(char) in {"Cc", "Cf", "Cs", "Zl", "Zp"}
        if risky or (index == 0 and char in "_."):
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass")))
        else:
            out.append(char)
    return "".join(out)
