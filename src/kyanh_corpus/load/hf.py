"""The corpus in the Hugging Face ``datasets`` form (``DatasetDict``), features declared."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..dataset.folder import CorpusError, Folder, check_schema
from ..models import (
    ENTITIES,
)

if TYPE_CHECKING:
    import datasets
from .records import _hub_dataset
from .sources import CorpusSource, Hub, resolve


def _folder_dataset(folder: Folder, config: str) -> datasets.Dataset:
    """One config of a built folder as a ``datasets.Dataset`` (checksums verified first).

    The ``hf/<config>/`` form (``load_from_disk``) is memory-mapped when the folder has it;
    otherwise the Parquet files are read into memory.
    """
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets.table import InMemoryTable

    from ..features import features

    hf_prefix = f"hf/{config}/"
    hf_files = [name for name in folder.manifest.files if name.startswith(hf_prefix)]
    if hf_files:
        folder.verify(hf_files)
        dataset = datasets.load_from_disk(str(folder.root / "hf" / config))
        if not isinstance(dataset, datasets.Dataset):
            raise CorpusError(f"{folder.root / hf_prefix}: not a single dataset", folder.root)
    else:
        files = folder.entry_files(config)
        folder.verify(files)
        tables = []
        for name in files:
            table = pq.read_table(folder.root / name)
            check_schema(table.schema, config, folder.root / name)
            tables.append(table)
        table = pa.concat_tables(tables) if tables else features(config).arrow_schema.empty_table()
        info = datasets.DatasetInfo(features=features(config), config_name=config)
        dataset = datasets.Dataset(
            InMemoryTable(table.cast(features(config).arrow_schema)),
            info=info,
            split=datasets.Split.TRAIN,
        )
    if dataset.features != features(config):
        raise CorpusError(
            f"{folder.root}: features of config {config!r} differ from the models", folder.root
        )
    if dataset.num_rows != folder.num_rows(config):
        raise CorpusError(
            f"{folder.root}: config {config!r} has {dataset.num_rows} rows, "
            f"manifest.json says {folder.num_rows(config)}",
            folder.root / "manifest.json",
        )
    return dataset


def load_dataset(
    source: CorpusSource = None,
    config: str = "articles",
    *,
    streaming: bool = False,
    revision: str | None = None,
) -> datasets.DatasetDict | datasets.IterableDatasetDict:
    """One config as ``datasets.load_dataset(source, config)`` returns it: a ``DatasetDict``
    with the one split ``"train"`` (an ``IterableDatasetDict`` with ``streaming=True``), with
    exactly the declared features. A built folder's files are verified against its manifest
    first; a Hub repo is read through ``datasets`` (``revision`` pins a tag or commit).

    :func:`load_all_configs` gives every config at once, keyed by config.
    """
    from ..extras import require

    datasets = require("datasets", "hf", "load_dataset")

    dataset = load_all_configs(source, [config], streaming=streaming, revision=revision)[config]
    if streaming:
        return datasets.IterableDatasetDict({"train": dataset})
    return datasets.DatasetDict({"train": dataset})


def load_all_configs(
    source: CorpusSource = None,
    configs: Sequence[str] | None = None,
    *,
    streaming: bool = False,
    revision: str | None = None,
) -> datasets.DatasetDict | datasets.IterableDatasetDict:
    """The corpus as a ``datasets.DatasetDict`` keyed by config (each value the ``"train"``
    split of that config), with exactly the declared features.

    ``configs`` selects some configs (default: all four; an unknown one is a ``KeyError``). With
    ``streaming=True`` the result is an ``IterableDatasetDict`` (for a Hub repo, nothing is
    downloaded up front).
    """
    from ..extras import require

    datasets = require("datasets", "hf", "load_all_configs")

    from ..features import features

    names = list(ENTITIES) if configs is None else list(configs)
    for name in names:
        if name not in ENTITIES:
            raise KeyError(f"unknown config {name!r}; known: {', '.join(ENTITIES)}")
    resolved = resolve(source)
    loaded: dict[str, Any] = {}
    for config in names:
        if isinstance(resolved, Hub):
            dataset = _hub_dataset(resolved.repo_id, config, streaming=streaming, revision=revision)
            if dataset.features is not None and dataset.features != features(config):
                raise CorpusError(
                    f"{resolved.repo_id}: features of config {config!r} differ from the models"
                )
            loaded[config] = dataset
        else:
            dataset = _folder_dataset(resolved, config)
            loaded[config] = dataset.to_iterable_dataset() if streaming else dataset
    if streaming:
        return datasets.IterableDatasetDict(loaded)
    return datasets.DatasetDict(loaded)
