"""Screening for a condition read as screening for its class: the committed Alphabetic
Index, over hand-built records with their ICD-10-CM 2026 titles."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.alphabetic_index import read_index_entries
from assistant.index.index_terms import IndexTermTable, build_index_terms
from assistant.index.synonyms import SynonymTable
from assistant.ranking.screening import screening_class_reading
from assistant.records import CodeRecord
from assistant.retrieval.readings import SCREENING_READING, Reading, readings_of

TODAY = date(2026, 11, 27)
MAIN_TERMS = ("Screening", "Hepatitis")


def _record(code: str, title: str, parent: str | None, kind: str = "code") -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=title, parent=parent, kind=kind)


RECORDS = {r.key: r for r in [
    _record("B19", "Unspecified viral hepatitis", "B15-B19", "category"),
    _record("B19.2", "Unspecified viral hepatitis C", "B19"),
    _record("B19.20", "Unspecified viral hepatitis C without hepatic coma", "B19.2"),
    _record("Z11.2", "Encounter for screening for other bacterial diseases", "Z11"),
    _record("Z11.59", "Encounter for screening for other viral diseases", "Z11.5"),
    _record("Z13.89", "Encounter for screening for other disorder", "Z13.8"),
    _record("Z13.9", "Encounter for screening, unspecified", "Z13"),
]}


def record(key: str) -> CodeRecord | None:
    return RECORDS.get(key)


@pytest.fixture(scope="module")
def table() -> IndexTermTable:
    entries = (e for e in read_index_entries() if e.path[0] in MAIN_TERMS)
    return build_index_terms(entries, lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)


def read(question: str, table: IndexTermTable):
    readings = [Reading(question)] + readings_of(question, SynonymTable())
    return screening_class_reading(readings, table, record)


def test_screening_for_a_condition_is_read_as_screening_for_the_class_its_heading_names(table):
    # "Hepatitis, C" gives B19.20, under B19.2 "Unspecified viral hepatitis C": "Screening,
    # disease or disorder, viral NEC"
    reading = read("screening for hepatitis C", table)
    assert reading.text == "screening for viral disease"
    [condition] = reading.replacements
    assert (condition.said, condition.read_as) == ("hepatitis C", "viral disease")
    assert condition.source == ("its class: B19.2 'Unspecified viral hepatitis C' (ICD-10-CM "
                                "Alphabetic Index: Screening, disease or disorder, viral NEC)")
    # the condition before the word, up to the clause's end
    assert read("hepatitis C screening, asymptomatic", table).text == \
        "viral disease screening, asymptomatic"
    # after the reading of testing for a disease as screening for it
    tested = read("here to get tested for hepatitis C", table)
    assert tested.text == f"{SCREENING_READING} viral disease" and tested.situation


def test_no_class_reading_without_screening_nor_for_the_index_own_entries(table):
    assert read("hepatitis C", table) is None        # no screening named
    assert read("screening for measles", table) is None  # "Screening, measles" is an entry
