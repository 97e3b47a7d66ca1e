"""The package's one error vocabulary: exception classes, the diagnostic record, field paths.

Every exception the package raises on purpose is a :class:`KyanhCorpusError`:

* :class:`UsageError` -- the caller asked for something impossible (a missing input, an unknown
  entity, an unsafe ``--out``): the command-line exit code 2;
* :class:`DataError` -- the data is wrong (a page that cannot become records, a corrupted or
  stale built folder, a record that fails the models): exit code 1. It is also a ``ValueError``.

A check that finds many problems reports them as :class:`Diagnostic` records -- what kind, which
file, which line (text files) or row (Parquet, JSON items), which field (always in the one
:func:`field_path` style, ``paragraphs[3].span.end``), a message, and the offending value,
shortened (:func:`clip`).

>>> issubclass(DataError, ValueError), issubclass(UsageError, KyanhCorpusError)
(True, True)
>>> str(Diagnostic(DiagnosticKind.RECORD, "a.jsonl", "Input should be a valid date", line=3,
...                field="published_at", value=1700000000000))
'a.jsonl:3: published_at: Input should be a valid date (got 1700000000000) [record]'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, Final


class KyanhCorpusError(Exception):
    """Base of every error the package raises on purpose."""


class UsageError(KyanhCorpusError):
    """Bad arguments or paths: a missing input, an unknown entity, an unsupported file type."""


class DataError(KyanhCorpusError, ValueError):
    """Data that cannot be used: a bad page or sidecar, a corrupted or stale built folder."""


class DiagnosticKind(StrEnum):
    """What a :class:`Diagnostic` is about."""

    JSON = "json"
    """Not JSON (or not the JSON structure expected)."""
    TOO_LONG = "too_long"
    """A line or value over the size limit."""
    RECORD = "record"
    """A record that fails the models (field named)."""
    CANONICAL = "canonical"
    """A stored value that differs from what the model makes of it."""
    FILE = "file"
    """A file that cannot be read."""
    SCHEMA = "schema"
    """A Parquet schema other than the one the models derive."""
    SPAN = "span"
    """A span that does not hold its text."""
    PRIMARY_KEY = "primary_key"
    """Two records with the same key."""
    FOREIGN_KEY = "foreign_key"
    """A reference to a record that does not exist."""
    MANIFEST = "manifest"
    """``manifest.json`` missing, malformed or inconsistent."""
    UNLISTED = "unlisted"
    """A file the manifest does not list."""
    MISSING = "missing"
    """A file the manifest lists that is not there."""
    SIZE = "size"
    """A file whose size differs from the manifest."""
    CHECKSUM = "checksum"
    """A file whose SHA-256 differs from the manifest."""
    ROWS = "rows"
    """A row count that differs from the manifest."""
    STALE = "stale"
    """A derived file (schema, card) that differs from what the code makes now."""
    EXTRACTION = "extraction"
    """A raw page that cannot become records."""
    LIMIT = "limit"
    """JSON beyond a limit of :mod:`kyanh_corpus.limits`: nesting too deep, a string too long,
    an integer of too many digits."""
    MISMATCH = "mismatch"
    """A stored value that disagrees with what it derives from or copies: an ``article_id`` not
    given by its headline and lede, an ``hf/`` row unlike its ``data/`` row."""


VALUE_WIDTH: Final = 80
"""Most characters of an offending value shown in a message."""


def clip(value: Any, width: int = VALUE_WIDTH) -> str:
    """``repr``-like text of ``value`` cut to ``width`` characters ("..." marks the cut).

    >>> clip("x" * 100, 10)
    "'xxxxxx..."
    >>> clip(3)
    '3'
    """
    return cut(repr(value), width)


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters ("..." marks the cut): for texts shown as they are
    (a key, a field path), where :func:`clip` shows a value's ``repr``.

    >>> cut("paragraphs[0].span", 10), cut("short", 10)
    ('paragr...', 'short')
    """
    return text if len(text) <= width else text[: max(0, width - 3)] + "..."


def field_path(loc: Sequence[int | str]) -> str | None:
    """Pydantic ``loc`` -> ``paragraphs[3].span.end`` (None for the record itself).

    >>> field_path(("paragraphs", 3, "span", "end"))
    'paragraphs[3].span.end'
    >>> field_path(()) is None
    True
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or None


class _NoValue(Enum):
    """The "no offending value" marker: an enum member, so it pickles as itself (a diagnostic
    made in a worker process comes back whole)."""

    NO_VALUE = 0


_NO_VALUE: Final = _NoValue.NO_VALUE


@dataclass(frozen=True)
class Diagnostic:
    """One problem found: of which kind, where (file, line or row, field), and what."""

    kind: DiagnosticKind
    file: str
    message: str
    line: int | None = None
    row: int | None = None
    field: str | None = None
    value: Any = _NO_VALUE
    """The offending value, when there is one (shown clipped); pickles and compares whole."""
    type: str | None = None
    """The Pydantic error type of a ``record`` diagnostic (``date_type``...), else None."""

    def location(self) -> str:
        """``file:line``, ``file:line (item N)``, ``file row N`` or ``file``."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.row is not None:
                where += f" (item {self.row})"
        elif self.row is not None:
            where += f" row {self.row}"
        return where

    @property
    def has_value(self) -> bool:
        return self.value is not _NO_VALUE

    def __str__(self) -> str:
        field = f"{self.field}: " if self.field else ""
        shown = f" (got {clip(self.value)})" if self.has_value else ""
        kind = f"{self.kind}: {self.type}" if self.type else str(self.kind)
        return f"{self.location()}: {field}{self.message}{shown} [{kind}]"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "row": self.row,
            "field": self.field,
            "kind": str(self.kind),
            "type": self.type,
            "message": self.message,
            "value": clip(self.value) if self.has_value else None,
        }
