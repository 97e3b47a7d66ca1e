"""Raw scraped page -> :class:`Extraction` (Article, InterviewTurn, Resolution, Source).

:func:`extract_text` and :func:`extract_file` end in an :class:`Extraction` or raise an
:class:`ExtractionError` for any input whatsoever; a Pydantic validation failure is reported as an
``ExtractionError`` naming the field.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Final

from pydantic import ValidationError

from ..errors import field_path
from ..limits import ENVIRONMENT, current
from ..models import Article, InterviewTurn, Source
from .captions import caption_facts
from .citations import Segment, find_resolutions
from .errors import ExtractionError
from .identity import article_id as make_article_id
from .layout import Layout, LineClass, classify
from .result import Extraction
from .sidecar import Meta, read_sidecar, sidecar_path, validate_meta
from .text import Line, decode, iter_lines, normalise_report
from .turns import TurnDraft, split_turns

DEFAULT_SOURCE: Final = "baohatinh.vn"
_PAGE_LIMIT_VARIABLE: Final = ENVIRONMENT["max_page_bytes"]
_ENCODE_CHUNK: Final = 1 << 16
_READ_CHUNK: Final = 1 << 20


class _LookUp:
    """The default of ``extract_file(sidecar=...)``: look for the sidecar next to the page."""

    def __repr__(self) -> str:
        return "LOOK_UP"


LOOK_UP: Final = _LookUp()


def extract_file(
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    sidecar: str | os.PathLike[str] | _LookUp | None = LOOK_UP,
) -> Extraction:
    """Extract the page stored at ``path`` (and its sidecar ``<stem>.meta.json`` if present).

    ``source`` is the build's default publication domain, used when neither the text's prefix nor
    the sidecar names one. ``Article.source_file`` is the file's name; errors name the path.
    ``sidecar`` is the page's sidecar file when the caller already knows it (None: the page has
    none); by default it is looked up next to the page (:func:`~.sidecar.sidecar_path`).
    """
    where = os.fspath(path)
    data = _read_page(where, current().max_page_bytes)
    side = sidecar_path(path) if isinstance(sidecar, _LookUp) else sidecar
    meta = read_sidecar(Path(side)) if side is not None else Meta()
    digest = hashlib.sha256(data).hexdigest()
    raw = _Raw(data)
    del data  # the bytes are freed as soon as they are decoded (issue 13, item 4)
    return _guarded(raw, os.path.basename(where), where, source, meta, digest)


def _too_large(size: str, limit: int) -> str:
    return (
        f"page too large: {size}, over the limit of {limit:,} bytes (set {_PAGE_LIMIT_VARIABLE} "
        "to raise it)"
    )


def _read_page(where: str, limit: int) -> bytes:
    """The bytes of the page at ``where``; a page over ``limit`` bytes is refused before it is
    read (by its size on disk, and by reading at most one byte more than the limit, for a file
    that grows or a device or pipe whose size is not known)."""
    try:
        with open(where, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise ExtractionError(_too_large(f"{size:,} bytes", limit), path=where)
            data = handle.read(size + 1) if size > 0 else b""
            if len(data) > size or size == 0:
                data = _read_rest(handle, data, limit)  # a pipe, a device, a growing file
    except OSError as error:
        raise ExtractionError(f"cannot read file: {error.strerror or error}", path=where) from None
    if len(data) > limit:
        raise ExtractionError(_too_large(f"more than {limit:,} bytes", limit), path=where)
    return data


def _read_rest(handle: BinaryIO, data: bytes, limit: int) -> bytes:
    """``data`` and what follows it in ``handle``, up to one byte over ``limit``."""
    chunks, total = [data], len(data)
    while total <= limit:
        chunk = handle.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


class _Raw:
    """A page's raw bytes, handed over once: :meth:`take` returns them and drops the reference,
    so that the bytes of a large page are freed once decoded."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data: bytes | None = data

    def take(self) -> bytes:
        data, self._data = self._data, None
        if data is None:
            raise RuntimeError("the raw bytes were already taken")
        return data


def _utf8_size_over(text: str, limit: int) -> bool:
    """True when the UTF-8 encoding of ``text`` is longer than ``limit`` bytes (encoded a piece
    at a time, so a long text is not copied whole)."""
    if len(text) > limit:
        return True  # every character is at least one byte
    if len(text) * 4 <= limit:
        return False  # and at most four
    size = 0
    for start in range(0, len(text), _ENCODE_CHUNK):
        size += len(text[start : start + _ENCODE_CHUNK].encode("utf-8", "surrogatepass"))
        if size > limit:
            return True
    return False


def extract_text(
    text: str | bytes,
    *,
    source_file: str,
    source: str | None = None,
    meta: Mapping[str, object] | None = None,
    raw_sha256: str | None = None,
) -> Extraction:
    """Extract one page from its text (``str``) or raw bytes.

    Bytes are decoded as strict UTF-8; ``raw_sha256`` defaults to the SHA-256 of the bytes (of
    the UTF-8 encoding for ``str``). ``meta`` is a parsed sidecar (``url``, ``published_at``,
    ``source``), validated like one read from disk.
    """
    where = source_file if isinstance(source_file, str) else repr(source_file)
    limit = current().max_page_bytes
    if isinstance(text, bytes | bytearray) and len(text) > limit:
        raise ExtractionError(_too_large(f"{len(text):,} bytes", limit), path=where)
    if isinstance(text, str) and _utf8_size_over(text, limit):
        raise ExtractionError(_too_large(f"more than {limit:,} bytes", limit), path=where)
    checked = validate_meta(dict(meta), path=where) if meta is not None else Meta()
    return _guarded(text, source_file, where, source, checked, raw_sha256)


def _guarded(
    text: str | bytes | _Raw,
    source_file: str,
    where: str,
    source: str | None,
    meta: Meta,
    raw_sha256: str | None,
) -> Extraction:
    """Run the extraction, turning any failure into an :class:`ExtractionError`."""
    try:
        return _extract(text, source_file, where, source, meta, raw_sha256)
    except ExtractionError:
        raise
    except ValidationError as error:
        first = error.errors()[0]
        field = field_path(first["loc"])
        raise ExtractionError(
            f"invalid {error.title}.{field}: {first['msg']}", path=where, field=field
        ) from error
    except Exception as error:  # any other failure is a bug; still report it on the file
        raise ExtractionError(
            f"internal extractor error (a bug, please report): {type(error).__name__}: {error}",
            path=where,
        ) from error


def _extract(
    raw: str | bytes | _Raw,
    source_file: str,
    where: str,
    source: str | None,
    meta: Meta,
    raw_sha256: str | None,
) -> Extraction:
    if not isinstance(source_file, str) or not source_file.strip():
        raise ExtractionError("source_file must be a non-empty file name", path=where)
    if isinstance(raw, _Raw):
        assert raw_sha256 is not None  # extract_file hashed the bytes before handing them over
        digest = raw_sha256
        # One expression, so that neither the bytes nor the decoded text outlive their use.
        text, notes = normalise_report(decode(raw.take(), path=where), path=where)
    elif isinstance(raw, bytes | bytearray):
        digest = raw_sha256 or hashlib.sha256(raw).hexdigest()
        text, notes = normalise_report(decode(bytes(raw), path=where), path=where)
    else:
        text, notes = normalise_report(raw, path=where)
        digest = raw_sha256 or hashlib.sha256(raw.encode("utf-8")).hexdigest()
    if not text.strip():
        reason = "empty file" if not text else "only whitespace, no text"
        raise ExtractionError(reason, path=where)
    lines = list(iter_lines(text))
    layout = classify(lines, path=where)
    extraction = _build(
        text, lines, layout, source_file, digest, _source(layout, meta, source), meta
    )
    extraction.warnings[:0] = notes  # the text's own warnings first, in line order
    return extraction


def _source(layout: Layout, meta: Meta, default: str | None) -> str:
    """Publication domain: the text's prefix, else the sidecar, else the build option."""
    return layout.source or meta.source or (default or DEFAULT_SOURCE).lower()


@dataclass(slots=True)
class _Body:
    """The article body gathered from the classified lines, before validation."""

    paragraphs: list[dict[str, object]] = field(default_factory=list)
    captions: list[dict[str, object]] = field(default_factory=list)
    turn_input: list[tuple[int, int, str, str]] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)


def _span(start: int, end: int) -> dict[str, int]:
    return {"start": start, "end": end}


def _body(text: str, lines: list[Line], layout: Layout) -> _Body:
    """Paragraphs and captions in reading order, and the text segments citations are read from
    (headline, lede, paragraphs, captions; the lede repeat and placeholders are not)."""
    body = _Body()
    headline = lines[layout.headline]
    body.segments.append(Segment(headline.start, headline.text))
    if layout.lede is not None:
        lede = layout.lede
        raw = text[lede.start : lede.end]
        body.segments.append(Segment(lede.start, raw))
        if layout.brief:  # the lede is the one paragraph (design.md, "Briefs")
            body.paragraphs.append(
                {"index": 0, "text": lede.text, "span": _span(lede.start, lede.end)}
            )
            body.turn_input.append((lede.start, lede.end, raw, lede.text))
    for line, cls in zip(lines, layout.classes, strict=True):
        if cls is LineClass.PARAGRAPH:
            body.paragraphs.append(
                {
                    "index": len(body.paragraphs),
                    "text": line.key,
                    "span": _span(line.start, line.end),
                }
            )
            body.turn_input.append((line.start, line.end, line.text, line.key))
        elif cls is LineClass.CAPTION:
            credit, archival = caption_facts(line.text)
            body.captions.append(
                {
                    "index": len(body.captions),
                    "text": line.key,
                    "credit": credit,
                    "archival": archival,
                    "after_paragraph": len(body.paragraphs) - 1 if body.paragraphs else None,
                    "span": _span(line.start, line.end),
                }
            )
        else:
            continue
        body.segments.append(Segment(line.start, line.text))
    body.segments.sort(key=lambda segment: segment.start)
    return body


def _build(
    text: str,
    lines: list[Line],
    layout: Layout,
    source_file: str,
    digest: str,
    source: str,
    meta: Meta,
) -> Extraction:
    """Validate the records of one classified page."""
    warnings: list[str] = list(layout.notes)
    if layout.source and meta.source and layout.source != meta.source:
        warnings.append(
            f"source prefix says {layout.source!r}, sidecar says {meta.source!r}: kept the prefix"
        )
    title = lines[layout.headline].key
    lede = layout.lede.text if layout.lede and not layout.brief else None
    aid = make_article_id(title, lede)
    body = _body(text, lines, layout)
    captions = [str(caption["text"]) for caption in body.captions]
    drafts, turn_warnings = split_turns(
        body.turn_input, head=[title] if lede is None else [title, lede], texts=captions
    )
    warnings.extend(turn_warnings)
    turns, turn_rows = _turns(drafts, aid)
    resolutions, citation_warnings = find_resolutions(body.segments, article_id=aid)
    warnings.extend(citation_warnings)
    article_row: dict[str, Any] = {
        "article_id": aid,
        "source": source,
        "url": meta.url,
        "title": title,
        "lede": lede,
        "paragraphs": body.paragraphs,
        "captions": body.captions,
        "authors": list(layout.authors),
        "byline_role": layout.byline_role,
        "published_at": meta.published_at,
        "genre": "interview" if turns else "news",
        "language": "vi",
        "source_file": source_file,
        "raw_sha256": digest,
    }
    article = Article.model_validate(article_row)
    # The two values that come from outside the text (the caller's file name, the sidecar's
    # URL) are taken as the model cleaned them; every other value is already canonical.
    article_row["source_file"], article_row["url"] = article.source_file, article.url
    source_row = {
        "article_id": aid,
        "source_file": article.source_file,
        "raw_sha256": digest,
        "text": text,
    }
    # Every value of the source record is already valid: the three it shares with the article were
    # just validated, and ``text`` is the normalised text (NFC, checked non-empty). Validating it
    # again would make pydantic keep a UTF-8 copy of the whole page beside it, after a transient
    # buffer three times the page's size (issue 13, item 4).
    record = Source.model_construct(
        article_id=aid, source_file=article.source_file, raw_sha256=digest, text=text
    )
    rows = {"articles": [article_row], "interview_turns": turn_rows, "sources": [source_row]}
    return Extraction(
        article, turns, resolutions, record, text, warnings, rows, lines, layout.classes
    )


def _turns(drafts: list[TurnDraft], aid: str) -> tuple[list[InterviewTurn], list[dict[str, Any]]]:
    """InterviewTurn records and their rows; each answer responds to the closest question
    before it."""
    turns: list[InterviewTurn] = []
    rows: list[dict[str, Any]] = []
    last_question: int | None = None
    for index, draft in enumerate(drafts):
        speaker = draft.speaker
        if speaker.role == "interviewer":
            last_question = index
        row = {
            "article_id": aid,
            "turn_index": index,
            "speaker_role": speaker.role,
            "speaker_label": speaker.label,
            "speaker_name": speaker.name,
            "speaker_title": speaker.title,
            "text": "\n\n".join(draft.texts),
            "spans": [_span(start, end) for start, end in draft.ranges],
            "responds_to": last_question if speaker.role == "interviewee" else None,
        }
        turns.append(InterviewTurn.model_validate(row))
        rows.append(row)
    return turns, rows
