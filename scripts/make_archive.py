"""Generate a synthetic archive of raw Báo Hà Tĩnh pages about Kỳ Anh town.

Usage::

    python scripts/make_archive.py OUT_DIR --n N [--seed S] [--sidecar-share 0.3]
        [--nfd-share 0.15]

or ``from make_archive import generate`` (see :func:`generate`).

What the generator guarantees (the extractor and the tests may rely on it):

* Determinism: the bytes of every file depend only on ``seed``, ``n`` and the two shares. All
  randomness comes from ``random.Random(seed)`` (and per-page ``random.Random`` seeded from it);
  nothing reads the clock or the global ``random`` state.
* Scrape format of ``data/raw/`` (see docs/design.md, "Line classes"), non-blank lines separated
  by one blank line:
  - prefix form (about 3 pages in 4): ``(Baohatinh.vn) - <lede>``, headline, the lede again;
  - plain form: headline, then the lede printed once (the first non-blank line after the
    headline is always the lede);
  - body: paragraphs, and photos = a placeholder line exactly equal to the headline, always
    followed by one caption line. The body ends with a paragraph when it has any;
  - then optionally ``Tin liên quan:`` (never followed by links), then the byline printed twice
    (``X``, two blank lines, ``X``), then the seed's comment-widget footer verbatim, ending in
    ``Tắt [X]`` without a newline. Tiny pages (a few hundred bytes) have no footer, and a few of
    them no byline either. A byline names each author once.
  - Every page has at least one body paragraph, except briefs (about 1 page in 50,
    docs/design.md "Briefs"): headline and lede only, in the prefix form (the lede printed
    twice, or only once before the headline) or the plain form, no photo, no ``Tin liên
    quan:``; a byline only when the lede is printed twice; sometimes the footer. The planted
    record of a brief has one paragraph (the lede) and ``lede`` null.
* Headlines are unique across the archive and contain no colon; no paragraph, caption or lede
  equals the headline. Some paragraphs start with the headline's words (its first clause, or the
  whole headline followed by more text).
* Interviews (docs/design.md, "Interviews"), about 3 pages in 10. An interview page has one to
  three intro paragraphs without a label, then questions and answers (a question is one
  paragraph; an answer may run over several paragraphs, with photos between them), and its last
  paragraph is the closing thanks (``Xin ... cảm ơn <ông|bà|đồng chí> ...!``). Four modes:
  - labelled (about 6 in 10): every question starts with ``<interviewer label>: `` (``P.V``,
    ``PV``, ``Phóng viên``, ``Phóng viên (PV)``, ``Báo Hà Tĩnh``, ``PV Báo Hà Tĩnh``), every
    answer with the page's single interviewee label: ``<title> <Full Name>``, ``Ông/Bà <Full
    Name>``, ``[Ông/Bà ]<Full Name> - <title>`` (or "–"), ``[Ông/Bà ]<Full Name>, <title>``,
    ``<TITLE> <FULL NAME>`` in capitals, or ``Đồng chí/Ông/Bà <title without its place>``.
    The first intro paragraph names the speaker as ``<title> <Full Name>`` in normal case (the
    casing of a label in capitals; the person behind a title-only label, and nobody else on
    such a page is named with a title that starts with the label's). On a few pages answers
    after the first have no label (their speaker is the labelled answers' person);
  - ``Hỏi:`` / ``Đáp:`` (about 1 in 10);
  - unlabelled (about 2 in 10): questions printed with a bullet (``- ``, ``– ``, ``• ``) and
    ending with "?", or opening with ``Thưa <ông|bà|đồng chí ...>`` or ending with ``, thưa
    <ông|bà|đồng chí>?``; answers and the closing thanks without a label; at least two
    questions, each followed by an answer;
  - questions only (about 1 in 10): labelled questions, unlabelled answers.
  On a page whose answers do not name the speaker (the last three modes), the lede or the first
  intro paragraph says whom the article talks to, in one of the forms of docs/design.md ("PV
  Báo Hà Tĩnh đã trao đổi với ông <Name> - <title>.", "<title> <Name> trao đổi với P.V ...")
  naming the speaker with or without a title, or names nobody ("... trao đổi với lãnh đạo địa
  phương"); no other person is named there in such a form (other people may be quoted there:
  "“...”, ông <Name>, <title> chia sẻ.", "<Ông Name>, <title> cho biết, ...").
  A bullet may stand before the labels of a labelled page; the closing thanks is sometimes
  printed without a label on a labelled page. A colon within the first 150 characters of a
  paragraph is always the colon of a speaker label (labels are at most ~70 characters):
  unlabelled turns and every other paragraph have none; captions never start with a label.
  News pages never start a paragraph with an interviewer label or ``Thưa``, and print at most
  one paragraph shaped like an unlabelled question (a bulleted rhetorical question in a
  bulleted list); bulleted lists (items ending with "." or ";") also appear in answers.
* Citations: within a page no two resolutions share a number, so a short form (type word +
  number, e.g. ``Nghị quyết 02``) is unambiguous; a short form appears only after the full code
  was printed earlier in reading order (headline, lede, body). The first mention of a code
  always has its type word. A date printed right after a code (``ngày D/M/YYYY``,
  ``ngày DD/MM/YYYY``, ``ngày D-M-YYYY`` or ``ngày D tháng M năm YYYY``, optionally after ", ")
  is always that document's issue date, and ``của <issuer>`` right after a code or that date
  its issuer; a type word followed by a digit occurs only in a mention. A ``về <subject>``
  clause after a code is followed by ".", ";" or `` và <citation>``.
  Shapes of docs/design.md, "Document codes", each on a few per cent of the documents: unit
  suffixes (``85/KH-UBND-VX``); untyped codes, always after their type word and never in a short
  form or without it: letters (``Công văn số 2310/UBND-TH``, ``Văn bản 567/SNN-KHTC``) and
  older State codes (``Nghị định 12/CP``, ``Quyết định số 33/1998/CP``); the spelling
  ``20/2003-QĐ-TTg`` of ``20/2003/QĐ-TTg`` (planted under the canonical code); ``Nghị quyết
  (NQ) số 09-NQ/TU``. A document may be introduced by a sentence stating facts before its code,
  ``[Ngày D/M/YYYY, |Ngày D tháng M năm YYYY, ]<issuer> [đã|vừa|mới] [ký] ban hành <type word>
  [số] <code> ...``: the issuer is the document's, and so is the opening date; a date or issuer
  also printed right after the code is the same one (a mention never states two dates or two
  bodies). A sentence opening with ``Tháng M/YYYY,`` or a date followed by anything but
  ``<issuer> ... ban hành <type word>`` (``tổ chức hội nghị triển khai``, ``ban hành kế hoạch
  triển khai``) states no fact of the code. A code-like ``N/UBND-TH`` without a type word is no
  document. All the mentions of a code on a page are one document, and print one date and one
  issuer name (when they print them).
* Documents (docs/design.md, "Document identity"): a document is its code, its place for a
  local issuer (ThU, TU, ĐU, UBND, HĐND: the place its issuing body's full name ends with) and
  its year of issue; the archive holds one document per such triple, with one issue date, one
  issuing body, one type word and one subject, whatever page cites it. Pages are made in order
  and a page only uses the documents of the pages before it (the first N pages of a larger
  archive are the N-page archive). Of the documents a page cites, about ``RECITE_SHARE`` are
  documents earlier pages cited (the same document cited by several pages), about
  ``RENUMBER_SHARE`` new documents reusing an earlier document's code (a reused number): another
  year, five years apart (one per term) when it can, and for some local codes another place
  (another ward's ``NQ/ĐU``, the town's ``QĐ-UBND`` and the province's); numbers drawn at random
  also fall on earlier codes. Documents with one code at one place have one issuing body and one
  type word; a Party number below 10 is printed the same way ("05" or "5") on every page.
  - The first page citing a document prints, with one of its mentions (never the headline), its
    date and its body's full name, which states its place the way docs/design.md reads it
    ("BTV Thị ủy Kỳ Anh", "UBND tỉnh Hà Tĩnh"). Other pages print the date or not (*undated*
    citations), and the body's name, a shorter name of it (``SHORT_NAME_SHARE``: "BTV Thị ủy",
    "UBND tỉnh", "HĐND thị xã") or none, so the place may come from elsewhere on the page ("Thị
    ủy Kỳ Anh" anywhere) or nowhere (*unplaced* citations). A page never states a wrong place: it
    names, after the words of a local body (docs/design.md; "Thị ủy", "UBND <level>", "Đảng ủy
    <level>"), only the place of the documents it cites with that issuer code (its documents
    with one local issuer code have one place, and its other local bodies, speakers' titles and
    quoted people are chosen to agree; checked for every page, :func:`stated_place`).
  - Planted disagreements, on about ``DISAGREE_DATE`` and ``DISAGREE_ISSUER`` of the later
    citations: another day of the same year as the issue date, or another body at the same place
    as the issuer ("BCH Đảng bộ thị xã Kỳ Anh" for "BTV Thị ủy Kỳ Anh"; never the same body spelled
    another way), printed with a date and issuer on that page; nothing else disagrees.
  - Planted truth (``planted.jsonl``, see :func:`generate` and :func:`plant_identity`): for each
    citation, its document ("code|place|year"), what the page states of it, and what a build
    must make of it: the document, or "ambiguous" when the archive has two or more documents it
    may mean (the build keeps it as a record of its own, listed in ``build_report.json``'s
    ``ambiguous_documents``), and whether that record is reported as conflicting (the planted
    disagreements, and an ambiguous record whose citations of different documents state
    different dates or bodies). The build's records are then exactly the documents plus one
    record per ambiguous code/place/year stated: checked when the archive is made.
* Sizes: 200 B to 40 KiB per file (as written); about ``nfd_share`` of the files are written as
  NFD + CRLF + UTF-8 BOM (NFC of their decoded text equals the text of the NFC version).
* ``<stem>.meta.json`` sidecars (``{"url", "published_at", "source"}``) for about
  ``sidecar_share`` of the pages; ``planted.jsonl`` records what was planted (see
  :func:`generate`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Templates: "{slot}" is filled by Filler; a slot written with a capital ("{Town}") is filled
# and its first letter capitalised.
# ---------------------------------------------------------------------------------------------

Tpl = tuple[str, ...]
_SLOT = re.compile(r"\{(\w+)\}")


def _c(text: str) -> Tpl:
    """Compile a template: even items are literals, odd items slot names."""
    return tuple(_SLOT.split(unicodedata.normalize("NFC", text)))


def _cs(texts: list[str]) -> tuple[Tpl, ...]:
    return tuple(_c(t) for t in texts)


WARDS = ["Hưng Trí", "Kỳ Liên", "Kỳ Long", "Kỳ Phương", "Kỳ Thịnh", "Kỳ Trinh", "Sông Trí"]
COMMUNES = ["Kỳ Hà", "Kỳ Hoa", "Kỳ Lợi", "Kỳ Nam", "Kỳ Ninh", "Kỳ Hưng"]
PLACES = [("phường", w) for w in WARDS] + [("xã", c) for c in COMMUNES]
VILLAGES = [
    "Hải Phong", "Tây Yên", "Đông Yên", "Liên Giang", "Hưng Nhân", "Minh Huệ", "Bắc Hà",
    "Nam Sơn", "Trường Sơn", "Hải Thanh", "Tân Thành", "Đông Phong", "Ba Đồng", "Quyền Hành",
    "Liên Phú", "Hồng Hải", "Vĩnh Thành", "Hòa Lộc", "Thắng Lợi", "Tân Phong", "Sơn Hải",
    "Ninh Hải", "Bình Minh", "Tiến Thắng", "Xuân Tiến", "Hải Hà", "Đồng Văn", "Tam Hải",
]
# Real Vietnamese surnames; none of them is a word of the place names above.
SURNAMES = [
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Phan", "Vũ",
    "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Đoàn", "Trương", "Lương",
    "Mai", "Cao", "Tạ", "Chu", "Thái", "Lưu", "Trịnh", "Kiều", "Tôn",
]
MIDDLE_M = ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Xuân", "Công", "Đình", "Trọng"]
MIDDLE_F = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Thùy"]
GIVEN_M = [
    "Thành", "Bình", "Hùng", "Sơn", "Dũng", "Tuấn", "Hải", "Phong", "Quân", "Trung", "Hòa",
    "Lâm", "Thắng", "Cường", "Hiếu", "Lộc", "Tâm", "Vinh", "Khánh", "Toàn", "Nghĩa", "Hưng",
]
GIVEN_F = [
    "Hoa", "Lan", "Hương", "Mai", "Thủy", "Nga", "Trang", "Hiền", "Loan", "Yến", "Nhung",
    "Thương", "Linh", "Oanh", "Hằng", "Tâm", "Vân", "Dung",
]
PEN_FIRST = [
    "Thu", "Minh", "Hoài", "Thanh", "Ngọc", "Anh", "Phúc", "Thiện", "Hồng", "Diệu", "Đức",
    "Hải", "Quang", "Thùy", "Huy", "Bảo", "Khánh", "Gia", "Hữu", "Phương",
]
PEN_SECOND = [
    "Trang", "Đức", "Thương", "Hà", "Loan", "Thư", "Vỹ", "Nhung", "Linh", "Sơn", "Hiếu",
    "Lam", "Tùng", "Châu", "Nam", "Phương", "Ngân", "Dung", "Vân", "Yến", "Chiến", "Thủy",
]
TOWN_TITLES = [
    "Bí thư Thị ủy Kỳ Anh", "Phó Bí thư Thường trực Thị ủy Kỳ Anh",
    "Chủ tịch UBND thị xã Kỳ Anh", "Chủ tịch HĐND thị xã Kỳ Anh",
    "Trưởng Ban Tổ chức Thị ủy Kỳ Anh", "Trưởng Ban Dân vận Thị ủy Kỳ Anh",
    "Chủ nhiệm UBKT Thị ủy Kỳ Anh", "Phó Chủ tịch UBND thị xã Kỳ Anh",
    "Chủ tịch Ủy ban MTTQ thị xã Kỳ Anh", "Trưởng phòng Kinh tế thị xã Kỳ Anh",
]
LOCAL_TITLES = ["Bí thư Đảng ủy", "Chủ tịch UBND", "Phó Chủ tịch UBND"]
ROLES = [
    "Phó Bí thư Thường trực", "Bí thư", "Phó Chủ tịch", "Chủ tịch", "Trưởng Ban", "Chủ nhiệm",
    "Trưởng phòng",
]

# The seed's comment-widget footer, verbatim (its leading blanks are U+00A0 no-break spaces).
FOOTER = (
    "\u00a0{name} - {time}\n\n\u00a0Trả lời\n\n{body}\n\u00a0{name}- {time}\n{body}\n\n"
    "0 bình luận\n\n"
    "Ý kiến của bạn sẽ được biên tập trước khi đăng. Vui lòng gõ tiếng Việt có dấu\n\n"
    "Các tin đã đưa\n\nThời tiết\n\nĐịa phương\n\nXem thêm Thành phố Hà Tĩnh\n\n"
    "Hãy chia sẻ với bạn bè!\nTắt [X]"
)
MIN_BYTES, MAX_BYTES = 200, 40 * 1024
PREFIX = "(Baohatinh.vn) - "
RELATED = "Tin liên quan:"
# Interviewer labels (docs/design.md, "Real press shapes") with their weights.
INTERVIEWER_LABELS = {
    "P.V": 30, "PV": 12, "Phóng viên": 10, "Phóng viên (PV)": 6, "Báo Hà Tĩnh": 5,
    "PV Báo Hà Tĩnh": 4,
}
BULLETS = ["- ", "- ", "– ", "• "]
SHAPES = (
    "brief", "brief:prefix-twice", "brief:prefix-once", "brief:plain",
    "interview:labelled", "interview:hoi-dap", "interview:unlabelled", "interview:questions-only",
    "intro:title", "intro:name", "intro:none",
    "label:title-name", "label:hon-name", "label:name-dash-title", "label:name-comma-title",
    "label:caps", "label:hon-title", "label:bullet",
    "interviewer:Phóng viên (PV)", "interviewer:Báo Hà Tĩnh", "interviewer:PV Báo Hà Tĩnh",
    "interviewer:Hỏi", "thanks:unlabelled", "answers:later-unlabelled",
    "bullets", "news:rhetorical-question",
    "code:unit", "code:letter", "code:old-state", "code:dash-year", "code:abbr-note",
    "code:facts-before",
)
"""The press shapes a planted record may name (its "shapes"; docs/design.md, "Real press
shapes")."""


@dataclass(frozen=True)
class Topic:
    """Phrase pools of one subject area; every item may contain slots."""

    key: str
    cores: tuple[str, ...]  # capitalised verb phrases usable as headline start
    tails: tuple[str, ...]  # second clause of a headline
    np: tuple[Tpl, ...]  # noun phrases ("công tác giải phóng mặt bằng")
    goal: tuple[Tpl, ...]  # verb phrases of purpose
    act: tuple[Tpl, ...]  # verb phrases of action
    res: tuple[Tpl, ...]  # clauses stating a result
    diff: tuple[Tpl, ...]  # clauses stating a difficulty
    ppl: tuple[str, ...]
    subjects: tuple[Tpl, ...]  # subjects of resolutions ("về ...")
    captions: tuple[Tpl, ...]


def _topic(key: str, **kw: list[str]) -> Topic:
    return Topic(
        key=key,
        cores=tuple(kw["cores"]),
        tails=tuple(kw["tails"]),
        np=_cs(kw["np"]),
        goal=_cs(kw["goal"]),
        act=_cs(kw["act"]),
        res=_cs(kw["res"]),
        diff=_cs(kw["diff"]),
        ppl=tuple(kw["ppl"]),
        subjects=_cs(kw["subjects"]),
        captions=_cs(kw["captions"]),
    )


TOPICS: tuple[Topic, ...] = (
    _topic(
        "dang",
        cores=[
            "Nâng cao chất lượng sinh hoạt chi bộ thôn, tổ dân phố",
            "Đổi mới nội dung sinh hoạt cấp ủy",
            "Siết chặt kỷ luật, kỷ cương trong Đảng bộ",
            "Tạo chuyển biến trong công tác phát triển đảng viên",
            "Phát huy vai trò nêu gương của người đứng đầu",
            "Củng cố tổ chức cơ sở Đảng ở vùng bãi ngang",
        ],
        tails=[
            "giữ vững niềm tin của Nhân dân", "tạo nền móng cho đô thị công nghiệp",
            "làm sâu sắc thêm vai trò hạt nhân chính trị",
        ],
        np=[
            "chất lượng sinh hoạt chi bộ", "công tác xây dựng Đảng",
            "năng lực lãnh đạo của tổ chức cơ sở Đảng", "công tác phát triển đảng viên",
            "việc thực hiện quy chế dân chủ ở cơ sở",
        ],
        goal=[
            "nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức cơ sở Đảng",
            "xây dựng Đảng bộ thị xã trong sạch, vững mạnh",
            "tạo sự thống nhất cao trong cán bộ, đảng viên",
            "đưa nghị quyết của cấp ủy sớm đi vào cuộc sống",
        ],
        act=[
            "tổ chức sinh hoạt chi bộ chuyên đề theo hướng thiết thực",
            "phân công cấp ủy viên dự sinh hoạt tại các chi bộ còn khó khăn",
            "rà soát, sàng lọc đội ngũ đảng viên",
            "bồi dưỡng kỹ năng điều hành cho bí thư chi bộ",
            "đổi mới cách ra nghị quyết của chi bộ theo hướng ngắn gọn, dễ kiểm tra",
            "tạo nguồn phát triển đảng viên từ đoàn viên ưu tú",
        ],
        res=[
            "nội dung sinh hoạt chi bộ ngày càng đi vào thực chất",
            "tỷ lệ đảng viên dự sinh hoạt thường kỳ đạt trên {pct}%",
            "nhiều chi bộ đã khắc phục được tình trạng sinh hoạt đơn điệu",
            "công tác kết nạp đảng viên mới đạt và vượt chỉ tiêu đề ra",
            "toàn Đảng bộ kết nạp được {n} đảng viên mới",
        ],
        diff=[
            "một số chi bộ vẫn sinh hoạt theo lối mòn",
            "nhiều đảng viên đi làm ăn xa nên khó tham gia sinh hoạt",
            "nguồn phát triển đảng viên ở vùng biển còn mỏng",
        ],
        ppl=["cán bộ, đảng viên", "bí thư chi bộ", "cấp ủy viên"],
        subjects=[
            "nâng cao chất lượng sinh hoạt cấp ủy, sinh hoạt chi bộ giai đoạn {period}",
            "tăng cường công tác phát triển đảng viên ở thôn, tổ dân phố",
            "nâng cao chất lượng tổ chức cơ sở Đảng và đảng viên",
            "kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng hằng năm",
            "trách nhiệm nêu gương của cán bộ, đảng viên",
        ],
        captions=[
            "Buổi sinh hoạt chi bộ chuyên đề tại {village}, {place}",
            "Cấp ủy viên thị xã dự sinh hoạt cùng chi bộ {village}",
            "Lễ kết nạp đảng viên mới tại {place}",
            "Hội nghị quán triệt nghị quyết chuyên đề của Thị ủy Kỳ Anh",
        ],
    ),
    _topic(
        "dothi",
        cores=[
            "Chỉnh trang đô thị, hướng tới thành phố trực thuộc tỉnh",
            "Xây dựng tuyến phố văn minh",
            "Nâng cấp hạ tầng đô thị",
            "Giữ gìn mỹ quan đô thị ven biển",
        ],
        tails=["tạo diện mạo mới cho vùng đất phía Nam", "đón nhận làn sóng đầu tư"],
        np=[
            "công tác chỉnh trang đô thị", "các tiêu chí đô thị loại III",
            "hệ thống hạ tầng giao thông đô thị", "phong trào xây dựng tổ dân phố văn minh",
        ],
        goal=[
            "đưa TX Kỳ Anh trở thành thành phố trực thuộc tỉnh",
            "xây dựng đô thị xanh, sạch, đẹp",
            "hoàn thiện các tiêu chí còn thiếu của đô thị loại III",
        ],
        act=[
            "mở rộng các tuyến đường nội thị", "lắp đặt điện chiếu sáng trên các tuyến phố",
            "vận động người dân hiến đất mở rộng đường", "trồng cây xanh trên các trục chính",
            "lập lại trật tự vỉa hè, lòng đường",
        ],
        res=[
            "bộ mặt đô thị ngày càng khang trang", "{n} tuyến phố đã đạt chuẩn văn minh đô thị",
            "hệ thống hạ tầng kỹ thuật từng bước đồng bộ",
        ],
        diff=[
            "nguồn lực đầu tư hạ tầng còn hạn chế",
            "tình trạng lấn chiếm vỉa hè vẫn còn tái diễn",
        ],
        ppl=["người dân", "hộ kinh doanh", "bà con tổ dân phố"],
        subjects=[
            "xây dựng TX Kỳ Anh trở thành thành phố trực thuộc tỉnh",
            "phát triển đô thị bền vững giai đoạn {period}",
            "quản lý trật tự đô thị và vỉa hè",
        ],
        captions=[
            "Tuyến đường ven sông Trí sau khi được chỉnh trang",
            "Một góc trung tâm {place} nhìn từ trên cao",
            "Người dân {village} trồng hoa dọc tuyến đường liên thôn",
        ],
    ),
    _topic(
        "gpmb",
        cores=[
            "Đẩy nhanh tiến độ giải phóng mặt bằng",
            "Gỡ vướng mặt bằng cho các dự án trọng điểm",
            "Bàn giao mặt bằng sạch cho nhà đầu tư",
            "Ổn định cuộc sống người dân vùng tái định cư",
        ],
        tails=["mở đường cho Khu kinh tế Vũng Áng", "không để dự án chờ mặt bằng"],
        np=[
            "công tác giải phóng mặt bằng", "công tác bồi thường, hỗ trợ tái định cư",
            "tiến độ các dự án trong Khu kinh tế Vũng Áng",
        ],
        goal=[
            "bàn giao mặt bằng đúng tiến độ cho nhà đầu tư", "tạo quỹ đất sạch thu hút đầu tư",
            "bảo đảm quyền lợi chính đáng của người dân",
        ],
        act=[
            "tổ chức đối thoại trực tiếp với các hộ dân", "kiểm đếm, áp giá công khai, minh bạch",
            "xây dựng hạ tầng khu tái định cư trước khi di dời",
            "thành lập tổ công tác bám cơ sở",
        ],
        res=[
            "{n} hộ dân đã nhận tiền bồi thường và bàn giao mặt bằng",
            "tiến độ giải phóng mặt bằng đạt {pct}% kế hoạch năm",
            "nhiều dự án lớn đã có mặt bằng để khởi công",
        ],
        diff=[
            "một số hộ dân chưa đồng thuận với đơn giá bồi thường",
            "nguồn gốc đất đai phức tạp qua nhiều thời kỳ", "quỹ đất tái định cư còn thiếu",
        ],
        ppl=["hộ dân vùng dự án", "người dân", "cán bộ địa chính"],
        subjects=[
            "tăng cường sự lãnh đạo của Đảng đối với công tác giải phóng mặt bằng",
            "chính sách bồi thường, hỗ trợ khi Nhà nước thu hồi đất",
            "giá đất cụ thể để tính bồi thường tại Khu kinh tế Vũng Áng",
        ],
        captions=[
            "Khu tái định cư {village}, {place} đã cơ bản hoàn thiện hạ tầng",
            "Cán bộ địa chính kiểm đếm tài sản trên đất của hộ dân {place}",
            "Lãnh đạo thị xã đối thoại với người dân {place} về phương án bồi thường",
        ],
    ),
    _topic(
        "bien",
        cores=[
            "Vươn khơi bám biển",
            "Phát triển kinh tế biển gắn với bảo vệ chủ quyền",
            "Chống khai thác hải sản bất hợp pháp",
            "Nâng tầm nước mắm truyền thống",
        ],
        tails=["làm giàu từ biển", "giữ vững ngư trường truyền thống"],
        np=[
            "nghề khai thác hải sản", "kinh tế biển", "công tác chống khai thác IUU",
            "chuỗi liên kết tiêu thụ hải sản",
        ],
        goal=["phát triển nghề cá bền vững", "nâng cao thu nhập cho ngư dân", "gỡ thẻ vàng IUU"],
        act=[
            "hỗ trợ ngư dân lắp thiết bị giám sát hành trình",
            "nâng cấp cảng cá và khu neo đậu tránh trú bão",
            "thành lập các tổ đoàn kết sản xuất trên biển",
        ],
        res=[
            "sản lượng khai thác đạt {n}.{n3} tấn", "{pct}% tàu cá đã lắp thiết bị giám sát",
            "đời sống ngư dân từng bước được nâng lên",
        ],
        diff=["ngư trường ven bờ ngày càng cạn kiệt", "chi phí nhiên liệu tăng cao"],
        ppl=["ngư dân", "chủ tàu", "bà con vùng biển"],
        subjects=[
            "phát triển kinh tế biển gắn với bảo vệ môi trường",
            "tăng cường các biện pháp chống khai thác hải sản bất hợp pháp",
            "hỗ trợ ngư dân đóng mới, cải hoán tàu cá",
        ],
        captions=[
            "Ngư dân {place} chuẩn bị ngư lưới cụ cho chuyến biển mới",
            "Tàu thuyền neo đậu tại cảng cá {place}",
            "Phân loại hải sản sau chuyến khai thác tại {place}",
        ],
    ),
    _topic(
        "caicach",
        cores=[
            "Đẩy mạnh chuyển đổi số trong cơ quan nhà nước",
            "Cải cách hành chính, lấy người dân làm trung tâm",
            "Xây dựng chính quyền số",
            "Đưa dịch vụ công trực tuyến đến từng hộ dân",
        ],
        tails=["rút ngắn khoảng cách giữa chính quyền và người dân", "phục vụ tốt hơn"],
        np=[
            "công tác cải cách hành chính", "chuyển đổi số", "dịch vụ công trực tuyến",
            "chỉ số hài lòng của người dân",
        ],
        goal=[
            "xây dựng nền hành chính phục vụ", "rút ngắn thời gian giải quyết thủ tục",
            "hình thành công dân số",
        ],
        act=[
            "thành lập tổ công nghệ số cộng đồng ở thôn, tổ dân phố",
            "số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            "hướng dẫn người dân cài đặt ứng dụng định danh điện tử",
        ],
        res=[
            "tỷ lệ hồ sơ giải quyết đúng hạn đạt {pct}%",
            "{n} tổ công nghệ số cộng đồng đi vào hoạt động",
            "chỉ số cải cách hành chính của thị xã được cải thiện",
        ],
        diff=[
            "hạ tầng mạng ở vùng ven biển chưa đồng bộ",
            "một bộ phận người cao tuổi còn ngại làm thủ tục trực tuyến",
        ],
        ppl=["công chức một cửa", "đoàn viên thanh niên", "người dân"],
        subjects=[
            "chuyển đổi số thị xã Kỳ Anh đến năm 2025, định hướng đến năm 2030",
            "đẩy mạnh cải cách hành chính gắn với chuyển đổi số",
            "nâng cao chỉ số năng lực cạnh tranh cấp huyện",
        ],
        captions=[
            "Công chức Bộ phận một cửa {place} hướng dẫn người dân làm thủ tục",
            "Đoàn viên thanh niên hỗ trợ người dân {village} cài đặt ứng dụng",
            "Người dân nộp hồ sơ trực tuyến tại Trung tâm hành chính công thị xã",
        ],
    ),
    _topic(
        "nongnghiep",
        cores=[
            "Phát triển sản phẩm OCOP từ lợi thế địa phương",
            "Tích tụ ruộng đất, phát triển nông nghiệp hàng hóa",
            "Nhân rộng mô hình kinh tế vườn hộ",
            "Ứng dụng công nghệ cao trong sản xuất nông nghiệp",
        ],
        tails=["nâng giá trị trên từng thửa ruộng", "giúp nông dân làm giàu"],
        np=[
            "sản xuất nông nghiệp", "chương trình mỗi xã một sản phẩm",
            "các mô hình kinh tế trang trại", "chuỗi giá trị nông sản",
        ],
        goal=[
            "nâng cao giá trị thu nhập trên một đơn vị diện tích",
            "xây dựng thương hiệu cho nông sản địa phương",
        ],
        act=[
            "hỗ trợ nông dân xây dựng nhà màng", "liên kết với doanh nghiệp bao tiêu sản phẩm",
            "chuyển diện tích lúa kém hiệu quả sang trồng cây ăn quả",
        ],
        res=[
            "thị xã đã có {n} sản phẩm đạt chuẩn OCOP từ 3 sao trở lên",
            "nhiều hộ có thu nhập vài trăm triệu đồng mỗi năm",
            "giá trị sản xuất trên 1 ha đất canh tác đạt {n3} triệu đồng",
        ],
        diff=["quy mô sản xuất còn nhỏ lẻ", "đầu ra sản phẩm chưa ổn định"],
        ppl=["nông dân", "hội viên nông dân", "chủ trang trại"],
        subjects=[
            "hỗ trợ phát triển sản xuất nông nghiệp giai đoạn {period}",
            "phát triển sản phẩm OCOP gắn với du lịch cộng đồng",
            "chính sách khuyến khích tích tụ ruộng đất",
        ],
        captions=[
            "Mô hình trồng dưa lưới trong nhà màng tại {village}, {place}",
            "Nông dân {place} thu hoạch lúa vụ xuân",
            "Sản phẩm của {place} được trưng bày tại hội chợ OCOP",
        ],
    ),
    _topic(
        "ansinh",
        cores=[
            "Chăm lo đời sống gia đình chính sách",
            "Giảm nghèo bền vững ở vùng bãi ngang",
            "Xóa nhà tạm cho hộ nghèo",
            "Trao sinh kế cho hộ cận nghèo",
        ],
        tails=["không để ai bị bỏ lại phía sau", "ấm lòng người nghèo"],
        np=["công tác an sinh xã hội", "công tác giảm nghèo", "chính sách đối với người có công"],
        goal=["không để ai bị bỏ lại phía sau", "giúp hộ nghèo có việc làm ổn định"],
        act=[
            "vận động doanh nghiệp hỗ trợ xây nhà cho hộ nghèo",
            "trao bò giống, máy móc cho hộ cận nghèo", "rà soát, bình xét hộ nghèo công khai",
        ],
        res=[
            "tỷ lệ hộ nghèo giảm còn {pct}%", "{n} ngôi nhà mới đã được bàn giao cho hộ khó khăn",
            "hàng trăm lao động được giới thiệu việc làm",
        ],
        diff=["nhiều hộ nghèo thiếu sức lao động", "nguồn vốn hỗ trợ sinh kế còn ít"],
        ppl=["hộ nghèo", "gia đình chính sách", "người có công"],
        subjects=[
            "thực hiện chương trình giảm nghèo bền vững", "hỗ trợ xóa nhà tạm, nhà dột nát",
            "chăm lo người có công với cách mạng",
        ],
        captions=[
            "Trao quà cho gia đình chính sách tại {place}",
            "Ngôi nhà mới của hộ nghèo ở {village}, {place}",
            "Hội Liên hiệp Phụ nữ thị xã trao sinh kế cho hội viên {place}",
        ],
    ),
    _topic(
        "giaoduc",
        cores=[
            "Nâng cao chất lượng giáo dục mũi nhọn",
            "Xây dựng trường chuẩn quốc gia",
            "Đổi mới phương pháp dạy học ở vùng khó",
        ],
        tails=["chắp cánh ước mơ cho học trò vùng biển", "đầu tư cho tương lai"],
        np=[
            "chất lượng giáo dục", "phong trào khuyến học, khuyến tài",
            "cơ sở vật chất trường học",
        ],
        goal=["đáp ứng yêu cầu đổi mới giáo dục", "xây dựng xã hội học tập"],
        act=[
            "đầu tư phòng học bộ môn", "bồi dưỡng đội ngũ giáo viên cốt cán",
            "huy động xã hội hóa giáo dục",
        ],
        res=["{n} trường đã đạt chuẩn quốc gia", "tỷ lệ học sinh lên lớp đạt {pct}%"],
        diff=["một số trường còn thiếu phòng học", "giáo viên ở vùng biển còn thiếu"],
        ppl=["giáo viên", "phụ huynh", "học sinh"],
        subjects=[
            "phát triển giáo dục và đào tạo giai đoạn {period}",
            "xây dựng trường học đạt chuẩn quốc gia",
        ],
        captions=[
            "Giờ học của cô trò Trường Tiểu học {place}",
            "Học sinh Trường THCS {place} trong giờ thực hành",
        ],
    ),
    _topic(
        "moitruong",
        cores=[
            "Phân loại rác thải tại nguồn",
            "Trả lại màu xanh cho bờ biển",
            "Quản lý chất thải rắn sinh hoạt",
        ],
        tails=["vì một môi trường sống trong lành", "bắt đầu từ mỗi gia đình"],
        np=[
            "công tác bảo vệ môi trường", "phong trào phân loại rác tại nguồn",
            "vệ sinh môi trường khu dân cư",
        ],
        goal=["giữ gìn môi trường xanh, sạch, đẹp", "giảm lượng rác thải phải chôn lấp"],
        act=[
            "phát động ngày chủ nhật xanh", "trang bị thùng phân loại rác cho các hộ",
            "trồng rừng phòng hộ ven biển",
        ],
        res=[
            "{pct}% hộ dân đã phân loại rác tại nguồn", "bờ biển {place} luôn sạch sẽ",
        ],
        diff=["ý thức của một bộ phận người dân chưa cao", "kinh phí vận chuyển rác còn lớn"],
        ppl=["đoàn viên thanh niên", "hội viên phụ nữ", "người dân"],
        subjects=[
            "tăng cường quản lý chất thải rắn sinh hoạt",
            "bảo vệ môi trường trong Khu kinh tế Vũng Áng",
        ],
        captions=[
            "Đoàn viên thanh niên {place} dọn rác trên bãi biển",
            "Người dân {village} phân loại rác tại nhà",
        ],
    ),
    _topic(
        "thientai",
        cores=[
            "Chủ động ứng phó với mùa mưa bão",
            "Khắc phục hậu quả sau bão",
            "Bảo đảm an toàn cho người dân vùng trũng",
        ],
        tails=["không để bị động, bất ngờ", "giữ an toàn cho bà con vùng biển"],
        np=["công tác phòng, chống thiên tai", "phương án sơ tán dân", "công tác tìm kiếm cứu nạn"],
        goal=["giảm thiểu thiệt hại do thiên tai gây ra", "bảo đảm an toàn tính mạng cho Nhân dân"],
        act=[
            "rà soát các điểm xung yếu trên tuyến đê biển", "tổ chức diễn tập phòng chống lụt bão",
            "chuẩn bị lương thực, nhu yếu phẩm tại chỗ",
        ],
        res=["không có thiệt hại về người", "{n} hộ dân đã được di dời đến nơi an toàn"],
        diff=["hệ thống đê kè một số đoạn đã xuống cấp", "thời tiết diễn biến khó lường"],
        ppl=["lực lượng xung kích", "người dân", "dân quân tự vệ"],
        subjects=[
            "phòng, chống thiên tai và tìm kiếm cứu nạn năm {year}",
            "nâng cao năng lực ứng phó với biến đổi khí hậu",
        ],
        captions=[
            "Lực lượng vũ trang giúp người dân {place} chằng chống nhà cửa",
            "Tàu thuyền vào neo đậu tránh bão tại {place}",
        ],
    ),
    _topic(
        "danvan",
        cores=[
            "Dân vận khéo trong xây dựng nông thôn mới",
            "Phát huy sức dân xây dựng khu dân cư kiểu mẫu",
            "Lan tỏa phong trào Dân vận khéo",
        ],
        tails=["ý Đảng hợp lòng dân", "khi lòng dân đã thuận"],
        np=["phong trào Dân vận khéo", "công tác dân vận", "khu dân cư nông thôn mới kiểu mẫu"],
        goal=["tạo sự đồng thuận trong Nhân dân", "huy động sức dân xây dựng quê hương"],
        act=[
            "vận động người dân hiến đất làm đường", "xây dựng các mô hình dân vận khéo",
            "tổ chức đối thoại định kỳ với Nhân dân",
        ],
        res=[
            "{n} mô hình dân vận khéo đã được công nhận",
            "người dân đã hiến hơn {n}.{n3} m2 đất",
        ],
        diff=["một số nơi còn nặng về hình thức", "nguồn lực đối ứng còn hạn chế"],
        ppl=["người dân", "cán bộ dân vận", "người có uy tín"],
        subjects=[
            "nâng cao chất lượng công tác dân vận trong tình hình mới",
            "xây dựng khu dân cư nông thôn mới kiểu mẫu",
        ],
        captions=[
            "Người dân {village} góp ngày công làm đường",
            "Cán bộ dân vận thị xã thăm hỏi hộ dân {place}",
        ],
    ),
    _topic(
        "dulich",
        cores=[
            "Đánh thức tiềm năng du lịch biển",
            "Phát triển du lịch cộng đồng",
            "Gắn du lịch với bảo tồn di tích",
        ],
        tails=["tạo sinh kế mới cho người dân", "níu chân du khách"],
        np=["du lịch biển", "du lịch văn hóa tâm linh", "dịch vụ lưu trú"],
        goal=["đưa du lịch trở thành ngành kinh tế quan trọng", "thu hút du khách trở lại"],
        act=[
            "quy hoạch khu du lịch biển", "tổ chức lễ hội cầu ngư",
            "đào tạo kỹ năng cho hộ kinh doanh lưu trú",
        ],
        res=["lượng khách tăng {pct}% so với cùng kỳ", "doanh thu du lịch đạt {money}"],
        diff=["hạ tầng du lịch còn thiếu đồng bộ", "hoạt động du lịch còn mang tính mùa vụ"],
        ppl=["hộ kinh doanh", "người dân", "du khách"],
        subjects=[
            "phát triển du lịch giai đoạn {period}",
            "bảo tồn và phát huy giá trị di tích lịch sử",
        ],
        captions=[
            "Bãi biển {place} thu hút đông du khách dịp hè",
            "Lễ hội cầu ngư tại {place}",
        ],
    ),
)

# Generic sentences: body of news and answers. None contains a colon.
GENERIC = _cs([
    "Thời gian qua, {org} đã tập trung chỉ đạo {act}, nhờ đó {res}.",
    "Để {goal}, {town} xác định {np} là nhiệm vụ trọng tâm, xuyên suốt.",
    "Với cách làm bài bản, {place} đã {act}.",
    "Năm {year}, {res}.",
    "Đến nay, {res}, góp phần {goal}.",
    "Tuy nhiên, quá trình triển khai vẫn còn khó khăn khi {diff}.",
    "Bên cạnh những kết quả đạt được, {town} thẳng thắn nhìn nhận {diff}.",
    "Từ thực tiễn ở {place}, {org} đã rút ra nhiều bài học kinh nghiệm quý.",
    "Ngay từ đầu năm, {org} đã giao chỉ tiêu cụ thể cho từng xã, phường và gắn với trách "
    "nhiệm người đứng đầu.",
    "Nhiều {ppl} ở {village} đã gương mẫu đi đầu, tạo sức lan tỏa trong cộng đồng.",
    "Thời gian tới, {town} tiếp tục {act}, phấn đấu {goal}.",
    "Đây là cơ sở quan trọng để {town} {goal}.",
    "Cùng với đó, {place} chú trọng {act}.",
    "Nhờ sự vào cuộc quyết liệt của cả hệ thống chính trị, {res}.",
    "Kết quả này là minh chứng rõ nét cho sự đồng lòng giữa chính quyền và {ppl}.",
    "Trong quá trình thực hiện, {org} thường xuyên kiểm tra, đôn đốc và kịp thời tháo gỡ "
    "vướng mắc cho cơ sở.",
    "Không chỉ dừng lại ở đó, {place} còn {act}.",
    "Qua khảo sát tại {n} thôn, tổ dân phố, {org} nhận thấy {diff}.",
    "Theo đánh giá của {org}, {np} đã có bước chuyển biến tích cực.",
    "Mỗi tháng, {org} tổ chức giao ban để đánh giá tiến độ và chỉ ra những việc cần làm ngay.",
    "Ở {village}, {place}, người dân đã chủ động {act}.",
    "Tổng kinh phí huy động cho {np} trong năm đạt {money}, trong đó Nhân dân đóng góp "
    "một phần đáng kể.",
    "Điều đáng ghi nhận là {res}.",
    "Những con số ấy cho thấy {np} ở {town} đang đi đúng hướng.",
    "Từ những kết quả bước đầu, {town} sẽ nhân rộng cách làm này ra toàn địa bàn.",
    "Hiện nay, {org} đang chỉ đạo các địa phương {act}.",
    "Trên địa bàn {place} hiện có {n} hộ tham gia, tăng gần gấp đôi so với năm {year}.",
    "Nhiều cách làm hay, sáng tạo đã xuất hiện, nhất là ở {place} và {place2}.",
    "Nhìn lại chặng đường đã qua, có thể thấy {np} đã tạo được dấu ấn rõ nét.",
    "{Who} cho biết, {res}.",
    "Theo {who}, {res}.",
    "Phát biểu tại hội nghị, {who} đề nghị các địa phương tiếp tục {act}.",
    "“{Quote}”, {who} chia sẻ.",
    "Bà {pname_f} ở {village}, {place} phấn khởi kể rằng cuộc sống gia đình đã đổi thay "
    "nhiều so với trước.",
    "Ông {pname_m}, một người dân {village}, cho rằng cách làm công khai đã tạo được niềm "
    "tin cho bà con.",
    "Song song với đó, {org} quan tâm {act} để {goal}.",
    "Ở nhiều thôn, tổ dân phố, {ppl} đã tự giác tham gia mà không cần nhắc nhở.",
    "Có được kết quả đó là nhờ {org} đã đi trước một bước trong khâu chuẩn bị.",
])

# Sentences with a colon after a lowercase word; only used after 150 characters of a paragraph.
COLON = _cs([
    "Một số giải pháp được triển khai đồng bộ như: {act}; {act}.",
    "Địa phương tập trung vào ba nhóm giải pháp gồm: tuyên truyền, kiểm tra và nhân rộng "
    "điển hình.",
    "Các bước được thực hiện theo trình tự sau: khảo sát, lấy ý kiến Nhân dân rồi mới triển "
    "khai.",
])

# First-person sentences for interview answers.
ANSWER = _cs([
    "Chúng tôi xác định {np} là khâu then chốt để {goal}.",
    "Ngay từ đầu nhiệm kỳ, Ban Thường vụ đã chỉ đạo {act}.",
    "Theo tôi, điều quan trọng nhất là {act} một cách thực chất, tránh hình thức.",
    "Qua thực tiễn, chúng tôi rút ra bài học là phải bám sát cơ sở, lắng nghe ý kiến của "
    "Nhân dân.",
    "Bên cạnh đó, chúng tôi cũng nhận thấy {diff}.",
    "Để khắc phục, thị xã đã {act} và giao trách nhiệm cụ thể cho từng cấp ủy viên.",
    "Có thể khẳng định, {res}.",
    "Thời gian tới, chúng tôi sẽ tập trung {act}, phấn đấu {goal}.",
    "Tôi cho rằng, nếu cán bộ gương mẫu thì Nhân dân sẽ tin và làm theo.",
    "Điều chúng tôi trăn trở nhất là {diff}.",
])

QUOTES = _cs([
    "Chúng tôi luôn xác định {np} là việc lâu dài, phải làm bền bỉ và thực chất",
    "Người dân đồng thuận thì việc khó mấy cũng làm được",
    "Địa phương sẽ tiếp tục {act} để {goal}",
    "Cái được lớn nhất là niềm tin của bà con đối với cấp ủy, chính quyền",
])

ENUM_ORDINALS = ["Thứ nhất", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu"]
ENUM = _cs([
    "tiếp tục {act}, coi đây là giải pháp then chốt để {goal}.",
    "tập trung {act}; đồng thời kiểm tra, giám sát chặt chẽ việc thực hiện ở cơ sở.",
    "đề cao trách nhiệm người đứng đầu cấp ủy, chính quyền trong {np}.",
    "quan tâm {act}, tạo điều kiện để {ppl} phát huy vai trò.",
    "làm tốt công tác tuyên truyền để {ppl} hiểu rõ ý nghĩa của {np}.",
])
ENUM_CITE = _cs(["thực hiện nghiêm {citeend}.", "bám sát {cite} để {act}."])

# Sentences carrying citations.
CITE_ONE = _cs([
    "Thực hiện {cite}, {town} đã {act}.",
    "Ngay sau khi {cite} được ban hành, {org} đã tổ chức quán triệt đến từng chi bộ, cơ "
    "quan, đơn vị.",
    "Đáng chú ý, {town} đã cụ thể hóa {citeend}.",
    "Theo {cite}, đến năm {year2}, {town} phấn đấu {goal}.",
    "Sau {ns} năm thực hiện {cite}, {res}.",
    "Việc triển khai {cite} được {org} xác định là nhiệm vụ trọng tâm của cả nhiệm kỳ.",
    "{Citehead} đã thực sự đi vào cuộc sống, góp phần {goal}.",
    "{Citehead} là căn cứ quan trọng để các địa phương {act}.",
    "Bám sát {cite}, {org} đã chỉ đạo {act}.",
    "Kết quả sơ kết {cite} cho thấy {res}.",
    "Các chi bộ đã đưa việc thực hiện {cite} vào nội dung sinh hoạt định kỳ.",
    # A date opens the sentence but nobody "ban hành" the code: no fact before the code.
    "Ngày {dmy}, {org} tổ chức hội nghị triển khai {cite}.",
    "Ngày {dmy}, {org} đã ban hành kế hoạch triển khai {citeend}.",
])
CITE_TWO = _cs([
    "Các địa phương đã xây dựng kế hoạch cụ thể để thực hiện {cite} và {citeend}.",
    "Trên cơ sở {cite}, {org} đã cụ thể hóa bằng {citeend}.",
    "Đồng thời, thực hiện nghiêm túc {citeend} và {citeend}.",
])
CITE_BARE = _cs([
    "Quán triệt tinh thần văn bản {bare}, {place} đã {act}.",
    "Sau {ns} năm triển khai {bare}, {res}.",
    "Nhiều chi bộ đã đưa nội dung {bare} vào sinh hoạt hằng tháng.",
])

QUESTIONS = _cs([
    "Thưa {addr}, {pron} có thể chia sẻ về những kết quả nổi bật trong {np} thời gian qua?",
    "{Pron} đánh giá như thế nào về {np} ở {town} hiện nay?",
    "Đâu là những khó khăn, vướng mắc trong quá trình {act}, thưa {pron}?",
    "Thời gian tới, {town} sẽ có những giải pháp gì để {goal}?",
    "Từ thực tiễn ở {place}, {pron} rút ra những bài học kinh nghiệm gì?",
    "Được biết, {res}. {Pron} có thể nói rõ hơn về cách làm này?",
    "Nhiều ý kiến cho rằng {diff}. {Pron} nghĩ sao về vấn đề này?",
    "Để {goal}, theo {pron}, cần tập trung vào những nhiệm vụ trọng tâm nào?",
    "Người dân {place} nhận được gì từ {np}, thưa {pron}?",
    "Vai trò của người đứng đầu trong {np} được phát huy ra sao?",
    "Có ý kiến lo ngại {diff}. Thị xã đã có hướng tháo gỡ như thế nào?",
    "{Pron} có thể nói về cách {town} {act}?",
    "Những mô hình nào ở {place} có thể nhân rộng, thưa {pron}?",
    "Thưa {addr}, đâu là dấu ấn rõ nét nhất của {np} trong năm {year}?",
])
QUESTIONS_CITE = _cs([
    "Thưa {addr}, việc triển khai {cite} đã mang lại những chuyển biến gì ở cơ sở?",
    "Thị xã đang triển khai {citeend}. Xin {pron} cho biết những điểm mới của văn bản này?",
    "Sau {ns} năm thực hiện {cite}, {pron} đánh giá thế nào về những kết quả đạt được?",
])
CLOSINGS = _cs(
    ["Xin cảm ơn {pron}!", "Xin trân trọng cảm ơn {pron}!", "Xin cảm ơn {pron} về cuộc trao đổi!"]
)

INTRO = _cs([
    "Nhân dịp {occasion}, {ititle} {iname} đã có cuộc trao đổi với P.V Báo Hà Tĩnh về {np}.",
    "{Ititle} {iname} chia sẻ với phóng viên Báo Hà Tĩnh xung quanh những kết quả và bài học "
    "trong {np}.",
    "Xung quanh câu chuyện này, phóng viên Báo Hà Tĩnh đã có cuộc trò chuyện với {ititle} "
    "{iname}.",
])

# Sentences saying whom an interview talks to (docs/design.md, "Who answers"): the person and
# the title they give are the interviewee's; TALK_NAME gives no title, TALK_NONE names nobody.
TALK_TITLE = _cs([
    "PV Báo Hà Tĩnh đã trao đổi với {hon} {iname} - {ititle}.",
    "PV Báo Hà Tĩnh đã trao đổi với {hon} {iname} – {ititle} về {np}.",
    "Báo Hà Tĩnh đã có cuộc trò chuyện với {hon} {iname}, {ititle} về {np}.",
    "Phóng viên Báo Hà Tĩnh đã phỏng vấn {hon} {iname} - {ititle} xung quanh {np}.",
    "Nhân dịp {occasion}, chúng tôi đã gặp {hon} {iname}, {ititle}.",
    "{Ititle} {iname} trao đổi với P.V Báo Hà Tĩnh về {np}.",
    "{Ititle} {iname} chia sẻ với phóng viên Báo Hà Tĩnh về những kết quả bước đầu.",
    "{Ititle} {iname} trả lời phỏng vấn P.V Báo Hà Tĩnh xung quanh {np}.",
])
TALK_NAME = _cs([
    "PV Báo Hà Tĩnh đã trao đổi với {hon} {iname} về {np}.",
    "Báo Hà Tĩnh đã có cuộc trò chuyện với {hon} {iname} xung quanh câu chuyện này.",
    "Nhân dịp {occasion}, phóng viên đã gặp {hon} {iname}.",
])
TALK_NONE = _cs([
    "Để làm rõ hơn về {np}, phóng viên Báo Hà Tĩnh đã có cuộc trao đổi với lãnh đạo địa "
    "phương.",
    "Báo Hà Tĩnh trao đổi với lãnh đạo {town} xung quanh {np}.",
])

# A paragraph announcing a bulleted list (no colon: see make_sentences), and the list items.
BULLET_LEADS = _cs([
    "Để {goal}, {town} tập trung vào một số nhóm giải pháp chủ yếu sau đây.",
    "Thời gian tới, {org} đề ra các nhiệm vụ trọng tâm như sau.",
])
BULLET_ITEMS = _cs([
    "Tiếp tục {act}", "Đẩy mạnh {act}", "Quan tâm {act} để {goal}",
    "Nâng cao vai trò của {ppl} trong {np}", "Tăng cường kiểm tra, giám sát {np}",
])
# A rhetorical question printed with a bullet (at most one per news page: not an interview).
RHETORICAL = _cs([
    "Vì sao {np} ở một số nơi vẫn chưa đạt kết quả như mong muốn?",
    "Làm thế nào để {goal}?",
])

TALK = {"title": TALK_TITLE, "name": TALK_NAME, "none": TALK_NONE}

LEDES = _cs([
    "Với cách làm sáng tạo, phù hợp thực tiễn, {place} đã {act}, góp phần {goal}...",
    "Thời gian qua, {org} đã tập trung lãnh đạo {act}, tạo chuyển biến rõ nét trong {np}.",
    "{Np} đang được {town} triển khai quyết liệt với mục tiêu {goal}.",
    "Xác định {np} là nhiệm vụ trọng tâm, {town} đã huy động cả hệ thống chính trị vào cuộc "
    "để {goal}.",
    "Năm {year}, {res}, tạo tiền đề để {town} {goal}.",
    "Từ những cách làm bài bản, {place} đang từng bước {goal}...",
])
LEDES_SHORT = _cs([
    "{Town} {act}.", "Năm {year}, {res}.", "{Place} {act}.", "Thị xã Kỳ Anh {act}.",
])
LEDES_CITE = _cs([
    "Sau {ns} năm triển khai {cite}, {town} đã đạt được nhiều kết quả quan trọng trong {np}.",
    "Việc thực hiện {cite} đang tạo chuyển biến rõ nét trong {np} ở {town}...",
])
LEDES_INTERVIEW = _cs([
    "{Ititle} {iname} trao đổi với Báo Hà Tĩnh về những kết quả, bài học trong {np} và định "
    "hướng thời gian tới.",
    "Xây dựng {np} là cách để {town} {goal}. {Ititle} {iname} đã chia sẻ nhiều điều tâm "
    "huyết xung quanh vấn đề này...",
])

GENERIC_CAPTIONS = _cs([
    "Một góc {place} nhìn từ trên cao",
    "Quang cảnh hội nghị sơ kết {np} của thị xã",
    "Đoàn công tác của thị xã kiểm tra thực tế tại {village}, {place}",
    "Người dân {place} phấn khởi trước những đổi thay của quê hương",
])
INTERVIEW_CAPTIONS = _cs([
    "{Ititle} {iname} (thứ {ns} từ trái sang) trao đổi với người dân {place}",
    "{Ititle} {iname} phát biểu tại hội nghị",
    "{Ititle} {iname} kiểm tra thực tế tại {village}, {place}",
])
CITE_CAPTIONS = _cs([
    "Cán bộ, đảng viên {place} học tập, quán triệt {cite}",
    "Hội nghị sơ kết {ns} năm thực hiện {cite} tại {place}",
])

HEADLINE_SUBJECTS = _cs(["Kỳ Anh", "TX Kỳ Anh", "Thị xã Kỳ Anh", "{Place}", "Đảng bộ {place}"])
# Distinguishing details appended to a headline: at most one place and one time detail.
PLACE_DETAILS = _cs([" ở {place}", " ở {village}", " từ {village}, {place}"])
PLACE_DETAILS_AT = _cs([" tại {village}", " từ {village}"])  # when the headline has " ở "
TIME_DETAILS = _cs([
    " năm {year}", " giai đoạn {period}", " trong năm {year}", " dịp đầu xuân {year}",
    " sau {ns} năm triển khai", " trong 6 tháng đầu năm {year}", " quý {roman}/{year}",
])
OCCASIONS = _cs([
    "năm mới", "đầu xuân {year}", "kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam",
    "sơ kết giữa nhiệm kỳ", "kỷ niệm ngày thành lập thị xã",
])
ORGS = _cs([
    "BTV Thị ủy", "Ban Thường vụ Thị ủy", "UBND thị xã", "Thị ủy Kỳ Anh",
    "cấp ủy, chính quyền thị xã", "Đảng ủy {place}", "UBND {place}", "Ủy ban MTTQ thị xã",
    "MTTQ và các đoàn thể",
])
TOWNS = ["thị xã Kỳ Anh", "TX Kỳ Anh", "thị xã", "Kỳ Anh", "địa phương"]
PERIODS = ["2021-2025", "2020-2025", "2026-2030", "2021-2030"]
ROMAN = ["I", "II", "III", "IV"]

# ---------------------------------------------------------------------------------------------
# Resolutions
# ---------------------------------------------------------------------------------------------

TYPE_WORDS = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "QĐi": "Quy định", "HD": "Hướng dẫn",
    "KL": "Kết luận", "CT": "Chỉ thị", "KH": "Kế hoạch", "TB": "Thông báo",
    "CTr": "Chương trình", "TT": "Thông tư", "NĐ": "Nghị định", "BC": "Báo cáo",
}


@dataclass(frozen=True)
class DocKind:
    """One kind of document: code shape, issuers as printed, number range.

    ``type_abbr`` None: a code with no type part (docs/design.md, "Untyped codes"), printed only
    after one of ``type_words``: an official letter ``N/ISSUER-UNIT`` or an older State code
    ``N/ISSUER`` / ``N/YYYY/ISSUER``. ``units``: suffixes after the issuer (one is drawn).
    ``dash_year``: share of the mentions that print ``N/YYYY-TYPE-ISSUER`` (the same document).
    ``weight``: how often the kind is drawn (the new shapes are rarer).

    ``issuers``: every name printed as the issuer of such a document. The *bodies* are the names
    no other listed name extends (for a local issuer, the full name with its place: "BTV Thị ủy
    Kỳ Anh"); the others are shorter names of a body ("BTV Thị ủy"). A document is issued by a
    body whose name states its place the way docs/design.md reads it ("Thị ủy Kỳ Anh" for a
    ``ThU`` code); the other bodies of the kind ("BCH Đảng bộ thị xã Kỳ Anh") are only printed
    as planted disagreements.
    """

    party: bool
    type_abbr: str | None
    issuer_abbr: str
    issuers: tuple[str, ...]
    lo: int
    hi: int
    with_year: bool = False
    type_word: str | None = None  # default: TYPE_WORDS[type_abbr]
    type_words: tuple[str, ...] = ()  # untyped codes: the words printed before them
    units: tuple[str, ...] = ()
    years: tuple[int, int] = (2016, 2024)
    dash_year: float = 0.0
    weight: int = 3

    @property
    def local(self) -> str | None:
        """The issuer code when it is unique only with a place (ThU, TU, ĐU, UBND, HĐND)."""
        return self.issuer_abbr if self.issuer_abbr in LOCAL_LEVELS else None

    @cached_property
    def bodies(self) -> tuple[str, ...]:
        return tuple(
            name for name in self.issuers if not any(o.startswith(name + " ") for o in self.issuers)
        )

    @cached_property
    def doc_bodies(self) -> tuple[str, ...]:
        """The bodies a document of this kind is issued by (see the class docstring)."""
        if self.local is None:
            return self.bodies
        return tuple(
            body for body in self.bodies
            if "{" in body or stated_place(self.local, body, "") == body_place(self, body)
        )  # fmt: skip

    def shorter(self, body: str) -> tuple[str, ...]:
        """The shorter names of ``body`` ("BTV Thị ủy" for "BTV Thị ủy Kỳ Anh")."""
        return tuple(name for name in self.issuers if body.startswith(name + " "))

    def rivals(self, body: str) -> tuple[str, ...]:
        """Other bodies, at the same place, an article may name as the issuer instead (a planted
        disagreement): never the same body spelled another way ("Ban Thường vụ" / "BTV")."""
        place, key = body_place(self, body), _body_key(body)
        return tuple(
            other for other in self.bodies
            if "{" not in other and body_place(self, other) == place and _body_key(other) != key
        )  # fmt: skip


_SPELLINGS = (("Ban Thường vụ", "BTV"), ("Ban Chấp hành", "BCH"),
              ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"))  # fmt: skip


def _body_key(body: str) -> str:
    for long, short in _SPELLINGS:
        body = body.replace(long, short)
    return body


DOC_KINDS: tuple[DocKind, ...] = (
    DocKind(True, "NQ", "ThU", ("BTV Thị ủy Kỳ Anh", "BTV Thị ủy", "BCH Đảng bộ thị xã Kỳ Anh",
                                "Ban Thường vụ Thị ủy Kỳ Anh"), 1, 30),
    DocKind(True, "CT", "ThU", ("BTV Thị ủy Kỳ Anh", "BTV Thị ủy", "Ban Thường vụ Thị ủy Kỳ Anh",
                                "Ban Thường vụ Thị ủy"), 1, 20),
    DocKind(True, "KL", "ThU", ("BTV Thị ủy Kỳ Anh", "Thường trực Thị ủy Kỳ Anh",
                                "Thường trực Thị ủy"), 1, 250),
    DocKind(True, "KH", "ThU", ("BTV Thị ủy Kỳ Anh", "Thị ủy Kỳ Anh"), 1, 250),
    DocKind(True, "CTr", "ThU", ("BTV Thị ủy Kỳ Anh", "BCH Đảng bộ thị xã Kỳ Anh",
                                 "BCH Đảng bộ thị xã"), 1, 20),
    DocKind(True, "HD", "ThU", ("Ban Tổ chức Thị ủy Kỳ Anh", "Ban Tổ chức Thị ủy",
                                "BTV Thị ủy Kỳ Anh"), 1, 30),
    DocKind(True, "NQ", "TU", ("BTV Tỉnh ủy Hà Tĩnh", "BTV Tỉnh ủy", "BCH Đảng bộ tỉnh Hà Tĩnh",
                               "BCH Đảng bộ tỉnh", "Ban Thường vụ Tỉnh ủy Hà Tĩnh"), 1, 20),
    DocKind(True, "QĐ", "TU", ("BTV Tỉnh ủy Hà Tĩnh", "BTV Tỉnh ủy", "Tỉnh ủy Hà Tĩnh"),
            100, 2500, type_word="Quy định"),
    DocKind(True, "CT", "TU", ("BTV Tỉnh ủy Hà Tĩnh", "BTV Tỉnh ủy",
                               "Ban Thường vụ Tỉnh ủy Hà Tĩnh", "Ban Thường vụ Tỉnh ủy"), 1, 40),
    DocKind(True, "KL", "TU", ("BTV Tỉnh ủy Hà Tĩnh", "BTV Tỉnh ủy"), 100, 1500),
    DocKind(True, "HD", "BTCTW", ("Ban Tổ chức Trung ương",), 1, 40),
    DocKind(True, "NQ", "TW", ("Bộ Chính trị", "Ban Chấp hành Trung ương"), 1, 60),
    DocKind(True, "CT", "TW", ("Ban Bí thư", "Bộ Chính trị"), 1, 40),
    DocKind(True, "KL", "TW", ("Bộ Chính trị", "Ban Bí thư"), 1, 120),
    DocKind(True, "QĐi", "TW", ("Ban Chấp hành Trung ương",), 1, 20),
    DocKind(True, "QĐ", "TW", ("Bộ Chính trị",), 1, 300, type_word="Quy định"),
    DocKind(True, "NQ", "ĐU", ("Đảng ủy {place}",), 1, 40),
    DocKind(False, "NQ", "HĐND", ("HĐND tỉnh Hà Tĩnh", "HĐND tỉnh"), 1, 300, with_year=True),
    DocKind(False, "NQ", "HĐND", ("HĐND thị xã Kỳ Anh", "HĐND thị xã"), 1, 100),
    DocKind(False, "QĐ", "UBND", ("UBND tỉnh Hà Tĩnh", "UBND tỉnh"), 1, 80, with_year=True),
    DocKind(False, "QĐ", "UBND", ("UBND tỉnh Hà Tĩnh", "UBND tỉnh", "UBND thị xã Kỳ Anh",
                                  "UBND thị xã"), 100, 5000),
    DocKind(False, "KH", "UBND", ("UBND thị xã Kỳ Anh", "UBND thị xã", "UBND tỉnh Hà Tĩnh",
                                  "UBND tỉnh"), 10, 600),
    DocKind(False, "CT", "UBND", ("UBND tỉnh Hà Tĩnh", "UBND tỉnh"), 1, 30),
    DocKind(False, "TB", "UBND", ("UBND thị xã Kỳ Anh", "UBND thị xã"), 10, 900),
    DocKind(False, "NĐ", "CP", ("Chính phủ",), 1, 200, with_year=True, dash_year=0.1),
    DocKind(False, "QĐ", "TTg", ("Thủ tướng Chính phủ",), 100, 2500),
    DocKind(False, "TT", "BTC", ("Bộ Tài chính",), 1, 120, with_year=True),
    # Real press shapes (docs/design.md, "Document codes"), drawn less often.
    # Typed codes with unit suffixes: "85/KH-UBND-VX", "1520/QĐ-BTNMT-TCMT".
    DocKind(False, "KH", "UBND", ("UBND thị xã Kỳ Anh", "UBND thị xã"), 10, 600,
            units=("VX", "KT", "NL"), weight=1),
    DocKind(False, "QĐ", "BTNMT", ("Bộ Tài nguyên và Môi trường",), 100, 2500,
            units=("TCMT", "TCQLĐĐ"), weight=1),
    # The older spelling "20/2003-QĐ-TTg" of 20/2003/QĐ-TTg.
    DocKind(False, "QĐ", "TTg", ("Thủ tướng Chính phủ",), 1, 300, with_year=True,
            years=(1999, 2012), dash_year=0.6, weight=1),
    # Official letters: "Công văn số 2310/UBND-TH", "Văn bản 567/SNN-KHTC".
    DocKind(False, None, "UBND", ("UBND thị xã Kỳ Anh", "UBND thị xã", "UBND tỉnh Hà Tĩnh",
                                  "UBND tỉnh"), 100, 5000,
            type_words=("Công văn", "Công văn", "Văn bản"),
            units=("TH", "NL", "KT", "VX", "XD", "NC"), weight=2),
    DocKind(False, None, "SNN", ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
            100, 3000, type_words=("Văn bản", "Công văn"), units=("KHTC", "TL", "CCTL"),
            weight=1),
    DocKind(False, None, "STC", ("Sở Tài chính", "Sở Tài chính Hà Tĩnh"), 100, 4000,
            type_words=("Văn bản", "Công văn"), units=("NS", "QLG"), weight=1),
    # Older State codes without a type part: "Nghị định 12/CP", "Quyết định số 33/1998/CP".
    DocKind(False, None, "CP", ("Chính phủ",), 1, 200, type_words=("Nghị định",),
            years=(1993, 2002), weight=1),
    DocKind(False, None, "CP", ("Chính phủ",), 1, 200, with_year=True,
            type_words=("Quyết định", "Nghị định"), years=(1994, 2001), weight=1),
    DocKind(False, None, "TTg", ("Thủ tướng Chính phủ",), 100, 900, type_words=("Chỉ thị",),
            years=(1995, 2002), weight=1),
)
_KIND_WEIGHTS = [kind.weight for kind in DOC_KINDS]
ABBR_NOTE = frozenset({"NQ", "CT", "KL"})
"""Party types whose type word may be followed by the abbreviation: "Nghị quyết (NQ) số ..."."""
_BAN_HANH = ["đã ban hành", "vừa ban hành", "ban hành", "mới ban hành", "đã ký ban hành"]
"""The verbs of "<issuer> <verb> <type word> <code>" (the even ones say nothing of time)."""

# ---------------------------------------------------------------------------------------------
# Document identity (docs/design.md, "Document identity"): which place a page states
# ---------------------------------------------------------------------------------------------

_UY = r"(?:ủy|uỷ)"
_LEVEL = r"(?:tỉnh|huyện|thị\s+xã|TX|thành\s+phố|TP\.?|xã|phường|thị\s+trấn|quận)"
LOCAL_LEVELS: dict[str, re.Pattern[str]] = {
    "ThU": re.compile(rf"[Tt]hị\s+{_UY}"),
    "TU": re.compile(rf"[Tt](?:ỉnh|hành)\s+{_UY}"),
    "HU": re.compile(rf"[Hh]uyện\s+{_UY}"),
    "QU": re.compile(rf"[Qq]uận\s+{_UY}"),
    "ĐU": re.compile(rf"[Đđ]ảng\s+{_UY}(?:\s+(?:xã|phường|thị\s+trấn))?"),
    "UBND": re.compile(rf"(?:UBND|[ỦUủu][yỷ]\s+ban\s+nhân\s+dân)\s+{_LEVEL}"),
    "HĐND": re.compile(rf"(?:HĐND|[Hh]ội\s+đồng\s+nhân\s+dân)\s+{_LEVEL}"),
}
"""Issuer codes unique only with a place -> the words naming such a body, after which an article
names the place ("Thị ủy Kỳ Anh", "UBND xã Kỳ Hà"): the rule of docs/design.md, written again
here so that the generator knows what each page states (it never imports the package)."""
_LEVEL_ONLY = re.compile(
    r"(?:UBND|UB|HĐND|[Hh]ội\s+đồng\s+nhân\s+dân|[ỦUủu][yỷ]\s+ban\s+nhân\s+dân)\s+"
    r"(tỉnh|huyện|thị\s+xã|thành\s+phố|xã|phường|thị\s+trấn|quận)$"
)
"""An issuer named by its level only ("UBND tỉnh"): its place is the one the article names after
that level ("tỉnh Hà Tĩnh"), when it names only one."""
PLACE_NAMES = sorted({"Kỳ Anh", "Hà Tĩnh", *WARDS, *COMMUNES}, key=len, reverse=True)
_NEXT_WORD = re.compile(r"\s+(\w+)")


def _is_name_syllable(token: str) -> bool:
    return token.isalpha() and token[0].isupper() and (len(token) == 1 or token[1:].islower())


def _places_after(pattern: re.Pattern[str], text: str) -> Iterator[str]:
    """The places ``text`` names after the words of ``pattern`` ("Thị ủy Kỳ Anh Đặng Văn
    Thành" -> "Kỳ Anh"). A run of capitalised words that does not start with a place of
    :data:`PLACE_NAMES` is yielded with a "?" in front: the generator never prints one."""
    for match in pattern.finditer(text):
        if match.start() and text[match.start() - 1].isalnum():
            continue
        tokens: list[str] = []
        pos = match.end()
        while len(tokens) < 7 and (word := _NEXT_WORD.match(text, pos)):
            if not _is_name_syllable(word.group(1)):
                break
            tokens.append(word.group(1))
            pos = word.end()
        if not tokens:
            continue
        run = " ".join(tokens)
        place = next((p for p in PLACE_NAMES if run == p or run.startswith(p + " ")), None)
        yield place if place is not None else "?" + run


@lru_cache(maxsize=4096)
def _named_places(key: str, text: str) -> frozenset[str]:
    """Every place ``text`` names after the words of a ``key`` body (short texts repeat)."""
    return frozenset(_places_after(LOCAL_LEVELS[key], text))


def stated_place(key: str | None, issuer: str | None, text: str) -> str | None:
    """The place a page states for a document of issuer code ``key`` (docs/design.md, "Document
    identity"): from the issuer the page names, else the first place named after the words of
    that body anywhere in the page (``text``: headline, lede, paragraphs, captions), else, for an
    issuer named by its level only ("UBND tỉnh"), the one place named after that level."""
    pattern = LOCAL_LEVELS.get(key or "")
    if pattern is None:
        return None
    if issuer and (found := next(_places_after(pattern, issuer), None)) is not None:
        return found
    found = next(_places_after(pattern, text), None)
    if found is None and issuer and (level := _LEVEL_ONLY.search(issuer)):
        after = re.compile(rf"(?<!\w){re.escape(level.group(1))}", re.IGNORECASE)
        places = set(_places_after(after, text))
        return places.pop() if len(places) == 1 else None
    return found


def body_place(kind: DocKind, body: str) -> str | None:
    """The place of a body that issues local documents: the place its full name ends with."""
    if kind.local is None:
        return None
    return next(p for p in PLACE_NAMES if body.endswith(" " + p))


@dataclass
class Document:
    """One document of the archive: one code, one place (for a local issuer), one year of issue
    (docs/design.md, "Document identity"). Every page citing it prints these facts, except a
    planted disagreement (another day of the same year, or another body at the same place)."""

    code: str  # canonical
    number: str
    type_word: str
    issued: date
    body: str  # the issuer's full name
    place: str | None  # the place of a local issuer
    subject: str
    kind: DocKind
    year: int

    @property
    def key(self) -> str:
        """``code|place|year`` (place empty for an issuer that is not local)."""
        return f"{self.code}|{self.place or ''}|{self.year}"


class DocumentRegistry:
    """The documents cited by the pages made so far (a page knows only the pages before it, so
    the first N pages of a larger archive are the archive of N pages)."""

    def __init__(self) -> None:
        self.docs: dict[tuple[str, str | None, int], Document] = {}
        self.by_code: dict[str, list[Document]] = {}
        self.cited: list[Document] = []
        """One entry per page citing a document: a document cited often is cited again often."""

    def find(self, code: str, place: str | None, year: int) -> Document | None:
        return self.docs.get((code, place, year))

    def body_of(self, code: str, place: str | None) -> str | None:
        """The body issuing the documents with this code at this place (one per code: the same
        body numbers its series again each term)."""
        return next((d.body for d in self.by_code.get(code, ()) if d.place == place), None)

    def commit(self, cited: list[Resolution]) -> None:
        """Record what an accepted page cited (documents new to the archive first)."""
        for res in cited:
            doc = res.doc
            if res.new:
                assert res.stated, f"{doc.key}: its first page must print its date and issuer"
                assert (doc.code, doc.place, doc.year) not in self.docs, doc.key
                self.docs[(doc.code, doc.place, doc.year)] = doc
                self.by_code.setdefault(doc.code, []).append(doc)
            self.cited.append(doc)


@dataclass
class Resolution:
    """A document as one page cites it, with what has been printed of it so far.

    ``issued`` and ``issuer`` are what this page prints: the document's date and its body or a
    shorter name of it, or a planted disagreement (``disagrees``). ``new``: the first page citing
    the document, which prints its date and its body's full name (``must_state``, as a planted
    disagreement does) with one of its mentions.
    """

    doc: Document
    issued: date
    issuer: str
    new: bool = False
    disagrees: tuple[str, ...] = ()
    mentions: int = 0
    date_printed: bool = False
    issuer_printed: bool = False
    stated: bool = False  # a committed mention printed both the date and the issuer

    @property
    def must_state(self) -> bool:
        return self.new or bool(self.disagrees)

    @property
    def code(self) -> str:
        return self.doc.code

    @property
    def number(self) -> str:
        return self.doc.number

    @property
    def type_word(self) -> str:
        return self.doc.type_word

    @property
    def subject(self) -> str:
        return self.doc.subject

    @property
    def kind(self) -> DocKind:
        return self.doc.kind

    @property
    def year(self) -> int:
        return self.doc.year

    @property
    def typed(self) -> bool:
        return self.kind.type_abbr is not None

    def spelling(self, r: random.Random, blk: Block) -> str:
        """The code as printed in one mention (the dash variant names the same document)."""
        if self.kind.dash_year and r.random() < self.kind.dash_year:
            blk.shapes.add("code:dash-year")
            head = f"{self.number}/{self.year}/"
            assert self.code.startswith(head)
            return f"{self.number}/{self.year}-{self.code[len(head):]}"
        return self.code


def _date_text(r: random.Random, d: date) -> str:
    roll = r.random()
    if roll < 0.5:
        body = f"ngày {d.day}/{d.month}/{d.year}"
    elif roll < 0.65:
        body = f"ngày {d.day:02d}/{d.month:02d}/{d.year}"
    elif roll < 0.8:
        body = f"ngày {d.day}-{d.month}-{d.year}"
    else:
        body = f"ngày {d.day} tháng {d.month} năm {d.year}"
    return (", " if r.random() < 0.4 else " ") + body


# ---------------------------------------------------------------------------------------------
# Filling templates
# ---------------------------------------------------------------------------------------------


@dataclass
class Block:
    """One printed unit (headline, lede, paragraph, caption) being rendered.

    Mentions are recorded here and only counted when the block is committed, so a block that
    is thrown away (size limit, duplicate headline) leaves no trace.
    """

    marks: list[Mark] = field(default_factory=list)
    new_intro: list[Resolution] = field(default_factory=list)
    in_sentence: list[Resolution] = field(default_factory=list)
    shapes: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Mark:
    """One printed mention: its document, and whether the mention states its date and issuer."""

    res: Resolution
    dated: bool = False
    issuer: bool = False


@dataclass
class Speaker:
    """The interviewee of an interview page, and what the extractor must find for them.

    ``label`` opens labelled answers; ``label_name``/``label_title`` are the speaker name and
    title such an answer gets (the label's own, or the article's for ``Đáp`` and a title-only
    label). ``inferred`` is what an unlabelled answer gets (docs/design.md, "Who answers").
    """

    title: str
    name: str
    pron: str  # "ông" / "bà" / "đồng chí"
    addr: str  # how the question addresses them after "Thưa"
    hon: str  # how running text names them before their name: "ông", "bà", "đồng chí"
    label: str = ""
    label_name: str | None = None
    label_title: str | None = None
    inferred: tuple[str | None, str | None] = (None, None)
    reserved_title: str | None = None
    """A title-only label's title: no one else on the page is named with a title starting
    with it (the extractor finds the speaker as the one person named with that title)."""


class Filler:
    """Fills templates for one page; owns the page's random generator and citation state."""

    def __init__(self, r: random.Random, topic: Topic, place: tuple[str, str]) -> None:
        self.r = r
        self.topic = topic
        self.place = place
        self.pending: list[Resolution] = []
        self.introduced: list[Resolution] = []
        self.order: list[Resolution] = []
        self.speaker: Speaker | None = None
        self.local: dict[str, str] = {}
        """Local issuer code -> the place of the page's documents with that code: the page names
        no other place after the words of such a body (see :func:`stated_place`)."""
        self.shapes: set[str] = set()  # shapes printed on the page (planted "shapes")
        self.allow_short = True
        self.recent: list[Tpl] = []  # last sentence templates used, to avoid near repeats
        self.blk = Block()
        self.slots: dict[str, Callable[[], str]] = {
            "np": lambda: self.fill(r.choice(topic.np)),
            "goal": lambda: self.fill(r.choice(topic.goal)),
            "act": lambda: self.fill(r.choice(topic.act)),
            "res": lambda: self.fill(r.choice(topic.res)),
            "diff": lambda: self.fill(r.choice(topic.diff)),
            "ppl": lambda: r.choice(topic.ppl),
            "place": self.any_place,
            "place2": lambda: self.fmt_place(r.choice(PLACES)),
            "village": self.village,
            "town": lambda: r.choice(TOWNS),
            "org": self.org,
            "year": lambda: str(r.randint(2019, 2024)),
            "year2": lambda: r.choice(["2025", "2025", "2030"]),
            "period": lambda: r.choice(PERIODS),
            "roman": lambda: r.choice(ROMAN),
            "n": lambda: str(r.randint(3, 95)),
            "ns": lambda: str(r.randint(2, 5)),
            "n3": lambda: f"{r.randint(100, 999)}",
            "pct": self.pct,
            "money": self.money,
            "who": self.who,
            "pname_m": lambda: self.person(male=True),
            "pname_f": lambda: self.person(male=False),
            "quote": lambda: self.fill(r.choice(QUOTES)),
            "occasion": lambda: self.fill(r.choice(OCCASIONS)),
            "ititle": lambda: self._speaker().title,
            "iname": lambda: self._speaker().name,
            "pron": lambda: self._speaker().pron,
            "addr": lambda: self._speaker().addr,
            "hon": lambda: self._speaker().hon,
            "dmy": self.dmy,
            "cite": lambda: self.mention("mid"),
            "citeend": lambda: self.mention("end"),
            "citehead": lambda: self.mention("head"),
            "bare": lambda: self.mention("bare"),
        }

    # -- plain slots ------------------------------------------------------------------------
    def fill(self, tpl: Tpl) -> str:
        out: list[str] = []
        for i, part in enumerate(tpl):
            if i & 1:
                value = self.slots[part.lower()]()
                out.append(value[0].upper() + value[1:] if part[0].isupper() else value)
            elif part:
                out.append(part)
        return "".join(out)

    def fmt_place(self, p: tuple[str, str]) -> str:
        return f"{p[0]} {p[1]}"

    def place_ok(self, text: str) -> bool:
        """True when ``text`` names no place, after the words of a local body, other than the
        place of the page's documents of that issuer code."""
        return all(_named_places(key, text) <= {place} for key, place in self.local.items())

    def org(self) -> str:
        text = self.fill(self.r.choice(ORGS))
        if not self.place_ok(text):  # "UBND xã Kỳ Hà" on a page citing the province's decision
            text = "UBND thị xã" if text.startswith("UBND") else "Đảng ủy " + self.fmt_place(
                next(p for p in PLACES if p[1] == self.local.get("ĐU"))
            )
        return text

    def any_place(self) -> str:
        return self.fmt_place(self.place if self.r.random() < 0.6 else self.r.choice(PLACES))

    def village(self) -> str:
        kind = "thôn" if self.place[0] == "xã" else self.r.choice(["TDP", "tổ dân phố"])
        return f"{kind} {self.r.choice(VILLAGES)}"

    def pct(self) -> str:
        whole = self.r.randint(12, 99)
        return str(whole) if self.r.random() < 0.5 else f"{whole},{self.r.randint(1, 9)}"

    def money(self) -> str:
        if self.r.random() < 0.5:
            return f"{self.r.randint(120, 950)} triệu đồng"
        return f"{self.r.randint(1, 90)},{self.r.randint(1, 9)} tỷ đồng"

    def person(self, male: bool) -> str:
        r = self.r
        if male:
            return f"{r.choice(SURNAMES)} {r.choice(MIDDLE_M)} {r.choice(GIVEN_M)}"
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLE_F)} {r.choice(GIVEN_F)}"

    def who(self) -> str:
        male = self.r.random() < 0.65
        name = self.person(male)
        kind, place = self.r.choice(PLACES)
        titles = [
            f"Chủ tịch UBND {kind} {place}", f"Bí thư Đảng ủy {kind} {place}",
            f"Phó Chủ tịch UBND {kind} {place}", "Trưởng phòng Kinh tế thị xã",
            f"Bí thư Chi bộ {self.village()}", "Phó Chủ tịch UBND thị xã",
        ]
        reserved = self.speaker.reserved_title if self.speaker is not None else None
        if reserved is not None:
            key = reserved.casefold()
            titles = [t for t in titles if not t.casefold().startswith(key)]
        title = self.r.choice([t for t in titles if self.place_ok(t)])
        return f"{'ông' if male else 'bà'} {name}, {title}"

    def dmy(self) -> str:
        d = date(self.r.randint(2019, 2024), self.r.randint(1, 12), self.r.randint(1, 28))
        return f"{d.day}/{d.month}/{d.year}"

    def _speaker(self) -> Speaker:
        assert self.speaker is not None, "interview slot used on a news page"
        return self.speaker

    # -- citations -------------------------------------------------------------------------
    def known(self) -> list[Resolution]:
        return self.introduced + self.blk.new_intro

    def has_citations(self) -> bool:
        return bool(self.pending or self.introduced)

    def _choose(self) -> Resolution:
        blk, r = self.blk, self.r
        known = self.known()
        if self.pending and (not known or r.random() < 0.4):
            res = self.pending.pop(0)
            blk.new_intro.append(res)
        else:
            fresh = [x for x in known if x not in blk.in_sentence]
            if not fresh and self.pending:
                res = self.pending.pop(0)
                blk.new_intro.append(res)
            else:
                res = r.choice(fresh or known)
        blk.in_sentence.append(res)
        return res

    def mention(self, style: str) -> str:
        """Render one mention of a resolution; style is mid, end, head, bare or headline."""
        r, blk = self.r, self.blk
        if style == "bare":  # only typed codes are read without a type word
            typed = [x for x in self.known() if x.typed]
            res = r.choice([x for x in typed if x not in blk.in_sentence] or typed)
            blk.in_sentence.append(res)
            blk.marks.append(Mark(res))
            return res.code
        res = self._choose()
        first = res in blk.new_intro and not any(m.res is res for m in blk.marks)
        # The first page citing a document (or planting a disagreement) prints its date and
        # issuer with the first mention that can (never a headline: see make_headline).
        must = style != "headline" and res.must_state and not res.stated and not any(
            m.res is res and m.dated and m.issuer for m in blk.marks)
        short_ok = (self.allow_short and res.typed and not first and not must
                    and style in ("mid", "end", "head"))
        if short_ok and r.random() < (0.55 if style == "head" else 0.3):
            blk.marks.append(Mark(res))
            return f"{res.type_word} {res.number}"
        word = res.type_word
        if style not in ("head", "headline") and r.random() < 0.03:
            word = word.lower()
        if res.kind.party and res.kind.type_abbr in ABBR_NOTE and r.random() < 0.06:
            word += f" ({res.kind.type_abbr})"  # "Nghị quyết (NQ) số 09-NQ/TU"
            blk.shapes.add("code:abbr-note")
        code = res.spelling(r, blk)
        text = f"{word} số {code}" if r.random() < (0.6 if first else 0.25) else f"{word} {code}"
        dated = style != "headline" and (r.random() < (0.6 if first else 0.15) or must)
        if dated:
            text += _date_text(r, res.issued)
        of = style != "headline" and (r.random() < (0.6 if first else 0.2) or must)
        if of:
            text += f" của {res.issuer}"
        if style == "end" and r.random() < (0.7 if first else 0.25):
            text += f" về {res.subject}"
        blk.marks.append(Mark(res, dated, of))
        return text

    def issue_sentence(self) -> str:
        """A sentence introducing the next pending document with facts printed before its code.

        "Ngày D/M/YYYY, <issuer> đã ban hành <type word> số <code> về ..." (docs/design.md,
        "Facts printed before the code"): the issuer is the document's, and so is the date. A
        date or issuer also printed right after the code is the same (one mention never states
        two dates or two bodies). A sentence opened by "Tháng M/YYYY," states no date.
        """
        r, blk = self.r, self.blk
        blk.in_sentence = []
        res = self.pending.pop(0)
        must = res.must_state and not res.stated
        blk.new_intro.append(res)
        blk.in_sentence.append(res)
        code = res.spelling(r, blk)
        text = f"{res.type_word} số {code}" if r.random() < 0.7 else f"{res.type_word} {code}"
        after_date = r.random() < 0.3
        after_issuer = r.random() < 0.25
        if after_date:
            text += _date_text(r, res.issued)
        if after_issuer:
            text += f" của {res.issuer}"
        roll = r.random()
        before_date = roll < 0.6 or (must and not after_date)
        if before_date:
            d = res.issued
            if r.random() < 0.2:
                opening = f"Ngày {d.day} tháng {d.month} năm {d.year}, "
            else:
                opening = f"Ngày {d.day}/{d.month}/{d.year}, "
        elif roll < 0.75:
            opening = f"Tháng {res.issued.month}/{res.issued.year}, "
        elif roll < 0.9:
            opening = r.choice(["Mới đây, ", "Vừa qua, "])
        else:
            opening = ""
        roll = r.random()
        if roll < 0.6:
            tail = f" về {res.subject}."
        elif roll < 0.8:
            tail = f", yêu cầu các địa phương {self.fill(r.choice(self.topic.act))}."
        else:
            tail = f" nhằm {self.fill(r.choice(self.topic.goal))}."
        blk.marks.append(Mark(res, dated=before_date or after_date, issuer=True))
        blk.shapes.add("code:facts-before")
        verbs = _BAN_HANH[::2] if opening in ("Mới đây, ", "Vừa qua, ") else _BAN_HANH
        return f"{opening}{res.issuer} {r.choice(verbs)} {text}{tail}"

    def begin(self) -> Block:
        self.blk = Block()
        return self.blk

    def sentence(self, tpl: Tpl) -> str:
        self.blk.in_sentence = []
        return self.fill(tpl)

    def pick(self, pool: tuple[Tpl, ...]) -> Tpl:
        """A template from `pool`, avoiding the last few used when possible."""
        tpl = self.r.choice(pool)
        for _ in range(3):
            if tpl not in self.recent:
                break
            tpl = self.r.choice(pool)
        self.recent.append(tpl)
        del self.recent[:-8]
        return tpl

    def commit(self, blk: Block) -> None:
        for mark in blk.marks:
            res = mark.res
            if res.mentions == 0:
                self.order.append(res)
            res.mentions += 1
            res.date_printed |= mark.dated
            res.issuer_printed |= mark.issuer
            res.stated |= mark.dated and mark.issuer
        self.introduced.extend(blk.new_intro)
        self.shapes |= blk.shapes
        blk.new_intro = []

    def discard(self, blk: Block) -> None:
        self.pending[:0] = blk.new_intro
        blk.new_intro = []


RECITE_SHARE = 0.3
"""Share of a page's documents that an earlier page cited (a document cited often is cited again
more often); their mentions print their date and issuer, or not, as a first page's do."""
RENUMBER_SHARE = 0.08
"""Share of a page's documents that are new documents with an earlier document's code: another
year (one term later or earlier when it can), and for some local codes another place (another
ward's Đảng ủy numbering its resolutions the same, the town's UBND and the province's)."""
SHORT_NAME_SHARE = 0.5
"""Share of the pages citing a known document that name its issuer by a shorter name ("UBND
tỉnh" for "UBND tỉnh Hà Tĩnh", "BTV Thị ủy" for "BTV Thị ủy Kỳ Anh") when it has one."""
DISAGREE_DATE, DISAGREE_ISSUER = 0.06, 0.08
"""Shares of the pages citing a known document that print another day (same year) as its issue
date, or another body at the same place as its issuer (planted disagreements)."""


def _number_text(kind: DocKind, num: int) -> str:
    """A Party number below 10 is printed with a leading zero for most codes, and the same way
    on every page (so "05-CT/ThU" and "5-CT/ThU" never name one document)."""
    leading_zero = zlib.crc32(f"{kind.type_abbr}/{kind.issuer_abbr}/{num}".encode()) % 5 < 3
    return f"{num:02d}" if kind.party and num < 10 and leading_zero else str(num)


def _type_word(kind: DocKind, code: str) -> str:
    """The type word printed before a code (the same for every document with this code)."""
    if kind.type_abbr is None:
        return kind.type_words[zlib.crc32(code.encode()) % len(kind.type_words)]
    return kind.type_word or TYPE_WORDS[kind.type_abbr]


def _issued(r: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=r.randint(0, 364))


def _other_day(r: random.Random, d: date) -> date:
    """Another day of the same year (a planted disagreement about the issue date)."""
    while True:
        other = d + timedelta(days=r.choice((-1, 1)) * r.randint(1, 20))
        if other.year == d.year:
            return other


def fresh_document(r: random.Random, f: Filler, registry: DocumentRegistry) -> Document:
    """A document drawn at random: an earlier page's when its code, place and year are taken."""
    kind = r.choices(DOC_KINDS, weights=_KIND_WEIGHTS)[0]
    num = r.randint(kind.lo, kind.hi)
    number = _number_text(kind, num)
    year = r.randint(*kind.years)
    issued = _issued(r, year)
    issuer_code = kind.issuer_abbr + (f"-{r.choice(kind.units)}" if kind.units else "")
    if kind.type_abbr is None:  # "2310/UBND-TH", "12/CP", "33/1998/CP"
        code = f"{number}/{year}/{issuer_code}" if kind.with_year else f"{number}/{issuer_code}"
    elif kind.party:
        code = f"{number}-{kind.type_abbr}/{issuer_code}"
    else:
        year_part = f"{year}/" if kind.with_year else ""
        code = f"{number}/{year_part}{kind.type_abbr}-{issuer_code}"
    body = f.fill(_c(r.choice(kind.doc_bodies)))
    place = body_place(kind, body)
    body = registry.body_of(code, place) or body
    subject = f.fill(r.choice(f.topic.subjects))
    return registry.find(code, place, year) or Document(
        code, number, _type_word(kind, code), issued, body, place, subject, kind, year
    )


def renumbered_document(
    r: random.Random, f: Filler, registry: DocumentRegistry
) -> Document | None:
    """A new document with the code of a document an earlier page cited (docs/design.md: Party
    numbering restarts each term, State codes without a year each year, local codes repeat in
    every place): another year, and sometimes another place. None when there is none to make."""
    old = r.choice(registry.cited)
    kind = old.kind
    if kind.with_year:
        return None  # another year would be another code
    place, body = old.place, old.body
    if kind.local is not None and r.random() < 0.3:
        other = f.fill(_c(r.choice(kind.doc_bodies)))
        place = body_place(kind, other)
        body = registry.body_of(old.code, place) or other
    taken = {doc.year for doc in registry.by_code[old.code] if doc.place == place}
    free = [year for year in range(kind.years[0], kind.years[1] + 1) if year not in taken]
    if not free:
        return None
    term = [year for year in (old.year - 5, old.year + 5) if year in free]
    year = r.choice(term) if term and r.random() < 0.7 else r.choice(free)
    subject = f.fill(r.choice(f.topic.subjects))
    return Document(
        old.code, old.number, old.type_word, _issued(r, year), body, place, subject, kind, year
    )


def _citation(r: random.Random, doc: Document, new: bool) -> Resolution:
    """How one page cites ``doc``: what it prints as the date and the issuer."""
    if new:
        return Resolution(doc, doc.issued, doc.body, new=True)
    shorter = doc.kind.shorter(doc.body)
    issuer = r.choice(shorter) if shorter and r.random() < SHORT_NAME_SHARE else doc.body
    roll = r.random()
    if roll < DISAGREE_DATE:
        return Resolution(doc, _other_day(r, doc.issued), issuer, disagrees=("issued_on",))
    rivals = doc.kind.rivals(doc.body)
    if rivals and roll < DISAGREE_DATE + DISAGREE_ISSUER:
        return Resolution(doc, doc.issued, r.choice(rivals), disagrees=("issuer",))
    return Resolution(doc, doc.issued, issuer)


def make_resolutions(
    r: random.Random, f: Filler, count: int, registry: DocumentRegistry
) -> list[Resolution]:
    """Pick up to `count` documents with pairwise different numbers: documents earlier pages
    cited, new documents with an earlier document's code, documents drawn at random. The page's
    documents with one local issuer code have one place (``f.local``)."""
    out: list[Resolution] = []
    used: set[int] = set()
    for _ in range(20 * count):
        if len(out) == count:
            break
        roll = r.random()
        doc: Document | None
        if registry.cited and roll < RECITE_SHARE:
            doc = r.choice(registry.cited)
        elif registry.cited and roll < RECITE_SHARE + RENUMBER_SHARE:
            doc = renumbered_document(r, f, registry)
        else:
            doc = fresh_document(r, f, registry)
        if doc is None or int(doc.number) in used:
            continue
        key = doc.kind.local
        if key is not None and f.local.get(key, doc.place) != doc.place:
            continue  # one place per local issuer code on a page
        used.add(int(doc.number))
        if key is not None and doc.place is not None:
            f.local[key] = doc.place
        new = registry.find(doc.code, doc.place, doc.year) is not doc
        out.append(_citation(r, doc, new))
    return out


def code_shape(res: Resolution) -> str | None:
    """The planted shape name of a document of a new kind ("code:letter"...), else None."""
    kind = res.kind
    if kind.type_abbr is None:
        return "code:letter" if kind.units else "code:old-state"
    return "code:unit" if kind.units else None


# ---------------------------------------------------------------------------------------------
# Page parts
# ---------------------------------------------------------------------------------------------


class HeadlineRegistry:
    """Remembers 8-byte digests of the headlines used so far (deterministic, small)."""

    def __init__(self) -> None:
        self.seen: set[bytes] = set()

    def add_if_new(self, headline: str) -> bool:
        key = hashlib.blake2b(headline.encode(), digest_size=8).digest()
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def make_headline(
    f: Filler, reg: HeadlineRegistry, interview: bool, counter: int
) -> tuple[str, str | None]:
    """Return (headline, clause a paragraph may start with or None); commits its citation."""
    r = f.r
    for attempt in range(40):
        blk = f.begin()
        core = r.choice(f.topic.cores)
        roll = r.random()
        clause: str | None = None
        # A headline prints no date or issuer: never the first page of a document's (nor a
        # planted disagreement), which must print them (see Filler.mention).
        if f.pending and not f.pending[0].must_state and roll < 0.1:
            cite = f.mention("headline")
            head = r.choice([f"Đưa {cite} vào cuộc sống",
                             f"{r.choice(['Kỳ Anh', 'TX Kỳ Anh'])} sơ kết "
                             f"{f.slots['ns']()} năm thực hiện {cite}"])
        elif interview and roll < 0.3:
            head = f"Trò chuyện với {f._speaker().title} về {f.fill(r.choice(f.topic.np))}"
        elif roll < 0.55:
            head = f"{core}, {r.choice(f.topic.tails)}"
            clause = core
        elif roll < 0.75:
            head = f"{core} ở {f.any_place()}"
            clause = core
        else:
            subject = f.fill(r.choice(HEADLINE_SUBJECTS))
            head = f"{subject} {core[0].lower()}{core[1:]}"
        details = min(r.choice((0, 0, 1, 1, 2)) + attempt // 2, 2)
        if details == 2:
            head += f.fill(r.choice(PLACE_DETAILS_AT if " ở " in head else PLACE_DETAILS))
        if details:
            head += f.fill(r.choice(TIME_DETAILS))
        if attempt == 39:
            head += f" (kỳ {counter})"
        if reg.add_if_new(head):
            f.commit(blk)
            return head, clause
        f.discard(blk)
    raise RuntimeError("could not find a unique headline")  # pragma: no cover


def make_lede(f: Filler, plan: PagePlan, style: InterviewStyle | None) -> tuple[str, bool]:
    """Return (lede, whether it says whom the interview talks to); commits its citations."""
    r = f.r
    blk = f.begin()
    f.allow_short = False  # in the prefix form the lede is printed before the headline
    talked = False
    if plan.brief:
        if f.pending and r.random() < 0.7:
            text = f.issue_sentence()
        else:
            pool = LEDES_CITE if f.has_citations() and r.random() < 0.5 else LEDES
            text = f.sentence(r.choice(pool))
        if r.random() < 0.5:
            text += " " + make_sentences(f, 1, GENERIC, 0.0)
    elif plan.tiny and r.random() < 0.6:
        text = f.sentence(r.choice(LEDES_SHORT))
    elif style is not None and style.intro != "label" and r.random() < 0.4:
        # "<what the article is about>. PV Báo Hà Tĩnh đã trao đổi với ông X - <title>."
        text = f"{f.sentence(r.choice(LEDES))} {f.sentence(r.choice(TALK[style.intro]))}"
        talked = True
    elif style is not None and style.intro in ("label", "title") and r.random() < 0.5:
        text = f.sentence(r.choice(LEDES_INTERVIEW))
    elif f.has_citations() and r.random() < 0.2:
        text = f.sentence(r.choice(LEDES_CITE))
    else:
        text = f.sentence(r.choice(LEDES))
    f.allow_short = True
    f.commit(blk)
    return text, talked


def make_sentences(f: Filler, count: int, pool: tuple[Tpl, ...], cite_rate: float) -> str:
    """`count` sentences; some carry citations.

    A sentence with a colon ("như: ...") is used only after 150 characters, so in any paragraph
    a colon within the first 150 characters ends an interview label.
    """
    r = f.r
    out: list[str] = []
    for _ in range(count):
        roll = r.random()
        if f.has_citations() and roll < cite_rate:
            known = len(f.known()) + len(f.pending)
            if f.pending and r.random() < 0.1:
                out.append(f.issue_sentence())
                continue
            if known >= 2 and r.random() < 0.25:
                tpl = r.choice(CITE_TWO)
            elif any(x.typed for x in f.known()) and r.random() < 0.15:
                tpl = r.choice(CITE_BARE)
            else:
                tpl = f.pick(CITE_ONE)
        elif roll < cite_rate + 0.12:
            out.append(trap_sentence(f))
            continue
        elif roll > 0.96 and sum(len(x) + 1 for x in out) >= 150:
            tpl = f.pick(COLON)
        else:
            tpl = f.pick(pool)
        out.append(f.sentence(tpl))
    return " ".join(out)


def trap_sentence(f: Filler) -> str:
    """Numbers that look a little like citation codes but are not: ratios, dates, periods."""
    r = f.r
    year = r.randint(2019, 2024)
    b = r.randint(6, 40)
    a = r.randint(1, b)
    m1 = r.randint(1, 10)
    m2 = r.randint(m1 + 1, 12)
    d = r.randint(1, 28)
    org = f.org()
    choices = [
        f"Đến nay, {a}/{b} đảng bộ, chi bộ trực thuộc đã hoàn thành việc rà soát.",
        f"Trong quý {r.choice(ROMAN)}/{year}, toàn thị xã đã giải ngân {f.pct()}% kế hoạch vốn.",
        f"Tuyến đường dài {b} km qua {f.any_place()} đến nay đã thảm nhựa được {a}/{b} km.",
        f"Từ tháng {m1} - {m2}/{year}, {org} đã tổ chức {r.randint(2, 9)} đợt kiểm tra.",
        f"Ngày {d}/{m1}/{year}, {org} tổ chức hội nghị sơ kết, khen thưởng "
        f"{r.randint(5, 60)} tập thể, cá nhân.",
        f"Giai đoạn {r.choice(PERIODS)}, thị xã phấn đấu có thêm {a} thôn, tổ dân phố đạt "
        "chuẩn văn minh.",
        f"Tính đến ngày {d} tháng {m2} năm {year}, đã có {a}/{b} xã, phường hoàn thành chỉ tiêu.",
        f"Tốc độ tăng trưởng bình quân đạt {f.pct()}%/năm, thu nhập bình quân đầu người đạt "
        f"{r.randint(45, 95)} triệu đồng.",
        f"Tháng {m2}/{year}, {f.any_place()} là địa phương đầu tiên hoàn thành mục tiêu này.",
        f"Hội nghị lần thứ {r.randint(3, 25)}, BCH Đảng bộ thị xã khóa II, nhiệm kỳ 2020-2025 "
        f"đã dành nhiều thời gian thảo luận về {f.fill(r.choice(f.topic.np))}.",
        f"Năm học {year}-{year + 1}, có {a}/{b} trường duy trì đạt chuẩn quốc gia.",
        # A letter's code shape with no type word before it is not a code (numbers above
        # every document number, so it never repeats a cited code).
        f"Hồ sơ được lưu theo ký hiệu {r.randint(5001, 9999)}/UBND-{r.choice(['TH', 'VX'])} "
        "tại bộ phận một cửa.",
    ]
    return r.choice(choices)


def make_caption(f: Filler, interview: bool) -> tuple[str, bool]:
    """Return (caption line, archival?); commits its citation."""
    r = f.r
    blk = f.begin()
    roll = r.random()
    if f.introduced and roll < 0.08:
        body = f.sentence(r.choice(CITE_CAPTIONS))
    elif interview and roll < 0.35:
        body = f.sentence(r.choice(INTERVIEW_CAPTIONS))
    elif roll < 0.7:
        body = f.sentence(r.choice(f.topic.captions))
    else:
        body = f.sentence(r.choice(GENERIC_CAPTIONS))
    f.commit(blk)
    credit = r.random()
    archival = False
    if credit < 0.3:
        text = body + "."
    elif credit < 0.62:
        text = f"{body}. Ảnh: {pen_name(r)}" + ("." if r.random() < 0.3 else "")
    elif credit < 0.85:
        text = f"{body}. Ảnh tư liệu."
        archival = True
    elif credit < 0.92:
        text = f"{body}. Ảnh - {pen_name(r)}"
    else:
        text = f"{body}. Tháng {r.randint(1, 12)}/{r.randint(2019, 2024)}."
    return text, archival


def pen_name(r: random.Random) -> str:
    if r.random() < 0.15:
        male = r.random() < 0.5
        middle = r.choice(MIDDLE_M if male else MIDDLE_F)
        return f"{r.choice(SURNAMES)} {middle} {r.choice(GIVEN_M if male else GIVEN_F)}"
    first = r.choice(PEN_FIRST)
    second = r.choice([s for s in PEN_SECOND if s != first])
    return f"{first} {second}"


@dataclass(frozen=True)
class InterviewStyle:
    """How an interview page prints its turns (docs/design.md, "Interviews").

    ``mode``: "labelled" (labelled questions and answers), "hoi-dap" ("Hỏi:" / "Đáp:"),
    "unlabelled" (questions printed with a bullet and "?" or opened by "Thưa ...", answers and
    the closing thanks without a label) or "questions-only" (labelled questions, unlabelled
    answers). ``intro``: what the introduction says about whom the article talks to ("label":
    the answers' labels name the speaker; "title": name and title; "name": name only; "none":
    nobody). ``form``: the answers' label form in labelled mode.
    """

    mode: str
    pv: str | None
    q_bullet: str
    a_bullet: str
    intro: str
    form: str = ""
    later_unlabelled: bool = False
    labelled_thanks: bool = True

    @property
    def min_pairs(self) -> int:
        # An interview without interviewer labels needs two answered questions.
        return 2 if self.mode == "unlabelled" else 1


LABEL_FORMS = {
    "title-name": 40, "hon-name": 20, "name-dash-title": 10, "name-comma-title": 10,
    "caps": 10, "hon-title": 6,
}


def make_interview(f: Filler) -> tuple[Speaker, InterviewStyle]:
    """The interviewee and how the page prints the interview."""
    r = f.r
    male = r.random() < 0.75
    name = f.person(male)
    kind, place = f.place
    local = [t for t in (f"{t} {kind} {place}" for t in LOCAL_TITLES) if f.place_ok(t)]
    if r.random() < 0.6 or not local:
        title = r.choice([t for t in TOWN_TITLES if f.place_ok(t)])
    else:
        title = r.choice(local)
    honorific = "Ông" if male else "Bà"
    role = next((x for x in ROLES if title.startswith(x)), None)
    if role is not None and r.random() < 0.5:
        pron = "đồng chí"
        addr = f"đồng chí {role}"
    else:
        pron = honorific.lower()
        addr = pron
    hon = "đồng chí" if pron == "đồng chí" and r.random() < 0.5 else honorific.lower()
    speaker = Speaker(title=title, name=name, pron=pron, addr=addr, hon=hon)

    mode = r.choices(
        ["labelled", "hoi-dap", "unlabelled", "questions-only"], weights=[62, 10, 20, 8]
    )[0]
    labels = list(INTERVIEWER_LABELS)
    pv = None if mode == "unlabelled" else "Hỏi" if mode == "hoi-dap" else r.choices(
        labels, weights=[INTERVIEWER_LABELS[x] for x in labels])[0]
    q_bullet = a_bullet = ""
    if mode == "unlabelled":
        q_bullet = r.choice(BULLETS)
    elif r.random() < 0.12:
        q_bullet = r.choice(BULLETS)
        a_bullet = q_bullet if r.random() < 0.5 else ""
    if mode != "labelled":
        intro = r.choices(["title", "name", "none"], weights=[55, 25, 20])[0]
        inferred = {"title": (name, title), "name": (name, None), "none": (None, None)}[intro]
        speaker.inferred = inferred
        if mode == "hoi-dap":
            speaker.label = "Đáp"
            speaker.label_name, speaker.label_title = inferred
        style = InterviewStyle(mode, pv, q_bullet, a_bullet, intro,
                               labelled_thanks=mode != "unlabelled" and r.random() < 0.7)
        return speaker, style

    form = r.choices(list(LABEL_FORMS), weights=list(LABEL_FORMS.values()))[0]
    label_title: str | None = title
    if form == "title-name":
        label = f"{title} {name}"
    elif form == "hon-name":
        label, label_title = f"{honorific} {name}", None
    elif form == "name-dash-title":
        dash = r.choice(["-", "-", "–"])
        label = f"{honorific} {name} {dash} {title}" if r.random() < 0.7 else (
            f"{name} {dash} {title}")
    elif form == "name-comma-title":
        label = f"{name}, {title}" if r.random() < 0.7 else f"{honorific} {name}, {title}"
    elif form == "caps":
        # Printed in capitals; the first intro paragraph prints "<title> <name>" in normal
        # case, so the extractor takes the article's own casing.
        label = f"{title} {name}".upper()
    else:  # "hon-title": the title without its place; the article names the speaker with it
        label_title = " ".join(title.split()[:-2])
        label = f"{r.choice(['Đồng chí', honorific])} {label_title}"
        speaker.reserved_title = label_title
    speaker.label, speaker.label_name, speaker.label_title = label, name, label_title
    speaker.inferred = (name, label_title)
    style = InterviewStyle(
        mode, pv, q_bullet, a_bullet, "label", form=form,
        later_unlabelled=form != "hon-title" and r.random() < 0.1,
        labelled_thanks=r.random() < 0.85,
    )
    return speaker, style


# ---------------------------------------------------------------------------------------------
# Page assembly
# ---------------------------------------------------------------------------------------------


@dataclass
class Body:
    """Body elements of a page with the counts the generator planted."""

    elements: list[str] = field(default_factory=list)
    size: int = 0
    paragraphs: int = 0
    captions: int = 0
    archival: int = 0
    turns: int = 0
    interviewer_turns: int = 0
    turn_labels: list[str | None] = field(default_factory=list)
    interviewee_names: list[str | None] = field(default_factory=list)
    interviewee_titles: list[str | None] = field(default_factory=list)

    def turn(self, label: str | None, speaker: tuple[str | None, str | None] | None) -> None:
        """Count a turn: an interviewer turn when ``speaker`` is None."""
        self.turns += 1
        self.turn_labels.append(label)
        if speaker is None:
            self.interviewer_turns += 1
        else:
            self.interviewee_names.append(speaker[0])
            self.interviewee_titles.append(speaker[1])

    def add(self, text: str) -> None:
        self.elements.append(text)
        self.size += len(text.encode()) + 2


@dataclass
class PagePlan:
    """Random choices made once per page."""

    interview: bool
    prefix: bool
    target: int
    cap: int
    tiny: bool
    brief: bool
    photo_rate: float
    cite_rate: float
    sentences: tuple[int, int]


class PageWriter:
    """Builds the body of one page.

    Photos are requested with :meth:`maybe_photo` and printed just before the next paragraph
    that fits, so the body never ends with a photo and no caption is printed and then dropped.
    """

    def __init__(self, f: Filler, plan: PagePlan, headline: str, clause: str | None) -> None:
        self.f = f
        self.r = f.r
        self.plan = plan
        self.headline = headline
        self.clause = clause
        self.body = Body()
        self.photos_due = 0
        self.headline_para_due = clause is not None and self.r.random() < 0.6
        self.question_used = False  # a news page prints at most one question-shaped paragraph
        self.listed = self.r.random() >= 0.2  # at most one bulleted list, on some pages only

    def room(self, text: str, extra: int = 0) -> bool:
        return self.body.size + len(text.encode()) + 300 * self.photos_due + extra <= self.plan.cap

    def paragraph(self, text: str, blk: Block) -> bool:
        """Add a paragraph (committing its mentions) if it fits; return whether it was added."""
        assert text != self.headline and "bình luận" not in text and "{" not in text
        if not self.room(text):
            self.f.discard(blk)
            self.photos_due = 0
            return False
        while self.photos_due:
            self.photos_due -= 1
            self.photo()
        self.f.commit(blk)
        self.body.add(text)
        self.body.paragraphs += 1
        return True

    def photo(self) -> None:
        """Print a placeholder and its caption now."""
        caption, archival = make_caption(self.f, self.plan.interview)
        assert caption != self.headline and "{" not in caption
        self.body.add(self.headline)
        self.body.add(caption)
        self.body.captions += 1
        self.body.archival += archival

    def maybe_photo(self) -> None:
        if self.r.random() < self.plan.photo_rate:
            self.photos_due = 2 if self.r.random() < 0.1 else 1

    def prose(self, pool: tuple[Tpl, ...]) -> tuple[str, Block]:
        blk = self.f.begin()
        lo, hi = self.plan.sentences
        if self.headline_para_due and self.body.paragraphs >= 2 and self.r.random() < 0.25:
            self.headline_para_due = False
            return self.headline_paragraph(), blk
        text = make_sentences(self.f, self.r.randint(lo, hi), pool, self.plan.cite_rate)
        return text, blk

    def headline_paragraph(self) -> str:
        """A paragraph that starts with the headline's words (first clause or all of it)."""
        f, r = self.f, self.r
        assert self.clause is not None
        if r.random() < 0.5:
            first = (f"{self.clause} nói riêng, {f.fill(r.choice(f.topic.np))} nói chung sẽ góp "
                     f"phần quan trọng để {r.choice(TOWNS)} {f.fill(r.choice(f.topic.goal))}.")
        else:
            first = (f"{self.headline} là quyết tâm chính trị của {f.org()} "
                     "trong suốt nhiệm kỳ.")
        return first + " " + make_sentences(f, r.randint(1, 3), GENERIC, 0.0)

    def news(self) -> None:
        while self.body.size < self.plan.target:
            roll = self.r.random()
            if roll < 0.08 and self.body.paragraphs >= 1:
                if not self.enumeration(GENERIC):
                    break
            elif roll < 0.12 and self.body.paragraphs >= 1 and not self.listed:
                if not self.bullets(question=not self.question_used):
                    break
            else:
                text, blk = self.prose(GENERIC)
                if not self.paragraph(text, blk):
                    break
            self.maybe_photo()

    def bullets(self, question: bool) -> bool:
        """A paragraph announcing a list, then 2-5 bulleted items that are not questions; on a
        news page (``question``) sometimes one bulleted rhetorical question among them."""
        f, r = self.f, self.r
        blk = f.begin()
        if not self.paragraph(f.sentence(r.choice(BULLET_LEADS)), blk):
            return False
        bullet = r.choice(["- ", "+ ", "• "])
        items = r.randint(2, 5)
        asked = r.randint(0, items) if question and r.random() < 0.5 else -1
        for index in range(items + (asked >= 0)):
            blk = f.begin()
            if index == asked:
                text = f"{bullet}{f.sentence(r.choice(RHETORICAL))}"
            else:
                text = f"{bullet}{f.sentence(r.choice(BULLET_ITEMS))}{r.choice(';..')}"
            if not self.paragraph(text, blk):
                return False
            if index == asked:
                self.question_used = True
                f.shapes.add("news:rhetorical-question")
        f.shapes.add("bullets")
        self.listed = True
        return True

    def enumeration(self, pool: tuple[Tpl, ...]) -> bool:
        """Paragraphs "Thứ nhất, ...", "Thứ hai, ..." (photos may fall between them)."""
        f, r = self.f, self.r
        for ordinal in ENUM_ORDINALS[: r.randint(3, 6)]:
            blk = f.begin()
            use_cite = f.has_citations() and r.random() < self.plan.cite_rate * 2
            text = f"{ordinal}, {f.sentence(r.choice(ENUM_CITE if use_cite else ENUM))}"
            if r.random() < 0.5:
                text += " " + make_sentences(f, r.randint(1, 2), pool, 0.0)
            if not self.paragraph(text, blk):
                return False
            if r.random() < 0.3:
                self.maybe_photo()
        return True

    def interview(self, speaker: Speaker, style: InterviewStyle, talked: bool) -> None:
        """Intro paragraphs, questions and answers (at least ``style.min_pairs``), the closing.

        ``talked``: the lede already says whom the article talks to.
        """
        f, r = self.f, self.r
        for i in range(r.randint(1, 3)):
            blk = f.begin()
            if i == 0 and style.intro != "label" and not talked:
                text = f.sentence(r.choice(TALK[style.intro]))
                more = make_sentences(f, r.randint(0, 2), GENERIC, 0.1)
                text = f"{text} {more}" if more else text
            elif style.intro in ("label", "title") and (i == 0 or r.random() < 0.3):
                # Names the speaker with their title (a labelled page's first intro paragraph
                # always does: the casing of a label in capitals, a title-only label).
                text = f.sentence(r.choice(INTRO))
                more = make_sentences(f, r.randint(0, 2), GENERIC, 0.1)
                text = f"{text} {more}" if more else text
            else:
                text, blk = self.prose(GENERIC)
            added = self.paragraph(text, blk)
            assert added or i > 0, "the first intro paragraph always fits"
            self.maybe_photo()
        pairs = 0
        questions: list[Tpl] = []
        while pairs < style.min_pairs or self.body.size < self.plan.target:
            blk = f.begin()
            if f.has_citations() and r.random() < 0.3:
                tpl = r.choice(QUESTIONS_CITE)
            else:
                if not questions:
                    questions = list(QUESTIONS)
                    r.shuffle(questions)
                tpl = questions.pop()
            question = f.sentence(tpl)
            if style.pv is not None:
                question = f"{style.q_bullet}{style.pv}: {question}"
            elif not (
                (question.startswith("Thưa") or question.endswith(f", thưa {speaker.pron}?"))
                and r.random() < 0.5
            ):
                question = style.q_bullet + question  # bullet and "?", or "Thưa ..."
            if not self.room(question, extra=2_500):
                f.discard(blk)
                break
            added = self.paragraph(question, blk)
            assert added
            self.body.turn(style.pv, None)
            self.maybe_photo()
            if not self.answer(speaker, style, first=pairs == 0):
                break
            pairs += 1
        assert pairs >= style.min_pairs, "an unlabelled interview needs two answered questions"
        closing = f.fill(r.choice(CLOSINGS))
        if style.labelled_thanks:
            self.body.add(f"{style.q_bullet}{style.pv}: {closing}")
            self.body.turn(style.pv, None)
        else:
            bullet = style.q_bullet if style.q_bullet and r.random() < 0.5 else ""
            self.body.add(bullet + closing)
            self.body.turn(None, None)
            f.shapes.add("thanks:unlabelled")
        self.body.paragraphs += 1

    def answer(self, speaker: Speaker, style: InterviewStyle, first: bool) -> bool:
        """One interviewee turn: a paragraph (labelled or not) and 0-4 more (photos may fall
        between them)."""
        f, r = self.f, self.r
        blk = f.begin()
        text = make_sentences(f, r.randint(2, 6), ANSWER, 0.1)
        labelled = style.mode in ("labelled", "hoi-dap")
        if labelled and style.later_unlabelled and not first and r.random() < 0.6:
            labelled = False
            f.shapes.add("answers:later-unlabelled")
        if labelled:
            text = f"{style.a_bullet}{speaker.label}: {text}"
        if not self.paragraph(text, blk):
            return False
        if labelled:
            self.body.turn(speaker.label, (speaker.label_name, speaker.label_title))
        else:
            self.body.turn(None, speaker.inferred)
        for _ in range(r.choice([0, 1, 1, 2, 2, 3, 4])):
            self.maybe_photo()
            roll = r.random()
            if roll < 0.1:
                if not self.enumeration(ANSWER):
                    return False
                continue
            if roll < 0.13 and not self.listed:
                if not self.bullets(question=False):
                    return False
                continue
            text, blk = self.prose(GENERIC + ANSWER)
            if not self.paragraph(text, blk):
                return False
        return True


def page_plan(r: random.Random, nfd: bool) -> PagePlan:
    cap = 31_000 if nfd else 38_500  # body bytes; NFD + CRLF grows a page by at most ~22 %
    roll = r.random()
    brief = roll < 0.02
    tiny = not brief and roll < 0.05
    if brief or tiny:
        target = r.randint(0, 300)
    elif roll < 0.12:
        target = int(r.triangular(16_000, cap - 300, cap - 300))
    else:
        target = int(min(max(r.lognormvariate(8.5, 0.6), 1_000), cap - 2_000))
    interview = not (tiny or brief) and r.random() < 0.3
    density = r.random()
    return PagePlan(
        interview=interview,
        prefix=r.random() < (0.4 if tiny else 0.7 if brief else 0.8),
        target=target,
        cap=cap,
        tiny=tiny,
        brief=brief,
        photo_rate=0.0 if density < 0.1 else density * 0.35,
        cite_rate=r.choice([0.0, 0.05, 0.1, 0.15, 0.25]),
        sentences=r.choice([(1, 3), (2, 4), (2, 5), (3, 6)]),
    )


def resolution_count(r: random.Random, plan: PagePlan) -> int:
    if plan.brief:
        return 0 if r.random() < 0.4 else 1
    if plan.tiny or plan.cite_rate == 0.0:
        return 0 if r.random() < 0.7 else 1
    return r.choice([0, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8])


def build_page(
    r: random.Random, reg: HeadlineRegistry, docs: DocumentRegistry, counter: int, nfd: bool
) -> tuple[str, dict[str, object]]:
    """Return the page text (NFC, LF) and its planted record (without file/bytes/published).

    The record's "_cited" (the page's :class:`Resolution` list) is for ``docs.commit``, once the
    page is kept; the identity of what it cites is planted by :func:`plant_identity`.
    """
    plan = page_plan(r, nfd)
    topic = r.choice(TOPICS)
    f = Filler(r, topic, r.choice(PLACES))
    f.pending = make_resolutions(r, f, resolution_count(r, plan), docs)
    speaker, style = make_interview(f) if plan.interview else (None, None)
    f.speaker = speaker
    headline, clause = make_headline(f, reg, plan.interview, counter)
    lede, talked = make_lede(f, plan, style)
    assert lede != headline
    writer = PageWriter(f, plan, headline, clause)
    if plan.brief:
        # Headline and lede only: the lede is the article's one body paragraph.
        f.pending = []
        writer.body.paragraphs = 1
    elif plan.tiny:
        f.pending = []  # a tiny page cites at most what its headline and lede cite
        # At least one body paragraph (a tiny page is not a brief).
        for _ in range(max(1, r.choice([0, 0, 1, 1, 2]))):
            blk = f.begin()
            writer.paragraph(make_sentences(f, 1, GENERIC, 0.0), blk)
    else:
        if r.random() < 0.1:
            writer.photo()
        if speaker is not None and style is not None:
            writer.interview(speaker, style, talked)
        else:
            writer.news()

    shapes = set(f.shapes)
    if plan.brief:
        shapes.add("brief")
        form = r.choice(["prefix-twice", "prefix-twice", "prefix-once", "plain"])
        if not plan.prefix:
            form = "plain"
        top = {"prefix-twice": [PREFIX + lede, headline, lede],
               "prefix-once": [PREFIX + lede, headline], "plain": [headline, lede]}[form]
        shapes.add(f"brief:{form}")
    else:
        top = [PREFIX + lede, headline, lede] if plan.prefix else [headline, lede]
    parts = top + writer.body.elements
    if not (plan.tiny or plan.brief) and r.random() < 0.55:
        parts.append(RELATED)
    # Authors are named once each (Article.authors): a pen name drawn twice is printed once.
    authors = list(dict.fromkeys(pen_name(r) for _ in range(r.choice([1, 1, 1, 1, 2, 2, 3]))))
    role = "thực hiện" if speaker is not None and r.random() < 0.9 else None
    if plan.brief:
        # Only a brief whose lede is printed twice has a byline: after a lede printed once, a
        # byline printed twice would read like a headline and its photo placeholder.
        has_byline = len(top) == 3 and r.random() < 0.6
    else:
        has_byline = not plan.tiny or r.random() < 0.8
    if has_byline:
        line = " - ".join(authors) + (f" ({role})" if role else "")
        parts.append(f"{line}\n\n\n{line}")
    text = "\n\n".join(parts)
    footer = not plan.tiny and (not plan.brief or r.random() < 0.3)
    text = text + "\n\n" + FOOTER if footer else text + "\n"
    text = unicodedata.normalize("NFC", text)
    if len(text.encode()) < MIN_BYTES:  # too small: draw the page again
        return build_page(r, reg, docs, counter, nfd)

    if style is not None:
        shapes.add(f"interview:{style.mode}")
        if style.intro != "label":
            shapes.add(f"intro:{style.intro}")
        if style.form:
            shapes.add(f"label:{style.form}")
        if style.pv is not None and style.pv not in ("P.V", "PV", "Phóng viên"):
            shapes.add(f"interviewer:{style.pv}")
        if style.q_bullet and style.pv is not None:
            shapes.add("label:bullet")
    for res in f.order:
        shape = code_shape(res)
        if shape is not None:
            shapes.add(shape)

    assert shapes <= set(SHAPES), shapes - set(SHAPES)
    b = writer.body
    segments = "\n".join([headline, lede, *b.elements])  # what the extractor reads places in
    record: dict[str, object] = {
        "title": headline,
        "lede": None if plan.brief else lede,
        "genre": "interview" if speaker is not None else "news",
        "paragraphs": b.paragraphs,
        "captions": b.captions,
        "archival_captions": b.archival,
        "turns": b.turns,
        "interviewer_turns": b.interviewer_turns,
        "turn_labels": b.turn_labels,
        "interviewee_names": b.interviewee_names,
        "interviewee_titles": b.interviewee_titles,
        "resolutions": [
            {
                "code": res.code,
                "mentions": res.mentions,
                "issued_on": res.issued.isoformat() if res.date_printed else None,
                "doc_type_name": res.type_word,
                "issuer": res.issuer if res.issuer_printed else None,
                "document": res.doc.key,
                "stated": _stated(res, segments),
                "disagrees": list(res.disagrees),
            }
            for res in f.order
        ],
        "authors": authors if has_byline else [],
        "byline_role": role if has_byline else None,
        "shapes": sorted(shapes),
        "_latest": max((res.issued for res in f.order), default=date(2019, 1, 1)),
        "_cited": list(f.order),
    }
    return text, record


class StrayPlace(Exception):
    """A page that names, after a local body's words, another place than its document's: the
    truth could not be planted (no extractor can tell which place is meant), so the page is
    made again from a new random state (:func:`iter_pages`)."""


_PAGE_ATTEMPTS = 20


def _stated(res: Resolution, segments: str) -> str:
    """``code|place|year`` as the page states them ("" for a part it does not state): the place
    by :func:`stated_place` (never another place than the document's), the year from a date
    printed with the code or in the code."""
    key = res.kind.local
    if key is not None:
        strays = _named_places(key, segments) - {res.doc.place}
        if strays:
            raise StrayPlace(f"{res.code}: the page names {strays} for a {res.doc.place} body")
    place = stated_place(key, res.issuer if res.issuer_printed else None, segments)
    assert place in (None, res.doc.place), (res.doc.key, place)
    year = res.year if res.date_printed or res.kind.with_year else None
    if res.disagrees:
        assert res.stated, res.doc.key  # a planted disagreement is printed
    return f"{res.code}|{place or ''}|{year or ''}"


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].rstrip("-")


def sidecar(r: random.Random, headline: str, latest: date) -> dict[str, str]:
    start = max(latest, date(2019, 1, 1)) + timedelta(days=1)
    end = date(2025, 6, 30)
    span = max((end - start).days, 1)
    published = start + timedelta(days=r.randint(0, span))
    section = r.choice(["chinh-tri", "xay-dung-dang", "kinh-te", "xa-hoi", "thoi-su"])
    url = f"https://baohatinh.vn/{section}/{_slug(headline)}-{r.randint(100000, 299999)}.htm"
    return {"url": url, "published_at": published.isoformat(), "source": "baohatinh.vn"}


def encode(text: str, nfd: bool) -> bytes:
    if nfd:
        return ("\ufeff" + unicodedata.normalize("NFD", text).replace("\n", "\r\n")).encode()
    return text.encode()


def iter_pages(
    n: int, seed: int, sidecar_share: float, nfd_share: float
) -> Iterator[tuple[str, bytes, dict[str, str] | None, dict[str, object]]]:
    """Yield (file name, bytes, sidecar or None, planted record) page by page (the records
    without what :func:`plant_identity` adds once every page is made)."""
    master = random.Random(seed)
    reg = HeadlineRegistry()
    docs = DocumentRegistry()
    for i in range(n):
        page_rng = random.Random(master.getrandbits(64))
        name = f"{i:06d}_{master.getrandbits(48):012x}.txt"
        nfd = master.random() < nfd_share
        with_sidecar = master.random() < sidecar_share
        for _ in range(_PAGE_ATTEMPTS):
            try:
                text, rec = build_page(page_rng, reg, docs, i, nfd)
                break
            except StrayPlace:
                page_rng = random.Random(page_rng.getrandbits(64))  # deterministic retry
        else:  # pragma: no cover - never seen
            raise AssertionError(f"page {i}: no page without a stray place in {_PAGE_ATTEMPTS}")
        data = encode(text, nfd)
        assert MIN_BYTES <= len(data) <= MAX_BYTES, (name, len(data))
        cited = rec.pop("_cited")
        assert isinstance(cited, list)
        docs.commit(cited)
        latest = rec.pop("_latest")
        headline = rec["title"]
        assert isinstance(latest, date) and isinstance(headline, str)
        meta = sidecar(page_rng, headline, latest) if with_sidecar else None
        record: dict[str, object] = {"file": name}
        record.update(rec)
        record["published_at"] = meta["published_at"] if meta else None
        record["bytes"] = len(data)
        yield name, data, meta, record


def generate(
    out_dir: Path, n: int, seed: int = 0, sidecar_share: float = 0.3, nfd_share: float = 0.15
) -> list[dict[str, object]]:
    """Write `n` pages, their sidecars and planted.jsonl into `out_dir`; return the records.

    Each record: {"file", "title", "lede" (None for a brief), "genre", "paragraphs", "captions",
    "archival_captions", "turns", "interviewer_turns", "turn_labels" (speaker_label of every
    turn, None when unlabelled), "interviewee_names" and "interviewee_titles" (speaker_name and
    speaker_title of every interviewee turn), "resolutions": [{"code" (canonical), "mentions",
    "issued_on", "doc_type_name", "issuer"}], "authors", "byline_role", "shapes" (the press
    shapes the page prints, names from :data:`SHAPES`), "published_at" (from the sidecar, else
    None), "bytes"}.

    Each resolution also says which document it is and what a build must make of it
    (docs/design.md, "Document identity"; see :func:`plant_identity`): "document" (the
    document's ``code|place|year`` key, place empty for an issuer that is not local),
    "stated" (``code|place|year`` as the page states them, "" for a part it does not state),
    "disagrees" (the facts this page plants another value for: "issued_on", "issuer"),
    "refers_to" (the document key, or "ambiguous"), "candidates" (for an ambiguous citation: the
    keys of the documents it may mean, else []), "conflict" (the build reports its document, or
    the ambiguous record it stays in, as conflicting).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records: list[dict[str, object]] = []
    for name, data, meta, record in iter_pages(n, seed, sidecar_share, nfd_share):
        (out_dir / name).write_bytes(data)
        if meta is not None:
            stem = name.removesuffix(".txt")
            (out_dir / f"{stem}.meta.json").write_text(
                json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        records.append(record)
    plant_identity(records)
    with (out_dir / "planted.jsonl").open("w", encoding="utf-8") as planted:
        for record in records:
            planted.write(json.dumps(record, ensure_ascii=False) + "\n")
    return records


Identity = tuple[str, str | None, int | None]


def _identity(key: str) -> Identity:
    code, place, year = key.rsplit("|", 2)
    return code, place or None, int(year) if year else None


def _more_specific(fuller: Identity, than: Identity) -> bool:
    """``fuller`` has ``than``'s place and year wherever ``than`` states them, and more."""
    _, place, year = than
    _, its_place, its_year = fuller
    agrees = (place is None or its_place == place) and (year is None or its_year == year)
    adds = (place is None and its_place is not None) or (year is None and its_year is not None)
    return agrees and adds


def _bodies(issuers: list[str]) -> set[str]:
    """The bodies named: a name with exactly one longer stated name extending it ("UBND tỉnh",
    "UBND tỉnh Hà Tĩnh") counts as that one (docs/design.md, "Document identity")."""
    distinct = list(dict.fromkeys(issuers))
    out = set()
    for issuer in distinct:
        longer = [o for o in distinct if o.startswith(issuer + " ")]
        top = [o for o in longer if not any(x.startswith(o + " ") for x in longer)]
        out.add(top[0] if len(top) == 1 else issuer)
    return out


def plant_identity(records: list[dict[str, object]]) -> None:
    """Plant, for every citation, what a build of the whole archive makes of it (docs/design.md,
    "Document identity": a citation without a place or a year joins the one document with the
    same code that the archive states with every part it states and more; with two or more it
    stays a record of its own, listed as ambiguous), and which records conflict.

    Every document is stated in full (date, and place for a local issuer) by the first page
    citing it, and no page states a wrong place or year, so the build's records are exactly the
    documents plus the ambiguous citations' records: checked here.
    """
    entries: list[dict[str, object]] = [
        res for record in records for res in record["resolutions"]  # type: ignore[attr-defined]
    ]
    by_code: dict[str, set[Identity]] = {}
    for entry in entries:
        ident = _identity(str(entry["stated"]))
        by_code.setdefault(ident[0], set()).add(ident)
    target: dict[Identity, Identity] = {}
    candidates: dict[Identity, list[Identity]] = {}
    for idents in by_code.values():
        for ident in idents:
            if ident[1] is not None and ident[2] is not None:
                continue
            fuller = [i for i in idents if _more_specific(i, ident)]
            top = [i for i in fuller if not any(_more_specific(j, i) for j in fuller)]
            if len(top) == 1:
                target[ident] = top[0]
            elif top:
                candidates[ident] = top
    keys = {str(entry["document"]) for entry in entries}
    groups: dict[Identity, list[dict[str, object]]] = {}
    docs_of: dict[Identity, set[str]] = {}
    records_of: dict[str, set[Identity]] = {}
    for entry in entries:
        ident = _identity(str(entry["stated"]))
        record = target.get(ident, ident)
        groups.setdefault(record, []).append(entry)
        if ident in candidates:
            entry["refers_to"] = "ambiguous"
            entry["candidates"] = sorted(f"{c}|{p or ''}|{y}" for c, p, y in candidates[ident])
            assert set(entry["candidates"]) <= keys, entry  # type: ignore[arg-type]
            assert entry["document"] in entry["candidates"], entry  # type: ignore[operator]
        else:
            entry["refers_to"] = entry["document"]
            entry["candidates"] = []
            docs_of.setdefault(record, set()).add(str(entry["document"]))
            records_of.setdefault(str(entry["document"]), set()).add(record)
    assert all(len(found) == 1 for found in docs_of.values()), "a record of two documents"
    assert all(len(found) == 1 for found in records_of.values()), "a document in two records"
    for group in groups.values():
        dates = {entry["issued_on"] for entry in group if entry["issued_on"] is not None}
        bodies = _bodies([str(entry["issuer"]) for entry in group if entry["issuer"] is not None])
        conflict = len(dates) > 1 or len(bodies) > 1
        for entry in group:
            entry["conflict"] = conflict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sidecar-share", type=float, default=0.3)
    parser.add_argument("--nfd-share", type=float, default=0.15)
    args = parser.parse_args(argv)
    records = generate(args.out_dir, args.n, args.seed, args.sidecar_share, args.nfd_share)
    print(f"wrote {len(records)} pages to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
