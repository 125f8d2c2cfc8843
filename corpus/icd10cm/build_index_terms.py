"""Rebuild corpus/icd10cm/index_terms_2017.tsv.gz from the ICD-10-CM FY2017 Alphabetic Index.

usage: python corpus/icd10cm/build_index_terms.py   (or: make icd10cm-index-terms)

Reads `icd10cm_index_2017.xml` (the Index to Diseases and Injuries) from CMS's
`ICD10CM_FY2017_Full_XML.zip` in ../shared/cms/icd10cm/ and writes one row per index entry
that leads to a code: the entry's path (main term > subterm > ...), the nonessential
modifiers of each level, the code it gives, and how it gives it (its own code, "see", "see
also", "see category", "see subcategory"), with the cross-reference followed inside the
FY2017 index itself. Codes are written as that index gives them ("S62.10-" included):
following them to today's codes is ingest's job, from the records it indexes.

The product never reads the XML; it reads only the table this writes. Standard library only.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE_ZIP = ROOT.parent / "shared" / "cms" / "icd10cm" / "ICD10CM_FY2017_Full_XML.zip"
MEMBER = "icd10cm_index_2017.xml"
OUT = HERE / "index_terms_2017.tsv.gz"
# A cross-reference that leads to another cross-reference is followed this many times.
MAX_HOPS = 4
HEADER = ("path", "modifiers", "code", "via")


@dataclass
class Entry:
    title: str
    modifiers: str
    code: str = ""
    see: str = ""
    see_also: str = ""
    children: list["Entry"] = field(default_factory=list)


def main() -> int:
    if not SOURCE_ZIP.exists():
        print(f"error: {SOURCE_ZIP} not found: this script needs ../shared beside the "
              "repository (the committed table is what the product reads)", file=sys.stderr)
        return 1
    with zipfile.ZipFile(SOURCE_ZIP) as archive:
        info = archive.getinfo(MEMBER)
        xml = archive.read(MEMBER)
    mains = _parse(xml)
    rows = list(_rows(mains))
    year, month, day = info.date_time[:3]
    dated = f"{year:04d}-{month:02d}-{day:02d}"
    lines = [
        "# ICD-10-CM FY2017 Alphabetic Index (Index to Diseases and Injuries), public domain",
        f"# source: {SOURCE_ZIP.name} / {MEMBER} ({dated})",
        f"# sha256 {SOURCE_ZIP.name}: {hashlib.sha256(SOURCE_ZIP.read_bytes()).hexdigest()}",
        f"# sha256 {MEMBER}: {hashlib.sha256(xml).hexdigest()}",
        f"# built by corpus/icd10cm/build_index_terms.py; {len(rows)} entries",
        "\t".join(HEADER),
    ]
    lines += ["\t".join(row) for row in rows]
    # No name and mtime=0 in the gzip header: the same input gives the same bytes.
    with open(OUT, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} entries")
    return 0


def _parse(xml: bytes) -> list[Entry]:
    root = ET.fromstring(xml)
    return [_entry(term) for letter in root.findall("letter") for term in letter.findall("mainTerm")]


def _entry(element: ET.Element) -> Entry:
    title = element.find("title")
    nemod = title.find("nemod") if title is not None else None
    # Words after the nonessential modifiers belong to the title: "<nemod>(x)</nemod> y".
    text = _clean(" ".join([(title.text or "") if title is not None else "",
                            (nemod.tail or "") if nemod is not None else ""]))
    code = _clean(element.findtext("code") or element.findtext("seecat")
                  or element.findtext("subcat") or "")
    entry = Entry(text, _clean((nemod.text or "") if nemod is not None else ""), code,
                  _clean(element.findtext("see") or ""), _clean(element.findtext("seeAlso") or ""))
    entry.children = [_entry(child) for child in element.findall("term")]
    return entry


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _rows(mains: list[Entry]) -> list[tuple[str, str, str, str]]:
    by_name: dict[str, list[Entry]] = {}
    for main_term in mains:
        for name in _names(main_term.title):
            by_name.setdefault(name, []).append(main_term)
    rows = []
    stack: list[tuple[list[Entry], Entry]] = [([], m) for m in reversed(mains)]
    while stack:
        above, entry = stack.pop()
        path = above + [entry]
        code, via = _code_of(entry, by_name)
        if code:
            rows.append((" > ".join(e.title for e in path), " > ".join(e.modifiers for e in path),
                         code, via))
        stack.extend((path, child) for child in reversed(entry.children))
    return rows


def _names(title: str) -> list[str]:
    """The names a cross-reference may use for a main term: "Calculus, calculi, calculous"
    is found as "Calculus" too."""
    return list(dict.fromkeys([title.lower(), title.split(",")[0].strip().lower()]))


def _code_of(entry: Entry, by_name: dict[str, list[Entry]]) -> tuple[str, str]:
    """The entry's own code, or the code its "see" (or, lacking a code, its "see also")
    leads to, and how: ("I70.90", "see Arteriosclerosis")."""
    if entry.code:
        return entry.code, ""
    for word, target in (("see", entry.see), ("see also", entry.see_also)):
        if target:
            code = _follow(target, by_name, MAX_HOPS)
            if code:
                return code, f"{word} {target}"
    return "", ""


def _follow(target: str, by_name: dict[str, list[Entry]], hops: int) -> str:
    """The code a cross-reference "Main, sub, subsub" leads to: the main term, then each
    subterm named; "" unless every part is found and the last has a code (or a "see" that
    leads to one)."""
    if hops == 0:
        return ""
    parts = [p.strip() for p in target.split(",") if p.strip()]
    for length in range(len(parts), 0, -1):  # "Calculus, calculi" may itself be the name
        name = ", ".join(parts[:length]).lower()
        if name not in by_name:
            continue
        node: Entry | None = by_name[name][0]
        for part in parts[length:]:
            assert node is not None
            node = next((c for c in node.children if part.lower() in _names(c.title)), None)
            if node is None:
                return ""
        assert node is not None
        if node.code:
            return node.code
        return _follow(node.see, by_name, hops - 1) if node.see else ""
    return ""


if __name__ == "__main__":
    sys.exit(main())
