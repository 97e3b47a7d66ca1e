"""Test-only kill points of the build: where ``tests/reliability`` kills a build on purpose.

A build killed anywhere must leave the previous build exactly as it was, and the next build must
clean up after it. The fault battery proves it by killing builds at the named points below: it
sets the environment variable ``KYANH_CORPUS_TEST_KILL_AT`` to a point's name, and the process
that reaches that point kills itself with ``SIGKILL`` (no ``finally``, no cleanup: as the
out-of-memory killer or a power cut would). The variable is never set in normal runs; reading it
costs one dictionary look-up per partition and per stage.

=====================  ==========================================================================
point                  where
=====================  ==========================================================================
``map-start``          a partition's map begins (in a worker process with ``--jobs 2``)
``map-written``        a partition's shard files are written, its summary not yet returned
``reduce-take``        the reduce has taken the first partition's summary
``merge``              every partition is taken; the resolution merge begins
``metadata``           the resolutions are written; the card, report and manifest are not
``swap``               the finished folder is complete, not yet swapped into place
=====================  ==========================================================================

A name prefixed with ``worker:`` (``worker:map-start``) kills only a worker process of the
build's pool, never the build's own process (which maps partitions too with ``--jobs 2``).

(The swap's own fallback path has its hook in :mod:`.staging`.)
"""

from __future__ import annotations

import os
import signal
from typing import Final

__all__ = ["KILL_AT_VARIABLE", "POINTS", "mark_worker", "point"]

KILL_AT_VARIABLE: Final = "KYANH_CORPUS_TEST_KILL_AT"
POINTS: Final = ("map-start", "map-written", "reduce-take", "merge", "metadata", "swap")


_in_worker = False


def mark_worker() -> None:
    """Called once in each worker process of the build's pool (for ``worker:`` points)."""
    global _in_worker
    _in_worker = True


def point(name: str) -> None:
    """Kill this process now if the test hook names this point (see the module docstring)."""
    target = os.environ.get(KILL_AT_VARIABLE)
    if target == name or (_in_worker and target == f"worker:{name}"):
        kill = getattr(signal, "SIGKILL", None)
        if kill is not None:
            os.kill(os.getpid(), kill)
        os._exit(137)  # pragma: no cover - platforms without SIGKILL
