"""Document citations: numbered Party and State documents and every place they are printed.

Party codes look like ``02-NQ/ThU`` (number-TYPE/ISSUER), State codes like ``36/2021/NQ-HĐND`` or
``1234/QĐ-UBND`` (number[/year]/TYPE-ISSUER); stray spaces around the separators are tolerated
and dropped from the canonical code. Ratios ("21/25 đảng bộ"), dates, quarters ("quý III/2024"),
measurements and year ranges ("2021-2025") have no TYPE/ISSUER letters and never match.

Facts printed right after a code are read in any order: the date ("ngày 3/2/2021", "ngày 5
tháng 12 năm 2019"), the issuer ("của BTV Thị ủy Kỳ Anh") and the subject ("về ..."). A short
form such as "Nghị quyết 02" is a mention when exactly one cited code in the article has that
type word and number.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from ..codes import (
    CODE,
    DOC_TYPE_PATTERN,
    ISSUER_CODE_PATTERN,
    TYPE_BEFORE,
    TYPE_NAMES,
    TYPE_WORDS,
    canonical_code,
    code_parts,
    is_generic,
)
from ..models import MentionFacts, Resolution, document_facts, slugify
from .document_ids import PlaceFinder, resolution_id
from .issuers import issuer_ending_at, read_issuer
from .letters import LOWER, UPPER
from .text import fold

_NUMBER: Final = r"\d{1,6}"
_TYPE_WORD: Final = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in TYPE_WORDS)
_AFTER_TYPE_WORD: Final = re.compile(
    rf"\s+(?:(?i:số)\s*:?\s*)?(?P<num>{_NUMBER})(?!\w)(?![.,/-]\d)(?!\s*[-/]\s*\w)"
)
"""What follows a type word in a short form: a number not continued by a date or code."""
_LOOKBEHIND: Final = 40
_SPACE_COLON: Final = " :\t\u00a0"
_TYPE_ENDINGS: Final = (*{w.split()[-1].casefold() for w in TYPE_WORDS}, "số", ")")
_NOT_BEFORE_CODE: Final = frozenset("_/.-")
_CODE_REACH: Final = 30  # a code's number starts at most this far before its first "/"
_NUMBER_BEFORE_SLASH: Final = re.compile(rf"(?<!\d){_NUMBER}\s*(?:-\s*{DOC_TYPE_PATTERN}\s*)?$")
"""The number a code starts with, when it ends right before a slash (window search)."""
_CODE_SLASH: Final = re.compile(
    rf"/(?=\s*(?:\d{{4}}\s*[/-]\s*)?(?:{DOC_TYPE_PATTERN}|{ISSUER_CODE_PATTERN}))"
)
"""A slash that can be the first one of a code: a type or issuer (maybe after a year) follows."""

_DATE: Final = re.compile(
    r"\s*,?\s*(?:(?i:ban\s+hành)\s+)?(?i:ngày)\s+(?:"
    r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})\s*,?\s+(?i:năm)\s+(?P<y2>\d{4})"
    r")(?!\d)"
)
_OPENING_DATE: Final = re.compile(
    r"(?i:ngày)\s+(?:"
    r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})\s*,?\s+(?i:năm)\s+(?P<y2>\d{4})"
    r")\s*,"
)
"""A date that opens a sentence: "Ngày 9/5/2022, ..."."""
_ISSUED_BY: Final = re.compile(
    r"\s+(?:(?i:đã|vừa|mới)\s+)?(?:(?i:chính\s+thức|ký)\s+)?(?i:ban\s+hành)\s+$"
)
"""The verb between an issuer and the type word: " đã ban hành ", " vừa ký ban hành "."""
_SENTENCE_BOUNDARY: Final = re.compile(r"[.!?…;:]\s+")
_OF: Final = re.compile(r"\s*,?\s*(?i:của)\s+")
_ABOUT: Final = re.compile(r"\s*,?\s*(?i:về)\s+")
_SENTENCE_END: Final = re.compile(r"\.\.\.|[.!?…;](?=\s|$)")
_NEXT_CITATION: Final = re.compile(
    rf"(?:\s+(?i:và|cùng)|\s*[,;])\s+(?=(?i:{_TYPE_WORD})\s+(?:(?i:số)\s*:?\s*)?\d"
    rf"|\d{{1,6}}\s*[-/]\s*(?:\d{{4}}\s*/\s*)?[A-ZĐ])"
)
_MAIN_CLAUSE: Final = re.compile(
    rf",\s+(?:[{UPPER}{LOWER}0-9]+\s+){{1,8}}?"
    r"(?:đã|đang|sẽ|vừa|tiếp\s+tục)\s"
)
"""The main clause after a subject: "về X, huyện đã ..." ends the subject at the comma."""
MAX_TITLE_CHARS: Final = 300
MAX_SENTENCE_CHARS: Final = 2000
"""Facts printed before a code are read in its sentence only, and only from a sentence that
starts at most this many characters before the code."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of article text: ``source[start:start + len(text)] == text``."""

    start: int
    text: str


@dataclass(slots=True)
class _Mention:
    """One printed occurrence and the facts printed with it (``Mention``'s fields)."""

    start: int
    end: int
    surface: str
    issued_on: date | None = None
    issuer: str | None = None
    title: str | None = None

    @property
    def facts(self) -> MentionFacts:
        return self.issued_on, self.issuer, self.title


@dataclass(slots=True)
class _Doc:
    """What the article says about one cited document, gathered mention by mention."""

    code: str
    system: Literal["party", "state"]
    number: str
    year: int | None
    doc_type: str | None
    issuer_code: str
    type_word: str | None = None
    mentions: list[_Mention] = field(default_factory=list)
    other_spellings: list[str] = field(default_factory=list)
    """Codes printed for this document that differ from ``code`` in more than case, though only
    in what its id ignores (``1234/QD-UBND`` for ``1234/QĐ-UBND``)."""


@dataclass(frozen=True, slots=True)
class _Hit:
    """One printed code or short form inside a segment (offsets relative to the segment).

    ``start`` includes the type word when one is printed right before the number; ``code`` is
    the match of the code itself (None for a short form, whose number is ``number``).
    """

    start: int
    end: int
    type_word: str | None
    code: re.Match[str] | None
    number: str


def find_resolutions(
    segments: Sequence[Segment], *, article_id: str
) -> tuple[list[Resolution], list[str]]:
    """The documents cited in ``segments`` (title, lede, paragraphs, captions), with mentions.

    Resolutions come in order of first mention; mentions in source order. Returns warnings for
    facts that were printed but unusable (an impossible date, a year out of range).
    """
    warnings: list[str] = []
    docs: dict[str, _Doc] = {}
    codes_by_segment = [_codes(segment.text) for segment in segments]
    for segment, codes in zip(segments, codes_by_segment, strict=True):
        for hit in codes:
            _record_full(segment, hit, docs, warnings)
    if not docs:
        return [], warnings
    by_short: dict[tuple[str, int], list[_Doc]] = {}
    for doc in docs.values():
        by_short.setdefault((_type_name(doc).casefold(), int(doc.number)), []).append(doc)
    words = {word for word, _ in by_short}
    joined = "\n".join(segment.text for segment in segments)
    for index, hit in _short_forms(segments, joined, words, codes_by_segment):
        assert hit.type_word is not None
        candidates = by_short.get((hit.type_word.casefold(), int(hit.number)), [])
        if len(candidates) == 1:
            _add_mention(candidates[0], segments[index], hit)
    places = PlaceFinder(joined)
    resolutions: list[Resolution] = []
    for doc in docs.values():
        documents = _resolutions(doc, article_id, places, warnings)
        resolutions.extend(documents)
        if doc.other_spellings:
            spellings = ", ".join(repr(code) for code in (doc.code, *doc.other_spellings))
            count = 1 + len(doc.other_spellings)
            warnings.append(
                f"{spellings}: one document ({documents[0].resolution_id}) printed {count} ways"
            )
    return resolutions, warnings


def _codes(text: str) -> list[_Hit]:
    """The printed codes in ``text``, in order, each with the type word printed before it.

    Every code holds a "/", and the number that starts a code stands right before its first
    slash (State: ``36/...``) or right before ``-TYPE/`` (Party: ``02-NQ/...``). So only that
    number is tried for each slash that a type or issuer follows (:data:`_CODE_SLASH`; dates
    and ratios are skipped by that one regex pass); text without slashes costs one ``in`` test.
    """
    hits: list[_Hit] = []
    if "/" not in text:
        return hits
    covered = 0
    for slash_match in _CODE_SLASH.finditer(text):
        slash = slash_match.start()
        if slash < covered:
            continue  # inside the code found last
        before = _NUMBER_BEFORE_SLASH.search(text, max(covered, slash - _CODE_REACH), slash)
        if before is not None:
            pos = before.start()
            previous = text[pos - 1] if pos else " "
            code = None
            if not (previous.isalnum() or previous in _NOT_BEFORE_CODE):
                code = CODE.match(text, pos)
            if code is not None:
                start, word = _type_word_before(text, pos)
                hits.append(_Hit(start, code.end(), word, code, code["pnum"] or code["snum"]))
                covered = code.end()
    return hits


def _short_forms(
    segments: Sequence[Segment],
    joined: str,
    words: set[str],
    codes_by_segment: list[list[_Hit]],
) -> list[tuple[int, _Hit]]:
    """``(segment index, hit)`` for every type word + bare number ("Nghị quyết 02") whose type
    word is in ``words`` (casefolded), outside the codes already found.

    ``joined`` is the segments' texts joined by "\\n". It is searched for the last syllable of
    each type word, as printed in lower case, upper case or capitalised; type words that end
    with the same syllable ("quyết định", "quy định") share those searches. So the cost is a
    few ``str.find`` scans per article.
    """
    by_last: dict[str, list[str]] = {}
    for word in words:
        by_last.setdefault(word.split()[-1], []).append(word)
    starts: list[int] = []
    offset = 0
    for segment in segments:
        starts.append(offset)
        offset += len(segment.text) + 1
    code_starts = [[code.start for code in codes] for codes in codes_by_segment]
    found_hits: list[tuple[int, _Hit]] = []
    for last, group in by_last.items():
        for variant in {last, last.upper(), last.capitalize()}:
            found = joined.find(variant)
            while found >= 0:
                hit = _short_form_at(joined, found + len(variant), group)
                found = joined.find(variant, found + 1)
                if hit is None:
                    continue
                index = bisect_right(starts, hit.start) - 1
                base = starts[index]
                if _inside_code(hit.end - base - 1, code_starts[index], codes_by_segment[index]):
                    continue
                local = _Hit(hit.start - base, hit.end - base, hit.type_word, None, hit.number)
                found_hits.append((index, local))
    return found_hits


def _inside_code(pos: int, starts: list[int], codes: list[_Hit]) -> bool:
    """True when offset ``pos`` lies inside one of ``codes`` (sorted; ``starts`` their starts)."""
    at = bisect_right(starts, pos) - 1
    return at >= 0 and pos < codes[at].end


def _short_form_at(text: str, pos: int, words: list[str]) -> _Hit | None:
    """The short form whose type word ends at ``pos`` and is one of ``words`` (casefolded)."""
    after = _AFTER_TYPE_WORD.match(text, pos)
    if after is None:
        return None
    number = after.start("num")
    start, printed = _type_word_before(text, number)
    if printed is None or printed.casefold() not in words:
        return None
    return _Hit(start, after.end(), printed, None, after["num"])


def _type_word_before(text: str, pos: int) -> tuple[int, str | None]:
    """(start, word) of a type word printed right before ``pos``; ``(pos, None)`` if none."""
    window_start = max(0, pos - _LOOKBEHIND)
    if not text[window_start:pos].rstrip(_SPACE_COLON).casefold().endswith(_TYPE_ENDINGS):
        return pos, None  # cheap test first: the word before is no type word nor "số"
    match = TYPE_BEFORE.search(text, window_start, pos)
    if match is None:
        return pos, None
    return match.start(), fold(match["tw"])


def _record_full(segment: Segment, hit: _Hit, docs: dict[str, _Doc], warnings: list[str]) -> None:
    """Add one printed code to ``docs`` with the facts printed after (and before) it."""
    m = hit.code
    assert m is not None
    parts = code_parts(m, hit.type_word)
    if parts is None:
        return
    system, number, year, doc_type, issuer_code = parts
    if doc_type is not None and hit.type_word is not None and is_generic(hit.type_word):
        # "Văn bản 1193-QĐ/TU": a generic word names no type; the code's type does.
        hit = _Hit(m.start(), hit.end, None, m, hit.number)
    if year is not None and not 1945 <= year <= 2100:
        warnings.append(f"ignored {fold(m.group())!r}: year {year} out of range")
        return
    code = canonical_code(system, number, doc_type, issuer_code, year)
    # Keyed as the id is made: codes that differ only in what the id ignores (case, "Đ" printed
    # "D") are one document, whose facts gather from every spelling; the first printed is kept.
    doc = docs.setdefault(slugify(code), _Doc(code, system, number, year, doc_type, issuer_code))
    if code.casefold() != doc.code.casefold() and code not in doc.other_spellings:
        doc.other_spellings.append(code)  # (case alone was never worth a warning)
    if hit.type_word is not None and doc.type_word is None:
        doc.type_word = hit.type_word[:1].upper() + hit.type_word[1:]
    mention = _add_mention(doc, segment, hit)
    _read_tail(segment.text, hit.end, doc.code, mention, warnings)
    if hit.type_word is not None:
        _read_head(segment.text, hit.start, doc.code, mention, warnings)


def _add_mention(doc: _Doc, segment: Segment, hit: _Hit) -> _Mention:
    start = segment.start + hit.start
    surface = fold(segment.text[hit.start : hit.end])
    mention = _Mention(start, segment.start + hit.end, surface)
    doc.mentions.append(mention)
    return mention


def _read_tail(text: str, pos: int, code: str, mention: _Mention, warnings: list[str]) -> None:
    """Read date, issuer and subject printed right after a code (any order, each once)."""
    seen_date = seen_issuer = False
    for _ in range(3):
        if not seen_date and (m := _DATE.match(text, pos)):
            seen_date, pos = True, m.end()
            mention.issued_on = _date_of(m, code, warnings)
            continue
        if not seen_issuer and (m := _OF.match(text, pos)):
            found = read_issuer(text, m.end())
            if found is None:
                return
            seen_issuer, pos = True, found[1]
            mention.issuer = found[0]
            continue
        if m := _ABOUT.match(text, pos):
            title = _read_title(text, m.end())
            if title is not None and title[0]:
                mention.title = title[1]
        return


def _date_of(m: re.Match[str], code: str, warnings: list[str]) -> date | None:
    """The date of a :data:`_DATE` or :data:`_OPENING_DATE` match; None (warned) if impossible."""
    day, month, year = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        warnings.append(f"ignored impossible date {fold(m.group())!r} for {code}")
        return None


def _read_head(text: str, start: int, code: str, mention: _Mention, warnings: list[str]) -> None:
    """Read the facts printed before a mention that starts at ``start``, in its sentence only.

    Only "<issuer> [đã|vừa|mới] [ký] ban hành <type word> <code>" says who issued the document
    (the body that ends right before the verb) and, when the sentence opens with "Ngày D/M/YYYY,",
    when. A fact this occurrence prints after the code is kept.
    """
    sentence = _sentence_start(text, start)
    if sentence is None:
        return  # a "sentence" longer than MAX_SENTENCE_CHARS: no facts read before the code
    verb = _ISSUED_BY.search(text, sentence, start)
    if verb is None:
        return
    if mention.issuer is None:
        found = issuer_ending_at(text, verb.start(), sentence)
        if found is not None:
            mention.issuer = found[0]
    if mention.issued_on is None and (m := _OPENING_DATE.match(text, sentence)):
        mention.issued_on = _date_of(m, code, warnings)


def _sentence_start(text: str, pos: int) -> int | None:
    """Where the sentence holding offset ``pos`` starts (after ". ", "; ", a label's ": ").

    None when it starts more than :data:`MAX_SENTENCE_CHARS` before ``pos``: only that much is
    read back (else every mention of a long run-on paragraph would read it all from its start,
    quadratic in the paragraph's length), and a start guessed inside it could put a date or an
    issuer that opens no sentence in front of the code.
    """
    low = max(0, pos - MAX_SENTENCE_CHARS)
    start = 0 if low == 0 else None
    for boundary in _SENTENCE_BOUNDARY.finditer(text, low, pos):
        start = boundary.end()
    return start


def _read_title(text: str, pos: int) -> tuple[bool, str] | None:
    """(clean, subject) from ``pos`` to the end of the subject; None when nothing is printed.

    The subject ends at a sentence end, at ";", at another citation joined by "và" or a comma
    (" và Quy định 1193-QĐ/TU"), at the main clause that follows it (", huyện đã ..."), or at
    the end of the line; those ends are clean. A subject
    longer than MAX_TITLE_CHARS is not.
    """
    end = min(len(text), pos + MAX_TITLE_CHARS + 1)  # a longer subject is not clean anyway
    sentence = _SENTENCE_END.search(text, pos, end)
    if sentence is not None:
        end = sentence.start()
    joined = _NEXT_CITATION.search(text, pos, end)
    if joined is not None:
        end = joined.start()
    clause = _MAIN_CLAUSE.search(text, pos, end)
    if clause is not None:
        end = clause.start()
    title = fold(text[pos:end]).rstrip(" ,;:-–—")
    if not title:
        return None
    return len(title) <= MAX_TITLE_CHARS, title


def _type_name(doc: _Doc) -> str:
    """The printed type word, else the name from the abbreviation table, else the abbreviation.

    (An untyped code is read only with its type word printed, so it always has one.)
    """
    abbreviation = doc.doc_type or ""
    return doc.type_word or TYPE_NAMES.get(abbreviation) or abbreviation


def _resolutions(
    doc: _Doc, article_id: str, places: PlaceFinder, warnings: list[str]
) -> list[Resolution]:
    """The document(s) behind one code in an article: one per year of issue its mentions print.

    A code whose numbering restarts (Party codes, State codes without a year) names one document
    per year: mentions dated in different years are different documents, and undated mentions
    join the dated one when there is exactly one, else stay a document of their own.
    """
    mentions = sorted(doc.mentions, key=lambda mention: mention.start)
    years = list(dict.fromkeys(m.issued_on.year for m in mentions if m.issued_on is not None))
    if doc.year is not None or len(years) <= 1:
        groups = [(years[0] if years and doc.year is None else None, mentions)]
    else:
        groups = [
            (year, [m for m in mentions if m.issued_on is not None and m.issued_on.year == year])
            for year in years
        ]
        undated = [m for m in mentions if m.issued_on is None]
        if undated:
            groups.append((None, undated))
        warnings.append(
            f"{doc.code} is printed with issue dates in {len(years)} different years: "
            f"{len(groups)} documents"
        )
    return [_resolution(doc, article_id, places, year, group) for year, group in groups]


def _resolution(
    doc: _Doc, article_id: str, places: PlaceFinder, year: int | None, mentions: list[_Mention]
) -> Resolution:
    issued_on, issuer, title = document_facts([m.facts for m in mentions])
    place = places.place(doc.issuer_code, issuer)
    return Resolution.model_validate(
        {
            "resolution_id": resolution_id(doc.code, place, year),
            "code": doc.code,
            "system": doc.system,
            "number": doc.number,
            "year": doc.year,
            "doc_type": doc.doc_type,
            "doc_type_name": _type_name(doc),
            "issuer_code": doc.issuer_code,
            "issuer": issuer,
            "issued_on": issued_on,
            "title": title,
            "mentions": [
                {
                    "article_id": article_id,
                    "surface": m.surface,
                    "span": {"start": m.start, "end": m.end},
                    "issued_on": m.issued_on,
                    "issuer": m.issuer,
                    "title": m.title,
                }
                for m in mentions
            ],
        }
    )
