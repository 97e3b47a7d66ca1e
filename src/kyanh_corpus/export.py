"""Export one config of a corpus as JSON Lines, CSV or Parquet, streamed through the typed loaders.

Every exported record went through the loaders, so it is a valid model instance (checksums of a
built folder verified first, Hub data validated). The formats:

* ``jsonl`` -- one ``model_dump_json()`` per line (dates ISO 8601, nested values as JSON);
* ``csv`` -- one column per field, in the model's order; nested values (lists, spans) as JSON
  text, dates ISO 8601, null as an empty cell;
* ``parquet`` -- the config's Arrow schema (the same as ``data/<config>/*.parquet``), written in
  row groups of the loader's batch size.

A file is written next to its destination and renamed into place at the end, so an interrupted
export never leaves a half-written file under the name asked for.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from .errors import UsageError

if TYPE_CHECKING:
    from .models import Record

FORMATS: Final = ("jsonl", "csv", "parquet")
"""The export formats."""

_PARQUET_BATCH: Final = 1024


def export(records: Iterable[Record], config: str, fmt: str, out: Path | None = None) -> int:
    """Write ``records`` (of ``config``) in format ``fmt`` to ``out`` (stdout when None, except
    for Parquet); returns the number of records written.

    >>> from kyanh_corpus import load_resolutions
    >>> import io, contextlib
    >>> buffer = io.StringIO()
    >>> with contextlib.redirect_stdout(buffer):
    ...     count = export(load_resolutions(), "resolutions", "csv")
    >>> count
    3
    >>> buffer.getvalue().splitlines()[0].split(",")[:3]
    ['resolution_id', 'code', 'system']
    """
    from .models import ENTITIES

    if config not in ENTITIES:
        raise UsageError(f"unknown config {config!r}; known: {', '.join(ENTITIES)}")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if fmt == "parquet":
        if out is None:
            raise UsageError("Parquet is binary: name the output file with --out")
        return _atomically(out, lambda handle: _write_parquet(records, config, handle), "wb")
    writer = _write_jsonl if fmt == "jsonl" else _write_csv
    if out is None:
        return writer(records, config, sys.stdout)
    return _atomically(out, lambda handle: writer(records, config, handle), "w")


def _atomically(out: Path, write: Any, mode: str) -> int:
    """Run ``write(handle)`` on a temporary file beside ``out``, then rename it to ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(descriptor, mode, **kwargs) as handle:
            count: int = write(handle)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def _write_jsonl(records: Iterable[Record], config: str, handle: IO[str]) -> int:
    count = 0
    for record in records:
        handle.write(record.model_dump_json() + "\n")
        count += 1
    return count


def _cell(value: Any) -> Any:
    """A CSV cell: nested values as JSON text, None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    return value


def _write_csv(records: Iterable[Record], config: str, handle: IO[str]) -> int:
    from .models import ENTITIES

    fields = list(ENTITIES[config].model_fields)
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(fields)
    count = 0
    for record in records:
        row = record.model_dump(mode="json")
        writer.writerow([_cell(row[name]) for name in fields])
        count += 1
    return count


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_parquet(records: Iterable[Record], config: str, handle: IO[bytes]) -> int:
    import pyarrow.parquet as pq

    from .features import plain_arrow_schema, to_table

    schema = plain_arrow_schema(config)
    count = 0
    with pq.ParquetWriter(handle, schema, compression="zstd") as writer:
        for batch in _batches(records, _PARQUET_BATCH):
            writer.write_table(to_table(batch, config).cast(schema))
            count += len(batch)
    return count
