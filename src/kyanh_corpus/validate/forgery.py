"""Checks that catch a forged edit of a built folder whose manifest was rehashed.

Checksums only prove that the files are the ones the manifest lists; an edit followed by a new
manifest passes them. Two checks tie the data to itself:

* **identity** (:func:`check_identity`) -- every article's ``article_id`` is recomputed from its
  ``title`` and ``lede`` (:func:`kyanh_corpus.extract.identity.article_id`); a stored id that
  differs is a ``mismatch`` on that row and field;
* **hf/ against data/** (:func:`check_hf`) -- when the folder has the ``hf/`` form, each config's
  ``hf/<config>/*.arrow`` (Arrow IPC streams, which ``datasets.load_from_disk`` reads,
  read with pyarrow alone) must hold the rows of ``data/<config>/*.parquet``, in order: the first
  differing row of a config is a ``mismatch`` (the field named when one field differs), and a
  different row count a ``rows`` diagnostic.

Both stream: memory holds one batch of each side.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import VALUE_WIDTH, Diagnostic, DiagnosticKind, clip
from ..gc_control import paused
from .report import Collector, UnitResult

BATCH_ROWS = 1024
"""Rows per batch read from a Parquet file."""

Located = tuple[str, int, Any]
"""``(file, first row of the batch in that file, pyarrow.RecordBatch)``."""


def check_identity(
    root: str, files: Sequence[str], display: dict[str, str], budget: int | None
) -> UnitResult:
    """A ``mismatch`` diagnostic for each article whose ``article_id`` is not the one its
    ``title`` and ``lede`` give (values of the wrong type are left to the model checks)."""
    import pyarrow.parquet as pq

    from ..extract.identity import article_id

    issues = Collector(budget)
    try:
        for name in files:
            shown = display.get(name) or str(Path(root) / name)
            row = 0
            with pq.ParquetFile(Path(root) / name) as parquet:
                columns = ["article_id", "title", "lede"]
                for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=columns):
                    with paused():
                        ids = batch.column(0).to_pylist()
                        titles = batch.column(1).to_pylist()
                        ledes = batch.column(2).to_pylist()
                    for stored, title, lede in zip(ids, titles, ledes, strict=True):
                        if isinstance(title, str) and (lede is None or isinstance(lede, str)):
                            expected = article_id(title, lede)
                            if stored != expected:
                                message = (
                                    "article_id does not match the headline and lede "
                                    f"(they give {expected!r})"
                                )
                                issues.add(
                                    Diagnostic(
                                        DiagnosticKind.MISMATCH,
                                        shown,
                                        message,
                                        row=row,
                                        field="article_id",
                                        value=stored,
                                    )
                                )
                        row += 1
    except Collector.Full:
        pass
    return issues.result()


def _parquet_batches(root: Path, names: Sequence[str]) -> Iterator[Located]:
    import pyarrow.parquet as pq

    for name in names:
        row = 0
        with pq.ParquetFile(root / name) as parquet:
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
                yield name, row, batch
                row += batch.num_rows


def _stream_batches(root: Path, names: Sequence[str]) -> Iterator[Located]:
    import pyarrow as pa

    for name in names:
        row = 0
        with pa.OSFile(str(root / name), "rb") as handle:
            for batch in pa.ipc.open_stream(handle):
                yield name, row, batch
                row += batch.num_rows


def _aligned(
    left: Iterator[Located], right: Iterator[Located]
) -> Iterator[tuple[Located, Located]]:
    """Slices of equal length of the two streams, each slice inside one batch of its side;
    stops when either side ends."""
    a = next(left, None)
    b = next(right, None)
    a_at = b_at = 0
    while a is not None and b is not None:
        a_name, a_row, a_batch = a
        b_name, b_row, b_batch = b
        size = min(a_batch.num_rows - a_at, b_batch.num_rows - b_at)
        if size > 0:
            yield (
                (a_name, a_row + a_at, a_batch.slice(a_at, size)),
                (b_name, b_row + b_at, b_batch.slice(b_at, size)),
            )
        a_at += size
        b_at += size
        if a_at >= a_batch.num_rows:
            a, a_at = next(left, None), 0
        if b_at >= b_batch.num_rows:
            b, b_at = next(right, None), 0


def first_difference(data: Any, hf: Any) -> tuple[int, list[str]] | None:
    """``(row, differing fields)`` of the first row where two record batches of the same
    columns differ; None when they are equal."""
    first: int | None = None
    fields: list[str] = []
    for index, name in enumerate(data.schema.names):
        a, b = data.column(index), hf.column(index)
        if a.equals(b):
            continue
        with paused():
            a_values, b_values = a.to_pylist(), b.to_pylist()
        row = next(
            (k for k, (x, y) in enumerate(zip(a_values, b_values, strict=True)) if x != y), None
        )
        if row is None:
            continue
        if first is None or row < first:
            first, fields = row, [name]
        elif row == first:
            fields.append(name)
    return None if first is None else (first, fields)


def _around_difference(a: str, b: str, before: int = 20) -> tuple[str, str, str]:
    """Two long strings cut to start a little before their first difference, and " at
    character N" saying where; short strings as they are."""
    if max(len(a), len(b)) <= VALUE_WIDTH:
        return a, b, ""
    k = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(k - before, 0)
    mark = "…" if start else ""
    return mark + a[start:], mark + b[start:], f" at character {k}"


def _difference(
    found: tuple[int, list[str]],
    d_file: str,
    d_row: int,
    d_batch: Any,
    h_file: str,
    h_row: int,
    h_batch: Any,
) -> Diagnostic:
    """The ``mismatch`` diagnostic of the first differing row of two aligned slices."""
    offset, fields = found
    where = f"{d_file} row {d_row + offset}"
    if len(fields) == 1:
        column = d_batch.schema.names.index(fields[0])
        data_value = d_batch.column(column)[offset].as_py()
        hf_value = h_batch.column(column)[offset].as_py()
        at = ""
        if isinstance(data_value, str) and isinstance(hf_value, str):
            data_value, hf_value, at = _around_difference(data_value, hf_value)
        message = f"differs from data/{at} ({where} has {clip(data_value)})"
        return Diagnostic(
            DiagnosticKind.MISMATCH,
            h_file,
            message,
            row=h_row + offset,
            field=fields[0],
            value=hf_value,
        )
    message = f"differs from data/ ({where}) in {', '.join(fields)}"
    return Diagnostic(DiagnosticKind.MISMATCH, h_file, message, row=h_row + offset)


def check_hf(
    root: str,
    config: str,
    data_files: Sequence[str],
    hf_files: Sequence[str],
    display: dict[str, str],
    budget: int | None,
) -> UnitResult:
    """``hf/<config>/`` against ``data/<config>/``, row for row (see the module doc)."""
    import pyarrow as pa

    issues = Collector(budget)
    base = Path(root)

    def show(name: str) -> str:
        return display.get(name) or str(base / name)

    counts = {"data": 0, "hf": 0}

    def counted(side: str, batches: Iterator[Located]) -> Iterator[Located]:
        for item in batches:
            counts[side] += item[2].num_rows
            yield item

    try:
        if data_files and hf_files:
            import pyarrow.parquet as pq

            wanted = pq.read_schema(base / data_files[0]).names
            for name in hf_files:
                with pa.OSFile(str(base / name), "rb") as handle:
                    names = pa.ipc.open_stream(handle).schema.names
                if names != wanted:
                    message = f"hf/ columns {names} differ from data/ columns {wanted}"
                    issues.add(Diagnostic(DiagnosticKind.MISMATCH, show(name), message))
                    return issues.result()
        data = counted("data", _parquet_batches(base, data_files))
        hf = counted("hf", _stream_batches(base, hf_files))
        for (d_name, d_row, d_batch), (h_name, h_row, h_batch) in _aligned(data, hf):
            found = first_difference(d_batch, h_batch)
            if found is not None:
                issues.add(
                    _difference(found, show(d_name), d_row, d_batch, show(h_name), h_row, h_batch)
                )
                break
        for _item in data:  # count the rest of each side
            pass
        for _item in hf:
            pass
        if counts["data"] != counts["hf"]:
            message = f"hf/{config} has {counts['hf']} rows, data/{config} has {counts['data']}"
            issues.add(Diagnostic(DiagnosticKind.ROWS, show(f"hf/{config}"), message))
    except Collector.Full:
        pass
    return issues.result()
