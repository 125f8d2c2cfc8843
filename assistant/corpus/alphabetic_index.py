"""The ICD-10-CM Alphabetic Index (FY2017), as the committed table holds it.

`corpus/icd10cm/index_terms_2017.tsv.gz` has one row per index entry that leads to a code:
its path (main term > subterm > ...), the nonessential modifiers of each level, the code the
FY2017 index gives ("S62.10-" when it leaves characters to choose) and the cross-reference
it went through ("see Arteriosclerosis"). `corpus/icd10cm/build_index_terms.py` rebuilds it
from CMS's XML; this module only reads it. Public domain.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.config import PROJECT_ROOT

INDEX_TERMS_TABLE = PROJECT_ROOT / "corpus" / "icd10cm" / "index_terms_2017.tsv.gz"
SOURCE = "ICD-10-CM Alphabetic Index FY2017"
_LEVELS = " > "


@dataclass(frozen=True)
class IndexEntry:
    """One entry: ("Hardening", "artery") -> I70.90, via "see Arteriosclerosis"."""

    path: tuple[str, ...]
    modifiers: tuple[str, ...]   # per level, "(acute) (chronic)" or ""
    code: str                    # as the FY2017 index gives it
    via: str = ""                # "see X", "see also X", or "" for the entry's own code

    def citation(self) -> str:
        """How a coder writes the entry: "Index: Hardening, artery -> see Arteriosclerosis"."""
        words = f"Index: {', '.join(self.path)}"
        return f"{words} -> {self.via}" if self.via else f"{words} {self.code}"


def read_index_entries(path: Path = INDEX_TERMS_TABLE) -> Iterator[IndexEntry]:
    with gzip.open(path, "rt", encoding="utf-8") as table:
        header_seen = False
        for line in table:
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if not header_seen:
                header_seen = True
                continue
            levels, modifiers, code, via = fields
            yield IndexEntry(tuple(levels.split(_LEVELS)), tuple(modifiers.split(_LEVELS)), code,
                             via)
