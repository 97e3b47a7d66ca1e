"""Raw pages -> a built folder that is at once a Hugging Face Hub dataset repository.

:func:`build` is the pipeline behind ``kyanh-corpus build INPUT... --out DIR``:

1. **collect** the inputs (files and folders of ``.txt`` pages, each with an optional
   ``<stem>.meta.json`` sidecar) and sort them by file name, whatever order they were named in;
2. **extract** every page (:func:`kyanh_corpus.extract.extract_file`), in chunks, in ``jobs``
   worker processes when asked, results consumed in input order;
3. **stream** the rows into sharded Parquet files (``data/<config>/train-NNNNN-of-NNNNN.parquet``,
   at most ``shard_rows`` rows per shard, row groups of a fixed size): memory stays flat however
   many pages there are;
4. **merge** the resolutions across articles (one row per ``resolution_id``; mentions spilled to
   disk, facts kept once per document; conflicting facts left null and reported);
5. write the ``hf/<config>/`` ``save_to_disk`` form (with a fingerprint derived from the content),
   ``schema/``, ``croissant.json``, the dataset card ``README.md``, ``build_report.json`` and
   ``manifest.json`` last;
6. **swap** the finished folder into place with a rename: everything is written into a hidden
   temporary folder next to ``DIR`` (same parent, so the same file system), so a failed or killed
   build leaves an existing ``DIR`` exactly as it was.

Bad inputs: every input is still read, every failure (file, line, reason) is reported at once,
nothing is written. With ``keep_going`` the good pages are built and the failures recorded in
``build_report.json``.

Output bytes depend on the inputs' content (and the package versions) only: not on the order the
inputs were named in, their folders, the output path, ``jobs``, the time or the machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final, TextIO

from . import gc_control
from .codes import CODE_PARTS
from .dataset.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    ConfigEntry,
    FileEntry,
    Manifest,
    dataset_version,
    dump_json,
    file_entry,
    listed_files,
    sha256_file,
    write_json,
)
from .errors import UsageError
from .extract.sidecar import SIDECAR_SUFFIX, sidecar_names, sidecar_path
from .features import unwrap_annotation
from .ledger import Ledger
from .models import (
    ENTITIES,
    SCHEMA_VERSION,
    STREAMED_CONFIGS,
    Resolution,
    disagreements,
    document_facts,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

    import pyarrow as pa

DEFAULT_SHARD_ROWS: Final = 10_000
"""Default row limit of one Parquet shard (per config)."""

ROW_GROUP_ROWS: Final = 1_000
"""Rows per Parquet row group (and per Arrow record batch of ``hf/``), independent of chunking."""

CHUNK_INPUTS: Final = 64
"""Most pages extracted as one unit of work (one worker task, one Arrow table per config)."""

COMPRESSION: Final = "zstd"
"""Parquet compression codec (read by pyarrow, DuckDB, pandas, ``datasets`` and the Hub)."""

REPORT_NAME: Final = "build_report.json"
REPORT_FORMAT: Final = "kyanh-corpus-build-report/1"


DERIVED_FACTS: Final = ("issued_on", "issuer", "title")
"""``Resolution`` facts derived from its mentions (:func:`~kyanh_corpus.models.document_facts`)
rather than merged from the articles' statements."""


def _fact_fields() -> tuple[str, ...]:
    """The ``Resolution`` fields each article states once about a document (the code, its parts
    and the type name), from the model: they come from the first article citing the document
    (articles can only disagree on them when two codes give the same ``resolution_id``)."""
    names = [name for name in Resolution.model_fields if name not in ("resolution_id", "mentions")]
    kept = tuple(
        name for name in names if name in CODE_PARTS or Resolution.model_fields[name].is_required()
    )
    assert set(names) == {*kept, *DERIVED_FACTS}, "a Resolution field is neither kept nor derived"
    return kept


_FACTS: Final = _fact_fields()
_DATE_FACT_POSITIONS: Final = tuple(
    position
    for position, name in enumerate(_FACTS)
    if unwrap_annotation(Resolution.model_fields[name].annotation)[0] is date
)
"""Positions in a statement of the facts that are dates (spilled as ISO strings)."""

_MENTION_SCHEMA: Final = {
    "rid": "string",
    "start": "int64",
    "end": "int64",
    "article_id": "string",
    "surface": "string",
    "issued_on": "date32",
    "issuer": "string",
    "title": "string",
}
"""Columns of the mention spill file (the build's own work file, not a corpus schema): the
document, then the mention's span, text and facts as ``Mention`` holds them; ``seq`` (the
article's position) is added by the main process."""


def _arrow_type(name: str) -> pa.DataType:
    import pyarrow as pa

    return {"string": pa.string(), "date32": pa.date32()}.get(name, pa.int64())


_CONFLICT_ARTICLES: Final = 20
"""Most article ids listed per conflicting value in the build report."""
_CARD_INPUTS: Final = 100
"""Most inputs listed by hash in the dataset card (all of them are in ``manifest.json``)."""

Progress = Callable[[int, int], None]
"""``progress(pages_done, pages_total)``, called as extraction advances."""


class BuildUsageError(UsageError, ValueError):
    """The build was asked something impossible (missing input, unsafe ``--out``): exit 2."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """One raw page to extract (paths kept as strings: a build may list 10^5 of them)."""

    location: str
    sidecar_location: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def sidecar(self) -> Path | None:
        return None if self.sidecar_location is None else Path(self.sidecar_location)

    @property
    def name(self) -> str:
        return os.path.basename(self.location)


@dataclass(frozen=True)
class Failure:
    """Why one input could not become records."""

    file: str
    line: int | None
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reason": self.reason, "field": self.field}


@dataclass
class BuildResult:
    """What :func:`build` did. ``written`` is False when nothing was written (bad inputs)."""

    out: Path
    written: bool
    dataset_version: str | None
    counts: dict[str, int]
    shards: dict[str, list[str]]
    inputs: int
    built: int
    failures: list[Failure]
    conflicts: int
    """Resolution facts the mentions or articles disagree on (listed in ``build_report.json``)."""
    raw_bytes: int
    elapsed_s: float
    jobs: int
    conflicting_documents: int = 0
    """Documents with at least one such disagreement."""
    ambiguous_documents: int = 0
    """Documents cited without a place or year that several documents of the corpus could be
    (kept apart; listed in ``build_report.json``)."""
    orphan_sidecars: list[str] = field(default_factory=list)
    """Sidecar files found that belong to no input page (paths as found), left unused. Not in
    the built folder: what a build writes depends on its inputs only, not on the folders they
    were found in."""

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` summary of the CLI."""
        return {
            "ok": self.written and (not self.failures),
            "written": self.written,
            "out": str(self.out),
            "dataset_version": self.dataset_version,
            "counts": self.counts,
            "shards": self.shards,
            "inputs": self.inputs,
            "built": self.built,
            "failed": [failure.to_json() for failure in self.failures],
            "resolution_conflicts": self.conflicts,
            "conflicting_documents": self.conflicting_documents,
            "ambiguous_documents": self.ambiguous_documents,
            "raw_bytes": self.raw_bytes,
            "elapsed_s": round(self.elapsed_s, 3),
            "mb_per_s": round(self.raw_bytes / 1e6 / self.elapsed_s, 3) if self.elapsed_s else None,
            "jobs": self.jobs,
            "orphan_sidecars": self.orphan_sidecars,
        }


# --------------------------------------------------------------------------------------------
# Inputs


def _sidecar_in(names: set[str], name: str) -> str | None:
    """The sidecar of page ``name`` among the file names of its folder (no file system call)."""
    return next((candidate for candidate in sidecar_names(name) if candidate in names), None)


def collect_inputs(paths: Iterable[Path | str]) -> list[InputFile]:
    """The pages named by ``paths`` (files, or folders whose ``*.txt`` files are taken, not
    recursively), sorted by file name, each with its sidecar when one exists.

    See :func:`collect_inputs_and_orphans` for the rules; this gives the pages only.
    """
    return collect_inputs_and_orphans(paths)[0]


def collect_inputs_and_orphans(paths: Iterable[Path | str]) -> tuple[list[InputFile], list[str]]:
    """:func:`collect_inputs`, and the sidecars found that belong to no page (sorted paths):
    a ``*.meta.json`` in a scanned folder, or named explicitly, whose page is not an input (a
    misspelt name would otherwise lose its facts silently; the build reports them).

    A file named explicitly is an input whatever its extension, except a ``*.meta.json``
    sidecar (taken with its page). Raises :class:`BuildUsageError` for a path that does not exist,
    for two different files with the same name (names identify inputs in the manifest), and for
    two pages with sidecars of the same name (``a.txt`` and ``a.md`` both take ``a.meta.json``: a
    sidecar describes one page).
    """
    found: dict[str, InputFile] = {}
    sidecars: dict[str, str] = {}
    """Every sidecar seen (real path -> the path as named), used by a page or not."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            with os.scandir(path) as entries:
                files = {entry.name for entry in entries if entry.is_file()}
            sidecars.update(
                (os.path.realpath(path / name), os.path.join(path, name))
                for name in files
                if name.endswith(SIDECAR_SUFFIX)
            )
            for name in files:
                if name.endswith(".txt"):
                    sidecar = _sidecar_in(files, name)
                    found.setdefault(
                        os.path.abspath(path / name),
                        InputFile(
                            os.path.join(path, name),
                            None if sidecar is None else os.path.join(path, sidecar),
                        ),
                    )
        elif path.is_file():
            if path.name.endswith(SIDECAR_SUFFIX):
                sidecars[os.path.realpath(path)] = str(path)
            else:
                found_sidecar = sidecar_path(path)
                found.setdefault(
                    os.path.abspath(path),
                    InputFile(str(path), None if found_sidecar is None else str(found_sidecar)),
                )
        else:
            raise BuildUsageError(f"{path}: no such file or folder")
    by_name: dict[str, InputFile] = {}
    for item in found.values():
        other = by_name.setdefault(item.name, item)
        if other is not item:
            raise BuildUsageError(
                f"two inputs are named {item.name!r}: {other.path} and {item.path}"
            )
    sidecar_of: dict[str, InputFile] = {}
    used: set[str] = set()
    for item in by_name.values():
        if item.sidecar_location is None:
            continue
        used.add(os.path.realpath(item.sidecar_location))
        other = sidecar_of.setdefault(os.path.basename(item.sidecar_location), item)
        if other is not item:
            raise BuildUsageError(
                f"pages {other.path} and {item.path} both take the sidecar "
                f"{os.path.basename(item.sidecar_location)!r}: a sidecar describes one page"
            )
    orphans = sorted(named for path, named in sidecars.items() if path not in used)
    return [by_name[name] for name in sorted(by_name)], orphans


# --------------------------------------------------------------------------------------------
# Extraction (runs in worker processes when jobs > 1: everything here must pickle)


@dataclass
class _Outcome:
    """The result of one page, as the main process needs it."""

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
    """Rows of the chunk's mention table that are this page's."""
    report: str = ""
    """The page's ``build_report.json`` entry, rendered (by the worker)."""


@dataclass
class _Chunk:
    outcomes: list[_Outcome]
    tables: dict[str, pa.Table]
    """Rows of the chunk's good pages, per streamed config, in input order."""
    mentions: pa.Table | None
    """Document mentions of the chunk's good pages (``MENTION_COLUMNS`` but ``seq``)."""
    spilled: str | None = None
    """Path prefix of the Arrow files holding ``tables`` and ``mentions`` (see :meth:`spill`)."""

    _MENTIONS: ClassVar[str] = "mentions"

    def spill(self, prefix: str) -> None:
        """Move the tables to Arrow IPC files ``<prefix>.<name>.arrow``: a worker process hands
        its rows over this way, and the main process reads them back (:meth:`restore`), instead
        of pickling megabytes of text through the result pipe."""
        import pyarrow as pa

        assert self.mentions is not None
        for name, table in [*self.tables.items(), (self._MENTIONS, self.mentions)]:
            with pa.ipc.new_file(f"{prefix}.{name}.arrow", table.schema) as writer:
                writer.write_table(table)
        self.tables, self.mentions, self.spilled = {}, None, prefix

    def restore(self) -> None:
        """Read the spilled tables back and delete their files."""
        import pyarrow as pa

        if self.spilled is None:
            return
        for name in (*STREAMED_CONFIGS, self._MENTIONS):
            path = f"{self.spilled}.{name}.arrow"
            # Read into memory (one copy, from the page cache), not memory-mapped: the file can
            # then be deleted at once on every file system (a mapped file cannot be deleted on
            # Windows, and on NFS it would linger as a ".nfs" file until unmapped).
            with pa.OSFile(path) as source:
                table = pa.ipc.open_file(source).read_all()
            os.unlink(path)
            if name == self._MENTIONS:
                self.mentions = table
            else:
                self.tables[name] = table
        self.spilled = None


def _jsonable(value: Any) -> Any:
    """A warning (string, dataclass, model, exception...) as a JSON value."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return _jsonable(dump(mode="json"))
    if hasattr(value, "__dataclass_fields__"):
        return {name: _jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    return str(value)


def _extract_chunk(paths: Sequence[tuple[str, str | None]], source: str | None) -> _Chunk:
    """Extract a run of pages; never raises for a bad page (it becomes a failed outcome).

    The rows become tables with :func:`~kyanh_corpus.features.plain_arrow_schema` (which needs
    no ``datasets`` import): the ``huggingface`` schema metadata is put on by the writer.
    """
    import pyarrow as pa

    from .extract import ExtractionError, extract_file
    from .features import plain_arrow_schema

    outcomes = []
    rows: dict[str, list[Any]] = {config: [] for config in STREAMED_CONFIGS}
    mentions: dict[str, list[Any]] = {name: [] for name in _MENTION_SCHEMA}
    for path_text, sidecar_text in paths:
        outcome = _Outcome(name=os.path.basename(path_text), bytes=0, sha256="")
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
            outcome.warnings = [_jsonable(warning) for warning in extraction.warnings]
            outcome.turns = len(extraction.turns)
            for resolution in extraction.resolutions:
                facts = {name: getattr(resolution, name) for name in _FACTS}
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
        outcome.report = pretty_json(_report_entry(outcome), 4)
    tables = {
        config: pa.Table.from_pylist(config_rows, schema=plain_arrow_schema(config))
        for config, config_rows in rows.items()
    }
    mention_table = pa.table(
        {name: pa.array(values, _arrow_type(kind)) for (name, kind), values in
         zip(_MENTION_SCHEMA.items(), mentions.values(), strict=True)}
    )  # fmt: skip
    return _Chunk(outcomes=outcomes, tables=tables, mentions=mention_table)


def _extract_and_spill(
    paths: Sequence[tuple[str, str | None]], source: str | None, prefix: str
) -> _Chunk:
    """:func:`_extract_chunk` in a worker process, the rows handed over in files
    (:meth:`_Chunk.spill`)."""
    chunk = _extract_chunk(paths, source)
    chunk.spill(prefix)
    return chunk


def _watch_parent(parent: int) -> None:
    """Worker initializer: exit as soon as the build process is gone (e.g. SIGKILLed), instead of
    waiting forever for work that will never come."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="kyanh-corpus-parent-watch", daemon=True).start()


def _worker_init(parent: int) -> None:
    """Worker initializer: watch the build process, import the extractor before any work."""
    _watch_parent(parent)
    import pyarrow  # noqa: F401

    from . import extract  # noqa: F401

    gc_control.freeze()  # the imports are done; for the worker's lifetime


class _Extraction:
    """Runs :func:`_extract_chunk` over chunks, results in order: in this process (``jobs`` 1)
    or in a pool of ``jobs`` worker processes, at most ``3 * jobs`` chunks in flight.

    With a pool, the first chunks are submitted at once: the workers extract as soon as they
    have booted, while this process sets up its writers. Workers hand their rows over in files
    in the folder ``spill``.
    """

    def __init__(
        self,
        jobs: int,
        chunks: Iterable[list[tuple[str, str | None]]],
        source: str | None,
        spill: Path,
    ) -> None:
        self.jobs = jobs
        self.chunks = enumerate(chunks)
        self.source = source
        self.spill = spill
        self.pending: deque[Future[_Chunk]] = deque()
        self.pool: Any = None
        if jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": a fresh interpreter per worker, safe with the threads pyarrow starts.
            self.pool = ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
                initargs=(os.getpid(),),
            )
            self._submit(jobs * 3)

    def _submit(self, count: int) -> None:
        for number, chunk in islice(self.chunks, count):
            prefix = str(self.spill / f"chunk-{number}")
            self.pending.append(self.pool.submit(_extract_and_spill, chunk, self.source, prefix))

    def run(self) -> Iterator[_Chunk]:
        """The chunks' results, in order."""
        if self.pool is None:
            for _, chunk in self.chunks:
                yield _extract_chunk(chunk, self.source)
            return
        while self.pending:
            result = self.pending.popleft().result()
            self._submit(1)
            result.restore()
            yield result

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


# --------------------------------------------------------------------------------------------
# Writers


class _ShardWriter:
    """Rows of one config -> ``data/<config>/train-NNNNN-of-NNNNN.parquet`` (+ an Arrow stream
    for the ``hf/`` form), in row groups of ``ROW_GROUP_ROWS`` whatever the chunks written."""

    def __init__(self, root: Path, work: Path, config: str, shard_rows: int) -> None:
        from .features import arrow_schema

        self.root = root
        self.config = config
        self.schema = arrow_schema(config)
        self.shard_rows = shard_rows
        self.folder = root / "data" / config
        self.folder.mkdir(parents=True, exist_ok=True)
        self.stream_path = work / f"{config}.arrow"
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.shards: list[Path] = []
        self.rows_in_shard = 0
        self.total = 0
        self.nbytes = 0
        """Arrow size of the rows written (what ``datasets`` calls the dataset's ``nbytes``)."""
        self._parquet: Any = None
        self._stream: Any = None

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
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._parquet is None:
            path = self.folder / f"train-{len(self.shards):05d}.partial"
            self.shards.append(path)
            self._parquet = pq.ParquetWriter(path, self.schema, compression=COMPRESSION)
        self._parquet.write_table(group, row_group_size=group.num_rows)
        if self._stream is None:
            self._stream = pa.ipc.new_stream(str(self.stream_path), self.schema)
        self._stream.write_table(group)
        self.rows_in_shard += group.num_rows
        self.total += group.num_rows
        self.nbytes += group.nbytes
        if self.rows_in_shard >= self.shard_rows:
            self._parquet.close()
            self._parquet = None
            self.rows_in_shard = 0

    def close(self) -> list[str]:
        """Flush, close, name the shards ``-of-NNNNN``; returns their relative POSIX paths."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._drain(final=True)
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if not self.shards:
            # An empty config still gets one file with the schema, and no row group at all (a
            # row group of 0 rows makes the `datasets` Parquet reader ask for batches of 0 rows).
            path = self.folder / "train-00000.partial"
            pq.ParquetWriter(path, self.schema, compression=COMPRESSION).close()
            self.shards.append(path)
        if self._stream is None:
            self._stream = pa.ipc.new_stream(str(self.stream_path), self.schema)
        self._stream.close()
        count = len(self.shards)
        names = []
        for index, path in enumerate(self.shards):
            final = self.folder / f"train-{index:05d}-of-{count:05d}.parquet"
            path.rename(final)
            names.append(final.relative_to(self.root).as_posix())
        return names

    def abort(self) -> None:
        for writer in (self._parquet, self._stream):
            if writer is not None:
                with contextlib.suppress(Exception):
                    writer.close()
        self._parquet = self._stream = None


class _JsonItems:
    """Items of one JSON list, spilled to a file as they come, laid out exactly as
    :func:`~kyanh_corpus.manifest.dump_json` lays out a list that is the value of a top-level key.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: TextIO | None = path.open("w", encoding="utf-8", newline="\n")

    def add(self, value: Any) -> None:
        self.add_rendered(pretty_json(value, 4))

    def add_rendered(self, text: str) -> None:
        """Add an item already rendered by ``pretty_json(value, 4)``."""
        assert self._handle is not None
        self._handle.write((",\n    " if self.count else "    ") + text)
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def write_list(self, out: TextIO) -> None:
        """Write the whole list (closing the spill file first) to ``out``."""
        self.close()
        if self.count == 0:
            out.write("[]")
            return
        out.write("[\n")
        with self.path.open(encoding="utf-8") as spilled:
            shutil.copyfileobj(spilled, out)
        out.write("\n  ]")


_encode_string: Callable[[str], str] = json.encoder.encode_basestring


def pretty_json(value: Any, indent: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)`` as nested ``indent``
    spaces deep, for the JSON values the build writes (faster: the C string encoder is used).

    >>> value = {"b": [1, None, {"x": "Kỳ"}], "a": {}, "c": [], "d": True, "e": 0.5}
    >>> pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    True
    """
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.dumps(value)
    inner = indent + 2
    pad = "\n" + " " * inner
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [
            f"{pad}{_encode_string(key)}: {pretty_json(value[key], inner)}" for key in sorted(value)
        ]
        return "{" + ",".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return (
            "["
            + ",".join(pad + pretty_json(item, inner) for item in value)
            + "\n"
            + " " * indent
            + "]"
        )
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _write_json_streamed(
    path: Path, obj: dict[str, Any], streamed: Mapping[str, Callable[[TextIO], None]]
) -> None:
    """Write ``dump_json(obj)`` where the value of each top-level key in ``streamed`` is written
    by its function instead (laid out as ``dump_json`` lays out a top-level value), so that
    those values, which grow with the corpus, are never held in memory."""
    sentinels = {key: json.dumps(f"\x00streamed-{key}\x00") for key in streamed}
    text = dump_json({**obj, **{key: json.loads(sentinel) for key, sentinel in sentinels.items()}})
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for key in sorted(streamed, key=lambda key: text.index(sentinels[key])):
            head, text = text.split(sentinels[key], 1)
            out.write(head)
            streamed[key](out)
        out.write(text)


def _entries_writer(entries: Iterable[tuple[str, Any]]) -> Callable[[TextIO], None]:
    """Writes ``dict(entries)`` as a top-level value of :func:`_write_json_streamed` (``entries``
    must come sorted by name, as ``dump_json`` sorts keys)."""

    def write(out: TextIO) -> None:
        count = 0
        for name, value in entries:
            out.write(",\n    " if count else "{\n    ")
            out.write(f"{_encode_string(name)}: {pretty_json(value, 4)}")
            count += 1
        out.write("\n  }" if count else "{}")

    return write


# --------------------------------------------------------------------------------------------
# Resolutions: merged across articles


class _Facts:
    """What the corpus says about one document: each distinct statement, with who made it.

    A *statement* is the tuple of every fact one article gives (``_FACTS`` order). Articles that
    agree share one entry (at most ``_CONFLICT_ARTICLES`` ids listed per statement). Made for
    one window of documents at a time, from the statements spilled to the :class:`Ledger`.
    """

    __slots__ = ("statements",)

    def __init__(self) -> None:
        self.statements: dict[tuple[Any, ...], list[str]] = {}

    def add_statement(self, statement: tuple[Any, ...], articles: Iterable[str]) -> None:
        seen = self.statements.setdefault(statement, [])
        for article_id in articles:
            if len(seen) < _CONFLICT_ARTICLES and article_id not in seen:
                seen.append(article_id)

    @property
    def first(self) -> dict[str, Any]:
        """The facts of the first statement (the first article citing the document)."""
        return dict(zip(_FACTS, next(iter(self.statements)), strict=True))

    def merged(self) -> tuple[dict[str, Any], list[tuple[str, Any, dict[Any, list[str]]]]]:
        """The first article's facts and the conflicts ``(field, kept value, value ->
        articles)`` where articles state another value."""
        first = self.first
        conflicts = []
        for position, name in enumerate(_FACTS):
            values: dict[Any, list[str]] = {}
            for statement, articles in self.statements.items():
                seen = values.setdefault(statement[position], [])
                seen.extend(a for a in articles if a not in seen)
            if len(values) > 1:
                for seen in values.values():
                    del seen[_CONFLICT_ARTICLES:]
                conflicts.append((name, first[name], values))
        return first, conflicts


def _encode_statement(facts: Mapping[str, Any]) -> str:
    """One article's facts about a document as JSON text (dates as ISO strings): equal
    statements give equal text."""
    return json.dumps(
        [value.isoformat() if isinstance(value, date) else value for value in
         (facts.get(name) for name in _FACTS)],
        ensure_ascii=False,
    )  # fmt: skip


def _decode_statement(text: str) -> tuple[Any, ...]:
    """The facts tuple (``_FACTS`` order) of :func:`_encode_statement`'s text."""
    values = json.loads(text)
    for position in _DATE_FACT_POSITIONS:
        if values[position] is not None:
            values[position] = date.fromisoformat(values[position])
    return tuple(values)


def _more_specific(
    identity: tuple[str, str | None, int | None], place: str | None, year: int | None
) -> bool:
    """True when ``identity`` has the given place and year wherever they are known, and knows
    a part they lack."""
    _, its_place, its_year = identity
    agrees = (place is None or its_place == place) and (year is None or its_year == year)
    adds = (place is None and its_place is not None) or (year is None and its_year is not None)
    return agrees and adds


class _ResolutionMerger:
    """One row per ``resolution_id``. In memory: each document's id, first code and mention
    count; what every article states about it is spilled to the :class:`Ledger`, and mentions
    to an Arrow stream on disk, until the end."""

    def __init__(self, work: Path, ledger: Ledger, *, window: int = 65_536) -> None:
        self.path = work / "mentions.arrow"
        self.ledger = ledger
        self.window = window
        """Most mentions gathered at once when writing (one resolution may hold more)."""
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.identities: list[tuple[str, str | None, int | None]] = []
        """Each document's ``(code slug, place slug, year)`` (``extract.citations.id_parts``)."""
        self.mentions: list[int] = []
        self._writer: Any = None
        self.total_mentions = 0

    def add(
        self, article_id: str, seq: int, resolutions: Iterable[tuple[str, dict[str, Any], int]]
    ) -> None:
        """The facts article number ``seq`` states about the documents it cites."""
        statements = []
        for n, (rid, stated, count) in enumerate(resolutions):
            index = self.index.get(rid)
            if index is None:
                from .extract.citations import id_parts

                index = self.index[rid] = len(self.ids)
                self.ids.append(rid)
                self.identities.append(id_parts(rid, stated["code"]))
                self.mentions.append(0)
            self.mentions[index] += count
            statements.append((index, seq, n, _encode_statement(stated), article_id))
        self.ledger.add_statements(statements)

    def aliases(self) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
        """``(alias -> target, ambiguous)``: which documents without a place or a year are the
        same document as one with it (docs/design.md, "Document identity").

        A code names one document per place (local issuers) and per year (numbering restarts).
        A document some article cites without its place or year is the same as a document with
        the same code that has every part it has and more, when the corpus holds exactly one
        such document (counting only the most specific ones); with two or more it stays a
        record of its own, listed as ambiguous with its candidates.
        """
        by_base: dict[str, list[int]] = {}
        for index, (base, _, _) in enumerate(self.identities):
            by_base.setdefault(base, []).append(index)
        aliases: dict[str, str] = {}
        ambiguous: list[tuple[str, list[str]]] = []
        for indices in by_base.values():
            if len(indices) < 2:
                continue
            for index in indices:
                _, place, year = self.identities[index]
                if place is not None and year is not None:
                    continue
                fuller = [i for i in indices if _more_specific(self.identities[i], place, year)]
                maximal = [
                    i
                    for i in fuller
                    if not any(_more_specific(self.identities[j], *self.identities[i][1:])
                               for j in fuller)
                ]  # fmt: skip
                if len(maximal) == 1:
                    aliases[self.ids[index]] = self.ids[maximal[0]]
                elif maximal:
                    ambiguous.append((self.ids[index], sorted(self.ids[i] for i in maximal)))
        return aliases, sorted(ambiguous)

    def add_mentions(self, table: pa.Table) -> None:
        """Mention rows (``rid``, ``seq``, ``start``, ``end``, ``article_id``, ``surface``)."""
        import pyarrow as pa

        if table.num_rows == 0:
            return
        if self._writer is None:
            self._writer = pa.ipc.new_stream(str(self.path), table.schema)
        self._writer.write_table(table)
        self.total_mentions += table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None

    def _windows(self, order: Sequence[int]) -> Iterator[tuple[int, int]]:
        """Runs ``[a, b)`` of ranks holding at most ``window`` mentions (or one resolution)."""
        start = held = 0
        for position, index in enumerate(order):
            count = self.mentions[index]
            if held and held + count > self.window:
                yield start, position
                start, held = position, 0
            held += count
        yield start, len(order)

    def finish(self, writer: _ShardWriter, conflicts: _JsonItems) -> _MergeCounts:
        """Write every merged resolution (sorted by id) to ``writer``, and every conflict (a fact
        the mentions, or the articles, disagree on) to ``conflicts``; return the counts.

        A document's issue date, issuer and title are derived from its mentions, in corpus
        order (:func:`~kyanh_corpus.models.document_facts`). Columnar and windowed: the spilled
        mentions are scanned once per window of resolution ranks, so memory holds one window's
        mentions (as Arrow columns), never the corpus's.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        from .features import arrow_schema, validate_rows

        self.close()
        counts = _MergeCounts()
        if not self.ids:
            return counts
        schema = arrow_schema("resolutions")
        list_type = schema.field("mentions").type
        mention_type = list_type.value_type
        span_type = mention_type.field("span").type
        aliases, ambiguous = self.aliases()
        counts.ambiguous = ambiguous
        for source, target in aliases.items():  # an alias's mentions count for its target
            self.mentions[self.index[target]] += self.mentions[self.index[source]]
        order = sorted(
            (index for index, rid in enumerate(self.ids) if rid not in aliases),
            key=self.ids.__getitem__,
        )
        rank_of = {self.ids[index]: rank for rank, index in enumerate(order)}
        # An aliased id's mentions take the rank of the id it merges into.
        id_values = [self.ids[index] for index in order] + list(aliases)
        rank_values = list(range(len(order))) + [rank_of[target] for target in aliases.values()]
        sorted_ids = pa.array(id_values, pa.string())
        id_ranks = pa.array(rank_values, pa.int64())
        # What the articles state, in rank order; an alias's statements after its target's.
        statements = self.ledger.statements(
            [(index, rank, 0) for rank, index in enumerate(order)]
            + [(self.index[source], rank_of[target], 1) for source, target in aliases.items()]
        )
        pending = next(statements, None)
        for low, high in self._windows(order):
            window_facts = [_Facts() for _ in range(high - low)]
            while pending is not None and pending[0] < high:
                rank, statement, article_id = pending
                window_facts[rank - low].add_statement(_decode_statement(statement), [article_id])
                pending = next(statements, None)
            parts = []
            with pa.OSFile(str(self.path)) as handle:
                for batch in pa.ipc.open_stream(handle):
                    ranks = pc.take(
                        id_ranks, pc.index_in(batch.column("rid"), value_set=sorted_ids)
                    )
                    keep = pc.and_(pc.greater_equal(ranks, low), pc.less(ranks, high))
                    if pc.any(keep).as_py():
                        table = pa.Table.from_batches([batch]).filter(keep)
                        parts.append(table.append_column("rank", ranks.filter(keep)))
            found = pa.concat_tables(parts)
            found = found.take(
                pc.sort_indices(
                    found,
                    sort_keys=[("rank", "ascending"), ("seq", "ascending"), ("start", "ascending")],
                )
            ).combine_chunks()
            indices = order[low:high]
            offsets = [0]
            for index in indices:
                offsets.append(offsets[-1] + self.mentions[index])
            columns = {
                name: found.column(name).chunk(0)
                for name in ("article_id", "surface", *DERIVED_FACTS)
            }
            columns["span"] = pa.StructArray.from_arrays(
                [found.column(f.name).chunk(0) for f in span_type], fields=list(span_type)
            )
            stated = list(
                zip(*(found.column(name).to_pylist() for name in DERIVED_FACTS), strict=True)
            )
            stated_by = found.column("article_id").to_pylist()
            mentions = pa.ListArray.from_arrays(
                pa.array(offsets, pa.int32()),
                pa.StructArray.from_arrays(
                    [columns[f.name] for f in mention_type], fields=list(mention_type)
                ),
                type=list_type,
            )
            rows: list[dict[str, Any]] = []
            for position, (index, facts) in enumerate(zip(indices, window_facts, strict=True)):
                merged, clashes = facts.merged()
                first, last = offsets[position], offsets[position + 1]
                mention_facts = stated[first:last]
                derived = dict(zip(DERIVED_FACTS, document_facts(mention_facts), strict=True))
                rows.append({"resolution_id": self.ids[index], **merged, **derived})
                for name in disagreements(mention_facts):
                    values: dict[Any, list[str]] = {}
                    column = DERIVED_FACTS.index(name)
                    for facts_of, article_id in zip(
                        mention_facts, stated_by[first:last], strict=True
                    ):
                        if facts_of[column] is not None:
                            seen = values.setdefault(facts_of[column], [])
                            if article_id not in seen and len(seen) < _CONFLICT_ARTICLES:
                                seen.append(article_id)
                    clashes.append((name, derived[name], values))
                if clashes:
                    counts.conflicting += 1
                for name, kept, values in clashes:
                    conflicts.add(
                        {
                            "resolution_id": self.ids[index],
                            "field": name,
                            "kept": _jsonable(kept),
                            "values": [
                                {"value": _jsonable(value), "articles": articles}
                                for value, articles in values.items()
                            ],
                        }
                    )
            # Mentions were validated in their article's records. A document that every article
            # states alike, with facts derived by the same function from the same kind of
            # mentions, was validated (as a Resolution with this id) when its article was
            # extracted; one merged from several statements is checked here (the code agrees with
            # its parts, its facts are its mentions' facts...).
            validate_rows(
                [
                    {**row, "mentions": mentions[position].as_py()}
                    for position, (row, facts) in enumerate(zip(rows, window_facts, strict=True))
                    if len(facts.statements) > 1
                ],
                "resolutions",
            )
            arrays = [
                mentions
                if field.name == "mentions"
                else pa.array([row[field.name] for row in rows], type=field.type)
                for field in schema
            ]
            writer.write(pa.Table.from_arrays(arrays, schema=schema))
        return counts


@dataclass
class _MergeCounts:
    """What the resolution merge found: documents whose mentions or articles disagree on a fact,
    and documents left apart because their code names several documents in the corpus."""

    conflicting: int = 0
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# The hf/ form


def _hf_info(config: str) -> Any:
    """The ``datasets.DatasetInfo`` saved with each ``hf/<config>/``."""
    from datasets import DatasetInfo

    from .card import DESCRIPTION_SHORT, LICENSE_SUMMARY, citation_bibtex
    from .features import features

    return DatasetInfo(
        description=DESCRIPTION_SHORT,
        citation=citation_bibtex(),
        license=LICENSE_SUMMARY,
        features=features(config),
    )


def _contiguous_shards(rows: int, num_shards: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of each shard, as ``datasets.Dataset.shard(contiguous=True)`` cuts."""
    div, mod = divmod(rows, num_shards)
    bounds = []
    for index in range(num_shards):
        start = div * index + min(index, mod)
        bounds.append((start, start + div + (1 if index < mod else 0)))
    return bounds


def _save_hf(
    root: Path, writer: _ShardWriter, fingerprint: str, num_shards: int, nbytes: int
) -> None:
    """``hf/<config>/``: the files ``datasets.Dataset.save_to_disk(num_shards=...)`` writes for
    the config's rows (and ``datasets.load_from_disk`` reads), with the given fingerprint.

    ``save_to_disk`` itself writes ``state.json`` and ``dataset_info.json`` (called on a dataset
    with the same info, split and fingerprint, and no rows); the Arrow shards are then written the
    way it writes them (contiguous shards, ``ArrowWriter``, its batch size) but streamed from the
    build's Arrow stream file batch by batch: memory-mapping the whole config, as ``save_to_disk``
    does, would make the build's resident memory grow with the corpus. ``test_build.py`` checks
    the result is byte-identical to ``save_to_disk`` of the same rows.
    """
    import datasets
    import pyarrow as pa
    from datasets import Dataset, NamedSplit
    from datasets.arrow_writer import ArrowWriter, get_writer_batch_size_from_data_size

    target = root / "hf" / writer.config
    info = _hf_info(writer.config)
    empty = Dataset(
        datasets.table.InMemoryTable(writer.schema.empty_table()),
        info=info,
        split=NamedSplit("train"),
        fingerprint=fingerprint,
    )
    was_disabled = datasets.are_progress_bars_disabled()
    datasets.disable_progress_bars()
    try:
        empty.save_to_disk(str(target), num_shards=num_shards)
    finally:
        if not was_disabled:
            datasets.enable_progress_bars()
    batch_size = datasets.config.DEFAULT_MAX_BATCH_SIZE
    if nbytes > 0:
        batch_size = min(batch_size, get_writer_batch_size_from_data_size(writer.total, nbytes))
    with pa.OSFile(str(writer.stream_path)) as handle:
        batches = _Rebatcher(pa.ipc.open_stream(handle))
        for index, (start, stop) in enumerate(_contiguous_shards(writer.total, num_shards)):
            path = target / f"data-{index:05d}-of-{num_shards:05d}.arrow"
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


def _fingerprint(config: str, version: str, shard_entries: Sequence[FileEntry]) -> str:
    digest = hashlib.sha256(f"kyanh-corpus\n{config}\n{version}\n".encode())
    for entry in shard_entries:
        digest.update(f"{entry.sha256}\n".encode())
    return digest.hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# The atomic swap


_RENAME_EXCHANGE: Final = 2
_AT_FDCWD: Final = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _swap_into_place(staged: Path, out: Path) -> None:
    """Make ``staged`` become ``out``; an existing ``out`` is replaced in one atomic step."""
    if not out.exists():
        os.rename(staged, out)
        return
    if _exchange(staged, out):
        shutil.rmtree(staged)  # now holds the previous build
        return
    # Portable fallback: two renames; the previous build stays whole under the ".old" name.
    old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(out, old)
    os.rename(staged, out)
    shutil.rmtree(old)


def _is_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_work(out: Path) -> None:
    """Remove temporary folders left next to ``out`` by builds that were killed."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(?:building|old)-(\d+)-[0-9a-f]+$")
    if not out.parent.is_dir():
        return
    for entry in out.parent.iterdir():
        match = pattern.match(entry.name)
        if match and entry.is_dir() and not _is_alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that is a file, or a non-empty folder that is not a previous build."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BuildUsageError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        try:
            manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise BuildUsageError(
                f"{out}: refusing to replace a non-empty folder that is not a kyanh-corpus build"
            )


# --------------------------------------------------------------------------------------------
# The build


def _chunked(inputs: Sequence[InputFile], size: int) -> Iterator[list[tuple[str, str | None]]]:
    for start in range(0, len(inputs), size):
        yield [(item.location, item.sidecar_location) for item in inputs[start : start + size]]


def _chunk_size(total: int, jobs: int) -> int:
    if jobs <= 1:
        return CHUNK_INPUTS
    return max(1, min(CHUNK_INPUTS, total // (jobs * 4)))


def build(
    inputs: Sequence[Path | str],
    out: Path | str,
    *,
    jobs: int = 1,
    keep_going: bool = False,
    shard_rows: int = DEFAULT_SHARD_ROWS,
    source: str | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the corpus from ``inputs`` into the folder ``out`` (see the module docstring).

    Raises :class:`BuildUsageError` for a missing input, no input at all, a bad ``jobs`` or
    ``shard_rows``, or an ``out`` that is not safe to replace. Bad pages do not raise: they are in
    ``result.failures`` (and then ``result.written`` is False unless ``keep_going``).
    """
    started = time.perf_counter()
    if jobs < 1:
        raise BuildUsageError(f"--jobs must be at least 1, not {jobs}")
    if shard_rows < 1:
        raise BuildUsageError(f"--shard-rows must be at least 1, not {shard_rows}")
    out = Path(os.path.abspath(out))
    check_out(out)
    pages, orphans = collect_inputs_and_orphans(inputs)
    if not pages:
        raise BuildUsageError("no input pages (.txt files) found")
    jobs = min(jobs, len(pages))
    created = [parent for parent in out.parents if not parent.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_work(out)
    staged = out.parent / f".{out.name}.building-{os.getpid()}-{secrets.token_hex(4)}"
    staged.mkdir()
    written = False
    try:
        result = _build_into(
            pages, staged, out, jobs=jobs, keep_going=keep_going, shard_rows=shard_rows,
            source=source, progress=progress, started=started,
        )  # fmt: skip
        result.orphan_sidecars = orphans
        if result.written:
            _swap_into_place(staged, out)
            written = True
        return result
    finally:
        if staged.exists():
            shutil.rmtree(staged, ignore_errors=True)
        if not written:  # nothing written: not even the parent folders of --out
            for parent in created:
                with contextlib.suppress(OSError):
                    parent.rmdir()


def _build_into(
    pages: Sequence[InputFile],
    root: Path,
    out: Path,
    *,
    jobs: int,
    keep_going: bool,
    shard_rows: int,
    source: str | None,
    progress: Progress | None,
    started: float,
) -> BuildResult:
    import pyarrow as pa

    from . import __version__

    work = root / ".work"
    work.mkdir()
    writers: dict[str, _ShardWriter] = {}
    card_inputs: list[tuple[str, FileEntry]] = []
    failures: list[Failure] = []
    writing = True
    done = raw_bytes = seq = 0
    # Whatever is opened is closed on every way out (last opened, first closed).
    cleanup = contextlib.ExitStack()
    try:
        ledger = Ledger(work / "ledger.sqlite")
        cleanup.callback(ledger.close)
        merger = _ResolutionMerger(work, ledger)
        cleanup.callback(merger.close)
        report_items = _JsonItems(work / "report-inputs.json")
        cleanup.callback(report_items.close)
        conflict_items = _JsonItems(work / "report-conflicts.json")
        cleanup.callback(conflict_items.close)
        cleanup.callback(_abort_writers, writers)
        chunks = _chunked(pages, _chunk_size(len(pages), jobs))
        # Worker processes boot and extract the first chunks while the writers are set up.
        extraction = _Extraction(jobs, chunks, source, work)
        cleanup.callback(extraction.close)
        for config in ENTITIES:
            writers[config] = _ShardWriter(root, work, config, shard_rows)
        # The imports are done: from here on the collector walks only the build's objects.
        cleanup.enter_context(gc_control.frozen())
        for chunk in extraction.run():
            keep: dict[str, list[bool]] = {name: [] for name in (*STREAMED_CONFIGS, "mentions")}
            seqs: list[int] = []
            for outcome in chunk.outcomes:
                raw_bytes += outcome.bytes
                good = outcome.failure is None
                if good and outcome.article_id is not None:
                    first = ledger.claim_article(outcome.article_id, outcome.name)
                    if first is not None:
                        outcome.failure = Failure(
                            outcome.name, None, f"same article as {first}", "article_id"
                        )
                if good:
                    kept = outcome.failure is None
                    keep["articles"].append(kept)
                    keep["sources"].append(kept)
                    keep["interview_turns"].extend([kept] * outcome.turns)
                    keep["mentions"].extend([kept] * outcome.mentions)
                    seqs.extend([seq] * (outcome.mentions if kept else 0))
                    if not kept:  # a duplicate: its entry says so now
                        outcome.report = pretty_json(_report_entry(outcome), 4)
                report_items.add_rendered(outcome.report)
                if outcome.failure is not None:
                    failures.append(outcome.failure)
                    if not keep_going:
                        writing = False
                    continue
                ledger.add_input(outcome.name, outcome.bytes, outcome.sha256)
                if len(card_inputs) < _CARD_INPUTS:
                    card_inputs.append((outcome.name, FileEntry(outcome.bytes, outcome.sha256)))
                if outcome.sidecar is not None:
                    sidecar_name, sidecar_entry = outcome.sidecar
                    ledger.add_input(sidecar_name, sidecar_entry.bytes, sidecar_entry.sha256)
                if writing and outcome.article_id is not None:
                    merger.add(outcome.article_id, seq, outcome.resolutions)
                seq += 1
            if writing:
                for config in STREAMED_CONFIGS:
                    table = chunk.tables[config]
                    if not all(keep[config]):
                        table = table.filter(pa.array(keep[config], pa.bool_()))
                    writers[config].write(table)
                mentions = chunk.mentions
                assert mentions is not None
                if not all(keep["mentions"]):
                    mentions = mentions.filter(pa.array(keep["mentions"], pa.bool_()))
                merger.add_mentions(mentions.add_column(1, "seq", pa.array(seqs, pa.int64())))
            done += len(chunk.outcomes)
            if progress is not None:
                progress(done, len(pages))
        extraction.close()
        report_items.close()
        if not writing or seq == 0:
            if not failures:  # pragma: no cover - every input failing is a failure
                raise AssertionError("nothing built and no failure recorded")
            return _result(out, False, None, pages, seq, failures, 0, raw_bytes, started, jobs)
        version = dataset_version(ledger.input_sha256s(), presorted=True)
        written: dict[str, list[str]] = {}
        hashed: dict[str, FileEntry] = {}

        def finish_config(config: str) -> None:
            """Close the config's shards, hash them, write its ``hf/`` form."""
            writer = writers[config]
            names = written[config] = writer.close()
            entries = [hashed.setdefault(name, file_entry(root / name)) for name in names]
            fingerprint = _fingerprint(config, version, entries)
            _save_hf(root, writer, fingerprint, len(names), writer.nbytes)

        def finish_streamed() -> None:
            for config in STREAMED_CONFIGS:
                finish_config(config)

        if jobs > 1:
            # Given two cores, the streamed configs' hf/ copies (Arrow I/O and hashing, which
            # release the GIL) are written by a thread while this one merges the resolutions.
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(1, thread_name_prefix="kyanh-corpus-hf") as threads:
                streamed = threads.submit(finish_streamed)
                merge = merger.finish(writers["resolutions"], conflict_items)
                streamed.result()
        else:
            finish_streamed()
            merge = merger.finish(writers["resolutions"], conflict_items)
        finish_config("resolutions")
        shards = {config: written[config] for config in writers}
        counts = {config: writer.total for config, writer in writers.items()}
        _write_metadata(
            root,
            version=version,
            package_version=__version__,
            counts=counts,
            shards=shards,
            card_inputs=card_inputs,
            total_inputs=ledger.input_count,
            report_items=report_items,
            failures=failures,
            conflict_items=conflict_items,
            merge=merge,
            pages=len(pages),
        )
        files = {name: hashed.get(name) or file_entry(root / name) for name in listed_files(root)}
        manifest = Manifest(
            dataset_version=version,
            schema_version=SCHEMA_VERSION,
            package_version=__version__,
            configs={
                config: ConfigEntry(num_rows=counts[config], files=tuple(shards[config]))
                for config in ENTITIES
            },
            files=files,
        )
        inputs = (
            (name, FileEntry(bytes=size, sha256=sha256).to_json())
            for name, size, sha256 in ledger.inputs()
        )
        _write_json_streamed(
            root / MANIFEST_NAME, manifest.to_json(), {"inputs": _entries_writer(inputs)}
        )
        ledger.close()
        shutil.rmtree(work)
        result = _result(
            out, True, version, pages, seq, failures, conflict_items.count, raw_bytes, started, jobs
        )
        result.counts, result.shards = counts, shards
        result.conflicting_documents = merge.conflicting
        result.ambiguous_documents = len(merge.ambiguous)
        return result
    finally:
        cleanup.close()


def _abort_writers(writers: Mapping[str, _ShardWriter]) -> None:
    """Close whatever the writers still hold open (after a failure)."""
    for writer in writers.values():
        writer.abort()


def _report_entry(outcome: _Outcome) -> dict[str, Any]:
    failure = outcome.failure
    return {
        "file": outcome.name,
        "status": "ok" if failure is None else "failed",
        "article_id": outcome.article_id if failure is None else None,
        "bytes": outcome.bytes,
        "sha256": outcome.sha256 or None,
        "sidecar": None if outcome.sidecar is None else outcome.sidecar[0],
        "lines": outcome.lines,
        "warnings": outcome.warnings,
        "errors": [] if failure is None else [failure.to_json()],
    }


def _result(
    out: Path,
    written: bool,
    version: str | None,
    pages: Sequence[InputFile],
    built: int,
    failures: list[Failure],
    conflicts: int,
    raw_bytes: int,
    started: float,
    jobs: int,
) -> BuildResult:
    return BuildResult(
        out=out,
        written=written,
        dataset_version=version,
        counts={},
        shards={},
        inputs=len(pages),
        built=built,
        failures=failures,
        conflicts=conflicts,
        raw_bytes=raw_bytes,
        elapsed_s=time.perf_counter() - started,
        jobs=jobs,
    )


def _write_metadata(
    root: Path,
    *,
    version: str,
    package_version: str,
    counts: dict[str, int],
    shards: dict[str, list[str]],
    card_inputs: list[tuple[str, FileEntry]],
    total_inputs: int,
    report_items: _JsonItems,
    failures: list[Failure],
    conflict_items: _JsonItems,
    merge: _MergeCounts,
    pages: int,
) -> None:
    """``schema/``, ``croissant.json``, ``README.md`` and ``build_report.json``."""
    from .card import CardInfo, render_card
    from .croissant import render_croissant
    from .features import write_schemas

    write_schemas(root / "schema")
    num_bytes = {
        config: sum(path.stat().st_size for path in (root / "hf" / config).glob("*.arrow"))
        for config in ENTITIES
    }
    info = CardInfo(
        dataset_version=version,
        schema_version=SCHEMA_VERSION,
        package_version=package_version,
        counts=counts,
        num_bytes=num_bytes,
        shards=shards,
        inputs=card_inputs,
        total_inputs=total_inputs,
        conflicting_documents=merge.conflicting,
        ambiguous_documents=len(merge.ambiguous),
    )
    write_json(root / "croissant.json", render_croissant(info))
    (root / "README.md").write_bytes(render_card(info).encode("utf-8"))
    report = {
        "format": REPORT_FORMAT,
        "dataset_version": version,
        "summary": {
            "inputs": pages,
            "built": pages - len(failures),
            "failed": len(failures),
            "counts": counts,
            "resolution_conflicts": conflict_items.count,
            "conflicting_documents": merge.conflicting,
            "ambiguous_documents": len(merge.ambiguous),
        },
        "ambiguous_documents": [
            {"resolution_id": rid, "candidates": candidates} for rid, candidates in merge.ambiguous
        ],
    }
    _write_json_streamed(
        root / REPORT_NAME,
        report,
        {"inputs": report_items.write_list, "resolution_conflicts": conflict_items.write_list},
    )
