"""Line classes on page shapes other than the seed: furniture by pattern, not by position."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyanh_corpus.extract import Extraction, LineClass, extract_text, layout
from kyanh_corpus.extract.captions import caption_facts
from kyanh_corpus.extract.layout import byline_authors
from kyanh_corpus.extract.text import Line

LEDE = "Lời dẫn của bài viết về công tác xây dựng Đảng ở cơ sở trong năm qua."
HEAD = "Kỳ Anh đẩy mạnh công tác xây dựng Đảng"
FOOTER = "\u00a0{name} - {time}\n\n\u00a0Trả lời\n\n{body}\n\n0 bình luận\n\nTắt [X]"


def extract(*lines: str) -> Extraction:
    return extract_text("\n\n".join(lines) + "\n", source_file="t.txt")


def classes(result: Extraction) -> list[str]:
    return [record.cls.value for record in result.lines]


def test_headline_then_lede_without_prefix() -> None:
    result = extract(HEAD, LEDE, "Đoạn một.", "Đoạn hai.", FOOTER)
    assert classes(result)[:4] == ["headline", "lede", "paragraph", "paragraph"]
    assert result.article.lede == LEDE and result.article.title == HEAD
    assert result.article.source == "baohatinh.vn"


def test_lede_headline_lede_without_prefix() -> None:
    result = extract(LEDE, HEAD, LEDE, "Đoạn một.", HEAD, "Chú thích ảnh.", "Đoạn hai.")
    assert classes(result) == [
        "lede",
        "headline",
        "lede-repeat",
        "paragraph",
        "placeholder",
        "caption",
        "paragraph",
    ]


def test_headline_placeholder_lede_is_not_lede_headline_lede() -> None:
    result = extract(HEAD, LEDE, HEAD, "Chú thích ảnh. Ảnh: Sỹ Ngọ", "Đoạn một.")
    assert classes(result) == ["headline", "lede", "placeholder", "caption", "paragraph"]
    assert result.article.captions[0].after_paragraph is None


def test_navigation_above_the_prefixed_lede_is_boilerplate() -> None:
    result = extract("Chính trị", f"(Baohatinh.vn) – {LEDE}", HEAD, LEDE, "Đoạn một.")
    assert classes(result) == ["boilerplate", "prefix-lede", "headline", "lede-repeat", "paragraph"]


def test_headline_printed_above_the_prefixed_lede() -> None:
    result = extract(HEAD, f"(Baohatinh.vn)- {LEDE}", "Đoạn một.", HEAD, "Chú thích.", "Hai.")
    assert classes(result) == [
        "headline",
        "prefix-lede",
        "paragraph",
        "placeholder",
        "caption",
        "paragraph",
    ]


def test_outlet_name_prefix_is_a_prefix_but_no_domain() -> None:
    result = extract(f"(Báo Hà Tĩnh) - {LEDE}", HEAD, LEDE, "Đoạn một.")
    assert classes(result) == ["prefix-lede", "headline", "lede-repeat", "paragraph"]
    assert result.article.source == "baohatinh.vn" and result.article.lede == LEDE
    other = extract_text(
        f"(Chinhphu.vn) - {LEDE}\n\n{HEAD}\n\nĐoạn.", source_file="t.txt", source="x.vn"
    )
    assert other.article.source == "chinhphu.vn"


def test_two_line_page_has_a_body_not_a_lede() -> None:
    result = extract(HEAD, "Đoạn duy nhất.")
    assert classes(result) == ["headline", "paragraph"] and result.article.lede is None


def test_paragraph_starting_with_the_headline_is_body() -> None:
    result = extract(HEAD, LEDE, HEAD + " trong năm 2024.", HEAD, "Chú thích.")
    assert classes(result) == ["headline", "lede", "paragraph", "placeholder", "caption"]


def test_question_after_a_placeholder_is_not_a_caption() -> None:
    result = extract(HEAD, LEDE, HEAD, "P.V: Thưa ông, năm qua thế nào?", "Ông Lê Văn An: Tốt.")
    assert classes(result) == ["headline", "lede", "placeholder", "paragraph", "paragraph"]
    assert len(result.turns) == 2


def test_footer_variants_by_pattern() -> None:
    result = extract(
        HEAD,
        LEDE,
        "Thứ Hai, 10/01/2022 - 08:30 (GMT+7)",
        "Đoạn một.",
        "Tin liên quan:",
        "Kỳ Anh ra quân giải phóng mặt bằng dự án trọng điểm",
        "Hà Tĩnh kiện toàn tổ chức bộ máy cấp xã",
        "Bài và ảnh: Thu Trang",
        "Bình luận (3)",
        "Gửi bình luận",
        "x0 bình luận",
        "Tắt [X] ",
        "Xem thêm: Tin cùng chuyên mục",
        "Hãy chia sẻ bài viết",
    )
    assert classes(result) == [
        "headline",
        "lede",
        "boilerplate",
        "paragraph",
        "related-header",
        "boilerplate",
        "boilerplate",
        "byline",
        *["boilerplate"] * 6,
    ]
    assert result.article.authors == ["Thu Trang"]


def test_related_box_in_the_middle_leaves_body_text_alone() -> None:
    result = extract(
        HEAD, LEDE, "Đoạn một.", "Tin liên quan:", "Đoạn hai kết thúc bằng dấu chấm.", "Ba."
    )
    assert classes(result)[3:] == ["related-header", "paragraph", "paragraph"]


@pytest.mark.parametrize(
    ("line", "authors", "role"),
    [
        ("Thu Trang (thực hiện)", ["Thu Trang"], "thực hiện"),
        ("Minh Đức - Hoài Thương", ["Minh Đức", "Hoài Thương"], None),
        ("Minh Đức – Hoài Thương (ghi)", ["Minh Đức", "Hoài Thương"], "ghi"),
        ("Văn Chung, Thu Hà và Đình Nhật", ["Văn Chung", "Thu Hà", "Đình Nhật"], None),
        ("Bài, ảnh: Sỹ Ngọ", ["Sỹ Ngọ"], None),
        ("Xin cảm ơn ông!", [], None),
        ("Thời tiết", [], None),
    ],
)
def test_bylines(line: str, authors: list[str], role: str | None) -> None:
    assert byline_authors(line) == (authors, role)


def test_byline_printed_twice_gives_each_author_once() -> None:
    result = extract(HEAD, LEDE, "Đoạn.", "Minh Đức - Hoài Thương", "Hoài Thương (tổng hợp)")
    assert result.article.authors == ["Minh Đức", "Hoài Thương"]
    assert result.article.byline_role == "tổng hợp"


def test_name_like_line_inside_the_body_is_no_byline() -> None:
    result = extract(HEAD, LEDE, "Đoạn một.", "Thu Trang", "Đoạn hai.")
    assert LineClass.BYLINE not in [r.cls for r in result.lines]


@pytest.mark.parametrize(
    ("caption", "credit", "archival"),
    [
        ("Quang cảnh hội nghị. Ảnh: Sỹ Ngọ", "Sỹ Ngọ", False),
        ("Quang cảnh hội nghị. Ảnh: Sỹ Ngọ.", "Sỹ Ngọ", False),
        ("Quang cảnh hội nghị (Ảnh: Sỹ Ngọ)", "Sỹ Ngọ", False),
        ("Người dân nhận tiền bồi thường. Ảnh - Hoài Thương", "Hoài Thương", False),
        ("Buổi sinh hoạt chi bộ điểm. Ảnh tư liệu.", None, True),
        ("Buổi sinh hoạt chi bộ điểm. Ảnh tư liệu", None, True),
        ("Buổi sinh hoạt chi bộ điểm. Ảnh: Tư liệu", None, True),
        ("Ảnh minh họa.", None, False),
        ("Một góc trung tâm thị xã Kỳ Anh nhìn từ trên cao.", None, False),
    ],
)
def test_caption_facts(caption: str, credit: str | None, archival: bool) -> None:
    assert caption_facts(caption) == (credit, archival)


def test_unrepeated_headline_above_the_prefixed_lede() -> None:
    result = extract("Thời sự", HEAD, f"(Baohatinh.vn) - {LEDE}", "Đoạn một.", "Đoạn hai.")
    assert classes(result) == ["boilerplate", "headline", "prefix-lede", "paragraph", "paragraph"]


def test_short_lede_ending_in_dots_between_headline_and_placeholder() -> None:
    headline = "Phát triển du lịch cộng đồng, níu chân du khách ở phường Hưng Trí giai đoạn 2021"
    lede = "Từ những cách làm bài bản, phường Kỳ Liên đang thu hút du khách trở lại..."
    assert len(lede) < len(headline)
    result = extract(headline, lede, headline, "Bãi biển xã Kỳ Hưng.", "Đoạn một.")
    assert classes(result) == ["headline", "lede", "placeholder", "caption", "paragraph"]


# The furniture gates (layout.furniture_class) skip a pattern only when the line's shape proves
# it cannot match. These tests check the facts about Unicode and ``re`` the gates rely on, and
# compare the gated function with every pattern tried on every line.

ALL_CHARS = "".join(map(chr, range(0x110000)))


def chars_matching(pattern: str, flags: int = 0) -> set[str]:
    """Every code point that ``pattern`` (one character) matches."""
    return set(re.findall(pattern, ALL_CHARS, flags))


def test_gate_letters_have_no_other_caseless_match() -> None:
    letters = (
        layout._FURNITURE_FIRST_LETTERS
        + layout._FURNITURE_DATE_LETTERS
        + layout._RELATED_HEADER_FIRST_LETTERS
        + "õÕìÌ"
    )
    for letter in set(letters):
        assert chars_matching(re.escape(letter), re.I) == {letter, letter.swapcase()}, letter
    for letter in "gõ":  # the hint's "gõ" is looked for in the line's lower()
        assert {c.lower() for c in chars_matching(letter, re.I)} == {letter}


def test_digit_is_isdecimal() -> None:
    assert chars_matching(r"\d") == {c for c in ALL_CHARS if c.isdecimal()}


def test_casefold_neither_shortens_nor_adds_spaces_or_colons() -> None:
    for char in ALL_CHARS:
        folded = char.casefold()
        assert folded, hex(ord(char))
        if char not in " :":
            assert " " not in folded and ":" not in folded, hex(ord(char))


_UNGATED_FURNITURE = re.compile(
    layout._FURNITURE.pattern.replace(
        "| xem",
        r"| .{0,120}\bvui\s+lòng\s+gõ\s+tiếng\s+việt\s+có\s+dấu\b.*" + "\n      | xem",
    ),
    re.I | re.X | re.S,
)


def test_ungated_pattern_holds_the_hint() -> None:
    assert "vui" in _UNGATED_FURNITURE.pattern and "vui" not in layout._FURNITURE.pattern
    assert _UNGATED_FURNITURE.match("x" * 100 + " Vui lòng gõ tiếng Việt có dấu")


def ungated_furniture_class(key: str) -> LineClass | None:
    """furniture_class as it was before the gates: every pattern on every line."""
    if "{" in key and layout._TEMPLATE.search(key):
        return LineClass.BOILERPLATE
    if len(key) > layout._FURNITURE_MAX_CHARS:
        return None
    if key.casefold().rstrip(" :") in layout._FURNITURE_WORDS or _UNGATED_FURNITURE.match(key):
        return LineClass.BOILERPLATE
    if len(key) <= layout._WIDGET_LINE_MAX_CHARS and layout._WIDGET_WORDS.search(key):
        return LineClass.BOILERPLATE
    if layout._WIDGET_MARK.search(key):  # issue 13: the button or counter with stray text
        return LineClass.BOILERPLATE
    if layout._RELATED_HEADER.match(key):
        return LineClass.RELATED_HEADER
    return None


FURNITURE_SAMPLES = [
    "0 bình luận",
    "12 Bình  luận",
    "Bình luận (3)",
    "Ý KIẾN ( 12 )",
    "Ý kiến của bạn sẽ được biên tập trước khi đăng.",
    "Vui lòng gõ tiếng Việt có dấu",
    "Họ tên: Vui lòng gõ tiếng Việt có dấu.",
    "x" * 121 + " vui lòng gõ tiếng việt có dấu",
    "x" * 119 + " VUI LÒNG GÕ TIẾNG VIỆT CÓ DẤU",
    "Xem thêm: Kỳ Anh",
    "Hãy chia sẻ với bạn bè!",
    "Tắt [X]",
    "tắt[x] ",
    "Tắt" + " " * 40 + "[ X ]",  # too long for the widget words: only _FURNITURE knows it
    "Thứ hai, 12/3/2024 - 08:30 (GMT+7)",
    "Chủ nhật, 1/12/2024",
    "12/03/2024 10:00",
    "٣/٤/٢٠٢٤",
    "Trả lời:",
    "TRANG CHỦ : :",
    "Email",
    "Tin liên quan:",
    "Bài viết liên quan",
    "Tin, bài liên quan",
    "Tin bài liên quan khác",
    "Thứ trưởng Bộ Tài chính phát biểu tại hội nghị.",
    "Chủ tịch UBND xã Kỳ Tân cho biết: đã có 12/15 thôn về đích.",
    "Bình luận của bạn đọc",
    "ý kiến bạn đọc",
    "Gõ cửa từng nhà, cán bộ vận động bà con.",
    "Anh ấy nói rõ: tắt [x] đi.",
    "Trung bình mỗi hộ có 3 con bò.",
    "Ông Lê Văn A: Ông Lê Văn A: Ông Lê Văn A: Tắt [X]",
    "aaÔng Lê Văn A: Ông Lê Văn A: 0 bình luận",
    "12 bình luận P.V: Ông Lê Văn A: Ông Lê Văn A:",
    "Bài viết nhận được 300 bình luận của bạn đọc trong ngày đầu tiên.",
    "{name} - {time}",
    "",
]


@pytest.mark.parametrize("key", FURNITURE_SAMPLES)
def test_gated_furniture_class_on_samples(key: str) -> None:
    line = Line(1, 0, len(key), key, key)
    assert layout.furniture_class(line) == ungated_furniture_class(key)


_FURNITURE_ALPHABET = "0123456789٣/:()[]{}., -xXtTcChHbBýÝõÕgGìÌqQ\u00a0\tVvuiılòngiếtệấ"


@given(
    st.lists(
        st.sampled_from(FURNITURE_SAMPLES[:-1]) | st.text(_FURNITURE_ALPHABET, max_size=12),
        max_size=4,
    ).map("".join)
)
def test_gated_furniture_class_is_the_ungated_one(key: str) -> None:
    line = Line(1, 0, len(key), key, key)
    assert layout.furniture_class(line) == ungated_furniture_class(key)
