"""What a file given to ``validate`` holds: its format (by suffix) and its entity.

The entity comes from ``--entity`` or is inferred: first from the file or folder name
(``articles.jsonl``, ``data/interview_turns/train-...parquet``), else from the keys of the first
record (the first of the first :data:`INFER_RECORDS` records that is a JSON object within the
JSON limits: a broken or hostile first record does not stop the inference, it is reported on
its line like any other).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Final, Literal

from ..errors import UsageError
from ..limits import DEFAULTS, JsonLimitError, Limits, load_json
from ..models import ENTITIES, SCHEMA_NAMES
from .json_scan import iter_json_values
from .jsonl import BOM, read_line

JSONL_SUFFIXES: Final = (".jsonl", ".ndjson")
JSON_SUFFIXES: Final = (".json",)
PARQUET_SUFFIXES: Final = (".parquet",)

FileKind = Literal["jsonl", "json", "parquet"]

_SEPARATORS: Final = "-_. "

INFER_RECORDS: Final = 10
"""Records read, at most, to find one whose keys tell the entity."""


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


def _records(path: Path, kind: FileKind, max_line: int) -> Iterator[tuple[int, bytes | None]]:
    """(line, bytes or None when too long) of the first records of a JSON or JSON Lines file."""
    with open(path, "rb") as handle:
        if kind == "jsonl":
            number = 0
            for _ in range(INFER_RECORDS):
                while True:
                    line, _size, too_long = read_line(handle, max_line)
                    number += 1
                    if not line and not too_long:
                        return
                    if too_long or line.strip():
                        break
                yield number, None if too_long else line.removeprefix(BOM)
        else:
            for count, (line_number, _item, data) in enumerate(iter_json_values(handle, max_line)):
                if count == INFER_RECORDS:
                    return
                yield line_number, data


def _first_keys(
    path: Path, kind: FileKind, max_line: int, limits: Limits
) -> tuple[list[str] | None, str | None]:
    """Keys of the first record that is a JSON object within ``limits`` (among the first
    :data:`INFER_RECORDS`), and why the first record could not be used (None if it was)."""
    first_problem = None
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return list(pq.read_schema(path).names), None
        for line, data in _records(path, kind, max_line):
            problem = "longer than --max-line-bytes"
            if data is not None:
                try:
                    obj = load_json(data, limits)
                except JsonLimitError as error:
                    problem = error.describe()
                    line += error.line - 1
                except ValueError:
                    problem = "not JSON"
                else:
                    if isinstance(obj, dict):
                        return list(obj), first_problem
                    problem = f"a JSON {type(obj).__name__}, not an object"
            if first_problem is None:
                first_problem = f"line {line}: {problem}"
    except (OSError, ValueError):
        pass
    return None, first_problem


def first_keys(
    path: Path, kind: FileKind, max_line: int, limits: Limits = DEFAULTS
) -> list[str] | None:
    """Keys of the first record of a file that is a JSON object within ``limits`` (among the
    first :data:`INFER_RECORDS` records); None when there is none."""
    return _first_keys(path, kind, max_line, limits)[0]


def file_entity(
    path: Path, kind: FileKind, entity: str | None, max_line: int, limits: Limits = DEFAULTS
) -> str:
    """``entity`` when given, else the inferred one; :class:`UsageError` when it cannot be told
    (naming the first record's problem, if it had one)."""
    resolved = entity or infer_entity(path)
    if resolved is not None:
        return resolved
    keys, problem = _first_keys(path, kind, max_line, limits)
    resolved = infer_entity(path, keys)
    if resolved is None:
        why = f" (the first record, {problem})" if problem and keys is None else ""
        raise UsageError(
            f"{path}: cannot tell which entity the records are{why}; pass --entity "
            f"({', '.join(ENTITIES)})"
        )
    return resolved
