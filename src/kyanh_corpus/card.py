"""The dataset card (``README.md`` of a built folder), generated from the models and the build.

The YAML header is what the Hugging Face Hub reads: ``pretty_name``, ``language``, the licence,
``task_categories``, ``size_categories``, one ``configs`` entry per entity (``articles`` the
default) and ``dataset_info`` from :func:`kyanh_corpus.features.dataset_info_yaml`. The body says
what the corpus is, how to load it, every field of every entity (from the models' docstrings),
the counts and the raw files the build read.

The article text belongs to its publisher, Báo Hà Tĩnh: the card claims no open licence for it
(``license: other``); the code that builds the corpus is MIT.

>>> size_category(0), size_category(999), size_category(1000), size_category(250_000)
('n<1K', 'n<1K', '1K<n<10K', '100K<n<1M')
"""

from __future__ import annotations

import importlib
import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from annotated_types import MinLen
from pydantic import BaseModel

from .dataset.manifest import FileEntry
from .dataset.paths import LICENSE_DATA_NAME
from .features import unwrap_annotation
from .models import ENTITIES, SCHEMA_NAMES

PRETTY_NAME: Final = "Kỳ Anh local-politics journalism corpus (Báo Hà Tĩnh)"

DESCRIPTION_SHORT: Final = (
    "Vietnamese local-politics journalism from Báo Hà Tĩnh (Kỳ Anh town, Hà Tĩnh province): "
    "articles, interview turns, cited Party and State documents and the normalised raw pages, "
    "as typed records with character offsets into the source text."
)

LICENSE_NAME: Final = "baohatinh-all-rights-reserved"
LICENSE_SUMMARY: Final = (
    "Article text: © Báo Hà Tĩnh, all rights reserved (no open licence is granted). "
    "Build code: MIT."
)
LICENSE_DETAILS: Final = (
    "The article text, headlines, captions and bylines are the work of their authors and of "
    "the publisher Báo Hà Tĩnh (baohatinh.vn), which holds the rights; this dataset grants no "
    "licence to them. They are redistributed here for research on the language and the "
    "journalism, with attribution; any other use needs the publisher's permission. The derived "
    "annotations (spans, speaker roles, document codes) and the code of kyanh-corpus are MIT."
)

TASK_CATEGORIES: Final = ("text-generation", "text-classification", "token-classification")
TAGS: Final = ("vietnamese", "journalism", "news", "interviews", "politics", "local-government")

REPO_PLACEHOLDER: Final = "OWNER/kyanh-corpus"
"""Shown in the loading examples when the build does not know the Hub repository."""

_SIZE_STEPS: Final = (
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
)

_SCALAR_NAMES: Final[dict[object, str]] = {
    str: "string",
    int: "int64",
    bool: "bool",
    date: "date32 (YYYY-MM-DD)",
}


@dataclass(frozen=True)
class CardInfo:
    """What the card (and ``croissant.json``) says about one build."""

    dataset_version: str
    schema_version: str
    package_version: str
    counts: Mapping[str, int]
    num_bytes: Mapping[str, int]
    shards: Mapping[str, Sequence[str]]
    inputs: Sequence[tuple[str, FileEntry]]
    """The first inputs (name, size and hash), in build order; all are in ``manifest.json``."""
    total_inputs: int
    conflicting_documents: int = 0
    """Documents whose mentions disagree on a fact (listed in ``build_report.json``)."""
    ambiguous_documents: int = 0
    """Documents cited without a place or year that several documents could be."""


def size_category(rows: int) -> str:
    """The Hub's ``size_categories`` value for a number of records."""
    for limit, name in _SIZE_STEPS:
        if rows < limit:
            return name
    return "n>10M"


def citation_bibtex() -> str:
    """The BibTeX entry the card and ``hf/`` metadata cite."""
    return (
        "@misc{kyanh_corpus,\n"
        "  title        = {Kỳ Anh local-politics journalism corpus},\n"
        "  author       = {{kyanh-corpus developers}},\n"
        "  note         = {Article text {\\copyright} Báo Hà Tĩnh (baohatinh.vn); "
        "typed records built with the kyanh-corpus package},\n"
        "  howpublished = {Hugging Face dataset},\n"
        "}"
    )


def card_header(info: CardInfo) -> dict[str, Any]:
    """The YAML header of the card, as a mapping (key order is the order written)."""
    from .features import dataset_info_yaml

    return {
        "pretty_name": PRETTY_NAME,
        "language": ["vi"],
        "license": "other",
        "license_name": LICENSE_NAME,
        "license_link": LICENSE_DATA_NAME,
        "multilinguality": ["monolingual"],
        "language_creators": ["found"],
        "annotations_creators": ["machine-generated"],
        "source_datasets": ["original"],
        "task_categories": list(TASK_CATEGORIES),
        "tags": list(TAGS),
        "size_categories": [size_category(info.counts.get("articles", 0))],
        "configs": [
            {
                "config_name": config,
                "data_files": [{"split": "train", "path": f"data/{config}/*.parquet"}],
                **({"default": True} if config == "articles" else {}),
            }
            for config in hub_configs(info)
        ],
        "dataset_info": [
            dataset_info_yaml(config, info.counts.get(config, 0), info.num_bytes.get(config, 0))
            for config in hub_configs(info)
        ],
    }


def hub_configs(info: CardInfo) -> list[str]:
    """The configs the card declares: every entity with at least one row.

    ``datasets`` cannot load a split without rows ("Instruction 'train' corresponds to no data"),
    so an empty config (a corpus of news reports has no interview turns) is left out of the
    header; its Parquet file (schema, no rows) is still in ``data/`` for the other readers.
    """
    return [config for config in ENTITIES if info.counts.get(config, 0) > 0]


def type_name(annotation: Any) -> str:
    """A reader's name for a field type: ``string``, ``int64``, ``list of Span``, ``Span``...

    >>> type_name(list[int])
    'list of int64'
    """
    inner, _ = unwrap_annotation(annotation)
    origin = typing.get_origin(inner)
    if origin is Literal:
        return "string"
    if origin is list:
        return f"list of {type_name(typing.get_args(inner)[0])}"
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return inner.__name__
    return _SCALAR_NAMES.get(inner, str(inner))


def allowed_values(annotation: Any) -> list[str]:
    """The values a ``Literal`` field allows (empty for any other type)."""
    inner, _ = unwrap_annotation(annotation)
    if typing.get_origin(inner) is Literal:
        return [str(value) for value in typing.get_args(inner)]
    return []


def _nested_models(model: type[BaseModel], found: dict[str, type[BaseModel]]) -> None:
    for info in model.model_fields.values():
        pending = [info.annotation]
        while pending:
            annotation = pending.pop()
            inner, _ = unwrap_annotation(annotation)
            if typing.get_origin(inner) is list:
                pending.append(typing.get_args(inner)[0])
            elif (
                isinstance(inner, type)
                and issubclass(inner, BaseModel)
                and inner.__name__ not in found
            ):
                found[inner.__name__] = inner
                _nested_models(inner, found)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("``", "`").replace("|", "\\|")


def field_table(model: type[BaseModel]) -> str:
    """A Markdown table of a model's fields: name, type, null?, description, allowed values."""
    lines = [
        "| field | type | nullable | description |",
        "|---|---|---|---|",
    ]
    for name, info in model.model_fields.items():
        _, nullable = unwrap_annotation(info.annotation)
        kind = type_name(info.annotation)
        least = [item.min_length for item in info.metadata if isinstance(item, MinLen)]
        if kind.startswith("list of ") and least and least[0] > 0:
            kind += f" (at least {least[0]})"
        description = info.description or ""
        values = allowed_values(info.annotation)
        if values:
            description += " Allowed values: " + ", ".join(f"`{value}`" for value in values) + "."
        lines.append(
            f"| `{name}` | {kind} | {'yes' if nullable else 'no'} | {_cell(description)} |"
        )
    return "\n".join(lines)


def field_tables() -> str:
    """Field tables of every entity, then of the nested record types they use."""
    parts = []
    nested: dict[str, type[BaseModel]] = {}
    for config, entity in ENTITIES.items():
        doc = _cell((entity.__doc__ or "").strip().split("\n\n")[0])
        parts.append(
            f"### `{config}` ({entity.__name__})\n\n{doc} JSON Schema: "
            f"`schema/{SCHEMA_NAMES[config]}.schema.json`.\n\n{field_table(entity)}\n"
        )
        _nested_models(entity, nested)
    for name, model in nested.items():
        doc = _cell((model.__doc__ or "").strip().split("\n\n")[0])
        parts.append(f"### {name} (nested)\n\n{doc}\n\n{field_table(model)}\n")
    return "\n".join(parts)


def _yaml_module() -> Any:
    """PyYAML, imported on use (it ships no type stubs)."""
    return importlib.import_module("yaml")


def _yaml(header: Mapping[str, Any]) -> str:
    yaml = _yaml_module()
    text: str = yaml.safe_dump(
        dict(header), allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False
    )
    return text


def render_card(info: CardInfo, *, repo_id: str | None = None) -> str:
    """The full text of ``README.md``."""
    repo = repo_id or REPO_PLACEHOLDER
    counts_rows = "\n".join(
        f"| `{config}` | {ENTITIES[config].__name__} | {info.counts.get(config, 0):,} "
        f"| {len(info.shards.get(config, ()))} | `data/{config}/*.parquet` |"
        for config in ENTITIES
    )
    inputs_rows = "\n".join(
        f"| `{name}` | {entry.bytes:,} | `{entry.sha256}` |" for name, entry in info.inputs
    )
    more = info.total_inputs - len(info.inputs)
    inputs_note = (
        f"\n\n…and {more:,} more: `manifest.json` lists every input with its size and hash."
        if more > 0
        else ""
    )
    empty = [config for config in ENTITIES if config not in hub_configs(info)]
    empty_note = (
        "\n\nNo rows in this build for: "
        + ", ".join(f"`{config}`" for config in empty)
        + ". `datasets` cannot load an empty split, so the card does not declare "
        + ("it" if len(empty) == 1 else "them")
        + " as a config; the Parquet file (schema only) is in `data/` all the same."
        if empty
        else ""
    )
    conflict_note = (
        f"In this build {info.conflicting_documents:,} "
        f"document{'s' if info.conflicting_documents != 1 else ''} have mentions that disagree on "
        f"a date or an issuer, and {info.ambiguous_documents:,} cited without a place or year "
        "could be several documents and are kept apart: `build_report.json` lists them "
        "(`resolution_conflicts`, `ambiguous_documents`)."
    )
    body = f"""# {PRETTY_NAME}

{DESCRIPTION_SHORT}

Every record is typed (the Pydantic models of the
[`kyanh-corpus`](https://pypi.org/project/kyanh-corpus/) package are the single source of truth
for the Parquet schema, the `datasets` features, the JSON Schema files in `schema/` and this card)
and every paragraph, caption, interview turn and document mention carries a `Span`: code-point
offsets into the normalised raw page (config `sources`), so anyone can check any field against
the original text.

- Dataset version: `{info.dataset_version}` (from the hashes of the raw inputs)
- Schema version: `{info.schema_version}`
- Built by: `kyanh-corpus {info.package_version}`

## Contents

| config | record | rows | shards | files |
|---|---|---:|---:|---|
{counts_rows}

- `articles` (default): one row per published article: headline, lede, body paragraphs, photo
  captions, byline, genre (`interview` or `news`).
- `interview_turns`: one row per question or answer of an interview, with the speaker's role,
  label, name and title, and the question an answer responds to.
- `resolutions`: one row per numbered Party or State document cited (nghị quyết, quyết định,
  hướng dẫn...), merged across articles, with every printed mention and what each mention
  states. A document is its code plus its place (local issuers) and year of issue: Party
  numbering restarts, so `01-NQ/ThU` of 2016 and of 2021 are two rows. Its date, issuer and title
  are derived from its mentions. {conflict_note}
- `sources`: the normalised raw page of each article; every span indexes into its `text`.

The same rows are in `hf/<config>/`, in the form `datasets.load_from_disk` reads.{empty_note}

## How to load it

With the package (typed records, checksums verified against `manifest.json`):

```python
import kyanh_corpus

# a built folder, a Hub repo id ("{repo}"), or None for the corpus shipped in the package
articles = kyanh_corpus.load_articles("path/to/this/folder")
for article in articles:
    print(article.article_id, article.title, len(article.paragraphs))
```

With Hugging Face `datasets` (the features are exactly the declared ones):

```python
from datasets import load_dataset

# the Hub repo id, or the path of this folder
turns = load_dataset("{repo}", "interview_turns", split="train")
```

With pandas or DuckDB, straight from the Parquet files:

```python
import duckdb
import pandas as pd

articles = pd.read_parquet("data/articles")
duckdb.sql("SELECT genre, count(*) FROM 'data/articles/*.parquet' GROUP BY genre").show()
```

## Fields

Types are Arrow types; every list may be empty unless its description says otherwise; "nullable"
fields hold null when the page does not state the value.

{field_tables()}
## Provenance

Built from {info.total_inputs:,} raw file(s) scraped from baohatinh.vn (pages and their optional
`.meta.json` sidecars). Raw bytes are hashed before any normalisation:

| file | bytes | sha256 |
|---|---:|---|
{inputs_rows}{inputs_note}

`build_report.json` gives, per input, its status, how each line was classified and any warnings;
`manifest.json` gives the size and SHA-256 of every file of this folder. Rebuilding from the same
inputs with the same package version gives byte-identical files:

```bash
pip install kyanh-corpus
kyanh-corpus build RAW_PAGES_FOLDER --out corpus
kyanh-corpus validate corpus
```

## License

{LICENSE_DETAILS} The full statement is in [`LICENSE-DATA`](LICENSE-DATA).

## Citation

```bibtex
{citation_bibtex()}
```
"""
    return f"---\n{_yaml(card_header(info))}---\n\n{body}"


def license_data_text() -> str:
    """The text of ``LICENSE-DATA`` (shipped in the package, copied into every built folder):
    the article text's status, which the card's ``license_link`` points to."""
    from importlib.resources import files

    return files("kyanh_corpus").joinpath(LICENSE_DATA_NAME).read_text(encoding="utf-8")


def read_card_header(text: str) -> dict[str, Any]:
    """The YAML header of a card's text (between the first two ``---`` lines; LF or CRLF).

    The one reader of a card's header (the card tests, ``validate`` and ``publish`` use it);
    raises ``ValueError`` saying what is wrong: no header, YAML that does not parse, not a
    mapping.
    """
    match = _HEADER.match(text)
    if match is None:
        raise ValueError("has no YAML header")
    yaml = _yaml_module()
    try:
        loaded = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise ValueError(f"YAML header does not parse: {error}") from None
    if not isinstance(loaded, dict):
        raise ValueError("YAML header is not a mapping")
    return loaded


_HEADER: Final = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.DOTALL)
