"""Reading on under an Alphabetic Index entry, as a coder does, to the subterm the question's
words name.

An entry found for part of a question ("Spondylitis, ankylosing" M45.9, for "ankylosing
spondylitis, lumbar spine", or "Disease, kidney, chronic" N18.9 for "CKD 3") is where the
coder's lookup starts, not where it ends: the Index's conventions send the coder down its
indented subterms to the one that names the rest of what is documented ("..., lumbar region"
M45.6, "..., stage 3" N18.3). The entry's own code is the one for none of its subterms'
details. A subterm is read on to where it names a word of the question's condition, or a
number it states, that the entry left unnamed, and no other subterm names as many; never to a
"with ..." subterm the question gives no "with" for (`adds_unasked_with`: "Contusion, toe,
great, with damage to nail" names the nail of "bruised my big toe, nail is fine").
"""

from __future__ import annotations

from dataclasses import replace

from assistant.index.index_terms import IndexTerm, IndexTermTable
from assistant.ranking.fit import adds_unasked_with
from assistant.retrieval.index_lookup import IndexMatch, condition_words, stated_numbers

# An entry's levels -> the entries one level below it (`_subterms`).
Subterms = dict[tuple[tuple[tuple[str, ...], ...], ...], list[IndexTerm]]


def read_on(matches: list[IndexMatch], text: str, table: IndexTermTable) -> list[IndexMatch]:
    """Each match, or the one subterm right under its entry that names most of the words of
    the text's condition (and the numbers it states) the match left unnamed."""
    if not matches:
        return matches
    asked = condition_words(text) | stated_numbers(text)
    return [_read_on(match, text, asked, table) for match in matches]


def _read_on(match: IndexMatch, text: str, asked: frozenset[str],
             table: IndexTermTable) -> IndexMatch:
    left = asked - set(match.named) - match.term.required
    if not left or match.term.via or not match.term.levels[0][0]:
        return match
    main = match.term.levels[0][0][0]
    below = table.per_main_word(_subterms, main).get(match.term.levels, [])
    naming = [(len(_named(term, left)), term) for term in below
              if not adds_unasked_with(text, term.entry.rsplit(",", 1)[-1])]
    most = max((count for count, _ in naming), default=0)
    best = [term for count, term in naming if count == most]
    if not most or len({term.codes for term in best}) != 1 or not best[0].codes:
        return match
    term = best[0]
    return replace(match, term=term, named=tuple(sorted(set(match.named) | _named(term, left))))


def _named(term: IndexTerm, words: frozenset[str]) -> frozenset[str]:
    """The words of the entry's last level (any of its forms) among `words`."""
    return frozenset(w for form in term.level_forms[-1] for w in form & words)


def _subterms(table: IndexTermTable, word: str) -> Subterms:
    """The entries a main word begins, by the levels of the entry each is right under."""
    below: Subterms = {}
    for term in table.entries_of(word):
        if len(term.levels) > 1:
            below.setdefault(term.levels[:-1], []).append(term)
    return below
