"""The Alphabetic Index terms table: an index entry's words -> today's codes it leads to.

Built at ingest from the committed FY2017 Alphabetic Index (`corpus.alphabetic_index`) and
the ICD-10-CM records being indexed. The index is older than the records: a code it gives is
followed to today's codes here, from the records alone (their history and hierarchy), never
from a history module's own API:

- a code the records hold, billable or a heading today, stays (a heading is resolved to its
  child when a question is asked, by the question's words or the heading's default child);
- a code "S62.10-" whose characters the index leaves to choose is its heading "S62.10";
- a code deleted since is replaced by the replacements its deletion names, followed again;
- a code the records do not hold (a slice, or an index code never in the tabular) is dropped.

An entry is matched against a question by words, level by level (main term, subterm, ...):
each level must be named by the question, a title "Calculus, calculi, calculous" by any of
its forms; nonessential modifiers "(acute)" may be named but need not be.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.corpus.alphabetic_index import IndexEntry
from assistant.records import CodeRecord, Status
from assistant.status import status_on
from assistant.text import lookup_words

INDEX_TERMS_FILE = "index_terms.json"
SYSTEM = "ICD-10-CM"
# A deletion's replacements that are themselves deleted are followed this many times.
MAX_FOLLOW = 3
# Words of an entry that never need to be asked: "NEC", "NOS".
_UNASKED = frozenset({"nec", "nos"})
# Forms of one word in a title ("Abdomen, abdominal") share this many first letters.
_FORM_LETTERS = 4

# A level: its forms, each the word prefixes that must all be in the question.
Level = list[list[str]]


@dataclass(frozen=True)
class IndexTerm:
    entry: str                   # "Hardening, artery": the entry's levels, as coders write it
    via: str                     # "see Arteriosclerosis", or "" for the entry's own code
    code: str                    # as the index gives it
    codes: tuple[str, ...]       # today's codes it leads to
    levels: tuple[tuple[tuple[str, ...], ...], ...]
    optional: frozenset[str]     # word prefixes that may be asked (modifiers, qualifiers)

    @property
    def citation(self) -> str:
        """"Index: Hardening, artery -> see Arteriosclerosis", "Index: Nosebleed R04.0"."""
        return f"Index: {self.entry} -> {self.via}" if self.via else \
            f"Index: {self.entry} {self.code}"

    @property
    def required(self) -> frozenset[str]:
        return frozenset(p for level in self.levels for form in level for p in form)


class _StoredTerms(Sequence[IndexTerm]):
    """The saved rows of a table, each made an IndexTerm when first read: a question reads a
    few dozen of about a hundred thousand, and making them all costs a cold process seconds."""

    def __init__(self, rows: list[list]) -> None:
        self._rows = rows
        self._made: dict[int, IndexTerm] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, position: int) -> IndexTerm:  # type: ignore[override]
        term = self._made.get(position)
        if term is None:
            entry, via, code, codes, levels, optional = self._rows[position]
            term = IndexTerm(entry, via, code, tuple(codes),
                             tuple(tuple(tuple(f) for f in level) for level in levels),
                             frozenset(optional))
            self._made[position] = term
        return term


@dataclass
class IndexTermTable:
    terms: Sequence[IndexTerm] = field(default_factory=list)
    # the first level's word prefixes -> positions in `terms`
    by_main: dict[str, list[int]] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        staging = path.with_name(path.name + ".new")
        rows = [[t.entry, t.via, t.code, list(t.codes), [[list(f) for f in lv] for lv in t.levels],
                 sorted(t.optional)] for t in self.terms]
        staging.write_text(json.dumps(rows, ensure_ascii=False))
        os.replace(staging, path)

    @classmethod
    def load(cls, path: Path) -> "IndexTermTable":
        if not path.exists():
            return cls()
        rows = json.loads(path.read_text())
        table = cls(_StoredTerms(rows))
        for position, row in enumerate(rows):
            for first in {form[0] for form in row[4][0] if form}:
                table.by_main.setdefault(first, []).append(position)
        return table

    @classmethod
    def of(cls, terms: list[IndexTerm]) -> "IndexTermTable":
        table = cls(terms)
        for position, term in enumerate(terms):
            for first in {form[0] for form in term.levels[0] if form}:
                table.by_main.setdefault(first, []).append(position)
        return table


def build_index_terms(entries: Iterable[IndexEntry],
                      find: Callable[[str], CodeRecord | None],
                      today: date) -> IndexTermTable:
    """find(code) -> the ICD-10-CM record of that code, or None."""
    resolved: dict[str, tuple[str, ...]] = {}
    terms = []
    for entry in entries:
        if entry.code not in resolved:
            resolved[entry.code] = todays_codes(entry.code, find, today)
        codes = resolved[entry.code]
        levels = tuple(_level(title) for title in entry.path)
        if codes and any(levels[0]):
            terms.append(IndexTerm(", ".join(entry.path), entry.via, entry.code, codes, levels,
                                   _optional(entry)))
    return IndexTermTable.of(terms)


def todays_codes(code: str, find: Callable[[str], CodeRecord | None], today: date,
                 depth: int = MAX_FOLLOW) -> tuple[str, ...]:
    """The codes an index code leads to today (see the module's docstring)."""
    record = find(code.rstrip("-").rstrip("."))
    if record is None or record.kind not in ("code", "category"):
        return ()
    status = status_on(record, today)
    if status.status != Status.DELETED:
        return (record.code,)
    if depth == 0:
        return ()
    followed: list[str] = []
    for replacement in status.replacements:
        followed += [c for c in todays_codes(replacement, find, today, depth - 1)
                     if c not in followed]
    return tuple(followed)


def entry_words(text: str) -> list[str]:
    """The words of an entry or a question that matching compares (`text.lookup_words`)."""
    return [w for w in lookup_words(text) if w not in _UNASKED]


def _level(title: str) -> tuple[tuple[str, ...], ...]:
    """"Calculus, calculi, calculous": three forms; "Fracture, traumatic": one form, whose
    qualifier "traumatic" is optional (see `_optional`)."""
    first, *rest = [part.strip() for part in title.split(",")]
    forms = [tuple(entry_words(first))]
    for part in rest:
        words = entry_words(part)
        if len(words) == 1 and forms[0] and words[0][:_FORM_LETTERS] == forms[0][0][:_FORM_LETTERS]:
            forms.append(tuple(words))
    return tuple(f for f in forms if f) or ((),)


def _optional(entry: IndexEntry) -> frozenset[str]:
    words = [w for title in entry.path for part in title.split(",")[1:] for w in entry_words(part)]
    words += [w for modifiers in entry.modifiers for w in entry_words(modifiers)]
    return frozenset(words)
