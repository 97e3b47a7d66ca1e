"""The manifest of a built folder: what it holds, and checks that it still holds exactly that.

``manifest.json`` is written last by the build (see ``docs/design.md``). It names the dataset,
schema and package versions, the row count and files of every config, the size and SHA-256 of
every file of the folder (but itself) and of every input the build read. Loaders and ``validate``
call :func:`read_manifest` then :func:`verify_files` (and :func:`verify_row_counts`): every
problem is a :class:`~kyanh_corpus.errors.Diagnostic` whose ``file`` is the path, relative to the
folder, of the file it is about (kinds ``missing``, ``size``, ``checksum``, ``unlisted``, ``rows``,
``manifest``).

Every JSON file of a built folder is written by :func:`dump_json`, so a file's bytes depend on its
content only.

>>> dataset_version(["b" * 64, "a" * 64]) == dataset_version(["a" * 64, "b" * 64])
True
>>> dataset_version([]).startswith("1.0.0+")
True
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..errors import DataError, Diagnostic, DiagnosticKind

MANIFEST_NAME: Final = "manifest.json"
"""File name of the manifest inside a built folder."""

MANIFEST_FORMAT: Final = "kyanh-corpus/1"
"""Value of the manifest's ``format`` key; a reader refuses any other."""

DATASET_MAJOR: Final = "1.0.0"
"""The release part of ``dataset_version`` (the part before ``+``)."""

_CHUNK: Final = 1 << 20


class ManifestError(DataError):
    """``manifest.json`` is missing, not JSON, or does not have the expected structure."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FileEntry:
    """Size and SHA-256 of one file."""

    bytes: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"bytes": self.bytes, "sha256": self.sha256}


@dataclass(frozen=True)
class ConfigEntry:
    """Row count and data files (relative POSIX paths, in order) of one config."""

    num_rows: int
    files: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"num_rows": self.num_rows, "files": list(self.files)}


@dataclass(frozen=True)
class Manifest:
    """The content of ``manifest.json``."""

    dataset_version: str
    schema_version: str
    package_version: str
    configs: Mapping[str, ConfigEntry]
    files: Mapping[str, FileEntry]
    inputs: Mapping[str, FileEntry] = field(default_factory=dict)
    format: str = MANIFEST_FORMAT

    def to_json(self) -> dict[str, Any]:
        """The JSON object (``dump_json`` of it is the file's text)."""
        return {
            "format": self.format,
            "dataset_version": self.dataset_version,
            "schema_version": self.schema_version,
            "package_version": self.package_version,
            "configs": {name: entry.to_json() for name, entry in self.configs.items()},
            "files": {name: entry.to_json() for name, entry in self.files.items()},
            "inputs": {name: entry.to_json() for name, entry in self.inputs.items()},
        }

    @classmethod
    def from_json(cls, obj: Any, path: Path = Path(MANIFEST_NAME)) -> Manifest:
        """Parse a manifest object; raises :class:`ManifestError` on any structural problem."""

        def fail(reason: str) -> ManifestError:
            return ManifestError(path, reason)

        if not isinstance(obj, dict):
            raise fail("the manifest is not a JSON object")
        if obj.get("format") != MANIFEST_FORMAT:
            raise fail(f"format is {obj.get('format')!r}, expected {MANIFEST_FORMAT!r}")
        strings = {}
        for key in ("dataset_version", "schema_version", "package_version"):
            value = obj.get(key)
            if not isinstance(value, str) or not value:
                raise fail(f"{key} is missing or not a string")
            strings[key] = value
        return cls(
            dataset_version=strings["dataset_version"],
            schema_version=strings["schema_version"],
            package_version=strings["package_version"],
            configs=_configs_from_json(obj.get("configs"), fail),
            files=_entries_from_json(obj.get("files"), "files", fail),
            inputs=_entries_from_json(obj.get("inputs", {}), "inputs", fail),
        )


def _entries_from_json(obj: Any, key: str, fail: Any) -> dict[str, FileEntry]:
    if not isinstance(obj, dict):
        raise fail(f"{key} is missing or not an object")
    entries = {}
    for name, entry in obj.items():
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("bytes"), int)
            or isinstance(entry.get("bytes"), bool)
            or not isinstance(entry.get("sha256"), str)
            or len(entry["sha256"]) != 64
        ):
            raise fail(f"{key}[{name!r}] needs an integer 'bytes' and a 64-hex 'sha256'")
        entries[name] = FileEntry(bytes=entry["bytes"], sha256=entry["sha256"])
    return entries


def _configs_from_json(obj: Any, fail: Any) -> dict[str, ConfigEntry]:
    if not isinstance(obj, dict):
        raise fail("configs is missing or not an object")
    configs = {}
    for name, entry in obj.items():
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("num_rows"), int)
            or not isinstance(entry.get("files"), list)
            or not all(isinstance(item, str) for item in entry["files"])
        ):
            raise fail(f"configs[{name!r}] needs an integer 'num_rows' and a list 'files'")
        configs[name] = ConfigEntry(num_rows=entry["num_rows"], files=tuple(entry["files"]))
    return configs


def dump_json(obj: Any) -> str:
    """The exact text of every JSON file the build writes: sorted keys, 2-space indent, UTF-8.

    >>> dump_json({"b": 1, "a": "Kỳ Anh"})
    '{\\n  "a": "Kỳ Anh",\\n  "b": 1\\n}\\n'
    """
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_json(path: Path, obj: Any) -> None:
    """Write ``dump_json(obj)`` to ``path`` (UTF-8, LF line ends)."""
    path.write_bytes(dump_json(obj).encode("utf-8"))


def sha256_file(path: Path | str) -> str:
    """SHA-256 of a file's bytes, as 64 lowercase hex digits (streamed: memory stays flat)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: Path | str) -> FileEntry:
    """Size and SHA-256 of one file."""
    return FileEntry(bytes=os.path.getsize(path), sha256=sha256_file(path))


def dataset_version(input_sha256s: Iterable[str], *, presorted: bool = False) -> str:
    """``1.0.0+<first 12 hex of sha256 over the sorted input sha256s>``.

    The digests are sorted, joined by newlines (each line ends with one) and hashed, so the
    version depends on the set of inputs only, not on their names or order. ``presorted``: the
    digests already come sorted (streamed, not held in memory).
    """
    digest = hashlib.sha256()
    for value in input_sha256s if presorted else sorted(input_sha256s):
        digest.update(value.encode("ascii") + b"\n")
    return f"{DATASET_MAJOR}+{digest.hexdigest()[:12]}"


def listed_files(folder: Path) -> list[str]:
    """Relative POSIX paths of every file a manifest lists in ``folder``, sorted.

    That is every regular file but ``manifest.json`` itself and anything hidden (a name starting
    with ``.``, such as ``.git`` or ``.gitattributes`` in a clone of the Hub repository).
    """
    found = []
    for current, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        base = Path(current)
        for name in files:
            if name.startswith("."):
                continue
            relative = (base / name).relative_to(folder).as_posix()
            if relative != MANIFEST_NAME:
                found.append(relative)
    return sorted(found)


def file_entries(folder: Path) -> dict[str, FileEntry]:
    """``files`` of a manifest for ``folder``: every listed file's size and SHA-256, sorted."""
    return {name: file_entry(folder / name) for name in listed_files(folder)}


_INPUTS_OPENING: Final = '\n  "inputs": {'
_DEPTH_1_CLOSING: Final = "\n  }"


def without_inputs(text: str) -> str:
    """``text`` with the top-level ``inputs`` object emptied, when the text has the layout
    :func:`dump_json` writes (else ``text`` unchanged).

    In that layout (2-space indent) only top-level keys start a line with two spaces and a
    quote, and the object ends at the next line holding two spaces and ``}`` (its entries are
    indented further; a JSON string cannot hold a raw line break, so neither line can occur
    inside a value).

    >>> text = dump_json({"format": "f", "inputs": {"a.txt": {"bytes": 1}}, "z": []})
    >>> json.loads(without_inputs(text))
    {'format': 'f', 'inputs': {}, 'z': []}
    """
    if not text.startswith('{\n  "'):
        return text  # not that layout
    start = text.find(_INPUTS_OPENING)
    if start < 0:
        return text
    body = start + len(_INPUTS_OPENING)
    end = text.find(_DEPTH_1_CLOSING, body)
    if end < 0 or not text.startswith('\n    "', body) or '\n  "' in text[body:end]:
        return text  # empty, or not laid out as dump_json lays it out
    return text[:body] + "}" + text[end + len(_DEPTH_1_CLOSING) :]


def read_manifest(folder: Path | str, *, inputs: bool = True) -> Manifest:
    """Read ``folder/manifest.json``; raises :class:`ManifestError` when missing or malformed.

    ``inputs=False`` leaves the manifest's ``inputs`` empty instead of parsing it: it names every
    raw page (megabytes at archive scale), and loading the records does not need it.
    """
    path = Path(folder) / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError(path, "no manifest.json: not a built kyanh-corpus folder") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(path, f"cannot read the manifest: {error}") from None
    if not inputs:
        text = without_inputs(text)
    from ..limits import JsonLimitError, load_json

    try:
        obj = load_json(text)  # a hostile manifest (nested 100,000 deep...) is an error too
    except JsonLimitError as error:
        raise ManifestError(path, f"line {error.line}: {error}") from None
    except json.JSONDecodeError as error:
        raise ManifestError(path, f"not JSON: {error}") from None
    return Manifest.from_json(obj, path)


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Write ``folder/manifest.json``; returns its path."""
    path = folder / MANIFEST_NAME
    write_json(path, manifest.to_json())
    return path


def verify_file(folder: Path | str, name: str, entry: FileEntry) -> Diagnostic | None:
    """Check one listed file (``name``, relative) against its entry: presence, size, then SHA-256.

    None when it matches, else the ``missing``, ``size`` or ``checksum`` diagnostic naming it.
    """
    path = Path(folder) / name
    if not path.is_file():
        return Diagnostic(DiagnosticKind.MISSING, name, "listed in manifest.json but missing")
    size = path.stat().st_size
    if size != entry.bytes:
        return Diagnostic(
            DiagnosticKind.SIZE, name, f"{size} bytes, manifest.json says {entry.bytes}"
        )
    if sha256_file(path) != entry.sha256:
        return Diagnostic(
            DiagnosticKind.CHECKSUM, name, "sha256 differs from manifest.json (corrupted file)"
        )
    return None


def unlisted_files(manifest: Manifest, names: Iterable[str]) -> list[Diagnostic]:
    """An ``unlisted`` diagnostic for each of ``names`` that the manifest does not list."""
    return [
        Diagnostic(DiagnosticKind.UNLISTED, name, "not listed in manifest.json")
        for name in names
        if name not in manifest.files
    ]


def verify_files(
    folder: Path | str,
    manifest: Manifest,
    *,
    paths: Iterable[str] | None = None,
    unlisted: bool = True,
) -> list[Diagnostic]:
    """Check files of ``folder`` against the manifest: presence, size, then SHA-256.

    ``paths`` restricts the check to those manifest entries (e.g. one config's data files); a
    path the manifest does not list is then reported as ``unlisted``. With ``unlisted`` (and no
    ``paths``), a file present in the folder but absent from the manifest is a problem too
    (``datasets`` would load a stray Parquet file). Returns the problems, in path order.
    """
    root = Path(folder)
    names = sorted(manifest.files) if paths is None else sorted(set(paths))
    problems = unlisted_files(manifest, names)
    for name in names:
        entry = manifest.files.get(name)
        if entry is not None and (problem := verify_file(root, name, entry)) is not None:
            problems.append(problem)
    if unlisted and paths is None:
        problems += unlisted_files(manifest, listed_files(root))
    return sorted(problems, key=lambda problem: problem.file)


def verify_row_counts(
    folder: Path | str, manifest: Manifest, configs: Iterable[str] | None = None
) -> list[Diagnostic]:
    """Check each config's ``num_rows`` (of ``configs``, default all) against the Parquet
    footers of its files: the one row-count check (``validate`` and the folder reader use it)."""
    import pyarrow.parquet as pq

    root = Path(folder)
    problems = []
    wanted = set(manifest.configs) if configs is None else set(configs)
    for config, entry in manifest.configs.items():
        if config not in wanted:
            continue
        total = 0
        readable = True
        for name in entry.files:
            try:
                total += pq.read_metadata(root / name).num_rows
            except (OSError, ValueError) as error:
                problems.append(
                    Diagnostic(
                        DiagnosticKind.ROWS, name, f"cannot read the Parquet footer: {error}"
                    )
                )
                readable = False
        if readable and total != entry.num_rows:
            where = entry.files[0] if entry.files else f"data/{config}"
            problems.append(
                Diagnostic(
                    DiagnosticKind.ROWS,
                    where,
                    f"config {config!r} has {total} rows, manifest.json says {entry.num_rows}",
                )
            )
    return problems


def verify(folder: Path | str) -> list[Diagnostic]:
    """Every check at once: the manifest itself, every file, every config's row count."""
    try:
        manifest = read_manifest(folder)
    except ManifestError as error:
        return [Diagnostic(DiagnosticKind.MANIFEST, MANIFEST_NAME, error.reason)]
    problems = verify_files(folder, manifest)
    if not problems:
        problems = verify_row_counts(folder, manifest)
    return problems
