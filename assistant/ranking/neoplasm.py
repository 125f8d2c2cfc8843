"""A neoplasm's other behaviours at its site, as the Neoplasm Table's row gives them.

The Neoplasm Table gives a site one code per behaviour (Malignant Primary, Malignant
Secondary, Ca in situ, Benign, Uncertain, Unspecified): "liver" is C22.9, C78.7, D01.5, D13.4,
D37.6, D49.0. A question the Table answers in one column ("metastatic carcinoma to the
liver": Malignant Secondary) states the behaviour, so a code of the category another column
gives the same site ("Liver cell carcinoma", C22.0, a primary) names it otherwise.
"""

from __future__ import annotations

from assistant.corpus.alphabetic_index import is_neoplasm_table_row
from assistant.index.index_terms import IndexTerm, IndexTermTable
from assistant.retrieval.index_lookup import IndexMatch

# A code's category: its first three characters ("C22.0" is under C22).
CATEGORY_LENGTH = 3


def other_behaviour_categories(matches: list[IndexMatch], table: IndexTermTable
                               ) -> frozenset[str]:
    """The categories the Neoplasm Table gives the sites of the matched rows in their other
    columns, less those of the matched columns; empty where no match is a row of the Table."""
    rows = [m.term for m in matches if is_neoplasm_table_row(m.term.via)]
    if not rows:
        return frozenset()
    matched = {_category(code) for term in rows for code in term.codes}
    others = {_category(code) for term in rows for row in _same_site(term, table)
              for code in row.codes}
    return frozenset(others - matched)


def _same_site(term: IndexTerm, table: IndexTermTable) -> list[IndexTerm]:
    """The Table's rows of the term's site (its levels but the last, which names the column)."""
    site = term.levels[:-1]
    positions = {p for form in site[0] if form for p in table.by_main.get(form[0], ())}
    found = (table.terms[p] for p in sorted(positions))
    return [t for t in found if t.levels[:-1] == site and is_neoplasm_table_row(t.via)]


def _category(code: str) -> str:
    return code.replace(".", "")[:CATEGORY_LENGTH]
