"""The typed loaders: one config of a corpus as a lazy, re-iterable :class:`Records`."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, overload

from ..dataset.folder import CorpusError, Folder
from ..features import unwrap_annotation
from ..models import (
    ENTITIES,
    SCHEMA_VERSION,
    Article,
    InterviewTurn,
    Record,
    Resolution,
    Source,
)

if TYPE_CHECKING:
    import datasets
    import pandas
    import polars
    import pyarrow as pa
    import pyarrow.compute as pc
from .assembly import BATCH_ROWS, _records_of
from .sources import CorpusSource, Hub, resolve

R = TypeVar("R", bound=Record)

FILTER_FIELDS: Final = (
    "article_id",
    "genre",
    "published_at",
    "speaker_role",
    "doc_type",
    "year",
    "issuer_code",
)
"""The fields :meth:`Records.filter` accepts, each for the configs whose model has it."""


def filterable_fields(config: str) -> tuple[str, ...]:
    """The fields of ``config`` that :meth:`Records.filter` accepts.

    >>> filterable_fields("articles")
    ('article_id', 'genre', 'published_at')
    >>> filterable_fields("resolutions")
    ('doc_type', 'year', 'issuer_code')
    """
    fields = ENTITIES[config].model_fields
    return tuple(name for name in FILTER_FIELDS if name in fields)


@dataclass(frozen=True)
class Filter:
    """Conditions on top-level columns, all of which a record must meet.

    Each condition is ``(field, value)``: a scalar is equality (``None``: the field is null), a
    ``list``/``set``/``frozenset`` is membership, a ``tuple`` ``(low, high)`` is the inclusive
    range ``low <= value <= high`` (an end left None is open; a null value is never in range).
    """

    conditions: tuple[tuple[str, Any], ...] = ()

    def matches(self, record: Any) -> bool:
        """Whether ``record`` meets every condition (the Python side of :meth:`expression`)."""
        for name, wanted in self.conditions:
            value = getattr(record, name)
            if isinstance(wanted, tuple):
                low, high = wanted
                if value is None or (low is not None and value < low):
                    return False
                if high is not None and value > high:
                    return False
            elif isinstance(wanted, frozenset):
                if value not in wanted:
                    return False
            elif value != wanted:
                return False
        return True

    def expression(self) -> pc.Expression | None:
        """The same conditions as a ``pyarrow`` expression (None when there are none)."""
        import pyarrow.compute as pc

        result: pc.Expression | None = None
        for name, wanted in self.conditions:
            field = pc.field(name)
            if isinstance(wanted, tuple):
                low, high = wanted
                part = field.is_valid()
                if low is not None:
                    part = part & (field >= pc.scalar(low))
                if high is not None:
                    part = part & (field <= pc.scalar(high))
            elif isinstance(wanted, frozenset):
                values = [value for value in wanted if value is not None]
                part = field.isin(values)
                if None in wanted:
                    part = part | field.is_null()
            elif wanted is None:
                part = field.is_null()
            else:
                part = field == pc.scalar(wanted)
            result = part if result is None else result & part
        return result


def _condition(config: str, name: str, wanted: Any) -> tuple[str, Any]:
    """A checked, normalised condition (dates may be given as ISO strings)."""
    allowed = filterable_fields(config)
    if name not in allowed:
        raise ValueError(
            f"{config} cannot be filtered on {name!r}; its filterable fields are: "
            f"{', '.join(allowed)}"
        )
    annotation, _ = unwrap_annotation(ENTITIES[config].model_fields[name].annotation)

    def normal(value: Any) -> Any:
        if annotation is date and isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{name}: {value!r} is not an ISO date (YYYY-MM-DD)") from None
        return value

    if isinstance(wanted, tuple):
        if len(wanted) != 2:
            raise ValueError(f"{name}: a range is a (low, high) pair, got {wanted!r}")
        return name, (normal(wanted[0]), normal(wanted[1]))
    if isinstance(wanted, (list, set, frozenset)):
        return name, frozenset(normal(value) for value in wanted)
    return name, normal(wanted)


@dataclass(frozen=True)
class _Reader:
    """How a :class:`Records` reads its source (internal).

    ``batches(filter)`` yields lists of instances meeting the filter; ``length()`` is the
    unfiltered count; ``count(filter)`` and ``arrow(filter)``, when given, answer without
    building instances.
    """

    batches: Callable[[Filter], Iterator[list[Any]]]
    length: Callable[[], int]
    count: Callable[[Filter], int] | None = None
    arrow: Callable[[Filter], pa.Table] | None = None


def _folder_batches(
    folder: Folder, config: str, validate: bool | None, where: Filter | None = None
) -> Iterator[list[Any]]:
    """Verify then read one config of a built folder, a list of instances per batch.

    Before the first record: every file's size and SHA-256 against the manifest, its Arrow
    schema against the models, and the row count of the footers against ``num_rows``
    (:meth:`~.dataset.folder.Folder.verified_files`). A filter is pushed down to the Parquet
    reader (``pyarrow.dataset``: row groups whose statistics exclude it are skipped).
    """
    trusted = validate is not True and folder.manifest.schema_version == SCHEMA_VERSION
    expression = where.expression() if where is not None else None
    for name in folder.verified_files(config):
        path = folder.root / name
        if expression is None:
            with folder.open_parquet(name, config) as parquet:
                batches = parquet.iter_batches(batch_size=BATCH_ROWS[config])
                yield from _records_of(batches, config, str(path), trusted)
        else:
            scanner = _scanner(folder, name, config, expression)
            yield from _records_of(scanner.to_batches(), config, str(path), trusted)


def _scanner(folder: Folder, name: str, config: str, expression: Any, columns: Any = None) -> Any:
    """A ``pyarrow.dataset`` scanner of one verified file, the filter pushed down."""
    import pyarrow.dataset as ds

    with folder.open_parquet(name, config) as parquet:  # checks the schema
        schema = parquet.schema_arrow
    dataset = ds.dataset(folder.root / name, format="parquet", schema=schema)
    return dataset.scanner(
        columns=columns, filter=expression, batch_size=BATCH_ROWS[config], use_threads=False
    )


def _folder_count(folder: Folder, config: str, where: Filter) -> int:
    """The number of rows meeting ``where``, reading only the filter's columns."""
    expression = where.expression()
    if expression is None:
        return folder.num_rows(config)
    total = 0
    for name in folder.verified_files(config):
        total += _scanner(folder, name, config, expression).count_rows()
    return total


def _folder_arrow(folder: Folder, config: str, where: Filter) -> pa.Table:
    """The rows meeting ``where`` as stored in the verified files (plain derived schema)."""
    import pyarrow as pa

    from ..features import plain_arrow_schema

    schema = plain_arrow_schema(config)
    expression = where.expression()
    tables = [
        _scanner(folder, name, config, expression).to_table()
        for name in folder.verified_files(config)
    ]
    if not tables:
        return schema.empty_table()
    return pa.concat_tables([table.replace_schema_metadata(None) for table in tables]).cast(schema)


def _dataset_batches(
    dataset: datasets.Dataset | datasets.IterableDataset, config: str, where: str
) -> Iterator[list[Any]]:
    """Validate a ``datasets`` dataset batch by batch (Hub data is never trusted)."""
    tables = dataset.with_format("arrow").iter(batch_size=BATCH_ROWS[config])
    yield from _records_of(
        (batch for table in tables for batch in table.to_batches()), config, where, False
    )


def _python_filtered(batches: Iterator[list[Any]], where: Filter) -> Iterator[list[Any]]:
    """Keep the records meeting ``where`` (after validation: the Hub path)."""
    if not where.conditions:
        yield from batches
        return
    for batch in batches:
        kept = [record for record in batch if where.matches(record)]
        if kept:
            yield kept


def _extra(name: str) -> str:
    return f'{name} is needed for this: pip install "kyanh-corpus[{name}]" (or pip install {name})'


class Records(Generic[R]):
    """The records of one config: a lazy, re-iterable, typed collection.

    ``len()`` is known without reading data (from ``manifest.json``, or the Hub dataset's split
    sizes); iterating reads and checks the files afresh each time, one batch at a time.

    A :class:`Records` is a read-only view: :meth:`filter` and :meth:`head` return new views
    (nothing is read until they are iterated); ``records[i]`` (negative too) is one record and
    ``records[a:b:c]`` a ``list`` of records, read in corpus order up to the last one asked
    for (a negative index or bound needs ``len()``). :meth:`to_arrow`, :meth:`to_pandas` and
    :meth:`to_polars` give the view as a table.

    >>> from kyanh_corpus import load_interview_turns
    >>> turns = load_interview_turns()
    >>> turns[0].speaker_role, turns[-1].turn_index == len(turns) - 1
    ('interviewer', True)
    >>> [t.turn_index for t in turns[1:6:2]]
    [1, 3, 5]
    >>> answers = turns.filter(speaker_role="interviewee")
    >>> len(answers) + len(turns.filter(speaker_role="interviewer")) == len(turns)
    True
    >>> len(turns.head(3)), turns.to_arrow().num_rows == len(turns)
    (3, True)
    """

    def __init__(
        self,
        config: str,
        batches: Callable[[], Iterator[list[Any]]] | _Reader,
        length: Callable[[], int] | None = None,
        where: str = "",
        *,
        filter: Filter | None = None,
        limit: int | None = None,
    ) -> None:
        self.config = config
        self.model: type[Record] = ENTITIES[config]
        if isinstance(batches, _Reader):
            self._reader = batches
        else:
            unfiltered = batches
            if length is None:
                raise TypeError("Records needs a length() when given a batches() function")
            self._reader = _Reader(lambda f: _python_filtered(unfiltered(), f), length, None, None)
        self.where = where
        self._filter = filter if filter is not None else Filter()
        self._limit = limit

    def _view(self, filter: Filter, limit: int | None) -> Records[R]:
        return Records(self.config, self._reader, None, self.where, filter=filter, limit=limit)

    def __len__(self) -> int:
        if not self._filter.conditions:
            total = self._reader.length()
        elif self._reader.count is not None:
            total = self._reader.count(self._filter)
        else:
            total = sum(len(batch) for batch in self._chunks())
        return total if self._limit is None else min(total, self._limit)

    def _chunks(self) -> Iterator[list[Any]]:
        """The view's instances in lists, the limit applied."""
        batches = self._reader.batches(self._filter)
        if self._limit is None:
            yield from batches
            return
        left = self._limit
        if left <= 0:
            return
        for batch in batches:
            if len(batch) >= left:
                yield batch[:left]
                return
            left -= len(batch)
            yield batch

    def __iter__(self) -> Iterator[R]:
        for batch in self._chunks():
            # Hand the records over keeping no reference to those handed out: a record the
            # caller drops is freed at once, before the next chunk is built.
            batch.reverse()
            pop = batch.pop
            while batch:
                yield pop()

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> list[R]: ...

    def __getitem__(self, index: int | slice) -> R | list[R]:
        """``records[i]``: the record at position ``i`` (IndexError past either end);
        ``records[a:b:c]``: a ``list`` of the records at those positions, as a list slice."""
        if isinstance(index, slice):
            bounds = (index.start, index.stop)
            if (index.step is not None and index.step < 0) or any(
                b is not None and b < 0 for b in bounds
            ):
                positions = range(*index.indices(len(self)))
                if not positions:
                    return []
                last = max(positions[0], positions[-1])
                read = list(itertools.islice(self, last + 1))
                return [read[p] for p in positions]
            return list(itertools.islice(self, index.start, index.stop, index.step))
        if not isinstance(index, int):
            raise TypeError(f"Records indices must be integers or slices, not {type(index)}")
        position = index + len(self) if index < 0 else index
        if position >= 0:
            for record in itertools.islice(self, position, position + 1):
                return record
        raise IndexError(f"{self.config} index {index} out of range")

    def head(self, n: int = 5) -> Records[R]:
        """The first ``n`` records (fewer if there are fewer), as a lazy view."""
        if n < 0:
            raise ValueError(f"head({n}): n must be >= 0")
        limit = n if self._limit is None else min(n, self._limit)
        return self._view(self._filter, limit)

    def filter(self, **conditions: Any) -> Records[R]:
        """The records meeting every condition, as a lazy view (filters chain with AND).

        Fields: those of :data:`FILTER_FIELDS` the config's model has
        (:func:`filterable_fields`); any other is a ``ValueError`` naming them. A value is
        compared with the stored field: a scalar is equality (``None``: null), a ``list`` or
        ``set`` is membership, a ``tuple`` ``(low, high)`` is an inclusive range with either end
        open when None (``published_at=("2021-01-01", None)``; dates may be ISO strings).

        A built folder pushes the filter down to the Parquet reader after verifying the files'
        checksums (row groups that cannot match are skipped; ``len()`` reads the filter's
        columns only); a Hub source validates every record, then filters in Python.
        """
        if self._limit is not None:
            raise ValueError("filter() before head(): a head() view cannot be filtered")
        added = tuple(_condition(self.config, name, value) for name, value in conditions.items())
        return self._view(Filter(self._filter.conditions + added), None)

    def batches(self) -> Iterator[list[R]]:
        """The records as lists of up to :data:`CHUNK_ROWS` (the cheapest way to consume them)."""
        return self._chunks()

    def to_arrow(self) -> pa.Table:
        """The view as a ``pyarrow.Table`` with the config's derived Arrow schema (no metadata).

        A built folder read on the trusted path gives the verified files' stored values directly
        (filter pushed down); otherwise (``validate=True``, a Hub source) the table is built from
        the validated records. Either way the rows are those iteration yields, in that order.
        """
        import pyarrow as pa

        from ..features import plain_arrow_schema

        if self._reader.arrow is not None:
            table = self._reader.arrow(self._filter)
            return table if self._limit is None else table.slice(0, self._limit)
        rows = [record.model_dump() for record in self]
        return pa.Table.from_pylist(rows, schema=plain_arrow_schema(self.config))

    def to_pandas(self, *, arrow_dtypes: bool = True) -> pandas.DataFrame:
        """The view as a ``pandas.DataFrame`` (through :meth:`to_arrow`; needs pandas).

        By default the columns are Arrow-backed (``pandas.ArrowDtype``): nullable integers,
        dates and nested lists and spans keep their types, so ``frame.to_parquet()`` writes the
        corpus's own schema back and ``kyanh-corpus validate`` accepts it. ``arrow_dtypes=False``
        gives pandas' classic NumPy dtypes (a nullable integer becomes ``float64``, a nested one
        inside objects too).
        """
        try:
            import pandas
        except ImportError:
            raise ImportError(_extra("pandas")) from None
        table = self.to_arrow()
        frame = (
            table.to_pandas(types_mapper=pandas.ArrowDtype) if arrow_dtypes else table.to_pandas()
        )
        assert isinstance(frame, pandas.DataFrame)
        return frame

    def to_polars(self) -> polars.DataFrame:
        """The view as a ``polars.DataFrame`` (through :meth:`to_arrow`; needs polars)."""
        try:
            import polars
        except ImportError:
            raise ImportError(_extra("polars")) from None
        frame = polars.from_arrow(self.to_arrow())
        assert isinstance(frame, polars.DataFrame)
        return frame

    def __repr__(self) -> str:
        extra = "".join(f" {name}={value!r}" for name, value in self._filter.conditions)
        if self._limit is not None:
            extra += f" head={self._limit}"
        return f"<Records[{self.model.__name__}] {self.config} from {self.where}{extra}>"


def _hub_dataset(
    repo_id: str, config: str, *, streaming: bool, revision: str | None
) -> datasets.Dataset | datasets.IterableDataset:
    """The one network-touching call: ``datasets.load_dataset`` on a Hub repo.

    Plain Parquet configs, no loading script and no remote code; with ``HF_HUB_OFFLINE=1``
    ``datasets`` only looks in the local cache.
    """
    from ..extras import require

    datasets = require("datasets", "hf", "loading a Hugging Face Hub repository")

    try:
        return datasets.load_dataset(
            repo_id, config, split="train", streaming=streaming, revision=revision
        )
    except (OSError, ValueError) as error:  # ConnectionError, DatasetNotFoundError, ...
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "on", "yes", "true"}
        hint = " (HF_HUB_OFFLINE is set: only the local cache was looked at)" if offline else ""
        raise CorpusError(f"{repo_id}: cannot load config {config!r}{hint}: {error}") from error


def dataset_records(
    dataset: datasets.Dataset | datasets.IterableDataset, config: str, where: str
) -> Records[Any]:
    """Typed records over an already loaded ``datasets`` dataset (the Hub path after loading)."""
    from ..features import features

    if dataset.features is not None and dataset.features != features(config):
        raise CorpusError(f"{where}: features of config {config!r} differ from the models")

    def length() -> int:
        num_rows = getattr(dataset, "num_rows", None)
        if isinstance(num_rows, int):
            return num_rows
        splits = dataset.info.splits
        if splits and "train" in splits and splits["train"].num_examples:
            return int(splits["train"].num_examples)
        raise TypeError(f"{where}: the number of {config} is unknown for this streamed dataset")

    reader = _Reader(
        lambda f: _python_filtered(_dataset_batches(dataset, config, where), f), length
    )
    return Records(config, reader, None, where)


def load_records(
    config: str,
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Any]:
    """The records of any config (``articles``, ``interview_turns``, ``resolutions``, ``sources``).

    ``validate=True`` re-validates every record of a built folder instead of the trusted path;
    ``streaming`` and ``revision`` apply to Hub sources.
    """
    if config not in ENTITIES:
        raise KeyError(f"unknown config {config!r}; known: {', '.join(ENTITIES)}")
    resolved = resolve(source)
    if isinstance(resolved, Hub):
        dataset = _hub_dataset(resolved.repo_id, config, streaming=streaming, revision=revision)
        return dataset_records(dataset, config, resolved.repo_id)
    folder = resolved
    folder.entry_files(config)
    reader = _Reader(
        lambda f: _folder_batches(folder, config, validate, f),
        lambda: folder.num_rows(config),
        lambda f: _folder_count(folder, config, f),
        None if validate is True else lambda f: _folder_arrow(folder, config, f),
    )
    return Records(config, reader, None, str(folder.root))


def load_articles(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Article]:
    """Every :class:`~kyanh_corpus.models.Article`, lazily, in corpus order."""
    return load_records(
        "articles", source, validate=validate, streaming=streaming, revision=revision
    )


def load_interview_turns(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[InterviewTurn]:
    """Every :class:`~kyanh_corpus.models.InterviewTurn`, lazily, in corpus order."""
    return load_records(
        "interview_turns", source, validate=validate, streaming=streaming, revision=revision
    )


def load_resolutions(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Resolution]:
    """Every :class:`~kyanh_corpus.models.Resolution` (merged across articles), lazily."""
    return load_records(
        "resolutions", source, validate=validate, streaming=streaming, revision=revision
    )


def load_sources(
    source: CorpusSource = None,
    *,
    validate: bool | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> Records[Source]:
    """Every :class:`~kyanh_corpus.models.Source` (normalised raw text), lazily."""
    return load_records(
        "sources", source, validate=validate, streaming=streaming, revision=revision
    )
