"""Typed loaders: records equal to what was written, lengths, lookups, checksums, datasets form."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus.features import arrow_schema, features, plain_arrow_schema, to_table
from kyanh_corpus.load import (
    CorpusError,
    Records,
    embedded_path,
    get_article,
    get_resolution,
    load_all_configs,
    load_articles,
    load_dataset,
    load_interview_turns,
    load_records,
    load_resolutions,
    load_sources,
)
from kyanh_corpus.load.records import dataset_records
from kyanh_corpus.load.sources import Hub, resolve
from kyanh_corpus.models import ENTITIES, Article
from support.folderkit import (
    Corpus,
    copy_folder,
    flip_byte,
    make_corpus,
    real_build,
    write_folder,
    write_manifest,
)
from support.strategies import record_lists

CONFIGS = list(ENTITIES)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return make_corpus(60, seed=7)


@pytest.fixture(scope="module")
def folder(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Small shards and row groups, so that several files and batches are read.
    out = tmp_path_factory.mktemp("load") / "corpus"
    return write_folder(out, corpus, shard_rows=25, row_group_rows=10)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_build(tmp_path_factory.getbasetemp())


def test_loaders_yield_model_instances_equal_to_the_records(corpus: Corpus, folder: Path) -> None:
    expected = corpus.by_config()
    loaders = {
        "articles": load_articles,
        "interview_turns": load_interview_turns,
        "resolutions": load_resolutions,
        "sources": load_sources,
    }
    for config, loader in loaders.items():
        records = loader(folder)
        assert isinstance(records, Records)
        loaded = list(records)
        assert loaded == expected[config], config
        assert all(type(record) is ENTITIES[config] for record in loaded)
        # the trusted path and full validation agree, field sets included
        validated = list(loader(folder, validate=True))
        assert validated == loaded
        assert [r.model_fields_set for r in validated] == [r.model_fields_set for r in loaded]
        assert [r.model_dump() for r in loaded] == [r.model_dump() for r in expected[config]]


def test_len_comes_from_the_manifest_and_matches_the_rows(corpus: Corpus, folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    for config in CONFIGS:
        records = load_records(config, folder)
        assert len(records) == manifest["configs"][config]["num_rows"]
        assert len(records) == len(list(records)) == len(corpus.by_config()[config])
        # re-iterable, batch by batch
        assert sum(len(batch) for batch in records.batches()) == len(records)


def test_duckdb_reads_the_same_counts(folder: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    for config in CONFIGS:
        pattern = str(folder / "data" / config / "*.parquet")
        [(count,)] = duckdb.sql(f"select count(*) from read_parquet('{pattern}')").fetchall()
        assert count == len(load_records(config, folder))


def test_loaded_records_are_frozen_models_that_behave_like_validated_ones(folder: Path) -> None:
    import copy
    import pickle

    article, other = list(load_articles(folder))[:2]
    with pytest.raises(ValueError):
        article.title = "x"  # type: ignore[misc]
    assert Article.model_validate(article.model_dump()) == article
    changed = article.model_copy(update={"title": "Khác"})
    assert changed.title == "Khác" and article.title != "Khác"
    assert article.model_fields_set == other.model_fields_set == set(Article.model_fields)
    assert copy.deepcopy(article) == article
    assert pickle.loads(pickle.dumps(article)) == article  # the user's own objects, not data
    assert (
        article.paragraphs[0].span.model_copy(update={"end": 10**6}) != article.paragraphs[0].span
    )
    assert Article.model_validate_json(article.model_dump_json()) == article


def test_get_article_and_get_resolution(corpus: Corpus, folder: Path) -> None:
    for article in (corpus.articles[0], corpus.articles[37], corpus.articles[-1]):
        assert get_article(article.article_id, folder) == article
    assert get_article("no-such-article-000000000000", folder) is None
    resolution = corpus.resolutions[-1]
    assert get_resolution(resolution.resolution_id, folder) == resolution
    assert get_resolution("no-such-resolution", folder) is None


def test_the_arrow_schema_derived_without_datasets_is_the_features_one() -> None:
    for config in CONFIGS:
        assert plain_arrow_schema(config).equals(arrow_schema(config).remove_metadata()), config


def test_load_dataset_of_a_folder_has_exactly_the_declared_features(
    corpus: Corpus, folder: Path
) -> None:
    dataset = load_all_configs(folder)
    assert set(dataset) == set(CONFIGS)
    for config in CONFIGS:
        assert dataset[config].features == features(config)
        assert dataset[config].num_rows == len(corpus.by_config()[config])
    rows = dataset["articles"].to_list()
    assert [Article.model_validate(row) for row in rows] == corpus.articles


def test_load_dataset_streaming_and_config_selection(folder: Path) -> None:
    dataset = load_all_configs(folder, configs=["interview_turns"], streaming=True)
    assert list(dataset) == ["interview_turns"]
    assert dataset["interview_turns"].features == features("interview_turns")
    assert sum(1 for _ in dataset["interview_turns"]) == len(load_interview_turns(folder))
    with pytest.raises(KeyError):
        load_all_configs(folder, configs=["nope"])
    with pytest.raises(KeyError):
        load_dataset(folder, "nope")


def test_datasets_records_path_validates_every_row(corpus: Corpus, folder: Path) -> None:
    """The Hub path after its one network call: typed records from a datasets dataset."""
    dataset = load_dataset(folder)["train"]
    records = dataset_records(dataset, "articles", "owner/name")
    assert len(records) == len(corpus.articles)
    assert list(records) == corpus.articles
    streamed = dataset_records(dataset.to_iterable_dataset(), "articles", "owner/name")
    assert list(streamed) == corpus.articles


def test_a_repo_id_that_is_not_a_folder_is_a_hub_source(tmp_path: Path) -> None:
    assert resolve("someone/kyanh-corpus") == Hub("someone/kyanh-corpus")
    with pytest.raises(CorpusError, match="no such folder"):
        resolve(str(tmp_path / "missing" / "deeper"))
    with pytest.raises(CorpusError, match="manifest"):
        load_articles(tmp_path)
    file = tmp_path / "f.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a folder"):
        load_articles(file)
    with pytest.raises(KeyError):
        load_records("articlez", tmp_path)


@given(
    st.sampled_from(CONFIGS).flatmap(
        lambda config: st.tuples(st.just(config), record_lists(config, min_size=1, max_size=5))
    )
)
def test_the_trusted_path_gives_exactly_the_written_records(
    generated: tuple[str, list[Any]],
) -> None:
    """Any valid records (Unicode, NFD input, nulls, empty lists) round-trip exactly."""
    import tempfile

    config, records = generated
    with tempfile.TemporaryDirectory() as tmp:
        out = write_folder(
            Path(tmp) / "f", {config: records}, shard_rows=3, row_group_rows=2, data_only=True
        )
        trusted = list(load_records(config, out))
        validated = list(load_records(config, out, validate=True))
    assert trusted == records
    assert validated == records
    assert [r.model_dump_json() for r in trusted] == [r.model_dump_json() for r in records]


# --------------------------------------------------------------------------- integrity


def test_a_flipped_byte_is_a_clear_error_naming_the_file(folder: Path, tmp_path: Path) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    target = sorted((damaged / "data" / "articles").glob("*.parquet"))[1]
    flip_byte(target)
    records = load_articles(damaged)
    assert len(records) == 60  # the manifest is fine; reading is not
    with pytest.raises(CorpusError) as caught:
        list(records)
    assert target.name in str(caught.value)
    assert "sha256" in str(caught.value)
    assert caught.value.path == target
    with pytest.raises(CorpusError, match=target.name):
        get_article("no-such-article-000000000000", damaged)
    with pytest.raises(CorpusError, match=target.name):
        load_dataset(damaged, "articles")
    # the other configs are untouched and still load
    assert len(list(load_sources(damaged))) == 60


def test_a_missing_or_truncated_file_is_an_error(folder: Path, tmp_path: Path) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    target = sorted((damaged / "data" / "sources").glob("*.parquet"))[0]
    target.write_bytes(target.read_bytes()[:-10])
    with pytest.raises(CorpusError, match=rf"{target.name}.*bytes"):
        list(load_sources(damaged))
    target.unlink()
    with pytest.raises(CorpusError, match=rf"{target.name}.*missing"):
        list(load_sources(damaged))


def test_a_parquet_file_with_another_schema_is_refused(folder: Path, tmp_path: Path) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    target = sorted((damaged / "data" / "interview_turns").glob("*.parquet"))[0]
    table = pq.read_table(target)
    pq.write_table(table.drop_columns(["speaker_title"]), target)
    write_manifest(damaged)  # consistent checksums: the schema itself is the problem
    with pytest.raises(CorpusError, match="schema differs"):
        list(load_interview_turns(damaged))


def test_non_canonical_rows_are_validated_not_trusted(corpus: Corpus, tmp_path: Path) -> None:
    """Rows that validation would change are never handed out as they are stored."""
    rows: list[dict[str, Any]] = [a.model_dump() for a in corpus.articles[:12]]
    rows[0]["title"] = "  " + unicodedata.normalize("NFD", rows[0]["title"]) + " "
    out = write_folder(tmp_path / "f", {"articles": [], "sources": []})
    target = out / "data" / "articles" / "train-00000-of-00001.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema("articles")), target)
    write_manifest(out)
    loaded = list(load_articles(out))
    assert loaded == [Article.model_validate(row) for row in rows]
    assert loaded[0].title == corpus.articles[0].title

    rows[5]["title"] = "   "  # invalid: required text that is blank
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema("articles")), target)
    write_manifest(out)
    with pytest.raises(CorpusError, match=r"row 5: title"):
        list(load_articles(out, validate=True))


def test_a_manifest_count_mismatch_is_an_error(folder: Path, tmp_path: Path) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    manifest_path = damaged / "manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    manifest["configs"]["resolutions"]["num_rows"] += 1
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    records = load_resolutions(damaged)
    assert len(records) == manifest["configs"]["resolutions"]["num_rows"]
    with pytest.raises(CorpusError, match=r"manifest\.json says"):
        list(records)


# --------------------------------------------------------------------------- real build


def test_loaders_on_a_real_build(built: Path) -> None:
    for config in CONFIGS:
        table = pq.read_table(sorted((built / "data" / config).glob("*.parquet")))
        records = list(load_records(config, built))
        assert len(records) == len(load_records(config, built)) == table.num_rows
        assert [r.model_dump(mode="python") for r in records] == table.to_pylist()
        assert pa.Table.from_pylist([r.model_dump() for r in records], schema=arrow_schema(config))
        assert to_table(records, config).equals(table.cast(arrow_schema(config)))
    first = next(iter(load_articles(built)))
    assert get_article(first.article_id, built) == first
    resolution = next(iter(load_resolutions(built)))
    assert get_resolution(resolution.resolution_id, built) == resolution


def test_load_dataset_on_a_real_build_maps_hf_and_matches_parquet(built: Path) -> None:
    dataset = load_all_configs(built)
    for config in CONFIGS:
        assert dataset[config].features == features(config)
        assert dataset[config].num_rows == len(load_records(config, built))


def test_the_embedded_corpus_loads_offline_or_is_reported_missing() -> None:
    try:
        path = embedded_path()
    except CorpusError as error:
        assert "embedded corpus is missing" in str(error)
        with pytest.raises(CorpusError, match="embedded"):
            load_articles()
        return
    assert (path / "manifest.json").is_file()
    articles = list(load_articles())
    assert len(articles) == len(load_articles()) > 0
    assert all(isinstance(article, Article) for article in articles)
    assert get_article(articles[0].article_id) == articles[0]


# --------------------------------------------------------------------------- import weight


def test_importing_the_package_and_the_loaders_stays_light() -> None:
    code = (
        "import sys, kyanh_corpus, kyanh_corpus.load\n"
        "heavy = [m for m in ('datasets', 'huggingface_hub', 'pyarrow') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_loading_a_folder_does_not_import_datasets_or_the_hub(folder: Path) -> None:
    code = (
        "import sys\n"
        "from kyanh_corpus import load_articles, get_article\n"
        f"articles = list(load_articles({str(folder)!r}))\n"
        f"assert get_article(articles[3].article_id, {str(folder)!r}) == articles[3]\n"
        "print(len(articles), 'datasets' in sys.modules, 'huggingface_hub' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["60", "False", "False"]


def test_a_row_of_a_shape_the_build_never_writes_is_named_not_a_crash(
    corpus: Corpus, tmp_path: Path
) -> None:
    """A null inside a list of structs (possible in Parquet, never written by the build) is a
    ``CorpusError`` naming file, row and field on the trusted path too, not a ``TypeError``."""
    rows: list[dict[str, Any]] = [a.model_dump() for a in corpus.articles[:12]]
    rows[5]["captions"] = [None]
    out = write_folder(tmp_path / "f", {"articles": [], "sources": []})
    target = out / "data" / "articles" / "train-00000-of-00001.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema("articles")), target)
    write_manifest(out)
    with pytest.raises(CorpusError, match=r"train-00000-of-00001\.parquet row 5: captions\[0\]"):
        list(load_articles(out))
