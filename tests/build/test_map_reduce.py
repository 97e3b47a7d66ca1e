"""The build as map -> reduce (docs/design.md, "The build as map and reduce").

The map step is a pure function of its task: the same task gives the same files and summary
wherever it runs. The output is the same bytes with one job, two jobs, or another executor; the
reduce finds duplicates across partitions and handles failures without reading any input again.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kyanh_corpus.build import MapTask, build, map_partition, plan_partitions
from kyanh_corpus.build.inputs import collect_inputs
from kyanh_corpus.build.map_step import extract_chunk, mentions_path, shard_files
from kyanh_corpus.dataset.manifest import file_entry
from kyanh_corpus.load import load_articles
from kyanh_corpus.models import STREAMED_CONFIGS
from support.builds import ALL_PAGES, run_cli, snapshot
from support.paths import PAGES_DIR

SHARD_ROWS = 7
"""Small partitions, so that the test pages make several of them."""
PARTITIONS = -(-len(ALL_PAGES) // SHARD_ROWS)


def _copy_pages(dest: Path) -> Path:
    """The test pages (and their sidecars) in ``dest``."""
    dest.mkdir(parents=True)
    for page in ALL_PAGES:
        shutil.copyfile(page, dest / page.name)
    for sidecar in PAGES_DIR.glob("*.meta.json"):
        shutil.copyfile(sidecar, dest / sidecar.name)
    return dest


class DeletingExecutor(ThreadPoolExecutor):
    """A thread pool that deletes each partition's pages (and sidecars) as soon as it is mapped:
    a build through it proves the reduce never reads an input."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        def run_then_delete(task: MapTask) -> Any:
            summary = fn(task)
            for page, sidecar in task.pages:
                Path(page).unlink()
                if sidecar is not None:
                    Path(sidecar).unlink(missing_ok=True)
            return summary

        return super().submit(run_then_delete, *args, **kwargs)


def test_partitions_depend_on_the_inputs_and_shard_rows_only() -> None:
    inputs = collect_inputs([*ALL_PAGES])
    parts = plan_partitions(inputs, SHARD_ROWS)
    assert [len(p) for p in parts] == [7] * (len(inputs) // 7) + (
        [len(inputs) % 7] if len(inputs) % 7 else []
    )
    assert [page for part in parts for page, _ in part] == [i.location for i in inputs]
    # the default: few, large shards for a small corpus
    assert len(plan_partitions(inputs, 10_000)) == 1


def test_output_is_the_same_bytes_whatever_runs_the_map(tmp_path: Path) -> None:
    pages = _copy_pages(tmp_path / "pages")
    one = build([pages], tmp_path / "one", shard_rows=SHARD_ROWS)
    two = build([pages], tmp_path / "two", shard_rows=SHARD_ROWS, jobs=2)
    with ThreadPoolExecutor(3) as threads:
        other = build([pages], tmp_path / "threads", shard_rows=SHARD_ROWS, executor=threads)
    assert one.written and two.written and other.written
    assert one.map is not None and one.map.partitions == PARTITIONS > 4
    reference = snapshot(tmp_path / "one")
    assert snapshot(tmp_path / "two") == reference
    assert snapshot(tmp_path / "threads") == reference
    assert len([name for name in reference if name.startswith("data/articles/")]) == PARTITIONS


def test_the_map_is_a_pure_function_of_its_task(tmp_path: Path) -> None:
    inputs = collect_inputs([*ALL_PAGES])
    pages = plan_partitions(inputs, SHARD_ROWS)[2]
    summaries = []
    for name in ("a", "b"):
        root, work = tmp_path / name, tmp_path / f"{name}-work"
        work.mkdir()
        summary = map_partition(MapTask(2, PARTITIONS, pages, str(root), str(work)))
        summaries.append(dataclasses.replace(summary, seconds=0.0))
        # what the summary says of the files is what is on disk
        for relative, entry in summary.files.items():
            assert file_entry(root / relative) == entry
        for config in STREAMED_CONFIGS:
            data_name, hf_name = shard_files(config, 2, PARTITIONS)
            parquet = pq.read_table(root / data_name)
            with pa.OSFile(str(root / hf_name)) as handle:
                arrow = pa.ipc.open_stream(handle).read_all()
            assert parquet.num_rows == arrow.num_rows == summary.rows[config]
            assert parquet.to_pylist() == arrow.to_pylist()
        mentions = pa.ipc.open_stream(pa.OSFile(str(mentions_path(work, 2)))).read_all()
        assert mentions.num_rows == summary.mentions == sum(o.mentions for o in summary.outcomes)
    assert summaries[0] == summaries[1]
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert [o.name for o in summaries[0].outcomes] == [Path(page).name for page, _ in pages]


def test_the_reduce_reads_no_input_again(tmp_path: Path) -> None:
    """Failures and duplicates across partitions included: the inputs are gone once mapped."""
    reference_pages = _copy_pages(tmp_path / "ref-pages")
    deleted_pages = _copy_pages(tmp_path / "pages")
    for folder in (reference_pages, deleted_pages):
        shutil.copyfile(ALL_PAGES[0], folder / "zz_copy_of_the_first.txt")  # last partition
        (folder / "zz_no_headline.txt").write_text("\n\n", encoding="utf-8")
    expected = build([reference_pages], tmp_path / "ref", shard_rows=SHARD_ROWS, keep_going=True)
    with DeletingExecutor(2) as executor:
        result = build(
            [deleted_pages], tmp_path / "out", shard_rows=SHARD_ROWS, keep_going=True,
            executor=executor,
        )  # fmt: skip
    assert not list(deleted_pages.glob("*.txt"))  # every input was deleted once mapped
    assert result.written and len(result.failures) == 2
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "ref")
    assert [str(f) for f in result.failures] == [str(f) for f in expected.failures]


@pytest.mark.parametrize("copy_name", ["000_d32f6a6557675d4c.zcopy.txt", "zz_copy.txt"])
def test_a_duplicate_found_after_its_shard_was_written(tmp_path: Path, copy_name: str) -> None:
    """A copy in the same partition as its original, or in a later one: a failure naming the
    first; with --keep-going its rows leave its shard (rewritten), the rest stays."""
    pages = _copy_pages(tmp_path / "pages")
    clean = build([pages], tmp_path / "clean", shard_rows=SHARD_ROWS)
    shutil.copyfile(ALL_PAGES[0], pages / copy_name)
    kept = build([pages], tmp_path / "kept", shard_rows=SHARD_ROWS, keep_going=True)
    assert kept.written
    assert [str(f) for f in kept.failures] == [f"{copy_name}: same article as {ALL_PAGES[0].name}"]
    assert kept.reduce is not None
    assert (kept.reduce.duplicates, kept.reduce.rewritten_shards) == (1, 1)
    assert kept.counts == clean.counts
    assert list(load_articles(tmp_path / "kept")) == list(load_articles(tmp_path / "clean"))
    report = json.loads((tmp_path / "kept" / "build_report.json").read_text("utf-8"))
    entry = next(e for e in report["inputs"] if e["file"] == copy_name)
    assert entry["status"] == "failed" and entry["errors"][0]["field"] == "article_id"
    # without --keep-going: nothing is written, the one failure is reported
    stopped = build([pages], tmp_path / "stopped", shard_rows=SHARD_ROWS)
    assert not stopped.written and not (tmp_path / "stopped").exists()
    assert [str(f) for f in stopped.failures] == [str(f) for f in kept.failures]


def test_json_reports_map_and_reduce_separately(tmp_path: Path) -> None:
    pages = _copy_pages(tmp_path / "pages")
    done = run_cli(
        "build", pages, "--out", tmp_path / "out", "--shard-rows", str(SHARD_ROWS), "--json",
        "--quiet", "--jobs", "2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["map"]["partitions"] == PARTITIONS and report["map"]["pages"] == len(ALL_PAGES)
    assert report["map"]["seconds"] > 0 and report["map"]["wall_seconds"] > 0
    assert report["reduce"]["seconds"] > 0
    assert report["reduce"]["documents"] == report["counts"]["resolutions"]
    assert report["reduce"]["duplicates"] == report["reduce"]["rewritten_shards"] == 0


def test_one_shard_per_page_loads_everywhere(tmp_path: Path) -> None:
    """`--shard-rows 1`: a partition, so a shard of every config, per page -- most of them
    without any interview turn (a Parquet file with no row group, an empty Arrow stream). The
    Hub form (`datasets.load_dataset`), the hf/ form and the typed loader read every row."""
    import datasets

    from kyanh_corpus.load import load_interview_turns

    pages = _copy_pages(tmp_path / "pages")
    result = build([pages], tmp_path / "out", shard_rows=1)
    assert result.written and result.map is not None and result.map.partitions == len(ALL_PAGES)
    for config in ("articles", "interview_turns", "sources"):
        assert len(result.shards[config]) == len(ALL_PAGES)
        hub = datasets.load_dataset(str(tmp_path / "out"), config, split="train")
        disk = datasets.load_from_disk(str(tmp_path / "out" / "hf" / config))
        assert len(hub) == len(disk) == result.counts[config], config
        assert hub.to_list() == disk.to_list()
    turns = list(load_interview_turns(tmp_path / "out"))
    assert len(turns) == result.counts["interview_turns"] > 0


def test_extraction_makes_no_reference_cycles(tmp_path: Path) -> None:
    """extract_chunk pauses the cyclic collector (it would walk the chunk's objects over and
    over): that is only free if extraction leaves no cycle for it to find, for good pages and for
    every way a page fails (a missing file, a missing sidecar, undecodable bytes, no article)."""
    undecodable = tmp_path / "undecodable.txt"
    undecodable.write_bytes(b"\xff\xfe\x00 not UTF-8 \xc3")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    pages: list[tuple[str, str | None]] = [(str(page), None) for page in ALL_PAGES]
    pages += [
        (str(tmp_path / "missing.txt"), None),
        (str(ALL_PAGES[0]), str(tmp_path / "missing.meta.json")),
        (str(undecodable), None),
        (str(empty), None),
    ]
    extract_chunk(pages, None)  # first use: pydantic's and the extractor's caches fill
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        chunk = extract_chunk(pages, None)
        assert [o.failure is not None for o in chunk.outcomes][-4:] == [True] * 4
        assert sum(o.failure is None for o in chunk.outcomes) == len(ALL_PAGES)
        del chunk
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
