"""Where a build writes until it is done, and how the result takes the place of ``--out``.

Everything is written into a hidden folder next to ``out`` (same parent, so the same file
system), ``.<name>.building-<pid>-<random>``, with the build's scratch files in its ``.work``
folder; at the end the finished folder is swapped into place in one rename (:meth:`Stage.swap`),
so a failed or killed build leaves an existing ``out`` exactly as it was. Folders left behind by
killed builds are removed by the next build (:func:`remove_stale_work`).

Where the platform has no atomic directory exchange, the swap is two renames: ``out`` becomes
``.<name>.old-<pid>-<random>``, then the new build becomes ``out``. A build killed between the two
leaves no ``out`` and the previous build -- then the only complete one -- in the ``.old`` folder.
So the rule for a leftover ``.old`` folder (of a dead process) is: with no ``out``, it is
**restored** (renamed back to ``out``), never removed; with an ``out``, it is removed. A second
rename that fails (rather than being killed) puts the previous build back at once.

Test hook (never set in normal runs; read only here, each time a swap happens): the environment
variable ``KYANH_CORPUS_TEST_SWAP_FAULT`` set to ``no-exchange`` makes the atomic exchange report
itself unsupported, and set to ``kill-between-renames`` does that and also kills the process
(``SIGKILL``) between the fallback's two renames.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import re
import secrets
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from ..dataset.manifest import MANIFEST_FORMAT, MANIFEST_NAME
from .report import BuildUsageError

__all__ = ["Stage", "check_out", "remove_stale_work", "staged", "swap_into_place"]


def check_out(out: Path) -> None:
    """Refuse an ``--out`` that is a file or under one, or a non-empty folder that is not a
    previous build."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BuildUsageError(f"{out}: exists and is not a folder")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise BuildUsageError(f"{out}: {parent} is a file, not a folder")
            break
    if out.is_dir() and any(out.iterdir()):
        try:
            manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise BuildUsageError(
                f"{out}: refusing to replace a non-empty folder that is not a kyanh-corpus build"
            )


class Stage:
    """The folder a build writes into (:attr:`root`), its scratch folder (:attr:`work`), and
    the swap that makes it ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.root = out.parent / f".{out.name}.building-{os.getpid()}-{secrets.token_hex(4)}"
        self.work = self.root / ".work"
        """Scratch files (ledger, spills, streams); hidden, so never listed in the manifest."""
        self.swapped = False

    def drop_work(self) -> None:
        """Delete the scratch folder (its files must be closed)."""
        shutil.rmtree(self.work)

    def swap(self) -> None:
        """Make the finished folder ``out`` (see :func:`swap_into_place`)."""
        swap_into_place(self.root, self.out)
        self.swapped = True


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Stage]:
    """A :class:`Stage` for ``out``, its folders created; on the way out, whatever was not
    swapped into place is deleted -- and when nothing was, the parent folders of ``out`` this
    created too."""
    created = [parent for parent in out.parents if not parent.exists()]
    stage = Stage(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_work(out)
        stage.root.mkdir()
        stage.work.mkdir()
        yield stage
    finally:
        if stage.root.exists():
            shutil.rmtree(stage.root, ignore_errors=True)
        if not stage.swapped:  # nothing written: not even the parent folders of --out
            for parent in created:
                with contextlib.suppress(OSError):
                    parent.rmdir()


# --------------------------------------------------------------------------------------------
# The atomic swap


_RENAME_EXCHANGE: Final = 2
_AT_FDCWD: Final = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    result = renameat2(
        _AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), ctypes.c_uint(_RENAME_EXCHANGE)
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


_TEST_FAULT_VARIABLE: Final = "KYANH_CORPUS_TEST_SWAP_FAULT"
"""Test hook only (see the module docstring): ``no-exchange`` or ``kill-between-renames``."""


def _test_fault() -> str:
    return os.environ.get(_TEST_FAULT_VARIABLE, "")


def _die_now() -> None:
    """The test hook's kill: no ``finally``, no cleanup, as a killed process."""
    kill = getattr(signal, "SIGKILL", None)
    if kill is not None:
        os.kill(os.getpid(), kill)
    os._exit(137)  # pragma: no cover - platforms without SIGKILL


def swap_into_place(staged: Path, out: Path) -> None:
    """Make ``staged`` become ``out``; an existing ``out`` is replaced in one atomic step where
    the platform can, else by two renames that never lose the previous build (see the module
    docstring)."""
    if not out.exists():
        os.rename(staged, out)
        return
    fault = _test_fault()
    if fault not in ("no-exchange", "kill-between-renames") and _exchange(staged, out):
        shutil.rmtree(staged)  # now holds the previous build
        return
    # Portable fallback: two renames; the previous build stays whole under the ".old" name, and
    # a build killed between them has it restored by the next (remove_stale_work).
    old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    os.rename(out, old)
    try:
        if fault == "kill-between-renames":
            _die_now()
        os.rename(staged, out)
    except BaseException:
        if not os.path.lexists(out):
            with contextlib.suppress(OSError):
                os.rename(old, out)  # put the previous build back
        raise
    shutil.rmtree(old)


# --------------------------------------------------------------------------------------------
# Work left by killed builds


def _is_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_work(out: Path) -> None:
    """Clear what builds that were killed left next to ``out``: their ``.building`` folders are
    removed; a ``.old`` folder (the previous build, from a swap killed between its two renames)
    is restored as ``out`` when there is no ``out`` -- the newest one, if several -- and removed
    when there is."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(building|old)-(\d+)-[0-9a-f]+$")
    if not out.parent.is_dir():
        return
    olds: list[Path] = []
    for entry in out.parent.iterdir():
        match = pattern.match(entry.name)
        if not match or entry.is_symlink() or not entry.is_dir() or _is_alive(int(match.group(2))):
            continue
        if match.group(1) == "old":
            olds.append(entry)
        else:
            shutil.rmtree(entry, ignore_errors=True)
    if not olds:
        return
    if not os.path.lexists(out):
        newest = max(olds, key=_mtime)
        try:
            os.rename(newest, out)
        except OSError:
            return  # keep every previous build; the next build tries again
        olds.remove(newest)
    if out.is_dir():
        for entry in olds:
            shutil.rmtree(entry, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
