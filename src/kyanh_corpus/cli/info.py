"""``kyanh-corpus info [DIR]``: versions and counts of a built folder, and a few typed records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .codes import EXIT_INVALID, EXIT_OK
from .options import non_negative

_SHOWN_CHARS = 160


def _shorten(value: Any) -> Any:
    """Long strings cut for display (``--json`` prints records whole)."""
    if isinstance(value, str) and len(value) > _SHOWN_CHARS:
        return value[:_SHOWN_CHARS] + f"… ({len(value):,} chars)"
    if isinstance(value, list):
        shown = [_shorten(item) for item in value[:3]]
        return shown + ([f"… ({len(value)} items)"] if len(value) > 3 else [])
    if isinstance(value, dict):
        return {key: _shorten(item) for key, item in value.items()}
    return value


def sample_records(folder: Path, config: str, count: int) -> list[Any]:
    """The first ``count`` records of a config, validated into their model.

    The config's files are verified first (size, SHA-256, schema, row counts), as every reader
    of a built folder does: a corrupted shard is an error, never altered text.
    """
    from ..dataset.folder import Folder
    from ..features import from_table

    records: list[Any] = []
    if count <= 0:
        return records
    for _, batch in Folder.open(folder).batches(config, count):
        records.extend(from_table(batch, config))
        if len(records) >= count:
            break
    return records[:count]


def _report_summary(folder: Path) -> dict[str, int]:
    """The document counts of ``build_report.json``'s summary, verified against the manifest
    (none for an older build)."""
    from ..dataset.folder import CorpusError, Folder

    try:
        Folder.open(folder).verify(["build_report.json"])
        with (folder / "build_report.json").open(encoding="utf-8") as handle:
            summary = json.load(handle).get("summary", {})
    except (OSError, ValueError, CorpusError):
        return {}
    keys = ("conflicting_documents", "ambiguous_documents")
    if not all(isinstance(summary.get(key), int) for key in keys):
        return {}
    return {key: summary[key] for key in keys}


def _cmd_info(args: argparse.Namespace) -> int:
    from ..dataset.manifest import ManifestError, read_manifest
    from ..load import CorpusError, embedded_path

    try:
        folder = Path(args.folder) if args.folder is not None else embedded_path()
        manifest = read_manifest(folder)
    except (ManifestError, CorpusError) as error:
        if args.json:
            print(json.dumps({"ok": False, "error": str(error)}, ensure_ascii=False))
        print(f"kyanh-corpus info: {error}", file=sys.stderr)
        return EXIT_INVALID
    summary: dict[str, Any] = {
        "ok": True,
        "folder": str(folder),
        "dataset_version": manifest.dataset_version,
        "schema_version": manifest.schema_version,
        "package_version": manifest.package_version,
        "counts": {config: entry.num_rows for config, entry in manifest.configs.items()},
        "shards": {config: len(entry.files) for config, entry in manifest.configs.items()},
        "files": len(manifest.files),
        "bytes": sum(entry.bytes for entry in manifest.files.values()),
        "inputs": len(manifest.inputs),
        **_report_summary(folder),
    }
    samples: dict[str, list[Any]] = {}
    try:
        for config in manifest.configs if args.sample else ():
            samples[config] = sample_records(folder, config, args.sample)
    except CorpusError as error:
        if args.json:
            print(json.dumps({"ok": False, "error": str(error)}, ensure_ascii=False))
        print(f"kyanh-corpus info: {error}", file=sys.stderr)
        return EXIT_INVALID
    if args.json:
        if args.sample:
            summary["samples"] = {
                config: [record.model_dump(mode="json") for record in records]
                for config, records in samples.items()
            }
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"folder:          {folder}")
    print(f"dataset version: {manifest.dataset_version}")
    print(f"schema version:  {manifest.schema_version}")
    print(f"built by:        kyanh-corpus {manifest.package_version}")
    print(f"inputs:          {len(manifest.inputs):,} file(s)")
    print(f"files:           {summary['files']:,} ({summary['bytes']:,} bytes)")
    if "conflicting_documents" in summary:
        print(
            f"documents:       {summary['conflicting_documents']:,} with disagreeing mentions, "
            f"{summary['ambiguous_documents']:,} ambiguous (see build_report.json)"
        )
    width = max(len(config) for config in manifest.configs)
    for config, entry in manifest.configs.items():
        print(f"  {config:<{width}}  {entry.num_rows:>9,} rows in {len(entry.files)} shard(s)")
    for config, records in samples.items():
        for record in records:
            shown = json.dumps(_shorten(record.model_dump(mode="json")), ensure_ascii=False)
            print(f"\n{config}: {type(record).__name__} {shown}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``info`` subcommand."""
    parser = sub.add_parser(
        "info",
        help="show the versions and counts of a built folder",
        description="Print the dataset, schema and package versions and the row counts of a "
        "built folder (default: the corpus embedded in the package); --sample N also prints "
        "the first N typed records of every config.",
        epilog="Exit codes: 0 ok, 1 not a built folder (no or bad manifest.json), 2 usage error.",
    )
    parser.add_argument(
        "folder", nargs="?", metavar="DIR", help="a built folder (default: the embedded corpus)"
    )
    parser.add_argument(
        "--sample", type=non_negative, default=0, metavar="N", help="show N records of each config"
    )
    parser.add_argument("--json", action="store_true", help="print JSON on stdout")
    parser.set_defaults(func=_cmd_info)
