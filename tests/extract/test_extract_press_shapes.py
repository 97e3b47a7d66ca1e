"""Real press shapes (design.md, "Real press shapes"): interviews printed without "P.V:", labels
in other forms, codes with no type part, facts printed before a code, briefs.

Each test builds a small page whose expected records were worked out by hand from its text.
"""

from __future__ import annotations

from datetime import date

import pytest

from kyanh_corpus.extract import Extraction, ExtractionError, extract_text
from kyanh_corpus.extract.turns import question_shape

HEAD = "Tiêu đề cuộc trao đổi về xây dựng nông thôn mới"


def page(*paragraphs: str, lede: str = "Lời dẫn của bài viết.") -> Extraction:
    body = "\n\n".join(paragraphs)
    return extract_text(f"{HEAD}\n\n{lede}\n\n{body}\n", source_file="t.txt")


def turns_of(result: Extraction) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (t.speaker_role, t.speaker_label, t.speaker_name, t.speaker_title) for t in result.turns
    ]


INTRO = "PV Báo Hà Tĩnh đã trao đổi với ông Lê Văn Bình - Chủ tịch UBND xã Kỳ Tân."


def test_bulleted_questions_and_unlabelled_answers_with_the_speaker_from_the_lede() -> None:
    result = page(
        "Năm qua, xã Kỳ Tân về đích nông thôn mới nâng cao.",
        "- Ông có thể cho biết những kết quả nổi bật của xã trong năm qua?",
        "Năm qua, xã đã làm mới 12 km đường giao thông nông thôn.",
        "Người dân hiến gần 9.000 m2 đất để mở rộng đường.",
        "- Thời gian tới, xã sẽ tập trung vào những nhiệm vụ gì?",
        "Xã tập trung phát triển sản xuất, nâng cao thu nhập cho người dân.",
        "- Xin cảm ơn ông!",
        lede=INTRO,
    )
    assert result.article.genre == "interview"
    bình = ("interviewee", None, "Lê Văn Bình", "Chủ tịch UBND xã Kỳ Tân")
    question = ("interviewer", None, None, None)
    assert turns_of(result) == [question, bình, question, bình, question]
    first, answer = result.turns[:2]
    assert first.text == "Ông có thể cho biết những kết quả nổi bật của xã trong năm qua?"
    assert answer.text.split("\n\n") == [
        "Năm qua, xã đã làm mới 12 km đường giao thông nông thôn.",
        "Người dân hiến gần 9.000 m2 đất để mở rộng đường.",
    ]
    assert [t.responds_to for t in result.turns] == [None, 0, None, 2, None]
    assert any("interview inferred" in w for w in result.warnings)
    assert any("inferred from the introduction: Lê Văn Bình" in w for w in result.warnings)


def test_questions_addressed_thua_without_bullets() -> None:
    result = page(
        "Thưa bà, vụ lúa năm nay của huyện đạt năng suất ra sao?",
        "Năng suất bình quân đạt 58 tạ/ha, cao nhất từ trước tới nay.",
        "Thưa bà, huyện sẽ hỗ trợ nông dân những gì trong vụ tới?",
        "Huyện hỗ trợ giống và phân bón cho các hợp tác xã.",
        "Trân trọng cảm ơn bà!",
        lede="Phóng viên đã có cuộc trò chuyện với bà Trần Thị Mai, Phó Chủ tịch UBND huyện.",
    )
    mai = ("interviewee", None, "Trần Thị Mai", "Phó Chủ tịch UBND huyện")
    question = ("interviewer", None, None, None)
    assert turns_of(result) == [question, mai, question, mai, question]


def test_the_speaker_is_null_when_the_article_names_nobody_or_several() -> None:
    questions = (
        "- Xã đã làm gì để giữ vững tiêu chí môi trường?",
        "Xã duy trì thu gom rác thải hằng tuần.",
        "- Khó khăn lớn nhất hiện nay là gì?",
        "Khó khăn lớn nhất là nguồn vốn đối ứng.",
    )
    for lede in (
        "Báo Hà Tĩnh trao đổi về công tác môi trường ở cơ sở.",
        "PV trao đổi với ông Lê Văn Bình và bà Trần Thị Mai về công tác môi trường.",
    ):
        result = page(*questions, lede=lede)
        assert [t.speaker_name for t in result.turns] == [None, None, None, None]
        assert [t.speaker_role for t in result.turns][1::2] == ["interviewee", "interviewee"]
        assert any("names nobody or several people" in w for w in result.warnings)


def test_later_unlabelled_answers_are_the_person_of_the_labelled_ones() -> None:
    result = page(
        "- Thưa ông, kết quả thu ngân sách năm nay thế nào?",
        "Ông Hồ Văn Tâm: Thu ngân sách đạt 115% dự toán.",
        "- Thưa ông, còn nhiệm vụ năm tới?",
        "Năm tới, thị xã phấn đấu thu vượt 10% dự toán.",
    )
    assert turns_of(result)[1] == ("interviewee", "Ông Hồ Văn Tâm", "Hồ Văn Tâm", None)
    assert turns_of(result)[3] == ("interviewee", None, "Hồ Văn Tâm", None)
    assert any("inferred from the labelled answers: Hồ Văn Tâm" in w for w in result.warnings)


@pytest.mark.parametrize(
    "label",
    ["Hỏi", "Phóng viên (PV)", "Báo Hà Tĩnh", "PV Báo Hà Tĩnh", "- PV", "• Phóng viên"],
)
def test_other_interviewer_labels(label: str) -> None:
    result = page(
        f"{label}: Ông đánh giá thế nào về phong trào?",
        "Ông Nguyễn Văn Bình: Phong trào có nhiều chuyển biến.",
    )
    assert [t.speaker_role for t in result.turns] == ["interviewer", "interviewee"]
    assert result.turns[0].speaker_label == label.lstrip("-• ")
    assert result.turns[0].text == "Ông đánh giá thế nào về phong trào?"


def test_hoi_dap_with_the_speaker_from_the_introduction() -> None:
    result = page(
        "Hỏi: Việc sáp nhập thôn đã hoàn thành chưa?",
        "Đáp: Toàn thị xã đã sáp nhập xong 14 thôn, tổ dân phố.",
        "Hỏi: Cán bộ dôi dư được bố trí thế nào?",
        "Đáp: Cán bộ dôi dư được bố trí công việc phù hợp.",
        lede="Phóng viên phỏng vấn ông Võ Văn Hải, Trưởng phòng Nội vụ thị xã.",
    )
    hải = ("interviewee", "Đáp", "Võ Văn Hải", "Trưởng phòng Nội vụ thị xã")
    assert turns_of(result) == [("interviewer", "Hỏi", None, None), hải] * 2


def test_labels_with_the_name_before_the_title_and_behind_bullets() -> None:
    result = page(
        "- PV: Xã đã chuẩn bị gì cho mùa mưa bão?",
        "- Ông Lê Văn Bình – Chủ tịch UBND xã Kỳ Xuân: Xã đã xây dựng phương án di dời dân.",
        "PV: Lực lượng tại chỗ ra sao?",
        "Lê Văn Bình, Chủ tịch UBND xã Kỳ Xuân: Xã có 3 đội xung kích.",
    )
    expected = ("interviewee", None, "Lê Văn Bình", "Chủ tịch UBND xã Kỳ Xuân")
    assert [t[2:] for t in turns_of(result)[1::2]] == [expected[2:], expected[2:]]
    assert result.turns[1].speaker_label == "Ông Lê Văn Bình – Chủ tịch UBND xã Kỳ Xuân"
    assert result.turns[1].text == "Xã đã xây dựng phương án di dời dân."


def test_honorific_and_title_labels_are_resolved_to_the_person_named_with_that_title() -> None:
    questions = ("PV: Thị xã thu hút đầu tư ra sao?", "PV: Còn về hạ tầng?")
    answers = (
        "Đồng chí Chủ tịch UBND thị xã: Thị xã thu hút 12 dự án mới.",
        "Đồng chí Chủ tịch UBND thị xã: Hạ tầng được đầu tư đồng bộ.",
    )
    named = page(
        questions[0],
        answers[0],
        questions[1],
        answers[1],
        lede="Chúng tôi gặp ông Trần Văn Hùng - Chủ tịch UBND thị xã Kỳ Anh.",
    )
    hùng = ("interviewee", "Đồng chí Chủ tịch UBND thị xã", "Trần Văn Hùng", "Chủ tịch UBND thị xã")
    assert turns_of(named)[1::2] == [hùng, hùng]
    anonymous = page(questions[0], answers[0], questions[1], answers[1])
    assert [t.speaker_name for t in anonymous.turns] == [None] * 4
    assert anonymous.turns[1].speaker_title == "Chủ tịch UBND thị xã"


def test_labels_in_capitals_come_out_in_normal_case() -> None:
    result = page(
        "PV: Tỉnh đã làm gì để cải thiện môi trường đầu tư?",
        "PHÓ CHỦ TỊCH UBND TỈNH LÊ VĂN BÌNH: Tỉnh đã rút ngắn thời gian giải quyết thủ tục.",
        lede="Trao đổi với Phó Chủ tịch UBND tỉnh Lê Văn Bình về cải cách hành chính.",
    )
    turn = result.turns[1]
    assert turn.speaker_label == "PHÓ CHỦ TỊCH UBND TỈNH LÊ VĂN BÌNH"
    assert (turn.speaker_name, turn.speaker_title) == ("Lê Văn Bình", "Phó Chủ tịch UBND tỉnh")
    alone = page(
        "PV: Huyện đã làm gì?",
        "BÍ THƯ HUYỆN ỦY NGUYỄN VĂN AN: Huyện tập trung xây dựng Đảng.",
    )
    assert (alone.turns[1].speaker_name, alone.turns[1].speaker_title) == (
        "Nguyễn Văn An",
        "Bí thư Huyện ủy",
    )


@pytest.mark.parametrize(
    "paragraphs",
    [
        # One quoted question in a report.
        (
            "Tại hội nghị, nhiều cử tri đặt câu hỏi:",
            "“Bao giờ con đường liên xã được sửa chữa?”",
            "Lãnh đạo UBND thị xã đã trả lời thẳng thắn các kiến nghị.",
        ),
        # A bulleted list of measures, one of them ending with "?".
        (
            "Thị xã đề ra các giải pháp:",
            "- Đẩy mạnh cải cách hành chính.",
            "- Vì sao phải làm ngay?",
            "- Tăng cường kiểm tra, giám sát.",
        ),
        # A single addressed question.
        ("Thưa ông, vì sao dự án chậm tiến độ?", "Dự án chậm vì vướng mặt bằng."),
        # Colons in prose.
        (
            "Kết quả: toàn thị xã có 92% hộ đạt chuẩn.",
            "Đồng chí Chủ tịch UBND thị xã phát biểu: “Cần làm quyết liệt hơn”.",
        ),
    ],
)
def test_near_misses_stay_news(paragraphs: tuple[str, ...]) -> None:
    result = page(*paragraphs)
    assert result.article.genre == "news"
    assert result.turns == []


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("- Thưa ông, kết quả ra sao?", "question"),
        ("Thưa đồng chí Bí thư, xin đồng chí cho biết.", "question"),
        ("• Xã sẽ làm gì tiếp theo?”", "question"),
        ("Xin cảm ơn ông!", "thanks"),
        ("- Chân thành cảm ơn bà về cuộc trao đổi này!", "thanks"),
        ("Thưa các đồng chí, hội nghị hôm nay...", None),
        ("Xã sẽ làm gì tiếp theo?", None),
        ("Xã sẽ làm gì tiếp theo, thưa ông?", "question"),
        ("“Xã sẽ làm gì tiếp theo, thưa ông?”", None),
        ("- Trồng mới 5 ha rừng.", None),
        ("Cảm ơn sự quan tâm của bạn đọc.", None),
    ],
)
def test_question_shapes(text: str, shape: str | None) -> None:
    found = question_shape(text)
    assert (found[0] if found else None) == shape


def cited(*paragraphs: str) -> list[dict[str, object]]:
    result = page(*paragraphs)
    return [
        r.model_dump(mode="json", exclude={"mentions", "resolution_id"}) for r in result.resolutions
    ]


def test_letters_and_older_codes_need_a_type_word_and_carry_no_type() -> None:
    (letter, old, old_year) = cited(
        "Thực hiện Công văn số 2310/UBND-TH ngày 5/6/2023 của UBND thị xã Kỳ Anh về phòng chống "
        "thiên tai, theo Nghị định 12/CP và Quyết định số 33/1998/CP."
    )
    assert letter["code"] == "2310/UBND-TH" and letter["doc_type"] is None
    assert letter["doc_type_name"] == "Công văn" and letter["issuer_code"] == "UBND-TH"
    assert letter["issued_on"] == "2023-06-05" and letter["issuer"] == "UBND thị xã Kỳ Anh"
    assert (old["code"], old["doc_type"], old["doc_type_name"]) == ("12/CP", None, "Nghị định")
    assert (old_year["code"], old_year["year"]) == ("33/1998/CP", 1998)
    assert cited("Theo số 2310/UBND-TH và 567/SNN-KHTC, tỷ lệ 21/25 xã đạt chuẩn.") == []
    (text,) = cited("Sở có Văn bản 567/SNN-KHTC hướng dẫn.")
    assert (text["code"], text["doc_type_name"]) == ("567/SNN-KHTC", "Văn bản")


def test_unit_suffixes_and_spelling_variants() -> None:
    docs = cited(
        "Theo Quyết định số 1520/QĐ-BTNMT-TCMT, Kế hoạch số 85/KH-UBND-VX, Quyết định "
        "20/2003-QĐ-TTg và Nghị quyết (NQ) số 09-NQ/TU."
    )
    assert [d["code"] for d in docs] == [
        "1520/QĐ-BTNMT-TCMT",
        "85/KH-UBND-VX",
        "20/2003/QĐ-TTg",
        "09-NQ/TU",
    ]
    assert docs[0]["issuer_code"] == "BTNMT-TCMT" and docs[0]["doc_type"] == "QĐ"
    result = page("Thực hiện Nghị quyết (NQ) số 09-NQ/TU của BTV Tỉnh ủy.")
    assert result.resolutions[0].mentions[0].surface == "Nghị quyết (NQ) số 09-NQ/TU"


def test_facts_printed_before_the_code_in_the_same_sentence_only() -> None:
    (doc,) = cited(
        "Ngày 9/5/2022, BTV Huyện ủy Kỳ Anh đã ban hành Chỉ thị số 08-CT/HU về tăng cường "
        "lãnh đạo công tác phòng chống thiên tai."
    )
    assert (doc["issuer"], doc["issued_on"]) == ("BTV Huyện ủy Kỳ Anh", "2022-05-09")
    assert doc["title"] == "tăng cường lãnh đạo công tác phòng chống thiên tai"
    (doc,) = cited("UBND tỉnh vừa ban hành Quyết định số 1234/QĐ-UBND về giá đất.")
    assert (doc["issuer"], doc["issued_on"]) == ("UBND tỉnh", None)
    (doc,) = cited("Ngày 9/5/2022, BTV Huyện ủy Kỳ Anh họp. Sau đó, Chỉ thị số 08-CT/HU ra đời.")
    assert (doc["issuer"], doc["issued_on"]) == (None, None)
    (doc,) = cited("Ngày 9/5/2022, UBND thị xã tổ chức triển khai Quyết định số 45/QĐ-UBND.")
    assert (doc["issuer"], doc["issued_on"]) == (None, None)
    (doc,) = cited(
        "Ngày 9/5/2022, UBND tỉnh ban hành Quyết định số 45/QĐ-UBND ngày 2/5/2022 của UBND "
        "tỉnh Hà Tĩnh."
    )
    assert (doc["issuer"], doc["issued_on"]) == ("UBND tỉnh Hà Tĩnh", "2022-05-02")


@pytest.mark.parametrize(
    "text",
    [
        f"(Baohatinh.vn) - Sáng 3/5, UBND thị xã Kỳ Anh ban hành Kế hoạch số 35/KH-UBND.\n\n"
        f"{HEAD}\n",
        f"(Baohatinh.vn) - Sáng 3/5, UBND thị xã Kỳ Anh ban hành Kế hoạch số 35/KH-UBND.\n\n"
        f"{HEAD}\n\nSáng 3/5, UBND thị xã Kỳ Anh ban hành Kế hoạch số 35/KH-UBND.\n",
    ],
)
def test_a_brief_is_an_article_whose_lede_is_its_one_paragraph(text: str) -> None:
    result = extract_text(text, source_file="brief.txt")
    article = result.article
    assert article.title == HEAD and article.lede is None
    assert [p.text for p in article.paragraphs] == [
        "Sáng 3/5, UBND thị xã Kỳ Anh ban hành Kế hoạch số 35/KH-UBND."
    ]
    span = article.paragraphs[0].span
    assert result.text[span.start : span.end] == article.paragraphs[0].text
    (doc,) = result.resolutions
    assert len(doc.mentions) == 1 and doc.issuer == "UBND thị xã Kỳ Anh"
    assert result.lines[0].cls.value == "prefix-lede"


def test_a_headline_alone_is_still_refused() -> None:
    with pytest.raises(ExtractionError, match=r"no body paragraphs|no headline"):
        extract_text(f"(Baohatinh.vn) -\n\n{HEAD}\n\n0 bình luận\n", source_file="x.txt")


def test_issue_dates_before_the_code_need_a_real_date() -> None:
    result = page("Ngày 31/2/2022, UBND tỉnh ban hành Quyết định số 45/QĐ-UBND.")
    (doc,) = result.resolutions
    assert doc.issued_on is None and doc.issuer == "UBND tỉnh"
    assert any("impossible date" in w for w in result.warnings)


def test_a_subject_ends_where_the_main_clause_begins() -> None:
    (doc,) = cited(
        "Thực hiện Chỉ thị số 05-CT/HU về phòng chống thiên tai, huyện đã thành lập 12 đội "
        "xung kích."
    )
    assert doc["title"] == "phòng chống thiên tai"
    (doc,) = cited("Theo Kế hoạch 35-KH/ThU về rà soát, sắp xếp tổ chức bộ máy.")
    assert doc["title"] == "rà soát, sắp xếp tổ chức bộ máy"


def test_the_issuer_most_mentions_state_wins_and_a_fuller_name_replaces_a_shorter_one() -> None:
    (doc,) = cited(
        "UBND tỉnh vừa ban hành Quyết định số 2145/QĐ-UBND về giá đất. Quyết định số "
        "2145/QĐ-UBND ngày 1/8/2024 của UBND tỉnh Hà Tĩnh có hiệu lực từ tháng 9."
    )
    assert (doc["issuer"], doc["issued_on"]) == ("UBND tỉnh Hà Tĩnh", "2024-08-01")
    two_to_one = (
        "Ngày 2/8/2024, BCH Đảng bộ thị xã Kỳ Anh ban hành Nghị quyết số 07-NQ/ThU. Nghị quyết "
        "số 07-NQ/ThU của BTV Thị ủy Kỳ Anh được quán triệt sâu rộng."
    )
    (doc,) = cited(two_to_one)  # one each: the first stated wins
    assert (doc["issuer"], doc["issued_on"]) == ("BCH Đảng bộ thị xã Kỳ Anh", "2024-08-02")
    (doc,) = cited(two_to_one + " Nghị quyết 07-NQ/ThU của BTV Thị ủy Kỳ Anh đi vào cuộc sống.")
    assert (doc["issuer"], doc["issued_on"]) == ("BTV Thị ủy Kỳ Anh", "2024-08-02")
    result = page(two_to_one)
    (res,) = result.resolutions
    assert [(m.issuer, m.issued_on) for m in res.mentions] == [
        ("BCH Đảng bộ thị xã Kỳ Anh", date(2024, 8, 2)),
        ("BTV Thị ủy Kỳ Anh", None),
    ]


def test_an_issuer_named_by_its_level_takes_a_place_of_that_level_only() -> None:
    result = page(
        "Thực hiện Quyết định số 123/QĐ-UBND ngày 3/2/2021 của UBND tỉnh về giá đất, "
        "UBND xã Kỳ Hà đã rà soát các thửa đất."
    )
    (doc,) = result.resolutions
    assert doc.resolution_id == "123-qd-ubnd-2021"  # not the commune's place
    result = page(
        "Thực hiện Quyết định số 123/QĐ-UBND ngày 3/2/2021 của UBND tỉnh về giá đất, "
        "các xã của tỉnh Hà Tĩnh đã rà soát các thửa đất."
    )
    assert result.resolutions[0].resolution_id == "123-qd-ubnd-ha-tinh-2021"
