"""The lexical index (BM25 via bm25s) over every chunk: exact terms embeddings blur."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.text import search_tokens

if TYPE_CHECKING:  # imported where used: loading bm25s takes a while
    import bm25s


class LexicalIndex:
    """`retriever` is None for an index of no chunks (bm25s cannot index an empty corpus)."""

    def __init__(self, retriever: bm25s.BM25 | None, ids: list[str]) -> None:
        self._retriever = retriever
        self._ids = ids

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "LexicalIndex":
        if not ids:  # every page removed: an empty index, searched as finding nothing
            return cls(None, [])
        import bm25s

        retriever = bm25s.BM25()
        tokens = [search_tokens(t) or ["_empty_"] for t in texts]
        retriever.index(tokens, show_progress=False)
        return cls(retriever, ids)

    def save(self, folder: Path) -> None:
        """Write to a temporary folder, then swap it in: readers never see half an index."""
        staging = folder.with_name(folder.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if self._retriever is not None:
            self._retriever.save(str(staging), show_progress=False)
        (staging / "ids.json").write_text(json.dumps(self._ids))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        staging.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex | None":
        if not (folder / "ids.json").exists():
            return None
        ids = json.loads((folder / "ids.json").read_text())
        if not ids:
            return cls(None, [])
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False, mmap=True)
        return cls(retriever, ids)

    def search(self, query: str, k: int = 50) -> list[tuple[str, float]]:
        """The k best-scoring chunks that hold a query word, best first (ties in index order)."""
        tokens = search_tokens(query)
        if not tokens or self._retriever is None:
            return []
        scores = self._retriever.get_scores(tokens)
        return [(self._ids[int(doc)], float(scores[doc])) for doc in top_scoring(scores, k)]


def top_scoring(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k highest positive scores, highest first, ties by index.

    bm25s's own top-k partitions the whole score array, nearly all zeros; numpy's selection
    is slow on that many ties (6 ms of a 7 ms search over the default index). Only the
    chunks that hold a query word score above zero, so the selection runs over those.
    """
    held = np.flatnonzero(scores > 0)
    if len(held) > k:
        values = scores[held]
        kth = np.partition(values, len(values) - k)[len(values) - k]
        above, tied = held[values > kth], held[values == kth]
        held = np.concatenate([above, tied[: k - len(above)]])
    ordered: np.ndarray = held[np.lexsort((held, -scores[held]))]
    return ordered
