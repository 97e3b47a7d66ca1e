"""A data scientist's session, end to end (issue 12): build, load, look up, filter, export to
DataFrames and files, read with Hugging Face habits, validate what pandas, Polars and
``datasets`` wrote, plan a publish -- through the public API and the command line only.

The README's own examples run as doctests (``README.md`` is collected); this walks the rest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kyanh_corpus as kc
from support.builds import build_with_cli, run_cli
from support.paths import PAGES_DIR

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("session") / "corpus"
    summary = build_with_cli(out)
    assert {"conflicting_documents", "ambiguous_documents"} <= set(summary)
    return out


def test_a_session_on_a_built_folder(corpus: Path, tmp_path: Path) -> None:
    assert run_cli("--version").stdout.startswith("kyanh-corpus ")
    articles = kc.load_articles(corpus)
    assert len(articles) == len(list(PAGES_DIR.glob("*.txt"))) + 1
    interviews = articles.filter(genre="interview")
    first = interviews[0]
    assert interviews[-1].genre == "interview" and interviews[:2][0] == first
    turns = kc.turns_of(first.article_id, corpus)
    assert turns and all(kc.article_of(turn, corpus) == first for turn in turns)
    frame = kc.load_interview_turns(corpus).to_pandas()
    assert isinstance(frame, pd.DataFrame) and len(frame) == len(kc.load_interview_turns(corpus))
    polars_frame = kc.load_resolutions(corpus).to_polars()
    assert isinstance(polars_frame, pl.DataFrame)
    # The seed's resolution, by the code as printed, and the articles citing it.
    resolution = kc.get_resolution("Nghị quyết số 02-NQ/ThU", corpus)
    assert resolution is not None and resolution.issued_on is not None
    citing = kc.articles_citing("02-NQ/ThU", corpus)
    assert {m.article_id for m in resolution.mentions} == {a.article_id for a in citing}
    # Hugging Face habits: a DatasetDict with "train", exactly the declared features.
    dataset = kc.load_dataset(corpus, "interview_turns")
    assert list(dataset) == ["train"] and dataset["train"].num_rows == len(frame)
    # Export a config and validate what pandas, Polars and datasets write of it.
    out = tmp_path / "resolutions.jsonl"
    assert run_cli("export", corpus, "--config", "resolutions", "--format", "jsonl",
                   "--out", out).returncode == 0  # fmt: skip
    written = {
        "pandas.parquet": lambda p: kc.load_articles(corpus).to_pandas().to_parquet(p),
        "polars.parquet": lambda p: kc.load_articles(corpus).to_polars().write_parquet(p),
        "datasets.parquet": lambda p: kc.load_dataset(corpus, "articles")["train"].to_parquet(p),
        "datasets.jsonl": lambda p: kc.load_dataset(corpus, "articles")["train"].to_json(p),
    }
    for name, write in written.items():
        path = tmp_path / f"articles-{name}"
        write(path)
        done = run_cli("validate", path, "--entity", "articles", "--json")
        report = json.loads(done.stdout)
        assert done.returncode == 0 and report["valid"], (name, report["errors"][:3])
        assert report["records"] == len(articles), name
    done = run_cli("validate", out, "--entity", "resolutions")
    assert done.returncode == 0, done.stdout
    # A publish, planned offline: the Parquet repository, tagged with the dataset version.
    plan = run_cli("publish", corpus, "--repo-id", "someone/kyanh", "--dry-run", "--json")
    operations = json.loads(plan.stdout)["operations"]
    calls = [op["call"] for op in operations]
    assert calls == ["create_repo", "list_repo_files", "create_commit", "create_tag"]
    assert not any(f["path_in_repo"].startswith("hf/") for f in operations[2]["files"])
