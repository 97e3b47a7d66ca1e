"""Publish a built folder to the Hugging Face Hub as a dataset repository.

``publish(folder, repo_id, ...)`` first validates the folder in full (:mod:`kyanh_corpus.validate`:
manifest checksums and counts, schemas, records, keys, spans, and staleness of ``schema/`` and the
card's ``dataset_info`` against the models) and refuses an invalid or stale one. It then *plans*
the operations -- ``create_repo(repo_type="dataset", exist_ok=True)``, ``create_branch`` when a
``revision`` other than ``main`` is named, ``list_repo_files`` at that revision, ONE
``create_commit`` adding every file of the folder (those of ``manifest.json`` and the manifest
itself) and ``create_tag`` on the commit it returns -- and, unless ``dry_run``, hands the plan to
:func:`execute_plan`, the only function that talks to the network. That commit also deletes the
repository's files under ``data/``, ``hf/`` and ``schema/`` that the folder no longer has (stale
shards would otherwise be loaded by ``datasets``): the files listed there that the commit does not
add. It is one ``create_commit`` call, which sends one commit request whatever the number of
files (``upload_folder`` may split a large folder into several commits), so the publish is one
commit (or one pull request) and the tag names all of it.

Every request :func:`execute_plan` makes is bounded (:class:`NetworkPolicy`): a timeout to
connect and for each read and write (10 s), and a few attempts in all (3) when it times out,
cannot connect or gets 429/500/502/503/504, with a doubling backoff (1 s, 2 s...); 401, 403, 404
and other answers are final at once. Each is overridable (``timeout=``, ``attempts=``,
``backoff=``; ``KYANH_CORPUS_PUBLISH_TIMEOUT``, ``..._ATTEMPTS``, ``..._BACKOFF``). A failure is
one :class:`HubError` naming the step: ``creating the repository timed out after 10 s (3
attempts)``, ``uploading the files failed: HTTP 500 Internal Server Error: ... (3 attempts)``.

The token is ``token=`` when given, else the standard ``huggingface_hub`` resolution (``HF_TOKEN``,
the token file of ``hf auth login``...). It is never printed nor logged: every line this module
writes and every error it relays goes through :func:`redact` first.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from .errors import KyanhCorpusError, cut

__all__ = [
    "DEFAULT_POLICY",
    "MANAGED_PREFIXES",
    "FileUpload",
    "HubError",
    "NetworkPolicy",
    "Plan",
    "PublishError",
    "execute_plan",
    "network_policy",
    "plan_publish",
    "redact",
    "stage_upload",
    "version_tag",
]

REPO_TYPE: Final = "dataset"
MANAGED_PREFIXES: Final = ("data/", "hf/", "schema/")
"""Folders of the repository a publish owns: remote files there that the upload lacks are deleted
by its commit (:meth:`Plan.stale_files`)."""
HF_FORM_PREFIX: Final = "hf/"
"""The ``hf/`` copy of the data (the ``datasets.load_from_disk`` form): left out of a publish
unless asked for (the Hub reads the Parquet files; ``hf/`` is about 8 times their size)."""


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

    def stale_files(self, remote_files: Iterable[str]) -> list[str]:
        """The remote files the commit deletes: those of ``remote_files`` (the repository's, at
        the revision) under :attr:`delete_prefixes` that the commit does not add, sorted.

        >>> plan = Plan("a/b", False, None, False, "m", "d", (
        ...     FileUpload("data/x/train-0.parquet", Path("x"), 1, None),), "t")
        >>> plan.stale_files(["data/x/train-0.parquet", "data/x/train-1.parquet", "hf/x.arrow",
        ...                   ".gitattributes", "notes.md"])
        ['data/x/train-1.parquet', 'hf/x.arrow']
        """
        added = {upload.path_in_repo for upload in self.files}
        return sorted(
            {
                path
                for path in remote_files
                if path.startswith(self.delete_prefixes) and path not in added
            }
        )

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
                "call": "list_repo_files",
                "repo_id": self.repo_id,
                "repo_type": self.repo_type,
                "revision": self.revision,
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
                "files": [  # a CommitOperationAdd each
                    {
                        "path_in_repo": upload.path_in_repo,
                        "path_or_fileobj": str(upload.local_path),
                        "bytes": upload.bytes,
                        "sha256": upload.sha256,
                    }
                    for upload in self.files
                ],
                # a CommitOperationDelete for each file listed under these that is not in files
                "delete_stale_under": list(self.delete_prefixes),
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
            if call != "create_commit":
                args = ", ".join(f"{key}={value!r}" for key, value in op.items() if key != "call")
                lines.append(f"{call}({args})")
                continue
            total = sum(upload.bytes for upload in self.files)
            head = ", ".join(
                f"{key}={op[key]!r}"
                for key in ("repo_id", "repo_type", "revision", "create_pr", "commit_message")
            )
            under = ", ".join(self.delete_prefixes)
            lines.append(
                f"create_commit({head}) adding {len(self.files)} files, {total:,} bytes, and "
                f"deleting each file listed under {under} that it does not add:"
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
    ``dest``, the folder whose files the commit adds."""
    dest.mkdir(parents=True, exist_ok=True)
    for upload in plan.files:
        target = dest / upload.path_in_repo
        target.parent.mkdir(parents=True, exist_ok=True)
        if upload.path_in_repo == "manifest.json" and plan.manifest_text is not None:
            target.write_text(plan.manifest_text, encoding="utf-8")
        else:
            target.symlink_to(upload.local_path)
    return dest


# ---------------------------------------------------------------------------------------------
# The network: timeouts and bounded retries for every request, one named step per failure.

TIMEOUT_ENV: Final = "KYANH_CORPUS_PUBLISH_TIMEOUT"
ATTEMPTS_ENV: Final = "KYANH_CORPUS_PUBLISH_ATTEMPTS"
BACKOFF_ENV: Final = "KYANH_CORPUS_PUBLISH_BACKOFF"
RETRY_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses retried (rate limited, server errors); every other status is answered at once."""
MAX_WAIT: Final = 30.0
"""Longest wait between two attempts, in seconds (a ``Retry-After`` above it is cut to it)."""


@dataclass(frozen=True)
class NetworkPolicy:
    """How every request of a publish is bounded.

    Each HTTP request gets ``timeout`` seconds to connect, and again for each read and each write
    (a server that accepts and never answers fails after ``timeout``). A request that times out,
    cannot connect, or is answered 429, 500, 502, 503 or 504 is tried again, ``attempts`` times
    in all, waiting ``backoff`` seconds before the second attempt and doubling each time (at most
    :data:`MAX_WAIT`; a ``Retry-After`` header is honoured up to it). Any other answer (401, 403,
    404, another 4xx) is final at once. So a request that never gets an answer ends after about
    ``attempts * timeout + backoff * (2 ** (attempts - 1) - 1)`` seconds: 33 s by default.
    """

    timeout: float = 10.0
    attempts: int = 3
    backoff: float = 1.0

    def wait(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after the failed ``attempt`` (1-based) before the next one."""
        delay = self.backoff * 2.0 ** (attempt - 1)
        if retry_after is not None:
            delay = max(delay, retry_after)
        return min(delay, MAX_WAIT)


DEFAULT_POLICY: Final = NetworkPolicy()


def network_policy(
    *,
    timeout: float | None = None,
    attempts: int | None = None,
    backoff: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> NetworkPolicy:
    """The policy in force: each value given, else its environment variable
    (``KYANH_CORPUS_PUBLISH_TIMEOUT``, ``..._ATTEMPTS``, ``..._BACKOFF``), else the default.

    Raises :class:`PublishError` (a usage error) for a timeout not above 0, attempts below 1 or
    a negative backoff.

    >>> network_policy(environ={"KYANH_CORPUS_PUBLISH_TIMEOUT": "2.5"}, attempts=1)
    NetworkPolicy(timeout=2.5, attempts=1, backoff=1.0)
    >>> try:
    ...     network_policy(environ={"KYANH_CORPUS_PUBLISH_ATTEMPTS": "0"})
    ... except PublishError as error:
    ...     print(error, error.usage)
    KYANH_CORPUS_PUBLISH_ATTEMPTS must be a whole number of at least 1, not '0' True
    """
    environ = os.environ if environ is None else environ

    def number(given: float | None, name: str, default: float, low: float, strict: bool) -> float:
        text = environ.get(name, "").strip() if given is None else str(given)
        name = name if given is None else name.rsplit("_", 1)[1].lower()  # the keyword's name
        if not text:
            return default
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not (value > low if strict else value >= low) or value == float("inf"):
            bound = f"above {low:g}" if strict else f"at least {low:g}"
            raise PublishError(
                f"{name} must be a number of seconds {bound}, not {text!r}", usage=True
            )
        return value

    seconds = number(timeout, TIMEOUT_ENV, DEFAULT_POLICY.timeout, 0, strict=True)
    wait = number(backoff, BACKOFF_ENV, DEFAULT_POLICY.backoff, 0, strict=False)
    text = environ.get(ATTEMPTS_ENV, "").strip() if attempts is None else str(attempts)
    tries = DEFAULT_POLICY.attempts
    if text:
        tries = int(text) if text.isdigit() else 0
        if tries < 1:
            name = ATTEMPTS_ENV if attempts is None else "attempts"
            raise PublishError(
                f"{name} must be a whole number of at least 1, not {text!r}", usage=True
            )
    return NetworkPolicy(timeout=seconds, attempts=tries, backoff=wait)


class HubError(PublishError):
    """A step of the publish failed on the Hub: refused, failed or timed out. ``str()`` is one
    line naming the step (``creating the repository timed out after 10 s (3 attempts)``)."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step} {reason}")
        self.step = step
        self.reason = reason


class _Exhausted(Exception):
    """Every attempt of one request failed transiently. Raised by the HTTP client, below
    ``huggingface_hub``, as a type it does not retry, so that no layer retries again."""

    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.attempts = attempts


def _one_line(text: str, width: int = 300) -> str:
    """``text`` on one line, cut to ``width`` characters."""
    return cut(" ".join(text.split()), width)


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: the backoff applies


def _describe(response: Any) -> str:
    """``failed: HTTP 500 Internal Server Error: <the Hub's error or the body's start>``, on one
    line; ``response`` (an ``httpx2.Response``) is closed."""
    import json

    body = b""
    try:
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > 2000:
                break
    except Exception:  # the body is only a detail of the message
        pass
    finally:
        response.close()
    text = body.decode("utf-8", "replace")
    try:
        message = json.loads(text).get("error")
        text = message if isinstance(message, str) else text
    except (ValueError, AttributeError):
        pass
    head = f"failed: HTTP {response.status_code} {response.reason_phrase}".rstrip()
    return _one_line(f"{head}: {text}" if text.strip() else head, 200)


def _client_factory(policy: NetworkPolicy) -> Callable[[], Any]:
    """A ``huggingface_hub`` client factory whose every request follows ``policy``."""
    import httpx2
    from huggingface_hub.utils._http import hf_request_event_hook

    class BoundedClient(httpx2.Client):
        """Sends each request with the policy's timeout, retried on transient failures (around
        the whole of ``send``: proxies, redirects and event hooks included)."""

        def send(self, request: httpx2.Request, **kwargs: Any) -> httpx2.Response:
            # Set here, not only as the client's default: some calls pass timeout=None.
            request.extensions["timeout"] = httpx2.Timeout(policy.timeout).as_dict()
            # A body that cannot be sent twice (a file stream) gets one attempt.
            attempts = policy.attempts if isinstance(request.stream, httpx2.ByteStream) else 1
            for attempt in range(1, attempts + 1):
                retry_after = None
                try:
                    response = super().send(request, **kwargs)
                except httpx2.TimeoutException:
                    reason = f"timed out after {policy.timeout:g} s"
                except httpx2.TransportError as error:
                    reason = f"could not reach {request.url.host}: {_one_line(str(error), 120)}"
                else:
                    if response.status_code not in RETRY_STATUSES:
                        return response
                    retry_after = _retry_after(response.headers.get("retry-after"))
                    reason = _describe(response)
                if attempt < attempts:
                    time.sleep(policy.wait(attempt, retry_after))
            plural = "attempt" if attempts == 1 else "attempts"
            raise _Exhausted(f"{reason} ({attempts} {plural})", attempts)

    def factory() -> httpx2.Client:
        return BoundedClient(
            event_hooks={"request": [hf_request_event_hook]},
            follow_redirects=True,
            timeout=policy.timeout,
        )

    return factory


@contextmanager
def _bounded_session(policy: NetworkPolicy) -> Iterator[None]:
    """Within the block, ``huggingface_hub`` sends every request through ``policy``; its
    previous client factory is put back after."""
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils import _http

    previous = getattr(_http, "_GLOBAL_CLIENT_FACTORY", _http.default_client_factory)
    set_client_factory(_client_factory(policy))
    try:
        yield
    finally:
        set_client_factory(previous)


@contextmanager
def _step(name: str, secrets: Iterable[str | None]) -> Iterator[None]:
    """Turn any failure inside the block into one :class:`HubError` naming step ``name``."""
    try:
        yield
    except Exception as error:
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, _Exhausted):
            cause = cause.__cause__ or cause.__context__  # huggingface_hub may wrap it
        if isinstance(cause, _Exhausted):
            raise HubError(name, redact(cause.reason, secrets)) from None
        response = getattr(error, "response", None)
        status = getattr(response, "status_code", None)
        if status is not None:
            reason = f"HTTP {status} {getattr(response, 'reason_phrase', '')}".rstrip()
            server = getattr(error, "server_message", None)
            reason += f": {server}" if server else ""
        else:
            reason = f"{type(error).__name__}: {error}"
        raise HubError(name, "failed: " + _one_line(redact(reason, secrets), 200)) from None


@dataclass
class Outcome:
    """What the Hub answered."""

    repo_url: str
    commit_url: str | None = None
    pr_url: str | None = None
    tag: str | None = None


def execute_plan(
    plan: Plan,
    token: str | None,
    *,
    endpoint: str | None = None,
    timeout: float | None = None,
    attempts: int | None = None,
    backoff: float | None = None,
) -> Outcome:
    """Carry out ``plan`` on the Hub: the one function of the package that publishes.

    Everything before the network (the plan, the staged folder) is built and tested offline;
    this function only makes the calls. ``token`` None lets ``huggingface_hub`` resolve it;
    ``endpoint`` None uses ``HF_ENDPOINT`` (else https://huggingface.co). Every request is bounded
    by :func:`network_policy` (``timeout``, ``attempts``, ``backoff``, else their environment
    variables, else 10 s, 3, 1 s). A failure raises :class:`HubError` naming the step --
    ``creating the repository``, ``creating the branch``, ``listing the remote files``,
    ``uploading the files`` or ``tagging the commit`` -- with the token redacted. The content of
    large files goes through ``hf_xet`` when the Hub asks for it, which applies its own timeouts
    and retries.

    The files are ONE ``create_commit`` call: every file of the plan added, and every remote file
    under :data:`MANAGED_PREFIXES` at the revision that the plan does not add deleted
    (:meth:`Plan.stale_files`; a repository or revision the Hub does not find has none). That
    call uploads the content first, then sends one commit request; it does not split the files
    into several commits as ``upload_folder`` may. The tag is created on the commit it returns
    (when nothing changed, the Hub makes no commit and that is the revision's head, which holds
    the same files).
    """
    import tempfile

    from .extras import require

    hub = require("huggingface_hub", "hf", "publish")
    policy = network_policy(timeout=timeout, attempts=attempts, backoff=backoff)
    secrets = [token]
    api = hub.HfApi(endpoint=endpoint, token=token)
    with _bounded_session(policy):
        with _step("creating the repository", secrets):
            repo_url = api.create_repo(
                plan.repo_id,
                repo_type=plan.repo_type,
                private=True if plan.private else None,
                exist_ok=True,
            )
        if plan.branch:
            with _step("creating the branch", secrets):
                api.create_branch(
                    plan.repo_id, repo_type=plan.repo_type, branch=plan.branch, exist_ok=True
                )
        with _step("listing the remote files", secrets):
            stale = plan.stale_files(_remote_files(api, plan))
        with (
            tempfile.TemporaryDirectory(prefix="kyanh-corpus-publish-") as staging,
            _step("uploading the files", secrets),
        ):
            staged = stage_upload(plan, Path(staging))
            operations: list[Any] = [
                hub.CommitOperationDelete(path_in_repo=path, is_folder=False) for path in stale
            ]
            operations += [
                hub.CommitOperationAdd(
                    path_in_repo=upload.path_in_repo,
                    path_or_fileobj=str((staged / upload.path_in_repo).resolve()),
                )
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
        if plan.tag is not None:
            with _step("tagging the commit", secrets):
                api.create_tag(
                    plan.repo_id,
                    tag=plan.tag,
                    revision=info.oid,
                    repo_type=plan.repo_type,
                    exist_ok=True,
                )
    return Outcome(
        repo_url=str(repo_url),
        commit_url=info.commit_url,
        pr_url=info.pr_url,
        tag=plan.tag,
    )


def _remote_files(api: Any, plan: Plan) -> list[str]:
    """Every file of the repository at the plan's revision (``main`` when None: a pull request
    is opened against it), or none when the Hub does not find the repository or revision."""
    from huggingface_hub.errors import HfHubHTTPError

    try:
        files: list[str] = api.list_repo_files(
            plan.repo_id, repo_type=plan.repo_type, revision=plan.revision
        )
    except HfHubHTTPError as error:
        if getattr(error.response, "status_code", None) == 404:
            return []
        raise
    return files


def resolve_token(token: str | None) -> str | None:
    """``token``, else the standard ``huggingface_hub`` resolution (None when logged out)."""
    if token:
        return token
    from .extras import require

    resolved: str | None = require("huggingface_hub", "hf", "publish").get_token()
    return resolved
