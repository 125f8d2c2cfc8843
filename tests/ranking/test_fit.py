"""The tabular's own default child: an inclusion term "X NOS" where X is the code's title less
a detail (texts from the ICD-10-CM tabular)."""

from __future__ import annotations

from assistant.ranking.fit import default_preference, tabular_default_term
from assistant.records import CodeRecord, Note, NoteKind

_ETHANOL_NOS = Note(NoteKind.INCLUSION_TERM, "Toxic effect of ethanol NOS", "T51.0X1")


def _record(code: str, title: str, parent: str, notes: list[Note]) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=title, parent=parent, notes=notes)


def test_a_code_that_lists_its_title_less_a_detail_as_nos_is_the_tabular_default():
    accidental = _record("T51.0X1", "Toxic effect of ethanol, accidental (unintentional)",
                         "T51.0", [_ETHANOL_NOS])
    assert tabular_default_term(accidental) == "Toxic effect of ethanol NOS"


def test_a_seventh_character_code_takes_the_term_its_six_character_parent_states():
    initial = _record("T51.0X1A", "Toxic effect of ethanol, accidental (unintentional), "
                      "initial encounter", "T51.0X1", [_ETHANOL_NOS])
    assert tabular_default_term(initial) == "Toxic effect of ethanol NOS"


def test_a_code_without_such_a_term_of_its_own_is_no_default():
    assault = _record("T51.0X3", "Toxic effect of ethanol, assault", "T51.0", [])
    assert tabular_default_term(assault) is None


def test_a_term_that_only_shares_a_word_start_with_the_title_is_no_default():
    # R59.1 "Generalized enlarged lymph nodes" lists "Lymphadenopathy NOS": another name for
    # the condition, not its title less a detail ("lymph" is no "lymphadenopathy").
    generalized = _record("R59.1", "Generalized enlarged lymph nodes", "R59",
                          [Note(NoteKind.INCLUSION_TERM, "Lymphadenopathy NOS", "R59.1")])
    assert tabular_default_term(generalized) is None


def test_the_tabular_default_comes_after_the_question_words_and_before_the_shortest_title():
    question = "toxic effect of ethanol"
    accidental = default_preference(question, "Toxic effect of ethanol, accidental "
                                    "(unintentional)", {}, [], tabular_default=True)
    assault = default_preference(question, "Toxic effect of ethanol, assault", {}, [])
    assert accidental > assault
    # the question's own words still come first
    methanol = default_preference("toxic effect of methanol", "Toxic effect of methanol, "
                                  "assault", {}, [])
    ethanol = default_preference("toxic effect of methanol", "Toxic effect of ethanol, "
                                 "accidental (unintentional)", {}, [], tabular_default=True)
    assert methanol > ethanol
