"""Typed loaders: the corpus as lazy iterables of the models, and as a ``datasets.DatasetDict``.

Every loader takes a ``source``:

* ``None`` -- the corpus embedded in the package (``kyanh_corpus/_data/``, no network);
* a path to a built folder (the output of ``kyanh-corpus build``, see ``docs/design.md``);
* a Hugging Face Hub dataset repo id ``owner/name`` (an existing folder of that name wins), read
  through ``datasets.load_dataset(repo, config, split="train")``; ``HF_HUB_OFFLINE=1`` is
  honoured (the Hugging Face cache is then the only place looked at).

``load_articles`` and friends return a :class:`Records`: ``len()`` comes from the manifest without
reading any data; iterating reads the Parquet files batch by batch (memory stays flat whatever
the corpus size) and yields model instances; it indexes, slices, filters (pushed down to the
Parquet reader), and converts to Arrow, pandas or Polars. Lookups: :func:`get_article`,
:func:`get_resolution`, :func:`find_resolutions`, :func:`articles_citing`, :func:`turns_of`,
:func:`article_of`. ``load_dataset(source, config)`` is ``datasets.load_dataset``'s
``DatasetDict``; :func:`load_all_configs` keys every config.

Integrity and trust: see :mod:`.assembly`. Modules: :mod:`.sources` (where a corpus comes
from), :mod:`.assembly` (rows -> instances), :mod:`.records` (the loaders), :mod:`.lookups`,
:mod:`.hf` (the ``datasets`` form).

``import kyanh_corpus.load`` imports neither ``datasets`` nor ``huggingface_hub`` (nor
``pyarrow``): the functions that need them import them.
"""

from __future__ import annotations

from ..dataset.folder import CorpusError
from .assembly import BATCH_ROWS, CHUNK_ROWS
from .hf import load_all_configs, load_dataset
from .lookups import (
    article_of,
    articles_citing,
    find_resolutions,
    get_article,
    get_resolution,
    turns_of,
)
from .records import (
    FILTER_FIELDS,
    Filter,
    Records,
    filterable_fields,
    load_articles,
    load_interview_turns,
    load_records,
    load_resolutions,
    load_sources,
)
from .sources import CorpusSource, embedded_path, is_repo_id

__all__ = [
    "BATCH_ROWS",
    "CHUNK_ROWS",
    "FILTER_FIELDS",
    "CorpusError",
    "CorpusSource",
    "Filter",
    "Records",
    "article_of",
    "articles_citing",
    "embedded_path",
    "filterable_fields",
    "find_resolutions",
    "get_article",
    "get_resolution",
    "is_repo_id",
    "load_all_configs",
    "load_articles",
    "load_dataset",
    "load_interview_turns",
    "load_records",
    "load_resolutions",
    "load_sources",
    "turns_of",
]
