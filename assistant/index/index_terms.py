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

The table is saved as SQLite, its entries keyed by the main term's words, so that a question
reads only the few dozen entries its words lead to: parsing all of them (about a hundred
thousand, 10 MB of JSON) cost a cold `ask` about a second. Beside each main word's entries
it keeps where the entries under each of their levels end (`block_ends`) and which of their
levels only group others (`grouping_places`): a lookup passes over the entries under a level
the question does not name without reading them. An index built before keeps the table as
JSON (`LEGACY_TERMS_FILE`), which is still read, whole.
"""

from __future__ import annotations

import functools

import json
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar, cast

from assistant.corpus.alphabetic_index import IndexEntry, is_neoplasm_table_row, is_table_row
from assistant.records import CodeRecord, Status
from assistant.status import status_on
from assistant.text import lookup_words, words

INDEX_TERMS_FILE = "index_terms.sqlite"
# Where an index built before the SQLite table keeps it (beside INDEX_TERMS_FILE).
LEGACY_TERMS_FILE = "index_terms.json"
SYSTEM = "ICD-10-CM"
# A deletion's replacements that are themselves deleted are followed this many times.
MAX_FOLLOW = 3
# What `IndexTermTable.per_main_word` works out about a word.
Fact = TypeVar("Fact")
# Words of an entry that never need to be asked: "NEC", "NOS".
_UNASKED = frozenset({"nec", "nos"})
# Entries of a saved table kept once read: a lookup reads a main term's entries, tens to
# thousands, question after question; a server answering everything would hold them all.
TERMS_KEPT = 32768
# Parts a level's alternatives, either named: "poisoning|overdose" (the Table of Drugs' rows).
ALTERNATIVES = "|"
# Forms of one word in a title ("Abdomen, abdominal") share this many first letters.
_FORM_LETTERS = 4

# A hyphen inside a word of a title ("Check-up", "non-steroidal"): the word is also
# written as one ("checkup", "nonsteroidal"), a form of its own.
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")

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
        """"Index: Hardening, artery -> see Arteriosclerosis", "Index: Nosebleed R04.0", or the
        Table of Drugs' or the Neoplasm Table's row and column ("Table of Drugs and Chemicals:
        Acetaminophen, ...")."""
        if is_table_row(self.via):
            return self.via
        return f"Index: {self.entry} -> {self.via}" if self.via else \
            f"Index: {self.entry} {self.code}"

    @functools.cached_property
    def required(self) -> frozenset[str]:
        return frozenset(p for level in self.levels for form in level for p in form)

    @functools.cached_property
    def level_forms(self) -> tuple[tuple[frozenset[str], ...], ...]:
        """`levels` with each form as a set (a question names a level when it holds all the
        words of one of its forms)."""
        return tuple(tuple(frozenset(form) for form in level) for level in self.levels)


# A saved row: entry, via, code, codes, levels, optional (lists, as JSON writes them).
Row = list


def _term(row: Row) -> IndexTerm:
    entry, via, code, codes, levels, optional = row
    return IndexTerm(entry, via, code, tuple(codes),
                     tuple(tuple(tuple(f) for f in level) for level in levels),
                     frozenset(optional))


def _row(term: IndexTerm) -> Row:
    return [term.entry, term.via, term.code, list(term.codes),
            [[list(f) for f in level] for level in term.levels], sorted(term.optional)]


def _main_words(levels: Iterable[Iterable[Sequence[str]]]) -> set[str]:
    """The words an entry is found by: the first word prefix of each form of its main term."""
    first_level = next(iter(levels))
    return {form[0] for form in first_level if form}


def _by_main_word(levels_of_entries: Iterable[Iterable[Iterable[Sequence[str]]]]
                  ) -> dict[str, list[int]]:
    """Main words -> positions of the entries they lead to, for entries given in order."""
    by_main: dict[str, list[int]] = {}
    for position, levels in enumerate(levels_of_entries):
        for word in _main_words(levels):
            by_main.setdefault(word, []).append(position)
    return by_main


class _TermsFile:
    """A saved table, open read-only: one connection, shared by threads under a lock (each
    read is one small indexed query)."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                                     check_same_thread=False)
        self._lock = threading.Lock()

    def rows(self, sql: str, *args: object) -> list[tuple]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()


class _StoredTerms(Sequence[IndexTerm]):
    """The entries of a saved table, read by position when first asked for (the TERMS_KEPT
    first read kept; the oldest is let go for a new one)."""

    def __init__(self, stored: _TermsFile) -> None:
        self._stored = stored
        # read without the lock: a lookup reads hundreds of entries, and one dict read is
        # atomic; only adding and letting go take it
        self._made: dict[int, IndexTerm] = {}  # oldest first
        self._made_lock = threading.Lock()  # a server's threads share the entries kept
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._stored.rows("SELECT count(*) FROM terms")[0][0]
        return self._count

    def __getitem__(self, position: int) -> IndexTerm:  # type: ignore[override]
        term = self._made.get(position)
        if term is not None:
            return term
        if position < 0:
            position += len(self)
        found = self._stored.rows("SELECT row FROM terms WHERE position = ?", position)
        if not found:
            raise IndexError(position)
        term = _term(json.loads(found[0][0]))
        with self._made_lock:
            self._made[position] = term
            while len(self._made) > TERMS_KEPT:
                del self._made[next(iter(self._made))]  # a long-running server would otherwise hold all
        return term

    def __iter__(self) -> Iterator[IndexTerm]:
        """Every entry, in one read (not one query per entry)."""
        for position, row in self._stored.rows("SELECT position, row FROM terms ORDER BY position"):
            yield self._made.get(position) or _term(json.loads(row))


def block_ends(levels_of_entries: Iterable[Sequence[object]]) -> list[tuple[int, ...]]:
    """For entries given in the Index's order, at each depth of each entry: the position of
    the first entry after it whose levels down to that depth differ ("Fracture, traumatic,
    femur" at depth 1: the first entry after it not under "Fracture, traumatic")."""
    levels = [tuple(each) for each in levels_of_entries]
    ends: list[list[int]] = [[] for _ in levels]
    for position in range(len(levels) - 1, -1, -1):
        after = position + 1
        for depth in range(len(levels[position])):
            shared = after < len(levels) and len(levels[after]) > depth and \
                levels[after][:depth + 1] == levels[position][:depth + 1]
            ends[position].append(ends[after][depth] if shared else after)
    return [tuple(each) for each in ends]


def grouping_places(terms: Sequence[IndexTerm]) -> list[tuple[int, ...]]:
    """For each entry, the places of its levels, between its main term and its last, that
    only group others: no entry ends there, with a code of its own ("Foreign body, entering
    through orifice" gives none; its subterms "nose", "ear" ... do). A coder reading the Index
    for "foreign body in the nose" reads on through such a subterm. One under a connective
    ("Bruise, with, open wound": "with" has no words a lookup compares) names a condition
    that must be present, and is no group. A site of the Neoplasm Table ("prostate,
    utricle") is no group either: each gives codes, in the columns below it."""
    coded = {term.levels for term in terms}
    return [() if is_neoplasm_table_row(term.via) else
            tuple(place for place in range(1, len(term.levels) - 1)
                  if term.levels[:place + 1] not in coded
                  and all(any(level) for level in term.levels[:place + 1]))
            for term in terms]


class _StoredMainWords(Mapping[str, list[int]]):
    """A saved table's main words -> positions of the entries they lead to, read per word,
    with each entry's block ends and grouping places (`block_ends`, `grouping_places`)."""

    def __init__(self, stored: _TermsFile) -> None:
        self._stored = stored
        # every main word, read once: a word no entry has is a miss without a query, and what
        # is kept per word stays bounded by the table, whatever words questions bring
        self._words = frozenset(w for (w,) in stored.rows("SELECT DISTINCT word FROM main_words"))
        self._read: dict[str, list[int]] = {}
        self.ends: dict[int, tuple[int, ...]] = {}
        self.groups: dict[int, tuple[int, ...]] = {}
        columns = {row[1] for row in stored.rows("PRAGMA table_info(main_words)")}
        # a table saved before these columns: no block ends (every entry read), and its
        # grouping places worked out from its entries (`IndexTermTable.grouping_places`)
        self.has_shape = "block_ends" in columns
        self._columns = "block_ends, groups" if self.has_shape else "'[]', '[]'"

    def __getitem__(self, word: str) -> list[int]:
        if word not in self._words:
            raise KeyError(word)
        positions = self._read.get(word)
        if positions is None:
            found = self._stored.rows(f"SELECT position, {self._columns} FROM main_words "
                                      "WHERE word = ? ORDER BY position", word)
            for position, ends, groups in found:
                self.ends[position] = tuple(json.loads(ends))
                self.groups[position] = tuple(json.loads(groups))
            positions = self._read[word] = [p for p, _, _ in found]
        return positions

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __iter__(self) -> Iterator[str]:
        return iter([w for (w,) in self._stored.rows(
            "SELECT word FROM main_words GROUP BY word ORDER BY min(position), word")])

    def __len__(self) -> int:
        return len(self._words)


@dataclass
class IndexTermTable:
    terms: Sequence[IndexTerm] = field(default_factory=list)
    # the first level's word prefixes -> positions in `terms`
    by_main: Mapping[str, list[int]] = field(default_factory=dict)
    # a position -> its entry's block ends, by depth (`block_ends`)
    ends: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    # a position -> the places of its entry's grouping levels (`grouping_places`), where
    # known; else worked out from the entries that share its main words
    groups: Mapping[int, tuple[int, ...]] | None = None
    # (fact, main word) -> the fact about the word's entries (`per_main_word`)
    _facts: dict[tuple[object, str], object] = field(default_factory=dict, repr=False,
                                                     compare=False)

    def entries_of(self, word: str) -> Iterator[IndexTerm]:
        """The entries a main word (as lookups compare it) begins, in the Index's order, each
        read when reached."""
        return (self.terms[p] for p in self.by_main.get(word, ()))

    def per_main_word(self, fact: Callable[[IndexTermTable, str], Fact], word: str) -> Fact:
        """fact(self, word), worked out once per main word: a fact about the entries a word
        begins (which are rows of the Table of Drugs) is the same for every question, and
        walking them per question costs most where a word begins many ("pain"). Only the
        table's main words are kept, so what is kept stays bounded by the table."""
        if word not in self.by_main:
            return fact(self, word)
        key = (fact, word)
        if key not in self._facts:
            self._facts[key] = fact(self, word)
        return cast(Fact, self._facts[key])

    def grouping(self, positions: list[int]) -> Mapping[int, tuple[int, ...]]:
        """The grouping places of the entries at `positions` (`grouping_places`); a table
        saved without them has them worked out from those entries."""
        if self.groups is not None:
            return self.groups
        return dict(zip(positions, grouping_places([self.terms[p] for p in positions])))

    def block_end(self, position: int, depth: int) -> int:
        """The position of the first entry after `position` whose levels down to `depth`
        differ from its entry's; the next position where the table does not say."""
        ends = self.ends.get(position, ())
        return ends[depth] if depth < len(ends) else position + 1

    def save(self, path: Path) -> None:
        """Write the table as SQLite to a staging file, then swap it in (readers never see
        half a table); an older JSON table beside it is removed."""
        staging = path.with_name(path.name + ".new")
        staging.unlink(missing_ok=True)
        with closing(sqlite3.connect(staging)) as conn:
            conn.executescript("""
                CREATE TABLE terms (position INTEGER PRIMARY KEY, row TEXT NOT NULL);
                CREATE TABLE main_words (word TEXT NOT NULL, position INTEGER NOT NULL,
                                         block_ends TEXT NOT NULL, groups TEXT NOT NULL,
                                         PRIMARY KEY (word, position)) WITHOUT ROWID;
            """)
            conn.executemany("INSERT INTO terms VALUES (?, ?)",
                             ((position, json.dumps(_row(term), ensure_ascii=False))
                              for position, term in enumerate(self.terms)))
            ends = block_ends(term.levels for term in self.terms)
            groups = grouping_places(self.terms)
            conn.executemany("INSERT INTO main_words VALUES (?, ?, ?, ?)",
                             ((word, position, json.dumps(ends[position]),
                               json.dumps(groups[position]))
                              for position, term in enumerate(self.terms)
                              for word in _main_words(term.levels)))
            conn.commit()
        os.replace(staging, path)
        legacy = path.with_name(LEGACY_TERMS_FILE)
        if legacy != path:
            legacy.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> "IndexTermTable":
        """The table saved at `path`; else the JSON table of an index built before
        (LEGACY_TERMS_FILE beside it); else an empty table."""
        legacy = path.with_name(LEGACY_TERMS_FILE)
        if path.exists():
            stored = _TermsFile(path)
            main_words = _StoredMainWords(stored)
            return cls(_StoredTerms(stored), main_words, main_words.ends,
                       main_words.groups if main_words.has_shape else None)
        if legacy.exists():
            return cls._load_json(legacy)
        return cls()

    @classmethod
    def _load_json(cls, path: Path) -> "IndexTermTable":
        return cls.of([_term(row) for row in json.loads(path.read_text())])

    @classmethod
    def of(cls, terms: list[IndexTerm]) -> "IndexTermTable":
        return cls(terms, _by_main_word(term.levels for term in terms),
                   dict(enumerate(block_ends(term.levels for term in terms))),
                   dict(enumerate(grouping_places(terms))))


def build_index_terms(entries: Iterable[IndexEntry],
                      find: Callable[[str], CodeRecord | None],
                      today: date) -> IndexTermTable:
    """find(code) -> the ICD-10-CM record of that code, or None."""
    resolved: dict[str, tuple[str, ...]] = {}
    terms = []
    entries = list(entries)
    modifiers = _main_term_modifiers(entries)
    for entry in entries:
        kinds = frozenset(entry_words(entry.modifiers[0])) if entry.modifiers else frozenset()
        if entry.code not in resolved:
            resolved[entry.code] = todays_codes(entry.code, find, today)
        codes = resolved[entry.code]
        levels = (_level(entry.path[0]),) + tuple(_subterm_level(title, modifiers, kinds)
                                                  for title in entry.path[1:])
        if codes and any(levels[0]):
            entry_text = ", ".join(entry.path).replace(ALTERNATIVES, " or ")
            terms.append(IndexTerm(entry_text, entry.via, entry.code, codes, levels,
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


def written_as_one(text: str) -> str:
    """The text with each hyphenated word written as one ("Check-up" -> "Checkup")."""
    return _HYPHEN.sub("", text)


def _level(title: str) -> tuple[tuple[str, ...], ...]:
    """"Calculus, calculi, calculous": three forms; "Fracture, traumatic": one form, whose
    qualifier "traumatic" is optional (see `_optional`); "poisoning|overdose" (the Table of
    Drugs' rows): two; "acute or subacute NEC": two, "acute" and "subacute"; "Check-up": two,
    "check up" and "checkup"."""
    if ALTERNATIVES in title:
        return tuple(f for f in (tuple(entry_words(a)) for a in title.split(ALTERNATIVES)) if f) \
            or ((),)
    first, *rest = [part.strip() for part in title.split(",")]
    forms = [tuple(entry_words(first))] + _either(first)
    for part in rest:
        words = entry_words(part)
        if len(words) == 1 and forms[0] and words[0][:_FORM_LETTERS] == forms[0][0][:_FORM_LETTERS]:
            forms.append(tuple(words))
    forms += [tuple(entry_words(written_as_one(f))) for f in [first] if _HYPHEN.search(f)]
    return tuple(f for f in dict.fromkeys(forms) if f) or ((),)


def _either(title: str) -> list[tuple[str, ...]]:
    """A title "A or B" names either: its words before "or", and those with their last words
    put in place of the words after it ("hearing-aid or device": "hearing aid" and "hearing
    device"; "coronary artery graft or prosthesis": "... graft" and "... prosthesis")."""
    before, either, after = title.partition(" or ")
    head, tail = entry_words(before), entry_words(after)
    if not either or not head or not tail or " or " in after:
        return []
    return [tuple(head), tuple(head[:max(len(head) - len(tail), 0)] + tail)]


def _main_term_modifiers(entries: list[IndexEntry]) -> dict[str, frozenset[str]]:
    """Each one-word main term -> the words of its nonessential modifiers, whole words
    ("Diabetes, diabetic (mellitus) (sugar)": "diabetes" -> "mellitus", "sugar")."""
    found: dict[str, frozenset[str]] = {}
    for entry in entries:
        if len(entry.path) == 1 and entry.modifiers and entry.modifiers[0]:
            main = words(entry.path[0].split(",")[0])
            if len(main) == 1:
                found[main[0]] = frozenset(words(entry.modifiers[0]))
    return found


def _subterm_level(title: str, modifiers: dict[str, frozenset[str]],
                   kinds: frozenset[str] = frozenset()) -> tuple[tuple[str, ...], ...]:
    """A subterm's forms (`_level`), and the subterm less a word its neighbour's own main
    term calls nonessential ("Borderline, diabetes mellitus": also "diabetes", as
    "Diabetes, diabetic (mellitus)"); and less its last word where the entry's main term
    calls that word nonessential (`kinds`): "Sprain (joint) (ligament), shoulder joint" is
    also "shoulder", since a sprain is of a joint whether or not the statement says so."""
    forms = _level(title)
    if ALTERNATIVES in title or "," in title:
        return forms
    said = title.split()
    kept = [w for i, w in enumerate(said)
            if not (i and w.lower() in modifiers.get(said[i - 1].lower(), ()))]
    shorter = tuple(entry_words(" ".join(kept)))
    forms = forms + (shorter,) if shorter and shorter not in forms else forms
    whole = forms[0]
    if len(whole) > 1 and whole[-1] in kinds and whole[:-1] not in forms:
        forms += (whole[:-1],)
    return forms


def _optional(entry: IndexEntry) -> frozenset[str]:
    """The qualifiers' and modifiers' words, a hyphenated one also as one word."""
    parts = [part for title in entry.path for part in title.split(",")[1:]]
    parts += list(entry.modifiers)
    return frozenset(w for part in parts for text in (part, written_as_one(part))
                     for w in entry_words(text))
