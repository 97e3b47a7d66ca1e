"""The build pipeline as a library (:func:`kyanh_corpus.build.build`), in process.

Inputs, sorting and sidecars; the resolution merge across articles (facts stated by one article
fill the record, conflicting facts are left null and reported); the exact JSON layout of every
JSON file; the streamed JSON writer against ``json.dumps``.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus.build import (
    MAP_PHASE,
    METADATA_PHASE,
    REDUCE_PHASE,
    BuildUsageError,
    build,
    collect_inputs,
    collect_inputs_and_orphans,
    pretty_json,
)
from kyanh_corpus.dataset.manifest import dump_json, listed_files, read_manifest, verify
from kyanh_corpus.features import from_table
from support.builds import ALL_PAGES, make_copies, snapshot
from support.paths import PAGES_DIR, SEED

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_pretty_json_is_json_dumps(value: Any) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    assert pretty_json(value) == expected
    nested = json.dumps({"k": [value]}, ensure_ascii=False, indent=2, sort_keys=True)
    assert nested == '{\n  "k": [\n    ' + pretty_json(value, 4) + "\n  ]\n}"


def test_inputs_are_sorted_by_name_with_their_sidecars(tmp_path: Path) -> None:
    first, second = tmp_path / "b", tmp_path / "a"
    first.mkdir()
    second.mkdir()
    shutil.copy(SEED, first / "z.txt")
    shutil.copy(PAGES_DIR / "pv_interview.txt", second / "m.txt")
    shutil.copy(PAGES_DIR / "pv_interview.meta.json", second / "m.meta.json")
    (second / "notes.md").write_text("not a page", encoding="utf-8")
    named = collect_inputs([first, second, second / "m.txt", second / "m.meta.json"])
    assert [(item.name, item.sidecar) for item in named] == [
        ("m.txt", second / "m.meta.json"),
        ("z.txt", None),
    ]
    shutil.copy(SEED, second / "z.txt")
    with pytest.raises(BuildUsageError, match=r"z\.txt"):
        collect_inputs([first, second])
    with pytest.raises(BuildUsageError, match="no such file"):
        collect_inputs([tmp_path / "nope"])


def test_sidecars_of_no_page_are_reported_not_used(tmp_path: Path) -> None:
    pages, loose = tmp_path / "pages", tmp_path / "loose"
    pages.mkdir()
    loose.mkdir()
    shutil.copy(PAGES_DIR / "pv_interview.txt", pages / "m.txt")
    shutil.copy(PAGES_DIR / "pv_interview.meta.json", pages / "m.meta.json")
    shutil.copy(PAGES_DIR / "pv_interview.meta.json", pages / "mispelt.meta.json")
    shutil.copy(PAGES_DIR / "pv_interview.meta.json", loose / "x.meta.json")
    named, orphans = collect_inputs_and_orphans([pages, loose / "x.meta.json"])
    assert [(item.name, item.sidecar) for item in named] == [("m.txt", pages / "m.meta.json")]
    assert orphans == sorted([str(pages / "mispelt.meta.json"), str(loose / "x.meta.json")])
    result = build([pages, loose / "x.meta.json"], tmp_path / "out")
    assert result.written and result.orphan_sidecars == orphans
    assert result.to_json()["orphan_sidecars"] == orphans
    assert "mispelt.meta.json" not in read_manifest(tmp_path / "out").inputs
    # the built folder does not depend on where the inputs were found: no trace of orphans
    again = build([pages / "m.txt"], tmp_path / "again")
    assert again.orphan_sidecars == []
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "again")
    assert collect_inputs_and_orphans([pages / "m.txt"])[1] == []  # its sidecar is used


def test_a_document_printed_two_ways_in_one_page_builds(tmp_path: Path) -> None:
    """``1234/QĐ-UBND`` and ``1234/QD-UBND`` give one id: one record (once a build crash)."""
    page = tmp_path / "page.txt"
    page.write_text(
        "Tiêu đề bài viết về giải phóng mặt bằng\n\nLời dẫn của bài viết.\n\n"
        "Thị xã triển khai Quyết định số 1234/QĐ-UBND ngày 12/3/2024 của UBND tỉnh Hà Tĩnh.\n\n"
        "Các phường tiếp tục thực hiện Quyết định 1234/QD-UBND.\n",
        encoding="utf-8",
    )
    result = build([page], tmp_path / "out")
    assert result.written and not result.failures
    rows = pq.read_table(tmp_path / "out" / "data" / "resolutions").to_pylist()
    assert [(row["code"], len(row["mentions"])) for row in rows] == [("1234/QĐ-UBND", 2)]


def test_two_pages_may_not_share_a_sidecar(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(PAGES_DIR / "news_report.txt", tmp_path / "a.md")
    shutil.copy(PAGES_DIR / "pv_interview.meta.json", tmp_path / "a.meta.json")
    with pytest.raises(BuildUsageError, match=r"both take the sidecar 'a\.meta\.json'"):
        collect_inputs([tmp_path / "a.txt", tmp_path / "a.md"])
    with pytest.raises(BuildUsageError, match="a sidecar describes one page"):
        build([tmp_path / "a.txt", tmp_path / "a.md"], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [item.name for item in collect_inputs([tmp_path / "a.md"])] == ["a.md"]


def test_every_json_file_has_the_canonical_layout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build([SEED, PAGES_DIR], out)
    assert result.written and not result.failures
    for name in [*listed_files(out), "manifest.json"]:
        if name.endswith(".json") and not name.startswith("hf/"):
            text = (out / name).read_text("utf-8")
            if name.startswith("schema/"):
                continue  # written by features.write_schemas (checked by test_schema_files)
            assert dump_json(json.loads(text)) == text, name


def _conflicting_copies(folder: Path) -> list[Path]:
    """Two copies of the seed (distinct articles) that print different dates for 02-NQ/ThU."""
    first, second = make_copies([SEED], 2, folder)
    text = second.read_text("utf-8")
    stated = "02-NQ/ThU, ngày 3/2/2021"
    assert stated in text
    second.write_text(text.replace(stated, "02-NQ/ThU, ngày 4/2/2021"), encoding="utf-8")
    return [first, second]


def test_resolutions_merge_facts_and_report_conflicts(tmp_path: Path) -> None:
    pages = _conflicting_copies(tmp_path / "pages")
    out = tmp_path / "out"
    result = build(pages, out, keep_going=False)
    assert result.written
    articles = list(from_table(pq.read_table(out / "data" / "articles"), "articles"))
    rows = {
        r.resolution_id: r
        for r in from_table(pq.read_table(out / "data" / "resolutions"), "resolutions")
    }
    # Both dates are in 2021: one document, whose mentions disagree on the day.
    merged = rows["02-nq-thu-ky-anh-2021"]
    assert merged.issued_on == date(2021, 2, 3)  # one mention each: the first stated wins
    # Each copy states "BTV Thị ủy Kỳ Anh" twice after the code and "BCH Đảng bộ thị xã Kỳ
    # Anh" once before it ("... đã ban hành Nghị quyết số 02-NQ/ThU"): the most stated wins.
    assert merged.issuer == "BTV Thị ủy Kỳ Anh"
    assert merged.title is not None
    by_article = [m.article_id for m in merged.mentions]
    assert by_article == sorted(by_article, key=[a.article_id for a in articles].index)
    assert set(by_article) == {a.article_id for a in articles}
    assert [m.issued_on for m in merged.mentions if m.issued_on] == [
        date(2021, 2, 3),
        date(2021, 2, 4),
    ]
    assert rows["1193-qd-tu-2019"].issued_on == date(2019, 12, 5)  # stated alike: no conflict
    report = json.loads((out / "build_report.json").read_text("utf-8"))
    conflicts = {item["field"]: item for item in report["resolution_conflicts"]}
    assert sorted(conflicts) == ["issued_on", "issuer"]
    assert {item["resolution_id"] for item in conflicts.values()} == {"02-nq-thu-ky-anh-2021"}
    dated = conflicts["issued_on"]
    assert dated["kept"] == "2021-02-03"
    values = {item["value"]: item["articles"] for item in dated["values"]}
    assert values == {
        "2021-02-03": [articles[0].article_id],
        "2021-02-04": [articles[1].article_id],
    }
    issuers = {item["value"] for item in conflicts["issuer"]["values"]}
    assert issuers == {"BTV Thị ủy Kỳ Anh", "BCH Đảng bộ thị xã Kỳ Anh"}
    summary = report["summary"]
    assert (summary["resolution_conflicts"], summary["conflicting_documents"]) == (2, 1)
    assert (result.conflicts, result.conflicting_documents) == (2, 1)
    assert summary["ambiguous_documents"] == 0 and report["ambiguous_documents"] == []
    assert verify(out) == []


def test_rebuilding_in_place_replaces_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build([SEED], out)
    second = build(ALL_PAGES, out)
    assert first.dataset_version != second.dataset_version
    assert read_manifest(out).dataset_version == second.dataset_version
    assert read_manifest(out).configs["articles"].num_rows == len(ALL_PAGES)
    assert verify(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_progress_reports_every_page(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    build(ALL_PAGES, tmp_path / "out", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (len(ALL_PAGES), len(ALL_PAGES))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_hf_form_written_by_the_sinks_loads_with_datasets(tmp_path: Path) -> None:
    """``hf/`` is written with pyarrow alone: ``load_from_disk`` reads it, with the declared
    features and the rows of the Parquet files, in order, across shards."""
    import datasets
    import pyarrow.parquet as pq

    from kyanh_corpus.build.sinks import ConfigWriter, HfSink, ParquetSink
    from kyanh_corpus.features import features, to_table
    from kyanh_corpus.models import Source

    text = SEED.read_text("utf-8")
    records = [
        Source(
            article_id=f"page-{index:06d}",
            source_file=f"{index:06d}.txt",
            raw_sha256=f"{index:064x}",
            text=text[: 1 + (index * 37) % 3000],
        )
        for index in range(2_345)
    ]
    root = tmp_path / "root"
    writer = ConfigWriter("sources", 1_000, [ParquetSink(root, "sources"), HfSink(root, "sources")])
    for start in range(0, len(records), 77):
        writer.write(to_table(records[start : start + 77], "sources"))
    shards = writer.close(lambda names: "0123456789abcdef")
    assert len(shards) == 3
    loaded = datasets.load_from_disk(str(root / "hf" / "sources"))
    assert loaded.features == features("sources")
    state = json.loads((root / "hf" / "sources" / "state.json").read_text("utf-8"))
    assert state["_fingerprint"] == "0123456789abcdef"
    assert len(loaded.cache_files) == 3
    parquet = pq.read_table(root / "data" / "sources")
    assert loaded.data.table.select(parquet.column_names).to_pylist() == parquet.to_pylist()
    assert loaded[1234]["article_id"] == "page-001234"


def test_resolution_merge_is_the_same_whatever_the_window(tmp_path: Path) -> None:
    import pyarrow as pa

    from kyanh_corpus.build.ledger import Ledger
    from kyanh_corpus.build.map_step import extract_chunk
    from kyanh_corpus.build.merge import ResolutionMerger
    from kyanh_corpus.build.sinks import ConfigWriter, ParquetSink
    from kyanh_corpus.dataset.json import JsonItems
    from kyanh_corpus.extract import extract_file

    pages = make_copies(ALL_PAGES, 12, tmp_path / "pages")
    chunk = extract_chunk([(str(page), None) for page in pages], None)
    seqs = [seq for seq, item in enumerate(chunk.outcomes) for _ in range(item.mentions)]
    outputs = []
    for window in (1, 3, 65_536):
        work = tmp_path / f"work-{window}"
        work.mkdir()
        ledger = Ledger(work / "ledger.sqlite")
        merger = ResolutionMerger(work, ledger, window=window)
        for seq, outcome in enumerate(chunk.outcomes):
            assert outcome.article_id is not None
            merger.add(outcome.article_id, seq, outcome.resolutions)
        mentions = chunk.mentions.add_column(1, "seq", pa.array(seqs, pa.int64()))
        for start in range(0, mentions.num_rows, 7):  # several batches, as partitions give
            merger.add_mentions(mentions.slice(start, 7))
        sink = ParquetSink(tmp_path / f"out-{window}", "resolutions")
        writer = ConfigWriter("resolutions", 5, [sink])
        items = JsonItems(work / "conflicts.json")
        merger.finish(writer, items)
        items.close()
        conflicts = items.path.read_text("utf-8")
        ledger.close()
        names = writer.close()
        outputs.append(
            (conflicts, [(tmp_path / f"out-{window}" / name).read_bytes() for name in names])
        )
    assert outputs[0] == outputs[1] == outputs[2]
    rows = pq.read_table(tmp_path / "out-1" / "data" / "resolutions")
    merged = list(from_table(rows, "resolutions"))
    assert sum(len(r.mentions) for r in merged) == sum(
        len(m.mentions) for page in pages for m in extract_file(page).resolutions
    )


def test_another_output_form_is_one_more_sink(tmp_path: Path) -> None:
    """A sink sees the row groups and shards the Parquet files get: a JSON Lines form of the
    same rows needs one class."""
    from kyanh_corpus.build.sinks import Closing, ConfigWriter, ParquetSink, Sink
    from kyanh_corpus.features import to_table
    from kyanh_corpus.models import Source

    class JsonLinesSink(Sink):
        def __init__(self, root: Path, config: str) -> None:
            self.folder = root / "jsonl" / config
            self.folder.mkdir(parents=True)
            self.closings: list[Closing] = []

        def write(self, group: Any, shard: int) -> None:
            with (self.folder / f"{shard:05d}.jsonl").open("a", encoding="utf-8") as out:
                for row in group.to_pylist():
                    out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")

        def close(self, closing: Closing) -> list[str]:
            self.closings.append(closing)
            return sorted(f"jsonl/sources/{path.name}" for path in self.folder.iterdir())

        def abort(self) -> None:
            pass

    records = [
        Source(article_id=f"p-{i:03d}", source_file=f"{i:03d}.txt", raw_sha256=f"{i:064x}",
               text="Kỳ Anh " * (1 + i % 7))
        for i in range(25)
    ]  # fmt: skip
    jsonl = JsonLinesSink(tmp_path, "sources")
    writer = ConfigWriter("sources", 10, [ParquetSink(tmp_path, "sources"), jsonl])
    for start in range(0, len(records), 7):
        writer.write(to_table(records[start : start + 7], "sources"))
    names = writer.close(lambda names: f"{len(names)} data files")
    assert len(names) == 3
    assert [pq.read_metadata(tmp_path / name).num_rows for name in names] == [
        sum(1 for _ in path.open(encoding="utf-8"))
        for path in sorted((tmp_path / "jsonl" / "sources").iterdir())
    ]
    assert jsonl.closings == [Closing(rows=25, nbytes=writer.nbytes, shards=3,
                                      fingerprint="3 data files")]  # fmt: skip


def test_a_failure_is_an_extraction_diagnostic_that_crosses_processes() -> None:
    import pickle

    from kyanh_corpus.build import Failure
    from kyanh_corpus.errors import Diagnostic, DiagnosticKind

    failure = Failure("a.meta.json", 1, "sidecar is not JSON", "url")
    assert isinstance(failure, Diagnostic) and failure.kind is DiagnosticKind.EXTRACTION
    assert (failure.file, failure.line, failure.field, failure.message) == (
        "a.meta.json", 1, "url", "sidecar is not JSON"
    )  # fmt: skip
    assert str(failure) == "a.meta.json:1: sidecar is not JSON"
    assert failure.to_json() == {
        "file": "a.meta.json", "line": 1, "reason": "sidecar is not JSON", "field": "url"
    }  # fmt: skip
    copy = pickle.loads(pickle.dumps(failure))
    assert copy == failure and not copy.has_value and str(copy) == str(failure)


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_covers_extraction_merge_writing_and_metadata(tmp_path: Path, jobs: int) -> None:
    phases: list[tuple[str, int]] = []
    steps: list[tuple[str, int, int]] = []
    build(
        ALL_PAGES,
        tmp_path / "out",
        jobs=jobs,
        progress=lambda done, total: steps.append((phases[-1][0], done, total)),
        phase=lambda name, total: phases.append((name, total)),
    )
    assert [name for name, _ in phases] == [MAP_PHASE, REDUCE_PHASE, METADATA_PHASE]
    for name, total in phases:
        seen = [done for phase, done, _ in steps if phase == name]
        assert seen[0] == 0 and seen[-1] == total and seen == sorted(seen), name
