"""Where a config's rows go: cut once into row groups and shards, written by every sink.

:class:`ConfigWriter` takes a config's rows as they come (chunk by chunk) and cuts them into
row groups of :data:`ROW_GROUP_ROWS` rows, at most ``shard_rows`` rows per shard, whatever the
chunks: the layout every form of the rows shares. Each row group goes to each :class:`Sink`:

* :class:`ParquetSink` -- ``data/<config>/train-NNNNN-of-NNNNN.parquet``, one file per shard:
  the config's data files (``manifest.json``'s ``configs``);
* :class:`HfSink` -- ``hf/<config>/``, the same rows in the form ``datasets.load_from_disk``
  reads (Arrow streams, ``state.json``, ``dataset_info.json``), written with pyarrow alone,
  fingerprinted from the data files' checksums.

Both sinks can also write one given shard ``K`` of ``N`` (``place=(K, N)``): the map step writes
its partition's shard that way (:func:`shard_writer`); the reduce writes the ``hf/`` metadata
files of those configs once every shard is written (:func:`write_hf_metadata`).

Another output form (say JSON Lines) is one more :class:`Sink` subclass, given to the
:class:`ConfigWriter` by the pipeline. The first sink writes the data files; the others are
closed after it, told the fingerprint made from them (:class:`Closing`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..dataset.manifest import FileEntry
from ..dataset.paths import data_folder, data_shard, hf_folder, hf_shard, partial_shard

Place = tuple[int, int] | None
"""``(K, N)``: the sink writes shard K of N (one shard, named so at once); None: shards 0, 1, ...
named when their number is known."""

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
    "shard_writer",
    "write_hf_metadata",
]

DEFAULT_SHARD_ROWS: Final = 10_000
"""Default row limit of one Parquet shard (per config)."""

ROW_GROUP_ROWS: Final = 256
"""Rows per Parquet row group (and per Arrow record batch of ``hf/``), independent of chunking:
small enough that what a writer buffers does not grow with the partitions (so with the corpus)."""

COMPRESSION: Final = "zstd"
"""Parquet compression codec (read by pyarrow, DuckDB, pandas, ``datasets`` and the Hub)."""

DICTIONARY_ENCODING: Final = False
"""Parquet dictionary encoding, off: most columns are texts and ids that rarely repeat, where
pyarrow builds a dictionary, finds it too large and falls back, and zstd finds the few repeats
(``source``, ``genre``...) anyway. Measured on the 10,000-page bench corpus: 25 % less
Parquet encoding time and 3 % smaller files."""


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

        The other sinks are closed after it, told ``fingerprint(data files)`` when it is given (a
        sink that needs it raises ``ValueError`` without it: the ``hf/`` sink of a whole config;
        a shard's does not).
        """
        self._drain(final=True)
        closing = Closing(self.total, self.nbytes, max(1, self.shards), None)
        data, *others = self.sinks
        names = data.close(closing)
        if others and fingerprint is not None:
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


class _FilePerShard(Sink):
    """A file per shard, the machinery both sinks share: a shard's file is written as
    ``<partial name>`` and renamed to its final name when the number of shards is known; with a
    ``place`` it is written under its final name at once. A config without rows still gets one
    file (with the schema, and no rows)."""

    def __init__(self, root: Path, config: str, folder: str, place: Place) -> None:
        from ..features import arrow_schema

        self.root = root
        self.config = config
        self.place = place
        self.schema = arrow_schema(config)
        self.folder = root / folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.partials: list[Path] = []
        self._file: Any = None

    @abstractmethod
    def _partial_name(self, shard: int) -> str:
        """The name, in :attr:`folder`, of shard ``shard`` while the count is unknown."""

    @abstractmethod
    def _final_name(self, index: int, count: int) -> str:
        """The relative POSIX path of shard ``index`` of ``count``."""

    @abstractmethod
    def _open(self, path: Path) -> Any:
        """A writer of one shard's file (with ``close()``)."""

    @abstractmethod
    def _write_group(self, file: Any, group: pa.Table) -> None:
        """Add one row group to a shard's open file."""

    def _path(self, shard: int) -> Path:
        if self.place is None:
            return self.folder / self._partial_name(shard)
        if shard:
            raise ValueError(f"a sink placed at shard {self.place} writes one shard")
        return self.root / self._final_name(*self.place)

    def write(self, group: pa.Table, shard: int) -> None:
        if shard == len(self.partials):  # the first group of a new shard
            self._close_file()
            path = self._path(shard)
            self.partials.append(path)
            self._file = self._open(path)
        self._write_group(self._file, group)

    def _close_file(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _close_files(self) -> list[str]:
        """Close the last file and name every shard; returns their relative paths, in order."""
        self._close_file()
        if not self.partials:
            path = self._path(0)
            self._open(path).close()
            self.partials.append(path)
        if self.place is not None:
            return [self._final_name(*self.place)]
        count = len(self.partials)
        names = []
        for index, path in enumerate(self.partials):
            name = self._final_name(index, count)
            path.rename(self.root / name)
            names.append(name)
        return names

    def close(self, closing: Closing) -> list[str]:
        return self._close_files()

    def abort(self) -> None:
        if self._file is not None:
            with contextlib.suppress(Exception):
                self._file.close()
        self._file = None


class ParquetSink(_FilePerShard):
    """``data/<config>/train-NNNNN-of-NNNNN.parquet``: a file per shard, a row group per group
    (written as ``train-NNNNN.partial``, renamed when the number of shards is known; with a
    ``place``, written under its final name). An empty config's file has no row group at all (a
    row group of 0 rows makes the `datasets` Parquet reader ask for batches of 0 rows)."""

    def __init__(self, root: Path, config: str, place: Place = None) -> None:
        super().__init__(root, config, data_folder(config), place)

    def _partial_name(self, shard: int) -> str:
        return partial_shard(shard)

    def _final_name(self, index: int, count: int) -> str:
        return data_shard(self.config, index, count)

    def _open(self, path: Path) -> Any:
        import pyarrow.parquet as pq

        return pq.ParquetWriter(
            path, self.schema, compression=COMPRESSION, use_dictionary=DICTIONARY_ENCODING
        )

    def _write_group(self, file: Any, group: pa.Table) -> None:
        file.write_table(group, row_group_size=group.num_rows)


# --------------------------------------------------------------------------------------------
# hf/<config>/: the load_from_disk form


def hf_fingerprint(config: str, version: str, data_files: Sequence[FileEntry]) -> str:
    """The ``datasets`` fingerprint of ``hf/<config>/``: from the config, the dataset version and
    the checksums of the config's data files (so the same rows give the same bytes)."""
    digest = hashlib.sha256(f"kyanh-corpus\n{config}\n{version}\n".encode())
    for entry in data_files:
        digest.update(f"{entry.sha256}\n".encode())
    return digest.hexdigest()[:16]


def write_hf_metadata(
    root: Path, config: str, arrow_files: Sequence[str], fingerprint: str
) -> None:
    """``hf/<config>/state.json`` and ``dataset_info.json``: what ``datasets.load_from_disk``
    reads to find the Arrow files (in order) and the features, in the form
    ``Dataset.save_to_disk`` writes them (``test_build.py`` loads the folder with ``datasets``
    and compares it with ``data/``)."""
    from ..card import DESCRIPTION_SHORT, LICENSE_SUMMARY, citation_bibtex
    from ..dataset.json import pretty_json
    from ..features import hf_features_dict

    folder = root / hf_folder(config)
    state: dict[str, Any] = {
        "_data_files": [{"filename": name.rsplit("/", 1)[-1]} for name in arrow_files],
        "_fingerprint": fingerprint,
        "_format_columns": None,
        "_format_kwargs": {},
        "_format_type": None,
        "_output_all_columns": False,
        "_split": "train",
    }
    info = {
        "citation": citation_bibtex(),
        "description": DESCRIPTION_SHORT,
        "features": hf_features_dict(config),
        "homepage": "",
        "license": LICENSE_SUMMARY,
    }
    (folder / "state.json").write_bytes((pretty_json(state) + "\n").encode("utf-8"))
    # not sorted: the order of the features is the order of the columns
    text = json.dumps(info, ensure_ascii=False, indent=2) + "\n"
    (folder / "dataset_info.json").write_bytes(text.encode("utf-8"))


class HfSink(_FilePerShard):
    """``hf/<config>/``: an Arrow stream file per shard (``data-NNNNN-of-NNNNN.arrow``, a record
    batch per row group, the schema with its ``huggingface`` metadata key), then ``state.json``
    and ``dataset_info.json`` (:func:`write_hf_metadata`) -- the files ``datasets.load_from_disk``
    reads -- written with pyarrow alone: the build never imports ``datasets``.

    With a ``place`` it writes that one Arrow file and no metadata (the reduce writes it).
    """

    def __init__(self, root: Path, config: str, place: Place = None) -> None:
        super().__init__(root, config, hf_folder(config), place)

    def _partial_name(self, shard: int) -> str:
        return f"data-{shard:05d}.partial"

    def _final_name(self, index: int, count: int) -> str:
        return f"{hf_folder(self.config)}/{hf_shard(index, count)}"

    def _open(self, path: Path) -> Any:
        import pyarrow as pa

        return pa.ipc.new_stream(str(path), self.schema)

    def _write_group(self, file: Any, group: pa.Table) -> None:
        file.write_table(group)

    def close(self, closing: Closing) -> list[str]:
        if self.place is None and closing.fingerprint is None:
            raise ValueError("hf/ needs the fingerprint of the data files")
        names = self._close_files()
        if self.place is not None:
            return names
        assert closing.fingerprint is not None
        write_hf_metadata(self.root, self.config, names, closing.fingerprint)
        prefix = hf_folder(self.config)
        return [*names, f"{prefix}/dataset_info.json", f"{prefix}/state.json"]


def shard_writer(root: Path, config: str, index: int, count: int) -> ConfigWriter:
    """A :class:`ConfigWriter` of shard ``index`` of ``count`` of a config: its Parquet file and
    its ``hf/`` Arrow file, however many rows (the map step's writer)."""
    place = (index, count)
    sinks = [ParquetSink(root, config, place), HfSink(root, config, place)]
    return ConfigWriter(config, 2**62, sinks)
