"""The build's on-disk bookkeeping (:mod:`kyanh_corpus.build.ledger`) and the other pieces that
keep a build's memory flat or hand rows between processes: the streamed JSON writers
(:mod:`kyanh_corpus.dataset.json`), the GC controls, and
``extract_file(sidecar=...)``."""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus import gc_control
from kyanh_corpus.build.ledger import QUERIES, Ledger
from kyanh_corpus.dataset.json import JsonItems, entries_writer, write_json_streamed
from kyanh_corpus.dataset.manifest import dump_json
from kyanh_corpus.extract import extract_file
from support.paths import PAGES_DIR

# File names as a file system may give them: any text but NUL and lone surrogates.
names = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=12
)
digests = st.text("0123456789abcdef", min_size=64, max_size=64)


@given(st.dictionaries(names, st.tuples(st.integers(0, 2**40), digests), max_size=30))
def test_inputs_come_back_sorted_as_python_sorts(
    tmp_path_factory: pytest.TempPathFactory, entries: dict[str, tuple[int, str]]
) -> None:
    ledger = Ledger(tmp_path_factory.mktemp("ledger") / "ledger.sqlite")
    try:
        for name, (size, sha256) in entries.items():
            ledger.add_input(name, size, sha256)
        expected = [(name, *entries[name]) for name in sorted(entries)]
        assert list(ledger.inputs()) == expected
        assert list(ledger.input_sha256s()) == sorted(sha for _, sha in entries.values())
        assert ledger.input_count == len(entries)
    finally:
        ledger.close()


def test_an_input_name_is_recorded_once(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite")
    ledger.add_input("a.txt", 1, "0" * 64)
    with pytest.raises(Exception, match="UNIQUE"):
        ledger.add_input("a.txt", 2, "1" * 64)
    ledger.close()


def test_claim_article_names_the_first_file(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite")
    assert ledger.claim_article("bai-viet-1", "001.txt") is None
    assert ledger.claim_article("bai-viet-2", "002.txt") is None
    assert ledger.claim_article("bai-viet-1", "003.txt") == "001.txt"
    assert ledger.claim_article("bai-viet-1", "004.txt") == "001.txt"  # still the first
    ledger.close()


def test_statements_come_by_rank_then_tier_then_seq(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite")
    # doc 0 and 1 are one document (1 is the alias, tier 1); doc 2 comes first; doc 3 is left out
    ledger.add_statements([(1, 0, 0, "alias-early", "a0"), (0, 5, 0, "target-late", "a5")])
    ledger.add_statements([(2, 3, 0, "other", "a3"), (0, 1, 1, "target-early", "a1")])
    ledger.add_statements([(3, 2, 0, "dropped", "a2"), (0, 1, 0, "target-first", "a1")])
    got = list(ledger.statements([(0, 1, 0), (1, 1, 1), (2, 0, 0)]))
    assert got == [
        (0, "other", "a3"),
        (1, "target-first", "a1"),
        (1, "target-early", "a1"),
        (1, "target-late", "a5"),
        (1, "alias-early", "a0"),
    ]
    ledger.close()


@given(
    st.dictionaries(st.sampled_from(["format", "configs", "z"]), st.integers(), max_size=3),
    st.dictionaries(names, st.dictionaries(st.sampled_from(["bytes", "sha256"]), names)),
    st.lists(st.dictionaries(names, names | st.integers(), max_size=3), max_size=4),
)
def test_streamed_values_are_dump_json(
    tmp_path_factory: pytest.TempPathFactory,
    obj: dict[str, int],
    entries: dict[str, dict[str, str]],
    items: list[dict[str, object]],
) -> None:
    folder = tmp_path_factory.mktemp("json")
    spilled = JsonItems(folder / "items.json")
    for item in items:
        spilled.add(item)
    streamed = {"inputs": entries_writer(sorted(entries.items())), "b": spilled.write_list}
    write_json_streamed(folder / "out.json", obj, streamed)
    expected = dump_json({**obj, "inputs": entries, "b": items})
    assert (folder / "out.json").read_text("utf-8") == expected


def test_reading_queries_walk_indexes_without_sorting(tmp_path: Path) -> None:
    """No ``ORDER BY`` needs a sort: a sort would spill to the system's temporary folder (outside
    the work folder) and hold memory; the indexes give the order."""
    ledger = Ledger(tmp_path / "ledger.sqlite")
    for number in range(300):
        ledger.add_input(f"{number:05d}.txt", number, f"{(number * 7919) % 300:064x}")
        ledger.add_statements([(number % 17, number, 0, "[]", f"a{number}")])
    ledger.db.executemany("INSERT INTO ranks VALUES (?, ?, ?)", [(d, 0, d) for d in range(17)])
    for name, query in QUERIES.items():
        plan = [row[-1] for row in ledger.db.execute("EXPLAIN QUERY PLAN " + query)]
        assert not any("TEMP B-TREE" in step for step in plan), (name, plan)
    ledger.close()


def test_gc_frozen_freezes_and_restores() -> None:
    gc.unfreeze()  # start from nothing frozen, whatever ran before in this process
    before = gc.get_freeze_count()
    with gc_control.frozen():
        assert gc.get_freeze_count() > before
        with gc_control.frozen():  # already frozen: nothing more to do, nothing undone
            pass
        assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() == before


def test_gc_frozen_leaves_a_callers_freeze_alone() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert not gc_control.freeze()
        with gc_control.frozen():
            pass
        # still the caller's (an unfreeze would leave none); a few frozen objects may have been
        # freed by reference counting meanwhile, which takes them out of the count
        assert frozen - 100 <= gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


def test_gc_paused_resumes_as_it_was() -> None:
    assert gc.isenabled()
    with gc_control.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_control.paused():
            pass
        assert not gc.isenabled()  # it was off: it stays off
    finally:
        gc.enable()


def test_extract_file_takes_the_sidecar_it_is_given(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    shutil.copy(PAGES_DIR / "pv_interview.txt", page)
    other = tmp_path / "elsewhere.json"
    other.write_text(json.dumps({"published_at": "2021-03-04"}), "utf-8")
    shutil.copy(PAGES_DIR / "pv_interview.meta.json", tmp_path / "page.meta.json")
    looked_up = extract_file(page)
    assert looked_up.article.published_at is not None
    assert extract_file(page, sidecar=None).article.published_at is None
    given_one = extract_file(page, sidecar=other)
    assert str(given_one.article.published_at) == "2021-03-04"
    assert looked_up.article.published_at != given_one.article.published_at
