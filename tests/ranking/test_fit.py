"""The tabular's own default child: an inclusion term "X NOS" where X is the code's title less
a detail (texts from the ICD-10-CM tabular)."""

from __future__ import annotations

from assistant.ranking.fit import (AskedWords, default_preference, nos_term, tabular_default_term,
                                   word_match)
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
    asked = AskedWords.of("toxic effect of ethanol")
    accidental = default_preference(asked, "Toxic effect of ethanol, accidental "
                                    "(unintentional)", [], tabular_default=True)
    assault = default_preference(asked, "Toxic effect of ethanol, assault", [])
    assert accidental > assault
    # the question's own words still come first
    methanol_asked = AskedWords.of("toxic effect of methanol")
    methanol = default_preference(methanol_asked, "Toxic effect of methanol, assault", [])
    ethanol = default_preference(methanol_asked, "Toxic effect of ethanol, "
                                 "accidental (unintentional)", [], tabular_default=True)
    assert methanol > ethanol


def test_asked_words_measure_a_title_as_word_coverage_and_extra_words_do():
    kin = {"nose": ["nasal"]}
    asked = AskedWords.of("fracture of the nose, left side", kin)
    for title in ["Fracture of nasal bones", "Fracture of left wrist", "Nasal polyp", ""]:
        assert asked.coverage(title) == word_match(asked.text, title, kin).coverage
    # fracture, and nose by its kin word "nasal": two of the four content words
    assert asked.coverage("Fracture of nasal bones") == 0.5
    assert asked.coverage("Nasal polyp") == 0.25
    # "bones" is the one word the question lacks; a "without ..." clause adds none
    assert asked.extra_words("Fracture of nasal bones without displacement") == 1
    assert asked.extra_words("Fracture of nasal bones") == 1
    assert AskedWords.of(asked.text).extra_words("Fracture of nasal bones") == 2  # no kin


def test_a_question_with_more_than_the_nos_term_names_is_not_that_term():
    # ICD-10-CM S06.0XA lists "Concussion NOS"; a concussion said to be with loss of
    # consciousness is more than a concussion with nothing further said
    unknown = _record("S06.0XAA", "Concussion with loss of consciousness status unknown, "
                      "initial encounter", "S06.0XA",
                      [Note(NoteKind.INCLUSION_TERM, "Concussion NOS", "S06.0XA")])
    assert nos_term("concussion, initial encounter", unknown, None) == "Concussion NOS"
    assert nos_term("concussion with loss of consciousness", unknown, None) is None
    assert nos_term("concussion w/ loss of consciousness", unknown, None) is None
