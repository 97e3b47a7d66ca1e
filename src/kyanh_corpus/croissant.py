"""``croissant.json``: Croissant 1.0 (MLCommons) metadata of a built folder, from the models.

One ``cr:FileSet`` per config (its Parquet shards) and one ``cr:RecordSet`` per config whose
fields are the model's fields: scalars map to ``sc:Text``/``sc:Integer``/``sc:Boolean``/
``sc:Date``, lists are ``repeated``, nested records are ``subField`` s read from the struct column
with a JSON path. Primary keys are the record sets' ``key``; ``article_id`` of the other entities
``references`` the articles.
"""

from __future__ import annotations

import typing
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel

from .card import (
    DESCRIPTION_SHORT,
    LICENSE_SUMMARY,
    PRETTY_NAME,
    CardInfo,
    citation_bibtex,
)
from .dataset.paths import LICENSE_DATA_NAME
from .features import unwrap_annotation
from .models import ENTITIES, PRIMARY_KEYS

CROISSANT_VERSION: Final = "http://mlcommons.org/croissant/1.0"

CONTEXT: Final[dict[str, Any]] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
"""The standard Croissant 1.0 JSON-LD context."""

_DATA_TYPES: Final[dict[object, str]] = {
    str: "sc:Text",
    int: "sc:Integer",
    bool: "sc:Boolean",
    date: "sc:Date",
}


def _file_set_id(config: str) -> str:
    return f"parquet-{config}"


def _leaf_type(annotation: Any) -> tuple[Any, bool]:
    """``(inner type, repeated)`` of a field annotation."""
    inner, _ = unwrap_annotation(annotation)
    if typing.get_origin(inner) is list:
        item, _ = unwrap_annotation(typing.get_args(inner)[0])
        return item, True
    return inner, False


def _field(
    config: str, model: type[BaseModel], name: str, path: tuple[str, ...], id_prefix: str
) -> dict[str, Any]:
    info = model.model_fields[name]
    inner, repeated = _leaf_type(info.annotation)
    field_id = f"{id_prefix}/{name}"
    node: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": field_id,
        "name": name,
        "description": " ".join((info.description or name).split()),
    }
    if repeated:
        node["repeated"] = True
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        node["subField"] = [
            _field(config, inner, sub, (*path, sub), field_id) for sub in inner.model_fields
        ]
        return node
    if typing.get_origin(inner) is Literal:
        node["dataType"] = "sc:Text"
    else:
        node["dataType"] = _DATA_TYPES[inner]
    source: dict[str, Any] = {
        "fileSet": {"@id": _file_set_id(config)},
        "extract": {"column": path[0]},
    }
    if len(path) > 1:
        source["transform"] = {"jsonPath": ".".join(path[1:])}
    node["source"] = source
    if name == "article_id" and config != "articles" and len(path) == 1:
        node["references"] = {"field": {"@id": "articles/article_id"}}
    return node


def record_set(config: str) -> dict[str, Any]:
    """The ``cr:RecordSet`` of one config, from its model."""
    model = ENTITIES[config]
    keys = [{"@id": f"{config}/{name}"} for name in PRIMARY_KEYS[config]]
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": " ".join((model.__doc__ or config).strip().split("\n\n")[0].split()),
        "key": keys[0] if len(keys) == 1 else keys,
        "field": [_field(config, model, name, (name,), config) for name in model.model_fields],
    }


def render_croissant(info: CardInfo) -> dict[str, Any]:
    """The ``croissant.json`` object of a build."""
    release = info.dataset_version.split("+", 1)[0]
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "kyanh-corpus",
        "alternateName": PRETTY_NAME,
        "description": DESCRIPTION_SHORT,
        "conformsTo": CROISSANT_VERSION,
        "citeAs": citation_bibtex(),
        # The text's status, a file beside this one (a relative URL): no open licence is
        # claimed for the text. The dataset's own URL is not known when it is built (the Hub
        # repository is chosen at publish time), so there is no "url"; the publisher's site is
        # what the text is based on.
        "license": LICENSE_DATA_NAME,
        "usageInfo": LICENSE_SUMMARY,
        "isBasedOn": "https://baohatinh.vn",
        "version": release,
        "inLanguage": "vi",
        "keywords": ["Vietnamese", "journalism", "interviews", "local politics", "Báo Hà Tĩnh"],
        "isAccessibleForFree": True,
        "identifier": info.dataset_version,
        "creator": {"@type": "sc:Organization", "name": "kyanh-corpus developers"},
        "publisher": {
            "@type": "sc:Organization",
            "name": "Báo Hà Tĩnh",
            "url": "https://baohatinh.vn",
        },
        "distribution": [
            {
                "@type": "cr:FileSet",
                "@id": _file_set_id(config),
                "name": _file_set_id(config),
                "description": f"Parquet shards of the {config} config.",
                "encodingFormat": "application/x-parquet",
                "includes": f"data/{config}/*.parquet",
            }
            for config in ENTITIES
        ],
        "recordSet": [record_set(config) for config in ENTITIES],
    }
