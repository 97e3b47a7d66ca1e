"""What a build tells its caller, and ``build_report.json``.

* :class:`BuildResult` -- what :func:`~kyanh_corpus.build.build` returns (the CLI's ``--json``);
* :class:`Failure` -- an input that could not become records (a diagnostic of kind
  ``extraction``); every failure is reported, never raised;
* :class:`BuildUsageError` -- the build was asked something impossible (raised: exit code 2);
* :func:`report_entry` and :func:`write_report` -- ``build_report.json``: per input its status,
  line accounting, warnings and errors; the resolution facts the corpus disagrees on.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..dataset.json import JsonItems, write_json_streamed
from ..dataset.paths import REPORT_NAME
from ..errors import Diagnostic, DiagnosticKind, UsageError

if TYPE_CHECKING:
    from .map_step import Outcome
    from .merge import MergeCounts

__all__ = [
    "REPORT_FORMAT",
    "REPORT_NAME",
    "BuildResult",
    "BuildUsageError",
    "Failure",
    "MapReport",
    "ReduceReport",
    "jsonable",
    "new_result",
    "report_entry",
    "write_report",
]

REPORT_FORMAT: Final = "kyanh-corpus-build-report/1"
"""Value of ``build_report.json``'s ``format`` key."""


class BuildUsageError(UsageError, ValueError):
    """The build was asked something impossible (missing input, unsafe ``--out``): exit 2."""


class Failure(Diagnostic):
    """Why one input could not become records: a :class:`~kyanh_corpus.errors.Diagnostic` of
    kind ``extraction`` naming the file (the page, or its sidecar), the line when known, the
    field when the problem is one value, and the reason (its ``message``).

    Its text and JSON forms are the build's own, unchanged: ``file:line: reason`` (what the CLI
    prints) and ``{"file", "line", "reason", "field"}`` (``build_report.json`` and ``--json``).

    >>> failure = Failure("a.txt", 3, "no headline found")
    >>> str(failure), failure.reason, failure.kind.value
    ('a.txt:3: no headline found', 'no headline found', 'extraction')
    """

    def __init__(self, file: str, line: int | None, reason: str, field: str | None = None) -> None:
        super().__init__(DiagnosticKind.EXTRACTION, file, reason, line=line, field=field)

    def __reduce__(self) -> tuple[Any, ...]:
        # Workers hand failures to the main process: pickled as the constructor's arguments.
        return (Failure, (self.file, self.line, self.message, self.field))

    @property
    def reason(self) -> str:
        return self.message

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.reason}"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reason": self.reason, "field": self.field}


@dataclass(frozen=True)
class MapReport:
    """What the map step did (``--json``'s ``map``)."""

    partitions: int
    """Partitions the pages were cut into (each one shard of every streamed config)."""
    pages: int
    seconds: float
    """The partitions' own times, summed (CPU-bound work: with two workers, about twice the
    wall time)."""
    wall_seconds: float
    """From the build's start until the last partition was taken."""

    def to_json(self) -> dict[str, Any]:
        return {
            "partitions": self.partitions,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "wall_seconds": round(self.wall_seconds, 3),
        }


@dataclass(frozen=True)
class ReduceReport:
    """What the reduce step did (``--json``'s ``reduce``)."""

    seconds: float
    """Time spent reducing: taking the summaries, then merging and writing the rest."""
    duplicates: int
    """Pages found to copy a page of an earlier partition (failures)."""
    rewritten_shards: int
    """Shards rewritten without such copies (``--keep-going``)."""
    documents: int
    """Resolution rows written (documents merged across articles)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 3),
            "duplicates": self.duplicates,
            "rewritten_shards": self.rewritten_shards,
            "documents": self.documents,
        }


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
    map: MapReport | None = None
    """The map step (None when the build stopped before it)."""
    reduce: ReduceReport | None = None
    """The reduce step (None when nothing was written)."""

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
            "map": None if self.map is None else self.map.to_json(),
            "reduce": None if self.reduce is None else self.reduce.to_json(),
        }


def new_result(
    out: Path,
    written: bool,
    version: str | None,
    inputs: int,
    built: int,
    failures: list[Failure],
    conflicts: int,
    raw_bytes: int,
    started: float,
    jobs: int,
) -> BuildResult:
    """A :class:`BuildResult` timed from ``started`` (``time.perf_counter()``), with no counts
    nor shards yet."""
    return BuildResult(
        out=out,
        written=written,
        dataset_version=version,
        counts={},
        shards={},
        inputs=inputs,
        built=built,
        failures=failures,
        conflicts=conflicts,
        raw_bytes=raw_bytes,
        elapsed_s=time.perf_counter() - started,
        jobs=jobs,
    )


def jsonable(value: Any) -> Any:
    """A warning (string, dataclass, model, exception...) or a fact as a JSON value."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return jsonable(dump(mode="json"))
    if hasattr(value, "__dataclass_fields__"):
        return {name: jsonable(getattr(value, name)) for name in value.__dataclass_fields__}
    return str(value)


def report_entry(outcome: Outcome) -> dict[str, Any]:
    """The ``build_report.json`` entry of one input."""
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


def write_report(
    root: Path,
    *,
    version: str,
    inputs: int,
    failures: Sequence[Failure],
    counts: dict[str, int],
    entries: JsonItems,
    conflicts: JsonItems,
    merge: MergeCounts,
) -> None:
    """``build_report.json``: the summary, the ambiguous documents, then every input's entry
    (``entries``, spilled as the inputs came) and every conflicting fact (``conflicts``)."""
    report = {
        "format": REPORT_FORMAT,
        "dataset_version": version,
        "summary": {
            "inputs": inputs,
            "built": inputs - len(failures),
            "failed": len(failures),
            "counts": counts,
            "resolution_conflicts": conflicts.count,
            "conflicting_documents": merge.conflicting,
            "ambiguous_documents": len(merge.ambiguous),
        },
        "ambiguous_documents": [
            {"resolution_id": rid, "candidates": candidates} for rid, candidates in merge.ambiguous
        ],
    }
    write_json_streamed(
        root / REPORT_NAME,
        report,
        {"inputs": entries.write_list, "resolution_conflicts": conflicts.write_list},
    )
