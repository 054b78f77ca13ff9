"""``make bench``: citybrief against the naive peer, same run, same machine, as ratios.

Every figure is taken against the fake MediaWiki server (tests/support/fakewiki) serving
../shared/wiki, with 0 ms and 100 ms of added latency, so Wikipedia itself is never hit and
the two latencies bracket a fast and a realistic network. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.load import run_load
from bench.probe import LOADERS, MARK, ROOT
from citybrief.cache import NullCache
from citybrief.service import BriefService
from citybrief.settings import Settings
from citybrief.wiki import Fetched, WikiClient
from tests.support.fakewiki import FakeWiki
from tests.support.fakewiki.pages import DEFAULT_DATA, load

PYTHON = sys.executable
LATENCIES_MS = (0, 100)
# "aws" runs with the environment aws_lambda/template.yaml gives the function by default
# (TracingMode=Active: Lambda traces, no X-Ray SDK in the function); "aws-sdk" with that of
# TracingMode=ActiveWithSdk, an opt-in whose SDK import is reported, not held to the targets.
ADAPTERS = ("aws", "aws-sdk", "gcp", "azure", "cli", "core")
TARGETED = tuple(entry for entry in ADAPTERS if entry != "aws-sdk")
TRACING_MODES = {"aws": None, "aws-sdk": "ActiveWithSdk"}  # None: the template's default
TEMPLATE = ROOT / "aws_lambda" / "template.yaml"
PACKAGES = (
    "citybrief",
    "requests",
    "nltk",
    "textblob",
    "beautifulsoup4",
    "airportsdata",
    "wikipedia",
    "aws-lambda-powertools",
    "functions-framework",
    "flask",
    "gunicorn",
    "azure-functions",
)
# The same environment for every fresh process: no cache, no tracing or metrics backends.
PROBE_ENV = {
    "CITYBRIEF_CACHE": "none",
    "POWERTOOLS_METRICS_DISABLED": "1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "PYTHONPATH": str(ROOT),
}
TARGETS = {
    "requests_per_brief_max": 2,
    "naive_requests_per_brief_min": 4,
    "cold_ratio_100ms_max": 0.5,
    "cold_ratio_0ms_max": 1.0,
    "analysis_p50_ms_max": 60.0,
    "analysis_max_ms_max": 150.0,
    "cache_hit_p50_ms_max": 2.0,
    "peak_rss_mb_max": 100.0,
    "load_errors_max": 0,
}


# -- helpers --------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile: always a value that was actually observed."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def ratio(ours: float | None, theirs: float | None) -> float | None:
    return round(ours / theirs, 3) if ours is not None and theirs else None


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls (timeit's advice): the work is deterministic, so
    anything above the minimum is other processes or GC, not the code under test."""
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def machine_info() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "implementation": platform.python_implementation(),
        "packages": versions,
    }


def city_titles() -> list[str]:
    cities = json.loads((DEFAULT_DATA / "cities.json").read_text(encoding="utf-8"))
    return [city["title"] for city in cities]


# -- 1. requests per brief ------------------------------------------------------------------


def measure_requests(wiki: FakeWiki, cities: list[str]) -> dict[str, Any]:
    """Requests the fake server counted per brief, cache off, for every city."""
    from bench import naive

    service = BriefService(Settings(wiki_api=wiki.api_url, cache="none"))
    naive.point_at(wiki.api_url)
    per_city: dict[str, dict[str, int]] = {}
    for city in cities:
        wiki.reset()
        service.brief(city)
        ours = wiki.requests
        wiki.reset()
        naive.clear_caches()
        naive.naive_brief(city)
        per_city[city] = {"citybrief": ours, "naive": wiki.requests}
    ours_all = [row["citybrief"] for row in per_city.values()]
    naive_all = [row["naive"] for row in per_city.values()]
    return {
        "per_city": per_city,
        "citybrief": {"mean": statistics.mean(ours_all), "max": max(ours_all)},
        "naive": {"mean": statistics.mean(naive_all), "min": min(naive_all)},
        "ratio_mean": ratio(statistics.mean(ours_all), statistics.mean(naive_all)),
    }


# -- 4. analysis and cache hits ---------------------------------------------------------------


class _Prefetched:
    """An ArticleSource that answers from articles fetched beforehand: no I/O in the timing."""

    def __init__(self, articles: dict[str, Fetched]) -> None:
        self.articles = articles

    def fetch(self, query: str, lang: str = "en") -> Fetched:
        return Fetched(self.articles[query].article, 0)


def _naive_sentiment(textblob: Any, fetched: Fetched) -> object:
    return textblob(fetched.article.extract).sentiment


def measure_analysis(wiki: FakeWiki, cities: list[str], repeat: int) -> dict[str, Any]:
    """Brief time with the article in hand (analysis + facts), and warm cache hits.

    The naive peer's analysis is TextBlob's sentiment over the same article text.
    """
    from textblob import TextBlob

    wiki.reset()
    settings = Settings(wiki_api=wiki.api_url, cache="none")
    with WikiClient(settings) as client:
        articles = {city: client.fetch(city) for city in cities}
    cold_service = BriefService(settings, source=_Prefetched(articles), cache=NullCache())
    cold_service.brief(cities[0])  # lazy loads (sentiment lexicon, airports) are cold-start cost
    ours = {c: timed(partial(cold_service.brief, c), repeat) for c in cities}
    theirs = {c: timed(partial(_naive_sentiment, TextBlob, articles[c]), repeat) for c in cities}
    warm_service = BriefService(replace(settings, cache="memory"))
    hits = {}
    for city in cities:
        warm_service.brief(city)
        hits[city] = timed(partial(warm_service.brief, city), max(repeat, 5))

    def summary(values: dict[str, float]) -> dict[str, float]:
        samples = list(values.values())
        return {
            "p50_ms": ms(pct(samples, 50)),
            "p95_ms": ms(pct(samples, 95)),
            "max_ms": ms(max(samples)),
        }

    return {
        "citybrief": summary(ours),
        "naive": summary(theirs),
        "per_city_ms": {c: {"citybrief": ms(ours[c]), "naive": ms(theirs[c])} for c in cities},
        "cache_hit": summary(hits),
        "ratio_p50": ratio(pct(list(ours.values()), 50), pct(list(theirs.values()), 50)),
    }


# -- 2, 3, 5. fresh processes -----------------------------------------------------------------


def probe(wiki: FakeWiki, entry: str, city: str, *flags: str) -> tuple[dict[str, Any], str]:
    """Run one fresh process; its report (with spawn-to-brief seconds) and its stderr."""
    env = {**os.environ, **PROBE_ENV, "CITYBRIEF_WIKI_API": wiki.api_url}
    env.pop("POWERTOOLS_TRACE_DISABLED", None)  # outside Lambda the Tracer sends nothing
    if entry in TRACING_MODES:
        disabled = deployed_tracing(TRACING_MODES[entry])["POWERTOOLS_TRACE_DISABLED"]
        env["POWERTOOLS_TRACE_DISABLED"] = disabled
    latency = wiki.latency_ms
    wiki.reset()
    wiki.latency_ms = latency
    started = time.time()
    done = subprocess.run(
        [PYTHON, *flags, "-m", "bench.probe", entry, city],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        report: dict[str, Any] = {"ok": False, "error": f"exit {done.returncode}: {tail[0]}"}
    else:
        report = json.loads(lines[-1][len(MARK) :])
        report["cold_s"] = report["done_at"] - started
    report["requests"] = wiki.requests
    return report, done.stderr


def deployed_tracing(mode: str | None = None) -> dict[str, str]:
    """The HTTP function's ``Tracing`` and ``POWERTOOLS_TRACE_DISABLED`` as the SAM template
    resolves them for ``TracingMode=mode`` (None: its default), so the aws rows measure
    what a deployment runs."""
    from cfnlint.decode import cfn_yaml

    template = cfn_yaml.load(str(TEMPLATE))
    params = {"TracingMode": mode or template["Parameters"]["TracingMode"]["Default"]}
    conditions = template["Conditions"]

    def value(node: Any) -> Any:
        if not (isinstance(node, dict) and len(node) == 1):
            return node
        ((name, arg),) = node.items()
        if name == "Ref":
            return params[arg]
        if name == "Condition":
            return value(conditions[arg])
        if name == "Fn::Equals":
            return value(arg[0]) == value(arg[1])
        if name == "Fn::Not":
            return not value(arg[0])
        if name == "Fn::If":
            return value(arg[1] if value(conditions[arg[0]]) else arg[2])
        raise ValueError(f"{name} is not resolved here")

    function = template["Resources"]["CityBriefFunction"]["Properties"]
    variables = function["Environment"]["Variables"]
    return {
        "Tracing": str(value(function["Tracing"])),
        "POWERTOOLS_TRACE_DISABLED": str(value(variables["POWERTOOLS_TRACE_DISABLED"])),
    }


def measure_cold(wiki: FakeWiki, cities: list[str], samples: int) -> dict[str, Any]:
    """Samples per entry point and latency, interleaved so drift hits every entry alike."""
    out: dict[str, Any] = {}
    entries = list(LOADERS)
    for latency in LATENCIES_MS:
        wiki.latency_ms = latency
        runs: dict[str, list[dict[str, Any]]] = {entry: [] for entry in entries}
        for entry in entries:  # one discarded run each: compiles .pyc, warms the page cache
            probe(wiki, entry, cities[0])
        for i in range(samples):
            city = cities[i % len(cities)]
            for entry in entries:
                runs[entry].append(probe(wiki, entry, city)[0])
        out[f"{latency}ms"] = {entry: summarise_cold(r) for entry, r in runs.items()}
        naive = out[f"{latency}ms"]["naive"].get("cold_ms", {})
        for entry in entries:
            mine = out[f"{latency}ms"][entry].get("cold_ms", {})
            out[f"{latency}ms"][entry]["ratio_to_naive"] = ratio(
                mine.get("median"), naive.get("median")
            )
            # Best case against best case: less sensitive to a busy machine than medians.
            out[f"{latency}ms"][entry]["ratio_min_to_naive"] = ratio(
                mine.get("min"), naive.get("min")
            )
    wiki.latency_ms = 0
    return out


def summarise_cold(runs: list[dict[str, Any]]) -> dict[str, Any]:
    good = [r for r in runs if r.get("ok")]
    errors = sorted({r["error"] for r in runs if not r.get("ok")})
    result: dict[str, Any] = {"samples": len(runs), "ok": len(good), "errors": errors}
    if good:
        for key, name in (("cold_s", "cold_ms"), ("import_s", "import_ms")):
            values = [r[key] * 1000 for r in good]
            result[name] = {
                "median": round(statistics.median(values), 1),
                "min": round(min(values), 1),
                "max": round(max(values), 1),
            }
        result["peak_rss_mb"] = round(max(r["maxrss_kb"] for r in good) / 1024, 1)
        result["requests"] = max(r["requests"] for r in good)
    return result


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def measure_imports(wiki: FakeWiki, city: str) -> dict[str, Any]:
    """``-X importtime`` over one cold brief: the 5 heaviest top-level packages.

    A package's weight is the sum of its modules' *self* times, so nothing counts twice;
    the cold path includes the lazy imports of the first brief, which is where they hurt.
    """
    out: dict[str, Any] = {}
    for entry in LOADERS:
        report, stderr = probe(wiki, entry, city, "-X", "importtime")
        weights: dict[str, int] = {}
        for match in _IMPORT_LINE.finditer(stderr):
            top = match.group(4).split(".")[0]
            weights[top] = weights.get(top, 0) + int(match.group(1))
        heaviest = sorted(weights.items(), key=lambda kv: -kv[1])[:5]
        out[entry] = {
            "ok": bool(report.get("ok")),
            "error": report.get("error"),
            "total_import_ms": round(sum(weights.values()) / 1000, 1),
            "heaviest": [{"package": name, "ms": round(us / 1000, 1)} for name, us in heaviest],
        }
    return out


# -- 6. load on the local functions-framework server ----------------------------------------


@contextmanager
def process(args: list[str], env: dict[str, str], ready: Callable[[], bool]) -> Iterator[None]:
    """A child server for the block's duration; stopped by its own pid (and its group)."""
    child = subprocess.Popen(
        args,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready():
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{args[0]} {' '.join(args[1:3])} did not start")
            time.sleep(0.1)
        yield
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)  # the group we created, nothing else
            child.wait(timeout=5)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status < 500)
    except OSError as exc:
        return getattr(exc, "code", 500) < 500


def measure_load(cities: list[str], seconds: float, clients: int) -> dict[str, Any]:
    """req/s and latency percentiles of functions-framework (gunicorn), hit and miss mixes."""
    out: dict[str, Any] = {}
    source = ROOT / "gcp_functions" / "main.py"
    for latency in LATENCIES_MS:
        wiki_port = free_port()
        wiki_api = f"http://127.0.0.1:{wiki_port}/w/api.php"
        wiki_args = [PYTHON, "-m", "tests.support.fakewiki", "--port", str(wiki_port)]
        wiki_args += ["--latency-ms", str(latency)]
        wiki_env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with process(wiki_args, wiki_env, partial(answers, wiki_api)):
            for mix, cache, mix_cities in (
                ("hit", "memory", cities[:3]),
                ("miss", "none", cities),
            ):
                key = f"{mix}_{latency}ms"
                try:
                    out[key] = _one_mix(source, wiki_api, cache, mix_cities, seconds, clients)
                except (RuntimeError, OSError) as exc:
                    out[key] = {"error": str(exc), "errors": None}
    return out


def _one_mix(
    source: Path, wiki_api: str, cache: str, cities: list[str], seconds: float, clients: int
) -> dict[str, Any]:
    if not source.exists():
        raise RuntimeError(f"{source.relative_to(ROOT)} does not exist yet")
    port = free_port()
    env = {
        **os.environ,
        "CITYBRIEF_WIKI_API": wiki_api,
        "CITYBRIEF_CACHE": cache,
        "CITYBRIEF_LOG_LEVEL": "WARNING",  # one log line per request would measure stdout
    }
    args = [str(Path(PYTHON).parent / "functions-framework"), "--target", "citybrief_http"]
    args += ["--source", str(source), "--host", "127.0.0.1", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with process(args, env, lambda: answers(f"{base}/health")):
        for city in cities[:3]:  # warm: NLP imports done, and the hit mix's cache filled
            answers(f"{base}/brief?city={city}")
        result = run_load(port, cities, clients, seconds)
    done = result.latencies
    return {
        "cache": cache,
        "cities": len(cities),
        "clients": clients,
        "seconds": round(result.seconds, 2),
        "requests": len(done) + result.errors,
        "errors": result.errors,
        "error_samples": result.error_samples,
        "rps": round(len(done) / result.seconds, 1),
        "p50_ms": ms(pct(done, 50)) if done else None,
        "p95_ms": ms(pct(done, 95)) if done else None,
        "p99_ms": ms(pct(done, 99)) if done else None,
    }


# -- 7. artifacts -----------------------------------------------------------------------------


def measure_artifacts() -> dict[str, Any]:
    """Each ``dist/*.zip``, and each ``dist/`` folder without one (GCP uploads its source
    folder and the platform installs the dependencies, so there is nothing to zip)."""
    dist = ROOT / "dist"
    zips = sorted(dist.glob("*.zip"))
    folders = sorted(p for p in dist.glob("*") if p.is_dir() and not p.with_suffix(".zip").exists())
    if not zips and not folders:
        return {"status": "not built (run make package)"}
    out: dict[str, Any] = {}
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            files = len(archive.infolist())
        out[path.name] = {
            "zipped_mb": round(path.stat().st_size / 2**20, 2),
            "unzipped_mb": round(unzipped / 2**20, 2),
            "files": files,
        }
    for folder in folders:
        contents = [p for p in folder.rglob("*") if p.is_file()]
        out[f"{folder.name}/"] = {
            "zipped_mb": None,
            "unzipped_mb": round(sum(p.stat().st_size for p in contents) / 2**20, 2),
            "files": len(contents),
        }
    return out


# -- targets and report -----------------------------------------------------------------------


def evaluate(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with the measured value and met / missed / error."""
    rows: list[dict[str, Any]] = []

    def check(name: str, value: float | None, limit: float, at_most: bool = True) -> None:
        if value is None:
            status = "error"
        else:
            status = "met" if (value <= limit if at_most else value >= limit) else "missed"
        rows.append({"target": name, "value": value, "limit": limit, "status": status})

    req = results["requests"]
    check("requests/brief citybrief (max) <= 2", req["citybrief"]["max"], 2)
    check("requests/brief naive (min) >= 4", req["naive"]["min"], 4, at_most=False)
    for latency, limit in (("100ms", 0.5), ("0ms", 1.0)):
        for entry in TARGETED:
            value = results["cold_start"][latency][entry]["ratio_to_naive"]
            check(f"cold start {entry} @{latency} <= {limit}x naive", value, limit)
    analysis = results["analysis"]
    check("analysis p50 <= 60 ms", analysis["citybrief"]["p50_ms"], 60)
    check("analysis max <= 150 ms", analysis["citybrief"]["max_ms"], 150)
    check("cache hit p50 <= 2 ms", analysis["cache_hit"]["p50_ms"], 2)
    for entry in TARGETED:
        rss = [results["cold_start"][lat][entry].get("peak_rss_mb") for lat in ("0ms", "100ms")]
        known = [value for value in rss if value is not None]
        check(f"peak RSS {entry} <= 100 MB", max(known) if known else None, 100)
    for key, mix in results["load"].items():
        check(f"no errors under load ({key})", mix.get("errors"), 0)
    return rows


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    return f"{value:g}{unit}" if isinstance(value, int | float) else str(value)


def table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[[_fmt(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [f"\n== {title}"]
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


COLD_HEADER = ["entry", "ok", "median ms", "min-max", "import ms", "reqs", "RSS MB", "x naive"]
COLD_HEADER += ["x naive (min)", "error"]


def report(results: dict[str, Any]) -> str:
    """The stdout tables: citybrief beside the naive peer, ratios last."""
    info = results["machine"]
    out = [
        f"citybrief bench: {info['cpu_count']} CPUs, {info['platform']}, "
        f"Python {info['python']}, mode {results['mode']}, {results['seconds']} s, "
        f"load average {info['load_average_at_start'][0]} -> {info['load_average_at_end'][0]}"
    ]
    if max(info["load_average_at_start"][0], info["load_average_at_end"][0]) > info["cpu_count"]:
        out.append(
            "WARNING: more runnable processes than CPUs during the run: absolute times are "
            "inflated and noisy; trust the ratios (interleaved samples) more than the limits."
        )
    req = results["requests"]
    out.append(
        table(
            "1. Wikipedia requests per brief (18 cities, cache off)",
            ["", "citybrief", "naive", "ratio"],
            [
                ["mean", req["citybrief"]["mean"], req["naive"]["mean"], req["ratio_mean"]],
                ["max / min", req["citybrief"]["max"], req["naive"]["min"], None],
            ],
        )
    )
    for latency in ("0ms", "100ms"):
        rows = []
        for entry, row in results["cold_start"][latency].items():
            cold = row.get("cold_ms", {})
            spread = f"{cold['min']:g}-{cold['max']:g}" if cold else None
            rows.append(
                [
                    entry,
                    f"{row['ok']}/{row['samples']}",
                    cold.get("median"),
                    spread,
                    row.get("import_ms", {}).get("median"),
                    row.get("requests"),
                    row.get("peak_rss_mb"),
                    row.get("ratio_to_naive"),
                    row.get("ratio_min_to_naive"),
                    "; ".join(row["errors"])[:90] or None,
                ]
            )
        out.append(
            table(
                f"2+5. Cold start to first brief, fresh process, wiki latency {latency}",
                COLD_HEADER,
                rows,
            )
        )
    rows = []
    for entry, row in results["imports"].items():
        heavy = ", ".join(f"{h['package']} {h['ms']:g}" for h in row["heaviest"])
        rows.append([entry, row["total_import_ms"], heavy])
    out.append(
        table(
            "3. Imports on the cold path (-X importtime, self ms summed per top-level package)",
            ["entry", "total ms", "5 heaviest (ms)"],
            rows,
        )
    )
    ana = results["analysis"]
    out.append(
        table(
            "4. Analysis per brief, article in hand (18 articles) and warm cache hit",
            ["", "p50 ms", "p95 ms", "max ms"],
            [
                ["citybrief analysis+facts", *ana["citybrief"].values()],
                ["naive TextBlob sentiment", *ana["naive"].values()],
                ["citybrief cache hit", *ana["cache_hit"].values()],
                ["ratio p50 (citybrief / naive)", ana["ratio_p50"], None, None],
            ],
        )
    )
    rows = [
        [
            key,
            mix.get("requests"),
            mix.get("errors"),
            mix.get("rps"),
            mix.get("p50_ms"),
            mix.get("p95_ms"),
            mix.get("p99_ms"),
            mix.get("error") or "; ".join(mix.get("error_samples") or [])[:80] or None,
        ]
        for key, mix in results["load"].items()
    ]
    out.append(
        table(
            f"6. functions-framework (gunicorn) under load, {results['load_clients']} clients",
            ["mix", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "note"],
            rows,
        )
    )
    art = results["artifacts"]
    if "status" in art:
        rows = [[art["status"], None, None, None]]
    else:
        rows = [[name, a["zipped_mb"], a["unzipped_mb"], a["files"]] for name, a in art.items()]
    out.append(table("7. Artifacts (dist/*.zip)", ["file", "zip MB", "unzipped MB", "files"], rows))
    out.append(
        table(
            "Targets",
            ["target", "value", "status"],
            [[t["target"], t["value"], t["status"].upper()] for t in results["targets"]],
        )
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, 3 s load mixes")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    samples, load_seconds, repeat = (3, 3.0, 1) if args.quick else (7, 20.0, 5)
    clients = 8
    started = time.monotonic()
    cities = city_titles()
    wiki = FakeWiki(load(DEFAULT_DATA)).start()
    try:
        results: dict[str, Any] = {
            "mode": "quick" if args.quick else "full",
            "machine": machine_info(),
            "cities": cities,
            "cold_start_samples": samples,
            "load_clients": clients,
        }
        print("1/7 requests per brief...", file=sys.stderr, flush=True)
        results["requests"] = measure_requests(wiki, cities)
        print("4/7 analysis and cache hits...", file=sys.stderr, flush=True)
        results["analysis"] = measure_analysis(wiki, cities, repeat)
        print("2,5/7 cold starts...", file=sys.stderr, flush=True)
        results["cold_start"] = measure_cold(wiki, cities, samples)
        print("3/7 import times...", file=sys.stderr, flush=True)
        results["imports"] = measure_imports(wiki, cities[0])
    finally:
        wiki.stop()
    print("6/7 load...", file=sys.stderr, flush=True)
    results["load"] = measure_load(cities, load_seconds, clients)
    results["artifacts"] = measure_artifacts()
    results["targets"] = evaluate(results)
    results["targets_met"] = all(t["status"] == "met" for t in results["targets"])
    results["seconds"] = round(time.monotonic() - started, 1)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report(results))
    print(f"\nresults: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
