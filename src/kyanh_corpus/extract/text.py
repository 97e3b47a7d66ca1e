"""Decoding, normalisation and whitespace folding: raw bytes -> the text every span indexes.

The normalised text (design.md, "Text normalisation") is: strict UTF-8 with a leading BOM
removed, CRLF and lone CR turned into LF, then NFC. Nothing is guessed: bytes that are not UTF-8,
binary content and double-encoded ("mojibake") text are refused with an :class:`ExtractionError`
that gives the byte offset and line.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from typing import Final, NamedTuple

from .errors import ExtractionError

BOM: Final = "\ufeff"

# C0 controls other than TAB, LF, VT, FF, CR, plus DEL: text files do not contain them.
_CONTROL: Final = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# UTF-8 Vietnamese decoded as Latin-1/cp1252 and encoded again ("Nghá»‹ quyáº¿t").
_MOJIBAKE: Final = re.compile(r"(?:[ÃÄÆ]|á[¸¹º»])[\x80-\xbf\u0152-\u2122]")
_MOJIBAKE_MIN: Final = 3
_MOJIBAKE_HINT: Final = re.compile("[ÃÄÆ¸¹º»]")  # never in Vietnamese; cheap to look for
# Every character normalise() may have to refuse: a control character, a mojibake hint or a
# surrogate (U+D800-U+DFFF; a lone one cannot be encoded as UTF-8). Text without any of them
# needs no further check, so a page costs one scan. (The range beyond Latin-1 also makes the
# compiled set a two-level table, which scans non-Latin-1 text faster than a 256-bit map.)
_SUSPECT: Final = re.compile("[\x00-\x08\x0e-\x1f\x7fÃÄÆ¸¹º»\ud800-\udfff]")
_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


_CHUNK: Final = 1 << 16
"""Long texts are folded and case-folded this many characters at a time: ``str.split()`` makes
one object per word (about 60 bytes each) and ``str.casefold()`` a buffer of 12 bytes per
character, so a 5 MB line done at once would take ten times its size (issue 13, item 4)."""
_SPACE: Final = re.compile(r"\s")


def fold(text: str) -> str:
    """``text`` with every run of whitespace (no-break spaces included) made one space, stripped.

    >>> fold("  Nghị\\u00a0quyết   số 02 ")
    'Nghị quyết số 02'
    """
    if "  " not in text and text.isprintable():
        # Printable text holds no whitespace but the ASCII space (NBSP, tabs... are not printable).
        return text.strip()
    if len(text) <= _CHUNK:
        return " ".join(text.split())
    return " ".join(_folded_pieces(text))


def _folded_pieces(text: str) -> Iterator[str]:
    """The folded pieces of a long ``text``, cut at whitespace about every ``_CHUNK`` characters
    (so no word is cut and joining them with one space is folding the whole)."""
    position, size = 0, len(text)
    while position < size:
        end = position + _CHUNK
        if end < size:
            space = _SPACE.search(text, end)
            end = space.start() if space is not None else size
        piece = " ".join(text[position:end].split())
        if piece:
            yield piece
        position = end


def caseless(text: str) -> str:
    """``text.casefold()``, done piecewise for a long text (case folding maps each character on
    its own, so the pieces fold to the same string, without the 12-bytes-a-character buffer)."""
    if len(text) <= _CHUNK:
        return text.casefold()
    return "".join(text[start : start + _CHUNK].casefold() for start in range(0, len(text), _CHUNK))


def decode(data: bytes, *, path: str | None = None) -> str:
    """Decode ``data`` as strict UTF-8, dropping one leading BOM.

    Raises :class:`ExtractionError` naming the byte offset (and line) of the first byte that is
    not UTF-8, or of the first NUL/control byte (binary content).
    """
    skipped = 0
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        skipped = len(codecs.BOM_UTF8)
    if data.startswith(_UTF16_BOMS):
        raise ExtractionError(
            "not UTF-8 at byte 0: the file starts with a UTF-16 byte-order mark",
            path=path,
            line=1,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ExtractionError(
            f"binary content, not text: NUL byte at byte {nul + skipped}",
            path=path,
            line=data.count(b"\n", 0, nul) + 1,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExtractionError(
            f"not UTF-8 at byte {error.start + skipped}",
            path=path,
            line=data.count(b"\n", 0, error.start) + 1,
        ) from None


def normalise(text: str, *, path: str | None = None) -> str:
    """The normalised source text of ``text``: BOM removed, CRLF/CR -> LF, invisible formatting
    characters removed (:data:`INVISIBLE`), NFC.

    Refuses (with :class:`ExtractionError`) control characters (binary content), lone surrogates
    and text that is evidently UTF-8 decoded as Latin-1 and encoded again.
    """
    return normalise_report(text, path=path)[0]


def normalise_report(text: str, *, path: str | None = None) -> tuple[str, list[str]]:
    """:func:`normalise`, and the warnings it has to give: one per line that held invisible
    characters (their number and code points), at most :data:`INVISIBLE_NOTES_MAX` of them."""
    if text.startswith(BOM):
        text = text[1:]
    suspect = _SUSPECT.search(text)  # one cheap scan; most pages have nothing to refuse
    if suspect is not None:
        _refuse_binary(text, suspect.start(), path)
    if "\r" in text:  # one replacement at a time: at most two copies of a long page at once
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
        if "\r" in text:
            text = text.replace("\r", "\n")
    notes: list[str] = []
    if not text.isascii():
        if _INVISIBLE_ANY.search(text) is not None:
            text, notes = _remove_invisible(text)  # before NFC: they may stand between letters
        # normalize() returns ``text`` itself when its quick check proves it NFC already, so
        # asking is_normalized() first would only scan NFC text twice.
        text = unicodedata.normalize("NFC", text)
    if suspect is not None:
        _refuse_mojibake(text, path)
    return text, notes


INVISIBLE: Final = (
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi
    "\u200b\u2060\ufeff\u00ad"  # zero width space, word joiner, zero width no-break space, SHY
)
"""Invisible formatting characters removed from the text wherever they stand: the bidi controls
(they can make a line display in another order than it is stored) and the zero-width characters
that only break words apart for a reader's eye (a soft hyphen included). Vietnamese text never
needs them. ZWNJ and ZWJ (U+200C, U+200D) are removed too where they touch Latin text
(:data:`LATIN_CONTEXT`), but kept between other characters: they join emoji sequences and are
part of the spelling of some scripts."""
INVISIBLE_NOTES_MAX: Final = 10
"""Lines named one by one in the warnings; the others are summed up in one more warning."""
_LATIN: Final = "\x00-\u024f\u0300-\u036f\u1e00-\u1eff"
LATIN_CONTEXT: Final = f"[{_LATIN}]"
"""Characters of Latin-script text (Vietnamese letters and their combining marks, ASCII)."""
_JOINERS: Final = "\u200c\u200d"
_ALL_INVISIBLE: Final = INVISIBLE + _JOINERS
_INVISIBLE_ANY: Final = re.compile(f"[{_ALL_INVISIBLE}]")
_INVISIBLE_RE: Final = re.compile(
    f"[{INVISIBLE}]|(?<![^{_LATIN}])[{_JOINERS}]|[{_JOINERS}](?![^{_LATIN}])"
)


def _remove_invisible(text: str) -> tuple[str, list[str]]:
    """``text`` without its invisible characters, and warnings naming the lines that held them.

    The text is done a piece at a time, cut where no joiner stands on either side of the cut (so
    each joiner sees its neighbours; a line feed counts as Latin context, as a line's start and
    end do), and each piece line by line, so a page full of them is not turned into a list of
    tiny strings whole."""
    notes = _InvisibleNotes()
    pieces: list[str] = []
    line = 1
    position, size = 0, len(text)
    while position < size:
        end = min(position + _CHUNK, size)
        while end < size and (text[end - 1] in _JOINERS or text[end] in _JOINERS):
            end += 1
        chunk = text[position:end]
        if _INVISIBLE_ANY.search(chunk) is None:
            pieces.append(chunk)
            line += chunk.count("\n")
        else:
            parts = chunk.split("\n")
            for index, part in enumerate(parts):
                if _INVISIBLE_ANY.search(part) is not None:
                    cleaned, count = _INVISIBLE_RE.subn("", part)
                    if count:
                        kinds = {c for c in _ALL_INVISIBLE if part.count(c) != cleaned.count(c)}
                        notes.add(line + index, count, kinds)
                        parts[index] = cleaned
            pieces.append("\n".join(parts))
            line += len(parts) - 1
        position = end
    return "".join(pieces), notes.lines()


class _InvisibleNotes:
    """The invisible characters removed, line by line: the first lines one by one, the rest
    summed up (so a page full of them gives a short report in little memory)."""

    def __init__(self) -> None:
        self.detail: dict[int, tuple[int, set[str]]] = {}
        self.more_characters = 0
        self.more_lines = 0
        self.last_line = 0

    def add(self, line: int, count: int, kinds: set[str]) -> None:
        if line in self.detail:  # a line cut between two pieces of the text
            before, seen = self.detail[line]
            self.detail[line] = (before + count, seen | kinds)
        elif len(self.detail) < INVISIBLE_NOTES_MAX:
            self.detail[line] = (count, set(kinds))
        else:
            self.more_characters += count
            self.more_lines += line != self.last_line
        self.last_line = line

    def lines(self) -> list[str]:
        notes = []
        for line, (count, kinds) in self.detail.items():
            names = ", ".join(f"U+{ord(c):04X}" for c in sorted(kinds)[:5])
            notes.append(
                f"line {line}: removed {count} invisible character{'s' if count > 1 else ''} "
                f"(bidi or zero-width: {names})"
            )
        if self.more_lines:
            notes.append(
                f"removed {self.more_characters} more invisible characters on "
                f"{self.more_lines} more lines"
            )
        return notes


def _refuse_binary(text: str, first_suspect: int, path: str | None) -> None:
    """Raise for the first control character of ``text``, else for its first lone surrogate.

    ``first_suspect`` is where ``_SUSPECT`` first matched: no control character or surrogate
    stands before it.
    """
    control = _CONTROL.search(text, first_suspect)
    if control is not None:
        offset = control.start()
        raise ExtractionError(
            f"binary content, not text: control character U+{ord(control.group()):04X} "
            f"at byte {len(text[:offset].encode('utf-8', 'surrogatepass'))}",
            path=path,
            line=text.count("\n", 0, offset) + 1,
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ExtractionError(
            f"not valid Unicode: lone surrogate at character {error.start}",
            path=path,
            line=text.count("\n", 0, error.start) + 1,
        ) from None


def _refuse_mojibake(text: str, path: str | None) -> None:
    """Raise when ``text`` holds several sequences typical of double-encoded UTF-8."""
    if _MOJIBAKE_HINT.search(text) is None:
        return
    hits = _MOJIBAKE.findall(text)
    if len(hits) >= _MOJIBAKE_MIN:
        first = _MOJIBAKE.search(text)
        line = text.count("\n", 0, first.start()) + 1 if first else None
        raise ExtractionError(
            "wrongly encoded: UTF-8 text that was decoded as Latin-1/cp1252 and saved again "
            f"(mojibake such as {hits[0]!r})",
            path=path,
            line=line,
        )


class Line(NamedTuple):
    """One non-blank line of the normalised text.

    ``start``/``end`` delimit the line content with leading and trailing whitespace stripped, so
    ``source[start:end] == text``; ``key`` is ``text`` whitespace-folded (the field text).
    """

    number: int
    start: int
    end: int
    text: str
    key: str


def iter_lines(text: str) -> Iterator[Line]:
    """Yield the non-blank lines of normalised ``text`` (split on LF only), numbered from 1."""
    new_line = tuple.__new__  # Line(...) runs a Python-level __new__; the tuple is the same
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            # str.strip returns the string itself when there is nothing to strip.
            start = offset if stripped is raw else offset + raw.index(stripped[0])
            # (the common case, printable text without double spaces, is its own key)
            simple = "  " not in stripped and stripped.isprintable()
            key = stripped if simple else fold(stripped)
            yield new_line(Line, (number, start, start + len(stripped), stripped, key))
        offset += len(raw) + 1
