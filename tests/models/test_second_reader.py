"""A second, independent Parquet reader (DuckDB) sees the rows the project wrote.

The files are written the way the project writes them: ``features.to_table`` (the derived Arrow
schema with its ``huggingface`` metadata) and ``pyarrow.parquet.write_table``. DuckDB shares no
code with pyarrow or ``datasets``, so agreement here means the files are plain, portable Parquet.
DuckDB lists are 1-based: ``paragraphs[2]`` in SQL is ``paragraphs[1]`` in Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus import features as F
from kyanh_corpus.models import Article, InterviewTurn, Resolution
from support.strategies import CONFIGS, record_lists, scaled


def _write(records: list[Any], config: str, directory: Path) -> str:
    path = directory / f"{config}.parquet"
    pq.write_table(F.to_table(records, config), path)
    return str(path)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, path: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql, [path])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.parametrize("config", CONFIGS)
@scaled(15)
@given(data=st.data())
def test_duckdb_reads_every_field_back(
    config: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    batch = data.draw(record_lists(config, min_size=1, max_size=6))
    path = _write(batch, config, tmp_path_factory.mktemp("duck"))
    with duckdb.connect() as con:
        rows = _rows(con, "select * from read_parquet(?)", path)
    assert rows == [record.model_dump() for record in batch]


@scaled(20)
@given(batch=record_lists("articles", min_size=1, max_size=6))
def test_duckdb_sees_article_structure(
    batch: list[Article], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(batch, "articles", tmp_path_factory.mktemp("duck"))
    sql = """
        select article_id, published_at, len(paragraphs) as n_paragraphs,
               len(captions) as n_captions, len(authors) as n_authors,
               paragraphs[1].text as first_text, paragraphs[2].text as second_text,
               paragraphs[1].span.start as first_start, paragraphs[1].span."end" as first_end,
               list_transform(paragraphs, lambda p: p.index) as indices,
               list_transform(captions, lambda c: c.after_paragraph) as after
        from read_parquet(?)
    """
    with duckdb.connect() as con:
        assert con.execute("select count(*) from read_parquet(?)", [path]).fetchone() == (
            len(batch),
        )
        rows = _rows(con, sql, path)
    assert [r["article_id"] for r in rows] == [a.article_id for a in batch]
    for row, article in zip(rows, batch, strict=True):
        assert row["published_at"] == article.published_at
        assert row["n_paragraphs"] == len(article.paragraphs)
        assert row["n_captions"] == len(article.captions)
        assert row["n_authors"] == len(article.authors)
        assert row["first_text"] == article.paragraphs[0].text
        second = article.paragraphs[1].text if len(article.paragraphs) > 1 else None
        assert row["second_text"] == second
        assert (row["first_start"], row["first_end"]) == (
            article.paragraphs[0].span.start,
            article.paragraphs[0].span.end,
        )
        assert row["indices"] == list(range(len(article.paragraphs)))
        assert row["after"] == [c.after_paragraph for c in article.captions]


@scaled(20)
@given(batch=record_lists("interview_turns", min_size=1, max_size=8))
def test_duckdb_aggregates_interview_turns(
    batch: list[InterviewTurn], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(batch, "interview_turns", tmp_path_factory.mktemp("duck"))
    sql = """
        select speaker_role, count(*) as turns, sum(len(spans)) as spans,
               count(responds_to) as answers
        from read_parquet(?) group by speaker_role order by speaker_role
    """
    with duckdb.connect() as con:
        rows = _rows(con, sql, path)
    expected = []
    for role in sorted({t.speaker_role for t in batch}):
        turns = [t for t in batch if t.speaker_role == role]
        expected.append(
            {
                "speaker_role": role,
                "turns": len(turns),
                "spans": sum(len(t.spans) for t in turns),
                "answers": sum(t.responds_to is not None for t in turns),
            }
        )
    assert rows == expected


@scaled(20)
@given(batch=record_lists("resolutions", min_size=1, max_size=6))
def test_duckdb_unnests_resolution_mentions(
    batch: list[Resolution], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write(batch, "resolutions", tmp_path_factory.mktemp("duck"))
    sql = """
        select resolution_id, code, year, issued_on, m.article_id, m.surface, m.span.start
        from read_parquet(?), unnest(mentions) as t(m)
    """
    with duckdb.connect() as con:
        rows = con.execute(sql, [path]).fetchall()
    assert rows == [
        (r.resolution_id, r.code, r.year, r.issued_on, m.article_id, m.surface, m.span.start)
        for r in batch
        for m in r.mentions
    ]


def test_duckdb_reads_the_schema_as_declared(tmp_path: Path) -> None:
    """Column types seen by DuckDB follow the derived Arrow schema (int64, date32, structs)."""
    path = _write([], "articles", tmp_path)
    with duckdb.connect() as con:
        described = con.execute("describe select * from read_parquet(?)", [path]).fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["published_at"] == "DATE"
    assert types["paragraphs"] == (
        'STRUCT("index" BIGINT, "text" VARCHAR, span STRUCT("start" BIGINT, "end" BIGINT))[]'
    )
    assert types["authors"] == "VARCHAR[]"
    assert list(types) == list(Article.model_fields)
