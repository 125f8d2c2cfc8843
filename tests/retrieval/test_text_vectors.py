"""Vectors by text: computed once, ahead of use in one batch, errors not kept."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from assistant.retrieval.text_vectors import TextVectors


class CountingModel:
    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.fail = False
        self.release = threading.Event()
        self.release.set()

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.release.wait(5)
        self.batches.append(list(texts))
        if self.fail:
            raise RuntimeError("model failed")
        return [[float(len(t)), float(ord(t[0]))] for t in texts]


def as_lists(vectors):
    return {text: vector.tolist() for text, vector in vectors.items()}


@pytest.fixture
def side_threads():
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield pool


def test_texts_started_ahead_are_embedded_once_in_one_batch(side_threads):
    model = CountingModel()
    vectors = TextVectors(model.embed, limit=100, side_threads=side_threads)
    vectors.start(["ab", "cde", "ab"])
    assert as_lists(vectors.get(iter(["cde"]))) == {"cde": [3.0, ord("c")]}  # any iterable
    assert as_lists(vectors.get(["ab", "cde"])) == {"ab": [2.0, ord("a")],
                                                    "cde": [3.0, ord("c")]}
    assert model.batches == [["ab", "cde"]]


def test_a_text_not_started_is_embedded_in_the_asking_thread(side_threads):
    model = CountingModel()
    vectors = TextVectors(model.embed, limit=100, side_threads=side_threads)
    vectors.start(["ab"])
    found = vectors.get(text for text in ["ab", "xyz"])
    assert found["xyz"].tolist() == [3.0, ord("x")]
    assert model.batches == [["ab"], ["xyz"]]
    vectors.start(["ab", "xyz"])  # both kept: nothing more to compute
    vectors.get(["ab", "xyz"])
    assert len(model.batches) == 2


def test_a_get_waits_for_the_batch_already_running(side_threads):
    model = CountingModel()
    model.release.clear()
    vectors = TextVectors(model.embed, limit=100, side_threads=side_threads)
    vectors.start(["slow"])
    threading.Timer(0.2, model.release.set).start()
    assert as_lists(vectors.get(["slow"])) == {"slow": [4.0, ord("s")]}
    assert model.batches == [["slow"]]  # waited for, not computed a second time


def test_a_failed_batch_raises_to_the_asker_and_is_tried_again(side_threads):
    model = CountingModel()
    model.fail = True
    vectors = TextVectors(model.embed, limit=100, side_threads=side_threads)
    vectors.start(["ab"])
    with pytest.raises(RuntimeError, match="model failed"):
        vectors.get(["ab"])
    model.fail = False
    assert as_lists(vectors.get(["ab"])) == {"ab": [2.0, ord("a")]}
    assert model.batches == [["ab"], ["ab"]]


def test_vectors_are_kept_as_float32_arrays(side_threads):
    """A tenth of the memory of lists of Python floats: many entries' vectors are kept."""
    vectors = TextVectors(CountingModel().embed, limit=100, side_threads=side_threads)
    vectors.start(["ab"])
    assert {v.dtype.name for v in vectors.get(["ab", "cde"]).values()} == {"float32"}


def test_no_more_than_the_limit_is_kept(side_threads):
    model = CountingModel()
    vectors = TextVectors(model.embed, limit=2, side_threads=side_threads)
    vectors.get(["a1", "b22"])
    vectors.get(["c333"])  # over the limit: the kept vectors start again
    vectors.get(["a1"])
    assert model.batches == [["a1", "b22"], ["c333"], ["a1"]]
