"""Article identity: an id derived from the normalised headline and lede only.

The same page saved under another name, as NFD, with CRLF or a BOM gets the same id, because the
id is computed from NFC, whitespace-folded content (design.md, "Article identity").
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import Final

from ..models import slugify
from .text import fold

SLUG_MAX: Final = 40
HASH_HEX: Final = 12
_CHUNK: Final = 1 << 16


def content_hash(title: str, lede: str | None) -> str:
    """First 12 hex digits of sha256 of ``title + "\\n" + lede`` (NFC, whitespace-folded)."""
    # NFC(a + "\n" + b) == NFC(a) + "\n" + NFC(b): a line feed composes with nothing. The
    # parts are hashed a piece at a time, so a long lede is not copied whole (issue 13, item 4).
    digest = hashlib.sha256()
    for index, part in enumerate((title, lede or "")):
        if index:
            digest.update(b"\n")
        text = unicodedata.normalize("NFC", fold(part))
        for start in range(0, len(text), _CHUNK):
            digest.update(text[start : start + _CHUNK].encode("utf-8"))
    return digest.hexdigest()[:HASH_HEX]


def headline_slug(title: str) -> str:
    """Slug of the headline, cut at a hyphen to at most 40 characters.

    >>> headline_slug("Nâng cao chất lượng sinh hoạt chi bộ, tạo cơ sở vững chắc")
    'nang-cao-chat-luong-sinh-hoat-chi-bo-tao'
    """
    slug = slugify(unicodedata.normalize("NFC", title))
    if len(slug) <= SLUG_MAX:
        return slug
    cut = slug.rfind("-", 0, SLUG_MAX + 1)
    return (slug[:cut] if cut > 0 else slug[:SLUG_MAX]).strip("-")


def article_id(title: str, lede: str | None) -> str:
    """``<headline slug>-<content hash>``; just the hash when the headline has no ASCII letters.

    >>> article_id("Xin chào", None)[:9]
    'xin-chao-'
    """
    slug = headline_slug(title)
    digest = content_hash(title, lede)
    return f"{slug}-{digest}" if slug else digest
