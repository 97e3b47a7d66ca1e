"""`pip install kyanh-corpus` without extras: the embedded corpus and built folders load with
pydantic and pyarrow only; what needs an extra says which one to install.

The optional libraries are made unimportable in a fresh interpreter (a meta-path finder that
refuses them), which is what a light install looks like to the package.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kyanh_corpus.build import build
from support.paths import SEED

BLOCK = textwrap.dedent(
    """
    import importlib.abc, sys

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"datasets", "huggingface_hub", "pandas", "polars"}:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Refuse())
    """
)


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", BLOCK + textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("light") / "corpus"
    assert build([SEED], out).written
    return out


def test_loading_needs_no_extra(folder: Path) -> None:
    done = _run(
        """
        import sys
        from kyanh_corpus import load_articles, load_resolutions, get_resolution
        embedded = list(load_articles())
        built = list(load_articles(sys.argv[1]))
        assert embedded == built and len(built) == 1
        assert get_resolution("02-NQ/ThU", sys.argv[1]).issued_on.isoformat() == "2021-02-03"
        assert load_resolutions(sys.argv[1]).to_arrow().num_rows == 3
        assert len(load_articles(sys.argv[1]).filter(genre="interview")) == 1
        assert not any(m in sys.modules for m in ("datasets", "huggingface_hub", "pandas"))
        print("ok")
        """,
        str(folder),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@pytest.mark.parametrize(
    ("call", "extra"),
    [
        ("kyanh_corpus.load_dataset(sys.argv[1], 'articles')", "hf"),
        ("kyanh_corpus.load_all_configs(sys.argv[1])", "hf"),
        ("kyanh_corpus.load_articles(sys.argv[1]).to_pandas()", "pandas"),
        ("kyanh_corpus.load_articles(sys.argv[1]).to_polars()", "polars"),
    ],
)
def test_what_needs_an_extra_names_it(folder: Path, call: str, extra: str) -> None:
    done = _run(
        f"""
        import sys, kyanh_corpus
        try:
            {call}
        except ImportError as error:
            print(error)
        else:
            raise SystemExit("no error")
        """,
        str(folder),
    )
    assert done.returncode == 0, done.stderr
    assert f'pip install "kyanh-corpus[{extra}]"' in done.stdout


def test_the_build_needs_no_extra(tmp_path: Path) -> None:
    """The build writes the hf/ form and the card with pyarrow alone (the datasets forms of the
    schema are computed); the folder then loads with datasets, where it is installed."""
    out = tmp_path / "light-build"
    done = _run(
        """
        import sys
        from kyanh_corpus.cli import main
        code = main(["build", sys.argv[1], "--out", sys.argv[2], "--quiet"])
        assert "datasets" not in sys.modules
        sys.exit(code)
        """,
        str(SEED),
        str(out),
    )
    assert done.returncode == 0, done.stderr
    import datasets

    from kyanh_corpus import load_articles

    loaded = datasets.load_from_disk(str(out / "hf" / "articles"))
    assert [row["article_id"] for row in loaded] == [a.article_id for a in load_articles(out)]
