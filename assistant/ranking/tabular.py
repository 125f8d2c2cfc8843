"""Walks over the tabular through a `CodeSource`: a code's parent, block and chapter, the
titles beside and below it, the inclusion terms above it, and what the chapters' notes
define (whose record a chapter's codes are for, the trimesters)."""

from __future__ import annotations


import re
from collections.abc import Iterator

from assistant.ranking.gestation import (Trimester, trimester_of, trimesters,
                                        weeks_asked)
from assistant.ranking.source import CodeSource
from assistant.records import CodeRecord, NoteKind
from assistant.text import lookup_words

# Record kinds that can answer; chapters and blocks only group them.
RANKED_KINDS = ("code", "category")
# The index is ICD-10-CM's: it answers only where that code set is asked about or none is.
INDEX_SYSTEM = "ICD-10-CM"
# A tabular code's block ("L20-L30") is at most this many parents up.
BLOCK_KIND, BLOCK_DEPTH = "block", 6
# The tabular's chapters are numbered from 1 ("15": pregnancy, childbirth and the puerperium).
CHAPTER_KIND, MAX_CHAPTERS = "chapter", 22
# A record's section that holds its instructional notes (a chapter's trimesters).
NOTES_SECTION = "notes"
# "on newborn records only": the word before "record(s)" in a chapter's notes says whose.
_RECORD_OF = re.compile(r"\b(\w+)\s+records?\b", re.I)


def parent_of(record: CodeRecord, source: CodeSource) -> CodeRecord | None:
    """The record of the code or heading a record is under; None at the top."""
    return source.record(f"{record.system}:{record.parent}") if record.parent else None


def block_of(code: str, source: CodeSource) -> str | None:
    """The block (a range of categories, "L20-L30") a tabular code is in."""
    record = source.record(f"{INDEX_SYSTEM}:{code}")
    for _ in range(BLOCK_DEPTH):
        if record is None or record.kind == BLOCK_KIND:
            break
        record = parent_of(record, source)
    return record.code if record is not None and record.kind == BLOCK_KIND else None


def record_words(source: CodeSource) -> frozenset[str]:
    """The words the chapters' notes name whose record a code is for with ("for use only on
    maternal records", "on newborn records only"), as lookups compare words."""
    found: set[str] = set()
    for chapter in chapters(source):
        for section in chapter.sections:
            if section.name == NOTES_SECTION:
                found.update(w for m in _RECORD_OF.finditer(section.text)
                             for w in lookup_words(m.group(1)))
    return frozenset(found)


def chapters(source: CodeSource) -> Iterator[CodeRecord]:
    for number in range(1, MAX_CHAPTERS + 1):
        chapter = source.record(f"{INDEX_SYSTEM}:{number}")
        if chapter is not None and chapter.kind == CHAPTER_KIND:
            yield chapter


def asked_trimester(question: str, source: CodeSource) -> str | None:
    """The trimester the question's weeks of gestation fall in, as the chapter notes that
    define trimesters count them (`gestation`); None where either is not given."""
    weeks = weeks_asked(question)
    if weeks is None:
        return None
    return trimester_of(weeks, _defined_trimesters(source))


def _defined_trimesters(source: CodeSource) -> list[Trimester]:
    """The trimesters as the first chapter whose notes define them does (the pregnancy
    chapter's; its "supervision of normal pregnancy" codes in chapter 21 count the same)."""
    for chapter in chapters(source):
        defined = trimesters(s.text for s in chapter.sections if s.name == NOTES_SECTION)
        if defined:
            return defined
    return []


def inclusion_terms_above(heading: CodeRecord, source: CodeSource) -> list[str]:
    """The inclusion terms stated at a heading and at the codes above it, up to its
    category: what the heading already names, that picks none of its children."""
    terms = []
    record: CodeRecord | None = heading
    while record is not None and record.kind in RANKED_KINDS:
        terms += [note.text for note in record.notes
                  if note.kind == NoteKind.INCLUSION_TERM and note.stated_at == record.code]
        record = parent_of(record, source)
    return terms


def cousin_titles(record: CodeRecord, source: CodeSource) -> list[str]:
    """The titles of the codes of the record's length under the other subheadings of its
    category ("... of unspecified lower extremity with ulcer of calf" has "... of right lower
    extremity with ulcer of calf" under another)."""
    parent = parent_of(record, source)
    if parent is None or not parent.parent:
        return []
    return [title for code, title in source.titles_under(record.system, parent.parent)
            if len(code) == len(record.code) and not code.startswith(parent.code)]


def sibling_titles(record: CodeRecord, source: CodeSource) -> list[str]:
    """The titles of the codes beside it under its parent (none without a parent)."""
    parent = parent_of(record, source)
    if parent is None:
        return []
    return list(source.titles([f"{record.system}:{child}" for child in parent.children
                               if child != record.code]).values())


def titles_below(keys: list[str], below: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The titles of the codes below each child key ("ICD10CM:S82.1"), from the (code,
    title) of every code below their parent, in one pass."""
    children = {key.split(":", 1)[1]: key for key in keys}
    lengths = sorted({len(code) for code in children})
    found: dict[str, list[str]] = {key: [] for key in keys}
    for code, title in below:
        for length in lengths:
            if len(code) > length and code[:length] in children:
                found[children[code[:length]]].append(title)
    return found
