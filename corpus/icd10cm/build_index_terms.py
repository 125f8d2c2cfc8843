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
import re
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
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
# Words a cross-reference may leave out of the name of the term it means.
_UNNAMED = frozenset({"nec", "nos"})


@dataclass
class Entry:
    title: str
    modifiers: str
    code: str = ""
    see: str = ""
    see_also: str = ""
    children: list["Entry"] = field(default_factory=list)


def main() -> int:
    read = read_member(SOURCE_ZIP, MEMBER)
    if read is None:
        return 1
    xml, dated = read
    rows = list(_rows(_parse(xml)))
    head = table_head("ICD-10-CM FY2017 Alphabetic Index (Index to Diseases and Injuries)",
                      SOURCE_ZIP, MEMBER, xml, dated, "build_index_terms.py", len(rows))
    write_table(OUT, head, rows)
    return 0


def read_member(source_zip: Path, member: str) -> tuple[bytes, str] | None:
    """(the member's bytes, its date in the zip), or None with the error told."""
    if not source_zip.exists():
        print(f"error: {source_zip} not found: this script needs ../shared beside the "
              "repository (the committed table is what the product reads)", file=sys.stderr)
        return None
    with zipfile.ZipFile(source_zip) as archive:
        info = archive.getinfo(member)
        xml = archive.read(member)
    year, month, day = info.date_time[:3]
    return xml, f"{year:04d}-{month:02d}-{day:02d}"


def table_head(title: str, source_zip: Path, member: str, xml: bytes, dated: str, script: str,
               count: int) -> list[str]:
    """A table's head: what it is, where from (with checksums), how built, then the header."""
    return [
        f"# {title}, public domain",
        f"# source: {source_zip.name} / {member} ({dated})",
        f"# sha256 {source_zip.name}: {hashlib.sha256(source_zip.read_bytes()).hexdigest()}",
        f"# sha256 {member}: {hashlib.sha256(xml).hexdigest()}",
        f"# built by corpus/icd10cm/{script}; {count} entries",
        "\t".join(HEADER),
    ]


def write_table(out: Path, head: list[str], rows: list[tuple[str, ...]]) -> None:
    """The head lines, then one tab-separated line per row, gzipped with no name and mtime 0
    in its header: the same input gives the same bytes."""
    lines = head + ["\t".join(row) for row in rows]
    with open(out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"wrote {out}: {len(rows)} entries")


def _parse(xml: bytes) -> list[Entry]:
    root = ET.fromstring(xml)
    return [_entry(term) for letter in root.findall("letter") for term in letter.findall("mainTerm")]


def _entry(element: ET.Element) -> Entry:
    text, modifiers = title_of(element)
    code = clean(element.findtext("code") or element.findtext("seecat")
                 or element.findtext("subcat") or "")
    entry = Entry(text, modifiers, code, clean(element.findtext("see") or ""),
                  clean(element.findtext("seeAlso") or ""))
    entry.children = [_entry(child) for child in element.findall("term")]
    return entry


def title_of(element: ET.Element) -> tuple[str, str]:
    """A term's title and its nonessential modifiers: "<title>Abscess<nemod>(connective
    tissue)</nemod></title>"."""
    title = element.find("title")
    nemod = title.find("nemod") if title is not None else None
    # Words after the nonessential modifiers belong to the title: "<nemod>(x)</nemod> y".
    text = clean(" ".join([(title.text or "") if title is not None else "",
                           (nemod.tail or "") if nemod is not None else ""]))
    return text, clean((nemod.text or "") if nemod is not None else "")


def clean(text: str) -> str:
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
        code, via, target = _code_of(entry, by_name, path[0])
        if code:
            rows.append(_row(path, code, via))
        if not code and target is not None and not _sibling_see_also(entry, via, target, path):
            rows += _inherited(path, via, target, by_name)
        stack.extend((path, child) for child in reversed(entry.children))
    return rows


def _sibling_see_also(entry: Entry, via: str, target: "_Target", path: list[Entry]) -> bool:
    """A "see also" to another subterm of the same main term, beside subterms of the entry's
    own, names a different thing to look at as well: "History, family (of) - see also
    History, personal (of)". Its subterms are not the entry's: "History, family, thrombosis"
    is not the personal history code Z86.718. (A "see also" to another main term names the
    same thing in other words: "Complaint, pelvis - see also Disease, pelvis".)"""
    return via.startswith("see also ") and bool(entry.children) \
        and target.main_term is path[0]


def _row(path: list[Entry], code: str, via: str) -> tuple[str, str, str, str]:
    return (" > ".join(e.title for e in path), " > ".join(e.modifiers for e in path), code, via)


def _inherited(path: list[Entry], via: str, target: "_Target",
               by_name: dict[str, list[Entry]]) -> list[tuple[str, str, str, str]]:
    """A cross-reference to a term without a code of its own sends the coder on to its
    subterms: "Slipped, disc -> see Displacement, intervertebral disc", then "lumbar region"
    there. Each subterm of the named term that leads to a code becomes a row under the
    referring entry, cited through the cross-reference and the subterms followed."""
    rows = []
    stack: list[tuple[list[Entry], Entry]] = [([], c) for c in reversed(target.node.children)]
    while stack:
        above, child = stack.pop()
        below = above + [child]
        code, child_via, _ = _code_of(child, by_name, target.main_term)
        if code:
            followed = ", ".join([via] + [_cited(e) for e in below])
            rows.append(_row(path + below, code, f"{followed}, {child_via}" if child_via
                             else followed))
        stack.extend((below, c) for c in reversed(child.children))
    return rows


def _cited(entry: Entry) -> str:
    return f"{entry.title} {entry.modifiers}" if entry.modifiers else entry.title


def _names(title: str) -> list[str]:
    """The names a cross-reference may use for a term: "Calculus, calculi, calculous" is
    found as "Calculus" too, and "drug NEC" as "drug" (see `_name`)."""
    return list(dict.fromkeys([_name(title), _name(title.split(",")[0])]))


def _name(text: str) -> str:
    """A term's name as cross-references are compared: lower case, without nonessential
    modifiers in parentheses and without "NEC"/"NOS" ("Dislocation, carpometacarpal (joint)"
    names the subterm "carpometacarpal")."""
    words = re.sub(r"\([^)]*\)", " ", text.lower()).split()
    return " ".join(w for w in words if w not in _UNNAMED)


@dataclass(frozen=True)
class _Target:
    """The term a cross-reference names, and the main term it was found under."""

    node: Entry
    main_term: Entry


def _code_of(entry: Entry, by_name: dict[str, list[Entry]], home: Entry | None = None,
             read_on: bool = True) -> tuple[str, str, "_Target | None"]:
    """The entry's own code, or the code its "see" (or, lacking a code, its "see also")
    leads to, how, and the term it names: ("I70.90", "see Arteriosclerosis", ...). `home` is
    the entry's main term, preferred where several main terms share the name a
    cross-reference uses; `read_on`: see `_named_there` (once: a subterm found there is not
    read on from again)."""
    if entry.code:
        return entry.code, "", None
    for word, reference in (("see", entry.see), ("see also", entry.see_also)):
        if reference:
            code, target = _follow(reference, by_name, MAX_HOPS, home)
            named = (_named_there(entry, target, by_name)
                     if read_on and code and word == "see" else None)
            if named is not None:
                return named[0], f"{word} {reference}, {named[1]}", named[2]
            if code or target is not None:
                return code, f"{word} {reference}", target
    return "", "", None


def _named_there(entry: Entry, target: "_Target | None", by_name: dict[str, list[Entry]]
                 ) -> tuple[str, str, "_Target"] | None:
    """Where the term a "see" names has a subterm of the referring entry's own name, the
    coder reads on to it: "Pain, foot - see Pain, limb, lower" gives "Pain, limb,
    lower, foot" M79.67-, not "Pain, limb, lower" M79.60-. (code, the subterm as cited, the
    subterm as the target) when it leads to a code; None otherwise. Only where the named
    term has a code of its own: one without sends the coder on to all its subterms
    (`_inherited`)."""
    name = _name(entry.title)
    if target is None or not name:
        return None
    # the whole name: "Calculus, kidney, with calculus, ureter" is no "with calculus"
    node = next((c for c in target.node.children if _name(c.title) == name), None)
    if node is None or node is entry:
        return None
    code, via, _ = _code_of(node, by_name, target.main_term, read_on=False)
    if not code:
        return None
    cited = f"{_cited(node)}, {via}" if via else _cited(node)
    return code, cited, _Target(node, target.main_term)


def _follow(reference: str, by_name: dict[str, list[Entry]], hops: int,
            home: Entry | None = None) -> tuple[str, "_Target | None"]:
    """The code a cross-reference "Main, sub, subsub" leads to, and the term it names: the
    main term, then each subterm named. The code is "" unless every part is found and the
    last has a code (or a "see" that leads to one); the term is None unless every part is
    found and the term has a code or subterms. A main term may be named by a part's first
    words ("Otitis media" is "Otitis", then "media"), and several main terms may share a name
    ("Fracture, burst", "Fracture, traumatic"): each is tried, the referring entry's own main
    term first."""
    if hops == 0:
        return "", None
    parts = [name for name in (_name(p) for p in reference.split(",")) if name]
    for main_term, rest in _main_terms(parts, by_name, home):
        node = _subterm(main_term, rest)
        if node is None:
            continue
        code = node.code or (_follow(node.see, by_name, hops - 1, home)[0] if node.see else "")
        if code or node.children:
            return code, _Target(node, main_term)
    return "", None


def _main_terms(parts: list[str], by_name: dict[str, list[Entry]],
                home: Entry | None) -> Iterator[tuple[Entry, list[str]]]:
    """The main terms a cross-reference's parts may start with, and the parts left after
    each: "Calculus, calculi" may itself be a main term's name, and so may the first words
    of the first part."""
    for length in range(len(parts), 0, -1):
        for main_term in _home_first(by_name.get(", ".join(parts[:length]), []), home):
            yield main_term, parts[length:]
    words = parts[0].split() if parts else []
    for length in range(len(words) - 1, 0, -1):
        for main_term in _home_first(by_name.get(" ".join(words[:length]), []), home):
            yield main_term, [" ".join(words[length:])] + parts[1:]


def _home_first(main_terms: list[Entry], home: Entry | None) -> list[Entry]:
    return sorted(main_terms, key=lambda m: m is not home)


def _subterm(node: Entry, parts: list[str]) -> Entry | None:
    """The subterm below `node` that the parts name, level by level; a part may name a
    subterm and, with its words after that name, the next level ("lower end supracondylar")."""
    if not parts:
        return node
    part, rest = parts[0], parts[1:]
    for child in node.children:
        for name in _names(child.title):
            found = None
            if part == name:
                found = _subterm(child, rest)
            elif part.startswith(name + " "):
                found = _subterm(child, [part[len(name) + 1:]] + rest)
            if found is not None:
                return found
    return None


if __name__ == "__main__":
    sys.exit(main())
