"""Hybrid retrieval: exact code lookup, then lexical and dense search fused by reciprocal rank.

The retriever opens its parts on first use: a question about an exact code reads only SQLite,
while a search also opens the vector store, the lexical index, the synonym table and the query
model (`warm_up` opens them all at once, as a server does before its first request;
`open_for_search` starts a first search's parts loading side by side in threads). Nothing
here imports chromadb, bm25s or LangChain's retriever machinery at import time: they take
seconds to import, and `ask` pays for them on every run. `as_retriever` gives the LangChain
retriever over the same search.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from assistant.config import Settings
from assistant.index.chunking import SEARCH_SECTIONS
from assistant.index.embeddings import Abstention, AssistantEmbeddings
from assistant.index.index_terms import INDEX_TERMS_FILE, IndexTermTable
from assistant.index.lexical import LexicalIndex
from assistant.index.open import open_records, reader_settings
from assistant.index.records_db import Holding, RecordsDB
from assistant.index.synonyms import SYNONYMS_FILE, SynonymTable
from assistant.index.vectors import (MODEL_KEY, check_model, load_index, nearest,
                                     open_collection, search_breadth, stored_vectors)
from assistant.records import Chunk, CodeRecord, SourceRelease
from assistant.retrieval.text_vectors import TextVectors

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

    from assistant.index.server_state import SnapshotWatch
    from assistant.retrieval.documents import ChunkRetriever

T = TypeVar("T")
RRF_K = 60
# Chunks each search (dense, lexical) brings to the fusion.
CANDIDATES = 80
# A code's score is its best chunk's plus this share of its next NEXT_CHUNKS chunks': a code
# that several of its chunks match edges out one that a single chunk matches as well.
NEXT_CHUNK_WEIGHT = 0.05
NEXT_CHUNKS = 2
# The lexical index is searched over all chunks: fetch this many times CANDIDATES, so that
# enough are left once the chunks of other sections and code sets are filtered out.
LEXICAL_OVERFETCH = 4
# A code set of at most this many records is searched exactly, in memory; a larger one by
# one approximate search over the whole collection, over-fetched and then filtered (a
# metadata filter makes Chroma's query some 30 times slower: 0.7 s against 0.02 s). An exact
# search is also the same from build to build: the approximate index's graph depends on the
# order its insert threads ran in, and the test slice of ICD-10-CM (about 5,400 records)
# got different neighbours from one build to the next. 10,000 vectors are 15 MB in memory.
SMALL_CODE_SET = 10000
OVERFETCH = 5
FETCH_SLICE = CANDIDATES + CANDIDATES // 2
# Stored vectors kept per process, by chunk id (an id is the hash of the chunk's content):
# the exact cosine of lexical-only hits reads the same chunks question after question.
VECTORS_KEPT = 16384
# Titles kept per process, by record key, and the (code, title) lists of the codes below a
# heading, by heading: ranking reads the same headings' children for question after question.
TITLES_KEPT = 65536
HEADINGS_KEPT = 8192
# Query vectors kept per process, by text: ranking asks for a question's vector once per
# search and again for the codes and entries the Alphabetic Index adds. Few are kept: a
# question is rarely asked twice, and its text may name a patient.
QUERIES_KEPT = 256
# The vectors of the Alphabetic Index entries that ranking scores, kept per process: an entry
# ("Pain, foot") is corpus text that many different questions lead to, and embedding the
# entries was a quarter of a question's CPU time. 16,384 float32 vectors are about 26 MB.
TEXTS_KEPT = 16384
# The lexical search runs in one of these threads while the asking thread embeds the query and
# searches the vectors: all three spend their time in native code that lets go of the
# interpreter lock, so on two cores a question waits for the slower search, not for both.
# The first search also opens the vector store here (Chroma loads its index from disk).
_side_threads = ThreadPoolExecutor(max_workers=2 * (os.cpu_count() or 1),
                                   thread_name_prefix="search")


def _finished(generation: str | None) -> bool:
    """An even generation: no ingest is writing (None: an index from before generations)."""
    return generation is not None and int(generation) % 2 == 0


@dataclass
class ChunkHit:
    chunk: Chunk
    score: float
    dense: float = 0.0       # cosine similarity, 0 when the dense search did not find it
    lexical: float = 0.0     # BM25 score, 0 when the lexical search did not find it


@dataclass
class CodeHit:
    system: str
    code: str
    score: float
    chunks: list[ChunkHit] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.system}:{self.code}"

    @property
    def best_dense(self) -> float:
        return max((c.dense for c in self.chunks), default=0.0)


class HybridRetriever:
    """The index as the answer stage reads it: records by code, and `search_codes`, which
    groups the chunks of the hybrid search by code (ranking's CodeSource)."""

    def __init__(self, settings: Settings, embeddings: AssistantEmbeddings, db: RecordsDB) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.db = db
        self._opening = threading.Lock()
        self._part_locks: dict[str, threading.Lock] = {}
        self._parts: dict[str, object] = {}
        # system -> (chunk ids, their vectors) of each small code set, read on first search
        self._small_sets: dict[str, tuple[list[str], np.ndarray]] = {}
        self._vectors_kept: dict[str, np.ndarray] = {}
        self._titles_kept: dict[str, str] = {}
        self._below_kept: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._queries = TextVectors(embeddings.embed_queries, QUERIES_KEPT, _side_threads)
        self._texts = TextVectors(embeddings.embed_documents, TEXTS_KEPT, _side_threads)
        # the index's generation this view was opened at (see `outdated`)
        self.generation = db.generation()
        # server mode: the settings as given (self.settings reads the snapshot unpacked from
        # the server), and what tells this view a newer snapshot was published
        self.home = settings
        self.watch: SnapshotWatch | None = None

    @classmethod
    def open(cls, settings: Settings, embeddings: AssistantEmbeddings) -> HybridRetriever:
        """Open the records, and check the index was built with this embedding model."""
        view, snapshot = reader_settings(settings)
        retriever = cls(view, embeddings, open_records(view))
        retriever.home = settings
        if snapshot is not None:
            from assistant.index.server_state import SnapshotWatch

            retriever.watch = SnapshotWatch(settings, snapshot)
        built_with = retriever.db.meta(MODEL_KEY)
        if built_with is None:  # built before the records file kept the model: ask Chroma
            retriever.collection  # noqa: B018 (opening it checks the model)
        else:
            check_model(settings, built_with, embeddings.model_name)
        return retriever

    def outdated(self) -> bool:
        """Whether an ingest finished since this view was opened (one small SQLite read; in
        server mode, whether the server published another snapshot, asked once a second)."""
        if self.watch is not None:
            return self.watch.changed()
        now = self.db.generation()
        return now != self.generation and _finished(now)

    def reopened(self) -> HybridRetriever | None:
        """A new view of the index, with the parts this one opened already open: the lexical
        index, synonym table, code sets and releases of one finished ingest. None when another
        ingest started meanwhile (this view is still whole: keep it)."""
        fresh = HybridRetriever.open(self.home, self.embeddings)
        if "collection" in self._parts:
            fresh._parts["collection"] = open_collection(self.settings, self.embeddings.model_name,
                                                         fresh=True)
        for name in list(self._parts):
            getattr(fresh, name)
        if not _finished(fresh.generation) or fresh.db.generation() != fresh.generation:
            return None
        return fresh

    def warm_up(self) -> None:
        """Open every part and load the query model now, not on the first search."""
        self.collection  # noqa: B018
        self.lexical  # noqa: B018
        self.synonyms  # noqa: B018
        self.index_terms  # noqa: B018
        self.holdings  # noqa: B018
        self.releases  # noqa: B018
        self.embeddings.warm_up()

    def open_for_search(self) -> None:
        """Start opening what a search reads, each part in a side thread, and return: the
        vector store (importing chromadb and loading its index take seconds), the lexical
        index and the query model load side by side while the question is answered up to
        its search, which then waits only for what is still loading. A part already open
        is left alone; one that fails to open fails again, with its error, when read."""
        closed = [name for name in ("collection", "lexical") if name not in self._parts]
        if not closed:
            return  # searched before, or opened whole (`warm_up`)
        for name in closed:
            _side_threads.submit(getattr, self, name)
        _side_threads.submit(self.embeddings.warm_up)

    def _part(self, name: str, open_part: Callable[[], T]) -> T:
        """A part of the index, opened once (by the first thread that needs it; two parts
        may open side by side)."""
        if name not in self._parts:
            with self._opening:
                lock = self._part_locks.setdefault(name, threading.Lock())
            with lock:
                if name not in self._parts:
                    self._parts[name] = open_part()
        part: T = self._parts[name]  # type: ignore[assignment]
        return part

    @property
    def search_breadth(self) -> int:
        """How wide the vector index searches (read once per view of the index)."""
        return self._part("search_breadth", lambda: search_breadth(self.collection))

    @property
    def collection(self) -> Collection:
        """The vector store (chromadb's collection)."""
        return self._part("collection", lambda: load_index(
            open_collection(self.settings, self.embeddings.model_name)))

    @property
    def lexical(self) -> LexicalIndex | None:
        return self._part("lexical", lambda: LexicalIndex.load(self.settings.index_dir / "lexical"))

    @property
    def synonyms(self) -> SynonymTable:
        return self._part("synonyms",
                          lambda: SynonymTable.load(self.settings.index_dir / SYNONYMS_FILE))

    @property
    def index_terms(self) -> IndexTermTable:
        """The Alphabetic Index entries, followed to today's codes (built by ingest)."""
        return self._part("index_terms",
                          lambda: IndexTermTable.load(self.settings.index_dir / INDEX_TERMS_FILE))

    @property
    def holdings(self) -> list[Holding]:
        """(system, record count, example codes) of each code set held, read once."""
        return self._part("holdings", self.db.holdings)

    @property
    def releases(self) -> list[SourceRelease]:
        """The dates each source speaks for (SourceRelease rows), read once."""
        return self._part("releases", self.db.releases)

    @property
    def note_conventions(self) -> dict[str, str]:
        """What the ICD-10-CM tabular says its instructional notes mean, read once."""
        return self._part("note_conventions", self.db.note_conventions)

    def as_retriever(self, k: int = 10) -> ChunkRetriever:
        """LangChain's retriever interface over this search: the k best chunks as Documents."""
        from assistant.retrieval.documents import ChunkRetriever

        return ChunkRetriever(hybrid=self, k=k)

    def exact(self, code: str, system: str | None = None) -> list[CodeRecord]:
        return self.db.find(code, system)

    def record(self, key: str) -> CodeRecord | None:
        return self.db.get(key)

    def fee_schedule(self, key: str) -> CodeRecord | None:
        return self.db.fee_schedule(key)

    def titles(self, keys: Iterable[str]) -> dict[str, str]:
        """Titles by record key, those read before kept (the most recent TITLES_KEPT):
        ranking reads the titles of the same headings' children question after question."""
        kept = self._titles_kept
        keys = list(keys)
        missing = [k for k in keys if k not in kept]
        if missing:
            read = self.db.titles(missing)
            if len(kept) + len(read) > TITLES_KEPT:
                kept = self._titles_kept = {}
            kept.update(read)
        return {k: kept[k] for k in keys if k in kept}

    def titles_under(self, system: str, code: str) -> list[tuple[str, str]]:
        """(code, title) of the codes below a code, kept for the most recent HEADINGS_KEPT
        codes (callers must not change the list)."""
        found = self._below_kept.get((system, code))
        if found is None:
            found = self.db.titles_under(system, code)
            if len(self._below_kept) >= HEADINGS_KEPT:
                self._below_kept = {}
            self._below_kept[(system, code)] = found
        return found

    def code_hits(self, query: str, keys: Iterable[str]) -> dict[str, CodeHit]:
        """Codes found by other means than search (the Alphabetic Index), as search hits:
        their searchable chunks, each with its exact cosine to the query; no rank score.
        A code with no searchable chunk is left out."""
        found: dict[str, CodeHit] = {}
        for key in dict.fromkeys(keys):
            chunks = [c for _, c in self.db.chunks_of(key) if c.section in SEARCH_SECTIONS]
            if chunks:
                system, code = key.split(":", 1)
                found[key] = CodeHit(system, code, 0.0, [ChunkHit(c, 0.0) for c in chunks])
        hits = [hit for code_hit in found.values() for hit in code_hit.chunks]
        if hits:
            self._fill_dense(self.query_vector(query), hits)
        return found

    def text_hits(self, query: str, chunks: list[Chunk]) -> list[ChunkHit]:
        """Texts that are not in the index (Alphabetic Index entries), each with its cosine
        to the query, as a search would have scored it: the query embedded once, the texts
        in one batch (each distinct text once)."""
        if not chunks:
            return []
        vectors = self._texts.get(c.text for c in chunks)
        query_vector = self.query_vector(query)
        return [ChunkHit(c, 0.0, dense=float(np.dot(query_vector, vectors[c.text])))
                for c in chunks]

    def embed_ahead(self, queries: Iterable[str] = (), texts: Iterable[str] = ()) -> None:
        """Start embedding questions and texts a ranking will ask for (`query_vector`,
        `text_hits`), in a side thread, while the asking thread does other work."""
        self._queries.start(queries)
        self._texts.start(texts)

    def query_vector(self, query: str) -> np.ndarray:
        """The query's vector, embedded once per text (the most recent QUERIES_KEPT kept), in
        float64: the scores computed with it are the same as those of its list of floats."""
        return np.asarray(self._queries.get([query])[query], dtype=np.float64)

    @property
    def abstention(self) -> Abstention:
        """Below these similarities the embedding model's best match is not an answer."""
        return self.embeddings.abstention

    def search_chunks(self, query: str, system: str | None = None,
                      sections: list[str] | None = None) -> list[ChunkHit]:
        """Chunks of the sections asked for (default: SEARCH_SECTIONS, the only ones that
        have vectors), by rank fusion of the dense and the lexical search."""
        sections = sections or SEARCH_SECTIONS
        lexical_search = _side_threads.submit(self._lexical, query, system, sections)
        opening = (None if "collection" in self._parts
                   else _side_threads.submit(lambda: self.collection))
        vector = self.query_vector(query)
        if opening is not None:
            opening.result()
        dense = self._dense(vector, system, sections)
        lexical = lexical_search.result()
        fused: dict[str, ChunkHit] = {}
        for rank, (chunk, similarity) in enumerate(dense):
            hit = fused.setdefault(chunk.id, ChunkHit(chunk, 0.0))
            hit.score += 1.0 / (RRF_K + rank + 1)
            hit.dense = similarity
        for rank, (chunk, bm25) in enumerate(lexical):
            hit = fused.setdefault(chunk.id, ChunkHit(chunk, 0.0))
            hit.score += 1.0 / (RRF_K + rank + 1)
            hit.lexical = bm25
        self._fill_dense(vector, [h for h in fused.values() if h.dense == 0.0])
        return sorted(fused.values(), key=lambda h: h.score, reverse=True)

    def search_codes(self, query: str, system: str | None = None,
                     sections: list[str] | None = None) -> list[CodeHit]:
        """Chunks grouped by code: its best chunk's score plus a little of the next ones'."""
        grouped: dict[str, CodeHit] = {}
        for hit in self.search_chunks(query, system, sections):
            code_hit = grouped.setdefault(
                hit.chunk.record_key, CodeHit(hit.chunk.system, hit.chunk.code, 0.0))
            code_hit.chunks.append(hit)
        for code_hit in grouped.values():
            scores = sorted((c.score for c in code_hit.chunks), reverse=True)
            code_hit.score = scores[0] + NEXT_CHUNK_WEIGHT * sum(scores[1:1 + NEXT_CHUNKS])
        return sorted(grouped.values(), key=lambda h: h.score, reverse=True)

    def _dense(self, vector: np.ndarray, system: str | None,
               sections: list[str]) -> list[tuple[Chunk, float]]:
        """Nearest chunks of the wanted sections, from every code set held (or the one asked).

        A small code set is searched exactly: an approximate (HNSW) search over everything
        can miss one CPT page beside 100,000 ICD-10-CM entries.
        """
        counts = {name: count for name, count, _ in self.holdings}
        systems = [system] if system else list(counts)
        found: list[tuple[str, float]] = []
        large = [name for name in systems if counts.get(name, 0) > SMALL_CODE_SET]
        for name in systems:
            if name not in large:
                found += self._exact(vector, name)
        if large:
            # no code set asked: every stored vector is wanted, and the nearest CANDIDATES
            # are enough where the index searches as wide as the over-fetch would
            wide = self.search_breadth >= CANDIDATES * OVERFETCH
            k = CANDIDATES if system is None and wide else CANDIDATES * OVERFETCH * len(large)
            found += nearest(self.collection, vector, k=k)
        found.sort(key=lambda item: item[1], reverse=True)
        wanted = set(sections)
        return self._first_wanted(
            found, lambda chunk: chunk.section in wanted and chunk.system in systems)

    def _first_wanted(self, ranked: list[tuple[str, float]],
                      wanted: Callable[[Chunk], bool]) -> list[tuple[Chunk, float]]:
        """The first CANDIDATES chunks of a ranked (chunk id, score) list that are wanted,
        read from SQLite a slice at a time: nearly all are, and reading the chunks of the
        whole over-fetched list cost more than the searches."""
        kept: list[tuple[Chunk, float]] = []
        for start in range(0, len(ranked), FETCH_SLICE):
            part = ranked[start : start + FETCH_SLICE]
            chunks = self.db.chunks_by_id([cid for cid, _ in part])
            kept += [(chunks[cid], score) for cid, score in part
                     if cid in chunks and wanted(chunks[cid])]
            if len(kept) >= CANDIDATES:
                break
        return kept[:CANDIDATES]

    def _exact(self, vector: np.ndarray, system: str) -> list[tuple[str, float]]:
        if system not in self._small_sets:
            ids = self.db.chunk_ids_in(system, SEARCH_SECTIONS)
            self._small_sets[system] = (stored_vectors(self.collection, ids=ids) if ids
                                        else ([], np.zeros((0, 0), dtype=np.float32)))
        ids, vectors = self._small_sets[system]
        if not ids:
            return []
        similarities = vectors @ vector
        best = np.argsort(-similarities)[: CANDIDATES * OVERFETCH]
        return [(ids[i], float(similarities[i])) for i in best]

    def _fill_dense(self, vector: np.ndarray, hits: list[ChunkHit]) -> None:
        """Exact cosine for chunks only the lexical search found, so every hit has one."""
        if not hits:
            return
        by_id = self._stored_vectors([h.chunk.id for h in hits])
        for hit in hits:
            embedding = by_id.get(hit.chunk.id)
            if embedding is not None:
                hit.dense = float(np.dot(vector, embedding))

    def _stored_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunks (those the store holds), kept for next time."""
        kept = self._vectors_kept
        found = {cid: kept[cid] for cid in ids if cid in kept}
        missing = [cid for cid in ids if cid not in found]
        if missing:
            read = dict(zip(*stored_vectors(self.collection, ids=missing)))
            found.update(read)
            if len(kept) + len(read) > VECTORS_KEPT:
                kept = self._vectors_kept = {}
            kept.update(read)
        return found

    def _lexical(self, query: str, system: str | None,
                 sections: list[str]) -> list[tuple[Chunk, float]]:
        if self.lexical is None:
            return []
        hits = self.lexical.search(query, k=CANDIDATES * LEXICAL_OVERFETCH)
        wanted = set(sections)
        return self._first_wanted(
            hits, lambda chunk: chunk.section in wanted and (not system or chunk.system == system))

