"""What several subcommands share: argument types and the stderr progress bar."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Any


def non_negative(value: str) -> int:
    """An argparse type: an integer >= 0."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value!r}")
    return number


def positive(value: str) -> int:
    """An argparse type: an integer >= 1."""
    number = non_negative(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


def jobs(value: str) -> int:
    """``--jobs``: a positive count, or 0 for one per CPU."""
    if value.strip() == "0":
        return os.cpu_count() or 1
    return positive(value)


class ProgressBar:
    """A tqdm bar on stderr, shown only once the work has run for about a second.

    Called as ``bar(done, total)``; silent when ``quiet``. ``unit="B"`` counts bytes (scaled).
    """

    def __init__(self, quiet: bool, desc: str, unit: str = "B") -> None:
        self.quiet = quiet
        self.desc = desc
        self.unit = unit
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.bar is None:
            tqdm = importlib.import_module("tqdm").tqdm  # imported on use; ships no stubs
            self.bar = tqdm(
                total=total,
                unit=self.unit,
                unit_scale=self.unit == "B",
                desc=self.desc,
                delay=1.0,
                file=sys.stderr,
                leave=False,
            )
        self.bar.update(done - self.bar.n)

    def phase(self, desc: str, total: int) -> None:
        """A new stage: the next updates count its ``total`` steps, shown under ``desc``."""
        self.close()
        self.desc = desc
        if not desc.startswith("map"):
            self.unit = "step"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
