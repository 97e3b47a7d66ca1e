"""What the package does with CPython's cyclic garbage collector, and why.

Loading, validating and building make millions of small objects (dicts, lists, models) that
reference counting frees on its own: the cyclic collector finds almost nothing to collect, yet
it keeps walking the heap. Two remedies, measured where they are used:

* :func:`paused`: no collection at all while one batch of objects is assembled (the loaders,
  ``validate``);
* :func:`freeze` / :func:`frozen`: the objects alive now (the ~10^6 made by importing pyarrow,
  pydantic, datasets and the models) go to the permanent generation, so later collections walk
  only the new objects (the build; ``validate --jobs N`` before it forks its workers).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one batch of objects is assembled.

    Building tens of thousands of small objects otherwise triggers collections that scan the
    whole heap over and over (more than half the load time); reference counting still frees
    everything, and the collector is resumed before any record is handed out.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze() -> bool:
    """Move every object alive now to the permanent generation (``gc.freeze``), unless objects
    are frozen already; True when this call froze them.

    Unfreezing is global: a freeze made by the calling program (a pre-fork server, another
    build) must not be undone by us, so we only freeze, and later unfreeze, from nothing.
    """
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True


@contextmanager
def frozen() -> Iterator[None]:
    """:func:`freeze` for the duration of the block, undone at its end (when it froze)."""
    froze = freeze()
    try:
        yield
    finally:
        if froze:
            gc.unfreeze()
