"""Vectors of questions and texts by text, each computed once, some of them ahead of use.

A ranking knows early which texts it will embed (the question and its readings, then the
Alphabetic Index entries it found): `start` embeds them in one batch in a side thread while
the asking thread reads the index, and `get` takes the vector when it is needed. The model
spends its time in native code that lets go of the interpreter lock, so on two cores the
embedding and the Python work overlap, and one batch of short texts costs little more
than one text. Vectors are kept as float32 arrays (the model's own precision): a tenth of the
memory of a list of Python floats.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future

import numpy as np

Embed = Callable[[list[str]], list[list[float]]]


class TextVectors:
    """Vectors by text: the most recent `limit` kept, others being computed by `start`."""

    def __init__(self, embed: Embed, limit: int, side_threads: Executor) -> None:
        self._embed = embed
        self._limit = limit
        self._side_threads = side_threads
        self._lock = threading.Lock()
        self._kept: dict[str, np.ndarray] = {}
        self._pending: dict[str, tuple[Future[list[list[float]]], int]] = {}

    def start(self, texts: Iterable[str]) -> None:
        """Start embedding, in one batch in a side thread, the texts not kept or started."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts)
                       if t not in self._kept and t not in self._pending]
            if not missing:
                return
            batch = self._side_threads.submit(self._embed, missing)
            for place, text in enumerate(missing):
                self._pending[text] = (batch, place)

    def get(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """The vector of each text: kept, waited for where started, else embedded now (the
        missing ones in one batch, in this thread)."""
        wanted = list(dict.fromkeys(texts))
        found: dict[str, np.ndarray] = {}
        waiting: dict[str, tuple[Future[list[list[float]]], int]] = {}
        with self._lock:
            for text in wanted:
                if text in self._kept:
                    found[text] = self._kept[text]
                elif text in self._pending:
                    waiting[text] = self._pending[text]
        for text, (batch, place) in waiting.items():
            try:
                found[text] = np.asarray(batch.result()[place], dtype=np.float32)
            except BaseException:
                self._forget(batch)  # the next question tries again, and gets the error
                raise
        missing = [t for t in wanted if t not in found]
        if missing:
            found.update((text, np.asarray(vector, dtype=np.float32))
                         for text, vector in zip(missing, self._embed(missing)))
        self._keep(found)
        return found

    def _keep(self, vectors: dict[str, np.ndarray]) -> None:
        with self._lock:
            for text in vectors:
                self._pending.pop(text, None)
            if len(self._kept) + len(vectors) > self._limit:
                self._kept = {}
            self._kept.update(vectors)

    def _forget(self, batch: Future[list[list[float]]]) -> None:
        with self._lock:
            for text in [t for t, (b, _) in self._pending.items() if b is batch]:
                del self._pending[text]
