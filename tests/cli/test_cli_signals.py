"""Ctrl-C and a closed output end in one line and a documented exit code, never a traceback;
an interrupted build changes nothing already built."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kyanh_corpus.build import build
from support.builds import make_copies, snapshot
from support.paths import SEED


def test_a_closed_pipe_exits_141_quietly(tmp_path: Path) -> None:
    """`kyanh-corpus export ... | head -c 10`: the reader leaves early (the output, about 4 MB,
    is far more than a pipe holds)."""
    folder = tmp_path / "corpus"
    assert build(make_copies([SEED], 200, tmp_path / "pages"), folder).written
    process = subprocess.Popen(
        [sys.executable, "-m", "kyanh_corpus", "export", str(folder), "--config", "sources",
         "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()  # the reader goes away with most of the output unread
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) == 141
    assert "Traceback" not in stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_a_build_is_one_line_and_keeps_the_old_build(
    tmp_path: Path, jobs: str
) -> None:
    """Ctrl-C as a terminal sends it: to the whole process group (the workers too)."""
    out = tmp_path / "out"
    assert build([SEED], out).written
    before = snapshot(out)
    pages = make_copies([SEED], 1200, tmp_path / "pages")
    process = subprocess.Popen(
        [sys.executable, "-m", "kyanh_corpus", "build", str(tmp_path / "pages"), "--out",
         str(out), "--quiet", "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    # Wait until the build is staging (past start-up), then interrupt it mid-extraction.
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".out.building-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    # (1,200 pages take seconds to extract: the signal lands during the build)
    assert process.returncode == 130, stderr
    assert stderr.strip() == "kyanh-corpus build: interrupted"
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "pages"]
    assert len(pages) == 1200 and os.path.isdir(out)
