"""Test helper: synthetic but internally consistent corpus records and built folders.

``make_corpus(n)`` generates ``n`` articles with their sources, interview turns and resolutions:
every span points into its source text and covers exactly the field text it claims (up to the
whitespace folding of docs/design.md: source lines carry double spaces and no-break spaces that the
field text folds). ``write_folder`` writes them as a built folder following docs/design.md
(Parquet shards written with ``features.to_table``, ``schema/``, a dataset card header and
``manifest.json``), so the loaders and ``validate`` can be tested before and besides the real build.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from kyanh_corpus.extract.identity import article_id as derive_article_id
from kyanh_corpus.features import dataset_info_yaml, to_table, write_schemas
from kyanh_corpus.models import (
    ENTITIES,
    SCHEMA_VERSION,
    Article,
    Caption,
    InterviewTurn,
    Mention,
    Paragraph,
    Record,
    Resolution,
    Source,
    Span,
)

from .paths import ROOT

_WORDS_TEXT = (
    "Đảng bộ thị xã Kỳ Anh nâng cao chất lượng sinh hoạt chi bộ cấp ủy nghị quyết đô thị động lực "
    "phía Nam tỉnh Hà Tĩnh năm mới kinh nghiệm lãnh đạo nhiệm vụ chính trị cơ sở đảng viên "
    "nhân dân phát triển kinh tế xã hội công nghiệp cảng biển Vũng Áng người dân phường xã "
    "đồng chí Bí thư"
)
WORDS = tuple(_WORDS_TEXT.split())

# Resolution templates: (system, number, year, doc_type, doc_type_name, issuer_code, issuer).
RESOLUTIONS = (
    ("party", "02", None, "NQ", "Nghị quyết", "ThU", "BTV Thị ủy Kỳ Anh"),
    ("party", "12", None, "HD", "Hướng dẫn", "BTCTW", "Ban Tổ chức Trung ương"),
    ("party", "1193", None, "QĐ", "Quy định", "TU", "BTV Tỉnh ủy"),
    ("state", "36", 2021, "NQ", "Nghị quyết", "HĐND", None),
    ("state", "1234", None, "QĐ", "Quyết định", "UBND", None),
)


def _sentence(rng: random.Random, low: int = 6, high: int = 22) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def _code(template: tuple[Any, ...]) -> str:
    system, number, year, doc_type, _, issuer_code, _ = template
    if system == "party":
        return f"{number}-{doc_type}/{issuer_code}"
    if year:
        return f"{number}/{year}/{doc_type}-{issuer_code}"
    return f"{number}/{doc_type}-{issuer_code}"


def _loosen(text: str, rng: random.Random) -> str:
    """Print ``text`` as a raw line might: some single spaces doubled or no-break."""
    out = []
    for char in text:
        if char == " " and rng.random() < 0.08:
            out.append(rng.choice(("  ", "\u00a0", " \u00a0 ")))
        else:
            out.append(char)
    return "".join(out)


@dataclass
class Corpus:
    """Records per config, in the order the build writes them."""

    articles: list[Article] = field(default_factory=list)
    interview_turns: list[InterviewTurn] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def by_config(self) -> dict[str, list[Record]]:
        return {
            "articles": list(self.articles),
            "interview_turns": list(self.interview_turns),
            "resolutions": list(self.resolutions),
            "sources": list(self.sources),
        }


class _Writer:
    """Accumulates source lines and hands out spans of what was written."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0

    def line(self, raw: str, *, skip: int = 0) -> Span:
        """Write ``raw`` as a line (and a blank line after it); the span starts ``skip`` in."""
        start = self.pos + skip
        self.parts.append(raw + "\n\n")
        self.pos += len(raw) + 2
        return Span(start=start, end=self.pos - 2)

    def text(self) -> str:
        return "".join(self.parts)


def make_article(
    i: int, rng: random.Random, mentions: dict[int, list[Mention]]
) -> tuple[Article, Source, list[InterviewTurn]]:
    """One article with its source and turns; resolution mentions are appended to ``mentions``."""
    title = _sentence(rng, 5, 12).rstrip(".") + f" {i}"
    lede = _sentence(rng, 12, 30)
    source_file = f"{i:03d}_{hashlib.sha256(str(i).encode()).hexdigest()[:16]}.txt"
    raw_sha256 = hashlib.sha256(f"raw {i}".encode()).hexdigest()
    article_id = derive_article_id(title, lede)  # validate recomputes it from title and lede
    interview = rng.random() < 0.4
    w = _Writer()
    w.line(f"(Baohatinh.vn) - {lede}")
    w.line(title)
    w.line(lede)
    paragraphs: list[Paragraph] = []
    captions: list[Caption] = []
    turns: list[InterviewTurn] = []
    n_paragraphs = rng.randint(2, 14)
    turn_lines: list[tuple[str, int]] = []  # (label, paragraph index) of interview paragraphs
    for p in range(n_paragraphs):
        body = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
        label = None
        if interview and p >= 1:
            label = "P.V" if (p % 2 == 1) else "Bí thư Thị ủy Kỳ Anh Đặng Văn Thành"
        resolution = None
        surface = ""
        if rng.random() < 0.25:
            resolution = rng.randrange(len(RESOLUTIONS))
            surface = f"{RESOLUTIONS[resolution][4]} số {_code(RESOLUTIONS[resolution])}"
        head = f"{label}: " if label else ""
        raw = head + _loosen(body, rng)
        text = head + body
        issuer = None
        if resolution is not None:
            issuer = RESOLUTIONS[resolution][6]
            offset = len(raw) + len(" Theo ")
            printed = f" Theo {surface} của {issuer or 'cấp ủy'}."
            raw += printed
            text += printed
        span = w.line(raw)
        paragraphs.append(Paragraph(index=p, text=text, span=span))
        if label:
            turn_lines.append((label, p))
        if resolution is not None:
            mentions.setdefault(resolution, []).append(
                Mention(
                    article_id=article_id,
                    surface=surface,
                    span=Span(start=span.start + offset, end=span.start + offset + len(surface)),
                    issuer=issuer,
                )
            )
        if rng.random() < 0.3:
            w.line(title)  # placeholder
            credit = rng.choice(("Thu Trang", "Hữu Trung", None))
            caption = _sentence(rng, 4, 10) + (f" Ảnh: {credit}" if credit else " Ảnh tư liệu.")
            c_span = w.line(_loosen(caption, rng))
            captions.append(
                Caption(
                    index=len(captions),
                    text=caption,
                    credit=credit,
                    archival=credit is None,
                    after_paragraph=p,
                    span=c_span,
                )
            )
    authors = [rng.choice(("Thu Trang", "Hữu Trung", "Phan Trâm"))]
    w.line(f"{authors[0]} (thực hiện)" if interview else authors[0])
    text = w.text()
    last_question: int | None = None
    for turn_index, (label, p) in enumerate(turn_lines):
        paragraph = paragraphs[p]
        skip = len(label) + 2
        role = "interviewer" if label == "P.V" else "interviewee"
        if role == "interviewer":
            last_question = turn_index
        turns.append(
            InterviewTurn(
                article_id=article_id,
                turn_index=turn_index,
                speaker_role=role,
                speaker_label=label,
                speaker_name=None if role == "interviewer" else "Đặng Văn Thành",
                speaker_title=None if role == "interviewer" else "Bí thư Thị ủy Kỳ Anh",
                text=paragraph.text[skip:],
                spans=[Span(start=paragraph.span.start + skip, end=paragraph.span.end)],
                responds_to=None if role == "interviewer" else last_question,
            )
        )
    article = Article(
        article_id=article_id,
        source="baohatinh.vn",
        url=f"https://baohatinh.vn/bai-{i}.html" if i % 3 == 0 else None,
        title=title,
        lede=lede,
        paragraphs=paragraphs,
        captions=captions,
        authors=authors,
        byline_role="thực hiện" if interview else None,
        published_at=None,
        genre="interview" if turns else "news",
        source_file=source_file,
        raw_sha256=raw_sha256,
    )
    source = Source(
        article_id=article_id, source_file=source_file, raw_sha256=raw_sha256, text=text
    )
    return article, source, turns


def make_corpus(n_articles: int, seed: int = 0) -> Corpus:
    """``n_articles`` consistent articles with their sources, turns and merged resolutions."""
    rng = random.Random(seed)
    corpus = Corpus()
    mentions: dict[int, list[Mention]] = {}
    for i in range(n_articles):
        article, source, turns = make_article(i, rng, mentions)
        corpus.articles.append(article)
        corpus.sources.append(source)
        corpus.interview_turns.extend(turns)
    for index, found in mentions.items():
        system, number, year, doc_type, type_name, issuer_code, issuer = RESOLUTIONS[index]
        code = _code(RESOLUTIONS[index])
        slug = code.lower().replace("/", "-").replace("đ", "d").replace("Đ", "d")
        corpus.resolutions.append(
            Resolution(
                resolution_id="".join(c if c.isascii() and c.isalnum() else "-" for c in slug),
                code=code,
                system=system,  # type: ignore[arg-type]
                number=number,
                year=year,
                doc_type=doc_type,
                doc_type_name=type_name,
                issuer_code=issuer_code,
                issuer=issuer,
                mentions=found,
            )
        )
    corpus.resolutions.sort(key=lambda r: r.resolution_id)
    return corpus


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def card_text(counts: dict[str, int]) -> str:
    """A minimal dataset card whose YAML header has the derived ``configs`` and ``dataset_info``."""
    import yaml

    header = {
        "pretty_name": "Test corpus",
        "language": ["vi"],
        "license": "cc-by-nc-4.0",
        "configs": [
            {
                "config_name": config,
                "data_files": [{"split": "train", "path": f"data/{config}/*.parquet"}],
                **({"default": True} if config == "articles" else {}),
            }
            for config in ENTITIES
        ],
        "dataset_info": [dataset_info_yaml(config, counts[config], 0) for config in ENTITIES],
    }
    body = yaml.safe_dump(header, allow_unicode=True, sort_keys=False)
    return f"---\n{body}---\n\n# Test corpus\n"


def write_manifest(out: Path) -> dict[str, Any]:
    """(Re)write ``out/manifest.json`` from the files now in ``out``; returns it."""
    configs: dict[str, Any] = {}
    for config in ENTITIES:
        files = sorted(p.relative_to(out).as_posix() for p in (out / "data" / config).glob("*"))
        num_rows = sum(pq.ParquetFile(out / f).metadata.num_rows for f in files)
        configs[config] = {"num_rows": num_rows, "files": files}
    listed = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "manifest.json")
    manifest = {
        "format": "kyanh-corpus/1",
        "dataset_version": "1.0.0+000000000000",
        "schema_version": SCHEMA_VERSION,
        "package_version": "0.1.0",
        "configs": configs,
        "files": {
            p.relative_to(out).as_posix(): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
            for p in listed
        },
        "inputs": {},
    }
    (out / "manifest.json").write_text(_dump(manifest), encoding="utf-8")
    return manifest


def write_folder(
    out: Path,
    corpus: Corpus | dict[str, list[Record]],
    *,
    shard_rows: int = 1000,
    row_group_rows: int | None = None,
    data_only: bool = False,
) -> Path:
    """Write ``corpus`` as a built folder at ``out`` (Parquet, schema/, card, manifest).

    ``data_only`` leaves out ``schema/`` and the card (enough for the loaders, quicker).
    """
    by_config = corpus.by_config() if isinstance(corpus, Corpus) else corpus
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for config in ENTITIES:
        records = by_config.get(config, [])
        counts[config] = len(records)
        folder = out / "data" / config
        folder.mkdir(parents=True, exist_ok=True)
        shards = [records[i : i + shard_rows] for i in range(0, len(records), shard_rows)] or [[]]
        for k, shard in enumerate(shards):
            path = folder / f"train-{k:05d}-of-{len(shards):05d}.parquet"
            pq.write_table(to_table(shard, config), path, row_group_size=row_group_rows)
    if not data_only:
        write_schemas(out / "schema")
        (out / "README.md").write_text(card_text(counts), encoding="utf-8")
    write_manifest(out)
    return out


def write_parquet(path: Path, records: list[Record], config: str) -> Path:
    """One Parquet file of ``records`` with the derived schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(to_table(records, config), path)
    return path


def write_jsonl(path: Path, records: list[Record]) -> Path:
    """``records`` as JSON Lines (``model_dump_json``), one per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for record in records:
            f.write(record.model_dump_json() + "\n")
    return path


def copy_folder(src: Path, dst: Path) -> Path:
    """A copy of a built folder (tests that damage a folder work on their own copy)."""
    import shutil

    shutil.copytree(src, dst)
    return dst


def flip_byte(path: Path, offset: int | None = None) -> int:
    """Flip one bit pattern of one byte of ``path`` in place (the middle one by default)."""
    data = bytearray(path.read_bytes())
    where = len(data) // 2 if offset is None else offset
    data[where] ^= 0xFF
    path.write_bytes(bytes(data))
    return where


def real_build(base: Path) -> Path:
    """``kyanh-corpus build data/raw tests/pages --out DIR`` through the CLI, once per session."""
    import subprocess
    import sys

    root = ROOT
    out = base / "real-build"
    if not (out / "manifest.json").is_file():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kyanh_corpus",
                "build",
                str(root / "data" / "raw"),
                str(root / "tests" / "pages"),
                "--out",
                str(out),
                "--quiet",
            ],
            check=True,
            capture_output=True,
        )
    return out
