"""The outcome of a validation run (:class:`Report`) and how each check adds to it.

Every problem found is an :class:`~kyanh_corpus.errors.Diagnostic`. The checks run as *units of
work* (a byte range of a JSON Lines file, some row groups of a Parquet file, one file's
checksum, the cross-file checks of a folder; see :mod:`.runner`): a unit gathers its
diagnostics in a :class:`Collector`, which keeps them up to a budget -- the first one beyond it
stops the unit -- and hands back a :class:`UnitResult`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from ..errors import VALUE_WIDTH, Diagnostic, DiagnosticKind, clip, field_path
from .patterns import pattern_message

if TYPE_CHECKING:
    from ..limits import JsonLimitError
    from .foreign import Problem

DEFAULT_MAX_ERRORS: Final = 100
"""Errors reported before checking stops (``--max-errors``; 0 means no limit)."""


@dataclass
class Report:
    """The outcome of a validation run."""

    files: list[str] = field(default_factory=list)
    records: int = 0
    issues: list[Diagnostic] = field(default_factory=list)
    truncated: bool = False
    seconds: float = 0.0

    @property
    def valid(self) -> bool:
        return not self.issues

    def counts(self) -> dict[str, int]:
        """Errors by kind."""
        return dict(sorted(Counter(str(issue.kind) for issue in self.issues).items()))

    def summary(self) -> str:
        files = f"{len(self.files)} file{'s' if len(self.files) != 1 else ''}"
        head = f"checked {self.records:,} records in {files} ({self.seconds:.1f} s)"
        if self.valid:
            return f"{head}: valid"
        kinds = ", ".join(f"{kind}: {count}" for kind, count in self.counts().items())
        tail = " -- stopped early (--max-errors)" if self.truncated else ""
        plural = "s" if len(self.issues) != 1 else ""
        return f"{head}: {len(self.issues)} error{plural} ({kinds}){tail}"

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "records": self.records,
            "files": self.files,
            "error_counts": self.counts(),
            "truncated": self.truncated,
            "errors": [issue.to_json() for issue in self.issues],
        }


class ClippedValue:
    """Stands for an offending value too long to keep: its ``repr`` is the clipped text shown.

    A diagnostic keeps the value it shows; a 5 MB string that fails a check must not stay in the
    report (nor be sent back from a worker process) only to be shown as 80 characters.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClippedValue) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def kept_value(value: Any) -> Any:
    """``value`` itself when it is shown whole, else a :class:`ClippedValue` of what is shown."""
    return value if len(repr(value)) <= VALUE_WIDTH else ClippedValue(clip(value))


class Collector:
    """Diagnostics of one unit of work, up to a budget; the first one beyond it stops the unit
    (raises :class:`Collector.Full`, which the unit catches)."""

    class Full(Exception):
        pass

    def __init__(self, budget: int | None) -> None:
        self.budget = budget
        self.issues: list[Diagnostic] = []
        self.stopped = False

    def add(self, issue: Diagnostic) -> None:
        if self.budget is not None and len(self.issues) >= self.budget:
            self.stopped = True
            raise Collector.Full
        self.issues.append(issue)

    def add_limit(
        self, error: JsonLimitError, file: str, *, line: int, row: int | None = None
    ) -> None:
        """The diagnostic of a record beyond a JSON limit or with a duplicate key
        (:func:`kyanh_corpus.limits.json_problem`); ``line`` is the record's first line."""
        kind = DiagnosticKind.JSON if error.limit == "duplicate_key" else DiagnosticKind.LIMIT
        issue = Diagnostic(
            kind, file, error.reason, line=line + error.line - 1, row=row, field=error.field
        )
        if error.shown is not None:
            issue = replace(issue, value=ClippedValue(error.shown))
        self.add(issue)

    def add_validation(
        self,
        error: ValidationError,
        file: str,
        *,
        line: int | None = None,
        row: int | None = None,
        batch_rows: int | None = None,
        skip: frozenset[tuple[int | None, str | None]] = frozenset(),
    ) -> None:
        """Diagnostics of a Pydantic error; with ``batch_rows`` the first loc part is a row index.

        The offending value is kept (except for a missing field, whose "input" is the record
        around it); a pattern error says in words what is expected (:mod:`.patterns`). Errors at
        a ``(row, field)`` in ``skip`` are already reported (:meth:`add_problems`).
        """
        for detail in error.errors(include_url=False):
            loc = tuple(detail["loc"])
            where_row = row
            if batch_rows is not None and loc and isinstance(loc[0], int):
                where_row = (row or 0) + loc[0]
                loc = loc[1:]
            if detail["type"] == "json_invalid":
                message = f"not JSON: {detail['msg']}"
                raw = detail["input"]
                if isinstance(raw, bytes | bytearray):
                    raw = bytes(raw).decode("utf-8", "replace")
                self.add(
                    Diagnostic(
                        DiagnosticKind.JSON,
                        file,
                        message,
                        line=line,
                        row=where_row,
                        value=kept_value(raw),
                    )
                )
                continue
            path = field_path(loc)
            if (where_row, path) in skip:
                continue
            message = detail["msg"]
            if detail["type"] == "string_pattern_mismatch":
                message = pattern_message(str(detail.get("ctx", {}).get("pattern")), message)
            shown = {} if detail["type"] == "missing" else {"value": kept_value(detail["input"])}
            self.add(
                Diagnostic(
                    DiagnosticKind.RECORD,
                    file,
                    message,
                    line=line,
                    row=where_row,
                    field=path,
                    type=detail["type"],
                    **shown,
                )
            )

    def add_problems(
        self,
        problems: list[Problem],
        file: str,
        *,
        line: int | None = None,
        row: int | None = None,
    ) -> frozenset[tuple[int | None, str | None]]:
        """Diagnostics of values another tool wrote that lose something (:mod:`.foreign`);
        returns their ``(row, field)`` pairs (to skip in :meth:`add_validation`)."""
        for problem in problems:
            self.add(
                Diagnostic(
                    DiagnosticKind.RECORD,
                    file,
                    problem.message,
                    line=line,
                    row=row,
                    field=field_path(problem.loc),
                    value=kept_value(problem.value),
                    type=problem.type,
                )
            )
        return frozenset((row, field_path(problem.loc)) for problem in problems)

    def result(self, records: int = 0, lines: int = 0) -> UnitResult:
        """What the unit found."""
        return UnitResult(records, lines, self.issues, self.stopped)


@dataclass
class UnitResult:
    """What one unit of work found: records checked, lines read (JSON Lines, to renumber the
    lines of the next unit of the same file), diagnostics, and whether it stopped early."""

    records: int = 0
    lines: int = 0
    issues: list[Diagnostic] = field(default_factory=list)
    stopped: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # A worker process sends its result back pickled. A Diagnostic without a value holds a
        # private sentinel that pickling would turn into an ordinary object (then shown as the
        # value), so diagnostics travel as plain tuples and are rebuilt on arrival.
        issues = [_portable(issue) for issue in self.issues]
        return (_unit_result, (self.records, self.lines, issues, self.stopped))


_Portable = tuple[str, str, str, int | None, int | None, str | None, str | None, bool, Any]


def _portable(issue: Diagnostic) -> _Portable:
    value = issue.value if issue.has_value else None
    return (
        str(issue.kind),
        issue.file,
        issue.message,
        issue.line,
        issue.row,
        issue.field,
        issue.type,
        issue.has_value,
        value,
    )


def _diagnostic(portable: _Portable) -> Diagnostic:
    kind, file, message, line, row, field_, type_, has_value, value = portable
    if has_value:
        return Diagnostic(
            DiagnosticKind(kind), file, message, line, row, field_, value=value, type=type_
        )
    return Diagnostic(DiagnosticKind(kind), file, message, line, row, field_, type=type_)


def _unit_result(records: int, lines: int, issues: list[_Portable], stopped: bool) -> UnitResult:
    return UnitResult(records, lines, [_diagnostic(issue) for issue in issues], stopped)
