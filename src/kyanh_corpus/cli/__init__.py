"""The ``kyanh-corpus`` command line: a thin layer over the library.

Each subcommand lives in its own module of this package with a ``register(subparsers)`` function
that adds its parser and sets ``func`` (a callable taking the parsed namespace, returning the exit
code). Modules import heavy libraries inside ``func`` only, so ``--help`` stays fast.

Exit codes: 0 ok, 1 invalid data, 2 usage error, 130 interrupted (Ctrl-C: one line, nothing
already built changed), 141 the reader of the output went away (``... | head``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Final

from .. import __version__
from ..models import SCHEMA_VERSION
from .codes import EXIT_ENVIRONMENT, EXIT_INVALID, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

COMMAND_MODULES = ("build", "validate", "publish", "schema", "info", "export")
"""Subcommand modules, in the order ``--help`` lists them (missing ones are skipped)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="kyanh-corpus",
        description="Build, load, validate and publish the Kỳ Anh journalism corpus.",
        epilog="Exit codes: 0 ok, 1 invalid data, 2 usage error, 130 interrupted (Ctrl-C), "
        "141 the reader of the output went away.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"kyanh-corpus {__version__} (schema {SCHEMA_VERSION})",
        help="print the package and schema versions and exit",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


EXIT_INTERRUPTED: Final = 130
"""Ctrl-C (128 + SIGINT): one line on stderr, nothing already built changed."""
EXIT_PIPE_CLOSED: Final = 141
"""The reader of stdout went away (``kyanh-corpus validate ... | head``; 128 + SIGPIPE)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
    except KeyboardInterrupt:
        print(f"kyanh-corpus {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Python would print a traceback when flushing stdout at exit: point it at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except OSError as error:  # a full or read-only disk, an unwritable folder, a killed worker
        print(f"kyanh-corpus {args.command}: error: {describe_os_error(error)}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    return code


def describe_os_error(error: OSError) -> str:
    """One line for an ``OSError``: the file, then the reason (no errno numbers).

    >>> describe_os_error(OSError(28, "No space left on device", "/data/out/x.parquet"))
    '/data/out/x.parquet: No space left on device'
    >>> describe_os_error(OSError("a worker ended abruptly"))
    'a worker ended abruptly'
    """
    reason = error.strerror or str(error)
    if error.filename is None:
        return reason
    target = f" -> {error.filename2}" if error.filename2 is not None else ""
    return f"{error.filename}{target}: {reason}"
