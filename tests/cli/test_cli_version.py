"""`kyanh-corpus --version` names the package and the record schema."""

from __future__ import annotations

from kyanh_corpus import SCHEMA_VERSION, __version__
from support.builds import run_cli


def test_version_names_the_package_and_the_schema() -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"kyanh-corpus {__version__} (schema {SCHEMA_VERSION})"
