"""JSON Lines files (``.jsonl``, ``.ndjson``): one record per line, streamed in blocks.

A file is read in 1 MiB blocks split at newlines; the unfinished piece of a line is carried over
only up to ``max_line`` bytes, so an over-long line costs no more memory than the bound. A line
longer than that, or that is not JSON, is an error on that line and checking goes on with the
next line. Blank lines are skipped (but counted); a UTF-8 byte order mark at the start of the
file is ignored.

A big file is split into byte ranges that start at line starts (:func:`line_ranges`), checked
as separate units of work; their line numbers are relative to the range and renumbered by the
runner.
"""

from __future__ import annotations

import itertools
import os
from typing import IO, TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from ..errors import Diagnostic, DiagnosticKind
from ..gc_control import paused
from ..limits import DEFAULTS, NOT_JSON, Limits, parse_checked
from ..models import ENTITIES
from .foreign import epoch_dates
from .report import Collector, UnitResult

if TYPE_CHECKING:
    from pydantic.plugin._schema_validator import PluggableSchemaValidator
    from pydantic_core import SchemaValidator

MAX_LINE_BYTES: Final = 8 * 1024 * 1024
"""Longest JSON Lines line (and JSON record) accepted, in bytes, newline excluded."""

CHUNK: Final = 1 << 20
"""Bytes read at once."""

BOM: Final = b"\xef\xbb\xbf"
"""The UTF-8 byte order mark, ignored at the start of a file."""


def read_line(handle: IO[bytes], limit: int) -> tuple[bytes, int, bool]:
    """One line of at most ``limit`` bytes (newline excluded): (line, bytes consumed, too long).

    An over-long line is consumed to its end in chunks and returned empty.
    """
    line = handle.readline(limit + 1)
    size = len(line)
    if size > limit and not line.endswith(b"\n"):
        while not line.endswith(b"\n"):
            line = handle.readline(CHUNK)
            if not line:
                break
            size += len(line)
        return b"", size, True
    return line, size, False


def check_jsonl(
    path: str,
    entity: str,
    start: int,
    end: int,
    max_line: int,
    limits: Limits = DEFAULTS,
    budget: int | None = None,
) -> UnitResult:
    """Validate the lines starting in ``[start, end)`` (``start`` is at a line start).

    A line beyond the JSON ``limits`` (or with a key twice) is one error on that line, and is
    not validated further.

    The range is read in blocks and split at newlines; the piece of a line not yet complete is
    carried to the next block, and dropped as soon as it is longer than ``max_line`` (the rest
    of that line is skipped), so memory holds one block and at most ``max_line`` bytes. Line
    numbers of the diagnostics are relative to ``start`` (the runner shifts them).
    """
    issues = Collector(budget)
    validator = ENTITIES[entity].__pydantic_validator__
    validate_json = validator.validate_json
    too_long = f"line longer than {max_line:,} bytes (--max-line-bytes)"
    lineno = 0  # lines completed so far
    records = 0
    try:
        # The collector paused: each record's objects are freed by reference counting as soon as
        # it is checked, and a collection every few records found nothing (6 % of the time);
        # checking leaves no cycle that grows with the records (a test).
        with open(path, "rb") as handle, paused():
            handle.seek(start)
            remaining = end - start
            # the start of a line whose end is not read yet, in pieces (joined once, when the
            # line ends: a long line is not copied again at every block)
            pending: list[bytes] = []
            pending_size = 0
            skipping = False  # inside an over-long line, already reported
            while True:
                block = handle.read(min(CHUNK, remaining)) if remaining > 0 else b""
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
                    elif pending and lines:
                        lines[0] = b"".join((*pending, lines[0]))
                        pending, pending_size = [], 0
                    pending.append(tail)
                    pending_size += len(tail)
                    if pending_size > max_line:
                        records += 1
                        at = lineno + len(lines) + 1
                        issues.add(Diagnostic(DiagnosticKind.TOO_LONG, path, too_long, line=at))
                        pending, pending_size = [], 0
                        skipping = True
                elif pending_size:
                    lines = [b"".join(pending)]  # the last line has no newline
                    pending, pending_size = [], 0
                else:
                    if skipping:
                        lineno += 1
                    break
                if lineno == 0 and start == 0 and lines and lines[0].startswith(BOM):
                    lines[0] = lines[0][3:]
                for line in lines:
                    lineno += 1
                    if not line:
                        continue
                    records += 1
                    if len(line) > max_line:
                        issues.add(Diagnostic(DiagnosticKind.TOO_LONG, path, too_long, line=lineno))
                        continue
                    value, problem = parse_checked(line, limits)
                    if problem is not None:
                        issues.add_limit(problem, path, line=lineno)
                        continue
                    try:
                        validate_record(validator, line, value)
                    except ValidationError as error:
                        if line.isspace():  # a blank line: skipped, not a record
                            records -= 1
                            continue
                        still, problems = epoch_dates(error, line, validate_json)
                        skip = issues.add_problems(problems, path, line=lineno)
                        if still is not None:
                            issues.add_validation(still, path, line=lineno, skip=skip)
    except Collector.Full:
        pass
    return issues.result(records=records, lines=lineno)


def validate_record(
    validator: SchemaValidator | PluggableSchemaValidator, data: bytes, value: Any
) -> None:
    """Validate one record that :func:`~kyanh_corpus.limits.parse_checked` parsed (once: the
    duplicate-key check needs that parse): a valid value as it is; an invalid one -- or a text
    that is not JSON -- again from its text, for the errors of JSON mode. Raises
    ``ValidationError``."""
    if value is not NOT_JSON:
        try:
            validator.validate_python(value)
            return
        except ValidationError:
            pass
    validator.validate_json(data)


def line_start_after(handle: IO[bytes], offset: int) -> int:
    """The first line start at or after ``offset``."""
    if offset <= 0:
        return 0
    handle.seek(offset - 1)
    while True:
        chunk = handle.readline(CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return handle.tell()


def line_ranges(path: str, parts: int, unit_bytes: int) -> list[tuple[int, int]]:
    """Byte ranges ``[start, end)`` of a file, each starting at a line start: about ``parts``
    of them (for as many workers), none bigger than ``unit_bytes`` unless a line is."""
    size = os.path.getsize(path)
    count = max(1, min(parts, -(-size // max(1, unit_bytes // 8))))
    count = max(count, -(-size // unit_bytes))
    bounds = [0]
    with open(path, "rb") as handle:
        for k in range(1, count):
            bounds.append(max(bounds[-1], line_start_after(handle, size * k // count)))
    bounds.append(size)
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a] or [(0, 0)]
