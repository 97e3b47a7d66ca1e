"""The build's reduce step: the partitions' summaries, taken in order, made into one corpus.

:class:`Reducer` takes each :class:`~.map_step.PartitionSummary` in partition order (while later
partitions may still be mapped). For each page it decides what only the whole corpus can tell:

* **duplicates across partitions**: a page whose ``article_id`` an earlier page already has is
  a failure naming the first (``same article as <file>``). Its rows are already in its shard:
  with ``keep_going`` that one shard is rewritten without them, from the shard's own ``hf/``
  Arrow file -- the inputs are never read twice, and the other shards are untouched;
* **failures**: the map left failed pages out of its shard; without ``keep_going`` the first
  failure stops the writing (every page is still taken, so every failure is reported at once);
* **the corpus position** (``seq``) of each good page, which orders the mentions of a document;

and records each input (the ledger: the manifest's inputs, the dataset version, the report
entries, the card's first inputs), the facts each article states about each document (the
resolution merge, :mod:`.merge`) and the mentions (turned from partition to corpus positions).

:meth:`Reducer.finish` then writes each streamed config's ``hf/`` metadata (the shards are the
maps'); the pipeline merges the resolutions and writes the card, the report and the manifest.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from ..dataset.json import JsonItems, pretty_json
from ..dataset.manifest import FileEntry, file_entry
from ..models import STREAMED_CONFIGS
from .ledger import Ledger
from .map_step import PartitionSummary, mentions_path, shard_files
from .merge import ResolutionMerger
from .metadata import CARD_INPUTS
from .report import Failure, report_entry
from .sinks import hf_fingerprint, shard_writer, write_hf_metadata

__all__ = ["Reducer"]


class Reducer:
    """Takes the partitions' summaries in order (see the module docstring)."""

    def __init__(
        self,
        *,
        root: Path,
        work: Path,
        partitions: int,
        ledger: Ledger,
        merger: ResolutionMerger,
        report_entries: JsonItems,
        keep_going: bool,
    ) -> None:
        self.root = root
        self.work = work
        self.partitions = partitions
        self.ledger = ledger
        self.merger = merger
        self.report_entries = report_entries
        self.keep_going = keep_going
        self.writing = True
        """False once a page failed without ``keep_going``: nothing will be written."""
        self.failures: list[Failure] = []
        self.card_inputs: list[tuple[str, FileEntry]] = []
        self.done = 0
        """Pages taken."""
        self.built = 0
        """Good pages taken (the corpus position of the next one: its ``seq``)."""
        self.raw_bytes = 0
        self.rows = dict.fromkeys(STREAMED_CONFIGS, 0)
        self.files: dict[str, FileEntry] = {}
        """Size and SHA-256 of every shard file (as the maps, or a rewrite, computed them)."""
        self.duplicates = 0
        """Pages found to be a copy of a page of an earlier partition."""
        self.rewritten = 0
        """Shards rewritten without such copies."""
        self.seconds = 0.0
        """Time spent taking summaries."""

    def take(self, summary: PartitionSummary) -> None:
        """Take one partition's summary (the next in order)."""
        started = time.perf_counter()
        ledger = self.ledger
        seqs: list[int] = []
        """Corpus position of each page the map wrote rows for, -1 if now dropped."""
        turns: list[int] = []
        for outcome in summary.outcomes:
            self.raw_bytes += outcome.bytes
            written = outcome.failure is None
            if written and outcome.article_id is not None:
                first = ledger.claim_article(outcome.article_id, outcome.name)
                if first is not None:
                    outcome.failure = Failure(
                        outcome.name, None, f"same article as {first}", "article_id"
                    )
                    outcome.report = pretty_json(report_entry(outcome), 4)
                    self.duplicates += 1
            if written:
                seqs.append(self.built if outcome.failure is None else -1)
                turns.append(outcome.turns)
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
        mentions = mentions_path(self.work, summary.index)
        if self.writing:
            if -1 in seqs:
                self._rewrite(summary.index, seqs, turns)
            else:
                self.files.update(summary.files)
                for config, rows in summary.rows.items():
                    self.rows[config] += rows
            if summary.mentions:
                self._take_mentions(mentions, seqs)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(mentions)
        self.done += len(summary.outcomes)
        self.seconds += time.perf_counter() - started

    def _rewrite(self, index: int, seqs: list[int], turns: list[int]) -> None:
        """Rewrite shard ``index`` of every streamed config without the rows of the pages now
        dropped (``seqs`` -1), from its ``hf/`` Arrow file (the same rows, read without
        decoding)."""
        import pyarrow as pa

        kept = [seq >= 0 for seq in seqs]
        masks = {
            "articles": kept,
            "sources": kept,
            "interview_turns": [
                keep for keep, n in zip(kept, turns, strict=True) for _ in range(n)
            ],
        }
        for config in STREAMED_CONFIGS:
            data_name, hf_name = shard_files(config, index, self.partitions)
            with pa.OSFile(str(self.root / hf_name)) as handle:
                table = pa.ipc.open_stream(handle).read_all()
            table = table.filter(pa.array(masks[config], pa.bool_()))
            for name in (data_name, hf_name):
                os.unlink(self.root / name)
            writer = shard_writer(self.root, config, index, self.partitions)
            writer.write(table)
            writer.close()
            for name in (data_name, hf_name):
                self.files[name] = file_entry(self.root / name)
            self.rows[config] += writer.total
        self.rewritten += 1

    def _take_mentions(self, path: Path, seqs: list[int]) -> None:
        """The partition's mentions, their ``seq`` turned into corpus positions, the dropped
        pages' left out, to the resolution merge."""
        import pyarrow as pa
        import pyarrow.compute as pc

        with pa.OSFile(str(path)) as handle:
            table = pa.ipc.open_stream(handle).read_all()
        position = table.schema.get_field_index("seq")
        corpus = pc.take(pa.array(seqs, pa.int64()), table.column(position))
        table = table.set_column(position, "seq", corpus)
        if -1 in seqs:
            table = table.filter(pc.greater_equal(corpus, 0))
        self.merger.add_mentions(table)

    def finish(self, version: str) -> dict[str, list[str]]:
        """Write each streamed config's ``hf/`` metadata; returns each config's data files."""
        shards: dict[str, list[str]] = {}
        for config in STREAMED_CONFIGS:
            names = [shard_files(config, i, self.partitions) for i in range(self.partitions)]
            data = [data_name for data_name, _ in names]
            fingerprint = hf_fingerprint(config, version, [self.files[name] for name in data])
            write_hf_metadata(self.root, config, [hf for _, hf in names], fingerprint)
            shards[config] = data
        return shards
