"""Queue messages in, one result per city out: the batch logic every cloud's queue path shares.

A message is a JSON object ``{"city": NAME}`` or ``{"cities": [NAME, ...]}``, with
optional ``"sentences"`` and ``"lang"`` as for ``/brief``. Adapters (the GCP Pub/Sub
function today) only decode their platform's envelope and store the records.

Why everything is a record and nothing raises: queues redeliver a message whose handler
fails, so a message that can never succeed (bad JSON, unknown field, a city Wikipedia
lacks) would be retried until it expires. Such outcomes are permanent and are returned as
``{"city", "lang", "status", "error"}`` records (``error`` an RFC 9457 problem). What is
worth retrying (the store being down) is the adapter's to raise. Statuses are those of
``citybrief batch``: ok, not_found, ambiguous, bad_input, failed.

Choices a sender can observe:

* A message-level fault (not JSON, not an object, unknown field, bad ``sentences`` or
  ``lang``, both or neither of ``city``/``cities``, 0 or more than ``MAX_CITIES`` cities)
  yields ONE ``bad_input`` record with ``"city": null``: no city was attempted.
* In ``cities`` each item stands alone: a bad name is a ``bad_input`` record for that item
  and the others still run. Repeats (same name up to case and spacing) run once.
* ``failed`` (Wikipedia down or timing out, a bug) is recorded too, not retried: retrying
  the whole message would re-fetch the cities that worked, and a new message is cheap.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from .batch import outcome
from .errors import BadInput
from .names import city_key
from .service import MAX_PARALLEL_FETCHES
from .validation import (
    CITIES_MAX,
    DEFAULT_LANG,
    SENTENCES_DEFAULT,
    Lang,
    validate_city,
    validate_lang,
    validate_sentences,
)

# One message is one function invocation with a timeout: the cap keeps it inside one.
MAX_CITIES: Final = CITIES_MAX
# Far above any honest message (10 names of <= 200 characters); bounds the JSON parse.
MAX_MESSAGE_BYTES: Final = 64 * 1024
FIELDS: Final = frozenset({"city", "cities", "sentences", "lang"})
# Firestore's document-id limit; other stores' keys are shorter, and hash ids past it.
MAX_ID_BYTES: Final = 1500

# brief(city, sentences, lang), i.e. ``BriefService.brief``.
BriefFn = Callable[[str, int, str], dict[str, Any]]
Result = dict[str, Any]


@dataclass(frozen=True)
class Job:
    """A parsed message. ``cities`` holds raw items: each is validated on its own."""

    cities: tuple[object, ...]
    sentences: int = SENTENCES_DEFAULT
    lang: Lang = DEFAULT_LANG


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_message(data: bytes | str) -> Job:
    """The job a message asks for; ``BadInput`` when the message itself is wrong."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > MAX_MESSAGE_BYTES:
        raise BadInput(f"The message may be at most {MAX_MESSAGE_BYTES} bytes.")
    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise BadInput("The message is not valid UTF-8 JSON.") from exc
    if not isinstance(document, dict):
        raise BadInput('The message must be a JSON object such as {"city": "Chicago"}.')
    unknown = sorted(set(document) - FIELDS)
    if unknown:
        names = ", ".join(name[:40] for name in unknown[:5])
        raise BadInput(f"Unknown field(s): {names}. Allowed: {', '.join(sorted(FIELDS))}.")
    if ("city" in document) == ("cities" in document):
        raise BadInput('The message must have exactly one of "city" or "cities".')
    if "city" in document:
        cities: tuple[object, ...] = (document["city"],)
    else:
        items = document["cities"]
        if not isinstance(items, list):
            raise BadInput("cities must be a list of city names.")
        if not 1 <= len(items) <= MAX_CITIES:
            raise BadInput(f"cities must name between 1 and {MAX_CITIES} cities.")
        cities = tuple(items)
    return Job(
        cities=cities,
        sentences=validate_sentences(document.get("sentences", SENTENCES_DEFAULT)),
        lang=validate_lang(document.get("lang", DEFAULT_LANG)),
    )


def _bad_item(item: object, lang: str | None, error: BadInput) -> Result:
    city = item if isinstance(item, str) else None
    return {"city": city, "lang": lang, "status": "bad_input", "error": error.problem()}


def run_job(job: Job, brief: BriefFn) -> list[Result]:
    """One record per distinct city, in message order; at most two fetches in flight."""
    checked: list[str | Result] = []  # a valid name to brief, or the bad item's record
    seen: set[str] = set()
    for index, item in enumerate(job.cities):
        field = "city" if len(job.cities) == 1 else f"cities[{index}]"
        try:
            name = validate_city(item, field)
        except BadInput as error:
            checked.append(_bad_item(item, job.lang, error))
            continue
        if city_key(name) not in seen:
            seen.add(city_key(name))
            checked.append(name)

    def one(name: str) -> Result:
        record = outcome(name, lambda city: brief(city, job.sentences, job.lang))
        return {**record, "lang": job.lang}

    def in_context(name: str) -> Result:
        # A copy of the caller's context, so log lines keep the message's request id.
        return context.copy().run(one, name)

    context = contextvars.copy_context()
    names = [entry for entry in checked if isinstance(entry, str)]
    # Wikimedia's etiquette: the same two-in-flight bound as compare().
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL_FETCHES) as pool:
        briefed = iter(list(pool.map(in_context, names)))
    return [next(briefed) if isinstance(entry, str) else entry for entry in checked]


def process_message(data: bytes | str, brief: BriefFn) -> list[Result]:
    """``parse_message`` then ``run_job``; a bad message is one ``bad_input`` record."""
    try:
        job = parse_message(data)
    except BadInput as error:
        return [_bad_item(None, None, error)]
    return run_job(job, brief)


def _encode(text: str) -> str:
    # Percent-encoding is injective and leaves no "/", so ids never collide or nest.
    return quote(text, safe="")


def record_id(result: Mapping[str, Any], message_id: str, index: int) -> str:
    """A stable, store-safe key for a result, so a redelivered message overwrites itself.

    ``ok``: ``LANG:TITLE`` (the resolved title, so "Windy City" and "Chicago" share
    one record). Other statuses: ``LANG:query:QUERY`` (case and spacing folded), kept
    apart from briefs so a failed retry never hides a good brief. Without a city or a
    language (a bad message): ``message:ID:INDEX``. Parts are percent-encoded: no ``/``
    (a Firestore path separator), never ``.``/``..``/``__x__``. Past ``MAX_ID_BYTES``
    the id is a SHA-256 of itself.
    """
    brief = result.get("brief")
    city, lang = result.get("city"), result.get("lang")
    if result.get("status") == "ok" and isinstance(brief, Mapping):
        key = f"{brief['lang']}:{_encode(str(brief['title']))}"
    elif isinstance(city, str) and isinstance(lang, str):
        key = f"{lang}:query:{_encode(city_key(city))}"
    else:
        key = f"message:{_encode(message_id)}:{index}"
    if len(key.encode()) > MAX_ID_BYTES:
        return "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    return key
