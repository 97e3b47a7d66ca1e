"""A bad sidecar is an error on the sidecar file, with every bad value at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kyanh_corpus.extract import ExtractionError, extract_file
from support.paths import SEED


def _page_with_sidecar(folder: Path, sidecar_text: str) -> Path:
    folder.mkdir()
    page = folder / "n.txt"
    page.write_bytes(SEED.read_bytes())
    (folder / "n.meta.json").write_text(sidecar_text, encoding="utf-8")
    return page


def test_every_bad_sidecar_value_is_reported(tmp_path: Path) -> None:
    page = _page_with_sidecar(
        tmp_path / "p", json.dumps({"bogus": 1, "published_at": "2024-13-01", "url": 5})
    )
    with pytest.raises(ExtractionError) as caught:
        extract_file(page)
    error = caught.value
    assert error.path is not None and Path(error.path).name == "n.meta.json"
    assert "bogus" in error.reason and "published_at" in error.reason and "url" in error.reason
    assert error.field == "bogus"


def test_build_names_the_sidecar_and_its_line(tmp_path: Path) -> None:
    _page_with_sidecar(tmp_path / "p", '{\n  "url": "https://baohatinh.vn/x",\n  oops\n}\n')
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kyanh_corpus",
            "build",
            str(tmp_path / "p"),
            "--out",
            str(tmp_path / "out"),
            "--quiet",
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "n.meta.json:3: sidecar is not JSON" in done.stderr
    assert not (tmp_path / "out").exists()
