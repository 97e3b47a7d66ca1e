"""The optional sidecar ``<name>.meta.json``: facts about a page its text cannot give.

Keys: ``url`` (http(s) address), ``published_at`` (ISO date ``YYYY-MM-DD``; an ISO date-time
gives its date), ``source`` (publication domain). Any other key, a value of the wrong shape,
or a file that is not a JSON object is an :class:`ExtractionError` naming the sidecar file and
the field. So is a sidecar beyond the JSON limits of :mod:`kyanh_corpus.limits` (nesting deeper
than ``KYANH_CORPUS_MAX_JSON_DEPTH``, a string longer than ``KYANH_CORPUS_MAX_VALUE_CHARS``, an
integer of more than ``KYANH_CORPUS_MAX_INT_DIGITS`` digits) or with a key twice: found before
the text is parsed, without recursion, and reported with the line and the field. Values in the
messages are clipped (:func:`~kyanh_corpus.errors.clip`), never shown whole.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from ..errors import clip, cut
from ..limits import JsonLimitError, current, load_json
from .errors import ExtractionError

KEYS: Final = frozenset({"url", "published_at", "source"})
_URL: Final = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
_DOMAIN: Final = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
_ISO_DATE: Final = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


@dataclass(frozen=True, slots=True)
class Meta:
    """Validated sidecar values; a missing key (or JSON null) is None."""

    url: str | None = None
    published_at: date | None = None
    source: str | None = None


SIDECAR_SUFFIX = ".meta.json"


def sidecar_names(name: str) -> tuple[str, str]:
    """The file names a page's sidecar may have, in order: ``<stem>.meta.json``, then
    ``<name>.meta.json``.

    >>> sidecar_names("000_a.txt")
    ('000_a.meta.json', '000_a.txt.meta.json')
    """
    return Path(name).stem + SIDECAR_SUFFIX, name + SIDECAR_SUFFIX


def sidecar_path(path: str | os.PathLike[str]) -> Path | None:
    """The sidecar of raw file ``path`` if one exists (see :func:`sidecar_names`)."""
    raw = Path(path)
    for name in sidecar_names(raw.name):
        candidate = raw.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> Meta:
    """Read and validate the sidecar at ``path``; any problem is an :class:`ExtractionError`
    naming the sidecar (the JSON limits are those :func:`kyanh_corpus.limits.current` gives)."""
    where = str(path)
    limits = current()
    try:
        data = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExtractionError(f"sidecar is not UTF-8 at byte {error.start}", path=where) from None
    except OSError as error:
        raise ExtractionError(f"cannot read sidecar: {error.strerror}", path=where) from None
    try:
        meta = load_json(data, limits)
    except JsonLimitError as error:
        shown = f" (got {error.shown})" if error.shown is not None else ""
        raise ExtractionError(
            f"sidecar {error.field + ': ' if error.field else ''}{error.reason}{shown}",
            path=where,
            line=error.line,
            field=error.field,
        ) from None
    except json.JSONDecodeError as error:
        raise ExtractionError(
            f"sidecar is not JSON: {error.msg} (column {error.colno})",
            path=where,
            line=error.lineno,
        ) from None
    return validate_meta(meta, path=where)


def validate_meta(meta: object, *, path: str | None) -> Meta:
    """Check a parsed sidecar (a dict with only the known keys, each well-formed)."""
    if not isinstance(meta, dict):
        raise ExtractionError(
            f"sidecar must be a JSON object, not {type(meta).__name__}", path=path
        )
    problems: list[ExtractionError] = [
        ExtractionError(
            f"unknown sidecar key {clip(key, 40)} (allowed: {', '.join(sorted(KEYS))})",
            path=path,
            field=cut(key, 40),
        )
        for key in sorted(str(key) for key in meta if key not in KEYS)
    ]
    url = published_at = source = None
    try:
        url = _string(meta, "url", _URL, "an http(s) URL", path)
    except ExtractionError as error:
        problems.append(error)
    try:
        published_at = _date(meta, path)
    except ExtractionError as error:
        problems.append(error)
    try:
        source = _string(meta, "source", _DOMAIN, "a lowercase domain such as baohatinh.vn", path)
    except ExtractionError as error:
        problems.append(error)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        # every bad value at once, the first one's field named on the error
        raise ExtractionError(
            "; ".join(problem.reason for problem in problems),
            path=path,
            field=problems[0].field,
        )
    return Meta(url=url, published_at=published_at, source=source)


def _string(
    meta: dict[object, object], key: str, pattern: re.Pattern[str], what: str, path: str | None
) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ExtractionError(
            f"sidecar {key} must be {what}, got {clip(value)}", path=path, field=key
        )
    text = value.strip().lower() if key == "source" else value.strip()
    if not pattern.match(text):
        raise ExtractionError(
            f"sidecar {key} must be {what}, got {clip(value)}", path=path, field=key
        )
    return text


def _date(meta: dict[object, object], path: str | None) -> date | None:
    value = meta.get("published_at")
    if value is None:
        return None
    match = _ISO_DATE.match(value.strip()) if isinstance(value, str) else None
    if match is not None:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise ExtractionError(
        f"sidecar published_at must be a date YYYY-MM-DD (or an ISO date-time), got {clip(value)}",
        path=path,
        field="published_at",
    )
