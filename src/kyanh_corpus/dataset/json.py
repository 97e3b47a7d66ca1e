"""Writers of a built folder's JSON files whose values grow with the corpus.

Every JSON file of a built folder has the text :func:`~.manifest.dump_json` gives
(``json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\\n"``). Two of them hold a
value per input -- ``manifest.json``'s ``inputs`` and ``build_report.json``'s ``inputs`` -- and
the build writes those values as they come instead of holding them in memory: the writers here
lay out each piece exactly as ``dump_json`` would.

* :func:`pretty_json` -- one value, as ``dump_json`` lays it out at a given depth (fast);
* :class:`JsonItems` -- the items of one list, spilled to a file as they come;
* :func:`entries_writer` -- an object whose entries come sorted by name (streamed);
* :func:`write_json_streamed` -- a whole file, some top-level values written by such writers.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from .manifest import dump_json

_encode_string: Callable[[str], str] = json.encoder.encode_basestring


def pretty_json(value: Any, indent: int = 0) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)`` as nested ``indent``
    spaces deep, for the JSON values the build writes (faster: the C string encoder is used).

    >>> value = {"b": [1, None, {"x": "Kỳ"}], "a": {}, "c": [], "d": True, "e": 0.5}
    >>> pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    True
    """
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.dumps(value)
    inner = indent + 2
    pad = "\n" + " " * inner
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [
            f"{pad}{_encode_string(key)}: {pretty_json(value[key], inner)}" for key in sorted(value)
        ]
        return "{" + ",".join(items) + "\n" + " " * indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return (
            "["
            + ",".join(pad + pretty_json(item, inner) for item in value)
            + "\n"
            + " " * indent
            + "]"
        )
    raise TypeError(f"not a JSON value: {type(value).__name__}")


class JsonItems:
    """Items of one JSON list, spilled to a file as they come, laid out exactly as
    :func:`~.manifest.dump_json` lays out a list that is the value of a top-level key.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: TextIO | None = path.open("w", encoding="utf-8", newline="\n")

    def add(self, value: Any) -> None:
        self.add_rendered(pretty_json(value, 4))

    def add_rendered(self, text: str) -> None:
        """Add an item already rendered by ``pretty_json(value, 4)``."""
        assert self._handle is not None
        self._handle.write((",\n    " if self.count else "    ") + text)
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def write_list(self, out: TextIO) -> None:
        """Write the whole list (closing the spill file first) to ``out``."""
        self.close()
        if self.count == 0:
            out.write("[]")
            return
        out.write("[\n")
        with self.path.open(encoding="utf-8") as spilled:
            shutil.copyfileobj(spilled, out)
        out.write("\n  ]")


def write_json_streamed(
    path: Path, obj: dict[str, Any], streamed: Mapping[str, Callable[[TextIO], None]]
) -> None:
    """Write ``dump_json(obj)`` where the value of each top-level key in ``streamed`` is written
    by its function instead (laid out as ``dump_json`` lays out a top-level value), so that
    those values, which grow with the corpus, are never held in memory."""
    sentinels = {key: json.dumps(f"\x00streamed-{key}\x00") for key in streamed}
    text = dump_json({**obj, **{key: json.loads(sentinel) for key, sentinel in sentinels.items()}})
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for key in sorted(streamed, key=lambda key: text.index(sentinels[key])):
            head, text = text.split(sentinels[key], 1)
            out.write(head)
            streamed[key](out)
        out.write(text)


def entries_writer(entries: Iterable[tuple[str, Any]]) -> Callable[[TextIO], None]:
    """Writes ``dict(entries)`` as a top-level value of :func:`write_json_streamed` (``entries``
    must come sorted by name, as ``dump_json`` sorts keys)."""

    def write(out: TextIO) -> None:
        count = 0
        for name, value in entries:
            out.write(",\n    " if count else "{\n    ")
            out.write(f"{_encode_string(name)}: {pretty_json(value, 4)}")
            count += 1
        out.write("\n  }" if count else "{}")

    return write
