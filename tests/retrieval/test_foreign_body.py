"""A thing put in a body opening read as a foreign body there, over a hand-built Index."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.alphabetic_index import IndexEntry
from assistant.index.index_terms import IndexTermTable, build_index_terms
from assistant.records import CodeRecord
from assistant.retrieval.readings import FOREIGN_BODY_READING, foreign_body_reading

TODAY = date(2026, 11, 28)
# the external causes' words that say how it happened ("Accidental hit ... by another person")
ACTIONS = frozenset(("hit", "kick", "strike"))

ENTRIES = [
    IndexEntry(("Foreign body", "entering through orifice", "nose"), ("", "", ""), "T17.1"),
    IndexEntry(("Foreign body", "entering through orifice", "eye NOS"), ("", "", "(external)"),
               "T15.9-"),
    IndexEntry(("Pain", "eye"), ("", ""), "H57.1-"),
    IndexEntry(("Wax in ear",), ("",), "H61.20"),
    IndexEntry(("Foreign body", "alimentary canal"), ("", ""), "T18.9"),
    IndexEntry(("Swallowed, swallowing", "difficulty"), ("", ""), "R13.10", "see Dysphagia"),
    IndexEntry(("Swallowed, swallowing", "foreign body"), ("", ""), "T18.9",
               "see Foreign body, alimentary canal"),
]


def _record(code: str) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=code, billable=False,
                      kind="code")


@pytest.fixture(scope="module")
def table() -> IndexTermTable:
    return build_index_terms(ENTRIES, _record, TODAY)


# the lookup words of body parts (`SynonymTable.body_words`)
BODY_WORDS = frozenset(("eye", "ear", "nose", "blood", "vessel", "tongue"))


def read(text: str, table: IndexTermTable):
    return foreign_body_reading(text, table, BODY_WORDS, lambda: ACTIONS)


def test_a_thing_put_in_an_opening_the_index_lists_is_read_as_a_foreign_body_there(table):
    reading = read("kid stuck a bead up his nose", table)
    assert reading.text == f"{FOREIGN_BODY_READING} his nose"
    [said] = reading.replacements
    assert said.said == "kid stuck a bead up" and said.read_as == FOREIGN_BODY_READING
    assert said.source.endswith(
        "(ICD-10-CM Alphabetic Index: Foreign body, entering through orifice, nose)")
    assert read("got sand in my eye", table).text == f"{FOREIGN_BODY_READING} my eye"


def test_no_foreign_body_where_nothing_is_put_there_or_what_is_names_a_condition(table):
    assert read("pain in my eye", table) is None           # "Pain, eye"
    assert read("punched in the nose", table) is None      # a regular past form: how
    assert read("got hit in the eye", table) is None       # "hit": an external cause's word
    assert read("was kicked in the nose", table) is None
    assert read("dry eyes in both eyes", table) is None     # a part of the body
    assert read("earwax blockage in the nose", table) is None  # "ear", written as one
    assert read("got sand in my elbow", table) is None     # no opening the Index lists
    assert read("sand on my nose", table) is None          # not in it
    assert read("in the nose", table) is None              # nothing put there


def test_a_thing_taken_in_is_read_as_the_foreign_body_of_the_word_that_takes_it_in(table):
    # "Swallowed, swallowing, foreign body": "swallowed" takes a thing in
    reading = read("toddler swallowed a coin", table)
    assert reading.text == "swallowed foreign body"
    assert reading.replacements[0].source.endswith(
        "(ICD-10-CM Alphabetic Index: Swallowed, swallowing, foreign body)")
    assert read("trouble swallowing", table) is None      # nothing after it
    assert read("swallowed my tongue", table) is None     # a part of the body
