"""What the ICD-10-CM tabular itself says its Excludes1 and Excludes2 notes mean: the
instructions of its introduction, verbatim, from the April 2026 tabular XML that
simple-icd-10-cm installs. An answer about two codes reported together quotes them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assistant.corpus.package_files import package_file
from assistant.records import NoteKind

TABULAR_FILE = "icd10c-tabular-April-1-2026.xml"
SOURCE = "simple-icd-10-cm: ICD-10-CM tabular, April 2026, introduction (public domain)"
_TITLES = {"Excludes1": NoteKind.EXCLUDES1, "Excludes2": NoteKind.EXCLUDES2}


def excludes_conventions() -> dict[str, str]:
    """{"excludes1": text, "excludes2": text, "source": SOURCE}; empty when the tabular is not
    installed. Reads only the introduction (it ends where the first chapter starts)."""
    path = package_file("simple_icd_10_cm", "data", TABULAR_FILE)
    if path is None:
        return {}
    found: dict[str, str] = {}
    for event, element in ET.iterparse(path, events=("start", "end")):
        if event == "start" and element.tag == "chapter":
            break
        if event == "end" and element.tag == "introSection":
            kind = _TITLES.get((element.findtext("title") or "").strip())
            instruction = element.find("instruction")
            if kind is not None and instruction is not None:
                found[kind.value] = " ".join("".join(instruction.itertext()).split())
    return {**found, "source": SOURCE} if found else {}
