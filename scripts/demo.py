"""The README's main job (placeholder until the build lands): print the schema summary."""

from __future__ import annotations

import argparse

from kyanh_corpus.features import features
from kyanh_corpus.models import ENTITIES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="demo-out")
    parser.parse_args()
    for config, model in ENTITIES.items():
        print(f"{config} ({model.__name__}): {', '.join(features(config))}")


if __name__ == "__main__":
    main()
