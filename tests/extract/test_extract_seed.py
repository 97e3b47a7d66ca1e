"""Acceptance numbers of issue 3 on the shipped seed page, written out explicitly."""

from __future__ import annotations

from datetime import date

import pytest

from kyanh_corpus.extract import Extraction, LineClass, extract_file
from support.paths import SEED


@pytest.fixture(scope="module")
def seed() -> Extraction:
    return extract_file(SEED)


def test_article(seed: Extraction) -> None:
    article = seed.article
    assert article.source == "baohatinh.vn"
    assert article.source_file == SEED.name
    assert article.title.startswith("Nâng cao chất lượng sinh hoạt chi bộ, tạo cơ sở vững chắc")
    assert article.lede is not None and article.lede.startswith("Xây dựng nghị quyết về nâng cao")
    assert not article.lede.startswith("(")
    assert len(article.paragraphs) == 19
    assert article.authors == ["Thu Trang"]
    assert article.byline_role == "thực hiện"
    assert article.genre == "interview"
    assert article.published_at is None  # "Nhân dịp năm mới" is no date
    assert article.url is None
    assert len(article.raw_sha256) == 64


def test_paragraph_lines_match_design(seed: Extraction) -> None:
    lines = [7, 9, 15, 17, 19, 21, 27, 29, 31, 33, 39, 45, 47, 49, 51, 53, 55, 61, 63]
    paragraph_lines = [r.number for r in seed.lines if r.cls is LineClass.PARAGRAPH]
    assert paragraph_lines == lines
    # Line 61 starts with the headline's words but is body text.
    assert seed.article.paragraphs[17].text.startswith("Nâng cao chất lượng sinh hoạt chi bộ nói")


def test_line_classes(seed: Extraction) -> None:
    classes = {r.number: r.cls for r in seed.lines}
    assert classes[1] is LineClass.PREFIX_LEDE
    assert classes[3] is LineClass.HEADLINE
    assert classes[5] is LineClass.LEDE_REPEAT
    assert [n for n, c in classes.items() if c is LineClass.PLACEHOLDER] == [11, 23, 35, 41, 57]
    assert [n for n, c in classes.items() if c is LineClass.CAPTION] == [13, 25, 37, 43, 59]
    assert [n for n, c in classes.items() if c is LineClass.BYLINE] == [67, 70]
    assert classes[65] is LineClass.RELATED_HEADER
    assert [n for n, c in classes.items() if c is LineClass.BOILERPLATE] == [
        72,
        74,
        76,
        77,
        78,
        80,
        82,
        84,
        86,
        88,
        90,
        92,
        93,
    ]
    assert seed.line_counts() == {
        "prefix-lede": 1,
        "headline": 1,
        "lede-repeat": 1,
        "paragraph": 19,
        "placeholder": 5,
        "caption": 5,
        "related-header": 1,
        "byline": 2,
        "boilerplate": 13,
    }


def test_captions(seed: Extraction) -> None:
    captions = seed.article.captions
    assert len(captions) == 5
    assert [c.archival for c in captions] == [False, True, False, True, False]
    assert sum(c.archival for c in captions) == 2
    assert [c.credit for c in captions] == [None] * 5
    assert [c.after_paragraph for c in captions] == [1, 5, 9, 10, 16]


def test_turns(seed: Extraction) -> None:
    turns = seed.turns
    assert len(turns) == 7
    assert [t.speaker_role for t in turns] == ["interviewer", "interviewee"] * 3 + ["interviewer"]
    answers = [t for t in turns if t.speaker_role == "interviewee"]
    assert [len(t.spans) for t in answers] == [4, 3, 6]
    assert {t.speaker_name for t in answers} == {"Đặng Văn Thành"}
    assert {t.speaker_title for t in answers} == {"Bí thư Thị ủy Kỳ Anh"}
    assert {t.speaker_label for t in answers} == {"Bí thư Thị ủy Kỳ Anh Đặng Văn Thành"}
    assert [t.responds_to for t in turns] == [None, 0, None, 2, None, 4, None]
    questions = [t for t in turns if t.speaker_role == "interviewer"]
    assert {t.speaker_label for t in questions} == {"P.V"}
    assert all(t.speaker_name is None and t.speaker_title is None for t in questions)
    assert turns[-1].text == "Xin cảm ơn ông!"
    assert not turns[1].text.startswith("Bí thư")  # the label is not part of the turn text
    # Captions between answer paragraphs are not part of the answer.
    assert "Ảnh tư liệu" not in turns[1].text


def test_documents(seed: Extraction) -> None:
    by_code = {r.code: r for r in seed.resolutions}
    assert list(by_code) == ["02-NQ/ThU", "12-HD/BTCTW", "1193-QĐ/TU"]

    nq = by_code["02-NQ/ThU"]
    assert (nq.doc_type, nq.doc_type_name, nq.system) == ("NQ", "Nghị quyết", "party")
    assert nq.issued_on == date(2021, 2, 3)
    assert nq.issuer == "BTV Thị ủy Kỳ Anh"
    assert nq.resolution_id == "02-nq-thu-ky-anh-2021"
    assert nq.title == (
        "nâng cao chất lượng sinh hoạt cấp ủy, sinh hoạt chi bộ giai đoạn 2021-2025"
    )
    assert len(nq.mentions) == 7
    assert [m.surface for m in nq.mentions].count("Nghị quyết 02") == 1

    hd = by_code["12-HD/BTCTW"]
    assert (hd.doc_type_name, hd.issuer, hd.issued_on) == (
        "Hướng dẫn",
        "Ban Tổ chức Trung ương",
        None,
    )
    assert hd.resolution_id == "12-hd-btctw"

    qd = by_code["1193-QĐ/TU"]
    assert qd.doc_type == "QĐ"
    assert qd.doc_type_name == "Quy định"  # the printed word wins over the QĐ abbreviation
    assert qd.issued_on == date(2019, 12, 5)
    assert qd.issuer == "BTV Tỉnh ủy"
    assert qd.resolution_id == "1193-qd-tu-2019"


def test_mentions_are_in_body_and_captions_only(seed: Extraction) -> None:
    """The repeated lede and the placeholders add no mentions; the caption's short form does."""
    classes = {r.number: r.cls for r in seed.lines}
    for res in seed.resolutions:
        for mention in res.mentions:
            line = seed.text.count("\n", 0, mention.span.start) + 1
            assert classes[line] in (LineClass.PARAGRAPH, LineClass.CAPTION, LineClass.HEADLINE)
    caption_mentions = [
        m
        for m in seed.resolutions[0].mentions
        if classes[seed.text.count("\n", 0, m.span.start) + 1] is LineClass.CAPTION
    ]
    assert [m.surface for m in caption_mentions] == ["Nghị quyết 02"]


def test_no_warnings_on_the_seed(seed: Extraction) -> None:
    assert seed.warnings == []
