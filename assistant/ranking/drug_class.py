"""A drug the patient is on, read as its class where the Alphabetic Index lists the class.

"Long-term (current) (prophylactic) drug therapy (use of)" lists drug classes
("anticoagulants", "oral, antidiabetic", "non-steroidal anti-inflammatories") and only a few
drugs by name. A coder finds another drug's class through the Table of Drugs and Chemicals:
its row gives the drug's poisoning code, and that code's headings name the class ("Metformin"
-> T38.3X1, under T38.3 "Poisoning by, adverse effect of and underdosing of insulin and oral
hypoglycemic [antidiabetic] drugs"). The reading names the Table's row and the heading, so
the answer can say how it read the drug.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from collections.abc import Callable

from assistant.corpus.alphabetic_index import is_drug_table_row, is_table_row
from assistant.index.index_terms import IndexTerm, IndexTermTable, entry_words, written_as_one
from assistant.records import CodeRecord
from assistant.ranking.tabular import INDEX_SYSTEM
from assistant.retrieval.index_lookup import index_matches, takes_in
from assistant.retrieval.readings import DRUG_USE_READING, Reading, Replacement
from assistant.text import lookup_words, phrase_words, word_spans

# The Index main term the drug-use reading leads to (see readings.DRUG_USE_SOURCE).
LONG_TERM = "Long-term"
# The Index entries a drug allergy is coded by, under the drug's class ("History, personal
# (of), allergy (to), narcotic agent NEC": Z88.5), as the entries' parentheses-free text reads.
ALLERGY_HISTORY = "History, personal, allergy"
# The Index main term of an allergy, whose subterms name reactions (`_reaction_words`).
ALLERGY_MAIN = "Allergy, allergic"
_ALLERGIC = lookup_words(ALLERGY_MAIN)[0]
_HISTORY = lookup_words("history")[0]
_ALLERGY = frozenset(lookup_words("allergy"))
# "specified NEC": the Index's subterm for any other, which names no class
_SPECIFIED = lookup_words("specified")
# The Table column whose row is read: every column's code of a drug is under the same headings.
_POISONING = frozenset(lookup_words("poisoning"))
# A substance read as poisoning by it (`poisoning_reading`), as the Table's titles say it.
POISONING_READING = "poisoning by"
# The last heading whose title may name a drug's class: the three-character category.
_CATEGORY = "category"
# The words that may follow the substance a question names as taken: a preposition or a
# conjunction begins another phrase ("drank bleach by accident"); any other word is what the
# word read as the substance acts on ("smokes pot": a verb and its object, no "Smoke NEC").
_PHRASE_STARTS = frozenset({"about", "after", "and", "as", "at", "before", "but", "by",
                            "during", "for", "from", "in", "into", "of", "on", "or", "over",
                            "since", "so", "then", "to", "until", "when", "while", "with",
                            "without"})

Lookup = Callable[[str], CodeRecord | None]


def drug_class_reading(readings: list[Reading], table: IndexTermTable,
                       record: Lookup) -> Reading | None:
    """The drug-use reading ("long-term use of metformin") with the drug read as the class
    a Long-term entry names ("long-term use of oral antidiabetic"); None where the question
    names no drug use, the Index already has an entry for it, the Table has no row for the
    drug, or no heading of its code names a class the Index lists."""
    situation = _unindexed_drug_use(readings, table)
    if situation is None:
        return None
    start = situation.text.find(DRUG_USE_READING) + len(DRUG_USE_READING)
    row = _table_row(situation.text[start:], table)
    entries = [(e, _class_words(e)) for e in _long_term_entries(table)]
    found = _class_entry(row, entries, record) if row else None
    if row is None or found is None or found[1][1] <= _substance(row):
        return None  # no class; or the entry names the drug itself ("Long-term, aspirin")
    heading, (entry, _) = found
    start, end = _span_of(situation.text, start, row)
    read_as = _subterms(entry).replace(",", "")
    source = (f"its class: {row.via}, under {heading.code} '{heading.title}' "
              f"(ICD-10-CM Alphabetic Index: {entry.entry})")
    text = situation.text[:start] + read_as + situation.text[end:]
    replacement = Replacement(situation.text[start:end], read_as, source)
    return Reading(text, situation.replacements + (replacement,), True)


def allergy_class_reading(readings: list[Reading], table: IndexTermTable,
                          record: Lookup) -> Reading | None:
    """A drug the question says the patient is allergic to, read as the class an allergy
    history entry names: "allergic to codeine" as "allergic to narcotic agent" (the Table
    of Drugs' "Codeine" row, T40.2X1, is under T40 "... narcotics ...": "History, personal,
    allergy, narcotic agent NEC", Z88.5), in the first reading that names such a drug
    ("cipro" read as "ciprofloxacin"). None where the question names no allergy, or names an
    allergic reaction (`_reaction_named`), the Table has no row for the drug, no heading of
    its code names a class, or the entry names the drug itself ("penicillin", whose code's
    title says it)."""
    for reading in readings:
        found = _allergy_class_read(reading, table, record)
        if found is not None:
            return found
    return None


def _allergy_class_read(reading: Reading, table: IndexTermTable,
                        record: Lookup) -> Reading | None:
    text = reading.text
    # the lookup word is the start of a word as written: a text without it names none
    if not any(w in text.lower() for w in _ALLERGY):
        return None
    words = set(entry_words(text))
    if not words & _ALLERGY:
        return None
    row = _table_row(text, table, as_written=True)
    if row is None or words - _substance(row) & table.per_main_word(_reaction_words, _ALLERGIC):
        return None
    entries = table.per_main_word(_allergy_entries, _HISTORY)
    found = _class_entry(row, entries, record, _written_whole)
    if found is None or found[1][1] <= _substance(row):
        return None
    heading, (entry, _) = found
    start, end = _span_of(text, 0, row)
    read_as = _unspecified_less(_allergy_class(entry))
    source = (f"its class: {row.via}, under {heading.code} '{heading.title}' "
              f"(ICD-10-CM Alphabetic Index: {entry.entry})")
    replacement = Replacement(text[start:end], read_as, source)
    return Reading(text[:start] + read_as + text[end:], reading.replacements + (replacement,))


def _reaction_words(table: IndexTermTable, word: str) -> frozenset[str]:
    """The words that name an allergic reaction, not the allergy as a status: those the
    "Allergy, allergic (reaction)" entries name beside the main term, less those of the
    entries that give its own code ("drug", "medicine": an allergy to what, not a reaction).
    Only the first subterm is read: "food, status" is no reaction."""
    terms = list(table.entries_of(word))
    terms = [t for t in terms if not is_table_row(t.via) and t.entry.startswith(ALLERGY_MAIN)]
    own = next((t.codes for t in terms if t.entry == ALLERGY_MAIN), ())
    named = {w for t in terms if t.entry == ALLERGY_MAIN for w in t.optional}
    for term in terms:
        if term.codes != own:
            named |= _subterm_words(term)
    generic = {w for t in terms if t.codes == own and t.entry != ALLERGY_MAIN
               for w in _subterm_words(t)}
    return frozenset(named - generic - _ALLERGY)


def _subterm_words(term: IndexTerm) -> set[str]:
    return {w for form in term.level_forms[1] for w in form} if len(term.levels) > 1 else set()


def _allergy_entries(table: IndexTermTable, word: str) -> list[tuple[IndexTerm, set[str]]]:
    """The allergy history's entries of a class, each with the words that name its class:
    less the words of the entries that give the allergy history's own code, which name
    what any drug is ("medicinal agents": "narcotic agent NEC" names the class "narcotic")."""
    main = lookup_words(ALLERGY_HISTORY.split(",")[0])
    terms = [t for t in table.entries_of(word)
             if t.entry.startswith(ALLERGY_HISTORY) and not is_drug_table_row(t.via)
             and frozenset(main) in t.level_forms[0]]
    own = next((t.codes for t in terms if t.entry == ALLERGY_HISTORY), ())
    kinds = [t for t in terms if len(t.levels) == 4]
    generic = {w for t in kinds if t.codes == own for w in _closed_words(_allergy_class(t))} \
        | set(_SPECIFIED)
    named = [(t, set(_closed_words(_allergy_class(t))) - generic) for t in kinds]
    return [(t, words) for t, words in named if words]


def _written_whole(entry: tuple[IndexTerm, set[str]], title: str) -> bool:
    """Whether each word of the entry's class begins a word of the title, as written: a
    lookup compares six letters, and "anti-infective" is no "anti-inflammatory"."""
    term, named = entry
    written = phrase_words(written_as_one(title))
    return all(any(w.startswith(c) for w in written)
               for c in phrase_words(written_as_one(_allergy_class(term)))
               if set(lookup_words(c)) & named)


def _allergy_class(entry: IndexTerm) -> str:
    """"History, personal, allergy, narcotic agent NEC" -> "narcotic agent NEC"."""
    return entry.entry[len(ALLERGY_HISTORY) + 2:]


def _unspecified_less(subterm: str) -> str:
    """"narcotic agent NEC" -> "narcotic agent": NEC says where the Index puts other drugs."""
    return re.sub(r"\s+NEC$", "", subterm)


def _unindexed_drug_use(readings: list[Reading], table: IndexTermTable) -> Reading | None:
    """The drug-use reading, where no situation reading has an Index entry ("on insulin":
    "Long-term, insulin")."""
    situations = [r for r in readings if r.situation]
    if not situations or situations[0].replacements[0].read_as != DRUG_USE_READING:
        return None
    if any(index_matches(r.text, table) for r in situations):
        return None
    return situations[0]


def _table_row(text: str, table: IndexTermTable, as_written: bool = False) -> IndexTerm | None:
    """The Table of Drugs' poisoning row of the substance the text names, the one of most
    words where several are named (the first in the Table's order of those); `as_written`,
    only a row whose words the text writes whole ("Ciprofloxacin", not "Ciprofibrate",
    for "ciprofloxacin": `_written_as_asked`)."""
    words = set(entry_words(text))
    positions = sorted({p for w in words for p in table.per_main_word(_poisoning_rows, w)})
    rows = [t for t in (table.terms[p] for p in positions)
            if any(form <= words for form in t.level_forms[0])
            and (not as_written or _written_as_asked(t, text))]
    return max(rows, key=lambda t: max(len(f) for f in t.level_forms[0]), default=None)


def _poisoning_rows(table: IndexTermTable, word: str) -> tuple[int, ...]:
    """The positions of the Table of Drugs' poisoning rows whose substance `word` begins.
    The entries a word begins come in blocks that share a main term, each of one source: a
    block of the Index's own entries ("Disorder", thousands of them) is passed over at its
    first entry."""
    positions = table.by_main.get(word, [])
    rows: list[int] = []
    at = 0
    while at < len(positions):
        position = positions[at]
        term = table.terms[position]
        if not is_drug_table_row(term.via):
            at = bisect_left(positions, table.block_end(position, 0), at + 1)
            continue
        if len(term.levels) == 2 and _POISONING in term.level_forms[1] and term.codes:
            rows.append(position)
        at += 1
    return tuple(rows)


def _long_term_entries(table: IndexTermTable) -> list[IndexTerm]:
    main = lookup_words(LONG_TERM)
    return [t for t in table.entries_of(main[0])
            if t.entry.startswith(LONG_TERM + ", ") and not is_drug_table_row(t.via)
            and frozenset(main) in t.level_forms[0]]


def _class_entry(row: IndexTerm, entries: list[tuple[IndexTerm, set[str]]], record: Lookup,
                 whole: Callable[[tuple[IndexTerm, set[str]], str], bool] | None = None
                 ) -> tuple[CodeRecord, tuple[IndexTerm, set[str]]] | None:
    """The nearest heading above the row's code (up to its category) whose title names
    every word of an entry's class (each entry comes with its class words), and the entry of
    most words it names (and, `whole`, whose words the title writes whole). The code's own
    title is its heading's with the intent ("..., accidental (unintentional)")."""
    code = record(f"{INDEX_SYSTEM}:{row.codes[0]}")
    node = record(f"{INDEX_SYSTEM}:{code.parent}") if code is not None and code.parent else None
    while node is not None:
        named = set(_closed_words(node.title))
        fitting = [e for e in entries if e[1] and e[1] <= named
                   and (whole is None or whole(e, node.title))]
        if fitting:
            return node, max(fitting, key=lambda e: len(e[1]))
        if node.kind == _CATEGORY or not node.parent:
            return None
        node = record(f"{INDEX_SYSTEM}:{node.parent}")
    return None


def _subterms(entry: IndexTerm) -> str:
    """"Long-term, oral, antidiabetic" -> "oral, antidiabetic"."""
    return entry.entry[len(LONG_TERM) + 2:]


def _class_words(entry: IndexTerm) -> set[str]:
    return set(_closed_words(_subterms(entry)))


def _closed_words(text: str) -> list[str]:
    """The words a lookup compares, a hyphenated word written as one: the Index writes
    "non-steroidal", the tabular "nonsteroidal"."""
    return entry_words(written_as_one(text))


def _span_of(text: str, start: int, row: IndexTerm) -> tuple[int, int]:
    """Where in the text (from `start`) the words of the row's substance stand."""
    substance = _substance(row)
    spans = [(m.start(), m.end()) for m in word_spans(text[start:])
             if set(lookup_words(m.group(0))) & substance]
    return start + spans[0][0], start + spans[-1][1]


def _substance(row: IndexTerm) -> set[str]:
    """The words of the Table row's substance ("Ibuprofen")."""
    return {w for form in row.level_forms[0] for w in form}


def poisoning_reading(text: str, table: IndexTermTable,
                      body_words: frozenset[str]) -> Reading | None:
    """A substance the question names, with nothing else that names a condition, read as
    poisoning by it ("toddler got into the rat poison" as "poisoning by rat poison": the
    Table of Drugs' row "Rat poison NEC", T60.4X1), as a coder reads a substance taken with
    no effect stated: poisoning, and accidental where no intent is stated (the Table's
    first column). None where the Table has no row for it, the question's other words name
    an entry or another substance (each begins a main term: "smokes a pack of cigarettes";
    a word of taking in, "swallowed", is none: `takes_in`),
    or name a body part (`body_words`: "sugar in urine" is no poisoning), the row names a
    word only as a different word begins ("Pregnandiol" for "pregnant"), the Index has a
    main term of the substance's own ("Alcohol, alcoholic": "drinks alcohol" is its use), or
    the question as asked names an entry, or a word follows the substance's in its phrase
    (`_acts_on_what_follows`: "smokes pot" is no poisoning by smoke)."""
    row = _table_row(text, table)
    if row is None:
        return None
    start, end = _span_of(text, 0, row)
    if _acts_on_what_follows(text[end:]):
        return None
    rest = text[:start] + " " + text[end:]
    words = {w for w in entry_words(rest) if not takes_in(w, table)} - row.optional
    if any(w in body_words or w in table.by_main for w in words) \
            or not _written_as_asked(row, text) or _indexed_itself(row, table) \
            or index_matches(text, table):
        return None
    said = text[start:end]
    source = f"a substance taken, no effect stated, as poisoning by it ({row.via})"
    read_as = f"{POISONING_READING} {said}"
    return Reading(read_as, (Replacement(text, read_as, source),))


def _acts_on_what_follows(after: str) -> bool:
    """Whether a word follows the substance, in the same phrase, that is no preposition or
    conjunction (`_PHRASE_STARTS`): the substance's word then says what is done to it."""
    if re.match(r"\s*[,;.?!]", after):
        return False
    following = phrase_words(after)
    return bool(following) and following[0] not in _PHRASE_STARTS


def _written_as_asked(row: IndexTerm, text: str) -> bool:
    """Whether each word of the row's substance that a word of the text begins like is
    written as that word ("mushrooms" for "Mushroom"; never "Pregnandiol" for "pregnant")."""
    written = set(phrase_words(text))
    asked = {p for w in written for p in lookup_words(w)}
    substance = phrase_words(row.entry.rsplit(", ", 1)[0])  # its two levels: "Rat poison NEC"
    return all(w in written for w in substance if set(lookup_words(w)) & asked)


def _indexed_itself(row: IndexTerm, table: IndexTermTable) -> bool:
    """Whether an Index main term (a row of its tables aside) is the row's substance:
    "Alcohol, alcoholic" and "Tobacco" lead to use and dependence, not only poisoning."""
    forms = set(row.level_forms[0])
    positions = {p for form in forms for w in form for p in table.by_main.get(w, ())}
    return any(not is_table_row(t.via) and forms & set(t.level_forms[0])
               for t in (table.terms[p] for p in sorted(positions)))
