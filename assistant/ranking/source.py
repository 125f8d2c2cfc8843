"""What ranking needs of the retriever, and nothing more."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from assistant.index.embeddings import Abstention
from assistant.index.index_terms import IndexTermTable
from assistant.index.synonyms import SynonymTable
from assistant.records import Chunk, CodeRecord
from assistant.retrieval.hybrid import ChunkHit, CodeHit


class CodeSource(Protocol):
    """Search, records by key, titles under a heading, synonyms, the Alphabetic Index terms
    (and hits for the codes and entries it gives), and the embedding model's abstention
    thresholds (HybridRetriever is one; tests build small ones by hand)."""

    @property
    def synonyms(self) -> SynonymTable: ...

    @property
    def index_terms(self) -> IndexTermTable: ...

    @property
    def abstention(self) -> Abstention: ...

    def search_codes(self, query: str, system: str | None = None) -> list[CodeHit]: ...

    def code_hits(self, query: str, keys: Iterable[str]) -> dict[str, CodeHit]: ...

    def text_hits(self, query: str, chunks: list[Chunk]) -> list[ChunkHit]: ...

    def embed_ahead(self, queries: Iterable[str] = (), texts: Iterable[str] = ()) -> None:
        """A hint: these questions (`search_codes`, `code_hits`) and texts (`text_hits`)
        are asked for next; a source with a model may start embedding them."""

    def record(self, key: str) -> CodeRecord | None: ...

    def titles(self, keys: Iterable[str]) -> dict[str, str]: ...

    def titles_under(self, system: str, code: str) -> list[tuple[str, str]]: ...
