"""`kyanh-corpus info` verifies what it reads: a corrupted shard is an error, not altered text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kyanh_corpus.build import build
from kyanh_corpus.dataset.manifest import read_manifest
from support.builds import run_cli
from support.paths import SEED


def test_info_sample_refuses_a_corrupted_shard_and_names_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([SEED], out).written
    shard = out / read_manifest(out).configs["articles"].files[0]
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0x01
    shard.write_bytes(bytes(data))
    done = run_cli("info", out, "--sample", "1")
    assert done.returncode == 1
    assert "articles" in done.stderr and "sha256" in done.stderr and done.stdout == ""
    assert done.stderr.count("\n") == 1  # one line, no traceback
    # without --sample nothing is read but the manifest and the verified report
    assert run_cli("info", out).returncode == 0


def test_info_shows_the_document_counts_of_a_verified_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([SEED], out).written
    done = run_cli("info", out, "--json")
    info = json.loads(done.stdout)
    # the seed prints two issuers for 02-NQ/ThU (BTV Thị ủy / BCH Đảng bộ): one document
    assert (info["conflicting_documents"], info["ambiguous_documents"]) == (1, 0)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    report = copy / "build_report.json"
    report.write_text(
        report.read_text("utf-8").replace('"ambiguous_documents": 0', '"ambiguous_documents": 7'),
        "utf-8",
    )
    forged = json.loads(run_cli("info", copy, "--json").stdout)
    assert "ambiguous_documents" not in forged  # an edited report is not believed
