"""Document identity at archive scale (issue 10): the synthetic archive, built, against its truth.

The generator (scripts/make_archive.py) plants documents the way real numbering goes: the same
Party code ("05-CT/ThU") or State code without a year ("123/QĐ-UBND") for different documents in
different years (one per term) or places, the same document cited by several pages (some
printing its date and the place of its issuer, some not; some naming the issuer by a shorter
name), and a few disagreements (another day, another body). Every planted citation says which
document it is, and what a correct build makes of it by docs/design.md, "Document identity":
the document (``refers_to``), or "ambiguous" when it states too little to tell which of two or
more documents it means (then the build keeps it as a record of its own, listed in
``build_report.json``'s ``ambiguous_documents``).

We build the archive once with :func:`kyanh_corpus.build.build` and compare the records with
that truth. Each property is its own test; a failure lists the first mismatches with what was
planted and what was built. Reproduce by hand with::

    python scripts/make_archive.py /tmp/archive --n 1000 --seed 20240607
    kyanh-corpus build /tmp/archive --out /tmp/built
    # then compare /tmp/archive/planted.jsonl ("document", "stated", "refers_to") with
    # load_resolutions("/tmp/built") and /tmp/built/build_report.json
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus.build import build
from kyanh_corpus.load import load_resolutions, load_sources
from support.scripts import load_script

N_PAGES = 1000  # a few seconds to generate, build and load
SEED = 20240607
SHOW = 5  # mismatches shown per failing test

Entry = dict[str, Any]
Citation = tuple[str, str]
"""(file name, canonical code): one page's citation of one document."""


def _target(entry: Entry) -> str:
    """The record a planted citation must be in: its document's key, or, for an ambiguous
    citation, the record of what it states ("ambiguous:<code>|<place>|<year>")."""
    if entry["refers_to"] == "ambiguous":
        return f"ambiguous:{entry['stated']}"
    return str(entry["refers_to"])


class Archive:
    """The generated pages and what was planted for each citation."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.records = load_script("make_archive").generate(root, N_PAGES, seed=SEED)
        self.planted: dict[Citation, Entry] = {
            (record["file"], entry["code"]): entry
            for record in self.records
            for entry in record["resolutions"]
        }


class Built:
    """The archive, built: which planted citations each record holds, and the build report."""

    def __init__(self, archive: Archive, out: Path) -> None:
        self.planted = archive.planted
        self.out = out
        self.result = build([archive.root], out)
        assert self.result.written, [str(failure) for failure in self.result.failures[:SHOW]]
        self.report = json.loads((out / "build_report.json").read_text(encoding="utf-8"))
        files = {source.article_id: source.source_file for source in load_sources(out)}
        self.holds: dict[str, Counter[Citation]] = {}
        """resolution_id -> the citations (with their mention counts) of the built record."""
        for resolution in load_resolutions(out):
            self.holds[resolution.resolution_id] = Counter(
                (files[mention.article_id], resolution.code) for mention in resolution.mentions
            )
        self.records_of: dict[Citation, set[str]] = {}
        for rid, citations in self.holds.items():
            for citation in citations:
                self.records_of.setdefault(citation, set()).add(rid)
        self.ambiguous = {
            item["resolution_id"]: item["candidates"] for item in self.report["ambiguous_documents"]
        }

    def entries(self, rid: str) -> list[Entry]:
        return [self.planted[c] for c in self.holds[rid] if c in self.planted]

    def truth_of(self, rid: str) -> str | None:
        """The planted record a built record is (None when its citations disagree)."""
        targets = {_target(entry) for entry in self.entries(rid)}
        return targets.pop() if len(targets) == 1 else None

    def describe(self, rid: str) -> str:
        cited = sorted(self.holds[rid])
        shown = ", ".join(
            f"{file} -> {self.planted[(file, code)]['refers_to']}"
            if (file, code) in self.planted
            else f"{file} (not planted)"
            for file, code in cited[:4]
        )
        more = f", ... ({len(cited)} pages)" if len(cited) > 4 else ""
        return f"{rid} [{shown}{more}]"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return Archive(tmp_path_factory.mktemp("archive_identity") / "raw")


@pytest.fixture(scope="module")
def built(archive: Archive) -> Built:
    return Built(archive, archive.root.parent / "built")


def _fail(what: str, mismatches: list[str], built: Built) -> str:
    return (
        f"{what}: {len(mismatches)} (first {min(SHOW, len(mismatches))}; archive and build "
        f"under {built.out.parent}):\n" + "\n".join(f"  {m}" for m in mismatches[:SHOW])
    )


def _parts(key: str) -> tuple[str, str, str]:
    """``(code, place, year)`` of a planted ``code|place|year`` key ("" for a missing part)."""
    code, place, year = key.rsplit("|", 2)
    return code, place, year


def test_the_archive_plants_reused_numbers_and_partial_citations(archive: Archive) -> None:
    """What this module checks is actually planted, at useful rates."""
    entries = list(archive.planted.values())
    documents = Counter(entry["document"] for entry in entries)
    years: dict[tuple[str, str], set[str]] = {}
    places: dict[str, set[str]] = {}
    for key in documents:
        code, place, year = _parts(key)
        years.setdefault((code, place), set()).add(year)
        places.setdefault(code, set()).add(place)
    counts = {
        "documents cited by two or more pages": sum(n > 1 for n in documents.values()),
        "codes reused in another year": sum(len(found) > 1 for found in years.values()),
        "codes reused at another place": sum(len(found) > 1 for found in places.values()),
        "undated citations": sum(not _parts(e["stated"])[2] for e in entries),
        "unplaced citations": sum(
            bool(_parts(e["document"])[1]) and not _parts(e["stated"])[1] for e in entries
        ),
        "local issuers printed without their place": sum(
            bool(e["issuer"] and _parts(e["document"])[1])
            and not e["issuer"].endswith(_parts(e["document"])[1])
            for e in entries
        ),
        "ambiguous citations": sum(e["refers_to"] == "ambiguous" for e in entries),
        "date disagreements": sum("issued_on" in e["disagrees"] for e in entries),
        "issuer disagreements": sum("issuer" in e["disagrees"] for e in entries),
    }
    rare = {name: count for name, count in counts.items() if count < 5}
    assert not rare, f"planted too rarely: {rare} (all: {counts})"


def test_every_citation_is_built_with_its_mentions(built: Built) -> None:
    """Each planted citation is in the build with as many mentions as planted, and the build
    has no citation that was not planted (else the other tests compare the wrong things)."""
    mismatches: list[str] = []
    for citation, entry in built.planted.items():
        got = sum(built.holds[rid][citation] for rid in built.records_of.get(citation, ()))
        if got != entry["mentions"]:
            mismatches.append(f"{citation}: planted {entry['mentions']} mentions, built {got}")
    for citation, rids in built.records_of.items():
        if citation not in built.planted:
            mismatches.append(f"{citation}: built in {sorted(rids)}, never planted")
    assert not mismatches, _fail("citations planted and built differ", mismatches, built)


def test_no_record_merges_two_documents(built: Built) -> None:
    """(a) No built record holds mentions of two different planted documents (a citation planted
    as ambiguous counts with the document it is; only a record that ``build_report.json`` lists
    as ambiguous may hold several, see test_ambiguous_citations_are_the_reported_records)."""
    mismatches: list[str] = []
    for rid in sorted(set(built.holds) - set(built.ambiguous)):
        documents = sorted({e["document"] for e in built.entries(rid)})
        if len(documents) > 1:
            mismatches.append(f"{built.describe(rid)} holds {len(documents)} documents {documents}")
    assert not mismatches, _fail("built records merging planted documents", mismatches, built)


def test_no_document_is_split(built: Built) -> None:
    """(b) Every planted document's citations (those not planted as ambiguous) are in exactly
    one built record, and that record holds no ambiguous citation."""
    records: dict[str, set[str]] = {}
    for citation, entry in built.planted.items():
        if entry["refers_to"] != "ambiguous":
            records.setdefault(entry["refers_to"], set()).update(built.records_of.get(citation, ()))
    mismatches = [
        f"{key}: in {len(rids)} records: " + "; ".join(built.describe(rid) for rid in sorted(rids))
        for key, rids in sorted(records.items())
        if len(rids) != 1
    ]
    for key, rids in sorted(records.items()):
        for rid in rids:
            stray = sorted(
                c
                for c in built.holds[rid]
                if built.planted.get(c, {}).get("refers_to") == "ambiguous"
            )
            if stray:
                mismatches.append(f"{key}: its record {rid} also holds ambiguous citations {stray}")
    assert not mismatches, _fail("planted documents not in exactly one record", mismatches, built)


def test_ambiguous_citations_are_the_reported_records(built: Built) -> None:
    """(b) The citations planted as ambiguous are in records of their own, one per stated
    code/place/year, and those are exactly the records ``build_report.json`` lists under
    ``ambiguous_documents``, with the planted candidates."""
    groups: dict[str, set[str]] = {}
    candidates: dict[str, list[str]] = {}
    for citation, entry in built.planted.items():
        if entry["refers_to"] == "ambiguous":
            groups.setdefault(entry["stated"], set()).update(built.records_of.get(citation, ()))
            candidates[entry["stated"]] = entry["candidates"]
    mismatches: list[str] = []
    expected: set[str] = set()
    for stated, rids in sorted(groups.items()):
        if len(rids) != 1:
            mismatches.append(f"ambiguous {stated}: in {len(rids)} records {sorted(rids)}")
            continue
        rid = rids.pop()
        expected.add(rid)
        if rid not in built.ambiguous:
            mismatches.append(
                f"ambiguous {stated} (candidates {candidates[stated]}): its record "
                f"{built.describe(rid)} is not listed in ambiguous_documents"
            )
            continue
        got = sorted(str(built.truth_of(c)) for c in built.ambiguous[rid] if c in built.holds)
        if got != candidates[stated]:
            mismatches.append(
                f"ambiguous {stated} ({rid}): planted candidates {candidates[stated]}, "
                f"reported {built.ambiguous[rid]} = {got}"
            )
    for rid in sorted(set(built.ambiguous) - expected):
        mismatches.append(
            f"{built.describe(rid)} is listed in ambiguous_documents (candidates "
            f"{built.ambiguous[rid]}) but no planted citation is ambiguous there"
        )
    summary = built.report["summary"]["ambiguous_documents"]
    if summary != len(built.ambiguous) or built.result.ambiguous_documents != len(built.ambiguous):
        mismatches.append(
            f"summary ambiguous_documents {summary}, BuildResult "
            f"{built.result.ambiguous_documents}, listed {len(built.ambiguous)}"
        )
    assert not mismatches, _fail("ambiguous citations and reported records", mismatches, built)


def _statements(entries: Iterable[Entry], field: str) -> str:
    return ", ".join(sorted({f"{e[field]}" for e in entries if e[field] is not None}))


def test_conflicts_are_the_planted_disagreements(built: Built) -> None:
    """(c) The build reports a conflict (``resolution_conflicts``, and the summary's
    ``conflicting_documents``) for exactly the records whose planted citations disagree: a
    document some page gives another day or another body, or an ambiguous record whose
    citations (of different documents) state different dates or bodies."""
    expected = {_target(entry) for entry in built.planted.values() if entry["conflict"]}
    reported: dict[str, set[str]] = {}
    for item in built.report["resolution_conflicts"]:
        reported.setdefault(item["resolution_id"], set()).add(item["field"])
    got: dict[str, str] = {}
    mismatches: list[str] = []
    for rid in reported:
        truth = built.truth_of(rid)
        if truth is None:
            mismatches.append(f"{built.describe(rid)}: conflict reported on a mixed record")
        else:
            got[truth] = rid
    by_target: dict[str, list[Entry]] = {}
    for entry in built.planted.values():
        by_target.setdefault(_target(entry), []).append(entry)
    for key in sorted(expected - set(got)):
        entries = by_target[key]
        mismatches.append(
            f"{key}: planted disagreement not reported (dates: {_statements(entries, 'issued_on')};"
            f" issuers: {_statements(entries, 'issuer')}; planted on "
            f"{[e['disagrees'] for e in entries if e['disagrees']]})"
        )
    for key in sorted(set(got) - expected):
        mismatches.append(
            f"{key}: conflict reported on {sorted(reported[got[key]])} ({got[key]}) but nothing "
            f"disagrees (dates: {_statements(by_target[key], 'issued_on')}; issuers: "
            f"{_statements(by_target[key], 'issuer')})"
        )
    summary = built.report["summary"]["conflicting_documents"]
    if summary != len(reported) or built.result.conflicting_documents != len(reported):
        mismatches.append(
            f"summary conflicting_documents {summary}, BuildResult "
            f"{built.result.conflicting_documents}, records in resolution_conflicts {len(reported)}"
        )
    assert not mismatches, _fail(
        f"conflicts: planted {len(expected)}, reported {len(reported)}", mismatches, built
    )


def test_the_distinct_document_count_is_the_planted_one(built: Built) -> None:
    """(d) The build's records are the planted documents plus one record per ambiguous group."""
    documents = {e["refers_to"] for e in built.planted.values() if e["refers_to"] != "ambiguous"}
    groups = {e["stated"] for e in built.planted.values() if e["refers_to"] == "ambiguous"}
    apart = len(built.holds) - len(built.ambiguous)
    assert (apart, len(built.ambiguous)) == (len(documents), len(groups)), (
        f"built {len(built.holds)} resolution records: {apart} documents + "
        f"{len(built.ambiguous)} ambiguous; planted {len(documents)} documents + "
        f"{len(groups)} ambiguous citation groups"
    )
    assert built.report["summary"]["counts"]["resolutions"] == len(built.holds)
