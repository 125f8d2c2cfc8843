"""Among codes of one category, the one an Index entry the question names gives comes first."""

from __future__ import annotations

from assistant.index.index_terms import IndexTerm, IndexTermTable, entry_words
from assistant.ranking.entry_default import entry_codes, named_ahead, unspecified


def _term(entry: str, code: str, via: str = "") -> IndexTerm:
    levels = tuple((tuple(entry_words(level)),) for level in entry.split(", "))
    return IndexTerm(entry, via, code, (code,), levels, frozenset())


# the synonym table's body words, as lookups compare them
BODY = frozenset(entry_words("chest arm"))
TABLE = IndexTermTable.of([
    _term("Chickenpox", "B01.9", "see Varicella"),
    _term("Ringworm", "B35.9"),
    _term("Ringworm, body", "B35.4"),
    _term("Seizure", "R56.9"),
    _term("Seizure, febrile", "R56.00"),
    _term("Seizure, febrile, complex", "R56.01"),
    _term("Varicella", "B01.9"),
])


def test_the_entries_every_level_of_which_the_words_name_give_their_codes():
    found = entry_codes(["a toddler brought in after a febrile seizure"], TABLE, BODY)
    assert set(found) == {"R56.9", "R56.00"}
    assert found["R56.00"].entry == "Seizure, febrile"
    # a "see" reference's entry gives the code it leads to
    assert set(entry_codes(["my little girl broke out in chickenpox"], TABLE, BODY)) == {"B01.9"}


def test_an_entry_that_leaves_a_body_part_asked_unnamed_gives_no_code():
    # the coder reads on under "Ringworm" for the site
    assert entry_codes(["ringworm on the chest"], TABLE, BODY) == {}
    assert set(entry_codes(["my son has ringworm"], TABLE, BODY)) == {"B35.9"}


def test_a_named_code_goes_ahead_of_the_first_of_its_category_that_none_names():
    codes = [("R56.01",), ("R56.00",), ("G40.89",)]
    assert named_ahead(codes, [False, True, False], [True] * 3, [0.5] * 3) == [1, 0, 2]
    # a code of another category above it stays where it is
    codes = [("G40.89",), ("R56.01",), ("R56.00",)]
    assert named_ahead(codes, [False, False, True], [True] * 3, [0.5] * 3) == [0, 2, 1]


def test_nothing_moves_where_the_first_of_the_category_is_named_or_the_code_may_not():
    codes = [("R56.9",), ("R56.01",), ("R56.00",)]
    assert named_ahead(codes, [True, False, True], [True] * 3, [0.5] * 3) == [0, 1, 2]
    codes = [("R56.01",), ("R56.00",)]
    assert named_ahead(codes, [False, True], [True, False], [0.5, 0.5]) == [0, 1]
    # a code counts as named by the heading it was chosen under too (its codes given)
    codes = [("B01.89", "B01.8"), ("B01.9",)]
    assert named_ahead(codes, [False, True], [True, True], [0.5, 0.5]) == [1, 0]


def test_a_code_holding_more_of_the_question_stays_ahead():
    # "here for cholesterol screening": "Screening" Z13.9 holds less than Z13.220
    codes = [("Z13.220",), ("Z13.9",)]
    assert named_ahead(codes, [False, True], [True, True], [1.0, 0.67]) == [0, 1]


def test_an_unspecified_code_is_for_a_detail_left_undocumented():
    assert unspecified("Cough, unspecified")
    assert not unspecified("Varicella without complication")
