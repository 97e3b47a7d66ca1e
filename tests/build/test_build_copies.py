"""Copies of a page are distinct articles (the helper the build tests rely on)."""

from __future__ import annotations

from pathlib import Path

from kyanh_corpus.extract import extract_file
from support.builds import ALL_PAGES, make_copies


def test_copies_are_distinct_articles(tmp_path: Path) -> None:
    copies = make_copies(ALL_PAGES, len(ALL_PAGES) * 2, tmp_path)
    extractions = [extract_file(path) for path in copies]
    assert len({item.article.article_id for item in extractions}) == len(copies)
    for path, extraction in zip(copies, extractions, strict=True):
        original = ALL_PAGES[int(path.name[:6]) % len(ALL_PAGES)]
        assert len(extraction.article.paragraphs) == len(extract_file(original).article.paragraphs)
