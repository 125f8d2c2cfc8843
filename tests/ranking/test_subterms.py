"""Reading on under an Alphabetic Index entry to the subterm the question names."""

from __future__ import annotations

from assistant.index.index_terms import IndexTerm, IndexTermTable, entry_words
from assistant.ranking.subterms import read_on
from assistant.retrieval.index_lookup import IndexMatch, index_matches, stated_numbers


def _term(entry: str, code: str) -> IndexTerm:
    levels = tuple((tuple(entry_words(level)),) for level in entry.split(", "))
    return IndexTerm(entry, "", code, (code,), levels, frozenset())


TABLE = IndexTermTable.of([
    _term("Spondylitis, ankylosing", "M45.9"),
    _term("Spondylitis, ankylosing, cervical region", "M45.2"),
    _term("Spondylitis, ankylosing, lumbar region", "M45.6"),
    _term("Spondylitis, ankylosing, lumbosacral region", "M45.7"),
    _term("Spondylitis, ankylosing, lumbar region, with myelopathy", "M45.60"),
    _term("Contusion, toe, great", "S90.11"),
    _term("Contusion, toe, great, with damage to nail", "S90.21"),
    _term("Disease, kidney, chronic", "N18.9"),
    _term("Disease, kidney, chronic, stage 3", "N18.3"),
    _term("Disease, kidney, chronic, stage 4", "N18.4"),
    _term("Disease, kidney, chronic, end", "N18.6"),
])


def _match(entry: str) -> IndexMatch:
    term = next(t for t in TABLE.terms if t.entry == entry)
    return IndexMatch(term, tuple(sorted(term.required)))


def test_a_word_the_entry_leaves_unnamed_reads_on_to_the_subterm_that_names_it():
    [found] = read_on([_match("Spondylitis, ankylosing")],
                      "ankylosing spondylitis, lumbar spine", TABLE)
    assert found.term.entry == "Spondylitis, ankylosing, lumbar region"
    assert "lumbar" in found.named


def test_only_one_level_down_and_only_for_words_left():
    # the question names nothing a subterm adds: the entry stands
    match = _match("Spondylitis, ankylosing")
    assert read_on([match], "ankylosing spondylitis", TABLE) == [match]
    # a subterm two levels down is not read on to from the entry
    [found] = read_on([match], "ankylosing spondylitis, myelopathy", TABLE)
    assert found == match


def test_a_number_stated_reads_on_to_the_subterm_that_names_it():
    [found] = read_on([_match("Disease, kidney, chronic")], "chronic kidney stage 3", TABLE)
    assert found.term.code == "N18.3"
    [found] = read_on([_match("Disease, kidney, chronic")], "chronic kidney 4", TABLE)
    assert found.term.code == "N18.4"


def test_a_with_subterm_needs_a_with_asked():
    match = _match("Contusion, toe, great")
    assert read_on([match], "bruised my big toe, nail is fine", TABLE) == [match]
    [found] = read_on([match], "bruised great toe with damage to the nail", TABLE)
    assert found.term.code == "S90.21"


def test_ages_and_weeks_are_no_numbers_of_the_condition():
    assert stated_numbers("CKD 3") == {"3"}
    assert stated_numbers("a 6 year old with CKD") == frozenset()
    assert stated_numbers("32 weeks along, CKD") == frozenset()


def test_index_matches_still_find_the_entry_itself():
    assert [m.term.code for m in index_matches("ankylosing spondylitis", TABLE)] == ["M45.9"]
