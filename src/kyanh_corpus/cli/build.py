"""``kyanh-corpus build INPUT... --out DIR``: raw pages -> a built folder (see ``build``)."""

from __future__ import annotations

import argparse
import json
import re
import sys

from .codes import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from .options import ProgressBar, jobs, positive

_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")


def _domain(value: str) -> str:
    if not _DOMAIN.match(value):
        raise argparse.ArgumentTypeError(f"not a lowercase domain such as baohatinh.vn: {value!r}")
    return value


def _cmd_build(args: argparse.Namespace) -> int:
    from ..build import build
    from ..errors import UsageError
    from ..limits import current

    bar = ProgressBar(args.quiet, "build", unit="page")
    try:
        current()  # a bad KYANH_CORPUS_MAX_* variable: a usage error before any work
        result = build(
            args.inputs,
            args.out,
            jobs=args.jobs,
            keep_going=args.keep_going,
            shard_rows=args.shard_rows,
            source=args.source,
            progress=bar,
            phase=bar.phase,
        )
    except UsageError as error:  # BuildUsageError, a missing extra
        bar.close()
        if args.json:
            print(json.dumps({"ok": False, "error": str(error)}, ensure_ascii=False))
        print(f"kyanh-corpus build: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    bar.close()
    for failure in result.failures:
        print(f"{'skipped' if result.written else 'error'}: {failure}", file=sys.stderr)
    for orphan in result.orphan_sidecars:
        print(f"warning: {orphan}: a sidecar of no input page, not used", file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2, sort_keys=True))
    elif result.written:
        counts = ", ".join(f"{rows:,} {config}" for config, rows in result.counts.items())
        skipped = f"; {len(result.failures)} input(s) skipped" if result.failures else ""
        speed = result.raw_bytes / 1e6 / result.elapsed_s if result.elapsed_s else 0.0
        print(
            f"built {result.out} ({result.dataset_version}): {counts} from "
            f"{result.built} page(s){skipped} in {result.elapsed_s:.2f} s ({speed:.2f} MB/s); "
            f"{result.conflicting_documents:,} document(s) with disagreeing mentions, "
            f"{result.ambiguous_documents:,} ambiguous (see build_report.json)"
        )
    if not result.written:
        print(
            f"kyanh-corpus build: {len(result.failures)} of {result.inputs} input(s) failed; "
            f"nothing written" + ("" if args.keep_going else " (--keep-going builds the others)"),
            file=sys.stderr,
        )
        return EXIT_INVALID
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``build`` subcommand."""
    parser = sub.add_parser(
        "build",
        help="build the corpus folder (Parquet, hf/, card, manifest) from raw pages",
        description=(
            "Extract raw .txt pages (files, or folders of them, each with an optional "
            "<stem>.meta.json sidecar) into a folder that is also a Hugging Face Hub dataset "
            "repository. Inputs are sorted by file name; the output is byte-identical for the "
            "same inputs. The folder is written next to DIR and swapped in at the end, so a "
            "failed build leaves an existing DIR untouched."
        ),
        epilog=(
            "Exit codes: 0 built; 1 invalid input pages (every failure is listed, nothing is "
            "written; with --keep-going the good pages are built, exit 0, and the failures are "
            "in build_report.json); 2 usage error."
        ),
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="raw .txt page or folder")
    parser.add_argument("--out", required=True, metavar="DIR", help="the folder to (re)build")
    parser.add_argument(
        "--jobs",
        type=jobs,
        default=1,
        metavar="N",
        help="map the pages in N processes: this one and N - 1 workers (0: one per CPU; default 1)",
    )
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="build the good pages and record the failures instead of writing nothing",
    )
    parser.add_argument(
        "--shard-rows",
        type=positive,
        default=10_000,
        metavar="N",
        help="rows per Parquet shard, per config (default 10000)",
    )
    parser.add_argument(
        "--source",
        type=_domain,
        default=None,
        metavar="DOMAIN",
        help="publication domain of pages whose prefix and sidecar name none "
        "(default baohatinh.vn)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.set_defaults(func=_cmd_build)
