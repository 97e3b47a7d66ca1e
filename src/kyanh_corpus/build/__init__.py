"""Raw pages -> a built folder that is at once a Hugging Face Hub dataset repository.

:func:`build` is the pipeline behind ``kyanh-corpus build INPUT... --out DIR``
(:mod:`.pipeline`): a **map** over partitions of pages, then a **reduce**, one module per step:

1. :mod:`.inputs` -- **collect** the inputs (files and folders of ``.txt`` pages, each with an
   optional ``<stem>.meta.json`` sidecar) and sort them by file name, whatever order they were
   named in;
2. :mod:`.map_step` -- **map**: the pages are cut into partitions (from their number and
   ``shard_rows`` only, never from ``jobs``); partition ``K`` of ``N`` is extracted and written as
   shard ``K`` of ``N`` of every streamed config (``data/<config>/train-K-of-N.parquet`` and
   ``hf/<config>/data-K-of-N.arrow``) by :func:`map_partition`, a pure function of its
   :class:`MapTask` that returns a small :class:`PartitionSummary`. :mod:`.workers` runs it in
   this process, in ``jobs`` worker processes, or in any ``concurrent.futures.Executor``;
3. :mod:`.reduce_step` -- **reduce**, the summaries taken in partition order: duplicates across
   partitions (a shard rewritten without them under ``keep_going``, from its own files: the
   inputs are read once), failures, each page's corpus position, the inputs' ledger
   (:mod:`.ledger`);
4. :mod:`.merge` -- **merge** the resolutions across articles (one row per ``resolution_id``;
   what articles state kept in the on-disk ledger, mentions spilled to disk; conflicting facts
   reported), written through :mod:`.sinks`;
5. :mod:`.metadata` and :mod:`.report` -- write ``schema/``, ``croissant.json``, the dataset
   card ``README.md``, ``build_report.json`` and ``manifest.json`` last;
6. :mod:`.staging` -- **swap** the finished folder into place with a rename: everything is
   written into a hidden temporary folder next to ``DIR`` (same parent, so the same file
   system), so a failed or killed build leaves an existing ``DIR`` exactly as it was.

The build needs neither ``datasets`` nor ``huggingface_hub``: the ``hf/`` form is written with
pyarrow (:mod:`.sinks`), and the ``datasets`` forms of the schema are computed
(:func:`kyanh_corpus.features.hf_features_dict`).

Bad inputs: every input is still read, every failure (file, line, reason) is reported at once,
nothing is written. With ``keep_going`` the good pages are built and the failures recorded in
``build_report.json``.

Output bytes depend on the inputs' content (and the package versions) only: not on the order the
inputs were named in, their folders, the output path, ``jobs``, the executor, the time or the
machine.
"""

from __future__ import annotations

from ..dataset.json import pretty_json
from .inputs import InputFile, collect_inputs, collect_inputs_and_orphans
from .map_step import CHUNK_INPUTS, MapTask, PartitionSummary, map_partition, plan_partitions
from .merge import DERIVED_FACTS
from .pipeline import MAP_PHASE, METADATA_PHASE, REDUCE_PHASE, Phase, Progress, build
from .report import (
    REPORT_FORMAT,
    REPORT_NAME,
    BuildResult,
    BuildUsageError,
    Failure,
    MapReport,
    ReduceReport,
)
from .sinks import COMPRESSION, DEFAULT_SHARD_ROWS, ROW_GROUP_ROWS
from .staging import check_out

__all__ = [
    "CHUNK_INPUTS",
    "COMPRESSION",
    "DEFAULT_SHARD_ROWS",
    "DERIVED_FACTS",
    "MAP_PHASE",
    "METADATA_PHASE",
    "REDUCE_PHASE",
    "REPORT_FORMAT",
    "REPORT_NAME",
    "ROW_GROUP_ROWS",
    "BuildResult",
    "BuildUsageError",
    "Failure",
    "InputFile",
    "MapReport",
    "MapTask",
    "PartitionSummary",
    "Phase",
    "Progress",
    "ReduceReport",
    "build",
    "check_out",
    "collect_inputs",
    "collect_inputs_and_orphans",
    "map_partition",
    "plan_partitions",
    "pretty_json",
]
