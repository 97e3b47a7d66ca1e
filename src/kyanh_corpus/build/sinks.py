"""Where a config's rows go: cut once into row groups and shards, written by every sink.

:class:`ConfigWriter` takes a config's rows as they come (chunk by chunk) and cuts them into
row groups of :data:`ROW_GROUP_ROWS` rows, at most ``shard_rows`` rows per shard, whatever the
chunks: the layout every form of the rows shares. Each row group goes to each :class:`Sink`:

* :class:`ParquetSink` -- ``data/<config>/train-NNNNN-of-NNNNN.parquet``, one file per shard:
  the config's data files (``manifest.json``'s ``configs``);
* :class:`HfSink` -- ``hf/<config>/``, the ``datasets.Dataset.save_to_disk`` form of the same
  rows, fingerprinted from the data files' checksums.

Another output form (say JSON Lines) is one more :class:`Sink` subclass, given to the
:class:`ConfigWriter` by the pipeline. The first sink writes the data files; the others are
closed after it, told the fingerprint made from them (:class:`Closing`).
"""

from __future__ import annotations

import contextlib
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..dataset.manifest import FileEntry
from ..dataset.paths import data_folder, data_shard, hf_folder, hf_shard, partial_shard

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "COMPRESSION",
    "DEFAULT_SHARD_ROWS",
    "ROW_GROUP_ROWS",
    "Closing",
    "ConfigWriter",
    "HfSink",
    "ParquetSink",
    "Sink",
    "hf_fingerprint",
    "hf_info",
]

DEFAULT_SHARD_ROWS: Final = 10_000
"""Default row limit of one Parquet shard (per config)."""

ROW_GROUP_ROWS: Final = 1_000
"""Rows per Parquet row group (and per Arrow record batch of ``hf/``), independent of chunking."""

COMPRESSION: Final = "zstd"
"""Parquet compression codec (read by pyarrow, DuckDB, pandas, ``datasets`` and the Hub)."""


@dataclass(frozen=True)
class Closing:
    """What a sink is told when its config's rows are all written."""

    rows: int
    nbytes: int
    """Arrow size of the rows (what ``datasets`` calls the dataset's ``nbytes``)."""
    shards: int
    """Number of shards the rows were cut into (at least 1: an empty config has one)."""
    fingerprint: str | None
    """A digest of the rows' content, made from the data files' checksums: None when the data
    files' own sink is closed (they are what it is made from)."""


class Sink(ABC):
    """One form of one config's rows in the built folder.

    Rows come as row groups, in order, each within one shard (shards are numbered from 0 and
    come in order); :meth:`close` finishes the files.
    """

    @abstractmethod
    def write(self, group: pa.Table, shard: int) -> None:
        """Add one row group, of shard number ``shard``."""

    @abstractmethod
    def close(self, closing: Closing) -> list[str]:
        """Finish the files; returns their relative POSIX paths, in order."""

    @abstractmethod
    def abort(self) -> None:
        """Close whatever is open, after a failure (the build's folder is then deleted)."""


class ConfigWriter:
    """Rows of one config -> row groups of ``ROW_GROUP_ROWS`` rows (fewer at the end of a shard
    of ``shard_rows`` rows), whatever the chunks written -> every sink, in order.

    The first sink writes the config's data files; :meth:`close` returns their paths.
    """

    def __init__(self, config: str, shard_rows: int, sinks: Sequence[Sink]) -> None:
        from ..features import arrow_schema

        if not sinks:
            raise ValueError("a config needs at least one sink")
        self.config = config
        self.schema = arrow_schema(config)
        self.shard_rows = shard_rows
        self.sinks = tuple(sinks)
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.shards = 0
        """Shards started."""
        self.rows_in_shard = 0
        self.total = 0
        self.nbytes = 0
        """Arrow size of the rows written (what ``datasets`` calls the dataset's ``nbytes``)."""

    def write(self, table: pa.Table) -> None:
        """Add rows (a table of the config's plain or full schema: the metadata is set here)."""
        if table.num_rows == 0:
            return
        self.pending.append(table.replace_schema_metadata(self.schema.metadata))
        self.pending_rows += table.num_rows
        self._drain(final=False)

    def _group_size(self) -> int:
        return min(ROW_GROUP_ROWS, self.shard_rows - self.rows_in_shard)

    def _drain(self, *, final: bool) -> None:
        import pyarrow as pa

        while self.pending_rows and (final or self.pending_rows >= self._group_size()):
            size = min(self._group_size(), self.pending_rows)
            table = pa.concat_tables(self.pending) if len(self.pending) > 1 else self.pending[0]
            group, rest = table.slice(0, size), table.slice(size)
            self.pending = [rest] if rest.num_rows else []
            self.pending_rows = rest.num_rows
            self._write_group(group.combine_chunks())

    def _write_group(self, group: pa.Table) -> None:
        if self.rows_in_shard == 0:
            self.shards += 1
        for sink in self.sinks:
            sink.write(group, self.shards - 1)
        self.rows_in_shard += group.num_rows
        self.total += group.num_rows
        self.nbytes += group.nbytes
        if self.rows_in_shard >= self.shard_rows:
            self.rows_in_shard = 0

    def close(self, fingerprint: Callable[[list[str]], str] | None = None) -> list[str]:
        """Write the last rows, close the sinks; returns the data files (the first sink's).

        The other sinks are closed after it, told ``fingerprint(data files)`` (required when
        there are other sinks).
        """
        self._drain(final=True)
        closing = Closing(self.total, self.nbytes, max(1, self.shards), None)
        data, *others = self.sinks
        names = data.close(closing)
        if others:
            if fingerprint is None:
                raise ValueError("closing a config with several sinks needs a fingerprint")
            closing = replace(closing, fingerprint=fingerprint(names))
            for sink in others:
                sink.close(closing)
        return names

    def abort(self) -> None:
        """Close whatever the sinks still hold open (after a failure)."""
        for sink in self.sinks:
            sink.abort()


# --------------------------------------------------------------------------------------------
# data/<config>/: Parquet shards


class ParquetSink(Sink):
    """``data/<config>/train-NNNNN-of-NNNNN.parquet``: a file per shard, a row group per group
    (written as ``train-NNNNN.partial``, renamed when the number of shards is known)."""

    def __init__(self, root: Path, config: str) -> None:
        from ..features import arrow_schema

        self.root = root
        self.config = config
        self.schema = arrow_schema(config)
        self.folder = root / data_folder(config)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.partials: list[Path] = []
        self._parquet: Any = None

    def write(self, group: pa.Table, shard: int) -> None:
        import pyarrow.parquet as pq

        if shard == len(self.partials):  # the first group of a new shard
            self._close_file()
            path = self.folder / partial_shard(shard)
            self.partials.append(path)
            self._parquet = pq.ParquetWriter(path, self.schema, compression=COMPRESSION)
        self._parquet.write_table(group, row_group_size=group.num_rows)

    def _close_file(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None

    def close(self, closing: Closing) -> list[str]:
        import pyarrow.parquet as pq

        self._close_file()
        if not self.partials:
            # An empty config still gets one file with the schema, and no row group at all (a
            # row group of 0 rows makes the `datasets` Parquet reader ask for batches of 0 rows).
            path = self.folder / partial_shard(0)
            pq.ParquetWriter(path, self.schema, compression=COMPRESSION).close()
            self.partials.append(path)
        count = len(self.partials)
        names = []
        for index, path in enumerate(self.partials):
            name = data_shard(self.config, index, count)
            path.rename(self.root / name)
            names.append(name)
        return names

    def abort(self) -> None:
        if self._parquet is not None:
            with contextlib.suppress(Exception):
                self._parquet.close()
        self._parquet = None


# --------------------------------------------------------------------------------------------
# hf/<config>/: the save_to_disk form


def hf_info(config: str) -> Any:
    """The ``datasets.DatasetInfo`` saved with each ``hf/<config>/``."""
    from datasets import DatasetInfo

    from ..card import DESCRIPTION_SHORT, LICENSE_SUMMARY, citation_bibtex
    from ..features import features

    return DatasetInfo(
        description=DESCRIPTION_SHORT,
        citation=citation_bibtex(),
        license=LICENSE_SUMMARY,
        features=features(config),
    )


def hf_fingerprint(config: str, version: str, data_files: Sequence[FileEntry]) -> str:
    """The ``datasets`` fingerprint of ``hf/<config>/``: from the config, the dataset version and
    the checksums of the config's data files (so the same rows give the same bytes)."""
    digest = hashlib.sha256(f"kyanh-corpus\n{config}\n{version}\n".encode())
    for entry in data_files:
        digest.update(f"{entry.sha256}\n".encode())
    return digest.hexdigest()[:16]


def _contiguous_shards(rows: int, num_shards: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of each shard, as ``datasets.Dataset.shard(contiguous=True)`` cuts."""
    div, mod = divmod(rows, num_shards)
    bounds = []
    for index in range(num_shards):
        start = div * index + min(index, mod)
        bounds.append((start, start + div + (1 if index < mod else 0)))
    return bounds


class HfSink(Sink):
    """``hf/<config>/``: the files ``datasets.Dataset.save_to_disk(num_shards=...)`` writes for
    the config's rows (and ``datasets.load_from_disk`` reads), as many shards as the data files.

    The rows are kept in an Arrow stream in the work folder (:attr:`stream_path`) until
    :meth:`close`. There ``save_to_disk`` itself writes ``state.json`` and
    ``dataset_info.json`` (called on a dataset with the same info, split and fingerprint, and no
    rows); the Arrow shards are then written the way it writes them (contiguous shards,
    ``ArrowWriter``, its batch size) but streamed from that file batch by batch: memory-mapping
    the whole config, as ``save_to_disk`` does, would make the build's resident memory grow with
    the corpus. ``test_build.py`` checks the result is byte-identical to ``save_to_disk`` of the
    same rows.
    """

    def __init__(self, root: Path, work: Path, config: str) -> None:
        from ..features import arrow_schema

        self.root = root
        self.config = config
        self.schema = arrow_schema(config)
        self.target = root / hf_folder(config)
        self.stream_path = work / f"{config}.arrow"
        self._stream: Any = None

    def write(self, group: pa.Table, shard: int) -> None:
        if self._stream is None:
            self._open()
        self._stream.write_table(group)

    def _open(self) -> None:
        import pyarrow as pa

        self._stream = pa.ipc.new_stream(str(self.stream_path), self.schema)

    def close(self, closing: Closing) -> list[str]:
        if closing.fingerprint is None:
            raise ValueError("hf/ needs the fingerprint of the data files")
        if self._stream is None:
            self._open()
        self._stream.close()
        self._stream = None
        self._save(closing.rows, closing.nbytes, closing.shards, closing.fingerprint)
        return sorted(path.relative_to(self.root).as_posix() for path in self.target.iterdir())

    def abort(self) -> None:
        if self._stream is not None:
            with contextlib.suppress(Exception):
                self._stream.close()
        self._stream = None

    def _save(self, rows: int, nbytes: int, num_shards: int, fingerprint: str) -> None:
        import datasets
        import pyarrow as pa
        from datasets import Dataset, NamedSplit
        from datasets.arrow_writer import ArrowWriter, get_writer_batch_size_from_data_size

        info = hf_info(self.config)
        empty = Dataset(
            datasets.table.InMemoryTable(self.schema.empty_table()),
            info=info,
            split=NamedSplit("train"),
            fingerprint=fingerprint,
        )
        was_disabled = datasets.are_progress_bars_disabled()
        datasets.disable_progress_bars()
        try:
            empty.save_to_disk(str(self.target), num_shards=num_shards)
        finally:
            if not was_disabled:
                datasets.enable_progress_bars()
        batch_size = datasets.config.DEFAULT_MAX_BATCH_SIZE
        if nbytes > 0:
            batch_size = min(batch_size, get_writer_batch_size_from_data_size(rows, nbytes))
        with pa.OSFile(str(self.stream_path)) as handle:
            batches = _Rebatcher(pa.ipc.open_stream(handle))
            for index, (start, stop) in enumerate(_contiguous_shards(rows, num_shards)):
                path = self.target / hf_shard(index, num_shards)
                arrow = ArrowWriter(features=info.features, path=str(path), embed_local_files=True)
                try:
                    remaining = stop - start
                    while remaining > 0:
                        table = batches.take(min(batch_size, remaining))
                        arrow.write_table(table)
                        remaining -= table.num_rows
                    arrow.finalize()
                finally:
                    arrow.close()


class _Rebatcher:
    """Tables of exactly the number of rows asked for, read from an Arrow stream in order."""

    def __init__(self, reader: Any) -> None:
        self.schema = reader.schema
        self.batches = iter(reader)
        self.pending: list[Any] = []
        self.held = 0

    def take(self, rows: int) -> pa.Table:
        import pyarrow as pa

        while self.held < rows:
            batch = next(self.batches)
            self.pending.append(batch)
            self.held += batch.num_rows
        table = pa.Table.from_batches(self.pending, schema=self.schema)
        out, rest = table.slice(0, rows), table.slice(rows)
        self.pending, self.held = rest.to_batches(), rest.num_rows
        return out
