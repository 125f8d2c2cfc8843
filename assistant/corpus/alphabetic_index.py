"""The ICD-10-CM Alphabetic Index (FY2017), as the committed table holds it.

`corpus/icd10cm/index_terms_2017.tsv.gz` has one row per index entry that leads to a code:
its path (main term > subterm > ...), the nonessential modifiers of each level, the code the
FY2017 index gives ("S62.10-" when it leaves characters to choose) and the cross-reference
it went through ("see Arteriosclerosis"). `corpus/icd10cm/build_index_terms.py` rebuilds it
from CMS's XML; this module only reads it. Public domain.

`corpus/icd10cm/drug_terms_2017.tsv.gz` holds the Table of Drugs and Chemicals in the same
shape, where the Index sends a coder for a drug's poisoning, adverse effect or underdosing:
"Acetaminophen > poisoning|overdose" -> T39.1X1 ("|" parts a level's alternatives), its via
naming the Table's row and column (`corpus/icd10cm/build_drug_terms.py`).

`corpus/icd10cm/neoplasm_terms_2017.tsv.gz` holds the Neoplasm Table the same way, where the
Index sends a morphology by site: "prostate > malignant|adenocarcinoma|cancer|..." -> C61, the
last level naming the column by its head's words and the Index terms that send a coder there
(`corpus/icd10cm/build_neoplasm_terms.py`), its via the Table's row and column.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.config import PROJECT_ROOT

INDEX_TERMS_TABLE = PROJECT_ROOT / "corpus" / "icd10cm" / "index_terms_2017.tsv.gz"
DRUG_TERMS_TABLE = PROJECT_ROOT / "corpus" / "icd10cm" / "drug_terms_2017.tsv.gz"
SOURCE = "ICD-10-CM Alphabetic Index FY2017"
NEOPLASM_TERMS_TABLE = PROJECT_ROOT / "corpus" / "icd10cm" / "neoplasm_terms_2017.tsv.gz"
DRUG_SOURCE = "ICD-10-CM Table of Drugs and Chemicals FY2017"
NEOPLASM_SOURCE = "ICD-10-CM Neoplasm Table FY2017"
# How a row of the Table of Drugs names itself in its via, and so in an answer's citation.
DRUG_TABLE = "Table of Drugs and Chemicals: "
# How a row of the Neoplasm Table names itself: "Neoplasm Table: prostate, Malignant Primary C61".
NEOPLASM_TABLE = "Neoplasm Table: "
_LEVELS = " > "


@dataclass(frozen=True)
class IndexEntry:
    """One entry: ("Hardening", "artery") -> I70.90, via "see Arteriosclerosis"."""

    path: tuple[str, ...]
    modifiers: tuple[str, ...]   # per level, "(acute) (chronic)" or ""
    code: str                    # as the FY2017 index gives it
    via: str = ""                # "see X", "see also X", or "" for the entry's own code

    def citation(self) -> str:
        """How a coder writes the entry: "Index: Hardening, artery -> see Arteriosclerosis",
        or the Table of Drugs' or the Neoplasm Table's row and column."""
        if is_table_row(self.via):
            return self.via
        words = f"Index: {', '.join(self.path)}"
        return f"{words} -> {self.via}" if self.via else f"{words} {self.code}"


def read_index_entries(paths: tuple[Path, ...] = (INDEX_TERMS_TABLE, DRUG_TERMS_TABLE,
                                                  NEOPLASM_TERMS_TABLE)
                       ) -> Iterator[IndexEntry]:
    """The entries of the Alphabetic Index, then of the Table of Drugs and Chemicals, then of
    the Neoplasm Table."""
    for path in paths:
        yield from _read_table(path)


def is_drug_table_row(via: str) -> bool:
    """Whether an entry's via names a row of the Table of Drugs ("see Naproxen; Table ...")."""
    return DRUG_TABLE in via


def is_neoplasm_table_row(via: str) -> bool:
    """Whether an entry's via names a row of the Neoplasm Table."""
    return via.startswith(NEOPLASM_TABLE)


def is_table_row(via: str) -> bool:
    """Whether an entry is a row of one of the Index's tables (drugs, neoplasms), which its
    via names as a citation, rather than an entry of the Index itself."""
    return is_drug_table_row(via) or is_neoplasm_table_row(via)


def source_of(via: str) -> str:
    """The name of the table an entry comes from, by its via."""
    if is_neoplasm_table_row(via):
        return NEOPLASM_SOURCE
    return DRUG_SOURCE if is_drug_table_row(via) else SOURCE


def table_file(via: str) -> str:
    """The committed table an entry comes from, as answers cite it, by its via:
    "corpus/icd10cm/index_terms_2017.tsv.gz"."""
    table = NEOPLASM_TERMS_TABLE if is_neoplasm_table_row(via) else \
        DRUG_TERMS_TABLE if is_drug_table_row(via) else INDEX_TERMS_TABLE
    return table.relative_to(PROJECT_ROOT).as_posix()


def _read_table(path: Path) -> Iterator[IndexEntry]:
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
