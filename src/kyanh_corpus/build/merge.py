"""The resolution merge: one ``resolutions`` row per document, across every article citing it.

Each article states facts about the documents it cites (the code, its parts, the type name:
:data:`FACTS`) and holds their mentions. :class:`ResolutionMerger` gathers them while the pages
are extracted -- in memory only each document's id, first code and mention count; the
statements go to the :class:`~.ledger.Ledger`, the mentions to an Arrow stream in the work
folder -- and, at the end, writes one row per ``resolution_id`` (sorted), window by window:

* documents cited without their place or year join the one fuller document with the same code
  (``aliases``; docs/design.md, "Document identity"), or are listed as ambiguous;
* the code facts come from the first article citing the document; the derived facts (issue
  date, issuer, title: :data:`DERIVED_FACTS`) from its mentions, in corpus order
  (:func:`~kyanh_corpus.models.document_facts`);
* every fact the articles or the mentions disagree on is a conflict, listed in
  ``build_report.json``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ..codes import CODE_PARTS
from ..features import unwrap_annotation
from ..models import Resolution, disagreements, document_facts
from .ledger import Ledger
from .report import jsonable

if TYPE_CHECKING:
    import pyarrow as pa

    from ..dataset.json import JsonItems
    from .sinks import ConfigWriter

__all__ = [
    "CONFLICT_ARTICLES",
    "DERIVED_FACTS",
    "FACTS",
    "MENTION_COLUMNS",
    "MergeCounts",
    "ResolutionMerger",
    "mention_column_type",
]

DERIVED_FACTS: Final = ("issued_on", "issuer", "title")
"""``Resolution`` facts derived from its mentions (:func:`~kyanh_corpus.models.document_facts`)
rather than merged from the articles' statements."""


def _fact_fields() -> tuple[str, ...]:
    """The ``Resolution`` fields each article states once about a document (the code, its parts
    and the type name), from the model: they come from the first article citing the document
    (articles can only disagree on them when two codes give the same ``resolution_id``)."""
    names = [name for name in Resolution.model_fields if name not in ("resolution_id", "mentions")]
    kept = tuple(
        name for name in names if name in CODE_PARTS or Resolution.model_fields[name].is_required()
    )
    assert set(names) == {*kept, *DERIVED_FACTS}, "a Resolution field is neither kept nor derived"
    return kept


FACTS: Final = _fact_fields()
"""What one article states about a document it cites (a *statement*), in this order."""

_DATE_FACT_POSITIONS: Final = tuple(
    position
    for position, name in enumerate(FACTS)
    if unwrap_annotation(Resolution.model_fields[name].annotation)[0] is date
)
"""Positions in a statement of the facts that are dates (spilled as ISO strings)."""

MENTION_COLUMNS: Final = {
    "rid": "string",
    "start": "int64",
    "end": "int64",
    "article_id": "string",
    "surface": "string",
    "issued_on": "date32",
    "issuer": "string",
    "title": "string",
}
"""Columns of the mention spill file (the build's own work file, not a corpus schema): the
document, then the mention's span, text and facts as ``Mention`` holds them; ``seq`` (the
article's position) is added by the main process."""


def mention_column_type(name: str) -> pa.DataType:
    """The Arrow type of a :data:`MENTION_COLUMNS` kind."""
    import pyarrow as pa

    return {"string": pa.string(), "date32": pa.date32()}.get(name, pa.int64())


CONFLICT_ARTICLES: Final = 20
"""Most article ids listed per conflicting value in the build report."""


class _Facts:
    """What the corpus says about one document: each distinct statement, with who made it.

    A *statement* is the tuple of every fact one article gives (``FACTS`` order). Articles that
    agree share one entry (at most ``CONFLICT_ARTICLES`` ids listed per statement). Made for
    one window of documents at a time, from the statements spilled to the :class:`Ledger`.
    """

    __slots__ = ("statements",)

    def __init__(self) -> None:
        self.statements: dict[tuple[Any, ...], list[str]] = {}

    def add_statement(self, statement: tuple[Any, ...], articles: Iterable[str]) -> None:
        seen = self.statements.setdefault(statement, [])
        for article_id in articles:
            if len(seen) < CONFLICT_ARTICLES and article_id not in seen:
                seen.append(article_id)

    @property
    def first(self) -> dict[str, Any]:
        """The facts of the first statement (the first article citing the document)."""
        return dict(zip(FACTS, next(iter(self.statements)), strict=True))

    def merged(self) -> tuple[dict[str, Any], list[tuple[str, Any, dict[Any, list[str]]]]]:
        """The first article's facts and the conflicts ``(field, kept value, value ->
        articles)`` where articles state another value."""
        first = self.first
        conflicts = []
        for position, name in enumerate(FACTS):
            values: dict[Any, list[str]] = {}
            for statement, articles in self.statements.items():
                seen = values.setdefault(statement[position], [])
                seen.extend(a for a in articles if a not in seen)
            if len(values) > 1:
                for seen in values.values():
                    del seen[CONFLICT_ARTICLES:]
                conflicts.append((name, first[name], values))
        return first, conflicts


def _encode_statement(facts: Mapping[str, Any]) -> str:
    """One article's facts about a document as JSON text (dates as ISO strings): equal
    statements give equal text."""
    return json.dumps(
        [value.isoformat() if isinstance(value, date) else value for value in
         (facts.get(name) for name in FACTS)],
        ensure_ascii=False,
    )  # fmt: skip


def _decode_statement(text: str) -> tuple[Any, ...]:
    """The facts tuple (``FACTS`` order) of :func:`_encode_statement`'s text."""
    values = json.loads(text)
    for position in _DATE_FACT_POSITIONS:
        if values[position] is not None:
            values[position] = date.fromisoformat(values[position])
    return tuple(values)


def _more_specific(
    identity: tuple[str, str | None, int | None], place: str | None, year: int | None
) -> bool:
    """True when ``identity`` has the given place and year wherever they are known, and knows
    a part they lack."""
    _, its_place, its_year = identity
    agrees = (place is None or its_place == place) and (year is None or its_year == year)
    adds = (place is None and its_place is not None) or (year is None and its_year is not None)
    return agrees and adds


@dataclass
class MergeCounts:
    """What the resolution merge found: documents whose mentions or articles disagree on a fact,
    and documents left apart because their code names several documents in the corpus."""

    conflicting: int = 0
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)


class ResolutionMerger:
    """One row per ``resolution_id``. In memory: each document's id, first code and mention
    count; what every article states about it is spilled to the :class:`Ledger`, and mentions
    to an Arrow stream on disk, until the end."""

    def __init__(self, work: Path, ledger: Ledger, *, window: int = 16_384) -> None:
        self.path = work / "mentions.arrow"
        self.ledger = ledger
        self.window = window
        """Most mentions gathered at once when writing (one resolution may hold more)."""
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.identities: list[tuple[str, str | None, int | None]] = []
        """Each document's ``(code slug, place slug, year)`` (``extract.citations.id_parts``)."""
        self.mentions: list[int] = []
        self._writer: Any = None
        self.total_mentions = 0

    def add(
        self, article_id: str, seq: int, resolutions: Iterable[tuple[str, dict[str, Any], int]]
    ) -> None:
        """The facts article number ``seq`` states about the documents it cites."""
        statements = []
        for n, (rid, stated, count) in enumerate(resolutions):
            index = self.index.get(rid)
            if index is None:
                from ..extract.document_ids import id_parts

                index = self.index[rid] = len(self.ids)
                self.ids.append(rid)
                self.identities.append(id_parts(rid, stated["code"]))
                self.mentions.append(0)
            self.mentions[index] += count
            statements.append((index, seq, n, _encode_statement(stated), article_id))
        self.ledger.add_statements(statements)

    def aliases(self) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
        """``(alias -> target, ambiguous)``: which documents without a place or a year are the
        same document as one with it (docs/design.md, "Document identity").

        A code names one document per place (local issuers) and per year (numbering restarts).
        A document some article cites without its place or year is the same as a document with
        the same code that has every part it has and more, when the corpus holds exactly one
        such document (counting only the most specific ones); with two or more it stays a
        record of its own, listed as ambiguous with its candidates.
        """
        by_base: dict[str, list[int]] = {}
        for index, (base, _, _) in enumerate(self.identities):
            by_base.setdefault(base, []).append(index)
        aliases: dict[str, str] = {}
        ambiguous: list[tuple[str, list[str]]] = []
        for indices in by_base.values():
            if len(indices) < 2:
                continue
            for index in indices:
                _, place, year = self.identities[index]
                if place is not None and year is not None:
                    continue
                fuller = [i for i in indices if _more_specific(self.identities[i], place, year)]
                maximal = [
                    i
                    for i in fuller
                    if not any(_more_specific(self.identities[j], *self.identities[i][1:])
                               for j in fuller)
                ]  # fmt: skip
                if len(maximal) == 1:
                    aliases[self.ids[index]] = self.ids[maximal[0]]
                elif maximal:
                    ambiguous.append((self.ids[index], sorted(self.ids[i] for i in maximal)))
        return aliases, sorted(ambiguous)

    def add_mentions(self, table: pa.Table) -> None:
        """Mention rows (``rid``, ``seq``, ``start``, ``end``, ``article_id``, ``surface``)."""
        import pyarrow as pa

        if table.num_rows == 0:
            return
        if self._writer is None:
            self._writer = pa.ipc.new_stream(str(self.path), table.schema)
        self._writer.write_table(table)
        self.total_mentions += table.num_rows

    def close(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):
                self._writer.close()
            self._writer = None

    def _windows(self, order: Sequence[int]) -> Iterator[tuple[int, int]]:
        """Runs ``[a, b)`` of ranks holding at most ``window`` mentions (or one resolution)."""
        start = held = 0
        for position, index in enumerate(order):
            count = self.mentions[index]
            if held and held + count > self.window:
                yield start, position
                start, held = position, 0
            held += count
        yield start, len(order)

    def finish(self, writer: ConfigWriter, conflicts: JsonItems) -> MergeCounts:
        """Write every merged resolution (sorted by id) to ``writer``, and every conflict (a fact
        the mentions, or the articles, disagree on) to ``conflicts``; return the counts.

        A document's issue date, issuer and title are derived from its mentions, in corpus
        order (:func:`~kyanh_corpus.models.document_facts`). Columnar and windowed: the spilled
        mentions are scanned once per window of resolution ranks, so memory holds one window's
        mentions (as Arrow columns), never the corpus's.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        from ..features import arrow_schema, validate_rows

        self.close()
        counts = MergeCounts()
        if not self.ids:
            return counts
        schema = arrow_schema("resolutions")
        list_type = schema.field("mentions").type
        mention_type = list_type.value_type
        span_type = mention_type.field("span").type
        aliases, ambiguous = self.aliases()
        counts.ambiguous = ambiguous
        for source, target in aliases.items():  # an alias's mentions count for its target
            self.mentions[self.index[target]] += self.mentions[self.index[source]]
        order = sorted(
            (index for index, rid in enumerate(self.ids) if rid not in aliases),
            key=self.ids.__getitem__,
        )
        rank_of = {self.ids[index]: rank for rank, index in enumerate(order)}
        # An aliased id takes the rank of the id it merges into (its statements and mentions).
        rank_of.update({source: rank_of[target] for source, target in aliases.items()})
        # What the articles state, in rank order; an alias's statements after its target's.
        statements = self.ledger.statements(
            [(index, rank, 0) for rank, index in enumerate(order)]
            + [
                (self.index[source], rank_of[target], tier)
                for target, sources in _by_target(aliases).items()
                for tier, source in enumerate(sources, start=1)
            ]
        )
        pending = next(statements, None)
        # Each batch's mention ranks, found by the first window's scan and kept for the next ones
        # (8 bytes a mention; a lookup per batch and window was quadratic).
        batch_ranks: list[pa.Array] = []
        for low, high in self._windows(order):
            window_facts = [_Facts() for _ in range(high - low)]
            while pending is not None and pending[0] < high:
                rank, statement, article_id = pending
                window_facts[rank - low].add_statement(_decode_statement(statement), [article_id])
                pending = next(statements, None)
            parts = []
            with pa.OSFile(str(self.path)) as handle:
                for number, batch in enumerate(pa.ipc.open_stream(handle)):
                    if number == len(batch_ranks):
                        rids = batch.column("rid").to_pylist()
                        batch_ranks.append(pa.array([rank_of[rid] for rid in rids], pa.int64()))
                    ranks = batch_ranks[number]
                    keep = pc.and_(pc.greater_equal(ranks, low), pc.less(ranks, high))
                    if pc.any(keep).as_py():
                        table = pa.Table.from_batches([batch]).filter(keep)
                        parts.append(table.append_column("rank", ranks.filter(keep)))
            found = pa.concat_tables(parts)
            found = found.take(
                pc.sort_indices(
                    found,
                    sort_keys=[("rank", "ascending"), ("seq", "ascending"), ("start", "ascending")],
                )
            ).combine_chunks()
            indices = order[low:high]
            offsets = [0]
            for index in indices:
                offsets.append(offsets[-1] + self.mentions[index])
            columns = {
                name: found.column(name).chunk(0)
                for name in ("article_id", "surface", *DERIVED_FACTS)
            }
            columns["span"] = pa.StructArray.from_arrays(
                [found.column(f.name).chunk(0) for f in span_type], fields=list(span_type)
            )
            stated = list(
                zip(*(found.column(name).to_pylist() for name in DERIVED_FACTS), strict=True)
            )
            stated_by = found.column("article_id").to_pylist()
            mentions = pa.ListArray.from_arrays(
                pa.array(offsets, pa.int32()),
                pa.StructArray.from_arrays(
                    [columns[f.name] for f in mention_type], fields=list(mention_type)
                ),
                type=list_type,
            )
            rows: list[dict[str, Any]] = []
            for position, (index, facts) in enumerate(zip(indices, window_facts, strict=True)):
                merged, clashes = facts.merged()
                first, last = offsets[position], offsets[position + 1]
                mention_facts = stated[first:last]
                derived = dict(zip(DERIVED_FACTS, document_facts(mention_facts), strict=True))
                rows.append({"resolution_id": self.ids[index], **merged, **derived})
                for name in disagreements(mention_facts):
                    values: dict[Any, list[str]] = {}
                    column = DERIVED_FACTS.index(name)
                    for facts_of, article_id in zip(
                        mention_facts, stated_by[first:last], strict=True
                    ):
                        if facts_of[column] is not None:
                            seen = values.setdefault(facts_of[column], [])
                            if article_id not in seen and len(seen) < CONFLICT_ARTICLES:
                                seen.append(article_id)
                    clashes.append((name, derived[name], values))
                if clashes:
                    counts.conflicting += 1
                for name, kept, values in clashes:
                    conflicts.add(
                        {
                            "resolution_id": self.ids[index],
                            "field": name,
                            "kept": jsonable(kept),
                            "values": [
                                {"value": jsonable(value), "articles": articles}
                                for value, articles in values.items()
                            ],
                        }
                    )
            # Mentions were validated in their article's records. A document that every article
            # states alike, with facts derived by the same function from the same kind of
            # mentions, was validated (as a Resolution with this id) when its article was
            # extracted; one merged from several statements is checked here (the code agrees with
            # its parts, its facts are its mentions' facts...).
            validate_rows(
                [
                    {**row, "mentions": mentions[position].as_py()}
                    for position, (row, facts) in enumerate(zip(rows, window_facts, strict=True))
                    if len(facts.statements) > 1
                ],
                "resolutions",
            )
            arrays = [
                mentions
                if field.name == "mentions"
                else pa.array([row[field.name] for row in rows], type=field.type)
                for field in schema
            ]
            writer.write(pa.Table.from_arrays(arrays, schema=schema))
        return counts


def _by_target(aliases: dict[str, str]) -> dict[str, list[str]]:
    """The aliases of each target, in alias order (each gets its own tier after the target)."""
    grouped: dict[str, list[str]] = {}
    for source, target in aliases.items():
        grouped.setdefault(target, []).append(source)
    return grouped
