"""``kyanh_corpus.dataset.manifest``: reading a built folder's manifest, catching every drift."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus.build import build
from kyanh_corpus.dataset.manifest import (
    ManifestError,
    dataset_version,
    dump_json,
    read_manifest,
    sha256_file,
    verify,
    verify_files,
    verify_row_counts,
    without_inputs,
)
from kyanh_corpus.errors import Diagnostic, DiagnosticKind
from support.paths import SEED


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("manifest") / "corpus"
    assert build([SEED], out).written
    return out


@pytest.fixture
def folder(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(pristine, copy)
    return copy


def test_a_fresh_build_verifies(folder: Path) -> None:
    manifest = read_manifest(folder)
    assert verify(folder) == []
    assert manifest.inputs[SEED.name].sha256 == sha256_file(SEED)
    assert manifest.dataset_version == dataset_version([sha256_file(SEED)])
    assert manifest.files["README.md"].bytes == (folder / "README.md").stat().st_size
    assert json.loads((folder / "manifest.json").read_text("utf-8")) == manifest.to_json()


def test_a_flipped_byte_is_named(folder: Path) -> None:
    shard = "data/articles/train-00000-of-00001.parquet"
    data = bytearray((folder / shard).read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / shard).write_bytes(bytes(data))
    (problem,) = verify(folder)
    assert isinstance(problem, Diagnostic)
    assert (problem.file, problem.kind) == (shard, DiagnosticKind.CHECKSUM)
    assert str(problem) == f"{shard}: sha256 differs from manifest.json (corrupted file) [checksum]"
    only = verify_files(folder, read_manifest(folder), paths=["README.md"])
    assert only == []


def test_missing_truncated_and_stray_files(folder: Path) -> None:
    (folder / "croissant.json").unlink()
    with (folder / "README.md").open("ab") as handle:
        handle.write(b"\n")
    stray = folder / "data" / "articles" / "train-00009-of-00009.parquet"
    stray.write_bytes(b"PAR1")
    (folder / ".gitattributes").write_text("*.parquet filter=lfs\n", encoding="utf-8")
    problems = {(p.file, p.kind) for p in verify(folder)}
    assert problems == {
        ("croissant.json", "missing"),
        ("README.md", "size"),
        ("data/articles/train-00009-of-00009.parquet", "unlisted"),
    }


def test_row_counts_are_checked_against_parquet_footers(folder: Path) -> None:
    text = (folder / "manifest.json").read_text("utf-8")
    obj = json.loads(text)
    obj["configs"]["articles"]["num_rows"] = 2
    (folder / "manifest.json").write_text(json.dumps(obj), encoding="utf-8")
    (problem,) = verify_row_counts(folder, read_manifest(folder))
    assert problem.kind == "rows" and "articles" in problem.message


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no manifest.json"),
        ("{not json", "not JSON"),
        ('{"format": "other/1"}', "format"),
        ('{"format": "kyanh-corpus/1", "dataset_version": "1"}', "schema_version"),
    ],
)
def test_a_bad_manifest_is_a_clear_error(folder: Path, content: str | None, reason: str) -> None:
    if content is None:
        (folder / "manifest.json").unlink()
    else:
        (folder / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=reason):
        read_manifest(folder)
    (problem,) = verify(folder)
    assert problem.kind == "manifest"


_json_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_entries = st.dictionaries(
    _json_text, st.fixed_dictionaries({"bytes": st.integers(0, 10**9), "sha256": _json_text})
)


@given(
    st.dictionaries(
        st.sampled_from(["configs", "files", "format", "schema_version"]),
        st.dictionaries(_json_text, _json_text | st.integers()) | _json_text,
    ),
    _entries,
)
def test_reading_without_inputs_drops_exactly_the_inputs(
    others: dict[str, object], inputs: dict[str, object]
) -> None:
    """Whatever the names (quotes, braces, line breaks, "\\n  }" included: JSON escapes them)."""
    text = dump_json({**others, "inputs": inputs})
    assert json.loads(without_inputs(text)) == {**others, "inputs": {}}
    compact = json.dumps({**others, "inputs": inputs})  # not the build's layout: left whole
    assert without_inputs(compact) == compact
    one_space = json.dumps({"configs": {"inputs": inputs}, "z": 1}, indent=1)
    assert without_inputs(one_space) == one_space


def test_other_layouts_are_parsed_whole() -> None:
    # "inputs" inline, then an object laid out over lines: cutting to the next "  }" would
    # swallow "files"; the text is left as it is.
    text = (
        '{\n  "format": "f",\n  "inputs": {"a.txt": {"bytes": 1}},\n'
        '  "files": {\n    "x": 1\n  }\n}'
    )
    assert without_inputs(text) == text
    assert json.loads(without_inputs(text))["files"] == {"x": 1}


def test_loaders_read_the_manifest_without_inputs(folder: Path) -> None:
    full = read_manifest(folder)
    light = read_manifest(folder, inputs=False)
    assert full.inputs and not light.inputs
    assert (light.configs, light.files, light.dataset_version) == (
        full.configs,
        full.files,
        full.dataset_version,
    )
