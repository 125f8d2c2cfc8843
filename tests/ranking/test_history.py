"""A history's code by the tabular's "Conditions classifiable to" notes."""

from __future__ import annotations

from assistant.ranking.history import classifiable, classified_otherwise, history_code
from assistant.records import CodeRecord, Note, NoteKind


def record(code: str, title: str, note: str = "", parent: str | None = None) -> CodeRecord:
    notes = [Note(NoteKind.INCLUSION_TERM, note, code)] if note else []
    return CodeRecord(system="ICD-10-CM", code=code, title=title, parent=parent, notes=notes)


RECORDS = {r.code: r for r in [
    record("Z85.8", "Personal history of malignant neoplasms of other organs and systems",
           "Conditions classifiable to C00-C14, C40-C49, C69-C75, C7A.098, C76-C79"),
    record("Z85.82", "Personal history of malignant neoplasm of skin", parent="Z85.8"),
    record("Z85.828", "Personal history of other malignant neoplasm of skin",
           "Conditions classifiable to C44", parent="Z85.82"),
    record("Z86.32", "Personal history of gestational diabetes",
           "Personal history of conditions classifiable to O24.4-"),
    record("Z87.7", "Personal history of (corrected) congenital malformations",
           "Conditions classifiable to Q00-Q89 that have been repaired or corrected"),
    record("Z83.7", "Family history of diseases of the digestive system",
           "Conditions classifiable to D12, K00-K93"),
    record("Z83.719", "Family history of colon polyps, unspecified", parent="Z83.7"),
]}


def get(key: str) -> CodeRecord | None:
    return RECORDS.get(key.split(":", 1)[-1])


def test_the_notes_ranges_are_read_and_a_qualified_note_is_not():
    assert classifiable(RECORDS["Z83.7"]) == ("Conditions classifiable to D12, K00-K93",
                                              [("D12", "D12"), ("K00", "K93")])
    assert classifiable(RECORDS["Z86.32"])[1] == [("O24.4", "O24.4")]
    # "that have been repaired" says more than a range: no code is classified by it alone
    assert classifiable(RECORDS["Z87.7"]) == ("", [])
    assert classifiable(RECORDS["Z85.82"]) == ("", [])


def test_the_most_specific_history_code_whose_note_holds_the_condition_is_chosen():
    keys = [f"ICD-10-CM:{code}" for code in RECORDS]
    found = history_code("C44.91", keys, get)
    assert found is not None and found[0].code == "Z85.828"
    assert found[1] == "Conditions classifiable to C44"
    assert history_code("C76.0", keys, get)[0].code == "Z85.8"  # type: ignore[index]
    assert history_code("O24.419", keys, get)[0].code == "Z86.32"  # type: ignore[index]
    assert history_code("Q21.0", keys, get) is None  # only the qualified note names it
    assert history_code("R10.9", keys, get) is None


def test_a_history_code_whose_nearest_note_holds_another_condition_is_said_so():
    def parent(r: CodeRecord) -> CodeRecord | None:
        return RECORDS.get(r.parent) if r.parent else None

    polyps = RECORDS["Z83.719"]
    assert classified_otherwise("C18.9", polyps, parent) == \
        "Z83.7's note 'Conditions classifiable to D12, K00-K93'"
    assert classified_otherwise("K63.5", polyps, parent) == ""
    # the nearest note decides: Z85.828's own, not Z85.8's above it
    assert classified_otherwise("C44.91", RECORDS["Z85.828"], parent) == ""
    assert classified_otherwise("C76.0", RECORDS["Z85.828"], parent) != ""
    assert classified_otherwise("C18.9", RECORDS["Z85.82"], parent) != ""  # Z85.8's note
