"""The one exception the extractor raises: :class:`ExtractionError`."""

from __future__ import annotations

from ..errors import DataError


class ExtractionError(DataError):
    """A raw page that cannot become records, with a reason a person understands.

    ``str(error)`` is ``"<path>:<line>: <reason>"`` (the line part is left out when ``line`` is
    None), so every message names the file. ``field`` names the offending field when the problem
    is one value (a sidecar key, a model field), else None.
    """

    path: str | None
    line: int | None
    reason: str
    field: str | None

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        self.field = field
        super().__init__(self._message())

    def _message(self) -> str:
        where = self.path if self.path is not None else "<text>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.reason}"

    def __str__(self) -> str:
        return self._message()

    def __reduce__(self) -> tuple[object, ...]:
        """Keep the keyword-only attributes when the error is pickled (multiprocessing)."""
        return (_rebuild, (self.reason, self.path, self.line, self.field))


def _rebuild(reason: str, path: str | None, line: int | None, field: str | None) -> ExtractionError:
    return ExtractionError(reason, path=path, line=line, field=field)
