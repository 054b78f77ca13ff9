"""The queue batch: one message (``{"city"}`` or ``{"cities": [...]}``, with optional
``sentences`` and ``lang`` as for ``/brief``) in, one ``citybrief.records`` record per
distinct city out. Nothing here raises for what a sender wrote: a bad message is one
``bad_input`` record with ``"city": null``; a bad item is a record of its own. Which
records a platform retries is ``records.settle``'s (docs/decisions/batch-retries.md)."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

from .errors import BadInput
from .names import city_key
from .records import Record, outcome
from .service import MAX_PARALLEL_FETCHES
from .validation import (
    CITIES_MAX,
    DEFAULT_LANG,
    SENTENCES_DEFAULT,
    validate_city,
    validate_lang,
    validate_sentences,
)

# One message is one function invocation with a timeout: the cap keeps it inside one.
MAX_CITIES: Final = CITIES_MAX
# Far above any honest message (10 names of <= 200 characters); bounds the JSON parse.
MAX_MESSAGE_BYTES: Final = 64 * 1024
FIELDS: Final = frozenset({"city", "cities", "sentences", "lang"})

# brief(city, sentences, lang), i.e. ``BriefService.brief``.
BriefFn = Callable[[str, int, str], dict[str, Any]]


@dataclass(frozen=True)
class Job:
    """A parsed message. ``cities`` holds raw items: each is validated on its own."""

    cities: tuple[object, ...]
    sentences: int = SENTENCES_DEFAULT
    lang: str = DEFAULT_LANG


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


def _bad_item(item: object, lang: str | None, error: BadInput) -> Record:
    city = item if isinstance(item, str) else None
    return {"city": city, "lang": lang, "status": "bad_input", "error": error.problem()}


def run_job(job: Job, brief: BriefFn) -> list[Record]:
    """One record per distinct city, in message order; at most two fetches in flight."""
    checked: list[str | Record] = []  # a valid name to brief, or the bad item's record
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

    def one(name: str) -> Record:
        record = outcome(name, lambda city: brief(city, job.sentences, job.lang))
        return {**record, "lang": job.lang}

    def in_context(name: str) -> Record:
        # A copy of the caller's context, so log lines keep the message's request id.
        return context.copy().run(one, name)

    context = contextvars.copy_context()
    names = [entry for entry in checked if isinstance(entry, str)]
    # Wikimedia's etiquette: the same two-in-flight bound as compare().
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL_FETCHES) as pool:
        briefed = iter(list(pool.map(in_context, names)))
    return [next(briefed) if isinstance(entry, str) else entry for entry in checked]


def process_message(data: bytes | str, brief: BriefFn) -> list[Record]:
    """``parse_message`` then ``run_job``; a bad message is one ``bad_input`` record."""
    try:
        job = parse_message(data)
    except BadInput as error:
        return [bad_message(error)]
    return run_job(job, brief)


def bad_message(error: BadInput) -> Record:
    """The one record of a message that names no city to try (also a bad envelope)."""
    return _bad_item(None, None, error)
