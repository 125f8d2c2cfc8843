"""Load a script of corpus/icd10cm/ as a module, as `python corpus/icd10cm/<name>.py` runs it."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from assistant.config import PROJECT_ROOT

SCRIPTS = PROJECT_ROOT / "corpus" / "icd10cm"


def load_build_script(name: str, monkeypatch) -> ModuleType:
    """The script `name` ("build_index_terms"), its folder first on sys.path as when run (a
    script reads the one beside it), registered for its dataclasses; undone after the test."""
    monkeypatch.syspath_prepend(str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module
