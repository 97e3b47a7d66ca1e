"""The issuer gazetteer (``extract/issuers.tsv``) and its reader (``extract/issuers.py``).

The gazetteer is read here a second time, by a reader of its own, so that every row and every
printed form of it is read back from a sentence: "... của <form> về việc ...".
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kyanh_corpus.extract.issuers import issuer_ending_at, read_issuer
from support.scripts import load_script

OF = "Thực hiện Nghị quyết số 02-NQ/ThU ngày 3/2/2021 của "


def issuer_of(tail: str) -> str | None:
    """The issuer read after "của " in a sentence ending with ``tail``."""
    found = read_issuer(OF + tail, len(OF))
    return None if found is None else found[0]


def read_back(name: str, after: str = " về việc triển khai thực hiện.") -> tuple[str, int] | None:
    """What is read of ``name`` printed after "của " and before ``after``, end made relative."""
    found = read_issuer(OF + name + after, len(OF))
    return None if found is None else (found[0], found[1] - len(OF))


# --------------------------------------------------------------------------------------------
# The gazetteer, read a second time
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    line: int
    kind: str
    name: str
    variants: tuple[str, ...]
    then: tuple[str, ...]

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


def _rows() -> list[Row]:
    text = (files("kyanh_corpus.extract") / "issuers.tsv").read_text("utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, variants, then = [*line.split("\t"), "", "", ""][:4]
        rows.append(
            Row(
                number,
                kind,
                name,
                tuple(v for v in variants.split("|") if v),
                tuple(t for t in then.split("|") if t),
            )
        )
    return rows


ROWS = _rows()
BODY_KINDS = ("party", "state", "front", "committee", "party-local", "state-local", "front-local")
SAMPLE_BODY = {"committee": "Thị ủy Kỳ Anh", "state-local": "UBND tỉnh", "state": "Bộ Tài chính"}
"""A body of each kind that a board's ``then`` column may name, as it comes out."""


def _completions(row: Row, form: str) -> list[str]:
    """Ways to print ``form`` as a whole issuer, each printed and read exactly."""
    if row.kind == "prefix":
        return [f"{form} UBND tỉnh Hà Tĩnh", f"{form} Tỉnh ủy"]
    if row.kind == "level":
        return [f"UBND {form} Kỳ Anh", f"HĐND {form} Kỳ Anh"]
    if not row.then:
        return [form]
    out: list[str] = []
    for option in row.then:
        if option == "place":
            out += [form, f"{form} Kỳ Anh", f"{form} Hà Tĩnh"]
        elif option == "level":
            out += [form, f"{form} tỉnh", f"{form} tỉnh Hà Tĩnh", f"{form} thị xã Kỳ Anh"]
        else:
            out.append(f"{form} {SAMPLE_BODY[option]}")
    return out


ROW_CASES = [
    pytest.param(printed, id=f"line{row.line}-{printed}")
    for row in ROWS
    for form in row.forms
    for printed in _completions(row, form)
]


def test_the_gazetteer_covers_what_it_must() -> None:
    kinds = {row.kind for row in ROWS}
    assert kinds == {"prefix", "level", "board", *BODY_KINDS}
    names = {form for row in ROWS for form in row.forms}
    for required in (
        "Bộ Chính trị",
        "Ban Bí thư",
        "Ban Chấp hành Trung ương",
        "Ban Chấp hành Trung ương Đảng",
        "Ban Tổ chức Trung ương",
        "Ban Tuyên giáo Trung ương",
        "Ban Kiểm tra Trung ương".replace("Ban", "Ủy ban"),
        "Ban Dân vận Trung ương",
        "Ban Nội chính Trung ương",
        "Ban Kinh tế Trung ương",
        "Ban Đối ngoại Trung ương",
        "Ban Tuyên giáo và Dân vận Trung ương",
        "Văn phòng Trung ương Đảng",
        "Đảng ủy Quân sự Trung ương",
        "Quốc hội",
        "Ủy ban Thường vụ Quốc hội",
        "Chủ tịch nước",
        "Chính phủ",
        "Thủ tướng Chính phủ",
        "Văn phòng Chính phủ",
        "Bộ Lao động - Thương binh và Xã hội",
        "Bộ LĐ-TB&XH",
        "Bộ Tài nguyên và Môi trường",
        "Bộ TN&MT",
        "Bộ Nông nghiệp và Phát triển nông thôn",
        "Bộ NN&PTNT",
        "Bộ Kế hoạch và Đầu tư",
        "Bộ KH&ĐT",
        "Bộ Giáo dục và Đào tạo",
        "Bộ GD&ĐT",
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ VHTTDL",
        "Bộ Thông tin và Truyền thông",
        "Ngân hàng Nhà nước Việt Nam",
        "Thanh tra Chính phủ",
        "Ủy ban Dân tộc",
        "Bộ Nông nghiệp và Môi trường",
        "Bộ Dân tộc và Tôn giáo",
        "Tỉnh ủy",
        "Thành ủy",
        "Thị ủy",
        "Huyện ủy",
        "Quận ủy",
        "Đảng ủy",
        "Hội đồng nhân dân",
        "HĐND",
        "Ủy ban nhân dân",
        "UBND",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Kế hoạch và Đầu tư",
        "Sở Giáo dục và Đào tạo",
        "Sở Y tế",
        "Sở Tài nguyên và Môi trường",
        "Sở Xây dựng",
        "Sở Giao thông vận tải",
        "Sở Công Thương",
        "Sở Lao động - Thương binh và Xã hội",
        "Ban Tổ chức",
        "Ban Tuyên giáo",
        "Ban Dân vận",
        "Ban Nội chính",
        "Ủy ban Kiểm tra",
        "Văn phòng",
        "Ủy ban MTTQ",
        "BTV",
        "Ban Thường vụ",
        "BCH",
        "Ban Chấp hành",
        "Thường trực",
        "Ban Cán sự đảng",
        "Đảng đoàn",
        "tỉnh",
        "thành phố",
        "thị xã",
        "TX",
        "huyện",
        "xã",
        "phường",
        "thị trấn",
    ):
        assert required in names, required


def test_every_row_is_well_formed() -> None:
    for row in ROWS:
        assert row.kind in {"prefix", "level", "board", *BODY_KINDS}, row
        assert row.name and row.name == " ".join(row.name.split()), row
        assert not (row.then and row.kind in ("prefix", "level")), row
        for option in row.then:
            assert option in ("place", "level", *BODY_KINDS), row
        if row.kind == "board":
            assert row.then and all(option in SAMPLE_BODY for option in row.then), row


@pytest.mark.parametrize("printed", ROW_CASES)
def test_every_form_of_every_row_is_read_back(printed: str) -> None:
    for after in (" về việc triển khai.", ", ngày 5/3/2021", " ban hành ngày 5/3", ".", ""):
        assert read_back(printed, after) == (printed, len(printed)), after


@pytest.mark.parametrize("printed", ROW_CASES)
def test_every_form_printed_in_capitals_comes_out_in_the_gazetteer_casing(printed: str) -> None:
    assert read_back(printed.upper(), " VỀ VIỆC TRIỂN KHAI.") == (printed, len(printed))


@pytest.mark.parametrize("printed", ROW_CASES)
def test_every_form_ends_where_the_text_says_when_read_backwards(printed: str) -> None:
    text = f"Ngày 9/5/2022, {printed} đã ban hành Kế hoạch số 12-KH/ThU."
    assert issuer_ending_at(text, text.index(" đã ban hành"), 0) == (printed, 15)


def test_old_tone_placement_matches_and_is_kept_as_printed() -> None:
    old = {"ủy": "uỷ", "hóa": "hoá", "Ủy": "Uỷ", "Hóa": "Hoá"}
    changed = 0
    for case in ROW_CASES:
        (form,) = case.values
        assert isinstance(form, str)
        printed = form
        for new, was in old.items():
            printed = printed.replace(new, was)
        if printed != form:
            changed += 1
            assert read_back(printed) == (printed, len(printed))
    assert changed > 100


def test_a_gazetteer_with_a_mistake_is_refused() -> None:
    from kyanh_corpus.extract.issuers import _build, _parse

    with pytest.raises(ValueError, match="line 2: unknown kind"):
        _parse("# comment\nministry\tBộ Tài chính\n")
    with pytest.raises(ValueError, match="line 1: unknown 'then'"):
        _parse("committee\tTỉnh ủy\t\tvillage\n")
    with pytest.raises(ValueError, match="line 2: 'Bộ Tài Chính' is already a state form on l"):
        _build(_parse("state\tBộ Tài chính\nstate\tBộ Tài Chính\tBỘ TÀI CHÍNH\n"))


# --------------------------------------------------------------------------------------------
# What callers rely on
# --------------------------------------------------------------------------------------------

COMPATIBLE = [
    ("BTV Thị ủy Kỳ Anh về nâng cao chất lượng", "BTV Thị ủy Kỳ Anh"),
    ("Ban Tổ chức Trung ương về hướng dẫn một số vấn đề", "Ban Tổ chức Trung ương"),
    ("BTV Tỉnh ủy về đánh giá việc sinh hoạt chi bộ.", "BTV Tỉnh ủy"),
    ("BCH Đảng bộ thị xã Kỳ Anh", "BCH Đảng bộ thị xã Kỳ Anh"),
    ("Thường trực Thị ủy", "Thường trực Thị ủy"),
    ("Ban Thường vụ Tỉnh ủy Hà Tĩnh", "Ban Thường vụ Tỉnh ủy Hà Tĩnh"),
    ("HĐND tỉnh Hà Tĩnh", "HĐND tỉnh Hà Tĩnh"),
    ("UBND thị xã Kỳ Anh", "UBND thị xã Kỳ Anh"),
    ("Đảng ủy phường Kỳ Trinh", "Đảng ủy phường Kỳ Trinh"),
    ("Bộ Chính trị", "Bộ Chính trị"),
    ("Ban Chấp hành Trung ương", "Ban Chấp hành Trung ương"),
    ("Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
    ("Chính phủ", "Chính phủ"),
    ("Bộ Tài chính", "Bộ Tài chính"),
    ("Ban Tổ chức Thị ủy", "Ban Tổ chức Thị ủy"),
    ("Thị ủy. Sau đó về cơ sở.", "Thị ủy"),
    (
        "Ban Chấp hành Trung ương Đảng khóa XIII về đẩy mạnh xây dựng",
        "Ban Chấp hành Trung ương Đảng khóa XIII",
    ),
]


@pytest.mark.parametrize(("tail", "issuer"), COMPATIBLE)
def test_the_issuers_read_today_are_read_the_same(tail: str, issuer: str) -> None:
    found = read_issuer(OF + tail, len(OF))
    assert found == (issuer, len(OF) + len(issuer))


def _planted() -> list[str]:
    archive = load_script("make_archive")
    places = [f"{level} {name}" for level, name in archive.PLACES]
    planted: set[str] = set()
    for kind in archive.DOC_KINDS:
        for issuer in kind.issuers:
            planted.update(issuer.replace("{place}", p) for p in places)
    return sorted(planted)


@pytest.mark.parametrize("issuer", _planted())
def test_every_issuer_the_archive_plants_is_read_exactly(issuer: str) -> None:
    for after in (" về việc", ", ", " được triển khai", " và Nghị quyết số 3-NQ/TU", ".", ""):
        assert read_back(issuer, after) == (issuer, len(issuer)), after


@pytest.mark.parametrize(
    ("tail", "issuer"),
    [
        ("BAN BÍ THƯ VỀ VIỆC", "Ban Bí thư"),
        ("UBND TỈNH HÀ TĨNH VỀ VIỆC", "UBND tỉnh Hà Tĩnh"),
        ("BTV THỊ ỦY KỲ ANH", "BTV Thị ủy Kỳ Anh"),
        ("ĐẢNG ỦY XÃ KỲ XUÂN VỀ VIỆC", "Đảng ủy xã Kỳ Xuân"),
        ("BỘ TN&MT VỀ", "Bộ TN&MT"),
        ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
        ("Ban Chấp Hành Trung Ương về", "Ban Chấp Hành Trung Ương"),
    ],
)
def test_capitals_come_out_in_normal_case(tail: str, issuer: str) -> None:
    assert issuer_of(tail) == issuer


@pytest.mark.parametrize(
    ("tail", "issuer", "printed"),
    [
        (
            "Ban Chấp hành Trung ương Đảng khóa XIII về",
            "Ban Chấp hành Trung ương Đảng khóa XIII",
            0,
        ),
        (
            "Ban Chấp hành Trung ương Đảng khoá XIII về",
            "Ban Chấp hành Trung ương Đảng khóa XIII",
            0,
        ),
        ("Ban Chấp hành Trung ương (khóa XIII) về", "Ban Chấp hành Trung ương khóa XIII", 0),
        ("Ban Chấp hành Trung ương ( khoá XII ), về", "Ban Chấp hành Trung ương khóa XII", 0),
        ("BCH Đảng bộ tỉnh khóa XIX về", "BCH Đảng bộ tỉnh khóa XIX", 0),
        ("HĐND tỉnh Hà Tĩnh Khóa XVIII, kỳ họp thứ 3", "HĐND tỉnh Hà Tĩnh khóa XVIII", 0),
        ("QUỐC HỘI KHÓA XV", "Quốc hội khóa XV", 0),
        ("Quốc hội khóa XV)", "Quốc hội khóa XV", 0),
        ("Ban Chấp hành Trung ương (khóa XIII về", "Ban Chấp hành Trung ương", 1),
        ("Bộ Chính trị khóa học", "Bộ Chính trị", 1),
    ],
)
def test_a_term_is_kept_as_khoa(tail: str, issuer: str, printed: int) -> None:
    found = read_issuer(OF + tail, len(OF))
    assert found is not None and found[0] == issuer
    end = found[1] - len(OF)
    if printed:
        assert tail[:end] == issuer
    else:
        assert tail[end - 1] in "IVX)"
        assert tail[end:] in ("", " về", ", về", ", kỳ họp thứ 3") or tail[end:].startswith(")")


@pytest.mark.parametrize(
    ("tail", "issuer"),
    [
        # never inside a name
        ("Ban Bí thư về việc", "Ban Bí thư"),
        ("Bộ Tài chính hướng dẫn", "Bộ Tài chính"),
        ("Bộ Nông nghiệp và Phát triển nông thôn về", "Bộ Nông nghiệp và Phát triển nông thôn"),
        ("Bộ Văn hóa, Thể thao và Du lịch, ngày 5/3", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("Bộ Lao động – Thương binh và Xã hội về", "Bộ Lao động – Thương binh và Xã hội"),
        ("Bộ LĐ - TB&XH về", "Bộ LĐ - TB&XH"),
        ("Thủ tướng Chính phủ về", "Thủ tướng Chính phủ"),
        ("Ban Tổ chức TW về", "Ban Tổ chức TW"),
        ("Đảng ủy Quân sự Trung ương về", "Đảng ủy Quân sự Trung ương"),
        ("Thanh tra Bộ Tài chính về", "Thanh tra Bộ Tài chính"),
        ("UBND TP. Hồ Chí Minh về", "UBND TP. Hồ Chí Minh"),
        ("Ủy ban MTTQ Việt Nam tỉnh Hà Tĩnh về", "Ủy ban MTTQ Việt Nam tỉnh Hà Tĩnh"),
        ("Ủy ban Kiểm tra Huyện ủy Kỳ Anh về", "Ủy ban Kiểm tra Huyện ủy Kỳ Anh"),
        ("Văn phòng UBND tỉnh về", "Văn phòng UBND tỉnh"),
        ("Ban Cán sự đảng UBND tỉnh Hà Tĩnh về", "Ban Cán sự đảng UBND tỉnh Hà Tĩnh"),
        ("UBND phường 3 về", "UBND phường 3"),
        # never on into what follows
        ("Chính phủ ban hành", "Chính phủ"),
        ("Bộ Tài chính về hướng dẫn", "Bộ Tài chính"),
        ("Bộ Tài chính quy định", "Bộ Tài chính"),
        ("UBND tỉnh phê duyệt", "UBND tỉnh"),
        ("BTV Tỉnh ủy về đánh giá", "BTV Tỉnh ủy"),
        ("Tỉnh ủy Về việc", "Tỉnh ủy"),
        ("Tỉnh ủy Hà Tĩnh Nguyễn Văn An phát biểu", "Tỉnh ủy Hà Tĩnh"),
        ("Chủ tịch UBND tỉnh Võ Trọng Hải", "Chủ tịch UBND tỉnh"),
        ("UBND TP. Sau đó", "UBND TP"),
        ("UBND TỈNH VỀ VIỆC", "UBND tỉnh"),
        ("Bộ Chính trị. Ban Bí thư", "Bộ Chính trị"),
    ],
)
def test_never_inside_a_name_and_never_on_into_what_follows(tail: str, issuer: str) -> None:
    found = read_issuer(OF + tail, len(OF))
    assert found == (issuer, len(OF) + len(issuer))


@pytest.mark.parametrize(
    "tail",
    ["thị xã đã ban hành", "các Sở", "Ban Bí", "Bộ Tài", "Người dân", "Sở", "", " Bộ Tài chính"],
)
def test_no_issuer(tail: str) -> None:
    assert read_issuer(OF + tail, len(OF)) is None


def test_positions_out_of_the_text_read_nothing() -> None:
    assert read_issuer("Bộ Tài chính", 12) is None
    assert read_issuer("Bộ Tài chính", -1) is None
    assert read_issuer("Bộ Tài chính", 0) == ("Bộ Tài chính", 12)
    assert read_issuer("Bộ Tài\u00a0\n chính về", 0) == ("Bộ Tài chính", 14)


# --------------------------------------------------------------------------------------------
# issuer_ending_at
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "verb", "issuer", "first"),
    [
        ("Ngày 9/5/2022, BTV Huyện ủy Kỳ Anh đã ban hành", " đã", "BTV Huyện ủy Kỳ Anh", "BTV"),
        ("Ngày 2/3, Thủ tướng Chính phủ ký ban hành", " ký", "Thủ tướng Chính phủ", "Thủ"),
        ("Ngày 2/3, Thường trực HĐND tỉnh đã ban hành", " đã", "Thường trực HĐND tỉnh", "Thường"),
        (
            "Mới đây, BCH Đảng bộ tỉnh khóa XIX đã ban hành",
            " đã",
            "BCH Đảng bộ tỉnh khóa XIX",
            "BCH",
        ),
        ("Ngày 2/3, Sở Tài chính và UBND tỉnh vừa ban hành", " vừa", "UBND tỉnh", "UBND"),
        ("Năm 2021, BỘ TÀI CHÍNH ĐÃ BAN HÀNH", " ĐÃ", "Bộ Tài chính", "BỘ"),
        (
            "Ngày 5/1, Ban Chấp hành Trung ương (khóa XIII) đã ban hành",
            " đã",
            "Ban Chấp hành Trung ương khóa XIII",
            "Ban",
        ),
    ],
)
def test_the_issuer_ending_before_the_verb(
    sentence: str, verb: str, issuer: str, first: str
) -> None:
    found = issuer_ending_at(sentence, sentence.index(verb))
    assert found == (issuer, sentence.index(first))
    assert issuer_ending_at(sentence, sentence.index(verb) + 1) == found  # the space is ignored


def test_the_issuer_ending_at_respects_start_and_prefers_the_longest() -> None:
    text = "Ngày 9/5/2022, BTV Huyện ủy Kỳ Anh đã ban hành Chỉ thị"
    end = text.index(" đã")
    assert issuer_ending_at(text, end, 0) == ("BTV Huyện ủy Kỳ Anh", 15)
    assert issuer_ending_at(text, end, 16) == ("Huyện ủy Kỳ Anh", 19)
    assert issuer_ending_at(text, end, 30) is None
    assert issuer_ending_at(text, end - 4, 0) is None  # "Kỳ" alone is no place: it goes on
    assert issuer_ending_at(text, len(text) + 1) is None
    assert issuer_ending_at(text, 3, 5) is None
    text = "Thực hiện chỉ đạo, thị xã đã ban hành"
    assert issuer_ending_at(text, text.index(" đã")) is None


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

WORDS = sorted(
    {word for row in ROWS for form in row.forms for word in form.split()}
    | {"Kỳ", "Anh", "Hà", "Tĩnh", "Nguyễn", "Văn", "về", "khóa", "khoá", "XIII", "(", ")", "."}
    | {"TỈNH", "ỦY", "HÀ", "TĨNH", "VỀ", "ban", "hành", "đã", ",", "-", "–", "&", "3", "Đ"}
)
vietnamese = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), max_size=14).map(
    lambda words: " ".join(words)
)
anything = st.one_of(vietnamese, st.text(max_size=40))


@given(anything, st.data())
def test_read_issuer_never_raises_and_ends_inside_the_text(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(-2, len(text) + 2))
    found = read_issuer(text, pos)
    if found is not None:
        issuer, end = found
        assert 0 <= pos < end <= len(text)
        assert issuer == " ".join(issuer.split()) and issuer
        if " khóa " not in issuer and "(" not in text[pos:end]:
            assert issuer.casefold() == " ".join(text[pos:end].split()).casefold()


@given(vietnamese, vietnamese)
def test_what_is_read_forwards_is_read_backwards(before: str, after: str) -> None:
    text = f"{before} của {after}"
    pos = len(before) + 5
    assume(pos < len(text))
    found = read_issuer(text, pos)
    if found is not None:
        issuer, end = found
        assert issuer_ending_at(text, end, pos) == (issuer, pos)


@given(anything, st.data())
def test_issuer_ending_at_never_raises(text: str, data: st.DataObject) -> None:
    end = data.draw(st.integers(-1, len(text) + 1))
    start = data.draw(st.integers(-1, len(text) + 1))
    found = issuer_ending_at(text, end, start)
    if found is not None:
        issuer, begin = found
        assert 0 <= start <= begin < end <= len(text) and issuer
