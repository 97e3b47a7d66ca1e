"""Shared test configuration: the Hugging Face offline switches and the Hypothesis profiles.

Profiles: ``ci`` (used when ``CI`` is set and by ``make test`` everywhere), ``dev`` (random, a
bare ``pytest`` on a developer's machine), ``thorough`` and ``fuzz`` (``make fuzz``).
``HYPOTHESIS_PROFILE`` overrides them.

Under ``ci`` the seed of every Hypothesis test is derived from the git commit checked out
(``git rev-parse HEAD``): each commit explores other examples than the last one, and a red run
reproduces with the seed the pytest header prints (``--hypothesis-seed=N``, with the command to
run). Outside a git checkout the ``ci`` profile is derandomised instead (each test's examples
derived from its own name). A ``--hypothesis-seed`` given on the command line wins.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest.register_assert_rewrite("support")

from support.paths import ROOT  # noqa: E402

# The tests never reach the Hugging Face Hub: no download-count pings, no hub look-ups.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_UPDATE_DOWNLOAD_COUNTS", "0")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def _commit_seed() -> tuple[int, str] | None:
    """(seed, commit) from the git commit checked out, or None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    if done.returncode != 0 or len(commit) < 16:
        return None
    try:
        return int(commit[:16], 16), commit
    except ValueError:
        return None


COMMIT_SEED = _commit_seed()
"""The ``ci`` profile's seed and the commit it comes from (None: not a git checkout)."""

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=COMMIT_SEED is None,  # derandomize would override the seed: only as fallback
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.register_profile(
    "fuzz", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # `make fuzz`: the extractor's properties at 20,000 examples each (100,000 in all)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Under the ``ci`` profile, seed Hypothesis from the commit (before its plugin reads the
    ``--hypothesis-seed`` option), unless a seed was given on the command line."""
    if settings.get_current_profile_name() != "ci" or COMMIT_SEED is None:
        return
    if getattr(config.option, "hypothesis_seed", None) is None:
        config.option.hypothesis_seed = str(COMMIT_SEED[0])


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The Hypothesis seed in force and the command that reruns a red test with it."""
    profile = settings.get_current_profile_name()
    seed = getattr(config.option, "hypothesis_seed", None)
    if seed is None:
        how = "derandomised" if settings.default.derandomize else "random"
        return [f"hypothesis: profile {profile!r}, {how} (no seed)"]
    origin = ""
    if COMMIT_SEED is not None and seed == str(COMMIT_SEED[0]):
        origin = f" (from commit {COMMIT_SEED[1][:12]})"
    command = shlex.join(
        [".venv/bin/python", "-m", "pytest", "-p", "no:cacheprovider", f"--hypothesis-seed={seed}"]
    )
    return [
        f"hypothesis: profile {profile!r}, seed {seed}{origin}",
        f"hypothesis: reproduce a red run with: HYPOTHESIS_PROFILE={profile} {command} <test id>",
    ]
