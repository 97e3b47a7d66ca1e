"""Lookups across configs: articles citing a document, the turns of an article, a turn's article."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus import article_of, articles_citing, turns_of
from kyanh_corpus.load import hf as hf_module
from kyanh_corpus.load import load_all_configs, load_articles
from kyanh_corpus.load import records as records_module
from support.folderkit import Corpus, make_corpus, write_folder


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return make_corpus(30, seed=5)


@pytest.fixture(scope="module")
def folder(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lookups") / "corpus"
    return write_folder(out, corpus, shard_rows=12, row_group_rows=5, data_only=True)


@pytest.fixture
def hub(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A Hub repo id served, past the network call, by the folder's ``datasets`` form."""
    loaded = load_all_configs(folder)
    calls: list[tuple[str, str]] = []

    def fake_hub_dataset(repo_id: str, config: str, *, streaming: bool, revision: Any) -> Any:
        calls.append((repo_id, config))
        dataset = loaded[config]
        return dataset.to_iterable_dataset() if streaming else dataset

    monkeypatch.setattr(records_module, "_hub_dataset", fake_hub_dataset)
    monkeypatch.setattr(hf_module, "_hub_dataset", fake_hub_dataset)
    return "someone/kyanh-corpus-test"


def test_articles_citing_a_document_by_id_or_printed_code(
    corpus: Corpus, folder: Path, hub: str
) -> None:
    checked = 0
    for resolution in corpus.resolutions:
        citing = {m.article_id for m in resolution.mentions}
        expected = [a for a in corpus.articles if a.article_id in citing]
        assert articles_citing(resolution.resolution_id, folder) == expected
        same_code = [r for r in corpus.resolutions if r.code == resolution.code]
        by_code = {m.article_id for r in same_code for m in r.mentions}
        spelled = resolution.code.replace("/", " / ")
        assert articles_citing(spelled, folder) == [
            a for a in corpus.articles if a.article_id in by_code
        ]
        checked += bool(expected)
    assert checked >= 3
    first = corpus.resolutions[0]
    assert [a.article_id for a in articles_citing(first.resolution_id, hub)] == [
        a.article_id for a in articles_citing(first.resolution_id, folder)
    ]
    assert articles_citing("999-NQ/TW", folder) == []
    assert articles_citing("not a code at all", folder) == []


def test_turns_of_an_article_in_order(corpus: Corpus, folder: Path, hub: str) -> None:
    with_turns = 0
    for article in corpus.articles:
        expected = sorted(
            (t for t in corpus.interview_turns if t.article_id == article.article_id),
            key=lambda t: t.turn_index,
        )
        got = turns_of(article.article_id, folder)
        assert got == expected
        assert [t.turn_index for t in got] == list(range(len(got)))
        with_turns += bool(got)
    assert with_turns >= 3
    some = corpus.interview_turns[0].article_id
    assert turns_of(some, hub) == turns_of(some, folder)
    assert turns_of("no-such-article", folder) == []


def test_article_of_a_turn_a_mention_a_source_or_an_id(
    corpus: Corpus, folder: Path, hub: str
) -> None:
    by_id = {a.article_id: a for a in corpus.articles}
    for turn in corpus.interview_turns[:10]:
        assert article_of(turn, folder) == by_id[turn.article_id]
    mention = corpus.resolutions[0].mentions[0]
    assert article_of(mention, folder) == by_id[mention.article_id]
    assert article_of(corpus.sources[3], folder) == corpus.articles[3]
    assert article_of(corpus.articles[4].article_id, folder) == corpus.articles[4]
    assert article_of("no-such-article", folder) is None
    assert article_of(corpus.interview_turns[0], hub) == by_id[corpus.interview_turns[0].article_id]
    with pytest.raises(TypeError):
        article_of(42, folder)


def test_lookups_on_the_embedded_corpus() -> None:
    article = load_articles()[0]
    assert articles_citing("02-NQ/ThU") == [article]
    assert articles_citing("Nghị quyết số 02 - NQ / ThU") == [article]
    turns = turns_of(article.article_id)
    assert turns and all(t.article_id == article.article_id for t in turns)
    assert article_of(turns[-1]) == article
