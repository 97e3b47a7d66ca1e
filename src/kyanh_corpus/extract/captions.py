"""Photo captions: the photographer credit and the archival flag."""

from __future__ import annotations

import re
from typing import Final

from .text import fold

_CREDIT: Final = re.compile(
    r"(?:^|(?<=[\s(.,;]))(?i:ảnh)\s*[:\-–—]\s*(?P<credit>[^():;]{1,60}?)\s*\)?\s*\.?\s*$"
)
_ARCHIVAL: Final = re.compile(r"(?i:ảnh\s*:?\s*tư\s+liệu)")


def caption_facts(text: str) -> tuple[str | None, bool]:
    """(credit, archival) of a caption line.

    >>> caption_facts("Một góc thị xã Kỳ Anh. Ảnh: Sỹ Ngọ")
    ('Sỹ Ngọ', False)
    >>> caption_facts("Buổi sinh hoạt chi bộ điểm. Ảnh tư liệu.")
    (None, True)
    """
    text = fold(text)
    archival = _ARCHIVAL.search(text) is not None
    match = _CREDIT.search(text)
    if match is None or archival:
        return None, archival
    credit = match["credit"].strip(" .")
    if not credit[:1].isupper():
        return None, archival
    return credit, archival
