"""The main process's side of extraction: every page's outcome, taken in input order.

:class:`Intake` takes the workers' chunks one by one. For each page it refuses a second copy of
an article already built (an error on the later file, naming the first), records the input
(the ledger for the manifest, the report entry, the card's first inputs) and the failure if
any; the good pages' rows go to the sinks and the documents they cite to the resolution merge.
Without ``keep_going`` the first failure stops the writing, but every page is still read, so
that every failure is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..dataset.json import JsonItems, pretty_json
from ..dataset.manifest import FileEntry
from ..models import STREAMED_CONFIGS
from .ledger import Ledger
from .merge import ResolutionMerger
from .metadata import CARD_INPUTS
from .report import Failure, report_entry
from .sinks import ConfigWriter

if TYPE_CHECKING:
    from .workers import Chunk

__all__ = ["Intake"]


class Intake:
    """Takes the extracted chunks, in input order (see the module docstring)."""

    def __init__(
        self,
        *,
        ledger: Ledger,
        merger: ResolutionMerger,
        report_entries: JsonItems,
        writers: Mapping[str, ConfigWriter],
        keep_going: bool,
    ) -> None:
        self.ledger = ledger
        self.merger = merger
        self.report_entries = report_entries
        self.writers = writers
        self.keep_going = keep_going
        self.writing = True
        """False once a page failed without ``keep_going``: nothing will be written."""
        self.failures: list[Failure] = []
        self.card_inputs: list[tuple[str, FileEntry]] = []
        self.done = 0
        """Pages taken."""
        self.built = 0
        """Good pages taken (the position of the next one among them: its ``seq``)."""
        self.raw_bytes = 0

    def take(self, chunk: Chunk) -> None:
        """Take the outcomes and rows of one chunk."""
        import pyarrow as pa

        ledger = self.ledger
        keep: dict[str, list[bool]] = {name: [] for name in (*STREAMED_CONFIGS, "mentions")}
        seqs: list[int] = []
        for outcome in chunk.outcomes:
            self.raw_bytes += outcome.bytes
            good = outcome.failure is None
            if good and outcome.article_id is not None:
                first = ledger.claim_article(outcome.article_id, outcome.name)
                if first is not None:
                    outcome.failure = Failure(
                        outcome.name, None, f"same article as {first}", "article_id"
                    )
            if good:
                kept = outcome.failure is None
                keep["articles"].append(kept)
                keep["sources"].append(kept)
                keep["interview_turns"].extend([kept] * outcome.turns)
                keep["mentions"].extend([kept] * outcome.mentions)
                seqs.extend([self.built] * (outcome.mentions if kept else 0))
                if not kept:  # a duplicate: its entry says so now
                    outcome.report = pretty_json(report_entry(outcome), 4)
            self.report_entries.add_rendered(outcome.report)
            if outcome.failure is not None:
                self.failures.append(outcome.failure)
                if not self.keep_going:
                    self.writing = False
                continue
            ledger.add_input(outcome.name, outcome.bytes, outcome.sha256)
            if len(self.card_inputs) < CARD_INPUTS:
                self.card_inputs.append((outcome.name, FileEntry(outcome.bytes, outcome.sha256)))
            if outcome.sidecar is not None:
                sidecar_name, sidecar_entry = outcome.sidecar
                ledger.add_input(sidecar_name, sidecar_entry.bytes, sidecar_entry.sha256)
            if self.writing and outcome.article_id is not None:
                self.merger.add(outcome.article_id, self.built, outcome.resolutions)
            self.built += 1
        if self.writing:
            for config in STREAMED_CONFIGS:
                table = chunk.tables[config]
                if not all(keep[config]):
                    table = table.filter(pa.array(keep[config], pa.bool_()))
                self.writers[config].write(table)
            mentions = chunk.mentions
            assert mentions is not None
            if not all(keep["mentions"]):
                mentions = mentions.filter(pa.array(keep["mentions"], pa.bool_()))
            self.merger.add_mentions(mentions.add_column(1, "seq", pa.array(seqs, pa.int64())))
        self.done += len(chunk.outcomes)
