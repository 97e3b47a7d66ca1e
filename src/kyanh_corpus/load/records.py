"""The typed loaders: one config of a corpus as a lazy, re-iterable :class:`Records`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..dataset.folder import CorpusError, Folder
from ..models import (
    ENTITIES,
    SCHEMA_VERSION,
    Article,
    InterviewTurn,
    Record,
    Resolution,
    Source,
)

if TYPE_CHECKING:
    import datasets
from .assembly import BATCH_ROWS, _records_of
from .sources import CorpusSource, Hub, resolve

R = TypeVar("R", bound=Record)


def _folder_batches(folder: Folder, config: str, validate: bool | None) -> Iterator[list[Any]]:
    """Verify then read one config of a built folder, a list of instances per batch.

    Before the first record: every file's size and SHA-256 against the manifest, its Arrow
    schema against the models, and the row count of the footers against ``num_rows``
    (:meth:`~.dataset.folder.Folder.verified_files`).
    """
    trusted = validate is not True and folder.manifest.schema_version == SCHEMA_VERSION
    for name in folder.verified_files(config):
        path = folder.root / name
        with folder.open_parquet(name, config) as parquet:
            batches = parquet.iter_batches(batch_size=BATCH_ROWS[config])
            yield from _records_of(batches, config, str(path), trusted)


def _dataset_batches(
    dataset: datasets.Dataset | datasets.IterableDataset, config: str, where: str
) -> Iterator[list[Any]]:
    """Validate a ``datasets`` dataset batch by batch (Hub data is never trusted)."""
    tables = dataset.with_format("arrow").iter(batch_size=BATCH_ROWS[config])
    yield from _records_of(
        (batch for table in tables for batch in table.to_batches()), config, where, False
    )


class Records(Generic[R]):
    """The records of one config: a lazy, re-iterable, typed collection.

    ``len()`` is known without reading data (from ``manifest.json``, or the Hub dataset's split
    sizes); iterating reads and checks the files afresh each time, one batch at a time.
    """

    def __init__(
        self,
        config: str,
        batches: Callable[[], Iterator[list[Any]]],
        length: Callable[[], int],
        where: str,
    ) -> None:
        self.config = config
        self.model: type[Record] = ENTITIES[config]
        self._batches = batches
        self._length = length
        self.where = where

    def __len__(self) -> int:
        return self._length()

    def __iter__(self) -> Iterator[R]:
        for batch in self._batches():
            # Hand the records over keeping no reference to those handed out: a record the
            # caller drops is freed at once, before the next chunk is built.
            batch.reverse()
            pop = batch.pop
            while batch:
                yield pop()

    def batches(self) -> Iterator[list[R]]:
        """The records as lists of up to :data:`CHUNK_ROWS` (the cheapest way to consume them)."""
        return self._batches()

    def __repr__(self) -> str:
        return f"<Records[{self.model.__name__}] {self.config} from {self.where}>"


def _hub_dataset(
    repo_id: str, config: str, *, streaming: bool, revision: str | None
) -> datasets.Dataset | datasets.IterableDataset:
    """The one network-touching call: ``datasets.load_dataset`` on a Hub repo.

    Plain Parquet configs, no loading script and no remote code; with ``HF_HUB_OFFLINE=1``
    ``datasets`` only looks in the local cache.
    """
    import datasets

    try:
        return datasets.load_dataset(
            repo_id, config, split="train", streaming=streaming, revision=revision
        )
    except (OSError, ValueError) as error:  # ConnectionError, DatasetNotFoundError, ...
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "on", "yes", "true"}
        hint = " (HF_HUB_OFFLINE is set: only the local cache was looked at)" if offline else ""
        raise CorpusError(f"{repo_id}: cannot load config {config!r}{hint}: {error}") from error


def dataset_records(
    dataset: datasets.Dataset | datasets.IterableDataset, config: str, where: str
) -> Records[Any]:
    """Typed records over an already loaded ``datasets`` dataset (the Hub path after loading)."""
    from ..features import features

    if dataset.features is not None and dataset.features != features(config):
        raise CorpusError(f"{where}: features of config {config!r} differ from the models")

    def length() -> int:
        num_rows = getattr(dataset, "num_rows", None)
        if isinstance(num_rows, int):
            return num_rows
        splits = dataset.info.splits
        if splits and "train" in splits and splits["train"].num_examples:
            return int(splits["train"].num_examples)
        raise TypeError(f"{where}: the number of {config} is unknown for this streamed dataset")

    return Records(config, lambda: _dataset_batches(dataset, config, where), length, where)


def load_records(
    config: str,
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Any]:
    """The records of any config (``articles``, ``interview_turns``, ``resolutions``, ``sources``).

    ``validate=True`` re-validates every record of a built folder instead of the trusted path;
    ``streaming`` and ``revision`` apply to Hub sources.
    """
    if config not in ENTITIES:
        raise KeyError(f"unknown config {config!r}; known: {', '.join(ENTITIES)}")
    resolved = resolve(source)
    if isinstance(resolved, Hub):
        dataset = _hub_dataset(resolved.repo_id, config, streaming=streaming, revision=revision)
        return dataset_records(dataset, config, resolved.repo_id)
    folder = resolved
    folder.entry_files(config)
    return Records(
        config,
        lambda: _folder_batches(folder, config, validate),
        lambda: folder.num_rows(config),
        str(folder.root),
    )


def load_articles(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Article]:
    """Every :class:`~kyanh_corpus.models.Article`, lazily, in corpus order."""
    return load_records(
        "articles", source, validate=validate, streaming=streaming, revision=revision
    )


def load_interview_turns(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[InterviewTurn]:
    """Every :class:`~kyanh_corpus.models.InterviewTurn`, lazily, in corpus order."""
    return load_records(
        "interview_turns", source, validate=validate, streaming=streaming, revision=revision
    )


def load_resolutions(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Resolution]:
    """Every :class:`~kyanh_corpus.models.Resolution` (merged across articles), lazily."""
    return load_records(
        "resolutions", source, validate=validate, streaming=streaming, revision=revision
    )


def load_sources(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Source]:
    """Every :class:`~kyanh_corpus.models.Source` (normalised raw text), lazily."""
    return load_records(
        "sources", source, validate=validate, streaming=streaming, revision=revision
    )
