"""``Records`` as a collection: indexing, slicing, head, filter (pushed down), tables."""

from __future__ import annotations

import builtins
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus.features import plain_arrow_schema
from kyanh_corpus.load import (
    CorpusError,
    Records,
    filterable_fields,
    load_all_configs,
    load_articles,
    load_interview_turns,
    load_records,
    load_resolutions,
)
from kyanh_corpus.load.records import dataset_records
from kyanh_corpus.models import ENTITIES
from support.folderkit import Corpus, copy_folder, flip_byte, make_corpus, write_folder


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    made = make_corpus(60, seed=11)
    # dates for most articles (the synthetic pages print none), so that ranges select something
    made.articles = [
        a
        if i % 5 == 0
        else a.model_copy(update={"published_at": date(2019 + i % 4, 1 + i % 12, 1 + i % 28)})
        for i, a in enumerate(made.articles)
    ]
    return made


@pytest.fixture(scope="module")
def folder(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("records") / "corpus"
    return write_folder(out, corpus, shard_rows=25, row_group_rows=10, data_only=True)


@pytest.fixture(scope="module")
def hub_like(folder: Path) -> dict[str, Records[Any]]:
    """The Hub path after its one network call: records over a ``datasets`` dataset."""
    loaded = load_all_configs(folder)
    return {config: dataset_records(loaded[config], config, "owner/name") for config in ENTITIES}


def test_indexing_and_slicing_are_those_of_the_list(corpus: Corpus, folder: Path) -> None:
    expected = corpus.articles
    records = load_articles(folder)
    for index in (0, 1, 24, 25, 59, -1, -25, -60):
        assert records[index] == expected[index], index
    for bad in (60, -61):
        with pytest.raises(IndexError):
            records[bad]
    slices = [
        slice(None, 3),
        slice(20, 31),
        slice(5, None, 7),
        slice(-3, None),
        slice(None, -55),
        slice(None, None, -9),
        slice(40, 10, -4),
        slice(70, 80),
        slice(3, 3),
    ]
    for part in slices:
        got = records[part]
        assert isinstance(got, list)
        assert got == expected[part], part
    with pytest.raises(TypeError):
        records["0"]  # type: ignore[call-overload]


def test_head_is_a_lazy_view(corpus: Corpus, folder: Path) -> None:
    records = load_articles(folder)
    head = records.head(7)
    assert isinstance(head, Records)
    assert len(head) == 7
    assert list(head) == corpus.articles[:7]
    assert head[-1] == corpus.articles[6]
    assert list(records.head(0)) == []
    assert len(records.head(1000)) == 60
    assert list(head.head(3)) == corpus.articles[:3]
    assert head.to_arrow().num_rows == 7
    with pytest.raises(ValueError):
        records.head(-1)
    with pytest.raises(ValueError, match="head"):
        head.filter(genre="news")


def _cases(corpus: Corpus) -> list[tuple[str, dict[str, Any], list[Any]]]:
    articles, turns, resolutions = corpus.articles, corpus.interview_turns, corpus.resolutions
    dated = sorted({a.published_at for a in articles if a.published_at is not None})
    low, high = dated[len(dated) // 4], dated[3 * len(dated) // 4]
    some_ids = [articles[3].article_id, articles[40].article_id, "no-such-article"]
    some_types = sorted({r.doc_type for r in resolutions if r.doc_type is not None})[:2]
    return [
        ("articles", {"genre": "interview"}, [a for a in articles if a.genre == "interview"]),
        ("articles", {"genre": "news"}, [a for a in articles if a.genre == "news"]),
        (
            "articles",
            {"published_at": (low, high)},
            [a for a in articles if a.published_at is not None and low <= a.published_at <= high],
        ),
        (
            "articles",
            {"published_at": (low.isoformat(), None), "genre": "news"},
            [
                a
                for a in articles
                if a.published_at is not None and a.published_at >= low and a.genre == "news"
            ],
        ),
        ("articles", {"published_at": None}, [a for a in articles if a.published_at is None]),
        ("articles", {"article_id": some_ids}, [a for a in articles if a.article_id in some_ids]),
        ("articles", {"article_id": articles[5].article_id}, [articles[5]]),
        (
            "interview_turns",
            {"speaker_role": "interviewee", "article_id": articles[2].article_id},
            [
                t
                for t in turns
                if t.speaker_role == "interviewee" and t.article_id == articles[2].article_id
            ],
        ),
        (
            "resolutions",
            {"doc_type": set(some_types)},
            [r for r in resolutions if r.doc_type in some_types],
        ),
        ("resolutions", {"year": (2000, None)}, [r for r in resolutions if (r.year or 0) >= 2000]),
        ("resolutions", {"year": None}, [r for r in resolutions if r.year is None]),
        (
            "resolutions",
            {"issuer_code": resolutions[0].issuer_code},
            [r for r in resolutions if r.issuer_code == resolutions[0].issuer_code],
        ),
    ]


def test_filters_pushed_down_and_in_python_agree_with_a_list_comprehension(
    corpus: Corpus, folder: Path, hub_like: dict[str, Records[Any]]
) -> None:
    for config, conditions, expected in _cases(corpus):
        for records in (load_records(config, folder), hub_like[config]):
            view = records.filter(**conditions)
            assert list(view) == expected, (config, conditions, records.where)
            assert len(view) == len(expected), (config, conditions)
            assert view.to_arrow().to_pylist() == [r.model_dump() for r in expected]
            if expected:
                assert view[-1] == expected[-1]
        # chained filters are an AND
        chained = load_records(config, folder)
        for name, value in conditions.items():
            chained = chained.filter(**{name: value})
        assert list(chained) == expected
        # validate=True reads the same rows, validating each
        assert list(load_records(config, folder, validate=True).filter(**conditions)) == expected


def test_some_cases_select_something(corpus: Corpus) -> None:
    """The cases above are not all vacuous."""
    assert sum(1 for _, _, expected in _cases(corpus) if len(expected) > 0) >= 8


def test_an_unknown_filter_field_names_the_filterable_ones(folder: Path) -> None:
    with pytest.raises(ValueError, match="article_id, genre, published_at") as caught:
        load_articles(folder).filter(speaker_role="interviewer")
    assert "'speaker_role'" in str(caught.value)
    with pytest.raises(ValueError, match="doc_type, year, issuer_code"):
        load_resolutions(folder).filter(title="x")
    with pytest.raises(ValueError, match="ISO date"):
        load_articles(folder).filter(published_at="3/2/2021")
    with pytest.raises(ValueError, match="range"):
        load_articles(folder).filter(published_at=(date(2021, 1, 1),))
    assert filterable_fields("interview_turns") == ("article_id", "speaker_role")
    assert filterable_fields("sources") == ("article_id",)


def test_a_filtered_folder_still_verifies_checksums_first(
    corpus: Corpus, folder: Path, tmp_path: Path
) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    target = sorted((damaged / "data" / "articles").glob("*.parquet"))[-1]
    flip_byte(target)
    wanted = corpus.articles[0].article_id  # in the first, intact file
    view = load_articles(damaged).filter(article_id=wanted)
    for read in (list, len, lambda v: v.to_arrow(), lambda v: v[0]):
        with pytest.raises(CorpusError, match=target.name):
            read(view)


def test_to_arrow_has_the_derived_schema(corpus: Corpus, folder: Path) -> None:
    for config in ENTITIES:
        for validate in (None, True):
            table = load_records(config, folder, validate=validate).to_arrow()
            assert table.schema.equals(plain_arrow_schema(config)), config
            assert table.schema.metadata is None
            assert table.to_pylist() == [r.model_dump() for r in corpus.by_config()[config]]


def test_to_pandas_and_to_polars(corpus: Corpus, folder: Path) -> None:
    pandas = pytest.importorskip("pandas")
    polars = pytest.importorskip("polars")
    turns = load_interview_turns(folder).filter(speaker_role="interviewer")
    expected = [t for t in corpus.interview_turns if t.speaker_role == "interviewer"]
    frame = turns.to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == plain_arrow_schema("interview_turns").names
    assert frame["turn_index"].tolist() == [t.turn_index for t in expected]
    lazy = turns.to_polars()
    assert isinstance(lazy, polars.DataFrame)
    assert lazy.height == len(expected)
    assert lazy["article_id"].to_list() == [t.article_id for t in expected]


def test_a_missing_extra_is_named(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_frames(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in {"pandas", "polars"}:
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_frames)
    records = load_articles(folder)
    with pytest.raises(ImportError, match=r'pip install "kyanh-corpus\[pandas\]"'):
        records.to_pandas()
    with pytest.raises(ImportError, match=r'pip install "kyanh-corpus\[polars\]"'):
        records.to_polars()


def test_the_embedded_corpus_filters_and_indexes() -> None:
    articles = load_articles()
    first = articles[0]
    assert articles[-1] == list(articles)[-1]
    assert list(articles.filter(article_id=first.article_id)) == [first]
    assert len(articles.filter(genre=first.genre)) >= 1
    assert "genre='interview'" in repr(articles.filter(genre="interview"))
