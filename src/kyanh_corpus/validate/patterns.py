"""What each pattern of the models means, in words: a pattern error says what is expected.

Pydantic's message for a string that fails a pattern quotes the raw regular expression; a
``validate`` diagnostic says instead, in words, what the field expects (:func:`pattern_message`).
The table is keyed by the exact pattern strings of the models (as their JSON Schema lists them);
a test checks that every pattern there has its words.
"""

from __future__ import annotations

from typing import Final

from ..models import CODE_PATTERN, DOC_TYPE_PATTERN, ISSUER_CODE_PATTERN, NUMBER_PATTERN

PATTERN_WORDS: Final[dict[str, str]] = {
    r"\S": "text with at least one character that is not a space",
    r"^[a-z0-9-]{4,64}$": "lowercase letters, digits and '-', 4 to 64 characters",
    r"^[a-z0-9-]{3,96}$": "lowercase letters, digits and '-', 3 to 96 characters",
    r"^[0-9a-f]{64}$": "a SHA-256: 64 lowercase hexadecimal digits",
    r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$": (
        "a lowercase domain name such as baohatinh.vn (letters, digits and '-', in two or more "
        "parts joined by '.')"
    ),
    CODE_PATTERN: "a document code such as 02-NQ/ThU, 36/2021/NQ-HĐND or 2310/UBND-TH",
    f"^{NUMBER_PATTERN}$": "a document number: 1 to 6 digits (leading zeros kept)",
    f"^{DOC_TYPE_PATTERN}$": (
        "a document-type abbreviation such as NQ, QĐ or CTr: an uppercase letter, then up to "
        "5 letters"
    ),
    f"^{ISSUER_CODE_PATTERN}$": (
        "an issuer abbreviation such as ThU, HĐND or UBND-TH: up to 3 parts joined by '-', "
        "each an uppercase letter then up to 11 letters or digits"
    ),
}
"""Pattern string (as in the models) -> what it expects, in words."""


def pattern_message(pattern: str, fallback: str) -> str:
    """The message of a value that fails ``pattern``: "expected <words>", else ``fallback``.

    >>> pattern_message(r"^[0-9a-f]{64}$", "String should match pattern ...")
    'expected a SHA-256: 64 lowercase hexadecimal digits'
    """
    words = PATTERN_WORDS.get(pattern)
    return f"expected {words}" if words is not None else fallback
