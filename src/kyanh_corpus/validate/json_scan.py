"""JSON files (``.json``): one record object, or an array of records scanned item by item.

:func:`iter_json_values` splits the top-level array incrementally (an item beyond ``max_bytes``
is skipped and reported, not held), giving each item's line and index; each item is then parsed
and validated by Pydantic. A broken top-level structure is a :class:`JsonSyntaxError` at the
place the scan had to stop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from pydantic import ValidationError

from ..errors import DataError, Diagnostic, DiagnosticKind
from ..gc_control import paused
from ..limits import DEFAULTS, Limits, parse_checked
from ..models import ENTITIES
from .foreign import epoch_dates
from .jsonl import BOM, CHUNK, MAX_LINE_BYTES, validate_record
from .report import Collector, UnitResult

_STRUCTURAL = re.compile(rb'[\[\]{}",]')
_NOT_SPACE = re.compile(rb"[^ \t\r\n]")


class JsonSyntaxError(DataError):
    """A JSON file whose top-level structure is broken (where the scan had to stop)."""

    def __init__(self, message: str, line: int, item: int | None) -> None:
        super().__init__(message)
        self.line = line
        self.item = item


class JsonScanner:
    """Splits a JSON array (or a single object) into its top-level values, incrementally.

    Only the value being scanned is held in memory (a value beyond ``max_bytes`` is skipped and
    reported); the scanner tracks strings, escapes and nesting, not JSON grammar -- each value is
    then parsed and validated by Pydantic.
    """

    def __init__(self, handle: IO[bytes], max_bytes: int, chunk: int = CHUNK) -> None:
        self.handle = handle
        self.max_bytes = max_bytes
        self.chunk = chunk
        self.buf = b""
        self.eof = False
        self.line = 1  # line number at self.line_pos
        self.line_pos = 0

    def read_more(self, keep_from: int) -> int:
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
            index -= self.read_more(index)

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
                # Jump to the next quote (a string of escapes is not walked escape by escape):
                # an odd run of backslashes before it escapes it. Runs counted from ``i`` are
                # whole, as ``i`` follows a quote or a whole run.
                quote = self.buf.find(b'"', i)
                if quote >= 0:
                    run = quote - i - len(self.buf[i:quote].rstrip(b"\\"))
                    i = quote + 1
                    if run % 2 == 0:
                        in_string = False
                        if depth == 0:
                            return self._done(line, start, i, keep)
                    continue
                # no quote yet: an odd backslash at the end escapes a byte not read yet
                tail = self.buf[i:]
                i = len(self.buf) - (len(tail) - len(tail.rstrip(b"\\"))) % 2
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
            dropped = self.read_more(start if keep else i)
            start -= dropped
            i -= dropped

    def _done(self, line: int, start: int, end: int, keep: bool) -> tuple[int, bytes | None, int]:
        if keep and end - start > self.max_bytes:
            keep = False
        return line, (self.buf[start:end] if keep else None), end


def iter_json_values(
    handle: IO[bytes], max_bytes: int = MAX_LINE_BYTES, chunk: int = CHUNK
) -> Iterator[tuple[int, int | None, bytes | None]]:
    r"""The records of a JSON file, one at a time: (line, item index, bytes or None if too long).

    The file holds one value (item index None) or an array of values (item 0, 1, ...).
    Raises :class:`JsonSyntaxError` where the top-level structure breaks.

    >>> import io
    >>> list(iter_json_values(io.BytesIO(b'[{"a": "]"},\n {"b": [1, {}]}]')))
    [(1, 0, b'{"a": "]"}'), (2, 1, b'{"b": [1, {}]}')]
    """
    scanner = JsonScanner(handle, max_bytes, chunk)
    scanner.read_more(0)
    while len(scanner.buf) < 3 and not scanner.eof:
        scanner.read_more(0)
    if scanner.buf.startswith(BOM):
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


def check_json(
    path: str,
    entity: str,
    max_line: int,
    limits: Limits = DEFAULTS,
    budget: int | None = None,
) -> UnitResult:
    """Validate a JSON file holding one record object or an array of records (a record beyond
    the JSON ``limits``, or with a key twice, is one error and is not validated further)."""
    issues = Collector(budget)
    validator = ENTITIES[entity].__pydantic_validator__
    validate_json = validator.validate_json
    records = 0
    try:
        # The collector paused, as for JSON Lines (jsonl.check_jsonl says why).
        with open(path, "rb") as handle, paused():
            try:
                for line, item, data in iter_json_values(handle, max_line):
                    records += 1
                    if data is None:
                        message = f"record longer than {max_line:,} bytes (--max-line-bytes)"
                        issues.add(
                            Diagnostic(DiagnosticKind.TOO_LONG, path, message, line=line, row=item)
                        )
                        continue
                    value, problem = parse_checked(data, limits)
                    if problem is not None:
                        issues.add_limit(problem, path, line=line, row=item)
                        continue
                    try:
                        validate_record(validator, data, value)
                    except ValidationError as error:
                        remaining, problems = epoch_dates(error, data, validate_json)
                        skip = issues.add_problems(problems, path, line=line, row=item)
                        if remaining is not None:
                            issues.add_validation(remaining, path, line=line, row=item, skip=skip)
            except JsonSyntaxError as error:
                issues.add(
                    Diagnostic(
                        DiagnosticKind.JSON, path, str(error), line=error.line, row=error.item
                    )
                )
    except Collector.Full:
        pass
    return issues.result(records=records)
