"""Round trips through the derived forms are the identity, for every config.

model -> ``features.to_table`` -> Arrow -> ``features.from_table`` -> model, and the full path a
user takes: model -> Arrow -> Parquet file -> ``datasets.load_dataset("parquet")`` ->
``features.from_dataset`` -> model, with the loaded ``Features`` equal to the derived ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from kyanh_corpus import features as F
from kyanh_corpus.models import ENTITIES, Record
from support.strategies import CONFIGS, record_lists, records, scaled

datasets.disable_progress_bars()
datasets.logging.set_verbosity_error()


@pytest.fixture(scope="module", autouse=True)
def _no_download_counts() -> Iterator[None]:
    """``load_dataset`` sends a HEAD request to the Hub per call to count downloads; without a
    network each may hang until its timeout (seconds per example). Local files need no Hub."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(datasets.config, "HF_UPDATE_DOWNLOAD_COUNTS", False)
        yield


def _v(dtype: str) -> datasets.Value:
    return datasets.Value(dtype)


_SPAN = {"start": _v("int64"), "end": _v("int64")}
_MENTION = {
    "article_id": _v("string"),
    "surface": _v("string"),
    "span": _SPAN,
    "issued_on": _v("date32"),
    "issuer": _v("string"),
    "title": _v("string"),
}
EXPECTED_FEATURES = {
    "articles": {
        "article_id": _v("string"),
        "source": _v("string"),
        "url": _v("string"),
        "title": _v("string"),
        "lede": _v("string"),
        "paragraphs": datasets.List({"index": _v("int64"), "text": _v("string"), "span": _SPAN}),
        "captions": datasets.List(
            {
                "index": _v("int64"),
                "text": _v("string"),
                "credit": _v("string"),
                "archival": _v("bool"),
                "after_paragraph": _v("int64"),
                "span": _SPAN,
            }
        ),
        "authors": datasets.List(_v("string")),
        "byline_role": _v("string"),
        "published_at": _v("date32"),
        "genre": _v("string"),
        "language": _v("string"),
        "source_file": _v("string"),
        "raw_sha256": _v("string"),
    },
    "interview_turns": {
        "article_id": _v("string"),
        "turn_index": _v("int64"),
        "speaker_role": _v("string"),
        "speaker_label": _v("string"),
        "speaker_name": _v("string"),
        "speaker_title": _v("string"),
        "text": _v("string"),
        "spans": datasets.List(_SPAN),
        "responds_to": _v("int64"),
    },
    "resolutions": {
        "resolution_id": _v("string"),
        "code": _v("string"),
        "system": _v("string"),
        "number": _v("string"),
        "year": _v("int64"),
        "doc_type": _v("string"),
        "doc_type_name": _v("string"),
        "issuer_code": _v("string"),
        "issuer": _v("string"),
        "issued_on": _v("date32"),
        "title": _v("string"),
        "mentions": datasets.List(_MENTION),
    },
    "sources": {
        "article_id": _v("string"),
        "source_file": _v("string"),
        "raw_sha256": _v("string"),
        "text": _v("string"),
    },
}
"""The published features (the card's ``dataset_info``): a change here is a schema change."""


@pytest.mark.parametrize("config", CONFIGS)
def test_features_are_the_published_ones(config: str) -> None:
    """Literals are strings, dates date32, ints int64, lists ``datasets.List``, models structs."""
    assert F.features(config) == datasets.Features(EXPECTED_FEATURES[config])
    assert list(F.features(config)) == list(ENTITIES[config].model_fields)


@pytest.mark.parametrize("config", CONFIGS)
def test_derived_schema_carries_huggingface_metadata(config: str) -> None:
    schema = F.arrow_schema(config)
    assert schema.names == list(ENTITIES[config].model_fields)
    meta = json.loads(schema.metadata[b"huggingface"])
    assert datasets.Features.from_dict(meta["info"]["features"]) == F.features(config)
    assert datasets.Features.from_arrow_schema(schema) == F.features(config)


@pytest.mark.parametrize("config", CONFIGS)
@scaled(25)
@given(data=st.data())
def test_arrow_round_trip_is_identity(config: str, data: st.DataObject) -> None:
    batch = data.draw(record_lists(config, max_size=5))
    table = F.to_table(batch, config)
    assert table.schema == F.arrow_schema(config)
    assert table.schema.metadata == F.arrow_schema(config).metadata
    assert table.num_rows == len(batch)
    assert list(F.from_table(table, config)) == batch
    # the same through record batches, and through an IPC stream (Arrow's own serialisation)
    assert [r for b in table.to_batches() for r in F.from_table(b, config)] == batch
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    reread = pa.ipc.open_stream(sink.getvalue()).read_all()
    assert list(F.from_table(reread, config)) == batch


def _load(path: Path, cache: Path) -> datasets.Dataset:
    loaded = datasets.load_dataset(
        "parquet", data_files=str(path), split="train", cache_dir=str(cache)
    )
    assert isinstance(loaded, datasets.Dataset)
    return loaded


@pytest.mark.parametrize("config", CONFIGS)
@scaled(20)
@given(data=st.data())
def test_parquet_datasets_round_trip_is_identity(
    config: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    batch = data.draw(record_lists(config, min_size=1, max_size=8))
    work = tmp_path_factory.mktemp(config)
    path = work / f"{config}.parquet"
    pq.write_table(F.to_table(batch, config), path)

    file_schema = pq.read_schema(path)
    assert b"huggingface" in file_schema.metadata
    assert datasets.Features.from_arrow_schema(file_schema) == F.features(config)

    loaded = _load(path, work / "cache")
    assert loaded.features == F.features(config)
    assert loaded.num_rows == len(batch)
    assert list(F.from_dataset(loaded, config)) == batch

    streamed = datasets.load_dataset("parquet", data_files=str(path), split="train", streaming=True)
    assert list(F.from_dataset(streamed, config)) == batch


@pytest.mark.parametrize("config", CONFIGS)
def test_empty_table_round_trip(config: str, tmp_path: Path) -> None:
    table = F.to_table([], config)
    assert table.num_rows == 0 and table.schema == F.arrow_schema(config)
    assert list(F.from_table(table, config)) == []
    pq.write_table(table, tmp_path / "empty.parquet")
    assert pq.read_schema(tmp_path / "empty.parquet").metadata[b"huggingface"]


@given(data=st.data())
@scaled(10)
def test_to_table_rejects_records_of_another_config(data: st.DataObject) -> None:
    config, other = data.draw(st.permutations(CONFIGS).map(lambda p: p[:2]))
    record: Record = data.draw(records(other))
    with pytest.raises(TypeError, match=type(record).__name__):
        F.to_table([record], config)


@pytest.mark.parametrize("config", CONFIGS)
@scaled(10)
@given(data=st.data())
def test_from_table_validates(config: str, data: st.DataObject) -> None:
    """A table that violates the model (here: an empty required string) is not let through."""
    batch = data.draw(record_lists(config, min_size=1, max_size=3))
    rows: list[dict[str, Any]] = F.to_table(batch, config).to_pylist()
    field = {"interview_turns": "speaker_label", "resolutions": "doc_type_name"}.get(
        config, "source_file"
    )
    rows[-1][field] = " "
    table = pa.Table.from_pylist(rows, schema=F.arrow_schema(config))
    with pytest.raises(ValidationError) as exc:
        list(F.from_table(table, config))
    assert [e["loc"] for e in exc.value.errors()] == [(len(rows) - 1, field)]
