"""The ``citybrief`` command against the fake wiki: output, exit codes, one-line errors.

Commands run in-process through ``cli.main`` (fast, and the fake wiki's counter sees every
request); one test runs the installed console script to prove the entry point works.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from citybrief import cli
from citybrief.service import BriefService
from tests.support.fakewiki import FakeWiki

CLOSED_PORT_API = "http://127.0.0.1:9/w/api.php"  # discard port: nothing listens


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, wiki: FakeWiki, tmp_path: Path) -> dict[str, str]:
    """The CLI's environment aimed at the fake wiki, uncached, failing fast."""
    values = {
        "CITYBRIEF_WIKI_API": wiki.api_url,
        "CITYBRIEF_CACHE": "none",
        "CITYBRIEF_DEADLINE": "5",
        "CITYBRIEF_MAX_RETRIES": "0",
        "XDG_CACHE_HOME": str(tmp_path / "xdg"),
    }
    for name in ("CITYBRIEF_SNAPSHOT", "CITYBRIEF_CACHE_TTL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of one in-process run."""
    capsys.readouterr()
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue(), capsys.readouterr().err


def assert_one_line_error(err: str, starts: str) -> None:
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    assert err.startswith(starts), err


@pytest.mark.usefixtures("env")
def test_brief_prints_a_readable_brief(capsys: pytest.CaptureFixture[str], wiki: FakeWiki) -> None:
    code, out, err = run(capsys, "brief", "Chicago")

    assert (code, err) == (0, "")
    assert out.startswith("Chicago — https://en.wikipedia.org/wiki/Chicago\n")
    for heading in ("\nSummary\n", "\nFacts\n", "\nLogistics\n", "\nSentiment"):
        assert heading in out
    assert "  Coordinates  41.8" in out
    assert "  Air\n" in out
    assert "licensed under CC BY-SA 4.0" in " ".join(out.split())  # wrapping varies by width
    assert wiki.requests == 2


@pytest.mark.usefixtures("env")
def test_brief_json_and_multi_word_names(capsys: pytest.CaptureFixture[str]) -> None:
    """GIVEN "chicago il" as two argv words WHEN briefed with --json THEN it resolves."""
    code, out, _ = run(capsys, "brief", "chicago", "il", "--json", "-n", "3")

    doc = json.loads(out)
    assert code == 0
    assert (doc["schema_version"], doc["title"], doc["query"]) == ("1.1", "Chicago", "chicago il")
    assert doc["resolved_via"] == "search"
    assert len(doc["summary"]) == 3


def test_default_cache_is_sqlite_under_xdg_cache_home(
    env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    wiki: FakeWiki,
) -> None:
    """GIVEN no CITYBRIEF_CACHE WHEN Chicago is briefed twice THEN the second run is answered
    from $XDG_CACHE_HOME/citybrief/cache.sqlite3 with no request."""
    monkeypatch.delenv("CITYBRIEF_CACHE")
    first = run(capsys, "brief", "Chicago", "--json")
    wiki.reset()

    second = run(capsys, "brief", "Chicago", "--json")

    assert (Path(env["XDG_CACHE_HOME"]) / "citybrief" / "cache.sqlite3").is_file()
    assert wiki.requests == 0
    assert json.loads(second[1])["summary"] == json.loads(first[1])["summary"]


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize(
    ("argv", "code", "starts"),
    [
        (["brief", "Chicago", "--sentences", "0"], 2, "citybrief: invalid input: sentences"),
        (["brief", "Chicago", "--lang", "EN"], 2, "citybrief: invalid input: lang"),
        (["compare", "Chicago"], 2, "citybrief: invalid input: cities"),
        (["brief", "Qzxqzx"], 3, "citybrief: no such city: "),
    ],
)
def test_bad_input_and_not_found(
    argv: list[str], code: int, starts: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result, out, err = run(capsys, *argv)

    assert (result, out) == (code, "")
    assert_one_line_error(err, starts)


@pytest.mark.usefixtures("env")
def test_ambiguous_name_lists_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "brief", "Springfield")

    first, *candidates = err.splitlines()
    assert code == 3
    assert first.startswith("citybrief: ambiguous city name: ")
    assert "  - Springfield, Illinois" in candidates
    assert all(line.startswith("  - ") for line in candidates)
    assert "Traceback" not in err


@pytest.mark.usefixtures("env")
def test_a_list_of_places_exits_3_with_its_candidates(
    capsys: pytest.CaptureFixture[str], wiki: FakeWiki
) -> None:
    """GIVEN "Victoria", a "may refer to:" list without the disambiguation flag WHEN briefed
    THEN exit 3 and its linked places as candidates, places first, never a brief."""
    code, out, err = run(capsys, "brief", "Victoria", "--json")

    first, *candidates = err.splitlines()
    assert (code, out) == (3, "")
    assert first.startswith("citybrief: ambiguous city name: ")
    assert candidates[:2] == ["  - Lake Victoria", "  - Victoria (state)"]
    assert "  - Victoria, British Columbia" in candidates
    assert candidates[-1] == "  - Queen Victoria"
    assert wiki.requests == 3


def test_upstream_failure_and_timeout_exit_4(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    wiki: FakeWiki,
    env: dict[str, str],
) -> None:
    """GIVEN the wiki answering 500, then hanging (with a 0.5 s deadline) WHEN briefed THEN
    both exit 4 with one line."""
    wiki.fail("500")
    code, _, err = run(capsys, "brief", "Chicago")
    assert code == 4
    assert_one_line_error(err, "citybrief: wikipedia request failed: ")

    wiki.reset()
    wiki.fail("hang")
    monkeypatch.setenv("CITYBRIEF_DEADLINE", "0.5")
    code, _, err = run(capsys, "brief", "Chicago")
    assert code == 4
    assert_one_line_error(err, "citybrief: wikipedia timed out: ")


@pytest.mark.usefixtures("env")
def test_configuration_and_unexpected_errors_are_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad CITYBRIEF_* value exits 2; a bug exits 1; neither shows a traceback."""
    monkeypatch.setenv("CITYBRIEF_CACHE", "redis://localhost")
    code, _, err = run(capsys, "brief", "Chicago")
    assert code == 2
    assert_one_line_error(err, "citybrief: configuration error: CITYBRIEF_CACHE=")

    monkeypatch.setenv("CITYBRIEF_CACHE", "none")

    def explode(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(BriefService, "brief", explode)
    code, _, err = run(capsys, "brief", "Chicago")
    assert code == 1
    assert_one_line_error(err, "citybrief: unexpected error: RuntimeError: bug")


@pytest.mark.usefixtures("env")
def test_compare_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compare", "Chicago", "Boston", "Seattle")

    header, *rows = out.splitlines()
    assert code == 0
    assert header.split()[:3] == ["from", "to", "km"]
    assert rows[0].startswith("Chicago") and "Boston" in rows[0]
    assert out.rstrip().splitlines()[-1].startswith("Ranking by tone (most positive first): ")

    code, out, _ = run(capsys, "compare", "Chicago", "Boston", "--json", "--speed", "100")
    doc = json.loads(out)
    assert code == 0
    assert [(leg["from"], leg["to"]) for leg in doc["legs"]] == [("Chicago", "Boston")]
    assert doc["assumptions"]["speed_kmh"] == 100


def test_snapshot_then_offline_brief(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    wiki: FakeWiki,
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    """GIVEN Chicago recorded with `snapshot --out` WHEN briefed with --snapshot and the wiki
    address pointing nowhere THEN the brief is printed and the wiki saw no request."""
    snapshot = tmp_path / "snap"
    code, out, _ = run(capsys, "snapshot", "Chicago", "Windy City", "--out", str(snapshot))
    assert code == 0
    assert "Windy City -> Chicago" in out
    wiki.reset()
    monkeypatch.setenv("CITYBRIEF_WIKI_API", CLOSED_PORT_API)

    code, out, err = run(capsys, "--snapshot", str(snapshot), "brief", "windy", "city", "--json")

    assert (code, err) == (0, "")
    assert json.loads(out)["title"] == "Chicago"
    assert wiki.requests == 0
    code, _, err = run(capsys, "--snapshot", str(snapshot), "brief", "Boston")
    assert code == 3
    assert_one_line_error(err, "citybrief: no such city: No recorded article")


def test_offline_error_names_the_url_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> None:
    """GIVEN nothing listening at CITYBRIEF_WIKI_API and 2 retries WHEN briefed THEN each retry
    is one line, the cause said once; the last line says the title once, the URL tried and
    both ways to work offline."""
    monkeypatch.setenv("CITYBRIEF_WIKI_API", CLOSED_PORT_API)
    monkeypatch.setenv("CITYBRIEF_MAX_RETRIES", "2")

    code, out, err = run(capsys, "brief", "Chicago")

    *retries, final = err.splitlines()
    assert (code, out) == (4, "")
    assert retries[0].startswith("citybrief: Wikipedia connection failed (")
    assert retries[0].endswith("s") and "; retry 1 of 2 in " in retries[0]
    assert retries[1].startswith("citybrief: again; retry 2 of 2 in ")
    assert final.startswith("citybrief: wikipedia request failed: connection failed (")
    assert final.casefold().count("wikipedia request failed") == 1
    assert f"(tried {CLOSED_PORT_API})" in final
    assert "CITYBRIEF_WIKI_API" in final and "--snapshot DIR" in final


def test_snapshot_records_every_city_it_can(
    capsys: pytest.CaptureFixture[str], env: dict[str, str], tmp_path: Path
) -> None:
    """GIVEN an ambiguous name and an unknown one between two cities WHEN recorded THEN both
    cities are recorded, the other two are listed with why, and the exit code is 3."""
    snapshot = tmp_path / "snap"

    code, out, err = run(
        capsys, "snapshot", "Chicago", "Springfield", "Qzxqzx", "Boston", "--out", str(snapshot)
    )

    assert code == 3
    assert [line.split(" -> ")[0] for line in out.splitlines()] == ["Chicago", "Boston"]
    lines = err.splitlines()
    assert lines[0].startswith("citybrief: not recorded: Springfield: ambiguous city name: ")
    assert "Candidates: " in lines[0] and "Springfield, Illinois" in lines[0]
    assert lines[1].startswith("citybrief: not recorded: Qzxqzx: no such city: ")
    assert lines[2:] == ["citybrief: recorded 2 of 4 cities"]
    index = json.loads((snapshot / "index.json").read_text(encoding="utf-8"))
    assert {"chicago", "boston"} <= index["en"].keys()


def test_snapshot_never_answers_from_the_cache(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    tmp_path: Path,
) -> None:
    """GIVEN Chicago in the SQLite cache WHEN briefed with --snapshot of a snapshot without it
    THEN not found: the snapshot alone answers (and an absent directory is bad input)."""
    monkeypatch.delenv("CITYBRIEF_CACHE")
    assert run(capsys, "brief", "Chicago", "--json")[0] == 0  # now cached
    run(capsys, "snapshot", "Boston", "--out", str(tmp_path / "snap"))

    code, _, err = run(capsys, "--snapshot", str(tmp_path / "snap"), "brief", "Chicago")

    assert code == 3
    assert_one_line_error(err, "citybrief: no such city: No recorded article")
    code, _, err = run(capsys, "--snapshot", str(tmp_path / "absent"), "brief", "Chicago")
    assert code == 2
    assert_one_line_error(err, "citybrief: invalid input: --snapshot ")


@pytest.mark.usefixtures("env")
def test_compare_takes_unquoted_names_separated_by_commas(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """GIVEN `compare São Paulo, chicago il, Boston` as shell words THEN three cities."""
    words = ["São", "Paulo,", "chicago", "il,", "Boston"]

    code, out, err = run(capsys, "compare", *words, "--json")

    assert (code, err) == (0, "")
    assert [city["title"] for city in json.loads(out)["cities"]] == [
        "São Paulo",
        "Chicago",
        "Boston",
    ]
    assert cli.split_cities(["Chicago", "New York"]) == ["Chicago", "New York"]  # quoted
    assert cli.split_cities(["Chicago,,Boston"]) == ["Chicago", "", "Boston"]  # kept: an error


@pytest.mark.usefixtures("env")
def test_compare_refuses_a_city_and_its_redirect(capsys: pytest.CaptureFixture[str]) -> None:
    """GIVEN "Windy City" (a redirect to Chicago) and "Chicago" WHEN compared THEN exit 2:
    one city named twice, not a 0 km leg."""
    code, out, err = run(capsys, "compare", "Windy City,", "Boston,", "Chicago")

    assert (code, out) == (2, "")
    assert_one_line_error(
        err, "citybrief: invalid input: 'Windy City' and 'Chicago' are the same city (Chicago)"
    )


@pytest.mark.parametrize("command", [["brief"], ["compare"], ["snapshot"], ["batch"], []])
def test_help_states_every_default(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """GIVEN --help of the program and of each command THEN every option has a help text,
    each defaulted one names its default, and the exit codes are listed."""
    with pytest.raises(SystemExit):
        cli.main([*command, "--help"])
    text = " ".join(capsys.readouterr().out.split())

    assert "exit codes: " in text
    parser = cli.build_parser()
    if command:
        parser = parser._subparsers._group_actions[0].choices[command[0]]  # type: ignore[union-attr]
    for action in parser._actions:
        assert action.help, action.dest
        if action.default not in (None, False, argparse.SUPPRESS) and action.option_strings:
            assert "default" in action.help, action.dest


def _cli_process(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "citybrief.cli", *args],
        cwd=cwd,
        env={**os.environ, **env, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("command", ["brief", "batch"])
def test_ctrl_c_ends_a_command_while_wikipedia_hangs(
    command: str, env: dict[str, str], wiki: FakeWiki, tmp_path: Path
) -> None:
    """GIVEN Wikipedia hanging and a deadline of a minute WHEN the CLI gets SIGINT during its
    request THEN it exits 130 at once (well before the hang ends), with one line; a batch
    says how to resume."""
    wiki.fail("hang")
    cities = tmp_path / "cities.txt"
    cities.write_text("Chicago\nBoston\n", encoding="utf-8")
    args = {"brief": ["brief", "Chicago"], "batch": ["batch", str(cities), "--out", "r.jsonl"]}
    slow = {"CITYBRIEF_DEADLINE": "60", "CITYBRIEF_READ_TIMEOUT": "60"}
    process = _cli_process(args[command], {**env, **slow}, tmp_path)
    try:
        waited = time.monotonic() + 30
        while wiki.requests == 0 and time.monotonic() < waited:  # bounded: at most 30 s
            time.sleep(0.05)
        assert wiki.requests, "the CLI never reached the wiki"
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)  # the hang lasts 30 s
        elapsed = time.monotonic() - sent
    finally:
        process.kill()

    assert process.returncode == 130, err
    assert elapsed < 5, elapsed
    assert "Traceback" not in err
    if command == "brief":
        assert err == "citybrief: interrupted\n"
    else:
        assert err.startswith("citybrief: batch interrupted after 0 ok")
        assert err.rstrip().endswith("rerun to resume (cities already in r.jsonl are skipped)")


def test_console_script(env: dict[str, str], wiki: FakeWiki) -> None:
    """The installed ``citybrief`` entry point runs main() and returns its exit code."""
    script = Path(sys.executable).parent / "citybrief"
    result = subprocess.run(
        [str(script), "brief", "Chicago", "--json"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Chicago"
    assert wiki.requests == 2
