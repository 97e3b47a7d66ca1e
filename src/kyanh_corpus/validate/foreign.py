"""Files other tools wrote (pandas, Polars, ``datasets``): read as the same values when no value
changes, a real type loss reported where it is.

Parquet (a standalone file; a built folder's files must have the models' exact schema)
    a column may be stored in another Arrow type that holds the same values: ``large_string``,
    ``string_view`` or a dictionary of strings for ``string``; ``large_list`` (and the other list
    layouts) for ``list``; any integer type for ``int64``; ``date64`` or a timestamp (any unit,
    no time zone or UTC) for ``date32``; the ``null`` type (a column pandas or Polars wrote with
    no value) for any type; struct fields in any order. Columns may come in any order, and a
    pandas index column (``__index_level_0__``, or one the ``pandas`` metadata names as an
    index) is ignored. Two conversions are checked value by value (:func:`fix_row`): a
    timestamp must be at midnight to be a date, and an integer field stored as a floating-point
    column is a located error on every value it holds -- the type was lost (pandas turns an
    integer column with nulls into ``float64``), even when the value (``3.0``) is integral.

JSON and JSON Lines
    a date written as epoch milliseconds (what ``Dataset.to_json()`` and pandas' ``to_json``
    write for a date) is read as that date when it is midnight UTC (:func:`epoch_dates`), else
    it is a located error. An ISO timestamp at midnight (``"2021-02-03T00:00:00.000"``, what
    pandas' ``to_json(date_format="iso")`` writes) is read as that date too; one at another
    time stays the model's ``date_type`` error. A JSON number ``3.0`` in an integer field is
    accepted, as JSON Schema's ``integer`` accepts it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from ..limits import load_json

if TYPE_CHECKING:
    import pyarrow as pa

Loc = tuple[str | int, ...]

Fix = Any
"""Where values need a check while read: ``"date"`` (a timestamp that must be at midnight),
``"int"`` (an integer field stored as float), ``("list", fix)`` or ``("struct", {name: fix})``."""

INT_AS_FLOAT: Final = "int_stored_as_float"
TIMESTAMP_NOT_DATE: Final = "timestamp_not_date"
EPOCH_NOT_DATE: Final = "epoch_ms_not_date"

_INDEX_COLUMN = re.compile(r"__index_level_[0-9]+__")
_MIDNIGHT_ISO = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]00:00(?::00(?:\.0+)?)?(?:Z|[+-]00:?00)?"
)
_DAY_MS: Final = 86_400_000
_EPOCH: Final = date(1970, 1, 1)


@dataclass(frozen=True)
class Problem:
    """A value that cannot be read as the model's type: where, the value, why, its type."""

    loc: Loc
    value: Any
    message: str
    type: str


@dataclass
class ColumnPlan:
    """How to read a Parquet file: the columns (None: all, the schema is exact) and the checks
    some of them need (:data:`Fix`)."""

    columns: list[str] | None = None
    fixes: dict[str, Fix] = field(default_factory=dict)

    @property
    def exact(self) -> bool:
        return self.columns is None


def _compatible(actual: pa.DataType, expected: pa.DataType) -> tuple[bool, Fix]:
    """Whether ``actual`` holds ``expected``'s values unchanged, and the checks it needs."""
    import pyarrow as pa
    import pyarrow.types as t

    if actual.equals(expected) or t.is_null(actual):
        return True, None
    if t.is_dictionary(actual):
        return _compatible(actual.value_type, expected)
    if t.is_string(expected):
        return t.is_string(actual) or t.is_large_string(actual) or t.is_string_view(actual), None
    if t.is_int64(expected):
        if t.is_integer(actual):
            return True, None
        return (True, "int") if t.is_floating(actual) else (False, None)
    if t.is_date32(expected):
        if t.is_date(actual):
            return True, None
        if t.is_timestamp(actual) and actual.tz in (None, "UTC", "utc", "Etc/UTC", "+00:00"):
            return True, "date"
        return False, None
    if t.is_list(expected):
        if isinstance(actual, pa.ListType | pa.LargeListType | pa.FixedSizeListType) or (
            t.is_list_view(actual) or t.is_large_list_view(actual)
        ):
            ok, fix = _compatible(actual.value_type, expected.value_type)
            return ok, (("list", fix) if fix is not None else None)
        return False, None
    if t.is_struct(expected) and t.is_struct(actual):
        names = [expected.field(i).name for i in range(expected.num_fields)]
        found = {actual.field(i).name: actual.field(i).type for i in range(actual.num_fields)}
        if sorted(found) != sorted(names):
            return False, None
        fixes = {}
        for index, name in enumerate(names):
            ok, fix = _compatible(found[name], expected.field(index).type)
            if not ok:
                return False, None
            if fix is not None:
                fixes[name] = fix
        return True, (("struct", fixes) if fixes else None)
    return False, None


def index_columns(schema: pa.Schema) -> set[str]:
    """Columns that hold a pandas index: ``__index_level_N__`` and those the ``pandas``
    metadata names as index columns."""
    names = {name for name in schema.names if _INDEX_COLUMN.fullmatch(name)}
    raw = (schema.metadata or {}).get(b"pandas")
    if raw is not None:
        try:
            listed = load_json(raw).get("index_columns", [])  # within the JSON limits
        except (ValueError, AttributeError):
            listed = []
        names |= {name for name in listed if isinstance(name, str)}
    return names


def plan_columns(schema: pa.Schema, config: str) -> tuple[ColumnPlan | None, str | None]:
    """``(plan, None)`` when the file's columns hold the config's values, else
    ``(None, how the schema differs)``."""
    from ..dataset.folder import column_differences
    from ..features import plain_arrow_schema

    expected = plain_arrow_schema(config)
    if schema.remove_metadata().equals(expected):
        return ColumnPlan(), None
    present = set(schema.names)
    missing = [name for name in expected.names if name not in present]
    ignored = index_columns(schema) - set(expected.names)
    extra = [name for name in schema.names if name not in expected.names and name not in ignored]
    wrong = []
    fixes: dict[str, Fix] = {}
    for name in expected.names:
        if name not in present:
            continue
        if schema.names.count(name) > 1:
            wrong.append(f"{name} appears {schema.names.count(name)} times")
            continue
        actual = schema.field(name).type
        ok, fix = _compatible(actual, expected.field(name).type)
        if not ok:
            wrong.append(f"{name} is {actual}, expected {expected.field(name).type}")
        elif fix is not None:
            fixes[name] = fix
    difference = column_differences(missing, extra, wrong)
    if difference is not None:
        return None, difference
    return ColumnPlan(list(expected.names), fixes), None


def _midnight_date(value: datetime) -> date | None:
    """The date of a timestamp at midnight (naive or UTC), else None."""
    offset = value.utcoffset()
    if value.time() != time(0) or (offset is not None and offset != timedelta(0)):
        return None
    return value.date()


def _fix(value: Any, fix: Fix, loc: Loc, problems: list[Problem]) -> Any:
    if value is None:
        return None
    if fix == "date":
        if isinstance(value, datetime):
            day = _midnight_date(value)
            if day is not None:
                return day
            message = "a timestamp that is not at midnight is not a date"
            problems.append(Problem(loc, value, message, TIMESTAMP_NOT_DATE))
        return value
    if fix == "int":
        message = (
            "an integer field stored as a floating-point column (pandas turns an integer "
            "column with nulls into float64): write it as integers (pandas: dtype Int64)"
        )
        problems.append(Problem(loc, value, message, INT_AS_FLOAT))
        return value
    kind, inner = fix
    if kind == "list" and isinstance(value, list):
        return [_fix(item, inner, (*loc, i), problems) for i, item in enumerate(value)]
    if kind == "struct" and isinstance(value, dict):
        for name, sub in inner.items():
            if name in value:
                value[name] = _fix(value[name], sub, (*loc, name), problems)
    return value


def fix_row(row: dict[str, Any], fixes: dict[str, Fix]) -> list[Problem]:
    """Convert the values of ``row`` that need it, in place; the values that cannot be."""
    problems: list[Problem] = []
    for name, fix in fixes.items():
        if name in row:
            row[name] = _fix(row[name], fix, (name,), problems)
    return problems


def _epoch_date(value: int) -> date | None:
    if value % _DAY_MS:
        return None
    try:
        return _EPOCH + timedelta(days=value // _DAY_MS)
    except OverflowError:
        return None


def _set(obj: Any, loc: Loc, value: str) -> None:
    parent = obj
    for part in loc[:-1]:
        parent = parent[part]
    parent[loc[-1]] = value


def epoch_dates(
    error: ValidationError, data: bytes, validate_json: Callable[[bytes], Any]
) -> tuple[ValidationError | None, list[Problem]]:
    """A JSON record that failed its model only because dates were written as epoch
    milliseconds (or ISO timestamps at midnight): validated again with those dates (when each
    is midnight UTC).

    Returns the error that remains (None: the record is valid) and the dates that are not
    midnight UTC (their own errors; the remaining error does not repeat them).
    """
    epochs = [
        detail
        for detail in error.errors(include_url=False, include_context=False)
        if detail["type"] == "date_type"
        and (
            type(detail["input"]) is int
            or (isinstance(detail["input"], str) and _MIDNIGHT_ISO.fullmatch(detail["input"]))
        )
    ]
    if not epochs:
        return error, []
    try:
        obj = json.loads(data)
    except ValueError:
        return error, []
    problems = []
    for detail in epochs:
        loc = tuple(detail["loc"])
        if isinstance(detail["input"], str):
            _set(obj, loc, detail["input"][:10])
            continue
        day = _epoch_date(detail["input"])
        if day is None:
            message = "epoch milliseconds that are not midnight UTC: not a date"
            problems.append(Problem(loc, detail["input"], message, EPOCH_NOT_DATE))
            continue
        _set(obj, loc, day.isoformat())
    try:
        validate_json(json.dumps(obj, ensure_ascii=False).encode())
    except ValidationError as again:
        return again, problems
    return None, problems
