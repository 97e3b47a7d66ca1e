"""Identity: the article id and the records depend on the content, not on the file's form."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

from kyanh_corpus.extract import Extraction, extract_file, extract_text
from kyanh_corpus.extract.identity import article_id, headline_slug
from support.paths import SEED

SEED_BYTES = SEED.read_bytes()
NFD_CRLF_BOM = b"\xef\xbb\xbf" + unicodedata.normalize("NFD", SEED_BYTES.decode("utf-8")).replace(
    "\n", "\r\n"
).encode("utf-8")


def records(result: Extraction) -> dict[str, object]:
    """Everything extracted, without the fields that name the file or hash its bytes."""
    return {
        "article": result.article.model_dump(exclude={"source_file", "raw_sha256"}),
        "turns": [t.model_dump() for t in result.turns],
        "resolutions": [r.model_dump() for r in result.resolutions],
        "text": result.source.text,
        "lines": [(r.number, r.cls, r.text) for r in result.lines],
    }


def test_seed_id_has_the_designed_shape() -> None:
    result = extract_file(SEED)
    aid = result.article.article_id
    slug, digest = aid.rsplit("-", 1)
    assert slug == "nang-cao-chat-luong-sinh-hoat-chi-bo-tao"
    assert len(slug) <= 40 and len(digest) == 12
    assert aid == article_id(result.article.title, result.article.lede)
    assert result.source.article_id == aid


def test_nfd_crlf_bom_gives_the_same_id_and_records(tmp_path: Path) -> None:
    assert NFD_CRLF_BOM != SEED_BYTES
    copy = tmp_path / "another-name.txt"
    copy.write_bytes(NFD_CRLF_BOM)
    original, variant = extract_file(SEED), extract_file(copy)
    assert variant.article.article_id == original.article.article_id
    assert records(variant) == records(original)
    assert variant.article.source_file == "another-name.txt"
    assert variant.article.raw_sha256 != original.article.raw_sha256
    assert variant.source.text == unicodedata.normalize("NFC", variant.source.text)
    assert "\r" not in variant.source.text and not variant.source.text.startswith("\ufeff")


def test_another_file_name_gives_the_same_records(tmp_path: Path) -> None:
    copy = tmp_path / "renamed.txt"
    shutil.copy(SEED, copy)
    original, renamed = extract_file(SEED), extract_file(copy)
    assert records(renamed) == records(original)
    assert renamed.article.raw_sha256 == original.article.raw_sha256


def test_lone_cr_line_ends_are_line_ends() -> None:
    original = extract_text(SEED_BYTES, source_file="a.txt")
    old_mac = extract_text(SEED_BYTES.replace(b"\n", b"\r"), source_file="a.txt")
    assert records(old_mac) == records(original)


def test_str_and_bytes_input_agree() -> None:
    as_bytes = extract_text(SEED_BYTES, source_file="a.txt")
    as_text = extract_text(SEED_BYTES.decode("utf-8"), source_file="a.txt")
    assert records(as_text) == records(as_bytes)
    assert as_text.article.raw_sha256 == as_bytes.article.raw_sha256


def test_raw_sha256_is_of_the_bytes_as_read() -> None:
    import hashlib

    result = extract_text(NFD_CRLF_BOM, source_file="a.txt")
    assert result.article.raw_sha256 == hashlib.sha256(NFD_CRLF_BOM).hexdigest()
    assert result.source.raw_sha256 == result.article.raw_sha256


def test_id_changes_with_the_content() -> None:
    base = article_id("Tiêu đề", "Lời dẫn")
    assert article_id("Tiêu đề", "Lời dẫn khác") != base
    assert article_id("Tiêu đề khác", "Lời dẫn") != base
    assert article_id("Tiêu  đề", "Lời\u00a0dẫn") == base  # whitespace folded
    assert article_id(unicodedata.normalize("NFD", "Tiêu đề"), "Lời dẫn") == base


def test_slug_is_cut_at_a_hyphen() -> None:
    assert headline_slug("Một hai ba") == "mot-hai-ba"
    long = headline_slug("Nâng cao chất lượng sinh hoạt chi bộ, tạo cơ sở vững chắc xây dựng")
    assert len(long) <= 40 and not long.endswith("-")
    assert headline_slug("a" * 60) == "a" * 40
    assert article_id("你好", None).isalnum()  # no ASCII in the headline: the hash alone
