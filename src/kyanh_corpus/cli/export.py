"""``kyanh-corpus export [SOURCE] --config C --format jsonl|csv|parquet [--out F]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .codes import EXIT_INVALID, EXIT_OK, EXIT_USAGE


def _cmd_export(args: argparse.Namespace) -> int:
    from ..errors import DataError, UsageError
    from ..export import export
    from ..load import load_records
    from ..models import ENTITIES

    out = Path(args.out) if args.out is not None else None
    if args.config not in ENTITIES:
        print(
            f"kyanh-corpus export: error: unknown config {args.config!r}; known: "
            + ", ".join(ENTITIES),
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        count = export(load_records(args.config, args.source), args.config, args.format, out)
    except UsageError as error:
        print(f"kyanh-corpus export: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DataError as error:
        print(f"kyanh-corpus export: {error}", file=sys.stderr)
        return EXIT_INVALID
    if out is not None:
        summary = {"config": args.config, "format": args.format, "rows": count, "out": str(out)}
        print(json.dumps(summary, ensure_ascii=False), file=sys.stderr)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` subcommand."""
    from ..export import FORMATS

    parser = sub.add_parser(
        "export",
        help="export one config as JSON Lines, CSV or Parquet",
        description=(
            "Stream one config of a corpus (SOURCE: a built folder or a Hub repo id; the "
            "embedded corpus when left out) through the typed loaders into JSON Lines, CSV "
            "(nested values as JSON text) or Parquet. Checksums are verified first."
        ),
        epilog="Exit codes: 0 exported; 1 corrupted or invalid corpus; 2 usage error.",
    )
    parser.add_argument("source", nargs="?", default=None, metavar="SOURCE")
    parser.add_argument(
        "--config", required=True, help="articles, interview_turns, resolutions or sources"
    )
    parser.add_argument("--format", required=True, choices=list(FORMATS))
    parser.add_argument(
        "--out", default=None, metavar="FILE", help="output file (default: stdout; required "
        "for parquet); written beside and renamed into place"
    )  # fmt: skip
    parser.set_defaults(func=_cmd_export)
