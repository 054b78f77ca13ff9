"""Committed platform events (see each cloud's README); tests copy and then mutate them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).parent


def load_event(name: str) -> dict[str, Any]:
    """A fresh copy of ``tests/events/<cloud>/<name>.json``, e.g. ``"aws/apigw_http_get"``.

    Fresh on every call so a test's mutations never reach the next test.
    """
    path = (_ROOT / f"{name}.json").resolve()
    if _ROOT not in path.parents:
        raise ValueError(f"event {name!r} is outside {_ROOT}")
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise TypeError(f"event {name!r} is not a JSON object")
    return document
