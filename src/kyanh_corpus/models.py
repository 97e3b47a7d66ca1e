"""The record types of the corpus: the single source of truth.

Everything a user or a tool sees -- the Arrow schema, the Hugging Face ``datasets.Features``, the
JSON Schema files in ``schema/`` and the dataset card's ``dataset_info`` -- is derived from the
Pydantic models in this module by :mod:`kyanh_corpus.features`. Nothing else declares a field.

Guarantees every model gives:

* instances are frozen (immutable; hashable when they hold no list) and reject unknown fields
  (``extra="forbid"``);
* every text field is NFC-normalised and stripped by the model itself, and a required text field
  may not be empty (or whitespace only);
* cross-field rules are checked at construction (a span ends after it starts; a resolution's
  ``code`` agrees with its parts; paragraph and caption indices are their positions), and the
  error's ``loc`` names the offending field where one field is to blame;
* values are not coerced across JSON types: an integer field refuses strings and booleans, a
  boolean field refuses anything but a boolean, a date field refuses numbers and anything but a
  ``date`` or a ``"YYYY-MM-DD"`` string. So a JSON document passes the models exactly when it
  passes the generated JSON Schema (up to the cross-field rules JSON Schema cannot express);
* integers fit Arrow's ``int64``, so every valid record can be written.

>>> Span(start=3, end=10).end
10
>>> import unicodedata
>>> m = Mention(article_id="abcd", surface=unicodedata.normalize("NFD", " Nghị quyết 02 "),
...             span=Span(start=0, end=13))
>>> m.surface == unicodedata.normalize("NFC", "Nghị quyết 02")
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Final, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .codes import CODE_PATTERN as CODE_PATTERN
from .codes import DOC_TYPE_PATTERN as DOC_TYPE_PATTERN
from .codes import ISSUER_CODE_PATTERN as ISSUER_CODE_PATTERN
from .codes import NUMBER_PATTERN as NUMBER_PATTERN
from .codes import canonical_code as canonical_code

SCHEMA_VERSION: Final = "2.0.0"
"""Version of the record schema; bumped on any change to a field (major on breaking changes)."""


def _clean_text(value: str) -> str:
    """NFC-normalise and strip ``value``; refuse a value that is empty afterwards."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value)
    value = value.strip()
    if not value:
        raise ValueError("must not be empty or whitespace only")
    return value


def _nfc(value: str) -> str:
    """NFC-normalise ``value`` without stripping it (offsets into it must stay valid)."""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


Text = Annotated[
    str,
    StringConstraints(min_length=1, pattern=r"\S"),
    AfterValidator(_clean_text),
]
"""A non-empty string, NFC-normalised and stripped by the model."""

ArticleId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{4,64}$")]
"""Lowercase ``[a-z0-9-]``, 4 to 64 characters, derived from the article's content."""

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
"""A SHA-256 digest as 64 lowercase hex digits."""

INT64_MAX: Final = 2**63 - 1
"""Largest integer a record may hold: every integer column is Arrow ``int64``."""


def _integer_only(value: object) -> object:
    """Refuse the lax coercions JSON Schema's ``integer`` does not allow (strings, booleans)."""
    if isinstance(value, bool | str | bytes | bytearray):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_only(value: object) -> object:
    """Accept a ``date`` (not a ``datetime``) or a "YYYY-MM-DD" string, as JSON Schema does."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_type", "Input should be a date or a 'YYYY-MM-DD' string")


_NOT_COERCED: Final = BeforeValidator(_integer_only)
# Constraints come before the validator in each alias: placed after it, Pydantic would emit
# them as unknown keywords ("ge", "le") instead of JSON Schema's "minimum"/"maximum".

Index = Annotated[int, Field(ge=0, le=INT64_MAX), _NOT_COERCED]
"""A 0-based position or offset: an integer (never a string or boolean) that fits ``int64``."""

Bool = Annotated[bool, Strict()]
"""A boolean that is not coerced from a number or a string."""

Date = Annotated[date, BeforeValidator(_date_only)]
"""A calendar date: a ``date`` or an ISO 8601 "YYYY-MM-DD" string, never a number."""


class Record(BaseModel):
    """Base of every corpus model: frozen, no unknown fields, docstrings become descriptions."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        use_attribute_docstrings=True,
        validate_default=True,
    )


class Span(Record):
    """A half-open range ``[start, end)`` of Unicode code points in an article's ``Source.text``.

    The span always covers at least one character.
    """

    start: Index
    """Offset of the first code point (0-based)."""
    end: Annotated[int, Field(gt=0, le=INT64_MAX), _NOT_COERCED]
    """Offset one past the last code point; always greater than ``start``."""

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: int, info: ValidationInfo) -> int:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError(f"span end ({end}) must be greater than start ({start})")
        return end


class Paragraph(Record):
    """One body paragraph of an article, in reading order (interview labels included)."""

    index: Index
    """Position of the paragraph in ``Article.paragraphs`` (0-based)."""
    text: Text
    """The paragraph text, whitespace runs folded into one space."""
    span: Span
    """Where the paragraph stands in the source text."""


class Caption(Record):
    """A photo caption: the line printed after an image placeholder."""

    index: Index
    """Position of the caption in ``Article.captions`` (0-based)."""
    text: Text
    """The caption line as printed (credit included)."""
    credit: Text | None = None
    """Photographer named by "Ảnh: X" in the caption, else null."""
    archival: Bool = False
    """True when the caption says the photo is archival ("Ảnh tư liệu")."""
    after_paragraph: Index | None = None
    """Index of the last body paragraph printed before the photo; null before the first one."""
    span: Span
    """Where the caption stands in the source text."""


class Article(Record):
    """One published article: headline, lede, body, photo captions and byline."""

    article_id: ArticleId
    """Stable id derived from the normalised headline and lede (not the file name)."""
    source: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")]
    """Publication domain, lowercase, e.g. "baohatinh.vn"."""
    url: Text | None = None
    """Address of the page when known (from a sidecar), else null."""
    title: Text
    """The headline."""
    lede: Text | None = None
    """The lede (sapo), printed once; null when the page has none."""
    paragraphs: Annotated[list[Paragraph], Field(min_length=1)]
    """Body paragraphs in reading order, interview paragraphs included with their labels."""
    captions: list[Caption] = Field(default_factory=list)
    """Photo captions in reading order."""
    authors: list[Text] = Field(default_factory=list)
    """Authors named in the byline, each once, in printed order."""
    byline_role: Text | None = None
    """The role printed in the byline's parentheses, e.g. "thực hiện"; null when none."""
    published_at: Date | None = None
    """Publication date when a sidecar states it; null otherwise (never guessed from the text)."""
    genre: Literal["interview", "news"]
    """"interview" when the article has interviewer turns, else "news"."""
    language: Literal["vi"] = "vi"
    """ISO 639-1 language code of the text; always "vi"."""
    source_file: Text
    """Name of the raw scraped file the article was extracted from."""
    raw_sha256: Sha256
    """SHA-256 of the raw file's bytes, as read (before any normalisation)."""

    @field_validator("paragraphs")
    @classmethod
    def _paragraph_indices_are_positions(cls, paragraphs: list[Paragraph]) -> list[Paragraph]:
        for position, paragraph in enumerate(paragraphs):
            if paragraph.index != position:
                raise ValueError(
                    f"paragraphs[{position}].index is {paragraph.index}, expected {position}"
                )
        return paragraphs

    @field_validator("captions")
    @classmethod
    def _caption_indices_are_positions(
        cls, captions: list[Caption], info: ValidationInfo
    ) -> list[Caption]:
        paragraphs = info.data.get("paragraphs")
        for position, caption in enumerate(captions):
            if caption.index != position:
                raise ValueError(
                    f"captions[{position}].index is {caption.index}, expected {position}"
                )
            if (
                paragraphs is not None
                and caption.after_paragraph is not None
                and caption.after_paragraph >= len(paragraphs)
            ):
                raise ValueError(
                    f"captions[{position}].after_paragraph is {caption.after_paragraph}, "
                    f"but there are only {len(paragraphs)} paragraphs"
                )
        return captions


class InterviewTurn(Record):
    """One turn of an interview: a question or an answer, possibly over several paragraphs."""

    article_id: ArticleId
    """The article the turn belongs to."""
    turn_index: Index
    """Position of the turn in the interview (0-based)."""
    speaker_role: Literal["interviewer", "interviewee"]
    """"interviewer" (P.V, PV, Phóng viên) or "interviewee"."""
    speaker_label: Text | None = None
    """The label as printed before the colon: "P.V", "Bí thư Thị ủy Kỳ Anh Đặng Văn Thành";
    null for a turn printed without a label (a bulleted or "Thưa ông..." question, an answer
    with no label), whose role is inferred from the question/answer structure."""
    speaker_name: Text | None = None
    """The person's name in normal case (e.g. "Đặng Văn Thành"): from the label, or, for an
    unlabelled or title-only label, the one person the article names for it; else null."""
    speaker_title: Text | None = None
    """The title in normal case (e.g. "Bí thư Thị ủy Kỳ Anh"), from the label or the
    introduction; honorifics are not titles."""
    text: Text
    """The turn without its label: its paragraphs joined by a blank line, captions excluded."""
    spans: Annotated[list[Span], Field(min_length=1)]
    """One span per paragraph of the turn, in order (the first excludes the label)."""
    responds_to: Index | None = None
    """For an answer, the ``turn_index`` of the question it answers; null for questions."""

    @field_validator("responds_to")
    @classmethod
    def _responds_to_earlier_question(
        cls, responds_to: int | None, info: ValidationInfo
    ) -> int | None:
        if responds_to is not None:
            if info.data.get("speaker_role") == "interviewer":
                raise ValueError("an interviewer turn does not respond to another turn")
            turn_index = info.data.get("turn_index")
            if turn_index is not None and responds_to >= turn_index:
                raise ValueError(
                    f"responds_to ({responds_to}) must name an earlier turn "
                    f"than turn_index ({turn_index})"
                )
        return responds_to


class Mention(Record):
    """One printed occurrence of a document's number in an article, with what it states.

    The facts are those printed with this occurrence: after the code ("ngày 3/2/2021 của BTV
    Thị ủy Kỳ Anh về ...") or, in the same sentence, before it ("Ngày 9/5/2022, BTV Huyện ủy
    Kỳ Anh ban hành ..."); null when this occurrence states none (short forms never do).
    """

    article_id: ArticleId
    """The article the mention is printed in."""
    surface: Text
    """The mention as printed, e.g. "Nghị quyết số 02-NQ/ThU" or "Nghị quyết 02"."""
    span: Span
    """Where the mention stands in that article's source text."""
    issued_on: Date | None = None
    """The issue date this occurrence prints, else null."""
    issuer: Text | None = None
    """The issuing body as this occurrence names it, else null."""
    title: Text | None = None
    """The subject this occurrence prints after "về" (when it ends cleanly), else null."""


_T = TypeVar("_T")
MentionFacts = tuple[date | None, str | None, str | None]
"""``(issued_on, issuer, title)`` as one mention states them."""


def _fuller_issuers(issuers: list[str]) -> dict[str, str]:
    """Each stated issuer -> the one longer stated issuer that names the same body with more
    words after it ("UBND tỉnh" -> "UBND tỉnh Hà Tĩnh"), when exactly one such exists."""
    distinct = list(dict.fromkeys(issuers))
    mapping: dict[str, str] = {}
    for issuer in distinct:
        longer = [other for other in distinct if other.startswith(issuer + " ")]
        maximal = [o for o in longer if not any(x.startswith(o + " ") for x in longer)]
        mapping[issuer] = maximal[0] if len(maximal) == 1 else issuer
    return mapping


def _most_stated(values: list[_T]) -> _T | None:
    """The value stated most often; a tie goes to the one stated first. None for no value."""
    if not values:
        return None
    counts: dict[_T, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    best = max(counts.values())
    return next(value for value in values if counts[value] == best)


def document_facts(mentions: list[MentionFacts]) -> MentionFacts:
    """A document's ``(issued_on, issuer, title)`` from what its mentions state, in order.

    The one rule (docs/design.md, "Document identity"): the issue date and the issuer are the
    values stated by the most mentions, a tie going to the value stated first; an issuer that is
    the same body as a longer stated one with more words after it ("UBND tỉnh", "UBND tỉnh Hà
    Tĩnh") counts as the longer one. The title is the shortest subject stated (the first of the
    shortest). Each is null when no mention states one.

    >>> from datetime import date
    >>> document_facts([(date(2021, 2, 3), "BTV Thị ủy", "a b"), (None, "BCH Đảng bộ", "a"),
    ...                 (None, "BTV Thị ủy", None)])
    (datetime.date(2021, 2, 3), 'BTV Thị ủy', 'a')
    >>> document_facts([(None, "UBND tỉnh", None), (None, "UBND tỉnh Hà Tĩnh", None)])[1]
    'UBND tỉnh Hà Tĩnh'
    """
    dates = [m[0] for m in mentions if m[0] is not None]
    stated = [m[1] for m in mentions if m[1] is not None]
    fuller = _fuller_issuers(stated)
    titles = [m[2] for m in mentions if m[2] is not None]
    title = min(titles, key=len) if titles else None
    return _most_stated(dates), _most_stated([fuller[issuer] for issuer in stated]), title


def disagreements(mentions: list[MentionFacts]) -> list[str]:
    """The facts a document's mentions disagree on: ``"issued_on"`` when they state two dates,
    ``"issuer"`` when they name two bodies (a shorter name of a stated body is no disagreement).
    Subjects are not compared: articles paraphrase them.

    >>> from datetime import date
    >>> disagreements([(date(2021, 2, 3), "UBND tỉnh", None), (date(2021, 2, 4), None, None)])
    ['issued_on']
    """
    found = []
    if len({m[0] for m in mentions if m[0] is not None}) > 1:
        found.append("issued_on")
    stated = [m[1] for m in mentions if m[1] is not None]
    fuller = _fuller_issuers(stated)
    if len({fuller[issuer] for issuer in stated}) > 1:
        found.append("issuer")
    return found


class Resolution(Record):
    """A numbered Party or State document (nghị quyết, quyết định, hướng dẫn...) cited."""

    resolution_id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{3,96}$")]
    """Stable slug: the same document gets the same id in every article and build."""
    code: Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
    """Canonical "số, ký hiệu": Party "02-NQ/ThU", State "36/2021/NQ-HĐND", "1234/QĐ-UBND",
    or, with no type part, "2310/UBND-TH" and "33/1998/CP"."""
    system: Literal["party", "state"]
    """"party" (code number-TYPE/ISSUER) or "state" (code number[/year]/[TYPE-]ISSUER)."""
    number: Annotated[str, StringConstraints(pattern=rf"^{NUMBER_PATTERN}$")]
    """The number as printed, leading zeros kept."""
    year: Annotated[int, Field(ge=1945, le=2100), _NOT_COERCED] | None = None
    """The year printed in a State code that carries one, else null."""
    doc_type: Annotated[str, StringConstraints(pattern=rf"^{DOC_TYPE_PATTERN}$")] | None = None
    """Type abbreviation from the code: NQ, QĐ, QĐi, HD, KL, CT, KH, CTr...; null for a State
    code with no type part (an official letter "2310/UBND-TH", an older code "12/CP")."""
    doc_type_name: Text
    """Type name: the word printed before the number, or from the abbreviation table."""
    issuer_code: Annotated[str, StringConstraints(pattern=rf"^{ISSUER_CODE_PATTERN}$")]
    """Issuer abbreviation from the code, with any unit: ThU, TU, BTCTW, HĐND, UBND-TH..."""
    issuer: Text | None = None
    """The issuing body as named in the text (e.g. "BTV Thị ủy Kỳ Anh"); null when not named.
    Derived from the mentions (:func:`document_facts`)."""
    issued_on: Date | None = None
    """Date of issue as the mentions print it; null otherwise. Derived from the mentions."""
    title: Text | None = None
    """The subject printed after "về", without that word; null when not printed. Derived from
    the mentions."""
    mentions: Annotated[list[Mention], Field(min_length=1)]
    """Every printed occurrence in the corpus, in article and reading order, with what each
    states."""

    @field_validator("year")
    @classmethod
    def _party_codes_carry_no_year(cls, year: int | None, info: ValidationInfo) -> int | None:
        if year is not None and info.data.get("system") == "party":
            raise ValueError("a Party document code carries no year")
        return year

    @model_validator(mode="after")
    def _facts_are_the_mentions_facts(self) -> Resolution:
        derived = document_facts([(m.issued_on, m.issuer, m.title) for m in self.mentions])
        for name, value in zip(("issued_on", "issuer", "title"), derived, strict=True):
            if getattr(self, name) != value:
                raise ValueError(
                    f"{name} is {getattr(self, name)!r}, but its mentions state {value!r} "
                    "(a document's facts are derived from its mentions)"
                )
        return self

    @model_validator(mode="after")
    def _code_agrees_with_parts(self) -> Resolution:
        if self.system == "party" and self.doc_type is None:
            raise ValueError("a Party document code always carries a type part (doc_type)")
        expected = canonical_code(
            self.system, self.number, self.doc_type, self.issuer_code, self.year
        )
        if self.code != expected:
            raise ValueError(
                f"code {self.code!r} does not agree with its parts (expected {expected!r})"
            )
        return self


class Source(Record):
    """The normalised raw scrape of one article; every span in the corpus indexes into ``text``.

    ``text`` is the raw file decoded as UTF-8, BOM removed, CRLF/CR turned into LF, NFC. It is the
    one string that is not stripped, so that offsets into it stay exact.
    """

    article_id: ArticleId
    """The article extracted from this file."""
    source_file: Text
    """Name of the raw file."""
    raw_sha256: Sha256
    """SHA-256 of the raw file's bytes."""
    text: Annotated[str, StringConstraints(min_length=1), AfterValidator(_nfc)]
    """The normalised raw text (not stripped: spans index into it)."""


@dataclass(frozen=True)
class Entity:
    """One config of the corpus: the facts every module needs about it, in one place."""

    config: str
    """Config name, as on the Hub (``articles`` is the default config)."""
    model: type[Record]
    """The record type."""
    schema_name: str
    """Stem of its JSON Schema file in ``schema/`` (``<schema_name>.schema.json``)."""
    primary_key: tuple[str, ...]
    """The fields that identify a record uniquely."""
    batch_rows: int
    """Rows per batch read from Parquet (bounds the memory a loader holds at once)."""
    streamed: bool
    """True when the build writes it while pages are extracted (``resolutions`` is written
    after the merge)."""


ENTITY_TABLE: Final[tuple[Entity, ...]] = (
    Entity("articles", Article, "article", ("article_id",), 1024, True),
    Entity("interview_turns", InterviewTurn, "interview_turn", ("article_id", "turn_index"), 4096,
           True),
    Entity("resolutions", Resolution, "resolution", ("resolution_id",), 1024, False),
    Entity("sources", Source, "source", ("article_id",), 256, True),
)  # fmt: skip
"""Every config, in order: the one table the other per-config mappings are derived from."""

ENTITIES: Final[dict[str, type[Record]]] = {e.config: e.model for e in ENTITY_TABLE}
"""Config name (as on the Hub) -> model. ``articles`` is the default config."""

SCHEMA_NAMES: Final[dict[str, str]] = {e.config: e.schema_name for e in ENTITY_TABLE}
"""Config name -> JSON Schema file stem in ``schema/``."""

PRIMARY_KEYS: Final[dict[str, tuple[str, ...]]] = {e.config: e.primary_key for e in ENTITY_TABLE}
"""Config name -> the fields that identify a record uniquely."""

STREAMED_CONFIGS: Final[tuple[str, ...]] = tuple(e.config for e in ENTITY_TABLE if e.streamed)
"""Configs the build writes while pages are extracted."""

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """ASCII slug of Vietnamese text: lowercase, accents removed, đ -> d, other runs -> "-".

    >>> slugify("Nâng cao chất lượng: Đảng bộ Kỳ Anh")
    'nang-cao-chat-luong-dang-bo-ky-anh'
    >>> slugify("02-NQ/ThU")
    '02-nq-thu'
    """
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return _SLUG_DROP.sub("-", ascii_only).strip("-")
