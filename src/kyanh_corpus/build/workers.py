"""Extracting the pages, a chunk at a time: in the build's process, or in worker processes.

:func:`extract_chunk` turns a run of pages into a :class:`Chunk`: one :class:`Outcome` per page
(what the main process needs to know about it, its ``build_report.json`` entry rendered) and the
good pages' rows as Arrow tables. :class:`Workers` runs it over every chunk, results in input
order, in this process (``jobs`` 1) or in a pool of ``jobs`` spawned processes that hand their
rows over in Arrow IPC files (:meth:`Chunk.spill`), not through the result pipe.

Everything a worker runs must pickle, and a worker imports only what extraction needs: pyarrow
and the extractor are imported inside the functions, ``datasets`` never.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Final

from .. import gc_control
from ..dataset.json import pretty_json
from ..dataset.manifest import FileEntry, file_entry, sha256_file
from ..models import STREAMED_CONFIGS
from .inputs import InputFile
from .merge import FACTS, MENTION_COLUMNS, mention_column_type
from .report import Failure, jsonable, report_entry

if TYPE_CHECKING:
    from concurrent.futures import Future

    import pyarrow as pa

__all__ = [
    "CHUNK_INPUTS",
    "Chunk",
    "Outcome",
    "Workers",
    "chunk_size",
    "chunks",
    "extract_and_spill",
    "extract_chunk",
]

CHUNK_INPUTS: Final = 64
"""Most pages extracted as one unit of work (one worker task, one Arrow table per config)."""

Pages = list[tuple[str, str | None]]
"""A chunk of work: ``(page path, sidecar path or None)`` of each page, in input order."""


def chunk_size(total: int, jobs: int) -> int:
    """Pages per chunk: :data:`CHUNK_INPUTS`, fewer when ``jobs`` workers would otherwise share
    too few chunks (at least four each)."""
    if jobs <= 1:
        return CHUNK_INPUTS
    return max(1, min(CHUNK_INPUTS, total // (jobs * 4)))


def chunks(inputs: Sequence[InputFile], size: int) -> Iterator[Pages]:
    """The inputs in runs of ``size`` pages, as the workers take them."""
    for start in range(0, len(inputs), size):
        yield [(item.location, item.sidecar_location) for item in inputs[start : start + size]]


@dataclass
class Outcome:
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
class Chunk:
    """The outcomes of a run of pages, and the rows of its good pages."""

    outcomes: list[Outcome]
    tables: dict[str, pa.Table]
    """Rows of the chunk's good pages, per streamed config, in input order."""
    mentions: pa.Table | None
    """Document mentions of the chunk's good pages (``MENTION_COLUMNS``; the main process adds
    ``seq``)."""
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


def extract_chunk(paths: Sequence[tuple[str, str | None]], source: str | None) -> Chunk:
    """Extract a run of pages; never raises for a bad page (it becomes a failed outcome).

    The rows become tables with :func:`~kyanh_corpus.features.plain_arrow_schema` (which needs
    no ``datasets`` import): the ``huggingface`` schema metadata is put on by the writer.
    """
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


def extract_and_spill(
    paths: Sequence[tuple[str, str | None]], source: str | None, prefix: str
) -> Chunk:
    """:func:`extract_chunk` in a worker process, the rows handed over in files
    (:meth:`Chunk.spill`)."""
    chunk = extract_chunk(paths, source)
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

    from .. import extract  # noqa: F401

    gc_control.freeze()  # the imports are done; for the worker's lifetime


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored in this process for the duration (in the main thread; elsewhere a no-op:
    only the main thread may change signal handlers)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Workers:
    """Runs :func:`extract_chunk` over chunks, results in order: in this process (``jobs`` 1)
    or in a pool of ``jobs`` worker processes, at most ``3 * jobs`` chunks in flight.

    With a pool, the first chunks are submitted at once: the workers extract as soon as they
    have booted, while this process sets up its writers. Workers hand their rows over in files
    in the folder ``spill``.
    """

    def __init__(self, jobs: int, chunks: Iterable[Pages], source: str | None, spill: Path) -> None:
        self.jobs = jobs
        self.chunks = enumerate(chunks)
        self.source = source
        self.spill = spill
        self.pending: deque[Future[Chunk]] = deque()
        self.pool: Any = None
        if jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": a fresh interpreter per worker, safe with the threads pyarrow starts.
            # The workers are started with SIGINT ignored (an ignored signal stays ignored in a
            # new interpreter): Ctrl-C reaches the whole process group, and only this process
            # answers it (one line, the work folder removed); the workers end with it.
            with _sigint_ignored():
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
            self.pending.append(self.pool.submit(extract_and_spill, chunk, self.source, prefix))

    def run(self) -> Iterator[Chunk]:
        """The chunks' results, in order."""
        if self.pool is None:
            for _, chunk in self.chunks:
                yield extract_chunk(chunk, self.source)
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
