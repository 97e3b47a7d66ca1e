"""Rows -> model instances: validated, or assembled on the trusted path.

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
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, cast

from pydantic import BaseModel, ValidationError

from ..dataset.folder import CorpusError
from ..errors import field_path
from ..features import unwrap_annotation
from ..gc_control import paused
from ..models import ENTITIES, ENTITY_TABLE

BATCH_ROWS: Final[dict[str, int]] = {e.config: e.batch_rows for e in ENTITY_TABLE}
"""Rows per batch read from Parquet (bounds the memory a loader holds at once)."""

CHUNK_ROWS: Final = 32
"""Rows turned into Python objects at once (see :func:`_records_of`)."""


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
    """The function assembling ``model`` instances from trusted rows: the fast one below, or
    the public ``model_construct`` path once :func:`_check_internals` found that the fast one
    no longer builds what validation builds (a Pydantic whose internals changed)."""
    cached = _CONSTRUCTORS.get(model)
    if cached is None:
        cached = _CONSTRUCTORS[model] = _fast_constructor(model)
    return cached


def _converters(model: type[BaseModel]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    return tuple(
        (name, conv)
        for name, field in model.model_fields.items()
        if (conv := _converter(field.annotation)) is not None
    )


def public_constructor(model: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """Assemble through Pydantic's public ``model_construct`` (no validation): slower than the
    fast path, but it relies on nothing internal."""
    nested = _converters(model)

    def construct(row: dict[str, Any]) -> Any:
        for name, conv in nested:
            value = row[name]
            if value is not None:
                row[name] = conv(value)
        return model.model_construct(**row)

    return construct


def _same_instance(assembled: Any, reference: BaseModel) -> bool:
    """True when ``assembled`` is what validation built: equal, of the same type, with the same
    fields set, extra and private attributes (what the fast path sets by hand)."""
    return (
        type(assembled) is type(reference)
        and assembled == reference
        and assembled.model_fields_set == reference.model_fields_set
        and getattr(assembled, "__pydantic_extra__", None) == reference.__pydantic_extra__
        and getattr(assembled, "__pydantic_private__", None) == reference.__pydantic_private__
    )


_CHECKED: set[type[BaseModel]] = set()


def _check_internals(model: type[BaseModel], row: dict[str, Any]) -> None:
    """Once per model: assemble a copy of a real row on the fast path and compare it with its
    validation; when they differ (or the fast path fails), switch to the public path."""
    _CHECKED.add(model)
    try:
        reference = model.model_validate(dict(row))
    except ValidationError:
        _CHECKED.discard(model)  # not a row to judge by: try the next one
        return
    try:
        # (a deep copy: assembly converts nested dicts in place, and ``row`` is still to come)
        same = _same_instance(_fast_constructor(model)(copy.deepcopy(row)), reference)
    except Exception:  # the internals the fast path sets are gone or changed
        same = False
    if not same:
        _CONSTRUCTORS[model] = public_constructor(model)


def _fast_constructor(model: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """A function assembling a ``model`` instance from a trusted row without validating it.

    The instance is what validation builds from the same (canonical) row: same ``__dict__``,
    every field in ``model_fields_set``, no extra and no private attributes -- exactly the four
    slots Pydantic sets. The row dict is reused as the instance's ``__dict__`` (rows come fresh
    from ``to_pylist``).
    """
    if model.__pydantic_post_init__ or model.__private_attributes__:
        raise TypeError(f"{model.__name__} cannot be assembled without validation")
    nested = _converters(model)
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

    return construct


def _validated(rows: list[dict[str, Any]], config: str, where: str, offset: int) -> list[Any]:
    """Validate rows of one batch; a failure is a :class:`CorpusError` naming file and row."""
    from ..features import validate_rows

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
    if model not in _CHECKED:
        _check_internals(model, rows[0])
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
