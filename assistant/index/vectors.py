"""The one factory for the Chroma vector store: embedded folder or a Chroma server.

The ingest writes vectors it computed itself (`add_vectors`), and the search reads ids and
distances only (`nearest`, `stored_vectors`): documents and metadata are in SQLite already,
and asking Chroma for them costs more than the search. Both go through chromadb's collection
directly; `open_vector_store` wraps the same collection in LangChain's `Chroma` for callers
that want LangChain's interface. chromadb and langchain-chroma are imported on first use:
together they take seconds to import, and a question about an exact code needs neither.
"""

from __future__ import annotations

import warnings

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.embeddings import AssistantEmbeddings, langchain_embeddings
from assistant.records import Chunk

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from langchain_chroma import Chroma

# Where each collection records the model its vectors came from (the records file keeps a copy).
MODEL_KEY = "embedding_model"


class EmbeddingMismatchError(AssistantError):
    """The index was built with another embedding model than the one this run uses."""

    http_status = 503


class VectorStoreUnavailableError(AssistantError):
    """The configured Chroma server cannot be reached."""

    http_status = 503


# How wide the vector index searches (HNSW's ef_search): a search reads at most this many
# nearest vectors (retrieval's CANDIDATES x OVERFETCH), and an index searched this wide gives
# the same first ones when fewer are asked for (310 of 312 benchmark questions had the same
# 80 nearest, the others differ at ties), which costs a third less than reading 400.
SEARCH_EF = 400
DEFAULT_SEARCH_EF = 100  # Chroma's


def open_collection(settings: Settings, model_name: str, fresh: bool = False) -> Collection:
    """The index's collection (made when missing), checked to hold vectors of this model.

    `fresh`: through a new client. chromadb keeps one client per folder in a process, which
    does not see what another process (an ingest) wrote after it opened: a running server
    opens a fresh one for each new generation of the index.
    """
    if fresh and not settings.chroma_host:
        from chromadb.api.shared_system_client import SharedSystemClient

        # forget the cached client (those already handed out keep working), not stop it
        SharedSystemClient.clear_system_cache()
    return _checked_collection(_client(settings), settings, model_name)


def open_vector_store(settings: Settings, embeddings: AssistantEmbeddings) -> Chroma:
    """The same checked collection behind LangChain's vector store interface."""
    from langchain_chroma import Chroma

    client = _client(settings)
    collection = _checked_collection(client, settings, embeddings.model_name)
    return Chroma(client=client, collection_name=collection.name,
                  embedding_function=langchain_embeddings(embeddings),
                  collection_metadata=collection.metadata)


def _checked_collection(client: ClientAPI, settings: Settings, model_name: str) -> Collection:
    existing = {c.name for c in client.list_collections()}
    if settings.collection in existing:
        stored = client.get_collection(settings.collection, embedding_function=None).metadata
        check_model(settings, (stored or {}).get(MODEL_KEY), model_name)
    return client.get_or_create_collection(
        settings.collection, embedding_function=None,
        metadata={MODEL_KEY: model_name, "hnsw:space": "cosine", "hnsw:search_ef": SEARCH_EF})


def search_breadth(collection: Collection) -> int:
    """How wide the collection's vector index searches (HNSW's ef_search; Chroma's default
    where the collection states none)."""
    with warnings.catch_warnings():  # chromadb warns of its own legacy settings on reading
        warnings.simplefilter("ignore", DeprecationWarning)
        configuration = collection.configuration or {}
    hnsw = configuration.get("hnsw") or {}
    return int(hnsw.get("ef_search") or DEFAULT_SEARCH_EF)


def widen_search(collection: Collection) -> None:
    """A collection made before SEARCH_EF searches that wide from now on (the ingest's job:
    readers never change the index)."""
    if search_breadth(collection) < SEARCH_EF:
        collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})


def check_model(settings: Settings, stored_model: str | None, model_name: str) -> None:
    """Refuse an index whose vectors came from another model (None: not recorded)."""
    if stored_model and stored_model != model_name:
        raise EmbeddingMismatchError(
            f"the index at {_where(settings)} was built with the embedding model "
            f"'{stored_model}', but this run uses '{model_name}': rebuild it "
            f"(delete the index folder and run `coding-assistant ingest`) or set "
            f"CODING_ASSISTANT_EMBEDDING to match"
        )


def add_vectors(collection: Collection, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
    """Store chunks with vectors computed by the caller (no model is called)."""
    collection.upsert(
        ids=[c.id for c in chunks],
        embeddings=np.asarray(vectors, dtype=np.float32),
        metadatas=[c.metadata() for c in chunks],
        documents=[c.text for c in chunks],
    )


def load_index(collection: Collection) -> Collection:
    """The collection with its vector index in memory: Chroma reads the index from disk on the
    first query, so one query (of a stored vector) loads it now."""
    first = collection.get(limit=1, include=["embeddings"])
    if len(first["ids"]):
        collection.query(query_embeddings=[list(first["embeddings"][0])], n_results=1,
                         include=[])
    return collection


def nearest(collection: Collection, vector: np.ndarray | Sequence[float],
            k: int) -> list[tuple[str, float]]:
    """(chunk id, cosine similarity) of the k nearest stored vectors, nearest first."""
    found = collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                             n_results=k, include=["distances"])
    return [(cid, 1.0 - distance) for cid, distance in zip(found["ids"][0], found["distances"][0])]


def stored_vectors(collection: Collection, ids: list[str] | None = None,
                   where: dict[str, Any] | None = None) -> tuple[list[str], np.ndarray]:
    """Ids and vectors of the chunks asked for (by id, or by a metadata filter)."""
    found = collection.get(ids=ids, where=where, include=["embeddings"])
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
