"""``publish`` against a loopback Hub that refuses, fails, hangs or recovers.

A real HTTP server on 127.0.0.1 (a thread, port 0) stands in for the Hub; ``HF_ENDPOINT`` (the
command line, in a subprocess) or ``endpoint=`` (the Python API) points ``publish`` at it, with a
small timeout and backoff so that the faults stay fast. Each test checks the one line naming the
step, the exit code, how many requests the server saw, that the token never shows, and that the
whole run ends within its bound (a hang check, not a speed target). Nothing leaves 127.0.0.1:
``HF_ENDPOINT`` is the loopback server and proxies are switched off.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus.publish import (
    HubError,
    execute_plan,
    network_policy,
    plan_publish,
    resolve_token,
)
from support.folderkit import make_corpus, write_folder

TOKEN = "hf_LoopbackTokenDoNotLeak1234567890"
REPO = "kyanh/corpus"
TIMEOUT = 0.5
ATTEMPTS = 3
BACKOFF = 0.1
SLACK = 20.0
"""Seconds allowed on top of the network bound: the interpreter's start and the validation."""
BOUND = ATTEMPTS * TIMEOUT + sum(BACKOFF * 2**i for i in range(ATTEMPTS - 1)) + SLACK
OID = "0123456789abcdef0123456789abcdef01234567"

# An answer: (status, JSON body or a function of the request body), or HANG (accept, read the
# request, never answer). ``respond(method, path, seen)`` gives the answer to each request.
HANG = "hang"
Answer = tuple[int, Any] | str
Respond = Callable[[str, str, int], Answer]
Override = Callable[[str, str, int], Answer | None]


class FakeHub:
    """A loopback server answering each request with ``respond(method, path, seen)`` (``seen``:
    how many requests for that method and path came before, this one included); records every
    request (``requests``: method, path, query, body) and the bodies of the commits answered 200
    (``commits``: the ndjson lines of each)."""

    def __init__(self, respond: Respond) -> None:
        self.respond = respond
        self.seen: Counter[tuple[str, str]] = Counter()
        self.requests: list[tuple[str, str, str, bytes]] = []
        self.commits: list[list[dict[str, Any]]] = []
        self.release = threading.Event()
        self.lock = threading.Lock()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

            def handle_any(self) -> None:
                path, _, query = self.path.partition("?")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with hub.lock:
                    hub.seen[(self.command, path)] += 1
                    seen = hub.seen[(self.command, path)]
                    hub.requests.append((self.command, path, query, body))
                answer = hub.respond(self.command, path, seen)
                if answer == HANG:
                    hub.release.wait(60)
                    return
                assert not isinstance(answer, str)
                status, document = answer
                if callable(document):
                    document = document(body)
                if "/commit/" in path and status == 200:
                    with hub.lock:
                        hub.commits.append([json.loads(line) for line in body.splitlines()])
                data = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_HEAD = handle_any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def count(self, method: str, suffix: str) -> int:
        """Requests seen whose path ends with ``suffix``."""
        return sum(n for (m, path), n in self.seen.items() if m == method and path.endswith(suffix))


def commit_oid(seen: int) -> str:
    """The oid the Hub gives the ``seen``-th commit: :data:`OID` for the first."""
    return OID if seen == 1 else f"{seen:040x}"


def tree(remote: list[str]) -> list[dict[str, Any]]:
    """The recursive listing of a repository holding the files ``remote`` (folders included)."""
    folders = {str(parent) for path in remote for parent in list(Path(path).parents)[:-1]}
    entries = [{"type": "directory", "path": folder, "oid": "0" * 40} for folder in folders]
    entries += [{"type": "file", "path": path, "size": 1, "oid": "1" * 40} for path in remote]
    return sorted(entries, key=lambda entry: entry["path"])


def working_hub(base: str, remote: list[str] | None = None) -> Respond:
    """The Hub's answers to a publish to a dataset repository holding the files ``remote`` (none:
    a new one), every step succeeding. The ``seen``-th commit gets :func:`commit_oid`."""
    api = f"/api/datasets/{REPO}"

    def preupload(body: bytes) -> dict[str, Any]:
        files = json.loads(body)["files"]
        return {
            "files": [
                {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files
            ]
        }

    def respond(method: str, path: str, seen: int) -> Answer:
        if (method, path) == ("POST", "/api/repos/create"):
            return 200, {"url": f"{base}/datasets/{REPO}"}
        if (method, path) == ("POST", "/api/validate-yaml"):  # the card's metadata
            return 200, {}
        if (method, path) == ("GET", f"{api}/tree/main"):
            return 200, tree(remote or [])
        if (method, path) == ("POST", f"{api}/preupload/main"):
            return 200, preupload
        if (method, path) == ("POST", f"{api}/commit/main"):
            oid = commit_oid(seen)
            return 200, {
                "commitUrl": f"{base}/datasets/{REPO}/commit/{oid}",
                "commitOid": oid,
                "pullRequestUrl": f"{base}/datasets/{REPO}/discussions/{seen}",
            }
        if (method, path) == ("POST", f"{api}/tag/{OID}"):
            return 200, {}
        return 404, {"error": f"no {method} {path}"}

    return respond


@pytest.fixture
def hub_with() -> Iterator[Callable[..., FakeHub]]:
    """``hub_with(respond)``: a started :class:`FakeHub` answering with ``respond``;
    ``hub_with(override=f, remote=files)``: the working Hub (its repository holding ``files``),
    except where ``f`` answers (not None). Every hub started is stopped (its hanging requests
    released) after the test."""
    started: list[FakeHub] = []

    def start(
        respond: Respond | None = None,
        *,
        override: Override | None = None,
        remote: list[str] | None = None,
    ) -> FakeHub:
        hub = FakeHub(respond or (lambda method, path, seen: (404, {})))
        if respond is None:
            working = working_hub(hub.url, remote)
            first = override or (lambda method, path, seen: None)

            def respond_(method: str, path: str, seen: int) -> Answer:
                answer = first(method, path, seen)
                return working(method, path, seen) if answer is None else answer

            hub.respond = respond_
        hub.thread.start()
        started.append(hub)
        return hub

    yield start
    for hub in started:
        hub.release.set()
        hub.server.shutdown()
        hub.server.server_close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("faults") / "corpus", make_corpus(6, seed=13))


def closed_port() -> str:
    """An endpoint on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def publish(
    folder: Path, endpoint: str, tmp_path: Path, *extra: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    """``kyanh-corpus publish`` against ``endpoint``; returns the run and its wall time."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "HF_HUB_OFFLINE"}
    }
    env.update(
        HF_ENDPOINT=endpoint,
        HF_TOKEN=TOKEN,
        HF_HOME=str(tmp_path / "hf-home"),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        KYANH_CORPUS_PUBLISH_BACKOFF=str(BACKOFF),
        PYTHONIOENCODING="utf-8",
    )
    command = [sys.executable, "-m", "kyanh_corpus", "publish", str(folder), "--repo-id", REPO]
    command += ["--timeout", str(TIMEOUT), "--attempts", str(ATTEMPTS), "--quiet", *extra]
    start = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=BOUND + 60)
    return done, time.monotonic() - start


def assert_one_line_failure(
    done: subprocess.CompletedProcess[str], elapsed: float, expected: str, *, exact: bool = True
) -> None:
    """Exit 1; stderr one line (no traceback) saying ``expected`` (or starting so, not
    ``exact``); no token anywhere; the run ended within :data:`BOUND`."""
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    line = f"kyanh-corpus publish: error: {expected}"
    assert lines[0] == line if exact else lines[0].startswith(line), done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert TOKEN not in done.stdout + done.stderr and TOKEN[3:15] not in done.stdout + done.stderr
    assert elapsed < BOUND, f"{elapsed:.1f} s"


def test_refused_connections_are_retried_then_named(folder: Path, tmp_path: Path) -> None:
    done, elapsed = publish(folder, closed_port(), tmp_path)
    assert_one_line_failure(
        done, elapsed, "creating the repository could not reach 127.0.0.1:", exact=False
    )
    assert done.stderr.rstrip().endswith(f"({ATTEMPTS} attempts)")


def test_a_server_failing_every_time_is_tried_attempts_times(
    folder: Path, tmp_path: Path, hub_with: Callable[..., FakeHub]
) -> None:
    hub = hub_with(lambda method, path, seen: (500, {"error": "the Hub is down"}))
    done, elapsed = publish(folder, hub.url, tmp_path)
    assert_one_line_failure(
        done,
        elapsed,
        "creating the repository failed: HTTP 500 Internal Server Error: the Hub is down "
        f"({ATTEMPTS} attempts)",
    )
    assert hub.seen == {("POST", "/api/repos/create"): ATTEMPTS}


def test_an_unauthorized_token_is_not_retried(
    folder: Path, tmp_path: Path, hub_with: Callable[..., FakeHub]
) -> None:
    hub = hub_with(lambda method, path, seen: (401, {"error": f"Invalid token {TOKEN}"}))
    done, elapsed = publish(folder, hub.url, tmp_path)
    assert_one_line_failure(
        done, elapsed, "creating the repository failed: HTTP 401 Unauthorized: Invalid token ***"
    )
    # Never retried. (With exist_ok, huggingface_hub then asks whether the repository exists:
    # 401 too, so the create's error is the one reported.)
    assert hub.count("POST", "/api/repos/create") == 1
    assert set(hub.seen.values()) == {1}


def test_a_server_that_never_answers_times_out(
    folder: Path, tmp_path: Path, hub_with: Callable[..., FakeHub]
) -> None:
    hub = hub_with(lambda method, path, seen: HANG)
    done, elapsed = publish(folder, hub.url, tmp_path)
    assert_one_line_failure(
        done,
        elapsed,
        f"creating the repository timed out after {TIMEOUT:g} s ({ATTEMPTS} attempts)",
    )
    assert hub.seen == {("POST", "/api/repos/create"): ATTEMPTS}
    assert elapsed >= ATTEMPTS * TIMEOUT  # it did wait for each attempt


def test_one_transient_failure_is_retried_and_the_publish_completes(
    folder: Path, tmp_path: Path, hub_with: Callable[..., FakeHub]
) -> None:
    def first_fails(method: str, path: str, seen: int) -> Answer | None:
        if path == "/api/repos/create" and seen == 1:
            return 503, {"error": "try again"}
        return None

    hub = hub_with(override=first_fails)
    done, elapsed = publish(folder, hub.url, tmp_path)
    assert done.returncode == 0, done.stderr
    assert elapsed < BOUND
    assert TOKEN not in done.stdout + done.stderr
    assert hub.count("POST", "/api/repos/create") == 2  # the 503, then the retry
    assert hub.count("POST", "/commit/main") == 1 and len(hub.commits) == 1  # ONE commit
    assert hub.count("POST", f"/tag/{OID}") == 1
    committed = sorted(op["value"]["path"] for op in hub.commits[0] if op["key"] == "file")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert committed == sorted([*manifest["files"], "manifest.json"])
    assert f"published {folder} to {hub.url}/datasets/{REPO}" in done.stdout
    assert "tagged v" in done.stdout


@pytest.mark.parametrize(
    ("failing", "answer", "expected"),
    [
        pytest.param(
            ("GET", f"/api/datasets/{REPO}/tree/main"),
            (500, {"error": "cannot list"}),
            "listing the remote files failed: HTTP 500 Internal Server Error: cannot list "
            f"({ATTEMPTS} attempts)",
            id="listing-fails",
        ),
        pytest.param(
            ("POST", f"/api/datasets/{REPO}/commit/main"),
            HANG,
            f"uploading the files timed out after {TIMEOUT:g} s ({ATTEMPTS} attempts)",
            id="commit-hangs",
        ),
        pytest.param(
            ("POST", f"/api/datasets/{REPO}/tag/{OID}"),
            (403, {"error": "You cannot tag this repository"}),
            "tagging the commit failed: HTTP 403 Forbidden: You cannot tag this repository",
            id="tag-forbidden",
        ),
    ],
)
def test_a_later_step_is_named(
    folder: Path,
    tmp_path: Path,
    hub_with: Callable[..., FakeHub],
    failing: tuple[str, str],
    answer: Answer,
    expected: str,
) -> None:
    hub = hub_with(
        override=lambda method, path, seen: answer if (method, path) == failing else None
    )
    done, elapsed = publish(folder, hub.url, tmp_path)
    assert_one_line_failure(done, elapsed, expected)
    assert hub.count("POST", "/api/repos/create") == 1
    retried = answer == HANG or answer[0] in (429, 500, 502, 503, 504)
    assert hub.seen[failing] == (ATTEMPTS if retried else 1)
    if failing[1].endswith("/tree/main"):  # nothing committed without knowing what to delete
        assert hub.count("POST", "/commit/main") == 0


@pytest.fixture(scope="module")
def many_shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built folder of more than 300 files: one row per Parquet shard."""
    corpus = make_corpus(70, seed=13)
    return write_folder(tmp_path_factory.mktemp("many") / "corpus", corpus, shard_rows=1)


def test_a_publish_of_hundreds_of_files_is_one_commit_and_deletes_the_stale_ones(
    many_shards: Path, tmp_path: Path, hub_with: Callable[..., FakeHub]
) -> None:
    """More files than ``upload_folder`` puts in one commit (256): still ONE commit request,
    which deletes the remote files under data/, hf/ and schema/ that the folder no longer has,
    and the tag is created on the oid that commit returned."""
    manifest = json.loads((many_shards / "manifest.json").read_text("utf-8"))
    uploaded = sorted([*manifest["files"], "manifest.json"])
    assert len(uploaded) > 300
    stale = [
        "data/articles/train-00070-of-00071.parquet",  # a shard of an earlier, larger build
        "data/retired/train-00000-of-00001.parquet",  # a config gone
        "hf/articles/data-00000-of-00001.arrow",  # the hf/ form of an earlier publish
        "schema/retired.schema.json",
    ]
    kept = [".gitattributes", "NOTES.md", "images/cover.png"]  # not managed by the publish
    replaced = [name for name in uploaded if name.startswith(("data/", "schema/"))][:5]
    hub = hub_with(remote=[*stale, *kept, *replaced])
    done, elapsed = publish(many_shards, hub.url, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert elapsed < BOUND, f"{elapsed:.1f} s"
    assert TOKEN not in done.stdout + done.stderr

    api = f"/api/datasets/{REPO}"
    commits = [r for r in hub.requests if r[0] == "POST" and "/commit/" in r[1]]
    assert len(commits) == 1 and len(hub.commits) == 1  # ONE commit request, answered 200
    assert commits[0][1] == f"{api}/commit/main" and "create_pr" not in commits[0][2]
    header, *operations = hub.commits[0]
    version = manifest["dataset_version"]
    assert header == {
        "key": "header",
        "value": {
            "summary": f"Publish kyanh-corpus {version} (schema {manifest['schema_version']})",
            "description": header["value"]["description"],
        },
    }
    assert header["value"]["description"].startswith("Built by kyanh-corpus ")
    by_key: dict[str, list[str]] = {}
    for operation in operations:
        by_key.setdefault(operation["key"], []).append(operation["value"]["path"])
    assert sorted(by_key) == ["deletedFile", "file"]
    assert sorted(by_key["deletedFile"]) == stale  # only the stale managed files
    assert sorted(by_key["file"]) == uploaded  # every file, the replaced ones included
    # The listing was of the branch committed to; the tag is on the commit's oid.
    assert hub.count("GET", f"{api}/tree/main") == 1
    tags = [r for r in hub.requests if "/tag/" in r[1]]
    assert [(method, path) for method, path, _, _ in tags] == [("POST", f"{api}/tag/{OID}")]
    assert json.loads(tags[0][3])["tag"] == "v" + version.replace("+", "-")
    assert f"tagged v{version.replace('+', '-')}" in done.stdout
    assert done.stdout.splitlines()[1] == f"commit: {hub.url}/datasets/{REPO}/commit/{OID}"


def test_a_pull_request_is_one_commit_request_and_not_tagged(
    folder: Path, tmp_path: Path, hub_with: Callable[..., FakeHub]
) -> None:
    hub = hub_with(remote=["data/articles/train-00007-of-00008.parquet", "README.md"])
    done, elapsed = publish(folder, hub.url, tmp_path, "--create-pr")
    assert done.returncode == 0, done.stdout + done.stderr
    assert elapsed < BOUND
    commits = [r for r in hub.requests if "/commit/" in r[1]]
    assert len(commits) == 1 and "create_pr=1" in commits[0][2].split("&")
    deleted = [op["value"]["path"] for op in hub.commits[0] if op["key"] == "deletedFile"]
    assert deleted == ["data/articles/train-00007-of-00008.parquet"]
    assert not any("/tag/" in r[1] for r in hub.requests)
    assert f"pull request: {hub.url}/datasets/{REPO}/discussions/1" in done.stdout
    assert "tagged" not in done.stdout


def test_a_repository_or_revision_the_hub_does_not_find_has_nothing_to_delete(
    folder: Path, tmp_path: Path, hub_with: Callable[..., FakeHub]
) -> None:
    hub = hub_with(
        override=lambda method, path, seen: (
            (404, {"error": "Revision Not Found"}) if path.endswith("/tree/main") else None
        )
    )
    done, elapsed = publish(folder, hub.url, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert elapsed < BOUND
    assert hub.count("GET", "/tree/main") == 1  # a 404 is final: not retried
    assert len(hub.commits) == 1
    assert not any(op["key"] == "deletedFile" for op in hub.commits[0])
    assert hub.count("POST", f"/tag/{OID}") == 1


@pytest.fixture
def online_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process: huggingface_hub allowed to send, no proxy; the requests go to the
    ``endpoint=`` given, a loopback server. (``huggingface_hub`` reads ``HF_HUB_OFFLINE``, which
    the conftest sets, once at import: its constant is switched off too, for this test only.)"""
    from huggingface_hub import constants

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.mark.usefixtures("online_loopback")
def test_the_python_api_publishes_through_the_endpoint(
    folder: Path, hub_with: Callable[..., FakeHub]
) -> None:
    hub = hub_with(
        override=lambda method, path, seen: (
            (429, {}) if path.endswith("/tree/main") and seen == 1 else None
        )
    )
    outcome = execute_plan(
        plan_publish(folder, REPO), TOKEN, endpoint=hub.url, timeout=TIMEOUT, backoff=0
    )
    assert outcome.repo_url == f"{hub.url}/datasets/{REPO}"
    assert outcome.commit_url is not None and outcome.commit_url.endswith(OID)
    assert outcome.tag is not None and outcome.tag.startswith("v1.0.0-")
    api = f"/api/datasets/{REPO}"
    assert hub.seen == {  # every request went to the loopback Hub; the 429 was retried
        ("POST", "/api/repos/create"): 1,
        ("GET", f"{api}/tree/main"): 2,
        ("POST", "/api/validate-yaml"): 1,
        ("POST", f"{api}/preupload/main"): 1,
        ("POST", f"{api}/commit/main"): 1,
        ("POST", f"{api}/tag/{OID}"): 1,
    }


@pytest.mark.usefixtures("online_loopback")
def test_the_python_api_raises_a_hub_error_naming_the_step(
    folder: Path, hub_with: Callable[..., FakeHub]
) -> None:
    hub = hub_with(lambda method, path, seen: (502, {"error": "bad gateway"}))
    plan = plan_publish(folder, REPO)
    start = time.monotonic()
    with pytest.raises(HubError) as caught:
        execute_plan(plan, TOKEN, endpoint=hub.url, timeout=TIMEOUT, attempts=2, backoff=0)
    assert time.monotonic() - start < 2 * TIMEOUT + SLACK
    assert caught.value.step == "creating the repository"
    assert str(caught.value) == (
        "creating the repository failed: HTTP 502 Bad Gateway: bad gateway (2 attempts)"
    )
    assert hub.seen == {("POST", "/api/repos/create"): 2}


def test_the_policy_is_documented_and_overridable(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert network_policy(environ={}) == network_policy(timeout=10, attempts=3, backoff=1)
    policy = network_policy(
        environ={"KYANH_CORPUS_PUBLISH_TIMEOUT": "4", "KYANH_CORPUS_PUBLISH_ATTEMPTS": "5"},
        attempts=2,
    )
    assert (policy.timeout, policy.attempts) == (4, 2)
    assert [policy.wait(n) for n in (1, 2, 3)] == [1, 2, 4]
    assert policy.wait(1, retry_after=3600) == 30  # a Retry-After is honoured, up to 30 s
    assert resolve_token("hf_given_token") == "hf_given_token"
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert resolve_token(None) == TOKEN
    done = subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", "publish", "--help"],
        capture_output=True,
        text=True,
    )
    for word in ("--timeout", "--attempts", "KYANH_CORPUS_PUBLISH_BACKOFF", "timed out"):
        assert word in " ".join(done.stdout.split()), word
    # A bad value is a usage error (exit 2), before any network.
    for args, env in ((["--timeout", "0"], {}), ([], {"KYANH_CORPUS_PUBLISH_ATTEMPTS": "x"})):
        bad = subprocess.run(
            [
                sys.executable,
                "-m",
                "kyanh_corpus",
                "publish",
                str(folder),
                "--repo-id",
                REPO,
                *args,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
        )
        assert bad.returncode == 2, bad.stderr
        assert "Traceback" not in bad.stderr
