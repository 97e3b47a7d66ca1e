"""Paths of the repository the tests read: the raw seed, the golden pages, the schema files."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW_DIR = ROOT / "data" / "raw"
SEED = RAW_DIR / "000_d32f6a6557675d4c.txt"
PAGES_DIR = ROOT / "tests" / "pages"
GOLDEN_DIR = ROOT / "tests" / "golden"
SCHEMA_DIR = ROOT / "schema"
