"""Interview turns: who speaks in which paragraphs, and the speaker label split.

A turn starts at a paragraph that opens with a speaker label and a colon: an interviewer marker
(``P.V:``, ``PV:``, ``Phóng viên:``) or an interviewee label made of a title and a name ("Bí thư
Thị ủy Kỳ Anh Đặng Văn Thành:") or an honorific and a name ("Ông Nguyễn Văn Bình:"). A colon in
ordinary prose ("Kết quả: ...") starts nothing. An article without any interviewer marker has no
turns. A turn runs over the following paragraphs up to the next label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from .letters import LOWER
from .names import (
    SPEECH_VERBS,
    is_capitalised,
    is_name_syllable,
    split_name,
    starts_with_title,
    strip_honorific,
)
from .text import fold

Role = Literal["interviewer", "interviewee"]

_BULLET: Final = r"(?:[-–—•*+]\s*)?"
_INTERVIEWER: Final = re.compile(
    rf"^{_BULLET}(?P<label>P\s?\.?\s?V\s?\.?|Phóng\s+viên)\s*[:：]\s*", re.I
)
_INTERVIEWER_FIRST: Final = "-–—•*+pP"
"""``_INTERVIEWER`` matches only text starting with a bullet or "p" (under ``re.I`` only "p" and
"P" match "p"; the tests check it): other paragraphs skip the pattern."""
_LABEL: Final = re.compile(rf"^{_BULLET}(?P<label>[^:：]{{2,120}}?)\s*[:：](?:\s+|$)")
_LABEL_FORBIDDEN: Final = re.compile(rf"[“”\"!?;()\[\]…\d]|\.\s+[{LOWER}]|,\s*$")
_LABEL_SEPARATOR: Final = re.compile(r"\s*(?:,|\s[-–—]\s)\s*")
MAX_LABEL_WORDS: Final = 18
_LABEL_REACH: Final = 130
"""find_marker looks for a speaker label's colon in this many first characters of a paragraph
(a label is at most 120 characters, plus a bullet and spaces)."""


def starts_with_interviewer(text: str) -> bool:
    """True when ``text`` opens with an interviewer marker ("P.V:", "PV:", "Phóng viên:")."""
    return text[:1] in _INTERVIEWER_FIRST and _INTERVIEWER.match(text) is not None


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker label as printed before the colon, split into name and title."""

    role: Role
    label: str
    name: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class Marker:
    """A label at the start of a paragraph; ``body_offset`` is where the text after it starts."""

    speaker: Speaker
    body_offset: int


@lru_cache(maxsize=4096)
def parse_speaker(label: str) -> Speaker | None:
    """The interviewee described by ``label``, or None when ``label`` is not a speaker label.

    >>> speaker = parse_speaker("Bí thư Thị ủy Kỳ Anh Đặng Văn Thành")
    >>> speaker.name, speaker.title
    ('Đặng Văn Thành', 'Bí thư Thị ủy Kỳ Anh')
    >>> parse_speaker("Ông Nguyễn Văn Bình").name
    'Nguyễn Văn Bình'
    >>> parse_speaker("Kết quả") is None
    True
    """
    label = fold(label)
    if not label or _LABEL_FORBIDDEN.search(label) or label.casefold().endswith(SPEECH_VERBS):
        return None
    tokens = label.split()
    if len(tokens) > MAX_LABEL_WORDS:
        return None
    parts = _LABEL_SEPARATOR.split(label, maxsplit=1)
    if len(parts) == 2 and parts[1]:
        # "Ông Nguyễn Văn Bình - Chủ tịch UBND xã Kỳ Tân" / "Nguyễn Văn Bình, Giám đốc Sở".
        head = _person(parts[0].split())
        if head is not None and starts_with_title(parts[1].split()):
            return Speaker("interviewee", label, head[0], fold(parts[1]))
        # A separator inside a title ("Bí thư, Chủ tịch UBND thị xã Kỳ Anh ..."): fall through.
    person = _person(tokens)
    if person is None:
        return None
    return Speaker("interviewee", label, person[0], person[1])


def _person(tokens: Sequence[str]) -> tuple[str, str | None] | None:
    """(name, title) for ``[honorific] [title] name`` tokens, else None."""
    honorific, rest = strip_honorific(tokens)
    if not rest:
        return None
    if honorific is not None and all(is_name_syllable(t) for t in rest) and len(rest) <= 4:
        return " ".join(rest), None
    start = split_name(rest)
    if start is None:
        return None
    title_tokens = [t.strip(",-–—") for t in rest[:start]]
    title = " ".join(t for t in title_tokens if t) or None
    if title is None:
        if honorific is None and not all(is_capitalised(t) for t in rest):
            return None
        return " ".join(rest[start:]), None
    if honorific is None and not starts_with_title(rest):
        return None
    return " ".join(rest[start:]), title


def find_marker(text: str) -> Marker | None:
    """The speaker label opening paragraph ``text`` (raw, stripped line content), if any."""
    match = _INTERVIEWER.match(text) if text[:1] in _INTERVIEWER_FIRST else None
    if match is not None:
        label = fold(match["label"])
        return Marker(Speaker("interviewer", label, None, None), match.end())
    if text.find(":", 0, _LABEL_REACH) < 0 and text.find("：", 0, _LABEL_REACH) < 0:
        return None
    match = _LABEL.match(text)
    if match is None or not match["label"][:1].isupper():
        return None
    speaker = parse_speaker(match["label"])
    if speaker is None:
        return None
    return Marker(speaker, match.end())


@dataclass(frozen=True, slots=True)
class TurnDraft:
    """A turn before it becomes an ``InterviewTurn``: speaker and (start, end) source ranges."""

    speaker: Speaker
    ranges: tuple[tuple[int, int], ...]
    texts: tuple[str, ...]


def split_turns(
    paragraphs: Sequence[tuple[int, int, str, str]],
) -> tuple[list[TurnDraft], list[str]]:
    """Group paragraphs ``(start, end, raw text, folded text)`` into turns; return them and
    warnings.

    Returns no turns when no paragraph opens with an interviewer marker. Paragraphs before the
    first label belong to no turn. A turn whose label is followed by no text at all is dropped
    (with a warning) rather than invented.
    """
    # Only an interviewer marker makes turns, and find_marker gives one exactly when the
    # paragraph starts with it: most articles are done after this cheap look.
    if not any(starts_with_interviewer(text) for _, _, text, _ in paragraphs):
        return [], []
    markers = [find_marker(text) for _, _, text, _ in paragraphs]
    drafts: list[TurnDraft] = []
    warnings: list[str] = []
    speaker: Speaker | None = None
    ranges: list[tuple[int, int]] = []
    texts: list[str] = []

    def close() -> None:
        if speaker is None:
            return
        if ranges:
            drafts.append(TurnDraft(speaker, tuple(ranges), tuple(texts)))
        else:
            warnings.append(f"dropped the empty interview turn labelled {speaker.label!r}")

    for (start, end, text, key), marker in zip(paragraphs, markers, strict=True):
        if marker is not None:
            close()
            speaker, ranges, texts = marker.speaker, [], []
            body = text[marker.body_offset :]
            if body.strip():
                lead = len(body) - len(body.lstrip())
                ranges.append((start + marker.body_offset + lead, end))
                texts.append(fold(body))
        elif speaker is not None:
            ranges.append((start, end))
            texts.append(key)
    close()
    return drafts, warnings
