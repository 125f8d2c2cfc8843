"""Vectors already computed, keyed by (model, text): a rebuild, a re-ingest or a new release
embeds only the texts it has not seen.

Two sources, asked in turn before the model is: the local cache (SQLite in the cache folder,
written by every ingest) and, read-only, the pack of vectors shipped for the default corpus
(`make vector-pack` writes it). Neither is trusted blindly: before the first vector of a
source is used, a sample of its texts is embedded again and must give the same vectors.
A source that does not match the model is refused: the pack is left unused, the local
cache's vectors for that model are dropped, and the report says so.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from assistant.errors import AssistantError

# Cosine a re-embedded sample text must reach against its cached vector. The pack stores
# float16 (cosine 0.99999 to the float32 vector); another model, or another version of the
# weights, lands far below.
MATCH_COSINE = 0.999
SAMPLE = 16
PACK_FORMAT = 1

# embed(texts) -> one unit vector per text, as a float32 array
Embed = Callable[[list[str]], np.ndarray]


class VectorCacheError(AssistantError):
    """A vector pack that cannot be read (damaged, or written in another format)."""


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


class LocalCache:
    """(model, text) -> float32 vector, in one SQLite file; the text is kept to re-check."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._conn = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
        self._lock = threading.Lock()
        # rows of 1.5 KB: a rowid table (a WITHOUT ROWID one would store them 3 times larger)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, "
            "text TEXT NOT NULL, vector BLOB NOT NULL, UNIQUE (model, key))")

    def close(self) -> None:
        self._conn.close()

    def get(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        by_key = {text_key(t): t for t in texts}
        keys = list(by_key)
        with self._lock:
            for start in range(0, len(keys), 500):
                part = keys[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                    [model, *part])
                for key, blob in rows:
                    found[by_key[key]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, model: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        rows = [(model, text_key(t), t, np.asarray(v, dtype=np.float32).tobytes())
                for t, v in zip(texts, vectors)]
        with self._lock, self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)

    def sample(self, model: str, size: int) -> tuple[list[str], np.ndarray]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT text, vector FROM vectors WHERE model = ? ORDER BY key LIMIT ?",
                (model, size)).fetchall()
        return ([text for text, _ in rows],
                np.array([np.frombuffer(blob, dtype=np.float32) for _, blob in rows]))

    def drop(self, model: str) -> int:
        with self._lock, self._conn:
            return self._conn.execute("DELETE FROM vectors WHERE model = ?", (model,)).rowcount

    def count(self, model: str) -> int:
        with self._lock:
            count: int = self._conn.execute("SELECT COUNT(*) FROM vectors WHERE model = ?",
                                            (model,)).fetchone()[0]
        return count

    def items(self, model: str) -> Iterator[tuple[str, np.ndarray]]:
        """Every (text, vector) of a model, for writing a pack."""
        rows = self._conn.execute("SELECT text, vector FROM vectors WHERE model = ? ORDER BY key",
                                  (model,))
        for text, blob in rows:
            yield text, np.frombuffer(blob, dtype=np.float32)


class Pack:
    """Read-only vectors shipped with the project: texts (JSON) and float16 vectors, in one
    compressed .npz file. Only its header is read until a vector is asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(bytes(data["header"]).decode("utf-8"))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            raise VectorCacheError(
                f"cannot read the vector pack {path} ({type(error).__name__}): rebuild it with "
                f"`make vector-pack`, or set CODING_ASSISTANT_VECTOR_PACK= (empty) to build "
                f"without it") from None
        found = header.get("format") if isinstance(header, dict) else None
        if found != PACK_FORMAT:
            raise VectorCacheError(f"the vector pack {path} has format {found}, this version "
                                   f"reads {PACK_FORMAT}: rebuild it with `make vector-pack`")
        self.model: str = header["model"]
        self._texts: list[str] = []
        self._row: dict[str, int] = {}
        self._vectors: np.ndarray | None = None

    @staticmethod
    def write(path: Path, model: str, items: Iterable[tuple[str, np.ndarray]]) -> int:
        texts: list[str] = []
        vectors: list[np.ndarray] = []
        for text, vector in items:
            texts.append(text)
            vectors.append(vector)
        header = {"format": PACK_FORMAT, "model": model, "count": len(texts)}
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(path.name + ".new.npz")
        np.savez_compressed(
            staging,
            header=np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8),
            texts=np.frombuffer(json.dumps(texts, ensure_ascii=False).encode("utf-8"),
                                dtype=np.uint8),
            vectors=np.asarray(vectors, dtype=np.float16).reshape(len(texts), -1))
        staging.replace(path)
        return len(texts)

    def _load(self) -> np.ndarray:
        if self._vectors is None:
            with np.load(self.path, allow_pickle=False) as data:
                self._texts = json.loads(bytes(data["texts"]).decode("utf-8"))
                self._vectors = data["vectors"]
            self._row = {text: row for row, text in enumerate(self._texts)}
        return self._vectors

    def __len__(self) -> int:
        return len(self._load())

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        vectors = self._load()
        found: dict[str, np.ndarray] = {}
        for text in texts:
            row = self._row.get(text)
            if row is not None:
                found[text] = _unit(vectors[row].astype(np.float32))
        return found

    def sample(self, size: int) -> tuple[list[str], np.ndarray]:
        vectors = self._load()
        rows = random.Random(0).sample(range(len(self._texts)), min(size, len(self._texts)))
        return ([self._texts[r] for r in rows],
                np.array([_unit(vectors[r].astype(np.float32)) for r in rows]))


def open_pack(setting: str) -> Pack | None:
    """The shipped pack named by CODING_ASSISTANT_VECTOR_PACK, when there is one."""
    if not setting or not Path(setting).is_file():
        return None
    return Pack(Path(setting))


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


class CachedEmbedder:
    """Vectors for texts: from the local cache, then the pack, then the model (new vectors
    go to the local cache). Each cache is checked against the model before its first use."""

    def __init__(self, model: str, embed: Embed, local: LocalCache | None,
                 pack: Pack | None = None) -> None:
        self.model = model
        self._embed = embed
        self.local = local
        self.pack = pack if pack is not None and pack.model == model else None
        self._checked: set[str] = set()
        self.warnings: list[str] = []
        self.embedded = 0
        self.reused = 0

    def vectors(self, texts: list[str]) -> np.ndarray:
        """One float32 unit vector per text, in order."""
        unique = list(dict.fromkeys(texts))
        found: dict[str, np.ndarray] = {}
        if self.local is not None:
            found.update(self._trusted_local(self.local, unique))
        if self.pack is not None:
            missing = [t for t in unique if t not in found]
            found.update(self._trusted_pack(self.pack, missing))
        missing = [t for t in unique if t not in found]
        self.reused += len(unique) - len(missing)
        if missing:
            computed = np.asarray(self._embed(missing), dtype=np.float32)
            self.embedded += len(missing)
            if self.local is not None:
                self.local.put(self.model, missing, computed)
            found.update(zip(missing, computed))
        return np.array([found[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)

    def _trusted_local(self, local: LocalCache, texts: list[str]) -> dict[str, np.ndarray]:
        found = local.get(self.model, texts)
        if found and "local" not in self._checked:
            self._checked.add("local")
            sample_texts, sample_vectors = local.sample(self.model, SAMPLE)
            cosine = self._agreement(sample_texts, sample_vectors)
            if cosine < MATCH_COSINE:
                dropped = local.drop(self.model)
                self.warnings.append(
                    f"the vector cache {local.path} does not match the model "
                    f"{self.model} (cosine {cosine:.3f} on a re-embedded sample): its "
                    f"{dropped:,} vectors were dropped and are computed again")
                return {}
        return found

    def _trusted_pack(self, pack: Pack, texts: list[str]) -> dict[str, np.ndarray]:
        found = pack.get(texts)
        if found and "pack" not in self._checked:
            self._checked.add("pack")
            cosine = self._agreement(*pack.sample(SAMPLE))
            if cosine < MATCH_COSINE:
                self.warnings.append(
                    f"the vector pack {pack.path} does not match the model {self.model} "
                    f"(cosine {cosine:.3f} on a re-embedded sample): not used; rebuild it "
                    f"with `make vector-pack`")
                self.pack = None
                return {}
        return found

    def _agreement(self, texts: list[str], vectors: np.ndarray) -> float:
        """The lowest cosine between stored vectors and the model's vectors for their texts."""
        if not texts:
            return 1.0
        fresh = np.asarray(self._embed(texts), dtype=np.float32)
        return float(np.min(np.sum(fresh * vectors, axis=1)))
