"""The reference Wikipedia data beside the project (``../shared/wiki``), and what a test
does without it: one clear sentence, a skip on a developer's plain clone, a failure under
``CI=true``, where the data is always laid beside the project."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

WIKI = Path(__file__).resolve().parents[2].parent / "shared" / "wiki"
EXTRACTS = WIKI / "extracts"
CITIES_JSON = WIKI / "cities.json"
MISSING = (
    f"The reference data {WIKI} is missing (a plain clone lacks the ../shared folder laid "
    "beside the project), so this test cannot run."
)


def present() -> bool:
    return EXTRACTS.is_dir() and CITIES_JSON.is_file()


def require() -> Path:
    """``WIKI``, or skip (fail under CI=true) saying that it is missing."""
    if not present():
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING, pytrace=False)
        pytest.skip(MISSING)
    return WIKI


def _missing_case() -> Any:
    """The one case a corpus test collects without the data, so it never silently
    collects zero: skipped saying why; under CI=true collection fails saying why."""
    if os.environ.get("CI") == "true":
        pytest.fail(MISSING, pytrace=False)
    return pytest.param(None, id="reference-data-missing", marks=pytest.mark.skip(reason=MISSING))


def articles() -> list[Any]:
    """Parameters for a test over every reference article (a path each)."""
    paths = sorted(EXTRACTS.glob("*.txt")) if present() else []
    return [pytest.param(p, id=p.stem) for p in paths] or [_missing_case()]


def city_titles() -> list[Any]:
    """Parameters for a test over every reference city (its title)."""
    if not present():
        return [_missing_case()]
    return [city["title"] for city in json.loads(CITIES_JSON.read_text(encoding="utf-8"))]


def cities() -> list[Any]:
    """Parameters for a test over every reference city (its cities.json record)."""
    if not present():
        return [_missing_case()]
    records = json.loads(CITIES_JSON.read_text(encoding="utf-8"))
    return [pytest.param(city, id=city["title"]) for city in records]
