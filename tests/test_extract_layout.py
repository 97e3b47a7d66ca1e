"""Line classes on page shapes other than the seed: furniture by pattern, not by position."""

from __future__ import annotations

import pytest

from kyanh_corpus.extract import Extraction, LineClass, extract_text
from kyanh_corpus.extract.captions import caption_facts
from kyanh_corpus.extract.layout import byline_authors

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
