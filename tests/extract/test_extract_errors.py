"""Clear errors: bad files, bad sidecars and unusable pages name the file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kyanh_corpus.extract import ExtractionError, extract_file, extract_text
from support.paths import SEED

SEED_TEXT = SEED.read_text("utf-8")
FOOTER = SEED_TEXT[SEED_TEXT.index("{name} - {time}") - 1 :]  # NBSP first


def error_of(data: str | bytes, name: str = "page.txt") -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        extract_text(data, source_file=name)
    return info.value


def test_message_format() -> None:
    error = ExtractionError("no headline found", path="a/b.txt", line=3, field=None)
    assert str(error) == "a/b.txt:3: no headline found"
    assert str(ExtractionError("empty file", path="a/b.txt")) == "a/b.txt: empty file"
    assert isinstance(error, ValueError)
    assert (error.path, error.line, error.reason, error.field) == (
        "a/b.txt",
        3,
        "no headline found",
        None,
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        ("", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"  \n\t\n\r\n \xc2\xa0 \n", "only whitespace"),
        ("   \n\n", "only whitespace"),
    ],
)
def test_empty_and_blank(data: str | bytes, reason: str) -> None:
    error = error_of(data)
    assert reason in error.reason
    assert str(error).startswith("page.txt")


def test_binary_content_gives_the_byte_offset() -> None:
    error = error_of(b"Ti\xc3\xaau \xc4\x91\xe1\xbb\x81\n\x89PNG\r\n\x1a\n\x00\x00")
    assert "binary" in error.reason or "not UTF-8" in error.reason
    error = error_of(b"abc\ndef\x00ghi")
    assert error.reason == "binary content, not text: NUL byte at byte 7"
    assert error.line == 2
    error = error_of("Tiêu đề\n\nĐoạn\x07 văn")
    assert "control character U+0007" in error.reason and error.line == 3


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1", "utf-16"])
def test_wrong_encoding_is_refused_with_the_byte_offset(encoding: str) -> None:
    data = SEED_TEXT.encode(encoding, errors="replace")
    error = error_of(data)
    assert error.reason.startswith("not UTF-8 at byte ")
    offset = int(error.reason.split("byte ")[1].split(":")[0])
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("utf-8")
    assert offset in (info.value.start, 0)
    assert error.line is not None


def test_utf8_decoded_as_latin1_and_saved_again_is_refused() -> None:
    mojibake = SEED_TEXT.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    error = error_of(mojibake)
    assert error.reason.startswith("wrongly encoded")


def test_lone_surrogate_in_text_input() -> None:
    error = error_of("Tiêu đề\n\nĐoạn \ud800 văn")
    assert "surrogate" in error.reason and error.line == 3


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        # A control character is reported even when a surrogate stands before it.
        (
            "Tiêu đề\n\ud800 Đoạn\x07 văn",
            "binary content, not text: control character U+0007 at byte 23",
            2,
        ),
        # A surrogate after a mojibake hint (the hint alone refuses nothing).
        ("Ã Tiêu đề\n\nĐoạn \udfff văn", "not valid Unicode: lone surrogate at character 16", 3),
        # A surrogate pair in a str is two lone surrogates to UTF-8.
        (
            "Tiêu đề\n\nĐoạn \ud83d\ude00 văn",
            "not valid Unicode: lone surrogate at character 14",
            3,
        ),
        ("\ud800", "not valid Unicode: lone surrogate at character 0", 1),
    ],
)
def test_refusal_order_and_messages(text: str, reason: str, line: int) -> None:
    error = error_of(text)
    assert (error.reason, error.line) == (reason, line)


def test_boilerplate_only_page() -> None:
    error = error_of(FOOTER)
    assert error.reason == "only site boilerplate, no article text"


def test_page_without_body() -> None:
    # A headline with neither body nor lede (a headline and a lede alone make a brief).
    error = error_of("(Baohatinh.vn) -\n\nTiêu đề\n\n" + FOOTER)
    assert error.reason.startswith("no body paragraphs")
    assert error.line == 3


def test_page_without_headline() -> None:
    error = error_of(("Một đoạn văn rất dài. " * 20 + "\n\n") * 5)
    assert error.reason.startswith("no headline found")
    assert error.line == 1


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError) as info:
        extract_file(tmp_path / "nope.txt")
    assert info.value.reason.startswith("cannot read file")
    assert str(info.value).startswith(str(tmp_path / "nope.txt"))


def test_invalid_field_is_named() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_text(SEED_TEXT, source_file="a.txt", raw_sha256="not-a-digest")
    assert info.value.field == "raw_sha256"
    assert "raw_sha256" in info.value.reason
    with pytest.raises(ExtractionError) as info:
        extract_text("Tiêu đề\n\nĐoạn văn.", source_file="a.txt", source="Not a domain!")
    assert info.value.field == "source"
    with pytest.raises(ExtractionError):
        extract_text(SEED_TEXT, source_file="  ")


def page_with_sidecar(tmp_path: Path, sidecar: str) -> Path:
    raw = tmp_path / "page.txt"
    raw.write_bytes(SEED.read_bytes())
    (tmp_path / "page.meta.json").write_text(sidecar, "utf-8")
    return raw


def test_good_sidecar_fills_url_date_and_source(tmp_path: Path) -> None:
    meta = {"url": "https://baohatinh.vn/x-post1.html", "published_at": "2022-01-10"}
    result = extract_file(page_with_sidecar(tmp_path, json.dumps(meta)))
    assert result.article.url == meta["url"]
    assert result.article.published_at is not None
    assert result.article.published_at.isoformat() == "2022-01-10"


def test_sidecar_source_is_used_without_a_prefix(tmp_path: Path) -> None:
    raw = tmp_path / "p.txt"
    raw.write_text("Tiêu đề\n\nLời dẫn.\n\nĐoạn văn.\n", "utf-8")
    (tmp_path / "p.meta.json").write_text('{"source": "Example.org"}', "utf-8")
    assert extract_file(raw).article.source == "example.org"
    assert extract_file(raw, source="other.vn").article.source == "example.org"
    (tmp_path / "p.meta.json").unlink()
    assert extract_file(raw, source="other.vn").article.source == "other.vn"
    assert extract_file(raw).article.source == "baohatinh.vn"


def test_prefix_wins_over_a_disagreeing_sidecar_with_a_warning(tmp_path: Path) -> None:
    result = extract_file(page_with_sidecar(tmp_path, '{"source": "example.org"}'))
    assert result.article.source == "baohatinh.vn"
    assert any("sidecar" in warning for warning in result.warnings)


@pytest.mark.parametrize(
    ("sidecar", "field", "reason"),
    [
        ('{"published_at": "10/01/2022"}', "published_at", "published_at must be a date"),
        ('{"published_at": "2022-02-30"}', "published_at", "published_at must be a date"),
        ('{"published_at": 20220110}', "published_at", "published_at must be a date"),
        ('{"author": "X"}', "author", "unknown sidecar key 'author'"),
        ('{"url": "baohatinh.vn/x"}', "url", "url must be"),
        ('{"source": "Báo Hà Tĩnh"}', "source", "source must be"),
        ('["url"]', None, "must be a JSON object"),
        ("{url: 1}", None, "sidecar is not JSON"),
    ],
)
def test_bad_sidecar(tmp_path: Path, sidecar: str, field: str | None, reason: str) -> None:
    raw = page_with_sidecar(tmp_path, sidecar)
    with pytest.raises(ExtractionError) as info:
        extract_file(raw)
    error = info.value
    assert reason in error.reason
    assert error.field == field
    assert str(error).startswith(str(tmp_path / "page.meta.json"))


def test_bad_meta_passed_to_extract_text() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_text(SEED_TEXT, source_file="a.txt", meta={"published_at": "soon"})
    assert info.value.field == "published_at"
    assert str(info.value).startswith("a.txt")
