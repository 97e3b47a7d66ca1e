"""``validate`` on record files: JSON Lines, JSON (object, array) and Parquet."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus.cli import main
from kyanh_corpus.features import arrow_schema
from kyanh_corpus.models import ENTITIES
from kyanh_corpus.validate import (
    JsonSyntaxError,
    UsageError,
    infer_entity,
    iter_json_values,
    validate_paths,
)
from support.folderkit import make_corpus, write_jsonl, write_parquet
from support.strategies import record_lists


@pytest.fixture(scope="module")
def corpus_records() -> dict[str, list[Any]]:
    return make_corpus(30, seed=3).by_config()


def _lines(records: list[Any]) -> list[str]:
    return [record.model_dump_json() for record in records]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", "validate", *args],
        capture_output=True,
        text=True,
    )


# --------------------------------------------------------------------------- JSON Lines


def test_one_bad_record_among_good_ones_is_reported_with_its_line_and_field(
    corpus_records: dict[str, list[Any]], tmp_path: Path
) -> None:
    lines = _lines(corpus_records["articles"])
    bad = json.loads(lines[16])
    bad["paragraphs"][2]["span"]["end"] = -4
    lines[16] = json.dumps(bad, ensure_ascii=False)
    path = _write(tmp_path / "articles.jsonl", lines)

    done = _cli(str(path), "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["records"] == len(lines)
    assert [(e["line"], e["field"], e["kind"]) for e in report["errors"]] == [
        (17, "paragraphs[2].span.end", "record")
    ]
    assert report["errors"][0]["file"] == str(path)
    assert report["errors"][0]["value"] == "-4"  # the offending value, as shown
    assert report["error_counts"] == {"record": 1}

    text = _cli(str(path))
    assert text.returncode == 1
    assert f"{path}:17: paragraphs[2].span.end: " in text.stdout
    assert "(got -4) [record: greater_than]" in text.stdout
    assert "1 error (record: 1)" in text.stdout.splitlines()[-1]


def test_a_valid_file_exits_0_with_a_summary(
    corpus_records: dict[str, list[Any]], tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "interview_turns.jsonl", corpus_records["interview_turns"])
    done = _cli(str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    count = len(corpus_records["interview_turns"])
    assert f"checked {count:,} records in 1 file" in done.stdout
    assert done.stdout.rstrip().endswith("valid")


def test_non_json_and_over_long_lines_are_errors_on_their_line(
    corpus_records: dict[str, list[Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = _lines(corpus_records["sources"][:6])
    limit = max(len(line.encode()) for line in lines) + 10
    lines.insert(2, '{"article_id": "x", oops')
    lines.insert(4, "")  # blank lines are skipped but counted
    lines.insert(5, json.dumps({"text": "Kỳ Anh " * limit}, ensure_ascii=False))
    lines.append("[1, 2")
    path = _write(tmp_path / "sources.jsonl", lines)
    code = main(["validate", str(path), "--max-line-bytes", str(limit), "--json", "--quiet"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    found = [(e["line"], e["kind"]) for e in report["errors"]]
    assert found == [(3, "json"), (6, "too_long"), (len(lines), "json")]
    assert report["records"] == len(lines) - 1


def test_max_errors_stops_early_and_says_so(
    corpus_records: dict[str, list[Any]], tmp_path: Path
) -> None:
    lines = ["not json"] * 7 + _lines(corpus_records["articles"][:3])
    path = _write(tmp_path / "articles.jsonl", lines)
    report = validate_paths([path], max_errors=3)
    assert [issue.line for issue in report.issues] == [1, 2, 3]
    assert report.truncated
    assert "stopped early" in report.summary()
    unlimited = validate_paths([path], max_errors=0)
    assert len(unlimited.issues) == 7 and not unlimited.truncated
    exact = validate_paths([path], max_errors=7)
    assert len(exact.issues) == 7 and not exact.truncated


def test_jobs_split_a_file_and_give_the_same_report(
    corpus_records: dict[str, list[Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kyanh_corpus.validate import jsonl, runner

    monkeypatch.setattr(runner, "UNIT_BYTES", 4096)  # many small units from a small file
    lines = _lines(corpus_records["articles"]) * 3
    for index in (0, 31, 45, 89):
        lines[index] = lines[index].replace('"genre":"', '"genre":"x', 1)
    lines[60] = "{"
    path = _write(tmp_path / "articles.jsonl", lines)
    one = validate_paths([path], jobs=1)
    two = validate_paths([path], jobs=2)
    assert len(jsonl.line_ranges(str(path), 8, runner.UNIT_BYTES)) > 4
    # the same text, offending values included (they come back from the worker processes)
    assert [str(issue) for issue in two.issues] == [str(issue) for issue in one.issues]
    assert [issue.has_value for issue in two.issues] == [True] * 5  # the bad line's text too
    assert two.issues[3].kind == "json" and two.issues[3].value == "{"
    assert all(str(issue.value).startswith("x") for issue in two.issues if issue.kind == "record")
    assert [issue.line for issue in one.issues] == [1, 32, 46, 61, 90]
    assert one.records == two.records == len(lines)


def test_memory_stays_flat_on_an_over_long_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"title": "' + "x" * 24_000_000 + '"}\n{"title": 1}\n')
    tracemalloc.start()
    try:
        report = validate_paths([path], max_line_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert {(issue.line, issue.kind) for issue in report.issues} == {(1, "too_long"), (2, "record")}
    assert peak < 6_000_000, peak


# --------------------------------------------------------------------------- JSON


def test_json_array_and_object_files(corpus_records: dict[str, list[Any]], tmp_path: Path) -> None:
    turns = [record.model_dump(mode="json") for record in corpus_records["interview_turns"][:5]]
    array = tmp_path / "turns.json"
    array.write_text(json.dumps(turns, ensure_ascii=False, indent=2), encoding="utf-8")
    report = validate_paths([array], entity="interview_turns")
    assert report.valid and report.records == 5

    turns[3]["speaker_role"] = "host"
    array.write_text(json.dumps(turns, ensure_ascii=False, indent=2), encoding="utf-8")
    report = validate_paths([array])  # entity from the keys of the first record
    assert [(i.row, i.field, i.kind) for i in report.issues] == [(3, "speaker_role", "record")]
    text = array.read_text("utf-8").splitlines()
    assert text[report.issues[0].line - 1].strip() == "{"  # the line the item starts on
    assert "(item 3)" in str(report.issues[0])

    one = tmp_path / "article.json"
    article = corpus_records["articles"][0].model_dump(mode="json")
    one.write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    assert validate_paths([one]).valid
    del article["title"]
    one.write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    report = validate_paths([one])
    assert [(i.line, i.row, i.field, i.type) for i in report.issues] == [
        (1, None, "title", "missing")
    ]


def test_an_empty_json_array_holds_no_records(tmp_path: Path) -> None:
    path = tmp_path / "sources.json"
    path.write_text("[]", encoding="utf-8")
    report = validate_paths([path])
    assert report.valid and report.records == 0
    unnamed = tmp_path / "x.json"
    unnamed.write_text("[ ]\n", encoding="utf-8")
    with pytest.raises(UsageError, match="--entity"):
        validate_paths([unnamed])


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty file"),
        ('[{"a": 1}', 1, "ends inside"),
        ('[{"a": 1}\n\n {"b": 2}]', 3, "expected ','"),
        ('[{"a": 1}] x', 1, "extra data"),
        ('{"a": 1} {"b": 2}', 1, "one JSON object"),
        ('[{"a": "\\"]"}, ]', 1, "expected a value"),
    ],
)
def test_broken_json_structure_is_an_error_not_a_crash(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "sources.json"
    path.write_text(text, encoding="utf-8")
    report = validate_paths([path])
    assert not report.valid
    assert any(i.kind == "json" and i.line == line and message in i.message for i in report.issues)


def test_json_array_items_are_scanned_incrementally(tmp_path: Path) -> None:
    item = {"article_id": "abcd", "text": '[{\\"}] Kỳ Anh'}
    payload = ("[\n" + ",\n".join(json.dumps(item) for _ in range(20_000)) + "\n]").encode()
    assert len(payload) > 1_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_json_values(io.BytesIO(payload), chunk=65536))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < len(payload)  # the payload itself is not traced: only the buffers are


@st.composite
def _json_documents(draw: st.DrawFn) -> tuple[bytes, list[Any], list[int]]:
    """A JSON array of values with awkward strings, random spacing; the line of each item."""
    strings = st.text(alphabet=st.sampled_from('ab[]{},:"\\\n\t ỳ\u00a0'), max_size=8)
    leaf = st.one_of(strings, st.integers(), st.booleans(), st.none())
    values = st.lists(
        st.recursive(
            leaf,
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(strings, inner, max_size=3),
            max_leaves=8,
        ),
        max_size=8,
    )
    items = draw(values)
    spaces = st.sampled_from(["", " ", "\n", " \n  ", "\r\n", "\t"])
    text = "[" + draw(spaces)
    lines = []
    for index, item in enumerate(items):
        if index:
            text += draw(spaces) + "," + draw(spaces)
        lines.append(text.count("\n") + 1)
        text += json.dumps(item, indent=draw(st.sampled_from([None, 1])), ensure_ascii=False)
    text += draw(spaces) + "]" + draw(spaces)
    return text.encode(), items, lines


@given(_json_documents(), st.integers(min_value=1, max_value=64))
def test_the_json_scanner_finds_every_item_and_its_line(
    document: tuple[bytes, list[Any], list[int]], chunk: int
) -> None:
    payload, items, lines = document
    found = list(iter_json_values(io.BytesIO(payload), chunk=chunk))
    assert [json.loads(data) for _line, _item, data in found if data is not None] == items
    assert [line for line, _item, _data in found] == lines
    assert [item for _line, item, _data in found] == list(range(len(items)))


def test_the_json_scanner_reports_a_value_beyond_the_bound_without_keeping_it() -> None:
    payload = b'[{"a": 1}, "' + b"x" * 5000 + b'", {"b": 2}]'
    found = list(iter_json_values(io.BytesIO(payload), max_bytes=100, chunk=64))
    assert found == [(1, 0, b'{"a": 1}'), (1, 1, None), (1, 2, b'{"b": 2}')]
    with pytest.raises(JsonSyntaxError):
        list(iter_json_values(io.BytesIO(b'["abc'), chunk=2))


# --------------------------------------------------------------------------- Parquet


def test_parquet_rows_are_validated_with_their_row_number(
    corpus_records: dict[str, list[Any]], tmp_path: Path
) -> None:
    rows = [record.model_dump() for record in corpus_records["interview_turns"]]
    rows[4]["turn_index"] = -1
    rows[9]["text"] = " "
    path = tmp_path / "data" / "interview_turns" / "train-00000-of-00001.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(
        pa.Table.from_pylist(rows, schema=arrow_schema("interview_turns")), path, row_group_size=4
    )
    report = validate_paths([path], jobs=2)
    assert [(i.row, i.field, i.kind) for i in report.issues] == [
        (4, "turn_index", "record"),
        (9, "text", "record"),
    ]
    assert f"{path} row 9: text:" in str(report.issues[1])
    assert report.records == len(rows)


def test_parquet_with_a_wrong_schema_is_reported(
    corpus_records: dict[str, list[Any]], tmp_path: Path
) -> None:
    good = write_parquet(tmp_path / "articles.parquet", corpus_records["articles"], "articles")
    assert validate_paths([good]).valid
    table = pq.read_table(good)
    wrong = tmp_path / "articles_wrong.parquet"
    pq.write_table(
        table.drop_columns(["lede"]).set_column(0, "article_id", pa.array(range(table.num_rows))),
        wrong,
    )
    report = validate_paths([wrong])
    assert [issue.kind for issue in report.issues] == ["schema"]
    assert "missing columns ['lede']" in report.issues[0].message
    assert "article_id is int64, expected string" in report.issues[0].message

    garbage = tmp_path / "sources.parquet"
    garbage.write_bytes(b"PAR1 not really")
    assert [i.kind for i in validate_paths([garbage]).issues] == ["file"]


# --------------------------------------------------------------------------- entities, usage


def test_entity_inference() -> None:
    assert infer_entity(Path("resolutions-2024.jsonl")) == "resolutions"
    assert infer_entity(Path("interview_turn.json")) == "interview_turns"
    assert infer_entity(Path("x/sources/part.parquet")) == "sources"
    for config, model in ENTITIES.items():
        assert infer_entity(Path("x.jsonl"), list(model.model_fields)) == config
        required = [n for n, f in model.model_fields.items() if f.is_required()]
        assert infer_entity(Path("x.jsonl"), required) == config
    assert infer_entity(Path("x.jsonl"), ["foo", "bar"]) is None
    assert infer_entity(Path("x.jsonl")) is None


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    unknown = _write(tmp_path / "records.jsonl", ['{"foo": 1}'])
    assert main(["validate", str(unknown), "--quiet"]) == 2
    assert "--entity" in capsys.readouterr().err
    assert main(["validate", str(unknown), "--entity", "sources", "--quiet"]) == 1
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["validate", str(unknown), "--entity", "nope"]) == 2
    other = tmp_path / "articles.csv"
    other.write_text("a,b\n", encoding="utf-8")
    assert main(["validate", str(other)]) == 2
    assert "unsupported file type" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["validate", str(unknown), "--jobs", "-1"])
    assert caught.value.code == 2
    with pytest.raises(UsageError):
        validate_paths([])


# --------------------------------------------------------------------------- property


_BREAKERS = ("not json", "drop", "extra", "truncate", "wrong type")


def _break(line: str, how: str) -> str:
    if how == "not json":
        return "{'single': quotes}"
    if how == "truncate":
        return line[: len(line) // 2]
    obj = json.loads(line)
    if how == "drop":
        obj.pop(next(iter(obj)))
    elif how == "extra":
        obj["zz_unknown_field"] = 1
    else:
        obj[next(iter(obj))] = [1, 2]
    return json.dumps(obj, ensure_ascii=False)


@given(
    st.sampled_from(list(ENTITIES)).flatmap(
        lambda config: st.tuples(st.just(config), record_lists(config, min_size=1, max_size=8))
    ),
    st.data(),
)
def test_validate_finds_exactly_the_mutated_lines(
    generated: tuple[str, list[Any]], data: st.DataObject
) -> None:
    config, records = generated
    lines = _lines(records)
    broken = data.draw(st.sets(st.integers(0, len(lines) - 1), max_size=len(lines)))
    for index in broken:
        lines[index] = _break(lines[index], data.draw(st.sampled_from(_BREAKERS)))
    blank_before = data.draw(st.sets(st.integers(0, len(lines)), max_size=2))
    text_lines: list[str] = []
    expected_lines = []
    for index, line in enumerate(lines):
        if index in blank_before:
            text_lines.append("")
        text_lines.append(line)
        if index in broken:
            expected_lines.append(len(text_lines))
    with tempfile.TemporaryDirectory() as tmp:
        path = _write(Path(tmp) / f"{config}.jsonl", text_lines)
        report = validate_paths([path], max_errors=0)
    assert sorted({issue.line for issue in report.issues}) == expected_lines
    assert report.records == len(lines)


# --------------------------------------------------------------------------- JSON limits


@pytest.mark.parametrize("jobs", [1, 2])
def test_records_beyond_the_json_limits_are_located_errors_in_any_number_of_processes(
    corpus_records: dict[str, list[Any]], tmp_path: Path, jobs: int
) -> None:
    from kyanh_corpus.limits import Limits

    records = corpus_records["sources"][:6]
    limit = max(len(record.text) for record in records)
    lines = _lines(records)
    lines[1] = lines[1][:-1] + ', "text": "twice"}'
    lines[3] = '{"text": "' + "ỳ" * (limit + 1) + '"}'
    lines[4] = '{"n": [' + "1" * 40 + "]}"
    path = _write(tmp_path / "sources.jsonl", lines)
    report = validate_paths([path], jobs=jobs, limits=Limits(max_value_chars=limit))
    found = [(i.line, i.field, str(i.kind)) for i in report.issues]
    assert found == [(2, "text", "json"), (4, "text", "limit"), (5, "n[0]", "limit")]
    shown = str(report.issues[1])
    assert f"sources.jsonl:4: text: a string longer than {limit:,} characters" in shown
    assert len(shown) < 300


def test_checking_records_leaves_no_cycles_that_grow_with_the_records(
    corpus_records: dict[str, list[Any]], tmp_path: Path
) -> None:
    """check_jsonl and check_json pause the cyclic collector while they check records: that is
    only free if checking valid records leaves no cycle at all, and bad ones (invalid, not JSON,
    a key twice, nested too deep) no more than a fixed few per file (the last error's), however
    many there are: nothing piles up while the collector is paused."""
    from kyanh_corpus.validate.json_scan import check_json
    from kyanh_corpus.validate.jsonl import check_jsonl

    good = _lines(corpus_records["articles"][:5])
    invalid = json.loads(good[0])
    invalid["paragraphs"][0]["span"]["end"] = -4
    bad = [
        json.dumps(invalid, ensure_ascii=False),
        "{not json",
        good[1][:-1] + ', "title": "twice"}',
        "[" * 100 + "]" * 100,
    ]

    def garbage(lines: list[str], errors: int) -> tuple[int, int]:
        """Cycles left by checking ``lines`` as JSON Lines, and as one JSON array."""
        jsonl = _write(tmp_path / "articles.jsonl", lines)
        array = tmp_path / "articles.json"
        items = [line for line in lines if line != "{not json"]  # would end the array
        array.write_text("[" + ",\n".join(items) + "]", encoding="utf-8")
        size = jsonl.stat().st_size
        check_jsonl(str(jsonl), "articles", 0, size, 1 << 20)  # caches fill on first use
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            # the results are kept: their diagnostics are not garbage
            lines_result = check_jsonl(str(jsonl), "articles", 0, size, 1 << 20)
            assert len(lines_result.issues) == errors
            left = gc.collect()
            array_result = check_json(str(array), "articles", 1 << 20)
            assert len(array_result.issues) == errors * 3 // 4
            return left, gc.collect()
        finally:
            if was_enabled:
                gc.enable()

    assert garbage(good, 0) == (0, 0)
    assert garbage(good + bad, 4) == garbage(good + bad * 20, 80)
