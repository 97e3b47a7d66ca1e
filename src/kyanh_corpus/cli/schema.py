"""``kyanh-corpus schema``: the JSON Schema files derived from the models."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .codes import EXIT_INVALID, EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from ..features import schema_files, stale_schema_files, write_schemas

    out = Path(args.out)
    if args.write:
        for path in write_schemas(out):
            print(path)
        return EXIT_OK
    if args.check:
        stale = stale_schema_files(out)
        for name in stale:
            print(f"stale: {out / name}", file=sys.stderr)
        return EXIT_INVALID if stale else EXIT_OK
    for name, text in schema_files().items():
        print(f"# {name}\n{text}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``schema`` subcommand."""
    schema = sub.add_parser(
        "schema",
        help="print, write or check the JSON Schema files",
        description="Print the JSON Schema of every entity, write them (--write) or check a "
        "folder against the models (--check, exit 1 when stale).",
    )
    schema.add_argument("--write", action="store_true", help="write the files into --out")
    schema.add_argument("--check", action="store_true", help="exit 1 if --out is stale")
    schema.add_argument("--out", default="schema", help="schema folder (default: schema/)")
    schema.set_defaults(func=_cmd_schema)
