"""Typed loaders: the corpus as lazy iterables of the models, and as a ``datasets.DatasetDict``.

Every loader takes a ``source``:

* ``None`` -- the corpus embedded in the package (``kyanh_corpus/_data/``, no network);
* a path to a built folder (the output of ``kyanh-corpus build``, see ``docs/design.md``);
* a Hugging Face Hub dataset repo id ``owner/name`` (an existing folder of that name wins), read
  through ``datasets.load_dataset(repo, config, split="train")``; ``HF_HUB_OFFLINE=1`` is
  honoured (the Hugging Face cache is then the only place looked at).

``load_articles`` and friends return a :class:`Records`: ``len()`` comes from the manifest without
reading any data; iterating reads the Parquet files batch by batch (memory stays flat whatever
the corpus size) and yields model instances.

Integrity and trust. Before a built folder's file is read, its size and SHA-256 are checked
against ``manifest.json``: a corrupted or stale file raises :class:`CorpusError` naming it. Data
files are Parquet read with ``pyarrow``; nothing from the data is ever executed (no loading
script, no pickle, no ``trust_remote_code``). Records of a verified file whose Arrow schema is
the one derived from the models and whose manifest has the current schema version take the
*trusted path*: the build validated every record before writing it and the checksum proves these
are those bytes, so instances are assembled without re-running the validators -- the first
record of every batch of :data:`BATCH_ROWS` is still fully validated and compared, which catches
any systematic drift (then the rows are validated in full), and a row of a shape the build never
writes falls back to validation, which names it. ``validate=True`` validates every record
anyway; Hub sources are always fully validated. For the rows a build wrote, both paths give
instances equal to ``Model(**row)``. The trusted path does not defend against a folder whose data
was edited and whose manifest was then rewritten to match: ``kyanh-corpus validate DIR`` finds
that (it validates every row and checks that each stored value is already in the form the models
give it), and ``validate=True`` refuses such rows.

``import kyanh_corpus.load`` imports neither ``datasets`` nor ``huggingface_hub`` (nor
``pyarrow``): the functions that need them import them.
"""

from __future__ import annotations

import os
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, Union, cast

from pydantic import BaseModel, ValidationError

from .dataset.folder import CorpusError, Folder, check_schema, open_parquet
from .errors import field_path
from .features import unwrap_annotation
from .gc_control import paused
from .models import (
    ENTITIES,
    ENTITY_TABLE,
    PRIMARY_KEYS,
    SCHEMA_VERSION,
    Article,
    InterviewTurn,
    Record,
    Resolution,
    Source,
)

if TYPE_CHECKING:
    import datasets

__all__ = [
    "CorpusError",
    "CorpusSource",
    "Records",
    "embedded_path",
    "find_resolutions",
    "get_article",
    "get_resolution",
    "load_articles",
    "load_dataset",
    "load_interview_turns",
    "load_records",
    "load_resolutions",
    "load_sources",
]

R = TypeVar("R", bound=Record)

CorpusSource = Union[str, "os.PathLike[str]", None]
"""``None`` (embedded corpus), a built folder, or a Hub repo id ``owner/name``."""

BATCH_ROWS: Final[dict[str, int]] = {e.config: e.batch_rows for e in ENTITY_TABLE}
"""Rows per batch read from Parquet (bounds the memory a loader holds at once)."""

CHUNK_ROWS: Final = 32
"""Rows turned into Python objects at once (see :func:`_records_of`)."""

EMBEDDED_PACKAGE: Final = "kyanh_corpus"
EMBEDDED_DIR: Final = "_data"

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


# --------------------------------------------------------------------------- source resolution


def embedded_path() -> Path:
    """The folder of the corpus shipped inside the package (``kyanh_corpus/_data``)."""
    from importlib.resources import files

    resource = files(EMBEDDED_PACKAGE).joinpath(EMBEDDED_DIR)
    # A zipped install has no real folder to read; str() of its resource is then no path.
    path = resource if isinstance(resource, Path) else Path(str(resource))
    if not (path / "manifest.json").is_file():
        raise CorpusError(
            f"the embedded corpus is missing from this installation ({path}); "
            "pass a built folder or a Hub repo id as source",
            path,
        )
    return path


def is_repo_id(source: str) -> bool:
    """Whether ``source`` has the shape of a Hub repo id ``owner/name`` (what ``load`` and
    ``publish`` accept).

    >>> is_repo_id("owner/kyanh-corpus"), is_repo_id("../x"), is_repo_id("a/b/c")
    (True, False, False)
    """
    return bool(_REPO_ID.match(source)) and ".." not in source


@dataclass(frozen=True)
class _Hub:
    """A Hugging Face Hub dataset repo."""

    repo_id: str


def _resolve(source: CorpusSource) -> Folder | _Hub:
    if source is None:
        root = embedded_path()
    else:
        root = Path(source)
        if not root.exists():
            if isinstance(source, str) and is_repo_id(source):
                return _Hub(source)
            raise CorpusError(f"{source}: no such folder (nor a Hub repo id owner/name)", root)
        if not root.is_dir():
            raise CorpusError(f"{source}: not a folder; pass a built folder", root)
    return Folder.open(root)  # the manifest's raw inputs are not needed here


# --------------------------------------------------------------------------- record assembly


def _converter(annotation: Any) -> Callable[[Any], Any] | None:
    """How to turn a ``to_pylist`` value into the field's value (None: unchanged)."""
    annotation, _ = unwrap_annotation(annotation)
    if typing.get_origin(annotation) is list:
        item = _converter(typing.get_args(annotation)[0])
        if item is None:
            return None
        return lambda values: [item(value) for value in values]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _constructor(annotation)
    return None


_CONSTRUCTORS: dict[type[BaseModel], Callable[[dict[str, Any]], Any]] = {}


def _slot_setter(name: str) -> Callable[[Any, Any], None]:
    """The fastest way to set one of ``BaseModel``'s slots (its descriptor's ``__set__``)."""
    setter = getattr(BaseModel.__dict__.get(name), "__set__", None)
    if setter is None:  # pragma: no cover - a Pydantic without these slots

        def set_slot(instance: Any, value: Any) -> None:
            object.__setattr__(instance, name, value)

        return set_slot
    return cast("Callable[[Any, Any], None]", setter)


def _constructor(model: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """A function assembling a ``model`` instance from a trusted row without validating it.

    The instance is what validation builds from the same (canonical) row: same ``__dict__``,
    every field in ``model_fields_set``, no extra and no private attributes -- exactly the four
    slots Pydantic sets. The row dict is reused as the instance's ``__dict__`` (rows come fresh
    from ``to_pylist``).
    """
    cached = _CONSTRUCTORS.get(model)
    if cached is not None:
        return cached
    if model.__pydantic_post_init__ or model.__private_attributes__:
        raise TypeError(f"{model.__name__} cannot be assembled without validation")
    nested = tuple(
        (name, conv)
        for name, field in model.model_fields.items()
        if (conv := _converter(field.annotation)) is not None
    )
    names = set(model.model_fields)
    # A frozen model never changes its fields set in place (Pydantic copies it before
    # ``model_copy(update=...)`` adds to it), so every instance can share one: a set fewer per
    # instance for the allocator and the garbage collector.
    share = bool(model.model_config.get("frozen"))
    new = object.__new__
    set_dict = _slot_setter("__dict__")
    set_fields_set = _slot_setter("__pydantic_fields_set__")
    set_extra = _slot_setter("__pydantic_extra__")
    set_private = _slot_setter("__pydantic_private__")

    def construct(row: dict[str, Any]) -> Any:
        for name, conv in nested:
            value = row[name]
            if value is not None:
                row[name] = conv(value)
        instance = new(model)
        set_dict(instance, row)
        set_fields_set(instance, names if share else names.copy())
        set_extra(instance, None)
        set_private(instance, None)
        return instance

    _CONSTRUCTORS[model] = construct
    return construct


def _validated(rows: list[dict[str, Any]], config: str, where: str, offset: int) -> list[Any]:
    """Validate rows of one batch; a failure is a :class:`CorpusError` naming file and row."""
    from .features import validate_rows

    try:
        return validate_rows(rows, config)
    except ValidationError as error:
        detail = error.errors(include_url=False)[0]
        loc = detail["loc"]
        row = offset + loc[0] if loc and isinstance(loc[0], int) else offset
        field = field_path(loc[1:]) or "(record)"
        count = error.error_count()
        more = f" (and {count - 1} more errors)" if count > 1 else ""
        raise CorpusError(f"{where} row {row}: {field}: {detail['msg']}{more}", where) from None


def _trusted(
    rows: list[dict[str, Any]], config: str, where: str, offset: int, *, check: bool = True
) -> list[Any]:
    """Assemble rows of a verified file; with ``check``, the first row is validated in full and
    must agree with its assembly (else the rows are validated)."""
    if not rows:
        return []
    model = ENTITIES[config]
    construct = _constructor(model)
    if check:
        try:
            reference = model.model_validate(rows[0])
        except ValidationError:
            return _validated(rows, config, where, offset)
        if construct(rows[0]) != reference:
            return [reference, *_validated(rows[1:], config, where, offset + 1)]
        rest, start = rows[1:], offset + 1
    else:
        reference, rest, start = None, rows, offset
    try:
        built = list(map(construct, rest))
    except (TypeError, KeyError, AttributeError):
        # A shape the build never writes (a null list item...): validation names it. Rows
        # assembled part-way hold model instances where dicts were, which validation accepts.
        built = _validated(rest, config, where, start)
    return built if reference is None else [reference, *built]


def _records_of(
    batches: Iterable[Any], config: str, where: str, trusted: bool
) -> Iterator[list[Any]]:
    """Arrow record batches -> lists of instances, :data:`CHUNK_ROWS` rows at a time.

    Small chunks keep few Python objects alive at once: the garbage collector, paused while a
    chunk is built, then finds little to walk. On the trusted path the first row of every Arrow
    batch is also validated in full (see :func:`_trusted`).
    """
    offset = 0
    for batch in batches:
        for start in range(0, batch.num_rows, CHUNK_ROWS):
            with paused():
                rows = batch.slice(start, CHUNK_ROWS).to_pylist()
                if trusted:
                    records = _trusted(rows, config, where, offset, check=start == 0)
                else:
                    records = _validated(rows, config, where, offset)
                del rows
            offset += len(records)
            yield records


# --------------------------------------------------------------------------- readers


def _folder_batches(folder: Folder, config: str, validate: bool | None) -> Iterator[list[Any]]:
    """Verify then read one config of a built folder, a list of instances per batch.

    Before the first record: every file's size and SHA-256 against the manifest, its Arrow
    schema against the models, and the row count of the footers against ``num_rows``
    (:meth:`~.dataset.folder.Folder.verified_files`).
    """
    trusted = validate is not True and folder.manifest.schema_version == SCHEMA_VERSION
    for name in folder.verified_files(config):
        path = folder.root / name
        with folder.open_parquet(name, config) as parquet:
            batches = parquet.iter_batches(batch_size=BATCH_ROWS[config])
            yield from _records_of(batches, config, str(path), trusted)


def _dataset_batches(
    dataset: datasets.Dataset | datasets.IterableDataset, config: str, where: str
) -> Iterator[list[Any]]:
    """Validate a ``datasets`` dataset batch by batch (Hub data is never trusted)."""
    tables = dataset.with_format("arrow").iter(batch_size=BATCH_ROWS[config])
    yield from _records_of(
        (batch for table in tables for batch in table.to_batches()), config, where, False
    )


class Records(Generic[R]):
    """The records of one config: a lazy, re-iterable, typed collection.

    ``len()`` is known without reading data (from ``manifest.json``, or the Hub dataset's split
    sizes); iterating reads and checks the files afresh each time, one batch at a time.
    """

    def __init__(
        self,
        config: str,
        batches: Callable[[], Iterator[list[Any]]],
        length: Callable[[], int],
        where: str,
    ) -> None:
        self.config = config
        self.model: type[Record] = ENTITIES[config]
        self._batches = batches
        self._length = length
        self.where = where

    def __len__(self) -> int:
        return self._length()

    def __iter__(self) -> Iterator[R]:
        for batch in self._batches():
            # Hand the records over keeping no reference to those handed out: a record the
            # caller drops is freed at once, before the next chunk is built.
            batch.reverse()
            pop = batch.pop
            while batch:
                yield pop()

    def batches(self) -> Iterator[list[R]]:
        """The records as lists of up to :data:`CHUNK_ROWS` (the cheapest way to consume them)."""
        return self._batches()

    def __repr__(self) -> str:
        return f"<Records[{self.model.__name__}] {self.config} from {self.where}>"


def _hub_dataset(
    repo_id: str, config: str, *, streaming: bool, revision: str | None
) -> datasets.Dataset | datasets.IterableDataset:
    """The one network-touching call: ``datasets.load_dataset`` on a Hub repo.

    Plain Parquet configs, no loading script and no remote code; with ``HF_HUB_OFFLINE=1``
    ``datasets`` only looks in the local cache.
    """
    import datasets

    try:
        return datasets.load_dataset(
            repo_id, config, split="train", streaming=streaming, revision=revision
        )
    except (OSError, ValueError) as error:  # ConnectionError, DatasetNotFoundError, ...
        offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "on", "yes", "true"}
        hint = " (HF_HUB_OFFLINE is set: only the local cache was looked at)" if offline else ""
        raise CorpusError(f"{repo_id}: cannot load config {config!r}{hint}: {error}") from error


def _dataset_records(
    dataset: datasets.Dataset | datasets.IterableDataset, config: str, where: str
) -> Records[Any]:
    """Typed records over an already loaded ``datasets`` dataset (the Hub path after loading)."""
    from .features import features

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

    return Records(config, lambda: _dataset_batches(dataset, config, where), length, where)


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
    resolved = _resolve(source)
    if isinstance(resolved, _Hub):
        dataset = _hub_dataset(resolved.repo_id, config, streaming=streaming, revision=revision)
        return _dataset_records(dataset, config, resolved.repo_id)
    folder = resolved
    folder.entry_files(config)
    return Records(
        config,
        lambda: _folder_batches(folder, config, validate),
        lambda: folder.num_rows(config),
        str(folder.root),
    )


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


# --------------------------------------------------------------------------- lookup by id


def _lookup(config: str, key: str, source: CorpusSource, revision: str | None) -> Any:
    """The record of ``config`` whose single-field primary key equals ``key``, or None.

    In a built folder only the key column is scanned, then the one row is read and validated.
    """
    (field,) = PRIMARY_KEYS[config]
    resolved = _resolve(source)
    if isinstance(resolved, _Hub):
        records = load_records(config, source, streaming=True, revision=revision)
        return next((r for r in records if getattr(r, field) == key), None)
    import pyarrow.compute as pc

    folder = resolved
    for name in folder.entry_files(config):
        folder.verify([name])
        path = folder.root / name
        with open_parquet(path, config) as parquet:
            offset = 0
            for group in range(parquet.metadata.num_row_groups):
                keys = parquet.read_row_group(group, columns=[field]).column(0)
                index = pc.index(keys, key).as_py()
                if index >= 0:
                    row = parquet.read_row_group(group).slice(index, 1).to_pylist()
                    return _validated(row, config, str(path), offset + index)[0]
                offset += len(keys)
    return None


def get_article(
    article_id: str, source: CorpusSource = None, *, revision: str | None = None
) -> Article | None:
    """The article with this ``article_id``, or None when the corpus has none."""
    found: Article | None = _lookup("articles", article_id, source, revision)
    return found


def get_resolution(
    key: str, source: CorpusSource = None, *, revision: str | None = None
) -> Resolution | None:
    """The resolution whose ``resolution_id`` is ``key``, or else whose code is ``key`` as
    printed in any spelling that canonicalises ("01-CT/ThU", "Chỉ thị số 01 - CT / ThU",
    "1234/QD-UBND"); None when the corpus has none.

    A code can name several documents (Party numbering restarts each term, local codes repeat
    across places): then this raises :class:`CorpusError` naming their ids, and
    :func:`find_resolutions` returns them all.
    """
    found: Resolution | None = _lookup("resolutions", key, source, revision)
    if found is not None:
        return found
    documents = find_resolutions(key, source=source, revision=revision)
    if len(documents) > 1:
        ids = ", ".join(document.resolution_id for document in documents)
        raise CorpusError(
            f"{key!r} names {len(documents)} documents ({ids}): use find_resolutions() or an id"
        )
    return documents[0] if documents else None


def find_resolutions(
    code: str | None = None,
    *,
    year: int | None = None,
    issuer_code: str | None = None,
    source: CorpusSource = None,
    revision: str | None = None,
) -> list[Resolution]:
    """Every resolution with this code (printed in any spelling that canonicalises, or a
    ``resolution_id``), issued in ``year`` (the year the code carries, else the year of issue)
    and with this issuer code (caseless), in ``resolution_id`` order. Each filter left None
    matches everything; a ``code`` that is no code matches nothing.

    >>> [r.resolution_id for r in find_resolutions("Nghị quyết 02-NQ/ThU")]
    ['02-nq-thu-ky-anh-2021']
    >>> [r.code for r in find_resolutions(issuer_code="tu", year=2019)]
    ['1193-QĐ/TU']
    """
    from .codes import canonical_printed_code
    from .extract.citations import id_parts
    from .models import slugify

    wanted: str | None = None
    if code is not None:
        canonical = canonical_printed_code(code)
        if canonical is None:
            return [
                r for r in load_resolutions(source, revision=revision) if r.resolution_id == code
            ]
        wanted = slugify(canonical)
    issuer = issuer_code.casefold() if issuer_code is not None else None
    found = []
    for resolution in load_resolutions(source, revision=revision):
        if wanted is not None and slugify(resolution.code) != wanted:
            continue
        if issuer is not None and resolution.issuer_code.casefold() != issuer:
            continue
        if year is not None:
            known = id_parts(resolution.resolution_id, resolution.code)[2]
            if known is None and resolution.issued_on is not None:
                known = resolution.issued_on.year
            if known != year:
                continue
        found.append(resolution)
    return found


# --------------------------------------------------------------------------- datasets form


def _folder_dataset(folder: Folder, config: str) -> datasets.Dataset:
    """One config of a built folder as a ``datasets.Dataset`` (checksums verified first).

    The ``hf/<config>/`` form (``save_to_disk``) is memory-mapped when the folder has it;
    otherwise the Parquet files are read into memory.
    """
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets.table import InMemoryTable

    from .features import features

    hf_prefix = f"hf/{config}/"
    hf_files = [name for name in folder.manifest.files if name.startswith(hf_prefix)]
    if hf_files:
        folder.verify(hf_files)
        dataset = datasets.load_from_disk(str(folder.root / "hf" / config))
        if not isinstance(dataset, datasets.Dataset):
            raise CorpusError(f"{folder.root / hf_prefix}: not a single dataset", folder.root)
    else:
        files = folder.entry_files(config)
        folder.verify(files)
        tables = []
        for name in files:
            table = pq.read_table(folder.root / name)
            check_schema(table.schema, config, folder.root / name)
            tables.append(table)
        table = pa.concat_tables(tables) if tables else features(config).arrow_schema.empty_table()
        info = datasets.DatasetInfo(features=features(config), config_name=config)
        dataset = datasets.Dataset(
            InMemoryTable(table.cast(features(config).arrow_schema)),
            info=info,
            split=datasets.Split.TRAIN,
        )
    if dataset.features != features(config):
        raise CorpusError(
            f"{folder.root}: features of config {config!r} differ from the models", folder.root
        )
    if dataset.num_rows != folder.num_rows(config):
        raise CorpusError(
            f"{folder.root}: config {config!r} has {dataset.num_rows} rows, "
            f"manifest.json says {folder.num_rows(config)}",
            folder.root / "manifest.json",
        )
    return dataset


def load_dataset(
    source: CorpusSource = None,
    *,
    configs: Sequence[str] | None = None,
    streaming: bool = False,
    revision: str | None = None,
) -> datasets.DatasetDict | datasets.IterableDatasetDict:
    """The corpus as a ``datasets.DatasetDict`` keyed by config, with exactly the declared features.

    ``configs`` selects some configs (default: all four). With ``streaming=True`` the result is
    an ``IterableDatasetDict`` (for a Hub repo, nothing is downloaded up front).
    """
    import datasets

    from .features import features

    names = list(ENTITIES) if configs is None else list(configs)
    for name in names:
        if name not in ENTITIES:
            raise KeyError(f"unknown config {name!r}; known: {', '.join(ENTITIES)}")
    resolved = _resolve(source)
    loaded: dict[str, Any] = {}
    for config in names:
        if isinstance(resolved, _Hub):
            dataset = _hub_dataset(resolved.repo_id, config, streaming=streaming, revision=revision)
            if dataset.features is not None and dataset.features != features(config):
                raise CorpusError(
                    f"{resolved.repo_id}: features of config {config!r} differ from the models"
                )
            loaded[config] = dataset
        else:
            dataset = _folder_dataset(resolved, config)
            loaded[config] = dataset.to_iterable_dataset() if streaming else dataset
    if streaming:
        return datasets.IterableDatasetDict(loaded)
    return datasets.DatasetDict(loaded)
