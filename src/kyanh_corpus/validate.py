"""Validate records (JSON Lines, JSON, Parquet) and built folders against the models.

Files
    ``.jsonl``/``.ndjson`` (one record per line), ``.json`` (one record object, or an array of
    records) and ``.parquet``. The entity comes from ``entity=`` or is inferred: first from the file
    or folder name (``articles.jsonl``, ``data/interview_turns/train-...parquet``), else from the
    keys of the first record. Files are streamed: JSON Lines in 1 MiB blocks split at newlines
    (the unfinished piece of a line is carried over only up to ``max_line_bytes``, so an over-long
    line costs no more memory than the bound), JSON arrays element by element by an incremental
    scanner, Parquet batch by batch. Memory does not grow with the size of a file.

    A line longer than ``max_line_bytes`` (default :data:`MAX_LINE_BYTES`, 8 MiB), or that is not
    JSON, is an error on that line and checking goes on with the next line. Blank lines are
    skipped; a UTF-8 byte order mark at the start of a file is ignored.

Built folders (a directory with ``manifest.json``)
    the manifest and every file's size and SHA-256 (no file missing, none unlisted), every
    config's row count, the Arrow schema (and ``huggingface`` metadata) of every Parquet file,
    every record against its model, unique primary keys, foreign keys (interview turns,
    resolution mentions and sources name an existing article), every span inside its article's
    source text and equal, whitespace folded, to the text it claims; and staleness: the
    ``schema/`` files and the card's ``dataset_info`` must be what the models derive now.

Errors
    Each :class:`Issue` has the file, the 1-based ``line`` (JSON Lines, JSON) or the 0-based
    ``row`` (Parquet, and the element index of a JSON array), the field path (from Pydantic's
    ``loc``: ``paragraphs[3].span.end``), a message and a ``kind``: ``record`` (fails the model;
    ``type`` is Pydantic's error type), ``json``, ``too_long``, ``file``, ``schema``, ``manifest``,
    ``missing``, ``unlisted``, ``size``, ``checksum``, ``rows``, ``primary_key``,
    ``foreign_key``, ``span`` and ``stale``. After ``max_errors`` errors (0: no limit) checking
    stops at the next error and the report says it was truncated.

``jobs`` > 1 splits the work (byte ranges of JSON Lines files, row groups of Parquet files, file
checksums, the cross-file checks of a folder) over that many processes; the errors are the same
as with one process, in the same order (only the count of records checked can be higher when
checking stopped early).
"""

from __future__ import annotations

import heapq
import importlib
import itertools
import json
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from .errors import DataError, UsageError, field_path
from .features import plain_arrow_schema as expected_schema
from .gc_control import frozen, paused
from .models import ENTITIES, PRIMARY_KEYS, SCHEMA_NAMES

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEFAULT_MAX_ERRORS",
    "MAX_LINE_BYTES",
    "Issue",
    "JsonSyntaxError",
    "Progress",
    "Report",
    "UsageError",
    "infer_entity",
    "iter_json_values",
    "validate_folder",
    "validate_paths",
]

MAX_LINE_BYTES: Final = 8 * 1024 * 1024
"""Longest JSON Lines line (and JSON record) accepted, in bytes, newline excluded."""

DEFAULT_MAX_ERRORS: Final = 100
"""Errors reported before checking stops (``--max-errors``; 0 means no limit)."""

JSONL_SUFFIXES: Final = (".jsonl", ".ndjson")
JSON_SUFFIXES: Final = (".json",)
PARQUET_SUFFIXES: Final = (".parquet",)

_UNIT_BYTES: Final = 8 * 1024 * 1024
"""Target size of one unit of work on a JSON Lines file (progress and parallelism grain)."""

_CHUNK: Final = 1 << 20
_BOM: Final = b"\xef\xbb\xbf"
_SEPARATORS: Final = "-_. "


@dataclass(frozen=True)
class Issue:
    """One error found: where, what, and of which kind."""

    file: str
    kind: str
    message: str
    line: int | None = None
    row: int | None = None
    field: str | None = None
    type: str | None = None

    def location(self) -> str:
        """``file:line``, ``file row N`` or ``file``."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.row is not None:
                where += f" (item {self.row})"
        elif self.row is not None:
            where += f" row {self.row}"
        return where

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        kind = f"{self.kind}: {self.type}" if self.type else self.kind
        return f"{self.location()}: {field}{self.message} [{kind}]"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "row": self.row,
            "field": self.field,
            "kind": self.kind,
            "type": self.type,
            "message": self.message,
        }


@dataclass
class Report:
    """The outcome of a validation run."""

    files: list[str] = field(default_factory=list)
    records: int = 0
    issues: list[Issue] = field(default_factory=list)
    truncated: bool = False
    seconds: float = 0.0

    @property
    def valid(self) -> bool:
        return not self.issues

    def counts(self) -> dict[str, int]:
        """Errors by kind."""
        return dict(sorted(Counter(issue.kind for issue in self.issues).items()))

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


# --------------------------------------------------------------------------- helpers


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class _Collector:
    """Issues of one unit of work, up to a budget; the first one beyond it stops the unit."""

    class Full(Exception):
        pass

    def __init__(self, budget: int | None) -> None:
        self.budget = budget
        self.issues: list[Issue] = []
        self.stopped = False

    def add(self, issue: Issue) -> None:
        if self.budget is not None and len(self.issues) >= self.budget:
            self.stopped = True
            raise _Collector.Full
        self.issues.append(issue)

    def add_validation(
        self,
        error: ValidationError,
        file: str,
        *,
        line: int | None = None,
        row: int | None = None,
        batch_rows: int | None = None,
    ) -> None:
        """Issues of a Pydantic error; with ``batch_rows`` the first loc part is a row index."""
        for detail in error.errors(include_url=False, include_input=False, include_context=False):
            loc = tuple(detail["loc"])
            where_row = row
            if batch_rows is not None and loc and isinstance(loc[0], int):
                where_row = (row or 0) + loc[0]
                loc = loc[1:]
            if detail["type"] == "json_invalid":
                self.add(Issue(file, "json", f"not JSON: {detail['msg']}", line, where_row))
            else:
                self.add(
                    Issue(
                        file,
                        "record",
                        detail["msg"],
                        line,
                        where_row,
                        field_path(loc),
                        detail["type"],
                    )
                )


@dataclass
class _Result:
    """What one unit of work found."""

    records: int = 0
    lines: int = 0
    issues: list[Issue] = field(default_factory=list)
    stopped: bool = False


def _validator(entity: str) -> Any:
    return ENTITIES[entity].__pydantic_validator__


# --------------------------------------------------------------------------- JSON Lines


def _read_line(handle: IO[bytes], limit: int) -> tuple[bytes, int, bool]:
    """One line of at most ``limit`` bytes (newline excluded): (line, bytes consumed, too long).

    An over-long line is consumed to its end in chunks and returned empty.
    """
    line = handle.readline(limit + 1)
    size = len(line)
    if size > limit and not line.endswith(b"\n"):
        while not line.endswith(b"\n"):
            line = handle.readline(_CHUNK)
            if not line:
                break
            size += len(line)
        return b"", size, True
    return line, size, False


def _run_jsonl(
    path: str, entity: str, start: int, end: int, max_line: int, budget: int | None
) -> _Result:
    """Validate the lines starting in ``[start, end)`` (``start`` is at a line start).

    The range is read in blocks and split at newlines; the piece of a line not yet complete is
    carried to the next block, and dropped as soon as it is longer than ``max_line`` (the rest
    of that line is skipped), so memory holds one block and at most ``max_line`` bytes. Line
    numbers of the issues are relative to ``start`` (the caller shifts them).
    """
    result = _Result()
    issues = _Collector(budget)
    validate_json = _validator(entity).validate_json
    too_long = f"line longer than {max_line:,} bytes (--max-line-bytes)"
    lineno = 0  # lines completed so far
    records = 0
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            remaining = end - start
            pending = b""  # the start of a line whose end is not read yet
            skipping = False  # inside an over-long line, already reported
            while True:
                block = handle.read(min(_CHUNK, remaining)) if remaining > 0 else b""
                remaining -= len(block)
                if block:
                    lines = block.split(b"\n")
                    tail = lines.pop()
                    if skipping:
                        if not lines:
                            continue  # still inside the over-long line
                        lineno += 1
                        skipping = False
                        del lines[0]
                    elif pending:
                        if lines:
                            lines[0] = pending + lines[0]
                        else:
                            tail = pending + tail
                    pending = tail
                    if len(pending) > max_line:
                        records += 1
                        issues.add(Issue(path, "too_long", too_long, lineno + len(lines) + 1))
                        pending = b""
                        skipping = True
                elif pending:
                    lines = [pending]  # the last line has no newline
                    pending = b""
                else:
                    if skipping:
                        lineno += 1
                    break
                if lineno == 0 and start == 0 and lines and lines[0].startswith(_BOM):
                    lines[0] = lines[0][3:]
                for line in lines:
                    lineno += 1
                    if not line:
                        continue
                    records += 1
                    if len(line) > max_line:
                        issues.add(Issue(path, "too_long", too_long, lineno))
                        continue
                    try:
                        validate_json(line)
                    except ValidationError as error:
                        if line.isspace():  # a blank line: skipped, not a record
                            records -= 1
                            continue
                        issues.add_validation(error, path, line=lineno)
    except _Collector.Full:
        pass
    result.records = records
    result.lines = lineno
    result.issues = issues.issues
    result.stopped = issues.stopped
    return result


def _line_start_after(handle: IO[bytes], offset: int) -> int:
    """The first line start at or after ``offset``."""
    if offset <= 0:
        return 0
    handle.seek(offset - 1)
    while True:
        chunk = handle.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return handle.tell()


def _jsonl_ranges(path: str, parts: int) -> list[tuple[int, int]]:
    size = os.path.getsize(path)
    count = max(1, min(parts, -(-size // max(1, _UNIT_BYTES // 8))))
    count = max(count, -(-size // _UNIT_BYTES))
    bounds = [0]
    with open(path, "rb") as handle:
        for k in range(1, count):
            bounds.append(max(bounds[-1], _line_start_after(handle, size * k // count)))
    bounds.append(size)
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a] or [(0, 0)]


# --------------------------------------------------------------------------- JSON


_STRUCTURAL = re.compile(rb'[\[\]{}",]')
_IN_STRING = re.compile(rb'["\\]')
_NOT_SPACE = re.compile(rb"[^ \t\r\n]")


class JsonSyntaxError(DataError):
    """A JSON file whose top-level structure is broken (where the scan had to stop)."""

    def __init__(self, message: str, line: int, item: int | None) -> None:
        super().__init__(message)
        self.line = line
        self.item = item


class _JsonScanner:
    """Splits a JSON array (or a single object) into its top-level values, incrementally.

    Only the value being scanned is held in memory (a value beyond ``max_bytes`` is skipped and
    reported); the scanner tracks strings, escapes and nesting, not JSON grammar -- each value is
    then parsed and validated by Pydantic.
    """

    def __init__(self, handle: IO[bytes], max_bytes: int, chunk: int = _CHUNK) -> None:
        self.handle = handle
        self.max_bytes = max_bytes
        self.chunk = chunk
        self.buf = b""
        self.eof = False
        self.line = 1  # line number at self.line_pos
        self.line_pos = 0

    def _more(self, keep_from: int) -> int:
        """Drop ``buf[:keep_from]``, read a chunk; returns how many bytes were dropped."""
        self.line_at(keep_from)
        self.line_pos -= keep_from
        self.buf = self.buf[keep_from:]
        data = self.handle.read(self.chunk)
        if data:
            self.buf += data
        else:
            self.eof = True
        return keep_from

    def line_at(self, index: int) -> int:
        """The line number of ``buf[index]`` (indices only move forward)."""
        if index > self.line_pos:
            self.line += self.buf.count(b"\n", self.line_pos, index)
            self.line_pos = index
        return self.line

    def skip_space(self, index: int) -> int:
        """Index of the next non-space byte (reading more as needed); len(buf) at EOF."""
        while True:
            match = _NOT_SPACE.search(self.buf, index)
            if match:
                return match.start()
            if self.eof:
                return len(self.buf)
            index -= self._more(index)

    def byte_at(self, index: int) -> int | None:
        return self.buf[index] if index < len(self.buf) else None

    def value(self, start: int) -> tuple[int, bytes | None, int]:
        """Scan the value starting at ``start``: (its line, its bytes or None if too long, end).

        Raises ``ValueError`` when the file ends inside the value.
        """
        line = self.line_at(start)
        i = start
        depth = 0
        in_string = False
        keep = True
        while True:
            if in_string:
                match = _IN_STRING.search(self.buf, i)
                if match and self.buf[match.start()] == 0x5C:  # a backslash escapes one byte
                    if match.start() + 1 < len(self.buf):
                        i = match.start() + 2
                        continue
                    i = match.start()  # the escaped byte is not read yet
                elif match:
                    in_string = False
                    i = match.start() + 1
                    if depth == 0:
                        return self._done(line, start, i, keep)
                    continue
                else:
                    i = len(self.buf)
            else:
                match = _STRUCTURAL.search(self.buf, i)
                if match:
                    at = match.start()
                    char = self.buf[at]
                    if char == 0x22:  # "
                        in_string = True
                        i = at + 1
                    elif char in b"[{":
                        depth += 1
                        i = at + 1
                    elif char in b"]}":
                        if depth == 0:
                            return self._done(line, start, at, keep)
                        depth -= 1
                        i = at + 1
                        if depth == 0:
                            return self._done(line, start, i, keep)
                    else:  # ,
                        if depth == 0:
                            return self._done(line, start, at, keep)
                        i = at + 1
                    continue
                i = len(self.buf)
            # need more input
            if self.eof:
                if depth == 0 and not in_string:
                    return self._done(line, start, len(self.buf), keep)
                raise ValueError("the file ends inside a value")
            if keep and i - start > self.max_bytes:
                keep = False
            dropped = self._more(start if keep else i)
            start -= dropped
            i -= dropped

    def _done(self, line: int, start: int, end: int, keep: bool) -> tuple[int, bytes | None, int]:
        if keep and end - start > self.max_bytes:
            keep = False
        return line, (self.buf[start:end] if keep else None), end


def iter_json_values(
    handle: IO[bytes], max_bytes: int = MAX_LINE_BYTES, chunk: int = _CHUNK
) -> Iterator[tuple[int, int | None, bytes | None]]:
    r"""The records of a JSON file, one at a time: (line, item index, bytes or None if too long).

    The file holds one value (item index None) or an array of values (item 0, 1, ...).
    Raises :class:`JsonSyntaxError` where the top-level structure breaks.

    >>> import io
    >>> list(iter_json_values(io.BytesIO(b'[{"a": "]"},\n {"b": [1, {}]}]')))
    [(1, 0, b'{"a": "]"}'), (2, 1, b'{"b": [1, {}]}')]
    """
    scanner = _JsonScanner(handle, max_bytes, chunk)
    scanner._more(0)
    while len(scanner.buf) < 3 and not scanner.eof:
        scanner._more(0)
    if scanner.buf.startswith(_BOM):
        scanner.buf = scanner.buf[3:]
    i = scanner.skip_space(0)
    if scanner.byte_at(i) is None:
        raise JsonSyntaxError("empty file: expected a JSON object or an array", 1, None)
    if scanner.byte_at(i) != 0x5B:  # [: else a single value
        try:
            line, data, i = scanner.value(i)
        except ValueError as error:
            raise JsonSyntaxError(str(error), scanner.line, None) from None
        end = scanner.skip_space(i)
        if scanner.byte_at(end) is not None:
            message = "expected one JSON object or an array of objects"
            raise JsonSyntaxError(message, scanner.line_at(end), None)
        yield line, None, data
        return
    i = scanner.skip_space(i + 1)
    item = 0
    if scanner.byte_at(i) != 0x5D:  # ]
        while True:
            try:
                line, data, i = scanner.value(i)
            except ValueError as error:
                raise JsonSyntaxError(str(error), scanner.line, item) from None
            if data is not None and not data.strip():
                raise JsonSyntaxError("expected a value", line, item)
            yield line, item, data
            item += 1
            i = scanner.skip_space(i)
            if scanner.byte_at(i) == 0x2C:  # ,
                i = scanner.skip_space(i + 1)
                continue
            if scanner.byte_at(i) == 0x5D:
                break
            if scanner.byte_at(i) is None:
                raise JsonSyntaxError("the file ends inside the array", scanner.line_at(i), item)
            message = "expected ',' or ']' after an array item"
            raise JsonSyntaxError(message, scanner.line_at(i), item)
    end = scanner.skip_space(i + 1)
    if scanner.byte_at(end) is not None:
        raise JsonSyntaxError("extra data after the array", scanner.line_at(end), None)


def _run_json(path: str, entity: str, max_line: int, budget: int | None) -> _Result:
    """Validate a JSON file holding one record object or an array of records."""
    result = _Result()
    issues = _Collector(budget)
    validate_json = _validator(entity).validate_json
    try:
        with open(path, "rb") as handle:
            try:
                for line, item, data in iter_json_values(handle, max_line):
                    result.records += 1
                    if data is None:
                        message = f"record longer than {max_line:,} bytes (--max-line-bytes)"
                        issues.add(Issue(path, "too_long", message, line, item))
                        continue
                    try:
                        validate_json(data)
                    except ValidationError as error:
                        issues.add_validation(error, path, line=line, row=item)
            except JsonSyntaxError as error:
                issues.add(Issue(path, "json", str(error), error.line, error.item))
    except _Collector.Full:
        pass
    result.issues = issues.issues
    result.stopped = issues.stopped
    return result


# --------------------------------------------------------------------------- Parquet


def _schema_problem(schema: pa.Schema, entity: str, *, require_metadata: bool) -> str | None:
    """Why a Parquet file's Arrow schema is not the derived one (None when it is)."""
    expected = expected_schema(entity)
    actual = schema.remove_metadata()
    if not actual.equals(expected):
        missing = [name for name in expected.names if name not in actual.names]
        extra = [name for name in actual.names if name not in expected.names]
        differing = [
            name
            for name in expected.names
            if name in actual.names
            and not actual.field(name).type.equals(expected.field(name).type)
        ]
        parts = []
        if missing:
            parts.append(f"missing columns {missing}")
        if extra:
            parts.append(f"unexpected columns {extra}")
        if differing:
            parts.append(
                "wrong types: "
                + ", ".join(
                    f"{name} is {actual.field(name).type}, expected {expected.field(name).type}"
                    for name in differing
                )
            )
        if not parts:
            parts.append(f"column order {actual.names}, expected {expected.names}")
        return "Arrow schema differs from the model: " + "; ".join(parts)
    raw = (schema.metadata or {}).get(b"huggingface")
    if raw is None:
        if require_metadata:
            return "no 'huggingface' schema metadata (datasets would not know the features)"
        return None
    from .features import arrow_schema

    try:
        found = json.loads(raw)
    except ValueError:
        return "the 'huggingface' schema metadata is not JSON"
    wanted = json.loads(arrow_schema(entity).metadata[b"huggingface"])
    if found != wanted:
        return "the 'huggingface' schema metadata (features) differs from the models"
    return None


def _run_parquet(
    path: str, display: str, entity: str, groups: Sequence[int], first_row: int, budget: int | None
) -> _Result:
    """Validate the rows of some row groups of a Parquet file (rows numbered from ``first_row``)."""
    import pyarrow.parquet as pq

    from .features import validate_rows
    from .load import BATCH_ROWS

    result = _Result()
    issues = _Collector(budget)
    row = first_row
    try:
        with pq.ParquetFile(path) as parquet:
            for batch in parquet.iter_batches(
                batch_size=BATCH_ROWS[entity], row_groups=list(groups)
            ):
                count = batch.num_rows
                result.records += count
                try:
                    with paused():  # rows and models are all freed before it resumes
                        rows = batch.to_pylist()
                        models = validate_rows(rows, entity)
                        # Stored values must already be what the models make of them (NFC,
                        # stripped...): the loaders' trusted path hands stored rows out as is.
                        changed = [
                            (index, _first_difference(stored, model.model_dump()))
                            for index, (stored, model) in enumerate(zip(rows, models, strict=True))
                            if model.model_dump() != stored
                        ]
                except ValidationError as error:
                    issues.add_validation(error, display, row=row, batch_rows=count)
                else:
                    for index, field in changed:
                        issues.add(
                            Issue(
                                display,
                                "canonical",
                                "the stored value differs from what the model makes of it "
                                "(text not NFC, or not stripped?): rebuild the folder",
                                row=row + index,
                                field=field,
                            )
                        )
                row += count
    except _Collector.Full:
        pass
    except (OSError, ValueError) as error:
        result.issues = issues.issues
        result.issues.append(Issue(display, "file", f"cannot read the Parquet data: {error}"))
        return result
    result.issues = issues.issues
    result.stopped = issues.stopped
    return result


def _first_difference(stored: Any, canonical: Any, path: str = "") -> str:
    """The path of the first value where ``stored`` and ``canonical`` differ ("title",
    "paragraphs.3.text"); the whole record is ``(record)``."""
    if isinstance(stored, dict) and isinstance(canonical, dict):
        for key in canonical:
            if stored.get(key) != canonical[key]:
                return _first_difference(stored.get(key), canonical[key], f"{path}{key}.")
    elif isinstance(stored, list) and isinstance(canonical, list) and len(stored) == len(canonical):
        for index, (a, b) in enumerate(zip(stored, canonical, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}{index}.")
    return path.rstrip(".") or "(record)"


# --------------------------------------------------------------------------- built folders


def _run_checksums(root: str, names: Sequence[str], budget: int | None) -> _Result:
    from .dataset.manifest import read_manifest, verify_files

    result = _Result()
    issues = _Collector(budget)
    manifest = read_manifest(root)
    try:
        for problem in verify_files(root, manifest, paths=names):
            issues.add(Issue(str(Path(root) / problem.path), problem.kind, problem.message))
    except _Collector.Full:
        pass
    result.issues = issues.issues
    result.stopped = issues.stopped
    return result


_Claim = tuple[str, int, str, int, Any, Any]
"""A record's claim on its article's source text: (file, row, field, index, span(s), text).

``field``/``index`` name the span field (``paragraphs``, 3 -> ``paragraphs[3].span``; index -1:
``field`` is the whole path); span(s) is a span dict or a list of them, as ``to_pylist`` gives.
"""


class _SourceCursor:
    """Source texts by ordinal, read forward batch by batch (only one batch in memory)."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.batches = self._read(paths)
        self.start = 0
        self.texts: list[Any] = []

    @staticmethod
    def _read(paths: Sequence[str]) -> Iterator[list[Any]]:
        import pyarrow.parquet as pq

        for path in paths:
            with pq.ParquetFile(path) as parquet:
                for batch in parquet.iter_batches(batch_size=256, columns=["text"]):
                    yield batch.column(0).to_pylist()

    def get(self, ordinal: int) -> tuple[bool, Any]:
        """(True, text) -- or (False, None) when ``ordinal`` is behind the cursor."""
        if ordinal < self.start:
            return False, None
        while ordinal >= self.start + len(self.texts):
            self.start += len(self.texts)
            self.texts = next(self.batches, [])
            if not self.texts:
                return True, None
        return True, self.texts[ordinal - self.start]


def _spans_of(value: Any) -> list[tuple[Any, Any]] | None:
    if isinstance(value, dict):
        return [(value.get("start"), value.get("end"))]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [(item.get("start"), item.get("end")) for item in value]
    return None


def _check_claim(claim: _Claim, text: Any, issues: _Collector) -> None:
    file, row, name, index, span_value, wanted = claim
    spans = _spans_of(span_value)
    if not spans or not isinstance(text, str) or not isinstance(wanted, str):
        return
    if len(spans) == 1:
        start, end = spans[0]
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            found = text[start:end]
            if found == wanted or found.split() == wanted.split():
                return
    field = f"{name}[{index}].span" if index >= 0 else name
    pieces = []
    for start, end in spans:
        if not isinstance(start, int) or not isinstance(end, int):
            return
        if not 0 <= start < end <= len(text):
            message = f"span [{start}, {end}) is outside the source text ({len(text)} characters)"
            issues.add(Issue(file, "span", message, row=row, field=field))
            return
        pieces.append(text[start:end])
    from .extract.text import fold  # here: importing the extractor costs `validate` start-up

    found = fold(" ".join(pieces))
    if found != fold(wanted):
        where = ", ".join(f"[{start}, {end})" for start, end in spans)
        message = (
            f"source text at {where} is {_clip(found)!r}, the field says {_clip(fold(wanted))!r}"
        )
        issues.add(Issue(file, "span", message, row=row, field=field))


def _column_rows(path: str, columns: list[str]) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        for batch in parquet.iter_batches(batch_size=1024, columns=columns):
            with paused():
                rows = batch.to_pylist()
            yield from rows


def _run_cross(
    root: str, files: dict[str, list[str]], display: dict[str, str], budget: int | None
) -> _Result:
    """Primary keys, foreign keys and spans across the configs of a folder, streamed.

    Rows are visited in file order. Spans are checked by merging the claims of articles, turns
    and (sorted) resolution mentions by their article's position in ``sources``: with the build's
    order (articles, sources and turns in input order) the sources are read once, holding one
    batch; claims that come out of order are set aside and checked in a second pass.
    """
    result = _Result()
    issues = _Collector(budget)
    base = Path(root)

    shown = {
        name: display.get(name) or str(base / name) for names in files.values() for name in names
    }

    def where(name: str) -> str:
        return shown[name]

    def keyed_rows(
        config: str, columns: list[str]
    ) -> Iterator[tuple[str, int, dict[str, Any], Any, bool]]:
        """``(file, row, record, primary key, first time seen)`` of every row of ``config``;
        a duplicate primary key is reported here, once per repeated row."""
        keys = PRIMARY_KEYS[config]
        seen: set[Any] = set()
        for name in files[config]:
            for row, rec in enumerate(_column_rows(str(base / name), columns)):
                key = rec[keys[0]] if len(keys) == 1 else tuple(rec[k] for k in keys)
                first = key not in seen
                if not first:
                    issues.add(
                        Issue(
                            where(name),
                            "primary_key",
                            f"duplicate {keys[0] if len(keys) == 1 else keys} {key!r}",
                            row=row,
                            field=keys[0] if len(keys) == 1 else None,
                        )
                    )
                seen.add(key)
                yield name, row, rec, key, first

    try:
        article_ids = {key for _, _, _, key, _ in keyed_rows("articles", ["article_id"])}

        def foreign(name: str, row: int, key: Any, field: str) -> None:
            if key not in article_ids:
                issues.add(
                    Issue(
                        where(name),
                        "foreign_key",
                        f"article_id {key!r} names no article",
                        row=row,
                        field=field,
                    )
                )

        ordinal: dict[Any, int] = {}
        for name, row, _, key, first in keyed_rows("sources", ["article_id"]):
            if first:
                ordinal[key] = len(ordinal)
                foreign(name, row, key, "article_id")

        turn_columns = list(PRIMARY_KEYS["interview_turns"])
        for name, row, _, key, _ in keyed_rows("interview_turns", turn_columns):
            foreign(name, row, key[0], "article_id")

        mention_claims: list[tuple[int, _Claim]] = []
        for name, row, rec, _, _ in keyed_rows("resolutions", ["resolution_id", "mentions"]):
            for k, mention in enumerate(rec["mentions"] or []):
                if not isinstance(mention, dict):
                    continue
                key = mention.get("article_id")
                foreign(name, row, key, f"mentions[{k}].article_id")
                position = ordinal.get(key)
                if position is not None:
                    surface = mention.get("surface")
                    claim = (where(name), row, "mentions", k, mention.get("span"), surface)
                    mention_claims.append((position, claim))
        mention_claims.sort(key=lambda item: item[0])

        def article_claims() -> Iterator[tuple[int, list[_Claim]]]:
            for name in files["articles"]:
                rows = _column_rows(str(base / name), ["article_id", "paragraphs", "captions"])
                for row, rec in enumerate(rows):
                    position = ordinal.get(rec["article_id"])
                    if position is None:
                        issues.add(
                            Issue(
                                where(name),
                                "foreign_key",
                                f"article {rec['article_id']!r} has no source text in sources",
                                row=row,
                                field="article_id",
                            )
                        )
                        continue
                    file = where(name)
                    claims = [
                        (file, row, group, k, item.get("span"), item.get("text"))
                        for group in ("paragraphs", "captions")
                        for k, item in enumerate(rec[group] or [])
                        if isinstance(item, dict)
                    ]
                    yield position, claims

        def turn_claims() -> Iterator[tuple[int, list[_Claim]]]:
            for name in files["interview_turns"]:
                rows = _column_rows(str(base / name), ["article_id", "text", "spans"])
                for row, rec in enumerate(rows):
                    position = ordinal.get(rec["article_id"])
                    if position is not None:
                        yield position, [(where(name), row, "spans", -1, rec["spans"], rec["text"])]

        def mention_stream() -> Iterator[tuple[int, list[_Claim]]]:
            for position, claim in mention_claims:
                yield position, [claim]

        sources = [str(base / name) for name in files["sources"]]
        late: list[tuple[int, list[_Claim]]] = []
        cursor = _SourceCursor(sources)
        merged = heapq.merge(
            article_claims(), turn_claims(), mention_stream(), key=lambda item: item[0]
        )
        for position, claims in merged:
            ahead, text = cursor.get(position)
            if not ahead:
                late.append((position, claims))
                continue
            for claim in claims:
                _check_claim(claim, text, issues)
        if late:
            late.sort(key=lambda item: item[0])
            cursor = _SourceCursor(sources)
            for position, claims in late:
                _ahead, text = cursor.get(position)
                for claim in claims:
                    _check_claim(claim, text, issues)
    except _Collector.Full:
        pass
    result.issues = issues.issues
    result.stopped = issues.stopped
    return result


def _card_problems(root: Path, counts: dict[str, int]) -> list[str]:
    """How the dataset card's YAML header differs from the models (configs, dataset_info)."""
    from .features import features

    path = root / "README.md"
    if not path.is_file():
        return ["README.md (the dataset card) is missing"]
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\r?\n(.*?)\r?\n---\r?\n", text, re.DOTALL)
    if not match:
        return ["README.md has no YAML header"]
    yaml: Any = importlib.import_module("yaml")  # PyYAML ships no type stubs

    try:
        header = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        return [f"README.md YAML header does not parse: {error}"]
    if not isinstance(header, dict):
        return ["README.md YAML header is not a mapping"]
    problems = []
    configs = {
        entry.get("config_name") for entry in header.get("configs") or [] if isinstance(entry, dict)
    }
    infos = header.get("dataset_info")
    infos = [infos] if isinstance(infos, dict) else infos or []
    by_name = {info.get("config_name"): info for info in infos if isinstance(info, dict)}
    for config in ENTITIES:
        if config not in configs:
            problems.append(f"README.md: configs has no {config!r}")
        info = by_name.get(config)
        if info is None:
            problems.append(f"README.md: dataset_info has no {config!r}")
            continue
        if info.get("features") != features(config)._to_yaml_list():
            problems.append(
                f"README.md: dataset_info features of {config!r} differ from the models"
            )
        splits = {split.get("name"): split for split in info.get("splits") or []}
        examples = splits.get("train", {}).get("num_examples")
        if examples != counts.get(config):
            problems.append(
                f"README.md: dataset_info says {examples} {config}, manifest.json says "
                f"{counts.get(config)}"
            )
    return problems


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class _Unit:
    """One piece of work: a function of this module and its arguments (picklable)."""

    func: str
    args: tuple[Any, ...]
    file: str
    weight: int
    line_group: str | None = None  # units of one JSON Lines file, whose lines are renumbered


def _run_unit(unit: _Unit, budget: int | None) -> _Result:
    """Run one unit; data it cannot even read (a corrupted file) is an issue, not a crash."""
    func: Callable[..., _Result] = globals()[unit.func]
    try:
        return func(*unit.args, budget)
    except (OSError, ValueError, TypeError, KeyError, NotImplementedError) as error:
        # pyarrow's errors derive from these (ArrowInvalid is a ValueError, ArrowIOError an
        # OSError); a UnicodeDecodeError from corrupted strings is a ValueError too.
        message = f"cannot read the data ({type(error).__name__}: {error}); is a file corrupted?"
        return _Result(issues=[Issue(unit.file, "file", message)])


def infer_entity(path: Path, first_keys: Sequence[str] | None = None) -> str | None:
    """The entity of a file from its name (or its folders'), else from its first record's keys.

    >>> infer_entity(Path("out/articles.jsonl"))
    'articles'
    >>> infer_entity(Path("data/interview_turns/train-00000-of-00001.parquet"))
    'interview_turns'
    >>> infer_entity(Path("x.jsonl"), ["article_id", "source_file", "raw_sha256", "text"])
    'sources'
    """
    names = sorted(
        ((config, alias) for config in ENTITIES for alias in (config, SCHEMA_NAMES[config])),
        key=lambda pair: -len(pair[1]),
    )
    stem = path.name.lower()
    for suffix in (*JSONL_SUFFIXES, *JSON_SUFFIXES, *PARQUET_SUFFIXES):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    for candidate in (stem, path.parent.name.lower(), path.parent.parent.name.lower()):
        for config, alias in names:
            if candidate == alias or any(candidate.startswith(alias + s) for s in _SEPARATORS):
                return config
    if first_keys is None:
        return None
    keys = set(first_keys)
    scored = []
    for config, model in ENTITIES.items():
        fields = set(model.model_fields)
        required = {name for name, info in model.model_fields.items() if info.is_required()}
        if keys == fields:
            return config
        score = len(keys & fields) / len(keys | fields)
        scored.append((required <= keys, score, config))
    scored.sort(reverse=True)
    best = scored[0]
    if best[1] >= 0.5 and (len(scored) == 1 or scored[1][:2] != best[:2]):
        return best[2]
    return None


def _first_keys(path: Path, kind: str, max_line: int) -> list[str] | None:
    """Keys of the first record of a file (None when it cannot be read as an object)."""
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        with open(path, "rb") as handle:
            if kind == "jsonl":
                while True:
                    line, _size, too_long = _read_line(handle, max_line)
                    if not line and not too_long:
                        return None
                    if too_long or not line.strip():
                        continue
                    obj = json.loads(line.removeprefix(_BOM))
                    break
            else:
                _line, _item, data = next(iter_json_values(handle, max_line))
                obj = json.loads(data) if data else None
    except (OSError, ValueError):
        return None
    return list(obj) if isinstance(obj, dict) else None


def _file_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(JSON_SUFFIXES):
        return "json"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    raise UsageError(
        f"{path}: unsupported file type (expected .jsonl, .ndjson, .json or .parquet, "
        "or a built folder)"
    )


def _parquet_units(
    path: Path, display: str, entity: str, issues: list[Issue], *, require_metadata: bool
) -> list[_Unit]:
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(path)
        schema = pq.read_schema(path)
    except (OSError, ValueError) as error:
        issues.append(Issue(display, "file", f"not a readable Parquet file: {error}"))
        return []
    problem = _schema_problem(schema, entity, require_metadata=require_metadata)
    if problem:
        issues.append(Issue(display, "schema", problem))
        return []
    units = []
    first_row = 0
    groups: list[int] = []
    group_rows = 0
    group_bytes = 0
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        groups.append(index)
        group_rows += group.num_rows
        group_bytes += group.total_byte_size
        if group_bytes >= _UNIT_BYTES or index == metadata.num_row_groups - 1:
            units.append(
                _Unit(
                    "_run_parquet",
                    (str(path), display, entity, tuple(groups), first_row),
                    display,
                    max(group_bytes, 1),
                )
            )
            first_row += group_rows
            groups, group_rows, group_bytes = [], 0, 0
    return units


def _file_units(
    path: Path, entity: str | None, jobs: int, max_line: int, issues: list[Issue]
) -> tuple[list[_Unit], str]:
    kind = _file_kind(path)
    display = str(path)
    resolved = entity or infer_entity(path, _first_keys(path, kind, max_line))
    if resolved is None:
        raise UsageError(
            f"{path}: cannot tell which entity the records are; pass --entity "
            f"({', '.join(ENTITIES)})"
        )
    if kind == "jsonl":
        units = [
            _Unit(
                "_run_jsonl", (display, resolved, a, b, max_line), display, max(b - a, 1), display
            )
            for a, b in _jsonl_ranges(display, jobs * 4 if jobs > 1 else 1)
        ]
    elif kind == "json":
        size = os.path.getsize(path) or 1
        units = [_Unit("_run_json", (display, resolved, max_line), display, size)]
    else:
        units = _parquet_units(path, display, resolved, issues, require_metadata=False)
    return units, resolved


def _folder_plan(root: Path, issues: list[Issue]) -> tuple[list[_Unit], list[str]]:
    """Units of work of a built folder; cheap checks (manifest, schemas, card) done at once."""

    from .dataset.manifest import ManifestError, listed_files, read_manifest, verify_row_counts
    from .features import stale_schema_files

    def show(name: str) -> str:
        return str(root / name)

    try:
        manifest = read_manifest(root)
    except ManifestError as error:
        issues.append(Issue(show("manifest.json"), "manifest", error.reason))
        return [], [show("manifest.json")]
    names = sorted(manifest.files)
    on_disk = listed_files(root)
    files = [show(name) for name in sorted({*names, *on_disk, "manifest.json"})]
    for name in on_disk:
        if name not in manifest.files:
            issues.append(Issue(show(name), "unlisted", "not listed in manifest.json"))
    units = [
        _Unit("_run_checksums", (str(root), (name,)), show(name), manifest.files[name].bytes or 1)
        for name in names
    ]
    config_files: dict[str, list[str]] = {}
    schemas_ok = True
    for config in ENTITIES:
        entry = manifest.configs.get(config)
        if entry is None:
            issues.append(Issue(show("manifest.json"), "manifest", f"configs has no {config!r}"))
            schemas_ok = False
            continue
        listed = list(entry.files)
        present = sorted(n for n in on_disk if n.startswith(f"data/{config}/"))
        for name in present:
            if name not in listed:
                issues.append(
                    Issue(show(name), "manifest", f"not listed in configs[{config!r}].files")
                )
        config_files[config] = [name for name in listed if (root / name).is_file()]
        if len(config_files[config]) != len(listed):
            schemas_ok = False
        for name in config_files[config]:
            count = len(issues)
            units += _parquet_units(root / name, show(name), config, issues, require_metadata=True)
            if len(issues) != count:
                schemas_ok = False
    for config in manifest.configs:
        if config not in ENTITIES:
            issues.append(
                Issue(show("manifest.json"), "manifest", f"configs has unknown {config!r}")
            )
    for problem in verify_row_counts(root, manifest):
        issues.append(Issue(show(problem.path), problem.kind, problem.message))
    for name in stale_schema_files(root / "schema"):
        issues.append(
            Issue(
                show(f"schema/{name}"),
                "stale",
                "differs from the models (kyanh-corpus schema --write)",
            )
        )
    counts = {config: entry.num_rows for config, entry in manifest.configs.items()}
    for message in _card_problems(root, counts):
        issues.append(Issue(show("README.md"), "stale", message))
    if schemas_ok:
        total = sum(manifest.files[name].bytes for name in names if name.startswith("data/"))
        units.append(
            _Unit(
                "_run_cross",
                (str(root), config_files, {name: show(name) for name in names}),
                show("data"),
                max(total, 1),
            )
        )
    return units, files


# --------------------------------------------------------------------------- running


Progress = Callable[[int, int], None]
"""A progress callback: (work done, total work), in bytes of input."""


class _Progress:
    """Accumulates done work and forwards it to the caller's callback (if any)."""

    def __init__(self, total: int, callback: Progress | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.callback = callback

    def advance(self, amount: int) -> None:
        self.done += amount
        if self.callback is not None:
            self.callback(min(self.done, self.total), self.total)


def _pool_context() -> Any:
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _advance_by(progress: _Progress, weight: int) -> Callable[[Future[_Result]], None]:
    return lambda _future: progress.advance(weight)


def _execute(
    units: list[_Unit], budget: int | None, jobs: int, progress: _Progress
) -> tuple[list[_Result | None], bool]:
    """Run the units (in order, or over ``jobs`` processes); None for units not run.

    ``budget`` is how many more issues may be reported (None: no limit); the second value says
    whether checking stopped early because an issue beyond the budget was found.
    """
    results: list[_Result | None] = [None] * len(units)
    if jobs <= 1 or len(units) <= 1:
        found = 0
        for index, unit in enumerate(units):
            remaining = None if budget is None else max(budget - found, 0)
            result = _run_unit(unit, remaining)
            results[index] = result
            found += len(result.issues)
            progress.advance(unit.weight)
            if result.stopped:
                return results, True
        return results, False
    # Objects alive now go to the permanent generation before the workers fork (the Python
    # docs' advice for fork): a forked worker's collections then skip the inherited objects
    # (imports, schemas) instead of walking them again and again, and copying their pages.
    # Measured: --jobs 2 validation ~4 % faster.
    with frozen(), ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
        order = sorted(range(len(units)), key=lambda i: -units[i].weight)
        futures: dict[int, Future[_Result]] = {
            i: pool.submit(_run_unit, units[i], budget) for i in order
        }
        for index, future in futures.items():
            future.add_done_callback(_advance_by(progress, units[index].weight))
        for index, future in futures.items():
            results[index] = future.result()
    return results, any(result is not None and result.stopped for result in results)


def validate_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    entity: str | None = None,
    max_errors: int = DEFAULT_MAX_ERRORS,
    jobs: int = 1,
    max_line_bytes: int = MAX_LINE_BYTES,
    progress: Progress | None = None,
) -> Report:
    """Validate files and built folders; raises :class:`UsageError` on bad arguments.

    ``progress`` is called with (bytes done, bytes in all) as units of work finish.
    """
    started = time.monotonic()
    if entity is not None:
        aliases = {SCHEMA_NAMES[config]: config for config in ENTITIES}
        entity = aliases.get(entity, entity)
        if entity not in ENTITIES:
            raise UsageError(f"unknown entity {entity!r}; known: {', '.join(ENTITIES)}")
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if max_errors < 0:
        raise UsageError("--max-errors must be 0 (no limit) or more")
    if max_line_bytes < 1:
        raise UsageError("--max-line-bytes must be positive")
    if not paths:
        raise UsageError("no path given")
    report = Report()
    plan_issues: list[Issue] = []
    units: list[_Unit] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            folder_units, folder_files = _folder_plan(path, plan_issues)
            units += folder_units
            report.files += folder_files
        elif path.is_file():
            file_units, _entity = _file_units(path, entity, jobs, max_line_bytes, plan_issues)
            units += file_units
            report.files.append(str(path))
        else:
            raise UsageError(f"{path}: no such file or folder")
    bar = _Progress(sum(unit.weight for unit in units), progress)
    budget = max(max_errors - len(plan_issues), 0) if max_errors else None
    results, stopped = _execute(units, budget, jobs, bar)
    issues = list(plan_issues)
    line_offsets: dict[str, int] = {}
    for unit, result in zip(units, results, strict=True):
        if result is None:
            continue
        report.records += result.records
        shift = 0
        if unit.line_group is not None:
            shift = line_offsets.get(unit.line_group, 0)
            line_offsets[unit.line_group] = shift + result.lines
        for issue in result.issues:
            if shift and issue.line is not None:
                issue = Issue(
                    issue.file,
                    issue.kind,
                    issue.message,
                    issue.line + shift,
                    issue.row,
                    issue.field,
                    issue.type,
                )
            issues.append(issue)
    if max_errors and len(issues) > max_errors:
        issues = issues[:max_errors]
        stopped = True
    report.issues = issues
    report.truncated = stopped
    report.seconds = time.monotonic() - started
    return report


def validate_folder(
    folder: str | os.PathLike[str],
    *,
    max_errors: int = DEFAULT_MAX_ERRORS,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Report:
    """Validate one built folder (see the module documentation for what is checked)."""
    path = Path(folder)
    if not path.is_dir():
        raise UsageError(f"{path}: not a folder")
    return validate_paths([path], max_errors=max_errors, jobs=jobs, progress=progress)
