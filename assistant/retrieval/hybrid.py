"""Hybrid retrieval: exact code lookup, then lexical and dense search fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from langchain_chroma import Chroma
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from assistant.config import Settings
from assistant.index.embeddings import Abstention, AssistantEmbeddings
from assistant.index.index_terms import INDEX_TERMS_FILE, IndexTermTable
from assistant.index.lexical import LexicalIndex
from assistant.index.open import open_records
from assistant.index.records_db import Holding, RecordsDB
from assistant.index.synonyms import SYNONYMS_FILE, SynonymTable
from assistant.index.vectors import open_vector_store
from assistant.records import Chunk, CodeRecord, SourceRelease

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
# metadata filter makes Chroma's query some 30 times slower: 0.7 s against 0.02 s).
SMALL_CODE_SET = 5000
OVERFETCH = 5
# Sections that say what a code is; notes are about other codes and stay out of searches.
SEARCH_SECTIONS = ["descriptor", "inclusion_term", "includes_term", "description", "indications", "procedure",
                   "post_procedure", "clinical_notes"]


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


class HybridRetriever(BaseRetriever):
    """A LangChain retriever over the index; `search_codes` groups its chunks by code."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    db: RecordsDB
    store: Chroma
    embeddings: AssistantEmbeddings
    lexical: LexicalIndex | None = None
    # (system, record count, example codes) of each code set held, read once at open.
    holdings: list[Holding] = []
    # The dates each source speaks for (SourceRelease rows), read once at open.
    releases: list[SourceRelease] = []
    synonyms: SynonymTable = SynonymTable()
    index_terms: IndexTermTable = IndexTermTable()
    k: int = 10
    # system -> (chunk ids, their vectors) of each small code set, read on first search
    _small_sets: dict[str, tuple[list[str], np.ndarray]] = PrivateAttr(default_factory=dict)

    @classmethod
    def open(cls, settings: Settings, embeddings: AssistantEmbeddings) -> "HybridRetriever":
        db = open_records(settings)
        store = open_vector_store(settings, embeddings)
        lexical = LexicalIndex.load(settings.index_dir / "lexical")
        return cls(db=db, store=store, embeddings=embeddings, lexical=lexical,
                   holdings=db.holdings(), releases=db.releases(),
                   synonyms=SynonymTable.load(settings.index_dir / SYNONYMS_FILE),
                   index_terms=IndexTermTable.load(settings.index_dir / INDEX_TERMS_FILE))

    def exact(self, code: str, system: str | None = None) -> list[CodeRecord]:
        return self.db.find(code, system)

    def record(self, key: str) -> CodeRecord | None:
        return self.db.get(key)

    def titles(self, keys: Iterable[str]) -> dict[str, str]:
        return self.db.titles(keys)

    def titles_under(self, system: str, code: str) -> list[tuple[str, str]]:
        return self.db.titles_under(system, code)

    def code_hit(self, query: str, key: str) -> CodeHit | None:
        """A code found by other means than search (the Alphabetic Index), as a search hit:
        its searchable chunks, each with its exact cosine to the query; no rank score."""
        chunks = [(cid, c) for cid, c in self.db.chunks_of(key) if c.section in SEARCH_SECTIONS]
        if not chunks:
            return None
        hits = [ChunkHit(chunk, 0.0) for _, chunk in chunks]
        self._fill_dense(self.embeddings.embed_query(query), hits)
        system, code = key.split(":", 1)
        return CodeHit(system, code, 0.0, hits)

    def text_hit(self, query: str, chunk: Chunk) -> ChunkHit:
        """A text that is not in the index (an Alphabetic Index entry), with its cosine to
        the query, as a search would have scored it."""
        vectors = self.embeddings.embed_documents([query, chunk.text])
        return ChunkHit(chunk, 0.0, dense=float(np.dot(vectors[0], vectors[1])))

    @property
    def abstention(self) -> Abstention:
        """Below these similarities the embedding model's best match is not an answer."""
        return self.embeddings.abstention

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None
    ) -> list[Document]:
        hits = self.search_chunks(query)[: self.k]
        return [
            Document(page_content=h.chunk.text, id=h.chunk.id,
                     metadata={**h.chunk.metadata(), "score": h.score, "dense": h.dense})
            for h in hits
        ]

    def search_chunks(self, query: str, system: str | None = None,
                      sections: list[str] | None = None) -> list[ChunkHit]:
        sections = sections or SEARCH_SECTIONS
        vector = self.embeddings.embed_query(query)
        dense = self._dense(vector, system, sections)
        lexical = self._lexical(query, system, sections)
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

    def _dense(self, vector: list[float], system: str | None,
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
            hits = self.store.similarity_search_by_vector_with_relevance_scores(
                vector, k=CANDIDATES * OVERFETCH * len(large))
            found += [(doc.id, 1.0 - distance) for doc, distance in hits if doc.id]
        chunks = self.db.chunks_by_id([cid for cid, _ in found])
        wanted = set(sections)
        kept = [(chunks[cid], similarity) for cid, similarity in found
                if cid in chunks and chunks[cid].section in wanted
                and chunks[cid].system in systems]
        kept.sort(key=lambda item: item[1], reverse=True)
        return kept[:CANDIDATES]

    def _exact(self, vector: list[float], system: str) -> list[tuple[str, float]]:
        if system not in self._small_sets:
            stored = self.store.get(where={"system": system}, include=["embeddings"])
            self._small_sets[system] = (stored["ids"], np.asarray(stored["embeddings"]))
        ids, vectors = self._small_sets[system]
        if not ids:
            return []
        similarities = vectors @ np.asarray(vector)
        best = np.argsort(-similarities)[: CANDIDATES * OVERFETCH]
        return [(ids[i], float(similarities[i])) for i in best]

    def _fill_dense(self, vector: list[float], hits: list[ChunkHit]) -> None:
        """Exact cosine for chunks only the lexical search found, so every hit has one."""
        if not hits:
            return
        stored = self.store.get(ids=[h.chunk.id for h in hits], include=["embeddings"])
        by_id = dict(zip(stored["ids"], stored["embeddings"]))
        for hit in hits:
            embedding = by_id.get(hit.chunk.id)
            if embedding is not None:
                hit.dense = float(np.dot(vector, embedding))

    def _lexical(self, query: str, system: str | None,
                 sections: list[str]) -> list[tuple[Chunk, float]]:
        if self.lexical is None:
            return []
        hits = self.lexical.search(query, k=CANDIDATES * LEXICAL_OVERFETCH)
        chunks = self.db.chunks_by_id([cid for cid, _ in hits])
        wanted = set(sections)
        found = []
        for cid, score in hits:
            chunk = chunks.get(cid)
            if chunk and chunk.section in wanted and (not system or chunk.system == system):
                found.append((chunk, score))
        return found[:CANDIDATES]

