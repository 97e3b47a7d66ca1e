"""``publish``: validation first, the exact planned operations, and a token that never shows.

The Hub cannot be reached from the tests: ``--dry-run`` is exercised end to end (with
``HF_HUB_OFFLINE=1``, so an accidental network call would fail), and the folder is checked to load
with ``datasets.load_dataset(DIR, config)`` -- the resolution the Hub performs. The network calls
themselves (timeouts, retries, the step named on failure) run against a loopback server in
``tests/reliability/test_publish_faults.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kyanh_corpus.dataset.manifest import listed_files
from kyanh_corpus.features import features
from kyanh_corpus.load import load_articles, load_resolutions
from kyanh_corpus.models import ENTITIES
from kyanh_corpus.publish import FileUpload, Plan, plan_publish, redact, stage_upload, version_tag
from support.folderkit import (
    copy_folder,
    flip_byte,
    make_corpus,
    real_build,
    write_folder,
    write_manifest,
)

TOKEN_ARG = "hf_ArgTokenDoNotLeak1234567890"
TOKEN_ENV = "hf_EnvTokenDoNotLeak0987654321"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("pub") / "corpus", make_corpus(12, seed=5))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_build(tmp_path_factory.getbasetemp())


def _publish(*args: str, token_env: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HUB_VERBOSITY": "debug"}
    if token_env:
        env["HF_TOKEN"] = TOKEN_ENV
    else:
        env.pop("HF_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", "publish", *args],
        capture_output=True,
        text=True,
        env=env,
    )


def _assert_no_token(done: subprocess.CompletedProcess[str]) -> None:
    for secret in (TOKEN_ARG, TOKEN_ENV):
        assert secret not in done.stdout
        assert secret not in done.stderr
        assert secret[3:15] not in done.stdout + done.stderr


def _parquet_repository(folder: Path) -> list[str]:
    """The files a publish uploads by default: every listed file but hf/, then the manifest."""
    return [*(name for name in listed_files(folder) if not name.startswith("hf/")), "manifest.json"]


def test_dry_run_lists_every_file_and_the_operations(built: Path) -> None:
    done = _publish(str(built), "--repo-id", "kyanh/corpus", "--dry-run", "--token", TOKEN_ARG)
    assert done.returncode == 0, done.stdout + done.stderr
    _assert_no_token(done)
    lines = done.stdout.splitlines()
    assert lines[1] == (
        "create_repo(repo_id='kyanh/corpus', repo_type='dataset', private=None, exist_ok=True)"
    )
    assert lines[2] == (
        "list_repo_files(repo_id='kyanh/corpus', repo_type='dataset', revision=None)"
    )
    assert lines[3].startswith(
        "create_commit(repo_id='kyanh/corpus', repo_type='dataset', revision=None, "
        "create_pr=False, commit_message='Publish kyanh-corpus 1.0.0+"
    )
    assert lines[3].endswith(
        "and deleting each file listed under data/, hf/, schema/ that it does not add:"
    )
    assert "upload_folder" not in done.stdout  # one create_commit: never split into commits
    uploaded = [line.split()[0] for line in lines if line.startswith("  ")]
    assert uploaded == _parquet_repository(built)
    assert "LICENSE-DATA" in uploaded and not any(name.startswith("hf/") for name in uploaded)
    assert f"adding {len(uploaded)} files" in lines[3]
    version = json.loads((built / "manifest.json").read_text("utf-8"))["dataset_version"]
    assert any(
        line.startswith(f"create_tag(repo_id='kyanh/corpus', repo_type='dataset', "
                        f"tag='{version_tag(version)}'")
        for line in lines
    )  # fmt: skip
    assert "token: given with --token (hidden)" in lines
    with_hf = _publish(str(built), "--repo-id", "kyanh/corpus", "--dry-run", "--with-hf-form")
    uploaded = [line.split()[0] for line in with_hf.stdout.splitlines() if line.startswith("  ")]
    assert uploaded == [*listed_files(built), "manifest.json"]


def test_dry_run_json_honours_pr_revision_and_private(folder: Path) -> None:
    done = _publish(
        str(folder),
        "--repo-id",
        "kyanh/corpus",
        "--dry-run",
        "--json",
        "--create-pr",
        "--revision",
        "v1",
        "--private",
        "--message",
        "New pages",
    )
    assert done.returncode == 0, done.stderr
    _assert_no_token(done)
    plan = json.loads(done.stdout)
    calls = [op["call"] for op in plan["operations"]]
    # A pull request: no tag.
    assert calls == ["create_repo", "create_branch", "list_repo_files", "create_commit"]
    repo, branch, listing, upload = plan["operations"]
    assert repo == {
        "call": "create_repo",
        "repo_id": "kyanh/corpus",
        "repo_type": "dataset",
        "private": True,
        "exist_ok": True,
    }
    assert branch["branch"] == "v1"
    assert listing == {  # the files of the branch the pull request is opened against
        "call": "list_repo_files",
        "repo_id": "kyanh/corpus",
        "repo_type": "dataset",
        "revision": "v1",
    }
    assert upload["revision"] == "v1" and upload["create_pr"] is True
    assert upload["commit_message"] == "New pages"
    assert upload["delete_stale_under"] == ["data/", "hf/", "schema/"]
    paths = [op["path_in_repo"] for op in upload["files"]]
    assert paths == _parquet_repository(folder)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    for op in upload["files"][:-1]:
        assert op["sha256"] == manifest["files"][op["path_in_repo"]]["sha256"]
        assert Path(op["path_or_fileobj"]) == (folder / op["path_in_repo"]).resolve()
    assert "HF_TOKEN" in plan["token"]
    assert plan["network"] == {"timeout": 10.0, "attempts": 3, "backoff": 1.0}  # the defaults


def test_publish_refuses_an_invalid_folder_and_still_hides_the_token(
    folder: Path, tmp_path: Path
) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    target = damaged / "data" / "articles" / "train-00000-of-00001.parquet"
    flip_byte(target)
    done = _publish(str(damaged), "--repo-id", "kyanh/corpus", "--token", TOKEN_ARG, "--quiet")
    assert done.returncode == 1
    _assert_no_token(done)
    assert "refusing to publish" in done.stderr
    assert f"{target}: sha256 differs" in done.stdout
    assert "create_commit" not in done.stdout


def test_publish_refuses_a_stale_folder(folder: Path, tmp_path: Path) -> None:
    stale = copy_folder(folder, tmp_path / "stale")
    card = stale / "README.md"
    text = card.read_text("utf-8")
    card.write_text(text.replace("dtype: string", "dtype: large_string", 1), encoding="utf-8")
    write_manifest(stale)  # checksums agree: only the card is stale
    done = _publish(str(stale), "--repo-id", "kyanh/corpus", "--dry-run", "--quiet")
    assert done.returncode == 1
    assert "[stale]" in done.stdout and "README.md" in done.stdout


def test_usage_errors_exit_2(folder: Path, tmp_path: Path) -> None:
    done = _publish(str(folder), "--repo-id", "not a repo", "--dry-run", "--token", TOKEN_ARG)
    assert done.returncode == 2
    _assert_no_token(done)
    assert _publish(str(tmp_path / "missing"), "--repo-id", "a/b", "--dry-run").returncode == 2
    assert _publish(str(folder), "--dry-run").returncode == 2  # --repo-id is required


def test_without_dry_run_and_without_any_token_nothing_is_sent(folder: Path) -> None:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(folder.parent / "empty-hf-home"),
    }
    env.pop("HF_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", "publish", str(folder), "--repo-id", "a/b"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 2
    assert "no Hugging Face token" in done.stderr


def test_plan_api_and_the_staged_upload_is_a_verified_parquet_repository(
    built: Path, tmp_path: Path
) -> None:
    plan = plan_publish(built, "kyanh/corpus")
    assert [upload.path_in_repo for upload in plan.files] == _parquet_repository(built)
    assert plan.branch is None and plan.tag is not None and plan.tag.startswith("v1.0.0-")
    assert plan.delete_prefixes == ("data/", "hf/", "schema/")
    uploaded = _parquet_repository(built)
    remote = [
        *uploaded[:3],  # replaced by the commit, not deleted
        "data/articles/train-00099-of-00100.parquet",  # stale shards
        "hf/articles/data-00000-of-00001.arrow",
        "schema/retired.schema.json",
        ".gitattributes",  # outside the managed folders: kept
        "NOTES.md",
        "dataX/not-managed.txt",
    ]
    assert plan.stale_files(remote) == [
        "data/articles/train-00099-of-00100.parquet",
        "hf/articles/data-00000-of-00001.arrow",
        "schema/retired.schema.json",
    ]
    assert plan.stale_files([]) == [] and plan.stale_files(uploaded) == []
    assert plan.describe()[-1].startswith("token: ")
    staged = stage_upload(plan, tmp_path / "staged")
    on_disk = sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())
    assert on_disk == sorted(_parquet_repository(built))
    # What the Hub gets is a folder whose manifest lists exactly its files: it verifies and loads
    # as a built folder does (the Parquet form; no hf/).
    manifest = json.loads((staged / "manifest.json").read_text("utf-8"))
    assert not any(name.startswith("hf/") for name in manifest["files"])
    assert len(load_articles(staged)) == len(load_articles(built))
    assert [r.resolution_id for r in load_resolutions(staged)] == [
        r.resolution_id for r in load_resolutions(built)
    ]
    main_plan = Plan(
        "a/b", False, "main", False, "m", "d", (FileUpload("x", Path("x"), 1, None),), "t"
    )
    assert main_plan.branch is None
    assert redact(f"401 for {TOKEN_ARG}", [TOKEN_ARG, None, "short"]) == "401 for ***"


def test_the_folder_loads_with_datasets_like_the_hub_does(built: Path, tmp_path: Path) -> None:
    """``datasets.load_dataset(DIR, config)``: the configs of the card, the declared features."""
    import datasets

    for config in ENTITIES:
        dataset = datasets.load_dataset(
            str(built), config, split="train", cache_dir=str(tmp_path / "cache")
        )
        assert dataset.features == features(config), config
        manifest = json.loads((built / "manifest.json").read_text("utf-8"))
        assert dataset.num_rows == manifest["configs"][config]["num_rows"]
