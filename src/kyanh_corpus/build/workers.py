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
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .. import gc_control
from .map_step import MapTask, PartitionSummary, map_partition, map_partitions

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
    from .faults import mark_worker

    mark_worker()
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
    """Runs :func:`~.map_step.map_partition` over ``tasks``, results in partition order.

    * ``jobs`` 1, no ``executor``: in this process, one partition after the other;
    * ``jobs`` N: this process and a pool of N - 1 worker processes map together. Each worker is
      given its next partition the moment it finishes one (by a feeder thread), and this
      process, between reducing summaries, maps the next partition no worker has taken -- so it
      works while the workers boot, and no core idles while partitions remain;
    * an ``executor``: every partition is submitted to it at once (it schedules them; it is not
      shut down here), and this process only reduces.

    The pool's workers are started with SIGINT ignored (an ignored signal stays ignored in a new
    interpreter): Ctrl-C reaches the whole process group, and only the build's process answers
    it (one line, the work folder removed); the workers end with it.
    """

    def __init__(
        self, tasks: Sequence[MapTask], *, jobs: int, executor: Executor | None = None
    ) -> None:
        import threading

        self.tasks = list(tasks)
        self.futures: dict[int, Future[PartitionSummary]] = {}
        self.next = 0
        """The first partition no one has started."""
        self.lock = threading.RLock()
        self.feeder: threading.Thread | None = None
        self.pool: Any = None
        self.executor = executor
        self.inline = executor is None
        """Whether this process maps partitions too."""
        self.window = 0
        """Partitions the executor may hold at once."""
        if executor is None and jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": a fresh interpreter per worker, safe with the threads pyarrow starts.
            with _sigint_ignored():
                self.pool = ProcessPoolExecutor(
                    max_workers=jobs - 1,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_init,
                    initargs=(os.getpid(),),
                )
                self.executor = self.pool
                self.window = jobs - 1
                self._feed()
            self.feeder = threading.Thread(
                target=self._keep_fed, name="kyanh-corpus-feeder", daemon=True
            )
            self.feeder.start()
        elif executor is not None:
            self.window = len(self.tasks)
            self._feed()

    def _feed(self) -> None:
        """Give the executor partitions until it runs ``window`` of them (finished partitions
        whose summaries are not taken yet do not count)."""
        with self.lock:
            if self.executor is None:
                return
            running = sum(not future.done() for future in self.futures.values())
            while self.next < len(self.tasks) and running < self.window:
                try:
                    future = self.executor.submit(map_partition, self.tasks[self.next])
                except RuntimeError:  # a broken pool (its lost partition is reported)
                    self.window = 0
                    return
                self.futures[self.next] = future
                self.next += 1
                running += 1

    def _keep_fed(self) -> None:
        """The feeder thread: a worker that finished a partition gets the next at once. A pool
        that broke (a worker killed) or shut down ends it quietly: the main thread reports the
        broken partition."""
        from concurrent.futures import FIRST_COMPLETED, wait

        while True:
            with self.lock:
                if self.next >= len(self.tasks) or self.window == 0:
                    return
                running = [future for future in self.futures.values() if not future.done()]
            if running:
                wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
            self._feed()

    def _take_inline(self) -> int | None:
        """The next partition no one has started, claimed for this process (None if none)."""
        with self.lock:
            if not self.inline or self.next >= len(self.tasks):
                return None
            index = self.next
            self.next += 1
            return index

    def run(self) -> Iterator[PartitionSummary]:
        """The partitions' summaries, in order."""
        from concurrent.futures import FIRST_COMPLETED, wait

        if self.inline and self.pool is None:  # jobs 1: this process alone, pipelined
            with self.lock:
                self.next = len(self.tasks)
            yield from map_partitions(self.tasks)
            return
        ready: dict[int, PartitionSummary] = {}
        for index in range(len(self.tasks)):
            while index not in ready:
                with self.lock:
                    future = self.futures.get(index)
                if future is not None and future.done():
                    ready[index] = self._result(index)
                    continue
                mine = self._take_inline()
                if mine is not None:
                    ready[mine] = map_partition(self.tasks[mine])
                    continue
                with self.lock:
                    waiting = list(self.futures.values())
                if not waiting:  # pragma: no cover - every partition is ready, mapped or running
                    raise AssertionError(f"partition {index} was never mapped")
                wait(waiting, return_when=FIRST_COMPLETED)
                with self.lock:
                    finished = [i for i, f in self.futures.items() if f.done()]
                for done in finished:
                    ready[done] = self._result(done)
                self._feed()
            yield ready.pop(index)

    def _result(self, index: int) -> PartitionSummary:
        from concurrent.futures.process import BrokenProcessPool

        with self.lock:
            future = self.futures.pop(index)
        try:
            return future.result()
        except BrokenProcessPool:
            raise OSError(
                "a build worker process ended abruptly (killed, or out of memory)"
            ) from None

    def close(self) -> None:
        """Cancel what has not started; wait for what has (its files are in the work folder,
        removed with it)."""
        with self.lock:
            self.next = len(self.tasks)  # nothing more is submitted; the feeder stops
            futures = list(self.futures.values())
            self.futures.clear()
        if self.feeder is not None:
            self.feeder.join()
            self.feeder = None
        for future in futures:
            future.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        else:
            for future in futures:
                with contextlib.suppress(Exception):
                    future.exception()
