"""Line classification: which line of a scraped page is headline, lede, photo or furniture.

Every non-blank line gets exactly one :class:`LineClass`. Site furniture (comment widget,
footer, related-news box, timestamps) is recognised by its pattern wherever it stands; the
headline by being repeated later as an image placeholder (else by being the first short line near
the top); captions by following a placeholder; the byline by its shape in the trailing block of
the page. Everything else is body text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .errors import ExtractionError
from .letters import LOWER, UPPER
from .names import word_list
from .text import Line, caseless, fold
from .turns import question_shape, starts_with_interviewer


class LineClass(StrEnum):
    """The role of one non-blank input line."""

    PREFIX_LEDE = "prefix-lede"
    HEADLINE = "headline"
    LEDE = "lede"
    LEDE_REPEAT = "lede-repeat"
    PLACEHOLDER = "placeholder"
    CAPTION = "caption"
    PARAGRAPH = "paragraph"
    BYLINE = "byline"
    RELATED_HEADER = "related-header"
    BOILERPLATE = "boilerplate"


HEADLINE_MAX_CHARS: Final = 250
"""A headline is at most this long (folded); longer lines are body text."""
HEAD_WINDOW: Final = 3
"""How many content lines after the optional prefix-lede may hold the headline."""
RELATED_MAX_ITEMS: Final = 6
"""At most this many link titles follow a related-news header."""
_FURNITURE_MAX_CHARS: Final = 200
_LOOSE_SLACK: Final = 4  # a lede printed again differs at most by its final dots

PREFIX: Final = re.compile(
    r"^\(\s*(?:"
    r"(?P<source>[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+)\s*\)(?:\s*[-–—]|\s*$)"
    rf"|(?P<tag>[{UPPER}][^()\d\n]{{1,29}}?)\s*\)\s*[-–—]"
    r")\s*(?P<rest>.*)$",
    re.S,
)
"""The source prefix of the lede line: ``(Baohatinh.vn) - <lede>`` (or an outlet's name,
``(Báo Hà Tĩnh) - <lede>``, which names no domain). One dash separates prefix and lede: a
line "(Baohatinh.vn)a - ..." or "(Baohatinh.vn): ..." is a damaged prefix, not a lede with the
debris of one (a domain alone on its line, "(Baohatinh.vn)", is a prefix without lede)."""

_TEMPLATE: Final = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_FURNITURE_WORDS: Final = frozenset(
    word_list(
        """trả lời|thích|gửi|gửi bình luận|bình luận|viết bình luận|ý kiến bạn đọc
    |gửi ý kiến|các tin đã đưa|tin đã đưa|thời tiết|địa phương|chia sẻ|in bài|in bài viết
    |lưu bài
    |về đầu trang|lên đầu trang|tin mới nhất|tin mới|đọc nhiều|đọc nhiều nhất|xem nhiều
    |tin cùng chuyên mục|tin nổi bật|tin khác|các tin khác|xem tiếp|đăng nhập|đăng ký
    |facebook|zalo|twitter|email|e-mail|print|quảng cáo|mới nhất|cũ nhất|hủy|huỷ|đóng
    |ý kiến của bạn|bình luận của bạn|họ tên|họ và tên|trang chủ|tắt [x]""",
        "|",
    )
)
_FURNITURE_WORD_MAX_CHARS: Final = max(len(word) for word in _FURNITURE_WORDS)
_FURNITURE: Final = re.compile(
    r"""^(?:
        \d+\s*bình\s+luận
      | (?:bình\s+luận|ý\s+kiến)\s*\(\s*\d+\s*\)
      | ý\s+kiến\s+của\s+bạn\s+sẽ\s+được\s+biên\s+tập\b.*
      | xem\s+thêm\b.{0,80}
      | hãy\s+chia\s+sẻ\s+(?:với\s+bạn\s+bè|bài\s+viết)\b.{0,20}
      | tắt\s*\[\s*x\s*\]
      | (?:(?:thứ\s+\w+|chủ\s+nhật)\s*,?\s*)?\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}
        (?:\s*[-,|]?\s*\d{1,2}\s*:\s*\d{2}(?:\s*:\s*\d{2})?)?(?:\s*\(?\s*GMT\s*\+\s*7\s*\)?)?
    )$""",
    re.I | re.X | re.S,
)
"""Furniture lines by their whole shape: comment counters, widget hints, "Xem thêm...", dates."""
_FURNITURE_FIRST_LETTERS: Final = "bBhHxXýÝ"
_FURNITURE_DATE_LETTERS: Final = "tTcC"
r"""Every alternative of ``_FURNITURE`` starts with a digit, one of ``_FURNITURE_FIRST_LETTERS``
("bình luận (3)", "ý kiến...", "hãy chia sẻ...", "xem thêm...") or one of
``_FURNITURE_DATE_LETTERS``; the last start a weekday before a date, which holds "/" ("Thứ hai,
12/3/2024", "Chủ nhật, ..."), or "Tắt [X]", which holds "[". Under ``re.I`` no other character
matches these letters and ``\d`` is exactly ``str.isdecimal`` (the tests check both)."""
_TYPE_WITH_DIACRITICS: Final = re.compile(
    r"^.{0,120}\bvui\s+lòng\s+gõ\s+tiếng\s+việt\s+có\s+dấu\b.*$", re.I | re.S
)
"""The comment form's hint "Vui lòng gõ tiếng Việt có dấu", up to 120 characters into a line
(the one furniture shape that need not stand at the start of the line, hence not a
``_FURNITURE`` alternative: that one is tried only on lines with a telling first character)."""
_WIDGET_ANCHOR_WORDS: Final = frozenset(
    word_list(
        """trả lời|gửi bình luận|bình luận|viết bình luận|ý kiến bạn đọc|gửi ý kiến
    |ý kiến của bạn|bình luận của bạn|họ tên|họ và tên|mới nhất|cũ nhất|tắt [x]""",
        "|",
    )
)
"""The furniture words of the comment widget itself (a subset of ``_FURNITURE_WORDS``)."""
_WIDGET_ANCHOR: Final = re.compile(
    r"^(?:\d+\s*bình\s+luận|(?:bình\s+luận|ý\s+kiến)\s*\(\s*\d+\s*\)"
    r"|ý\s+kiến\s+của\s+bạn\s+sẽ\s+được\s+biên\s+tập\b.*)$",
    re.I | re.S,
)
"""The comment widget's counters and its "your comment will be edited" hint."""
_WIDGET_WORDS: Final = re.compile(r"bình\s+luận|tắt\s*\[\s*x\s*\]", re.I)
_WIDGET_LINE_MAX_CHARS: Final = 40
_WIDGET_MARK: Final = re.compile(r"tắt\s*\[\s*x\s*\]|^\d+\s*bình\s+luận|\d+\s*bình\s+luận$", re.I)
"""The widget's close button "Tắt [X]" anywhere in a line, or its comment counter "0 bình luận"
at either end of one: furniture with stray text on one side, in a line of any furniture length
(prose never prints the button, and a count of comments does not open or close a sentence)."""
_RELATED_HEADER: Final = re.compile(
    r"^(?:tin|bài|tin\s*,\s*bài|tin\s+bài|bài\s+viết)\s+liên\s+quan\s*:?$", re.I
)
_RELATED_HEADER_FIRST_LETTERS: Final = "tTbB"
"""``_RELATED_HEADER`` matches only lines starting with one of these ("tin", "bài")."""
_NAME: Final = rf"[{UPPER}][{LOWER}]*(?:\s+[{UPPER}][{LOWER}]*){{1,4}}"
_NAME_SEPARATOR: Final = re.compile(r"\s*(?:[-–—,&]|\svà\s)\s*")
BYLINE: Final = re.compile(
    rf"^(?:(?:Bài\s*(?:,|và)\s*ảnh|Bài|Bài\s+viết)\s*:\s*)?"
    rf"(?P<names>{_NAME}(?:\s*(?:[-–—,&]|\svà\s)\s*{_NAME})*)"
    r"\s*(?:\(\s*(?P<role>[^()]{1,40}?)\s*\))?\s*\.?$"
)
"""A byline: one or more 2-5 syllable names, optionally a role in parentheses."""
_SENTENCE_END: Final = re.compile(r"[.!?…:;”\"]$")
_SENTENCE_STOP: Final = re.compile(r"[.…:;]$")


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of one line: ``source[start:end]`` is its raw text, ``text`` the folded text."""

    line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Layout:
    """The classes of a page's non-blank lines and what the head and byline say.

    ``classes[i]`` is the class of ``lines[i]``; ``headline`` indexes ``lines``; ``lede`` is the
    one printed copy of the lede (None when the page has none); ``authors`` are deduplicated in
    printed order. ``brief`` is True for a page whose only text is the headline and the lede:
    the lede is then the article's one body paragraph (design.md, "Briefs").
    """

    classes: tuple[LineClass, ...]
    headline: int
    lede: Segment | None
    source: str | None
    authors: tuple[str, ...]
    byline_role: str | None
    brief: bool = False
    notes: tuple[str, ...] = ()
    """Warnings about the classification (a damaged furniture line taken as furniture...)."""


def loose_key(text: str) -> str:
    """Comparison key for "the same line printed again": folded, caseless, no final dots."""
    return caseless(fold(text).rstrip(" .…"))


def furniture_class(line: Line) -> LineClass | None:
    """BOILERPLATE or RELATED_HEADER when ``line`` is site furniture by its pattern, else None.

    Most lines are body text, so each pattern is tried only on lines that pass a cheap test of
    their shape; every such gate is implied by the pattern (it skips only patterns that cannot
    match), so the class is the same as with every pattern tried on every line.
    """
    key = line.key
    if "{" in key and _TEMPLATE.search(key):
        return LineClass.BOILERPLATE  # an unfilled widget template: "{name} - {time}", "{body}"
    if len(key) > _FURNITURE_MAX_CHARS:
        return None
    # casefold() turns each character into one or more, none of them " " or ":" (the tests
    # check it), so the folded word is never shorter than the line without its final " :".
    if (
        len(key.rstrip(" :")) <= _FURNITURE_WORD_MAX_CHARS
        and key.casefold().rstrip(" :") in _FURNITURE_WORDS
    ):
        return LineClass.BOILERPLATE
    first = key[:1]  # a Line's key is never empty ("" would match no pattern anyway)
    if first in _FURNITURE_DATE_LETTERS:
        furniture_shaped = "/" in key or "[" in key
    else:
        furniture_shaped = first.isdecimal() or first in _FURNITURE_FIRST_LETTERS
    if furniture_shaped and _FURNITURE.match(key):
        return LineClass.BOILERPLATE
    # Under re.I only "õ"/"Õ" match the "õ" of "gõ", and only characters whose lower() is "g"
    # and "õ" match those letters (the tests check it): without "gõ" in the line's lower() there
    # is no hint. The "õ" test first spares lower() on most lines.
    if ("õ" in key or "Õ" in key) and "gõ" in key.lower() and _TYPE_WITH_DIACRITICS.match(key):
        return LineClass.BOILERPLATE
    # "bình luận" holds "ì" (under re.I only "ì" or "Ì" matches it), "tắt [x]" holds "[".
    if (
        len(key) <= _WIDGET_LINE_MAX_CHARS
        and ("ì" in key or "Ì" in key or "[" in key)
        and _WIDGET_WORDS.search(key)
    ):
        return LineClass.BOILERPLATE  # "0 bình luận", "Tắt [X]" with a stray character
    if ("ì" in key or "Ì" in key or "[" in key) and _WIDGET_MARK.search(key):
        return LineClass.BOILERPLATE  # "Ông Lê Văn A: 0 bình luận", "P.V: Tắt [X]"
    if first in _RELATED_HEADER_FIRST_LETTERS and _RELATED_HEADER.match(key):
        return LineClass.RELATED_HEADER
    return None


def widget_anchor(line: Line) -> bool:
    """True for a furniture line of the comment widget itself: an unfilled template
    ("{name} - {time}", "{body}"), "Trả lời", a comment counter ("0 bình luận"), "Tắt [X]" or
    the comment form's hints. These anchor the widget region at the foot of the page."""
    key = line.key
    if "{" in key and _TEMPLATE.search(key):
        return True
    if len(key) > _FURNITURE_MAX_CHARS:
        return False
    folded = key.casefold().rstrip(" :")
    return (
        folded in _WIDGET_ANCHOR_WORDS
        or _WIDGET_ANCHOR.match(key) is not None
        or _TYPE_WITH_DIACRITICS.match(key) is not None
        or (len(key) <= _WIDGET_LINE_MAX_CHARS and _WIDGET_WORDS.search(key) is not None)
        or _WIDGET_MARK.search(key) is not None
    )


def is_headline_like(line: Line) -> bool:
    """True for a line short enough to be a headline that is not an interview question."""
    return len(line.key) <= HEADLINE_MAX_CHARS and not starts_with_interviewer(line.text)


def _is_related_title(line: Line) -> bool:
    """True for a line shaped like a linked headline in a related-news box."""
    key = line.key
    return (
        len(key) <= HEADLINE_MAX_CHARS
        and key.count(" ") >= 2
        and not _SENTENCE_END.search(key)
        and not starts_with_interviewer(key)
        and BYLINE.match(key) is None
    )


def byline_authors(text: str) -> tuple[list[str], str | None]:
    """The names and role of a byline line ("Thu Trang (thực hiện)" -> ["Thu Trang"], role)."""
    match = BYLINE.match(fold(text))
    if match is None:
        return [], None
    names = [name for name in _NAME_SEPARATOR.split(match["names"]) if name]
    return names, match["role"]


class _Classifier:
    """One classification run over the non-blank lines of a page (see :func:`classify`)."""

    def __init__(self, lines: Sequence[Line], path: str | None) -> None:
        self.lines = lines
        self.path = path
        self.classes: list[LineClass | None] = [furniture_class(line) for line in lines]
        self.lede: Segment | None = None
        self.lede_key: str | None = None
        self.lede_text: str | None = None  # ``lede.text``: the lede folded
        self.source: str | None = None
        self.lede_after_headline = False
        self.notes: list[str] = []

    def run(self) -> Layout:
        content = [i for i, cls in enumerate(self.classes) if cls is None]
        if not content:
            raise ExtractionError("only site boilerplate, no article text", path=self.path)
        headline = self._head(content)
        self._repeats(content, headline)
        self._captions()
        self._related_titles()
        paragraph = LineClass.PARAGRAPH  # looked up once: enum class attributes are slow
        final = [paragraph if cls is None else cls for cls in self.classes]
        authors, role = self._tail(final, headline)
        brief = False
        if LineClass.PARAGRAPH not in final and self.lede_after_headline:
            # A page of headline and one more line: that line is the body, not a lede.
            assert self.lede is not None
            final[self.lede.line] = LineClass.PARAGRAPH
            self.lede = None
        elif LineClass.PARAGRAPH not in final and self.lede is not None:
            brief = True  # a brief: headline and lede only; the lede is the one paragraph
        if LineClass.PARAGRAPH not in final and not brief:
            raise ExtractionError(
                "no body paragraphs: nothing but headline, lede, photos and furniture",
                path=self.path,
                line=self.lines[headline].number,
            )
        return Layout(
            tuple(final),
            headline,
            self.lede,
            self.source,
            tuple(authors),
            role,
            brief,
            tuple(self.notes),
        )

    def _set_lede(self, index: int, start: int, text: str) -> None:
        line = self.lines[index]
        self.lede = Segment(index, start, line.end, fold(text))
        self.lede_key = loose_key(text)
        self.lede_text = self.lede.text

    def _is_lede_repeat(self, index: int) -> bool:
        """True when line ``index`` is the lede printed again (whitespace, case, final dots)."""
        if self.lede_key is None:
            return False
        key = self.lines[index].key
        if abs(len(key) - len(self.lede_key)) > _LOOSE_SLACK:
            return False
        # The lede printed again verbatim, the common case, needs no caseless key: the lede's
        # key is loose_key(t), lede_text is fold(t), and loose_key(fold(t)) == loose_key(t).
        return key == self.lede_text or loose_key(key) == self.lede_key

    def _head(self, content: list[int]) -> int:
        """Classify prefix-lede, lede, headline and the lede-repeat; return the headline index."""
        lines, classes = self.lines, self.classes
        last_seen = {lines[index].key: index for index in content}  # the last copy wins
        found = self._find_prefix(content)
        pos = 0
        above: int | None = None
        if found is not None:
            pos, prefix = found
            after = content[pos + 1 : pos + 1 + HEAD_WINDOW]
            above = self._above_prefix(content[:pos], after, last_seen)
            first = content[pos]
            if prefix["source"]:
                self.source = prefix["source"].lower()
            pos += 1
            if prefix["rest"].strip():
                classes[first] = LineClass.PREFIX_LEDE
                self._set_lede(first, lines[first].start + prefix.start("rest"), prefix["rest"])
            else:
                classes[first] = LineClass.BOILERPLATE
        elif len(content) >= 3 and self._lede_headline_lede(content):
            lede, headline, repeat = content[:3]
            classes[lede], classes[headline] = LineClass.LEDE, LineClass.HEADLINE
            classes[repeat] = LineClass.LEDE_REPEAT
            self._set_lede(lede, lines[lede].start, lines[lede].text)
            return headline
        if above is not None:
            classes[above] = LineClass.HEADLINE
            return above
        headline = self._pick_headline(content, pos, last_seen)
        for index in content[pos:]:
            if index == headline:
                break
            if self._is_lede_repeat(index):
                classes[index] = LineClass.LEDE_REPEAT
            elif self.lede is None:
                classes[index] = LineClass.LEDE
                self._set_lede(index, lines[index].start, lines[index].text)
        classes[headline] = LineClass.HEADLINE
        if found is None and self.lede is None:
            self._lede_after(content, headline)
        return headline

    def _find_prefix(self, content: list[int]) -> tuple[int, re.Match[str]] | None:
        """(position in ``content``, match) of the source-prefixed lede near the top, if any."""
        for position, index in enumerate(content[:HEAD_WINDOW]):
            match = PREFIX.match(self.lines[index].text)
            if match is not None and (match["source"] or match["rest"].strip()):
                return position, match
        return None

    def _above_prefix(
        self, above: list[int], after: list[int], last_seen: dict[str, int]
    ) -> int | None:
        """Lines printed above the prefixed lede: one of them is the headline when it is
        repeated later as a photo placeholder, or when it reads like a headline (four words or
        more) and nothing right after the lede is repeated; the rest is site navigation."""
        repeated = [i for i in above if last_seen[self.lines[i].key] > i]
        headline = next((i for i in repeated if is_headline_like(self.lines[i])), None)
        if headline is None and not any(last_seen[self.lines[i].key] > i for i in after):
            worded = [
                i
                for i in above
                if is_headline_like(self.lines[i]) and self.lines[i].key.count(" ") >= 3
            ]
            headline = worded[-1] if worded else None
        for index in above:
            if index != headline:
                self.classes[index] = LineClass.BOILERPLATE
        return headline

    def _lede_after(self, content: list[int], headline: int) -> None:
        """Without a source prefix, the line after the headline is the lede (the sapo).

        Not when that line is the headline again (a photo), an interview question or a line
        already classified.
        """
        position = content.index(headline) + 1
        if position >= len(content):
            return
        index = content[position]
        line = self.lines[index]
        if (
            self.classes[index] is None
            and line.key != self.lines[headline].key
            and not starts_with_interviewer(line.text)
        ):
            self.classes[index] = LineClass.LEDE
            self._set_lede(index, line.start, line.text)
            self.lede_after_headline = True

    def _lede_headline_lede(self, content: list[int]) -> bool:
        """True for the shape lede / headline / lede printed again.

        The shape A / B / A is also headline / lede / photo placeholder. A is the lede when it
        is printed exactly twice and either ends like a sentence while B does not ("...", "."),
        or, when the endings do not tell, B is printed again later (as placeholders) or is
        shorter than A.
        """
        lede, headline, repeat = (self.lines[i] for i in content[:3])
        if abs(len(lede.key) - len(repeat.key)) > _LOOSE_SLACK:
            return False  # (loose_key() of a long line is a copy of it, not worth making)
        if loose_key(lede.key) != loose_key(repeat.key) or lede.key == headline.key:
            return False
        if not is_headline_like(headline):
            return False
        keys = [self.lines[i].key for i in content]
        copies = keys.count(lede.key)
        if repeat.key != lede.key:
            copies += keys.count(repeat.key)
        if copies != 2:
            return False
        lede_stops = _SENTENCE_STOP.search(lede.key) is not None
        headline_stops = _SENTENCE_STOP.search(headline.key) is not None
        if lede_stops != headline_stops:
            return lede_stops
        return keys.count(headline.key) >= 2 or len(headline.key) < len(lede.key)

    def _pick_headline(self, content: list[int], pos: int, last_seen: dict[str, int]) -> int:
        """The headline among the first short lines after ``pos``, by the strongest evidence:

        1. the line right before the lede printed again (``(Baohatinh.vn) - lede``, headline,
           lede);
        2. the first line printed again later as a photo placeholder that does not end like a
           sentence (a body paragraph printed twice ends with a full stop; headlines do not);
        3. the first line that does not end like a sentence;
        4. the first short line.
        """
        window = [
            i
            for i in content[pos : pos + HEAD_WINDOW + 1]
            if not self._is_lede_repeat(i) and is_headline_like(self.lines[i])
        ][:HEAD_WINDOW]
        for index in window:
            position = content.index(index) + 1  # near the top: a short search
            if position < len(content) and self._is_lede_repeat(content[position]):
                return index
        unfinished = [i for i in window if not _SENTENCE_STOP.search(self.lines[i].key)]
        for index in unfinished:
            if last_seen[self.lines[index].key] > index:
                return index
        if unfinished:
            return unfinished[0]
        if window:
            return window[0]
        if pos >= len(content):
            raise ExtractionError(
                "no headline found: nothing follows the lede",
                path=self.path,
                line=self.lines[content[-1]].number,
            )
        raise ExtractionError(
            f"no headline found: no line near the top is {HEADLINE_MAX_CHARS} characters or "
            "shorter and not an interview question",
            path=self.path,
            line=self.lines[content[pos]].number,
        )

    def _repeats(self, content: list[int], headline: int) -> None:
        """Placeholders (the headline again) and further copies of the lede."""
        key = self.lines[headline].key
        for index in content:
            if index <= headline or self.classes[index] is not None:
                continue
            if self.lines[index].key == key:
                self.classes[index] = LineClass.PLACEHOLDER
            elif self._is_lede_repeat(index):
                self.classes[index] = LineClass.LEDE_REPEAT

    def _captions(self) -> None:
        """The line right after a placeholder is its photo caption (unless it is a question)."""
        last = len(self.classes) - 1
        placeholder = LineClass.PLACEHOLDER  # looked up once: enum class attributes are slow
        placeholders = [i for i, cls in enumerate(self.classes) if cls is placeholder]
        for index in placeholders:  # (captions are set below, placeholders are not)
            nxt = index + 1
            if (
                index < last
                and self.classes[nxt] is None
                and not starts_with_interviewer(self.lines[nxt].text)
                and question_shape(self.lines[nxt].text) is None
            ):
                self.classes[nxt] = LineClass.CAPTION

    def _related_titles(self) -> None:
        """Link titles right after a related-news header are furniture, not body text."""
        header = LineClass.RELATED_HEADER  # looked up once: enum class attributes are slow
        headers = [i for i, cls in enumerate(self.classes) if cls is header]
        for index in headers:  # (link titles become BOILERPLATE, never a header)
            for nxt in range(index + 1, min(index + 1 + RELATED_MAX_ITEMS, len(self.lines))):
                if self.classes[nxt] is not None or not _is_related_title(self.lines[nxt]):
                    break
                self.classes[nxt] = LineClass.BOILERPLATE

    def _tail(self, final: list[LineClass], headline: int) -> tuple[list[str], str | None]:
        """Find the byline in the trailing block of the page; collect authors and role.

        The block is read from the end: site furniture is passed over, byline-shaped lines are
        bylines, and the first other line ends it. A byline is found by its own shape and place,
        not by what follows it: one line the furniture patterns do not recognise (a comment-widget
        line damaged by the scrape) does not end the block when it stands between two furniture
        lines (or between a furniture line and the end of the page). Such a line is site furniture
        when a byline stands above it or the furniture around it holds a comment-widget anchor
        (:func:`widget_anchor`); a note says so. Otherwise it stays body text, and the block ends
        there as before (no byline is looked for above a line that may be the article's last).

        A byline-shaped line below a comment-widget anchor ("Trả Ơlời", "Địa Anphương": a damaged
        furniture line, or a commenter's name) is not a byline: the byline precedes the widget.
        """
        furniture = (LineClass.BOILERPLATE, LineClass.RELATED_HEADER)
        boilerplate = LineClass.BOILERPLATE
        paragraph = LineClass.PARAGRAPH
        bylines: list[int] = []
        strays: list[int] = []
        last = len(final) - 1
        for index in range(last, headline, -1):
            cls = final[index]
            if cls in furniture:
                continue
            if cls is not paragraph:
                break
            if BYLINE.match(self.lines[index].key) and not self._anchor_above(final, index):
                bylines.append(index)
                continue
            if (
                not bylines
                and final[index - 1] is boilerplate
                and (index == last or final[index + 1] is boilerplate)
            ):
                strays.append(index)
                continue
            break
        if strays and not bylines:
            strays = [index for index in strays if self._in_widget(final, index)]
        for index in reversed(strays):
            final[index] = boilerplate
            self.notes.append(
                f"line {self.lines[index].number}: an unrecognised line inside the page's "
                "trailing furniture (comment widget) was treated as site furniture"
            )
        authors: list[str] = []
        role: str | None = None
        for index in reversed(bylines):
            final[index] = LineClass.BYLINE
            names, line_role = byline_authors(self.lines[index].key)
            authors.extend(name for name in names if name not in authors)
            role = role or line_role
        return authors, role

    def _anchor_above(self, final: list[LineClass], index: int) -> bool:
        """True when the furniture lines right above line ``index`` hold a widget anchor."""
        furniture = (LineClass.BOILERPLATE, LineClass.RELATED_HEADER)
        before = index - 1
        while before >= 0 and final[before] in furniture:
            if widget_anchor(self.lines[before]):
                return True
            before -= 1
        return False

    def _in_widget(self, final: list[LineClass], index: int) -> bool:
        """True when the furniture lines right around line ``index`` hold a widget anchor."""
        if self._anchor_above(final, index):
            return True
        furniture = (LineClass.BOILERPLATE, LineClass.RELATED_HEADER)
        after = index + 1
        while after < len(final) and final[after] in furniture:
            if widget_anchor(self.lines[after]):
                return True
            after += 1
        return False


def classify(lines: Sequence[Line], *, path: str | None) -> Layout:
    """Classify every non-blank line of a page.

    Raises :class:`ExtractionError` when the page has no lines, only furniture, no headline or
    no body paragraph.
    """
    if not lines:
        raise ExtractionError("no text: the file is empty or whitespace only", path=path)
    return _Classifier(lines, path).run()
