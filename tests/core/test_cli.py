"""The ``citybrief`` command against the fake wiki: output, exit codes, one-line errors.

Commands run in-process through ``cli.main`` (fast, and the fake wiki's counter sees every
request); one test runs the installed console script to prove the entry point works.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from citybrief import cli
from citybrief.service import BriefService
from tests.fakewiki import FakeWiki

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
