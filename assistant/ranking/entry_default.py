"""Among codes of one category, the one an Alphabetic Index entry the question names gives.

Where a question names its condition among other words ("a toddler brought in after a
febrile seizure", "my little girl broke out in chickenpox"), no entry names the whole of it,
and the search may put first a code of the category whose title only reads closer ("Complex
febrile convulsions" R56.01). The coder's lookup still finds the entry the condition's words
name ("Seizure, febrile" R56.00, "Chickenpox - see Varicella" B01.9): the code next to it is
the default for the condition (ICD-10-CM Official Guidelines I.A.18, default codes), and a
code of the same category that no entry named by the question gives is a choice its words did
not make. Not where the entry leaves unnamed a body part the question names ("ringworm on the
chest": the coder reads on for the site), nor ahead of a code that holds more of the
question's words ("cholesterol screening": "Screening" Z13.9 is less than Z13.220), nor a code
"unspecified": it is the code for a detail left undocumented, and the words the entry leaves
may document it ("cough that has hung on for three months" beside "Chronic cough").
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set as AbstractSet

from assistant.index.index_terms import IndexTerm, IndexTermTable, entry_words
from assistant.ranking.neoplasm import CATEGORY_LENGTH
from assistant.retrieval.index_lookup import condition_words, entries_named

_UNSPECIFIED = re.compile(r"\bunspecified\b", re.I)


def entry_codes(texts: Sequence[str], table: IndexTermTable,
                body: AbstractSet[str]) -> dict[str, IndexTerm]:
    """The codes of the entries every level of which one of the texts names, each with the
    first entry that gives it (an entry's "see" reference included: its codes are the
    entry it refers to); not an entry that leaves unnamed a word of the text's condition
    that names a body part (`body`)."""
    found: dict[str, IndexTerm] = {}
    for text in texts:
        condition = condition_words(text)
        for term in entries_named(set(entry_words(text)), table):
            if (condition - term.required - term.optional) & body:
                continue
            for code in term.codes:
                found.setdefault(code, term)
    return found


def named_ahead(codes: Sequence[tuple[str, ...]], named: Sequence[bool],
                movable: Sequence[bool], coverage: Sequence[float]) -> list[int]:
    """The candidates' order, each candidate's codes given (its own and the heading it was
    chosen under): a `movable` candidate an entry names (`named`) goes ahead of the first
    candidate of its category that none names, where that one holds no greater share of
    the question's words (`coverage`); the rest keep their order."""
    order = list(range(len(codes)))
    for j in range(len(codes)):
        if not named[j] or not movable[j]:
            continue
        category = _category(codes[j])
        at = order.index(j)
        above = next((k for k in order[:at] if _category(codes[k]) == category), None)
        if above is None or named[above] or coverage[above] > coverage[j]:
            continue
        order.remove(j)
        order.insert(order.index(above), j)
    return order


def unspecified(title: str) -> bool:
    """The title is the code for a detail left unspecified ("Cough, unspecified")."""
    return bool(_UNSPECIFIED.search(title))


def _category(codes: tuple[str, ...]) -> str:
    return codes[0][:CATEGORY_LENGTH]
