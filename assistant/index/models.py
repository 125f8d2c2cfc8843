"""Which embedding model runs where: documents at ingest, questions when answering.

Questions are embedded with the ONNX export of the model (no torch: a fast start), documents
with the same export on the CPU or with sentence-transformers on a GPU. Both give the same
vectors (tests/index/test_onnx_embeddings.py), so either may read an index the other built.
"""

from __future__ import annotations

import logging

from assistant.config import Settings
from assistant.index import onnx_embeddings
from assistant.index.device import CPU, choose_device
from assistant.index.embeddings import AssistantEmbeddings, MiniLMEmbeddings, make_embeddings

log = logging.getLogger(__name__)


def query_embeddings(settings: Settings) -> AssistantEmbeddings:
    if settings.embedding != "minilm":
        return make_embeddings(settings.embedding)
    path = onnx_embeddings.exported(settings.cache_dir)
    if path is not None:
        # one thread per core: a question's batch is embedded in about 3.8 ms against 5.3 ms on
        # one thread; 50 clients at once still got 39 answers/s (bench/perf.py, serve)
        return onnx_embeddings.OnnxMiniLMEmbeddings(path, threads=0)
    log.warning("the query model has no ONNX export in %s yet (`coding-assistant ingest` or "
                "`make install` makes it): loading it with sentence-transformers, slower to "
                "start", settings.cache_dir)
    return MiniLMEmbeddings()


def document_embeddings(settings: Settings) -> AssistantEmbeddings:
    """The model for the ingest. Also exports the query model when it is missing."""
    if settings.embedding != "minilm":
        return make_embeddings(settings.embedding)
    device = choose_device(settings.device)  # first: a bad setting fails before any work
    path = onnx_embeddings.exported(settings.cache_dir)
    if path is None:
        path = onnx_embeddings.export(settings.cache_dir)
    if device == CPU:
        return onnx_embeddings.OnnxMiniLMEmbeddings(path)
    return MiniLMEmbeddings(device=device)
