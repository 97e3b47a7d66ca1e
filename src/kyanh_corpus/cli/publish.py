"""``kyanh-corpus publish DIR --repo-id OWNER/NAME``: validate, then push to the Hub."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from .codes import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from .options import ProgressBar, jobs


def _cmd_publish(args: argparse.Namespace) -> int:
    from ..publish import PublishError, execute_plan, plan_publish, redact, resolve_token

    secrets: list[str | None] = [args.token, os.environ.get("HF_TOKEN")]

    def out(text: str) -> None:
        print(redact(text, secrets))

    def err(text: str) -> None:
        print(redact(text, secrets), file=sys.stderr)

    bar = ProgressBar(args.quiet, "validate")
    try:
        plan = plan_publish(
            args.dir,
            args.repo_id,
            private=args.private,
            create_pr=args.create_pr,
            revision=args.revision,
            token=args.token,
            commit_message=args.message,
            jobs=args.jobs,
            progress=bar,
            on_issue=out,
            with_hf_form=args.with_hf_form,
        )
    except PublishError as error:
        bar.close()
        if args.json:
            out(json.dumps({"published": False, "error": str(error)}, ensure_ascii=False))
        err(f"kyanh-corpus publish: error: {error}")
        return EXIT_USAGE if error.usage else EXIT_INVALID
    bar.close()
    if args.dry_run:
        if args.json:
            document: dict[str, Any] = {"dry_run": True, **plan.to_json()}
            out(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            out(f"dry run: {args.dir} is valid; these operations would run:")
            for line in plan.describe():
                out(line)
        return EXIT_OK
    try:
        token = resolve_token(args.token)
    except Exception as error:  # OIDC exchange or token refresh failed
        err(f"kyanh-corpus publish: error: cannot resolve a Hugging Face token: {error}")
        return EXIT_USAGE
    secrets.append(token)
    if not token:
        err(
            "kyanh-corpus publish: error: no Hugging Face token: run `hf auth login`, set "
            "HF_TOKEN or pass --token"
        )
        return EXIT_USAGE
    try:
        outcome = execute_plan(plan, token)
    except Exception as error:  # network, permissions, Hub errors: relayed without the token
        err(f"kyanh-corpus publish: error: the Hub refused or failed: {error}")
        return EXIT_INVALID
    if args.json:
        document = {
            "published": True,
            "repo_url": outcome.repo_url,
            "commit_url": outcome.commit_url,
            "pr_url": outcome.pr_url,
            "tag": outcome.tag,
        }
        out(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        out(f"published {args.dir} to {outcome.repo_url}")
        if outcome.pr_url:
            out(f"pull request: {outcome.pr_url}")
        elif outcome.commit_url:
            out(f"commit: {outcome.commit_url}")
        if outcome.tag:
            out(f"tagged {outcome.tag}: load it with revision={outcome.tag!r}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``publish`` subcommand."""

    parser = sub.add_parser(
        "publish",
        help="validate a built folder and push it to the Hugging Face Hub",
        description=(
            "Validate DIR in full (as `kyanh-corpus validate DIR`) and refuse it when invalid or "
            "stale; then create the dataset repository if needed (create_repo exist_ok=True), "
            "create the --revision branch if it is not main, and upload the Parquet repository "
            "(data/, card, schema/, croissant.json, LICENSE-DATA, build_report.json, manifest; "
            "hf/ only with --with-hf-form) as ONE commit (or pull request with --create-pr) "
            "that also deletes remote files under data/, hf/ and schema/ it no longer has; the "
            "commit is tagged v<dataset version> (not a pull request). --dry-run prints the exact "
            "operations instead. The token comes from --token or the standard huggingface_hub "
            "resolution (HF_TOKEN, `hf auth login`) and is never printed."
        ),
        epilog=(
            "Exit codes: 0 published (or planned, with --dry-run); 1 invalid or stale folder, "
            "or the Hub refused; 2 usage error (bad repo id, missing folder, no token)."
        ),
    )
    parser.add_argument("dir", metavar="DIR", help="a built folder (kyanh-corpus build)")
    parser.add_argument(
        "--repo-id", required=True, metavar="OWNER/NAME", help="the Hub dataset repository"
    )
    parser.add_argument(
        "--private", action="store_true", help="create the repository private (if it is new)"
    )
    parser.add_argument(
        "--create-pr", action="store_true", help="open a pull request instead of committing"
    )
    parser.add_argument(
        "--revision", metavar="R", help="branch to commit to (created if missing; default main)"
    )
    parser.add_argument(
        "--token", metavar="T", help="Hugging Face token (default: standard resolution)"
    )
    parser.add_argument("--message", metavar="TEXT", help="commit message")
    parser.add_argument(
        "--with-hf-form",
        action="store_true",
        help="also upload hf/ (the save_to_disk copy, about 8x the Parquet size)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and print the operations; no network"
    )
    parser.add_argument(
        "--jobs",
        type=jobs,
        default=1,
        metavar="N",
        help="validate in N worker processes (0: one per CPU; default 1)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the plan or outcome as JSON")
    parser.set_defaults(func=_cmd_publish)
