"""Hypothesis strategies and invariant checks for the extractor tests.

``seed_variants()`` draws the seed page damaged in the ways real scrapes are (lines deleted,
duplicated, swapped, truncated, NFD, CRLF, stray characters); ``check_invariants`` asserts what
every :class:`Extraction` must hold whatever the input was.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Final

from hypothesis import strategies as st

from kyanh_corpus.extract import Extraction, ExtractionError, LineClass, fold
from kyanh_corpus.models import STREAMED_CONFIGS, Article, InterviewTurn, Resolution, Source

from .paths import SEED

SEED_TEXT: Final = SEED.read_text("utf-8")
SEED_LINES: Final = SEED_TEXT.split("\n")

FURNITURE_MARKS: Final = ("{name}", "{body}", "{time}", "bình luận", "Tắt [X]")
"""Strings of the seed's site furniture that must never reach a record."""

# Vietnamese letters, marks, punctuation and the characters scrapes really contain.
_CHARACTERS: Final = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0123456789 .,;:-/()“”!?…\u00a0\t"
_PIECES: Final = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\ufeff", "\r", "\n"]
_ALPHABET: Final = st.sampled_from([*_CHARACTERS, *_PIECES, "{body}", "P.V: ", "Ông Lê Văn A: "])
stray_text: Final = st.lists(_ALPHABET, min_size=1, max_size=8).map("".join)


@st.composite
def seed_variants(draw: st.DrawFn) -> str:
    """The seed page with a few random edits applied in turn."""
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(
            st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "nfd", "crlf"])
        )
        if edit == "truncate":
            text = "\n".join(lines)
            lines = text[: draw(st.integers(0, len(text)))].split("\n")
            continue
        if edit == "nfd":
            lines = [unicodedata.normalize("NFD", line) for line in lines]
            continue
        if edit == "crlf":
            lines = [line + "\r" for line in lines]
            continue
        if not lines:
            continue
        i = draw(st.integers(0, len(lines) - 1))
        if edit == "delete":
            del lines[i]
        elif edit == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif edit == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(stray_text) + lines[i][at:]
    return "\n".join(lines)


def check_error(error: ExtractionError, source_file: str) -> None:
    """An ExtractionError names the file, gives a reason, and is not an internal bug."""
    assert error.reason, "an error must say why"
    assert not error.reason.startswith("internal"), error.reason
    assert str(error).startswith(source_file), str(error)
    if error.line is not None:
        assert error.line >= 1


def check_invariants(result: Extraction) -> None:
    """Everything an Extraction guarantees, whatever the input."""
    _check_models(result)
    check_rows(result)
    _check_accounting(result)
    _check_provenance(result)
    _check_spans(result)
    _check_no_furniture(result)
    _check_turns(result)


def check_rows(result: Extraction) -> None:
    """``Extraction.rows`` are exactly the records' ``model_dump()`` (what the build writes)."""
    assert set(result.rows) == set(STREAMED_CONFIGS)
    assert result.rows["articles"] == [result.article.model_dump()]
    assert result.rows["interview_turns"] == [turn.model_dump() for turn in result.turns]
    assert result.rows["sources"] == [result.source.model_dump()]


def _check_models(result: Extraction) -> None:
    """Each record is a valid model that survives a JSON round trip unchanged."""
    pairs = [(result.article, Article), (result.source, Source)]
    pairs += [(turn, InterviewTurn) for turn in result.turns]
    pairs += [(res, Resolution) for res in result.resolutions]
    for record, model in pairs:
        assert model.model_validate_json(record.model_dump_json()) == record
    assert result.source.text == result.text
    aid = result.article.article_id
    assert result.source.article_id == aid
    assert all(turn.article_id == aid for turn in result.turns)
    assert all(m.article_id == aid for r in result.resolutions for m in r.mentions)
    assert len({r.resolution_id for r in result.resolutions}) == len(result.resolutions)
    assert result.article.genre == ("interview" if result.turns else "news")


def _check_accounting(result: Extraction) -> None:
    """Every non-blank line of the text is classified exactly once, and only those."""
    source_lines = result.text.split("\n")
    non_blank = [n for n, line in enumerate(source_lines, 1) if line.strip()]
    assert [record.number for record in result.lines] == non_blank
    for record in result.lines:  # each record holds its own source line, not another one
        assert fold(record.text) == fold(source_lines[record.number - 1])
    counts = Counter(record.cls for record in result.lines)
    assert counts[LineClass.HEADLINE] == 1
    assert counts[LineClass.PREFIX_LEDE] + counts[LineClass.LEDE] <= 1
    assert sum(result.line_counts().values()) == len(non_blank)


def _check_provenance(result: Extraction) -> None:
    """Lines classed paragraph/caption/lede/headline appear in the output, and nothing else."""
    article = result.article
    by_class: dict[LineClass, list[str]] = {}
    for record in result.lines:
        by_class.setdefault(record.cls, []).append(fold(record.text))
    assert [c.text for c in article.captions] == by_class.get(LineClass.CAPTION, [])
    assert by_class[LineClass.HEADLINE] == [article.title]
    ledes = by_class.get(LineClass.LEDE, []) + by_class.get(LineClass.PREFIX_LEDE, [])
    paragraphs = by_class.get(LineClass.PARAGRAPH, [])
    if not paragraphs and ledes:
        # A brief: the lede line is the one paragraph and the article has no lede.
        assert article.lede is None and len(article.paragraphs) == 1
        lede = article.paragraphs[0].text
    else:
        assert [p.text for p in article.paragraphs] == paragraphs
        lede = article.lede
    if lede is None:
        assert ledes == []
    else:
        # the lede line is the lede, after the "(Source) - " prefix when it has one
        assert len(ledes) == 1
        prefix = ledes[0][: len(ledes[0]) - len(lede)]
        assert ledes[0].endswith(lede)
        assert prefix == "" or re.fullmatch(r"\(.+\)\s*[-–—]\s*", prefix), prefix


def _check_spans(result: Extraction) -> None:
    """Every span's source text, whitespace-folded, is the field text."""
    text = result.text

    def at(span: object) -> str:
        return fold(text[span.start : span.end])  # type: ignore[attr-defined]

    for p in result.article.paragraphs:
        assert at(p.span) == p.text
    for c in result.article.captions:
        assert at(c.span) == c.text
    for turn in result.turns:
        assert "\n\n".join(at(span) for span in turn.spans) == turn.text
    for res in result.resolutions:
        starts = [m.span.start for m in res.mentions]
        assert starts == sorted(starts)
        for m in res.mentions:
            assert at(m.span) == m.surface


def _check_no_furniture(result: Extraction) -> None:
    article = result.article
    texts = [article.title, article.lede or "", *article.authors]
    texts += [p.text for p in article.paragraphs] + [c.text for c in article.captions]
    texts += [turn.text for turn in result.turns]
    texts += [m.surface for r in result.resolutions for m in r.mentions]
    for text in texts:
        for mark in FURNITURE_MARKS:
            assert mark not in text, (mark, text)


def _check_turns(result: Extraction) -> None:
    """Turns index in order, answers point back at the closest question, spans lie in order
    inside paragraphs."""
    paragraph_spans = [(p.span.start, p.span.end) for p in result.article.paragraphs]
    last_question = None
    previous_end = -1
    for index, turn in enumerate(result.turns):
        assert turn.turn_index == index
        if turn.speaker_role == "interviewer":
            last_question = index
            assert turn.responds_to is None
        else:
            assert turn.responds_to == last_question
        for span in turn.spans:
            assert span.start >= previous_end
            previous_end = span.end
            assert any(s <= span.start and span.end == e for s, e in paragraph_spans)
