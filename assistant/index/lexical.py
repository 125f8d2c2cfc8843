"""The lexical index (BM25) over every chunk: exact terms embeddings blur.

bm25s builds and saves it: its "eager" index holds each word's BM25 score in every chunk
that has the word (a sparse word x chunk matrix, stored by word). Searching needs only those
arrays, so a reader loads them itself (memory-mapped) and never imports bm25s, which
imports scipy: about a second of a cold `ask`.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.text import search_tokens

if TYPE_CHECKING:  # imported where used: loading bm25s takes a while
    import bm25s

# bm25s's scoring variant: "lucene" (its default) needs nothing beyond the per-word scores.
METHOD = "lucene"


@dataclass(frozen=True)
class WordScores:
    """BM25 scores by word: chunk `indices[indptr[w]:indptr[w + 1]]` scores
    `data[...]` for word number w (bm25s's compressed-column arrays and vocabulary)."""

    vocabulary: dict[str, int]
    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    chunks: int

    @classmethod
    def of(cls, retriever: bm25s.BM25) -> WordScores:
        scores = retriever.scores
        return cls(retriever.vocab_dict, scores["data"], scores["indices"], scores["indptr"],
                   int(scores["num_docs"]))

    @classmethod
    def load(cls, folder: Path) -> WordScores:
        params = json.loads((folder / "params.index.json").read_text())
        if params.get("method") != METHOD:
            raise ValueError(f"{folder}: a BM25 index of method {params.get('method')!r}, "
                             f"not {METHOD!r}: rebuild it with `coding-assistant ingest`")
        arrays = {name: np.load(folder / f"{name}.csc.index.npy", mmap_mode="r")
                  for name in ("data", "indices", "indptr")}
        vocabulary = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        return cls(vocabulary, arrays["data"], arrays["indices"], arrays["indptr"],
                   int(params["num_docs"]))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """Every chunk's BM25 score for the tokens (a repeated token counts again), summed
        in the order bm25s sums them."""
        totals = np.zeros(self.chunks, dtype=self.data.dtype)
        for word in (self.vocabulary[t] for t in tokens if t in self.vocabulary):
            start, end = self.indptr[word], self.indptr[word + 1]
            np.add.at(totals, self.indices[start:end], self.data[start:end])
        return totals


class LexicalIndex:
    """`scores` is None for an index of no chunks (bm25s cannot index an empty corpus);
    `retriever` is bm25s's index when this one was just built (it writes the files)."""

    def __init__(self, scores: WordScores | None, ids: list[str],
                 retriever: bm25s.BM25 | None = None) -> None:
        self._scores = scores
        self._ids = ids
        self._retriever = retriever

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "LexicalIndex":
        if not ids:  # every page removed: an empty index, searched as finding nothing
            return cls(None, [])
        import bm25s

        retriever = bm25s.BM25(method=METHOD)
        tokens = [search_tokens(t) or ["_empty_"] for t in texts]
        retriever.index(tokens, show_progress=False)
        return cls(WordScores.of(retriever), ids, retriever)

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
        return cls(WordScores.load(folder), ids)

    def search(self, query: str, k: int = 50) -> list[tuple[str, float]]:
        """The k best-scoring chunks that hold a query word, best first (ties in index order)."""
        tokens = search_tokens(query)
        if not tokens or self._scores is None:
            return []
        scores = self._scores.scores(tokens)
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
