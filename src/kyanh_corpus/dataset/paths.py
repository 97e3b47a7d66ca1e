"""Where things are in a built folder: the names of the files the build writes.

Paths are relative POSIX paths inside the folder (as ``manifest.json`` lists them); see
docs/design.md, "The built folder".

>>> data_shard("articles", 0, 2)
'data/articles/train-00000-of-00002.parquet'
>>> hf_folder("sources"), hf_shard(1, 3)
('hf/sources', 'data-00001-of-00003.arrow')
"""

from __future__ import annotations

from typing import Final

SCHEMA_FOLDER: Final = "schema"
"""``schema/<entity>.schema.json``: the JSON Schema files (``features.schema_files()``)."""

CARD_NAME: Final = "README.md"
"""The dataset card (YAML header and prose)."""

LICENSE_DATA_NAME: Final = "LICENSE-DATA"
"""The status of the article text (no open licence), linked from the card's ``license_link``."""

CROISSANT_NAME: Final = "croissant.json"
"""The Croissant 1.0 metadata."""

REPORT_NAME: Final = "build_report.json"
"""What the build did with every input, and the resolution facts its articles disagree on."""


def data_folder(config: str) -> str:
    """``data/<config>``: the folder of a config's Parquet shards."""
    return f"data/{config}"


def data_shard(config: str, index: int, count: int) -> str:
    """``data/<config>/train-NNNNN-of-NNNNN.parquet``: shard ``index`` of ``count``."""
    return f"{data_folder(config)}/train-{index:05d}-of-{count:05d}.parquet"


def partial_shard(index: int) -> str:
    """The name, inside :func:`data_folder`, of shard ``index`` while it is written (the number
    of shards is known only at the end)."""
    return f"train-{index:05d}.partial"


def hf_folder(config: str) -> str:
    """``hf/<config>``: the config's rows in the form ``datasets.load_from_disk`` reads."""
    return f"hf/{config}"


def hf_shard(index: int, count: int) -> str:
    """The name, inside :func:`hf_folder`, of Arrow shard ``index`` of ``count``, as
    ``save_to_disk`` names it."""
    return f"data-{index:05d}-of-{count:05d}.arrow"
