"""The build, from inputs to the swapped-in folder: :func:`build`.

inputs -> map (per partition: extract, write its shards) -> reduce (duplicates, the resolution
merge, hf/ metadata, card, report, manifest) -> swap (see the package docstring; each step is a
module of this package).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import gc_control
from ..dataset.json import JsonItems
from ..dataset.manifest import dataset_version, file_entry
from ..models import ENTITIES
from .faults import point
from .inputs import InputFile, collect_inputs_and_orphans
from .ledger import Ledger
from .map_step import MapTask, plan_partitions
from .merge import ResolutionMerger
from .metadata import write_descriptions, write_manifest
from .reduce_step import Reducer
from .report import BuildResult, BuildUsageError, MapReport, ReduceReport, new_result, write_report
from .sinks import DEFAULT_SHARD_ROWS, ConfigWriter, HfSink, ParquetSink, hf_fingerprint
from .staging import Stage, check_out, staged
from .workers import Mappers

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = ["MAP_PHASE", "METADATA_PHASE", "REDUCE_PHASE", "Phase", "Progress", "build"]

Progress = Callable[[int, int], None]
"""``progress(done, total)``, called as the build advances (see :data:`Phase`)."""
Phase = Callable[[str, int], None]
"""``phase(name, steps)``: a new stage of the build begins, of ``steps`` steps that ``progress``
then counts: :data:`MAP_PHASE` (one step a page), :data:`REDUCE_PHASE` (the resolution merge,
each config's files), :data:`METADATA_PHASE` (card, report, manifest)."""

MAP_PHASE = "map: extracting"
REDUCE_PHASE = "reduce: merging"
METADATA_PHASE = "reduce: metadata"


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
    executor: Executor | None = None,
) -> BuildResult:
    """Build the corpus from ``inputs`` into the folder ``out`` (see the package docstring).

    The map step runs in this process (``jobs`` 1), in ``jobs`` worker processes, or in the
    given ``executor`` (any ``concurrent.futures.Executor``; it must see this machine's files):
    the output is the same bytes whichever.

    Raises :class:`BuildUsageError` for a missing input, no input at all, a bad ``jobs`` or
    ``shard_rows``, or an ``out`` that is not safe to replace; ``OSError`` when the machine
    refuses (a full or read-only disk, a worker process killed), and then nothing already built
    has changed. Bad pages do not raise: they are in ``result.failures`` (and then
    ``result.written`` is False unless ``keep_going``).
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
    with staged(out) as stage:
        try:
            result = _build_into(
                pages, stage, jobs=jobs, keep_going=keep_going, shard_rows=shard_rows,
                source=source, progress=progress, phase=phase, started=started,
                executor=executor,
            )  # fmt: skip
        except sqlite3.Error as error:  # the ledger, on a full or failing disk
            raise OSError(f"{stage.work / 'ledger.sqlite'}: {error}") from None
        result.orphan_sidecars = orphans
        if result.written:
            point("swap")
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
    executor: Executor | None,
) -> BuildResult:
    """Map ``pages`` and reduce them into the built folder ``stage.root`` (not swapped yet)."""
    from .. import __version__

    root, work = stage.root, stage.work
    current = [MAP_PHASE]

    def step(name: str | None, done: int, total: int) -> None:
        """Announce phase ``name`` (when given) and report ``done`` of ``total``; without a
        ``phase`` callback only the map is reported (pages done of pages)."""
        if name is not None:
            current[0] = name
            if phase is not None:
                phase(name, total)
        if progress is not None and (phase is not None or current[0] == MAP_PHASE):
            progress(done, total)

    partitions = plan_partitions(pages, shard_rows)
    tasks = [
        MapTask(index, len(partitions), part, str(root), str(work), source)
        for index, part in enumerate(partitions)
    ]
    # Whatever is opened is closed on every way out (last opened, first closed).
    with contextlib.ExitStack() as cleanup:
        # the map: workers boot and extract while the reduce sets up
        mappers = Mappers(tasks, jobs=jobs, executor=executor)
        cleanup.callback(mappers.close)
        ledger = Ledger(work / "ledger.sqlite")
        cleanup.callback(ledger.close)
        merger = ResolutionMerger(work, ledger)
        cleanup.callback(merger.close)
        report_entries = JsonItems(work / "report-inputs.json")
        cleanup.callback(report_entries.close)
        conflicts = JsonItems(work / "report-conflicts.json")
        cleanup.callback(conflicts.close)
        # The imports are done: from here on the collector walks only the build's objects.
        cleanup.enter_context(gc_control.frozen())

        reducer = Reducer(
            root=root, work=work, partitions=len(tasks), ledger=ledger, merger=merger,
            report_entries=report_entries, keep_going=keep_going,
        )  # fmt: skip
        step(MAP_PHASE, 0, len(pages))
        map_seconds = 0.0
        for summary in mappers.run():
            map_seconds += summary.seconds
            reducer.take(summary)
            point("reduce-take")
            step(None, reducer.done, len(pages))
        mapped = time.perf_counter()
        mappers.close()
        report_entries.close()
        map_report = MapReport(len(tasks), len(pages), map_seconds, mapped - started)
        if not reducer.writing or reducer.built == 0:
            if not reducer.failures:  # pragma: no cover - every input failing is a failure
                raise AssertionError("nothing built and no failure recorded")
            result = new_result(
                stage.out, False, None, len(pages), reducer.built, reducer.failures, 0,
                reducer.raw_bytes, started, jobs,
            )  # fmt: skip
            result.map = map_report
            return result

        # the streamed configs' hf/ metadata, the resolutions merged and written
        version = dataset_version(ledger.input_sha256s(), presorted=True)
        point("merge")
        step(REDUCE_PHASE, 0, 2)
        shards = reducer.finish(version)
        resolutions = ConfigWriter(
            "resolutions", shard_rows,
            [ParquetSink(root, "resolutions"), HfSink(root, "resolutions")],
        )  # fmt: skip
        cleanup.callback(resolutions.abort)
        merge = merger.finish(resolutions, conflicts)
        step(None, 1, 2)
        hashed = dict(reducer.files)

        def fingerprint(names: list[str]) -> str:
            entries = [hashed.setdefault(name, file_entry(root / name)) for name in names]
            return hf_fingerprint("resolutions", version, entries)

        shards["resolutions"] = resolutions.close(fingerprint)
        step(None, 2, 2)
        counts = {**reducer.rows, "resolutions": resolutions.total}
        counts = {config: counts[config] for config in ENTITIES}
        shards = {config: shards[config] for config in ENTITIES}

        # metadata, then the manifest, last
        point("metadata")
        step(METADATA_PHASE, 0, 3)
        write_descriptions(
            root, version=version, package_version=__version__, counts=counts, shards=shards,
            card_inputs=reducer.card_inputs, total_inputs=ledger.input_count, merge=merge,
        )  # fmt: skip
        write_report(
            root, version=version, inputs=len(pages), failures=reducer.failures, counts=counts,
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
            stage.out, True, version, len(pages), reducer.built, reducer.failures,
            conflicts.count, reducer.raw_bytes, started, jobs,
        )  # fmt: skip
        result.counts, result.shards = counts, shards
        result.conflicting_documents = merge.conflicting
        result.ambiguous_documents = len(merge.ambiguous)
        result.map = map_report
        result.reduce = ReduceReport(
            seconds=reducer.seconds + time.perf_counter() - mapped,
            duplicates=reducer.duplicates,
            rewritten_shards=reducer.rewritten,
            documents=counts["resolutions"],
        )
        return result
