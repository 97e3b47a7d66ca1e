"""``validate DIR`` on built folders: checksums, counts, schemas, keys, spans, staleness."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kyanh_corpus.errors import Diagnostic
from kyanh_corpus.features import arrow_schema
from kyanh_corpus.models import Span
from kyanh_corpus.validate import Report, validate_folder, validate_paths
from support.folderkit import (
    Corpus,
    copy_folder,
    flip_byte,
    make_corpus,
    real_build,
    write_folder,
    write_manifest,
)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return make_corpus(30, seed=11)


@pytest.fixture(scope="module")
def folder(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("vf") / "corpus", corpus, shard_rows=20)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return real_build(tmp_path_factory.getbasetemp())


def _variant(corpus: Corpus, tmp_path: Path, **changes: list[Any]) -> Path:
    configs = corpus.by_config()
    configs.update(changes)
    return write_folder(tmp_path / "variant", configs, shard_rows=20)


def _kinds(report: Report) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(i.kind, Path(i.file).name, i.row, i.field) for i in report.issues]


def _only(report: Report, kind: str) -> list[Diagnostic]:
    assert {issue.kind for issue in report.issues} == {kind}, report.issues
    return report.issues


def test_a_consistent_folder_is_valid(corpus: Corpus, folder: Path) -> None:
    report = validate_folder(folder)
    assert report.valid, report.issues
    assert report.records == sum(len(records) for records in corpus.by_config().values())
    assert str(folder / "manifest.json") in report.files
    assert validate_folder(folder, jobs=2).records == report.records


def test_a_flipped_byte_is_caught_and_named_through_the_cli(folder: Path, tmp_path: Path) -> None:
    damaged = copy_folder(folder, tmp_path / "damaged")
    target = damaged / "data" / "sources" / "train-00001-of-00002.parquet"
    flip_byte(target, target.stat().st_size // 3)
    done = subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", "validate", str(damaged), "--json", "--quiet"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    checksum = [e for e in report["errors"] if e["kind"] == "checksum"]
    assert [e["file"] for e in checksum] == [str(target)]
    assert "sha256" in checksum[0]["message"]


def test_duplicate_primary_keys_are_reported(corpus: Corpus, tmp_path: Path) -> None:
    articles = [*corpus.articles, corpus.articles[5]]
    turns = [*corpus.interview_turns, corpus.interview_turns[2]]
    resolutions = [*corpus.resolutions, corpus.resolutions[0]]
    resolutions.sort(key=lambda r: r.resolution_id)
    out = _variant(
        corpus, tmp_path, articles=articles, interview_turns=turns, resolutions=resolutions
    )
    issues = _only(validate_folder(out), "primary_key")
    assert [(Path(i.file).parent.name, Path(i.file).name, i.row) for i in issues] == [
        ("articles", "train-00001-of-00002.parquet", 10),
        (
            "interview_turns",
            sorted((out / "data/interview_turns").glob("*"))[-1].name,
            (len(turns) - 1) % 20,
        ),
        ("resolutions", "train-00000-of-00001.parquet", 1),
    ]
    assert corpus.articles[5].article_id in issues[0].message


def test_dangling_foreign_keys_are_reported(corpus: Corpus, tmp_path: Path) -> None:
    ghost = "bai-99999-000000000000"
    turns = list(corpus.interview_turns)
    turns[3] = turns[3].model_copy(update={"article_id": ghost})
    resolutions = list(corpus.resolutions)
    mentions = list(resolutions[1].mentions)
    mentions[0] = mentions[0].model_copy(update={"article_id": ghost})
    resolutions[1] = resolutions[1].model_copy(update={"mentions": mentions})
    orphan = corpus.sources[0].model_copy(update={"article_id": "bai-88888-000000000000"})
    sources = [*corpus.sources, orphan]
    out = _variant(
        corpus, tmp_path, interview_turns=turns, resolutions=resolutions, sources=sources
    )
    issues = _only(validate_folder(out), "foreign_key")
    assert sorted((Path(i.file).parent.name, i.row, i.field) for i in issues) == [
        ("interview_turns", 3, "article_id"),
        ("resolutions", 1, "mentions[0].article_id"),
        ("sources", 10, "article_id"),
    ]
    assert [ghost in issue.message for issue in issues] == [False, True, True]


def test_an_article_without_source_text_is_reported(corpus: Corpus, tmp_path: Path) -> None:
    sources = corpus.sources[:7] + corpus.sources[8:]
    turns = [t for t in corpus.interview_turns if t.article_id != corpus.articles[7].article_id]
    resolutions = []
    for resolution in corpus.resolutions:
        kept = [m for m in resolution.mentions if m.article_id != corpus.articles[7].article_id]
        if kept:
            resolutions.append(resolution.model_copy(update={"mentions": kept}))
    out = _variant(
        corpus, tmp_path, sources=sources, interview_turns=turns, resolutions=resolutions
    )
    issues = _only(validate_folder(out), "foreign_key")
    assert [(i.row, "no source text" in i.message) for i in issues] == [(7, True)]


def test_spans_that_do_not_match_their_text_are_reported(corpus: Corpus, tmp_path: Path) -> None:
    articles = list(corpus.articles)
    article = articles[12]
    paragraphs = list(article.paragraphs)
    paragraphs[1] = paragraphs[1].model_copy(update={"text": paragraphs[1].text + " Thêm."})
    articles[12] = article.model_copy(update={"paragraphs": paragraphs})
    source_length = len(corpus.sources[20].text)
    captions = list(articles[20].captions)
    assert captions, "the seed gives article 20 a caption"
    captions[0] = captions[0].model_copy(
        update={"span": Span(start=source_length - 2, end=source_length + 5)}
    )
    articles[20] = articles[20].model_copy(update={"captions": captions})
    turns = list(corpus.interview_turns)
    turns[0] = turns[0].model_copy(update={"text": "Một câu hỏi khác."})
    resolutions = list(corpus.resolutions)
    mentions = list(resolutions[0].mentions)
    mentions[1] = mentions[1].model_copy(update={"surface": "Nghị quyết 99"})
    resolutions[0] = resolutions[0].model_copy(update={"mentions": mentions})
    out = _variant(
        corpus, tmp_path, articles=articles, interview_turns=turns, resolutions=resolutions
    )
    issues = _only(validate_folder(out), "span")
    found = {(Path(i.file).parent.name, i.row, i.field) for i in issues}
    expected = {
        ("articles", 12, "paragraphs[1].span"),
        ("interview_turns", 0, "spans"),
        ("resolutions", 0, "mentions[1].span"),
        ("articles", 0, "captions[0].span"),  # article 20 is row 0 of the second shard
    }
    assert found == expected
    by_field = {i.field: i.message for i in issues}
    assert "Thêm." in by_field["paragraphs[1].span"]
    assert "outside the source text" in by_field["captions[0].span"]


def test_spans_are_checked_whatever_the_order_of_the_sources(
    corpus: Corpus, tmp_path: Path
) -> None:
    """Out-of-order sources take the second pass; results do not depend on the order."""
    shuffled = list(reversed(corpus.sources))
    out = _variant(corpus, tmp_path, sources=shuffled)
    assert validate_folder(out).valid
    articles = list(corpus.articles)
    paragraphs = list(articles[1].paragraphs)
    paragraphs[0] = paragraphs[0].model_copy(update={"text": "Khác hẳn."})
    articles[1] = articles[1].model_copy(update={"paragraphs": paragraphs})
    out2 = _variant(corpus, tmp_path / "two", sources=shuffled, articles=articles)
    issues = _only(validate_folder(out2), "span")
    assert [(i.row, i.field) for i in issues] == [(1, "paragraphs[0].span")]


def test_records_failing_the_model_are_reported_by_row(folder: Path, tmp_path: Path) -> None:
    out = copy_folder(folder, tmp_path / "bad-rows")
    target = out / "data" / "articles" / "train-00001-of-00002.parquet"
    rows = pq.read_table(target).to_pylist()
    rows[3]["genre"] = "opinion"
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema("articles")), target)
    write_manifest(out)
    issues = _only(validate_folder(out), "record")
    assert [(Path(i.file).name, i.row, i.field, i.type) for i in issues] == [
        ("train-00001-of-00002.parquet", 3, "genre", "literal_error")
    ]


def test_schema_manifest_and_staleness_problems(folder: Path, tmp_path: Path) -> None:
    out = copy_folder(folder, tmp_path / "stale")
    turns = sorted((out / "data" / "interview_turns").glob("*.parquet"))[0]
    table = pq.read_table(turns)
    pq.write_table(table.rename_columns([*table.column_names[:-1], "answers"]), turns)
    (out / "schema" / "source.schema.json").write_text("{}\n", encoding="utf-8")
    card = (out / "README.md").read_text("utf-8")
    (out / "README.md").write_text(card.replace("num_examples: 30", "num_examples: 31"), "utf-8")
    write_manifest(out)
    (out / "data" / "sources" / "stray.parquet").write_bytes(b"x")
    (out / "schema" / "article.schema.json").unlink()
    report = validate_folder(out)
    found = {(i.kind, Path(i.file).name) for i in report.issues}
    assert ("schema", turns.name) in found
    assert ("stale", "source.schema.json") in found
    assert ("stale", "article.schema.json") in found
    assert ("stale", "README.md") in found
    assert ("unlisted", "stray.parquet") in found
    assert ("missing", "article.schema.json") in found
    assert not any(i.kind == "record" for i in report.issues)  # a bad schema is one error


def test_row_counts_and_a_missing_manifest(folder: Path, tmp_path: Path) -> None:
    out = copy_folder(folder, tmp_path / "counts")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    manifest["configs"]["sources"]["num_rows"] = 29
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert ("rows", "sources") in {
        (i.kind, Path(i.file).parent.name) for i in validate_folder(out).issues
    }
    (out / "manifest.json").unlink()
    report = validate_folder(out)
    assert [(i.kind, Path(i.file).name) for i in report.issues] == [("manifest", "manifest.json")]


def test_a_real_build_is_valid_and_a_damaged_one_is_not(built: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "kyanh_corpus", "validate", "--quiet"]
    done = subprocess.run([*command, str(built)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("valid")
    both = validate_paths([built], jobs=2)
    assert both.valid and both.records == validate_folder(built).records

    damaged = copy_folder(built, tmp_path / "damaged")
    target = damaged / "data" / "articles" / "train-00000-of-00001.parquet"
    flip_byte(target)
    done = subprocess.run([*command, str(damaged)], capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{target}: sha256 differs" in done.stdout
    arrow = damaged / "hf" / "sources"
    flip_byte(sorted(arrow.glob("*.arrow"))[0])
    report = validate_folder(damaged)
    assert {Path(i.file).parent.name for i in report.issues if i.kind == "checksum"} >= {
        "articles",
        "sources",
    }


def test_stored_text_that_is_not_canonical_is_reported(folder: Path, tmp_path: Path) -> None:
    """The loaders hand stored rows out as they are: ``validate`` must flag any stored value the
    models would change (NFD or padded text), naming file, row and field."""
    import unicodedata

    out = copy_folder(folder, tmp_path / "f")
    target = sorted((out / "data" / "articles").glob("*.parquet"))[0]
    rows = pq.read_table(target).to_pylist()
    stored = " " + unicodedata.normalize("NFD", rows[1]["title"]) + "  "
    rows[1]["title"] = stored
    paragraph = rows[2]["paragraphs"][1]
    paragraph["text"] = unicodedata.normalize("NFD", "Kỳ Anh ") + paragraph["text"]
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema("articles")), target)
    write_manifest(out)
    issues = [i for i in validate_folder(out).issues if i.kind == "canonical"]
    assert [(i.row, i.field) for i in issues] == [(1, "title"), (2, "paragraphs[1].text")]
    assert issues[0].file.endswith(target.name)
    assert issues[0].value == stored  # the stored value is shown
    assert f"(got {stored!r}) [canonical]" in str(issues[0])
