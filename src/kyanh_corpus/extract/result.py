"""What one extraction returns: :class:`Extraction` and its line accounting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..models import Article, InterviewTurn, Resolution, Source
from .layout import LineClass
from .text import Line


@dataclass(frozen=True, slots=True)
class LineRecord:
    """The class given to one non-blank input line (``number`` is 1-based, ``text`` stripped)."""

    number: int
    cls: LineClass
    text: str


@dataclass(frozen=True)
class Extraction:
    """The records extracted from one raw page.

    ``text`` is the normalised source text every span indexes into (equal to ``source.text``);
    :attr:`lines` classifies every non-blank line exactly once; ``warnings`` lists facts that were
    printed but not usable, in plain words.

    ``rows`` holds the article, interview turns and source as plain rows (config name -> list of
    dicts), each equal to the record's ``model_dump()``: they are the very dicts the models
    validated, which validation returned unchanged (text already NFC and stripped, dates already
    ``date``). The build writes them to Arrow without dumping the models again.
    """

    article: Article
    turns: list[InterviewTurn]
    resolutions: list[Resolution]
    source: Source
    text: str
    warnings: list[str]
    rows: Mapping[str, list[dict[str, Any]]]
    line_items: Sequence[Line]
    """The non-blank lines of ``text``, in order."""
    line_classes: Sequence[LineClass]
    """The class of each of :attr:`line_items`."""

    @cached_property
    def lines(self) -> tuple[LineRecord, ...]:
        """Every non-blank line with its class, in order (built on first access)."""
        return tuple(
            LineRecord(line.number, cls, line.text)
            for line, cls in zip(self.line_items, self.line_classes, strict=True)
        )

    def line_counts(self) -> dict[str, int]:
        """Number of lines per class (class value -> count), for the build report."""
        return {cls.value: count for cls, count in Counter(self.line_classes).items()}
