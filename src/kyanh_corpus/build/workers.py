"""Where the map step runs: in the build's process, in a pool of worker processes, or in any
``concurrent.futures.Executor`` the caller gives.

:class:`Mappers` submits every partition's :class:`~.map_step.MapTask` at once and hands the
:class:`~.map_step.PartitionSummary` results back in partition order, as they are done (the
reduce takes them while later partitions are still mapped). With ``jobs`` 1 and no executor the
map runs in this process, one partition after the other; with ``jobs`` N, in a pool of N spawned
processes that import only what extraction needs (pyarrow and the extractor, never
``datasets``). Everything a task holds pickles, so any executor -- a thread pool, a process pool,
an engine's ``concurrent.futures`` adapter -- runs the same map.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections import deque
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .. import gc_control
from .map_step import MapTask, PartitionSummary, map_partition

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

__all__ = ["Mappers"]


def _watch_parent(parent: int) -> None:
    """Worker initializer: exit as soon as the build process is gone (e.g. SIGKILLed), instead of
    waiting forever for work that will never come."""
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="kyanh-corpus-parent-watch", daemon=True).start()


def _worker_init(parent: int) -> None:
    """Worker initializer: watch the build process, import the extractor before any work."""
    _watch_parent(parent)
    import pyarrow  # noqa: F401

    from .. import extract  # noqa: F401

    gc_control.freeze()  # the imports are done; for the worker's lifetime


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored in this process for the duration (in the main thread; elsewhere a no-op:
    only the main thread may change signal handlers)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Mappers:
    """Runs :func:`~.map_step.map_partition` over ``tasks``, results in partition order: in this
    process (``jobs`` 1, no ``executor``), in ``executor`` when one is given (it is not shut
    down here), or in a pool of ``jobs`` worker processes started here.

    The pool's workers are started with SIGINT ignored (an ignored signal stays ignored in a new
    interpreter): Ctrl-C reaches the whole process group, and only the build's process answers
    it (one line, the work folder removed); the workers end with it.
    """

    def __init__(
        self, tasks: Sequence[MapTask], *, jobs: int, executor: Executor | None = None
    ) -> None:
        self.tasks = list(tasks)
        self.pending: deque[Future[PartitionSummary]] = deque()
        self.pool: Any = None
        self.executor = executor
        if executor is None and jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": a fresh interpreter per worker, safe with the threads pyarrow starts.
            with _sigint_ignored():
                self.pool = ProcessPoolExecutor(
                    max_workers=jobs,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_init,
                    initargs=(os.getpid(),),
                )
                self.executor = self.pool
                self._submit_all()
        elif executor is not None:
            self._submit_all()

    def _submit_all(self) -> None:
        assert self.executor is not None
        for task in self.tasks:
            self.pending.append(self.executor.submit(map_partition, task))

    def run(self) -> Iterator[PartitionSummary]:
        """The partitions' summaries, in order."""
        if self.executor is None:
            for task in self.tasks:
                yield map_partition(task)
            return
        from concurrent.futures.process import BrokenProcessPool

        while self.pending:
            try:
                summary = self.pending.popleft().result()
            except BrokenProcessPool:
                raise OSError(
                    "a build worker process ended abruptly (killed, or out of memory)"
                ) from None
            yield summary

    def close(self) -> None:
        """Cancel what has not started; wait for what has (its files are in the work folder,
        removed with it)."""
        for future in self.pending:
            future.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        else:
            for future in self.pending:
                with contextlib.suppress(Exception):
                    future.exception()
        self.pending.clear()
