"""A shot or a booster of a vaccine, read as a vaccination: "here for her tetanus booster".

WordNet 3.0 says what a shot and a booster are: "injection, shot: the act of putting a
liquid into the body by means of a syringe; 'the nurse gave him a flu shot'" and "booster,
booster dose, booster shot: an additional dose" (the synonym table's `injections`). What is
injected is said by the words before it; where the code set names them as a vaccine's kind,
the shot is a vaccination, and a visit for it is the Alphabetic Index's "Vaccination,
encounter for" (Z23), whose note leaves the vaccine's kind to a procedure code. A vaccine's
kinds are the Table of Drugs and Chemicals' "Vaccine NEC" rows ("Vaccine NEC, tetanus",
"Vaccine NEC, influenza") and what the tabular says a patient is vaccinated for under the
categories the Index's "Vaccination" entries lead to (Z28.310 "Unvaccinated for COVID-19").
A shot of something else ("depo shot", "allergy shots") is not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.corpus.alphabetic_index import is_drug_table_row
from assistant.index.index_terms import IndexTermTable, entry_words
from assistant.ranking.tabular import INDEX_SYSTEM
from assistant.retrieval.index_lookup import condition_words
from assistant.retrieval.readings import (ENCOUNTER_READING, ENCOUNTER_SOURCE, Reading,
                                          Replacement)
from assistant.text import lookup_words, word_spans

# The Alphabetic Index's main term of a vaccination, and the Table of Drugs' row of vaccines.
VACCINATION = "vaccination"
_VACCINE = lookup_words(VACCINATION)[0]
# What the tabular says a patient is (un)vaccinated for: "Unvaccinated for COVID-19".
_VACCINATED_FOR = re.compile(r"\bvaccinated\s+(?:for|against)\s+([^,;()]+)", re.I)
INJECTION_SOURCE = ("a shot of a vaccine as a vaccination (WordNet 3.0: 'injection, shot: the "
                    "act of putting a liquid into the body', 'booster, booster shot'; "
                    "the vaccine's kind as the code set names it: {kind})")

TitlesUnder = Callable[[str, str], Sequence[tuple[str, str]]]


def vaccination_reading(readings: list[Reading], injections: frozenset[str],
                        table: IndexTermTable, titles_under: TitlesUnder) -> Reading | None:
    """The first reading that names a shot (`injections`) of a vaccine's kind, with the shot
    read as a vaccination and the question as an encounter for it, where it is not one
    already, where it names nothing else ("flu shot": "encounter for influenza vaccination";
    not "sore arm after a flu shot"). None where no reading names one, or the question's
    start names another situation (a refusal, a history)."""
    situations = [r for r in readings if r.situation]
    if any(r.replacements[0].read_as != ENCOUNTER_READING for r in situations):
        return None
    kinds: frozenset[str] | None = None
    for reading in situations or readings:
        shot = _shot(reading.text, injections)
        if shot is None:
            continue
        if kinds is None:
            kinds = _vaccine_kinds(table, titles_under)
        kind = _kind_before(reading.text[:shot[0]], kinds)
        if kind is None:
            continue
        source = INJECTION_SOURCE.format(kind=kind[0])
        text = reading.text[:shot[0]] + VACCINATION + reading.text[shot[1]:]
        if reading.situation:
            said = reading.text[shot[0]:shot[1]]
            return Reading(text, reading.replacements + (Replacement(said, VACCINATION, source),),
                           situation=True)
        asked = reading.text[kind[1]:shot[1]]  # "tetanus shot"
        if condition_words(reading.text) - set(entry_words(asked)):
            continue  # a condition named beside ("sore arm after a flu shot"): not the visit
        # a vaccination asked alone is asked as the visit for it
        read_as = f"{ENCOUNTER_READING} {text}"
        replacement = Replacement(reading.text, read_as, f"{source}; {ENCOUNTER_SOURCE}")
        return Reading(read_as, reading.replacements + (replacement,), situation=True)
    return None


def _shot(text: str, injections: frozenset[str]) -> tuple[int, int] | None:
    """Where the text names an injection given by one word ("shot", "boosters"), the last
    one named."""
    found = None
    for span in word_spans(text):
        word = span.group(0).lower()
        if word in injections or (word.endswith("s") and word[:-1] in injections):
            found = (span.start(), span.end())
    return found


def _kind_before(before: str, kinds: frozenset[str]) -> tuple[str, int] | None:
    """The word just before the shot, and where it starts, where it names a vaccine's kind
    ("tetanus")."""
    spans = list(word_spans(before))
    if not spans:
        return None
    looked_up = lookup_words(spans[-1].group(0))
    return (spans[-1].group(0), spans[-1].start()) \
        if looked_up and looked_up[0] in kinds else None


def _vaccine_kinds(table: IndexTermTable, titles_under: TitlesUnder) -> frozenset[str]:
    """The words (as lookups compare them) that name a vaccine's kind: the subterms of the
    Table of Drugs' "Vaccine NEC" rows, and what the titles under the categories of the
    Index's "Vaccination" entries say a patient is vaccinated for."""
    rows = table.per_main_word(_table_kinds, _VACCINE)
    categories = table.per_main_word(_vaccination_categories, _VACCINE)
    titled = {w for category in categories for _, title in titles_under(INDEX_SYSTEM, category)
              for match in _VACCINATED_FOR.finditer(title) for w in lookup_words(match.group(1))}
    return rows | frozenset(titled)


def _table_kinds(table: IndexTermTable, word: str) -> frozenset[str]:
    """The words of the subterms of the Table's rows of the vaccine word ("tetanus" of
    "Vaccine NEC, tetanus"), less the vaccine word itself."""
    terms = list(table.entries_of(word))
    return frozenset(w for t in terms if is_drug_table_row(t.via) and len(t.levels) > 2
                     for form in t.level_forms[1] for w in form if w != word)


def _vaccination_categories(table: IndexTermTable, word: str) -> tuple[str, ...]:
    """The categories of the codes the Index's own "Vaccination" entries give (Z23, Z28)."""
    terms = list(table.entries_of(word))
    return tuple(sorted({code[:3] for t in terms if not is_drug_table_row(t.via)
                         and t.entry.lower().startswith(VACCINATION) for code in t.codes}))
