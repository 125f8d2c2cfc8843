"""What the ICD-10-CM tabular itself says its instructional notes mean (Excludes1, Excludes2,
Code first / Use additional code, Code also): the instructions of its introduction, verbatim,
from the April 2026 tabular XML that simple-icd-10-cm installs. An answer about two codes
reported together quotes them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assistant.corpus.package_files import package_file
from assistant.records import NoteKind

TABULAR_FILE = "icd10c-tabular-April-1-2026.xml"
SOURCE = "simple-icd-10-cm: ICD-10-CM tabular, April 2026, introduction (public domain)"
# The introduction's section titles, and the note kinds each explains.
_TITLES = {
    "Excludes1": [NoteKind.EXCLUDES1],
    "Excludes2": [NoteKind.EXCLUDES2],
    "Code First/Use Additional Code notes (etiology/manifestation paired codes)":
        [NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL_CODE],
    "Code Also": [NoteKind.CODE_ALSO],
}


def note_conventions() -> dict[str, str]:
    """{note kind: the introduction's text, ..., "source": SOURCE}; empty when the tabular is
    not installed. Reads only the introduction (it ends where the first chapter starts)."""
    path = package_file("simple_icd_10_cm", "data", TABULAR_FILE)
    if path is None:
        return {}
    found: dict[str, str] = {}
    for event, element in ET.iterparse(path, events=("start", "end")):
        if event == "start" and element.tag == "chapter":
            break
        if event == "end" and element.tag == "introSection":
            kinds = _TITLES.get((element.findtext("title") or "").strip(), [])
            instruction = element.find("instruction")
            for kind in kinds if instruction is not None else []:
                found[kind.value] = " ".join("".join(instruction.itertext()).split())
    return {**found, "source": SOURCE} if found else {}
