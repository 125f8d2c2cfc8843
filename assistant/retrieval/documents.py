"""The hybrid search behind LangChain's retriever interface: chunks as Documents.

Kept apart from hybrid.py because importing LangChain's retriever machinery (its tracers)
takes over a second, which the answer path never needs.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval.hybrid import HybridRetriever


class ChunkRetriever(BaseRetriever):
    """The k best chunks of the hybrid search, each with its score and cosine similarity."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    hybrid: HybridRetriever
    k: int = 10

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None
    ) -> list[Document]:
        hits = self.hybrid.search_chunks(query)[: self.k]
        return [
            Document(page_content=h.chunk.text, id=h.chunk.id,
                     metadata={**h.chunk.metadata(), "score": h.score, "dense": h.dense})
            for h in hits
        ]
