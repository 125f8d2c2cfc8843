"""A condition in a pregnancy coded by the pregnancy chapter's "Conditions in" notes."""

from __future__ import annotations

from assistant.ranking.pregnancy import conditions_in, pregnancy_heading
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
