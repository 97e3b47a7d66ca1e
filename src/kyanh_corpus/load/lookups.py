"""Lookups: one record by its key, documents by their code as printed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..dataset.folder import CorpusError, open_parquet
from ..models import (
    PRIMARY_KEYS,
    Article,
    InterviewTurn,
    Resolution,
)

if TYPE_CHECKING:
    pass
from .assembly import _validated
from .records import load_articles, load_interview_turns, load_records, load_resolutions
from .sources import CorpusSource, Hub, resolve


def _lookup(config: str, key: str, source: CorpusSource, revision: str | None) -> Any:
    """The record of ``config`` whose single-field primary key equals ``key``, or None.

    In a built folder only the key column is scanned, then the one row is read and validated.
    """
    (field,) = PRIMARY_KEYS[config]
    resolved = resolve(source)
    if isinstance(resolved, Hub):
        records = load_records(config, source, streaming=True, revision=revision)
        return next((r for r in records if getattr(r, field) == key), None)
    import pyarrow.compute as pc

    folder = resolved
    for name in folder.entry_files(config):
        folder.verify([name])
        path = folder.root / name
        with open_parquet(path, config) as parquet:
            offset = 0
            for group in range(parquet.metadata.num_row_groups):
                keys = parquet.read_row_group(group, columns=[field]).column(0)
                index = pc.index(keys, key).as_py()
                if index >= 0:
                    row = parquet.read_row_group(group).slice(index, 1).to_pylist()
                    return _validated(row, config, str(path), offset + index)[0]
                offset += len(keys)
    return None


def get_article(
    article_id: str, source: CorpusSource = None, *, revision: str | None = None
) -> Article | None:
    """The article with this ``article_id``, or None when the corpus has none."""
    found: Article | None = _lookup("articles", article_id, source, revision)
    return found


def get_resolution(
    key: str, source: CorpusSource = None, *, revision: str | None = None
) -> Resolution | None:
    """The resolution whose ``resolution_id`` is ``key``, or else whose code is ``key`` as
    printed in any spelling that canonicalises ("01-CT/ThU", "Chỉ thị số 01 - CT / ThU",
    "1234/QD-UBND"); None when the corpus has none.

    A code can name several documents (Party numbering restarts each term, local codes repeat
    across places): then this raises :class:`CorpusError` naming their ids, and
    :func:`find_resolutions` returns them all.
    """
    found: Resolution | None = _lookup("resolutions", key, source, revision)
    if found is not None:
        return found
    documents = find_resolutions(key, source=source, revision=revision)
    if len(documents) > 1:
        ids = ", ".join(document.resolution_id for document in documents)
        raise CorpusError(
            f"{key!r} names {len(documents)} documents ({ids}): use find_resolutions() or an id"
        )
    return documents[0] if documents else None


def find_resolutions(
    code: str | None = None,
    *,
    year: int | None = None,
    issuer_code: str | None = None,
    source: CorpusSource = None,
    revision: str | None = None,
) -> list[Resolution]:
    """Every resolution with this code (printed in any spelling that canonicalises, or a
    ``resolution_id``), issued in ``year`` (the year the code carries, else the year of issue)
    and with this issuer code (caseless), in ``resolution_id`` order. Each filter left None
    matches everything; a ``code`` that is no code matches nothing.

    >>> [r.resolution_id for r in find_resolutions("Nghị quyết 02-NQ/ThU")]
    ['02-nq-thu-ky-anh-2021']
    >>> [r.code for r in find_resolutions(issuer_code="tu", year=2019)]
    ['1193-QĐ/TU']
    """
    from ..codes import canonical_printed_code
    from ..extract.document_ids import id_parts
    from ..models import slugify

    wanted: str | None = None
    if code is not None:
        canonical = canonical_printed_code(code)
        if canonical is None:
            return [
                r for r in load_resolutions(source, revision=revision) if r.resolution_id == code
            ]
        wanted = slugify(canonical)
    issuer = issuer_code.casefold() if issuer_code is not None else None
    found = []
    for resolution in load_resolutions(source, revision=revision):
        if wanted is not None and slugify(resolution.code) != wanted:
            continue
        if issuer is not None and resolution.issuer_code.casefold() != issuer:
            continue
        if year is not None:
            known = id_parts(resolution.resolution_id, resolution.code)[2]
            if known is None and resolution.issued_on is not None:
                known = resolution.issued_on.year
            if known != year:
                continue
        found.append(resolution)
    return found


def articles_citing(
    code_or_id: str, source: CorpusSource = None, *, revision: str | None = None
) -> list[Article]:
    """The articles that cite a document, in corpus order: those whose ``article_id`` is in the
    mentions of every resolution :func:`find_resolutions` matches (``code_or_id`` is a
    ``resolution_id`` or the code as printed, in any spelling that canonicalises, so a code
    that names several documents gives the articles citing any of them). Empty when none does.

    >>> [a.article_id for a in articles_citing("Nghị quyết số 02-NQ/ThU")] == [
    ...     a.article_id for a in load_articles()]
    True
    >>> articles_citing("99-NQ/TW")
    []
    """
    ids = {
        mention.article_id
        for resolution in find_resolutions(code_or_id, source=source, revision=revision)
        for mention in resolution.mentions
    }
    if not ids:
        return []
    return list(load_articles(source, revision=revision).filter(article_id=sorted(ids)))


def turns_of(
    article_id: str, source: CorpusSource = None, *, revision: str | None = None
) -> list[InterviewTurn]:
    """The interview turns of one article, in ``turn_index`` order (empty for an article with
    none, or an unknown ``article_id``).

    >>> article = load_articles()[0]
    >>> [t.turn_index for t in turns_of(article.article_id)][:3]
    [0, 1, 2]
    """
    turns = load_interview_turns(source, revision=revision).filter(article_id=article_id)
    return sorted(turns, key=lambda turn: turn.turn_index)


def article_of(
    record: Any, source: CorpusSource = None, *, revision: str | None = None
) -> Article | None:
    """The article a record belongs to: an :class:`~kyanh_corpus.models.InterviewTurn`, a
    ``Mention``, a ``Source`` (anything with an ``article_id``) or an ``article_id`` itself;
    None when the corpus has no such article.

    >>> turn = load_interview_turns()[0]
    >>> article_of(turn).article_id == turn.article_id
    True
    """
    article_id = record if isinstance(record, str) else getattr(record, "article_id", None)
    if not isinstance(article_id, str):
        raise TypeError(f"article_of() needs a record with an article_id, not {type(record)}")
    return get_article(article_id, source, revision=revision)
