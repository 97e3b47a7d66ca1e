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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
    "stage_upload",
    "version_tag",
]

REPO_TYPE: Final = "dataset"
MANAGED_PREFIXES: Final = ("data/", "hf/", "schema/")
"""Folders of the repository a publish owns: remote files there that the upload lacks go
(``upload_folder``'s ``delete_patterns``)."""
HF_FORM_PREFIX: Final = "hf/"
"""The ``save_to_disk`` copy of the data: left out of a publish unless asked for (the Hub reads
the Parquet files; ``hf/`` is about 8 times their size)."""


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
    tag: str | None = None
    """The tag the commit gets (the dataset version), None for a pull request."""
    manifest_text: str | None = None
    """The ``manifest.json`` uploaded when it differs from the folder's (without ``hf/``)."""

    @property
    def delete_patterns(self) -> list[str]:
        """``upload_folder``'s patterns of remote files to delete when the upload lacks them."""
        return [f"{prefix}**" for prefix in self.delete_prefixes]

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
                "call": "upload_folder",
                "repo_id": self.repo_id,
                "repo_type": self.repo_type,
                "revision": self.revision,
                "create_pr": self.create_pr,
                "commit_message": self.commit_message,
                "commit_description": self.commit_description,
                "files": [
                    {
                        "path_in_repo": upload.path_in_repo,
                        "path_or_fileobj": str(upload.local_path),
                        "bytes": upload.bytes,
                        "sha256": upload.sha256,
                    }
                    for upload in self.files
                ],
                "delete_patterns": self.delete_patterns,
            }
        )
        if self.tag is not None:
            ops.append(
                {
                    "call": "create_tag",
                    "repo_id": self.repo_id,
                    "repo_type": self.repo_type,
                    "tag": self.tag,
                    "revision": "<the commit above>",
                    "exist_ok": True,
                }
            )
        return ops

    def describe(self) -> list[str]:
        """The planned calls as Python-like lines (what ``--dry-run`` prints)."""
        lines = []
        for op in self.operations():
            call = op["call"]
            if call != "upload_folder":
                args = ", ".join(f"{key}={value!r}" for key, value in op.items() if key != "call")
                lines.append(f"{call}({args})")
                continue
            total = sum(upload.bytes for upload in self.files)
            head = ", ".join(
                f"{key}={op[key]!r}"
                for key in ("repo_id", "repo_type", "revision", "create_pr", "commit_message")
            )
            lines.append(
                f"upload_folder({head}, delete_patterns={self.delete_patterns!r}) of "
                f"{len(self.files)} files, {total:,} bytes:"
            )
            for upload in self.files:
                lines.append(
                    f"  {upload.path_in_repo}  # {upload.bytes:,} bytes from {upload.local_path}"
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
    with_hf_form: bool = False,
) -> Plan:
    """Validate ``folder`` and plan its publication; raises :class:`PublishError` if refused.

    The Hub gets the Parquet repository -- ``data/``, the card, ``schema/``, ``croissant.json``,
    ``LICENSE-DATA``, ``build_report.json`` and a ``manifest.json`` that lists exactly those --
    and ``hf/`` only ``with_hf_form``. The commit is tagged with the dataset version
    (:func:`version_tag`), so ``load_articles(repo, revision=tag)`` pins it; a pull request is
    not tagged. ``on_issue`` receives each validation error (as text) when the folder is refused.
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
        if with_hf_form or not name.startswith(HF_FORM_PREFIX)
    ]
    manifest_path = (root / MANIFEST_NAME).resolve()
    manifest_text = None if with_hf_form else _without_hf_form(manifest_path)
    size = manifest_path.stat().st_size if manifest_text is None else len(manifest_text.encode())
    files.append(FileUpload(MANIFEST_NAME, manifest_path, size, None))
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
        tag=None if create_pr else version_tag(manifest.dataset_version),
        manifest_text=manifest_text,
    )


def version_tag(dataset_version: str) -> str:
    """The Hub tag of a dataset version: ``v`` + the version, ``+`` written ``-`` (URL-safe).

    >>> version_tag("1.0.0+b4b52b450483")
    'v1.0.0-b4b52b450483'
    """
    return "v" + dataset_version.replace("+", "-")


def _without_hf_form(manifest_path: Path) -> str:
    """The text of ``manifest.json`` without the ``hf/`` files (for a Parquet-only upload)."""
    import json

    from .dataset.manifest import dump_json

    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = manifest.get("files", {})
    manifest["files"] = {k: v for k, v in files.items() if not k.startswith(HF_FORM_PREFIX)}
    return dump_json(manifest)


def stage_upload(plan: Plan, dest: Path) -> Path:
    """Lay out in ``dest`` (empty or missing) exactly what the upload sends: a link to each
    file of the plan, and the rewritten ``manifest.json`` when the plan has one. Returns
    ``dest``, the folder ``upload_folder`` is given."""
    dest.mkdir(parents=True, exist_ok=True)
    for upload in plan.files:
        target = dest / upload.path_in_repo
        target.parent.mkdir(parents=True, exist_ok=True)
        if upload.path_in_repo == "manifest.json" and plan.manifest_text is not None:
            target.write_text(plan.manifest_text, encoding="utf-8")
        else:
            target.symlink_to(upload.local_path)
    return dest


@dataclass
class Outcome:
    """What the Hub answered."""

    repo_url: str
    commit_url: str | None = None
    pr_url: str | None = None
    tag: str | None = None


def execute_plan(plan: Plan, token: str | None) -> Outcome:  # pragma: no cover - network
    """Carry out ``plan`` on the Hub: the one function of the package that publishes.

    Everything before the network (the plan, the staged folder) is built and tested offline;
    this function only makes the calls. ``token`` None lets ``huggingface_hub`` resolve it.
    """
    import tempfile

    from .extras import require

    HfApi = require("huggingface_hub", "hf", "publish").HfApi

    api = HfApi(token=token)
    repo_url = api.create_repo(
        plan.repo_id,
        repo_type=plan.repo_type,
        private=True if plan.private else None,
        exist_ok=True,
    )
    if plan.branch:
        api.create_branch(plan.repo_id, repo_type=plan.repo_type, branch=plan.branch, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kyanh-corpus-publish-") as staging:
        info = api.upload_folder(
            repo_id=plan.repo_id,
            folder_path=stage_upload(plan, Path(staging)),
            repo_type=plan.repo_type,
            revision=plan.revision,
            create_pr=plan.create_pr,
            commit_message=plan.commit_message,
            commit_description=plan.commit_description,
            delete_patterns=plan.delete_patterns,
        )
    if plan.tag is not None:
        oid = getattr(info, "oid", None)
        api.create_tag(
            plan.repo_id, tag=plan.tag, revision=oid, repo_type=plan.repo_type, exist_ok=True
        )
    return Outcome(
        repo_url=str(repo_url),
        commit_url=getattr(info, "commit_url", None),
        pr_url=getattr(info, "pr_url", None),
        tag=plan.tag,
    )


def resolve_token(token: str | None) -> str | None:  # pragma: no cover - may touch the network
    """``token``, else the standard ``huggingface_hub`` resolution (None when logged out)."""
    if token:
        return token
    from .extras import require

    resolved: str | None = require("huggingface_hub", "hf", "publish").get_token()
    return resolved
