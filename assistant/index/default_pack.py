"""`make vector-pack`: write the vectors of the default corpus (the shipped pages and all of
ICD-10-CM) to the pack a first build loads instead of computing them.

Vectors come from the local cache where it has them (checked against the model first), the
rest from the model: run it after a full `coding-assistant ingest`, or let it embed
everything (about 10 minutes on two cores). Rerun it when the model, the chunking or the
ICD-10-CM release changes; an ingest refuses a pack the model does not reproduce.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from assistant.config import Settings, get_settings
from assistant.index.chunking import chunks_for, is_embedded
from assistant.index.ingest import VECTOR_CACHE_FILE, embed_function
from assistant.index.models import document_embeddings
from assistant.index.vector_cache import CachedEmbedder, LocalCache, Pack


def default_texts(settings: Settings) -> list[str]:
    """Every embedded text of the default corpus, each once, shortest first (its records
    made as the ingest makes them)."""
    from assistant.corpus.sources import load_page_records
    from assistant.index.icd10cm_batches import icd10cm_batches

    errors: list[str] = []
    records = list(load_page_records([settings.corpus_dir], settings.corpus_dir.parent, errors))
    if errors:
        raise SystemExit("\n".join(errors))
    records += [r for batch in icd10cm_batches(None) for r in batch.records]
    chunks = [c for r in records for c in chunks_for(r) if is_embedded(c)]
    # every chunk's own text: an ingest embeds a sample of the shared ones whole
    texts = {c.text for c in chunks} | {c.shared.parent_text for c in chunks if c.shared}
    return sorted(texts, key=lambda t: (len(t), t))


def write_default_pack(settings: Settings) -> tuple[Path, int, int]:
    """Returns (pack path, texts, of which the model embedded)."""
    if not settings.vector_pack:
        raise SystemExit("CODING_ASSISTANT_VECTOR_PACK is empty: name the file to write")
    embeddings = document_embeddings(settings)
    texts = default_texts(settings)
    cache = LocalCache(settings.cache_dir / VECTOR_CACHE_FILE)
    try:
        embedder = CachedEmbedder(embeddings.model_name, embed_function(embeddings), cache)
        vectors: list[np.ndarray] = []
        for start in range(0, len(texts), 2048):
            vectors.extend(embedder.vectors(texts[start : start + 2048]))
            print(f"\r{start + 2048 if start + 2048 < len(texts) else len(texts):,} / "
                  f"{len(texts):,} vectors", end="", file=sys.stderr)
        print(file=sys.stderr)
        for warning in embedder.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    finally:
        cache.close()
    path = Path(settings.vector_pack)
    Pack.write(path, embeddings.model_name, zip(texts, vectors))
    return path, len(texts), embedder.embedded


def main() -> None:
    started = time.perf_counter()
    path, count, embedded = write_default_pack(get_settings())
    size = path.stat().st_size / 2**20
    print(f"wrote {count:,} vectors ({embedded:,} computed, the rest from the cache) to {path}: "
          f"{size:.1f} MiB in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
