"""A plain word the Alphabetic Index reads as a prefix ("low" as "hypo-"), from FY2017 Index
entries, and titles that read it backwards (ICD-10-CM 2026 titles)."""

from __future__ import annotations

from datetime import date

from assistant.corpus.alphabetic_index import IndexEntry
from assistant.index.index_terms import IndexTermTable, build_index_terms
from assistant.ranking.prefix_senses import read_backwards, sense_prefixes
from assistant.records import CodeRecord

_CODES = {"E28.39": "Other primary ovarian failure", "I10": "Essential (primary) hypertension",
          "I95.9": "Hypotension, unspecified"}


def _table(*entries: IndexEntry) -> IndexTermTable:
    def find(code: str) -> CodeRecord | None:
        title = _CODES.get(code)
        return CodeRecord(system="ICD-10-CM", code=code, title=title) if title else None
    return build_index_terms(entries, find, date(2026, 11, 27))


_LOW_FUNCTION = IndexEntry(("Low", "function", "ovary"), ("", "", ""), "E28.39",
                           "see also Hypofunction, ovary")
_HIGH_TENSION = IndexEntry(("High", "arterial tension"), ("", ""), "I10", "see Hypertension")
_LOW_PRESSURE = IndexEntry(("Low", "blood pressure"), ("", ""), "I95.9",
                           "see also Hypotension")


def test_a_see_reference_that_joins_a_prefix_to_a_word_of_the_entry_gives_its_sense():
    table = _table(_LOW_FUNCTION, _HIGH_TENSION, _LOW_PRESSURE)
    assert sense_prefixes("low sodium", table) == {"hypo"}
    assert sense_prefixes("high potassium", table) == {"hyper"}


def test_a_reference_to_another_word_altogether_gives_no_sense():
    # "Hypotension" is not a prefix joined to "blood" or "pressure"
    assert sense_prefixes("low blood pressure", _table(_LOW_PRESSURE)) == frozenset()
    # a word that is no main term of the entry gives nothing either
    assert sense_prefixes("function of the ovary", _table(_LOW_FUNCTION)) == frozenset()


def test_a_title_that_puts_another_prefix_before_the_stem_reads_the_question_backwards():
    known = ["hyperosmolality", "hypernatremia", "hypo", "osmolality", "hyponatremia"]
    hypo = frozenset({"hypo"})
    assert read_backwards("Hyperosmolality and hypernatremia", hypo, known)
    assert not read_backwards("Hypo-osmolality and hyponatremia", hypo, known)
    # no word made with the question's prefix to compare with: nothing is read backwards
    assert not read_backwards("Hyperkalemia", hypo, ["hyperkalemia"])
