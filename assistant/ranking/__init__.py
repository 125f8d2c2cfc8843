"""Ranking: the one place that orders candidate codes for "which code for X?".

retrieval -> ranking -> answer: `rank.rank_codes` takes a question and a `CodeSource` (what
it needs of the retriever) and returns candidates best first; `fit` holds the rules of how a
code's title fits a question by the code set's own conventions.
"""
