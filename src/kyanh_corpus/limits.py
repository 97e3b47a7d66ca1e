"""The size limits on what the package reads: one place, each documented and overridable.

Hostile or broken input (a 50 MB page of one paragraph, a sidecar nested 100,000 levels deep,
a 5,000-digit number) must end in a clear, located error, not in a crash, a hang or gigabytes of
memory. Each limit has a default generous for real press pages and records, and an environment
variable that overrides it (read when :func:`current` is called, so it reaches the build's
worker processes too, which inherit the environment):

============================  ==============================================  ===============
limit                         what it bounds                                  default
============================  ==============================================  ===============
``KYANH_CORPUS_MAX_PAGE_BYTES``  a raw page's size on disk                    8 MiB
``KYANH_CORPUS_MAX_JSON_DEPTH``  nesting of arrays and objects in a sidecar
                                 or a record                                  64
``KYANH_CORPUS_MAX_VALUE_CHARS`` one string value in a sidecar or a record    2,000,000
``KYANH_CORPUS_MAX_INT_DIGITS``  digits of one integer in a sidecar or record  30
============================  ==============================================  ===============

>>> limits = current({"KYANH_CORPUS_MAX_JSON_DEPTH": "10"})
>>> limits.max_json_depth, limits.max_page_bytes == DEFAULTS.max_page_bytes
(10, True)
>>> current({"KYANH_CORPUS_MAX_JSON_DEPTH": "ten"})
Traceback (most recent call last):
...
kyanh_corpus.errors.UsageError: KYANH_CORPUS_MAX_JSON_DEPTH must be a whole number of at least 1, not 'ten'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final

from .errors import UsageError

__all__ = ["DEFAULTS", "ENVIRONMENT", "Limits", "current"]


@dataclass(frozen=True)
class Limits:
    """The limits in force (see the module docstring)."""

    max_page_bytes: int = 8 * 1024 * 1024
    """Largest raw page, in bytes on disk; a larger page is a located error, not read."""
    max_json_depth: int = 64
    """Deepest nesting of JSON arrays and objects in a sidecar or a record."""
    max_value_chars: int = 2_000_000
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
