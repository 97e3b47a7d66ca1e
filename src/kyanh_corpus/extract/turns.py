"""Interview turns: who speaks in which paragraphs, and the speaker label split.

A turn starts at a paragraph that opens with a speaker label and a colon: an interviewer marker
(``P.V:``, ``PV:``, ``Phóng viên:``, ``Phóng viên (PV):``, ``Hỏi:``, the paper's name) or an
interviewee label made of a title and a name ("Bí thư Thị ủy Kỳ Anh Đặng Văn Thành:"), an
honorific and a name ("Ông Nguyễn Văn Bình:"), a name then a title ("Ông Lê Văn Bình - Chủ tịch
UBND xã:"), an honorific and a title ("Đồng chí Chủ tịch UBND thị xã:") or ``Đáp:``. Labels
printed in capitals are read in normal case. A colon in ordinary prose ("Kết quả: ...") starts
nothing.

Many papers print no labels: a question is a paragraph opened by a bullet and ending with "?"
or addressed to the interviewee ("Thưa ông, ..."), and the paragraphs after it are the answer.
An article is an interview when it has an interviewer label, or at least two such questions each
followed by an answer (docs/design.md, "Real press shapes"). A question is one paragraph; the
paragraphs after it up to the next question or label are one answer. Whoever is inferred (an
unlabelled answer's speaker, the person behind a title-only label) is reported in a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

from .letters import LOWER, UPPER
from .names import (
    SPEECH_VERBS,
    TITLE_HEADS,
    is_capitalised,
    is_name_syllable,
    split_name,
    starts_with_title,
    strip_honorific,
)
from .people import Person, interviewee_from_intro, is_all_caps, person_with_title, recase
from .text import fold

Role = Literal["interviewer", "interviewee"]

_BULLET: Final = r"(?:[-–—•*+]\s*)?"
_PAPER: Final = rf"(?:P\.?\s?V\.?\s+)?Báo\s+[{UPPER}][{LOWER}]*(?:\s+[{UPPER}][{LOWER}]*){{0,3}}"
_INTERVIEWER: Final = re.compile(
    rf"^{_BULLET}(?P<label>(?i:P\s?\.?\s?V\s?\.?|Phóng\s+viên(?:\s*\(\s*P\.?\s?V\.?\s*\))?|Hỏi)"
    rf"|{_PAPER})\s*[:：]\s*"
)
_INTERVIEWER_FIRST: Final = "-–—•*+pPhHB"
"""``_INTERVIEWER`` matches only text starting with a bullet, "p", "h" or "B" (under ``re.I``
only "p"/"P" match "p" and "h"/"H" match "h"; the tests check it): other paragraphs skip it."""
_ANSWER: Final = re.compile(rf"^{_BULLET}(?P<label>Đáp|ĐÁP)\s*[:：]\s*")
_LABEL: Final = re.compile(rf"^{_BULLET}(?P<label>[^:：]{{2,120}}?)\s*[:：](?:\s+|$)")
_LABEL_FORBIDDEN: Final = re.compile(rf"[“”\"!?;()\[\]…\d]|\.\s+[{LOWER}]|,\s*$")
_LABEL_SEPARATOR: Final = re.compile(r"\s*(?:,|\s[-–—]\s)\s*")
MAX_LABEL_WORDS: Final = 18
_LABEL_REACH: Final = 130
"""find_marker looks for a speaker label's colon in this many first characters of a paragraph
(a label is at most 120 characters, plus a bullet and spaces)."""

_ADDRESS: Final = "|".join(
    [
        r"ông",
        r"bà",
        r"đồng\s+chí",
        r"Đ/c",
        r"anh",
        r"chị",
        r"cô",
        r"thầy",
        r"bác",
        r"chú",
        r"ngài",
        *(re.escape(title).replace(r"\ ", r"\s+") for title in TITLE_HEADS if " " in title),
        r"Bộ\s+trưởng",
        r"Chủ\s+tịch",
        r"Giám\s+đốc",
    ]
)
_THUA: Final = re.compile(rf"^{_BULLET}Thưa\s+(?:{_ADDRESS})(?!\w)")
"""A question addressed to the interviewee: "Thưa ông, ...", "- Thưa đồng chí Bí thư, ..."."""
_THUA_END: Final = re.compile(
    rf",\s*thưa\s+(?:{_ADDRESS})(?:\s+[^\s,.;:!?]+){{0,5}}\s*\?[\s”\"’'»)\]]*$"
)
"""A question that ends by addressing the interviewee: "..., thưa ông?"."""
_BULLETED: Final = re.compile(r"^[-–—•*+]\s*(?=\w)")
_QUESTION_END: Final = re.compile(r"\?[\s”\"’'»)\]]*$")
_THANKS: Final = re.compile(
    rf"^{_BULLET}(?:(?i:xin|chân\s+thành|trân\s+trọng|một\s+lần\s+nữa)\s+)*(?i:cảm|cám)\s+ơn\s+"
    rf"(?i:{_ADDRESS}|các\s+ông|các\s+bà)(?!\w)[^.!?\n]{{0,60}}[.!?…]?\s*$"
)
"""The interviewer's closing thanks: "Xin cảm ơn ông!", "Trân trọng cảm ơn bà!"."""
_THANKS_MAX: Final = 120
_QUESTION_FIRST: Final = "-–—•*+TXxCcTtMm"
"""Unlabelled questions and thanks start with a bullet, "Thưa", "Xin", "Cảm/Cám", "Chân",
"Trân", "Một" (``question_shape`` looks no further on other paragraphs)."""

Shape = Literal["question", "thanks"]


def starts_with_interviewer(text: str) -> bool:
    """True when ``text`` opens with an interviewer marker ("P.V:", "PV:", "Hỏi:", ...)."""
    return text[:1] in _INTERVIEWER_FIRST and _INTERVIEWER.match(text) is not None


def question_shape(text: str) -> tuple[Shape, int] | None:
    """``(shape, body offset)`` when ``text`` is shaped like an unlabelled question, else None.

    A question opens with a bullet and ends with "?", opens with "Thưa <ông|bà|...>", or ends
    with ", thưa <ông|bà|...>?"; the closing thanks is "Xin cảm ơn ông!" and the like. The offset
    skips a leading bullet.

    >>> question_shape("- Thưa ông, kết quả ra sao?")
    ('question', 2)
    >>> question_shape("- Trồng 5 ha rừng.") is None
    True
    >>> question_shape("Xin cảm ơn ông!")
    ('thanks', 0)
    """
    if text[:1] not in _QUESTION_FIRST:
        if text[:1].isalnum() and "thưa" in text[-80:] and _THUA_END.search(text):
            return "question", 0
        return None
    bullet = _BULLETED.match(text)
    offset = bullet.end() if bullet else 0
    if _THUA.match(text) is not None:
        return "question", offset
    if (bullet is not None and _QUESTION_END.search(text) is not None) or _THUA_END.search(text):
        return "question", offset
    if len(text) <= _THANKS_MAX and _THANKS.match(text) is not None:
        return "thanks", offset
    return None


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker label as printed before the colon, split into name and title.

    ``label`` is None for a turn printed without a label; ``infer`` says the name must come
    from the article (an unlabelled answer, ``Đáp:``, a title-only label).
    """

    role: Role
    label: str | None
    name: str | None
    title: str | None
    infer: bool = False


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
    >>> speaker = parse_speaker("Đồng chí Chủ tịch UBND thị xã")
    >>> speaker.name, speaker.title, speaker.infer
    (None, 'Chủ tịch UBND thị xã', True)
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
        honorific, rest = strip_honorific(tokens)
        if honorific is not None and rest and starts_with_title(rest):
            return Speaker("interviewee", label, None, " ".join(rest), infer=True)
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


def find_marker(text: str, texts: Sequence[str] = ()) -> Marker | None:
    """The speaker label opening paragraph ``text`` (raw, stripped line content), if any.

    ``texts`` (the article's other texts) give a label printed in capitals its normal case.
    """
    match = _INTERVIEWER.match(text) if text[:1] in _INTERVIEWER_FIRST else None
    if match is not None:
        label = fold(match["label"])
        return Marker(Speaker("interviewer", label, None, None), match.end())
    if text.find(":", 0, _LABEL_REACH) < 0 and text.find("：", 0, _LABEL_REACH) < 0:
        return None
    answer = _ANSWER.match(text)
    if answer is not None:
        return Marker(Speaker("interviewee", answer["label"], None, None, True), answer.end())
    match = _LABEL.match(text)
    if match is None or not match["label"][:1].isupper():
        return None
    printed = fold(match["label"])
    if is_all_caps(printed):
        speaker = parse_speaker(recase(printed, texts))
        if speaker is not None:
            speaker = Speaker(speaker.role, printed, speaker.name, speaker.title, speaker.infer)
    else:
        speaker = parse_speaker(printed)
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
    *,
    head: Sequence[str] = (),
    texts: Sequence[str] = (),
) -> tuple[list[TurnDraft], list[str]]:
    """Group paragraphs ``(start, end, raw text, folded text)`` into turns; return them and
    warnings.

    ``head`` holds the headline and lede (the introduction, with the paragraphs before the first
    question); ``texts`` every text of the article (people named with their titles). Returns no
    turns for an article that is not an interview. Paragraphs before the first question or label
    belong to no turn. A turn whose label is followed by no text at all is dropped (with a
    warning) rather than invented.
    """
    labelled = any(starts_with_interviewer(text) for _, _, text, _ in paragraphs)
    shapes = [question_shape(text) for _, _, text, _ in paragraphs]
    if not labelled and not _unlabelled_interview(paragraphs, shapes):
        return [], []
    context = [*head, *(key for _, _, _, key in paragraphs), *texts]
    markers = [find_marker(text, context) for _, _, text, _ in paragraphs]
    warnings: list[str] = []
    if not labelled:
        count = sum(shape is not None and shape[0] == "question" for shape in shapes)
        warnings.append(
            f"interview inferred from {count} unlabelled questions "
            "(bulleted or addressed 'Thưa ...' paragraphs ending in an answer)"
        )
    drafts = _group(paragraphs, markers, shapes, labelled, warnings)
    first_question = next(
        (i for i, (m, q) in enumerate(zip(markers, shapes, strict=True)) if m or q), 0
    )
    intro = [*head, *(key for _, _, _, key in paragraphs[:first_question])]
    return _resolve_speakers(drafts, intro, context, warnings), warnings


def _unlabelled_interview(
    paragraphs: Sequence[tuple[int, int, str, str]], shapes: Sequence[tuple[Shape, int] | None]
) -> bool:
    """True when at least two unlabelled questions are each followed by an answer paragraph."""
    answered = 0
    for index, shape in enumerate(shapes):
        if shape is None or shape[0] != "question" or index + 1 >= len(shapes):
            continue
        following = paragraphs[index + 1][2]
        if shapes[index + 1] is None and not starts_with_interviewer(following):
            answered += 1
    return answered >= 2


def _group(
    paragraphs: Sequence[tuple[int, int, str, str]],
    markers: Sequence[Marker | None],
    shapes: Sequence[tuple[Shape, int] | None],
    labelled: bool,
    warnings: list[str],
) -> list[TurnDraft]:
    """The turns, in order: each question one paragraph, each answer the paragraphs after it."""
    drafts: list[TurnDraft] = []
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

    def open_turn(new: Speaker, start: int, end: int, text: str, offset: int) -> None:
        nonlocal speaker, ranges, texts
        close()
        speaker, ranges, texts = new, [], []
        body = text[offset:]
        if body.strip():
            lead = len(body) - len(body.lstrip())
            ranges.append((start + offset + lead, end))
            texts.append(fold(body))

    unlabelled_question = Speaker("interviewer", None, None, None)
    unlabelled_answer = Speaker("interviewee", None, None, None, infer=True)
    for (start, end, text, key), marker, shape in zip(paragraphs, markers, shapes, strict=True):
        if marker is not None:
            open_turn(marker.speaker, start, end, text, marker.body_offset)
        elif shape is not None and (not labelled or shape[0] == "thanks"):
            open_turn(unlabelled_question, start, end, text, shape[1])
        elif speaker is not None and speaker.role == "interviewer":
            open_turn(unlabelled_answer, start, end, text, 0)
        elif speaker is not None:
            ranges.append((start, end))
            texts.append(key)
    close()
    return drafts


def _resolve_speakers(
    drafts: list[TurnDraft], intro: Sequence[str], context: Sequence[str], warnings: list[str]
) -> list[TurnDraft]:
    """Name the speakers of unlabelled, ``Đáp:`` and title-only answers from the article."""
    if not any(draft.speaker.infer for draft in drafts):
        return drafts
    named = [d.speaker for d in drafts if d.speaker.role == "interviewee" and d.speaker.name]
    default: Person | None = None
    source = ""
    if named and len({s.name for s in named}) == 1:
        title = next((s.title for s in named if s.title), None)
        default, source = Person(named[0].name or "", title), "the labelled answers"
    else:
        default, source = interviewee_from_intro(intro), "the introduction"
    resolved: list[TurnDraft] = []
    for index, draft in enumerate(drafts):
        speaker = draft.speaker
        if speaker.infer:
            if speaker.title is not None:
                person = person_with_title(speaker.title, context)
                how = f"the article's {speaker.title!r}"
                title = speaker.title
            else:
                person, how = default, source
                title = default.title if default is not None else None
            if person is not None:
                speaker = Speaker(speaker.role, speaker.label, person.name, title)
                warnings.append(f"speaker of turn {index} inferred from {how}: {person.name}")
            else:
                speaker = Speaker(speaker.role, speaker.label, None, title)
                warnings.append(
                    f"speaker of turn {index} left null: {source if speaker.title is None else how}"
                    " names nobody or several people"
                )
            draft = TurnDraft(speaker, draft.ranges, draft.texts)
        resolved.append(draft)
    return resolved
