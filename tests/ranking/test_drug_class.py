"""A drug the patient is on read as its class: the committed Alphabetic Index and Table of
Drugs, over hand-built records with their ICD-10-CM 2026 titles."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.alphabetic_index import is_drug_table_row, read_index_entries
from assistant.index.index_terms import IndexTermTable, build_index_terms
from assistant.index.synonyms import SynonymTable
from assistant.ranking import drug_class
from assistant.ranking.drug_class import (POISONING_READING, allergy_class_reading,
                                          drug_class_reading, poisoning_reading)
from assistant.records import CodeRecord
from assistant.retrieval.readings import DRUG_USE_SOURCE, Reading, Replacement, readings_of

TODAY = date(2026, 11, 27)
# main terms of the entries read: the Long-term entries and a few rows of the Table
MAIN_TERMS = ("Long-term", "Ibuprofen", "Metformin", "Aspirin", "Oxygen")


def _record(code: str, title: str, parent: str | None) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=title, parent=parent,
                      kind="code" if "." in code else "category")


RECORDS = {r.key: r for r in [
    _record("T39", "Poisoning by, adverse effect of and underdosing of nonopioid analgesics, "
                   "antipyretics and antirheumatics", None),
    _record("T39.0", "Poisoning by, adverse effect of and underdosing of salicylates", "T39"),
    _record("T39.01", "Poisoning by, adverse effect of and underdosing of aspirin", "T39.0"),
    _record("T39.011", "Poisoning by aspirin, accidental (unintentional)", "T39.01"),
    _record("T39.3", "Poisoning by, adverse effect of and underdosing of other nonsteroidal "
                     "anti-inflammatory drugs [NSAID]", "T39"),
    _record("T39.31", "Poisoning by, adverse effect of and underdosing of propionic acid "
                      "derivatives", "T39.3"),
    _record("T39.311", "Poisoning by propionic acid derivatives, accidental (unintentional)",
            "T39.31"),
    _record("T38", "Poisoning by, adverse effect of and underdosing of hormones and their "
                   "synthetic substitutes and antagonists, not elsewhere classified", None),
    _record("T38.3", "Poisoning by, adverse effect of and underdosing of insulin and oral "
                     "hypoglycemic [antidiabetic] drugs", "T38"),
    _record("T38.3X1", "Poisoning by insulin and oral hypoglycemic [antidiabetic] drugs, "
                       "accidental (unintentional)", "T38.3"),
    _record("T41", "Poisoning by, adverse effect of and underdosing of anesthetics and "
                   "therapeutic gases", None),
    _record("T41.5", "Poisoning by, adverse effect of and underdosing of therapeutic gases",
            "T41"),
    _record("T41.5X1", "Poisoning by therapeutic gases, accidental (unintentional)", "T41.5"),
    _record("Z79.1", "Long term (current) use of non-steroidal anti-inflammatories (NSAID)",
            "Z79"),
    _record("Z79.4", "Long term (current) use of insulin", "Z79"),
    _record("Z79.82", "Long term (current) use of aspirin", "Z79.8"),
    _record("Z79.84", "Long term (current) use of oral hypoglycemic drugs", "Z79.8"),
]}


@pytest.fixture(scope="module")
def table() -> IndexTermTable:
    entries = (e for e in read_index_entries() if e.path[0] in MAIN_TERMS)
    return build_index_terms(entries, lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)


def read(question: str, table: IndexTermTable):
    readings = readings_of(question, SynonymTable())
    return drug_class_reading(readings, table, lambda key: RECORDS.get(key))


def test_a_drug_the_index_does_not_name_is_read_as_the_class_its_table_heading_names(table):
    reading = read("on ibuprofen", table)
    # Ibuprofen's row gives T39.311; neither it nor T39.31 names a class the Index lists,
    # T39.3 names "nonsteroidal anti-inflammatory drugs" ("non-steroidal" in the Index)
    assert reading.text == "long-term use of anti-inflammatory non-steroidal"
    assert reading.situation
    on, drug = reading.replacements
    assert on == Replacement("on", "long-term use of", DRUG_USE_SOURCE)
    assert (drug.said, drug.read_as) == ("ibuprofen", "anti-inflammatory non-steroidal")
    assert drug.source.startswith(
        "its class: Table of Drugs and Chemicals: Ibuprofen, Poisoning, Accidental "
        "(unintentional) T39.311, under T39.3 'Poisoning by, adverse effect of and "
        "underdosing of other nonsteroidal anti-inflammatory drugs [NSAID]'")
    assert "Alphabetic Index: Long-term, anti-inflammatory, non-steroidal" in drug.source
    # the drug is read where the question names it, the rest kept
    assert read("pt on long-term Ibuprofen daily", table).text == \
        "pt long-term use of long-term anti-inflammatory non-steroidal daily"


def test_of_the_classes_a_heading_names_the_most_specific_entry_is_read(table):
    # T38.3 names "insulin" and "oral hypoglycemic [antidiabetic]": "Long-term, oral,
    # antidiabetic" names two of its words, "Long-term, insulin" one
    assert read("on metformin", table).text == "long-term use of oral antidiabetic"


def test_no_class_reading_where_the_index_names_the_drug_or_no_class(table):
    assert read("takes a baby aspirin every day", table) is None  # "Long-term, aspirin"
    assert read("on home oxygen", table) is None  # "therapeutic gases": no Long-term entry
    assert read("on hydroxyurea", table) is None  # no row read for it here
    assert read("ibuprofen", table) is None       # no drug use named
    assert read("hx of warfarin use", table) is None


# main terms of the rows the poisoning reading is tried on, and of Index entries beside them
POISONING_MAIN_TERMS = ("Rat poison NEC", "Rat-bite fever", "Pregnandiol", "Pregnancy",
                        "Cigarettes", "Smoke NEC", "Aspirin", "Accident", "Sugar", "Alcohol",
                        "Alcohol, alcoholic, alcohol-induced", "Bleach",
                        "Swallowed, swallowing")


@pytest.fixture(scope="module")
def poisons() -> IndexTermTable:
    entries = (e for e in read_index_entries() if e.path[0] in POISONING_MAIN_TERMS)
    return build_index_terms(entries, lambda code: _record(code, code, None), TODAY)


def poisoned(question: str, table: IndexTermTable):
    return poisoning_reading(question, table, frozenset(("urine", "eye")))


def test_a_substance_taken_with_no_effect_stated_is_read_as_poisoning_by_it(poisons):
    reading = poisoned("toddler got into the rat poison", poisons)
    assert reading.text == f"{POISONING_READING} rat poison"
    [said] = reading.replacements
    assert said.said == "toddler got into the rat poison"
    assert said.source.endswith("(Table of Drugs and Chemicals: Rat poison NEC, Poisoning, "
                                "Accidental (unintentional) T60.4X1)")
    # a word the row itself may be asked with ("accidental") is no other condition
    assert poisoned("accidentally took too much aspirin", poisons).text == \
        f"{POISONING_READING} aspirin"
    # "Swallowed, swallowing, foreign body": a word of taking in, no other condition
    assert poisoned("kid swallowed bleach", poisons).text == f"{POISONING_READING} bleach"


def test_no_poisoning_reading_where_the_question_says_more_than_the_substance(poisons):
    assert poisoned("smokes a pack of cigarettes a day", poisons) is None  # "Smoke NEC" too
    assert poisoned("she can't get pregnant", poisons) is None  # "Pregnandiol" only begins so
    assert poisoned("sugar in urine", poisons) is None          # a body part
    assert poisoned("rat poison poisoning", poisons) is None    # the Index names it as asked
    assert poisoned("toddler got into the cupboard", poisons) is None  # no row
    # the Index's own main term "Alcohol, alcoholic": its use, abuse, dependence
    assert poisoned("drinks alcohol", poisons) is None
    # the substance's word acts on the word after it: a verb ("Smoke NEC") and its object
    assert poisoned("smokes pot", poisons) is None
    # a phrase after it begins with a preposition: the substance is still what was taken
    assert poisoned("kid swallowed bleach by accident", poisons).text == \
        f"{POISONING_READING} bleach"


def test_the_poisoning_rows_a_word_begins_are_those_a_walk_of_all_its_entries_finds(poisons):
    """The walk passes over each block of the Index's own entries at its first entry."""
    for word in poisons.by_main:
        every = tuple(p for p in poisons.by_main[word]
                      if is_drug_table_row(poisons.terms[p].via)
                      and len(poisons.terms[p].levels) == 2
                      and drug_class._POISONING in poisons.terms[p].level_forms[1])
        assert drug_class._poisoning_rows(poisons, word) == every
    assert drug_class._poisoning_rows(poisons, "rat")  # the Table's "Rat poison NEC"
    assert "swallo" in poisons.by_main  # the Index's own "Swallowed, swallowing" entries
    assert not drug_class._poisoning_rows(poisons, "swallo")


# The allergy history's entries, the "Allergy, allergic" entries and a few rows of the Table
ALLERGY_TERMS = ("History", "Allergy, allergic", "Codeine", "Amoxicillin", "Penicillin",
                 "Ibuprofen", "Aspirin", "Ciprofibrate", "Ciprofloxacin")
ALLERGY_RECORDS = {**RECORDS, **{r.key: r for r in [
    _record("T40", "Poisoning by, adverse effect of and underdosing of narcotics and "
                   "psychodysleptics [hallucinogens]", None),
    _record("T40.2", "Poisoning by, adverse effect of and underdosing of other opioids", "T40"),
    _record("T40.2X1", "Poisoning by other opioids, accidental (unintentional)", "T40.2"),
    _record("T36", "Poisoning by, adverse effect of and underdosing of systemic antibiotics",
            None),
    _record("T36.0", "Poisoning by, adverse effect of and underdosing of penicillins", "T36"),
    _record("T36.0X1", "Poisoning by penicillins, accidental (unintentional)", "T36.0"),
    _record("T36.8", "Poisoning by, adverse effect of and underdosing of other systemic "
                     "antibiotics", "T36"),
    _record("T36.8X1", "Poisoning by other systemic antibiotics, accidental (unintentional)",
            "T36.8"),
    _record("T46", "Poisoning by, adverse effect of and underdosing of agents primarily "
                   "affecting the cardiovascular system", None),
    _record("T46.6", "Poisoning by, adverse effect of and underdosing of antihyperlipidemic "
                     "and antiarteriosclerotic drugs", "T46"),
    _record("T46.6X1", "Poisoning by antihyperlipidemic and antiarteriosclerotic drugs, "
                       "accidental (unintentional)", "T46.6"),
    _record("T78.2", "Anaphylactic shock, unspecified", "T78"),
    _record("T78.3", "Angioneurotic edema", "T78"),
    _record("T78.40", "Allergy, unspecified", "T78.4"),
    _record("Z88.0", "Allergy status to penicillin", "Z88"),
    _record("Z88.1", "Allergy status to other antibiotic agents", "Z88"),
    _record("Z88.3", "Allergy status to other anti-infective agents", "Z88"),
    _record("Z88.5", "Allergy status to narcotic agent", "Z88"),
    _record("Z88.6", "Allergy status to analgesic agent", "Z88"),
    _record("Z88.8", "Allergy status to other drugs, medicaments and biological substances",
            "Z88"),
    _record("Z88.9", "Allergy status to unspecified drugs, medicaments and biological "
                     "substances", "Z88"),
]}}


@pytest.fixture(scope="module")
def allergy_table() -> IndexTermTable:
    entries = (e for e in read_index_entries() if e.path[0] in ALLERGY_TERMS)
    return build_index_terms(entries, lambda code: ALLERGY_RECORDS.get(f"ICD-10-CM:{code}"),
                             TODAY)


def read_allergy(question: str, table: IndexTermTable):
    readings = [Reading(question)] + readings_of(question, SynonymTable())
    return allergy_class_reading(readings, table, lambda key: ALLERGY_RECORDS.get(key))


def test_a_drug_allergy_is_read_as_the_class_the_allergy_history_names(allergy_table):
    reading = read_allergy("I'm allergic to codeine", allergy_table)
    # Codeine's row gives T40.2X1; T40.2 "other opioids" names no class of "History,
    # personal, allergy"; T40 names "narcotics": "narcotic agent NEC" (less the words of the
    # entries of the history's own code, "medicinal agents": "agent" names no class)
    assert reading.text == "I'm allergic to narcotic agent"
    [drug] = reading.replacements
    assert (drug.said, drug.read_as) == ("codeine", "narcotic agent")
    assert drug.source.startswith("its class: Table of Drugs and Chemicals: Codeine, Poisoning")
    assert "under T40 'Poisoning by, adverse effect of and underdosing of narcotics" in drug.source
    assert "Alphabetic Index: History, personal, allergy, narcotic agent NEC" in drug.source
    assert read_allergy("needs a code for amoxicillin allergy", allergy_table).text == \
        "needs a code for penicillin allergy"


def test_a_class_word_is_compared_whole_not_by_its_first_letters(allergy_table):
    # T39.3 "nonsteroidal anti-inflammatory drugs" begins like "anti-infective agent NEC";
    # T39 "nonopioid analgesics" is the class: "analgesic agent NEC"
    assert read_allergy("ibuprofen allergy", allergy_table).text == "analgesic agent allergy"
    # "Ciprofibrate" begins like "ciprofloxacin": the row read is the one written as asked
    assert read_allergy("allergic to ciprofloxacin", allergy_table).text == \
        "allergic to antibiotic agent"


def test_no_allergy_class_reading_for_a_reaction_or_a_drug_the_entry_names(allergy_table):
    assert read_allergy("allergic to penicillin", allergy_table) is None  # its own entry
    assert read_allergy("on codeine", allergy_table) is None              # no allergy named
    # "reaction" and "shock" are words of "Allergy, allergic (reaction)" entries: a reaction
    # now, not an allergy status
    assert read_allergy("allergic reaction to codeine", allergy_table) is None
    assert read_allergy("codeine allergy with anaphylactic shock", allergy_table) is None
    assert read_allergy("allergic to hydroxyurea", allergy_table) is None  # no row read here
