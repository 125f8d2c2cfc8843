"""The ONNX export of all-MiniLM-L6-v2 gives the sentence-transformers vectors (real model)."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from assistant.config import Settings
from assistant.index import onnx_embeddings
from assistant.index.chunking import chunks_for, is_embedded
from assistant.index.embeddings import MINILM_NAME, MiniLMEmbeddings
from assistant.index.models import query_embeddings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(model_cache_dir):
    return onnx_embeddings.exported(model_cache_dir) or onnx_embeddings.export(model_cache_dir)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """A few hundred chunk texts the index embeds: short terms to long descriptors."""
    from assistant.corpus.sources import load_icd10cm_records

    records = load_icd10cm_records(["E11", "S62", "I10", "N18", "H10", "J44", "L89"])
    found = [c.text for r in records for c in chunks_for(r) if is_embedded(c)]
    assert len(found) > 300
    return found[::max(1, len(found) // 400)]


def test_onnx_gives_the_sentence_transformers_vectors(exported, texts):
    reference = np.array(MiniLMEmbeddings().embed_documents(texts))
    vectors = onnx_embeddings.OnnxMiniLMEmbeddings(exported).embed_array(texts)
    cosines = np.sum(reference * vectors, axis=1)
    assert cosines.mean() > 0.99999 and cosines.min() > 0.9999
    query = onnx_embeddings.OnnxMiniLMEmbeddings(exported, threads=1).embed_query(texts[0])
    assert float(np.dot(query, reference[0])) > 0.9999


def test_length_batches_give_the_vectors_of_texts_embedded_one_by_one(exported, texts):
    model = onnx_embeddings.OnnxMiniLMEmbeddings(exported, batch_size=32)
    batched = model.embed_array(texts)
    alone = np.array([model.embed_query(t) for t in texts])
    np.testing.assert_allclose(batched, alone, atol=2e-5)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_questions_use_the_export_when_there_is_one(exported, model_cache_dir):
    chosen = query_embeddings(Settings(embedding="minilm", cache_dir=model_cache_dir))
    assert isinstance(chosen, onnx_embeddings.OnnxMiniLMEmbeddings)
    assert chosen.model_name == MINILM_NAME and chosen.path == exported


def test_without_an_export_questions_fall_back_to_sentence_transformers(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        chosen = query_embeddings(Settings(embedding="minilm", cache_dir=tmp_path))
    assert isinstance(chosen, MiniLMEmbeddings)
    assert "no ONNX export" in caplog.text


def test_an_export_of_other_weights_is_not_used(exported, model_cache_dir, monkeypatch):
    monkeypatch.setattr(onnx_embeddings, "_fingerprint",
                        lambda source: {"model": str(source), "size": 1, "mtime_ns": 1})
    assert onnx_embeddings.exported(model_cache_dir) is None


def test_an_export_of_an_older_form_is_made_again(exported, tmp_path):
    """An export made before the fused form (its sidecar names no form) is not used."""
    folder = onnx_embeddings.export_folder(tmp_path)
    folder.mkdir(parents=True)
    (folder / "model.onnx").write_bytes(exported.read_bytes())
    sidecar = onnx_embeddings._fingerprint(onnx_embeddings.model_dir())
    (folder / "source.json").write_text(json.dumps(sidecar))
    assert onnx_embeddings.exported(tmp_path) == folder / "model.onnx"
    del sidecar["export"]
    (folder / "source.json").write_text(json.dumps(sidecar))
    assert onnx_embeddings.exported(tmp_path) is None


def test_the_export_fuses_attention(exported):
    import onnx

    operators = {node.op_type for node in onnx.load(str(exported)).graph.node}
    assert {"Attention", "SkipLayerNormalization"} <= operators


def test_threads_that_ask_while_the_model_loads_wait_for_that_one_load(exported, monkeypatch):
    """A search loads the query model in a side thread while the asking thread may need it."""
    import threading

    import onnxruntime

    sessions = []
    real_session = onnxruntime.InferenceSession

    def counted(*args, **kwargs):
        sessions.append(1)
        return real_session(*args, **kwargs)

    monkeypatch.setattr(onnxruntime, "InferenceSession", counted)
    model = onnx_embeddings.OnnxMiniLMEmbeddings(exported, threads=1)
    start = threading.Barrier(4)
    vectors = []

    def ask() -> None:
        start.wait()
        vectors.append(model.embed_query("chronic kidney disease"))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sessions) == 1
    assert len(vectors) == 4 and all(v == vectors[0] for v in vectors)
