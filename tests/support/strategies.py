"""Hypothesis strategies for every model of :mod:`kyanh_corpus.models`.

Every strategy here produces *valid instances*. Text is drawn as the model's callers would hand
it over, not as the model stores it: Vietnamese words (sometimes arbitrary Unicode) in NFC **or
NFD** form, padded with whitespace, so that every generated instance has gone through the
model's NFC normalisation and stripping. Optional fields are ``None`` about half of the time and
lists may be empty wherever the model allows it. Resolution codes are always built from their
parts with :func:`kyanh_corpus.models.canonical_code`, so Party and State codes agree with
``system``, ``number``, ``year``, ``doc_type`` and ``issuer_code``.

Use them from any test file::

    from support.strategies import articles, records

    @given(records("articles"))
    def test_something(article): ...

Entry points: :func:`spans`, :func:`paragraphs`, :func:`captions`, :func:`articles`,
:func:`interview_turns`, :func:`mentions`, :func:`resolutions`, :func:`sources`,
:func:`records` (by config name), :func:`record_lists`, and the text helpers :func:`raw_texts`,
:func:`blank_texts`, :func:`article_ids`, :func:`sha256s`; :func:`scaled` sizes a test's example
count relative to the active Hypothesis profile.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any, Literal

from hypothesis import settings
from hypothesis import strategies as st

from kyanh_corpus.models import (
    DOC_TYPE_PATTERN,
    ENTITY_TABLE,
    INT64_MAX,
    ISSUER_CODE_PATTERN,
    NUMBER_PATTERN,
    Article,
    Caption,
    InterviewTurn,
    Mention,
    Paragraph,
    Record,
    Resolution,
    Source,
    Span,
    canonical_code,
    document_facts,
    slugify,
)

__all__ = [
    "CONFIGS",
    "DOC_TYPES",
    "ISSUERS",
    "MODELS",
    "WHITESPACE",
    "article_ids",
    "articles",
    "blank_texts",
    "captions",
    "clean_texts",
    "code_parts",
    "interview_turns",
    "mentions",
    "paragraphs",
    "raw_texts",
    "record_lists",
    "records",
    "resolutions",
    "scaled",
    "sha256s",
    "source_texts",
    "sources",
    "spans",
]


def scaled(n: int) -> settings:
    """``@settings`` for ``n`` examples under the ``ci``/``dev`` profiles (60 by default).

    The count grows with the active profile, so ``HYPOTHESIS_PROFILE=thorough`` (1000) runs
    about 17 times as many examples of every test, also of the ones kept small for speed.
    """
    return settings(max_examples=max(1, n * settings.default.max_examples // 60))


CONFIGS: tuple[str, ...] = tuple(entity.config for entity in ENTITY_TABLE)

VI_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
"""The Vietnamese alphabet with every tone mark, precomposed (NFC)."""
VI_LETTERS = VI_LOWER + VI_LOWER.upper()

WHITESPACE = " \t\n\r\u00a0\u2003\u3000\u202f"
"""Whitespace a scrape may carry around a value (ASCII, no-break, em and ideographic spaces)."""

VI_WORDS = (
    "Nghị quyết",
    "Đảng bộ",
    "Thị ủy Kỳ Anh",
    "Bí thư",
    "Đặng Văn Thành",
    "phát triển",
    "nông thôn mới",
    "Hà Tĩnh",
    "Ảnh tư liệu",
    "thực hiện",
    "P.V",
    "cán bộ, đảng viên",
    "Quy định",
    "Hướng dẫn",
    "số 02-NQ/ThU",
    "năm 2021",
)

_words = st.one_of(
    st.sampled_from(VI_WORDS),
    st.text(alphabet=VI_LETTERS, min_size=1, max_size=9),
    st.integers(min_value=0, max_value=9999).map(str),
)
_phrases = st.lists(_words, min_size=1, max_size=8).map(" ".join)
# Anything printable or not but surrogates (not encodable in UTF-8, so never in a scrape).
_any_unicode = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=24)


def _forms(text: str) -> st.SearchStrategy[str]:
    return st.sampled_from(["NFC", "NFD"]).map(lambda form: unicodedata.normalize(form, text))


def clean_texts() -> st.SearchStrategy[str]:
    """Non-empty text as the model stores it: NFC, stripped (mostly Vietnamese)."""
    core = st.one_of(_phrases, _phrases, _phrases, _any_unicode)
    return core.map(lambda s: unicodedata.normalize("NFC", s).strip()).filter(bool)


def raw_texts() -> st.SearchStrategy[str]:
    """Text as a caller hands it to a model: NFC or NFD, maybe padded with whitespace.

    The model must store ``unicodedata.normalize("NFC", raw).strip()``, which is never empty.
    """
    padding = st.text(alphabet=WHITESPACE, max_size=3)
    return st.tuples(padding, clean_texts().flatmap(_forms), padding).map("".join)


def blank_texts() -> st.SearchStrategy[str]:
    """Strings a required text field must refuse: empty or whitespace only."""
    return st.text(alphabet=WHITESPACE + "\x1c\x1d\x1e\x1f\x85\u2028\u2029\u1680", max_size=6)


def source_texts() -> st.SearchStrategy[str]:
    """A raw scrape (not stripped): lines of Vietnamese in NFC or NFD, maybe blank lines."""
    line = st.one_of(_phrases, st.just(""), _any_unicode)
    body = st.lists(line, min_size=1, max_size=6).map("\n".join).filter(bool)
    return body.flatmap(_forms)


def article_ids() -> st.SearchStrategy[str]:
    return st.from_regex(r"[a-z0-9-]{4,64}", fullmatch=True)


def sha256s() -> st.SearchStrategy[str]:
    return st.from_regex(r"[0-9a-f]{64}", fullmatch=True)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


_offsets = st.one_of(
    st.integers(min_value=0, max_value=20_000),
    st.integers(min_value=0, max_value=INT64_MAX - 1),
)


@st.composite
def spans(draw: st.DrawFn) -> Span:
    """A span with ``0 <= start < end <= INT64_MAX`` (mostly short ones, near the start)."""
    start = draw(_offsets)
    end = draw(
        st.one_of(
            st.integers(min_value=start + 1, max_value=min(start + 2_000, INT64_MAX)),
            st.integers(min_value=start + 1, max_value=INT64_MAX),
        )
    )
    return Span(start=start, end=end)


_indices = st.one_of(
    st.integers(min_value=0, max_value=1_000), st.integers(min_value=0, max_value=INT64_MAX)
)


def paragraphs(index: int | None = None) -> st.SearchStrategy[Paragraph]:
    return st.builds(
        Paragraph,
        index=_indices if index is None else st.just(index),
        text=raw_texts(),
        span=spans(),
    )


@st.composite
def captions(draw: st.DrawFn, index: int | None = None, n_paragraphs: int | None = None) -> Caption:
    """A caption; ``after_paragraph`` is below ``n_paragraphs`` when that is given."""
    last = INT64_MAX if n_paragraphs is None else n_paragraphs - 1
    return Caption(
        index=draw(_indices) if index is None else index,
        text=draw(raw_texts()),
        credit=draw(_optional(raw_texts())),
        archival=draw(st.booleans()),
        after_paragraph=draw(_optional(st.integers(min_value=0, max_value=last))),
        span=draw(spans()),
    )


_domains = st.one_of(
    st.sampled_from(["baohatinh.vn", "kyanh.hatinh.gov.vn", "nhandan.vn", "vnexpress.net"]),
    st.from_regex(r"[a-z0-9-]{1,10}(\.[a-z0-9-]{1,6}){1,3}", fullmatch=True),
)
_dates = st.dates()


@st.composite
def articles(draw: st.DrawFn) -> Article:
    n = draw(st.integers(min_value=1, max_value=5))
    body = [draw(paragraphs(index=i)) for i in range(n)]
    n_captions = draw(st.integers(min_value=0, max_value=3))
    photos = [draw(captions(index=i, n_paragraphs=n)) for i in range(n_captions)]
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["language"] = "vi"
    return Article(
        article_id=draw(article_ids()),
        source=draw(_domains),
        url=draw(_optional(raw_texts())),
        title=draw(raw_texts()),
        lede=draw(_optional(raw_texts())),
        paragraphs=body,
        captions=photos,
        authors=draw(st.lists(raw_texts(), max_size=3)),
        byline_role=draw(_optional(raw_texts())),
        published_at=draw(_optional(_dates)),
        genre=draw(st.sampled_from(["interview", "news"])),
        source_file=draw(raw_texts()),
        raw_sha256=draw(sha256s()),
        **extra,
    )


@st.composite
def interview_turns(draw: st.DrawFn) -> InterviewTurn:
    turn_index = draw(_indices)
    role: Literal["interviewer", "interviewee"] = draw(
        st.sampled_from(["interviewer", "interviewee"])
    )
    responds_to = None
    if role == "interviewee" and turn_index > 0:
        responds_to = draw(_optional(st.integers(min_value=0, max_value=turn_index - 1)))
    return InterviewTurn(
        article_id=draw(article_ids()),
        turn_index=turn_index,
        speaker_role=role,
        speaker_label=draw(raw_texts()),
        speaker_name=draw(_optional(raw_texts())),
        speaker_title=draw(_optional(raw_texts())),
        text=draw(raw_texts()),
        spans=draw(st.lists(spans(), min_size=1, max_size=4)),
        responds_to=responds_to,
    )


def mentions() -> st.SearchStrategy[Mention]:
    return st.builds(
        Mention,
        article_id=article_ids(),
        surface=raw_texts(),
        span=spans(),
        issued_on=_optional(_dates),
        issuer=_optional(st.sampled_from(["BTV Thị ủy", "BTV Thị ủy Kỳ Anh", "UBND tỉnh"])
                         | raw_texts()),
        title=_optional(raw_texts()),
    )  # fmt: skip


DOC_TYPES = ("NQ", "QĐ", "QĐi", "HD", "KL", "CT", "KH", "TB", "CTr", "TT", "NĐ", "BC")
ISSUERS = ("ThU", "TU", "HU", "ĐU", "BTCTW", "HĐND", "UBND", "BCH", "TW", "BCT", "TTg")


@st.composite
def code_parts(draw: st.DrawFn) -> dict[str, Any]:
    """Consistent ``system``, ``number``, ``year``, ``doc_type``, ``issuer_code`` and ``code``."""
    system: Literal["party", "state"] = draw(st.sampled_from(["party", "state"]))
    number = draw(st.from_regex(NUMBER_PATTERN, fullmatch=True))
    doc_type = draw(
        st.one_of(st.sampled_from(DOC_TYPES), st.from_regex(DOC_TYPE_PATTERN, fullmatch=True))
    )
    issuer_code = draw(
        st.one_of(st.sampled_from(ISSUERS), st.from_regex(ISSUER_CODE_PATTERN, fullmatch=True))
    )
    year = None
    if system == "state":
        year = draw(_optional(st.integers(min_value=1945, max_value=2100)))
        if draw(st.booleans()):
            doc_type = None  # a letter ("2310/UBND-TH") or an older code ("12/CP")
    code = canonical_code(system, number, doc_type, issuer_code, year)
    return {
        "code": code,
        "system": system,
        "number": number,
        "year": year,
        "doc_type": doc_type,
        "issuer_code": issuer_code,
    }


@st.composite
def resolutions(draw: st.DrawFn) -> Resolution:
    parts = draw(code_parts())
    place = draw(st.sampled_from(["", "-ky-anh", "-ha-tinh"]))
    resolution_id = draw(
        st.one_of(
            st.just(slugify(parts["code"]) + place),
            st.from_regex(r"[a-z0-9-]{3,96}", fullmatch=True),
        )
    )
    found = draw(st.lists(mentions(), min_size=1, max_size=4))
    issued_on, issuer, title = document_facts([(m.issued_on, m.issuer, m.title) for m in found])
    return Resolution(
        resolution_id=resolution_id,
        doc_type_name=draw(raw_texts()),
        issuer=issuer,
        issued_on=issued_on,
        title=title,
        mentions=found,
        **parts,
    )


def sources() -> st.SearchStrategy[Source]:
    return st.builds(
        Source,
        article_id=article_ids(),
        source_file=raw_texts(),
        raw_sha256=sha256s(),
        text=source_texts(),
    )


_BY_CONFIG: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "articles": articles,
    "interview_turns": interview_turns,
    "resolutions": resolutions,
    "sources": sources,
}

MODELS: dict[type[Record], Callable[[], st.SearchStrategy[Any]]] = {
    Span: spans,
    Paragraph: lambda: paragraphs(),
    Caption: lambda: captions(),
    Article: articles,
    InterviewTurn: interview_turns,
    Mention: mentions,
    Resolution: resolutions,
    Source: sources,
}
"""Every model -> a strategy of valid instances of it."""


def records(config: str) -> st.SearchStrategy[Any]:
    """Valid records of one config (``articles``, ``interview_turns``, ``resolutions``...)."""
    return _BY_CONFIG[config]()


def record_lists(config: str, min_size: int = 0, max_size: int = 6) -> st.SearchStrategy[Any]:
    """Lists of valid records of one config."""
    return st.lists(records(config), min_size=min_size, max_size=max_size)
