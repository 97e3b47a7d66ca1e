"""The build, from inputs to the swapped-in folder: :func:`build`.

inputs -> workers -> sinks -> merge -> metadata -> manifest -> swap (see the package docstring;
each step is a module of this package).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from .. import gc_control
from ..dataset.json import JsonItems
from ..dataset.manifest import FileEntry, dataset_version, file_entry
from ..models import ENTITIES, STREAMED_CONFIGS
from .inputs import InputFile, collect_inputs_and_orphans
from .intake import Intake
from .ledger import Ledger
from .merge import MergeCounts, ResolutionMerger
from .metadata import write_descriptions, write_manifest
from .report import BuildResult, BuildUsageError, new_result, write_report
from .sinks import DEFAULT_SHARD_ROWS, ConfigWriter, HfSink, ParquetSink, hf_fingerprint
from .staging import Stage, check_out, staged
from .workers import Workers, chunk_size, chunks

__all__ = ["Progress", "build"]

Progress = Callable[[int, int], None]
"""``progress(pages_done, pages_total)``, called as extraction advances."""
Phase = Callable[[str, int], None]
"""``phase(name, steps)``: a new stage of the build begins, of ``steps`` steps that ``progress``
then counts: "extracting" (one step a page), "merging and writing" (each config closed, the
merge, the checksums), "metadata" (card, report, manifest)."""


def build(
    inputs: Sequence[Path | str],
    out: Path | str,
    *,
    jobs: int = 1,
    keep_going: bool = False,
    shard_rows: int = DEFAULT_SHARD_ROWS,
    source: str | None = None,
    progress: Progress | None = None,
    phase: Phase | None = None,
) -> BuildResult:
    """Build the corpus from ``inputs`` into the folder ``out`` (see the package docstring).

    Raises :class:`BuildUsageError` for a missing input, no input at all, a bad ``jobs`` or
    ``shard_rows``, or an ``out`` that is not safe to replace. Bad pages do not raise: they are in
    ``result.failures`` (and then ``result.written`` is False unless ``keep_going``).
    """
    started = time.perf_counter()
    from ..extras import require

    # The hf/ form and the card's features need ``datasets``: say so before any work.
    require("datasets", "hf", "kyanh-corpus build (the hf/ form and the card's features)")
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
    with staged(out) as stage:
        result = _build_into(
            pages, stage, jobs=jobs, keep_going=keep_going, shard_rows=shard_rows,
            source=source, progress=progress, phase=phase, started=started,
        )  # fmt: skip
        result.orphan_sidecars = orphans
        if result.written:
            stage.swap()
    return result


def _build_into(
    pages: Sequence[InputFile],
    stage: Stage,
    *,
    jobs: int,
    keep_going: bool,
    shard_rows: int,
    source: str | None,
    progress: Progress | None,
    phase: Phase | None,
    started: float,
) -> BuildResult:
    """Extract ``pages`` and write the built folder into ``stage.root`` (not swapped yet)."""
    from .. import __version__

    root, work = stage.root, stage.work
    writers: dict[str, ConfigWriter] = {}

    current = ["extracting"]

    def step(name: str | None, done: int, total: int) -> None:
        """Announce phase ``name`` (when given) and report ``done`` of ``total``; without a
        ``phase`` callback only the extraction is reported (pages done of pages)."""
        if name is not None:
            current[0] = name
            if phase is not None:
                phase(name, total)
        if progress is not None and (phase is not None or current[0] == "extracting"):
            progress(done, total)

    # Whatever is opened is closed on every way out (last opened, first closed).
    with contextlib.ExitStack() as cleanup:
        ledger = Ledger(work / "ledger.sqlite")
        cleanup.callback(ledger.close)
        merger = ResolutionMerger(work, ledger)
        cleanup.callback(merger.close)
        report_entries = JsonItems(work / "report-inputs.json")
        cleanup.callback(report_entries.close)
        conflicts = JsonItems(work / "report-conflicts.json")
        cleanup.callback(conflicts.close)
        cleanup.callback(_abort, writers)

        # inputs -> workers: they boot and extract the first chunks while the sinks are set up
        workers = Workers(jobs, chunks(pages, chunk_size(len(pages), jobs)), source, work)
        cleanup.callback(workers.close)
        for config in ENTITIES:
            sinks = [ParquetSink(root, config), HfSink(root, work, config)]
            writers[config] = ConfigWriter(config, shard_rows, sinks)
        # The imports are done: from here on the collector walks only the build's objects.
        cleanup.enter_context(gc_control.frozen())

        # workers -> sinks: rows as they come; what the merge needs, to the ledger and disk
        intake = Intake(
            ledger=ledger, merger=merger, report_entries=report_entries, writers=writers,
            keep_going=keep_going,
        )  # fmt: skip
        step("extracting", 0, len(pages))
        for chunk in workers.run():
            intake.take(chunk)
            step(None, intake.done, len(pages))
        workers.close()
        report_entries.close()
        if not intake.writing or intake.built == 0:
            if not intake.failures:  # pragma: no cover - every input failing is a failure
                raise AssertionError("nothing built and no failure recorded")
            return new_result(
                stage.out, False, None, len(pages), intake.built, intake.failures, 0,
                intake.raw_bytes, started, jobs,
            )  # fmt: skip

        # sinks closed, resolutions merged
        version = dataset_version(ledger.input_sha256s(), presorted=True)
        closing = len(writers) + 1  # every config's sinks, and the merge
        step("merging and writing", 0, closing)
        shards, hashed, merge = _close_and_merge(
            root, writers, merger, conflicts, version, jobs, lambda done: step(None, done, closing)
        )
        counts = {config: writer.total for config, writer in writers.items()}

        # metadata, then the manifest, last
        step("metadata", 0, 3)
        write_descriptions(
            root, version=version, package_version=__version__, counts=counts, shards=shards,
            card_inputs=intake.card_inputs, total_inputs=ledger.input_count, merge=merge,
        )  # fmt: skip
        write_report(
            root, version=version, inputs=len(pages), failures=intake.failures, counts=counts,
            entries=report_entries, conflicts=conflicts, merge=merge,
        )  # fmt: skip
        step(None, 2, 3)
        write_manifest(
            root, version=version, package_version=__version__, counts=counts, shards=shards,
            hashed=hashed, ledger=ledger,
        )  # fmt: skip
        step(None, 3, 3)
        ledger.close()
        stage.drop_work()

        result = new_result(
            stage.out, True, version, len(pages), intake.built, intake.failures, conflicts.count,
            intake.raw_bytes, started, jobs,
        )  # fmt: skip
        result.counts, result.shards = counts, shards
        result.conflicting_documents = merge.conflicting
        result.ambiguous_documents = len(merge.ambiguous)
        return result


def _close_and_merge(
    root: Path,
    writers: Mapping[str, ConfigWriter],
    merger: ResolutionMerger,
    conflicts: JsonItems,
    version: str,
    jobs: int,
    advance: Callable[[int], None],
) -> tuple[dict[str, list[str]], dict[str, FileEntry], MergeCounts]:
    """Close the streamed configs' sinks, merge the resolutions into theirs, close those;
    returns each config's data files, the files hashed so far, and what the merge found."""
    shards: dict[str, list[str]] = {}
    hashed: dict[str, FileEntry] = {}
    done = [0]
    lock = threading.Lock()  # closing runs beside the merge with two jobs

    def step_done() -> None:
        with lock:
            done[0] += 1
            advance(done[0])

    def close(config: str) -> None:
        """Close the config's sinks: its data files, hashed, then its hf/ copy."""

        def fingerprint(names: list[str]) -> str:
            entries = [hashed.setdefault(name, file_entry(root / name)) for name in names]
            return hf_fingerprint(config, version, entries)

        shards[config] = writers[config].close(fingerprint)
        step_done()

    def close_streamed() -> None:
        for config in STREAMED_CONFIGS:
            close(config)

    if jobs > 1:
        # Given two cores, the streamed configs' hf/ copies (Arrow I/O and hashing, which
        # release the GIL) are written by a thread while this one merges the resolutions.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1, thread_name_prefix="kyanh-corpus-hf") as threads:
            streamed = threads.submit(close_streamed)
            merge = merger.finish(writers["resolutions"], conflicts)
            step_done()
            streamed.result()
    else:
        close_streamed()
        merge = merger.finish(writers["resolutions"], conflicts)
        step_done()
    close("resolutions")
    return {config: shards[config] for config in writers}, hashed, merge


def _abort(writers: Mapping[str, ConfigWriter]) -> None:
    """Close whatever the writers still hold open (after a failure)."""
    for writer in writers.values():
        writer.abort()
