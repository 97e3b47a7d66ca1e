"""The ``kyanh-corpus`` command line: a thin layer over the library.

Exit codes: 0 ok, 1 invalid data, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _cmd_schema(args: argparse.Namespace) -> int:
    from .features import schema_files, stale_schema_files, write_schemas

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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kyanh-corpus",
        description="Build, load, validate and publish the Kỳ Anh journalism corpus.",
        epilog="Exit codes: 0 ok, 1 invalid data, 2 usage error.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    schema = sub.add_parser("schema", help="print, write or check the JSON Schema files")
    schema.add_argument("--write", action="store_true", help="write the files into --out")
    schema.add_argument("--check", action="store_true", help="exit 1 if --out is stale")
    schema.add_argument("--out", default="schema", help="schema folder (default: schema/)")
    schema.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code
