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
        tokens = search_tokens(query)
        if not tokens or self._retriever is None:
            return []
        k = min(k, len(self._ids))
        docs, scores = self._retriever.retrieve([tokens], k=k, show_progress=False)
        hits = []
        for doc, score in zip(np.asarray(docs)[0], np.asarray(scores)[0]):
            if score > 0:
                hits.append((self._ids[int(doc)], float(score)))
        return hits
