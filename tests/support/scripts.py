"""Import a script of ``scripts/`` as a module (the scripts are not a package)."""

from __future__ import annotations

import importlib.util
import sys
import types

from .paths import ROOT


def load_script(name: str) -> types.ModuleType:
    """``scripts/<name>.py`` imported as module ``name`` (registered in ``sys.modules``, where
    dataclasses look their module up)."""
    if name in sys.modules:
        return sys.modules[name]
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
