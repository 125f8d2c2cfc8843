"""The one factory for the Chroma vector store: embedded folder or a Chroma server.

The ingest writes vectors it computed itself (`add_vectors`), and the search reads ids and
distances only (`nearest`, `stored_vectors`): documents and metadata are in SQLite already,
and asking Chroma for them costs more than the search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from langchain_chroma import Chroma

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.embeddings import AssistantEmbeddings
from assistant.records import Chunk

if TYPE_CHECKING:
    from chromadb.api import ClientAPI


class EmbeddingMismatchError(AssistantError):
    """The index was built with another embedding model than the one this run uses."""

    http_status = 503


class VectorStoreUnavailableError(AssistantError):
    """The configured Chroma server cannot be reached."""

    http_status = 503


def open_vector_store(settings: Settings, embeddings: AssistantEmbeddings) -> Chroma:
    """Open the collection, checking it was built with the same embedding model."""
    client = _client(settings)
    model_name = embeddings.model_name
    existing = {c.name for c in client.list_collections()}
    if settings.collection in existing:
        stored = client.get_collection(settings.collection).metadata or {}
        stored_model = stored.get("embedding_model")
        if stored_model and stored_model != model_name:
            raise EmbeddingMismatchError(
                f"the index at {_where(settings)} was built with the embedding model "
                f"'{stored_model}', but this run uses '{model_name}': rebuild it "
                f"(delete the index folder and run `coding-assistant ingest`) or set "
                f"CODING_ASSISTANT_EMBEDDING to match"
            )
    return Chroma(
        client=client,
        collection_name=settings.collection,
        embedding_function=embeddings,
        collection_metadata={"embedding_model": model_name, "hnsw:space": "cosine"},
    )


def add_vectors(store: Chroma, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
    """Store chunks with vectors computed by the caller (the store's model is not called)."""
    store._collection.upsert(
        ids=[c.id for c in chunks],
        embeddings=np.asarray(vectors, dtype=np.float32),
        metadatas=[c.metadata() for c in chunks],
        documents=[c.text for c in chunks],
    )


def nearest(store: Chroma, vector: Sequence[float], k: int) -> list[tuple[str, float]]:
    """(chunk id, cosine similarity) of the k nearest stored vectors, nearest first."""
    found = store._collection.query(query_embeddings=[list(vector)], n_results=k,
                                    include=["distances"])
    return [(cid, 1.0 - distance) for cid, distance in zip(found["ids"][0], found["distances"][0])]


def stored_vectors(store: Chroma, ids: list[str] | None = None,
                   where: dict | None = None) -> tuple[list[str], np.ndarray]:
    """Ids and vectors of the chunks asked for (by id, or by a metadata filter)."""
    found = store._collection.get(ids=ids, where=where, include=["embeddings"])
    return list(found["ids"]), np.asarray(found["embeddings"], dtype=np.float32)


def _client(settings: Settings) -> ClientAPI:
    import chromadb

    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port)
        except Exception as error:  # chromadb raises ValueError or its own connection errors
            raise VectorStoreUnavailableError(
                f"cannot reach the Chroma server at {_where(settings)} ({type(error).__name__}): "
                f"start it with `chroma run`, or unset CODING_ASSISTANT_CHROMA_HOST to use "
                f"the index folder") from None
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(path), settings=chromadb.config.Settings(anonymized_telemetry=False)
    )


def _where(settings: Settings) -> str:
    if settings.chroma_host:
        return f"{settings.chroma_host}:{settings.chroma_port}"
    return str(settings.index_dir)
