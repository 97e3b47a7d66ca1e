"""The files in schema/ are exactly what the models generate now."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kyanh_corpus.features import schema_files, stale_schema_files
from kyanh_corpus.models import ENTITIES, SCHEMA_NAMES
from support.paths import SCHEMA_DIR


def test_schema_dir_is_current() -> None:
    stale = stale_schema_files(SCHEMA_DIR)
    assert stale == [], f"run `kyanh-corpus schema --write`; stale: {stale}"


def test_every_entity_has_a_2020_12_schema_with_id_and_descriptions() -> None:
    for config, model in ENTITIES.items():
        doc = json.loads((SCHEMA_DIR / f"{SCHEMA_NAMES[config]}.schema.json").read_text("utf-8"))
        assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert doc["$id"].endswith(SCHEMA_NAMES[config])
        assert doc["title"] == model.__name__
        for name in model.model_fields:
            assert doc["properties"][name].get("description"), f"{config}.{name} undocumented"


def test_cli_write_then_check(tmp_path: Path) -> None:
    out = tmp_path / "s"
    cmd = [sys.executable, "-m", "kyanh_corpus", "schema"]
    subprocess.run([*cmd, "--write", "--out", str(out)], check=True, capture_output=True)
    assert sorted(p.name for p in out.iterdir()) == sorted(schema_files())
    assert subprocess.run([*cmd, "--check", "--out", str(out)]).returncode == 0
    (out / "article.schema.json").write_text("{}", encoding="utf-8")
    checked = subprocess.run([*cmd, "--check", "--out", str(out)], capture_output=True, text=True)
    assert checked.returncode == 1
    assert "article.schema.json" in checked.stderr
