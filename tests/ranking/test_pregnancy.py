"""A condition in a pregnancy coded by the pregnancy chapter's "Conditions in" notes."""

from __future__ import annotations

from assistant.ranking.pregnancy import (MULTIGRAVIDA, PRIMIGRAVIDA, age_bound, age_holds,
                                         beyond_the_pregnancy, conditions_in, excludes,
                                         gravidity_word, patient_age, pregnancy_heading)
from assistant.records import CodeRecord, Note, NoteKind


def record(code: str, title: str, note: str = "") -> CodeRecord:
    notes = [Note(NoteKind.INCLUSION_TERM, note, code)] if note else []
    return CodeRecord(system="ICD-10-CM", code=code, title=title, notes=notes)


# the notes as the ICD-10-CM tabular states them
HEADINGS = [
    record("O99.3", "Mental disorders and diseases of the nervous system complicating "
                    "pregnancy, childbirth and the puerperium"),
    record("O99.34", "Other mental disorders complicating pregnancy, childbirth, and the "
                     "puerperium", "Conditions in F01-F09, F20-F52 and F54-F99"),
    record("O99.35", "Diseases of the nervous system complicating pregnancy, childbirth, and "
                     "the puerperium", "Conditions in G00-G99"),
    record("O99.5", "Diseases of the respiratory system complicating pregnancy, childbirth "
                    "and the puerperium", "Conditions in J00-J99"),
    record("O99.8", "Other specified diseases and conditions complicating pregnancy, "
                    "childbirth and the puerperium",
           "Conditions in D00-D48, H00-H95, M00-N99, and Q00-Q99"),
    record("O9A.2", "Injury, poisoning and certain other consequences of external causes "
                    "complicating pregnancy, childbirth and the puerperium",
           "Conditions in S00-T88, except T74 and T76"),
    record("O90.3", "Peripartum cardiomyopathy",
           "Conditions in I42.- arising during pregnancy and the puerperium"),
]
BY_CODE = {r.code: r for r in HEADINGS}


def test_the_notes_ranges_are_read_and_a_qualified_note_is_not():
    assert conditions_in(BY_CODE["O99.5"]) == ("Conditions in J00-J99", [("J00", "J99")])
    assert conditions_in(BY_CODE["O99.34"])[1] == [("F01", "F09"), ("F20", "F52"),
                                                    ("F54", "F99")]
    assert conditions_in(BY_CODE["O99.8"])[1] == [("D00", "D48"), ("H00", "H95"),
                                                   ("M00", "N99"), ("Q00", "Q99")]
    # "except ..." and "arising during ..." say more than their ranges
    assert conditions_in(BY_CODE["O9A.2"]) == ("", [])
    assert conditions_in(BY_CODE["O90.3"]) == ("", [])
    assert conditions_in(BY_CODE["O99.3"]) == ("", [])


def test_the_heading_whose_note_holds_the_conditions_code():
    found = pregnancy_heading("J45.909", HEADINGS)
    assert found is not None and found[0].code == "O99.5"
    assert found[1] == "Conditions in J00-J99"
    epilepsy = pregnancy_heading("G40.909", HEADINGS)
    assert epilepsy is not None and epilepsy[0].code == "O99.35"
    # F10-F19 (substance use) are left out of O99.34's ranges
    assert pregnancy_heading("F10.20", HEADINGS) is None
    # an injury: O9A.2's note is qualified, so it classifies nothing alone
    assert pregnancy_heading("S82.101A", HEADINGS) is None


def test_a_code_of_the_pregnancy_chapter_is_classified_by_none():
    assert pregnancy_heading("O24.419", HEADINGS) is None


def test_a_patients_age_is_read_in_years_only():
    assert patient_age("40 years old and pregnant") == 40
    assert patient_age("a 39-year-old G2P1") == 39
    assert patient_age("39 yo G2P1 at 22 wks") == 39
    assert patient_age("pregnant, age 17") == 17
    # weeks of gestation, or years of smoking, are no age
    assert patient_age("pregnant at 36 weeks") is None
    assert patient_age("smoked for 40 years, pregnant") is None


def test_how_many_pregnancies_is_read_from_the_notation_or_an_ordinal():
    assert gravidity_word("G1P0 at 30 weeks") == PRIMIGRAVIDA
    assert gravidity_word("G3 P2 at 20 wks") == MULTIGRAVIDA
    assert gravidity_word("pregnant with my first baby") == PRIMIGRAVIDA
    assert gravidity_word("her second pregnancy") == MULTIGRAVIDA
    # a first trimester says nothing of how many pregnancies
    assert gravidity_word("pregnant, first trimester") == ""


def test_an_age_bound_is_the_records_own_inclusion_term():
    elderly = record("O09.5", "Supervision of elderly primigravida and multigravida",
                     "Pregnancy for a female 35 years and older at expected date of delivery")
    young = record("O09.6", "Supervision of young primigravida and multigravida",
                   "Supervision of pregnancy for a female less than 16 years old at expected "
                   "date of delivery")
    assert age_holds(age_bound(elderly), 35) and not age_holds(age_bound(elderly), 34)
    assert age_holds(age_bound(young), 15) and not age_holds(age_bound(young), 16)
    assert age_bound(HEADINGS[2]) == ""  # "Conditions in G00-G99" bounds no age


def test_an_excludes1_note_names_the_heading_it_keeps_out():
    z34 = CodeRecord(system="ICD-10-CM", code="Z34.91", title="Encounter for supervision of "
                     "normal pregnancy, unspecified, first trimester",
                     notes=[Note(NoteKind.EXCLUDES1, "encounter for supervision of high risk "
                                 "pregnancy (O09.-)", "Z34")])
    assert excludes(z34, "O09.5") and not excludes(z34, "O24.4")


def test_the_words_beyond_the_pregnancy_are_a_conditions():
    assert beyond_the_pregnancy("39 yo G2P1 at 22 wks, pregnant") == []
    assert beyond_the_pregnancy("pregnant 38 year old with gestational diabetes, second "
                                "pregnancy") == ["gestational", "diabetes"]
