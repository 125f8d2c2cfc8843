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
the Table's row and column, which answers cite. Codes are written as the Table gives them
(six characters: the encounter is chosen under them). Standard library only.
"""

from __future__ import annotations

import hashlib
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

from build_index_terms import HEADER, HERE, SOURCE_ZIP, write_table

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


@dataclass
class Substance:
    title: str
    modifiers: str
    cells: dict[str, str]
    see: str = ""
    children: list["Substance"] = field(default_factory=list)


def main() -> int:
    if not SOURCE_ZIP.exists():
        print(f"error: {SOURCE_ZIP} not found: this script needs ../shared beside the "
              "repository (the committed table is what the product reads)", file=sys.stderr)
        return 1
    with zipfile.ZipFile(SOURCE_ZIP) as archive:
        info = archive.getinfo(MEMBER)
        xml = archive.read(MEMBER)
    root = ET.fromstring(xml)
    heads = {h.get("col", ""): _clean(h.text or "") for h in root.iter("head")}
    mains = [_substance(t) for letter in root.findall("letter") for t in letter.findall("mainTerm")]
    rows = _rows(mains, heads)
    year, month, day = info.date_time[:3]
    head = [
        "# ICD-10-CM FY2017 Table of Drugs and Chemicals, public domain",
        f"# source: {SOURCE_ZIP.name} / {MEMBER} ({year:04d}-{month:02d}-{day:02d})",
        f"# sha256 {SOURCE_ZIP.name}: {hashlib.sha256(SOURCE_ZIP.read_bytes()).hexdigest()}",
        f"# sha256 {MEMBER}: {hashlib.sha256(xml).hexdigest()}",
        f"# built by corpus/icd10cm/build_drug_terms.py; {len(rows)} entries",
        "\t".join(HEADER),
    ]
    write_table(OUT, head, rows)
    return 0


def _substance(element: ET.Element) -> Substance:
    title = element.find("title")
    nemod = title.find("nemod") if title is not None else None
    text = _clean(" ".join([(title.text or "") if title is not None else "",
                            (nemod.tail or "") if nemod is not None else ""]))
    cells = {c.get("col", ""): _clean(c.text or "") for c in element.findall("cell")}
    found = Substance(text, _clean((nemod.text or "") if nemod is not None else ""),
                      {col: code for col, code in cells.items() if code and code != "--"},
                      _clean(element.findtext("see") or ""))
    found.children = [_substance(child) for child in element.findall("term")]
    return found


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


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


if __name__ == "__main__":
    sys.exit(main())
