"""The build's map step: one partition of pages -> its shard files and a small summary.

The pages (sorted by name) are cut into partitions by :func:`plan_partitions`, from the number
of pages and ``shard_rows`` only (never from ``jobs``), and partition ``K`` of ``N`` becomes shard
``K`` of ``N`` of every streamed config: :func:`map_partition` extracts its pages and writes

* ``data/<config>/train-K-of-N.parquet`` (row groups of ``ROW_GROUP_ROWS`` rows) and
* ``hf/<config>/data-K-of-N.arrow`` (the same rows, an Arrow stream ``datasets.load_from_disk``
  reads), for ``articles``, ``interview_turns`` and ``sources``;
* ``<work>/map-K.mentions.arrow``: the document mentions of its pages, for the reduce;

and returns a :class:`PartitionSummary`: each page's :class:`Outcome` (its name, size, checksum,
``article_id``, the facts it states about each document it cites, its report entry or its
failure), the rows and Arrow size per config, and the size and SHA-256 of each file it wrote.

**The unit an engine runs.** :func:`map_partition` is a pure function of its :class:`MapTask`
(the pages to read, the folder to write in): no shared state, no global, nothing but those files
and its return value, which pickles. The build runs it in this process (``jobs`` 1), in a pool
of ``jobs`` processes, or in any ``concurrent.futures.Executor`` it is given; an engine such as
Ray Data, Dask or Spark would run it once per partition on a shared file system, the way
``test_map_reduce.py`` runs the build through a thread pool. Everything global -- which copy of
an article is the first, which documents are the same, the resolutions, the manifest, the card
-- is the reduce's (:mod:`.reduce_step`).

A page that fails is not in the shard files (its outcome says why); the map never raises for a
bad page.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..dataset.json import pretty_json
from ..dataset.manifest import FileEntry, file_entry, sha256_file
from ..dataset.paths import data_shard, hf_folder, hf_shard
from ..gc_control import paused
from ..models import STREAMED_CONFIGS
from .inputs import InputFile
from .merge import FACTS, MENTION_COLUMNS, mention_column_type
from .report import Failure, jsonable, report_entry

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    import pyarrow as pa

__all__ = [
    "CHUNK_INPUTS",
    "MIN_PARTITION_PAGES",
    "PARTITIONS",
    "Chunk",
    "MapTask",
    "Outcome",
    "PartitionSummary",
    "extract_chunk",
    "map_partition",
    "map_partitions",
    "mentions_path",
    "plan_partitions",
    "shard_files",
]

CHUNK_INPUTS: Final = 128
"""Pages extracted at a time within a partition (one Arrow table per config)."""

PARTITIONS: Final = 32
"""Partitions a large build is cut into (so that ``jobs`` workers share the work evenly)."""

MIN_PARTITION_PAGES: Final = 250
"""Fewest pages in a partition (so a small corpus is not cut into tiny shards)."""

Pages = list[tuple[str, str | None]]
"""``(page path, sidecar path or None)`` of each page, in input order."""


def plan_partitions(inputs: Sequence[InputFile], shard_rows: int) -> list[Pages]:
    """The inputs cut into runs of consecutive pages, one per shard: ``ceil(n / PARTITIONS)``
    pages each, at least :data:`MIN_PARTITION_PAGES` and at most ``shard_rows``.

    Depends only on the number of inputs and ``shard_rows`` (so the output does not depend on
    ``jobs``). ``shard_rows`` is a target: a shard holds the rows of at most ``shard_rows``
    pages, so ``articles`` and ``sources`` shards hold at most that many rows.

    >>> [len(p) for p in plan_partitions([InputFile(f"{i}.txt", None) for i in range(5)], 2)]
    [2, 2, 1]
    """
    count = len(inputs)
    size = max(1, min(shard_rows, max(MIN_PARTITION_PAGES, -(-count // PARTITIONS))))
    return [
        [(item.location, item.sidecar_location) for item in inputs[start : start + size]]
        for start in range(0, count, size)
    ]


def shard_files(config: str, index: int, count: int) -> tuple[str, str]:
    """The relative paths of shard ``index`` of ``count`` of a config: its Parquet file and its
    ``hf/`` Arrow file."""
    return data_shard(config, index, count), f"{hf_folder(config)}/{hf_shard(index, count)}"


def mentions_path(work: str | Path, index: int) -> Path:
    """Where partition ``index`` writes its document mentions (in the build's work folder)."""
    return Path(work) / f"map-{index:05d}.mentions.arrow"


@dataclass(frozen=True)
class MapTask:
    """One partition: everything :func:`map_partition` needs, and nothing else."""

    index: int
    """Partition (and shard) number, from 0."""
    count: int
    """Number of partitions (and shards) of the build."""
    pages: Pages
    root: str
    """The folder the shard files are written in (the build's staging folder)."""
    work: str
    """The folder the mentions file is written in (the build's scratch folder)."""
    source: str | None = None
    """The ``--source`` given to the build, if any."""


@dataclass
class Outcome:
    """The result of one page, as the reduce needs it."""

    name: str
    bytes: int
    sha256: str
    sidecar: tuple[str, FileEntry] | None = None
    article_id: str | None = None
    lines: dict[str, int] | None = None
    warnings: list[Any] = field(default_factory=list)
    failure: Failure | None = None
    turns: int = 0
    resolutions: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)
    """``(resolution_id, facts, number of mentions)`` of each document the page cites."""
    mentions: int = 0
    """Mention rows that are this page's."""
    report: str = ""
    """The page's ``build_report.json`` entry, rendered (by the map)."""


@dataclass
class PartitionSummary:
    """What :func:`map_partition` returns: small (no rows), picklable."""

    index: int
    outcomes: list[Outcome]
    """One per page, in input order."""
    rows: dict[str, int]
    """Rows written per streamed config."""
    files: dict[str, FileEntry]
    """Size and SHA-256 of each shard file written (relative POSIX path -> entry)."""
    mentions: int
    """Rows in the mentions file (:func:`mentions_path`)."""
    seconds: float
    """Time the map took: extracting, plus writing and hashing the files (which overlap the next
    extraction when they run in a writer thread)."""


@dataclass
class Chunk:
    """The outcomes of a run of pages, and the rows of its good pages."""

    outcomes: list[Outcome]
    tables: dict[str, pa.Table]
    """Rows of the chunk's good pages, per streamed config, in input order."""
    mentions: pa.Table
    """Document mentions of the chunk's good pages (``MENTION_COLUMNS``)."""


def extract_chunk(paths: Sequence[tuple[str, str | None]], source: str | None) -> Chunk:
    """Extract a run of pages; never raises for a bad page (it becomes a failed outcome).

    The rows become tables with :func:`~kyanh_corpus.features.plain_arrow_schema`. The cyclic
    garbage collector is paused meanwhile (:func:`~kyanh_corpus.gc_control.paused`): the
    extraction makes no reference cycles (``tests/build/test_map_reduce.py`` checks it), but
    the chunk's objects, alive until they become tables, would be walked by every collection
    (measured: the extraction 15-20 % slower with it running).
    """
    with paused():
        return _extract_chunk(paths, source)


def _extract_chunk(paths: Sequence[tuple[str, str | None]], source: str | None) -> Chunk:
    import pyarrow as pa

    from ..extract import ExtractionError, extract_file
    from ..features import plain_arrow_schema

    outcomes = []
    rows: dict[str, list[Any]] = {config: [] for config in STREAMED_CONFIGS}
    mentions: dict[str, list[Any]] = {name: [] for name in MENTION_COLUMNS}
    for path_text, sidecar_text in paths:
        outcome = Outcome(name=os.path.basename(path_text), bytes=0, sha256="")
        outcomes.append(outcome)
        try:
            outcome.bytes = os.stat(path_text).st_size
            if sidecar_text is not None:
                outcome.sidecar = (os.path.basename(sidecar_text), file_entry(sidecar_text))
            extraction = extract_file(path_text, source=source, sidecar=sidecar_text)
        except ExtractionError as error:
            # the file at fault: the page, or its sidecar (a bad .meta.json)
            where = Path(error.path).name if error.path else outcome.name
            outcome.failure = Failure(where, error.line, error.reason, error.field)
        except (OSError, ValueError) as error:
            # ValueError covers UnicodeDecodeError and a model's ValidationError.
            outcome.failure = Failure(outcome.name, None, f"{type(error).__name__}: {error}")
        else:
            article = extraction.article
            outcome.sha256 = article.raw_sha256
            outcome.article_id = article.article_id
            outcome.lines = dict(extraction.line_counts())
            outcome.warnings = [jsonable(warning) for warning in extraction.warnings]
            outcome.turns = len(extraction.turns)
            for resolution in extraction.resolutions:
                facts = {name: getattr(resolution, name) for name in FACTS}
                outcome.resolutions.append(
                    (resolution.resolution_id, facts, len(resolution.mentions))
                )
                for mention in resolution.mentions:
                    mentions["rid"].append(resolution.resolution_id)
                    mentions["start"].append(mention.span.start)
                    mentions["end"].append(mention.span.end)
                    mentions["article_id"].append(mention.article_id)
                    mentions["surface"].append(mention.surface)
                    mentions["issued_on"].append(mention.issued_on)
                    mentions["issuer"].append(mention.issuer)
                    mentions["title"].append(mention.title)
                outcome.mentions += len(resolution.mentions)
            for config, config_rows in extraction.rows.items():
                rows[config].extend(config_rows)
        if outcome.failure is not None:
            with contextlib.suppress(OSError):
                outcome.sha256 = sha256_file(path_text)
        outcome.report = pretty_json(report_entry(outcome), 4)
    tables = {
        config: pa.Table.from_pylist(config_rows, schema=plain_arrow_schema(config))
        for config, config_rows in rows.items()
    }
    mention_table = pa.table(
        {name: pa.array(values, mention_column_type(kind)) for (name, kind), values in
         zip(MENTION_COLUMNS.items(), mentions.values(), strict=True)}
    )  # fmt: skip
    return Chunk(outcomes=outcomes, tables=tables, mentions=mention_table)


def _chunks(pages: Pages) -> Iterator[Pages]:
    for start in range(0, len(pages), CHUNK_INPUTS):
        yield pages[start : start + CHUNK_INPUTS]


def map_partition(task: MapTask) -> PartitionSummary:
    """Extract the partition's pages and write its shard of every streamed config, and its
    mentions file; returns the :class:`PartitionSummary` (see the module docstring).

    The mentions file's ``seq`` column is the page's position among the partition's good pages
    (the reduce turns it into the position in the corpus). The files are written by one thread
    of the map's own while this one extracts the next pages: Parquet encoding, compression,
    Arrow I/O and hashing release the GIL, so they take a second core where there is one.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="kyanh-corpus-map-writer") as writer:
        return _start(task, writer).finish()


def map_partitions(tasks: Sequence[MapTask]) -> Iterator[PartitionSummary]:
    """:func:`map_partition` of each task, in order, in this process -- pipelined: a
    partition's files are finished (the last row groups encoded, compressed and hashed) by the
    writer thread while the next partition's pages are extracted."""
    from concurrent.futures import ThreadPoolExecutor

    # On an early exit the executor's exit waits for the partition whose files are closing:
    # they are closed whole (and removed with the build's folder).
    with ThreadPoolExecutor(1, thread_name_prefix="kyanh-corpus-map-writer") as writer:
        previous: _Started | None = None
        for task in tasks:
            current = _start(task, writer)
            if previous is not None:
                yield previous.finish()
            previous = current
        if previous is not None:
            yield previous.finish()


@dataclass
class _Started:
    """A partition whose pages are extracted; its files are being finished by the writer."""

    task: MapTask
    files: _ShardFiles
    outcomes: list[Outcome]
    closing: Future[None]
    writer: Executor
    extracting: float
    """Seconds this process spent extracting the partition."""

    def finish(self) -> PartitionSummary:
        from .faults import point

        try:
            self.closing.result()
        except BaseException:
            self.abort()
            raise
        point("map-written")
        return PartitionSummary(
            index=self.task.index,
            outcomes=self.outcomes,
            rows={config: w.total for config, w in self.files.writers.items()},
            files=self.files.entries,
            mentions=self.files.mention_rows,
            seconds=self.extracting + self.files.seconds,
        )

    def abort(self) -> None:
        self.closing.cancel()
        self.writer.submit(self.files.abort).result()


def _start(task: MapTask, writer: Executor) -> _Started:
    """Extract the partition's pages, handing each chunk's rows to ``writer``; the files'
    closing is submitted, not waited for."""
    from .faults import point

    point("map-start")
    started = time.perf_counter()
    files = _ShardFiles(task)
    outcomes: list[Outcome] = []
    pending: deque[Future[None]] = deque()
    try:
        good = 0
        for pages in _chunks(task.pages):
            chunk = extract_chunk(pages, task.source)
            seqs: list[int] = []
            for outcome in chunk.outcomes:
                if outcome.failure is None:
                    seqs.extend([good] * outcome.mentions)
                    good += 1
            outcomes.extend(chunk.outcomes)
            while len(pending) >= _WRITES_IN_FLIGHT:  # bounded memory
                pending.popleft().result()
            pending.append(writer.submit(files.write, chunk, seqs))
        closing = writer.submit(files.close)  # after the writes: one thread, in order
    except BaseException:
        for future in pending:
            future.cancel()
        writer.submit(files.abort).result()
        raise
    return _Started(task, files, outcomes, closing, writer, time.perf_counter() - started)


_WRITES_IN_FLIGHT: Final = 2
"""Chunks extracted but not yet written, at most (what bounds the map's memory)."""


class _ShardFiles:
    """The files of one partition, written by the map's writer thread only."""

    def __init__(self, task: MapTask) -> None:
        from .sinks import shard_writer

        self.task = task
        self.root = Path(task.root)
        self.writers = {
            config: shard_writer(self.root, config, task.index, task.count)
            for config in STREAMED_CONFIGS
        }
        self.path = mentions_path(task.work, task.index)
        self.stream: Any = None
        self.mention_rows = 0
        self.entries: dict[str, FileEntry] = {}
        self.seconds = 0.0
        """Time spent writing and hashing."""

    def write(self, chunk: Chunk, seqs: list[int]) -> None:
        started = time.perf_counter()
        try:
            self._write(chunk, seqs)
        finally:
            self.seconds += time.perf_counter() - started

    def _write(self, chunk: Chunk, seqs: list[int]) -> None:
        import pyarrow as pa

        for config, table in chunk.tables.items():
            self.writers[config].write(table)
        mentions = chunk.mentions.add_column(1, "seq", pa.array(seqs, pa.int64()))
        if self.stream is None:
            self.stream = pa.ipc.new_stream(str(self.path), mentions.schema)
        self.stream.write_table(mentions)
        self.mention_rows += mentions.num_rows

    def close(self) -> None:
        started = time.perf_counter()
        try:
            self._close()
        finally:
            self.seconds += time.perf_counter() - started

    def _close(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for config, writer in self.writers.items():
            writer.close()
            for name in shard_files(config, self.task.index, self.task.count):
                self.entries[name] = file_entry(self.root / name)

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.abort()
        if self.stream is not None:
            with contextlib.suppress(Exception):
                self.stream.close()
            self.stream = None
