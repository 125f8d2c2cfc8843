"""Which code is reported first: the ranges a tabular "Code first" note names."""

from __future__ import annotations

import pytest

from assistant.ranking.sequencing import code_first_ranges, in_ranges
from assistant.records import CodeRecord, Note, NoteKind

# Z3A's note in the FY2026 tabular
Z3A_CODE_FIRST = "obstetric condition or encounter for delivery (O09-O60, O80-O82, O94-O9A)"


def _record(*notes: Note) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code="Z3A.24", title="24 weeks gestation of pregnancy",
                      notes=list(notes))


def test_a_code_first_note_names_its_ranges_in_parentheses():
    record = _record(Note(NoteKind.CODE_FIRST, Z3A_CODE_FIRST, "Z3A"),
                     Note(NoteKind.USE_ADDITIONAL_CODE, "code (E11.-) to identify", "Z3A"))
    assert code_first_ranges(record) == [("O09", "O60"), ("O80", "O82"), ("O94", "O9A")]


def test_a_single_code_or_category_is_a_range_of_itself():
    record = _record(Note(NoteKind.CODE_FIRST, "underlying disease, such as: amyloidosis (E85.-)"
                                               " or gout (M1A.-, M10.-)", "G63"))
    assert code_first_ranges(record) == [("E85", "E85"), ("M1A", "M1A"), ("M10", "M10")]


@pytest.mark.parametrize("code, inside", [
    ("O30.002", True), ("O09.90", True), ("O60.00", True), ("O9A.111", True),
    ("O61.0", False), ("O83", False), ("Z34.01", False), ("P07.35", False),
])
def test_a_code_is_in_a_range_by_its_category(code, inside):
    assert in_ranges(code, [("O09", "O60"), ("O80", "O82"), ("O94", "O9A")]) is inside


def test_a_single_code_holds_the_codes_under_it():
    assert in_ranges("E85.81", [("E85", "E85")])
    assert not in_ranges("E86.0", [("E85", "E85")])
