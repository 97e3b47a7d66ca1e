"""Regenerate the corpus shipped inside the package: ``src/kyanh_corpus/_data/``.

It is exactly ``kyanh-corpus build data/raw --out src/kyanh_corpus/_data`` (default options), so
``tests/test_embedded.py`` can check that the shipped files are byte-identical to a fresh build.
Run it after changing anything in ``data/raw/``, the models, the extractor or the build:

    python scripts/build_embedded.py            # rebuild in place
    python scripts/build_embedded.py --check    # exit 1 if the shipped files are stale
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

from kyanh_corpus.build import build

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
EMBEDDED = ROOT / "src" / "kyanh_corpus" / "_data"


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    args = parser.parse_args()
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / "_data"
            build([RAW], fresh)
            new, old = _snapshot(fresh), _snapshot(EMBEDDED)
            stale = sorted(name for name in set(new) | set(old) if new.get(name) != old.get(name))
        for name in stale:
            print(f"stale: {EMBEDDED / name}", file=sys.stderr)
        return 1 if stale else 0
    result = build([RAW], EMBEDDED)
    if not result.written:
        for failure in result.failures:
            print(f"error: {failure}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{rows} {config}" for config, rows in result.counts.items())
    print(f"wrote {EMBEDDED.relative_to(ROOT)} ({result.dataset_version}): {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
