"""``validate DIR`` catches a forged edit whose manifest was rehashed (issue 13, item 3):
the ``article_id`` is recomputed from headline and lede, and ``hf/`` is compared with ``data/``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kyanh_corpus.extract.identity import article_id
from kyanh_corpus.validate import Report, validate_folder
from support.folderkit import copy_folder, real_build, write_manifest

ARTICLES = "data/articles/train-00000-of-00001.parquet"
HF_ARTICLES = "hf/articles/data-00000-of-00001.arrow"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_build(tmp_path_factory.getbasetemp())


def _read_stream(path: Path) -> pa.Table:
    with pa.OSFile(str(path), "rb") as handle:
        return pa.ipc.open_stream(handle).read_all()


def _write_stream(path: Path, table: pa.Table) -> None:
    with pa.ipc.new_stream(str(path), table.schema) as writer:
        writer.write_table(table)


def _set(table: pa.Table, column: str, row: int, value: Any) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    index = table.schema.get_field_index(column)
    array = pa.array(values, type=table.schema.field(column).type)
    return table.set_column(index, table.schema.field(column), array)


def _issues(report: Report) -> list[tuple[str, str, int | None, str | None]]:
    return [(str(i.kind), Path(i.file).name, i.row, i.field) for i in report.issues]


def test_an_untouched_build_stays_valid(built: Path) -> None:
    report = validate_folder(built)
    assert report.valid, report.issues
    assert validate_folder(built, jobs=2).valid


def test_a_title_edited_in_parquet_is_caught_through_the_cli(built: Path, tmp_path: Path) -> None:
    forged = copy_folder(built, tmp_path / "forged")
    table = pq.read_table(forged / ARTICLES)
    assert table.num_rows >= 2
    stored = table.column("article_id")[1].as_py()
    table = _set(table, "title", 1, table.column("title")[1].as_py() + " (sửa)")
    pq.write_table(table, forged / ARTICLES)
    write_manifest(forged)
    done = subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", "validate", str(forged), "--json", "--quiet"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    errors = json.loads(done.stdout)["errors"]
    identity = [e for e in errors if e["field"] == "article_id" and e["kind"] == "mismatch"]
    assert len(identity) == 1, errors
    assert identity[0]["file"] == str(forged / ARTICLES)
    assert identity[0]["row"] == 1
    assert identity[0]["value"] == repr(stored)
    assert "does not match the headline and lede" in identity[0]["message"]
    # hf/ still holds the original title: the two forms disagree on that row
    hf = [e for e in errors if e["file"] == str(forged / HF_ARTICLES)]
    assert [(e["kind"], e["row"], e["field"]) for e in hf] == [("mismatch", 1, "title")]


def test_a_consistent_forgery_of_both_forms_is_caught_by_the_identity(
    built: Path, tmp_path: Path
) -> None:
    forged = copy_folder(built, tmp_path / "forged")
    table = pq.read_table(forged / ARTICLES)
    table = _set(table, "title", 0, "Tiêu đề giả mạo")
    pq.write_table(table, forged / ARTICLES)
    hf = _set(_read_stream(forged / HF_ARTICLES), "title", 0, "Tiêu đề giả mạo")
    _write_stream(forged / HF_ARTICLES, hf)
    write_manifest(forged)
    report = validate_folder(forged)
    assert _issues(report) == [("mismatch", Path(ARTICLES).name, 0, "article_id")]
    expected = article_id("Tiêu đề giả mạo", table.column("lede")[0].as_py())
    assert repr(expected) in report.issues[0].message


def test_a_value_edited_in_hf_only_is_caught(built: Path, tmp_path: Path) -> None:
    forged = copy_folder(built, tmp_path / "forged")
    name = "hf/sources/data-00000-of-00001.arrow"
    table = _read_stream(forged / name)
    row = table.num_rows - 1
    original = table.column("text")[row].as_py()
    _write_stream(forged / name, _set(table, "text", row, original.replace(" ", "  ", 1) + "x"))
    write_manifest(forged)
    report = validate_folder(forged)
    assert _issues(report) == [("mismatch", Path(name).name, row, "text")]
    issue = report.issues[0]
    assert issue.file == str(forged / name)
    assert "differs from data/" in issue.message
    assert f"train-00000-of-00001.parquet row {row}" in issue.message
    assert f"at character {original.index(' ') + 1}" in issue.message
    assert len(str(issue)) < 2 * len(issue.file) + 250  # the values are clipped
    assert validate_folder(forged, jobs=2).issues == report.issues


def test_a_row_dropped_from_hf_is_a_row_count_difference(built: Path, tmp_path: Path) -> None:
    forged = copy_folder(built, tmp_path / "forged")
    name = "hf/interview_turns/data-00000-of-00001.arrow"
    table = _read_stream(forged / name)
    _write_stream(forged / name, table.slice(0, table.num_rows - 1))
    write_manifest(forged)
    report = validate_folder(forged)
    assert _issues(report) == [("rows", "interview_turns", None, None)]
    assert f"has {table.num_rows - 1} rows" in report.issues[0].message
    assert f"has {table.num_rows}" in report.issues[0].message
