"""The document-code grammar: how a numbered Party or State document is named and printed.

One home for everything about a "số, ký hiệu": the parts of a code and their patterns (used by
the models and their JSON Schema), the canonical form (:func:`canonical_code`), the printed form
(:data:`CODE`, :func:`code_parts`, :func:`canonical_printed_code`), the type table (abbreviation
-> type name, and the words printed before a number) and the issuer codes that are local (unique
only with a place). The extractor, the models, the build and the lookups use this module; a new
code form is a change here (and its tests).

Party codes look like ``02-NQ/ThU`` (number-TYPE/ISSUER); State codes like ``36/2021/NQ-HĐND``
or ``1234/QĐ-UBND`` (number[/year]/TYPE-ISSUER[-UNIT]); State letters and older codes carry no
type part (``2310/UBND-TH``, ``12/CP``, ``33/1998/CP``).
"""

from __future__ import annotations

import re
from typing import Final, Literal

DOC_TYPE_PATTERN: Final = r"[A-ZĐ][A-Za-zĐđ]{0,5}"
ISSUER_CODE_PATTERN: Final = r"[A-ZĐ][A-Za-zĐđ0-9]{0,11}(?:-[A-ZĐ][A-Za-zĐđ0-9]{0,11}){0,2}"
NUMBER_PATTERN: Final = r"[0-9]{1,6}"
CODE_PATTERN: Final = (
    rf"^(?:{NUMBER_PATTERN}-{DOC_TYPE_PATTERN}/{ISSUER_CODE_PATTERN}"
    rf"|{NUMBER_PATTERN}(?:/[0-9]{{4}})?/(?:{DOC_TYPE_PATTERN}-)?{ISSUER_CODE_PATTERN})$"
)


def canonical_code(
    system: Literal["party", "state"],
    number: str,
    doc_type: str | None,
    issuer_code: str,
    year: int | None = None,
) -> str:
    """The canonical "số, ký hiệu" of a document from its parts.

    A State code may carry no type part (``doc_type`` None): official letters
    ("2310/UBND-TH") and older codes ("12/CP", "33/1998/CP"). Party codes always carry one.

    >>> canonical_code("party", "02", "NQ", "ThU")
    '02-NQ/ThU'
    >>> canonical_code("state", "36", "NQ", "HĐND", 2021)
    '36/2021/NQ-HĐND'
    >>> canonical_code("state", "1234", "QĐ", "UBND")
    '1234/QĐ-UBND'
    >>> canonical_code("state", "2310", None, "UBND-TH")
    '2310/UBND-TH'
    >>> canonical_code("state", "33", None, "CP", 1998)
    '33/1998/CP'
    """
    if system == "party":
        if doc_type is None:
            raise ValueError("a Party document code always carries a type part")
        return f"{number}-{doc_type}/{issuer_code}"
    typed = issuer_code if doc_type is None else f"{doc_type}-{issuer_code}"
    if year is None:
        return f"{number}/{typed}"
    return f"{number}/{year}/{typed}"


CODE_PARTS: Final = ("code", "system", "number", "year", "doc_type", "issuer_code")
"""The ``Resolution`` fields that make up a code (the code and its parts)."""


TYPE_NAMES: Final[dict[str, str]] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "HD": "Hướng dẫn",
    "KL": "Kết luận",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "CTr": "Chương trình",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    "NĐ": "Nghị định",
    "BC": "Báo cáo",
    "CV": "Công văn",
    "TTr": "Tờ trình",
    "ĐA": "Đề án",
    "QC": "Quy chế",
    "CĐ": "Công điện",
    "TTri": "Thông tri",
    "PL": "Pháp lệnh",
    "L": "Luật",
    "QyĐ": "Quy định",
    "PA": "Phương án",
    "DA": "Dự án",
    "BB": "Biên bản",
    "HĐ": "Hợp đồng",
    "TC": "Thông cáo",
    "GM": "Giấy mời",
    "KLTT": "Kết luận thanh tra",
}
"""Type abbreviation in a code -> type name, used when no type word is printed before it.

A State code's type part must be one of these (in any spelling that folds to the same letters:
"QD" for "QĐ"): "567/SNN-KHTC" is a letter of SNN, not a document of type "SNN"."""

GENERIC_WORDS: Final[tuple[str, ...]] = ("Văn bản",)
"""Words that name no type: before a typed code the code's type names it ("Văn bản
1193-QĐ/TU" is a "Quyết định"); before an untyped code they are its type name."""
UNTYPED_WORDS: Final[tuple[str, ...]] = (*GENERIC_WORDS, "Công văn", "Luật", "Pháp lệnh")
"""Type words that also stand before codes with no type part ("Văn bản số 567/SNN-KHTC")."""


def is_generic(word: str) -> bool:
    return word.casefold() in {generic.casefold() for generic in GENERIC_WORDS}


TYPE_WORDS: Final[tuple[str, ...]] = tuple(
    sorted({*TYPE_NAMES.values(), *UNTYPED_WORDS}, key=len, reverse=True)
)
"""Words printed before a document number ("Nghị quyết số 02-NQ/ThU"), longest first."""


def type_key(abbreviation: str) -> str:
    """Comparison key of a type abbreviation: upper case, "Đ" as "D" ("QĐi" -> "QDI")."""
    return abbreviation.replace("đ", "d").replace("Đ", "D").upper()


KNOWN_TYPES: Final = frozenset(type_key(abbreviation) for abbreviation in TYPE_NAMES)

_UY: Final = r"(?:ủy|uỷ)"
_LEVEL: Final = r"(?:tỉnh|huyện|thị\s+xã|TX|thành\s+phố|TP\.?|xã|phường|thị\s+trấn|quận)"
LOCAL_LEVELS: Final[dict[str, str]] = {
    "ThU": rf"[Tt]hị\s+{_UY}",
    "TU": rf"[Tt](?:ỉnh|hành)\s+{_UY}",
    "HU": rf"[Hh]uyện\s+{_UY}",
    "QU": rf"[Qq]uận\s+{_UY}",
    "ĐU": rf"[Đđ]ảng\s+{_UY}(?:\s+(?:xã|phường|thị\s+trấn))?",
    "UBND": rf"(?:UBND|[ỦUủu][yỷ]\s+ban\s+nhân\s+dân)\s+{_LEVEL}",
    "HĐND": rf"(?:HĐND|[Hh]ội\s+đồng\s+nhân\s+dân)\s+{_LEVEL}",
    "UB": rf"(?:UBND|UB|[ỦUủu][yỷ]\s+ban\s+nhân\s+dân)\s+{_LEVEL}",
}
"""Issuer codes that are only unique together with a place -> the words naming that body."""


TYPE_WORD_PATTERN: Final = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in TYPE_WORDS)
_NUMBER: Final = r"\d{1,6}"
_PART: Final = r"[A-ZĐ][A-Za-zĐđ0-9]{0,11}"
_CODE: Final = (
    rf"(?:"
    rf"(?P<pnum>{_NUMBER})\s*-\s*(?P<ptype>{DOC_TYPE_PATTERN})\s*/\s*(?P<piss>{ISSUER_CODE_PATTERN})"
    rf"|(?P<snum>{_NUMBER})\s*/\s*(?:(?P<syear>\d{{4}})\s*(?P<ysep>[/-])\s*)?"
    rf"(?P<shead>{_PART})(?:\s*-\s*(?P<stail>{_PART}(?:-{_PART}){{0,2}}))?"
    rf")(?![\w/])"
)
CODE: Final = re.compile(_CODE)
"""A printed code, stray spaces around the separators allowed (use ``match``): Party
``N-TYPE/ISSUER``, State ``N[/YYYY]/HEAD[-TAIL]`` where HEAD is the type when it is a known type
abbreviation and a tail follows, else the whole is an issuer with no type part (see
:func:`code_parts`)."""


TYPE_BEFORE: Final = re.compile(
    rf"(?<!\w)(?P<tw>(?i:{TYPE_WORD_PATTERN}))(?:\s*\(\s*{DOC_TYPE_PATTERN}\s*\))?"
    rf"\s+(?:(?i:số)\s*:?\s*)?$"
)
"""The type word (with an abbreviation in brackets, "Nghị quyết (NQ)", and "số") printed right
before a number, matched at the end of a slice."""


def code_parts(
    m: re.Match[str], type_word: str | None
) -> tuple[Literal["party", "state"], str, int | None, str | None, str] | None:
    """``(system, number, year, doc_type, issuer_code)`` of a :data:`CODE` match, or None.

    A State code whose head is a known type abbreviation followed by a tail is typed
    (``1234/QĐ-UBND``); otherwise its parts are an issuer with no type part, read only when a
    type word is printed before it (``Công văn số 2310/UBND-TH``, ``Nghị định 12/CP``). A year
    joined by "-" ("20/2003-QĐ-TTg") is a spelling of the typed code only.
    """
    if m["pnum"] is not None:
        return "party", m["pnum"], None, m["ptype"], m["piss"]
    year = int(m["syear"]) if m["syear"] else None
    head, tail = m["shead"], m["stail"]
    if tail is not None and type_key(head) in KNOWN_TYPES:
        return "state", m["snum"], year, head, tail
    if type_word is None or m["ysep"] == "-" or type_key(head) in KNOWN_TYPES:
        return None
    return "state", m["snum"], year, None, head if tail is None else f"{head}-{tail}"


def canonical_printed_code(printed: str) -> str | None:
    """The canonical code of a code printed in any spelling, or None when it is not one.

    Stray spaces are dropped, "20/2003-QĐ-TTg" is "20/2003/QĐ-TTg", a leading type word and "số"
    are allowed; a State code with no type part is read as such (the caller names a code).

    >>> canonical_printed_code("Nghị quyết số 01 - NQ / ThU")
    '01-NQ/ThU'
    >>> canonical_printed_code("20/2003-QĐ-TTg"), canonical_printed_code("2310/UBND-TH")
    ('20/2003/QĐ-TTg', '2310/UBND-TH')
    >>> canonical_printed_code("Kỳ Anh") is None
    True
    """
    text = " ".join(printed.split())
    number = re.search(r"\d", text)
    if number is None:
        return None
    head = text[: number.start()]
    word: str | None = "Văn bản"  # a code asked for by name may have no type part
    if head.strip():
        before = TYPE_BEFORE.fullmatch(head if head.endswith(" ") else head + " ")
        if before is None and head.strip().casefold().rstrip(":") != "số":
            return None
        word = before["tw"] if before is not None else word
    m = CODE.fullmatch(text, number.start())
    parts = None if m is None else code_parts(m, word)
    if parts is None:
        return None
    system, number_text, year, doc_type, issuer_code = parts
    return canonical_code(system, number_text, doc_type, issuer_code, year)
