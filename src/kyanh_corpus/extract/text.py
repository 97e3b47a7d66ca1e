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


def fold(text: str) -> str:
    """``text`` with every run of whitespace (no-break spaces included) made one space, stripped.

    >>> fold("  Nghị\\u00a0quyết   số 02 ")
    'Nghị quyết số 02'
    """
    if "  " not in text and text.isprintable():
        # Printable text holds no whitespace but the ASCII space (NBSP, tabs... are not printable).
        return text.strip()
    return " ".join(text.split())


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
    """The normalised source text of ``text``: BOM removed, CRLF/CR -> LF, NFC.

    Refuses (with :class:`ExtractionError`) control characters (binary content), lone surrogates
    and text that is evidently UTF-8 decoded as Latin-1 and encoded again.
    """
    if text.startswith(BOM):
        text = text[1:]
    suspect = _SUSPECT.search(text)  # one cheap scan; most pages have nothing to refuse
    if suspect is not None:
        _refuse_binary(text, suspect.start(), path)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        # normalize() returns ``text`` itself when its quick check proves it NFC already, so
        # asking is_normalized() first would only scan NFC text twice.
        text = unicodedata.normalize("NFC", text)
    if suspect is not None:
        _refuse_mojibake(text, path)
    return text


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
            if "  " in stripped or not stripped.isprintable():
                key = " ".join(stripped.split())
            else:
                key = stripped  # the common case, fold() inlined
            yield new_line(Line, (number, start, start + len(stripped), stripped, key))
        offset += len(raw) + 1
