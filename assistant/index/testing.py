"""Test doubles for the index, never used for real answers.

`HashEmbeddings` is selected with CODING_ASSISTANT_EMBEDDING=hash: the tests that run the
real `coding-assistant` command in a subprocess use it, so it ships with the package.
"""

from __future__ import annotations

import hashlib
import math

from assistant.index.embeddings import DIMENSIONS, Abstention, AssistantEmbeddings
from assistant.text import words

HASH_NAME = "hash-bag-of-words-384"


class HashEmbeddings(AssistantEmbeddings):
    """Bag of hashed words: texts that share words are close. Deterministic, no model."""

    model_name = HASH_NAME
    # Bags of words share fewer dimensions than a model's meanings: a higher bar alone, a
    # lower one with most words matched.
    abstention = Abstention(alone=0.6, with_words=0.2)

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
