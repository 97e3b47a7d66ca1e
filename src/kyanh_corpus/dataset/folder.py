"""The one reader of a built folder: open, verify checksums, check schema, iterate batches.

Everything that reads a built folder -- the typed loaders, ``info``, ``publish`` -- goes through
:class:`Folder`, so what is read is always what the manifest lists: a file is read only after
its size and SHA-256 were checked against ``manifest.json``, a Parquet file only when its Arrow
schema is the one the models derive, and a config only when its footers' row counts add up to
the manifest's ``num_rows``. Every problem is a :class:`CorpusError` naming the file.

``validate``, which lists every problem instead of stopping at the first, uses the same checks
without raising: :func:`~.manifest.verify_file` and :func:`~.manifest.verify_row_counts` (which
return diagnostics), :func:`schema_difference` and :func:`metadata_difference`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataError
from ..features import plain_arrow_schema
from ..models import ENTITIES
from .manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    read_manifest,
    verify_files,
    verify_row_counts,
)

if TYPE_CHECKING:
    import pyarrow as pa


class CorpusError(DataError):
    """A corpus cannot be loaded: missing, corrupted, stale, or records that fail the models.

    ``path`` is the file (or folder) concerned when there is one.
    """

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else Path(path)


@dataclass(frozen=True)
class Folder:
    """A built folder and its manifest (read without its ``inputs`` list unless asked)."""

    root: Path
    manifest: Manifest

    @classmethod
    def open(cls, root: Path, *, inputs: bool = False) -> Folder:
        """Read ``root/manifest.json``; :class:`CorpusError` when it is missing or malformed."""
        try:
            return cls(root, read_manifest(root, inputs=inputs))
        except ManifestError as error:
            raise CorpusError(str(error), error.path) from None

    def entry_files(self, config: str) -> tuple[str, ...]:
        """The Parquet files of ``config``, as the manifest lists them."""
        entry = self.manifest.configs.get(config)
        if entry is None:
            raise CorpusError(f"{self.root}: manifest.json has no config {config!r}", self.root)
        return entry.files

    def num_rows(self, config: str) -> int:
        self.entry_files(config)
        return self.manifest.configs[config].num_rows

    def verify(self, paths: Iterable[str]) -> None:
        """Raise :class:`CorpusError` naming every listed file that is missing or corrupted."""
        problems = verify_files(self.root, self.manifest, paths=list(paths))
        if problems:
            detail = "; ".join(f"{self.root / p.file}: {p.message}" for p in problems)
            raise CorpusError(
                f"{detail} -- the folder does not match its manifest.json "
                "(rebuild it or fetch it again)",
                self.root / problems[0].file,
            )

    def open_parquet(self, name: str, config: str) -> Any:
        """The ``pyarrow.parquet.ParquetFile`` of file ``name`` (relative), whose Arrow schema
        must be the config's. The caller verifies the file first (:meth:`verify`)."""
        return open_parquet(self.root / name, config)

    def verified_files(self, config: str) -> tuple[str, ...]:
        """The config's files, after checking their checksums, schemas and total row count."""
        files = self.entry_files(config)
        self.verify(files)
        for name in files:
            with self.open_parquet(name, config):
                pass  # the schema is checked on opening
        problems = verify_row_counts(self.root, self.manifest, [config])
        if problems:
            raise CorpusError(f"{self.root}: {problems[0].message}", self.root / MANIFEST_NAME)
        return files

    def batches(self, config: str, batch_rows: int) -> Iterator[tuple[Path, pa.RecordBatch]]:
        """``(file, batch)`` of every row of ``config``, verified first (:meth:`verified_files`)."""
        for name in self.verified_files(config):
            with self.open_parquet(name, config) as parquet:
                for batch in parquet.iter_batches(batch_size=batch_rows):
                    yield self.root / name, batch


def check_schema(schema: pa.Schema, config: str, where: str | Path) -> None:
    """Raise :class:`CorpusError` unless ``schema`` is the config's (metadata aside)."""
    difference = schema_difference(schema, config)
    if difference is not None:
        raise CorpusError(
            f"{where}: Arrow schema differs from the {ENTITIES[config].__name__} model "
            f"({difference}); rebuild the folder",
            where,
        )


def schema_difference(schema: pa.Schema, config: str) -> str | None:
    """How ``schema`` differs from the config's Arrow schema, metadata aside (None: it does not).

    Missing and unexpected columns, columns of another type, else the column order.
    """
    expected = plain_arrow_schema(config)
    actual = schema.remove_metadata()
    if actual.equals(expected):
        return None
    missing = [name for name in expected.names if name not in actual.names]
    extra = [name for name in actual.names if name not in expected.names]
    differing = [
        name
        for name in expected.names
        if name in actual.names and not actual.field(name).type.equals(expected.field(name).type)
    ]
    wrong = [
        f"{name} is {actual.field(name).type}, expected {expected.field(name).type}"
        for name in differing
    ]
    return column_differences(missing, extra, wrong) or (
        f"column order {actual.names}, expected {expected.names}"
    )


def column_differences(missing: list[str], extra: list[str], wrong: list[str]) -> str | None:
    """The one wording of how a file's columns differ from a config's (None: they do not).

    >>> column_differences(["lede"], [], ["year is string, expected int64"])
    "missing columns ['lede']; wrong types: year is string, expected int64"
    """
    parts = []
    if missing:
        parts.append(f"missing columns {missing}")
    if extra:
        parts.append(f"unexpected columns {extra}")
    if wrong:
        parts.append("wrong types: " + ", ".join(wrong))
    return "; ".join(parts) or None


def metadata_difference(schema: pa.Schema, config: str, *, required: bool) -> str | None:
    """How the ``huggingface`` schema metadata (the ``datasets`` features) differs from the
    config's; None when it is the same, or absent and not ``required``.

    The readers of this package ignore that metadata (:func:`check_schema`); ``datasets`` reads
    it, so ``validate`` checks it too.
    """
    raw = (schema.metadata or {}).get(b"huggingface")
    if raw is None:
        if required:
            return "no 'huggingface' schema metadata (datasets would not know the features)"
        return None
    from ..features import arrow_schema  # imports datasets

    try:
        found = json.loads(raw)
    except ValueError:
        return "the 'huggingface' schema metadata is not JSON"
    if found != json.loads(arrow_schema(config).metadata[b"huggingface"]):
        return "the 'huggingface' schema metadata (features) differs from the models"
    return None


def open_parquet(path: Path, config: str) -> Any:
    """A ``pyarrow.parquet.ParquetFile`` whose schema is the config's (else CorpusError)."""
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (OSError, ValueError) as error:
        raise CorpusError(f"{path}: not a readable Parquet file: {error}", path) from None
    try:
        check_schema(parquet.schema_arrow, config, path)
    except CorpusError:
        parquet.close()
        raise
    return parquet
