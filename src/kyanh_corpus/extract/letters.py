"""Character classes for Vietnamese letters, for use inside regular expressions.

Python's ``re`` has no ``\\p{Lu}``; these strings list the Latin letters Vietnamese uses (basic
Latin, Latin-1, Latin Extended-A/B and the Vietnamese block U+1EA0-U+1EF9), split by case.
"""

from __future__ import annotations

from typing import Final

_LATIN: Final = [
    *range(0x41, 0x5B),
    *range(0x61, 0x7B),
    *range(0xC0, 0x250),
    *range(0x1E00, 0x1F00),
]

UPPER: Final = "".join(chr(c) for c in _LATIN if chr(c).isupper())
"""Upper-case Latin letters (A-Z, Đ, Ơ, Ư, Ả, Ẫ...), as a character-class body."""

LOWER: Final = "".join(chr(c) for c in _LATIN if chr(c).islower())
"""Lower-case Latin letters (a-z, đ, ơ, ư, ả, ẫ...), as a character-class body."""
