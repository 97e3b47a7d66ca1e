"""The size limits on what the package reads: one place, each documented and overridable.

Hostile or broken input (a 50 MB page of one paragraph, a sidecar nested 100,000 levels deep,
a 5,000-digit number) must end in a clear, located error, not in a crash, a hang or gigabytes of
memory. Each limit has a default generous for real press pages and records, and an environment
variable that overrides it (read when :func:`current` is called, so it reaches the build's
worker processes too, which inherit the environment):

=================================  =========================================  =========
variable                           what it bounds                             default
=================================  =========================================  =========
``KYANH_CORPUS_MAX_PAGE_BYTES``    a raw page's size on disk                  8 MiB
``KYANH_CORPUS_MAX_JSON_DEPTH``    nesting of arrays and objects in a         64
                                   sidecar or a record
``KYANH_CORPUS_MAX_VALUE_CHARS``   characters of one string (key or value)    8 MiB
                                   in a sidecar or a record
``KYANH_CORPUS_MAX_INT_DIGITS``    digits of one integer in a sidecar or a    30
                                   record
=================================  =========================================  =========

The environment variables are the one way to change them, for every command and the library
alike (``build`` reads sidecars in worker processes; ``validate``'s ``--max-line-bytes`` is a
bound of its own streaming, not one of these). A value that is not a whole number of at least 1
is a usage error (exit code 2).

JSON (sidecars read by ``build``, records given to ``validate``) is read by :func:`load_json` /
checked by :func:`json_problem`: the text is scanned before it is parsed -- C-speed tests pass
nearly every ordinary text at once, and a text they flag is walked once, with its own stack (no
recursion), to the first problem -- so a sidecar nested 100,000 levels deep, a 100 MB string of
escapes or a 5,000-digit integer is a :class:`JsonLimitError` naming the line, the field path
and the limit (its environment variable), with the value clipped, in well under a second.
A key twice in one object is an error too (a JSON parser would keep one of them silently).
The value length default is the page size limit, as a page of that many bytes can give a text
(the ``sources`` record's ``text``) of as many characters. Two bounds come from Python itself:
nesting beyond :data:`PARSER_DEPTH` (500) and integers beyond Python's own digit limit (4,300)
are refused whatever the variables say, with a message saying so.

>>> limits = current({"KYANH_CORPUS_MAX_JSON_DEPTH": "10"})
>>> limits.max_json_depth, limits.max_page_bytes == DEFAULTS.max_page_bytes
(10, True)
>>> current({"KYANH_CORPUS_MAX_JSON_DEPTH": "ten"})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
kyanh_corpus.errors.UsageError: KYANH_CORPUS_MAX_JSON_DEPTH must be a whole number ..., not 'ten'
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

from .errors import VALUE_WIDTH, DataError, UsageError, clip, cut, field_path

__all__ = [
    "DEFAULTS",
    "ENVIRONMENT",
    "NOT_JSON",
    "JsonLimitError",
    "Limits",
    "current",
    "json_problem",
    "load_json",
    "parse_checked",
]


@dataclass(frozen=True)
class Limits:
    """The limits in force (see the module docstring)."""

    max_page_bytes: int = 8 * 1024 * 1024
    """Largest raw page, in bytes on disk; a larger page is a located error, not read."""
    max_json_depth: int = 64
    """Deepest nesting of JSON arrays and objects in a sidecar or a record."""
    max_value_chars: int = 8 * 1024 * 1024
    """Longest JSON string value in a sidecar or a record, in characters."""
    max_int_digits: int = 30
    """Most digits of one JSON integer in a sidecar or a record."""


DEFAULTS: Final = Limits()
"""The default limits."""

ENVIRONMENT: Final = {
    "max_page_bytes": "KYANH_CORPUS_MAX_PAGE_BYTES",
    "max_json_depth": "KYANH_CORPUS_MAX_JSON_DEPTH",
    "max_value_chars": "KYANH_CORPUS_MAX_VALUE_CHARS",
    "max_int_digits": "KYANH_CORPUS_MAX_INT_DIGITS",
}
"""The environment variable that overrides each limit."""


def current(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits in force: the defaults, overridden by the environment variables set.

    Raises :class:`~kyanh_corpus.errors.UsageError` for a value that is not a whole number of at
    least 1.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, int] = {}
    for item in fields(Limits):
        name = ENVIRONMENT[item.name]
        text = environ.get(name)
        if text is None or text == "":
            continue
        try:
            value = int(text.strip())
        except ValueError:
            value = 0
        if value < 1:
            raise UsageError(f"{name} must be a whole number of at least 1, not {text!r}")
        values[item.name] = value
    return Limits(**values) if values else DEFAULTS


# --------------------------------------------------------------------------- JSON


PARSER_DEPTH: Final = 500
"""Deepest nesting ever handed to :func:`json.loads`, whatever the limit says: Python's parser
recurses once per level (and raises ``RecursionError`` near 1,000)."""


class JsonLimitError(DataError):
    """A JSON text beyond a limit, or with a duplicate key: why, and where in the text.

    ``line`` is 1-based within the text checked, ``field`` the path of the offending value in the
    :func:`~kyanh_corpus.errors.field_path` style (None: the text itself), ``shown`` the start of
    the offending value, already clipped (never a whole value), ``limit`` which limit of
    :class:`Limits` was passed (``max_json_depth``...) or ``duplicate_key``.
    """

    def __init__(
        self, reason: str, *, line: int, field: str | None, shown: str | None, limit: str
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.field = field
        self.shown = shown
        self.limit = limit

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.reason, self.line, self.field, self.shown, self.limit))

    def describe(self) -> str:
        """``field: reason (got shown)``, the line left out (the caller knows the file)."""
        where = f"{self.field}: " if self.field else ""
        got = f" (got {self.shown})" if self.shown is not None else ""
        return f"{where}{self.reason}{got}"


def _rebuild(
    reason: str, line: int, field: str | None, shown: str | None, limit: str
) -> JsonLimitError:
    return JsonLimitError(reason, line=line, field=field, shown=shown, limit=limit)


def load_json(data: bytes | str, limits: Limits | None = None) -> Any:
    """:func:`json.loads` within the limits (None: :func:`current`), duplicate keys refused.

    Raises :class:`JsonLimitError` for nesting deeper than ``max_json_depth``, a string (key or
    value) longer than ``max_value_chars`` characters, an integer of more than ``max_int_digits``
    digits, or a key twice in one object -- found without recursion, before the text is parsed;
    ``ValueError`` (:class:`json.JSONDecodeError`) for a text that is not JSON.

    >>> load_json('{"a": [1, {"b": null}]}')
    {'a': [1, {'b': None}]}
    >>> load_json('{"a": 1,\\n "a": 2}')
    Traceback (most recent call last):
    ...
    kyanh_corpus.limits.JsonLimitError: duplicate key 'a' in one object
    >>> error = json_problem(b'{"a": [' + b'9' * 40 + b']}', Limits())
    >>> error.field, error.limit, error.shown
    ('a[0]', 'max_int_digits', '999999999999999999999999999999999999...')
    """
    limits = current() if limits is None else limits
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _suspect(raw, limits):
        found = _locate(raw, limits)
        if found is not None:
            raise found
    try:
        return json.loads(data, object_pairs_hook=_unique)
    except _DuplicateKey as duplicate:
        raise _locate(raw, limits) or _unlocated(duplicate.key) from None
    except RecursionError:  # not reached: the depth is checked first (a last guard)
        raise JsonLimitError(
            "nested too deep for the JSON parser",
            line=1,
            field=None,
            shown=None,
            limit="max_json_depth",
        ) from None


def json_problem(data: bytes, limits: Limits) -> JsonLimitError | None:
    """The first problem :func:`load_json` would raise for ``data``; None when there is none or
    when ``data`` is not JSON at all (the caller's parser reports that)."""
    return parse_checked(data, limits)[1]


_NOT_JSON: Final = object()
"""What :func:`parse_checked` gives for a text that is not JSON."""


def parse_checked(data: bytes, limits: Limits) -> tuple[Any, JsonLimitError | None]:
    """``(value, None)`` for JSON within the limits; ``(None, problem)`` for one beyond them or
    with a duplicate key; ``(NOT_JSON, None)`` for a text that is not JSON (the caller's parser
    reports that). One parse: ``validate`` validates the value it gives (``validate_python``)
    instead of parsing the text a second time."""
    try:
        return load_json(data, limits), None
    except JsonLimitError as error:
        # a value now, not an exception in flight: without its traceback, which held the
        # frames that raised it (one of them holding it back: a reference cycle per error)
        return None, error.with_traceback(None)
    except ValueError:
        return _NOT_JSON, None


NOT_JSON: Final = _NOT_JSON


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _unlocated(key: str) -> JsonLimitError:
    return JsonLimitError(
        f"duplicate key {clip(key, 40)} in one object",
        line=1,
        field=None,
        shown=None,
        limit="duplicate_key",
    )


def _depth_limit(limits: Limits) -> int:
    return min(limits.max_json_depth, PARSER_DEPTH)


def _digits_limit(limits: Limits) -> int:
    python = sys.get_int_max_str_digits()  # 0: no limit
    return min(limits.max_int_digits, python) if python else limits.max_int_digits


_ESCAPE: Final = re.compile(rb"\\.", re.S)
_STRING: Final = re.compile(rb'"[^"]*"')
_BRACKETS: Final = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
_NOT_BRACKET: Final = bytes(set(range(256)) - set(b"[{]}"))
_SKETCH: Final = bytes(
    48 if byte in b"0123456789" else 91 if byte in b"[{" else 32 for byte in range(256)
)
"""Digits to ``0``, opening brackets to ``[``, anything else to a space."""


def _suspect(raw: bytes, limits: Limits) -> bool:
    """Whether ``raw`` may break a limit: C-speed tests, exact enough to pass nearly every
    ordinary text (then :func:`_locate` decides)."""
    if len(raw) > limits.max_value_chars:  # a string never has more characters than bytes
        return True
    sketch = raw.translate(_SKETCH)
    if b"0" * (_digits_limit(limits) + 1) in sketch:
        return True
    depth = _depth_limit(limits)
    if sketch.count(b"[") <= depth:
        return False
    # the deepest nesting outside strings: escapes out, then strings, then brackets only
    brackets = _STRING.sub(b"", _ESCAPE.sub(b"", raw)).translate(_BRACKETS, _NOT_BRACKET)
    steps = map(operator.sub, brackets, itertools.repeat(1))
    return max(itertools.accumulate(steps), default=0) > depth


_TOKEN: Final = re.compile(rb'[\[\]{}",]|-?[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]*)?')


def _string_end(raw: bytes, start: int) -> int:
    """Index of the quote closing the string whose text starts at ``start``; -1 if none."""
    while True:
        end = raw.find(b'"', start)
        if end < 0:
            return -1
        # an even run of backslashes before the quote escapes itself, not the quote
        run = end - start - len(raw[start:end].rstrip(b"\\"))
        if run % 2 == 0:
            return end
        start = end + 1


def _key(body: bytes) -> str:
    try:
        key = json.loads(b'"' + body + b'"')
    except ValueError:
        return body.decode("utf-8", "replace")
    return key if isinstance(key, str) else body.decode("utf-8", "replace")


PATH_WIDTH: Final = 80
"""Most characters of a field path in a message (a path 64 levels deep is cut)."""


def _path(stack: list[list[Any]]) -> str | None:
    parts: list[int | str] = []
    for is_object, key, index, _keys in stack:
        if is_object:
            if key is not None:
                parts.append(cut(key, 40))
        else:
            parts.append(index)
    path = field_path(parts)
    return None if path is None else cut(path, PATH_WIDTH)


def _locate(raw: bytes, limits: Limits) -> JsonLimitError | None:
    """The first problem in ``raw``, found by one pass that keeps its own stack (no recursion);
    None when there is none (or when ``raw`` is not JSON in a way that hides it)."""
    depth = _depth_limit(limits)
    digits = _digits_limit(limits)
    chars = limits.max_value_chars
    stack: list[list[Any]] = []  # [is object, current key, current index, keys seen]
    pos = 0

    def error(at: int, reason: str, limit: str, shown: str | None) -> JsonLimitError:
        line = raw.count(b"\n", 0, at) + 1
        return JsonLimitError(reason, line=line, field=_path(stack), shown=shown, limit=limit)

    while True:
        match = _TOKEN.search(raw, pos)
        if match is None:
            return None
        at = match.start()
        char = raw[at]
        pos = match.end()
        frame = stack[-1] if stack else None
        if char == 0x22:  # "
            end = _string_end(raw, at + 1)
            if end < 0:
                return None
            pos = end + 1
            size = end - at - 1
            if size > chars and _characters(raw, at, end, chars) > chars:
                shown = _string_start(raw[at + 1 : at + 1 + 4 * VALUE_WIDTH])
                reason = (
                    f"a string longer than {chars:,} characters ({size:,} bytes; the limit is "
                    f"{ENVIRONMENT['max_value_chars']})"
                )
                return error(at, reason, "max_value_chars", shown)
            if frame is not None and frame[0] and frame[1] is None:  # a key
                key = _key(raw[at + 1 : end])
                if key in frame[3]:
                    frame[1] = key
                    return error(
                        at, f"duplicate key {clip(key, 40)} in one object", "duplicate_key", None
                    )
                frame[3].add(key)
                frame[1] = key
        elif char in b"[{":
            if len(stack) >= depth:
                why = "the limit is " + ENVIRONMENT["max_json_depth"]
                if depth < limits.max_json_depth:
                    why = "the most the JSON parser reads"
                reason = f"nested deeper than {depth:,} levels ({why})"
                return error(at, reason, "max_json_depth", None)
            stack.append([char == 0x7B, None, 0, set()])
        elif char in b"]}":
            if stack:
                stack.pop()
        elif char == 0x2C:  # ,
            if frame is not None:
                if frame[0]:
                    frame[1] = None
                else:
                    frame[2] += 1
        elif match.group(1) is None and match.group(2) is None:  # an integer
            count = pos - at - (raw[at] == 0x2D)
            if count > digits:
                why = "the limit is " + ENVIRONMENT["max_int_digits"]
                if digits < limits.max_int_digits:
                    why = "the most Python reads"
                reason = f"an integer of {count:,} digits, more than {digits:,} ({why})"
                shown = raw[at : at + 40].decode("ascii")
                return error(
                    at, reason, "max_int_digits", shown[:37] + "..." if count > 39 else shown
                )


def _string_start(body: bytes) -> str:
    """The start of a string value as text, clipped: decoded (``\\n`` shown as one
    character, as a value is shown), an escape or a character cut in half dropped."""
    for end in range(len(body), max(len(body) - 12, 0) - 1, -1):
        try:
            text = json.loads(b'"' + body[:end] + b'"')
        except ValueError:
            continue
        if isinstance(text, str):
            return clip(text)
    return clip(body.decode("utf-8", "replace"))


def _characters(raw: bytes, start: int, end: int, limit: int) -> int:
    """Characters of the string ``raw[start:end + 1]`` (quotes included) once decoded: its size
    when that is more than an escaped form of ``limit`` characters could take (12 bytes each,
    a surrogate pair), so a huge string is refused without decoding it."""
    size = end - start - 1
    if size > 12 * limit:
        return size
    try:
        text = json.loads(raw[start : end + 1])
    except ValueError:
        return size
    return len(text) if isinstance(text, str) else size
