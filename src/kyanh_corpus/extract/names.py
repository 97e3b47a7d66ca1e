"""Vietnamese person names: surnames, honorifics, titles, and telling a name from a place.

A speaker label such as "Bí thư Thị ủy Kỳ Anh Đặng Văn Thành" ends with a person's name, the 2-4
syllable capitalised tail that starts with a surname; the place before it ("Kỳ Anh") is
capitalised too. :func:`split_name` finds where the name starts. Known place names guard against
taking a place that starts with a surname-like syllable ("Hà Tĩnh", "Thạch Hà") for a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final


def word_list(text: str, sep: str | None = None) -> list[str]:
    """The items of a word list written as one string (items whitespace-folded)."""
    return [" ".join(item.split()) for item in text.split(sep) if item.strip()]


SURNAMES: Final[frozenset[str]] = frozenset(
    word_list(
        """
    Biện Bàn Bùi Bạc Bạch Bế Cao Chu Châu Chế Chử Cung Cù Cấn Cồ Diêm Diệp Doãn Dương Giang
    Giáp Giả Hoàng Huỳnh Hà Hàm Hàn Hán Hạ Hầu Hồ Hứa Kha Khuất Khúc Khương Khổng Kim Kiều
    Kiểu La Liêu Lâm Lã Lê Lí Lò Lý Lăng Lưu Lương Lường Lạc Lại Lạng Lều Lỗ Lục Lữ Ma Mai
    Mã Mông Mạc Mạch Mẫn Mẫu Nghiêm Nguyễn Ngô Nhan Nhâm Nhữ Ninh Nông Phan Phí Phó Phùng
    Phạm Quan Quách Quản Sầm Sử Thang Thi Thiều Thiệu Thái Thân Thạch Tiêu Tiết Triệu Trà
    Trình Trưng Trương Trần Trịnh Tào Tô Tôn Tăng Tưởng Tạ Tống Từ Uông Vi Viên Vy Vòng Võ
    Vũ Vương Xa Yên Âu Ôn Ông Đan Đinh Đoàn Đàm Đàng Đào Đường Đậu Đặng Đồng Đổng Đỗ Đới Ứng
"""
    )
)
"""Vietnamese surnames (họ), NFC, as printed with a capital.

Văn, Quang, Phương, Hoa and Hồng are real but rare surnames and far more often middle or given
names; they are left out so that "Nguyễn Văn Bình" never yields the name "Văn Bình"."""

HONORIFICS: Final[tuple[str, ...]] = (
    "Đồng chí",
    "Đ/c",
    "Ông",
    "Bà",
    "Anh",
    "Chị",
    "Cô",
    "Chú",
    "Bác",
    "Thầy",
    "Cụ",
    "Em",
    "Cháu",
)
"""Forms of address before a name; they are neither a title nor part of the name."""

TITLE_HEADS: Final[tuple[str, ...]] = tuple(
    sorted(
        word_list(
            """
        Bí thư|Phó Bí thư|Chủ tịch|Phó Chủ tịch|Giám đốc|Phó Giám đốc|Tổng Giám đốc|Trưởng ban
        |Phó Trưởng ban|Trưởng phòng|Phó Trưởng phòng|Trưởng|Phó trưởng|Phó|Chánh|Phó Chánh
        |Chánh Văn phòng|Tổng Bí thư|Thủ tướng|Phó Thủ tướng|Bộ trưởng|Thứ trưởng|Đại biểu
        |Ủy viên|Uỷ viên|Hiệu trưởng|Phó Hiệu trưởng|Chỉ huy trưởng|Chính ủy|Chính uỷ|Tư lệnh
        |Thượng tướng|Trung tướng|Thiếu tướng|Đại tá|Thượng tá|Trung tá|Thiếu tá|Đại úy|Đại uỷ
        |Bác sĩ|Bác sỹ|BS|TS|ThS|PGS|GS|PGS.TS|GS.TS|Tiến sĩ|Tiến sỹ|Thạc sĩ|Thạc sỹ|Nhà báo
        |Nhà văn|Nhà thơ|Luật sư|Kỹ sư|Kĩ sư|Nghệ nhân|Nghệ sĩ|Trưởng thôn|Thôn trưởng
        |Tổ trưởng|Chi hội trưởng|Hội trưởng|Đảng viên|Kế toán|Chuyên gia|Doanh nhân
        |Thường trực|Phó Thường trực|Thường vụ|Người dân|Cán bộ|Chuyên viên|Xã đội trưởng
        |Trưởng Công an|Phó Trưởng Công an|Trưởng Đài|Tổng biên tập|Phó Tổng biên tập|Đội trưởng
        |Giáo viên|Cô giáo|Thầy giáo|Điều dưỡng|Chủ nhiệm|Phó Chủ nhiệm|Chủ doanh nghiệp|Lãnh đạo
        """,
            "|",
        ),
        key=len,
        reverse=True,
    )
)
"""Words a title starts with, longest first."""

KNOWN_PLACES: Final[frozenset[str]] = frozenset(
    word_list(
        """
    Hà Tĩnh|Kỳ Anh|Cẩm Xuyên|Thạch Hà|Can Lộc|Lộc Hà|Nghi Xuân|Hồng Lĩnh|Đức Thọ|Hương Sơn
    |Vũ Quang|Hương Khê|Vũng Áng|Sơn Dương|Kỳ Liên|Kỳ Trinh|Kỳ Thịnh|Kỳ Long|Kỳ Phương|Kỳ Ninh
    |Kỳ Hà|Kỳ Hoa|Kỳ Lợi|Kỳ Nam|Kỳ Hưng|Kỳ Hải|Kỳ Tân|Kỳ Lạc|Kỳ Sơn|Kỳ Đồng|Sông Trí|Hưng Trí
    |Hoàng Trinh|Liên Phú|Hà Nội|Hà Nam|Hà Giang|Hải Phòng|Hải Dương|Nghệ An|Quảng Bình
    |Quảng Trị|Quảng Nam|Quảng Ngãi|Quảng Ninh|Thanh Hóa|Thanh Hoá|Thừa Thiên Huế|Đà Nẵng
    |Cao Bằng|Lâm Đồng|Ninh Bình|Ninh Thuận|Bắc Giang|Bắc Ninh|Thái Bình|Thái Nguyên|Lào Cai
    |Lai Châu|Trà Vinh|Đồng Nai|Đồng Tháp|Hồ Chí Minh|Cà Mau|Bình Dương|Bình Định|Phú Yên
    |Long An|Tây Ninh|Kiên Giang|Tuyên Quang|Yên Bái|Hòa Bình|Hoà Bình|Điện Biên|Sơn La
    |Vĩnh Phúc|Phú Thọ|Hưng Yên|Nam Định|Khánh Hòa|Khánh Hoà|Gia Lai|Kon Tum|Đắk Lắk|Đắk Nông
    |Bình Phước|Bình Thuận|Bà Rịa|Vũng Tàu|Tiền Giang|Bến Tre|Vĩnh Long|Cần Thơ|Hậu Giang
    |Sóc Trăng|Bạc Liêu|An Giang|Lạng Sơn|Bắc Kạn|Trung ương|Việt Nam|Thạch Kim|Thạch Trị
    |Cẩm Nhượng|Xuân Thành|Thiên Cầm|Hồng Lộc|Đồng Lộc|Trường Sơn|Hương Trà
    """,
        "|",
    )
)
"""Place names that begin with a surname-like syllable or often stand before a name."""

_PLACE_TOKENS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {}
for _place in KNOWN_PLACES:
    _tokens = tuple(_place.split())
    _PLACE_TOKENS.setdefault(_tokens[0], ())
    _PLACE_TOKENS[_tokens[0]] = (*_PLACE_TOKENS[_tokens[0]], _tokens)

SPEECH_VERBS: Final[tuple[str, ...]] = tuple(
    word_list(
        """phát biểu|cho biết|nói|khẳng định|nhấn mạnh|chia sẻ|cho rằng|đề nghị|yêu cầu
        |trả lời|nhận định|bày tỏ|tâm sự|kể|giải thích|thông tin|báo cáo|kết luận|phân tích
        |đánh giá|nêu rõ|lưu ý|chỉ đạo|khuyến cáo|thừa nhận|tâm sự|hỏi|đáp""",
        "|",
    )
)
"""Verbs that end a reporting clause ("X phát biểu: ..."): such a label is prose, not a speaker."""

LEVEL_WORDS: Final[frozenset[str]] = frozenset(
    [
        "ủy",
        "uỷ",
        "tỉnh",
        "huyện",
        "xã",
        "phường",
        "trấn",
        "phố",
        "quận",
        "thôn",
        "xóm",
        "bản",
        "TX",
        "TP",
        "TT",
        "Tp",
    ]
)
"""Words after which a place name follows ("Thị ủy Kỳ Anh", "xã Kỳ Tân", "TX Kỳ Anh")."""


def is_capitalised(token: str) -> bool:
    """True for a word that starts with a capital letter and is all letters: "Đặng", "ThU"."""
    return token[:1].isupper() and token.isalpha()


def is_name_syllable(token: str) -> bool:
    """True for a syllable of a personal name: capital then lower-case letters ("Thành")."""
    return token.isalpha() and token[0].isupper() and (len(token) == 1 or token[1:].islower())


def _covered_by_place(tokens: Sequence[str], index: int) -> bool:
    """True when a known place name covers ``tokens[index]`` (starts at or spans over it)."""
    for start in range(max(0, index - 3), index + 1):
        for place in _PLACE_TOKENS.get(tokens[start], ()):
            end = start + len(place)
            if end > index and tuple(tokens[start:end]) == place:
                return True
    return False


def name_run_start(tokens: Sequence[str]) -> int:
    """Index where the trailing run of name syllables begins (``len(tokens)`` when none)."""
    start = len(tokens)
    while start > 0 and is_name_syllable(tokens[start - 1]):
        start -= 1
    return start


def split_name(tokens: Sequence[str], *, place_first: bool | None = None) -> int | None:
    """Index in ``tokens`` where a trailing person's name starts, or None when there is none.

    The name is 2-4 capitalised syllables at the end, starting with a surname. A name that
    starts with (or inside) a known place name ("Hà Tĩnh Lê Hải") is taken only when no other
    name fits and it runs past the place ("Kỳ Anh Vũ Quang Hòa": Vũ Quang is also a district).
    When a place may stand right before the name (``place_first``; by default: the run follows
    a level word such as "ủy", "xã", "TX"), a 3-syllable name is preferred, then 4, then 2;
    otherwise the longest name wins.

    >>> toks = "Bí thư Thị ủy Kỳ Anh Đặng Văn Thành".split()
    >>> " ".join(toks[split_name(toks):])
    'Đặng Văn Thành'
    >>> split_name("Kết quả".split()) is None
    True
    """
    run = name_run_start(tokens)
    if place_first is None:
        place_first = run > 0 and tokens[run - 1] in LEVEL_WORDS
    lengths = (3, 4, 2) if place_first else (4, 3, 2)
    starts = [
        len(tokens) - length
        for length in lengths
        if len(tokens) - length >= run and tokens[len(tokens) - length] in SURNAMES
    ]
    for start in starts:
        if not _covered_by_place(tokens, start):
            return start
    for start in starts:
        if " ".join(tokens[start:]) not in KNOWN_PLACES:
            return start
    return None


def place_before_name(tokens: Sequence[str]) -> tuple[str, ...]:
    """The place name at the start of a capitalised run, cutting off a person's name after it.

    ``tokens`` is the run of capitalised words after a level word ("Thị ủy" + ``tokens``). A run
    of at most two words is a place; a longer one is a place followed by a name, or a name.

    >>> place_before_name(["Kỳ", "Anh", "Đặng", "Văn", "Thành"])
    ('Kỳ', 'Anh')
    >>> place_before_name(["Đặng", "Văn", "Thành"])
    ()
    """
    if len(tokens) <= 2:
        return tuple(tokens)
    start = split_name(tokens, place_first=True)
    if start is None:
        return tuple(tokens[:4])
    return tuple(tokens[:start][:4])


_HONORIFIC_KEYS: Final[dict[str, int]] = {h.casefold(): len(h.split()) for h in HONORIFICS}
_TITLE_KEYS: Final[frozenset[str]] = frozenset(TITLE_HEADS)
_TITLE_MAX_WORDS: Final = max(len(title.split()) for title in TITLE_HEADS)


def strip_honorific(tokens: Sequence[str]) -> tuple[str | None, list[str]]:
    """Split a leading form of address off ``tokens``: ``("Ông", ["Nguyễn", "Văn", "Bình"])``."""
    for size in (2, 1):
        head = " ".join(tokens[:size])
        if len(tokens) >= size and _HONORIFIC_KEYS.get(head.casefold()) == size:
            return head, list(tokens[size:])
    return None, list(tokens)


def starts_with_title(tokens: Sequence[str]) -> bool:
    """True when ``tokens`` begin with a known title ("Bí thư", "Phó Chủ tịch", "TS.")."""
    for size in range(1, min(_TITLE_MAX_WORDS, len(tokens)) + 1):
        head = " ".join(tokens[:size])
        if head in _TITLE_KEYS or head.rstrip(".,") in _TITLE_KEYS:
            return True
        if "." in head and head.split(".")[0] in _TITLE_KEYS:
            return True  # "TS.Nguyễn" printed without a space
    return False
