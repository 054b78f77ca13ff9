"""Snapshots: record fetched articles once, answer them later with no network."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citybrief.errors import BadInput, NotFound
from citybrief.settings import Settings
from citybrief.snapshot import SnapshotSource, record
from citybrief.validation import Lang
from citybrief.wiki import ArticleSource, WikiClient
from tests.support.fakewiki import FakeWiki


@pytest.fixture
def recorded(settings: Settings, tmp_path: Path) -> Path:
    """A snapshot of three articles, reached by title, redirect and search."""
    with WikiClient(settings) as client:
        for query in ("São Paulo", "Windy City", "chicago il", "Springfield, Illinois"):
            record(client.fetch(query).article, tmp_path)
    return tmp_path


def test_recorded_articles_answer_offline(recorded: Path, wiki: FakeWiki) -> None:
    """GIVEN a snapshot WHEN asked by title, recorded alias or other case THEN the article
    comes back identical, with zero requests and none reaching the server."""
    wiki.reset()
    source: ArticleSource = SnapshotSource(recorded)

    by_title = source.fetch("chicago")
    by_alias = source.fetch("  WINDY city ")
    by_search = source.fetch("Chicago IL")
    unicode = source.fetch("são paulo")

    assert by_title.requests == 0
    assert by_title.article.title == by_alias.article.title == "Chicago"
    assert by_title.article.resolved_via == "exact"
    assert by_alias.article.resolved_via == "redirect"
    assert by_alias.article.requested == "  WINDY city "
    assert by_search.article.resolved_via == "search"
    assert by_alias.article.extract == by_title.article.extract
    assert unicode.article.coordinates is not None
    assert wiki.requests == 0


def test_files_are_safe_and_indexed(recorded: Path) -> None:
    """GIVEN titles with unicode, commas and spaces WHEN recorded THEN file names stay plain
    ASCII inside the language folder, and the index knows every alias."""
    names = sorted(path.name for path in (recorded / "en").iterdir())
    index = json.loads((recorded / "index.json").read_text(encoding="utf-8"))

    assert len(names) == 3
    assert all(name.isascii() and "/" not in name for name in names)
    assert {"chicago", "windy city", "chicago il", "são paulo"} <= index["en"].keys()


def test_unknown_queries_and_languages(recorded: Path) -> None:
    source = SnapshotSource(recorded)

    with pytest.raises(NotFound):
        source.fetch("Atlantis")
    with pytest.raises(NotFound):
        source.fetch("Chicago", lang="de")
    with pytest.raises(NotFound):  # a language is an index key, never a path
        source.fetch("Chicago", lang=Lang("../en"))
    with pytest.raises(BadInput):
        source.fetch(" ")


def test_empty_directory_knows_nothing(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        SnapshotSource(tmp_path / "absent").fetch("Chicago")
