"""Issuers: the bodies that issue Party and State documents, read with a gazetteer kept as data.

The gazetteer is ``issuers.tsv`` next to this module (its header explains the columns), loaded
once at import. A printed issuer is::

    [prefix] body [term]

where a *body* is a gazetteer name followed by what its row allows: a place ("Tỉnh ủy Hà
Tĩnh"), a level word and a place ("UBND tỉnh Hà Tĩnh", "Đảng ủy phường Kỳ Trinh"), or another
body (a board and the committee it belongs to: "Ban Tổ chức Thị ủy Kỳ Anh"); a *prefix* is
"BTV", "Ban Thường vụ", "BCH", "Thường trực"...; a *term* is "khóa XIII", "khoá XIII" or
"(khóa XIII)". Names match whatever their case, the dash printed, the spacing around
punctuation and the placement of the tone mark ("uỷ"/"ủy"), so the issuer ends where the
body's name ends: never inside it ("Ban Bí thư", "Bộ Tài chính"), never in the verb or the
subject after it ("ban hành", "về").

A place is the run of capitalised syllables after the level word or the committee, cut before a
person's name (:func:`~kyanh_corpus.extract.names.place_before_name`), before a word that cannot
start or continue a place ("Về", "Ban") and before another body. After a word printed in
capitals, a place in capitals is a known place, or else at most two words.

Text is expected in NFC, as :mod:`kyanh_corpus.extract.text` hands it over.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Final, NamedTuple

from .names import KNOWN_PLACES, is_name_syllable, place_before_name, word_list

__all__ = ["issuer_ending_at", "read_issuer"]

_KINDS: Final[frozenset[str]] = frozenset(
    {
        "prefix",
        "level",
        "party",
        "state",
        "front",
        "committee",
        "party-local",
        "state-local",
        "front-local",
        "board",
    }
)
"""The values of the gazetteer's ``kind`` column."""
_BODY_KINDS: Final = _KINDS - {"prefix", "level"}
_THEN_WORDS: Final = frozenset({"place", "level"})

_TOKEN: Final = re.compile(r"\s*([^\W_]+|\S)")
"""One token after optional whitespace: a run of letters and digits, or one other character."""
_TERM: Final = re.compile(
    r"\s*(?P<open>\(\s*)?(?i:kh(?:óa|oá))\s+(?P<n>[IVXLC]+|\d{1,3})(?!\w)(?(open)\s*\))"
)
"""A term after a body: "khóa XIII", "khoá XIII", "(khóa XIII)", "KHÓA XIII" (Roman numerals
in capitals, or a number)."""
_MAX_PLACE: Final = 7
_LOOKBACK: Final = 320
"""How far before ``end`` :func:`issuer_ending_at` looks for the start of an issuer."""
_DASHES: Final = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "ð": "đ"})
_TONE_AT_END: Final[dict[str, str]] = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
"""Old tone placement -> new, at the end of a syllable ("hoá" -> "hóa", "uỷ" -> "ủy")."""
_CENTRAL: Final = ("trung", "ương")
_CENTRAL_SHORT: Final[tuple[tuple[str, ...], ...]] = (("TW",), ("T", ".", "Ư"))
"""Printed short forms of "Trung ương" inside a name ("Ban Tổ chức TW", "UBKT T.Ư")."""
_NOT_PLACE: Final[frozenset[str]] = frozenset(
    word_list(
        """về và việc ngày số tháng khóa nhiệm ban hành quyết nghị dẫn chỉ kế hoạch báo của đã
    vừa mới tại theo trong lần thứ đến cho với các những phê duyệt triển khai thực hiện tổ chức
    lãnh đạo sự thị"""
    )
)
"""Words (keys) that neither start nor continue a place: a run of capitals stops before them."""


def _key(token: str) -> str:
    """The matching key of one token: casefolded, one dash, new tone placement.

    >>> _key("UỶ"), _key("Hoá"), _key("–")
    ('ủy', 'hóa', '-')
    """
    key = token.casefold().translate(_DASHES)
    return key[:-2] + _TONE_AT_END[key[-2:]] if key[-2:] in _TONE_AT_END else key


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    key: str
    word: bool


def _tokens(text: str, pos: int, stop: int) -> list[_Tok]:
    """Tokens of ``text`` from ``pos`` (which starts one, or whitespace before one), until
    :data:`_MAX_TOKENS` of them end past offset ``stop`` or the text ends."""
    toks: list[_Tok] = []
    after = 0
    while after < _MAX_TOKENS:
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        word = m.group(1)
        toks.append(_Tok(m.start(1), m.end(1), word, _key(word), word[0].isalnum()))
        pos = m.end()
        if pos > stop:
            after += 1
    return toks


@dataclass(frozen=True, slots=True)
class _Row:
    """One gazetteer row."""

    kind: str
    name: str
    variants: tuple[str, ...]
    then: tuple[str, ...]
    line: int


@dataclass(slots=True)
class _Node:
    """A trie node over token keys; ``entries`` are the rows whose printed form ends here, each
    with that form's tokens (their casing is the one a name printed in capitals gets)."""

    children: dict[str, _Node] = field(default_factory=dict)
    entries: list[tuple[_Row, tuple[str, ...]]] = field(default_factory=list)


def _forms(row: _Row) -> list[tuple[str, ...]]:
    """The printed forms of a row as token tuples, with "Trung ương" also as "TW" and "T.Ư"."""
    forms: list[tuple[str, ...]] = []
    for form in (row.name, *row.variants):
        tokens = tuple(m.group(1) for m in _TOKEN.finditer(form))
        forms.append(tokens)
        keys = [_key(t) for t in tokens]
        for i in range(len(keys) - 1):
            if tuple(keys[i : i + 2]) == _CENTRAL:
                forms.extend(tokens[:i] + short + tokens[i + 2 :] for short in _CENTRAL_SHORT)
    return forms


def _parse(text: str) -> list[_Row]:
    """The rows of a gazetteer file; ValueError names the line of a malformed row."""
    rows: list[_Row] = []
    for number, raw in enumerate(unicodedata.normalize("NFC", text).splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cols = [" ".join(col.split()) for col in raw.split("\t")]
        if len(cols) < 2 or len(cols) > 4:
            raise ValueError(f"issuers.tsv line {number}: expected 2-4 tab-separated columns")
        cols += [""] * (4 - len(cols))
        kind, name, variants, then = cols
        if kind not in _KINDS:
            raise ValueError(f"issuers.tsv line {number}: unknown kind {kind!r}")
        if not name:
            raise ValueError(f"issuers.tsv line {number}: empty name")
        options = tuple(o.strip() for o in then.split("|") if o.strip())
        for option in options:
            if option not in _THEN_WORDS and option not in _BODY_KINDS:
                raise ValueError(f"issuers.tsv line {number}: unknown 'then' {option!r}")
        if options and kind in ("prefix", "level"):
            raise ValueError(f"issuers.tsv line {number}: a {kind} takes no 'then'")
        forms = tuple(v.strip() for v in variants.split("|") if v.strip())
        rows.append(_Row(kind, name, forms, options, number))
    return rows


def _build(rows: list[_Row]) -> dict[str, _Node]:
    """One trie for prefixes, one for levels, one for bodies (every other kind).

    Two rows of one kind may not share a printed form (a data mistake): ValueError.
    """
    tries = {"prefix": _Node(), "level": _Node(), "body": _Node()}
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for row in rows:
        trie = tries.get(row.kind, tries["body"])
        for form in _forms(row):
            keys = tuple(_key(t) for t in form)
            if (row.kind, keys) in seen:
                raise ValueError(
                    f"issuers.tsv line {row.line}: {' '.join(form)!r} is already a {row.kind} "
                    f"form on line {seen[row.kind, keys]}"
                )
            seen[row.kind, keys] = row.line
            node = trie
            for key in keys:
                node = node.children.setdefault(key, _Node())
            node.entries.append((row, form))
    return tries


_ROWS: Final[tuple[_Row, ...]] = tuple(
    _parse((files(__package__ or "kyanh_corpus.extract") / "issuers.tsv").read_text("utf-8"))
)
"""The gazetteer's rows, in file order."""
_TRIES: Final = _build(list(_ROWS))


def _longest(kinds: frozenset[str]) -> int:
    return max(len(form) for row in _ROWS if row.kind in kinds for form in _forms(row))


_MAX_TOKENS: Final = (
    _longest(frozenset({"prefix"}))
    + _longest(frozenset({"board"}))
    + _longest(_BODY_KINDS - {"board"})
    + _longest(frozenset({"level"}))
    + _MAX_PLACE
    + 4
)
"""Tokens read after a start: as many as the longest issuer (prefix, board, body, level, place)
and what is looked at after it."""


def _walk(trie: _Node, toks: list[_Tok], i: int) -> list[tuple[int, _Row, tuple[str, ...]]]:
    """Every ``(next index, row, form)`` whose printed form is ``toks[i:next]``."""
    found: list[tuple[int, _Row, tuple[str, ...]]] = []
    node = trie
    j = i
    while j < len(toks):
        child = node.children.get(toks[j].key)
        if child is None:
            break
        node, j = child, j + 1
        found.extend((j, row, form) for row, form in node.entries)
    return found


def _case(printed: str, form: str) -> str:
    """A matched token as it comes out: as printed, unless printed in capitals where the
    gazetteer writes it otherwise ("BỘ" -> "Bộ", "ỦY" -> "ủy"; "UBND" stays)."""
    if any(c.islower() for c in printed) or not any(c.islower() for c in form):
        return printed
    lower = printed.lower()
    return lower[:1].upper() + lower[1:] if form[:1].isupper() else lower


def _in_capitals(token: str) -> bool:
    return token.isalpha() and token.isupper()


def _starts_body(toks: list[_Tok], i: int) -> bool:
    return bool(_walk(_TRIES["body"], toks, i))


def _place(toks: list[_Tok], i: int) -> tuple[int, tuple[str, ...]]:
    """The place printed at ``toks[i]``: (tokens used, as output); (0, ()) when none."""
    if i >= len(toks) or not toks[i].word:
        return 0, ()
    first = toks[i].text
    if first.isdigit() and len(first) <= 3:
        return 1, (first,)  # "phường 3", "quận 10"
    before = i - 1 if i and toks[i - 1].word else i - 2  # the word before "TP." is "TP"
    if before >= 0 and _in_capitals(toks[before].text) and _in_capitals(first) and len(first) > 1:
        return _place_in_capitals(toks, i)
    run: list[str] = []
    j = i
    while j < len(toks) and len(run) < _MAX_PLACE:
        tok = toks[j]
        if not is_name_syllable(tok.text) or tok.key in _NOT_PLACE or _starts_body(toks, j):
            break
        if j + 1 < len(toks) and (tok.key, toks[j + 1].key) == _CENTRAL:
            break
        run.append(tok.text)
        j += 1
    place = place_before_name(run)
    return len(place), place


def _place_in_capitals(toks: list[_Tok], i: int) -> tuple[int, tuple[str, ...]]:
    """A place printed in capitals: the longest known place, else at most two words."""
    words: list[str] = []
    j = i
    while j < len(toks) and len(words) < 4 and _in_capitals(toks[j].text):
        if toks[j].key in _NOT_PLACE or _starts_body(toks, j):
            break
        words.append(toks[j].text[0] + toks[j].text[1:].lower())
        j += 1
    for size in range(len(words), 0, -1):
        if " ".join(words[:size]) in KNOWN_PLACES:
            return size, tuple(words[:size])
    return min(2, len(words)), tuple(words[:2])


_Reading = tuple[int, tuple[str, ...]]
"""(index of the next token, the output of each token read)."""


def _bodies(toks: list[_Tok], i: int, kinds: frozenset[str], depth: int = 0) -> list[_Reading]:
    """Every reading of a body of one of ``kinds`` at ``toks[i]``, with what follows it."""
    readings: list[_Reading] = []
    for j, row, form in _walk(_TRIES["body"], toks, i):
        if row.kind not in kinds:
            continue
        name = tuple(_case(t.text, f) for t, f in zip(toks[i:j], form, strict=True))
        for k, rest in _after(row, toks, j, depth):
            readings.append((k, name + rest))
    return readings


def _after(row: _Row, toks: list[_Tok], j: int, depth: int) -> list[_Reading]:
    """What may follow ``row``'s name at ``toks[j]``: each option of its ``then`` column."""
    if not row.then:
        return [(j, ())]
    readings: list[_Reading] = []
    for option in row.then:
        if option == "place":
            n, place = _place(toks, j)
            readings.append((j + n, place))
        elif option == "level":
            readings.extend(_level_and_place(toks, j))
        elif depth < 2:
            readings.extend(_bodies(toks, j, frozenset({option}), depth + 1))
    return readings


def _level_and_place(toks: list[_Tok], j: int) -> list[_Reading]:
    """A level word then a place, each if printed.

    After a level printed with a dot ("TP.", "TX.") the place must be known or of two words or
    more: otherwise the dot is read as the end of a sentence and the level as unprinted.
    """
    readings: list[_Reading] = []
    for k, _row, form in _walk(_TRIES["level"], toks, j):
        n, place = _place(toks, k)
        if form[-1] == "." and n < 2 and " ".join(place) not in KNOWN_PLACES:
            continue  # "UBND TP. Sau đó": the dot may end the sentence, a word start the next
        level = tuple(_case(t.text, f) for t, f in zip(toks[j:k], form, strict=True))
        readings.append((k + n, level + place))
    if not readings:
        n, place = _place(toks, j)
        readings.append((j + n, place))
    return readings


def _readings(text: str, toks: list[_Tok], i: int) -> list[tuple[int, str]]:
    """Every ``(end offset, issuer)`` that can be read at ``toks[i]``."""
    if i >= len(toks) or not toks[i].word or not toks[i].text[0].isupper():
        return []
    starts: list[_Reading] = [(i, ())]
    for j, _row, form in _walk(_TRIES["prefix"], toks, i):
        starts.append((j, tuple(_case(t.text, f) for t, f in zip(toks[i:j], form, strict=True))))
    found: list[tuple[int, str]] = []
    for j, prefix in starts:
        for k, rest in _bodies(toks, j, _BODY_KINDS):
            issuer = _join(toks[i:k], prefix + rest)
            end = toks[k - 1].end
            found.append((end, issuer))
            term = _TERM.match(text, end)
            if term is not None:
                found.append((term.end(), f"{issuer} khóa {term['n']}"))
    return found


def _join(toks: list[_Tok], out: tuple[str, ...]) -> str:
    """The tokens' output, one space where the text has whitespace between them."""
    parts = [out[0]]
    for prev, tok, word in zip(toks, toks[1:], out[1:], strict=False):
        if tok.start > prev.end:
            parts.append(" ")
        parts.append(word)
    return "".join(parts)


def read_issuer(text: str, pos: int) -> tuple[str, int] | None:
    """The issuing body printed from ``text[pos]`` on, and the offset just after it.

    The longest reading wins; None when no gazetteer body starts at ``pos``.

    >>> read_issuer("Nghị quyết số 02-NQ/ThU của BTV Thị ủy Kỳ Anh về việc", 28)
    ('BTV Thị ủy Kỳ Anh', 45)
    >>> read_issuer("của UBND TỈNH HÀ TĨNH về việc", 4)
    ('UBND tỉnh Hà Tĩnh', 21)
    >>> read_issuer("của Ban Chấp hành Trung ương Đảng (khoá XIII) về", 4)
    ('Ban Chấp hành Trung ương Đảng khóa XIII', 45)
    >>> read_issuer("của Chính phủ ban hành", 4)
    ('Chính phủ', 13)
    >>> read_issuer("của thị xã", 4) is None
    True
    """
    if not 0 <= pos < len(text) or text[pos].isspace():
        return None
    toks = _tokens(text, pos, pos)
    best: tuple[str, int] | None = None
    for end, issuer in _readings(text, toks, 0):
        if best is None or end > best[1]:
            best = (issuer, end)
    return best


def issuer_ending_at(text: str, end: int, start: int = 0) -> tuple[str, int] | None:
    """The body whose printed name ends at ``end`` (spaces before ``end`` ignored) and begins at
    or after ``start``: ``(issuer, begin)``, the longest such body; None when there is none.

    >>> s = "Ngày 9/5/2022, BTV Huyện ủy Kỳ Anh đã ban hành Chỉ thị số 15-CT/HU"
    >>> issuer_ending_at(s, s.index(" đã"))
    ('BTV Huyện ủy Kỳ Anh', 15)
    >>> s = "Ngày 2/3, Thủ tướng Chính phủ ký ban hành Quyết định"
    >>> issuer_ending_at(s, s.index(" ký"))
    ('Thủ tướng Chính phủ', 10)
    """
    if not 0 <= start <= end <= len(text):
        return None
    while end > start and text[end - 1].isspace():
        end -= 1
    lo = max(start, end - _LOOKBACK)
    if lo > start and not text[lo - 1].isspace():
        while lo < end and not text[lo].isspace():
            lo += 1  # the window's first word may be cut: skip it
    toks = _tokens(text, lo, end)
    for i, tok in enumerate(toks):
        if tok.start >= end:
            break
        if not tok.word or (tok.start and text[tok.start - 1].isalnum()):
            continue
        for stop, issuer in _readings(text, toks, i):
            if stop == end:
                return issuer, tok.start
    return None
