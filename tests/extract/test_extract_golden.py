"""Golden test: every hand-written ``tests/golden/*.json`` against the extraction of its page.

The golden files were written by hand from the raw pages (see tests/golden/README.md); this test
compares the extractor's output with them field by field and checks every span against the
normalised source text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus.extract import Extraction, extract_file, fold
from support.paths import GOLDEN_DIR, PAGES_DIR, RAW_DIR

GOLDEN_FILES = sorted(GOLDEN_DIR.glob("*.json"))


def raw_path(golden: dict[str, Any]) -> Path:
    """The raw page a golden file describes: data/raw/<file> for the seed, else tests/pages."""
    name = golden["file"]
    return RAW_DIR / name if (RAW_DIR / name).exists() else PAGES_DIR / name


def load(path: Path) -> tuple[dict[str, Any], Extraction]:
    golden = json.loads(path.read_text("utf-8"))
    return golden, extract_file(raw_path(golden))


def test_there_are_golden_files_for_the_seed_and_the_real_press_shapes() -> None:
    names = {path.stem for path in GOLDEN_FILES}
    assert "000_d32f6a6557675d4c" in names
    assert len(names) >= 35  # the seed, 4 seed-like pages and 30+ pages in other shapes


@pytest.fixture(params=GOLDEN_FILES, ids=lambda path: path.stem)
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Extraction]:
    return load(request.param)


def test_article_fields(case: tuple[dict[str, Any], Extraction]) -> None:
    golden, result = case
    article = result.article
    assert article.source_file == golden["file"]
    for field in ("source", "url", "title", "lede", "genre", "authors", "byline_role"):
        assert getattr(article, field) == golden[field], field
    published = article.published_at.isoformat() if article.published_at else None
    assert published == golden["published_at"]


def test_paragraphs(case: tuple[dict[str, Any], Extraction]) -> None:
    golden, result = case
    assert [p.text for p in result.article.paragraphs] == golden["paragraphs"]


def test_captions(case: tuple[dict[str, Any], Extraction]) -> None:
    golden, result = case
    got = [
        {
            "text": c.text,
            "credit": c.credit,
            "archival": c.archival,
            "after_paragraph": c.after_paragraph,
        }
        for c in result.article.captions
    ]
    assert got == golden["captions"]


def test_turns(case: tuple[dict[str, Any], Extraction]) -> None:
    golden, result = case
    paragraphs = result.article.paragraphs
    assert len(result.turns) == len(golden["turns"])
    for turn, expected in zip(result.turns, golden["turns"], strict=True):
        for field in ("speaker_role", "speaker_label", "speaker_name", "speaker_title"):
            assert getattr(turn, field) == expected[field], (turn.turn_index, field)
        assert turn.responds_to == expected["responds_to"], turn.turn_index
        assert turn.text.startswith(expected["text_starts_with"]), turn.turn_index
        # One span per paragraph, each inside the paragraph it names.
        indices = expected["paragraph_indices"]
        assert len(turn.spans) == len(indices), turn.turn_index
        for span, index in zip(turn.spans, indices, strict=True):
            para = paragraphs[index].span
            assert para.start <= span.start and span.end == para.end
        # The turn text is its paragraphs, the first without its label (or leading bullet).
        first = paragraphs[indices[0]].text
        label = expected["speaker_label"]
        if label is None:
            assert first.endswith(turn.text.split("\n\n")[0])
        else:
            assert label in first[: len(label) + 3] or label.upper() in first.upper()[:200]
        rest = [paragraphs[i].text for i in indices[1:]]
        assert turn.text.split("\n\n")[1:] == rest


def test_resolutions(case: tuple[dict[str, Any], Extraction]) -> None:
    golden, result = case
    got = []
    for r in result.resolutions:
        record = r.model_dump(mode="json", exclude={"mentions"})
        record["mentions"] = [m.surface for m in r.mentions]
        got.append(record)
    assert got == golden["resolutions"]


def test_line_classes(case: tuple[dict[str, Any], Extraction]) -> None:
    golden, result = case
    got = {str(record.number): record.cls.value for record in result.lines}
    assert got == golden["line_classes"]


def test_spans_hold_their_text(case: tuple[dict[str, Any], Extraction]) -> None:
    _, result = case
    text = result.text
    assert result.source.text == text
    for p in result.article.paragraphs:
        assert fold(text[p.span.start : p.span.end]) == p.text
    for c in result.article.captions:
        assert fold(text[c.span.start : c.span.end]) == c.text
    for turn in result.turns:
        assert "\n\n".join(fold(text[s.start : s.end]) for s in turn.spans) == turn.text
    for r in result.resolutions:
        for m in r.mentions:
            assert fold(text[m.span.start : m.span.end]) == m.surface
