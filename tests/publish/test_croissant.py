"""``croissant.json`` passes the ``mlcroissant`` checks (offline) and describes the real files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kyanh_corpus.build import build
from kyanh_corpus.dataset.manifest import read_manifest
from kyanh_corpus.models import ENTITIES, PRIMARY_KEYS
from support.paths import PAGES_DIR, ROOT, SEED

EMBEDDED = ROOT / "src" / "kyanh_corpus" / "_data"


@pytest.fixture(scope="module", params=["embedded", "pages"])
def folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "embedded":
        return EMBEDDED
    out = tmp_path_factory.mktemp("croissant") / "corpus"
    assert build([SEED, PAGES_DIR], out).written
    return out


def test_mlcroissant_validates_it(folder: Path) -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=folder / "croissant.json")
    metadata = dataset.metadata
    assert metadata.name == "kyanh-corpus"
    assert [record_set.name for record_set in metadata.record_sets] == list(ENTITIES)
    for record_set in metadata.record_sets:
        model = ENTITIES[record_set.name]
        assert [f.name for f in record_set.fields] == list(model.model_fields)
        keys = record_set.key if isinstance(record_set.key, list) else [record_set.key]
        assert [key.split("/")[-1] for key in keys] == list(PRIMARY_KEYS[record_set.name])
    assert [file_set.includes for file_set in metadata.distribution] == [
        [f"data/{config}/*.parquet"] for config in ENTITIES
    ]


def test_mlcroissant_reads_the_records(folder: Path) -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=folder / "croissant.json")
    manifest = read_manifest(folder)
    for config in ("articles", "sources"):
        records = list(itertools.islice(dataset.records(config), 1000))
        assert len(records) == manifest.configs[config].num_rows
        ids = {record[f"{config}/article_id"].decode("utf-8") for record in records}
        assert len(ids) == len(records)


def test_licence_points_to_the_texts_status_and_no_url_is_invented(folder: Path) -> None:
    import json

    raw = json.loads((folder / "croissant.json").read_text("utf-8"))
    assert raw["license"] == "LICENSE-DATA" and (folder / "LICENSE-DATA").is_file()
    assert "all rights reserved" in raw["usageInfo"]
    assert "url" not in raw  # the Hub repository is not known when the folder is built
    assert raw["isBasedOn"] == "https://baohatinh.vn"
