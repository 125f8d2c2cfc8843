"""Rebuild corpus/icd10cm/drug_terms_2017.tsv.gz from the ICD-10-CM FY2017 Table of Drugs and
Chemicals.

usage: python corpus/icd10cm/build_drug_terms.py   (or: make icd10cm-index-terms)

The Alphabetic Index sends a coder to the Table for a drug's poisoning, adverse effect or
underdosing ("Overdose, overdosage (drug) - see Table of Drugs and Chemicals, by drug,
poisoning"). Reads `icd10cm_drug_2017.xml` from CMS's `ICD10CM_FY2017_Full_XML.zip` in
../shared/cms/icd10cm/ and writes the Alphabetic Index table's rows (path, modifiers, code,
via; see build_index_terms.py), one per substance, column and the words that name the
column:

- "Acetaminophen > poisoning|overdose" gives the accidental column (T39.1X1), whose
  "(accidental) (unintentional)" may be named but need not be: a poisoning whose intent is
  not stated is coded accidental ("|" parts a level's alternatives, either named);
- "... > poisoning|overdose > intentional|self-harm", "> assault", "> undetermined" give the
  other poisoning columns; "> adverse effect" and "> underdosing" theirs.

A substance's "see" ("Aleve - see Naproxen") gives the named main term's codes. The via names
the Table's row and column, which answers cite.

The Index sends a venomous animal's bite or sting to its row's poisoning column ("Venom,
venomous - see Table of Drugs and Chemicals, by animal or substance, poisoning"; "Sting" the
same; "Bite, venomous - see Venom"). A row the Table itself marks as a bite, sting or venom
("Black, widow spider (bite)", "Bee (sting) (venom)"), with no adverse effect or underdosing
column (an animal, not a drug), so also gives its poisoning columns under the words of those
Index terms: "Black > widow spider > bite|sting|venom|venomous" -> T63.311, its via citing
the Index terms before the Table's row and column (`_venom_rows`). Codes are written as the Table gives them
(six characters: the encounter is chosen under them). Standard library only.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from build_index_terms import (HERE, MEMBER as INDEX_MEMBER, SOURCE_ZIP, clean, read_member,
                               table_head, title_of, write_table)

MEMBER = "icd10cm_drug_2017.xml"
OUT = HERE / "drug_terms_2017.tsv.gz"
POISONING = "poisoning|overdose"
# A column: the levels below the substance that name it, and the modifiers of its last level
# (words that may be named but need not be).
COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "2": ((POISONING,), "(accidental) (unintentional)"),
    "3": ((POISONING, "intentional|self-harm"), ""),
    "4": ((POISONING, "assault"), ""),
    "5": ((POISONING, "undetermined"), ""),
    "6": (("adverse effect",), ""),
    "7": (("underdosing",), ""),
}
# The columns of a drug, which an animal's row has none of.
DRUG_COLUMNS = ("6", "7")
# Where the Index sends a venomous animal's bite or sting.
BY_ANIMAL = "Table of Drugs and Chemicals, by animal or substance, poisoning"
# The subterm of a main term that sends a venomous one on ("Bite, venomous - see Venom").
VENOMOUS = "venomous"


@dataclass
class Substance:
    title: str
    modifiers: str
    cells: dict[str, str]
    see: str = ""
    children: list["Substance"] = field(default_factory=list)


def main() -> int:
    read = read_member(SOURCE_ZIP, MEMBER)
    if read is None:
        return 1
    xml, dated = read
    root = ET.fromstring(xml)
    heads = {h.get("col", ""): clean(h.text or "") for h in root.iter("head")}
    mains = [_substance(t) for letter in root.findall("letter") for t in letter.findall("mainTerm")]
    rows = _rows(mains, heads)
    index = read_member(SOURCE_ZIP, INDEX_MEMBER)
    if index is None:
        return 1
    rows += _venom_rows(mains, heads, _venom_terms(ET.fromstring(index[0])))
    head = table_head("ICD-10-CM FY2017 Table of Drugs and Chemicals", SOURCE_ZIP, MEMBER, xml,
                      dated, "build_drug_terms.py", len(rows))
    write_table(OUT, head, rows)
    return 0


def _substance(element: ET.Element) -> Substance:
    text, modifiers = title_of(element)
    cells = {c.get("col", ""): clean(c.text or "") for c in element.findall("cell")}
    found = Substance(text, modifiers,
                      {col: code for col, code in cells.items() if code and code != "--"},
                      clean(element.findtext("see") or ""))
    found.children = [_substance(child) for child in element.findall("term")]
    return found


def _rows(mains: list[Substance], heads: dict[str, str]) -> list[tuple[str, str, str, str]]:
    by_name = {m.title.lower(): m for m in mains}
    rows = []
    stack: list[tuple[list[Substance], Substance]] = [([], m) for m in reversed(mains)]
    while stack:
        above, substance = stack.pop()
        path = above + [substance]
        cells, see, names = substance.cells, "", ", ".join(s.title for s in path)
        target = by_name.get(substance.see.lower()) if substance.see else None
        if not cells and target is not None:
            cells, see, names = target.cells, f"see {target.title}; ", target.title
        for col, code in sorted(cells.items()):
            if col not in COLUMNS:
                continue
            via = f"{see}Table of Drugs and Chemicals: {names}, {heads.get(col, col)} {code}"
            levels, modifiers = COLUMNS[col]
            rows.append((" > ".join([s.title for s in path] + list(levels)),
                         " > ".join([s.modifiers for s in path] + [""] * (len(levels) - 1)
                                    + [modifiers]),
                         code, via))
        stack.extend((path, child) for child in reversed(substance.children))
    return rows


def _venom_terms(index: ET.Element) -> list[str]:
    """The Index main terms that send a coder to a venomous animal's poisoning column:
    those that see BY_ANIMAL ("Venom, venomous", "Sting"), then those whose subterm
    "venomous" sees one of them ("Bite"), as their titles read."""
    mains = [t for letter in index.findall("letter") for t in letter.findall("mainTerm")]
    direct = [title_of(t)[0] for t in mains if clean(t.findtext("see") or "") == BY_ANIMAL]
    firsts = {d.split(",")[0].strip().lower() for d in direct}
    found = list(direct)
    for term in mains:
        for sub in term.findall("term"):
            see = clean(sub.findtext("see") or "").lower()
            if title_of(sub)[0].lower() == VENOMOUS and see in firsts:
                found.append(f"{title_of(term)[0]}, {VENOMOUS}")
    return sorted(found)


def _venom_rows(mains: list[Substance], heads: dict[str, str],
                terms: list[str]) -> list[tuple[str, str, str, str]]:
    """An animal's poisoning columns under the words of the Index terms that send its bite or
    sting there (`_venom_terms`), for each row the Table marks as a bite, sting or venom and
    that has no drug's column."""
    words = list(dict.fromkeys(w.strip().lower() for t in terms for w in t.split(",")))
    level = "|".join(words)
    cited = f"Index: {'; '.join(terms)} - see {BY_ANIMAL}; "
    rows = []
    stack: list[tuple[list[Substance], Substance]] = [([], m) for m in reversed(mains)]
    while stack:
        above, substance = stack.pop()
        path = above + [substance]
        stack.extend((path, child) for child in reversed(substance.children))
        said = {w.strip("(),").lower() for s in path for w in f"{s.title} {s.modifiers}".split()}
        if not substance.cells or said.isdisjoint(words) or \
                any(col in substance.cells for col in DRUG_COLUMNS):
            continue
        names = ", ".join(s.title for s in path)
        for col, code in sorted(substance.cells.items()):
            if col not in COLUMNS:
                continue
            levels, modifiers = COLUMNS[col]
            levels = (level,) + levels[1:]
            via = f"{cited}Table of Drugs and Chemicals: {names}, {heads.get(col, col)} {code}"
            rows.append((" > ".join([s.title for s in path] + list(levels)),
                         " > ".join([s.modifiers for s in path] + [""] * (len(levels) - 1)
                                    + [modifiers]),
                         code, via))
    return rows


if __name__ == "__main__":
    sys.exit(main())
