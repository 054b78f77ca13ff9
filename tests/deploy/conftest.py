"""Shared helpers for the deployment tests (no cloud access, no credentials)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def venv_tool(name: str) -> str:
    """A console script installed next to the running interpreter (the project venv)."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found next to {sys.executable} or on PATH: run `make install`")
    return found


def require_tool(name: str) -> str:
    """Path of an external CLI; fail under CI=true when absent, skip loudly otherwise."""
    found = shutil.which(name)
    if found is not None:
        return found
    reason = f"{name} CLI is not installed: this check did NOT run"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true requires it)")
    pytest.skip(f"!!! {reason} — install it to run this test !!!")


def run_dry(script: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run a deploy script with --dry-run and a controlled environment."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        ["bash", str(script), "--dry-run", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=60,
    )


def parse_commands(stdout: str) -> list[list[str]]:
    """The dry-run output: one shell-quoted command per line, '#' lines are notes."""
    return [
        shlex.split(line)
        for line in stdout.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def flags_of(argv: list[str]) -> dict[str, str | None]:
    """--name=value / --name value / --switch -> {name: value-or-None}."""
    flags: dict[str, str | None] = {}
    i = 0
    while i < len(argv):
        word = argv[i]
        if word.startswith("--"):
            name, sep, value = word.partition("=")
            if sep:
                flags[name] = value
            elif i + 1 < len(argv) and not argv[i + 1].startswith("--"):
                flags[name] = argv[i + 1]
                i += 1
            else:
                flags[name] = None
        i += 1
    return flags
