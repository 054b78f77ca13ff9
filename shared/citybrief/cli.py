"""The ``citybrief`` command line.

Exit codes: 0 ok, 2 bad input, 3 not found or ambiguous, 4 Wikipedia failed or timed
out, 1 anything else, 130 interrupted. Errors are one line on stderr, never a traceback.
``batch`` and ``snapshot`` go on past a city that fails: they exit 4 if any city failed
upstream, else 3 if any was not found or ambiguous, else 2 if any was invalid.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from . import __version__
from .cache import Cache, open_cache
from .errors import Ambiguous, BadInput, CitybriefError, NotFound, UpstreamError, UpstreamTimeout
from .filebatch import DEFAULT_CONCURRENCY, MAX_CONCURRENCY
from .settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_NOT_FOUND, EXIT_UPSTREAM = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
MODES = ("air", "sea", "rail", "road", "transit")
EXIT_CODES = (
    "exit codes: 0 ok, 2 bad input, 3 not found or ambiguous, 4 Wikipedia failed or timed "
    "out, 1 anything else, 130 interrupted (Ctrl-C)"
)
# How often the main thread looks up from waiting for a command: a Ctrl-C is answered
# within this, whatever the command is blocked on.
_POLL_SECONDS = 0.1


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


def worst_exit_code(codes: Counter[int]) -> int:
    """One code for a run that went on past failures: upstream, then lookup, then input."""
    for code in (EXIT_ERROR, EXIT_UPSTREAM, EXIT_NOT_FOUND, EXIT_BAD_INPUT):
        if codes[code]:
            return code
    return EXIT_OK


# -- arguments -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citybrief",
        description="Logistics briefs of cities from Wikipedia (text: CC BY-SA 4.0).",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"citybrief {__version__}")
    parser.add_argument(
        "--snapshot",
        metavar="DIR",
        help="answer only from articles recorded with `citybrief snapshot` (no network, "
        "no cache); default: $CITYBRIEF_SNAPSHOT, else live Wikipedia",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="COMMAND --help tells more"
    )

    brief = commands.add_parser("brief", help="the logistics brief of one city", epilog=EXIT_CODES)
    brief.add_argument(
        "city", nargs="+", help="a city name; several words need no quotes: chicago il"
    )
    _sentences_option(brief)
    _lang_option(brief)
    brief.add_argument("--json", action="store_true", help="print the JSON document")

    compare = commands.add_parser(
        "compare",
        help="distances and travel times between cities",
        description="Cities are separated by commas, as in the HTTP API's ?cities=A,B: "
        "`compare New York, Los Angeles, Chicago`. Without a comma each argument is "
        'one city: `compare Chicago Toronto "New York"`. A name and its redirect '
        "(Windy City, Chicago) are the same city, named twice: refused.",
        epilog=EXIT_CODES,
    )
    compare.add_argument("cities", nargs="+", metavar="CITY", help="2-10 city names")
    compare.add_argument(
        "--speed",
        type=float,
        default=80.0,
        metavar="KMH",
        help="average road speed in km/h, 5-1000 (default %(default)g)",
    )
    _lang_option(compare)
    compare.add_argument("--json", action="store_true", help="print the JSON document")

    snapshot = commands.add_parser(
        "snapshot",
        help="record articles for offline use",
        description="Records every city it can; the others are listed on stderr with why.",
        epilog=EXIT_CODES,
    )
    snapshot.add_argument("cities", nargs="+", metavar="CITY", help="city names, each quoted")
    snapshot.add_argument(
        "--out", required=True, metavar="DIR", help="the snapshot directory (created if absent)"
    )
    _lang_option(snapshot)

    batch = commands.add_parser(
        "batch",
        help="brief every city in a file, one JSON line each (in completion order)",
        description="A progress bar is drawn on stderr when it is a terminal; "
        "piped, only the summary line. Ctrl-C stops at once; with --out, rerun the same "
        "command to resume.",
        epilog="exit codes: 4 if any city failed upstream, else 3 if any was not found, "
        "ambiguous or invalid, else 0; 2 bad arguments or results file, 130 interrupted",
    )
    batch.add_argument("file", help="city names, one a line; '-' reads stdin; # comments")
    batch.add_argument(
        "--out",
        metavar="FILE",
        help="append results here, skipping cities already in it (default: stdout)",
    )
    batch.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"cities in flight, 1-{MAX_CONCURRENCY} (default %(default)s)",
    )
    _sentences_option(batch)
    _lang_option(batch)
    return parser


def _sentences_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sentences",
        "-n",
        type=int,
        default=5,
        metavar="N",
        help="summary length, 1-20 (default %(default)s)",
    )


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", default="en", help="Wikipedia language code (default %(default)s)"
    )


def split_cities(words: Sequence[str]) -> list[str]:
    """The cities of ``compare CITY...``: split at commas when there is one (names of
    several words need no quotes), else one city per argument."""
    if any("," in word for word in words):
        return [name.strip() for name in " ".join(words).split(",")]
    return list(words)


# -- running a command -------------------------------------------------------------------


class ConfigurationError(BadInput):
    """A malformed CITYBRIEF_* variable: the user's input, so it exits 2 like a bad flag."""

    title = "Configuration error"


@dataclass
class Run:
    """One invocation: its arguments, where it writes, and what to say if interrupted."""

    args: argparse.Namespace
    out: TextIO
    settings: Settings | None = None
    on_interrupt: Callable[[], str] = field(default=lambda: "citybrief: interrupted")


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run one command; the exit code.

    The command runs on a daemon thread while this (main) thread waits, so Ctrl-C is
    answered at once even when the command is blocked on a hung Wikipedia. Run as the
    program (``argv`` from ``sys.argv``), an interrupted process then ends at once, not
    after threads still waiting on the network; called with ``argv`` (tests), it returns.
    """
    run = Run(build_parser().parse_args(argv), stdout or sys.stdout)
    outcome: list[int] = []
    worker = threading.Thread(
        target=lambda: outcome.append(_guarded(run)), name="citybrief-command", daemon=True
    )
    try:
        worker.start()
        while worker.is_alive():
            worker.join(_POLL_SECONDS)
    except KeyboardInterrupt:
        print(run.on_interrupt(), file=sys.stderr)
        if argv is None:
            _exit_now(EXIT_INTERRUPTED)
        return EXIT_INTERRUPTED
    return outcome[0] if outcome else EXIT_ERROR


def _exit_now(code: int) -> None:
    """End the process without waiting for threads blocked on the network."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _guarded(run: Run) -> int:
    """The command's exit code; every failure becomes one line on stderr."""
    try:
        cache = _configure(run)
        with _retry_lines():
            return _run(run, cache)
    except CitybriefError as error:
        print(error_line(error, run), file=sys.stderr)
        if isinstance(error, Ambiguous):
            for candidate in error.candidates:
                print(f"  - {candidate}", file=sys.stderr)
        return exit_code(error)
    except KeyboardInterrupt:
        print(run.on_interrupt(), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # the promise is one line, never a traceback
        print(f"citybrief: unexpected error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERROR


def error_line(error: CitybriefError, run: Run) -> str:
    """``citybrief: <title>: <detail>``, the title said once; for Wikipedia failures also
    the URL tried and the two ways to work offline."""
    detail = error.detail
    if detail.casefold().startswith(error.title.casefold()):
        detail = detail[len(error.title) :].lstrip(" :")
    line = f"citybrief: {error.title.lower()}: {detail}"
    if isinstance(error, UpstreamError | UpstreamTimeout) and run.settings is not None:
        line += offline_hint(run.settings, getattr(run.args, "lang", "en"))
    return line


def offline_hint(settings: Settings, lang: str) -> str:
    """Where the failed requests went and how to do without them."""
    from .validation import validate_lang
    from .wiki_transport import endpoint_for

    try:
        url = endpoint_for(settings, validate_lang(lang))
    except BadInput:
        url = settings.wiki_api
    return (
        f" (tried {url}). Offline? Set CITYBRIEF_WIKI_API to a MediaWiki API you can "
        "reach, or answer from recorded articles with --snapshot DIR."
    )


class _RetryLines(logging.Handler):
    """The core's warnings (Wikipedia retries) as ``citybrief:`` lines on stderr, a cause
    said once: a retry for the same cause as the thread's line before says only "again"
    (a fetch retries on its own thread; a batch runs several)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._last = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        cause, said_action, action = message.partition("; ")
        if said_action and cause == getattr(self._last, "cause", None):
            message = f"again; {action}"
        self._last.cause = cause if said_action else None
        erase = "\r\x1b[K" if sys.stderr.isatty() else ""  # a batch's bar, redrawn next
        print(f"{erase}citybrief: {message}", file=sys.stderr)


@contextmanager
def _retry_lines() -> Iterator[None]:
    logger = logging.getLogger("citybrief")
    handler = _RetryLines()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _configure(run: Run) -> Cache:
    """Settings (kept on ``run``) and the cache; only here does ValueError mean
    configuration (later, a bug). Answers from a snapshot never come from the cache:
    the snapshot is what the user asked for."""
    try:
        settings = Settings.from_env(cache=default_cache_spec(), platform="local")
        if run.args.snapshot:
            if not Path(run.args.snapshot).is_dir():
                raise BadInput(f"--snapshot {run.args.snapshot}: no such directory")
            settings = replace(settings, snapshot_dir=run.args.snapshot)
        if settings.snapshot_dir:
            settings = replace(settings, cache="none")
        run.settings = settings
        return open_cache(settings.cache, settings.cache_ttl)
    except ValueError as error:
        raise ConfigurationError(str(error)) from error


def _run(run: Run, cache: Cache) -> int:
    from .service import BriefService
    from .validation import (
        validate_cities,
        validate_city,
        validate_lang,
        validate_sentences,
        validate_speed,
    )

    args, settings, out = run.args, run.settings, run.out
    assert settings is not None  # set by _configure
    if args.command == "snapshot":
        return _snapshot(args, settings, out)
    if args.command == "batch":
        return _batch(run, settings, cache)
    service = BriefService(settings, cache=cache)
    if args.command == "brief":
        city = validate_city(" ".join(args.city))
        doc = service.brief(city, validate_sentences(args.sentences), validate_lang(args.lang))
        out.write(_dump(doc) if args.json else render_brief(doc))
    else:
        cities = validate_cities(split_cities(args.cities))
        doc = service.compare(cities, validate_speed(args.speed), validate_lang(args.lang))
        refuse_same_city(cities, doc)
        out.write(_dump(doc) if args.json else render_comparison(doc))
    return EXIT_OK


def refuse_same_city(cities: list[str], doc: dict[str, Any]) -> None:
    """Two names of one article (a name and its redirect) are one city named twice."""
    first_named: dict[str, int] = {}
    for index, city in enumerate(doc["cities"]):
        first = first_named.setdefault(city["title"], index)
        if first != index:
            raise BadInput(
                f"{cities[first]!r} and {cities[index]!r} are the same city "
                f"({city['title']}); name each city once."
            )


def _batch(run: Run, settings: Settings, cache: Cache) -> int:
    from .filebatch import Progress, load_done, read_cities, run_batch, validate_concurrency
    from .names import city_key
    from .service import BriefService
    from .validation import validate_lang, validate_sentences

    args = run.args
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
    skipped = len(cities) - len(todo)
    run.on_interrupt = lambda: progress.summary(skipped, True) + _resume_hint(target)
    try:
        with _results(target, run.out) as stream:
            progress.draw()
            run_batch(todo, brief, stream, progress, concurrency)
    except KeyboardInterrupt:
        print(run.on_interrupt(), file=sys.stderr)
        return EXIT_INTERRUPTED
    print(progress.summary(skipped, False), file=sys.stderr)
    return batch_exit_code(progress.counts)


def _resume_hint(target: Path | None) -> str:
    if target is None:
        return "; results went to stdout: give --out FILE to make a run resumable"
    return f"; rerun to resume (cities already in {target} are skipped)"


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
    """Record every city that resolves; name each one that does not, and why."""
    from .snapshot import record
    from .validation import validate_city, validate_lang
    from .wiki import WikiClient

    lang = validate_lang(args.lang)
    codes: Counter[int] = Counter()
    with WikiClient(settings) as client:
        for name in args.cities:
            try:
                article = client.fetch(validate_city(name), lang).article
            except CitybriefError as error:
                codes[exit_code(error)] += 1
                why = error_line(error, Run(args, out)).removeprefix("citybrief: ")
                if isinstance(error, Ambiguous):
                    why += " Candidates: " + "; ".join(error.candidates)
                print(f"citybrief: not recorded: {name}: {why}", file=sys.stderr)
                continue
            path = record(article, args.out)
            codes[EXIT_OK] += 1
            out.write(f"{name} -> {article.title} ({path})\n")
    if codes[EXIT_OK] < len(args.cities):
        summary = f"citybrief: recorded {codes[EXIT_OK]} of {len(args.cities)} cities"
        if codes[EXIT_UPSTREAM]:
            summary += offline_hint(settings, lang)
        print(summary, file=sys.stderr)
    return worst_exit_code(codes)


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
    tone = (
        f"{sentiment['label']} (polarity {sentiment['polarity']:+.3f}, "
        f"subjectivity {sentiment['subjectivity']:.3f})"
        if sentiment
        else "not computed (see Limits)"
    )
    limits = doc["analysis"]["limits"]
    lines += [
        "",
        f"Sentiment    {tone}",
        _wrap("Key phrases  " + "; ".join(doc["key_phrases"]), "").rstrip(),
        *(["", "Limits"] if limits else []),
        *(_wrap(f"{limit['field']}: {limit['reason']}") for limit in limits),
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
