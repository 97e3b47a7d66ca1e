"""Raw pages -> a built folder that is at once a Hugging Face Hub dataset repository.

:func:`build` is the pipeline behind ``kyanh-corpus build INPUT... --out DIR``
(:mod:`.pipeline`), one module per step:

1. :mod:`.inputs` -- **collect** the inputs (files and folders of ``.txt`` pages, each with an
   optional ``<stem>.meta.json`` sidecar) and sort them by file name, whatever order they were
   named in;
2. :mod:`.workers` -- **extract** every page (:func:`kyanh_corpus.extract.extract_file`), in
   chunks, in ``jobs`` worker processes when asked; :mod:`.intake` takes the results in input
   order (a second copy of an article is an error naming the first);
3. :mod:`.sinks` -- **stream** the rows into sharded Parquet files
   (``data/<config>/train-NNNNN-of-NNNNN.parquet``, at most ``shard_rows`` rows per shard, row
   groups of a fixed size) and the ``hf/<config>/`` ``save_to_disk`` form (with a fingerprint
   derived from the content): memory stays flat however many pages there are;
4. :mod:`.merge` -- **merge** the resolutions across articles (one row per ``resolution_id``;
   what articles state kept in the on-disk :mod:`.ledger`, mentions spilled to disk;
   conflicting facts reported);
5. :mod:`.metadata` and :mod:`.report` -- write ``schema/``, ``croissant.json``, the dataset
   card ``README.md``, ``build_report.json`` and ``manifest.json`` last;
6. :mod:`.staging` -- **swap** the finished folder into place with a rename: everything is
   written into a hidden temporary folder next to ``DIR`` (same parent, so the same file
   system), so a failed or killed build leaves an existing ``DIR`` exactly as it was.

Bad inputs: every input is still read, every failure (file, line, reason) is reported at once,
nothing is written. With ``keep_going`` the good pages are built and the failures recorded in
``build_report.json``.

Output bytes depend on the inputs' content (and the package versions) only: not on the order the
inputs were named in, their folders, the output path, ``jobs``, the time or the machine.
"""

from __future__ import annotations

from ..dataset.json import pretty_json
from .inputs import InputFile, collect_inputs, collect_inputs_and_orphans
from .merge import DERIVED_FACTS
from .pipeline import Phase, Progress, build
from .report import REPORT_FORMAT, REPORT_NAME, BuildResult, BuildUsageError, Failure
from .sinks import COMPRESSION, DEFAULT_SHARD_ROWS, ROW_GROUP_ROWS
from .staging import check_out
from .workers import CHUNK_INPUTS

__all__ = [
    "CHUNK_INPUTS",
    "COMPRESSION",
    "DEFAULT_SHARD_ROWS",
    "DERIVED_FACTS",
    "REPORT_FORMAT",
    "REPORT_NAME",
    "ROW_GROUP_ROWS",
    "BuildResult",
    "BuildUsageError",
    "Failure",
    "InputFile",
    "Phase",
    "Progress",
    "build",
    "check_out",
    "collect_inputs",
    "collect_inputs_and_orphans",
    "pretty_json",
]
