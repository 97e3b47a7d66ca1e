"""kyanh-corpus: a typed, validated, reproducible corpus of Vietnamese local-politics journalism.

Records are plain typed values (frozen Pydantic models, see :mod:`kyanh_corpus.models`); loaders
are lazy iterators over the embedded corpus, a built folder or a Hugging Face Hub repo.

``import kyanh_corpus`` is light: it imports neither ``datasets`` nor ``huggingface_hub`` (nor
``pyarrow``); the loaders below are resolved on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .models import (
    SCHEMA_VERSION,
    Article,
    Caption,
    InterviewTurn,
    Mention,
    Paragraph,
    Resolution,
    Source,
    Span,
)

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .load import (
        CorpusError,
        Records,
        article_of,
        articles_citing,
        find_resolutions,
        get_article,
        get_resolution,
        load_all_configs,
        load_articles,
        load_dataset,
        load_interview_turns,
        load_records,
        load_resolutions,
        load_sources,
        turns_of,
    )

_LAZY = {
    "CorpusError": "load",
    "Records": "load",
    "load_records": "load",
    "load_articles": "load",
    "load_interview_turns": "load",
    "load_resolutions": "load",
    "load_sources": "load",
    "get_article": "load",
    "get_resolution": "load",
    "find_resolutions": "load",
    "load_dataset": "load",
    "load_all_configs": "load",
    "articles_citing": "load",
    "turns_of": "load",
    "article_of": "load",
}

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Caption",
    "CorpusError",
    "InterviewTurn",
    "Mention",
    "Paragraph",
    "Records",
    "Resolution",
    "Source",
    "Span",
    "__version__",
    "article_of",
    "articles_citing",
    "find_resolutions",
    "get_article",
    "get_resolution",
    "load_all_configs",
    "load_articles",
    "load_dataset",
    "load_interview_turns",
    "load_records",
    "load_resolutions",
    "load_sources",
    "turns_of",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
