"""Robustness: any input ends in an Extraction holding the invariants, or a clear error."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from kyanh_corpus.extract import ExtractionError, extract_text
from support.strategies import scaled
from support.strategies_extract import SEED_TEXT, check_error, check_invariants, seed_variants

PROPERTY_EXAMPLES = 2000
"""Examples of each property under the ci and dev profiles: 5 properties, 10,000 extractor
examples a run (``make fuzz``: 100,000)."""


def run(text: str | bytes, name: str = "page.txt") -> None:
    """Extract ``text``; check the invariants of the result or the shape of the error."""
    try:
        result = extract_text(text, source_file=name)
    except ExtractionError as error:
        check_error(error, name)
    else:
        check_invariants(result)


def test_the_seed_itself_holds_the_invariants() -> None:
    result = extract_text(SEED_TEXT, source_file="seed.txt")
    check_invariants(result)


@scaled(PROPERTY_EXAMPLES)
@given(st.text(max_size=400))
@example("")
@example("\n\n")
@example("(Baohatinh.vn) - ")
@example("P.V: a\nb")
@example("a\nb\na")
def test_arbitrary_text(text: str) -> None:
    run(text)


@scaled(PROPERTY_EXAMPLES)
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfeA\x00")
def test_arbitrary_bytes(data: bytes) -> None:
    run(data)


@scaled(PROPERTY_EXAMPLES)
@given(st.lists(st.sampled_from(SEED_TEXT.split("\n")), max_size=30).map("\n".join))
def test_seed_lines_in_any_order_and_number(text: str) -> None:
    run(text)


@scaled(PROPERTY_EXAMPLES)
@given(seed_variants())
def test_damaged_seed(text: str) -> None:
    run(text)


@scaled(PROPERTY_EXAMPLES)
@given(seed_variants(), st.sampled_from(["NFC", "NFD"]), st.booleans(), st.booleans())
def test_damaged_seed_as_bytes(text: str, form: str, crlf: bool, bom: bool) -> None:
    text = unicodedata.normalize(form, text)
    if crlf:
        text = text.replace("\n", "\r\n")
    run(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
