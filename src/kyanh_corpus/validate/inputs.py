"""What a file given to ``validate`` holds: its format (by suffix) and its entity.

The entity comes from ``--entity`` or is inferred: first from the file or folder name
(``articles.jsonl``, ``data/interview_turns/train-...parquet``), else from the keys of the first
record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Final, Literal

from ..errors import UsageError
from ..models import ENTITIES, SCHEMA_NAMES
from .json_scan import iter_json_values
from .jsonl import BOM, read_line

JSONL_SUFFIXES: Final = (".jsonl", ".ndjson")
JSON_SUFFIXES: Final = (".json",)
PARQUET_SUFFIXES: Final = (".parquet",)

FileKind = Literal["jsonl", "json", "parquet"]

_SEPARATORS: Final = "-_. "


def file_kind(path: Path) -> FileKind:
    """The format of a file, by its suffix; :class:`UsageError` for any other file."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(JSON_SUFFIXES):
        return "json"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    raise UsageError(
        f"{path}: unsupported file type (expected .jsonl, .ndjson, .json or .parquet, "
        "or a built folder)"
    )


def entity_name(name: str) -> str:
    """The config named by ``--entity`` (a config or a schema name: ``interview_turn``)."""
    aliases = {SCHEMA_NAMES[config]: config for config in ENTITIES}
    entity = aliases.get(name, name)
    if entity not in ENTITIES:
        raise UsageError(f"unknown entity {entity!r}; known: {', '.join(ENTITIES)}")
    return entity


def infer_entity(path: Path, first_keys: Sequence[str] | None = None) -> str | None:
    """The entity of a file from its name (or its folders'), else from its first record's keys.

    >>> infer_entity(Path("out/articles.jsonl"))
    'articles'
    >>> infer_entity(Path("data/interview_turns/train-00000-of-00001.parquet"))
    'interview_turns'
    >>> infer_entity(Path("x.jsonl"), ["article_id", "source_file", "raw_sha256", "text"])
    'sources'
    """
    names = sorted(
        ((config, alias) for config in ENTITIES for alias in (config, SCHEMA_NAMES[config])),
        key=lambda pair: -len(pair[1]),
    )
    stem = path.name.lower()
    for suffix in (*JSONL_SUFFIXES, *JSON_SUFFIXES, *PARQUET_SUFFIXES):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    for candidate in (stem, path.parent.name.lower(), path.parent.parent.name.lower()):
        for config, alias in names:
            if candidate == alias or any(candidate.startswith(alias + s) for s in _SEPARATORS):
                return config
    if first_keys is None:
        return None
    keys = set(first_keys)
    scored = []
    for config, model in ENTITIES.items():
        fields = set(model.model_fields)
        required = {name for name, info in model.model_fields.items() if info.is_required()}
        if keys == fields:
            return config
        score = len(keys & fields) / len(keys | fields)
        scored.append((required <= keys, score, config))
    scored.sort(reverse=True)
    best = scored[0]
    if best[1] >= 0.5 and (len(scored) == 1 or scored[1][:2] != best[:2]):
        return best[2]
    return None


def first_keys(path: Path, kind: FileKind, max_line: int) -> list[str] | None:
    """Keys of the first record of a file (None when it cannot be read as an object)."""
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names)
        with open(path, "rb") as handle:
            if kind == "jsonl":
                while True:
                    line, _size, too_long = read_line(handle, max_line)
                    if not line and not too_long:
                        return None
                    if too_long or not line.strip():
                        continue
                    obj = json.loads(line.removeprefix(BOM))
                    break
            else:
                _line, _item, data = next(iter_json_values(handle, max_line), (1, None, None))
                obj = json.loads(data) if data else None
    except (OSError, ValueError):
        return None
    return list(obj) if isinstance(obj, dict) else None


def file_entity(path: Path, kind: FileKind, entity: str | None, max_line: int) -> str:
    """``entity`` when given, else the inferred one; :class:`UsageError` when it cannot be told."""
    resolved = entity or infer_entity(path) or infer_entity(path, first_keys(path, kind, max_line))
    if resolved is None:
        raise UsageError(
            f"{path}: cannot tell which entity the records are; pass --entity "
            f"({', '.join(ENTITIES)})"
        )
    return resolved
