"""Checks across the configs of a built folder: primary keys, foreign keys, spans.

* **primary keys** -- no two rows of a config have the same key (``models.PRIMARY_KEYS``);
* **foreign keys** -- every interview turn, resolution mention and source names an existing
  article, and every article has its source text in ``sources``;
* **spans** -- every span of an article (paragraphs, captions), of an interview turn and of a
  resolution mention lies inside its article's source text and holds, whitespace folded, the
  text the record states.

The folder is read column by column and streamed (:func:`check_cross`): memory holds the keys,
one batch of rows and one batch of source texts.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, DiagnosticKind
from ..gc_control import paused
from ..models import PRIMARY_KEYS
from .report import Collector, UnitResult


def shorten(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters ("…" marks the cut), to quote it in a message."""
    return text if len(text) <= width else text[: width - 1] + "…"


Claim = tuple[str, int, str, int, Any, Any]
"""A record's claim on its article's source text: (file, row, field, index, span(s), text).

``field``/``index`` name the span field (``paragraphs``, 3 -> ``paragraphs[3].span``; index -1:
``field`` is the whole path); span(s) is a span dict or a list of them, as ``to_pylist`` gives.
"""


class SourceCursor:
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


def spans_of(value: Any) -> list[tuple[Any, Any]] | None:
    """``(start, end)`` of a span dict or of a list of them; None for anything else."""
    if isinstance(value, dict):
        return [(value.get("start"), value.get("end"))]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [(item.get("start"), item.get("end")) for item in value]
    return None


def check_claim(claim: Claim, text: Any, issues: Collector) -> None:
    """A ``span`` diagnostic unless the claim's span(s) hold its text in ``text`` (whitespace
    folded). Values of the wrong type are left to the model checks."""
    file, row, name, index, span_value, wanted = claim
    spans = spans_of(span_value)
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
            issues.add(Diagnostic(DiagnosticKind.SPAN, file, message, row=row, field=field))
            return
        pieces.append(text[start:end])
    from ..extract.text import fold  # here: importing the extractor costs `validate` start-up

    found = fold(" ".join(pieces))
    if found != fold(wanted):
        where = ", ".join(f"[{start}, {end})" for start, end in spans)
        said = shorten(fold(wanted))
        message = f"source text at {where} is {shorten(found)!r}, the field says {said!r}"
        issues.add(Diagnostic(DiagnosticKind.SPAN, file, message, row=row, field=field))


def column_rows(path: str, columns: list[str]) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file, only ``columns``, as dicts (read 1,024 at a time)."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as parquet:
        for batch in parquet.iter_batches(batch_size=1024, columns=columns):
            with paused():
                rows = batch.to_pylist()
            yield from rows


def check_cross(
    root: str, files: dict[str, list[str]], display: dict[str, str], budget: int | None
) -> UnitResult:
    """Primary keys, foreign keys and spans across the configs of a folder, streamed.

    Rows are visited in file order. Spans are checked by merging the claims of articles, turns
    and (sorted) resolution mentions by their article's position in ``sources``: with the build's
    order (articles, sources and turns in input order) the sources are read once, holding one
    batch; claims that come out of order are set aside and checked in a second pass.
    """
    issues = Collector(budget)
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
            for row, rec in enumerate(column_rows(str(base / name), columns)):
                key = rec[keys[0]] if len(keys) == 1 else tuple(rec[k] for k in keys)
                first = key not in seen
                if not first:
                    issues.add(
                        Diagnostic(
                            DiagnosticKind.PRIMARY_KEY,
                            where(name),
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
                    Diagnostic(
                        DiagnosticKind.FOREIGN_KEY,
                        where(name),
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

        mention_claims: list[tuple[int, Claim]] = []
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

        def article_claims() -> Iterator[tuple[int, list[Claim]]]:
            for name in files["articles"]:
                rows = column_rows(str(base / name), ["article_id", "paragraphs", "captions"])
                for row, rec in enumerate(rows):
                    position = ordinal.get(rec["article_id"])
                    if position is None:
                        issues.add(
                            Diagnostic(
                                DiagnosticKind.FOREIGN_KEY,
                                where(name),
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

        def turn_claims() -> Iterator[tuple[int, list[Claim]]]:
            for name in files["interview_turns"]:
                rows = column_rows(str(base / name), ["article_id", "text", "spans"])
                for row, rec in enumerate(rows):
                    position = ordinal.get(rec["article_id"])
                    if position is not None:
                        yield position, [(where(name), row, "spans", -1, rec["spans"], rec["text"])]

        def mention_stream() -> Iterator[tuple[int, list[Claim]]]:
            for position, claim in mention_claims:
                yield position, [claim]

        sources = [str(base / name) for name in files["sources"]]
        late: list[tuple[int, list[Claim]]] = []
        cursor = SourceCursor(sources)
        merged = heapq.merge(
            article_claims(), turn_claims(), mention_stream(), key=lambda item: item[0]
        )
        for position, claims in merged:
            ahead, text = cursor.get(position)
            if not ahead:
                late.append((position, claims))
                continue
            for claim in claims:
                check_claim(claim, text, issues)
        if late:
            late.sort(key=lambda item: item[0])
            cursor = SourceCursor(sources)
            for position, claims in late:
                _ahead, text = cursor.get(position)
                for claim in claims:
                    check_claim(claim, text, issues)
    except Collector.Full:
        pass
    return issues.result()
