"""Pydantic and the published JSON Schema (``schema/*.schema.json``) agree on every document.

Valid records stay valid under both. Mutated records (wrong JSON type anywhere, a required field
removed, an unknown field added, a bad span, a malformed code, a bad ``article_id``, ``sha256`` or
date, a blank text) are rejected by both, and Pydantic's error ``loc`` is the path of the mutated
value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from kyanh_corpus.features import json_schema, model_for
from kyanh_corpus.models import CODE_PATTERN, INT64_MAX, SCHEMA_NAMES, canonical_code
from support.paths import SCHEMA_DIR
from support.strategies import CONFIGS, records, scaled

Path_ = tuple[str | int, ...]

SCHEMAS = {
    config: json.loads((SCHEMA_DIR / f"{SCHEMA_NAMES[config]}.schema.json").read_text("utf-8"))
    for config in CONFIGS
}
VALIDATORS = {
    config: Draft202012Validator(schema, format_checker=FormatChecker())
    for config, schema in SCHEMAS.items()
}


def json_valid(config: str, doc: Any) -> bool:
    return VALIDATORS[config].is_valid(doc)


def pydantic_locs(config: str, doc: Any) -> list[Path_] | None:
    """Error locations of ``model_validate_json`` on ``doc``; ``None`` when it validates."""
    try:
        model_for(config).model_validate_json(json.dumps(doc))
    except ValidationError as exc:
        return [tuple(error["loc"]) for error in exc.errors()]
    return None


# --- the schema documents themselves ---------------------------------------------------------

_SCHEMA_MAPS = {"properties", "$defs", "patternProperties", "dependentSchemas"}
_SCHEMA_LISTS = {"anyOf", "allOf", "oneOf", "prefixItems"}
_SCHEMA_ONE = {"items", "additionalProperties", "not", "contains", "propertyNames", "if", "then"}
_DATA = {"enum", "const", "default", "examples", "required"}
_KEYWORDS = (
    _SCHEMA_MAPS
    | _SCHEMA_LISTS
    | _SCHEMA_ONE
    | _DATA
    | {"$schema", "$id", "$ref", "title", "description", "type", "format", "pattern"}
    | {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
    | {"minLength", "maxLength", "minItems", "maxItems", "uniqueItems"}
)


def _unknown_keywords(node: Any, where: str) -> Iterator[str]:
    for key, value in node.items():
        if key.startswith("x-"):
            continue
        if key not in _KEYWORDS:
            yield f"{where}/{key}"
        elif key in _SCHEMA_MAPS:
            for name, sub in value.items():
                yield from _unknown_keywords(sub, f"{where}/{key}/{name}")
        elif key in _SCHEMA_LISTS:
            for i, sub in enumerate(value):
                yield from _unknown_keywords(sub, f"{where}/{key}/{i}")
        elif key in _SCHEMA_ONE and isinstance(value, dict):
            yield from _unknown_keywords(value, f"{where}/{key}")


@pytest.mark.parametrize("config", CONFIGS)
def test_schema_is_2020_12_with_standard_keywords_only(config: str) -> None:
    """An unknown keyword (e.g. Pydantic's "ge" leaking in) is silently ignored by validators."""
    assert SCHEMAS[config] == json_schema(config)
    Draft202012Validator.check_schema(SCHEMAS[config])
    assert list(_unknown_keywords(SCHEMAS[config], "#")) == []


# --- valid stays valid -----------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS)
@scaled(40)
@given(data=st.data())
def test_generated_records_are_valid_under_both(config: str, data: st.DataObject) -> None:
    record = data.draw(records(config))
    doc = record.model_dump(mode="json")
    VALIDATORS[config].validate(doc)
    assert model_for(config).model_validate_json(json.dumps(doc)) == record
    assert model_for(config).model_validate_json(record.model_dump_json()) == record


@given(day=st.dates())
def test_every_calendar_date_is_valid_under_both(day: date) -> None:
    doc = _resolution_doc(issued_on=day.isoformat())
    assert json_valid("resolutions", doc)
    assert pydantic_locs("resolutions", doc) is None


# --- mutations ---------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _sites(
    schema: dict[str, Any], node: dict[str, Any], value: Any, path: Path_
) -> Iterator[tuple[Path_, Any, dict[str, Any], set[str]]]:
    """Every (path, value, subschema, accepted JSON types) in a valid document, root included.

    The subschema of an optional value is its non-null member; the types include "null".
    """
    node = _resolve(schema, node)
    types = _json_types(schema, node)
    if value is not None and "anyOf" in node:
        node = _resolve(schema, next(m for m in node["anyOf"] if m.get("type") != "null"))
    yield path, value, node, types
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _sites(schema, node["properties"][key], item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _sites(schema, node["items"], item, (*path, i))


def _json_types(schema: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """The JSON types a (resolved) subschema accepts."""
    node = _resolve(schema, node)
    if "anyOf" in node:
        return set().union(*(_json_types(schema, m) for m in node["anyOf"]))
    if "type" in node:
        return {node["type"]} if isinstance(node["type"], str) else set(node["type"])
    return {"string"} if all(isinstance(v, str) for v in node.get("enum", [])) else set()


# Values a lax validator would coerce ("3" -> 3, 1 -> True, 0 -> 1970-01-01) come often.
_VALUES_OF_TYPE: dict[str, st.SearchStrategy[Any]] = {
    "string": st.one_of(
        st.text(max_size=5),
        st.integers().map(str),
        st.sampled_from(["true", "false", "yes", "1.0", "2021-03-09", "null"]),
    ),
    "integer": st.one_of(st.integers(0, 1), st.integers()),
    "number": st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
    "boolean": st.booleans(),
    "null": st.none(),
    "array": st.lists(st.integers(0, 3), max_size=2),
    "object": st.dictionaries(st.sampled_from(["a", "start", "text"]), st.integers(), max_size=2),
}

_bad_article_ids = st.one_of(
    st.from_regex(r"[a-z0-9-]{0,3}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{65,70}", fullmatch=True),
    st.from_regex(r"[a-z0-9-]{1,8}[A-Z_ .đáạ/:][a-z0-9-]{1,8}", fullmatch=True),
)
_bad_sha256 = st.one_of(
    st.from_regex(r"[0-9a-f]{63}|[0-9a-f]{65}", fullmatch=True),
    st.from_regex(r"[0-9a-f]{10}[A-FG-Z \-][0-9a-f]{53}", fullmatch=True),
)


def _is_calendar_date(text: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


_bad_dates = st.one_of(
    st.sampled_from(
        [
            "2021-02-30",
            "2021-13-01",
            "2021-00-10",
            "0000-01-01",
            "21-01-01",
            "2021/01/01",
            "09/03/2021",
            "2021-1-9",
            "20210309",
            "2021-03-09T00:00:00",
            "2021-03-09 ",
            "1615248000",
            "",
        ]
    ),
    st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True),
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    st.text(max_size=12),
).filter(lambda s: not _is_calendar_date(s))


@st.composite
def _malformed_codes(draw: st.DrawFn, code: str) -> str:
    bad = draw(
        st.one_of(
            st.sampled_from(
                [
                    code + " ",
                    " " + code,
                    code.lower(),
                    code.replace("/", " / "),
                    code.replace("-", "/"),
                    code.replace("/", "-"),
                    code.replace("/", ""),
                    "số " + code,
                    code + "/",
                ]
            ),
            st.text(max_size=12),
        )
    )
    # Python's ``$`` (the ``re`` module python-jsonschema uses) also matches before a final
    # newline, so the filter is on Python's semantics: no match means both validators refuse.
    return draw(st.just(bad).filter(lambda s: re.search(CODE_PATTERN, s) is None))


APPLICABLE: dict[str, tuple[str, ...]] = {
    "wrong-type": CONFIGS,
    "missing-required": CONFIGS,
    "extra-field": CONFIGS,
    "negative-span-start": ("articles", "interview_turns", "resolutions"),
    "span-end-0": ("articles", "interview_turns", "resolutions"),
    "malformed-code": ("resolutions",),
    "bad-article-id": CONFIGS,
    "bad-sha256": ("articles", "sources"),
    "bad-date": ("articles", "resolutions"),
    "blank-text": CONFIGS,
}
"""Mutation kind -> the configs whose records have a value to mutate that way."""

CASES = [(kind, config) for kind, configs in APPLICABLE.items() for config in configs]
_FIELD_OF_KIND = {
    "malformed-code": ("code",),
    "bad-article-id": ("article_id",),
    "bad-sha256": ("raw_sha256",),
    "bad-date": ("published_at", "issued_on"),
}


def _set(doc: Any, path: Path_, value: Any) -> Any:
    if not path:
        return value
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def _get(doc: Any, path: Path_) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def mutated(draw: st.DrawFn, config: str, kind: str) -> tuple[Any, Path_]:
    """(mutated document, the ``loc`` Pydantic must report) for one config and mutation kind."""
    schema = SCHEMAS[config]
    doc = draw(records(config)).model_dump(mode="json")
    sites = list(_sites(schema, schema, doc, ()))
    if kind == "wrong-type":
        path, _, _, types = draw(st.sampled_from([s for s in sites if s[0]]), label="site")
        # "number" here means non-integral: JSON Schema counts 3.0 as an integer.
        wrong = sorted(set(_VALUES_OF_TYPE) - types)
        value = draw(st.sampled_from(wrong).flatmap(_VALUES_OF_TYPE.__getitem__))
        return _set(doc, path, value), path
    if kind in ("missing-required", "extra-field"):
        objects = [(p, v, n) for p, v, n, _ in sites if isinstance(v, dict)]
        path, value, node = draw(st.sampled_from(objects), label="object")
        if kind == "missing-required":
            key = draw(st.sampled_from(node["required"]))
            del value[key]
        else:
            key = draw(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True))
            key = key if key not in node["properties"] else key + "_x"
            value[key] = draw(st.one_of(st.none(), st.integers(), st.text(max_size=3)))
        return doc, (*path, key)
    if kind in ("negative-span-start", "span-end-0"):
        spans = [p for p, _, node, _ in sites if node.get("title") == "Span"]
        path = draw(st.sampled_from(spans), label="span")
        if kind == "negative-span-start":
            return _set(doc, (*path, "start"), draw(st.integers(max_value=-1))), (*path, "start")
        return _set(doc, (*path, "end"), 0), (*path, "end")
    if kind == "blank-text":
        texts = [p for p, v, node, _ in sites if v is not None and node.get("pattern") == r"\S"]
        path = draw(st.sampled_from(texts), label="text")
        return _set(doc, path, draw(st.text(alphabet=" \t\n\u00a0\u3000", max_size=4))), path
    names = _FIELD_OF_KIND[kind]
    paths = [p for p, _, _, _ in sites if p and p[-1] in names]
    path = draw(st.sampled_from(paths), label="field")
    bad = {
        "malformed-code": _malformed_codes(_get(doc, path)),
        "bad-article-id": _bad_article_ids,
        "bad-sha256": _bad_sha256,
        "bad-date": _bad_dates,
    }[kind]
    return _set(doc, path, draw(bad)), path


@pytest.mark.parametrize(("kind", "config"), CASES, ids=[f"{k}-{c}" for k, c in CASES])
@scaled(25)
@given(data=st.data())
def test_mutated_records_are_rejected_by_both(kind: str, config: str, data: st.DataObject) -> None:
    doc, path = data.draw(mutated(config, kind), label="mutation")
    parent = _get(doc, path[:-1])
    value = parent.get(path[-1], "<missing>") if isinstance(parent, dict) else parent[path[-1]]
    assert not json_valid(config, doc), f"JSON Schema accepts {value!r} at {path} ({kind})"
    locs = pydantic_locs(config, doc)
    assert locs is not None, f"Pydantic accepts {value!r} at {path} ({kind})"
    assert locs == [path]


# --- what JSON Schema cannot say ---------------------------------------------------------------


def _resolution_doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "resolution_id": "02-nq-thu-ky-anh",
        "code": "02-NQ/ThU",
        "system": "party",
        "number": "02",
        "year": None,
        "doc_type": "NQ",
        "doc_type_name": "Nghị quyết",
        "issuer_code": "ThU",
        "issuer": "BTV Thị ủy Kỳ Anh",
        "issued_on": None,
        "title": None,
        "mentions": [
            {"article_id": "abcd", "surface": "Nghị quyết 02", "span": {"start": 5, "end": 18}}
        ],
    }
    doc = {**doc, **changes}
    # The document's facts are what its one mention states.
    doc["mentions"][0].update({name: doc[name] for name in ("issued_on", "issuer", "title")})
    return doc


@st.composite
def _cross_field_violations(draw: st.DrawFn) -> tuple[str, str, Any, Path_]:
    """(rule, config, document, loc) breaking one rule that only the models check."""
    rule = draw(
        st.sampled_from(
            [
                "span end > start",
                "paragraph index == position",
                "caption index == position",
                "caption after_paragraph < len(paragraphs)",
                "responds_to names an earlier turn",
                "interviewer turns respond to nothing",
                "party code carries no year",
                "code agrees with its parts",
                "facts are the mentions' facts",
            ]
        )
    )
    if rule == "span end > start":
        config = draw(st.sampled_from(CONFIGS[:3]))
        doc = draw(records(config)).model_dump(mode="json")
        schema = SCHEMAS[config]
        spans = [p for p, _, n, _ in _sites(schema, schema, doc, ()) if n.get("title") == "Span"]
        path = draw(st.sampled_from(spans))
        span = _get(doc, path)
        span["end"] = draw(st.integers(1, max(1, span["start"])))
        span["start"] = max(span["start"], span["end"])
        return rule, config, doc, (*path, "end")
    if rule in ("paragraph index == position", "caption index == position"):
        doc = draw(records("articles")).model_dump(mode="json")
        field = "paragraphs" if rule.startswith("paragraph") else "captions"
        if not doc[field]:
            doc[field] = [{"index": 0, "text": "Ảnh", "span": {"start": 0, "end": 3}}]
        i = draw(st.integers(0, len(doc[field]) - 1))
        doc[field][i]["index"] = draw(st.integers(0, 10**6).filter(lambda n: n != i))
        return rule, "articles", doc, (field,)
    if rule == "caption after_paragraph < len(paragraphs)":
        doc = draw(records("articles")).model_dump(mode="json")
        after = draw(st.integers(len(doc["paragraphs"]), 10**6))
        caption = {"index": len(doc["captions"]), "text": "Ảnh", "span": {"start": 0, "end": 3}}
        doc["captions"].append({**caption, "after_paragraph": after})
        return rule, "articles", doc, ("captions",)
    if rule in ("responds_to names an earlier turn", "interviewer turns respond to nothing"):
        doc = draw(records("interview_turns")).model_dump(mode="json")
        if rule == "interviewer turns respond to nothing":
            doc.update(speaker_role="interviewer", responds_to=draw(st.integers(0, 10**6)))
        else:
            later = draw(st.integers(doc["turn_index"], min(doc["turn_index"] + 10, INT64_MAX)))
            doc.update(speaker_role="interviewee", responds_to=later)
        return rule, "interview_turns", doc, ("responds_to",)
    doc = draw(records("resolutions")).model_dump(mode="json")
    if rule == "facts are the mentions' facts":
        doc["issuer"] = (doc["issuer"] or "") + " khác"
        return rule, "resolutions", doc, ()
    if rule == "party code carries no year":
        doc.update(system="party", year=draw(st.integers(1945, 2100)))
        doc["doc_type"] = doc["doc_type"] or "NQ"
        doc["code"] = canonical_code("party", doc["number"], doc["doc_type"], doc["issuer_code"])
        return rule, "resolutions", doc, ("year",)
    part = draw(st.sampled_from(["number", "doc_type", "issuer_code"]))
    number = doc["number"]
    doc[part] = {
        "number": number + "1" if len(number) < 6 else number[:-1] + str(9 - int(number[-1])),
        "doc_type": "KH" if doc["doc_type"] != "KH" else "KL",
        "issuer_code": "UBND" if doc["issuer_code"] != "UBND" else "HU",
    }[part]
    return rule, "resolutions", doc, ()


@scaled(60)
@given(violation=_cross_field_violations())
def test_rules_json_schema_cannot_express_are_enforced_by_pydantic(
    violation: tuple[str, str, Any, Path_],
) -> None:
    """The rules between fields that JSON Schema (as generated) does not express.

    JSON Schema validates each value against its own subschema; it has no way to compare two
    values of one document. So these documents pass ``schema/*.schema.json`` and only the
    models refuse them (``model_validate``/``model_validate_json``):

    * ``Span.end > Span.start`` (the schema only says ``end > 0``, ``start >= 0``);
    * ``Article.paragraphs[i].index == i`` and ``Article.captions[i].index == i``;
    * ``Caption.after_paragraph < len(Article.paragraphs)``;
    * ``InterviewTurn.responds_to`` is null for an interviewer and ``< turn_index`` otherwise;
    * a Party ``Resolution`` has no ``year``, and ``code`` equals
      ``canonical_code(system, number, doc_type, issuer_code, year)``;
    * a ``Resolution``'s ``issued_on``, ``issuer`` and ``title`` are
      ``document_facts(mentions)``.

    Two more differences are not rules but worth knowing: the models NFC-normalise and strip
    text, which JSON Schema cannot do (it accepts the un-normalised text, as the models do, so
    both accept); and python-jsonschema matches ``pattern`` with Python's ``re``, whose ``$``
    also matches before a final newline, so it accepts ``"abcd\\n"`` as an ``article_id``
    while Pydantic (and ECMA-262, which JSON Schema specifies) refuse it.
    """
    rule, config, doc, path = violation
    assert json_valid(config, doc), f"JSON Schema now expresses {rule!r}: update the docstring"
    assert pydantic_locs(config, doc) == [path], rule


def test_trailing_newline_in_patterns_is_refused_by_pydantic() -> None:
    """See the docstring above: python-jsonschema's ``$`` is not ECMA-262's."""
    doc = _resolution_doc()
    doc["mentions"][0]["article_id"] = "abcd\n"
    assert pydantic_locs("resolutions", doc) == [("mentions", 0, "article_id")]
    assert pydantic_locs("resolutions", _resolution_doc(code="02-NQ/ThU\n")) == [("code",)]


def test_unnormalised_text_passes_both_and_is_normalised_by_pydantic() -> None:
    nfd = " Nghi\u0323 quyê\u0301t 02 "
    doc = _resolution_doc(doc_type_name=nfd)
    assert json_valid("resolutions", doc)
    assert pydantic_locs("resolutions", doc) is None
    parsed = model_for("resolutions").model_validate_json(json.dumps(doc))
    assert parsed.model_dump()["doc_type_name"] == "Nghị quyết 02"
