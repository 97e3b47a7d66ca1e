"""Where a corpus comes from: the embedded one, a built folder, or a Hugging Face Hub repo."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Union

from ..dataset.folder import CorpusError, Folder

if TYPE_CHECKING:
    pass


CorpusSource = Union[str, "os.PathLike[str]", None]
"""``None`` (embedded corpus), a built folder, or a Hub repo id ``owner/name``."""

EMBEDDED_PACKAGE: Final = "kyanh_corpus"
EMBEDDED_DIR: Final = "_data"

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")


def embedded_path() -> Path:
    """The folder of the corpus shipped inside the package (``kyanh_corpus/_data``)."""
    from importlib.resources import files

    resource = files(EMBEDDED_PACKAGE).joinpath(EMBEDDED_DIR)
    # A zipped install has no real folder to read; str() of its resource is then no path.
    path = resource if isinstance(resource, Path) else Path(str(resource))
    if not (path / "manifest.json").is_file():
        raise CorpusError(
            f"the embedded corpus is missing from this installation ({path}); "
            "pass a built folder or a Hub repo id as source",
            path,
        )
    return path


def is_repo_id(source: str) -> bool:
    """Whether ``source`` has the shape of a Hub repo id ``owner/name`` (what ``load`` and
    ``publish`` accept).

    >>> is_repo_id("owner/kyanh-corpus"), is_repo_id("../x"), is_repo_id("a/b/c")
    (True, False, False)
    """
    return bool(_REPO_ID.match(source)) and ".." not in source


@dataclass(frozen=True)
class Hub:
    """A Hugging Face Hub dataset repo."""

    repo_id: str


def resolve(source: CorpusSource) -> Folder | Hub:
    if source is None:
        root = embedded_path()
    else:
        root = Path(source)
        if not root.exists():
            if isinstance(source, str) and is_repo_id(source):
                return Hub(source)
            raise CorpusError(f"{source}: no such folder (nor a Hub repo id owner/name)", root)
        if not root.is_dir():
            raise CorpusError(f"{source}: not a folder; pass a built folder", root)
    return Folder.open(root)  # the manifest's raw inputs are not needed here
