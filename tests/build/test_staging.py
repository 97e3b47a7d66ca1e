"""The swap that makes a finished build ``out``, on a platform without an atomic directory
exchange (simulated by the test hook ``KYANH_CORPUS_TEST_SWAP_FAULT``): a build killed between
the fallback's two renames never costs the previous build -- the next build restores it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kyanh_corpus.build import build
from kyanh_corpus.build.staging import remove_stale_work
from kyanh_corpus.dataset.manifest import read_manifest, verify
from support.builds import ALL_PAGES, snapshot
from support.paths import SEED

HOOK = "KYANH_CORPUS_TEST_SWAP_FAULT"


def _build_in_subprocess(
    out: Path, pages: list[Path], fault: str | None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != HOOK}
    env["PYTHONIOENCODING"] = "utf-8"
    if fault is not None:
        env[HOOK] = fault
    return subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", "build", *map(str, pages), "--out", str(out),
         "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )  # fmt: skip


def _killed_between_renames(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """``out`` built from the seed, then a rebuild killed between the fallback's renames."""
    out = tmp_path / "out"
    assert build([SEED], out).written
    before = snapshot(out)
    killed = _build_in_subprocess(out, ALL_PAGES, "kill-between-renames")
    if hasattr(signal, "SIGKILL"):
        assert killed.returncode == -signal.SIGKILL, killed.stderr
    else:  # pragma: no cover
        assert killed.returncode == 137, killed.stderr
    assert not os.path.lexists(out)
    (old,) = tmp_path.glob(".out.old-*")
    assert snapshot(old) == before  # the previous build, whole, under the ".old" name
    assert len(list(tmp_path.glob(".out.building-*"))) == 1  # the finished, unswapped build
    return out, before


@pytest.fixture(autouse=True)
def _no_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOOK, raising=False)


def test_a_build_killed_between_the_renames_is_restored_then_replaced_by_the_next(
    tmp_path: Path,
) -> None:
    out, before = _killed_between_renames(tmp_path)
    again = _build_in_subprocess(out, ALL_PAGES, None)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    assert read_manifest(out).configs["articles"].num_rows == len(ALL_PAGES)
    assert snapshot(out) != before
    assert verify(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_next_build_restores_the_old_build_before_anything_else(tmp_path: Path) -> None:
    """A next build that fails after staging began still leaves the previous build as ``out``."""
    out, before = _killed_between_renames(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")  # a page the extractor refuses
    result = build([bad / "empty.txt"], out)
    assert not result.written
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "out"]


def test_cleanup_restores_an_old_build_when_there_is_no_out(tmp_path: Path) -> None:
    out, before = _killed_between_renames(tmp_path)
    remove_stale_work(out)
    assert snapshot(out) == before
    assert verify(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_leftover_old_folder_is_removed_when_out_exists(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([SEED], out).written
    before = snapshot(out)
    dead = _dead_pid()
    for name in (f".out.old-{dead}-0123abcd", f".out.building-{dead}-89abcdef"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}", encoding="utf-8")
    remove_stale_work(out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_old_folder_of_a_live_build_is_left_alone(tmp_path: Path) -> None:
    """Another build may be between its renames right now: not ours to restore or remove."""
    out = tmp_path / "out"
    live = tmp_path / f".out.old-{os.getpid()}-0123abcd"
    live.mkdir()
    remove_stale_work(out)
    assert not os.path.lexists(out) and live.is_dir()


def test_the_fallback_swap_without_a_kill_replaces_out_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert build([SEED], out).written
    monkeypatch.setenv(HOOK, "no-exchange")
    assert build(ALL_PAGES, out).written
    assert read_manifest(out).configs["articles"].num_rows == len(ALL_PAGES)
    assert verify(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_without_the_hook_builds_are_unaffected(tmp_path: Path) -> None:
    assert HOOK not in os.environ
    out = tmp_path / "out"
    first = _build_in_subprocess(out, [SEED], None)
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    second = _build_in_subprocess(out, ALL_PAGES, None)
    assert second.returncode == 0, second.stderr
    assert snapshot(out) != before
    assert read_manifest(out).configs["articles"].num_rows == len(ALL_PAGES)
    assert verify(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid
