"""Interview turns and speaker labels; prose colons start nothing."""

from __future__ import annotations

import re

import pytest

from kyanh_corpus.extract import Extraction, extract_text, turns
from kyanh_corpus.extract.names import SURNAMES, split_name
from kyanh_corpus.extract.turns import find_marker, parse_speaker


def page(*paragraphs: str) -> Extraction:
    body = "\n\n".join(paragraphs)
    text = f"Tiêu đề cuộc trao đổi\n\nLời dẫn của bài viết.\n\n{body}\n"
    return extract_text(text, source_file="t.txt")


@pytest.mark.parametrize(
    ("label", "name", "title"),
    [
        ("Bí thư Thị ủy Kỳ Anh Đặng Văn Thành", "Đặng Văn Thành", "Bí thư Thị ủy Kỳ Anh"),
        ("Ông Nguyễn Văn Bình", "Nguyễn Văn Bình", None),
        ("Bà Nguyễn Thị Thu Hà", "Nguyễn Thị Thu Hà", None),
        ("Đồng chí Đặng Văn Thành", "Đặng Văn Thành", None),
        ("Ông Thành", "Thành", None),
        ("Chủ tịch UBND tỉnh Hà Tĩnh Võ Trọng Hải", "Võ Trọng Hải", "Chủ tịch UBND tỉnh Hà Tĩnh"),
        ("Chủ tịch UBND tỉnh Hà Tĩnh Lê Hải", "Lê Hải", "Chủ tịch UBND tỉnh Hà Tĩnh"),
        (
            "Bí thư Đảng ủy xã Thạch Hà Hà Văn Nam",
            "Hà Văn Nam",
            "Bí thư Đảng ủy xã Thạch Hà",
        ),
        (
            "Phó Chủ tịch UBND TX Kỳ Anh Nguyễn Thị Thu Hà",
            "Nguyễn Thị Thu Hà",
            "Phó Chủ tịch UBND TX Kỳ Anh",
        ),
        ("Giám đốc Nguyễn Hoàng Anh Tuấn", "Nguyễn Hoàng Anh Tuấn", "Giám đốc"),
        (
            "Ông Nguyễn Văn Bình - Chủ tịch UBND xã Kỳ Tân",
            "Nguyễn Văn Bình",
            "Chủ tịch UBND xã Kỳ Tân",
        ),
        ("Đậu Văn Hùng", "Đậu Văn Hùng", None),
        ("TS. Phan Văn Hùng", "Phan Văn Hùng", "TS."),
    ],
)
def test_speaker_label_split(label: str, name: str, title: str | None) -> None:
    speaker = parse_speaker(label)
    assert speaker is not None
    assert (speaker.role, speaker.label, speaker.name, speaker.title) == (
        "interviewee",
        label,
        name,
        title,
    )


@pytest.mark.parametrize(
    "label",
    [
        "Kết quả",
        "Theo ông Nguyễn Văn A",
        "Ông Nguyễn Văn Bình cho biết",
        "Đồng chí Trần Minh Hải, Bí thư Thị ủy Kỳ Anh phát biểu",
        "Hà Tĩnh",
        "Kỳ Anh",
        "Năm 2024",
        "Bí thư Thị ủy Kỳ Anh",
        "Mục tiêu xuyên suốt",
    ],
)
def test_not_a_speaker(label: str) -> None:
    assert parse_speaker(label) is None


def test_surname_list_is_real() -> None:
    assert len(SURNAMES) > 100
    assert {"Nguyễn", "Trần", "Lê", "Đặng", "Đậu", "Võ", "Phan", "Thái", "Hồ"} <= SURNAMES
    assert "Văn" not in SURNAMES and "Thị" not in SURNAMES
    assert split_name(["Kỳ", "Anh"]) is None


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("P.V: Thưa ông", "P.V"),
        ("PV: Thưa ông", "PV"),
        ("PV : Thưa ông", "PV"),
        ("P.V.: Thưa ông", "P.V."),
        ("Phóng viên: Thưa ông", "Phóng viên"),
        ("PHÓNG VIÊN: Xin cảm ơn ông!", "PHÓNG VIÊN"),
        ("- PV: Thưa ông", "PV"),
    ],
)
def test_interviewer_markers(text: str, label: str) -> None:
    marker = find_marker(text)
    assert marker is not None
    assert marker.speaker.role == "interviewer" and marker.speaker.label == label
    assert text[marker.body_offset :].startswith(("Thưa", "Xin"))


def test_news_without_interviewer_marker_has_no_turns() -> None:
    result = page(
        "Ông Nguyễn Văn Bình: Chúng tôi sẽ cố gắng hơn nữa.",
        "Kết quả: tính đến nay đã bàn giao 186,5 ha mặt bằng.",
        "Đồng chí Trần Minh Hải, Bí thư Thị ủy phát biểu: “Giải phóng mặt bằng là nhiệm vụ”.",
    )
    assert result.turns == []
    assert result.article.genre == "news"


def test_prose_colons_inside_an_interview_do_not_start_turns() -> None:
    result = page(
        "P.V: Kết quả năm qua thế nào, thưa ông?",
        "Ông Nguyễn Văn Bình: Năm qua có nhiều kết quả.",
        "Kết quả: tính đến nay đã bàn giao 186,5 ha mặt bằng.",
        "Đồng chí Bí thư phát biểu: “Phải quyết liệt hơn”.",
        "PV: Xin cảm ơn ông!",
    )
    assert [t.speaker_role for t in result.turns] == ["interviewer", "interviewee", "interviewer"]
    assert len(result.turns[1].spans) == 3
    assert result.turns[1].text.split("\n\n")[1].startswith("Kết quả:")
    assert result.article.genre == "interview"


def test_turn_spans_skip_the_label_and_captions() -> None:
    text = (
        "Tiêu đề phỏng vấn\n\nLời dẫn.\n\nPhóng viên:   Câu hỏi một?\n\nTiêu đề phỏng vấn\n\n"
        "Ảnh minh họa. Ảnh: Sỹ Ngọ\n\nAnh Trần Văn Tuấn: Trả lời một.\n\nTiêu đề phỏng vấn\n\n"
        "Chú thích ảnh.\n\nTrả lời tiếp.\n"
    )
    result = extract_text(text, source_file="t.txt")
    q, a = result.turns
    assert q.text == "Câu hỏi một?"
    assert result.text[q.spans[0].start : q.spans[0].end] == "Câu hỏi một?"
    assert a.text == "Trả lời một.\n\nTrả lời tiếp."
    assert (a.speaker_name, a.speaker_title, a.responds_to) == ("Trần Văn Tuấn", None, 0)
    assert [c.credit for c in result.article.captions] == ["Sỹ Ngọ", None]


def test_label_without_text_is_dropped_with_a_warning() -> None:
    result = page("PV:", "Ông Nguyễn Văn Bình: Trả lời.", "PV: Xin cảm ơn ông!")
    assert [t.speaker_role for t in result.turns] == ["interviewee", "interviewer"]
    assert result.turns[0].responds_to is None
    assert any("empty interview turn" in warning for warning in result.warnings)


def test_paragraphs_before_the_first_label_belong_to_no_turn() -> None:
    result = page("Mở đầu bài viết.", "P.V: Câu hỏi?", "Ông Lê Văn An: Trả lời.")
    assert len(result.turns) == 2
    assert result.turns[0].spans[0].start > result.article.paragraphs[0].span.end


def test_name_that_starts_like_a_district() -> None:
    speaker = parse_speaker("Chủ tịch Ủy ban MTTQ thị xã Kỳ Anh Vũ Quang Hòa")
    assert speaker is not None
    assert (speaker.name, speaker.title) == ("Vũ Quang Hòa", "Chủ tịch Ủy ban MTTQ thị xã Kỳ Anh")


def test_interviewer_gate_letters() -> None:
    """Under re.I only "p"/"P" match "p": paragraphs starting otherwise skip _INTERVIEWER."""
    all_chars = "".join(map(chr, range(0x110000)))
    assert set(re.findall("p", all_chars, re.I)) == {"p", "P"}
    for bullet in "-–—•*+":
        assert turns._INTERVIEWER.match(bullet + " P.V: Hỏi?")
        assert turns.starts_with_interviewer(bullet + "Phóng viên: Hỏi?")
    assert not turns.starts_with_interviewer("Ông P.V: không phải câu hỏi")
    assert not turns.starts_with_interviewer("")
