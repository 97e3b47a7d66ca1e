"""``validate`` reads what pandas, Polars and ``datasets`` wrote: the same values pass, a value
that would change is a located error showing the value; pattern errors are said in words."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus.features import features, json_schema
from kyanh_corpus.models import ENTITIES
from kyanh_corpus.validate import validate_paths
from kyanh_corpus.validate.patterns import PATTERN_WORDS
from support.folderkit import make_corpus, write_jsonl


def _articles() -> list[dict[str, Any]]:
    articles = make_corpus(6).articles
    days = [date(2021, 2, 3), None, date(2023, 12, 31), date(2020, 1, 1), None, date(2024, 5, 6)]
    return [
        article.model_copy(update={"published_at": day}).model_dump()
        for article, day in zip(articles, days, strict=False)
    ]


def _resolutions() -> list[dict[str, Any]]:
    return [resolution.model_dump() for resolution in make_corpus(6).resolutions]


def _where(report: Any) -> list[tuple[int | None, int | None, str | None, str | None]]:
    return [(i.line, i.row, i.field, i.type) for i in report.issues]


# --------------------------------------------------------------------------- pandas


def test_pandas_parquet_with_timestamps_and_an_index_is_read_as_the_same_values(
    tmp_path: Path,
) -> None:
    pd = pytest.importorskip("pandas")
    rows = _articles()
    frame = pd.DataFrame(rows)
    frame["published_at"] = pd.to_datetime(frame["published_at"])  # datetime64 at midnight
    frame = frame.iloc[[0, 2, 3, 5]]  # a filtered frame: its index is written as a column
    path = tmp_path / "articles.parquet"
    frame.to_parquet(path)
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    assert "__index_level_0__" in schema.names
    assert str(schema.field("article_id").type) == "large_string"
    assert str(schema.field("published_at").type).startswith("timestamp")
    report = validate_paths([path])
    assert report.valid, [str(i) for i in report.issues]
    assert report.records == len(frame)

    frame.set_index("article_id").to_parquet(path)  # a named index holding a model field
    assert "article_id" in pq.read_schema(path).names
    report = validate_paths([path])
    assert report.valid, [str(i) for i in report.issues]
    assert report.records == len(frame)


def test_a_timestamp_that_is_not_midnight_is_not_a_date(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_articles())
    frame["published_at"] = pd.to_datetime(frame["published_at"])
    frame.loc[3, "published_at"] = pd.Timestamp("2020-01-01 10:30")
    path = tmp_path / "articles.parquet"
    frame.to_parquet(path)
    report = validate_paths([path])
    assert _where(report) == [(None, 3, "published_at", "timestamp_not_date")]
    issue = report.issues[0]
    assert issue.value == datetime(2020, 1, 1, 10, 30)
    assert "not at midnight" in str(issue) and "2020, 1, 1, 10, 30" in str(issue)
    assert f"{path} row 3: published_at:" in str(issue)


def test_an_integer_column_pandas_turned_into_float_is_a_located_error(tmp_path: Path) -> None:
    # Decision: every value of an integer field stored as a float column is an error (the type
    # was lost), even when the value is integral (3.0); nulls stay nulls.
    pd = pytest.importorskip("pandas")
    rows = _resolutions()
    frame = pd.DataFrame(rows)
    assert frame["year"].dtype == "float64"  # an int column with nulls
    path = tmp_path / "resolutions.parquet"
    frame.to_parquet(path)
    report = validate_paths([path])
    with_year = [index for index, row in enumerate(rows) if row["year"] is not None]
    assert with_year and _where(report) == [
        (None, index, "year", "int_stored_as_float") for index in with_year
    ]
    assert report.issues[0].value == float(rows[with_year[0]]["year"])
    assert "stored as a floating-point column" in report.issues[0].message

    frame["year"] = frame["year"].astype("Int64")  # the nullable integer type: no loss
    frame.to_parquet(path)
    assert validate_paths([path]).valid


@pytest.mark.filterwarnings("ignore:.*(epoch|date format).*")
def test_pandas_json_lines_with_epoch_millisecond_and_iso_dates(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_articles())
    frame["published_at"] = pd.to_datetime(frame["published_at"])
    path = tmp_path / "articles.jsonl"
    frame.to_json(path, orient="records", lines=True, force_ascii=False, date_format="epoch")
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert isinstance(first["published_at"], int)
    report = validate_paths([path])
    assert report.valid, [str(i) for i in report.issues]
    assert report.records == len(frame)

    frame.to_json(path, orient="records", lines=True, force_ascii=False, date_format="iso")
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert first["published_at"].startswith("2021-02-03T00:00:00")
    assert validate_paths([path]).valid

    frame.loc[3, "published_at"] = pd.Timestamp("2020-01-01 10:30")
    frame.to_json(path, orient="records", lines=True, force_ascii=False, date_format="iso")
    report = validate_paths([path])
    assert _where(report) == [(4, None, "published_at", "date_type")]
    assert str(report.issues[0].value).startswith("2020-01-01T10:30")


# --------------------------------------------------------------------------- Polars


def test_polars_parquet_is_read_as_the_same_values(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    rows = _articles()
    frame = pl.DataFrame(rows)
    path = tmp_path / "articles.parquet"
    frame.select(sorted(frame.columns)).write_parquet(path)  # columns in another order
    report = validate_paths([path])
    assert report.valid, [str(i) for i in report.issues]
    assert report.records == len(rows)

    as_datetime = frame.with_columns(pl.col("published_at").cast(pl.Datetime("ms")))
    as_datetime.write_parquet(path)
    assert validate_paths([path]).valid

    shifted = as_datetime.with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.col("published_at") + pl.duration(hours=7))
        .otherwise(pl.col("published_at"))
        .alias("published_at")
    )
    shifted.write_parquet(path)
    assert _where(validate_paths([path])) == [(None, 2, "published_at", "timestamp_not_date")]


def test_polars_json_lines_and_a_resolution_with_nested_mentions(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    path = tmp_path / "resolutions.jsonl"
    pl.DataFrame(_resolutions()).write_ndjson(path)
    assert validate_paths([path]).valid
    parquet = tmp_path / "resolutions.parquet"
    pl.DataFrame(_resolutions()).write_parquet(parquet)
    report = validate_paths([parquet])
    assert report.valid, [str(i) for i in report.issues]


# --------------------------------------------------------------------------- datasets


def test_datasets_to_parquet_and_to_json(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    rows = _articles()
    dataset = datasets.Dataset.from_list(rows, features=features("articles"))
    parquet = tmp_path / "articles.parquet"
    dataset.to_parquet(str(parquet))
    assert validate_paths([parquet]).valid

    untyped = tmp_path / "untyped" / "articles.parquet"
    untyped.parent.mkdir()
    datasets.Dataset.from_list([{**row, "published_at": None} for row in rows]).to_parquet(
        str(untyped)
    )
    assert validate_paths([untyped]).valid  # null-typed columns, inferred features

    jsonl = tmp_path / "articles.jsonl"
    dataset.to_json(str(jsonl), force_ascii=False)
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["published_at"] == 1612310400000  # 2021-02-03, epoch ms
    assert validate_paths([jsonl]).valid

    record = json.loads(lines[2])
    record["published_at"] += 3_600_000  # one hour past midnight: not a date
    lines[2] = json.dumps(record, ensure_ascii=False)
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_paths([jsonl])
    assert _where(report) == [(3, None, "published_at", "epoch_ms_not_date")]
    assert report.issues[0].value == record["published_at"]
    assert f"(got {record['published_at']})" in str(report.issues[0])


def test_epoch_dates_in_a_json_array_and_other_errors_of_the_record_still_reported(
    tmp_path: Path,
) -> None:
    rows = json.loads(json.dumps(_articles(), default=str))
    rows[0]["published_at"] = 1612310400000
    rows[1]["published_at"] = 1612310400001
    rows[1]["genre"] = "opinion"
    path = tmp_path / "articles.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    report = validate_paths([path])
    assert [(i.row, i.field, i.type) for i in report.issues] == [
        (1, "published_at", "epoch_ms_not_date"),
        (1, "genre", "literal_error"),
    ]


# --------------------------------------------------------------------------- still refused


def test_a_built_folder_file_must_keep_the_exact_schema(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    from kyanh_corpus.validate.parquet import read_footer

    path = tmp_path / "articles.parquet"
    pd.DataFrame(_articles()).to_parquet(path)
    _metadata, problem = read_footer(path, str(path), "articles", require_metadata=True)
    assert problem is not None and problem.kind == "schema"
    assert "large_string" in problem.message


def test_a_column_of_another_kind_is_still_a_schema_error(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(_resolutions())
    frame["year"] = frame["year"].astype("string")
    frame["extra"] = 1
    path = tmp_path / "resolutions.parquet"
    frame.to_parquet(path)
    report = validate_paths([path])
    assert [i.kind for i in report.issues] == ["schema"]
    assert "unexpected columns ['extra']" in report.issues[0].message
    assert "year is large_string, expected int64" in report.issues[0].message


# --------------------------------------------------------------------------- messages


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


def test_every_pattern_of_the_models_has_words() -> None:
    patterns = set().union(*(_patterns(json_schema(config)) for config in ENTITIES))
    assert len(patterns) >= 8
    assert patterns <= set(PATTERN_WORDS), patterns - set(PATTERN_WORDS)


def test_a_pattern_error_says_what_is_expected_and_shows_the_value(tmp_path: Path) -> None:
    resolutions = make_corpus(3).resolutions
    path = write_jsonl(tmp_path / "resolutions.jsonl", resolutions)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["code"] = "NQ 02 / ThU"
    record["resolution_id"] = "Bad ID"
    lines[1] = json.dumps(record, ensure_ascii=False)
    lines.append("{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = validate_paths([path]).issues
    by_field = {issue.field: issue for issue in issues}
    code = by_field["code"]
    assert code.message == (
        "expected a document code such as 02-NQ/ThU, 36/2021/NQ-HĐND or 2310/UBND-TH"
    )
    assert code.value == "NQ 02 / ThU" and "^(?:" not in str(code)
    assert by_field["resolution_id"].message == (
        "expected lowercase letters, digits and '-', 3 to 96 characters"
    )
    not_json = issues[-1]
    assert not_json.kind == "json" and not_json.line == len(lines)
    assert "(got '{not json')" in str(not_json)
