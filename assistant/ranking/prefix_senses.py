"""A plain word the Alphabetic Index reads as a word-forming prefix, and titles that read it
backwards.

The Index sends a plain word to the code set's prefixed terms: "Low, function, ovary - see
also Hypofunction, ovary", "High, arterial tension - see Hypertension". The see-reference's
first word is the prefix joined to a word of the entry ("hypo" + "function"), so "low" reads
as "hypo-". A question that says "low" and a title word that puts another prefix before the
same stem ("hypernatremia" beside "hyponatremia") reads the question backwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.index.index_terms import IndexTermTable
from assistant.text import prefix, words

# "see Hypertension", "see also Hypofunction, ovary": the reference's first word.
_SEE = re.compile(r"^see(?: also)?\s+([A-Za-z]+)", re.I)
# A prefix read from the Index is a few letters ("hypo", "hyper"); the stem it joins is a
# word of its own: shorter stems would make any two words of a title look related.
MIN_PREFIX, MAX_PREFIX = 3, 6
MIN_STEM = 5


def sense_prefixes(question: str, table: IndexTermTable) -> frozenset[str]:
    """The prefixes the Index reads the question's plain words as ("low" -> "hypo")."""
    found: set[str] = set()
    for word in set(words(question)):
        for term in table.entries_of(prefix(word)):
            if term.entry.split(",")[0].strip().lower() != word:
                continue
            found |= _joined_prefixes(term.via, term.entry.split(",")[1:])
    return frozenset(found)


def _joined_prefixes(via: str, levels: list[str]) -> set[str]:
    """The prefixes that the see-reference's first word puts before a word of the entry's
    later levels ("Hypofunction" and "function": "hypo")."""
    see = _SEE.match(via.strip())
    if see is None:
        return set()
    target = see.group(1).lower()
    return {target[:-len(stem)] for level in levels for stem in words(level)
            if len(stem) >= MIN_STEM and target.endswith(stem)
            and MIN_PREFIX <= len(target) - len(stem) <= MAX_PREFIX}


def read_backwards(title: str, senses: frozenset[str], known: Iterable[str]) -> bool:
    """A title word puts another prefix before a stem that one of the question's prefixes
    makes a known word of ("hypernatremia" where "low" reads as "hypo" and "hyponatremia"
    is known): the title names the opposite of what was asked."""
    formed = {w[len(sense):] for w in known for sense in senses
              if w.startswith(sense) and len(w) - len(sense) >= MIN_STEM}
    for word in words(title):
        if any(word.startswith(sense) for sense in senses):
            continue
        for cut in range(MIN_PREFIX, MAX_PREFIX + 1):
            if word[cut:] in formed:
                return True
    return False
