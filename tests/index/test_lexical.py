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


def test_a_saved_index_scores_as_bm25s_does(tmp_path):
    import bm25s

    texts = ["acute kidney failure", "chronic kidney disease stage 3a", "disease of the ear",
             "fracture of wrist", "kidney stone", "stone in the kidney and ureter"]
    LexicalIndex.build([f"c{i}" for i in range(len(texts))], texts).save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    reference = bm25s.BM25.load(str(tmp_path / "lexical"))
    for tokens in (["kidney"], ["kidney", "stone"], ["kidney", "kidney", "disease"], ["ear"]):
        assert np.array_equal(loaded._scores.scores(tokens), reference.get_scores(tokens))
    assert [cid for cid, _ in loaded.search("kidney stone")][:2] == ["c4", "c5"]


def test_a_saved_index_of_another_bm25_variant_is_refused(tmp_path):
    import json

    import pytest

    LexicalIndex.build(["a"], ["kidney"]).save(tmp_path / "lexical")
    params = tmp_path / "lexical" / "params.index.json"
    params.write_text(json.dumps({**json.loads(params.read_text()), "method": "bm25+"}))
    with pytest.raises(ValueError, match="rebuild it"):
        LexicalIndex.load(tmp_path / "lexical")
