"""Document ids: the place that makes a local issuer code unique, and the id itself.

A document is its code, plus its place for local issuers, plus its year of issue
(docs/design.md, "Document identity"): :func:`resolution_id` makes the id, :func:`id_parts` reads
it back, and :class:`PlaceFinder` finds the place an article names for a local issuer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final

from ..codes import LOCAL_LEVELS
from ..models import slugify
from .letters import LOWER, UPPER
from .names import is_name_syllable, place_before_name

_LOCAL_PLACE: Final[dict[str, re.Pattern[str]]] = {
    code: re.compile(rf"{level}(?P<run>(?:\s+[{UPPER}][{UPPER}{LOWER}]*){{1,7}})")
    for code, level in LOCAL_LEVELS.items()
}


def local_place(issuer_code: str, issuer: str | None, texts: Sequence[str]) -> str | None:
    """The place that makes a local issuer code unique, from the issuer or else the texts.

    >>> local_place("ThU", "BTV Thị ủy Kỳ Anh", [])
    'Kỳ Anh'
    >>> local_place("BTCTW", "Ban Tổ chức Trung ương", []) is None
    True
    """
    pattern = _LOCAL_PLACE.get(issuer_code.split("-")[0])
    if pattern is None:
        return None
    for text in ([issuer] if issuer else []) + list(texts):
        place = _first_place(pattern, text)
        if place is not None:
            return place
    return None


_ISSUER_LEVEL: Final = re.compile(
    r"(?:UBND|UB|HĐND|[Hh]ội\s+đồng\s+nhân\s+dân|[ỦUủu][yỷ]\s+ban\s+nhân\s+dân)\s+"
    r"(tỉnh|huyện|thị\s+xã|thành\s+phố|xã|phường|thị\s+trấn|quận)$"
)
"""A local State body named by its level only ("UBND tỉnh"): its place is the article's."""


def _first_place(pattern: re.Pattern[str], text: str) -> str | None:
    """The first place named after a level word of ``pattern`` in ``text`` ("Thị ủy Kỳ Anh")."""
    return next(_places(pattern, text), None)


def _places(pattern: re.Pattern[str], text: str) -> Iterator[str]:
    """The places named after a level word of ``pattern`` in ``text``, in order."""
    for match in pattern.finditer(text):
        if match.start() and text[match.start() - 1].isalnum():
            continue  # the level word is the end of a longer word
        tokens: list[str] = []
        for token in match["run"].split():
            if not is_name_syllable(token):
                break
            tokens.append(token)
        place = place_before_name(tokens)
        if place:
            yield " ".join(place)


class PlaceFinder:
    """Places named in one article, looked up once per issuer code (see :func:`local_place`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cache: dict[str, str | None] = {}

    def place(self, issuer_code: str, issuer: str | None) -> str | None:
        key = issuer_code.split("-")[0]
        pattern = _LOCAL_PLACE.get(key)
        if pattern is None:
            return None
        if issuer:
            place = _first_place(pattern, issuer)
            if place is not None:
                return place
            if level := _ISSUER_LEVEL.search(issuer):
                # "UBND tỉnh": only a place after that level is its place, never "xã Kỳ Hà".
                return self._only_place_of_level(level.group(1))
        if key not in self.cache:
            self.cache[key] = _first_place(pattern, self.text)
        return self.cache[key]

    def _only_place_of_level(self, level: str) -> str | None:
        """The one place the article names after ``level`` ("tỉnh Hà Tĩnh"), if only one:
        the place of an issuer printed as "HĐND tỉnh" in an article about one province."""
        pattern = re.compile(
            rf"(?<!\w){re.escape(level)}(?P<run>(?:\s+[{UPPER}][{UPPER}{LOWER}]*){{1,7}})", re.I
        )
        places = {place for place in _places(pattern, self.text)}
        return places.pop() if len(places) == 1 else None


def resolution_id(code: str, place: str | None, year: int | None = None) -> str:
    """Slug of the code, plus the place's slug for local issuers, plus the year of issue when it
    is known and the code does not carry it: ``02-nq-thu-ky-anh-2021``, ``12-hd-btctw``.

    >>> resolution_id("01-NQ/ThU", "Kỳ Anh", 2021)
    '01-nq-thu-ky-anh-2021'
    >>> resolution_id("36/2021/NQ-HĐND", "Hà Tĩnh", 2021)
    '36-2021-nq-hdnd-ha-tinh'
    """
    slug = slugify(code)
    if place:
        slug = f"{slug}-{slugify(place)}"
    if year is None or f"/{year}/" in code:
        return slug[:96].strip("-")
    return f"{slug[:91].strip('-')}-{year}"


_YEAR_SUFFIX: Final = re.compile(r"(?:^|-)((?:19|20|21)\d\d)$")


def id_parts(resolution_id: str, code: str) -> tuple[str, str | None, int | None]:
    """``(base, place slug, year)`` of an id made by :func:`resolution_id` from ``code``.

    The base is the code's slug; the year is the appended year of issue, or the year the code
    carries (a State code "36/2021/NQ-HĐND" always has its year); either part may be None.

    >>> id_parts("01-nq-thu-ky-anh-2021", "01-NQ/ThU")
    ('01-nq-thu', 'ky-anh', 2021)
    >>> id_parts("36-2021-nq-hdnd", "36/2021/NQ-HĐND")
    ('36-2021-nq-hdnd', None, 2021)
    >>> id_parts("12-hd-btctw", "12-HD/BTCTW")
    ('12-hd-btctw', None, None)
    """
    base = slugify(code)
    rest = resolution_id[len(base) + 1 :] if resolution_id.startswith(base + "-") else ""
    carried = re.search(r"/((?:19|20|21)\d\d)/", code)
    year = int(carried.group(1)) if carried else None
    if carried is None and (found := _YEAR_SUFFIX.search(rest)) is not None:
        year = int(found.group(1))
        rest = rest[: found.start()]
    return base, rest or None, year
