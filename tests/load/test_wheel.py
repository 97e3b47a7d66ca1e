"""The wheel ships the embedded corpus, and loading from the installed package needs no network."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from support.paths import ROOT

SNIPPET = """
import kyanh_corpus, sys
from kyanh_corpus import load_articles, load_interview_turns, get_resolution
assert kyanh_corpus.__file__.startswith(sys.argv[1]), kyanh_corpus.__file__
articles = list(load_articles())
assert len(articles) == 1 and len(articles[0].paragraphs) == 19
assert [t.speaker_role for t in load_interview_turns()][:2] == ["interviewer", "interviewee"]
assert get_resolution("02-nq-thu-ky-anh-2021").code == "02-NQ/ThU"
print("ok", articles[0].article_id)
"""


def test_wheel_ships_the_corpus_and_loads_offline(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(dist),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("kyanh_corpus-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "kyanh_corpus/py.typed",
        "kyanh_corpus/_data/manifest.json",
        "kyanh_corpus/_data/README.md",
        "kyanh_corpus/_data/data/articles/train-00000-of-00001.parquet",
    ):
        assert required in names, f"{required} missing from {wheel.name}"
    assert not any(
        name.startswith("kyanh_corpus/_data/hf/") and name.endswith(".pkl") for name in names
    )
    # The wheel names both licences: the code's (MIT) and the article text's status.
    (metadata,) = (name for name in names if name.endswith(".dist-info/METADATA"))
    meta = zipfile.ZipFile(wheel).read(metadata).decode("utf-8")
    files = {
        line.split(":", 1)[1].strip()
        for line in meta.splitlines()
        if line.startswith("License-File:")
    }
    assert {"LICENSE", "src/kyanh_corpus/LICENSE-DATA"} <= files or {"LICENSE", "LICENSE-DATA"} <= {
        name.rsplit("/", 1)[-1] for name in files
    }, meta[:500]
    assert "kyanh_corpus/LICENSE-DATA" in names

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "NO_PROXY": "*",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(site)!r})\n" + SNIPPET,
            str(site),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok ")
