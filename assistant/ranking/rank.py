"""Which codes answer "which code for X?", best first, each with the terms of its score.

The one place that orders candidate codes, behind `CodeSource` (what it needs of the
retriever). The search brings candidates (lexical and dense search fused by rank); the order
among them comes mostly from the dense similarity of a code's best chunk, then from how many
of the question's words it holds and its fused rank, less penalties and plus bonuses for how
its title fits the question by the code set's conventions (`fit.py`). Every term is kept by
name in the candidate (`Candidate.terms`), with the words that matched, the reading that
found it and the heading it was chosen under, so an answer can say why a code is there.

The question is ranked as asked and as read in the code sets' words ("pink eye" as
"conjunctivitis"); the lists are merged, one candidate per code, the best scoring kept.
"""

from __future__ import annotations

import functools

import re
from collections.abc import Callable, Iterator, Set as AbstractSet
from dataclasses import dataclass, replace

from assistant.corpus.alphabetic_index import is_neoplasm_table_row, table_file
from assistant.corpus.record_notes import records_excluded, records_named
from assistant.index.embeddings import Abstention
from assistant.index.index_terms import IndexTerm, entry_words
from assistant.index.synonyms import is_acronym, is_letter
from assistant.ranking.drug_class import drug_class_reading, poisoning_reading
from assistant.ranking.fit import (AskedWords, WordMatch, adds_unasked_qualifier, contradictions,
                                   default_preference, leaves_stated_detail_open,
                                   nothing_more_count,
                                   held_prefixes, names_any, names_side, nos_term,
                                   tabular_default_term,
                                   unasked_details, unspecified_asked_and_stated, word_match)
from assistant.ranking.history import (FAMILY_CATEGORIES, PERSONAL_CATEGORIES,
                                       classified_otherwise, history_code)
from assistant.ranking.gestation import (Trimester, named_trimester, trimester_of, trimesters,
                                        weeks_asked)
from assistant.ranking.neoplasm import (CATEGORY_LENGTH, other_behaviour_categories,
                                        primary_where_site_precedes_cancer)
from assistant.ranking.pregnancy import PREGNANCY_LETTER, conditions_in, pregnancy_heading
from assistant.ranking.prefix_senses import read_backwards, sense_prefixes
from assistant.ranking.sequencing import code_first_ranges, in_ranges, named_ranges
from assistant.ranking.source import CodeSource
from assistant.records import Chunk, CodeRecord, NoteKind, Status
from assistant.retrieval.analysis import Question, search_text
from assistant.retrieval.hybrid import CodeHit
from assistant.retrieval.index_lookup import (IndexMatch, Places, clauses, condition_words,
                                              index_matches, less_patient, named_cause,
                                              named_occasion, named_place)
from assistant.retrieval.readings import (FAMILY_HISTORY_READING, Reading,
                                         foreign_body_reading, history_named,
                                         is_pregnancy_reading, less_when,
                                         pregnancy_reading, read_clipped, readings_of)
from assistant.status import status_on
from assistant.text import (MIN_CONTENT_LENGTH, lookup_words, phrase_words, places_otherwise,
                            positions_named, prefix, search_tokens, words)

# Hits of one search that are ranked; a code further down is too far to be the answer.
RANKED_HITS = 30
# Record kinds that can answer; chapters and blocks only group them.
RANKED_KINDS = ("code", "category")
# The best candidate answers when its similarity reaches the embedding model's threshold
# alone, or its lower one with this share of the question's words (see Abstention).
MIN_WORD_COVERAGE = 0.6
# The score: dense similarity first, then word support, rank fusion, and penalties.
WORD_WEIGHT = 0.2
FUSION_WEIGHT = 0.3
CONTRADICTION_PENALTY = 0.3
UNASKED_DETAIL_PENALTY = 0.05
NOT_REPORTABLE_PENALTY = 0.15
# A code found only by reading the asker's words as synonyms ranks a little below one the
# words themselves find equally well.
READING_PENALTY = 0.03
# A question one of the first codes found as asked holds every word of names its condition
# itself, as does one the Alphabetic Index names as asked or as another reading reads it:
# it is not read as a description of one (`Reading.described`).
NAMED_AMONG = 5
# A code that names neither the asker's word for the condition nor the code sets' word for
# it ("pink eye", "conjunctivitis") is not about that condition, however close it reads.
UNNAMED_CONDITION_PENALTY = 0.2
# An inclusion term "X NOS" is the code set saying where X with no further detail goes: a
# question that names X and nothing more gets that code ("Influenza NOS" -> J11.1).
NOS_BONUS = 0.25
UNSPECIFIED_BONUS = 0.1
# A code the Alphabetic Index gives for the question's words: the coder's own lookup, which
# names conditions in words the tabular does not use ("hardening of the arteries").
INDEX_BONUS = 0.3
# Sources whose pregnancy headings are kept (`_pregnancy_headings`): one in use, and tests'.
SOURCES_KEPT = 4
_HEADINGS_KEPT: dict[int, tuple[object, tuple[CodeRecord, ...]]] = {}
# A code only the Index gives, as rank fusion scores a code first in one of its two lists
# (dense, lexical) and absent from the other: this share of the search's first hit.
INDEX_ONLY_FUSION = 0.5
# The words of a title that name its side, or leave it unspecified (`_sides_apart`).
# The words that name a side, as a reading may spell an abbreviation out ("OU": both eyes).
_SIDE_NAMES = frozenset(("right", "left", "bilateral", "both"))
_SIDE_PREFIXES = frozenset(prefix(w) for w in ("right", "left", "bilateral", "unspecified"))
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
# A code whose notes leave the kind of what it names to a procedure code (Z23: "procedure
# codes are required to identify the types of immunizations given"): `_types_left`.
_TYPES_BY_PROCEDURE = re.compile(r"\bprocedure codes are required to identify the types\b",
                                 re.I)
# How an index entry stands among a code's chunks (its table: `table_file`).
INDEX_SECTION = "alphabetic_index"
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
# Per word of a title that the question does not hold, beyond the fewest among candidates:
# with no detail asked, the code that adds none (often "..., unspecified") comes first.
EXTRA_WORD_PENALTY = 0.03

# The candidates an answer shows; among them a code the tabular says to code first comes
# before the code that says so (`_code_first_ahead`).
SEQUENCED = 5
# The weeks of gestation a question gives are coded beside its condition: Z3A says "Code
# first obstetric condition ... (O09-O60, ...)". Where the question names a condition the
# weeks' code does not hold ("breech", "preemie"), that condition's code answers first.
CODED_BESIDE_PENALTY = 0.2

# A code's characters without the dot: one of 7 has its 7th character (often the encounter).
SEVENTH_CHARACTER = 7

# The names of the score's terms, as a breakdown shows them.
SIMILARITY = "similarity"
WORDS = "words matched"
FUSION = "search rank"
CONTRADICTION = "contradicts a detail asked"
UNASKED_DETAIL = "details not asked"
EXTRA_WORDS = "title words not asked"
READ_BACKWARDS = "names the opposite of a word asked (the Index's prefix for it)"
UNASKED_QUALIFIER = "a detail not asked, beside a code that says nothing more"
NOT_REPORTABLE = "not reportable on the date of service"
UNSPECIFIED = "unspecified asked and stated"
NOS_TERM = "inclusion term NOS"
READING = "found through a reading"
INDEX_ENTRY = "Alphabetic Index entry"
UNNAMED_CONDITION = "names neither the word asked nor its reading"
CODED_BESIDE = "coded beside a condition asked that it does not name"
# A code of a chapter whose notes say its codes are never for the record the question names
# ("never on maternal records", chapter 16, for "breastfeeding mom with mastitis").
OTHER_RECORD = "its chapter's codes are never for the record asked"
# The codes of the search for a history's condition alone of which the first outside the
# history categories is taken as the condition's code.
CONDITION_HITS = 3


@dataclass(frozen=True)
class Term:
    """One named part of a score: a bonus is positive, a penalty negative."""

    name: str
    value: float


@dataclass(frozen=True)
class HeadingChoice:
    """The heading the search matched, that a billable code was chosen under.

    by_default: at some level no child matched the question better than the heading did,
    so the default child was taken there (see `billable_under`).
    """

    heading: CodeRecord
    by_default: bool
    # the inclusion term "X NOS" that made a default child the tabular's own default
    default_term: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A code that may answer the question, with every term of its score and its sources."""

    record: CodeRecord
    hit: CodeHit
    asked: Question                     # the question as the reading that found it puts it
    terms: tuple[Term, ...] = ()
    words: WordMatch = WordMatch((), ())
    heading: HeadingChoice | None = None
    reading: Reading | None = None      # None: found by the question as asked
    nos_term: str | None = None         # the inclusion term "X NOS" it was preferred for
    index: IndexMatch | None = None     # the Alphabetic Index entry that gives it
    # the condition's code (that answers the question) a tabular note of this code holds
    # ("Conditions in J00-J99": `_in_pregnancy`)
    holds_condition: str = ""
    when: tuple[str, ...] = ()          # the question's words set aside as saying when

    @property
    def score(self) -> float:
        """The terms added in the order they were scored (the order of a float sum matters)."""
        total = 0.0
        for term in self.terms:
            total += term.value
        return total

    @property
    def similarity(self) -> float:
        return self.hit.best_dense

    @property
    def text(self) -> str:
        """The code's title, every chunk of it the search found, and the index entry."""
        return _text(self.record, self.hit, self.index)

    def with_term(self, name: str, value: float) -> Candidate:
        return replace(self, terms=self.terms + (Term(name, value),))


def rank_codes(question: Question, source: CodeSource) -> list[Candidate]:
    """Codes best first, over the question as asked and its readings in the code sets' words
    (a drug the patient is on, that the Index does not name, also as its class: `drug_class`)."""
    best: dict[str, Candidate] = {}
    read = readings_of(question.text, source.synonyms)
    when: tuple[str, ...] = ()
    if not any(r.situation for r in read):
        # where the start names a situation, when belongs to it: "had a stroke last year"
        # is a history, "hx of stroke last year" is not a stroke
        question, when = _less_when(question, source)
        read = [_reading_less_when(r, source) for r in read]
    readings = [Reading(question.text)] + read
    if question.system in (None, INDEX_SYSTEM):
        readings = [read_clipped(r, source.index_terms) for r in readings]
    if question.system in (None, INDEX_SYSTEM):
        by_class = drug_class_reading(readings, source.index_terms, source.record)
        readings += [by_class] if by_class is not None else []
        readings += _whole_readings(question.text, readings, source)
    # the searches' and the index entries' vectors are computed beside the Python work (an
    # acronym's sense only once the index confirms it)
    source.embed_ahead(queries=[question.search_text] + [
        search_text(r.text) for r in readings if r.replacements and not r.by_index])
    lookups = {place: primary_where_site_precedes_cancer(found, question.text, source.index_terms)
               for place, found in _index_lookups(question, readings, source).items()}
    source.embed_ahead(texts=[m.term.entry for found in lookups.values() for m in found])
    searched = []
    named_as_asked = False
    for place, reading in enumerate(readings):
        if reading.by_index and place not in lookups:
            continue  # an acronym's sense that the Alphabetic Index does not confirm
        if reading.described and (named_as_asked or any(p < place for p in lookups)):
            continue  # the question names its condition: it describes nothing
        searched.append(reading)
        asked = question
        if reading.replacements:
            asked = replace(question, text=reading.text, search_text=search_text(reading.text))
        index = lookups.get(place, [])
        ranked = _ranked_as_asked(_less_cause(asked, index), source, index)
        if place == 0:
            named_as_asked = any(c.words.coverage == 1.0 for c in ranked[:NAMED_AMONG])
        for candidate in ranked:
            if reading.replacements:
                candidate = replace(candidate, reading=reading).with_term(READING,
                                                                          -READING_PENALTY)
            _keep_best(best, candidate)
    history = _history_unindexed(readings, searched, lookups)
    classified = _classify_history(history, question, source, best) if history else None
    # a description is read as a whole: a code that names neither the asker's words nor the
    # term they describe is not held back for it (only a phrase read as a name is)
    # nor is one held back for not naming a status that only "s/p" says, unconfirmed
    named = _named_in_readings([r for place, r in enumerate(readings) if r in searched
                                and not r.described
                                and not (r.after_procedure and place not in lookups)])
    weeks_given = weeks_asked(question.text) is not None
    other_record = _chapters_excluding(question.text, source)
    for key, candidate in best.items():
        if candidate.record.system == INDEX_SYSTEM and any(
                in_ranges(candidate.record.code, ranges) for ranges in other_record):
            candidate = best[key] = candidate.with_term(OTHER_RECORD, -CONTRADICTION_PENALTY)
        if key == classified:
            continue  # its note names the condition by the condition's code
        if candidate.index is not None and candidate.index.to_procedure:
            continue  # its note leaves the kind asked ("shingles" vaccine) to a procedure code
        if not all(_names_reading(candidate.text, options) for options in named):
            candidate = best[key] = candidate.with_term(UNNAMED_CONDITION,
                                                        -UNNAMED_CONDITION_PENALTY)
        if weeks_given and _coded_beside(candidate):
            best[key] = candidate.with_term(CODED_BESIDE, -CODED_BESIDE_PENALTY)
    ranked = sorted(best.values(), key=lambda c: c.score, reverse=True)
    if when:
        ranked = [replace(c, when=when) for c in ranked]
    ranked = _in_pregnancy(ranked, question, readings, lookups, source)
    return _code_first_ahead(ranked)


def _in_pregnancy(ranked: list[Candidate], question: Question, readings: list[Reading],
                  lookups: dict[int, list[IndexMatch]], source: CodeSource) -> list[Candidate]:
    """The candidates with the pregnancy chapter's code for the best one's condition put
    first, where the question says the patient is pregnant (`pregnancy_reading`) and the
    Alphabetic Index has no "Pregnancy, complicated by" entry for it: the heading whose note
    "Conditions in J00-J99" holds the condition's code (`pregnancy.pregnancy_heading`),
    its code picked as a history's is (the trimester by the weeks asked), where the best one
    answers the question. That heading's
    note "Use additional code to identify specific condition" keeps the condition beside."""
    place = next((p for p, r in enumerate(readings) if is_pregnancy_reading(r)), None)
    # the weeks' code (Z3A) is coded beside another ("Code first obstetric condition"): the
    # condition is the best of the others
    best = next((c for c in ranked if not code_first_ranges(c.record)), None)
    if place is None or place in lookups or best is None \
            or best.record.system != INDEX_SYSTEM or not is_answer(best, source.abstention):
        return ranked
    condition = best.record.code
    found = pregnancy_heading(condition, _pregnancy_headings(source))
    if found is None:
        return ranked
    heading, note = found
    chosen = _child_of_condition(heading, condition, question.text, source)
    if chosen is None:
        return ranked
    record, choice = chosen
    candidate = next((c for c in ranked if c.record.key == record.key), None)
    if candidate is None:
        hit = source.code_hits(question.search_text, [record.key]).get(record.key)
        if hit is None:
            return ranked
        [candidate] = _scored([_Found(0.0, hit, record, choice)], question, source.synonyms.kin)
    because = f"{heading.code}'s note '{note}' holds {condition}, a condition in the pregnancy"
    first = replace(candidate.with_term(because, INDEX_BONUS), holds_condition=condition)
    return [first] + [c for c in ranked if c is not candidate]


def _pregnancy_headings(source: CodeSource) -> tuple[CodeRecord, ...]:
    """The pregnancy chapter's headings with a "Conditions in" note, read once per source
    (the source is kept beside them, so its id names no other while they are kept)."""
    kept = _HEADINGS_KEPT.get(id(source))
    if kept is not None and kept[0] is source:
        return kept[1]
    codes = sorted(code for code, _ in source.titles_under(INDEX_SYSTEM, PREGNANCY_LETTER))
    # a heading's codes sort right after it: only those with codes below are read
    records = (source.record(f"{INDEX_SYSTEM}:{code}")
               for code, after in zip(codes, codes[1:]) if after.startswith(code))
    headings = tuple(r for r in records if r is not None and conditions_in(r)[1])
    if len(_HEADINGS_KEPT) >= SOURCES_KEPT:
        _HEADINGS_KEPT.clear()
    _HEADINGS_KEPT[id(source)] = (source, headings)
    return headings


def _whole_readings(text: str, readings: list[Reading], source: CodeSource) -> list[Reading]:
    """The question read as a whole as a substance taken (`poisoning_reading`) or a thing
    put in a body opening (`foreign_body_reading`), only where nothing in it has a reading
    of its own: a phrase the code sets have words for ("ringing in both ears", "on home
    oxygen") names the condition."""
    if len(readings) > 1:
        return []
    taken = poisoning_reading(text, source.index_terms, source.synonyms.body_words)
    if taken is not None:
        return [taken]
    in_opening = foreign_body_reading(text, source.index_terms, source.synonyms.body_words,
                                      lambda: _action_words(source))
    return [in_opening] if in_opening is not None else []


def _chapters_excluding(question: str, source: CodeSource) -> list[list[tuple[str, str]]]:
    """The code ranges (as its title names them, "(P00-P96)") of each chapter whose notes say
    its codes are never for the one record the question names ("mom": maternal, as the
    synonym table reads whose record a word names); none where it names none, or both
    ("newborn affected by maternal hypertension"). A pregnant patient's record is the one the
    pregnancy chapter's codes are for ("for use only on maternal records")."""
    asked = {r for word in phrase_words(question) for r in source.synonyms.records.get(word, ())}
    if pregnancy_reading(question) is not None:
        asked |= _pregnancy_records(source)
    if len(asked) != 1:
        return []
    return [named_ranges(chapter.title) for chapter in _chapters(source)
            if asked & {w for s in chapter.sections if s.name == NOTES_SECTION
                        for w in records_excluded(s.text)}]


def _pregnancy_records(source: CodeSource) -> set[str]:
    """The records the pregnancy chapter's notes say its codes are for: those they name and
    do not exclude ("only on maternal records, never on newborn records": maternal)."""
    for chapter in _chapters(source):
        if any(first.startswith(PREGNANCY_LETTER) for first, _ in named_ranges(chapter.title)):
            notes = [s.text for s in chapter.sections if s.name == NOTES_SECTION]
            return {w for n in notes for w in records_named(n)} \
                - {w for n in notes for w in records_excluded(n)}
    return set()


def _coded_beside(candidate: Candidate) -> bool:
    """The code is one the tabular says to code after another of named ranges
    (`code_first_ranges`), and the question (one that gives weeks of gestation: the caller
    asks only then) names a condition word its text does not hold
    (word coverage's match, `Candidate.words`): "preemie born at 32 weeks" is the newborn's
    condition, the weeks of gestation (Z3A) only go beside a code of the mother's."""
    unheld = set(candidate.words.asked) - set(candidate.words.found)
    if not unheld or not code_first_ranges(candidate.record):
        return False
    condition = condition_words(candidate.asked.search_text)
    return any(set(entry_words(word)) & condition for word in unheld)


def _history_unindexed(readings: list[Reading], searched: list[Reading],
                       lookups: dict[int, list[IndexMatch]]) -> tuple[Reading, str, str] | None:
    """The history the question's start names, personal or family (`history_named`), with
    its main term and condition, where the Alphabetic Index names it under no "History"
    entry."""
    for place, reading in enumerate(readings):
        named = history_named(reading)
        if named is not None and reading in searched and place not in lookups:
            return reading, *named
    return None


def _classify_history(history: tuple[Reading, str, str], question: Question,
                      source: CodeSource, best: dict[str, Candidate]) -> str | None:
    """The history code whose tabular note "Conditions classifiable to ..." holds the code of
    the condition the history is of, ranked as an Index entry's (`_classified_history`); and
    the other history codes whose nearest such note does not hold it held back as
    contradicting it: "family history of colon cancer" is no "Family history of colon
    polyps" (Z83.7: "Conditions classifiable to D12, K00-K93"). The key of the code
    classified so, if any."""
    reading, main, condition = history
    categories = FAMILY_CATEGORIES if main == FAMILY_HISTORY_READING else PERSONAL_CATEGORIES
    code = _condition_code(condition, categories, source)
    if code is None:
        return None
    classified = _classified_history(history, code, categories, question, source, best)
    if classified is None:
        return None
    best[classified.record.key] = classified
    for key, candidate in best.items():
        if key == classified.record.key or not candidate.record.code.startswith(categories):
            continue
        otherwise = classified_otherwise(code, candidate.record, lambda r: _parent(r, source))
        if otherwise:
            best[key] = candidate.with_term(f"{otherwise} does not hold {code}",
                                            -CONTRADICTION_PENALTY)
    return classified.record.key


def _classified_history(history: tuple[Reading, str, str], code: str,
                        categories: tuple[str, ...], question: Question, source: CodeSource,
                        best: dict[str, Candidate]) -> Candidate | None:
    """The history code whose tabular note "Conditions classifiable to ..." holds the code
    of the condition (`history.history_code`), ranked as an Index entry's: a coder codes
    "hx of basal cell skin cancer" as the history of a condition of C44."""
    reading, _, condition = history
    keys = [f"{INDEX_SYSTEM}:{c}" for category in categories
            for c in [category] + [below for below, _ in source.titles_under(INDEX_SYSTEM,
                                                                              category)]]
    classified = history_code(code, keys, source.record)
    if classified is None:
        return None
    record, note = classified
    because = f"{record.code}'s note '{note}' holds {code}, the code of '{condition}'"
    heading = None
    if not record.billable and record.children:
        chosen = _child_of_condition(record, code, reading.text, source)
        if chosen is None:
            return None
        record, heading = chosen
    candidate = best.get(record.key)
    if candidate is None:
        asked = replace(question, text=reading.text, search_text=search_text(reading.text))
        hit = source.code_hits(asked.search_text, [record.key]).get(record.key)
        if hit is None:
            return None
        [candidate] = _scored([_Found(0.0, hit, record, heading)], asked, source.synonyms.kin)
        if reading.replacements:
            candidate = replace(candidate, reading=reading).with_term(READING, -READING_PENALTY)
    return candidate.with_term(because, INDEX_BONUS)


def _child_of_condition(heading: CodeRecord, code: str, question: str,
                        source: CodeSource) -> tuple[CodeRecord, HeadingChoice] | None:
    """The billable code under a history heading whose title names most of the words of the
    condition's code and the headings above it ("Family history of ischemic heart disease
    ..." for I21.3, of the block "Ischemic heart diseases"); where none names more than
    another, or the children name trimesters (the weeks asked pick one, not the words of
    "Anxiety disorder, unspecified"), the heading's default (`billable_under`)."""
    words: set[str] = set()
    record = source.record(f"{INDEX_SYSTEM}:{code}")
    while record is not None:
        words.update(entry_words(record.title))
        record = _parent(record, source)
    node = heading
    while not node.billable and node.children:
        titles = source.titles([f"{INDEX_SYSTEM}:{child}" for child in node.children])
        named = {key: len(words & set(entry_words(title))) for key, title in titles.items()}
        most = max(named.values(), default=0)
        chosen = [key for key, count in named.items() if count == most]
        if not most or len(chosen) > 1 or any(named_trimester(t) for t in titles.values()):
            return billable_under(node, {}, source, question)
        found = source.record(chosen[0])
        if found is None:
            return None
        node = found
    return node, HeadingChoice(heading, False, None)


def _condition_code(condition: str, categories: tuple[str, ...],
                    source: CodeSource) -> str | None:
    """The code of the condition a history is of: the first the Alphabetic Index gives for
    it, else the first of the search's first CONDITION_HITS codes whose title holds at least
    half the condition's words ("Basal cell carcinoma of skin" for "basal cell skin
    cancer"; a search that finds no code of the condition finds nothing); never a history's
    own. None where a word is too short for either to weigh ("ca" of "prostate ca":
    "prostate" alone would be looked up)."""
    asked = search_tokens(condition)
    if any(len(w) < MIN_CONTENT_LENGTH for w in asked):
        return None
    for match in index_matches(condition, source.index_terms):
        for code in match.term.codes:
            if not code.startswith(categories):
                return code.rstrip("-")
    for hit in source.search_codes(search_text(condition), system=INDEX_SYSTEM)[:CONDITION_HITS]:
        record = source.record(hit.key)
        if record is None or record.kind not in RANKED_KINDS \
                or record.code.startswith(categories):
            continue
        held = held_prefixes(record.title)
        if 2 * sum(prefix(w) in held for w in asked) >= len(asked):
            return record.code
    return None


def _code_first_ahead(ranked: list[Candidate]) -> list[Candidate]:
    """The candidates with each of the first SEQUENCED that the tabular says to code
    after another ("Code first obstetric condition ... (O09-O60, ...)" of Z3A, weeks of
    gestation) placed after the first candidate of those ranges shown that the question
    names (an Alphabetic Index entry gives it), if one is: that code is listed first, as
    the note says. One the question does not name may not be there at all ("Code first any
    associated ..." of end stage renal disease)."""
    ranked = list(ranked)
    shown = min(SEQUENCED, len(ranked))
    for place in range(shown):
        ranges = code_first_ranges(ranked[place].record)
        if not ranges or ranked[place].record.system != INDEX_SYSTEM:
            continue
        ranked_in = [p for p in range(shown) if ranked[p].index is not None
                     and in_ranges(ranked[p].record.code, ranges)]
        if ranked_in and ranked_in[0] > place:
            ranked.insert(place, ranked.pop(ranked_in[0]))
    return ranked


def _index_lookups(question: Question, readings: list[Reading],
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
    less_patient_ = less_patient(question.text, _record_words(source))
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


def _less_cause(question: Question, index: list[IndexMatch]) -> Question:
    """The question less the way it happened that its Index entries leave to the external
    cause ("fractured left hip while skiing" is searched as "fractured left hip"): the
    condition's codes name no cause, and its words would only blur the search."""
    causes = [m.cause for m in index if m.cause]
    if not causes:
        return question
    text = " ".join(re.sub(rf"(?<!\w){re.escape(causes[0])}(?!\w)", " ", question.text,
                           count=1).split())
    return replace(question, text=text, search_text=search_text(text))


def _less_when(question: Question, source: CodeSource) -> tuple[Question, tuple[str, ...]]:
    """The question less the words that only say when, how often or how much, and those
    words (`less_when`): they name no part of the condition, and would only blur the search
    and count against the words a code matches."""
    text, when = less_when(question.text, source.synonyms.when, source.synonyms.times)
    if not when:
        return question, ()
    return replace(question, text=text, search_text=search_text(text)), when


def _reading_less_when(reading: Reading, source: CodeSource) -> Reading:
    """The reading less the words that only say when (`less_when`)."""
    text, when = less_when(reading.text, source.synonyms.when, source.synonyms.times)
    return replace(reading, text=text) if when else reading


def _cause_words(source: CodeSource) -> frozenset[str]:
    """The words of the tabular's external causes (EXTERNAL_CAUSES' codes)."""
    return _words_of(tuple(title for chapter in EXTERNAL_CAUSES
                           for _, title in source.titles_under(INDEX_SYSTEM, chapter)))


def _action_words(source: CodeSource) -> frozenset[str]:
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
    block = _block_of(code, source)
    if block is None:
        return False
    table = source.index_terms
    for word in words:
        # a row of the Neoplasm Table begins with a site, which names no kind of condition
        entries = (t for t in (table.terms[p] for p in table.by_main.get(word, ()))
                   if not is_neoplasm_table_row(t.via))
        if not any(_block_of(given, source) == block
                   for entry in entries if frozenset([word]) in entry.level_forms[0]
                   for given in entry.codes):
            return False
    return True


def _parent(record: CodeRecord, source: CodeSource) -> CodeRecord | None:
    """The record of the code or heading a record is under; None at the top."""
    return source.record(f"{record.system}:{record.parent}") if record.parent else None


def _block_of(code: str, source: CodeSource) -> str | None:
    """The block (a range of categories, "L20-L30") a tabular code is in."""
    record = source.record(f"{INDEX_SYSTEM}:{code}")
    for _ in range(BLOCK_DEPTH):
        if record is None or record.kind == BLOCK_KIND:
            break
        record = _parent(record, source)
    return record.code if record is not None and record.kind == BLOCK_KIND else None


def _record_words(source: CodeSource) -> frozenset[str]:
    """The words the chapters' notes name whose record a code is for with ("for use only on
    maternal records", "on newborn records only"), as lookups compare words."""
    found: set[str] = set()
    for chapter in _chapters(source):
        for section in chapter.sections:
            if section.name == NOTES_SECTION:
                found.update(w for m in _RECORD_OF.finditer(section.text)
                             for w in lookup_words(m.group(1)))
    return frozenset(found)


def _chapters(source: CodeSource) -> Iterator[CodeRecord]:
    for number in range(1, MAX_CHAPTERS + 1):
        chapter = source.record(f"{INDEX_SYSTEM}:{number}")
        if chapter is not None and chapter.kind == CHAPTER_KIND:
            yield chapter


def _asked_trimester(question: str, source: CodeSource) -> str | None:
    """The trimester the question's weeks of gestation fall in, as the chapter notes that
    define trimesters count them (`gestation`); None where either is not given."""
    weeks = weeks_asked(question)
    if weeks is None:
        return None
    return trimester_of(weeks, _defined_trimesters(source))


def _defined_trimesters(source: CodeSource) -> list[Trimester]:
    """The trimesters as the first chapter whose notes define them does (the pregnancy
    chapter's; its "supervision of normal pregnancy" codes in chapter 21 count the same)."""
    for chapter in _chapters(source):
        defined = trimesters(s.text for s in chapter.sections if s.name == NOTES_SECTION)
        if defined:
            return defined
    return []


def _other_trimester(record: CodeRecord, asked: str | None) -> bool:
    """The code names a trimester, or leaves it unspecified, where the question's weeks
    fall in another (`asked`: theirs, `_asked_trimester`)."""
    named = named_trimester(record.title)
    return named is not None and asked is not None and named != asked


def is_answer(candidate: Candidate, abstention: Abstention) -> bool:
    """Whether the best candidate is close enough to answer, or the answer is "not found".
    An Alphabetic Index entry that names the whole question answers it, and so does a code
    whose note holds the code of a condition that answers it."""
    return candidate.index is not None or bool(candidate.holds_condition) \
        or candidate.similarity >= abstention.alone or (
        candidate.words.coverage >= MIN_WORD_COVERAGE
        and candidate.similarity >= abstention.with_words)


def _keep_best(best: dict[str, Candidate], candidate: Candidate) -> None:
    """One candidate per code: the one that scores highest."""
    key = candidate.record.key
    if key not in best or best[key].score < candidate.score:
        best[key] = candidate


def _names_reading(text: str, options: set[str]) -> bool:
    """Whether a code's text names a phrase read differently or a reading of it; an acronym
    only as written, in capitals: "Knuckle pads" does not name the "PAD" asked about."""
    acronyms = {o for o in options if is_acronym(o) or is_letter(o)}
    return names_any(text, options - acronyms) or any(
        re.search(rf"\b{re.escape(a)}\b", text) for a in acronyms)


def _named_in_readings(readings: list[Reading]) -> list[set[str]]:
    """For each phrase a reading read differently: the phrase and every reading of it."""
    named: dict[str, set[str]] = {}
    for reading in readings:
        for r in reading.replacements:
            named.setdefault(r.said.lower(), {r.said}).add(r.read_as)
    return list(named.values())


@dataclass(frozen=True)
class _Found:
    """A code the search found, not yet scored; `fused` is its hit's fused rank score."""

    fused: float
    hit: CodeHit
    record: CodeRecord
    heading: HeadingChoice | None
    index: IndexMatch | None = None


def _ranked_as_asked(question: Question, source: CodeSource,
                     index: list[IndexMatch]) -> list[Candidate]:
    """Codes best first; a matched heading stands for the billable code chosen under it."""
    hits = source.search_codes(question.search_text, system=question.system)[:RANKED_HITS]
    by_key = {hit.key: hit for hit in hits}
    found: dict[str, _Found] = {}
    for hit in hits:
        record = source.record(hit.key)
        if record is None or record.kind not in RANKED_KINDS:
            continue
        heading = None
        if not record.billable and record.children:
            chosen = billable_under(record, by_key, source, question.text)
            if chosen is None:
                continue
            record, heading = chosen
        key = record.key
        if key not in found or found[key].fused < hit.score:
            found[key] = _Found(hit.score, hit, record, heading)
    _add_index_codes(found, index, question, by_key, source)
    side_unsaid = ({key for key, f in found.items()
                    if _side_left_unspecified(f.record, question.text, source)}
                   if names_side(question.text) else set())
    asked_trimester = _asked_trimester(question.text, source)
    trimester_other = {key for key, f in found.items()
                       if _other_trimester(f.record, asked_trimester)}
    asked = AskedWords.of(question.text, source.synonyms.kin)
    detail_open = {key for key, f in found.items()
                   if _detail_left_open(f.record, question.text, asked, source)}
    # an Alphabetic Index entry that gives the code for the question's words names its detail
    qualified = {key for key, f in found.items() if f.index is None
                 and _qualified_beside_default(f.record, question.text, asked, source)}
    behaviour_other = _other_behaviour(found, index, source)
    placed_otherwise = ({key for key, f in found.items()
                         if _placed_otherwise_above(f.record, question.text, source)}
                        if positions_named(question.text) else set())
    candidates = _scored(list(found.values()), question, source.synonyms.kin,
                         side_unsaid | trimester_other | detail_open | behaviour_other
                         | placed_otherwise,
                         qualified,
                         _read_backwards(found, question, source))
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def _add_index_codes(found: dict[str, _Found], index: list[IndexMatch], question: Question,
                     by_key: dict[str, CodeHit], source: CodeSource) -> None:
    """The codes the Alphabetic Index gives for the question: marked where the search found
    them too, added where it did not. The entries and the added codes are scored against
    the question in one batch each (the question is embedded once). A code the search
    missed is not held back for the miss: the Index, the coder's own lookup, ranks it as
    rank fusion ranks a code first in one of its two lists and absent from the other
    (INDEX_ONLY_FUSION of the search's first hit): "cut on the left index finger" is "Cut,
    finger, index, left" S61.211, which the search does not find."""
    given = _index_codes(index, question, by_key, source)
    if not given:
        return
    index_only = INDEX_ONLY_FUSION * max((f.fused for f in found.values()), default=0.0)
    entries = source.text_hits(question.search_text, [
        Chunk(match.term.entry, record.system, record.code, INDEX_SECTION,
              table_file(match.term.via))
        for match, record, _ in given])
    alone = source.code_hits(question.search_text,
                             [record.key for _, record, _ in given if record.key not in found])
    for (match, record, heading), entry in zip(given, entries):
        key = record.key
        if key in found:
            if found[key].index is None:
                old = found[key]
                hit = replace(old.hit, chunks=old.hit.chunks + [entry])
                found[key] = replace(old, hit=hit, index=match)
            continue
        if key in alone:
            hit = replace(alone[key], chunks=alone[key].chunks + [entry])
            found[key] = _Found(index_only, hit, record, heading, match)


def _index_codes(index: list[IndexMatch], question: Question, by_key: dict[str, CodeHit],
                 source: CodeSource) -> list[tuple[IndexMatch, CodeRecord, HeadingChoice | None]]:
    """Each index entry's codes as records, in order (a heading they lead to resolved as a
    search's is), and the heading a code was chosen under.

    An index code that leaves something unspecified, for a question that names a side,
    stands for its heading: the question's side picks the code beside it ("Other fracture of
    unspecified lower leg" for a right ankle is "... of right lower leg"), unless codes
    below it name sides themselves ("Fracture of unspecified part of neck of femur" has its
    left and right codes) or none beside it does (its "unspecified" is not the side)."""
    given = []
    for match in index:
        if contradictions(question.text, match.term.entry):
            continue  # "no bleeding" is not "Diverticulosis, with bleeding"
        for code in match.term.codes:
            record = source.record(f"{INDEX_SYSTEM}:{code}")
            if record is None:
                continue
            if names_side(question.text) and _unspecified_side(record.title) \
                    and record.parent and not _sided_below(record, source) \
                    and _sided_sibling(record, source):
                record = source.record(f"{INDEX_SYSTEM}:{record.parent}") or record
            heading = None
            if not record.billable and record.children and \
                    status_on(record, question.dos).status != Status.ACTIVE:
                # a heading today, and on the date of service: a code under it
                chosen = billable_under(record, by_key, source, question.text)
                if chosen is None:
                    continue
                record, heading = chosen
            given.append((match, record, heading))
    return given


def _qualified_beside_default(record: CodeRecord, question: str, asked: AskedWords,
                              source: CodeSource) -> bool:
    """The code adds a detail the question does not give beside a sibling that says nothing
    more and holds every word asked (`adds_unasked_qualifier`); for a code whose 7th
    character states only the encounter, the detail is its parent's ("... of 30 minutes or
    less" beside "... of unspecified duration")."""
    node = record
    for _ in range(2):
        parent = _parent(node, source)
        if parent is None:
            return False
        titles = source.titles([f"{node.system}:{child}" for child in parent.children])
        said = nothing_more_count(node.title)
        # only a sibling that holds every word asked: a word it lacks may be the detail,
        # in other words ("anal" for "Pruritus ani")
        siblings = [t for t in titles.values() if nothing_more_count(t) > said
                    and asked.coverage(t) == 1.0 and not contradictions(question, t)]
        if adds_unasked_qualifier(asked, node.title, siblings):
            return True
        if len(node.code.replace(".", "")) != SEVENTH_CHARACTER:
            return _qualified_beside_cousin(node, question, asked, source)
        node = parent
    return False


def _qualified_beside_cousin(record: CodeRecord, question: str, asked: AskedWords,
                             source: CodeSource) -> bool:
    """The same test against the codes of the record's length under the other subheadings
    of its category: "Acute gastritis without bleeding" (K29.00) and "Other gastritis
    without bleeding" (K29.60) beside "Gastritis, unspecified, without bleeding" (K29.70),
    when the question says neither "acute" nor "other"."""
    said = nothing_more_count(record.title)
    cousins = [title for title in _cousin_titles(record, source)
               if nothing_more_count(title) > said and asked.coverage(title) == 1.0
               and not contradictions(question, title)]
    return adds_unasked_qualifier(asked, record.title, cousins)


def _other_behaviour(found: dict[str, _Found], index: list[IndexMatch],
                     source: CodeSource) -> set[str]:
    """The codes of a category the Neoplasm Table gives the question's site in a column other
    than the one the question's behaviour leads to (`neoplasm`)."""
    categories = other_behaviour_categories(index, source.index_terms)
    if not categories:
        return set()
    return {key for key, f in found.items() if f.record.system == INDEX_SYSTEM
            and f.record.code.replace(".", "")[:CATEGORY_LENGTH] in categories}


def _read_backwards(found: dict[str, _Found], question: Question,
                    source: CodeSource) -> set[str]:
    """The codes whose titles read a plain word of the question backwards ("low sodium":
    "hypernatremia" beside "hyponatremia", see `prefix_senses`)."""
    if question.system not in (None, INDEX_SYSTEM):
        return set()
    senses = sense_prefixes(question.text, source.index_terms)
    if not senses:
        return set()
    known = {w for f in found.values() for w in words(f.record.title)}
    return {key for key, f in found.items() if read_backwards(f.record.title, senses, known)}


def _scored(found: list[_Found], question: Question, kin: dict[str, list[str]],
            stated_otherwise: AbstractSet[str] = frozenset(),
            qualified: AbstractSet[str] = frozenset(),
            backwards: AbstractSet[str] = frozenset()) -> list[Candidate]:
    """Prefer the code the question's words fully support, reportable on the DOS; the keys
    in `stated_otherwise` leave unspecified or name otherwise a detail the question states
    (its side, the trimester of its weeks, a neoplasm's behaviour), one contradiction more.

    A code not reportable on the DOS is demoted only when its own code set has one that is
    (across code sets nothing is demoted: a deleted procedure code is still the answer to a
    procedure question, shown with its deletion).
    """
    if not found:
        return []
    top_fused = max(f.fused for f in found) or 1.0  # 0 when only the index found codes
    reportable = {f.record.key: status_on(f.record, question.dos).status == Status.ACTIVE
                  for f in found}
    systems_with_reportable = {f.record.system for f in found if reportable[f.record.key]}
    asked = AskedWords.of(question.text, kin)
    extra = {f.record.key: asked.extra_words(f.record.title) for f in found}
    fewest = min(extra.values())
    return [_score(f, question, kin, fusion=FUSION_WEIGHT * f.fused / top_fused,
                   extra=extra[f.record.key] - fewest,
                   demoted=not reportable[f.record.key]
                   and f.record.system in systems_with_reportable,
                   stated_otherwise=f.record.key in stated_otherwise,
                   qualified=f.record.key in qualified,
                   backwards=f.record.key in backwards)
            for f in found]


def _score(found: _Found, question: Question, kin: dict[str, list[str]], fusion: float,
           extra: int, demoted: bool, stated_otherwise: bool = False,
           qualified: bool = False, backwards: bool = False) -> Candidate:
    """The candidate with its terms, in the order they are added (which the sum keeps)."""
    record, title = found.record, found.record.title
    body = _text(record, found.hit, found.index)
    words = word_match(question.search_text, body, kin)
    terms = [Term(SIMILARITY, found.hit.best_dense), Term(WORDS, WORD_WEIGHT * words.coverage),
             Term(FUSION, fusion)]
    contradicted = contradictions(question.text, title) + stated_otherwise
    penalties = [(CONTRADICTION, CONTRADICTION_PENALTY * contradicted),
                 (READ_BACKWARDS, CONTRADICTION_PENALTY if backwards else 0.0),
                 (UNASKED_DETAIL, UNASKED_DETAIL_PENALTY * unasked_details(question.text, title)),
                 (UNASKED_QUALIFIER, UNASKED_DETAIL_PENALTY if qualified else 0.0),
                 (EXTRA_WORDS, EXTRA_WORD_PENALTY * extra),
                 (NOT_REPORTABLE, NOT_REPORTABLE_PENALTY if demoted else 0.0)]
    terms += [Term(name, -value) for name, value in penalties if value]
    if unspecified_asked_and_stated(question.text, body):
        terms.append(Term(UNSPECIFIED, UNSPECIFIED_BONUS))
    nos = nos_term(question.search_text, record,
                   found.heading.heading if found.heading else None)
    if nos is not None:
        terms.append(Term(NOS_TERM, NOS_BONUS))
    if found.index is not None:
        terms.append(Term(INDEX_ENTRY, INDEX_BONUS))
    return Candidate(record, found.hit, question, tuple(terms), words, found.heading,
                     nos_term=nos, index=found.index)


def billable_under(heading: CodeRecord, by_key: dict[str, CodeHit], source: CodeSource,
                   question: str) -> tuple[CodeRecord, HeadingChoice] | None:
    """The billable code under a heading that the question supports, and how it was chosen.

    A child is taken where it matches the question better than the heading did (one that
    names a side or adds a detail the question did not ask never does); otherwise
    the default child: no detail the question did not ask for ("with ..."), then the one
    that holds, itself or below it, most of the question's words (the site it names), then
    the one the tabular lists as "X NOS" (`tabular_default_term`), then the most
    "unspecified", then the fewest words the question lacks, then tabular order (so 7th
    character A, initial encounter, before D and S). Children whose details
    contradict the question are never taken; None when no child is left.
    """
    asked = AskedWords.of(question, source.synonyms.kin)
    below_asked = asked.less_held_by(_inclusion_terms_above(heading, source))
    asked_side = names_side(question)
    node: CodeRecord | None = heading
    floor = by_key[heading.key].best_dense if heading.key in by_key else 0.0
    by_default = False
    default_term: str | None = None
    while node is not None and not node.billable and node.children:
        keys = [f"{node.system}:{child}" for child in node.children]
        titles = source.titles(keys)
        keys = [k for k in keys if not contradictions(question, titles.get(k, ""))]
        if asked_side:
            kept = [titles.get(k, "") for k in keys]
            keys = [k for k in keys if not _unspecified_beside_sided(titles.get(k, ""), kept)]
        trimester = _asked_trimester(question, source) if any(
            named_trimester(titles.get(k, "")) for k in keys) else None
        if trimester is not None:
            # the question's weeks pick the trimester (as chapter 15's notes count them)
            keys = [k for k in keys if named_trimester(titles[k]) == trimester] or keys
        # a child that names a side the question does not name, or adds a detail it did not
        # ask (an open fracture, a "with ..."), never matches it better
        kept = [titles.get(k, "") for k in keys]
        qualified = {k for k in keys
                     if adds_unasked_qualifier(below_asked, titles.get(k, ""), kept)}
        matched = [k for k in keys if k in by_key and by_key[k].best_dense > floor
                   and (asked_side or not names_side(titles.get(k, "")))
                   and not unasked_details(question, titles.get(k, ""))]
        # a child that adds a qualifier not asked ("Other colon polyps" beside "Colon polyps,
        # unspecified") never matches better: the default below says nothing more
        matched = [k for k in matched if k not in qualified]
        if matched:
            key = max(matched, key=lambda k: by_key[k].best_dense)
        elif keys:
            below = _titles_below(keys, source.titles_under(node.system, node.code))
            terms = {k: _tabular_default(source.record(k)) for k in keys}
            key = max(keys, key=lambda k: default_preference(
                below_asked, titles.get(k, ""), below[k], terms[k] is not None,
                k in qualified))
            by_default = True
            if terms[key] is not None and sum(t is not None for t in terms.values()) < len(keys):
                default_term = terms[key]
        else:
            return None
        node = source.record(key)
    if node is None or not node.billable:
        return None
    return node, HeadingChoice(heading, by_default, default_term)


def _placed_otherwise_above(record: CodeRecord, question: str, source: CodeSource) -> bool:
    """Whether an inclusion term of the code or of a heading above it places it on the part
    opposite the one the question names: S52.1 "Fracture of upper end of radius" includes
    "Fracture of proximal end of radius", so its codes are not for a distal radius."""
    return any(places_otherwise(question, term) for term in _inclusion_terms_above(record, source))


def _inclusion_terms_above(heading: CodeRecord, source: CodeSource) -> list[str]:
    """The inclusion terms stated at a heading and at the codes above it, up to its
    category: what the heading already names, that picks none of its children."""
    terms = []
    record: CodeRecord | None = heading
    while record is not None and record.kind in RANKED_KINDS:
        terms += [note.text for note in record.notes
                  if note.kind == NoteKind.INCLUSION_TERM and note.stated_at == record.code]
        record = _parent(record, source)
    return terms


def _tabular_default(record: CodeRecord | None) -> str | None:
    return tabular_default_term(record) if record is not None else None


def _side_left_unspecified(record: CodeRecord, question: str, source: CodeSource) -> bool:
    """For a question that names a side: the code is the one of its siblings that leaves the
    side unspecified where another names the question's ("Tinnitus, unspecified ear" beside
    "Tinnitus, bilateral" for "both ears"): laterality is coded as documented, the
    unspecified side only when it is not."""
    if not _unspecified_side(record.title) or not record.parent:
        return False
    return _unspecified_beside_sided(record.title, [
        title for title in _sibling_titles(record, source) if not contradictions(question, title)])


def _detail_left_open(record: CodeRecord, question: str, asked: AskedWords,
                      source: CodeSource) -> bool:
    """The code says "unspecified" where a sibling states the detail the question gives
    (`leaves_stated_detail_open`): the detail is coded as documented."""
    if not nothing_more_count(record.title) or not record.parent:
        return False
    beside = _sibling_titles(record, source) + _cousin_titles(record, source)
    return leaves_stated_detail_open(asked, record.title, [
        title for title in beside if not contradictions(question, title)])


def _cousin_titles(record: CodeRecord, source: CodeSource) -> list[str]:
    """The titles of the codes of the record's length under the other subheadings of its
    category ("... of unspecified lower extremity with ulcer of calf" has "... of right lower
    extremity with ulcer of calf" under another)."""
    parent = _parent(record, source)
    if parent is None or not parent.parent:
        return []
    return [title for code, title in source.titles_under(record.system, parent.parent)
            if len(code) == len(record.code) and not code.startswith(parent.code)]


def _unspecified_beside_sided(title: str, siblings: list[str]) -> bool:
    """The title leaves the side unspecified where one of its siblings is the same title
    with a side (`_side_left_unspecified`, `billable_under`)."""
    if not _unspecified_side(title):
        return False
    own = _sides_apart(title)
    return any(names_side(sibling) and _same_but_side(_sides_apart(sibling), own)
               for sibling in siblings)


def _unspecified_side(title: str) -> bool:
    """A title that names no side and says "unspecified"."""
    return "unspecified" in title.lower() and not names_side(title)


def _sides_apart(title: str) -> frozenset[str]:
    """A title's word prefixes less its side words and "unspecified"."""
    return frozenset(prefix(w) for w in search_tokens(title)) - _SIDE_PREFIXES


def _same_but_side(one: frozenset[str], other: frozenset[str]) -> bool:
    """Two titles' words less their sides, one within the other: a bilateral title may leave
    out the part ("Tinnitus, bilateral" beside "Tinnitus, unspecified ear")."""
    return one <= other or other <= one


def _sided_sibling(record: CodeRecord, source: CodeSource) -> bool:
    """A code beside it names a side: its "unspecified" is the side ("Other fracture of
    unspecified lower leg" beside "... of right lower leg"), not the kind ("Unspecified
    cataract" beside headings of kinds of cataract, whose sides are further down)."""
    return any(names_side(title) for title in _sibling_titles(record, source))


def _sibling_titles(record: CodeRecord, source: CodeSource) -> list[str]:
    """The titles of the codes beside it under its parent (none without a parent)."""
    parent = _parent(record, source)
    if parent is None:
        return []
    return list(source.titles([f"{record.system}:{child}" for child in parent.children
                               if child != record.code]).values())


def _sided_below(record: CodeRecord, source: CodeSource) -> bool:
    return any(names_side(title) for _, title in source.titles_under(record.system, record.code))


def _titles_below(keys: list[str], below: list[tuple[str, str]]) -> dict[str, list[str]]:
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


def _text(record: CodeRecord, hit: CodeHit, index: IndexMatch | None = None) -> str:
    # the entry itself is among the chunks; an entry whose "see" led to it names the
    # question's words for the code as well
    see = [index.term.via, index.seen_from] if index is not None else []
    return " ".join([record.title] + [h.chunk.text for h in hit.chunks] + see)
