"""Rebuild corpus/icd10cm/neoplasm_terms_2017.tsv.gz from the ICD-10-CM FY2017 Neoplasm Table.

usage: python corpus/icd10cm/build_neoplasm_terms.py   (or: make icd10cm-index-terms)

A coder codes a neoplasm by its site and behaviour: the Alphabetic Index sends a morphology
to the Table ("Adenocarcinoma - see also Neoplasm, malignant, by site"; "Tumor - see also
Neoplasm, unspecified behavior, by site"), and the Table's row for the site gives the code in
the behaviour's column. Reads `icd10cm_neoplasm_2017.xml` and `icd10cm_index_2017.xml` from
CMS's `ICD10CM_FY2017_Full_XML.zip` in ../shared/cms/icd10cm/ and writes the Alphabetic
Index table's rows (path, modifiers, code, via; see build_index_terms.py), one per site and
column:

- the path is the site's levels under "Neoplasm, neoplastic", then a level that names the
  column: its words, and the Index main terms that send a coder to that column "by site"
  ("prostate > malignant|adenocarcinoma|cancer|carcinoma|..." -> C61), "|" parting a
  level's alternatives, either named;
- a main term of the Index is read as the column its own "see" names, or, where it has none,
  as the column at least half of its subterms that lead anywhere name "by site"
  ("Metastasis, metastatic": "deposits", "spread" - see Neoplasm, secondary, by site);
- the column level's modifiers are words that may be named but need not be: the Table's main
  term and the unspecified behaviour's terms on every other column ("benign tumor of the
  prostate"), and the malignant terms on the secondary and in situ columns ("metastatic
  carcinoma", "carcinoma in situ"), whose heads say they are malignant.

Where two rows give a site the same code in every column ("cheek, external" and "skin NOS,
cheek"), a morphology the Table lists below one ("squamous cell carcinoma") is read below the
other too (`_same_site_rows`), citing the row it is listed under.

The via names the Table's row and column, which answers cite: "Neoplasm Table: prostate,
Malignant Primary C61". The Index's terms that send a coder to the Table with a site of their
own ("Fibrosarcoma - see Neoplasm, connective tissue, malignant") are not read. Codes are
written as the Table gives them ("C79.8-" included). Standard library only.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field

from build_index_terms import (HERE, MEMBER as INDEX_MEMBER, SOURCE_ZIP, clean, read_member,
                               table_head, title_of, write_table)

MEMBER = "icd10cm_neoplasm_2017.xml"
OUT = HERE / "neoplasm_terms_2017.tsv.gz"
# How a row names itself in its via, and so in an answer's citation.
TABLE = "Neoplasm Table: "
# The Index's reference to a column of the Table for any site: "Neoplasm, benign, by site".
BY_SITE = "by site"
# A column: the words of its head that the Index's references name it by, in their order.
COLUMN_WORDS = {
    "2": ("malignant",),
    "3": ("secondary",),
    "4": ("in situ",),
    "5": ("benign",),
    "6": ("uncertain behavior",),
    "7": ("unspecified behavior",),
}
UNSPECIFIED = "7"
# The columns whose heads say the neoplasm is malignant ("Malignant Secondary", "Ca in situ").
MALIGNANT = "2"
SAID_MALIGNANT = ("3", "4")
# A cell the Table leaves empty.
_EMPTY = {"", "-", "--"}


@dataclass
class Site:
    title: str
    modifiers: str
    cells: dict[str, str]
    children: list["Site"] = field(default_factory=list)


def main() -> int:
    read = read_member(SOURCE_ZIP, MEMBER)
    index = read_member(SOURCE_ZIP, INDEX_MEMBER)
    if read is None or index is None:
        return 1
    xml, dated = read
    root = ET.fromstring(xml)
    heads = {h.get("col", ""): clean(h.text or "") for h in root.iter("head")}
    table = [_site(t) for letter in root.findall("letter") for t in letter.findall("mainTerm")]
    terms = column_terms(ET.fromstring(index[0]))
    rows = [row for main in table for site in main.children
            for row in _rows([], site, heads, terms)]
    rows += _same_site_rows([site for main in table for site in main.children], heads, terms)
    head = table_head("ICD-10-CM FY2017 Neoplasm Table", SOURCE_ZIP, MEMBER, xml, dated,
                      "build_neoplasm_terms.py", len(rows))
    write_table(OUT, head, rows)
    return 0


def _site(element: ET.Element) -> Site:
    text, modifiers = title_of(element)
    cells = {c.get("col", ""): clean(c.text or "") for c in element.findall("cell")}
    found = Site(text, modifiers, {col: code for col, code in cells.items() if code not in _EMPTY})
    found.children = [_site(child) for child in element.findall("term")]
    return found


def column_of(reference: str) -> str:
    """The column a "by site" reference names ("Neoplasm, malignant, by site" -> "2"), or ""
    for one that names a site of its own or none."""
    parts = [" ".join(p.split()).lower() for p in reference.split(",")]
    if parts[0].removeprefix("also ").strip() != "neoplasm" or BY_SITE not in parts:
        return ""
    named = [p for p in parts[1:] if p != BY_SITE]
    found = [col for col, words in COLUMN_WORDS.items() if named == list(words)]
    return found[0] if found else ""


def column_terms(index: ET.Element) -> dict[str, list[tuple[str, str]]]:
    """Column -> the Index main terms (title, modifiers) that send a coder to it by site: a
    main term by its own "see" or "see also"; one with neither, by the column most of its
    subterms' references name (a tie names none)."""
    found: dict[str, list[tuple[str, str]]] = {col: [] for col in COLUMN_WORDS}
    for letter in index.findall("letter"):
        for main in letter.findall("mainTerm"):
            own = column_of(clean(main.findtext("see") or main.findtext("seeAlso") or ""))
            if not own and main.find("see") is None and main.find("seeAlso") is None:
                own = _most_referenced(main)
            if own:
                found[own].append(title_of(main))
    return found


def _most_referenced(main: ET.Element) -> str:
    """The column that at least half of the main term's subterms that lead anywhere (a code
    or a reference) name "by site", the most of them; "" where none does ("Ulcer", whose
    "malignant" is one subterm of hundreds)."""
    leads = [t for t in main.iter("term")
             if any(t.find(tag) is not None for tag in ("code", "see", "seeAlso"))]
    counts = Counter(column_of(clean(t.findtext("see") or t.findtext("seeAlso") or ""))
                     for t in leads)
    counts.pop("", None)
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return ""
    return ranked[0][0] if 2 * ranked[0][1] >= len(leads) else ""


def _forms(title: str) -> list[str]:
    """A main term's forms, as the Index writes them ("Metastasis, metastatic"), lower case."""
    return [clean(p).lower() for p in title.split(",") if clean(p)]


def column_level(col: str, terms: dict[str, list[tuple[str, str]]]) -> tuple[str, str]:
    """The level that names a column, and its modifiers (see the module's docstring)."""
    named = list(COLUMN_WORDS[col]) + [f for title, _ in terms[col] for f in _forms(title)]
    optional = [] if col == UNSPECIFIED else \
        [f for title, _ in terms[UNSPECIFIED] for f in _forms(title)] + ["neoplasm"]
    if col in SAID_MALIGNANT:
        optional += list(COLUMN_WORDS[MALIGNANT]) + \
            [f for title, _ in terms[MALIGNANT] for f in _forms(title)]
    if col == UNSPECIFIED:
        named.append("neoplasm")
    alternatives = "|".join(dict.fromkeys(named))
    modifiers = " ".join(f"({w})" for w in dict.fromkeys(optional) if w not in named)
    return alternatives, modifiers


def _rows(above: list[Site], site: Site, heads: dict[str, str],
          terms: dict[str, list[tuple[str, str]]],
          cited: list[Site] | None = None) -> list[tuple[str, str, str, str]]:
    """The rows of a site and of the sites below it; `cited`, the path the via names where it
    is not the row's own (`_same_site_rows`)."""
    path = above + [site]
    names = ", ".join(s.title for s in (cited + [site] if cited is not None else path))
    rows = []
    for col, code in sorted(site.cells.items()):
        if col not in COLUMN_WORDS:
            continue
        level, modifiers = column_level(col, terms)
        rows.append((" > ".join([s.title for s in path] + [level]),
                     " > ".join([s.modifiers for s in path] + [modifiers]),
                     code, f"{TABLE}{names}, {heads.get(col, col)} {code}"))
    for child in site.children:
        rows += _rows(path, child, heads, terms,
                      cited + [site] if cited is not None else None)
    return rows


def _morphology(site: Site) -> bool:
    """Whether a row below a site names a morphology of it, not a part: it has no rows below
    it and a Malignant Primary code alone ("squamous cell carcinoma" under "cheek, external")."""
    return not site.children and set(site.cells) == {MALIGNANT}


def _same_site_rows(sites: list[Site], heads: dict[str, str],
                    terms: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str, str, str]]:
    """The Table lists a site twice where two rows give it the same code in every column
    ("cheek, external" and "skin NOS, cheek": C44.309, C79.2, D04.39, ...), and a morphology
    (`_morphology`) below only one of them ("squamous cell carcinoma" under "cheek, external"): that row is
    also read below the other ("skin NOS, cheek, squamous cell carcinoma" -> C44.329), citing
    the row the Table gives it under."""
    by_cells: dict[tuple[tuple[str, str], ...], list[list[Site]]] = {}
    stack: list[list[Site]] = [[site] for site in sites]
    while stack:
        path = stack.pop()
        if len(path[-1].cells) == len(COLUMN_WORDS):
            by_cells.setdefault(tuple(sorted(path[-1].cells.items())), []).append(path)
        stack.extend(path + [child] for child in path[-1].children)
    rows = []
    for paths in by_cells.values():
        for path in paths:
            titles = {c.title for c in path[-1].children}
            named = {s.title for s in path}
            # cite, of the rows that list it, one that names this row's site if one does
            for other in sorted(paths, key=lambda o: named.isdisjoint(s.title for s in o)):
                for child in other[-1].children:
                    if other is not path and _morphology(child) and child.title not in titles:
                        rows += _rows(path, child, heads, terms, cited=other)
                        titles.add(child.title)
    return rows


if __name__ == "__main__":
    sys.exit(main())
