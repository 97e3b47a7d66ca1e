"""Optional dependencies: what each extra of the package brings, and a clear error without it.

``pip install kyanh-corpus`` loads the embedded corpus and built folders with ``pydantic`` and
``pyarrow`` only. The extras:

* ``hf`` -- ``datasets`` and ``huggingface_hub``: Hub repositories, ``load_dataset``, building
  (the ``hf/`` form and the card's features), publishing;
* ``pandas``, ``polars`` -- ``Records.to_pandas()``, ``Records.to_polars()``.

>>> require("json", "hf", "this").__name__
'json'
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Final

from .errors import UsageError

EXTRAS: Final[dict[str, tuple[str, ...]]] = {
    "hf": ("datasets", "huggingface_hub"),
    "pandas": ("pandas",),
    "polars": ("polars",),
}
"""Extra -> the modules it installs."""


class MissingExtraError(UsageError, ImportError):
    """A function needs an optional dependency that is not installed; the message names the
    extra to install."""


def require(module: str, extra: str, what: str) -> ModuleType:
    """Import ``module``, or raise :class:`MissingExtraError` saying that ``what`` needs
    ``pip install "kyanh-corpus[<extra>]"``."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is not None and error.name.split(".")[0] != module.split(".")[0]:
            raise
        raise MissingExtraError(
            f'{what} needs {module!r}, which is not installed: pip install "kyanh-corpus[{extra}]"'
        ) from None
