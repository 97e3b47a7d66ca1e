"""Hostile raw pages (issue 13, item 4 and 6): each ends in an Extraction or a clear, located
ExtractionError -- never another exception, never memory out of proportion to the page.

The memory bound is asserted with tracemalloc (allocations, not wall time), on a ~5 MB page of
one paragraph: before issue 13 a page of one paragraph took 14-28 times its size (a full-width
``casefold()`` of the paragraph, ``str.split()`` of it into one object per word, the raw bytes
kept alive to the end, the whole text validated twice by pydantic); now about 6.3 times.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from kyanh_corpus.extract import ExtractionError, extract_file, extract_text
from kyanh_corpus.limits import DEFAULTS, ENVIRONMENT
from support.strategies_extract import check_error, check_invariants

PAGE_LIMIT = ENVIRONMENT["max_page_bytes"]
WORDS = "Thị xã Kỳ Anh triển khai các nghị quyết của Thị ủy về sinh hoạt chi bộ, "
FOOTER = "\n\nThu Trang\n\n{name} - {time}\n\nTrả lời\n\n0 bình luận\n\nTắt [X]\n"
MEMORY_BOUND = 7.0
"""Peak traced memory of extracting a one-paragraph page, in multiples of its size on disk
(6.3 measured for Vietnamese text, whose characters take two bytes each in a Python string)."""


def one_paragraph_page(size: int) -> str:
    body = WORDS * (size // len(WORDS.encode()) + 1)
    return "Tiêu đề bài báo\n\nLời dẫn của bài báo.\n\n" + body + FOOTER


def outcome(path: Path, *, invariants: bool = True) -> object:
    """The Extraction of ``path`` (invariants checked), or its ExtractionError (shape checked).

    ``invariants=False`` skips the full invariant check, whose turn checks are quadratic in the
    number of paragraphs (the extraction itself is not)."""
    try:
        result = extract_file(path)
    except ExtractionError as error:
        check_error(error, str(path))
        return error
    if invariants:
        check_invariants(result)
    return result


def test_a_page_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PAGE_LIMIT, "1000")
    page = tmp_path / "big.txt"
    page.write_text(one_paragraph_page(200_000), "utf-8")
    size = page.stat().st_size
    opened: list[object] = []
    real_open = open

    def counting_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(file)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", counting_open)
    tracemalloc.start()
    try:
        with pytest.raises(ExtractionError) as caught:
            extract_file(page)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    error = caught.value
    assert error.path == str(page)
    assert error.reason == (
        f"page too large: {size:,} bytes, over the limit of 1,000 bytes "
        f"(set {PAGE_LIMIT} to raise it)"
    )
    assert str(error).startswith(f"{page}: page too large")
    assert peak < size / 10  # the page was never read whole


def test_the_page_size_limit_holds_for_text_and_bytes_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PAGE_LIMIT, "100")
    page = one_paragraph_page(200)
    for raw in (page, page.encode()):
        with pytest.raises(ExtractionError, match=rf"page too large: .*{PAGE_LIMIT}"):
            extract_text(raw, source_file="x.txt")
    small = "Tiêu đề\n\nLời dẫn.\n\nMột đoạn.\n"
    assert extract_text(small, source_file="x.txt").article.title == "Tiêu đề"


def test_the_default_page_limit_is_generous_for_press_pages() -> None:
    assert DEFAULTS.max_page_bytes >= 4 * 1024 * 1024


def test_a_device_or_pipe_is_read_only_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    monkeypatch.setenv(PAGE_LIMIT, "4096")
    with pytest.raises(ExtractionError, match="page too large: more than 4,096 bytes"):
        extract_file("/dev/zero")


def test_memory_of_a_five_megabyte_paragraph_is_a_small_multiple_of_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PAGE_LIMIT, str(64 * 1024 * 1024))
    page = tmp_path / "one_paragraph.txt"
    page.write_text(one_paragraph_page(5_000_000), "utf-8")
    size = page.stat().st_size
    tracemalloc.start()
    try:
        result = extract_file(page)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(result.article.paragraphs) == 1
    assert result.article.authors == ["Thu Trang"]
    assert peak <= MEMORY_BOUND * size, f"peak {peak / size:.1f} times the page size"


@pytest.mark.parametrize(
    "name",
    ["double spaces", "no-break spaces", "zero-width spaces", "NFD and CRLF", "prefixed lede"],
)
def test_memory_of_other_long_lines_stays_bounded(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PAGE_LIMIT, str(64 * 1024 * 1024))
    body = WORDS * (1_000_000 // len(WORDS.encode()))
    pages = {
        "double spaces": "Tiêu đề\n\nLời dẫn.\n\n" + body.replace(" ", "  ") + FOOTER,
        "no-break spaces": "Tiêu đề\n\nLời dẫn.\n\n" + body.replace(" ", "\u00a0") + FOOTER,
        "zero-width spaces": "Tiêu đề\n\nLời dẫn.\n\n" + body.replace(" ", " \u200b") + FOOTER,
        "NFD and CRLF": ("Tiêu đề\n\nLời dẫn.\n\n" + body + FOOTER).replace("\n", "\r\n"),
        "prefixed lede": "(Baohatinh.vn) - " + body + "\n\nTiêu đề\n\nĐoạn một.\n" + FOOTER,
    }
    text = pages[name]
    if name == "NFD and CRLF":
        import unicodedata

        text = unicodedata.normalize("NFD", text)
    page = tmp_path / "page.txt"
    page.write_bytes(text.encode())
    size = page.stat().st_size
    tracemalloc.start()
    try:
        extract_file(page)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak <= 11 * size, f"{name}: peak {peak / size:.1f} times the page size"


def test_a_page_full_of_bidi_and_zero_width_characters(tmp_path: Path) -> None:
    invisible = "\u202e\u2066\u200b\u200e\u2060\ufeff\u061c\u200f"
    page = tmp_path / "invisible.txt"
    lines = ["Tiêu\u202e đề bài", "Lời dẫn\u200b của bài."]
    lines += [f"Đoạn {i}{invisible} của bài viết." for i in range(200)]
    page.write_text("\n\n".join(lines) + FOOTER, "utf-8")
    result = outcome(page)
    assert not isinstance(result, ExtractionError)
    assert result.article.title == "Tiêu đề bài"  # type: ignore[attr-defined]
    assert not any(c in result.text for c in invisible)  # type: ignore[attr-defined]
    warnings = result.warnings  # type: ignore[attr-defined]
    notes = [w for w in warnings if "invisible" in w]
    assert notes[0].startswith("line 1: removed 1 invisible character")
    assert len(notes) == 11  # ten lines named, the rest summed up
    assert notes[-1] == "removed 1536 more invisible characters on 192 more lines"


def test_a_page_of_nothing_but_invisible_characters(tmp_path: Path) -> None:
    page = tmp_path / "only_invisible.txt"
    page.write_text("\u200b\u202e\n\n\u2066\u2069\n" * 1000, "utf-8")
    error = outcome(page)
    assert isinstance(error, ExtractionError)
    assert error.reason == "only whitespace, no text"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Ti\xc3\xaau \xc4\x91\xe1\xbb\x81\n\x00\x00\x00", "binary content, not text: NUL byte"),
        (b"\x00" * 10_000, "binary content, not text: NUL byte at byte 0"),
        (b"\xff\xfeT\x00i\x00", "not UTF-8 at byte 0"),
        (b"Ti\xeau \xc4\x91\xe1\xbb\x81", "not UTF-8 at byte 2"),
        (b"", "empty file"),
        (b"\n \n\t\n" * 1000, "only whitespace, no text"),
    ],
)
def test_binary_and_broken_pages_are_located_errors(
    data: bytes, reason: str, tmp_path: Path
) -> None:
    page = tmp_path / "bad.txt"
    page.write_bytes(data)
    error = outcome(page)
    assert isinstance(error, ExtractionError)
    assert error.reason.startswith(reason), error.reason


@pytest.mark.parametrize("line", ["a", ".", "{body}", "Thu Trang", "P.V: ?", "1/1/2024"])
def test_a_page_of_100000_very_short_lines(line: str, tmp_path: Path) -> None:
    page = tmp_path / "short_lines.txt"
    page.write_text("Tiêu đề bài\n\nLời dẫn.\n\n" + f"{line}\n" * 100_000, "utf-8")
    result = outcome(page, invariants=False)  # a record or a located error, nothing else
    if not isinstance(result, ExtractionError):
        assert sum(result.line_counts().values()) == 100_002  # type: ignore[attr-defined]


def test_a_page_of_one_enormous_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PAGE_LIMIT, str(16 * 1024 * 1024))
    page = tmp_path / "one_word.txt"
    page.write_text("Tiêu đề\n\nLời dẫn.\n\n" + "ệ" * 1_000_000 + "\n", "utf-8")
    result = outcome(page)
    assert not isinstance(result, ExtractionError)


def test_a_page_of_one_line_over_a_megabyte_has_no_headline(tmp_path: Path) -> None:
    page = tmp_path / "one_line.txt"
    page.write_text(WORDS * 20_000, "utf-8")
    error = outcome(page)
    assert isinstance(error, ExtractionError)
    assert error.reason.startswith("no headline found")


def test_a_long_run_on_paragraph_full_of_citations(tmp_path: Path) -> None:
    # Each mention read its "sentence" back to the paragraph's start: quadratic (200 KB took 21 s,
    # 5 MB would take hours). Now facts are read back at most MAX_SENTENCE_CHARS.
    clause = "Thị xã triển khai Nghị quyết số 02-NQ/ThU ngày 3/2/2021 của BTV Thị ủy Kỳ Anh, "
    page = tmp_path / "citations.txt"
    page.write_text("Tiêu đề\n\nLời dẫn.\n\n" + clause * 1500 + "\n", "utf-8")
    result = outcome(page, invariants=False)
    assert not isinstance(result, ExtractionError)
    (resolution,) = result.resolutions  # type: ignore[attr-defined]
    assert resolution.code == "02-NQ/ThU"
    assert len(resolution.mentions) == 1500
