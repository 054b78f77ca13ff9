"""The committed ``citybrief/data/airports.tsv`` is what ``scripts/build_airports.py`` makes.

The core never imports airportsdata; this test (airportsdata is a dev dependency) is what
keeps the shipped file from drifting from its generator and its recorded source version.
"""

from __future__ import annotations

import difflib
import importlib.util
import itertools
import re
from importlib import metadata
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_airports.py"
DATA = ROOT / "shared" / "citybrief" / "data" / "airports.tsv"
PROVENANCE = re.compile(r"# airportsdata (\S+), generated (\d{4}-\d{2}-\d{2}) by ")
REBUILD = f"rerun `.venv/bin/python {SCRIPT.relative_to(ROOT)}`, review the diff and commit it"


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_airports", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def recorded() -> tuple[str, str]:
    """(airportsdata version, generation date) from the file's first line."""
    first_line = DATA.read_text(encoding="utf-8").split("\n", 1)[0]
    match = PROVENANCE.match(first_line)
    assert match is not None, f"{DATA.name}: no provenance line; {REBUILD}"
    return match[1], match[2]


def test_data_file_is_exactly_what_the_build_script_makes() -> None:
    # GIVEN the committed file and the airportsdata version it records
    version, generated = recorded()
    installed = metadata.version("airportsdata")
    # THEN that is the installed version (otherwise the comparison below would be noise)
    assert installed == version, (
        f"{DATA.name} was built from airportsdata {version}, but {installed} is installed: "
        f"{REBUILD} (or install airportsdata=={version} to test the committed file)"
    )
    # AND rebuilding it with its recorded date gives the same bytes
    committed = DATA.read_text(encoding="utf-8")
    rebuilt = build_script().render(generated)
    diff = itertools.islice(
        difflib.unified_diff(
            committed.splitlines(), rebuilt.splitlines(), "committed", "rebuilt", n=0, lineterm=""
        ),
        30,
    )
    assert committed == rebuilt, f"{DATA.name} differs from the script's output; {REBUILD}:\n" + (
        "\n".join(diff)
    )


def test_every_closed_airport_is_still_listed_upstream() -> None:
    # GIVEN the build script's list of closed airports
    closed = build_script().CLOSED
    # THEN each code is in the data (a code dropped upstream is a stale entry to delete),
    # flagged as not for travellers
    flags = {
        line.split("\t")[0]: line.split("\t")[4]
        for line in DATA.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    }
    assert {code: flags.get(code) for code in closed} == dict.fromkeys(closed, "0")
