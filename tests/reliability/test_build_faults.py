"""The fault battery, build side: builds killed at every named point, a machine that refuses to
write (a file where a folder should be, a size-limited disk, a read-only folder), a worker
process killed, and corrupted built folders.

Every trial: one line on stderr (or a killed process), the documented exit code, no traceback,
and the previous build byte for byte as it was; the next build succeeds and leaves nothing
behind. docs/reliability.md lists these faults with the tests that prove them.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kyanh_corpus.build.faults import KILL_AT_VARIABLE, POINTS
from kyanh_corpus.cli import main
from kyanh_corpus.errors import KyanhCorpusError
from kyanh_corpus.load import load_articles
from support.builds import ALL_PAGES, run_cli, snapshot

EXIT_ENVIRONMENT = 3


def _cli(
    *args: str | Path, env: dict[str, str] | None = None, preexec: object = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kyanh_corpus", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        preexec_fn=preexec,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for page in ALL_PAGES:
        shutil.copyfile(page, folder / page.name)
    return folder


@pytest.fixture
def previous(tmp_path: Path, pages: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A complete previous build in ``tmp_path/out`` (of the first pages only, so that a new
    build would change it), and its snapshot."""
    first = tmp_path / "first"
    first.mkdir()
    for page in sorted(pages.glob("*.txt"))[:5]:
        shutil.copyfile(page, first / page.name)
    out = tmp_path / "out"
    done = _cli("build", first, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    yield out, snapshot(out)


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.mark.parametrize(
    ("where", "jobs"),
    [(point, 1) for point in POINTS]
    + [(point, 2) for point in POINTS]
    + [("worker:map-start", 2), ("worker:map-written", 2)],
)
def test_a_build_killed_anywhere_loses_nothing(
    previous: tuple[Path, dict[str, str]], pages: Path, where: str, jobs: int
) -> None:
    out, before = previous
    done = _cli(
        "build", pages, "--out", out, "--quiet", "--shard-rows", "10", "--jobs", str(jobs),
        env={KILL_AT_VARIABLE: where},
    )  # fmt: skip
    # With --jobs 2 the build process maps too: "map-*" kills whichever gets there first
    in_a_worker = where.startswith("worker:") or (
        jobs == 2 and where.startswith("map-") and done.returncode != -signal.SIGKILL
    )
    if in_a_worker:  # a worker killed: the build says so in one line and stops
        assert done.returncode == EXIT_ENVIRONMENT, done.stderr
        assert done.stderr.strip().splitlines() == [
            "kyanh-corpus build: error: a build worker process ended abruptly "
            "(killed, or out of memory)"
        ]
        assert not _leftovers(out)
    else:  # the build process itself killed: no cleanup at all
        assert done.returncode == -signal.SIGKILL, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(out) == before  # the previous build, byte for byte
    again = _cli("build", pages, "--out", out, "--quiet")  # the next build cleans up
    assert again.returncode == 0, again.stderr
    assert not _leftovers(out)
    assert len(list(load_articles(out))) == len(ALL_PAGES)


def test_out_under_a_regular_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    done = _cli("build", ALL_PAGES[0], "--out", tmp_path / "a-file" / "out")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"kyanh-corpus build: error: {tmp_path / 'a-file' / 'out'}: "
        f"{tmp_path / 'a-file'} is a file, not a folder"
    ]


@pytest.mark.parametrize("where", ["first-write", "a-shard", "the-largest-file"])
def test_a_size_limited_disk_is_one_line_and_keeps_the_previous_build(
    previous: tuple[Path, dict[str, str]], pages: Path, built: Path, where: str
) -> None:
    """RLIMIT_FSIZE: every write past ``limit`` bytes fails (EFBIG), as on a full disk (ENOSPC)
    -- at the ledger, a shard or the largest file depending on the limit."""
    out, before = previous
    largest = max(p.stat().st_size for p in built.rglob("*") if p.is_file())
    limit = {"first-write": 4_096, "a-shard": 60_000, "the-largest-file": largest - 1}[where]

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = _cli("build", pages, "--out", out, "--quiet", preexec=limited)
    assert done.returncode == EXIT_ENVIRONMENT, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("kyanh-corpus build: error: ") and "Traceback" not in line
    assert "too large" in line or "I/O error" in line or "No space" in line, line
    assert snapshot(out) == before
    assert not _leftovers(out)


def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` made read-only: ``chattr +i`` as root (who ignores permissions), else mode
    0555; skips where neither is possible."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: a read-only folder cannot be made")
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i refused: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_output_folder_is_one_line_and_keeps_the_previous_build(
    previous: tuple[Path, dict[str, str]], pages: Path
) -> None:
    out, before = previous
    for _ in _read_only(out.parent):
        done = _cli("build", pages, "--out", out, "--quiet")
        assert done.returncode == EXIT_ENVIRONMENT, done.stderr
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"kyanh-corpus build: error: {out.parent}/.out.building-")
        assert line.endswith("Operation not permitted") or line.endswith("Permission denied")
        assert snapshot(out) == before


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pages: Path) -> Path:
    out = tmp_path_factory.mktemp("built") / "out"
    done = run_cli("build", pages, "--out", out, "--quiet", "--shard-rows", "20")
    assert done.returncode == 0, done.stderr
    return out


def _files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    )


def _main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    """The CLI in this process (no interpreter start per call): exit code, stdout + stderr."""
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_a_flipped_byte_anywhere_is_caught_by_every_reader(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bit flipped in any file of a built folder: validate names the file, and the typed
    loader and ``info --sample`` refuse the folder rather than return altered records."""
    copy = tmp_path / "copy"
    for relative in _files(built):
        shutil.copytree(built, copy)
        path = copy / relative
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x20
        path.write_bytes(bytes(data))
        code, output = _main(capsys, "validate", copy)
        assert code == 1 and relative in output, (relative, output)
        if relative.startswith("data/articles/"):
            with pytest.raises(KyanhCorpusError):
                list(load_articles(copy))
        code, output = _main(capsys, "info", copy, "--sample", "1")  # verifies what it reads
        if relative.startswith("data/"):
            assert code == 1 and relative in output, (relative, output)
        shutil.rmtree(copy)


def test_a_folder_carrying_a_script_and_a_pickle_never_runs_them(
    built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A built folder that someone added a loading script and a pickle to: our readers read the
    data files only, `datasets.load_dataset` refuses the script, and nothing is executed."""
    import pickle

    import datasets

    from kyanh_corpus import load_dataset

    folder = tmp_path / "carrying"
    shutil.copytree(built, folder)
    marker = tmp_path / "executed"
    code = f"open({str(marker)!r}, 'w').write('script ran')\n"
    (folder / "carrying.py").write_text(code, encoding="utf-8")
    (folder / "data" / "articles" / "carrying.py").write_text(code, encoding="utf-8")

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (exec, (code,))

    (folder / "state.pkl").write_bytes(pickle.dumps(Payload()))
    (folder / "hf" / "articles" / "cache.pkl").write_bytes(pickle.dumps(Payload()))

    assert len(list(load_articles(folder))) == len(ALL_PAGES)
    assert len(load_dataset(folder, "articles")["train"]) == len(ALL_PAGES)
    with pytest.raises(RuntimeError, match="scripts are no longer supported"):
        datasets.load_dataset(str(folder), "articles", split="train")  # refused, not run
    assert len(datasets.load_from_disk(str(folder / "hf" / "articles"))) == len(ALL_PAGES)
    code_, output = _main(capsys, "info", folder, "--sample", "1")
    assert code_ == 0, output
    _main(capsys, "validate", folder)  # unlisted files may be reported; never run
    assert not marker.exists()
