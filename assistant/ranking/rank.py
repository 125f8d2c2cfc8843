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


import re
from collections.abc import Callable, Set as AbstractSet
from dataclasses import dataclass, replace

from assistant.corpus.alphabetic_index import table_file
from assistant.corpus.record_notes import records_excluded, records_named
from assistant.index.embeddings import Abstention
from assistant.index.index_terms import entry_words
from assistant.index.synonyms import is_acronym, is_letter
from assistant.ranking.screening import screening_class_reading
from assistant.ranking.vaccination import vaccination_reading
from assistant.ranking.drug_class import (allergy_class_reading, drug_class_reading,
                                          poisoning_reading)
from assistant.ranking.fit import (AskedWords, WordMatch, adds_unasked_qualifier, contradictions,
                                   nothing_more_count,
                                   held_prefixes, names_any, names_side, nos_term,
                                   unasked_details, unspecified_asked_and_stated, word_match)
from assistant.ranking.history import (FAMILY_CATEGORIES, PERSONAL_CATEGORIES,
                                       classified_otherwise, history_code)
from assistant.ranking.gestation import named_trimester, weeks_asked
from assistant.ranking.neoplasm import (CATEGORY_LENGTH, other_behaviour_categories,
                                        primary_where_site_precedes_cancer)
from assistant.ranking.pregnancy import (PREGNANCY_LETTER, age_bound, age_holds,
                                         beyond_the_pregnancy, excludes,
                                         gravidity_word, has_conditions_in, patient_age,
                                         pregnancy_heading)
from assistant.ranking.prefix_senses import read_backwards, sense_prefixes
from assistant.ranking.sequencing import code_first_ranges, in_ranges, named_ranges
from assistant.ranking.defaults import (HeadingChoice, billable_under, detail_left_open,
                                        other_trimester, placed_otherwise_above,
                                        side_left_unspecified, sided_below, sided_sibling,
                                        unspecified_side)
from assistant.ranking.index_entries import (action_words,
                                             index_lookups)
from assistant.ranking.tabular import (INDEX_SYSTEM, NOTES_SECTION, RANKED_KINDS,
                                       asked_trimester, chapters, cousin_titles, parent_of)
from assistant.ranking.source import CodeSource
from assistant.ranking.subterms import read_on
from assistant.ranking.entry_default import entry_codes, named_ahead, unspecified
from assistant.records import Chunk, CodeRecord, Status
from assistant.retrieval.analysis import Question, search_text
from assistant.retrieval.hybrid import CodeHit
from assistant.retrieval.index_lookup import (GESTATION_WEEKS, IndexMatch, clauses, condition_words,
                                              index_matches)
from assistant.retrieval.readings import (FAMILY_HISTORY_READING, Reading,
                                         foreign_body_reading, history_named,
                                         is_pregnancy_reading, less_when,
                                         pregnancy_reading, read_clipped, readings_of,
                                         says_pregnant)
from assistant.status import status_on
from assistant.text import (MIN_CONTENT_LENGTH, phrase_words, positions_named, prefix,
                            search_tokens, words)

# Hits of one search that are ranked; a code further down is too far to be the answer.
RANKED_HITS = 30
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
# Sources and kinds whose pregnancy headings are kept (`_pregnancy_headings`): those in
# use, and tests'.
SOURCES_KEPT = 8
_HEADINGS_KEPT: dict[tuple[int, object], tuple[object, tuple[CodeRecord, ...]]] = {}
# A code only the Index gives, as rank fusion scores a code first in one of its two lists
# (dense, lexical) and absent from the other: this share of the search's first hit.
INDEX_ONLY_FUSION = 0.5
# How an index entry stands among a code's chunks (its table: `table_file`).
INDEX_SECTION = "alphabetic_index"
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
    # ("Conditions in J00-J99": `_in_pregnancy`; "Conditions classifiable to": a history's)
    holds_condition: str = ""
    # the tabular note that places it for what the question says of the patient (an age
    # bound: `_at_maternal_age`)
    placed_by: str = ""
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
    as_asked = question  # before the words that say when are set aside ("39 yo")
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
        allergy = allergy_class_reading(readings, source.index_terms, source.record)
        readings += [allergy] if allergy is not None else []
        vaccination = vaccination_reading(readings, source.synonyms.injection_words,
                                          source.index_terms, source.titles_under)
        readings += [vaccination] if vaccination is not None else []
        screened = screening_class_reading(readings, source.index_terms, source.record)
        readings += [screened] if screened is not None else []
        readings += _whole_readings(question.text, readings, source)
    # the searches' and the index entries' vectors are computed beside the Python work (an
    # acronym's sense only once the index confirms it)
    source.embed_ahead(queries=[question.search_text] + [
        search_text(r.text) for r in readings if r.replacements and not r.by_index])
    lookups = {place: read_on(primary_where_site_precedes_cancer(found, question.text,
                                                                 source.index_terms),
                              readings[place].text, source.index_terms)
               for place, found in index_lookups(question, readings, source).items()}
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
    if not lookups and question.system in (None, INDEX_SYSTEM):
        ranked = _entry_code_ahead(ranked, [r.text for r in searched], source)
    ranked = _at_maternal_age(ranked, as_asked, source)
    return _code_first_ahead(ranked)


def _entry_code_ahead(ranked: list[Candidate], texts: list[str],
                      source: CodeSource) -> list[Candidate]:
    """Where no entry names the whole question: among the first codes of a category, the one
    an entry its words name gives comes first (`entry_default`), cited by that entry. Only
    below an answer (one that is not, stays not), and never a code that contradicts a
    detail asked."""
    top = ranked[:SEQUENCED]
    categories = [c.record.code[:CATEGORY_LENGTH] for c in top
                  if c.record.system == INDEX_SYSTEM]
    if len(set(categories)) == len(categories) or not is_answer(top[0], source.abstention):
        return ranked
    given = entry_codes(texts, source.index_terms, source.synonyms.body_words)
    codes = [(c.record.code,) + ((c.heading.heading.code,) if c.heading else ()) for c in top]
    named = [c.record.system == INDEX_SYSTEM and any(code in given for code in own)
             for c, own in zip(top, codes)]
    movable = [c.index is None and not unspecified(c.record.title)
               and not any(t.name == CONTRADICTION for t in c.terms) for c in top]
    order = named_ahead(codes, named, movable, [c.words.coverage for c in top])
    if order == list(range(len(top))):
        return ranked
    moved = []
    for place, at in enumerate(order):
        candidate = top[at]
        if place < at:  # put ahead: cited by the entry that gives it
            term = next(given[code] for code in codes[at] if code in given)
            candidate = replace(candidate, index=IndexMatch(term, tuple(sorted(term.required))))
        moved.append(candidate)
    return moved + ranked[SEQUENCED:]


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
    found = pregnancy_heading(condition, _pregnancy_headings(source, has_conditions_in))
    if found is None:
        return ranked
    heading, note = found
    chosen = _child_of_condition(heading, condition, question.text, source)
    if chosen is None:
        return ranked
    record, choice = chosen
    candidate = next((c for c in ranked if c.record.key == record.key), None) \
        or _scored_alone(record, choice, question, source)
    if candidate is None:
        return ranked
    because = f"{heading.code}'s note '{note}' holds {condition}, a condition in the pregnancy"
    first = replace(candidate.with_term(because, INDEX_BONUS), holds_condition=condition)
    return [first] + [c for c in ranked if c is not candidate]


def _at_maternal_age(ranked: list[Candidate], question: Question,
                     source: CodeSource) -> list[Candidate]:
    """The candidates with the pregnancy chapter's code for a pregnant patient of the age
    asked put where the tabular places it, where the question says how many pregnancies
    she has had: under the heading whose own inclusion term bounds her age ("Pregnancy for
    a female 35 years and older at expected date of delivery", O09.5), the code of the
    first or a later pregnancy (the trimester by the weeks asked), first; after the best
    one where that is a condition the Index names (`_condition_beside`)."""
    age = patient_age(question.text)
    gravidity = gravidity_word(question.text) if age is not None else ""
    if age is None or not gravidity or not ranked or not says_pregnant(question.text):
        return ranked
    found = next(((h, bound) for h in _pregnancy_headings(source, age_bound)
                  if age_holds(bound := age_bound(h), age)), None)
    if found is None:
        return ranked
    heading, bound = found
    # the heading's codes are told apart by the pregnancies and the trimester alone: the
    # other words ("first baby") would pick a trimester
    told = " ".join([gravidity] + [m.group(0) for m in GESTATION_WEEKS.finditer(question.text)])
    chosen = billable_under(heading, {}, source, told)
    if chosen is None:
        return ranked
    record, choice = chosen
    candidate = next((c for c in ranked if c.record.key == record.key), None) \
        or _scored_alone(record, choice, question, source)
    if candidate is None:
        return ranked
    because = f"{heading.code}'s inclusion term '{bound}' holds the age asked ({age})"
    placed = replace(candidate.with_term(because, INDEX_BONUS), placed_by=bound)
    rest = [c for c in ranked if c is not candidate]
    beside = rest and is_answer(rest[0], source.abstention) \
        and _condition_beside(rest[0], heading, question.text)
    return rest[:1] + [placed] + rest[1:] if beside else [placed] + rest


def _condition_beside(best: Candidate, heading: CodeRecord, question: str) -> bool:
    """The best candidate (one that answers) is a condition the question names, which a
    supervision heading's code goes beside: its text holds a word of the question beyond the
    pregnancy's (`beyond_the_pregnancy`), and it is neither one whose Excludes1 note names
    the heading (Z34, a normal pregnancy's supervision) nor one coded after it (Z3A, the
    weeks)."""
    held = held_prefixes(best.text)
    return any(prefix(w) in held for w in beyond_the_pregnancy(question)) \
        and not excludes(best.record, heading.code) \
        and not in_ranges(heading.code, code_first_ranges(best.record))


def _scored_alone(record: CodeRecord, choice: HeadingChoice | None, question: Question,
                  source: CodeSource) -> Candidate | None:
    """A code a tabular note put forward that the search did not rank, scored as the search
    scores its candidates (its chunks' hits for the question); None where none is found."""
    hit = source.code_hits(question.search_text, [record.key]).get(record.key)
    if hit is None:
        return None
    [candidate] = _scored([_Found(0.0, hit, record, choice)], question, source.synonyms.kin)
    return candidate


def _pregnancy_headings(source: CodeSource,
                        kind: Callable[[CodeRecord], object]) -> tuple[CodeRecord, ...]:
    """The pregnancy chapter's headings that `kind` holds of (a "Conditions in" note, an
    age bound), read once per source and kind (the source is kept beside them, so its id
    names no other while they are kept)."""
    kept = _HEADINGS_KEPT.get((id(source), kind))
    if kept is not None and kept[0] is source:
        return kept[1]
    codes = sorted(code for code, _ in source.titles_under(INDEX_SYSTEM, PREGNANCY_LETTER))
    # a heading's codes sort right after it: only those with codes below are read
    records = (source.record(f"{INDEX_SYSTEM}:{code}")
               for code, after in zip(codes, codes[1:]) if after.startswith(code))
    headings = tuple(r for r in records if r is not None and kind(r))
    if len(_HEADINGS_KEPT) >= SOURCES_KEPT:
        _HEADINGS_KEPT.clear()
    _HEADINGS_KEPT[(id(source), kind)] = (source, headings)
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
                                      lambda: action_words(source))
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
    return [named_ranges(chapter.title) for chapter in chapters(source)
            if asked & {w for s in chapter.sections if s.name == NOTES_SECTION
                        for w in records_excluded(s.text)}]


def _pregnancy_records(source: CodeSource) -> set[str]:
    """The records the pregnancy chapter's notes say its codes are for: those they name and
    do not exclude ("only on maternal records, never on newborn records": maternal)."""
    for chapter in chapters(source):
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
    polyps" (Z83.7: "Conditions classifiable to D12, K00-K93"). A family history's
    condition's own codes (its category's) are held back too: the condition is a
    relative's. The key of the code classified so, if any."""
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
        if main == FAMILY_HISTORY_READING and candidate.record.code[:CATEGORY_LENGTH] \
                == code[:CATEGORY_LENGTH]:
            # a relative's condition is never the patient's own
            best[key] = candidate.with_term(f"'{condition}' is a relative's condition, "
                                            "not the patient's", -CONTRADICTION_PENALTY)
            continue
        if key == classified.record.key or not candidate.record.code.startswith(categories):
            continue
        otherwise = classified_otherwise(code, candidate.record, lambda r: parent_of(r, source))
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
        candidate = _scored_alone(record, heading, asked, source)
        if candidate is None:
            return None
        if reading.replacements:
            candidate = replace(candidate, reading=reading).with_term(READING, -READING_PENALTY)
    return replace(candidate.with_term(because, INDEX_BONUS), holds_condition=code)


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
        record = parent_of(record, source)
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
    # its first clause: a later one says who had it or when ("..., both parents")
    condition = next(iter(clauses(condition)), condition)
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


def is_answer(candidate: Candidate, abstention: Abstention) -> bool:
    """Whether the best candidate is close enough to answer, or the answer is "not found".
    An Alphabetic Index entry that names the whole question answers it, and so does a code
    whose note holds the code of a condition that answers it."""
    return candidate.index is not None or bool(candidate.holds_condition) \
        or bool(candidate.placed_by) \
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
                    if side_left_unspecified(f.record, question.text, source)}
                   if names_side(question.text) else set())
    trimester_asked = asked_trimester(question.text, source)
    trimester_other = {key for key, f in found.items()
                       if other_trimester(f.record, trimester_asked)}
    asked = AskedWords.of(question.text, source.synonyms.kin)
    detail_open = {key for key, f in found.items()
                   if detail_left_open(f.record, question.text, asked, source)}
    # an Alphabetic Index entry that gives the code for the question's words names its detail
    qualified = {key for key, f in found.items() if f.index is None
                 and _qualified_beside_default(f.record, question.text, asked, source)}
    behaviour_other = _other_behaviour(found, index, source)
    placed_otherwise = ({key for key, f in found.items()
                         if placed_otherwise_above(f.record, question.text, source)}
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
            if names_side(question.text) and unspecified_side(record.title) \
                    and record.parent and not sided_below(record, source) \
                    and sided_sibling(record, source):
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
        parent = parent_of(node, source)
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
    cousins = [title for title in cousin_titles(record, source)
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


def _text(record: CodeRecord, hit: CodeHit, index: IndexMatch | None = None) -> str:
    # the entry itself is among the chunks; an entry whose "see" led to it names the
    # question's words for the code as well
    see = [index.term.via, index.seen_from] if index is not None else []
    return " ".join([record.title] + [h.chunk.text for h in hit.chunks] + see)
