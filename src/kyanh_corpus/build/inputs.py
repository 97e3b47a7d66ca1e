"""The build's inputs: the pages named on the command line, each with its sidecar.

:func:`collect_inputs_and_orphans` turns files and folders into :class:`InputFile` values sorted
by file name (whatever order they were named in), each with its ``<stem>.meta.json`` sidecar
when there is one, and lists the sidecars that belong to no page.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..extract.sidecar import SIDECAR_SUFFIX, sidecar_names, sidecar_path
from .report import BuildUsageError

__all__ = ["InputFile", "collect_inputs", "collect_inputs_and_orphans"]


@dataclass(frozen=True, slots=True)
class InputFile:
    """One raw page to extract (paths kept as strings: a build may list 10^5 of them)."""

    location: str
    sidecar_location: str | None = None

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def sidecar(self) -> Path | None:
        return None if self.sidecar_location is None else Path(self.sidecar_location)

    @property
    def name(self) -> str:
        return os.path.basename(self.location)


def _sidecar_in(names: set[str], name: str) -> str | None:
    """The sidecar of page ``name`` among the file names of its folder (no file system call)."""
    return next((candidate for candidate in sidecar_names(name) if candidate in names), None)


def collect_inputs(paths: Iterable[Path | str]) -> list[InputFile]:
    """The pages named by ``paths`` (files, or folders whose ``*.txt`` files are taken, not
    recursively), sorted by file name, each with its sidecar when one exists.

    See :func:`collect_inputs_and_orphans` for the rules; this gives the pages only.
    """
    return collect_inputs_and_orphans(paths)[0]


def collect_inputs_and_orphans(paths: Iterable[Path | str]) -> tuple[list[InputFile], list[str]]:
    """:func:`collect_inputs`, and the sidecars found that belong to no page (sorted paths):
    a ``*.meta.json`` in a scanned folder, or named explicitly, whose page is not an input (a
    misspelt name would otherwise lose its facts silently; the build reports them).

    A file named explicitly is an input whatever its extension, except a ``*.meta.json``
    sidecar (taken with its page). Raises :class:`BuildUsageError` for a path that does not exist,
    for two different files with the same name (names identify inputs in the manifest), and for
    two pages with sidecars of the same name (``a.txt`` and ``a.md`` both take ``a.meta.json``: a
    sidecar describes one page).
    """
    found: dict[str, InputFile] = {}
    sidecars: dict[str, str] = {}
    """Every sidecar seen (real path -> the path as named), used by a page or not."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            with os.scandir(path) as entries:
                files = {entry.name for entry in entries if entry.is_file()}
            sidecars.update(
                (os.path.realpath(path / name), os.path.join(path, name))
                for name in files
                if name.endswith(SIDECAR_SUFFIX)
            )
            for name in files:
                if name.endswith(".txt"):
                    sidecar = _sidecar_in(files, name)
                    found.setdefault(
                        os.path.abspath(path / name),
                        InputFile(
                            os.path.join(path, name),
                            None if sidecar is None else os.path.join(path, sidecar),
                        ),
                    )
        elif path.is_file():
            if path.name.endswith(SIDECAR_SUFFIX):
                sidecars[os.path.realpath(path)] = str(path)
            else:
                found_sidecar = sidecar_path(path)
                found.setdefault(
                    os.path.abspath(path),
                    InputFile(str(path), None if found_sidecar is None else str(found_sidecar)),
                )
        else:
            raise BuildUsageError(f"{path}: no such file or folder")
    by_name: dict[str, InputFile] = {}
    for item in found.values():
        other = by_name.setdefault(item.name, item)
        if other is not item:
            raise BuildUsageError(
                f"two inputs are named {item.name!r}: {other.path} and {item.path}"
            )
    sidecar_of: dict[str, InputFile] = {}
    used: set[str] = set()
    for item in by_name.values():
        if item.sidecar_location is None:
            continue
        used.add(os.path.realpath(item.sidecar_location))
        other = sidecar_of.setdefault(os.path.basename(item.sidecar_location), item)
        if other is not item:
            raise BuildUsageError(
                f"pages {other.path} and {item.path} both take the sidecar "
                f"{os.path.basename(item.sidecar_location)!r}: a sidecar describes one page"
            )
    orphans = sorted(named for path, named in sidecars.items() if path not in used)
    return [by_name[name] for name in sorted(by_name)], orphans
