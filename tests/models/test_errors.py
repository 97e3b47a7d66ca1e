"""The error vocabulary: one base class, usage vs data errors, diagnostics that travel whole."""

from __future__ import annotations

import pickle

import pytest

from kyanh_corpus.build import BuildUsageError
from kyanh_corpus.dataset.folder import CorpusError
from kyanh_corpus.dataset.manifest import ManifestError
from kyanh_corpus.errors import (
    DataError,
    Diagnostic,
    DiagnosticKind,
    KyanhCorpusError,
    UsageError,
    clip,
    field_path,
)
from kyanh_corpus.extract import ExtractionError
from kyanh_corpus.publish import PublishError
from kyanh_corpus.validate import JsonSyntaxError


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (ExtractionError, DataError),
        (CorpusError, DataError),
        (ManifestError, DataError),
        (JsonSyntaxError, DataError),
        (BuildUsageError, UsageError),
        (PublishError, KyanhCorpusError),
    ],
)
def test_every_package_error_has_the_common_base(error: type[Exception], kind: type) -> None:
    assert issubclass(error, kind) and issubclass(error, KyanhCorpusError)


@pytest.mark.parametrize("value", [Diagnostic.__dataclass_fields__["value"].default, None, 5, "x"])
def test_diagnostics_pickle_whole_with_or_without_a_value(value: object) -> None:
    diagnostic = Diagnostic(DiagnosticKind.RECORD, "a.jsonl", "bad", line=2, field="f", value=value)
    again = pickle.loads(pickle.dumps(diagnostic))
    assert again == diagnostic and str(again) == str(diagnostic)
    assert again.has_value == diagnostic.has_value


def test_values_are_clipped_and_paths_have_one_style() -> None:
    assert len(clip("é" * 10_000)) == 80 and clip("é" * 10_000).endswith("...")
    assert field_path(("mentions", 0, "span", "start")) == "mentions[0].span.start"
    shown = str(Diagnostic(DiagnosticKind.RECORD, "f", "too big", row=3, value="x" * 500))
    assert len(shown) < 200 and "row 3" in shown
