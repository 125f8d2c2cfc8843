"""The lexical index's top-k: the highest positive BM25 scores, ties in index order."""

from __future__ import annotations

import numpy as np

from assistant.index.lexical import LexicalIndex, top_scoring


def test_only_positive_scores_are_kept_best_first():
    scores = np.array([0.0, 2.5, 0.0, 0.7, 3.1, 0.0], dtype=np.float32)
    assert top_scoring(scores, 10).tolist() == [4, 1, 3]


def test_the_k_best_are_kept_and_ties_at_the_cut_go_by_index():
    scores = np.array([1.0, 2.0, 1.0, 0.0, 1.0, 3.0, 1.0], dtype=np.float32)
    assert top_scoring(scores, 4).tolist() == [5, 1, 0, 2]
    assert top_scoring(scores, 2).tolist() == [5, 1]
    assert top_scoring(scores, 1).tolist() == [5]


def test_many_zero_scores_around_few_hits():
    scores = np.zeros(200_000, dtype=np.float32)
    scores[[7, 150_000, 99]] = [0.5, 0.5, 4.0]
    assert top_scoring(scores, 50).tolist() == [99, 7, 150_000]


def test_search_finds_the_chunks_that_hold_the_words_best_first():
    texts = ["acute kidney failure", "chronic kidney disease stage 3a", "disease of the ear",
             "fracture of wrist"]
    index = LexicalIndex.build(["a", "b", "c", "d"], texts)
    found = [cid for cid, _ in index.search("chronic kidney disease", k=10)]
    assert found[0] == "b"
    assert set(found) == {"a", "b", "c"}  # every chunk that holds a word, and no other
    assert index.search("unheard-of words only", k=10) == []
