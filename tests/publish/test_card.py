"""The dataset card (README.md of a built folder): header the Hub reads, body a person reads.

Checked on the embedded corpus (``kyanh_corpus/_data``, produced by the build; test_embedded.py
checks it is current) and on the card of a build of several pages.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from kyanh_corpus.build import build
from kyanh_corpus.card import LICENSE_NAME, read_card_header
from kyanh_corpus.dataset.manifest import read_manifest, sha256_file
from kyanh_corpus.features import dataset_info_yaml, features
from kyanh_corpus.models import ENTITIES
from support.paths import PAGES_DIR, ROOT, SEED

EMBEDDED = ROOT / "src" / "kyanh_corpus" / "_data"
OPEN_LICENCES = re.compile(r"\b(cc[-_ ]?by|cc0|apache|gpl|odc|pddl|mit)\b", re.IGNORECASE)


@pytest.fixture(scope="module", params=["embedded", "pages"])
def folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "embedded":
        return EMBEDDED
    out = tmp_path_factory.mktemp("card") / "corpus"
    assert build([SEED, PAGES_DIR], out).written
    return out


def test_header_has_the_hub_keys(folder: Path) -> None:
    header = read_card_header((folder / "README.md").read_text("utf-8"))
    assert header["pretty_name"]
    assert header["language"] == ["vi"]
    assert header["task_categories"]
    rows = read_manifest(folder).configs["articles"].num_rows
    assert header["size_categories"] == ["n<1K" if rows < 1000 else "1K<n<10K"]
    configs = {entry["config_name"]: entry for entry in header["configs"]}
    assert list(configs) == list(ENTITIES)
    for name, entry in configs.items():
        assert entry["data_files"] == [{"split": "train", "path": f"data/{name}/*.parquet"}]
        assert entry.get("default", False) is (name == "articles")


def test_no_open_licence_is_claimed_for_the_text(folder: Path) -> None:
    header = read_card_header((folder / "README.md").read_text("utf-8"))
    assert header["license"] == "other"
    assert header["license_name"] == LICENSE_NAME
    assert "license_details" not in header  # legacy key: the card links LICENSE-DATA instead
    assert header["license_link"] == "LICENSE-DATA"
    data = (folder / "LICENSE-DATA").read_text("utf-8")
    assert "Báo Hà Tĩnh" in data and "NO LICENCE IS GRANTED TO THIS TEXT" in data
    for key in ("license", "license_name"):
        assert not OPEN_LICENCES.search(header[key])
    # The only licence LICENSE-DATA names is the code's (MIT), never the text's.
    assert set(OPEN_LICENCES.findall(data)) == {"MIT"}


def test_dataset_info_is_what_the_models_derive(folder: Path) -> None:
    from datasets import Features

    header = read_card_header((folder / "README.md").read_text("utf-8"))
    manifest = read_manifest(folder)
    infos = {entry["config_name"]: entry for entry in header["dataset_info"]}
    assert list(infos) == list(ENTITIES)
    for config, entry in infos.items():
        num_bytes = sum(p.stat().st_size for p in (folder / "hf" / config).glob("*.arrow"))
        rows = manifest.configs[config].num_rows
        assert entry == dataset_info_yaml(config, rows, num_bytes)
        assert Features._from_yaml_list(entry["features"]) == features(config)


def test_the_hub_card_parser_accepts_it(folder: Path) -> None:
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(folder / "README.md")
    data = card.data.to_dict()
    assert data["license"] == "other" and data["language"] == ["vi"]
    assert [c["config_name"] for c in data["configs"]] == list(ENTITIES)


def test_body_documents_fields_counts_provenance_loading_citation(folder: Path) -> None:
    text = (folder / "README.md").read_text("utf-8")
    body = text.split("\n---\n", 1)[1]
    for config, model in ENTITIES.items():
        assert f"### `{config}` ({model.__name__})" in body
        for name, info in model.model_fields.items():
            description = " ".join((info.description or "").split()).replace("``", "`")
            row = next(line for line in body.splitlines() if line.startswith(f"| `{name}` |"))
            assert row, name
            assert any(description in line for line in body.splitlines()), (config, name)
    assert "Allowed values: `interview`, `news`." in body
    assert "Allowed values: `interviewer`, `interviewee`." in body
    manifest = read_manifest(folder)
    for config, entry in manifest.configs.items():
        assert f"| `{config}` | {ENTITIES[config].__name__} | {entry.num_rows:,} |" in body
    assert sha256_file(SEED) in body
    assert manifest.dataset_version in body
    assert "kyanh_corpus.load_articles(" in body
    assert "load_dataset(" in body
    assert "duckdb" in body and "pd.read_parquet" in body
    assert "@misc{kyanh_corpus" in body
    assert ">>>" not in body  # the card is not collected as a doctest


def test_card_code_blocks_pass_the_formatter_of_the_repo() -> None:
    # `make lint` runs `ruff format --check src`, which formats the Python blocks of the shipped
    # card (src/kyanh_corpus/_data/README.md) too.
    root = ROOT
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "--no-cache",
            str(EMBEDDED / "README.md"),
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
