"""Our Punkt sentence boundaries agree with pysbd's on the 18 real articles.

Measured on the text a brief splits into sentences: each article's lead, transport and
economy sections (``analysis._relevant``; test_sentences_punkt.py covers whole articles).
Agreement is measured on sentence *boundaries*: the character offsets, inside each
paragraph (a non-empty line of a section body), where one sentence ends and the next
begins. Paragraph ends are excluded (both sides get them for free). With B_ours and
B_pysbd the sets of (article, paragraph, offset):

    precision = |B_ours & B_pysbd| / |B_ours|   (our boundaries pysbd confirms)
    recall    = |B_ours & B_pysbd| / |B_pysbd|  (pysbd's boundaries we also find)

Both must be >= 0.97 over the whole corpus. pysbd (~15 ms/KB) runs once per module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from citybrief.analysis import _relevant
from citybrief.languages import for_code
from citybrief.text import split_sections, split_sentences
from tests.support.reference import EXTRACTS, require

FILES = sorted(EXTRACTS.glob("*.txt"))

Boundaries = set[tuple[str, int, int]]


def _paragraphs(path: Path) -> list[str]:
    english = for_code("en")
    assert english is not None
    relevant = _relevant(split_sections(path.read_text(encoding="utf-8")), english)
    return [line.strip() for s, _, _ in relevant for line in s.text.splitlines() if line.strip()]


def _ends(paragraph: str, sentences: list[str]) -> list[int]:
    """End offsets of ``sentences`` found in order inside ``paragraph``, last excluded."""
    ends, position = [], 0
    for sentence in sentences:
        start = paragraph.find(sentence.strip(), position)
        assert start >= 0, (paragraph, sentence)
        position = start + len(sentence.strip())
        ends.append(position)
    return ends[:-1]


def _boundaries(path: Path, segment: Callable[[str], list[str]]) -> Boundaries:
    return {
        (path.name, number, end)
        for number, paragraph in enumerate(_paragraphs(path))
        for end in _ends(paragraph, segment(paragraph))
    }


def _pysbd_boundaries(path: Path) -> Boundaries:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return _boundaries(path, segmenter.segment)


@pytest.fixture(scope="module")
def pysbd_boundaries() -> Boundaries:
    require()
    assert len(FILES) == 18, EXTRACTS
    return set().union(*map(_pysbd_boundaries, FILES))


def test_agreement_with_pysbd(pysbd_boundaries: Boundaries) -> None:
    # GIVEN pysbd's sentence boundaries over the analysed sections of the 18 articles
    # WHEN we split the same paragraphs
    started = time.perf_counter()
    ours: Boundaries = set().union(*(_boundaries(f, split_sentences) for f in FILES))
    elapsed = time.perf_counter() - started
    size = sum(len(p.encode()) for f in FILES for p in _paragraphs(f)) / 1024
    # THEN both precision and recall are at least 97%
    agreed = len(ours & pysbd_boundaries)
    precision = agreed / len(ours)
    recall = agreed / len(pysbd_boundaries)
    print(
        f"\nboundaries: ours={len(ours)} pysbd={len(pysbd_boundaries)} agreed={agreed} "
        f"precision={precision:.4f} recall={recall:.4f}; "
        f"ours {elapsed * 1000:.0f} ms for {size:.0f} KB ({elapsed * 1000 / size:.2f} ms/KB)"
    )
    assert len(pysbd_boundaries) > 1000  # the corpus really was segmented
    assert precision >= 0.97
    assert recall >= 0.97
