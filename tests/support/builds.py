"""Helpers shared by the build tests (imported by them), and the tests of those helpers.

``make_copies`` turns a few real pages into many distinct ones (each copy gets its own headline,
so its own ``article_id``), for sharding, scale and kill tests; ``run_cli`` runs the real command
line in a subprocess, ``build_with_cli`` the build of the shipped and test pages with it;
``snapshot`` records every file of a folder by hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kyanh_corpus.extract import extract_file

from .paths import PAGES_DIR, RAW_DIR, SEED

CONFIGS = ("articles", "interview_turns", "resolutions", "sources")
TEST_PAGES = sorted(PAGES_DIR.glob("*.txt"))
ALL_PAGES = [SEED, *TEST_PAGES]


def run_cli(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``python -m kyanh_corpus ARGS...`` in a subprocess (the installed package, no mocks)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def build_with_cli(out: Path) -> dict[str, Any]:
    """Build the shipped raw data and the test pages into ``out`` with the command line; its
    ``--json`` summary (the build exited 0 and says ``ok``)."""
    done = run_cli("build", RAW_DIR, PAGES_DIR, "--out", out, "--quiet", "--json")
    assert done.returncode == 0, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    assert summary["ok"]
    return summary


def snapshot(folder: Path) -> dict[str, str]:
    """Relative POSIX path -> sha256 of every file under ``folder`` (hidden ones included)."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def make_copies(pages: Sequence[Path], count: int, dest: Path, *, tag: str = "bản") -> list[Path]:
    """Write ``count`` distinct pages into ``dest``, cycling over ``pages``.

    Copy ``i`` is its page with the headline (and the photo placeholders, which repeat it)
    followed by `` (<tag> i)``; everything else, including the encoding form, BOM and line
    ends, is kept. Sidecars are not copied (they would name the same URL many times).
    """
    dest.mkdir(parents=True, exist_ok=True)
    templates = []
    for page in pages:
        raw = page.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        title = extract_file(page).article.title
        templates.append((page.stem, bom, text.splitlines(keepends=True), title))
    written = []
    for index in range(count):
        stem, bom, lines, title = templates[index % len(templates)]
        out = []
        for line in lines:
            body = line.rstrip("\r\n")
            if unicodedata.normalize("NFC", " ".join(body.split())) == title:
                line = f"{body} ({tag} {index}){line[len(body) :]}"
            out.append(line)
        path = dest / f"{index:06d}_{stem}.txt"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + "".join(out).encode("utf-8"))
        written.append(path)
    return written
