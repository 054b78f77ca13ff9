"""Answer from articles recorded earlier, with no network: demos, offline runs, benchmarks.

Layout: ``<dir>/<lang>/<quoted title>-<hash>.json`` holds one ``Article.to_dict()``;
``<dir>/index.json`` maps ``lang -> city_key(query or title) -> {file, resolved_via}``.
The hash keeps titles differing only in case apart on case-insensitive file systems.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .article import Article
from .errors import BadInput, NotFound
from .names import city_key
from .validation import DEFAULT_LANG, Lang
from .wiki import Fetched

INDEX = "index.json"


def _filename(title: str) -> str:
    digest = hashlib.sha256(title.encode()).hexdigest()[:8]
    return f"{quote(title, safe='')[:120]}-{digest}.json"


def _write_json(path: Path, data: Any) -> None:
    """Write atomically so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
    os.replace(tmp, path)


def _read_index(directory: Path) -> dict[str, dict[str, dict[str, str]]]:
    path = directory / INDEX
    if not path.exists():
        return {}
    index: dict[str, dict[str, dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    return index


def record(article: Article, directory: str | Path) -> Path:
    """Store ``article`` and index it under its title and the query that found it."""
    directory = Path(directory)
    lang = article.lang
    name = _filename(article.title)
    path = directory / lang / name
    _write_json(path, article.to_dict())
    index = _read_index(directory)
    aliases = index.setdefault(lang, {})
    aliases[city_key(article.title)] = {"file": name, "resolved_via": "exact"}
    if city_key(article.requested) != city_key(article.title):
        aliases[city_key(article.requested)] = {"file": name, "resolved_via": article.resolved_via}
    _write_json(directory / INDEX, index)
    return path


class SnapshotSource:
    """An ``ArticleSource`` that reads recorded articles; anything else is ``NotFound``."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def fetch(self, query: str, lang: Lang = DEFAULT_LANG) -> Fetched:
        if not isinstance(query, str) or not query.strip():
            raise BadInput("Give a city name")
        entry = _read_index(self.directory).get(lang, {}).get(city_key(query))
        if entry is None:
            raise NotFound(f"No recorded article for {query!r} ({lang}) in the snapshot")
        data = json.loads((self.directory / lang / entry["file"]).read_text(encoding="utf-8"))
        article = Article.from_dict(data)
        article = dataclasses.replace(article, requested=query, resolved_via=entry["resolved_via"])
        return Fetched(article, 0)
