"""The files that describe a built folder: ``schema/``, ``croissant.json``, the dataset card
``README.md`` (:func:`write_descriptions`) and, written last, ``manifest.json``
(:func:`write_manifest`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ..dataset.json import entries_writer, write_json_streamed
from ..dataset.manifest import (
    MANIFEST_NAME,
    ConfigEntry,
    FileEntry,
    Manifest,
    file_entry,
    listed_files,
    write_json,
)
from ..dataset.paths import (
    CARD_NAME,
    CROISSANT_NAME,
    LICENSE_DATA_NAME,
    SCHEMA_FOLDER,
    hf_folder,
)
from ..models import ENTITIES, SCHEMA_VERSION

if TYPE_CHECKING:
    from .ledger import Ledger
    from .merge import MergeCounts

__all__ = ["CARD_INPUTS", "write_descriptions", "write_manifest"]

CARD_INPUTS: Final = 100
"""Most inputs listed by hash in the dataset card (all of them are in ``manifest.json``)."""


def write_descriptions(
    root: Path,
    *,
    version: str,
    package_version: str,
    counts: dict[str, int],
    shards: dict[str, list[str]],
    card_inputs: list[tuple[str, FileEntry]],
    total_inputs: int,
    merge: MergeCounts,
) -> None:
    """``schema/``, ``croissant.json``, ``README.md`` and ``LICENSE-DATA``, once the data files
    and ``hf/`` are written (the card gives their sizes)."""
    from ..card import CardInfo, license_data_text, render_card
    from ..croissant import render_croissant
    from ..features import write_schemas

    write_schemas(root / SCHEMA_FOLDER)
    num_bytes = {
        config: sum(path.stat().st_size for path in (root / hf_folder(config)).glob("*.arrow"))
        for config in ENTITIES
    }
    info = CardInfo(
        dataset_version=version,
        schema_version=SCHEMA_VERSION,
        package_version=package_version,
        counts=counts,
        num_bytes=num_bytes,
        shards=shards,
        inputs=card_inputs,
        total_inputs=total_inputs,
        conflicting_documents=merge.conflicting,
        ambiguous_documents=len(merge.ambiguous),
    )
    write_json(root / CROISSANT_NAME, render_croissant(info))
    (root / CARD_NAME).write_bytes(render_card(info).encode("utf-8"))
    (root / LICENSE_DATA_NAME).write_bytes(license_data_text().encode("utf-8"))


def write_manifest(
    root: Path,
    *,
    version: str,
    package_version: str,
    counts: Mapping[str, int],
    shards: Mapping[str, Sequence[str]],
    hashed: Mapping[str, FileEntry],
    ledger: Ledger,
) -> None:
    """``manifest.json``, last: every file of the folder with its size and SHA-256 (``hashed``
    gives those already computed), and every input, streamed from the ledger."""
    files = {name: hashed.get(name) or file_entry(root / name) for name in listed_files(root)}
    manifest = Manifest(
        dataset_version=version,
        schema_version=SCHEMA_VERSION,
        package_version=package_version,
        configs={
            config: ConfigEntry(num_rows=counts[config], files=tuple(shards[config]))
            for config in ENTITIES
        },
        files=files,
    )
    inputs = (
        (name, FileEntry(bytes=size, sha256=sha256).to_json())
        for name, size, sha256 in ledger.inputs()
    )
    write_json_streamed(
        root / MANIFEST_NAME, manifest.to_json(), {"inputs": entries_writer(inputs)}
    )
