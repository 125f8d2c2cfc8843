"""Vectors worked out from a parent's: the encounter's mean shift, measured on a sample."""

from __future__ import annotations

import numpy as np

from assistant.index.shared_vectors import (SAMPLE_SIZE, chunk_vectors, embedding_text,
                                            encounter_shifts)
from assistant.records import Chunk, SharedVector

SEQUELA = "sequela"
# Real ICD-10-CM titles: S52.521 and its sequela S52.521S; S72.001 and S72.001S.
PARENTS = ["Torus fracture of lower end of right radius", "Fracture of unspecified part of neck "
           "of right femur"]


def _chunk(code: str, text: str, shared: SharedVector | None = None) -> Chunk:
    return Chunk(text=text, system="ICD-10-CM", code=code, section="descriptor", source="x",
                 shared=shared)


def _sequela(code: str, parent: str) -> Chunk:
    return _chunk(code, f"{parent}, {SEQUELA}", SharedVector(parent, SEQUELA))


class CountingVectors:
    """A fake model: a fixed unit vector per text, counting the texts it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        rows = [np.random.default_rng(sum(map(ord, t)) + len(t)).normal(size=8) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32)


def test_the_shift_is_the_mean_move_of_the_encounters_words():
    vectors = CountingVectors()
    chunks = [_sequela("S52.521S", PARENTS[0]), _sequela("S72.001S", PARENTS[1])]
    shifts = encounter_shifts(chunks, vectors)
    whole = vectors([c.text for c in chunks])
    parents = vectors(PARENTS)
    np.testing.assert_allclose(shifts[SEQUELA], np.mean(whole - parents, axis=0), atol=1e-6)


def test_a_shared_chunks_vector_is_its_parents_moved_and_unit_length():
    vectors = CountingVectors()
    shared, own = _sequela("S52.521S", PARENTS[0]), _chunk("S52.521", PARENTS[0])
    shift = np.full(8, 0.1, dtype=np.float32)
    found = chunk_vectors([shared, own], vectors, {SEQUELA: shift})
    moved = vectors([PARENTS[0]])[0] + shift
    np.testing.assert_allclose(found[0], moved / np.linalg.norm(moved), atol=1e-6)
    np.testing.assert_allclose(found[1], vectors([PARENTS[0]])[0], atol=1e-6)
    assert embedding_text(shared) == embedding_text(own) == PARENTS[0]


def test_only_a_sample_is_embedded_whole_and_the_same_one_each_time():
    chunks = [_sequela(f"X{i:03d}", f"Made-up parent title {i}") for i in range(5 * SAMPLE_SIZE)]
    first, again = CountingVectors(), CountingVectors()
    shifts = encounter_shifts(chunks, first)
    np.testing.assert_array_equal(shifts[SEQUELA], encounter_shifts(chunks[::-1], again)[SEQUELA])
    whole = [t for t in first.asked if t.endswith(SEQUELA)]
    assert len(whole) == SAMPLE_SIZE
    assert first.asked == again.asked
