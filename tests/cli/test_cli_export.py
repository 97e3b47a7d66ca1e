"""`kyanh-corpus export`: one config as JSON Lines, CSV or Parquet, through the typed loaders."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from kyanh_corpus import load_records
from kyanh_corpus.build import build
from kyanh_corpus.dataset.manifest import read_manifest
from kyanh_corpus.models import ENTITIES
from support.builds import run_cli
from support.paths import SEED


@pytest.mark.parametrize("config", list(ENTITIES))
def test_jsonl_export_is_the_loaded_records(config: str, tmp_path: Path) -> None:
    out = tmp_path / f"{config}.jsonl"
    done = run_cli("export", "--config", config, "--format", "jsonl", "--out", out)
    assert done.returncode == 0, done.stderr
    model = ENTITIES[config]
    exported = [model.model_validate_json(line) for line in out.read_text("utf-8").splitlines()]
    assert exported == list(load_records(config))
    assert json.loads(done.stderr)["rows"] == len(exported)


def test_csv_export_has_one_column_per_field_and_nested_values_as_json(tmp_path: Path) -> None:
    done = run_cli("export", "--config", "resolutions", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(done.stdout.splitlines()))
    loaded = list(load_records("resolutions"))
    assert list(rows[0]) == list(ENTITIES["resolutions"].model_fields)
    assert [row["resolution_id"] for row in rows] == [r.resolution_id for r in loaded]
    mentions = json.loads(rows[0]["mentions"])
    assert [m["surface"] for m in mentions] == [m.surface for m in loaded[0].mentions]
    assert rows[1]["issued_on"] in ("", loaded[1].issued_on and loaded[1].issued_on.isoformat())


def test_parquet_export_is_read_back_by_duckdb(tmp_path: Path) -> None:
    out = tmp_path / "turns.parquet"
    assert run_cli("export", "--config", "interview_turns", "--format", "parquet", "--out", out)
    table = pq.read_table(out)
    loaded = list(load_records("interview_turns"))
    assert table.num_rows == len(loaded)
    query = f"SELECT count(*) FROM '{out}' WHERE speaker_role = 'interviewer'"
    ((count,),) = duckdb.sql(query).fetchall()
    assert count == sum(t.speaker_role == "interviewer" for t in loaded)


def test_export_refuses_a_corrupted_folder_and_bad_arguments(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    assert build([SEED], folder).written
    shard = folder / read_manifest(folder).configs["sources"].files[0]
    data = bytearray(shard.read_bytes())
    data[-100] ^= 0xFF
    shard.write_bytes(bytes(data))
    out = tmp_path / "sources.jsonl"
    done = run_cli("export", folder, "--config", "sources", "--format", "jsonl", "--out", out)
    assert done.returncode == 1 and "sha256" in done.stderr and not out.exists()
    assert done.stderr.count("\n") == 1
    assert run_cli("export", "--config", "nope", "--format", "jsonl").returncode == 2
    assert run_cli("export", "--config", "sources", "--format", "parquet").returncode == 2
    assert run_cli("export", "--config", "sources", "--format", "xml").returncode == 2
