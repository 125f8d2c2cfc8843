"""Trimesters as the ICD-10-CM tabular's pregnancy chapter counts them, from its own notes."""

from __future__ import annotations

import pytest
import simple_icd_10_cm as tabular

from assistant.ranking.fit import contradictions
from assistant.ranking.gestation import (Trimester, named_trimester,
                                         names_other_weeks, trimester_of, trimesters, weeks_asked)

# The notes of chapter 15 (Pregnancy, childbirth and the puerperium), as the tabular has them
# (one text, a note a line; the index keeps each note as a section of its own).
CHAPTER_NOTES = tabular.get_notes("15").splitlines()


def test_the_chapters_notes_define_three_trimesters_by_weeks():
    assert trimesters(CHAPTER_NOTES) == [Trimester("first", 0, 14), Trimester("second", 14, 28),
                                         Trimester("third", 28, None)]


def test_notes_that_define_no_trimester_give_none():
    assert trimesters(tabular.get_notes("16").splitlines()) == []


@pytest.mark.parametrize("weeks, name", [(0, "first"), (13, "first"), (14, "second"),
                                         (27, "second"), (28, "third"), (41, "third")])
def test_weeks_fall_in_the_trimester_whose_bounds_hold_them(weeks, name):
    assert trimester_of(weeks, trimesters(CHAPTER_NOTES)) == name


@pytest.mark.parametrize("question, weeks", [
    ("pregnant with twins, 24 weeks along", 24), ("born at 32 wks", 32),
    ("10-week ultrasound", 10), ("30 weeks gestation", 30), ("twin pregnancy", None),
    ("pain for 3 days", None), ("2-week-old here for a weight check", None),
])
def test_the_weeks_a_question_gives(question, weeks):
    assert weeks_asked(question) == weeks


@pytest.mark.parametrize("title, named", [
    ("Twin pregnancy, unspecified number of placenta and unspecified number of amniotic sacs, "
     "second trimester", "second"),
    ("Conjoined twin pregnancy, unspecified trimester", "unspecified"),
    ("24 weeks gestation of pregnancy", None),
])
def test_the_trimester_a_title_names(title, named):
    assert named_trimester(title) == named


@pytest.mark.parametrize("code, weeks, other", [
    ("P07.35", 32, False), ("P07.34", 32, True),   # "gestational age 31 completed weeks"
    ("P07.30", 32, True),                          # "unspecified weeks of gestation"
    ("Z3A.32", 32, False), ("Z3A.00", 10, True),   # "... not specified"
    ("Z3A.49", 43, False), ("Z3A.49", 42, True),   # "Greater than 42 weeks ..."
    ("P07.21", 22, False), ("P07.21", 23, True),   # "... less than 23 completed weeks"
    ("O47.03", 36, False), ("O47.1", 36, True),    # "before" / "at or after 37 completed weeks"
    ("O75.82", 38, False), ("O75.82", 39, True),   # "after 37 ... but before 39 ..."
    ("O30.002", 24, False),                        # a trimester, no weeks
])
def test_a_title_names_other_weeks_than_those_given(code, weeks, other):
    # the titles as the tabular writes them
    assert names_other_weeks(tabular.get_description(code), weeks) is other


def test_weeks_given_otherwise_are_a_contradiction():
    assert contradictions("preterm newborn at 32 weeks",
                          tabular.get_description("P07.30")) == 1
    assert contradictions("preterm newborn at 32 weeks",
                          tabular.get_description("P07.35")) == 0
    # no weeks given: none named otherwise
    assert contradictions("preterm newborn", tabular.get_description("P07.35")) == 0
