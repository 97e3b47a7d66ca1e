"""Publish a built folder to the Hugging Face Hub as a dataset repository.

``publish(folder, repo_id, ...)`` first validates the folder in full (:mod:`kyanh_corpus.validate`:
manifest checksums and counts, schemas, records, keys, spans, and staleness of ``schema/`` and the
card's ``dataset_info`` against the models) and refuses an invalid or stale one. It then *plans*
the operations -- ``create_repo(repo_type="dataset", exist_ok=True)``, ``create_branch`` when a
``revision`` other than ``main`` is named, and ONE ``create_commit`` adding every file of the
folder (those of ``manifest.json`` and the manifest itself) -- and, unless ``dry_run``, hands the
plan to :func:`execute_plan`, the only function that talks to the network. That commit also
deletes the repository's files under ``data/``, ``hf/`` and ``schema/`` that the folder no longer
has (stale shards would otherwise be loaded by ``datasets``).

The token is ``token=`` when given, else the standard ``huggingface_hub`` resolution (``HF_TOKEN``,
the token file of ``hf auth login``...). It is never printed nor logged: every line this module
writes and every error it relays goes through :func:`redact` first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from .errors import KyanhCorpusError

__all__ = [
    "MANAGED_PREFIXES",
    "FileUpload",
    "Plan",
    "PublishError",
    "execute_plan",
    "plan_publish",
    "redact",
    "stale_remote_files",
]

REPO_TYPE: Final = "dataset"
MANAGED_PREFIXES: Final = ("data/", "hf/", "schema/")
"""Folders of the repository a publish owns: remote files there that the folder lacks go."""


class PublishError(KyanhCorpusError):
    """The folder cannot be published (invalid, stale) or the arguments are wrong."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


@dataclass(frozen=True)
class FileUpload:
    """One file of the commit."""

    path_in_repo: str
    local_path: Path
    bytes: int
    sha256: str | None


@dataclass(frozen=True)
class Plan:
    """Everything a publish will do, computed without the network."""

    repo_id: str
    private: bool
    revision: str | None
    create_pr: bool
    commit_message: str
    commit_description: str
    files: tuple[FileUpload, ...]
    token_source: str
    repo_type: str = REPO_TYPE
    delete_prefixes: tuple[str, ...] = MANAGED_PREFIXES

    @property
    def branch(self) -> str | None:
        """The branch to create first (a ``revision`` other than ``main``), else None."""
        return self.revision if self.revision not in (None, "main") else None

    def operations(self) -> list[dict[str, Any]]:
        """The planned calls, in order, as data (what ``--dry-run --json`` prints)."""
        ops: list[dict[str, Any]] = [
            {
                "call": "create_repo",
                "repo_id": self.repo_id,
                "repo_type": self.repo_type,
                "private": self.private or None,
                "exist_ok": True,
            }
        ]
        if self.branch:
            ops.append(
                {
                    "call": "create_branch",
                    "repo_id": self.repo_id,
                    "repo_type": self.repo_type,
                    "branch": self.branch,
                    "exist_ok": True,
                }
            )
        ops.append(
            {
                "call": "create_commit",
                "repo_id": self.repo_id,
                "repo_type": self.repo_type,
                "revision": self.revision,
                "create_pr": self.create_pr,
                "commit_message": self.commit_message,
                "commit_description": self.commit_description,
                "operations": [
                    {
                        "op": "CommitOperationAdd",
                        "path_in_repo": upload.path_in_repo,
                        "path_or_fileobj": str(upload.local_path),
                        "bytes": upload.bytes,
                        "sha256": upload.sha256,
                    }
                    for upload in self.files
                ],
                "delete_stale_under": list(self.delete_prefixes),
            }
        )
        return ops

    def describe(self) -> list[str]:
        """The planned calls as Python-like lines (what ``--dry-run`` prints)."""
        lines = []
        for op in self.operations():
            call = op["call"]
            if call != "create_commit":
                args = ", ".join(f"{key}={value!r}" for key, value in op.items() if key != "call")
                lines.append(f"{call}({args})")
                continue
            total = sum(upload.bytes for upload in self.files)
            head = ", ".join(
                f"{key}={op[key]!r}"
                for key in ("repo_id", "repo_type", "revision", "create_pr", "commit_message")
            )
            lines.append(
                f"create_commit({head}, operations=[{len(self.files)} files, {total:,} bytes])"
            )
            for upload in self.files:
                lines.append(
                    f"  CommitOperationAdd(path_in_repo={upload.path_in_repo!r}, "
                    f"path_or_fileobj={str(upload.local_path)!r})  # {upload.bytes:,} bytes"
                )
            prefixes = ", ".join(self.delete_prefixes)
            lines.append(
                f"  CommitOperationDelete for every remote file under {prefixes} that is not "
                "above (listed with list_repo_files at publish time)"
            )
        lines.append(f"token: {self.token_source}")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "repo_id": self.repo_id,
            "operations": self.operations(),
            "token": self.token_source,
        }


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret (of 8 characters or more) replaced by ``***``.

    >>> redact("Bearer hf_abcdefgh123 failed", ["hf_abcdefgh123"])
    'Bearer *** failed'
    """
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, "***")
    return text


def _token_source(token: str | None) -> str:
    if token:
        return "given with --token (hidden)"
    if os.environ.get("HF_TOKEN"):
        return "from the HF_TOKEN environment variable (hidden)"
    return (
        "resolved by huggingface_hub at publish time (HF_TOKEN, the token file of `hf auth login`)"
    )


def plan_publish(
    folder: str | os.PathLike[str],
    repo_id: str,
    *,
    private: bool = False,
    create_pr: bool = False,
    revision: str | None = None,
    token: str | None = None,
    commit_message: str | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    on_issue: Callable[[str], None] | None = None,
) -> Plan:
    """Validate ``folder`` and plan its publication; raises :class:`PublishError` if refused.

    ``on_issue`` receives each validation error (as text) when the folder is refused.
    """
    from .dataset.manifest import MANIFEST_NAME, read_manifest
    from .load import is_repo_id
    from .validate import UsageError, validate_folder

    if not is_repo_id(repo_id):
        raise PublishError(f"--repo-id must look like OWNER/NAME, not {repo_id!r}", usage=True)
    if revision is not None and not revision.strip():
        raise PublishError("--revision must not be empty", usage=True)
    root = Path(folder)
    try:
        report = validate_folder(root, jobs=jobs, progress=progress)
    except UsageError as error:
        raise PublishError(str(error), usage=True) from None
    if not report.valid:
        for issue in report.issues:
            if on_issue is not None:
                on_issue(str(issue))
        raise PublishError(
            f"{root}: refusing to publish an invalid or stale folder ({report.summary()}); "
            "rebuild it with `kyanh-corpus build`"
        )
    manifest = read_manifest(root)
    files = [
        FileUpload(name, (root / name).resolve(), entry.bytes, entry.sha256)
        for name, entry in sorted(manifest.files.items())
    ]
    manifest_path = (root / MANIFEST_NAME).resolve()
    files.append(FileUpload(MANIFEST_NAME, manifest_path, manifest_path.stat().st_size, None))
    counts = ", ".join(f"{entry.num_rows:,} {name}" for name, entry in manifest.configs.items())
    return Plan(
        repo_id=repo_id,
        private=private,
        revision=revision,
        create_pr=create_pr,
        commit_message=commit_message
        or f"Publish kyanh-corpus {manifest.dataset_version} (schema {manifest.schema_version})",
        commit_description=f"Built by kyanh-corpus {manifest.package_version}: {counts}.",
        files=tuple(files),
        token_source=_token_source(token),
    )


def stale_remote_files(remote: Sequence[str], plan: Plan) -> list[str]:
    """Remote files the commit deletes: under a managed prefix and not in the folder.

    >>> plan = Plan("o/n", False, None, False, "m", "d",
    ...             (FileUpload("data/a/x.parquet", Path("x"), 1, None),), "t")
    >>> stale_remote_files(["README.md", "data/a/x.parquet", "data/a/old.parquet"], plan)
    ['data/a/old.parquet']
    """
    keep = {upload.path_in_repo for upload in plan.files}
    return sorted(
        name for name in remote if name not in keep and name.startswith(tuple(plan.delete_prefixes))
    )


@dataclass
class Outcome:
    """What the Hub answered."""

    repo_url: str
    commit_url: str | None = None
    pr_url: str | None = None
    deleted: list[str] = field(default_factory=list)


def execute_plan(plan: Plan, token: str | None) -> Outcome:  # pragma: no cover - network
    """Carry out ``plan`` on the Hub: the one function of the package that publishes.

    ``token`` None lets ``huggingface_hub`` resolve it the standard way.
    """
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi

    api = HfApi(token=token)
    repo_url = api.create_repo(
        plan.repo_id,
        repo_type=plan.repo_type,
        private=True if plan.private else None,
        exist_ok=True,
    )
    if plan.branch:
        api.create_branch(plan.repo_id, repo_type=plan.repo_type, branch=plan.branch, exist_ok=True)
    remote = api.list_repo_files(plan.repo_id, repo_type=plan.repo_type, revision=plan.revision)
    deleted = stale_remote_files(remote, plan)
    operations: list[Any] = [CommitOperationDelete(path_in_repo=name) for name in deleted]
    operations += [
        CommitOperationAdd(path_in_repo=upload.path_in_repo, path_or_fileobj=str(upload.local_path))
        for upload in plan.files
    ]
    info = api.create_commit(
        plan.repo_id,
        operations,
        commit_message=plan.commit_message,
        commit_description=plan.commit_description,
        repo_type=plan.repo_type,
        revision=plan.revision,
        create_pr=plan.create_pr,
    )
    return Outcome(
        repo_url=str(repo_url),
        commit_url=getattr(info, "commit_url", None),
        pr_url=getattr(info, "pr_url", None),
        deleted=deleted,
    )


def resolve_token(token: str | None) -> str | None:  # pragma: no cover - may touch the network
    """``token``, else the standard ``huggingface_hub`` resolution (None when logged out)."""
    if token:
        return token
    from huggingface_hub import get_token

    return get_token()
