"""``kyanh_corpus.load_dataset`` answers as ``datasets.load_dataset(source, config)`` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import kyanh_corpus
from kyanh_corpus.features import features
from kyanh_corpus.load import CorpusError, load_all_configs, load_dataset
from kyanh_corpus.load import hf as hf_module
from kyanh_corpus.models import ENTITIES
from support.folderkit import Corpus, copy_folder, flip_byte, make_corpus, write_folder


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return make_corpus(20, seed=3)


@pytest.fixture(scope="module")
def folder(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("hf") / "corpus", corpus, data_only=True)


def test_load_dataset_is_a_dataset_dict_with_a_train_split(corpus: Corpus, folder: Path) -> None:
    import datasets

    articles = load_dataset(folder)
    assert isinstance(articles, datasets.DatasetDict)
    assert list(articles) == ["train"]
    assert articles["train"].features == features("articles")
    assert articles["train"].num_rows == len(corpus.articles)
    for config in ENTITIES:
        loaded = load_dataset(folder, config)
        assert list(loaded) == ["train"]
        assert loaded["train"].features == features(config)
        assert loaded["train"].num_rows == len(corpus.by_config()[config])


def test_streaming_gives_an_iterable_dataset_dict(corpus: Corpus, folder: Path) -> None:
    import datasets

    streamed = load_dataset(folder, "interview_turns", streaming=True)
    assert isinstance(streamed, datasets.IterableDatasetDict)
    assert list(streamed) == ["train"]
    assert sum(1 for _ in streamed["train"]) == len(corpus.interview_turns)


def test_load_all_configs_is_keyed_by_config(folder: Path) -> None:
    every = load_all_configs(folder)
    assert list(every) == list(ENTITIES)
    some = load_all_configs(folder, ["sources", "articles"])
    assert list(some) == ["sources", "articles"]
    with pytest.raises(KeyError, match="unknown config"):
        load_all_configs(folder, ["train"])
    with pytest.raises(KeyError, match="unknown config"):
        load_dataset(folder, "train")


def test_a_corrupted_file_is_refused(folder: Path, tmp_path: Path) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    target = next((damaged / "data" / "sources").glob("*.parquet"))
    flip_byte(target)
    with pytest.raises(CorpusError, match=target.name):
        load_dataset(damaged, "sources")
    assert load_dataset(damaged, "articles")["train"].num_rows == 20


def test_a_hub_repo_goes_through_datasets_with_the_revision(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to the network: the one call to ``datasets.load_dataset`` gets repo, config, revision."""
    loaded = load_all_configs(folder)
    calls: list[tuple[str, str, bool, Any]] = []

    def fake(repo_id: str, config: str, *, streaming: bool, revision: Any) -> Any:
        calls.append((repo_id, config, streaming, revision))
        return loaded[config]

    monkeypatch.setattr(hf_module, "_hub_dataset", fake)
    got = load_dataset("someone/kyanh-corpus-test", "resolutions", revision="v1.2.0")
    assert list(got) == ["train"]
    assert got["train"].num_rows == loaded["resolutions"].num_rows
    assert calls == [("someone/kyanh-corpus-test", "resolutions", False, "v1.2.0")]


def test_the_package_exports_the_new_names_lazily() -> None:
    for name in ("load_dataset", "load_all_configs", "articles_citing", "turns_of", "article_of"):
        assert name in kyanh_corpus.__all__
        assert callable(getattr(kyanh_corpus, name))
    assert kyanh_corpus.load_dataset is load_dataset
