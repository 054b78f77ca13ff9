"""``citybrief batch``: one JSON line per city, statuses, resume, bounded concurrency, Ctrl-C.

Runs go through ``cli.main`` in-process. Where a test needs to see or disturb each fetch,
``citybrief.service.default_source`` is replaced by an instrumented ``ArticleSource``.
"""

from __future__ import annotations

import io
import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from citybrief import cli, service
from citybrief.errors import BadInput
from citybrief.filebatch import Progress, load_done, read_cities
from citybrief.service import default_source
from citybrief.settings import Settings
from citybrief.wiki import Fetched, WikiClient
from tests.support.fakewiki import FakeWiki

from .test_corpus import CITIES


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, wiki: FakeWiki) -> None:
    for name, value in {
        "CITYBRIEF_WIKI_API": wiki.api_url,
        "CITYBRIEF_CACHE": "none",
        "CITYBRIEF_DEADLINE": "5",
        "CITYBRIEF_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CITYBRIEF_SNAPSHOT", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    out = io.StringIO()
    code = cli.main(["batch", *argv], stdout=out)
    return code, out.getvalue(), capsys.readouterr().err


def results(path: Path) -> dict[str, dict[str, Any]]:
    """City -> line; fails if any line does not parse or a city appears twice."""
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    by_city = {line["city"]: line for line in lines}
    assert len(by_city) == len(lines), "a city was written twice"
    return by_city


def city_file(tmp_path: Path, cities: list[str], name: str = "cities.txt") -> Path:
    path = tmp_path / name
    path.write_text("".join(f"{city}\n" for city in cities), encoding="utf-8")
    return path


class InstrumentedSource:
    """Fetches through the fake wiki, counting calls in flight; may raise on call ``k``."""

    def __init__(self, settings: Settings, delay: float = 0.0, interrupt_at: int = 0) -> None:
        self.settings = settings
        self.delay = delay
        self.interrupt_at = interrupt_at
        self.calls = self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()

    def fetch(self, query: str, lang: str = "en") -> Fetched:
        with self.lock:
            self.calls += 1
            if self.calls == self.interrupt_at:
                raise KeyboardInterrupt
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            time.sleep(self.delay)
            with WikiClient(self.settings) as client:
                return client.fetch(query, lang)
        finally:
            with self.lock:
                self.in_flight -= 1


def instrument(monkeypatch: pytest.MonkeyPatch, **options: Any) -> InstrumentedSource:
    """Make every BriefService the CLI builds share one instrumented source."""
    source = InstrumentedSource(Settings.from_env(), **options)
    monkeypatch.setattr(service, "default_source", lambda settings: source)
    return source


def test_all_eighteen_cities(
    capsys: pytest.CaptureFixture[str], wiki: FakeWiki, tmp_path: Path
) -> None:
    """GIVEN the 18 recorded cities WHEN batched into a file THEN 18 ok lines with full
    briefs, 2 requests each, exit 0, and (stderr not a TTY) only the summary line."""
    out = tmp_path / "results.jsonl"

    code, stdout, err = run(capsys, str(city_file(tmp_path, CITIES)), "--out", str(out))

    lines = results(out)
    assert (code, stdout) == (0, "")
    assert set(lines) == set(CITIES)
    assert {line["status"] for line in lines.values()} == {"ok"}
    assert all(line["brief"]["title"] == city for city, line in lines.items())
    assert wiki.requests == 2 * len(CITIES)
    assert err.splitlines() == [
        "citybrief: batch done: 18 ok, 0 not found, 0 ambiguous, 0 bad input, 0 failed; "
        "0 skipped (already done)"
    ]


def test_resume_skips_finished_cities(
    capsys: pytest.CaptureFixture[str], wiki: FakeWiki, tmp_path: Path
) -> None:
    """GIVEN a results file with 3 ok cities, a failed one and a torn last line WHEN the
    batch runs again THEN only the other cities (and the failed one) are fetched, and every
    city ends up on exactly one whole line."""
    out = tmp_path / "results.jsonl"
    run(capsys, str(city_file(tmp_path, CITIES[:3], "first.txt")), "--out", str(out))
    failed = {"city": CITIES[3], "status": "failed", "error": {"status": 502}}
    with out.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(failed) + "\n" + '{"city": "' + CITIES[4] + '", "sta')
    wiki.reset()

    code, _, err = run(capsys, str(city_file(tmp_path, CITIES)), "--out", str(out))

    lines = results(out)
    assert code == 0
    assert wiki.requests == 2 * (len(CITIES) - 3)
    assert set(lines) == set(CITIES)
    assert lines[CITIES[3]]["status"] == "ok"
    assert "; 3 skipped (already done)" in err


def test_statuses_of_a_mixed_list_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """GIVEN stdin with comments, blanks, a repeat, an unknown, an ambiguous and an invalid
    name WHEN batched without --out THEN stdout has one line per distinct city, exit 3."""
    text = "# cities\nChicago\n\n  Qzxqzx Nowhere  \nSpringfield\nCHICAGO\nFoo|Bar\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))

    code, out, err = run(capsys, "-", "--sentences", "2")

    lines = {line["city"]: line for line in map(json.loads, out.splitlines())}
    assert code == 3
    assert {city: line["status"] for city, line in lines.items()} == {
        "Chicago": "ok",
        "Qzxqzx Nowhere": "not_found",
        "Springfield": "ambiguous",
        "Foo|Bar": "bad_input",
    }
    assert len(lines["Chicago"]["brief"]["summary"]) == 2
    assert "Springfield, Illinois" in lines["Springfield"]["error"]["candidates"]
    assert lines["Qzxqzx Nowhere"]["error"]["status"] == 404
    assert "1 ok, 1 not found, 1 ambiguous, 1 bad input, 0 failed" in err


def test_upstream_failures_exit_4(
    capsys: pytest.CaptureFixture[str], wiki: FakeWiki, tmp_path: Path
) -> None:
    wiki.fail("500")

    code, out, _ = run(capsys, str(city_file(tmp_path, ["Chicago", "Qzxqzx"])))

    assert code == 4
    assert {json.loads(line)["status"] for line in out.splitlines()} == {"failed"}


@pytest.mark.parametrize("concurrency", [1, 2, 4])
def test_concurrency_is_bounded(
    concurrency: int,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """GIVEN slow fetches WHEN 8 cities run with --concurrency N THEN exactly N are ever
    in flight at once (the default, 2, keeps to Wikimedia's etiquette)."""
    source = instrument(monkeypatch, delay=0.05)
    argv = [str(city_file(tmp_path, CITIES[:8]))]
    if concurrency != 2:
        argv += ["--concurrency", str(concurrency)]

    code, _, _ = run(capsys, *argv)

    assert code == 0
    assert source.calls == 8
    assert source.max_in_flight == concurrency


@pytest.mark.parametrize("value", ["0", "9"])
def test_concurrency_limits(value: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(city_file(tmp_path, ["Chicago"])), "--concurrency", value)

    assert code == 2
    assert err == "citybrief: invalid input: concurrency must be between 1 and 8.\n"


def test_interrupt_leaves_whole_lines_and_resumes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """GIVEN Ctrl-C during the 5th fetch WHEN batching THEN exit 130 with a summary, every
    written line parses, running cities are written, queued ones never start, and a rerun
    finishes the rest."""
    out = tmp_path / "results.jsonl"
    cities = city_file(tmp_path, CITIES)
    source = instrument(monkeypatch, interrupt_at=5)

    code, _, err = run(capsys, str(cities), "--out", str(out))

    written = results(out)
    assert code == 130
    assert err.startswith("citybrief: batch interrupted after ")
    assert len(written) == source.calls - 1  # every started city but the interrupted one
    assert source.calls <= 6  # at most the other worker's city after the interrupt
    assert {line["status"] for line in written.values()} == {"ok"}

    monkeypatch.setattr(service, "default_source", default_source)
    code, _, err = run(capsys, str(cities), "--out", str(out))
    assert code == 0
    assert set(results(out)) == set(CITIES)


def test_refuses_to_append_to_a_foreign_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("my notes\nkeep them\n", encoding="utf-8")

    code, _, err = run(capsys, str(city_file(tmp_path, ["Chicago"])), "--out", str(out))

    assert code == 2
    assert "notes.txt:1 is not a batch result line" in err
    assert out.read_text(encoding="utf-8") == "my notes\nkeep them\n"
    with pytest.raises(BadInput):
        load_done(out)


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"city": null, "status": "ok"}', "its city is not a string"),
        ('{"city": ["Paris", "Lisbon"], "status": "ok"}', "its city is not a string"),
        ('{"city": 7, "status": "not_found"}', "its city is not a string"),
        ('{"status": "ok"}', "its city is not a string"),
        ('{"city": "Paris", "status": "done"}', "its status is not one of"),
        ('["Paris", "ok"]', "a JSON list, not an object"),
        ('"Paris"', "a JSON str, not an object"),
    ],
)
@pytest.mark.parametrize("terminated", [True, False])
def test_refuses_results_whose_lines_have_the_wrong_shape(
    line: str, why: str, terminated: bool, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """GIVEN a results file whose last line is whole JSON but not a result (a null or list
    city, an unknown status, not an object) WHEN a batch would append to it THEN it is
    refused like any foreign file (exit 2, one line saying why), never a crash, and the
    file is untouched: a complete line is never mistaken for a torn one."""
    out = tmp_path / "results.jsonl"
    ok = json.dumps({"city": "Chicago", "status": "ok", "brief": {}})
    original = f"{ok}\n{line}" + ("\n" if terminated else "")
    out.write_text(original, encoding="utf-8")

    code, stdout, err = run(capsys, str(city_file(tmp_path, ["Boston"])), "--out", str(out))

    assert (code, stdout) == (2, "")
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "results.jsonl:2 is not a batch result line (" in err
    assert why in err
    assert out.read_text(encoding="utf-8") == original


def test_unreadable_list_or_unwritable_results_are_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, str(tmp_path / "missing.txt"))
    assert code == 2
    assert err.startswith("citybrief: invalid input: cannot read the city list ")

    cities = str(city_file(tmp_path, ["Chicago"]))
    code, _, err = run(capsys, cities, "--out", str(tmp_path / "no" / "such" / "dir.jsonl"))
    assert code == 2
    assert err.startswith("citybrief: invalid input: cannot write the results file ")


def test_read_cities_drops_comments_blanks_and_repeats() -> None:
    lines = ["# header", "", "  Paris ", "paris", "New  York", "new york", "  # indented"]
    assert read_cities(lines) == ["Paris", "New  York"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_only_on_a_terminal() -> None:
    """GIVEN a terminal and a pipe WHEN two of four cities are done THEN the terminal shows a
    bar redrawn in place with the time left (from the injected clock); the pipe nothing."""
    now = [100.0]
    terminal, piped = Terminal(), io.StringIO()
    tty = Progress(4, terminal, clock=lambda: now[0], width=8)
    pipe = Progress(4, piped, clock=lambda: now[0], width=8)
    for progress in (tty, pipe):
        now[0] += 30.0
        progress.add("ok")
        now[0] += 10.0
        progress.add("not_found")

    first, second = terminal.getvalue().split("\x1b[K")[:2]
    assert first == "\r[##------] 1/4  25%  1 ok, 0 not ok, ~1:30 left"
    assert second == "\r[####----] 2/4  50%  1 ok, 1 not ok, ~0:40 left"
    assert piped.getvalue() == ""
    assert tty.summary(0, interrupted=False).startswith("\ncitybrief: batch done: 1 ok, 1 not")
    assert pipe.summary(0, interrupted=False).startswith("citybrief: batch done: 1 ok, 1 not")
