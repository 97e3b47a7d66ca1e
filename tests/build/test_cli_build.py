"""``kyanh-corpus build`` end to end, through the real command line in a subprocess.

The inputs are the seed page (data/raw) and the extra pages of tests/pages; the folder is read back
by the tools a user has: ``datasets.load_dataset`` (the resolution the Hub performs),
``datasets.load_from_disk``, DuckDB, pyarrow and the manifest checks.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kyanh_corpus.build import ROW_GROUP_ROWS
from kyanh_corpus.dataset.manifest import listed_files, read_manifest, verify
from kyanh_corpus.features import features, from_table, schema_files
from support.builds import (
    ALL_PAGES,
    CONFIGS,
    TEST_PAGES,
    build_with_cli,
    make_copies,
    run_cli,
    snapshot,
)
from support.paths import PAGES_DIR, SEED


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "corpus"
    assert build_with_cli(out)["built"] == len(ALL_PAGES)
    return out


def siblings(folder: Path) -> list[str]:
    """Hidden work folders next to ``folder`` (a finished or failed build leaves none)."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def test_layout_is_the_designed_one(built: Path) -> None:
    manifest = read_manifest(built)
    expected = {"README.md", "LICENSE-DATA", "build_report.json", "croissant.json"}
    expected |= {f"schema/{name}" for name in schema_files()}
    for config in CONFIGS:
        expected.add(f"data/{config}/train-00000-of-00001.parquet")
        expected |= {
            f"hf/{config}/{name}"
            for name in ("data-00000-of-00001.arrow", "dataset_info.json", "state.json")
        }
    assert set(listed_files(built)) == expected
    assert set(manifest.files) == expected
    for name, text in schema_files().items():
        assert (built / "schema" / name).read_text("utf-8") == text
    assert siblings(built) == []


def test_manifest_verifies_and_names_every_input(built: Path) -> None:
    manifest = read_manifest(built)
    assert verify(built) == []
    names = {page.name for page in ALL_PAGES}
    names |= {p.name for p in PAGES_DIR.glob("*.meta.json")}
    assert set(manifest.inputs) == names
    assert manifest.dataset_version.startswith("1.0.0+")
    assert manifest.configs["articles"].num_rows == len(ALL_PAGES)


@pytest.mark.parametrize("config", CONFIGS)
def test_load_dataset_gives_the_declared_features(built: Path, config: str, tmp_path: Path) -> None:
    import datasets

    loaded = datasets.load_dataset(
        str(built), config, split="train", cache_dir=str(tmp_path / "cache")
    )
    assert loaded.features == features(config)
    assert loaded.num_rows == read_manifest(built).configs[config].num_rows
    on_disk = datasets.load_from_disk(str(built / "hf" / config))
    assert on_disk.features == features(config)
    parquet = pq.read_table(built / "data" / config, schema=features(config).arrow_schema)
    assert on_disk.data.table.to_pylist() == parquet.to_pylist() == loaded.data.table.to_pylist()


def test_duckdb_counts_equal_the_manifest(built: Path) -> None:
    import duckdb

    manifest = read_manifest(built)
    expected = {config: entry.num_rows for config, entry in manifest.configs.items()}
    for config in CONFIGS:
        pattern = (built / "data" / config).as_posix() + "/*.parquet"
        rows = duckdb.sql(f"SELECT count(*) FROM '{pattern}'").fetchall()
        assert rows == [(expected[config],)]
    pattern = (built / "data").as_posix() + "/*/*.parquet"
    per_config = duckdb.sql(
        "SELECT regexp_extract(filename, 'data/([a-z_]+)/train-', 1) AS config, count(*) "
        f"FROM read_parquet('{pattern}', filename=true, union_by_name=true) GROUP BY config"
    ).fetchall()
    assert dict(per_config) == {config: rows for config, rows in expected.items() if rows}


def test_rows_are_typed_and_resolutions_merged_across_articles(built: Path) -> None:
    order = {page.name: index for index, page in enumerate(sorted(ALL_PAGES, key=lambda p: p.name))}
    articles = list(from_table(pq.read_table(built / "data" / "articles"), "articles"))
    assert [a.source_file for a in articles] == sorted(order, key=order.__getitem__)
    position = {article.article_id: index for index, article in enumerate(articles)}
    resolutions = list(from_table(pq.read_table(built / "data" / "resolutions"), "resolutions"))
    ids = [r.resolution_id for r in resolutions]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert any(len({m.article_id for m in r.mentions}) > 1 for r in resolutions)
    for resolution in resolutions:
        keys = [(position[m.article_id], m.span.start) for m in resolution.mentions]
        assert keys == sorted(keys)


def test_same_inputs_named_differently_give_identical_bytes(built: Path, tmp_path: Path) -> None:
    # Files named one by one, in reverse order, from another folder, with 2 worker processes.
    staged = tmp_path / "elsewhere"
    staged.mkdir()
    for page in [*ALL_PAGES, *PAGES_DIR.glob("*.meta.json")]:
        shutil.copy(page, staged / page.name)
    names = sorted((p for p in staged.glob("*.txt")), reverse=True)
    out = tmp_path / "nested" / "second"
    done = run_cli("build", *names, "--out", out, "--jobs", "2", "--quiet")
    assert done.returncode == 0, done.stderr
    assert snapshot(out) == snapshot(built)


def _bad_pages(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    binary = folder / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    empty = folder / "empty.txt"
    empty.write_bytes(b"")
    good = folder / SEED.name
    shutil.copy(SEED, good)
    return [binary, empty, good]


def test_bad_inputs_report_every_failure_and_write_nothing(built: Path, tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    shutil.copytree(built, existing)
    before = snapshot(existing)
    pages = tmp_path / "pages"
    _bad_pages(pages)
    done = run_cli("build", pages, "--out", existing, "--json")
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert summary["written"] is False
    failed = {item["file"]: item for item in summary["failed"]}
    assert set(failed) == {"binary.txt", "empty.txt"}
    assert all(item["reason"] for item in failed.values())
    for name in failed:
        assert name in done.stderr
    assert snapshot(existing) == before
    assert siblings(existing) == []
    fresh = tmp_path / "new" / "fresh"
    assert run_cli("build", pages, "--out", fresh, "--quiet").returncode == 1
    assert not (tmp_path / "new").exists()


def test_keep_going_builds_the_good_pages_and_records_failures(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    _bad_pages(pages)
    out = tmp_path / "out"
    done = run_cli("build", pages, "--out", out, "--keep-going", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["written"] and summary["built"] == 1 and len(summary["failed"]) == 2
    report = json.loads((out / "build_report.json").read_text("utf-8"))
    status = {item["file"]: item for item in report["inputs"]}
    assert status[SEED.name]["status"] == "ok"
    for name in ("binary.txt", "empty.txt"):
        assert status[name]["status"] == "failed"
        assert status[name]["errors"] and status[name]["errors"][0]["reason"]
    assert report["summary"]["failed"] == 2
    assert set(read_manifest(out).inputs) == {SEED.name}
    assert verify(out) == []


def test_duplicate_page_is_an_error_naming_the_first(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(SEED, pages / "a.txt")
    shutil.copy(SEED, pages / "b.txt")
    done = run_cli("build", pages, "--out", tmp_path / "out", "--json", "--quiet")
    assert done.returncode == 1
    (failure,) = json.loads(done.stdout)["failed"]
    assert failure["file"] == "b.txt" and "a.txt" in failure["reason"]
    kept = tmp_path / "kept"
    done = run_cli("build", pages, "--out", kept, "--keep-going", "--quiet")
    assert done.returncode == 0, done.stderr
    alone = tmp_path / "alone"
    assert run_cli("build", pages / "a.txt", "--out", alone, "--quiet").returncode == 0
    for config in CONFIGS:  # the duplicate left no row behind (turns, mentions...)
        assert snapshot(kept / "data" / config) == snapshot(alone / "data" / config)


def test_usage_errors_exit_2_and_touch_nothing(tmp_path: Path) -> None:
    assert run_cli("build", tmp_path / "missing", "--out", tmp_path / "o").returncode == 2
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", encoding="utf-8")
    done = run_cli("build", SEED, "--out", precious)
    assert done.returncode == 2 and "refusing" in done.stderr
    assert snapshot(precious) == {"notes.txt": snapshot(precious)["notes.txt"]}
    assert run_cli("build", SEED, "--out", tmp_path / "o", "--shard-rows", "0").returncode == 2
    assert run_cli("build", SEED, "--out", tmp_path / "o", "--jobs", "-1").returncode == 2
    assert (
        run_cli("build", SEED, "--out", tmp_path / "o", "--source", "Not A Domain").returncode == 2
    )
    empty = tmp_path / "no-pages"
    empty.mkdir()
    assert run_cli("build", empty, "--out", tmp_path / "o").returncode == 2
    assert not (tmp_path / "o").exists()
    shared = tmp_path / "shared"
    shared.mkdir()
    for name in ("a.txt", "a.md"):
        shutil.copy(SEED, shared / name)
    (shared / "a.meta.json").write_text("{}", encoding="utf-8")
    done = run_cli("build", shared / "a.txt", shared / "a.md", "--out", tmp_path / "o")
    assert done.returncode == 2 and "a sidecar describes one page" in done.stderr
    assert not (tmp_path / "o").exists()


def test_a_sidecar_of_no_page_is_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    (folder / "typo.meta.json").write_text('{"published_at": "2021-02-03"}', encoding="utf-8")
    done = run_cli("build", folder, "--out", tmp_path / "o", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "warning:" in done.stderr and "typo.meta.json" in done.stderr


def test_shards_split_by_row_limit(tmp_path: Path) -> None:
    pages = make_copies(ALL_PAGES, 23, tmp_path / "pages")
    out = tmp_path / "out"
    done = run_cli("build", *pages, "--out", out, "--shard-rows", "10", "--json", "--quiet")
    assert done.returncode == 0, done.stderr
    manifest = read_manifest(out)
    assert manifest.configs["articles"].files == tuple(
        f"data/articles/train-{i:05d}-of-00003.parquet" for i in range(3)
    )
    rows = [pq.read_metadata(out / name).num_rows for name in manifest.configs["articles"].files]
    assert rows == [10, 10, 3]
    for config in CONFIGS:
        entry = manifest.configs[config]
        if config == "resolutions":  # written by the reduce, cut by rows
            assert len(entry.files) == max(1, -(-entry.num_rows // 10))
        else:  # one shard per partition of (at most) 10 pages, cut by pages
            assert len(entry.files) == 3
        for name in entry.files:
            metadata = pq.read_metadata(out / name)
            if config != "interview_turns":  # a page has one article, one source
                assert metadata.num_rows <= 10
            assert all(
                metadata.row_group(i).num_rows <= ROW_GROUP_ROWS
                for i in range(metadata.num_row_groups)
            )
        hf = sorted(p.name for p in (out / "hf" / config).glob("*.arrow"))
        assert len(hf) == len(entry.files)
    assert verify(out) == []


def _group_members(group: int) -> list[int]:
    """Live processes of a process group (Linux /proc), zombies excluded."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def test_sigkill_mid_build_leaves_the_previous_folder_intact(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    assert run_cli("build", SEED, "--out", out, "--quiet").returncode == 0
    before = snapshot(out)
    pages = make_copies(TEST_PAGES, 1000, tmp_path / "many")
    process = subprocess.Popen(
        [sys.executable, "-m", "kyanh_corpus", "build", str(tmp_path / "many"), "--out", str(out),
         "--quiet", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not siblings(out) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert siblings(out), "the build never created its work folder next to --out"
        staged = out.parent / siblings(out)[0]
        report = staged / ".work" / "report-inputs.json"
        while process.poll() is None and time.monotonic() < deadline:
            if report.is_file() and report.stat().st_size > 0:
                break  # mid-way: pages are being extracted and written
            time.sleep(0.02)
        assert process.poll() is None, "the build finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)  # the build process only, not its workers
        process.wait()
        if Path("/proc").is_dir():  # its worker processes notice and exit by themselves
            while _group_members(process.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _group_members(process.pid) == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    assert siblings(out)  # the killed build's work folder is left behind...
    assert len(pages) == 1000
    assert run_cli("build", SEED, "--out", out, "--quiet").returncode == 0
    assert siblings(out) == []  # ...and removed by the next build
    assert snapshot(out) == before


def test_info_prints_counts_and_typed_samples(built: Path) -> None:
    done = run_cli("info", built, "--json", "--sample", "1")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    manifest = read_manifest(built)
    assert info["dataset_version"] == manifest.dataset_version
    assert info["counts"] == {c: e.num_rows for c, e in manifest.configs.items()}
    for config in CONFIGS:
        (record,) = info["samples"][config]
        features_names = set(features(config))
        assert set(record) == features_names
    text = run_cli("info", built, "--sample", "1")
    assert text.returncode == 0 and manifest.dataset_version in text.stdout
    assert "InterviewTurn" in text.stdout
    assert run_cli("info", built / "data").returncode == 1


def test_quiet_build_prints_nothing_on_stderr(tmp_path: Path) -> None:
    done = run_cli("build", SEED, "--out", tmp_path / "o", "--quiet")
    assert done.returncode == 0 and done.stderr == ""
    assert "1 articles" in done.stdout


def test_a_config_without_rows_is_written_but_not_declared(tmp_path: Path) -> None:
    import datasets

    from kyanh_corpus.card import read_card_header

    out = tmp_path / "news"
    done = run_cli("build", PAGES_DIR / "news_report.txt", "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    manifest = read_manifest(out)
    assert manifest.configs["interview_turns"].num_rows == 0
    (empty,) = manifest.configs["interview_turns"].files
    metadata = pq.read_metadata(out / empty)
    assert (metadata.num_rows, metadata.num_row_groups) == (0, 0)
    assert pq.read_schema(out / empty) == features("interview_turns").arrow_schema
    header = read_card_header((out / "README.md").read_text("utf-8"))
    declared = [entry["config_name"] for entry in header["configs"]]
    assert declared == [c for c in CONFIGS if c != "interview_turns"]
    assert [entry["config_name"] for entry in header["dataset_info"]] == declared
    for config in declared:
        loaded = datasets.load_dataset(
            str(out), config, split="train", cache_dir=str(tmp_path / "cache")
        )
        assert loaded.features == features(config)
    hf = datasets.load_from_disk(str(out / "hf" / "interview_turns"))
    assert hf.num_rows == 0 and hf.features == features("interview_turns")
    assert verify(out) == []
