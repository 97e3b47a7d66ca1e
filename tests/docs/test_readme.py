"""The README's field tables and quick start agree with the code."""

from __future__ import annotations

import re

from kyanh_corpus.card import field_tables
from support.paths import ROOT
from support.scripts import load_script

README = ROOT / "README.md"
regen = load_script("regen")  # `make regen` writes the tables between these markers


def test_field_tables_are_generated_from_the_models() -> None:
    text = README.read_text(encoding="utf-8")
    assert regen.START in text and regen.END in text
    embedded = text.split(regen.START, 1)[1].split(regen.END, 1)[0]
    assert embedded == field_tables().rstrip("\n"), "README field tables are stale: make regen"
    assert regen.readme_with_tables(text) == text


def test_quick_start_is_two_make_commands_and_ci_runs_the_test_one() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, flags=re.M)
