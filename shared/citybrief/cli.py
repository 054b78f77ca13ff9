"""The ``citybrief`` command line.

Exit codes: 0 ok, 2 bad input, 3 not found or ambiguous, 4 Wikipedia failed or timed
out, 1 anything else, 130 interrupted. Errors are one line on stderr, never a traceback.
``batch`` exits 4 if any city failed, else 3 if any was not found, ambiguous or invalid.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .batch import DEFAULT_CONCURRENCY, MAX_CONCURRENCY
from .cache import Cache, open_cache
from .errors import Ambiguous, BadInput, CitybriefError, NotFound, UpstreamError, UpstreamTimeout
from .settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_UPSTREAM = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
MODES = ("air", "sea", "rail", "road", "transit")


def default_cache_spec(env: dict[str, str] | os._Environ[str] = os.environ) -> str:
    """The CLI keeps its cache across runs: SQLite under the user's cache directory."""
    base = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return f"sqlite:///{base / 'citybrief' / 'cache.sqlite3'}"


def exit_code(error: CitybriefError) -> int:
    if isinstance(error, BadInput):
        return EXIT_BAD_INPUT
    if isinstance(error, NotFound | Ambiguous):
        return EXIT_NOT_FOUND
    if isinstance(error, UpstreamError | UpstreamTimeout):
        return EXIT_UPSTREAM
    return EXIT_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citybrief",
        description="Logistics briefs of cities from Wikipedia (text: CC BY-SA 4.0).",
    )
    parser.add_argument("--version", action="version", version=f"citybrief {__version__}")
    parser.add_argument(
        "--snapshot", metavar="DIR", help="answer from a snapshot directory, offline"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    brief = commands.add_parser("brief", help="the logistics brief of one city")
    brief.add_argument("city", nargs="+", help='a city name, e.g. Chicago or "chicago il"')
    brief.add_argument("--sentences", "-n", type=int, default=5, help="summary length, 1-20")
    brief.add_argument("--lang", default="en", help="Wikipedia language code (default en)")
    brief.add_argument("--json", action="store_true", help="print the JSON document")

    compare = commands.add_parser("compare", help="distances and travel times between cities")
    compare.add_argument("cities", nargs="+", help="2-10 city names (quote names with spaces)")
    compare.add_argument("--speed", type=float, default=80.0, help="road speed in km/h")
    compare.add_argument("--lang", default="en")
    compare.add_argument("--json", action="store_true")

    snapshot = commands.add_parser("snapshot", help="record articles for offline use")
    snapshot.add_argument("cities", nargs="+")
    snapshot.add_argument("--out", required=True, metavar="DIR")
    snapshot.add_argument("--lang", default="en")

    batch = commands.add_parser(
        "batch",
        help="brief every city in a file, one JSON line each (in completion order)",
    )
    batch.add_argument("file", help="city names, one a line; '-' reads stdin; # comments")
    batch.add_argument(
        "--out", metavar="FILE", help="append results here, skipping cities already in it"
    )
    batch.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"cities in flight, 1-{MAX_CONCURRENCY} (default {DEFAULT_CONCURRENCY})",
    )
    batch.add_argument("--sentences", "-n", type=int, default=5, help="summary length, 1-20")
    batch.add_argument("--lang", default="en")
    return parser


class ConfigurationError(BadInput):
    """A malformed CITYBRIEF_* variable: the user's input, so it exits 2 like a bad flag."""

    title = "Configuration error"


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        settings, cache = _configure(args)
        return _run(args, settings, cache, out)
    except CitybriefError as error:
        print(f"citybrief: {error.title.lower()}: {error.detail}", file=sys.stderr)
        if isinstance(error, Ambiguous):
            for candidate in error.candidates:
                print(f"  - {candidate}", file=sys.stderr)
        return exit_code(error)
    except KeyboardInterrupt:
        print("citybrief: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # the promise is one line, never a traceback
        print(f"citybrief: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


def _configure(args: argparse.Namespace) -> tuple[Settings, Cache]:
    """Settings and cache; only here does ValueError mean configuration (later, a bug)."""
    try:
        settings = Settings.from_env(cache=default_cache_spec(), platform="local")
        if args.snapshot:
            settings = replace(settings, snapshot_dir=args.snapshot)
        return settings, open_cache(settings.cache, settings.cache_ttl)
    except ValueError as error:
        raise ConfigurationError(str(error)) from error


def _run(args: argparse.Namespace, settings: Settings, cache: Cache, out: TextIO) -> int:
    from .service import BriefService
    from .validation import (
        validate_cities,
        validate_city,
        validate_lang,
        validate_sentences,
        validate_speed,
    )

    if args.command == "snapshot":
        return _snapshot(args, settings, out)
    if args.command == "batch":
        return _batch(args, settings, cache, out)
    service = BriefService(settings, cache=cache)
    if args.command == "brief":
        city = validate_city(" ".join(args.city))
        doc = service.brief(city, validate_sentences(args.sentences), validate_lang(args.lang))
        out.write(_dump(doc) if args.json else render_brief(doc))
    else:
        cities = validate_cities(args.cities)
        doc = service.compare(cities, validate_speed(args.speed), validate_lang(args.lang))
        out.write(_dump(doc) if args.json else render_comparison(doc))
    return EXIT_OK


def _batch(args: argparse.Namespace, settings: Settings, cache: Cache, out: TextIO) -> int:
    from .batch import Progress, load_done, read_cities, run_batch, validate_concurrency
    from .names import city_key
    from .service import BriefService
    from .validation import validate_lang, validate_sentences

    concurrency = validate_concurrency(args.concurrency)
    sentences, lang = validate_sentences(args.sentences), validate_lang(args.lang)
    cities = read_cities(_input_lines(args.file))
    target = Path(args.out) if args.out else None
    done = load_done(target) if target else set()
    todo = [city for city in cities if city_key(city) not in done]
    # One service per worker: a WikiClient's session must not be shared between threads.
    local = threading.local()

    def brief(city: str) -> dict[str, Any]:
        if not hasattr(local, "service"):
            local.service = BriefService(settings, cache=cache)
        doc: dict[str, Any] = local.service.brief(city, sentences, lang)
        return doc

    progress = Progress(len(todo), sys.stderr)
    interrupted = False
    try:
        with _results(target, out) as stream:
            run_batch(todo, brief, stream, progress, concurrency)
    except KeyboardInterrupt:
        interrupted = True
    print(progress.summary(len(cities) - len(todo), interrupted), file=sys.stderr)
    return EXIT_INTERRUPTED if interrupted else batch_exit_code(progress.counts)


def batch_exit_code(counts: Counter[str]) -> int:
    if counts["failed"]:
        return EXIT_UPSTREAM
    if counts["not_found"] or counts["ambiguous"] or counts["bad_input"]:
        return EXIT_NOT_FOUND
    return EXIT_OK


def _input_lines(name: str) -> list[str]:
    if name == "-":
        return sys.stdin.read().splitlines()
    try:
        return Path(name).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read the city list {name}: {error}") from error


@contextmanager
def _results(target: Path | None, out: TextIO) -> Iterator[TextIO]:
    """The results file opened for appending (resume), else ``out`` left open."""
    if target is None:
        yield out
        return
    try:
        stream = target.open("a", encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write the results file {target}: {error}") from error
    with stream:
        yield stream


def _snapshot(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    from .snapshot import record
    from .validation import validate_city, validate_lang
    from .wiki import WikiClient

    lang = validate_lang(args.lang)
    client = WikiClient(settings)
    try:
        for name in args.cities:
            article = client.fetch(validate_city(name), lang).article
            path = record(article, args.out)
            out.write(f"{name} -> {article.title} ({path})\n")
    finally:
        client.close()
    return EXIT_OK


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _wrap(text: str, indent: str = "  ") -> str:
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ")


def render_brief(doc: dict[str, Any]) -> str:
    """The human-readable brief: summary, facts, per-mode evidence, tone, attribution."""
    facts = doc["facts"]
    lines = [f"{doc['title']} — {doc['url']}"]
    if doc["resolved_via"] != "exact":
        lines.append(f"  (asked for {doc['query']!r}, resolved via {doc['resolved_via']})")
    lines += ["", "Summary"] + [_wrap(s) for s in doc["summary"]]
    lines += ["", "Facts"]
    coords = facts["coordinates"]
    lines.append(
        f"  Coordinates  {coords['lat']:.4f}, {coords['lon']:.4f}"
        if coords
        else "  Coordinates  unknown"
    )
    population = facts["population"]
    lines.append(f"  Population   {population:,}" if population else "  Population   unknown")
    tz = facts["timezone"]
    tz_text = " · ".join(
        part for part in (tz.get("label") or tz.get("utc_offset"), tz.get("iana")) if part
    )
    lines.append(f"  Time zone    {tz_text or 'unknown'}")
    airports = ", ".join(
        f"{a['iata']} {a['name']} ({a['distance_km']} km)" for a in facts["airports"]
    )
    lines.append(_wrap(f"Airports     {airports or 'none within 150 km'}").rstrip())
    lines += ["", "Logistics"]
    for mode in MODES:
        evidence = doc["logistics"].get(mode, [])
        lines.append(f"  {mode.capitalize()}" + ("" if evidence else ": no evidence"))
        lines += [_wrap(f"• {e['text']} [{e['section']}]", "    ") for e in evidence]
    sentiment = doc["sentiment"]
    lines += [
        "",
        f"Sentiment    {sentiment['label']} (polarity {sentiment['polarity']:+.3f}, "
        f"subjectivity {sentiment['subjectivity']:.3f})",
        _wrap("Key phrases  " + "; ".join(doc["key_phrases"]), "").rstrip(),
        "",
        _wrap(f"{doc['source']['attribution']} {doc['source']['url']}", ""),
    ]
    return "\n".join(lines) + "\n"


def render_comparison(doc: dict[str, Any]) -> str:
    """A table of legs and the sentiment ranking."""

    def num(value: float | None, fmt: str) -> str:
        return "—" if value is None else format(value, fmt)

    lines = [
        f"{'from':<20} {'to':<20} {'km':>8} {'mi':>8} {'road h':>7} {'flight h':>8} {'Δtz h':>6}"
    ]
    for leg in doc["legs"]:
        lines.append(
            f"{leg['from'][:20]:<20} {leg['to'][:20]:<20} {num(leg['distance_km'], ',.0f'):>8} "
            f"{num(leg['distance_mi'], ',.0f'):>8} {num(leg['road_hours'], '.1f'):>7} "
            f"{num(leg['flight_hours'], '.1f'):>8} {num(leg['tz_offset_hours'], '+.1f'):>6}"
        )
    lines += ["", "Ranking by tone (most positive first): " + " > ".join(doc["ranking"])]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
