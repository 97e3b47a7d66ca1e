"""Large-scale accuracy test of the extractor on the synthetic archive (scripts/make_archive.py).

The generator plants, page by page, what a correct extraction must find (see the generator's
module docstring for what it guarantees). We generate a fixed-seed archive, extract every page
with :func:`kyanh_corpus.extract.extract_file` (sidecars included) and compare, field by field:
each field is its own test, so a failure names the kind of mismatch and lists the first files
with what was planted and what was extracted.

These tests are strict on purpose: a mismatch is an extractor bug (or a generator bug), never
something to tolerate. Rerun one file by hand with::

    python scripts/make_archive.py /tmp/archive --n 1000 --seed 20240607
    python -c "from kyanh_corpus.extract import extract_file as x; \\
        print(x('/tmp/archive/<file>').article)"
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus.extract import Extraction, ExtractionError, extract_file
from support.scripts import load_script
from support.strategies_extract import check_rows

N_PAGES = 1000  # ~4 s here for generation + extraction; keep the module well under 60 s
SEED = 20240607
SHOW = 5  # mismatching files shown per failing field


make_archive = load_script("make_archive")

Record = dict[str, Any]


def _observed(extraction: Extraction) -> Record:
    """The facts of one extraction, in the shape of a planted record."""
    article = extraction.article
    interviewees = [t for t in extraction.turns if t.speaker_role == "interviewee"]
    return {
        "title": article.title,
        "lede": article.lede,
        "genre": article.genre,
        "paragraphs": len(article.paragraphs),
        "captions": len(article.captions),
        "archival_captions": sum(caption.archival for caption in article.captions),
        "turns": len(extraction.turns),
        "interviewer_turns": sum(t.speaker_role == "interviewer" for t in extraction.turns),
        "turn_labels": [t.speaker_label for t in extraction.turns],
        "interviewee_names": [t.speaker_name for t in interviewees],
        "interviewee_titles": [t.speaker_title for t in interviewees],
        "authors": list(article.authors),
        "byline_role": article.byline_role,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "resolutions": {
            res.code: {
                "mentions": len(res.mentions),
                "issued_on": res.issued_on.isoformat() if res.issued_on else None,
                "doc_type_name": res.doc_type_name,
                "issuer": res.issuer,
            }
            for res in extraction.resolutions
        },
    }


def _planted(record: Record) -> Record:
    view = {key: record[key] for key in _SIMPLE_FIELDS}
    view["resolutions"] = {
        res["code"]: {key: res[key] for key in _CODE_FACTS} for res in record["resolutions"]
    }
    return view


_SIMPLE_FIELDS = (
    "title",
    "lede",
    "genre",
    "paragraphs",
    "captions",
    "archival_captions",
    "turns",
    "interviewer_turns",
    "turn_labels",
    "interviewee_names",
    "interviewee_titles",
    "authors",
    "byline_role",
    "published_at",
)
_CODE_FACTS = ("mentions", "issued_on", "doc_type_name", "issuer")


def _per_code(key: str) -> Callable[[Record], dict[str, Any]]:
    """A field of every resolution both sides know (codes themselves are compared separately)."""

    def get(view: Record) -> dict[str, Any]:
        return {code: facts[key] for code, facts in view["resolutions"].items()}

    return get


def _simple(key: str) -> Callable[[Record], Any]:
    return lambda view: view[key]


FIELDS: dict[str, Callable[[Record], Any]] = {key: _simple(key) for key in _SIMPLE_FIELDS}
FIELDS["resolution_codes"] = lambda view: sorted(view["resolutions"])
FIELDS["mentions_per_code"] = _per_code("mentions")
FIELDS["issued_on_per_code"] = _per_code("issued_on")
FIELDS["doc_type_name_per_code"] = _per_code("doc_type_name")
FIELDS["issuer_per_code"] = _per_code("issuer")
_PER_CODE = {f"{key}_per_code" for key in ("mentions", "issued_on", "doc_type_name", "issuer")}


class Archive:
    """The generated pages, what was planted, and what the extractor made of each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.records: list[Record] = make_archive.generate(root, N_PAGES, seed=SEED)
        self.extracted: dict[str, Record] = {}
        self.errors: list[tuple[str, str]] = []
        self.bad_rows: list[str] = []
        """Pages whose ``Extraction.rows`` (what the build writes) differ from the records."""
        for record in self.records:
            try:
                extraction = extract_file(root / record["file"])
            except ExtractionError as error:
                self.errors.append((record["file"], str(error)))
            else:
                self.extracted[record["file"]] = _observed(extraction)
                try:
                    check_rows(extraction)
                except AssertionError:
                    self.bad_rows.append(record["file"])


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return Archive(tmp_path_factory.mktemp("archive"))


def test_generated_archive_is_as_described(archive: Archive) -> None:
    """Sizes, the planted.jsonl file, and some of every kind of page were produced."""
    assert len(archive.records) == N_PAGES
    planted = (archive.root / "planted.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in planted] == archive.records
    for record in archive.records:
        size = (archive.root / record["file"]).stat().st_size
        assert size == record["bytes"]
        assert make_archive.MIN_BYTES <= size <= make_archive.MAX_BYTES, record["file"]
    genres = {record["genre"] for record in archive.records}
    assert genres == {"interview", "news"}
    assert any(record["resolutions"] for record in archive.records)
    assert any(record["published_at"] for record in archive.records)  # sidecars
    # Every real press shape (docs/design.md, "Real press shapes") is planted on some pages.
    shapes = Counter(shape for record in archive.records for shape in record["shapes"])
    rare = {shape: shapes[shape] for shape in make_archive.SHAPES if shapes[shape] < 3}
    assert not rare, f"press shapes planted on fewer than 3 pages: {rare}"
    boms = sum(
        (archive.root / r["file"]).read_bytes()[:3] == b"\xef\xbb\xbf" for r in archive.records
    )
    assert 0.05 * N_PAGES < boms < 0.3 * N_PAGES  # NFD + CRLF + BOM share (default 0.15)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = make_archive.generate(tmp_path / "a", 40, seed=SEED)
    second = make_archive.generate(tmp_path / "b", 40, seed=SEED)
    assert first == second
    for record in first:
        name = record["file"]
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_every_page_extracts(archive: Archive) -> None:
    shown = "\n".join(f"  {path}: {message}" for path, message in archive.errors[:SHOW])
    assert not archive.errors, (
        f"{len(archive.errors)} of {N_PAGES} generated pages raised ExtractionError:\n{shown}"
    )


def test_rows_are_the_records(archive: Archive) -> None:
    assert len(archive.extracted) == N_PAGES
    assert not archive.bad_rows, archive.bad_rows[:SHOW]


@pytest.mark.parametrize("field", list(FIELDS))
def test_extracted_equals_planted(archive: Archive, field: str) -> None:
    get = FIELDS[field]
    mismatches: list[str] = []
    compared = 0
    for record in archive.records:
        got_view = archive.extracted.get(record["file"])
        if got_view is None:
            continue  # reported by test_every_page_extracts
        want_view = _planted(record)
        if field in _PER_CODE:
            common = set(want_view["resolutions"]) & set(got_view["resolutions"])
            want = {code: value for code, value in get(want_view).items() if code in common}
            got = {code: value for code, value in get(got_view).items() if code in common}
        else:
            want, got = get(want_view), get(got_view)
        compared += 1
        if want != got:
            mismatches.append(f"  {record['file']}: planted {want!r}, extracted {got!r}")
    assert compared, "nothing was extracted"
    assert not mismatches, (
        f"{field}: {len(mismatches)} of {compared} pages differ from what the generator "
        f"planted (first {min(SHOW, len(mismatches))}; files under {archive.root}):\n"
        + "\n".join(mismatches[:SHOW])
    )
