"""The Alphabetic Index entries a question names, as a coder looks it up: the situation its
start names, the question as asked or its readings, and, where none names it, the question
less the place, the cause or the occasion it gives, its one clause that names an entry, or
its words that a code of the entry holds."""

from __future__ import annotations

import functools

import re
from collections.abc import Callable
from dataclasses import replace

from assistant.corpus.alphabetic_index import is_neoplasm_table_row
from assistant.index.index_terms import IndexTerm, entry_words
from assistant.ranking.tabular import INDEX_SYSTEM, NOTES_SECTION, block_of, record_words
from assistant.ranking.source import CodeSource
from assistant.records import CodeRecord, NoteKind
from assistant.retrieval.analysis import Question
from assistant.retrieval.index_lookup import (IndexMatch, Places, clauses, index_matches,
                                              less_patient, named_cause, named_occasion,
                                              named_place)
from assistant.retrieval.readings import Reading
from assistant.text import MIN_CONTENT_LENGTH, words

# The words that name a side, as a reading may spell an abbreviation out ("OU": both eyes).
_SIDE_NAMES = frozenset(("right", "left", "bilateral", "both"))
# A code whose notes leave the kind of what it names to a procedure code (Z23: "procedure
# codes are required to identify the types of immunizations given"): `_types_left`.
_TYPES_BY_PROCEDURE = re.compile(r"\bprocedure codes are required to identify the types\b",
                                 re.I)
# The tabular's places of occurrence of an external cause ("Swimming pool (public) as the
# place of occurrence of the external cause"): where it happened is coded apart.
PLACE_CATEGORY = "Y92"
# The external cause of a foreign body entering into or through a natural orifice.
FOREIGN_BODY_CAUSE = "W44"
# Chapter 20, External causes of morbidity (V00-Y99), by the letters its codes begin with.
EXTERNAL_CAUSES = ("V", "W", "X", "Y")
EXTERNAL_CAUSE_RANGE = "V00-Y99"
# Chapter 19, Injury, poisoning and certain other consequences of external causes (S00-T88):
# the conditions an external cause is coded beside.
INJURY_CHAPTER = ("S", "T")


def index_lookups(question: Question, readings: list[Reading],
                   source: CodeSource) -> dict[int, list[IndexMatch]]:
    """The Alphabetic Index entries for the situation the question's start names, as a
    coder reads it ("hx of falls" is "History, personal, fall", not "Falling"); else for the
    question as asked, and the readings that lead to the same entries; where none names it,
    for its readings ("broken wrist" read as
    "fracture wrist"), by the reading's place."""
    if question.system not in (None, INDEX_SYSTEM):
        return {}
    for place, reading in enumerate(readings):
        if reading.situation:
            # an entry that leaves a kind to a procedure code counts only where none names
            # the whole reading (`index_matches` keeps such entries for that case alone)
            in_situation = index_matches(reading.text, source.index_terms,
                                         types_left=_types_left(reading.text, source))
            if in_situation:
                return {place: in_situation}
    as_asked = index_matches(question.text, source.index_terms)
    if as_asked:
        return {0: as_asked, **_same_entries(
            as_asked, readings, lambda text: index_matches(text, source.index_terms))}
    found = {place: index_matches(reading.text, source.index_terms)
             for place, reading in enumerate(readings) if place}
    found = {place: matches for place, matches in found.items() if matches}
    if found:
        return found
    at_place = _lookups_less_place(question, readings, source)
    if at_place:
        return at_place
    by_cause = _lookups_less_cause(question, readings, source)
    if by_cause:
        return by_cause
    occasion = named_occasion(question.text)
    by_occasion = _first_less(occasion, readings, source, _names_more_than_main) \
        if occasion else {}
    if by_occasion:
        return by_occasion
    less_patient_ = less_patient(question.text, record_words(source))
    if less_patient_ != question.text:
        by_condition = index_matches(less_patient_, source.index_terms)
        if by_condition:
            return {0: by_condition}
    through_groups = _with_sides(question, readings, lambda text: index_matches(
        text, source.index_terms, through_groups=True))
    if through_groups:
        return through_groups
    in_part = _with_sides(question, readings, lambda text: index_matches(
        text, source.index_terms, _holds(source), unsited=_unsited(source),
        types_left=_types_left(text, source)))
    if in_part:
        return in_part
    # after the entries whose codes' titles hold the words they leave ("insect" of "Insect
    # bite (nonvenomous) of lower leg"): only words no such title holds are left to a cause
    by_agent = _lookups_by_agent(readings, source)
    if by_agent:
        return by_agent
    return _with_sides(question, readings, lambda text: _one_clause_named(text, source)) \
        or _first_reading_named(readings, lambda text: _one_clause_named(text, source))


def _with_sides(question: Question, readings: list[Reading],
                lookup: Callable[[str], list[IndexMatch]]) -> dict[int, list[IndexMatch]]:
    """The entries `lookup` finds for the question as asked, and the readings that lead to
    the same entries (`_same_entries`): "FOOSH, L wrist sprain" is "Sprain, wrist" in its
    one clause that names an entry, and its reading of "L" says the side."""
    as_asked = lookup(question.text)
    if not as_asked:
        return {}
    return {0: as_asked, **_same_entries(as_asked, readings, lookup)}


def _first_reading_named(readings: list[Reading],
                         lookup: Callable[[str], list[IndexMatch]]) -> dict[int, list[IndexMatch]]:
    """The entries `lookup` finds for the first reading that names some, by its place: an
    abbreviation written out ("persistent AF, rate controlled": "persistent atrial
    fibrillation" is its one clause that names an entry)."""
    for place, reading in enumerate(readings):
        if place and reading.replacements:
            found = lookup(reading.text)
            if found:
                return {place: found}
    return {}


def _one_clause_named(text: str, source: CodeSource) -> list[IndexMatch]:
    """The entries of the one clause of the question that names an entry, where the whole
    names none: "stepped on a nail, puncture wound in the left foot, nothing stuck in it" is
    "Wound, open, puncture wound, foot, left"; the other clauses tell how it happened (an
    external cause, coded apart) or what is not there. None where no clause, or more than
    one, names an entry: two conditions are not one."""
    parts = clauses(text)
    if len(parts) < 2:
        return []
    named = [m for m in (index_matches(part, source.index_terms) for part in parts) if m]
    return named[0] if len(named) == 1 else []


def _lookups_less_place(question: Question, readings: list[Reading],
                        source: CodeSource) -> dict[int, list[IndexMatch]]:
    """The entries for the question less the place it says it happened at ("near drowning
    in a pool" is "Near drowning"), as asked or else by its readings' places; the place is
    the external cause's place of occurrence, a code of its own."""
    place = named_place(question.text, lambda: _places(source))
    if place is None:
        return {}
    found = _first_less(place, readings, source, lambda m: True)
    return {at: [replace(m, place=place) for m in found[at]] for at in found}


def _lookups_less_cause(question: Question, readings: list[Reading],
                        source: CodeSource) -> dict[int, list[IndexMatch]]:
    """The injury entries for the question less the phrase that says how it happened ("cut
    my finger while cooking" is "Cut, finger"), as asked or else by its readings'; that is
    the external cause, coded apart. Only an injury's (INJURY_CHAPTER): "trouble walking" is
    no "Trouble" with a cause. Where what is left names no entry as a whole, its one clause
    that names one is looked up (`_one_clause_named`): "cut my left thumb with a kitchen
    knife, nail is fine" is "Cut, thumb, left"."""
    cause = named_cause(question.text, lambda: _cause_words(source))
    if cause is None:
        return {}
    found = _first_less(cause, readings, source, lambda m: _injury(m.term), lambda text: (
        index_matches(text, source.index_terms) or _one_clause_named(text, source)))
    return {at: [replace(m, cause=cause) for m in found[at]] for at in found}


def _lookups_by_agent(readings: list[Reading], source: CodeSource) -> dict[int, list[IndexMatch]]:
    """The injury entries that name all of a reading but a few words together, each a word
    the external causes use, by the first such reading's place: "cat bit my left forearm"
    read as "cat bite ..." is "Bite, forearm", and the cat is the external cause's (W55.01
    "Bitten by cat"), coded apart. Fewer words left than named (`index_matches`' share), and
    none an injury's title uses ("insect" of "Insect bite (nonvenomous) of lower leg")."""
    agent_words = functools.cache(lambda: _cause_words(source) - _injury_words(source))

    def caused(term: IndexTerm, left: frozenset[str]) -> bool:
        return _injury(term) and left <= agent_words()

    for place, reading in enumerate(readings):
        found = [m for m in index_matches(reading.text, source.index_terms, caused) if m.unnamed]
        causes = [_written_together(reading.text, set(m.unnamed)) for m in found]
        if found and all(causes):
            return {place: [replace(m, unnamed=(), cause=cause) for m, cause in zip(found, causes)]}
    return {}


def _names_more_than_main(match: IndexMatch) -> bool:
    """An entry below its main term: "Hemorrhage, gum" is the condition less the occasion,
    "Pain" alone is too little of it ("pain when I swallow")."""
    return len(match.term.levels) > 1


def _injury(term: IndexTerm) -> bool:
    """An entry whose codes are all injuries' (INJURY_CHAPTER)."""
    return bool(term.codes) and all(c.startswith(INJURY_CHAPTER) for c in term.codes)


def _written_together(text: str, lookup: set[str]) -> str:
    """The words of the text that lookups compare as `lookup`, as written, where they stand
    together; "" where they do not."""
    spoken = text.split()
    at = [i for i, word in enumerate(spoken) if (w := set(entry_words(word))) and w <= lookup]
    if not at or at[-1] - at[0] + 1 != len(at):
        return ""
    return " ".join(spoken[at[0]:at[-1] + 1])


def _first_less(phrase: str, readings: list[Reading], source: CodeSource,
                keep: Callable[[IndexMatch], bool],
                lookup: Callable[[str], list[IndexMatch]] | None = None,
                ) -> dict[int, list[IndexMatch]]:
    """The entries `keep` accepts for the first reading that holds the phrase and names
    some with the phrase left out (by `lookup`, else the whole text's entries), by the
    reading's place."""
    lookup = lookup or (lambda text: index_matches(text, source.index_terms))
    for place, reading in enumerate(readings):
        if phrase not in reading.text:
            continue
        matches = [m for m in lookup(reading.text.replace(phrase, " ")) if keep(m)]
        if matches:
            return {place: matches}
    return {}


def _cause_words(source: CodeSource) -> frozenset[str]:
    """The words of the tabular's external causes (EXTERNAL_CAUSES' codes)."""
    return _words_of(tuple(title for chapter in EXTERNAL_CAUSES
                           for _, title in source.titles_under(INDEX_SYSTEM, chapter)))


def action_words(source: CodeSource) -> frozenset[str]:
    """The external causes' words (`_cause_words`) less those of a foreign body entering a
    natural orifice (FOREIGN_BODY_CAUSE: "bead", "coin", "insect"): how it happened, never
    the thing that entered."""
    return _cause_words(source) - _words_of(tuple(
        title for _, title in source.titles_under(INDEX_SYSTEM, FOREIGN_BODY_CAUSE)))


def _injury_words(source: CodeSource) -> frozenset[str]:
    """The words of the tabular's injuries (INJURY_CHAPTER's codes)."""
    return _words_of(tuple(title for chapter in INJURY_CHAPTER
                           for _, title in source.titles_under(INDEX_SYSTEM, chapter)))


@functools.lru_cache(maxsize=4)
def _words_of(titles: tuple[str, ...]) -> frozenset[str]:
    """The lookup words of these titles, worked out once for the same titles (the external
    causes are thousands of titles, asked for question after question)."""
    return frozenset(w for title in titles for w in entry_words(title))


def _places(source: CodeSource) -> Places:
    """The tabular's places of occurrence (PLACE_CATEGORY's codes)."""
    return Places.of(title for _, title in source.titles_under(INDEX_SYSTEM, PLACE_CATEGORY))


def _same_entries(as_asked: list[IndexMatch], readings: list[Reading],
                  lookup: Callable[[str], list[IndexMatch]]) -> dict[int, list[IndexMatch]]:
    """The readings that lead to the same entries as the question as asked, by place: they
    read only words the entries leave to the code's characters ("L foot pain" read as "left
    foot pain": "Pain, foot" either way, and the reading names the side)."""
    entries = {m.term.entry for m in as_asked}
    found = {}
    for place, reading in enumerate(readings):
        if place and reading.replacements:
            matches = lookup(_sides_only(reading))
            if matches and {m.term.entry for m in matches} == entries:
                found[place] = matches
    return found


def _sides_only(reading: Reading) -> str:
    """The reading's text with each phrase read as a side and a part ("OS" as "left eye")
    left as its side alone: the part beside the side is what the code's side character
    names ("..., left eye"), not a word of the condition the entry must name."""
    text = reading.text
    for replacement in reading.replacements:
        words = replacement.read_as.split()
        sides = [w for w in words if w.lower() in _SIDE_NAMES]
        if sides and len(sides) < len(words):
            text = text.replace(replacement.read_as, " ".join(sides))
    return text


def _holds(source: CodeSource) -> Callable[[IndexTerm, frozenset[str]], bool]:
    """Whether a code an entry gives holds the words it leaves unnamed, in its title or its
    own inclusion terms ("Vesicular dermatitis of lip" under B00.1)."""
    def holds(term: IndexTerm, words: frozenset[str]) -> bool:
        for code in term.codes:
            record = source.record(f"{INDEX_SYSTEM}:{code}")
            if record is None:
                continue
            texts = [record.title] + [note.text for note in record.notes
                                      if note.kind == NoteKind.INCLUSION_TERM and note.stated_at == code]
            if words <= {w for text in texts for w in entry_words(text)}:
                return True
            if _main_terms_in_block(words, code, source):
                return True
            if _every_code_below_holds(words, code, source):
                return True
        return False
    return holds


def _every_code_below_holds(words: frozenset[str], code: str, source: CodeSource) -> bool:
    """Whether the title of every code below a heading holds the words, and a side stands
    before them in one: the site its side character names ("Bunion, tailor's" M21.62-
    "Bunionette": "... of right foot", "... of left foot", "... of unspecified foot"; not
    the trimester, "... second trimester")."""
    below = source.titles_under(INDEX_SYSTEM, code)
    if not below or not all(words <= set(entry_words(title)) for _, title in below):
        return False
    return any(words <= _after_side(title) for _, title in below)


def _after_side(title: str) -> set[str]:
    """The lookup words of the word after each side word of a title ("foot" of "Bunionette
    of left foot")."""
    said = title.lower().replace(",", " ").split()
    return {w for at, word in enumerate(said[:-1]) if word in _SIDE_NAMES
            for w in entry_words(said[at + 1])}


def _types_left(text: str, source: CodeSource) -> Callable[[IndexTerm, frozenset[str]], bool]:
    """Whether a code an entry gives leaves the kind of what it names to a procedure code
    (Z23's note: "procedure codes are required to identify the types of immunizations
    given"), and the words the entry leaves unnamed say that kind: each stands before a word
    the entry names, with none but other such words between, as a kind stands before its
    noun ("tetanus vaccine"; not "vaccine reaction")."""
    asked = entry_words(text)

    def holds(term: IndexTerm, words: frozenset[str]) -> bool:
        if not any(_types_by_procedure(source.record(f"{INDEX_SYSTEM}:{code}"))
                   for code in term.codes):
            return False
        named = term.required | term.optional
        for at, word in enumerate(asked):
            if word not in words:
                continue
            after = next((w for w in asked[at + 1:]
                          if w in named or (w not in words and len(w) >= MIN_CONTENT_LENGTH)),
                         None)
            if after is None or after not in named:
                return False
        return True
    return holds


def _types_by_procedure(record: CodeRecord | None) -> bool:
    return record is not None and bool(procedure_note(record))


def procedure_note(record: CodeRecord) -> str:
    """The code's note that leaves the kind of what it names to a procedure code, or ""."""
    return next((section.text for section in record.sections if section.name == NOTES_SECTION
                 and _TYPES_BY_PROCEDURE.search(section.text)), "")


def kind_said(text: str, match: IndexMatch) -> str:
    """The question's words that an entry leaves to a procedure code (`_types_left`)."""
    return " ".join(w for w in words(text) if set(entry_words(w)) & set(match.to_procedure))


def _unsited(source: CodeSource) -> Callable[[IndexTerm, frozenset[str]], bool]:
    """Whether the words name body parts (the synonym table's body words, `kin`, from
    WordNet) and no title or inclusion term of the categories an entry leads to names a body
    part the entry does not: "Tag,
    skin" (L91: no site anywhere) leaves "on the neck" to no code; "Coldsore" (B00.1, "of
    lip") and "Mole" (D22: lip, ear, trunk, ...) do not."""
    body = source.synonyms.body_words

    def unsited(term: IndexTerm, words: frozenset[str]) -> bool:
        if not term.codes or not words <= body:
            return False
        named = term.required | term.optional
        for code in term.codes:
            record = source.record(f"{INDEX_SYSTEM}:{code}")
            if record is None:
                return False
            category = code.split(".")[0]
            texts = [record.title, *(note.text for note in record.notes
                                     if note.kind == NoteKind.INCLUSION_TERM)]
            texts += [title for _, title in source.titles_under(INDEX_SYSTEM, category)]
            if {w for text in texts for w in entry_words(text)} & body - named:
                return False
        return True
    return unsited


def _main_terms_in_block(words: frozenset[str], code: str, source: CodeSource) -> bool:
    """Whether each word is an Alphabetic Index main term with an entry that gives a code of
    the code's block: the word names the kind of condition the code is ("poison ivy rash":
    "Rash, diaper" gives L22, of L23.7's block "Dermatitis and eczema")."""
    block = block_of(code, source)
    if block is None:
        return False
    table = source.index_terms
    for word in words:
        # a row of the Neoplasm Table begins with a site, which names no kind of condition
        entries = (t for t in table.entries_of(word) if not is_neoplasm_table_row(t.via))
        if not any(block_of(given, source) == block
                   for entry in entries if frozenset([word]) in entry.level_forms[0]
                   for given in entry.codes):
            return False
    return True
