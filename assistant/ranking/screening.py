"""Screening for a condition the Index lists no screening entry of, read as screening for
its class: "screening for hepatitis C" as "screening for viral disease".

The Alphabetic Index lists screening for some conditions by name ("Screening (for),
measles") and for the rest by class: "Screening (for), disease or disorder, viral NEC"
(Z11.59), "..., bacterial NEC", "..., protozoal". A coder finds the condition's class in the
tabular: its code's headings name it ("Hepatitis, C" gives B19.20, under B19.2 "Unspecified
viral hepatitis C"). The reading names the entry and the heading, so the answer can say how
it read the condition.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.index.index_terms import IndexTerm, IndexTermTable, entry_words, written_as_one
from assistant.records import CodeRecord
from assistant.ranking.tabular import INDEX_SYSTEM
from assistant.retrieval.index_lookup import index_matches
from assistant.retrieval.readings import Reading, Replacement
from assistant.text import lookup_words, phrase_words, word_spans

# The Index's entries of screening for a class of condition, as their parentheses-free text
# reads them.
SCREENING_CLASSES = "Screening, disease or disorder"
_SCREENING = lookup_words("screening")[0]
# "Screening, disease or disorder, viral NEC" -> "viral"; read as "viral disease"
_DISEASE = "disease"
# The last heading whose title may name the condition's class: its category (never the
# block or chapter above it, whose titles name many classes).
_CATEGORY = "category"
_HEADINGS = frozenset({"code", _CATEGORY})
# "Screening, disease or disorder, specified NEC": the Index's subterm for any other class
_SPECIFIED = "specified"

Lookup = Callable[[str], CodeRecord | None]


def screening_class_reading(readings: list[Reading], table: IndexTermTable,
                            record: Lookup) -> Reading | None:
    """The first reading that names screening for a condition no Index entry names with it,
    with the condition read as the class of a "Screening, disease or disorder" entry that a
    heading of its code names (the nearest; of those it names, the one of most words). None
    where no reading names screening, the Index names the reading as it is, the condition
    has no entry of its own, or no heading of its code names a class."""
    for reading in readings:
        # the lookup word is the start of a word as written: a text without it names none
        if _SCREENING not in reading.text.lower() or _SCREENING not in entry_words(reading.text):
            continue
        if index_matches(reading.text, table):
            return None
        condition = _condition_span(reading.text)
        if condition is None:
            continue
        start, end = condition
        found = _class_of(reading.text[start:end], table, record)
        if found is None:
            continue
        heading, entry = found
        read_as = f"{_class_text(entry)} {_DISEASE}"
        source = (f"its class: {heading.code} '{heading.title}' (ICD-10-CM Alphabetic "
                  f"Index: {entry.entry})")
        replacement = Replacement(reading.text[start:end], read_as, source)
        return Reading(reading.text[:start] + read_as + reading.text[end:],
                       reading.replacements + (replacement,), reading.situation)
    return None


def _condition_span(text: str) -> tuple[int, int] | None:
    """Where the condition screened for stands: after "screening for" to the first comma,
    or before "screening" ("hepatitis C screening")."""
    spans = list(word_spans(text))
    at = next((i for i, s in enumerate(spans) if lookup_words(s.group(0))[:1] == [_SCREENING]),
              None)
    if at is None:
        return None
    clause_end = re.search(r"[,;.]", text[spans[at].end():])
    end = spans[at].end() + clause_end.start() if clause_end else len(text)
    after = [s for s in spans[at + 1:] if s.start() < end and s.group(0).lower() != "for"]
    if after:
        return after[0].start(), after[-1].end()
    clause_start = max(text.rfind(",", 0, spans[at].start()), text.rfind(";", 0, spans[at].start()))
    before = [s for s in spans[:at] if s.start() > clause_start]
    return (before[0].start(), before[-1].end()) if before else None


def _class_of(condition: str, table: IndexTermTable,
              record: Lookup) -> tuple[CodeRecord, IndexTerm] | None:
    """The nearest heading above the code the Index gives the condition (up to its category)
    whose title writes every word of a screening class, and the class of most words."""
    matches = index_matches(condition, table)
    codes = [c for m in matches for c in m.term.codes]
    if not codes:
        return None
    classes = table.per_main_word(_screening_classes, _SCREENING)
    code = record(f"{INDEX_SYSTEM}:{codes[0]}")
    node = record(f"{INDEX_SYSTEM}:{code.parent}") if code is not None and code.parent else None
    while node is not None and node.kind in _HEADINGS:
        written = phrase_words(written_as_one(node.title))
        fitting = [(e, words) for e, words in classes
                   if all(any(_same_word(w, c) for w in written) for c in words)]
        if fitting:
            return node, max(fitting, key=lambda f: len(f[1]))[0]
        if node.kind == _CATEGORY or not node.parent:
            return None
        node = record(f"{INDEX_SYSTEM}:{node.parent}")
    return None


def _same_word(written: str, word: str) -> bool:
    """The word, or its plural ("viral", "diseases"); never a longer word ("ear": "early")."""
    return written in (word, word + "s", word + "es")


def _screening_classes(table: IndexTermTable, word: str) -> list[tuple[IndexTerm, list[str]]]:
    """The "Screening, disease or disorder, X" entries of one subterm, each with the words of
    its class as written ("viral"), less NEC."""
    terms = list(table.entries_of(word))
    found = []
    for term in terms:
        if term.entry.startswith(SCREENING_CLASSES + ", ") and len(term.levels) == 3:
            words = phrase_words(written_as_one(_class_text(term)))
            if words and words != [_SPECIFIED]:
                found.append((term, words))
    return found


def _class_text(term: IndexTerm) -> str:
    """"Screening, disease or disorder, viral NEC" -> "viral"."""
    return re.sub(r"\s+NEC$", "", term.entry[len(SCREENING_CLASSES) + 2:])
