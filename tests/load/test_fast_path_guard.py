"""The loader's fast path (assembling instances without validation) is guarded: what it builds
must be what validation builds, and when Pydantic's internals change it falls back by itself to
the public ``model_construct`` path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kyanh_corpus.load import assembly, load_records
from kyanh_corpus.models import ENTITIES
from support.folderkit import make_corpus, write_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_folder(tmp_path_factory.mktemp("guard") / "corpus", make_corpus(30, seed=11))


@pytest.fixture
def fresh_constructors() -> Iterator[None]:
    """Forget the constructors chosen so far (and restore them afterwards)."""
    saved, checked = dict(assembly._CONSTRUCTORS), set(assembly._CHECKED)
    assembly._CONSTRUCTORS.clear()
    assembly._CHECKED.clear()
    yield
    assembly._CONSTRUCTORS.clear()
    assembly._CONSTRUCTORS.update(saved)
    assembly._CHECKED.clear()
    assembly._CHECKED.update(checked)


def _same(fast: list[Any], validated: list[Any]) -> None:
    assert fast == validated
    for one, other in zip(fast, validated, strict=True):
        assert type(one) is type(other)
        assert one.model_fields_set == other.model_fields_set
        assert one.__pydantic_extra__ == other.__pydantic_extra__
        assert one.__pydantic_private__ == other.__pydantic_private__


@pytest.mark.parametrize("config", list(ENTITIES))
def test_the_fast_path_builds_what_validation_builds(folder: Path, config: str) -> None:
    """Fails loudly the day the assembled objects stop being the validated ones."""
    _same(list(load_records(config, folder)), list(load_records(config, folder, validate=True)))
    model = ENTITIES[config]
    assert assembly._CONSTRUCTORS[model].__qualname__.startswith("_fast_constructor")


def test_changed_internals_switch_to_model_construct(
    folder: Path, fresh_constructors: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = assembly._slot_setter

    def broken(name: str) -> Any:
        if name == "__pydantic_fields_set__":
            return lambda instance, value: None  # a Pydantic that keeps the fields set elsewhere
        return real(name)

    monkeypatch.setattr(assembly, "_slot_setter", broken)
    for config, model in ENTITIES.items():
        loaded = list(load_records(config, folder))
        _same(loaded, list(load_records(config, folder, validate=True)))
        assert assembly._CONSTRUCTORS[model].__qualname__.startswith("public_constructor")
