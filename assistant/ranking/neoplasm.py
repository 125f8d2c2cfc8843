"""A neoplasm's other behaviours at its site, as the Neoplasm Table's row gives them.

The Neoplasm Table gives a site one code per behaviour (Malignant Primary, Malignant
Secondary, Ca in situ, Benign, Uncertain, Unspecified): "liver" is C22.9, C78.7, D01.5, D13.4,
D37.6, D49.0. A question the Table answers in one column ("metastatic carcinoma to the
liver": Malignant Secondary) states the behaviour, so a code of the category another column
gives the same site ("Liver cell carcinoma", C22.0, a primary) names it otherwise.

A site named just before a word of the Malignant Primary column is the cancer's own site:
"metastatic breast cancer" is a breast cancer that has spread (the breast's Malignant Primary
column, C50), not a metastasis to the breast, which the secondary column's words alone
would read it as ("metastatic" - see Neoplasm, secondary, by site). So is a site the cancer
spread from: "Metastasis, metastatic, cancer, from specified site - see Neoplasm, malignant, by
site" ("metastatic cancer from the breast").
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.corpus.alphabetic_index import NEOPLASM_TABLE, is_neoplasm_table_row
from assistant.index.index_terms import IndexTerm, IndexTermTable, entry_words
from assistant.retrieval.index_lookup import IndexMatch

# A code's category: its first three characters ("C22.0" is under C22).
CATEGORY_LENGTH = 3
# How the Table's rows name their columns in their vias.
PRIMARY_COLUMN = ", Malignant Primary "
SECONDARY_COLUMN = ", Malignant Secondary "
# The words after "from", to a comma or the end: the site a metastasis came from, as the
# Index's "Metastasis, metastatic, cancer, from specified site" names it.
_FROM_SITE = re.compile(r"\bfrom\b([^,;.?!]*)", re.I)


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


def primary_where_site_precedes_cancer(matches: list[IndexMatch], question: str,
                                       table: IndexTermTable) -> list[IndexMatch]:
    """The matches, each Malignant Secondary row read as its site's Malignant Primary row
    where the question names the site just before a word of that column ("breast cancer") or
    as where the cancer came from ("from the breast")."""
    said = entry_words(question)
    came_from = {w for m in _FROM_SITE.finditer(question) for w in entry_words(m.group(1))}
    return [_as_primary(m, said, came_from, table) if SECONDARY_COLUMN in m.term.via else m
            for m in matches]


def _as_primary(match: IndexMatch, said: list[str], came_from: set[str],
                table: IndexTermTable) -> IndexMatch:
    primary = [t for t in _same_site(match.term, table) if PRIMARY_COLUMN in t.via]
    if not primary or not match.term.via.startswith(NEOPLASM_TABLE):
        return match
    site = {w for level in primary[0].levels[:-1] for form in level for w in form}
    malignant = {form[0] for form in primary[0].levels[-1] if len(form) == 1}
    if site & came_from or any(a in site and b in malignant for a, b in zip(said, said[1:])):
        return replace(match, term=primary[0])
    return match
