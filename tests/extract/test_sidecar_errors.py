"""A bad sidecar is an error on the sidecar file, with every bad value at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kyanh_corpus.extract import ExtractionError, extract_file, extract_text
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


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [
        ('{"url": "https://a.vn/x",\n"url": "https://a.vn/y"}', 2, "url", "duplicate key 'url'"),
        ('{"source":\n' + "[" * 100_000 + "]" * 100_000 + "}", 2, "source[0]", "nested deeper"),
        ('{"published_at": ' + "1" * 5000 + "}", 1, "published_at", "an integer of 5,000 digits"),
        ('{"url": "' + "x" * 9_000_000 + '"}', 1, "url", "a string longer than 8,388,608"),
    ],
)
def test_a_hostile_sidecar_is_a_located_error_on_the_sidecar(
    tmp_path: Path, text: str, line: int, field: str, reason: str
) -> None:
    page = _page_with_sidecar(tmp_path / "p", text)
    with pytest.raises(ExtractionError) as caught:
        extract_file(page)
    error = caught.value
    assert error.path is not None and Path(error.path).name == "n.meta.json"
    assert error.line == line and error.field is not None and error.field.startswith(field)
    assert reason in error.reason and len(str(error)) < 400


def test_a_long_wrong_sidecar_value_is_clipped_in_the_message() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract_text(SEED.read_bytes(), source_file="n.txt", meta={"url": "x" * 1_000_000})
    assert caught.value.field == "url" and len(str(caught.value)) < 300
    with pytest.raises(ExtractionError) as caught:
        extract_text(SEED.read_bytes(), source_file="n.txt", meta={"k" * 1_000_000: 1})
    assert len(str(caught.value)) < 300 and len(caught.value.field or "") <= 40
