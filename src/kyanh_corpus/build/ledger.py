"""The build's per-page bookkeeping, kept on disk so the build's memory stays flat.

A build must remember something about every page until it ends: the manifest lists every input
file with its size and hash (sorted by name), a second file holding an article already seen is
an error naming the first, and the resolution merge needs what every article says about every
document it cites. Held in Python objects, that is a few kilobytes per page: at archive scale
(10^5 pages) the build's memory would grow with the corpus. :class:`Ledger` keeps all of it in
one SQLite database in the build's work folder, with a bounded page cache. Every query reads an
index in order (no sort, so no temporary file elsewhere); nothing is durable: the work folder is
deleted when the build ends, and a killed build's database goes with it.

>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as tmp:
...     ledger = Ledger(Path(tmp) / "ledger.sqlite")
...     ledger.add_input("b.txt", 3, "bb")
...     ledger.add_input("a.txt", 5, "aa")
...     print(ledger.claim_article("x-1", "a.txt"), ledger.claim_article("x-1", "b.txt"))
...     print(list(ledger.inputs()), list(ledger.input_sha256s()), ledger.input_count)
...     ledger.close()
None a.txt
[('a.txt', 5, 'aa'), ('b.txt', 3, 'bb')] ['aa', 'bb'] 2
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

if TYPE_CHECKING:
    import sqlite3

_SCHEMA: Final = """
CREATE TABLE inputs (name TEXT PRIMARY KEY, bytes INTEGER NOT NULL, sha256 TEXT NOT NULL)
    WITHOUT ROWID;
CREATE INDEX inputs_by_sha256 ON inputs (sha256);
CREATE TABLE articles (article_id TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE statements (
    doc INTEGER NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL,
    statement TEXT NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (doc, seq, n)
) WITHOUT ROWID;
CREATE TABLE ranks (
    rank INTEGER NOT NULL, tier INTEGER NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (rank, tier)
) WITHOUT ROWID;
"""
# Text columns compare with SQLite's BINARY collation, i.e. by UTF-8 bytes, which is the order of
# Unicode code points: ``ORDER BY name`` is Python's ``sorted`` order of the same strings.

QUERIES: Final = {
    "inputs": "SELECT name, bytes, sha256 FROM inputs ORDER BY name",
    "input_sha256s": "SELECT sha256 FROM inputs ORDER BY sha256",
    "statements": (
        "SELECT r.rank, s.statement, s.article_id FROM ranks AS r"
        " JOIN statements AS s ON s.doc = r.doc ORDER BY r.rank, r.tier, s.seq, s.n"
    ),
}
"""The reading queries; each walks an index in order (a test checks that none sorts)."""


def _connect_args(path: Path) -> tuple[str, bool]:
    """``(database, uri)`` for ``sqlite3.connect``: on POSIX a ``file:`` URI with ``nolock=1``
    (one connection in one process needs no file locking, which some network file systems
    break); elsewhere the plain path (Windows paths, UNC shares included, make poor URIs)."""
    if os.name != "posix":
        return os.fspath(path), False
    return "file:" + quote(os.path.abspath(path)) + "?nolock=1", True


class Ledger:
    """Inputs, article ids and document statements of one build, in a scratch SQLite file.

    Everything happens in one transaction that is never committed: the file is scratch space
    (no journal, no fsync), deleted with the work folder.
    """

    def __init__(self, path: Path) -> None:
        import sqlite3

        self.path = path
        self.db: sqlite3.Connection = sqlite3.connect(*_connect_args(path), isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -8192"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")
        self.input_count = 0

    # -- inputs (manifest.json's "inputs") -----------------------------------------------------

    def add_input(self, name: str, size: int, sha256: str) -> None:
        """Record one input file (a page or a sidecar); a name may be recorded only once."""
        self.db.execute("INSERT INTO inputs VALUES (?, ?, ?)", (name, size, sha256))
        self.input_count += 1

    def inputs(self) -> Iterator[tuple[str, int, str]]:
        """``(name, bytes, sha256)`` of every input, sorted by name (streamed)."""
        yield from self.db.execute(QUERIES["inputs"])

    def input_sha256s(self) -> Iterator[str]:
        """The inputs' SHA-256 digests, sorted (streamed)."""
        for (sha256,) in self.db.execute(QUERIES["input_sha256s"]):
            yield sha256

    # -- duplicate articles --------------------------------------------------------------------

    def claim_article(self, article_id: str, name: str) -> str | None:
        """Record that file ``name`` holds ``article_id``; returns the file that claimed it
        first, or None when ``name`` is the first."""
        cursor = self.db.execute("INSERT OR IGNORE INTO articles VALUES (?, ?)", (article_id, name))
        if cursor.rowcount == 1:
            return None
        row = self.db.execute(
            "SELECT name FROM articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        first: str = row[0]
        return first

    # -- what articles say about documents -----------------------------------------------------

    def add_statements(self, rows: Iterable[tuple[int, int, int, str, str]]) -> None:
        """``(doc, seq, n, statement, article_id)`` rows: article ``seq`` (its position among the
        built pages) states ``statement`` (encoded facts) about document number ``doc``; ``n``
        is the statement's position in the article's list (unique per article)."""
        self.db.executemany("INSERT INTO statements VALUES (?, ?, ?, ?, ?)", rows)

    def statements(self, ranks: Iterable[tuple[int, int, int]]) -> Iterator[tuple[int, str, str]]:
        """``(rank, statement, article_id)`` of every statement, by ``rank`` (streamed).

        ``ranks`` are ``(doc, rank, tier)``: the statements of ``doc`` are given under
        ``rank``, after those of the documents of the same rank with a lower ``tier`` (an
        alias's statements come after its target's), each document's in ``(seq, n)`` order.
        Documents not in ``ranks`` are left out. Called once per ledger.
        """
        self.db.executemany(
            "INSERT INTO ranks VALUES (?, ?, ?)", ((rank, tier, doc) for doc, rank, tier in ranks)
        )
        yield from self.db.execute(QUERIES["statements"])

    def close(self) -> None:
        """Close the database (the file stays until the work folder is removed); idempotent."""
        self.db.close()
