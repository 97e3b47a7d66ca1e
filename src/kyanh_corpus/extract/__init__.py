"""Extraction: raw scraped Báo Hà Tĩnh pages -> Article, InterviewTurn, Resolution, Source.

>>> from kyanh_corpus.extract import extract_text
>>> page = "Tiêu đề bài báo\\n\\nLời dẫn của bài.\\n\\nĐoạn văn thứ nhất.\\n"
>>> result = extract_text(page, source_file="page.txt")
>>> result.article.title, result.article.lede, [p.text for p in result.article.paragraphs]
('Tiêu đề bài báo', 'Lời dẫn của bài.', ['Đoạn văn thứ nhất.'])

Modules: :mod:`.text` (decoding, normalisation, whitespace folding), :mod:`.layout` (line
classes), :mod:`.turns` (interview turns), :mod:`.people` and :mod:`.names` (speakers, surnames,
honorifics, titles), :mod:`.citations` (document codes and mentions), :mod:`.issuers` (the
gazetteer of issuing bodies), :mod:`.document_ids` (places and ids), :mod:`.captions`,
:mod:`.identity` (article_id), :mod:`.sidecar` (``<name>.meta.json``), :mod:`.extractor` (the
entry points).
"""

from __future__ import annotations

from .errors import ExtractionError
from .extractor import DEFAULT_SOURCE, extract_file, extract_text
from .layout import LineClass
from .result import Extraction, LineRecord
from .text import fold, normalise

__all__ = [
    "DEFAULT_SOURCE",
    "Extraction",
    "ExtractionError",
    "LineClass",
    "LineRecord",
    "extract_file",
    "extract_text",
    "fold",
    "normalise",
]
