"""``kyanh-corpus publish DIR --repo-id OWNER/NAME``: validate, then push to the Hub."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from .codes import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from .options import ProgressBar, jobs, positive


def _seconds(value: str) -> float:
    """``--timeout``: a number of seconds above 0."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"must be above 0: {value!r}")
    return number


def _cmd_publish(args: argparse.Namespace) -> int:
    from ..publish import (
        PublishError,
        execute_plan,
        network_policy,
        plan_publish,
        redact,
        resolve_token,
    )

    secrets: list[str | None] = [args.token, os.environ.get("HF_TOKEN")]

    def out(text: str) -> None:
        print(redact(text, secrets))

    def err(text: str) -> None:
        print(redact(text, secrets), file=sys.stderr)

    bar = ProgressBar(args.quiet, "validate")
    try:
        policy = network_policy(timeout=args.timeout, attempts=args.attempts)
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
            document["network"] = {
                "timeout": policy.timeout,
                "attempts": policy.attempts,
                "backoff": policy.backoff,
            }
            out(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            out(f"dry run: {args.dir} is valid; these operations would run:")
            for line in plan.describe():
                out(line)
            out(
                f"network: every request times out after {policy.timeout:g} s and is tried "
                f"{policy.attempts} time(s) in all on a transient failure"
            )
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
        outcome = execute_plan(
            plan,
            token,
            timeout=policy.timeout,
            attempts=policy.attempts,
            backoff=policy.backoff,
        )
    except Exception as error:  # HubError names the step; relayed on one line, without the token
        if args.json:
            out(json.dumps({"published": False, "error": str(error)}, ensure_ascii=False))
        err("kyanh-corpus publish: error: " + " ".join(str(error).split()))
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
            "create the --revision branch if it is not main, list the repository's files, and "
            "upload the Parquet repository (data/, card, schema/, croissant.json, LICENSE-DATA, "
            "build_report.json, manifest; hf/ only with --with-hf-form) as ONE commit (one "
            "create_commit call; or one pull request with --create-pr) that also deletes the "
            "remote files under data/, hf/ and schema/ it no longer has; that commit is tagged "
            "v<dataset version> (not a pull request). --dry-run prints the exact operations "
            "instead. The token comes from --token or the standard huggingface_hub "
            "resolution (HF_TOKEN, `hf auth login`) and is never printed. The Hub is "
            "HF_ENDPOINT (default https://huggingface.co). Every request times out after "
            "--timeout seconds (to connect, and for each read and write) and is tried --attempts "
            "times in all when it times out, cannot connect or is answered 429, 500, 502, 503 or "
            "504, waiting KYANH_CORPUS_PUBLISH_BACKOFF seconds (default 1) before the second "
            "attempt and twice as long before each next one; 401, 403, 404 and other answers are "
            "final at once. A failure prints one line naming the step (creating the repository, "
            "creating the branch, listing the remote files, uploading the files, tagging the "
            "commit) and why."
        ),
        epilog=(
            "Exit codes: 0 published (or planned, with --dry-run); 1 invalid or stale folder, "
            "or a step on the Hub refused, failed or timed out; 2 usage error (bad repo id, "
            "missing folder, no token, bad --timeout or --attempts)."
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
        help="also upload hf/ (the load_from_disk copy, about 8x the Parquet size)",
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
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="seconds each request may take to connect, and for each read or write "
        "(default: KYANH_CORPUS_PUBLISH_TIMEOUT, else 10)",
    )
    parser.add_argument(
        "--attempts",
        type=positive,
        metavar="N",
        help="tries in all of a request that times out, cannot connect or gets 429/5xx "
        "(default: KYANH_CORPUS_PUBLISH_ATTEMPTS, else 3)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the plan or outcome as JSON")
    parser.set_defaults(func=_cmd_publish)
