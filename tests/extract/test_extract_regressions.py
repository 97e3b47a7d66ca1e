"""Regressions found by the synthetic-archive accuracy test (tests/test_archive.py)."""

from __future__ import annotations

from kyanh_corpus.extract import extract_text

FOOTER = "\n\n{name} - {time}\n\nTrả lời\n\n{body}\n\n0 bình luận\n\nHãy chia sẻ với bạn bè!\n"


def test_a_byline_printed_twice_is_not_the_headline() -> None:
    page = (
        "(Baohatinh.vn) - Thị xã Kỳ Anh rà soát các điểm xung yếu trên tuyến đê biển.\n\n"
        "Chủ động ứng phó với mùa mưa bão\n\n"
        "Thị xã Kỳ Anh rà soát các điểm xung yếu trên tuyến đê biển.\n\n"
        "Từ những kết quả bước đầu, TX Kỳ Anh sẽ nhân rộng cách làm này.\n\n"
        "Quang Loan\n\n\nQuang Loan\n"
    )
    for text in (page, page + FOOTER):
        article = extract_text(text, source_file="x.txt").article
        assert article.title == "Chủ động ứng phó với mùa mưa bão"
        assert [p.text for p in article.paragraphs] == [
            "Từ những kết quả bước đầu, TX Kỳ Anh sẽ nhân rộng cách làm này."
        ]
        assert article.authors == ["Quang Loan"]


def test_a_name_that_starts_like_a_place_is_still_a_speaker() -> None:
    page = (
        "(Baohatinh.vn) - Phường Kỳ Trinh đẩy mạnh chuyển đổi số trong cải cách hành chính.\n\n"
        "Kỳ Trinh chuyển đổi số từ cơ sở\n\n"
        "Phường Kỳ Trinh đẩy mạnh chuyển đổi số trong cải cách hành chính.\n\n"
        "P.V: Thưa ông, phường đã làm gì để người dân dùng dịch vụ công trực tuyến?\n\n"
        "Chủ tịch UBND phường Kỳ Trinh Vũ Quang Hòa: Phường mở lớp hướng dẫn ở từng tổ dân phố.\n\n"
        "Cán bộ một cửa hỗ trợ người dân ngay tại quầy.\n\n"
        "P.V: Xin cảm ơn ông!\n\n"
        "Thu Trang (thực hiện)\n"
    )
    extraction = extract_text(page, source_file="y.txt")
    roles = [turn.speaker_role for turn in extraction.turns]
    assert roles == ["interviewer", "interviewee", "interviewer"]
    answer = extraction.turns[1]
    assert answer.speaker_name == "Vũ Quang Hòa"
    assert answer.speaker_title == "Chủ tịch UBND phường Kỳ Trinh"
    assert len(answer.spans) == 2
    assert answer.responds_to == 0
