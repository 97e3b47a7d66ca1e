"""The corpus shipped in the package is exactly the build of data/raw/ (so never stale).

When this fails after a change to data/raw/, the models, the extractor or the build, regenerate
the shipped files with ``python scripts/build_embedded.py`` and commit them.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from kyanh_corpus.dataset.manifest import verify
from support.builds import run_cli, snapshot
from support.paths import RAW_DIR

EMBEDDED = Path(str(files("kyanh_corpus") / "_data"))


def test_embedded_corpus_is_a_fresh_build_of_data_raw(tmp_path: Path) -> None:
    out = tmp_path / "fresh"
    done = run_cli("build", RAW_DIR, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    fresh, shipped = snapshot(out), snapshot(EMBEDDED)
    stale = sorted(
        name for name in set(fresh) | set(shipped) if fresh.get(name) != shipped.get(name)
    )
    assert not stale, (
        f"src/kyanh_corpus/_data is stale ({', '.join(stale)}): "
        "run `python scripts/build_embedded.py` and commit the result"
    )


def test_embedded_corpus_verifies() -> None:
    assert (EMBEDDED / "manifest.json").is_file()
    assert verify(EMBEDDED) == []
