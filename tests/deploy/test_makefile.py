"""The Makefile as a newcomer meets it: ``make help`` lists every target, ``make run``
says where it serves. Only ``make -n`` and ``make help`` run (nothing is built)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make(*args: str) -> str:
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_help_lists_every_phony_target_with_its_comment() -> None:
    """GIVEN the Makefile's .PHONY targets WHEN `make` runs with no target THEN each is listed
    with the text of its ## comment."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M)
    assert phony is not None
    comments = dict(re.findall(r"^([a-z][a-z-]*):.*?## (.*)$", makefile, re.M))

    listed = dict(re.findall(r"^  make (\S+)\s+(.*)$", make(), re.M))

    assert set(phony.group(1).split()) == set(comments) == set(listed)
    assert listed == comments


def test_run_prints_the_url_it_serves() -> None:
    out = make("-n", "run", "PORT=9123")

    assert 'echo "citybrief: serving http://127.0.0.1:9123 ' in out
    assert "--port=9123" in out
