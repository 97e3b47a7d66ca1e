"""Checks of a built folder (a directory with ``manifest.json``) as a whole.

What can be seen at once is checked when the folder is planned (:func:`plan_folder`), every
problem listed (where the loaders stop at the first):

* ``manifest.json`` itself (:func:`~kyanh_corpus.dataset.manifest.read_manifest`), every config
  listed, no unknown config, every data file of a config listed in its ``files``;
* no file the manifest does not list (:func:`~kyanh_corpus.dataset.manifest.unlisted_files`);
* every config's row count against the Parquet footers
  (:func:`~kyanh_corpus.dataset.manifest.verify_row_counts`);
* the Arrow schema and ``huggingface`` metadata of every Parquet file (:mod:`.parquet`);
* staleness: the ``schema/`` files and the dataset card's ``configs`` and ``dataset_info`` must
  be what the models derive now.

The rest are units of work the runner runs: each listed file's size and SHA-256
(:func:`check_file`, with :func:`~kyanh_corpus.dataset.manifest.verify_file`), the rows of each
Parquet file (:mod:`.parquet`) and, when every schema is right, the cross-file checks
(:mod:`.cross_file`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..dataset.manifest import (
    MANIFEST_NAME,
    FileEntry,
    ManifestError,
    listed_files,
    read_manifest,
    unlisted_files,
    verify_file,
    verify_row_counts,
)
from ..errors import Diagnostic, DiagnosticKind
from ..models import ENTITIES
from .parquet import read_footer
from .report import Collector, UnitResult


@dataclass
class FolderPlan:
    """What :func:`plan_folder` found at once, and what is left to read."""

    issues: list[Diagnostic] = field(default_factory=list)
    """Problems found while planning, in order."""
    files: list[str] = field(default_factory=list)
    """Every file of the folder (as shown in the report)."""
    checksums: list[tuple[str, FileEntry]] = field(default_factory=list)
    """Every file the manifest lists (relative name), with its entry."""
    parquet: list[tuple[Path, str, str, Any]] = field(default_factory=list)
    """``(path, shown name, config, Parquet metadata)`` of each data file with the right schema."""
    cross: tuple[dict[str, list[str]], dict[str, str], int] | None = None
    """The cross-file checks' arguments (data files of each config, shown names, bytes), when
    every data file is there and has the right schema."""
    hf: dict[str, list[str]] = field(default_factory=dict)
    """The ``hf/<config>/*.arrow`` files of each config the manifest lists (all present), to
    compare with ``data/`` when :attr:`cross` is set (:mod:`.forgery`)."""


def plan_folder(root: Path) -> FolderPlan:
    """Check what can be seen at once; list the files left to read (see the module doc)."""
    plan = FolderPlan()
    issues = plan.issues

    def show(name: str) -> str:
        return str(root / name)

    def shown(problem: Diagnostic) -> Diagnostic:
        return replace(problem, file=show(problem.file))

    try:
        manifest = read_manifest(root)
    except ManifestError as error:
        issues.append(Diagnostic(DiagnosticKind.MANIFEST, show(MANIFEST_NAME), error.reason))
        plan.files = [show(MANIFEST_NAME)]
        return plan
    names = sorted(manifest.files)
    on_disk = listed_files(root)
    plan.files = [show(name) for name in sorted({*names, *on_disk, MANIFEST_NAME})]
    issues += [shown(problem) for problem in unlisted_files(manifest, on_disk)]
    plan.checksums = [(name, manifest.files[name]) for name in names]
    config_files: dict[str, list[str]] = {}
    schemas_ok = True
    for config in ENTITIES:
        entry = manifest.configs.get(config)
        if entry is None:
            message = f"configs has no {config!r}"
            issues.append(Diagnostic(DiagnosticKind.MANIFEST, show(MANIFEST_NAME), message))
            schemas_ok = False
            continue
        listed = list(entry.files)
        present = sorted(n for n in on_disk if n.startswith(f"data/{config}/"))
        for name in present:
            if name not in listed:
                message = f"not listed in configs[{config!r}].files"
                issues.append(Diagnostic(DiagnosticKind.MANIFEST, show(name), message))
        config_files[config] = [name for name in listed if (root / name).is_file()]
        if len(config_files[config]) != len(listed):
            schemas_ok = False
        for name in config_files[config]:
            metadata, problem = read_footer(root / name, show(name), config, require_metadata=True)
            if problem is not None:
                issues.append(problem)
                schemas_ok = False
            else:
                plan.parquet.append((root / name, show(name), config, metadata))
    for config in manifest.configs:
        if config not in ENTITIES:
            message = f"configs has unknown {config!r}"
            issues.append(Diagnostic(DiagnosticKind.MANIFEST, show(MANIFEST_NAME), message))
    issues += [shown(problem) for problem in verify_row_counts(root, manifest)]
    issues += stale_schema_files(root)
    counts = {config: entry.num_rows for config, entry in manifest.configs.items()}
    issues += [
        Diagnostic(DiagnosticKind.STALE, show("README.md"), message)
        for message in card_problems(root, counts)
    ]
    for config in ENTITIES:
        arrows = [n for n in names if n.startswith(f"hf/{config}/") and n.endswith(".arrow")]
        if arrows and all((root / name).is_file() for name in arrows):
            plan.hf[config] = arrows
    if schemas_ok:
        total = sum(manifest.files[name].bytes for name in names if name.startswith("data/"))
        plan.cross = (config_files, {name: show(name) for name in names}, max(total, 1))
    return plan


def check_file(root: str, name: str, entry: FileEntry, budget: int | None) -> UnitResult:
    """One listed file against its manifest entry: presence, size, SHA-256."""
    issues = Collector(budget)
    problem = verify_file(root, name, entry)
    if problem is not None:
        with contextlib.suppress(Collector.Full):
            issues.add(replace(problem, file=str(Path(root) / name)))
    return issues.result()


def stale_schema_files(root: Path) -> list[Diagnostic]:
    """A ``stale`` diagnostic for each ``schema/`` file that differs from the models (or is
    missing, or extra)."""
    from ..features import stale_schema_files as stale_names

    message = "differs from the models (kyanh-corpus schema --write)"
    return [
        Diagnostic(DiagnosticKind.STALE, str(root / f"schema/{name}"), message)
        for name in stale_names(root / "schema")
    ]


def card_problems(root: Path, counts: dict[str, int]) -> list[str]:
    """How the dataset card's YAML header differs from the models (configs, dataset_info) and
    from the manifest's row counts."""
    from ..card import read_card_header
    from ..features import features_yaml

    path = root / "README.md"
    if not path.is_file():
        return ["README.md (the dataset card) is missing"]
    try:
        header = read_card_header(path.read_text(encoding="utf-8"))
    except ValueError as error:
        return [f"README.md {error}"]
    problems = []
    configs = {
        entry.get("config_name") for entry in header.get("configs") or [] if isinstance(entry, dict)
    }
    infos = header.get("dataset_info")
    infos = [infos] if isinstance(infos, dict) else infos or []
    by_name = {info.get("config_name"): info for info in infos if isinstance(info, dict)}
    for config in ENTITIES:
        if config not in configs:
            problems.append(f"README.md: configs has no {config!r}")
        info = by_name.get(config)
        if info is None:
            problems.append(f"README.md: dataset_info has no {config!r}")
            continue
        if info.get("features") != features_yaml(config):
            problems.append(
                f"README.md: dataset_info features of {config!r} differ from the models"
            )
        splits = {split.get("name"): split for split in info.get("splits") or []}
        examples = splits.get("train", {}).get("num_examples")
        if examples != counts.get(config):
            problems.append(
                f"README.md: dataset_info says {examples} {config}, manifest.json says "
                f"{counts.get(config)}"
            )
    return problems
