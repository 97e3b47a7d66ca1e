"""Document citations: what is a code, what is not, and the facts printed after a code."""

from __future__ import annotations

from datetime import date

import pytest

from kyanh_corpus.extract import Extraction, extract_text, fold
from kyanh_corpus.extract.citations import Segment, find_resolutions
from kyanh_corpus.extract.document_ids import local_place, resolution_id
from kyanh_corpus.models import Resolution


def page(*paragraphs: str, headline: str = "Tiêu đề bài viết về công tác Đảng") -> Extraction:
    """A minimal page: headline, lede, the given body paragraphs."""
    body = "\n\n".join(paragraphs)
    return extract_text(f"{headline}\n\nLời dẫn của bài viết.\n\n{body}\n", source_file="t.txt")


def cited(*paragraphs: str) -> list[Resolution]:
    result = page(*paragraphs)
    for res in result.resolutions:
        for m in res.mentions:
            assert fold(result.text[m.span.start : m.span.end]) == m.surface
    return result.resolutions


@pytest.mark.parametrize(
    "sentence",
    [
        "Toàn Đảng bộ có 21/25 đảng bộ xã, phường ban hành nghị quyết chuyên đề.",
        "Tính đến ngày 12/3/2024, thị xã đã bàn giao 186,5 ha mặt bằng.",
        "Phấn đấu hoàn thành trong quý III/2024 và quý IV/2024.",
        "Tuyến đường đã giải phóng được 12/15 km, đạt 80%.",
        "Giai đoạn 2021-2025 và nhiệm kỳ 2020 - 2025, từ tháng 9 - 11/2020.",
        "Dịch COVID-19 và phát triển KT-XH; tỷ lệ 1/3 số hộ; ngày 14/3.",
        "Các nghị quyết, kết luận, chỉ thị của Đảng được quán triệt nghiêm túc.",
        "Thực hiện Nghị quyết 02 của Thị ủy và Chỉ thị 15 của Thủ tướng.",
        "Kết luận hội nghị, đồng chí Bí thư đề nghị các cấp ủy vào cuộc quyết liệt.",
        "Số điện thoại 0239/3855 000; mã hồ sơ 12-A/3.",
    ],
)
def test_not_citations(sentence: str) -> None:
    assert cited(sentence) == []


def test_party_and_state_codes() -> None:
    resolutions = cited(
        "Thực hiện Nghị quyết số 57-NQ/TW và Quyết định 1234/QĐ-UBND của UBND tỉnh Hà Tĩnh.",
        "Theo Nghị quyết 36/2021/NQ-HĐND, Chương trình số 05-CTr/ThU và Quy định 03-QĐi/TU.",
    )
    got = {r.code: (r.system, r.number, r.year, r.doc_type, r.issuer_code) for r in resolutions}
    assert got == {
        "57-NQ/TW": ("party", "57", None, "NQ", "TW"),
        "1234/QĐ-UBND": ("state", "1234", None, "QĐ", "UBND"),
        "36/2021/NQ-HĐND": ("state", "36", 2021, "NQ", "HĐND"),
        "05-CTr/ThU": ("party", "05", None, "CTr", "ThU"),
        "03-QĐi/TU": ("party", "03", None, "QĐi", "TU"),
    }
    names = {r.code: r.doc_type_name for r in resolutions}
    assert names["05-CTr/ThU"] == "Chương trình" and names["03-QĐi/TU"] == "Quy định"


def test_stray_spaces_are_dropped_from_the_code_but_kept_in_the_surface() -> None:
    (res,) = cited("Theo Nghị quyết số 36 / 2021 / NQ - HĐND và Nghị quyết 36/2021/NQ-HĐND.")
    assert res.code == "36/2021/NQ-HĐND"
    assert [m.surface for m in res.mentions] == [
        "Nghị quyết số 36 / 2021 / NQ - HĐND",
        "Nghị quyết 36/2021/NQ-HĐND",
    ]
    (res,) = cited("Thực hiện Kết luận 21 - KL / TW của Ban Chấp hành Trung ương.")
    assert res.code == "21-KL/TW" and res.issuer == "Ban Chấp hành Trung ương"


def test_type_name_from_the_printed_word_else_the_table() -> None:
    (qd,) = cited("Thực hiện Quy định 1193-QĐ/TU của BTV Tỉnh ủy.")
    assert qd.doc_type_name == "Quy định"
    generic, bare = cited("Văn bản 1193-QĐ/TU đã được ban hành, theo 45-KL/TW.")
    assert generic.doc_type_name == "Quyết định"  # "Văn bản" names no type: the table does
    assert [m.surface for m in generic.mentions] == ["1193-QĐ/TU"]
    assert bare.code == "45-KL/TW" and bare.doc_type_name == "Kết luận"
    (lower,) = cited("Triển khai nghị quyết số 02-NQ/HU ngày 15/9/2021.")
    assert lower.doc_type_name == "Nghị quyết"
    assert [m.surface for m in lower.mentions] == ["nghị quyết số 02-NQ/HU"]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (", ngày 3/2/2021 của BTV", date(2021, 2, 3)),
        (" ngày 15-9-2021 về", date(2021, 9, 15)),
        (" ngày 5 tháng 12 năm 2019 của", date(2019, 12, 5)),
        (" ban hành ngày 1.6.2020.", date(2020, 6, 1)),
        (" được ban hành ngày 3/2/2021", None),  # not right after the code
        (" ngày 31/2/2021 về", None),  # impossible date, reported as a warning
    ],
)
def test_issued_on(tail: str, expected: date | None) -> None:
    result = page(f"Nghị quyết số 02-NQ/ThU{tail} nâng cao chất lượng.")
    (res,) = result.resolutions
    assert res.issued_on == expected
    if "31/2" in tail:
        assert any("31/2/2021" in warning for warning in result.warnings)


def test_issuer_and_title() -> None:
    (kl,) = cited(
        "Gắn với Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa "
        "XIII về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn."
    )
    assert kl.issuer == "Ban Chấp hành Trung ương Đảng khóa XIII"
    assert kl.title == "đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị"
    hd, qd = cited(
        "Thực hiện Hướng dẫn số 12-HD/BTCTW của Ban Tổ chức Trung ương về hướng dẫn một số vấn "
        "đề về nâng cao chất lượng sinh hoạt chi bộ và Quy định 1193-QĐ/TU ngày 5/12/2019 của "
        "BTV Tỉnh ủy về đánh giá việc sinh hoạt chi bộ."
    )
    assert hd.title == "hướng dẫn một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ"
    assert qd.title == "đánh giá việc sinh hoạt chi bộ"
    (nq,) = cited("Nghị quyết 02-NQ/ThU của Thị ủy. Sau đó về cơ sở.")
    assert nq.issuer == "Thị ủy" and nq.title is None
    (nq,) = cited("Nghị quyết 02-NQ/ThU của thị xã đã đi vào cuộc sống.")
    assert nq.issuer is None


def test_shortest_clean_title_wins() -> None:
    (nq,) = cited(
        "Nghị quyết số 02-NQ/ThU về nâng cao chất lượng sinh hoạt chi bộ thể hiện quyết tâm "
        "chính trị của Đảng bộ.",
        "Đảng bộ ban hành Nghị quyết số 02-NQ/ThU về nâng cao chất lượng sinh hoạt chi bộ.",
    )
    assert nq.title == "nâng cao chất lượng sinh hoạt chi bộ"


def test_short_forms() -> None:
    (nq, ct) = cited(
        "BTV Huyện ủy Kỳ Anh ban hành Nghị quyết số 02-NQ/HU và Chỉ thị 05-CT/TW.",
        "Sau 3 năm thực hiện Nghị quyết 02, kết quả tốt; Nghị quyết số 02 được quán triệt.",
        "Nghị quyết chuyên đề và Chỉ thị 15 của Thủ tướng; Nghị quyết 03 chưa ban hành.",
        "NGHỊ QUYẾT 02 được các cấp ủy thực hiện; Chỉ thị 05 cũng vậy.",
    )
    assert [m.surface for m in nq.mentions] == [
        "Nghị quyết số 02-NQ/HU",
        "Nghị quyết 02",
        "Nghị quyết số 02",
        "NGHỊ QUYẾT 02",
    ]
    assert [m.surface for m in ct.mentions] == ["Chỉ thị 05-CT/TW", "Chỉ thị 05"]


def test_short_form_naming_two_documents_is_no_mention() -> None:
    first, second = cited(
        "Nghị quyết 02-NQ/HU của Huyện ủy và Nghị quyết 02-NQ/ThU của Thị ủy.",
        "Thực hiện Nghị quyết 02 đạt kết quả tốt.",
    )
    assert len(first.mentions) == len(second.mentions) == 1


def test_resolution_ids_use_the_place_for_local_issuers() -> None:
    assert resolution_id("02-NQ/ThU", "Kỳ Anh") == "02-nq-thu-ky-anh"
    assert resolution_id("12-HD/BTCTW", None) == "12-hd-btctw"
    assert local_place("ThU", "BTV Thị ủy Kỳ Anh", []) == "Kỳ Anh"
    assert local_place("TU", "BTV Tỉnh ủy", ["Ban Thường vụ Tỉnh ủy Hà Tĩnh họp."]) == "Hà Tĩnh"
    assert local_place("UBND", "UBND tỉnh Hà Tĩnh", []) == "Hà Tĩnh"
    assert local_place("HU", None, ["Bí thư Huyện ủy Đặng Văn A phát biểu."]) is None
    assert local_place("HU", None, ["Bí thư Huyện ủy Cẩm Xuyên Đặng Văn A phát biểu."]) == (
        "Cẩm Xuyên"
    )
    assert local_place("TW", "Bộ Chính trị", ["Tỉnh ủy Hà Tĩnh"]) is None
    # The issuer printed before "ban hành" names the document's issuer (issue 9); the place
    # comes from it as from any issuer.
    (nq,) = cited("BTV Huyện ủy Kỳ Anh ban hành Nghị quyết 02-NQ/HU về cán bộ.")
    assert nq.resolution_id == "02-nq-hu-ky-anh" and nq.issuer == "BTV Huyện ủy Kỳ Anh"
    (nq,) = cited("BTV Huyện ủy Kỳ Anh họp; Nghị quyết 02-NQ/HU về cán bộ được thông qua.")
    assert nq.resolution_id == "02-nq-hu-ky-anh" and nq.issuer is None


def test_same_document_same_id_in_different_articles() -> None:
    one = cited("Nghị quyết số 02-NQ/ThU, ngày 3/2/2021 của BTV Thị ủy Kỳ Anh về chi bộ.")
    two = cited("Thị ủy Kỳ Anh triển khai Nghị quyết 02-NQ/ThU ngày 3/2/2021 đạt kết quả.")
    assert one[0].resolution_id == two[0].resolution_id == "02-nq-thu-ky-anh-2021"
    # Undated, the year is unknown in this article (the build joins it to the one dated
    # document with this code and place, when the corpus has exactly one).
    three = cited("Thị ủy Kỳ Anh triển khai Nghị quyết 02-NQ/ThU đạt nhiều kết quả.")
    assert three[0].resolution_id == "02-nq-thu-ky-anh"


def test_a_code_dated_in_two_years_is_two_documents() -> None:
    result = page(
        "Nghị quyết số 01-NQ/ThU ngày 5/1/2016 của BTV Thị ủy Kỳ Anh về chi bộ đã được thay "
        "bằng Nghị quyết số 01-NQ/ThU ngày 10/3/2021 của BTV Thị ủy Kỳ Anh về đảng viên. "
        "Nghị quyết 01-NQ/ThU được quán triệt."
    )
    ids = [r.resolution_id for r in result.resolutions]
    assert ids == ["01-nq-thu-ky-anh-2016", "01-nq-thu-ky-anh-2021", "01-nq-thu-ky-anh"]
    assert [len(r.mentions) for r in result.resolutions] == [1, 1, 1]
    assert any("2 different years" in warning for warning in result.warnings)


def test_segments_api_offsets() -> None:
    text = "xx Nghị quyết 02-NQ/TW yy"
    (res,), warnings = find_resolutions([Segment(100, text)], article_id="abcd")
    assert warnings == []
    (mention,) = res.mentions
    assert (mention.span.start, mention.span.end) == (103, 103 + len("Nghị quyết 02-NQ/TW"))


def test_year_out_of_range_is_ignored_with_a_warning() -> None:
    result = page("Theo văn bản 12/1800/QĐ-UBND cũ.")
    assert result.resolutions == []
    assert any("1800" in warning for warning in result.warnings)


def test_a_slash_that_starts_no_code_does_not_hide_the_next_one() -> None:
    # "x12/" starts no code (a letter before the number), dates and ratios neither; the year
    # after that slash still starts one.
    resolutions = cited("Theo văn bản x12/ 2021/QĐ-UBND, 12/15 km và Quyết định 45/ QĐ-UBND.")
    assert [r.code for r in resolutions] == ["2021/QĐ-UBND", "45/QĐ-UBND"]


def test_one_document_printed_two_ways_is_one_record() -> None:
    """``QĐ`` printed once without its diacritic gives the same id: one record, not two."""
    result = page(
        "Thị xã triển khai Quyết định số 1234/QĐ-UBND ngày 12/3/2024 của UBND tỉnh Hà Tĩnh.",
        "Các phường tiếp tục thực hiện Quyết định 1234/QD-UBND về giải phóng mặt bằng.",
    )
    [record] = [r for r in result.resolutions if r.resolution_id.startswith("1234-qd-ubnd")]
    assert record.code == "1234/QĐ-UBND"  # the first printed spelling keeps its facts
    assert record.issued_on == date(2024, 3, 12)
    assert record.title == "giải phóng mặt bằng"  # filled from the later spelling
    surfaces = [m.surface for m in record.mentions]
    assert surfaces == ["Quyết định số 1234/QĐ-UBND", "Quyết định 1234/QD-UBND"]
    starts = [m.span.start for m in record.mentions]
    assert starts == sorted(starts)
    assert any("printed 2 ways" in warning for warning in result.warnings)
    ids = [r.resolution_id for r in result.resolutions]
    assert len(ids) == len(set(ids))
