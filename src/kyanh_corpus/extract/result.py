"""What one extraction returns: :class:`Extraction` and its line accounting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..models import Article, InterviewTurn, Resolution, Source
from .layout import LineClass


@dataclass(frozen=True, slots=True)
class LineRecord:
    """The class given to one non-blank input line (``number`` is 1-based, ``text`` stripped)."""

    number: int
    cls: LineClass
    text: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """The records extracted from one raw page.

    ``text`` is the normalised source text every span indexes into (equal to ``source.text``);
    ``lines`` classifies every non-blank line exactly once; ``warnings`` lists facts that were
    printed but not usable, in plain words.
    """

    article: Article
    turns: list[InterviewTurn]
    resolutions: list[Resolution]
    source: Source
    text: str
    lines: list[LineRecord]
    warnings: list[str]

    def line_counts(self) -> dict[str, int]:
        """Number of lines per class (class value -> count), for the build report."""
        return dict(Counter(record.cls.value for record in self.lines))
