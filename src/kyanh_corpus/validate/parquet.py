"""Parquet files: the schema from the footer, then every row against its model, batch by batch.

The footer is read first (:func:`read_footer`): a file whose Arrow schema is not the one the
models derive (or, in a built folder, whose ``huggingface`` metadata is missing or stale) is one
``schema`` error and its rows are not checked. A standalone file may hold the same values in
other Arrow types, as pandas, Polars and ``datasets`` write them (:mod:`.foreign`); its rows are
converted while read, and a value that would change is a located ``record`` error. The rows are
then checked in runs of row groups (:func:`row_group_runs`), each a unit of work
(:func:`check_parquet`): every row must pass its model, and every stored value must already be
what the model makes of it (``canonical``: the loaders hand stored rows out as they are).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..dataset.folder import metadata_difference, schema_difference
from ..errors import Diagnostic, DiagnosticKind, field_path
from ..gc_control import paused
from ..models import ENTITY_TABLE
from .foreign import fix_row, plan_columns
from .report import Collector, UnitResult, kept_value

BATCH_ROWS = {entity.config: entity.batch_rows for entity in ENTITY_TABLE}
"""Rows per batch read (as the loaders read them)."""


def read_footer(
    path: Path, display: str, entity: str, *, require_metadata: bool
) -> tuple[Any, Diagnostic | None]:
    """``(metadata, None)`` when the file's schema is the entity's, else ``(None, diagnostic)``.

    ``metadata`` is the file's ``pyarrow.parquet.FileMetaData``; ``require_metadata``: the
    ``huggingface`` schema metadata must be there (a built folder), else it is checked only
    when present.
    """
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_metadata(path)
        schema = pq.read_schema(path)
    except (OSError, ValueError) as error:
        message = f"not a readable Parquet file: {error}"
        return None, Diagnostic(DiagnosticKind.FILE, display, message)
    if require_metadata:  # a built folder's file: the models' exact schema
        difference = schema_difference(schema, entity)
    else:  # a file another tool may have written: the same values suffice (:mod:`.foreign`)
        plan, difference = plan_columns(schema, entity)
        if plan is not None and not plan.exact:
            return metadata, None  # its "huggingface" metadata, if any, describes its own types
    if difference is not None:
        message = f"Arrow schema differs from the model: {difference}"
        return None, Diagnostic(DiagnosticKind.SCHEMA, display, message)
    difference = metadata_difference(schema, entity, required=require_metadata)
    if difference is not None:
        return None, Diagnostic(DiagnosticKind.SCHEMA, display, difference)
    return metadata, None


def row_group_runs(metadata: Any, unit_bytes: int) -> list[tuple[tuple[int, ...], int, int]]:
    """The file's row groups in runs of about ``unit_bytes`` (uncompressed):
    ``(row groups, first row, bytes)`` of each run, in order."""
    runs = []
    first_row = 0
    groups: list[int] = []
    group_rows = 0
    group_bytes = 0
    for index in range(metadata.num_row_groups):
        group = metadata.row_group(index)
        groups.append(index)
        group_rows += group.num_rows
        group_bytes += group.total_byte_size
        if group_bytes >= unit_bytes or index == metadata.num_row_groups - 1:
            runs.append((tuple(groups), first_row, group_bytes))
            first_row += group_rows
            groups, group_rows, group_bytes = [], 0, 0
    return runs


def check_parquet(
    path: str, display: str, entity: str, groups: Sequence[int], first_row: int, budget: int | None
) -> UnitResult:
    """Validate the rows of some row groups of a Parquet file (rows numbered from ``first_row``)."""
    import pyarrow.parquet as pq

    from ..features import validate_rows

    issues = Collector(budget)
    records = 0
    row = first_row
    try:
        with pq.ParquetFile(path) as parquet:
            plan, _difference = plan_columns(parquet.schema_arrow, entity)
            columns = None if plan is None else plan.columns
            fixes = {} if plan is None else plan.fixes
            for batch in parquet.iter_batches(
                batch_size=BATCH_ROWS[entity], row_groups=list(groups), columns=columns
            ):
                count = batch.num_rows
                records += count
                skip: frozenset[tuple[int | None, str | None]] = frozenset()
                try:
                    with paused():  # rows and models are all freed before it resumes
                        rows = batch.to_pylist()
                        if fixes:  # values another tool wrote in another type
                            for index, stored in enumerate(rows):
                                problems = fix_row(stored, fixes)
                                if problems:
                                    skip |= issues.add_problems(problems, display, row=row + index)
                        models = validate_rows(rows, entity)
                        # Stored values must already be what the models make of them (NFC,
                        # stripped...): the loaders' trusted path hands stored rows out as is.
                        changed = [
                            (index, first_difference(stored, model.model_dump()))
                            for index, (stored, model) in enumerate(zip(rows, models, strict=True))
                            if model.model_dump() != stored
                        ]
                except ValidationError as error:
                    issues.add_validation(error, display, row=row, batch_rows=count, skip=skip)
                else:
                    for index, (loc, value) in changed:
                        issues.add(_not_canonical(display, row + index, loc, value))
                row += count
    except Collector.Full:
        pass
    except (OSError, ValueError) as error:
        result = issues.result(records=records)
        message = f"cannot read the Parquet data: {error}"
        result.issues.append(Diagnostic(DiagnosticKind.FILE, display, message))
        return result
    return issues.result(records=records)


_NOT_CANONICAL = (
    "the stored value differs from what the model makes of it (text not NFC, or not "
    "stripped?): rebuild the folder"
)


def _not_canonical(display: str, row: int, loc: tuple[str | int, ...], value: Any) -> Diagnostic:
    if not loc:  # the record as a whole: not shown
        return Diagnostic(DiagnosticKind.CANONICAL, display, _NOT_CANONICAL, row=row)
    return Diagnostic(
        DiagnosticKind.CANONICAL,
        display,
        _NOT_CANONICAL,
        row=row,
        field=field_path(loc),
        value=kept_value(value),
    )


def first_difference(
    stored: Any, canonical: Any, loc: tuple[str | int, ...] = ()
) -> tuple[tuple[str | int, ...], Any]:
    """Where ``stored`` first differs from ``canonical``, and the stored value there.

    >>> first_difference({"a": 1, "b": [2, " x"]}, {"a": 1, "b": [2, "x"]})
    (('b', 1), ' x')
    """
    if isinstance(stored, dict) and isinstance(canonical, dict):
        for key in canonical:
            if stored.get(key) != canonical[key]:
                return first_difference(stored.get(key), canonical[key], (*loc, key))
    elif isinstance(stored, list) and isinstance(canonical, list) and len(stored) == len(canonical):
        for index, (a, b) in enumerate(zip(stored, canonical, strict=True)):
            if a != b:
                return first_difference(a, b, (*loc, index))
    return loc, stored
