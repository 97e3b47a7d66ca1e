"""The ``datasets`` forms of the schema the build computes without ``datasets`` (the
``huggingface`` schema metadata, the card's ``features``) are exactly what ``datasets`` derives."""

from __future__ import annotations

import datasets
import pyarrow as pa
import pytest

from kyanh_corpus.features import (
    arrow_schema,
    features,
    features_yaml,
    hf_features_dict,
    plain_arrow_schema,
)
from kyanh_corpus.models import ENTITIES


@pytest.mark.parametrize("config", list(ENTITIES))
def test_computed_forms_equal_what_datasets_derives(config: str) -> None:
    reference = datasets.Features.from_arrow_schema(plain_arrow_schema(config))
    assert hf_features_dict(config) == reference.to_dict()
    # byte for byte: every Parquet and hf/ file carries this key
    assert arrow_schema(config).metadata == reference.arrow_schema.metadata
    assert features_yaml(config) == reference._to_yaml_list()
    assert features(config) == reference
    assert datasets.Features.from_dict(hf_features_dict(config)) == reference


def test_nested_types_are_covered() -> None:
    # the configs exercise every branch: a struct, a list of structs, a list of strings, a date
    def kinds(arrow_type: pa.DataType) -> set[str]:
        found = {str(arrow_type).split("<")[0]}
        if pa.types.is_list(arrow_type):
            found |= kinds(arrow_type.value_type)
        if pa.types.is_struct(arrow_type):
            for child in arrow_type:
                found |= kinds(child.type)
        return found

    seen = set().union(*(kinds(f.type) for c in ENTITIES for f in plain_arrow_schema(c)))
    assert {"list", "struct", "date32[day]", "string", "int64", "bool"} <= seen
