"""Trimesters as the ICD-10-CM tabular's pregnancy chapter counts them, from its own notes."""

from __future__ import annotations

import pytest
import simple_icd_10_cm as tabular

from assistant.ranking.gestation import (Trimester, named_trimester, trimester_of, trimesters,
                                         weeks_asked)

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
