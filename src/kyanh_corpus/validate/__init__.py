"""Validate records (JSON Lines, JSON, Parquet) and built folders against the models.

Files
    ``.jsonl``/``.ndjson`` (one record per line), ``.json`` (one record object, or an array of
    records) and ``.parquet``. The entity comes from ``entity=`` or is inferred: first from the file
    or folder name (``articles.jsonl``, ``data/interview_turns/train-...parquet``), else from the
    keys of the first record. Files are streamed: JSON Lines in 1 MiB blocks split at newlines
    (the unfinished piece of a line is carried over only up to ``max_line_bytes``, so an over-long
    line costs no more memory than the bound), JSON arrays element by element by an incremental
    scanner, Parquet batch by batch. Memory does not grow with the size of a file.

    Files other tools wrote (pandas, Polars, ``datasets``) are read as the same values when no
    value changes (:mod:`.foreign`): a Parquet file may hold ``large_string``/``large_list``
    columns, a pandas index column, dates as timestamps at midnight; JSON may hold dates as epoch
    milliseconds at midnight UTC. A value that would change (a timestamp not at midnight, an
    integer field stored as a float column) is a ``record`` error on its row and field.

    A line longer than ``max_line_bytes`` (default :data:`MAX_LINE_BYTES`, 8 MiB), or that is not
    JSON, is an error on that line and checking goes on with the next line. Blank lines are
    skipped; a UTF-8 byte order mark at the start of a file is ignored.

    Every JSON record is also held to the JSON limits of :mod:`kyanh_corpus.limits` (nesting
    depth, characters of one string, digits of one integer; ``limits=``, by default the
    environment variables ``KYANH_CORPUS_MAX_JSON_DEPTH``, ``KYANH_CORPUS_MAX_VALUE_CHARS``,
    ``KYANH_CORPUS_MAX_INT_DIGITS``): a record beyond one is a ``limit`` error on its line and
    field, found before the record is parsed; a key twice in one object is a ``json`` error
    (a parser would silently keep the last one). Either way the record is not checked further.

Built folders (a directory with ``manifest.json``)
    the manifest and every file's size and SHA-256 (no file missing, none unlisted), every
    config's row count, the Arrow schema (and ``huggingface`` metadata) of every Parquet file,
    every record against its model, unique primary keys, foreign keys (interview turns,
    resolution mentions and sources name an existing article), every span inside its article's
    source text and equal, whitespace folded, to the text it claims; staleness: the
    ``schema/`` files and the card's ``dataset_info`` must be what the models derive now; and
    forged edits (:mod:`.forgery`): every ``article_id`` is recomputed from its headline and
    lede, and the ``hf/`` form is compared with ``data/`` row for row (``mismatch``).

Errors
    Each error is a :class:`~kyanh_corpus.errors.Diagnostic` (``Issue`` is another name for it)
    with the file, the 1-based ``line`` (JSON Lines, JSON) or the 0-based ``row`` (Parquet, and
    the element index of a JSON array), the field path (``paragraphs[3].span.end``), a message
    (a pattern error says in words what is expected, :mod:`.patterns`), the offending value when
    there is one (shown clipped), and a ``kind``: ``record`` (fails the
    model; ``type`` is Pydantic's error type), ``canonical`` (a stored value the model would
    change), ``json``, ``too_long``, ``limit``, ``file``, ``schema``, ``manifest``, ``missing``,
    ``unlisted``, ``size``, ``checksum``, ``rows``, ``primary_key``, ``foreign_key``, ``span``,
    ``mismatch`` and ``stale``. After ``max_errors`` errors (0: no limit) checking stops at the
    next error and the report says it was truncated.

``jobs`` > 1 splits the work (byte ranges of JSON Lines files, row groups of Parquet files, file
checksums, the cross-file checks of a folder) over that many processes; the errors are the same
as with one process, in the same order (only the count of records checked can be higher when
checking stopped early).

Modules
    :mod:`.report` (the report, and how a unit of work collects its diagnostics), one reader per
    format -- :mod:`.jsonl`, :mod:`.json_scan`, :mod:`.parquet` --, :mod:`.foreign` (values other
    tools wrote in other types), :mod:`.patterns` (patterns in words), :mod:`.inputs` (a file's
    format and entity), :mod:`.cross_file` (keys, foreign keys, spans), :mod:`.folder` (the
    manifest, checksums, schema files, the card) and :mod:`.runner` (planning units of work, the
    process pool, progress; :func:`validate_paths`).
"""

from __future__ import annotations

from ..errors import Diagnostic, UsageError
from .inputs import infer_entity
from .json_scan import JsonSyntaxError, iter_json_values
from .jsonl import MAX_LINE_BYTES
from .report import DEFAULT_MAX_ERRORS, Report
from .runner import Progress, validate_folder, validate_paths

Issue = Diagnostic
"""The former name of :class:`~kyanh_corpus.errors.Diagnostic`, kept for compatibility."""

__all__ = [
    "DEFAULT_MAX_ERRORS",
    "MAX_LINE_BYTES",
    "Diagnostic",
    "Issue",
    "JsonSyntaxError",
    "Progress",
    "Report",
    "UsageError",
    "infer_entity",
    "iter_json_values",
    "validate_folder",
    "validate_paths",
]
