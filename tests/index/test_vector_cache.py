"""The vector cache: hits, misses, refusal of vectors the model does not reproduce, the
shipped pack, and an ingest that reuses vectors computed for another index."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.config import Settings
from assistant.index.testing import HashEmbeddings
from assistant.index.vector_cache import CachedEmbedder, LocalCache, Pack, open_pack
from tests.conftest import SAMPLE_PAGE, build_index

MODEL = HashEmbeddings.model_name
TEXTS = ["chronic kidney disease, stage 3a", "acute conjunctivitis", "essential hypertension",
         "type 2 diabetes mellitus without complications"]


class CountingModel:
    """The fake embedding, counting the texts it is asked to embed."""

    def __init__(self, flip: bool = False) -> None:
        self.texts: list[str] = []
        self.flip = flip  # a different model: the same texts give other vectors

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        vectors = np.array(HashEmbeddings().embed_documents(texts), dtype=np.float32)
        return vectors[:, ::-1].copy() if self.flip else vectors


def test_a_miss_is_embedded_and_stored_a_hit_is_not_embedded_again(tmp_path):
    cache = LocalCache(tmp_path / "vectors.sqlite")
    model = CountingModel()
    first = CachedEmbedder(MODEL, model, cache).vectors(TEXTS[:2])
    assert model.texts == TEXTS[:2] and cache.count(MODEL) == 2
    second_model = CountingModel()
    embedder = CachedEmbedder(MODEL, second_model, cache)
    again = embedder.vectors(TEXTS[:3])
    # the sample check re-embeds stored texts once; then only the new text is embedded
    assert second_model.texts[-1:] == [TEXTS[2]] and TEXTS[2] not in second_model.texts[:-1]
    assert (embedder.reused, embedder.embedded) == (2, 1)
    np.testing.assert_allclose(again[:2], first, atol=1e-7)
    np.testing.assert_allclose(again, CountingModel()(TEXTS[:3]), atol=1e-7)


def test_vectors_come_back_in_the_order_asked_with_repeats(tmp_path):
    embedder = CachedEmbedder(MODEL, CountingModel(), LocalCache(tmp_path / "v.sqlite"))
    asked = [TEXTS[1], TEXTS[0], TEXTS[1]]
    np.testing.assert_allclose(embedder.vectors(asked), CountingModel()(asked), atol=1e-7)


def test_the_cache_is_keyed_by_model(tmp_path):
    cache = LocalCache(tmp_path / "vectors.sqlite")
    CachedEmbedder(MODEL, CountingModel(), cache).vectors(TEXTS)
    other = CountingModel()
    CachedEmbedder("another-model", other, cache).vectors(TEXTS)
    assert other.texts == TEXTS and cache.count("another-model") == len(TEXTS)


def test_a_cache_the_model_does_not_reproduce_is_refused_and_dropped(tmp_path):
    cache = LocalCache(tmp_path / "vectors.sqlite")
    CachedEmbedder(MODEL, CountingModel(), cache).vectors(TEXTS)
    changed = CountingModel(flip=True)  # same name, other weights
    embedder = CachedEmbedder(MODEL, changed, cache)
    vectors = embedder.vectors(TEXTS)
    np.testing.assert_allclose(vectors, CountingModel(flip=True)(TEXTS), atol=1e-7)
    assert embedder.reused == 0 and embedder.embedded == len(TEXTS)
    assert len(embedder.warnings) == 1 and "does not match" in embedder.warnings[0]
    # the stale vectors are gone, replaced by the model's own
    np.testing.assert_allclose(np.array([cache.get(MODEL, [t])[t] for t in TEXTS]), vectors,
                               atol=1e-7)


def test_the_pack_serves_vectors_as_float16_and_is_checked(tmp_path):
    path = tmp_path / "pack.npz"
    vectors = CountingModel()(TEXTS)
    assert Pack.write(path, MODEL, zip(TEXTS, vectors)) == len(TEXTS)
    model = CountingModel()
    embedder = CachedEmbedder(MODEL, model, LocalCache(tmp_path / "v.sqlite"), open_pack(str(path)))
    got = embedder.vectors(TEXTS[:3] + ["a text the pack does not hold"])
    assert embedder.reused == 3 and embedder.embedded == 1
    assert np.min(np.sum(got[:3] * vectors[:3], axis=1)) > 0.99999
    assert not embedder.warnings


def test_a_pack_of_another_model_is_not_used(tmp_path):
    path = tmp_path / "pack.npz"
    Pack.write(path, "another-model", zip(TEXTS, CountingModel()(TEXTS)))
    model = CountingModel()
    CachedEmbedder(MODEL, model, None, open_pack(str(path))).vectors(TEXTS)
    assert model.texts == TEXTS


def test_a_pack_the_model_does_not_reproduce_is_refused(tmp_path):
    path = tmp_path / "pack.npz"
    Pack.write(path, MODEL, zip(TEXTS, CountingModel()(TEXTS)))
    embedder = CachedEmbedder(MODEL, CountingModel(flip=True), None, open_pack(str(path)))
    vectors = embedder.vectors(TEXTS)
    np.testing.assert_allclose(vectors, CountingModel(flip=True)(TEXTS), atol=1e-7)
    assert embedder.reused == 0 and "vector-pack" in embedder.warnings[0]


def test_no_pack_setting_or_missing_file_means_no_pack(tmp_path):
    assert open_pack("") is None
    assert open_pack(str(tmp_path / "absent.npz")) is None


def test_a_rebuild_into_a_new_index_embeds_nothing(isolated_settings, tmp_path):
    first = build_index(isolated_settings, [SAMPLE_PAGE], None)
    assert first.embedded > 0 and first.reused == 0
    elsewhere = Settings(index_dir=tmp_path / "another-index")
    second = build_index(elsewhere, [SAMPLE_PAGE], None)
    assert second.added == first.added
    assert (second.embedded, second.reused) == (0, first.embedded)


@pytest.mark.parametrize("batch_size", [1, 3, 512])
def test_length_ordered_batches_store_each_chunk_with_its_own_vector(isolated_settings,
                                                                      monkeypatch, batch_size):
    from assistant.index import ingest as ingest_module
    from assistant.index.records_db import RecordsDB
    from assistant.index.vectors import open_collection, stored_vectors

    monkeypatch.setattr(ingest_module, "BATCH_SIZE", batch_size)
    build_index(isolated_settings, [SAMPLE_PAGE], ["N18", "H10"])
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    texts = {c.id: c.text for c in db.iter_chunks()}
    db.close()
    ids, vectors = stored_vectors(open_collection(isolated_settings, HashEmbeddings.model_name))
    assert len(ids) > 50
    expected = np.array(HashEmbeddings().embed_documents([texts[i] for i in ids]))
    np.testing.assert_allclose(vectors, expected, atol=1e-6)
