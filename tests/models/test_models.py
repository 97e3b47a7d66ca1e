"""Behaviour of the models: normalisation, immutability, strictness and cross-field rules."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from kyanh_corpus.models import (
    INT64_MAX,
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
)
from support.strategies import (
    MODELS,
    VI_LOWER,
    WHITESPACE,
    articles,
    blank_texts,
    code_parts,
    interview_turns,
    raw_texts,
    resolutions,
    scaled,
    source_texts,
    sources,
    spans,
)

ALL_MODELS = list(MODELS)
LIST_FREE = [Span, Paragraph, Caption, Mention, Source]


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[tuple[Any, ...], str]]:
    return [(tuple(e["loc"]), e["type"]) for e in exc.value.errors()]


def locs(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[Any, ...]]:
    return [loc for loc, _ in errors_of(exc)]


def text_fields(model: type[Record]) -> list[tuple[str, str]]:
    """(field, kind) of every normalised text field, read from the model's JSON Schema.

    kind is "required", "optional" (``Text | None``) or "list" (``list[Text]``).
    """
    schema = model.model_json_schema()
    found = []
    for name, prop in schema["properties"].items():
        if prop.get("pattern") == r"\S":
            found.append((name, "required"))
        elif any(m.get("pattern") == r"\S" for m in prop.get("anyOf", [])):
            found.append((name, "optional"))
        elif prop.get("items", {}).get("pattern") == r"\S":
            found.append((name, "list"))
    return found


TEXT_FIELDS = [(model, name, kind) for model in ALL_MODELS for name, kind in text_fields(model)]


def test_every_expected_text_field_is_normalised() -> None:
    names = {(m.__name__, n) for m, n, _ in TEXT_FIELDS}
    assert {
        ("Paragraph", "text"),
        ("Caption", "text"),
        ("Caption", "credit"),
        ("Article", "title"),
        ("Article", "lede"),
        ("Article", "authors"),
        ("Article", "url"),
        ("Article", "byline_role"),
        ("Article", "source_file"),
        ("InterviewTurn", "speaker_label"),
        ("InterviewTurn", "speaker_name"),
        ("InterviewTurn", "speaker_title"),
        ("InterviewTurn", "text"),
        ("Mention", "surface"),
        ("Resolution", "doc_type_name"),
        ("Resolution", "issuer"),
        ("Resolution", "title"),
        ("Source", "source_file"),
    } <= names


DERIVED = ("issued_on", "issuer", "title")
"""Resolution facts derived from its mentions: set on the mentions too, so the record holds."""


def _with(instance: Record, name: str, value: Any, *, stated: bool = False) -> dict[str, Any]:
    """``instance`` as a dict with ``name`` set to ``value``; with ``stated``, a Resolution's
    mentions state a derived fact too (so a valid value makes a valid record)."""
    doc = {**instance.model_dump(), name: value}
    if stated and isinstance(instance, Resolution) and name in DERIVED:
        doc["mentions"] = [{**mention, name: value} for mention in doc["mentions"]]
    return doc


# --- text normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "name", "kind"), TEXT_FIELDS, ids=[f"{m.__name__}.{n}" for m, n, _ in TEXT_FIELDS]
)
@scaled(15)
@given(data=st.data(), raw=raw_texts())
def test_text_is_nfc_and_stripped(
    model: type[Record], name: str, kind: str, data: st.DataObject, raw: str
) -> None:
    instance = data.draw(MODELS[model]())
    value = [raw] if kind == "list" else raw
    stored = getattr(model.model_validate(_with(instance, name, value, stated=True)), name)
    if kind == "list":
        (stored,) = stored
    assert stored == unicodedata.normalize("NFC", raw).strip()
    assert unicodedata.is_normalized("NFC", stored)
    assert stored and stored == stored.strip()


@given(
    words=st.lists(st.text(alphabet=VI_LOWER, min_size=1, max_size=8), min_size=1, max_size=6),
    pad=st.text(alphabet=WHITESPACE, max_size=3),
)
def test_nfd_vietnamese_comes_out_nfc(words: list[str], pad: str) -> None:
    nfc = " ".join(words)
    nfd = unicodedata.normalize("NFD", nfc)
    assume(nfd != nfc)  # at least one letter carries a mark
    mention = Mention(article_id="abcd", surface=pad + nfd + pad, span=Span(start=0, end=1))
    assert mention.surface == nfc
    assert len(mention.surface) < len(nfd)
    assert not any(unicodedata.combining(c) for c in mention.surface)  # all precomposed
    paragraph = Paragraph(index=0, text=nfd, span=Span(start=0, end=1))
    assert paragraph.text == nfc


def test_nfd_example_from_the_seed() -> None:
    nfd = unicodedata.normalize("NFD", " Bí thư Thị ủy Kỳ Anh Đặng Văn Thành\n")
    turn = InterviewTurn(
        article_id="abcd",
        turn_index=1,
        speaker_role="interviewee",
        speaker_label=nfd,
        text="Xin chào",
        spans=[Span(start=0, end=8)],
        responds_to=0,
    )
    assert turn.speaker_label == "Bí thư Thị ủy Kỳ Anh Đặng Văn Thành"
    assert len(turn.speaker_label) == 35


@pytest.mark.parametrize(
    ("model", "name", "kind"), TEXT_FIELDS, ids=[f"{m.__name__}.{n}" for m, n, _ in TEXT_FIELDS]
)
@scaled(10)
@given(data=st.data(), blank=blank_texts())
def test_blank_text_is_rejected(
    model: type[Record], name: str, kind: str, data: st.DataObject, blank: str
) -> None:
    """Empty or whitespace-only text is refused, also where ``None`` is allowed."""
    instance = data.draw(MODELS[model]())
    with pytest.raises(ValidationError) as exc:
        model.model_validate(_with(instance, name, [blank] if kind == "list" else blank))
    assert locs(exc) == [(name, 0) if kind == "list" else (name,)]


@given(text=source_texts(), pad=st.text(alphabet=WHITESPACE, max_size=3))
def test_source_text_is_nfc_but_not_stripped(text: str, pad: str) -> None:
    raw = pad + unicodedata.normalize("NFD", text) + pad
    source = Source(article_id="abcd", source_file="a.txt", raw_sha256="0" * 64, text=raw)
    assert source.text == unicodedata.normalize("NFC", raw)
    assert source.text.startswith(unicodedata.normalize("NFC", pad))


def test_source_text_may_be_blank_but_not_empty() -> None:
    assert Source(article_id="abcd", source_file="f", raw_sha256="0" * 64, text="\n").text == "\n"
    with pytest.raises(ValidationError) as exc:
        Source(article_id="abcd", source_file="f", raw_sha256="0" * 64, text="")
    assert locs(exc) == [("text",)]


# --- identity, immutability, unknown fields --------------------------------------------------


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
@scaled(20)
@given(data=st.data())
def test_validation_is_idempotent(model: type[Record], data: st.DataObject) -> None:
    instance = data.draw(MODELS[model]())
    assert model.model_validate(instance.model_dump()) == instance
    assert model.model_validate_json(instance.model_dump_json()) == instance
    assert model.model_validate(instance.model_dump(mode="json")) == instance


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
@scaled(10)
@given(data=st.data())
def test_instances_are_frozen(model: type[Record], data: st.DataObject) -> None:
    instance = data.draw(MODELS[model]())
    name = data.draw(st.sampled_from(sorted(model.model_fields)))
    before = getattr(instance, name)
    with pytest.raises(ValidationError) as exc:
        setattr(instance, name, before)
    assert errors_of(exc) == [((name,), "frozen_instance")]
    assert getattr(instance, name) == before


@pytest.mark.parametrize("model", LIST_FREE, ids=lambda m: m.__name__)
@scaled(10)
@given(data=st.data())
def test_list_free_instances_are_hashable(model: type[Record], data: st.DataObject) -> None:
    instance = data.draw(MODELS[model]())
    assert hash(instance) == hash(model.model_validate(instance.model_dump()))
    assert len({instance, model.model_validate(instance.model_dump())}) == 1


_extra_names = st.from_regex(r"[a-z_][a-z0-9_]{0,15}", fullmatch=True)


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
@scaled(10)
@given(data=st.data(), extra=_extra_names)
def test_unknown_fields_are_rejected(model: type[Record], data: st.DataObject, extra: str) -> None:
    assume(extra not in model.model_fields)
    instance = data.draw(MODELS[model]())
    with pytest.raises(ValidationError) as exc:
        model.model_validate(_with(instance, extra, "x"))
    assert errors_of(exc) == [((extra,), "extra_forbidden")]


@given(article=articles(), extra=_extra_names, data=st.data())
@scaled(20)
def test_unknown_nested_fields_are_rejected(
    article: Article, extra: str, data: st.DataObject
) -> None:
    assume(extra not in Paragraph.model_fields and extra not in Span.model_fields)
    doc = article.model_dump()
    i = data.draw(st.integers(0, len(doc["paragraphs"]) - 1))
    doc["paragraphs"][i]["span"][extra] = 1
    with pytest.raises(ValidationError) as exc:
        Article.model_validate(doc)
    assert errors_of(exc) == [(("paragraphs", i, "span", extra), "extra_forbidden")]


def test_defaults() -> None:
    base = dict(
        article_id="abcd",
        source="baohatinh.vn",
        title="Tiêu đề",
        paragraphs=[Paragraph(index=0, text="Một", span=Span(start=0, end=3))],
        genre="news",
        source_file="a.txt",
        raw_sha256="a" * 64,
    )
    first, second = Article(**base), Article(**base)  # type: ignore[arg-type]
    assert first.captions == [] and first.authors == [] and first.language == "vi"
    assert first.captions is not second.captions
    assert first.url is first.lede is first.byline_role is first.published_at is None
    with pytest.raises(ValidationError) as exc:
        Article(**{**base, "paragraphs": []})  # type: ignore[arg-type]
    assert errors_of(exc) == [(("paragraphs",), "too_short")]
    with pytest.raises(ValidationError) as exc:
        Article(**{**base, "language": "en"})  # type: ignore[arg-type]
    assert errors_of(exc) == [(("language",), "literal_error")]


# --- spans ----------------------------------------------------------------------------------


@given(span=spans())
def test_generated_spans_are_valid(span: Span) -> None:
    assert 0 <= span.start < span.end <= INT64_MAX


@given(start=st.integers(1, INT64_MAX), data=st.data())
def test_span_end_not_after_start_is_rejected(start: int, data: st.DataObject) -> None:
    end = data.draw(st.integers(1, start))
    with pytest.raises(ValidationError) as exc:
        Span(start=start, end=end)
    assert errors_of(exc) == [(("end",), "value_error")]
    assert "greater than start" in str(exc.value)


@given(article=articles(), data=st.data())
@scaled(20)
def test_nested_span_error_names_the_path(article: Article, data: st.DataObject) -> None:
    doc = article.model_dump()
    where = data.draw(
        st.sampled_from(["paragraphs", "captions"] if doc["captions"] else ["paragraphs"])
    )
    i = data.draw(st.integers(0, len(doc[where]) - 1))
    span = doc[where][i]["span"]
    span["end"] = data.draw(st.integers(1, max(1, span["start"])))
    span["start"] = max(span["start"], span["end"])
    with pytest.raises(ValidationError) as exc:
        Article.model_validate(doc)
    assert locs(exc) == [(where, i, "span", "end")]


def test_span_error_path_example() -> None:
    doc = {
        "article_id": "abcd",
        "source": "baohatinh.vn",
        "title": "T",
        "paragraphs": [{"index": 0, "text": "x", "span": {"start": 4, "end": 4}}],
        "genre": "news",
        "source_file": "f",
        "raw_sha256": "0" * 64,
    }
    with pytest.raises(ValidationError) as exc:
        Article.model_validate(doc)
    assert locs(exc) == [("paragraphs", 0, "span", "end")]


@given(start=st.integers(max_value=-1), end=st.integers(max_value=0))
def test_negative_start_and_non_positive_end_are_rejected(start: int, end: int) -> None:
    with pytest.raises(ValidationError) as exc:
        Span(start=start, end=5)
    assert errors_of(exc) == [(("start",), "greater_than_equal")]
    with pytest.raises(ValidationError) as exc:
        Span(start=0, end=end)
    assert errors_of(exc) == [(("end",), "greater_than")]


ARROW_INT64_MAX = 2**63 - 1


@given(big=st.integers(min_value=ARROW_INT64_MAX + 1))
def test_integers_must_fit_int64(big: int) -> None:
    """Arrow stores every integer as int64: the model refuses what could not be written."""
    assert INT64_MAX == ARROW_INT64_MAX
    with pytest.raises(ValidationError) as exc:
        Span(start=0, end=big)
    assert errors_of(exc) == [(("end",), "less_than_equal")]
    with pytest.raises(ValidationError) as exc:
        Paragraph(index=big, text="x", span=Span(start=0, end=1))
    assert errors_of(exc) == [(("index",), "less_than_equal")]
    assert Span(start=INT64_MAX - 1, end=INT64_MAX).end == INT64_MAX


# --- no coercion across JSON types -------------------------------------------------------------


@given(n=st.integers(0, 10**6))
def test_integers_are_not_coerced_from_strings_or_booleans(n: int) -> None:
    for bad in (str(n), True, False):
        with pytest.raises(ValidationError) as exc:
            Span.model_validate({"start": bad, "end": n + 1})
        assert errors_of(exc) == [(("start",), "int_type")]
    assert Span.model_validate({"start": float(n), "end": n + 1}).start == n  # JSON "3.0" is 3


@given(bad=st.one_of(st.integers(0, 1), st.sampled_from(["true", "false", "yes", "1"])))
def test_booleans_are_not_coerced(bad: object) -> None:
    with pytest.raises(ValidationError) as exc:
        Caption(index=0, text="x", archival=bad, span=Span(start=0, end=1))  # type: ignore[arg-type]
    assert errors_of(exc) == [(("archival",), "bool_type")]


@given(
    bad=st.one_of(
        st.integers(),
        st.floats(allow_nan=False),
        st.datetimes().map(lambda d: d.isoformat()),
        st.datetimes(),
        st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
        st.dates().map(lambda d: d.isoformat().replace("-", "")),
        st.integers(0, 2**33).map(str),
    )
)
def test_dates_are_a_date_or_an_iso_string_only(bad: object) -> None:
    resolution = {
        "resolution_id": "02-nq-thu",
        "code": "02-NQ/ThU",
        "system": "party",
        "number": "02",
        "doc_type": "NQ",
        "doc_type_name": "Nghị quyết",
        "issuer_code": "ThU",
        "mentions": [
            {"article_id": "abcd", "surface": "Nghị quyết 02", "span": {"start": 0, "end": 13}}
        ],
    }
    with pytest.raises(ValidationError) as exc:
        Resolution.model_validate({**resolution, "issued_on": bad})
    assert locs(exc) == [("issued_on",)]
    (mention,) = resolution["mentions"]
    stated = {**resolution, "mentions": [{**mention, "issued_on": "2021-03-09"}]}
    ok = Resolution.model_validate({**stated, "issued_on": "2021-03-09"})
    assert ok.issued_on == date(2021, 3, 9)
    assert Resolution.model_validate({**stated, "issued_on": date(2021, 3, 9)}) == ok
    assert not isinstance(ok.issued_on, datetime)
    # A date no mention states is refused: a document's facts are its mentions' facts.
    with pytest.raises(ValidationError, match="mentions state None"):
        Resolution.model_validate({**resolution, "issued_on": "2021-03-09"})


# --- identifiers ------------------------------------------------------------------------------

_bad_ids = st.one_of(
    st.from_regex(r"[a-z0-9-]{0,3}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{65,80}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{2,10}[A-Z_ .đáạ/][a-z0-9-]{2,10}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{4,20}\n", fullmatch=True),
)


@given(bad=_bad_ids, source=sources())
def test_article_id_pattern(bad: str, source: Source) -> None:
    with pytest.raises(ValidationError) as exc:
        Source.model_validate(_with(source, "article_id", bad))
    assert errors_of(exc) == [(("article_id",), "string_pattern_mismatch")]


@given(
    bad=st.one_of(
        st.from_regex(r"[0-9a-f]{63}|[0-9a-f]{65}", fullmatch=True),
        st.from_regex(r"[0-9a-f]{10}[A-FG-Z ][0-9a-f]{53}", fullmatch=True),
        st.from_regex(r"[0-9a-f]{64}\n", fullmatch=True),
    ),
    source=sources(),
)
def test_sha256_pattern(bad: str, source: Source) -> None:
    with pytest.raises(ValidationError) as exc:
        Source.model_validate(_with(source, "raw_sha256", bad))
    assert errors_of(exc) == [(("raw_sha256",), "string_pattern_mismatch")]


# --- resolutions: code agrees with its parts ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "system", "number", "year", "doc_type", "issuer_code"),
    [
        ("02-NQ/ThU", "party", "02", None, "NQ", "ThU"),
        ("12-HD/BTCTW", "party", "12", None, "HD", "BTCTW"),
        ("1193-QĐ/TU", "party", "1193", None, "QĐ", "TU"),
        ("36/2021/NQ-HĐND", "state", "36", 2021, "NQ", "HĐND"),
        ("1234/QĐ-UBND", "state", "1234", None, "QĐ", "UBND"),
    ],
)
def test_real_codes_are_accepted(
    code: str, system: str, number: str, year: int | None, doc_type: str, issuer_code: str
) -> None:
    parts = dict(
        system=system, number=number, year=year, doc_type=doc_type, issuer_code=issuer_code
    )
    assert canonical_code(**parts) == code  # type: ignore[arg-type]
    Resolution.model_validate(
        {
            "resolution_id": "x-y-z",
            "code": code,
            **parts,
            "doc_type_name": "Nghị quyết",
            "mentions": [{"article_id": "abcd", "surface": code, "span": {"start": 0, "end": 9}}],
        }
    )


@given(resolution=resolutions())
@scaled(20)
def test_issue_example_code_issuer_disagreement(resolution: Resolution) -> None:
    doc = resolution.model_dump()
    doc.update(code="02-NQ/TU", system="party", number="02", year=None, doc_type="NQ")
    Resolution.model_validate({**doc, "issuer_code": "TU"})
    with pytest.raises(ValidationError) as exc:
        Resolution.model_validate({**doc, "issuer_code": "ThU"})
    assert locs(exc) == [()]
    assert "does not agree" in str(exc.value) and "02-NQ/ThU" in str(exc.value)


@given(resolution=resolutions(), other=code_parts())
@scaled(40)
def test_code_must_agree_with_parts(resolution: Resolution, other: dict[str, Any]) -> None:
    """Swapping in the code of other parts is accepted exactly when it is the same code."""
    doc = {**resolution.model_dump(), "code": other["code"]}
    if other["code"] == resolution.code:
        assert Resolution.model_validate(doc) == resolution
    else:
        with pytest.raises(ValidationError) as exc:
            Resolution.model_validate(doc)
        assert locs(exc) == [()]


@given(resolution=resolutions(), year=st.integers(1945, 2100))
@scaled(20)
def test_party_codes_carry_no_year(resolution: Resolution, year: int) -> None:
    doc = resolution.model_dump()
    doc.update(system="party", year=year, doc_type=resolution.doc_type or "NQ")
    doc["code"] = canonical_code("party", doc["number"], doc["doc_type"], doc["issuer_code"])
    with pytest.raises(ValidationError) as exc:
        Resolution.model_validate(doc)
    assert locs(exc) == [("year",)]
    assert "carries no year" in str(exc.value)


@given(resolution=resolutions(), year=st.integers(1945, 2100))
@scaled(20)
def test_state_year_must_match_code(resolution: Resolution, year: int) -> None:
    doc = resolution.model_dump()
    code_year = 2021 if year != 2021 else 2020
    doc.update(system="state", year=year)
    doc["code"] = canonical_code(
        "state", doc["number"], doc["doc_type"], doc["issuer_code"], code_year
    )
    with pytest.raises(ValidationError):
        Resolution.model_validate(doc)
    doc["code"] = canonical_code("state", doc["number"], doc["doc_type"], doc["issuer_code"], year)
    assert Resolution.model_validate(doc).year == year


# --- articles: indices are positions ------------------------------------------------------------


@given(article=articles(), data=st.data())
@scaled(30)
def test_paragraph_index_must_be_its_position(article: Article, data: st.DataObject) -> None:
    doc = article.model_dump()
    i = data.draw(st.integers(0, len(doc["paragraphs"]) - 1))
    wrong = data.draw(st.integers(0, INT64_MAX).filter(lambda n: n != i))
    doc["paragraphs"][i]["index"] = wrong
    with pytest.raises(ValidationError) as exc:
        Article.model_validate(doc)
    assert locs(exc) == [("paragraphs",)]
    assert f"paragraphs[{i}].index is {wrong}, expected {i}" in str(exc.value)


@given(article=articles(), data=st.data())
@scaled(30)
def test_caption_index_and_after_paragraph(article: Article, data: st.DataObject) -> None:
    doc = article.model_dump()
    assume(doc["captions"])
    i = data.draw(st.integers(0, len(doc["captions"]) - 1))
    bad = {**doc, "captions": [dict(c) for c in doc["captions"]]}
    bad["captions"][i]["index"] = i + 1
    with pytest.raises(ValidationError) as exc:
        Article.model_validate(bad)
    assert locs(exc) == [("captions",)]
    bad = {**doc, "captions": [dict(c) for c in doc["captions"]]}
    bad["captions"][i]["after_paragraph"] = data.draw(
        st.integers(len(doc["paragraphs"]), INT64_MAX)
    )
    with pytest.raises(ValidationError) as exc:
        Article.model_validate(bad)
    assert locs(exc) == [("captions",)]
    assert f"captions[{i}].after_paragraph" in str(exc.value)


@given(article=articles())
@scaled(20)
def test_generated_articles_are_consistent(article: Article) -> None:
    assert [p.index for p in article.paragraphs] == list(range(len(article.paragraphs)))
    assert [c.index for c in article.captions] == list(range(len(article.captions)))
    for caption in article.captions:
        assert caption.after_paragraph is None or caption.after_paragraph < len(article.paragraphs)


# --- interview turns: responds_to ----------------------------------------------------------------


@given(turn=interview_turns(), data=st.data())
@scaled(30)
def test_responds_to_rules(turn: InterviewTurn, data: st.DataObject) -> None:
    doc = turn.model_dump()
    if turn.responds_to is not None:
        assert turn.speaker_role == "interviewee" and turn.responds_to < turn.turn_index
    # an interviewer turn never responds
    target = data.draw(st.integers(0, INT64_MAX))
    with pytest.raises(ValidationError) as exc:
        InterviewTurn.model_validate({**doc, "speaker_role": "interviewer", "responds_to": target})
    assert locs(exc) == [("responds_to",)]
    # an answer responds to an earlier turn only
    later = data.draw(st.integers(turn.turn_index, INT64_MAX))
    with pytest.raises(ValidationError) as exc:
        InterviewTurn.model_validate({**doc, "speaker_role": "interviewee", "responds_to": later})
    assert locs(exc) == [("responds_to",)]
    assert "earlier turn" in str(exc.value)
    if turn.turn_index > 0:
        earlier = data.draw(st.integers(0, turn.turn_index - 1))
        answer = {**doc, "speaker_role": "interviewee", "responds_to": earlier}
        assert InterviewTurn.model_validate(answer).responds_to == earlier
    question = InterviewTurn.model_validate(
        {**doc, "speaker_role": "interviewer", "responds_to": None}
    )
    assert question.responds_to is None


def test_turn_needs_a_span() -> None:
    with pytest.raises(ValidationError) as exc:
        InterviewTurn(
            article_id="abcd",
            turn_index=0,
            speaker_role="interviewer",
            speaker_label="P.V",
            text="Thưa ông?",
            spans=[],
        )
    assert errors_of(exc) == [(("spans",), "too_short")]
