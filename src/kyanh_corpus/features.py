"""Forms derived from the models: Arrow schema, ``datasets.Features``, JSON Schema, conversions.

Nothing in this module declares a field: every form is computed from the Pydantic models in
:mod:`kyanh_corpus.models`, so the forms cannot drift apart. The mapping is

============================  ==============================================
model annotation              Arrow / ``datasets`` type
============================  ==============================================
``str``, ``Literal[...]``     ``string`` (Literal values listed in the JSON Schema ``enum``)
``int``                       ``int64``
``bool``                      ``bool``
``datetime.date``             ``date32``
``X | None``                  the type of ``X`` (every Arrow field is nullable)
``list[X]``                   ``datasets.List(X)`` / ``list<X>``
a model                       a struct of its fields
============================  ==============================================

``datasets`` is imported only by :func:`features` and :func:`from_dataset`, so
``import kyanh_corpus`` stays light and the build needs no ``datasets``: the ``datasets`` forms
of the schema (the ``huggingface`` schema metadata key every Parquet and ``hf/`` file carries,
the card's ``features``) are computed from the Arrow schema in ``datasets``' own format, and a
test checks them against what ``datasets`` derives.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, Union

from pydantic import BaseModel, TypeAdapter

from .models import ENTITIES, SCHEMA_NAMES, SCHEMA_VERSION, Record

if TYPE_CHECKING:
    import datasets
    import pyarrow as pa

SCHEMA_ID_BASE: Final = "urn:kyanh-corpus:schema"
"""Base of every JSON Schema ``$id``: ``urn:kyanh-corpus:schema:<major>:<entity>``."""

JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"


def model_for(config: str) -> type[Record]:
    """The model of a config name (``articles``, ``interview_turns``, ``resolutions``, ``sources``).

    >>> model_for("articles").__name__
    'Article'
    """
    try:
        return ENTITIES[config]
    except KeyError:
        known = ", ".join(ENTITIES)
        raise KeyError(f"unknown entity {config!r}; known: {known}") from None


def unwrap_annotation(annotation: Any) -> tuple[Any, bool]:
    """``(inner annotation, nullable)`` with ``Annotated[...]`` and ``| None`` removed.

    Every walk over the models' annotations (features, the card's tables, Croissant, the loader's
    trusted constructors) starts here. A union of two or more non-None types is returned as is.

    >>> unwrap_annotation(int | None)
    (<class 'int'>, True)
    """
    nullable = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            nullable = nullable or len(members) < len(typing.get_args(annotation))
            if len(members) != 1:
                return annotation, nullable
            annotation = members[0]
        else:
            return annotation, nullable


def _arrow_type(annotation: Any) -> pa.DataType:
    """The Arrow type of one (resolved) model annotation (the mapping in the module docstring)."""
    import pyarrow as pa

    annotation, _ = unwrap_annotation(annotation)
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        raise TypeError(f"only X | None unions map to Arrow, not {annotation!r}")
    if origin is Literal:
        if not all(isinstance(value, str) for value in typing.get_args(annotation)):
            raise TypeError(f"only string Literals map to Arrow, not {annotation!r}")
        return pa.string()
    if origin is list:
        (item,) = typing.get_args(annotation)
        return pa.list_(_arrow_type(item))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return pa.struct(_arrow_fields(annotation))
    scalars = {str: pa.string(), int: pa.int64(), bool: pa.bool_(), date: pa.date32()}
    if annotation in scalars:
        return scalars[annotation]
    raise TypeError(f"no Arrow mapping for {annotation!r}")


def _arrow_fields(model: type[BaseModel]) -> list[pa.Field]:
    import pyarrow as pa

    return [pa.field(name, _arrow_type(f.annotation)) for name, f in model.model_fields.items()]


@cache
def plain_arrow_schema(config: str) -> pa.Schema:
    """The Arrow schema of a config derived from its model, without ``datasets`` and without the
    ``huggingface`` metadata key (what readers compare a Parquet file's schema with)."""
    import pyarrow as pa

    return pa.schema(_arrow_fields(model_for(config)))


def _hf_feature(arrow_type: pa.DataType) -> Any:
    """The ``datasets`` feature dict (``Features.to_dict`` form) of one Arrow type."""
    import pyarrow as pa

    if pa.types.is_struct(arrow_type):
        return {child.name: _hf_feature(child.type) for child in arrow_type}
    if pa.types.is_list(arrow_type):
        return {"feature": _hf_feature(arrow_type.value_type), "_type": "List"}
    return {"dtype": _dtype(arrow_type), "_type": "Value"}


def _dtype(arrow_type: pa.DataType) -> str:
    """``datasets``' name of a scalar Arrow type (``date32``, not Arrow's ``date32[day]``)."""
    name = str(arrow_type)
    return "date32" if name == "date32[day]" else name


def _hf_yaml(name: str, arrow_type: pa.DataType) -> dict[str, Any]:
    """The dataset card's ``features`` entry of one field (``Features._to_yaml_list`` form)."""
    import pyarrow as pa

    if pa.types.is_struct(arrow_type):
        return {"name": name, "struct": [_hf_yaml(c.name, c.type) for c in arrow_type]}
    if pa.types.is_list(arrow_type):
        inner = _hf_yaml(name, arrow_type.value_type)
        del inner["name"]
        ((kind, value),) = inner.items()
        return {"name": name, "list": inner if kind == "list" else value}
    return {"name": name, "dtype": _dtype(arrow_type)}


@cache
def hf_features_dict(config: str) -> dict[str, Any]:
    """The config's ``datasets.Features`` as ``Features.to_dict`` gives it, computed from the
    Arrow schema without importing ``datasets`` (the build writes the ``hf/`` form and the card
    with it; ``test_features.py`` checks it equals what ``datasets`` itself derives).

    >>> hf_features_dict("articles")["article_id"]
    {'dtype': 'string', '_type': 'Value'}
    """
    return {f.name: _hf_feature(f.type) for f in plain_arrow_schema(config)}


def features_yaml(config: str) -> list[dict[str, Any]]:
    """The dataset card's ``features`` list of a config (``Features._to_yaml_list`` form),
    computed without importing ``datasets``."""
    return [_hf_yaml(f.name, f.type) for f in plain_arrow_schema(config)]


@cache
def features(config: str) -> datasets.Features:
    """The exact ``datasets.Features`` of a config, derived from its model (needs the ``hf``
    extra: ``pip install "kyanh-corpus[hf]"``)."""
    from .extras import require

    module = require("datasets", "hf", "datasets.Features (the card, the hf/ form)")
    found: datasets.Features = module.Features.from_dict(hf_features_dict(config))
    return found


@cache
def arrow_schema(config: str) -> pa.Schema:
    """The Arrow schema of a config, with the ``huggingface`` metadata key ``datasets`` reads
    (the features as :func:`hf_features_dict` gives them; no ``datasets`` import)."""
    metadata = json.dumps({"info": {"features": hf_features_dict(config)}})
    return plain_arrow_schema(config).with_metadata({b"huggingface": metadata.encode()})


def to_table(records: Iterable[Record], config: str) -> pa.Table:
    """Records of one config -> a ``pyarrow.Table`` with the derived schema.

    Raises ``TypeError`` when a record is not an instance of the config's model.
    """
    import pyarrow as pa

    model = model_for(config)
    rows = []
    for record in records:
        if not isinstance(record, model):
            raise TypeError(f"{config} holds {model.__name__} records, not {type(record).__name__}")
        rows.append(record.model_dump())
    return pa.Table.from_pylist(rows, schema=arrow_schema(config))


@cache
def _list_adapter(config: str) -> TypeAdapter[list[Record]]:
    list_type: Any = types.GenericAlias(list, (model_for(config),))
    return TypeAdapter(list_type)


def validate_rows(rows: list[dict[str, Any]], config: str) -> list[Record]:
    """Validate plain rows (as ``to_pylist`` gives them) into models, one batch at a time."""
    return _list_adapter(config).validate_python(rows)


def from_table(table: pa.Table | pa.RecordBatch, config: str) -> Iterator[Record]:
    """A ``pyarrow.Table`` (or batch) -> validated records, lazily, batch by batch."""
    batches = table.to_batches() if hasattr(table, "to_batches") else [table]
    for batch in batches:
        yield from validate_rows(batch.to_pylist(), config)


def from_dataset(
    dataset: datasets.Dataset | datasets.IterableDataset, config: str
) -> Iterator[Record]:
    """A ``datasets.Dataset`` or ``IterableDataset`` -> validated records, lazily."""
    model = model_for(config)
    for row in dataset:
        yield model.model_validate(row)


def json_schema(config: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a config's model, with ``$id`` and a title.

    >>> schema = json_schema("articles")
    >>> schema["$schema"], schema["$id"], schema["title"]
    ('https://json-schema.org/draft/2020-12/schema', 'urn:kyanh-corpus:schema:2:article', 'Article')
    """
    model = model_for(config)
    body = model.model_json_schema(mode="validation")
    major = SCHEMA_VERSION.split(".")[0]
    header = {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": f"{SCHEMA_ID_BASE}:{major}:{SCHEMA_NAMES[config]}",
        "title": model.__name__,
        "x-kyanh-corpus-schema-version": SCHEMA_VERSION,
        "x-kyanh-corpus-config": config,
    }
    return {**header, **{key: value for key, value in body.items() if key not in header}}


def schema_files() -> dict[str, str]:
    """File name -> exact text of every file ``schema --write`` puts in ``schema/``."""
    return {
        f"{SCHEMA_NAMES[config]}.schema.json": json.dumps(
            json_schema(config), ensure_ascii=False, indent=2, sort_keys=False
        )
        + "\n"
        for config in ENTITIES
    }


def write_schemas(out_dir: Path) -> list[Path]:
    """Write the JSON Schema files into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_files().items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_schema_files(schema_dir: Path) -> list[str]:
    """Names of files in ``schema_dir`` that differ from (or are missing against) the models."""
    stale = []
    expected = schema_files()
    for name, text in expected.items():
        path = schema_dir / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    if schema_dir.is_dir():
        stale += sorted(p.name for p in schema_dir.glob("*.schema.json") if p.name not in expected)
    return stale


def dataset_info_yaml(config: str, num_examples: int, num_bytes: int) -> dict[str, Any]:
    """The dataset card's ``dataset_info`` entry of one config (features and split sizes)."""
    return {
        "config_name": config,
        "features": features_yaml(config),
        "splits": [{"name": "train", "num_bytes": num_bytes, "num_examples": num_examples}],
    }
