"""``kyanh-corpus validate PATH...``: check records and built folders against the models."""

from __future__ import annotations

import argparse
import json
import sys

from .codes import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from .options import ProgressBar, jobs, non_negative, positive


def _cmd_validate(args: argparse.Namespace) -> int:
    from ..validate import UsageError, validate_paths

    bar = ProgressBar(args.quiet, "validate")
    try:
        report = validate_paths(
            args.paths,
            entity=args.entity,
            max_errors=args.max_errors,
            jobs=args.jobs,
            max_line_bytes=args.max_line_bytes,
            progress=bar,
        )
    except UsageError as error:
        bar.close()
        if args.json:
            print(json.dumps({"valid": False, "usage_error": str(error)}, ensure_ascii=False))
        print(f"kyanh-corpus validate: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    bar.close()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for issue in report.issues:
            print(issue)
        print(report.summary())
    return EXIT_OK if report.valid else EXIT_INVALID


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` subcommand."""
    from ..models import ENTITIES, SCHEMA_NAMES
    from ..validate import DEFAULT_MAX_ERRORS, MAX_LINE_BYTES

    names = ", ".join(ENTITIES)
    parser = sub.add_parser(
        "validate",
        help="check JSONL/JSON/Parquet records or a built folder against the models",
        description=(
            "Validate records against the models. PATH is a .jsonl/.ndjson file (one record per "
            "line), a .json file (one record object or an array of them), a .parquet file, or a "
            "built folder (then also: manifest checksums and counts, Parquet schemas, unique "
            "primary keys, foreign keys to articles, spans against the source text, and that "
            "schema/ and the card's dataset_info are current). Files are streamed, so memory "
            "does not grow with their size. Every error is listed with file, line (or row), "
            "field path and message, then a summary."
        ),
        epilog=(
            "Exit codes: 0 valid; 1 invalid (errors listed); 2 usage error (missing path, "
            "unknown entity, unsupported file type, a bad KYANH_CORPUS_MAX_* variable). Line "
            "numbers are 1-based, Parquet rows 0-based. JSON records are held to limits set by "
            "environment variables (as for build's sidecars): KYANH_CORPUS_MAX_JSON_DEPTH "
            "(nesting, default 64), KYANH_CORPUS_MAX_VALUE_CHARS (one string, default 8 MiB), "
            "KYANH_CORPUS_MAX_INT_DIGITS (one integer, default 30); a record beyond one, or "
            "with a key twice in one object, is an error on its line and field."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file or built folder")
    parser.add_argument(
        "--entity",
        metavar="NAME",
        help=f"the records' entity: {names} (or {', '.join(SCHEMA_NAMES.values())}); "
        "default: inferred from the file or folder name, else from the first record's keys",
    )
    parser.add_argument(
        "--max-errors",
        type=non_negative,
        default=DEFAULT_MAX_ERRORS,
        metavar="N",
        help=f"stop after N errors (0: no limit; default {DEFAULT_MAX_ERRORS})",
    )
    parser.add_argument(
        "--jobs",
        type=jobs,
        default=1,
        metavar="N",
        help="check in N worker processes (0: one per CPU; default 1)",
    )
    parser.add_argument(
        "--max-line-bytes",
        type=positive,
        default=MAX_LINE_BYTES,
        metavar="N",
        help=f"longest JSON Lines line / JSON record accepted, in bytes (default "
        f"{MAX_LINE_BYTES:,}); a longer one is an error on its line",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    parser.set_defaults(func=_cmd_validate)
