"""Hostile JSON in sidecars (read by ``build``) and in records (given to ``validate``): duplicate
keys, nesting 100,000 levels deep, 5,000-digit integers, 20 MB values. Each ends in one located
error (file, line, field, reason; the value clipped), never a traceback, a hang or a whole
value printed; the limits are overridable by environment variables (:mod:`kyanh_corpus.limits`).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus.limits import DEFAULTS, JsonLimitError, Limits, json_problem, load_json
from kyanh_corpus.validate import iter_json_values
from support.builds import make_copies
from support.folderkit import make_corpus
from support.paths import SEED

DEEP = 100_000


def _cli(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in a subprocess, with extra environment variables."""
    return subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})},
    )


def _pages(folder: Path, count: int = 3) -> list[Path]:
    return make_copies([SEED], count, folder)


def _sidecar(page: Path, text: str | bytes) -> Path:
    path = page.with_name(page.stem + ".meta.json")
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _deep(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout


@pytest.fixture(scope="module")
def articles() -> list[str]:
    """JSON Lines of valid article records."""
    return [record.model_dump_json() for record in make_corpus(4, seed=5).by_config()["articles"]]


# --------------------------------------------------------------------------- sidecars


def test_a_duplicate_key_in_a_sidecar_is_an_error_on_its_line(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 1)
    _sidecar(pages[0], '{"url": "https://baohatinh.vn/a",\n "url": "https://baohatinh.vn/b"}')
    done = _cli("build", tmp_path / "pages", "--out", tmp_path / "out", "--quiet")
    assert done.returncode == 1, done.stderr
    _no_traceback(done)
    assert f"{pages[0].stem}.meta.json:2: sidecar url: duplicate key 'url'" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_sidecar_nested_100000_deep_fails_its_page_only_with_keep_going(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 3)
    sidecar = _sidecar(pages[1], '{"url": ' + _deep() + "}")
    done = _cli("build", tmp_path / "pages", "--out", tmp_path / "out", "--quiet", "--keep-going")
    assert done.returncode == 0, done.stderr
    _no_traceback(done)
    report = json.loads((tmp_path / "out" / "build_report.json").read_text(encoding="utf-8"))
    assert report["summary"]["built"] == 2 and report["summary"]["failed"] == 1
    failed = [entry for entry in report["inputs"] if entry["status"] == "failed"]
    assert [entry["file"] for entry in failed] == [pages[1].name]
    (error,) = failed[0]["errors"]
    assert error["file"] == sidecar.name and error["line"] == 1
    assert error["field"].startswith("url[0][0]") and len(error["field"]) <= 80
    assert "nested deeper than 64 levels" in error["reason"]
    assert "KYANH_CORPUS_MAX_JSON_DEPTH" in error["reason"]


def test_a_sidecar_nested_100000_deep_stops_the_build_with_one_located_error(
    tmp_path: Path,
) -> None:
    pages = _pages(tmp_path / "pages", 3)
    sidecar = _sidecar(pages[2], '{\n"url": ' + _deep() + "}")
    done = _cli("build", tmp_path / "pages", "--out", tmp_path / "out", "--quiet")
    assert done.returncode == 1
    _no_traceback(done)
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {sidecar.name}:2: sidecar url[0]")
    assert "nested deeper than 64 levels" in errors[0] and len(errors[0]) < 300
    assert not (tmp_path / "out").exists()


def test_a_5000_digit_integer_is_blamed_on_the_sidecar_and_its_field(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 1)
    sidecar = _sidecar(pages[0], '{"source": "baohatinh.vn", "url": ' + "7" * 5000 + "}")
    done = _cli("build", tmp_path / "pages", "--out", tmp_path / "out", "--quiet")
    assert done.returncode == 1
    _no_traceback(done)
    assert f"{sidecar.name}:1: sidecar url: an integer of 5,000 digits" in done.stderr
    assert "KYANH_CORPUS_MAX_INT_DIGITS" in done.stderr
    assert "set_int_max_str_digits" not in done.stderr
    assert "7" * 100 not in done.stderr  # clipped


def test_a_20_mb_sidecar_value_is_refused_in_a_short_message(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages", 1)
    _sidecar(pages[0], '{"url": "https://baohatinh.vn/' + "x" * 20_000_000 + '"}')
    done = _cli("build", tmp_path / "pages", "--out", tmp_path / "out", "--quiet", "--json")
    assert done.returncode == 1
    _no_traceback(done)
    assert "a string longer than 8,388,608 characters" in done.stderr
    assert len(done.stderr) < 500 and len(done.stdout) < 5000
    # a long value under the limit, wrong for its field: clipped in the message too
    _sidecar(pages[0], '{"published_at": "' + "9" * 1_000_000 + '"}')
    done = _cli("build", tmp_path / "pages", "--out", tmp_path / "out", "--quiet")
    assert done.returncode == 1 and "published_at" in done.stderr
    assert len(done.stderr) < 500


def test_raising_a_limit_by_its_environment_variable_lets_the_same_sidecar_through(
    tmp_path: Path,
) -> None:
    pages = _pages(tmp_path / "pages", 1)
    _sidecar(pages[0], json.dumps({"url": "https://baohatinh.vn/" + "a" * 3000}))
    args = ("build", tmp_path / "pages", "--out", tmp_path / "out", "--quiet")
    refused = _cli(*args, env={"KYANH_CORPUS_MAX_VALUE_CHARS": "1000"})
    assert refused.returncode == 1
    assert "a string longer than 1,000 characters" in refused.stderr
    assert "KYANH_CORPUS_MAX_VALUE_CHARS" in refused.stderr
    built = _cli(*args, env={"KYANH_CORPUS_MAX_VALUE_CHARS": "5000"})
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "manifest.json").is_file()


@pytest.mark.parametrize("command", ["build", "validate"])
@pytest.mark.parametrize("value", ["ten", "0", "-3"])
def test_a_bad_limit_variable_is_a_one_line_usage_error(
    tmp_path: Path, command: str, value: str
) -> None:
    page = _pages(tmp_path / "pages", 1)[0]
    records = tmp_path / "articles.jsonl"
    records.write_text("{}\n", encoding="utf-8")
    target = [page, "--out", tmp_path / "out"] if command == "build" else [records]
    done = _cli(command, *target, env={"KYANH_CORPUS_MAX_JSON_DEPTH": value})
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"kyanh-corpus {command}: error: KYANH_CORPUS_MAX_JSON_DEPTH must be a whole number "
        f"of at least 1, not {value!r}"
    )
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- records


def _validate_json(*args: str | Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = _cli("validate", *args, "--json", env=env)
    _no_traceback(done)
    assert done.returncode in (0, 1), done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _where(report: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(e["line"], e["row"], e["field"], e["kind"]) for e in report["errors"]]


def test_a_duplicate_key_in_a_record_is_an_error_with_its_line_and_field(
    tmp_path: Path, articles: list[str]
) -> None:
    lines = list(articles)
    lines[2] = lines[2][:-1] + ', "title": "again"}'
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _validate_json(path)
    assert _where(report) == [(3, None, "title", "json")]
    assert "duplicate key 'title'" in report["errors"][0]["message"]
    # the same records as a JSON array, one per line: the item and its line
    array = tmp_path / "articles.json"
    array.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    assert _where(_validate_json(array)) == [(4, 2, "title", "json")]


def test_a_nested_duplicate_key_names_its_path(tmp_path: Path, articles: list[str]) -> None:
    record = articles[0].replace('"span":{', '"span":{"end":1,', 1)
    assert record != articles[0]
    path = tmp_path / "articles.jsonl"
    path.write_text(record + "\n", encoding="utf-8")
    report = _validate_json(path)
    ((line, row, field, kind),) = _where(report)
    assert (line, row, kind) == (1, None, "json")
    assert field.endswith(".span.end") and "[" in field


def test_a_deep_first_record_with_the_entity_inferred_is_a_located_error(
    tmp_path: Path, articles: list[str]
) -> None:
    # the name tells no entity: the keys of the first good record do
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(['{"a": ' + _deep() + "}", *articles]) + "\n", encoding="utf-8")
    report = _validate_json(path)
    assert report["records"] == 1 + len(articles)
    assert _where(report) == [(1, None, report["errors"][0]["field"], "limit")]
    assert report["errors"][0]["field"].startswith("a[0][0]")
    assert "nested deeper than 64 levels" in report["errors"][0]["message"]
    # a JSON array whose first item is that deep
    array = tmp_path / "records.json"
    array.write_text("[" + ",\n".join([_deep(), *articles]) + "]", encoding="utf-8")
    ((line, row, field, kind), *_others) = _where(_validate_json(array))
    assert (line, row, kind) == (1, 0, "limit") and field.startswith("[0][0]")
    # nothing else to infer from: a one-line usage error naming the record's line and problem
    alone = tmp_path / "alone.jsonl"
    alone.write_text(_deep() + "\n", encoding="utf-8")
    done = _cli("validate", alone)
    assert done.returncode == 2
    _no_traceback(done)
    assert len(done.stderr.strip().splitlines()) == 1
    assert "cannot tell which entity" in done.stderr and "line 1:" in done.stderr
    assert "nested deeper than 64 levels" in done.stderr and "--entity" in done.stderr


def test_a_5000_digit_integer_in_a_record_is_a_located_error(
    tmp_path: Path, articles: list[str]
) -> None:
    record = json.loads(articles[1])
    record["paragraphs"][0]["span"]["end"] = 0  # replaced by the long number below
    text = json.dumps(record).replace('"end": 0', '"end": ' + "8" * 5000, 1)
    path = tmp_path / "articles.jsonl"
    path.write_text(articles[0] + "\n" + text + "\n", encoding="utf-8")
    report = _validate_json(path)
    assert _where(report) == [(2, None, "paragraphs[0].span.end", "limit")]
    error = report["errors"][0]
    assert "an integer of 5,000 digits, more than 30" in error["message"]
    assert len(error["value"]) <= 80
    done = _cli("validate", path)
    assert "set_int_max_str_digits" not in done.stderr + done.stdout


def test_a_20_mb_record_value_is_refused_fast_in_a_short_message(tmp_path: Path) -> None:
    path = tmp_path / "sources.jsonl"
    path.write_bytes(b'{"text": "' + b"\\n" * 10_000_000 + b'"}\n')
    started = time.monotonic()
    done = _cli(
        "validate",
        path,
        "--max-line-bytes",
        "50000000",
        env={"KYANH_CORPUS_MAX_VALUE_CHARS": "1000000"},
    )
    assert time.monotonic() - started < 60
    _no_traceback(done)
    assert done.returncode == 1
    assert "sources.jsonl:1: text: a string longer than 1,000,000 characters" in done.stdout
    assert len(done.stdout) < 500


def test_lowering_and_raising_a_record_limit_by_its_environment_variable(
    tmp_path: Path, articles: list[str]
) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(articles) + "\n", encoding="utf-8")
    assert _validate_json(path)["valid"]
    # an article is 4 levels deep: {"paragraphs": [{"span": {...}}]}
    shallow = _validate_json(path, env={"KYANH_CORPUS_MAX_JSON_DEPTH": "3"})
    assert _where(shallow)[0] == (1, None, "paragraphs[0].span", "limit")
    assert len(shallow["errors"]) == len(articles)
    assert "the limit is KYANH_CORPUS_MAX_JSON_DEPTH" in shallow["errors"][0]["message"]
    assert _validate_json(path, env={"KYANH_CORPUS_MAX_JSON_DEPTH": "4"})["valid"]


def test_validate_into_a_closed_pipe_exits_141_quietly(tmp_path: Path) -> None:
    path = tmp_path / "sources.jsonl"
    path.write_text('{"text": 1}\n' * 20_000, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "kyanh_corpus", "validate", str(path), "--max-errors", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()  # `| head -1`
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141
    assert stderr == ""


# --------------------------------------------------------------------------- the checker


def test_a_json_array_string_of_escapes_is_scanned_fast() -> None:
    """The array scanner jumps from quote to quote (it used to step escape by escape: 100 MB
    took 31 s to reject)."""
    data = b'[{"text": "' + b"\\n" * 15_000_000 + b'\\"\\\\"}, {"a": "\\\\"}]'
    started = time.monotonic()
    items = list(iter_json_values(io.BytesIO(data), max_bytes=1000))
    assert time.monotonic() - started < 5
    assert [(line, item, value) for line, item, value in items] == [
        (1, 0, None),
        (1, 1, b'{"a": "\\\\"}'),
    ]


def test_a_100_mb_string_is_refused_without_decoding_it() -> None:
    data = b'{"text": "' + b"\\u00e9" * 20_000_000 + b'"}'
    started = time.monotonic()
    error = json_problem(data, Limits(max_value_chars=1_000_000))
    assert time.monotonic() - started < 10
    assert error is not None and error.limit == "max_value_chars" and error.field == "text"
    assert error.shown is not None and error.shown.startswith("'éé") and len(error.shown) <= 80


def test_the_depth_limits_of_the_parser_hold_whatever_the_variable_says() -> None:
    error = json_problem(_deep().encode(), Limits(max_json_depth=10**9))
    assert error is not None and "the most the JSON parser reads" in error.reason
    error = json_problem(("[" + "1" * 5000 + "]").encode(), Limits(max_int_digits=10**9))
    assert error is not None and "the most Python reads" in error.reason


def _nest(depth: int, inner: str) -> str:
    text = inner
    for level in range(depth):
        text = f'{{"k{level}": {text}}}' if level % 2 else f"[0, {text}]"
    return text


@given(st.integers(min_value=0, max_value=300), st.integers(min_value=1, max_value=100))
def test_any_depth_gives_the_value_or_a_located_error(depth: int, limit: int) -> None:
    text = _nest(depth, '"x"')
    limits = Limits(max_json_depth=limit)
    try:
        value = load_json(text, limits)
    except JsonLimitError as error:
        assert depth > limit and error.limit == "max_json_depth" and error.line == 1
        assert f"nested deeper than {limit} levels" in error.reason
    else:
        assert depth <= limit and value == json.loads(text)


_KEYS = st.sampled_from(["a", "b", "é", 'q"', "\\", "a\\u0062"])
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30) + 1, 10**30 - 1)  # within the default 30 digits
    | st.floats(allow_nan=False)
    | st.text()
)


def _values(depth: int = 3) -> st.SearchStrategy[str]:
    """JSON texts whose objects may hold a key twice (written by hand, not by ``json.dumps``)."""
    scalar = _SCALARS.map(json.dumps)
    return st.recursive(
        scalar,
        lambda inner: (
            st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]")
            | st.lists(st.tuples(_KEYS.map(json.dumps), inner), max_size=4).map(
                lambda pairs: "{" + ",\n".join(f"{k}: {v}" for k, v in pairs) + "}"
            )
        ),
        max_leaves=12,
    )


@given(_values())
def test_any_object_with_duplicate_keys_gives_the_value_or_a_located_error(text: str) -> None:
    duplicated = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicated
        duplicated = duplicated or len({key for key, _ in items}) != len(items)
        return dict(items)

    expected = json.loads(text, object_pairs_hook=pairs)
    try:
        value = load_json(text, DEFAULTS)
    except JsonLimitError as error:
        assert duplicated and error.limit == "duplicate_key"
        assert 1 <= error.line <= text.count("\n") + 1
        assert error.field is not None
    else:
        assert not duplicated and value == expected


@given(st.binary(max_size=200) | st.text(alphabet='[]{}",:\\ 0123456789ae\n', max_size=200))
def test_any_bytes_give_a_value_a_located_error_or_not_json(data: bytes | str) -> None:
    try:
        load_json(data, Limits(max_json_depth=4, max_value_chars=8, max_int_digits=3))
    except JsonLimitError as error:
        assert error.line >= 1 and len(str(error)) < 300
    except ValueError:
        pass  # not JSON: the caller's parser says where
