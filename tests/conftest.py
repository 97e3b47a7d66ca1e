"""Shared test configuration: the Hugging Face offline switches and the Hypothesis profiles.

Profiles: ``ci`` (derandomised, so a red run reproduces; used when ``CI`` is set and by
``make test`` everywhere), ``dev`` (random, a bare ``pytest`` on a developer's machine),
``thorough`` and ``fuzz`` (``make fuzz``). ``HYPOTHESIS_PROFILE`` overrides them.
"""

from __future__ import annotations

import os
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

settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
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
