"""Data files that installed packages carry (WordNet, HPO, the abbreviation list): found
where the package is installed, its code never imported."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def package_file(package: str, *parts: str) -> Path | None:
    """The package's folder, or a file or folder inside it; None when either is missing."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)
    return path if path.exists() else None
