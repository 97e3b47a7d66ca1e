"""Benchmarks at archive scale (issue 5): build, typed loading, validate, start-up.

Usage::

    python scripts/bench.py                      # N = 10,000 pages, 3 runs, < 10 min on 2 cores
    python scripts/bench.py --n 200 --runs 1     # quick check (~1 min)
    python scripts/bench.py --n 2000 --json bench.json
    python scripts/bench.py --n 2000 --profile build     # cProfile one stage (see --help)

Every figure is measured in a fresh child process (wall time, and peak RSS from
``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` in a fresh wrapper process per measurement, so
one measurement's memory never pollutes the next) and paired with a reference measured in the
same run on the same files; the table shows median [min-max] of ``--runs`` runs and the ratio.
It prints the table and writes ``benchmarks/RESULTS.md`` (``--results``) and, with ``--json``,
one JSON object with the keys ``build_vs_extract``, ``build_mb_s_jobs1``, ``build_speedup_jobs2``,
``build_rss_growth_4n``, ``load_vs_floor``, ``load_vs_hf_rows``, ``validate_vs_pydantic``,
``validate_speedup_jobs2``, ``validate_vs_jsonschema``, ``import_s``, ``help_s`` (a ratio is
ours/reference in time, or a speed-up where the name says so) plus extra keys and ``details``.

The synthetic archive (``scripts/make_archive.py``, 4N pages, fixed seed) is generated once and
cached in the work directory (``--workdir``); the N-page input is the first N pages of it
(hard links), which are exactly the pages ``make_archive --n N`` would write.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve()
PY = sys.executable
REQUIRED_KEYS = (
    "build_vs_extract",
    "build_mb_s_jobs1",
    "build_speedup_jobs2",
    "build_rss_growth_4n",
    "load_vs_floor",
    "load_vs_hf_rows",
    "validate_vs_pydantic",
    "validate_speedup_jobs2",
    "validate_vs_jsonschema",
    "import_s",
    "help_s",
)
LOAD_CONFIGS = ("articles", "interview_turns")
MODEL_NAMES = {"articles": "Article", "interview_turns": "InterviewTurn"}
SCHEMA_FILES = {"articles": "article", "interview_turns": "interview_turn"}
HEAVY_MODULES = ("datasets", "huggingface_hub")
MB = 1_000_000


# =============================================================================================
# Child processes: `python scripts/bench.py _child KIND ...`. Each writes one JSON object to the
# path given as its first argument. They run in fresh interpreters, so timings and peak RSS
# belong to one measurement only.
# =============================================================================================


def _self_rss_kb() -> int:
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _write(path: str, obj: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(obj), encoding="utf-8")


def child_run(out: str, cmd: list[str]) -> int:
    """Run ``cmd``; record its wall time and the peak RSS of its process tree's largest process."""
    import resource

    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    _write(
        out,
        {
            "rc": proc.returncode,
            "wall_s": wall,
            "maxrss_kb": int(usage.ru_maxrss),
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "stdout": proc.stdout.decode("utf-8", "replace")[-200_000:],
            "stderr": proc.stderr.decode("utf-8", "replace")[-4_000:],
        },
    )
    return 0


def child_load_ours(out: str, folder: str) -> int:
    """Typed loading through ``load_articles`` / ``load_interview_turns`` (all records)."""
    t0 = time.perf_counter()
    import kyanh_corpus

    imported = time.perf_counter() - t0
    result: dict[str, Any] = {"import_s": imported}
    loaders = {
        "articles": kyanh_corpus.load_articles,
        "interview_turns": kyanh_corpus.load_interview_turns,
    }
    models = {"articles": kyanh_corpus.Article, "interview_turns": kyanh_corpus.InterviewTurn}
    for config in LOAD_CONFIGS:
        start, cpu = time.perf_counter(), time.process_time()
        rows = items = 0
        model = models[config]
        for record in loaders[config](folder):
            rows += 1
            items += len(record.paragraphs) if config == "articles" else len(record.spans)
        result[config] = {
            "s": time.perf_counter() - start,
            "cpu_s": time.process_time() - cpu,
            "rows": rows,
            "items": items,
            "typed": isinstance(record, model) if rows else None,
        }
    result["maxrss_kb"] = _self_rss_kb()
    _write(out, result)
    return 0


def child_load_floor(out: str, folder: str, batch_rows: str) -> int:
    """The hand-written floor: ParquetFile.iter_batches + to_pylist + TypeAdapter(list[M])."""
    t0 = time.perf_counter()
    import pyarrow.parquet as pq
    from pydantic import TypeAdapter

    from kyanh_corpus import models

    imported = time.perf_counter() - t0
    result: dict[str, Any] = {"import_s": imported}
    sizes = json.loads(batch_rows)
    for config in LOAD_CONFIGS:
        model = getattr(models, MODEL_NAMES[config])
        adapter = TypeAdapter(list[model])  # type: ignore[valid-type]
        start, cpu = time.perf_counter(), time.process_time()
        rows = items = 0
        for path in sorted(glob.glob(os.path.join(folder, "data", config, "*.parquet"))):
            parquet = pq.ParquetFile(path)
            for batch in parquet.iter_batches(batch_size=sizes[config]):
                for record in adapter.validate_python(batch.to_pylist()):
                    rows += 1
                    items += len(record.paragraphs) if config == "articles" else len(record.spans)
        result[config] = {
            "s": time.perf_counter() - start,
            "cpu_s": time.process_time() - cpu,
            "rows": rows,
            "items": items,
        }
    result["maxrss_kb"] = _self_rss_kb()
    _write(out, result)
    return 0


def child_load_hf(out: str, folder: str) -> int:
    """The peer: the same rows as a Hugging Face ``datasets.Dataset``, iterated row by row."""
    t0 = time.perf_counter()
    import datasets

    imported = time.perf_counter() - t0
    result: dict[str, Any] = {"import_s": imported}
    for config in LOAD_CONFIGS:
        start, cpu = time.perf_counter(), time.process_time()
        dataset = datasets.load_from_disk(os.path.join(folder, "hf", config))
        rows = items = 0
        for row in dataset:
            rows += 1
            items += len(row["paragraphs"]) if config == "articles" else len(row["spans"])
        result[config] = {
            "s": time.perf_counter() - start,
            "cpu_s": time.process_time() - cpu,
            "rows": rows,
            "items": items,
        }
    result["maxrss_kb"] = _self_rss_kb()
    _write(out, result)
    return 0


def child_validate_pydantic(out: str, *pairs: str) -> int:
    """Reference: ``TypeAdapter(Model).validate_json`` on every line of each JSONL file."""
    t0 = time.perf_counter()
    from pydantic import TypeAdapter, ValidationError

    from kyanh_corpus import models

    imported = time.perf_counter() - t0
    start = time.perf_counter()
    lines = errors = 0
    for pair in pairs:
        path, config = pair.rsplit("=", 1)
        adapter = TypeAdapter(getattr(models, MODEL_NAMES[config]))
        with open(path, "rb") as handle:
            for line in handle:
                lines += 1
                try:
                    adapter.validate_json(line)
                except ValidationError:
                    errors += 1
    loop = time.perf_counter() - start
    _write(out, {"import_s": imported, "loop_s": loop, "lines": lines, "errors": errors})
    return 0


def child_jsonschema(out: str, sample_bytes: str, schema_dir: str, *pairs: str) -> int:
    """Reference: ``jsonschema`` with the exported schema, on every k-th line (then scaled)."""
    t0 = time.perf_counter()
    import jsonschema

    imported = time.perf_counter() - t0
    per_file: list[dict[str, Any]] = []
    for pair in pairs:
        path, config = pair.rsplit("=", 1)
        schema_path = os.path.join(schema_dir, SCHEMA_FILES[config] + ".schema.json")
        schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        total = os.path.getsize(path)
        every = max(1, math.ceil(total / int(sample_bytes)))
        sampled = lines = errors = 0
        loop = 0.0
        with open(path, "rb") as handle:
            for number, line in enumerate(handle):
                lines += 1
                if number % every:
                    continue
                start = time.perf_counter()
                if not validator.is_valid(json.loads(line)):
                    errors += 1
                loop += time.perf_counter() - start
                sampled += len(line)
        per_file.append(
            {
                "path": path,
                "every": every,
                "lines": lines,
                "sampled_bytes": sampled,
                "total_bytes": total,
                "loop_s": loop,
                "scaled_s": loop * total / max(sampled, 1),
                "errors": errors,
            }
        )
    _write(
        out,
        {
            "import_s": imported,
            "files": per_file,
            "loop_s": sum(f["loop_s"] for f in per_file),
            "scaled_s": sum(f["scaled_s"] for f in per_file),
            "errors": sum(f["errors"] for f in per_file),
        },
    )
    return 0


def child_extract(out: str, raw_dir: str) -> int:
    """Reference for the build: ``extract_file`` on every page, one process, nothing written."""
    t0 = time.perf_counter()
    from kyanh_corpus.extract import ExtractionError, extract_file

    imported = time.perf_counter() - t0
    start = time.perf_counter()
    pages = failures = 0
    for path in sorted(Path(raw_dir).glob("*.txt")):
        pages += 1
        try:
            extract_file(path)
        except ExtractionError:
            failures += 1
    _write(
        out,
        {
            "import_s": imported,
            "s": time.perf_counter() - start,
            "pages": pages,
            "failures": failures,
        },
    )
    return 0


def child_import(out: str) -> int:
    start = time.perf_counter()
    import kyanh_corpus  # noqa: F401

    elapsed = time.perf_counter() - start
    heavy = sorted(m for m in HEAVY_MODULES if m in sys.modules)
    _write(out, {"s": elapsed, "heavy": heavy, "pyarrow": "pyarrow" in sys.modules})
    return 0


def child_import_ref(out: str) -> int:
    """Reference for the import: pydantic itself (the models cannot import faster than it)."""
    start = time.perf_counter()
    import pydantic  # noqa: F401

    _write(out, {"s": time.perf_counter() - start})
    return 0


def child_first_article(out: str) -> int:
    start = time.perf_counter()
    import kyanh_corpus

    article = next(iter(kyanh_corpus.load_articles()))
    elapsed = time.perf_counter() - start
    _write(out, {"s": elapsed, "typed": isinstance(article, kyanh_corpus.Article)})
    return 0


def child_first_row_ref(out: str) -> int:
    """Reference: pyarrow reads the first row of the embedded articles file, as a dict."""
    start = time.perf_counter()
    spec = importlib.util.find_spec("kyanh_corpus")
    assert spec is not None and spec.submodule_search_locations
    base = Path(next(iter(spec.submodule_search_locations))) / "_data" / "data" / "articles"
    import pyarrow.parquet as pq

    first = sorted(base.glob("*.parquet"))[0]
    batch = next(pq.ParquetFile(first).iter_batches(batch_size=1))
    row = batch.to_pylist()[0]
    _write(out, {"s": time.perf_counter() - start, "has_title": "title" in row})
    return 0


def child_spin(out: str, loops: str) -> int:
    """A fixed amount of pure-Python CPU work (to measure how much CPU the machine gives)."""
    start, cpu = time.perf_counter(), time.process_time()
    total = 0
    for i in range(int(loops)):
        total += i * i % 7
    _write(out, {"s": time.perf_counter() - start, "cpu_s": time.process_time() - cpu})
    return 0


CHILDREN: dict[str, Callable[..., int]] = {
    "spin": child_spin,
    "load-ours": child_load_ours,
    "load-floor": child_load_floor,
    "load-hf": child_load_hf,
    "validate-pydantic": child_validate_pydantic,
    "jsonschema": child_jsonschema,
    "extract": child_extract,
    "import": child_import,
    "import-ref": child_import_ref,
    "first-article": child_first_article,
    "first-row-ref": child_first_row_ref,
}


def child_main(argv: list[str]) -> int:
    kind, out, *rest = argv
    if kind == "run":
        assert rest and rest[0] == "--"
        return child_run(out, rest[1:])
    return CHILDREN[kind](out, *rest)


# =============================================================================================
# The parent: measurements, statistics, the table.
# =============================================================================================


class BenchError(RuntimeError):
    pass


@dataclass
class Measure:
    """One measurement: wall time and peak RSS of the command, and what a child reported."""

    wall_s: float
    maxrss_kb: int
    cpu_s: float
    stdout: str
    inner: dict[str, Any] = field(default_factory=dict)


class Runner:
    def __init__(self, workdir: Path, verbose: bool) -> None:
        self.tmp = workdir / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.verbose = verbose
        self.counter = 0

    def _path(self, tag: str) -> Path:
        self.counter += 1
        return self.tmp / f"{self.counter:04d}-{tag}.json"

    def run(self, cmd: Sequence[str], tag: str, inner: bool = False) -> Measure:
        """Run ``cmd`` inside a fresh wrapper process; ``inner``: cmd is a child writing JSON."""
        outer_path = self._path(tag + "-run")
        inner_path = self._path(tag) if inner else None
        full = [*cmd]
        if inner_path is not None:
            full = [PY, str(SCRIPT), "_child", cmd[0], str(inner_path), *cmd[1:]]
        wrapper = [PY, str(SCRIPT), "_child", "run", str(outer_path), "--", *full]
        if self.verbose:
            print("  $", " ".join(full), file=sys.stderr)
        subprocess.run(wrapper, check=True)
        outer = json.loads(outer_path.read_text(encoding="utf-8"))
        if outer["rc"] != 0:
            raise BenchError(
                f"{tag}: exit {outer['rc']}: {' '.join(full)}\n{outer['stderr']}\n"
                f"{outer['stdout'][-2000:]}"
            )
        data = json.loads(inner_path.read_text(encoding="utf-8")) if inner_path else {}
        return Measure(outer["wall_s"], outer["maxrss_kb"], outer["cpu_s"], outer["stdout"], data)


@dataclass
class Stat:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def fmt(self, unit: str, digits: int = 2) -> str:
        med = f"{self.median:.{digits}f}"
        if len(self.values) == 1:
            return f"{med} {unit}".strip()
        lo, hi = min(self.values), max(self.values)
        return f"{med} [{lo:.{digits}f}–{hi:.{digits}f}] {unit}".strip()


@dataclass
class Row:
    stage: str
    figure: str
    ours: str
    reference: str
    ratio: str
    target: str
    met: bool | None
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        flag = {True: "ok", False: "MISS", None: ""}[row.met]
        print(
            f"  {row.figure:<44} {row.ours:<30} vs {row.reference:<30} "
            f"ratio {row.ratio:<8} target {row.target:<10} {flag}",
            file=sys.stderr,
        )


def _stat(values: list[float]) -> Stat:
    return Stat([float(v) for v in values])


def _ratio_stat(num: list[float], den: list[float]) -> float:
    return statistics.median(num) / statistics.median(den)


# --------------------------------------------------------------------------- the archive


def _make_archive_module() -> Any:
    path = ROOT / "scripts" / "make_archive.py"
    spec = importlib.util.spec_from_file_location("make_archive", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_archive", module)
    spec.loader.exec_module(module)
    return module


def prepare_archive(workdir: Path, n: int, seed: int) -> tuple[Path, Path]:
    """The 4N-page archive (cached) and an N-page folder of hard links to its first N pages."""
    gen_hash = hashlib.sha256((ROOT / "scripts" / "make_archive.py").read_bytes()).hexdigest()[:12]
    big = workdir / f"archive-{4 * n}-s{seed}-{gen_hash}"
    raw_4n = big / "raw"
    done = big / "DONE"
    if not done.exists():
        shutil.rmtree(big, ignore_errors=True)
        raw_4n.mkdir(parents=True)
        print(
            f"generating {4 * n} pages into {raw_4n} (cached for later runs) ...", file=sys.stderr
        )
        start = time.perf_counter()
        _make_archive_module().generate(raw_4n, 4 * n, seed=seed)
        (raw_4n / "planted.jsonl").rename(big / "planted.jsonl")
        done.write_text(f"{time.perf_counter() - start:.1f}\n", encoding="utf-8")
    raw_n = big / f"raw-first-{n}"
    marker = big / f"raw-first-{n}.DONE"  # outside the folder: the folder is a build input
    if not marker.exists():
        shutil.rmtree(raw_n, ignore_errors=True)
        raw_n.mkdir()
        for page in sorted(raw_4n.glob("*.txt"))[:n]:
            for path in (page, page.with_name(page.stem + ".meta.json")):
                if path.exists():
                    try:
                        os.link(path, raw_n / path.name)
                    except OSError:
                        shutil.copy2(path, raw_n / path.name)
        marker.write_text("", encoding="utf-8")
    return raw_n, raw_4n


def raw_bytes(folder: Path) -> tuple[int, int]:
    pages = sorted(folder.glob("*.txt"))
    return len(pages), sum(p.stat().st_size for p in pages)


def warm(folder: Path) -> None:
    """Read every file once so that every timed run starts from a warm page cache."""
    for path in folder.iterdir():
        if path.is_file():
            path.read_bytes()


def cli() -> list[str]:
    script = Path(PY).parent / "kyanh-corpus"
    return [str(script)] if script.exists() else [PY, "-m", "kyanh_corpus"]


# --------------------------------------------------------------------------- stages


@dataclass
class Context:
    args: argparse.Namespace
    runner: Runner
    results: Results
    workdir: Path
    raw_n: Path
    raw_4n: Path
    started: float
    built_n: Path | None = None
    built_4n: Path | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> float:
        return float(self.args.budget) - self.elapsed()


SPIN_LOOPS = 6_000_000  # about half a second of pure-Python work on a current core


def probe_capacity(ctx: Context, tag: str) -> float:
    """The speed-up two CPU-bound processes get on this machine right now (2.0 = two idle cores).

    Other work on the machine takes cores away, and it comes and goes: the stages probe this
    right before every --jobs 2 measurement, and the speed-ups are to be read against it.
    """
    run = len(ctx.results.details.setdefault("parallel_capacity", {}).setdefault(tag, []))
    one = ctx.runner.run(["spin", str(SPIN_LOOPS)], f"spin-{tag}-{run}", inner=True)
    paths = [ctx.runner._path(f"spin-{tag}-pair-{run}-{i}") for i in range(2)]
    procs = [
        subprocess.Popen([PY, str(SCRIPT), "_child", "spin", str(path), str(SPIN_LOOPS)])
        for path in paths
    ]
    for proc in procs:
        proc.wait()
    pair = max(json.loads(path.read_text(encoding="utf-8"))["s"] for path in paths)
    value = 2 * one.inner["s"] / pair
    ctx.results.details["parallel_capacity"][tag].append(value)
    return value


def capacity_of(ctx: Context, tag: str) -> float:
    capacity = statistics.median(ctx.results.details["parallel_capacity"][tag])
    ctx.results.figures[f"machine_speedup_available_{tag}"] = capacity
    return capacity


def _build(ctx: Context, raw: Path, out: Path, jobs: int, tag: str) -> Measure:
    cmd = [*cli(), "build", str(raw), "--out", str(out), "--jobs", str(jobs), "--quiet", "--json"]
    measure = ctx.runner.run(cmd, tag)
    report = json.loads(measure.stdout)
    if not report.get("ok", True) or report.get("failed"):
        raise BenchError(f"{tag}: build reported failures: {report.get('failed')}")
    measure.inner = report
    return measure


def stage_build(ctx: Context) -> None:
    args, res = ctx.args, ctx.results
    pages, size = raw_bytes(ctx.raw_n)
    print(f"[build] {pages} pages, {size / MB:.1f} MB of raw text", file=sys.stderr)
    warm(ctx.raw_n)
    out1 = ctx.workdir / f"built-{ctx.args.n}-jobs1"
    out2 = ctx.workdir / f"built-{ctx.args.n}-jobs2"
    j1: list[Measure] = []
    j2: list[Measure] = []
    ex: list[Measure] = []
    for run in range(args.runs):
        j1.append(_build(ctx, ctx.raw_n, out1, 1, f"build-j1-{run}"))
        probe_capacity(ctx, "build")
        j2.append(_build(ctx, ctx.raw_n, out2, 2, f"build-j2-{run}"))
        ex.append(ctx.runner.run(["extract", str(ctx.raw_n)], f"extract-{run}", inner=True))
    ctx.built_n = out1
    capacity = capacity_of(ctx, "build")
    t1 = [m.wall_s for m in j1]
    t2 = [m.wall_s for m in j2]
    tx = [m.inner["s"] + m.inner["import_s"] for m in ex]
    mbs1 = [size / MB / t for t in t1]
    mbs2 = [size / MB / t for t in t2]
    mbsx = [size / MB / t for t in tx]
    counts = j1[0].inner.get("counts", {})
    res.details["build"] = {
        "pages": pages,
        "raw_bytes": size,
        "counts": counts,
        "jobs1_wall_s": t1,
        "jobs2_wall_s": t2,
        "jobs1_cpu_s": [m.cpu_s for m in j1],
        "jobs2_cpu_s": [m.cpu_s for m in j2],
        "extract_only_s": tx,
        "extract_failures": ex[0].inner["failures"],
        "jobs1_maxrss_kb": [m.maxrss_kb for m in j1],
        "jobs2_maxrss_kb": [m.maxrss_kb for m in j2],
        "reported_elapsed_s_jobs1": [m.inner.get("elapsed_s") for m in j1],
    }
    res.figures["build_mb_s_jobs1"] = statistics.median(mbs1)
    res.figures["build_mb_s_jobs2"] = statistics.median(mbs2)
    res.figures["extract_only_mb_s"] = statistics.median(mbsx)
    res.figures["build_vs_extract"] = _ratio_stat(t1, tx)
    c1 = [m.cpu_s for m in j1]
    c2 = [m.cpu_s for m in j2]
    res.figures["build_mb_per_cpu_s_jobs1"] = size / MB / statistics.median(c1)
    res.figures["build_cpu_jobs2_vs_jobs1"] = _ratio_stat(c2, c1)
    maps = [m.inner.get("map") or {} for m in j1]
    reduces = [m.inner.get("reduce") or {} for m in j1]
    res.details["build"]["jobs1_map"] = maps
    res.details["build"]["jobs1_reduce"] = reduces
    res.details["build"]["jobs2_map"] = [m.inner.get("map") or {} for m in j2]
    res.details["build"]["jobs2_reduce"] = [m.inner.get("reduce") or {} for m in j2]
    res.add(
        Row(
            "build",
            "build_vs_extract: --jobs 1 build time / extraction loop",
            _stat(t1).fmt("s"),
            "extract_file loop: " + _stat(tx).fmt("s"),
            f"{res.figures['build_vs_extract']:.2f}x t",
            "<= 1.2x",
            res.figures["build_vs_extract"] <= 1.2,
            f"wall, incl. start-up; {_stat(mbs1).fmt('MB/s')} of raw text "
            f"({res.figures['build_mb_per_cpu_s_jobs1']:.2f} MB per CPU-second); "
            f"map {statistics.median(m.get('wall_seconds', 0) for m in maps):.2f} s wall, "
            f"reduce {statistics.median(r.get('seconds', 0) for r in reduces):.2f} s "
            f"({maps[0].get('partitions')} partitions)",
        )
    )
    speedup = _ratio_stat(t1, t2)
    res.figures["build_speedup_jobs2"] = speedup
    res.figures["build_speedup_jobs2_of_available"] = speedup / capacity
    res.add(
        Row(
            "build",
            "MB/s, --jobs 2",
            _stat(mbs2).fmt("MB/s"),
            "--jobs 1: " + _stat(mbs1).fmt("MB/s"),
            f"{speedup:.2f}x",
            ">= 1.85x",
            speedup >= 1.85 if capacity >= 1.9 else None,
            f"the machine gave 2 processes a {capacity:.2f}x speed-up (probed before each "
            f"--jobs 2 run; 2.0 = two idle cores); --jobs 2 used "
            f"{res.figures['build_cpu_jobs2_vs_jobs1']:.2f}x the CPU time of --jobs 1",
        )
    )
    # Peak RSS at 4N: one run (it is 4x the work). --jobs 1 keeps everything in one process;
    # when that would not fit in the time budget, --jobs 2 for both N and 4N.
    pages4, size4 = raw_bytes(ctx.raw_4n)
    jobs = 1
    projected = 4 * statistics.median(t1) * 1.1
    later = 2.5 * statistics.median(t1) + 60  # rough: load + validate + start-up stages
    if projected + later > ctx.left():
        jobs = 2
        res.notes.append(
            f"time budget: peak RSS at 4N measured with --jobs 2 (a --jobs 1 build of 4N was "
            f"projected at {projected:.0f} s); compared with the --jobs 2 builds of N."
        )
    warm(ctx.raw_4n)
    out4 = ctx.workdir / f"built-{4 * ctx.args.n}-4n"
    m4 = _build(ctx, ctx.raw_4n, out4, jobs, "build-4n")
    ctx.built_4n = out4
    base = [m.maxrss_kb / 1024 for m in (j1 if jobs == 1 else j2)]
    growth = m4.maxrss_kb / 1024 / statistics.median(base)
    res.figures["build_rss_growth_4n"] = growth
    res.figures["build_rss_mb_n"] = statistics.median(base)
    res.figures["build_rss_mb_4n"] = m4.maxrss_kb / 1024
    res.figures["build_mb_s_4n"] = size4 / MB / m4.wall_s
    res.details["build"]["4n"] = {
        "pages": pages4,
        "raw_bytes": size4,
        "jobs": jobs,
        "wall_s": m4.wall_s,
        "maxrss_kb": m4.maxrss_kb,
        "counts": m4.inner.get("counts"),
    }
    res.add(
        Row(
            "build",
            f"peak RSS at 4N = {pages4} pages (--jobs {jobs})",
            f"{m4.maxrss_kb / 1024:.0f} MB",
            f"at N: {_stat(base).fmt('MB', 0)}",
            f"{growth:.2f}x",
            "<= 1.2x",
            growth <= 1.2,
            "largest process of the build's tree",
        )
    )


def _batch_rows() -> dict[str, int]:
    """The loader's own batch sizes, so that the floor reads the same batches."""
    try:
        sys.path.insert(0, str(ROOT / "src"))
        from kyanh_corpus.load import BATCH_ROWS

        return {c: int(BATCH_ROWS[c]) for c in LOAD_CONFIGS}
    except (ImportError, AttributeError, KeyError):
        return dict.fromkeys(LOAD_CONFIGS, 1024)


def _load_totals(measures: list[Measure]) -> list[float]:
    return [sum(m.inner[c]["s"] for c in LOAD_CONFIGS) for m in measures]


def _check_same_rows(name: str, ours: Measure, other: Measure) -> None:
    for config in LOAD_CONFIGS:
        a, b = ours.inner[config], other.inner[config]
        if (a["rows"], a["items"]) != (b["rows"], b["items"]):
            raise BenchError(f"load: {name} read different data for {config}: {a} vs {b}")


def stage_load(ctx: Context) -> None:
    args, res = ctx.args, ctx.results
    folder = ctx.built_n or ctx.workdir / f"built-{ctx.args.n}-jobs1"
    if not (folder / "manifest.json").exists():
        raise BenchError(f"load: no built folder at {folder} (run the build stage)")
    batch = _batch_rows()
    print(f"[load] {folder} (batch rows {batch})", file=sys.stderr)
    ours: list[Measure] = []
    floor: list[Measure] = []
    peer: list[Measure] = []
    for run in range(args.runs):
        ours.append(ctx.runner.run(["load-ours", str(folder)], f"load-ours-{run}", inner=True))
        floor.append(
            ctx.runner.run(
                ["load-floor", str(folder), json.dumps(batch)], f"load-floor-{run}", inner=True
            )
        )
        peer.append(ctx.runner.run(["load-hf", str(folder)], f"load-hf-{run}", inner=True))
    _check_same_rows("the floor", ours[0], floor[0])
    _check_same_rows("datasets", ours[0], peer[0])
    if not all(ours[0].inner[c]["typed"] in (True, None) for c in LOAD_CONFIGS):
        raise BenchError("load: the loaders did not yield model instances")
    to, tf, th = _load_totals(ours), _load_totals(floor), _load_totals(peer)
    rows = {c: ours[0].inner[c]["rows"] for c in LOAD_CONFIGS}
    label = f"{rows['articles']} articles + {rows['interview_turns']} turns"
    res.figures["load_vs_floor"] = _ratio_stat(to, tf)
    co, cf, ch = (
        [sum(m.inner[c]["cpu_s"] for c in LOAD_CONFIGS) for m in ms] for ms in (ours, floor, peer)
    )
    res.figures["load_vs_floor_cpu"] = _ratio_stat(co, cf)
    res.figures["load_vs_hf_rows_cpu"] = _ratio_stat(co, ch)
    res.figures["load_vs_hf_rows"] = _ratio_stat(to, th)
    for config in LOAD_CONFIGS:
        ours_c = [m.inner[config]["s"] for m in ours]
        res.figures[f"load_vs_floor_{config}"] = _ratio_stat(
            ours_c, [m.inner[config]["s"] for m in floor]
        )
        res.figures[f"load_vs_hf_rows_{config}"] = _ratio_stat(
            ours_c, [m.inner[config]["s"] for m in peer]
        )
    rss = {
        "ours": [m.maxrss_kb / 1024 for m in ours],
        "floor": [m.maxrss_kb / 1024 for m in floor],
        "hf": [m.maxrss_kb / 1024 for m in peer],
    }
    res.figures["load_rss_mb"] = statistics.median(rss["ours"])
    res.figures["load_rss_vs_floor"] = _ratio_stat(rss["ours"], rss["floor"])
    res.figures["load_rss_vs_hf_rows"] = _ratio_stat(rss["ours"], rss["hf"])
    res.details["load"] = {
        "rows": rows,
        "batch_rows": batch,
        "ours": [m.inner for m in ours],
        "floor": [m.inner for m in floor],
        "hf": [m.inner for m in peer],
    }
    res.add(
        Row(
            "load",
            f"typed load, {label}",
            _stat(to).fmt("s", 3),
            "floor (pyarrow+TypeAdapter): " + _stat(tf).fmt("s", 3),
            f"{res.figures['load_vs_floor']:.2f}x t",
            "<= 1.1x",
            res.figures["load_vs_floor"] <= 1.1,
            "per config: "
            + ", ".join(f"{c} {res.figures[f'load_vs_floor_{c}']:.2f}x" for c in LOAD_CONFIGS)
            + f"; in CPU time {res.figures['load_vs_floor_cpu']:.2f}x",
        )
    )
    res.add(
        Row(
            "load",
            "typed load vs datasets rows (untyped dicts)",
            _stat(to).fmt("s", 3),
            "Dataset row iteration: " + _stat(th).fmt("s", 3),
            f"{res.figures['load_vs_hf_rows']:.2f}x t",
            "<= 1.0x",
            res.figures["load_vs_hf_rows"] <= 1.0,
            "per config: "
            + ", ".join(f"{c} {res.figures[f'load_vs_hf_rows_{c}']:.2f}x" for c in LOAD_CONFIGS)
            + f"; in CPU time {res.figures['load_vs_hf_rows_cpu']:.2f}x",
        )
    )
    res.add(
        Row(
            "load",
            "peak RSS of the load (ours / floor / datasets)",
            _stat(rss["ours"]).fmt("MB", 0),
            f"floor {_stat(rss['floor']).fmt('MB', 0)}; datasets {_stat(rss['hf']).fmt('MB', 0)}",
            f"{res.figures['load_rss_vs_floor']:.2f}x / {res.figures['load_rss_vs_hf_rows']:.2f}x",
            "flat",
            None,
        )
    )
    # Streaming memory flat: the same load on the 4N build, once.
    big = ctx.built_4n
    if big is not None and (big / "manifest.json").exists():
        if 4 * statistics.median(to) + 5 < ctx.left() - 120:
            m4 = ctx.runner.run(["load-ours", str(big)], "load-ours-4n", inner=True)
            growth = m4.maxrss_kb / 1024 / statistics.median(rss["ours"])
            res.figures["load_rss_growth_4n"] = growth
            res.details["load"]["ours_4n"] = m4.inner
            res.add(
                Row(
                    "load",
                    "peak RSS of the typed load at 4N",
                    f"{m4.maxrss_kb / 1024:.0f} MB",
                    f"at N: {_stat(rss['ours']).fmt('MB', 0)}",
                    f"{growth:.2f}x",
                    "flat (<= 1.2x)",
                    growth <= 1.2,
                )
            )
        else:
            res.notes.append("time budget: the 4N load (memory flatness) was skipped.")


def export_jsonl(folder: Path, dest: Path) -> dict[str, Path]:
    """Write the articles and turns of a built folder as JSON Lines (one record per line)."""
    import pyarrow.parquet as pq

    def default(value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    dest.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for config in LOAD_CONFIGS:
        path = dest / f"{config}.jsonl"
        paths[config] = path
        if path.exists():
            continue
        partial = path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8") as handle:
            for shard in sorted((folder / "data" / config).glob("*.parquet")):
                for batch in pq.ParquetFile(shard).iter_batches(batch_size=2048):
                    for row in batch.to_pylist():
                        handle.write(json.dumps(row, ensure_ascii=False, default=default) + "\n")
        partial.rename(path)
    return paths


def _validate(ctx: Context, paths: dict[str, Path], jobs: int, tag: str) -> Measure:
    cmd = [*cli(), "validate", *(str(p) for p in paths.values()), "--jobs", str(jobs)]
    measure = ctx.runner.run([*cmd, "--quiet", "--json"], tag)
    report = json.loads(measure.stdout)
    if not report.get("valid"):
        raise BenchError(f"{tag}: validate found errors: {str(report)[:2000]}")
    measure.inner = report
    return measure


def stage_validate(ctx: Context) -> None:
    args, res = ctx.args, ctx.results
    folder = ctx.built_n or ctx.workdir / f"built-{ctx.args.n}-jobs1"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    version = hashlib.sha256(manifest["dataset_version"].encode()).hexdigest()[:8]
    paths = export_jsonl(folder, ctx.workdir / f"jsonl-n-{version}")
    size = sum(p.stat().st_size for p in paths.values())
    lines = sum(1 for p in paths.values() for _ in p.open("rb"))
    warm(paths["articles"].parent)
    print(f"[validate] {lines} records, {size / MB:.1f} MB of JSONL", file=sys.stderr)
    pairs = [f"{p}={c}" for c, p in paths.items()]
    j1: list[Measure] = []
    j2: list[Measure] = []
    ref: list[Measure] = []
    js: list[Measure] = []
    for run in range(args.runs):
        j1.append(_validate(ctx, paths, 1, f"validate-j1-{run}"))
        probe_capacity(ctx, "validate")
        j2.append(_validate(ctx, paths, 2, f"validate-j2-{run}"))
        ref.append(ctx.runner.run(["validate-pydantic", *pairs], f"validate-ref-{run}", True))
        js.append(
            ctx.runner.run(
                ["jsonschema", str(args.jsonschema_sample), str(folder / "schema"), *pairs],
                f"jsonschema-{run}",
                inner=True,
            )
        )
    checked = j1[0].inner.get("records")
    if checked != lines or ref[0].inner["lines"] != lines or ref[0].inner["errors"]:
        raise BenchError(
            f"validate: records checked {checked}, reference lines {ref[0].inner['lines']} "
            f"errors {ref[0].inner['errors']}, expected {lines} valid"
        )
    if js[0].inner["errors"]:
        res.notes.append(f"jsonschema rejected {js[0].inner['errors']} sampled records.")
    capacity = capacity_of(ctx, "validate")
    t1 = [m.wall_s for m in j1]
    t2 = [m.wall_s for m in j2]
    tr = [m.wall_s for m in ref]
    # jsonschema: the process's start-up and imports as measured, plus the sampled loop scaled
    # to the whole files by bytes.
    tj = [m.wall_s - m.inner["loop_s"] + m.inner["scaled_s"] for m in js]
    res.figures["validate_vs_pydantic"] = _ratio_stat(t1, tr)
    res.figures["validate_vs_pydantic_cpu"] = _ratio_stat(
        [m.cpu_s for m in j1], [m.cpu_s for m in ref]
    )
    res.figures["validate_cpu_jobs2_vs_jobs1"] = _ratio_stat(
        [m.cpu_s for m in j2], [m.cpu_s for m in j1]
    )
    res.figures["validate_speedup_jobs2"] = _ratio_stat(t1, t2)
    res.figures["validate_jobs2_speed_vs_pydantic"] = _ratio_stat(tr, t2)
    res.figures["validate_vs_jsonschema"] = _ratio_stat(t1, tj)
    res.figures["validate_mb_s_jobs1"] = size / MB / statistics.median(t1)
    res.figures["validate_pydantic_loop_s"] = statistics.median([m.inner["loop_s"] for m in ref])
    rss1 = [m.maxrss_kb / 1024 for m in j1]
    rssr = [m.maxrss_kb / 1024 for m in ref]
    res.figures["validate_rss_mb"] = statistics.median(rss1)
    sample = js[0].inner["files"]
    res.details["validate"] = {
        "records": lines,
        "jsonl_bytes": size,
        "jobs1_wall_s": t1,
        "jobs2_wall_s": t2,
        "pydantic_wall_s": tr,
        "pydantic": [m.inner for m in ref],
        "jsonschema_equivalent_s": tj,
        "jsonschema": [m.inner for m in js],
        "jobs1_maxrss_kb": [m.maxrss_kb for m in j1],
        "jobs2_maxrss_kb": [m.maxrss_kb for m in j2],
        "pydantic_maxrss_kb": [m.maxrss_kb for m in ref],
        "jobs1_cpu_s": [m.cpu_s for m in j1],
        "jobs2_cpu_s": [m.cpu_s for m in j2],
        "pydantic_cpu_s": [m.cpu_s for m in ref],
    }
    speed = 1 / res.figures["validate_vs_pydantic"]
    res.add(
        Row(
            "validate",
            f"JSONL, {lines} articles+turns, {size / MB:.0f} MB, 1 process",
            _stat(t1).fmt("s", 3),
            "TypeAdapter.validate_json/line: " + _stat(tr).fmt("s", 3),
            f"{res.figures['validate_vs_pydantic']:.2f}x t",
            "<= 1.11x t",
            speed >= 0.9,
            f"speed {speed:.2f}x of the reference (target >= 0.9x); both wall, incl. start-up; "
            f"in CPU time {res.figures['validate_vs_pydantic_cpu']:.2f}x",
        )
    )
    res.add(
        Row(
            "validate",
            "--jobs 2",
            _stat(t2).fmt("s", 3),
            "--jobs 1: " + _stat(t1).fmt("s", 3),
            f"{res.figures['validate_speedup_jobs2']:.2f}x",
            ">= 1.7x",
            res.figures["validate_speedup_jobs2"] >= 1.7,
            f"--jobs 2 is {res.figures['validate_jobs2_speed_vs_pydantic']:.2f}x the speed of "
            "the one-process validate_json reference; the machine gave 2 processes a "
            f"{capacity:.2f}x speed-up (probed before each --jobs 2 run); --jobs 2 used "
            f"{res.figures['validate_cpu_jobs2_vs_jobs1']:.2f}x the CPU time of --jobs 1",
        )
    )
    every = ", ".join(f"1/{f['every']} of {Path(f['path']).name}" for f in sample)
    res.add(
        Row(
            "validate",
            "vs jsonschema (exported schema, format checks on)",
            _stat(t1).fmt("s", 3),
            "jsonschema (scaled): " + _stat(tj).fmt("s", 1),
            f"{res.figures['validate_vs_jsonschema']:.3f}x t",
            "<= 0.2x t",
            res.figures["validate_vs_jsonschema"] <= 0.2,
            f"jsonschema ran on every k-th line ({every}), its loop time scaled by bytes",
        )
    )
    res.add(
        Row(
            "validate",
            "peak RSS (1 process / --jobs 2 largest process)",
            f"{_stat(rss1).fmt('MB', 0)} / {_stat([m.maxrss_kb / 1024 for m in j2]).fmt('MB', 0)}",
            "validate_json reference: " + _stat(rssr).fmt("MB", 0),
            f"{statistics.median(rss1) / statistics.median(rssr):.2f}x",
            "flat",
            None,
        )
    )
    big = ctx.built_4n
    if big is not None and (big / "manifest.json").exists():
        if 5 * statistics.median(t1) + 30 < ctx.left() - 60:
            manifest4 = json.loads((big / "manifest.json").read_text(encoding="utf-8"))
            v4 = hashlib.sha256(manifest4["dataset_version"].encode()).hexdigest()[:8]
            paths4 = export_jsonl(big, ctx.workdir / f"jsonl-4n-{v4}")
            size4 = sum(p.stat().st_size for p in paths4.values())
            m4 = _validate(ctx, paths4, 1, "validate-4n")
            growth = m4.maxrss_kb / 1024 / statistics.median(rss1)
            res.figures["validate_rss_growth_4n"] = growth
            res.details["validate"]["4n"] = {
                "bytes": size4,
                "wall_s": m4.wall_s,
                "maxrss_kb": m4.maxrss_kb,
            }
            res.add(
                Row(
                    "validate",
                    f"peak RSS on 4N JSONL ({size4 / MB:.0f} MB), 1 process",
                    f"{m4.maxrss_kb / 1024:.0f} MB",
                    f"at N: {_stat(rss1).fmt('MB', 0)}",
                    f"{growth:.2f}x",
                    "flat (<= 1.2x)",
                    growth <= 1.2,
                )
            )
        else:
            res.notes.append("time budget: the 4N validate (memory flatness) was skipped.")


def stage_startup(ctx: Context) -> None:
    res = ctx.results
    runs = max(ctx.args.runs, 5)
    print(f"[start-up] {runs} runs each", file=sys.stderr)
    imp = [ctx.runner.run(["import"], f"import-{i}", inner=True) for i in range(runs)]
    ref = [ctx.runner.run(["import-ref"], f"import-ref-{i}", inner=True) for i in range(runs)]
    hlp = [ctx.runner.run([*cli(), "--help"], f"help-{i}") for i in range(runs)]
    bare = [ctx.runner.run([PY, "-c", "pass"], f"python-{i}") for i in range(runs)]
    first = [ctx.runner.run(["first-article"], f"first-{i}", inner=True) for i in range(runs)]
    frow = [ctx.runner.run(["first-row-ref"], f"first-ref-{i}", inner=True) for i in range(runs)]
    ti = [m.inner["s"] for m in imp]
    tr = [m.inner["s"] for m in ref]
    th = [m.wall_s for m in hlp]
    tb = [m.wall_s for m in bare]
    tf = [m.inner["s"] for m in first]
    tfr = [m.inner["s"] for m in frow]
    heavy = imp[0].inner["heavy"]
    res.figures["import_s"] = statistics.median(ti)
    res.figures["import_heavy_modules"] = heavy
    res.figures["import_pulls_pyarrow"] = imp[0].inner["pyarrow"]
    res.figures["help_s"] = statistics.median(th)
    res.figures["first_article_s"] = statistics.median(tf)
    res.details["startup"] = {
        "import_s": ti,
        "import_pydantic_s": tr,
        "help_wall_s": th,
        "python_pass_wall_s": tb,
        "first_article_s": tf,
        "first_row_pyarrow_s": tfr,
    }
    res.add(
        Row(
            "start-up",
            "import kyanh_corpus (in-process)",
            _stat(ti).fmt("s", 3),
            "import pydantic: " + _stat(tr).fmt("s", 3),
            f"{_ratio_stat(ti, tr):.2f}x t",
            "<= 0.3 s",
            res.figures["import_s"] <= 0.3 and not heavy,
            "imports datasets/huggingface_hub: " + (", ".join(heavy) if heavy else "neither"),
        )
    )
    res.add(
        Row(
            "start-up",
            "kyanh-corpus --help (wall)",
            _stat(th).fmt("s", 3),
            "python -c pass: " + _stat(tb).fmt("s", 3),
            f"{_ratio_stat(th, tb):.2f}x t",
            "<= 0.5 s",
            res.figures["help_s"] <= 0.5,
        )
    )
    typed = all(m.inner["typed"] for m in first)
    res.add(
        Row(
            "start-up",
            "first embedded Article (import + load, in-process)",
            _stat(tf).fmt("s", 3),
            "pyarrow first row as dict: " + _stat(tfr).fmt("s", 3),
            f"{_ratio_stat(tf, tfr):.2f}x t",
            "(none)",
            None if typed else False,
            "checksums of the embedded files are verified first",
        )
    )


STAGES: dict[str, Callable[[Context], None]] = {
    "startup": stage_startup,
    "build": stage_build,
    "load": stage_load,
    "validate": stage_validate,
}


# --------------------------------------------------------------------------- profiling


PROFILE_HELP = """\
--profile STAGE runs the stage's own command once on the N-page archive under cProfile
(`python -m cProfile -o WORKDIR/profile-STAGE.prof ...`) and prints the top functions by own
time and by cumulative time. STAGE: build (`kyanh-corpus build --jobs 1`), extract (the
extract_file loop alone), load (load_articles + load_interview_turns), validate
(`kyanh-corpus validate --jobs 1` on the JSONL), import (`python -X importtime`). Add
--gc off to run the profiled process with the cyclic garbage collector disabled (to see what GC
costs when millions of small objects are made). For sampling with child processes included
use py-spy, e.g.:
  py-spy record --subprocesses --rate 200 -o build.svg -- kyanh-corpus build RAW --out OUT \\
      --jobs 2 --quiet
  py-spy top -- python scripts/bench.py _child load-ours /tmp/x.json BUILT_DIR
"""


def _cprofile(mode: str) -> list[str]:
    """``python -m cProfile``, or the same with the cyclic collector disabled first."""
    if mode == "on":
        return [PY, "-m", "cProfile"]
    code = (
        "import gc, runpy; gc.disable(); "
        "runpy.run_module('cProfile', run_name='__main__', alter_sys=True)"
    )
    return [PY, "-c", code]


def run_profile(ctx: Context, stage: str) -> None:
    prof = ctx.workdir / f"profile-{stage}.prof"
    folder = ctx.workdir / f"built-{ctx.args.n}-jobs1"
    gc_mode = ctx.args.gc
    if stage == "import":
        proc = subprocess.run(
            [PY, "-X", "importtime", "-c", "import kyanh_corpus"],
            capture_output=True,
            text=True,
            check=True,
        )
        rows = []
        for line in proc.stderr.splitlines()[1:]:
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 3 and parts[1].isdigit():
                rows.append((int(parts[1]), parts[2]))
        for cumulative, name in sorted(rows, reverse=True)[:25]:
            print(f"{cumulative / 1e6:8.3f} s  {name}")
        return
    if stage == "build":
        target = [
            "-m",
            "kyanh_corpus",
            "build",
            str(ctx.raw_n),
            "--out",
            str(ctx.workdir / f"built-{ctx.args.n}-profile"),
            "--jobs",
            str(ctx.args.profile_jobs),
            "--quiet",
        ]
    elif stage == "extract":
        target = [
            str(SCRIPT),
            "_child",
            "extract",
            str(ctx.workdir / "tmp" / "p.json"),
            str(ctx.raw_n),
        ]
    elif stage == "load":
        if not (folder / "manifest.json").exists():
            _build(ctx, ctx.raw_n, folder, 1, "profile-prebuild")
        target = [
            str(SCRIPT),
            "_child",
            "load-ours",
            str(ctx.workdir / "tmp" / "p.json"),
            str(folder),
        ]
    elif stage == "validate":
        if not (folder / "manifest.json").exists():
            _build(ctx, ctx.raw_n, folder, 1, "profile-prebuild")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        version = hashlib.sha256(manifest["dataset_version"].encode()).hexdigest()[:8]
        paths = export_jsonl(folder, ctx.workdir / f"jsonl-n-{version}")
        target = [
            "-m",
            "kyanh_corpus",
            "validate",
            *(str(p) for p in paths.values()),
            "--jobs",
            str(ctx.args.profile_jobs),
            "--quiet",
        ]
    else:
        raise SystemExit(f"unknown --profile stage {stage!r}")
    if ctx.args.profiler == "py-spy":
        run_py_spy(ctx, stage, target)
        return
    cmd = [*_cprofile(gc_mode), "-o", str(prof), *target]
    print("$", " ".join(cmd), file=sys.stderr)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    print(
        f"wall {time.perf_counter() - start:.2f} s (under cProfile, gc {gc_mode})", file=sys.stderr
    )
    import pstats

    stats = pstats.Stats(str(prof))
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)
    print(f"profile written to {prof} (snakeviz/pstats can open it)", file=sys.stderr)


def run_py_spy(ctx: Context, stage: str, target: list[str]) -> None:
    """Sample ``python TARGET`` (and its worker processes) with py-spy; print where time goes."""
    spy = shutil.which("py-spy") or str(Path(PY).parent / "py-spy")
    raw = ctx.workdir / f"profile-{stage}.raw"
    cmd = [
        spy,
        "record",
        "--rate",
        "250",
        "--subprocesses",
        "--format",
        "raw",
        "--output",
        str(raw),
        "--",
        PY,
        *target,
    ]
    print("$", " ".join(cmd), file=sys.stderr)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    print(f"wall {time.perf_counter() - start:.2f} s (under py-spy)", file=sys.stderr)
    summarise_py_spy(raw, top=int(ctx.args.top))
    print(f"raw samples in {raw} (flamegraph.pl or speedscope can draw them)", file=sys.stderr)


def summarise_py_spy(raw: Path, top: int = 30) -> None:
    """Shares of samples per process, per function (inclusive and own) and per line (own).

    py-spy samples only running threads, so shares are of CPU time, per process.
    """
    import collections
    import re

    frame = re.compile(r"^(?P<func>.*) \((?P<file>.*?):(?P<line>\d+)\)$")
    processes: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[tuple[str, str]] = collections.Counter()
    own: collections.Counter[tuple[str, str]] = collections.Counter()
    own_line: collections.Counter[tuple[str, str]] = collections.Counter()
    total = 0
    for text in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = text.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        procs = [f for f in frames if f.startswith("process ")]
        processes[procs[-1][:100] if procs else "process ?"] += count
        keys = []
        for item in frames:
            if item.startswith("process "):
                continue
            match = frame.match(item)
            keys.append((match["func"], match["file"], match["line"]) if match else (item, "", ""))
        for key in {(func, file) for func, file, _ in keys}:
            inclusive[key] += count
        if keys:
            func, file, line = keys[-1]
            own[(func, file)] += count
            own_line[(func, f"{file}:{line}")] += count
    if not total:
        print("no samples")
        return
    print(f"{total} samples")
    print("\n-- samples per process")
    for name, count in processes.most_common():
        print(f"{100 * count / total:6.1f}%  {name}")
    for title, counter in (
        ("inclusive, per function", inclusive),
        ("own time, per function", own),
        ("own time, per line", own_line),
    ):
        print(f"\n-- {title}")
        for (func, where), count in counter.most_common(top):
            print(f"{100 * count / total:6.1f}%  {func}  {where}")


# --------------------------------------------------------------------------- report


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return head + (" + uncommitted changes" if dirty.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {}
    for dist in (
        "kyanh-corpus",
        "pydantic",
        "pydantic-core",
        "pyarrow",
        "datasets",
        "huggingface-hub",
        "jsonschema",
    ):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus_usable": usable,
        "memory_gb": mem,
        "python": platform.python_version(),
        "versions": versions,
        "git": _git(),
    }


def table(rows: list[Row], notes: bool = False) -> str:
    head = "| stage | figure | ours | reference | ratio | target | met |"
    rule = "|---|---|---|---|---|---|---|"
    if notes:
        head, rule = head + " note |", rule + "---|"
    out = [head, rule]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r.met]
        line = (
            f"| {r.stage} | {r.figure} | {r.ours} | {r.reference} | {r.ratio} | {r.target} "
            f"| {met} |"
        )
        out.append(line + (f" {r.note} |" if notes else ""))
    return "\n".join(out)


def markdown(ctx: Context, info: dict[str, Any], date: str, wall: float) -> str:
    args, res = ctx.args, ctx.results
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    notes = [
        f"Pages: first N of a {4 * args.n}-page archive from `scripts/make_archive.py` "
        f"(seed {args.seed}); 4N = the whole archive.",
        "Times are wall-clock medians [min–max] of the runs, each run in a fresh process "
        "(warm page cache); peak RSS is `ru_maxrss` of the measured process tree's largest "
        "process, read in a fresh wrapper process per measurement.",
        "Build MB/s count the raw `.txt` bytes over the whole `kyanh-corpus build` command "
        "(start-up, extraction, Parquet, `hf/`, card, manifest). Reference: `extract_file` on "
        "every page in one process (import + loop, nothing written).",
        "Load times are in-process (after imports) for all articles then all turns of the "
        "N-page build: ours = `load_articles(DIR)` / `load_interview_turns(DIR)` (manifest "
        "checksums included); floor = `ParquetFile.iter_batches` (the loader's batch sizes) + "
        "`to_pylist` + `TypeAdapter(list[Model]).validate_python`; datasets = "
        "`datasets.load_from_disk(DIR/hf/<config>)` iterated row by row (the build's `hf/` copy "
        "of the same rows). All three read the same rows (counts and nested item counts "
        "checked).",
        "Validate: the N-page build's articles and turns exported as JSONL; ours = "
        "`kyanh-corpus validate FILES --jobs J` (wall, incl. start-up); reference = a fresh "
        "process doing `TypeAdapter(Model).validate_json` per line (wall, incl. start-up); "
        "jsonschema = `validator_for(schema)` with format checks on every k-th line, loop time "
        "scaled by bytes to the whole files, plus its process start-up.",
        "A ratio marked `t` is ours/reference in time (lower is better); a plain `x` is a "
        "speed-up or a memory ratio as named.",
        *res.notes,
    ]
    return "\n".join(
        [
            "# Benchmark results",
            "",
            f"Generated by `python scripts/bench.py {' '.join(sys.argv[1:])}` on {date} "
            f"({wall / 60:.1f} min). Do not edit by hand: rerun the command. Hot spots and "
            "recommended fixes: [README.md](README.md).",
            "",
            f"- machine: {info['cpu']}, {info['cpus_usable']} usable CPUs, "
            f"{info['memory_gb']} GB RAM; {info['platform']}",
            f"- Python {info['python']}; {versions}",
            f"- code: git {info['git']}",
            f"- load average (1, 5, 15 min) at start {info['load_average_at_start']}, at end "
            f"{[round(x, 2) for x in os.getloadavg()]} (other work on the machine skews times)",
            f"- N = {args.n} pages, {args.runs} run(s) per figure",
            "",
            table(res.rows, notes=True),
            "",
            "## How these were measured",
            "",
            *(f"- {note}" for note in notes),
            "",
            "## Reproduce",
            "",
            "```sh",
            ".venv/bin/python scripts/bench.py                   # N=10,000, 3 runs, < 10 min",
            ".venv/bin/python scripts/bench.py --n 200 --runs 1  # quick check",
            ".venv/bin/python scripts/bench.py --n 2000 --json bench.json",
            ".venv/bin/python scripts/bench.py --n 2000 --profile build   # or extract, load, "
            "validate, import",
            ".venv/bin/python scripts/bench.py --n 2000 --profile build --profiler py-spy "
            "--profile-jobs 2",
            "```",
            "",
        ]
    )


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmarks at archive scale: build, typed loading, validate, start-up.",
        epilog=PROFILE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--n", type=int, default=10_000, help="pages (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="archive seed (default 0)")
    parser.add_argument("--json", type=Path, help="also write the figures as one JSON object")
    parser.add_argument(
        "--results",
        type=Path,
        default=ROOT / "benchmarks" / "RESULTS.md",
        help="Markdown report to write (default benchmarks/RESULTS.md; '-' for none)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kyanh-corpus-bench",
        help="archives (cached), builds and JSONL files (default: $TMPDIR/kyanh-corpus-bench)",
    )
    parser.add_argument(
        "--stages",
        default=",".join(STAGES),
        help=f"comma-separated subset of {','.join(STAGES)} (default all)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=570.0,
        help="seconds; optional 4N measurements are skipped past it",
    )
    parser.add_argument(
        "--jsonschema-sample",
        type=int,
        default=1_500_000,
        help="bytes of each JSONL file checked with jsonschema (default 1.5 MB)",
    )
    parser.add_argument(
        "--profile", metavar="STAGE", help="cProfile one stage instead of benchmarking (see below)"
    )
    parser.add_argument(
        "--gc",
        choices=("on", "off"),
        default="on",
        help="with --profile (cProfile): run the profiled process with gc on or off",
    )
    parser.add_argument(
        "--profiler",
        choices=("cprofile", "py-spy"),
        default="cprofile",
        help="with --profile: cProfile (deterministic) or py-spy (sampling, worker processes "
        "included; prints CPU shares per process, function and line)",
    )
    parser.add_argument(
        "--profile-jobs", type=int, default=1, help="with --profile build/validate: --jobs N"
    )
    parser.add_argument("--top", type=int, default=30, help="with --profile: rows to print")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every command")
    args = parser.parse_args(argv)
    if args.n < 1 or args.runs < 1:
        parser.error("--n and --runs must be at least 1")
    unknown = set(args.stages.split(",")) - set(STAGES)
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_child"]:
        return child_main(argv[1:])
    args = parse_args(argv)
    started = time.perf_counter()
    args.workdir.mkdir(parents=True, exist_ok=True)
    raw_n, raw_4n = prepare_archive(args.workdir, args.n, args.seed)
    ctx = Context(
        args, Runner(args.workdir, args.verbose), Results(), args.workdir, raw_n, raw_4n, started
    )
    if args.profile:
        run_profile(ctx, args.profile)
        return 0
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    info = machine()
    selected = args.stages.split(",")
    for name, stage in STAGES.items():
        if name in selected:
            stage(ctx)
    wall = time.perf_counter() - started
    print("\n" + table(ctx.results.rows) + "\n")
    for note in ctx.results.notes:
        print(f"note: {note}")
    missing = [k for k in REQUIRED_KEYS if k not in ctx.results.figures]
    if missing and len(selected) == len(STAGES):
        print(f"warning: figures missing: {', '.join(missing)}", file=sys.stderr)
    print(f"total {wall:.0f} s", file=sys.stderr)
    if str(args.results) != "-":
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(markdown(ctx, info, date, wall), encoding="utf-8")
        print(f"wrote {args.results}", file=sys.stderr)
    if args.json:
        payload = {k: ctx.results.figures.get(k) for k in REQUIRED_KEYS}
        payload.update({k: v for k, v in ctx.results.figures.items() if k not in payload})
        payload["n"] = args.n
        payload["runs"] = args.runs
        payload["date"] = date
        payload["machine"] = info
        payload["total_s"] = wall
        payload["notes"] = ctx.results.notes
        payload["details"] = ctx.results.details
        args.json.write_text(
            json.dumps(payload, indent=2, sort_keys=False) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        raise SystemExit(1) from None
