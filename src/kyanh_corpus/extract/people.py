"""People an article names: a person's name with the title printed beside it, and the casing of
labels printed in capitals.

An interview's answers often carry no label, or a label that names a title and no person ("Đồng
chí Chủ tịch UBND thị xã:"). Who speaks is then what the article itself says: the one person the
introduction says the article talks to ("trao đổi với ông Lê Văn Bình - Chủ tịch UBND xã"), or
the one person it names with that title. Nothing here guesses: every function returns None when
the text names nobody or several people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from .letters import LOWER, UPPER
from .names import (
    HONORIFICS,
    KNOWN_PLACES,
    LEVEL_WORDS,
    TITLE_HEADS,
    split_name,
    starts_with_title,
    word_list,
)
from .text import fold


@dataclass(frozen=True, slots=True)
class Person:
    """A person named in the text: ``name`` ("Lê Văn Bình") and the title printed beside it."""

    name: str
    title: str | None


_SYLLABLE: Final = rf"[{UPPER}][{LOWER}]*"
_RUN: Final = re.compile(rf"(?<![\w]){_SYLLABLE}(?:[ \u00a0]+{_SYLLABLE}){{1,7}}(?![\w])")
"""A run of 2-8 capitalised syllables: a name, perhaps behind a place or an honorific."""
_WORD_BEFORE: Final = re.compile(r"(\S+)\s+$")
_ONE_WORD_HONORIFICS: Final = frozenset(h.casefold() for h in HONORIFICS if " " not in h)
_TITLE_HEAD: Final = re.compile(
    rf"(?<![\w])(?:{'|'.join(re.escape(t) for t in TITLE_HEADS)})(?![\w])", re.I
)
_CLAUSE_END: Final = re.compile(
    r"[,.;:()!?“”\"]|\s[-–—]\s(?![A-ZĐ]{2,}(?!\w))|\s(?:về|xung\s+quanh|nhân|và|để|cho\s+biết|phát\s+biểu|nói|"
    r"khẳng\s+định|nhấn\s+mạnh|chia\s+sẻ|trao\s+đổi|trả\s+lời|đã|đang|sẽ|cũng|vừa|kiểm\s+tra|"
    r"tham\s+quan|làm\s+việc|dự|chủ\s+trì|thăm|tặng|trao|tại|trong|với|khi|thì|là)(?!\w)"
)
_AFTER_NAME: Final = re.compile(r"\s*(?:[-–—]|,)\s*")
_TOKEN: Final = re.compile(r"\S+")
_TITLE_REACH: Final = 90
"""A title printed before a name starts at most this many characters before it."""

_HONORIFIC: Final = "|".join(re.escape(h) for h in HONORIFICS)
_TALKS_BEFORE: Final = re.compile(
    rf"(?:trao\s+đổi|trò\s+chuyện|phỏng\s+vấn|gặp\s+gỡ|gặp|chia\s+sẻ|làm\s+việc)"
    rf"(?:\s+(?:với|cùng))?\s+(?:(?i:{_HONORIFIC})\s+)?(?:[^,.;:()]{{0,80}}?\s)?$"
)
"""What stands before a person the article talks to: "có cuộc trao đổi với ông "."""
_TALKS_AFTER: Final = re.compile(
    r"(?:\s*\([^()]{0,40}\))?\s*(?:đã\s+)?(?:có\s+cuộc\s+)?"
    r"(?:(?:trao\s+đổi|trò\s+chuyện|chia\s+sẻ)\s+(?:với|cùng)|trả\s+lời\s+phỏng\s+vấn"
    r"|dành\s+cho)\b",
    re.I,
)
"""What follows a person who talks to the paper: " chia sẻ với P.V", " trả lời phỏng vấn"."""


def people(text: str) -> list[tuple[int, int, Person]]:
    """Every person named in ``text``: ``(start, end, person)`` of the name and its title.

    A name is the tail of a run of capitalised syllables that starts with a surname
    (:func:`~.names.split_name`), after any honorific, title head ("Phó Chủ tịch") or place
    ("xã Kỳ Ninh") the run begins with. A title counts when it is printed right before the name
    in the same clause ("Bí thư Thị ủy Kỳ Anh Đặng Văn Thành") or right after it behind a dash
    or comma ("ông Lê Văn Bình - Chủ tịch UBND xã Kỳ Xuân"), and starts with a known title word.

    >>> [(p.name, p.title) for _, _, p in people("trao đổi với ông Lê Văn Bình - Chủ tịch UBND xã")]
    [('Lê Văn Bình', 'Chủ tịch UBND xã')]
    >>> [(p.name, p.title) for _, _, p in people("Bí thư Đảng ủy xã Kỳ Ninh Lưu Thị Hoa cho biết")]
    [('Lưu Thị Hoa', 'Bí thư Đảng ủy xã Kỳ Ninh')]
    >>> people("Trò chuyện với Phó Chủ tịch UBND thị xã về đầu tư")
    []
    """
    found: list[tuple[int, int, Person]] = []
    for match in _RUN.finditer(text):
        starts = [m.start() + match.start() for m in _TOKEN.finditer(match.group())]
        tokens = match.group().split()
        skip = 0
        head = _TITLE_HEAD.match(text, match.start())
        if head is not None:
            skip = sum(1 for start in starts if start < head.end())
        elif tokens[0].casefold() in _ONE_WORD_HONORIFICS:
            skip = 1
        rest = tokens[skip:]
        if len(rest) < 2:
            continue
        before = _WORD_BEFORE.search(text, 0, starts[skip])
        place_first = before is not None and before.group(1) in LEVEL_WORDS
        start = split_name(rest, place_first=place_first or None)
        if start is None:
            continue
        name_start = starts[skip + start]
        name = " ".join(rest[start:])
        title = _title_before(text, name_start) or _title_after(text, match.end())
        found.append((name_start, match.end(), Person(name, title)))
    return found


def _title_before(text: str, name_start: int) -> str | None:
    """The title printed right before a name starting at ``name_start`` (same clause)."""
    window_start = max(0, name_start - _TITLE_REACH)
    best: str | None = None
    for head in _TITLE_HEAD.finditer(text, window_start, name_start):
        between = text[head.start() : name_start]
        if _CLAUSE_END.search(between) is not None:
            continue
        title = fold(between)
        if title and starts_with_title(title.split()):
            best = title
            break  # the earliest head in the clause gives the whole title
    return best


def _title_span(text: str, name_end: int) -> tuple[int, int] | None:
    """``(start, end)`` of what is printed after a name behind a dash or comma, to the end of
    its clause; None when no dash or comma follows the name."""
    joint = _AFTER_NAME.match(text, name_end)
    if joint is None:
        return None
    end = _CLAUSE_END.search(text, joint.end())
    return joint.end(), end.start() if end else len(text)


def _title_after(text: str, name_end: int) -> str | None:
    """The title printed after a name behind a dash or comma, to the end of its clause."""
    span = _title_span(text, name_end)
    if span is None:
        return None
    title = fold(text[span[0] : span[1]])
    if not title or not starts_with_title(title.split()):
        return None
    return title


def interviewee_from_intro(texts: Iterable[str]) -> Person | None:
    """The one person the introduction says the article talks to, else None.

    ``texts`` are the headline, the lede and the paragraphs before the first question.

    >>> interviewee_from_intro(["PV đã trao đổi với ông Lê Văn Bình - Chủ tịch UBND xã Kỳ Tân."])
    Person(name='Lê Văn Bình', title='Chủ tịch UBND xã Kỳ Tân')
    >>> interviewee_from_intro(["Trao đổi với ông A Văn B và bà Trần Thị C."]) is None
    True
    """
    found: dict[str, Person] = {}
    for text in texts:
        for start, end, person in people(text):
            before = text[max(0, start - 160) : start]
            if _TALKS_BEFORE.search(before) or _TALKS_AFTER.match(text, _title_end(text, end)):
                known = found.get(person.name)
                if known is None or (known.title is None and person.title is not None):
                    found[person.name] = person
    if len(found) != 1:
        return None
    return next(iter(found.values()))


def _title_end(text: str, name_end: int) -> int:
    """Where a person's mention ends: after the title printed after the name, if any."""
    span = _title_span(text, name_end)
    return name_end if span is None else span[1]


def person_with_title(title: str, texts: Iterable[str]) -> Person | None:
    """The one person ``texts`` name with a title that starts with ``title`` (caseless)."""
    key = title.casefold()
    names: dict[str, Person] = {}
    for text in texts:
        for _, _, person in people(text):
            if person.title is not None and person.title.casefold().startswith(key):
                names.setdefault(person.name, person)
    if len(names) != 1:
        return None
    return next(iter(names.values()))


_ABBREVIATIONS: Final = frozenset(
    word_list(
        "UBND HĐND MTTQ BTV BCH TX TP TT ĐU HU TU ThU KT-XH CLB HTX BQL KKT THCS THPT CA PCCC"
    )
)
_CAPITALISED_BODIES: Final = ("Tỉnh ủy", "Thị ủy", "Huyện ủy", "Thành ủy", "Đảng ủy", "Quốc hội")


def is_all_caps(text: str) -> bool:
    """True when every letter of ``text`` is upper case and it has at least four letters."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def recase(label: str, texts: Sequence[str]) -> str:
    """A label printed in capitals in normal Vietnamese case.

    The article's own casing wins where it prints the same words (caseless); otherwise the
    name syllables are capitalised, the title head takes its usual casing, abbreviations and
    known places are kept, and the other title words are lower case.

    >>> recase("PHÓ CHỦ TỊCH UBND TỈNH LÊ VĂN BÌNH", [])
    'Phó Chủ tịch UBND tỉnh Lê Văn Bình'
    >>> recase("BÍ THƯ HUYỆN ỦY NGUYỄN AN", ["Bí thư Huyện ủy Nguyễn An phát biểu"])
    'Bí thư Huyện ủy Nguyễn An'
    """
    tokens = label.split()
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(t) for t in tokens) + r"(?!\w)", re.I)
    for text in texts:
        match = pattern.search(text)
        if match is not None and not is_all_caps(match.group()):
            return fold(match.group())
    capitalised = [t[:1] + t[1:].lower() for t in tokens]
    start = split_name(capitalised)
    name_tokens = capitalised[start:] if start is not None else []
    title_tokens = tokens[: start if start is not None else len(tokens)]
    name = " ".join(name_tokens)
    title = _recase_title(title_tokens, texts)
    return " ".join(part for part in (title, name) if part)


def _recase_title(tokens: Sequence[str], texts: Sequence[str]) -> str:
    """Title words printed in capitals, in normal case (see :func:`recase`)."""
    if not tokens:
        return ""
    phrase = re.compile(r"(?<!\w)" + r"\s+".join(re.escape(t) for t in tokens) + r"(?!\w)", re.I)
    for text in texts:
        match = phrase.search(text)
        if match is not None and not is_all_caps(match.group()):
            return fold(match.group())
    words = [t.lower() for t in tokens]
    out: list[str] = []
    index = 0
    head = _title_head(words)
    if head:
        out.extend(head.split())
        index = len(head.split())
    while index < len(words):
        token = tokens[index]
        place = _place_at(words, index)
        if place is not None:
            out.extend(place.split())
            index += len(place.split())
            continue
        body = _body_at(words, index)
        if body is not None:
            out.extend(body.split())
            index += len(body.split())
            continue
        out.append(token if token in _ABBREVIATIONS else words[index])
        index += 1
    if out and out[0][:1].islower():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def _title_head(words: Sequence[str]) -> str | None:
    """The usual casing of the title head that ``words`` (lower case) start with."""
    for title in TITLE_HEADS:  # longest first
        size = len(title.split())
        if list(words[:size]) == title.lower().split():
            return title
    return None


def _place_at(words: Sequence[str], index: int) -> str | None:
    for place in sorted(KNOWN_PLACES, key=len, reverse=True):
        size = len(place.split())
        if list(words[index : index + size]) == place.lower().split():
            return place
    return None


def _body_at(words: Sequence[str], index: int) -> str | None:
    for body in _CAPITALISED_BODIES:
        size = len(body.split())
        if list(words[index : index + size]) == body.lower().split():
            return body
    return None
