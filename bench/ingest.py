"""Benchmark: the full default build (sample page + all of ICD-10-CM, real model).

Builds into a fresh temporary index, then re-ingests to check that nothing is added, and
appends a row to bench/results/ingest.md: records, chunks, seconds, chunks per second.
Run: make bench-ingest (takes several minutes on two cores).
"""

from __future__ import annotations

import os
import platform
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.config import PROJECT_ROOT, Settings  # noqa: E402
from assistant.corpus.sources import load_page_records  # noqa: E402
from assistant.horizon import page_release  # noqa: E402
from assistant.index.icd10cm_batches import icd10cm_batches  # noqa: E402
from assistant.index.ingest import SourceBatch, ingest_sources  # noqa: E402
from assistant.index.models import document_embeddings  # noqa: E402

RESULTS = PROJECT_ROOT / "bench" / "results" / "ingest.md"


def batches() -> list[SourceBatch]:
    errors: list[str] = []
    records = list(load_page_records([PROJECT_ROOT / "corpus"], PROJECT_ROOT, errors))
    assert not errors, errors
    pages = [SourceBatch(r.source.path, [r], [page_release(r)]) for r in records]
    return pages + icd10cm_batches(None)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(index_dir=Path(folder), embedding="minilm")
        embeddings = document_embeddings(settings)
        started = time.perf_counter()
        first = ingest_sources(batches(), settings, embeddings)
        build = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest_sources(batches(), settings, embeddings)
        rerun = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row = (f"| {date.today()} | {platform.node()} ({os.cpu_count()} cores) | {first.records:,} | "
           f"{first.added:,} | {build:,.0f} | {first.added / build:,.0f} | {again.added} | "
           f"{rerun:,.0f} | {peak_mib:,.0f} |")
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Full default build (sample page + ICD-10-CM, all-MiniLM-L6-v2 on the CPU)\n\n"
            "| date | machine | records | chunks | build s | chunks/s | re-ingest added | "
            "re-ingest s | peak RSS MiB |\n|---|---|---|---|---|---|---|---|---|\n")
    with RESULTS.open("a") as handle:
        handle.write(row + "\n")
    print(row)


if __name__ == "__main__":
    main()
