"""The ICD-10-CM code set as source batches: its records computed from every release loaded
(the committed snapshots, the files stored in the index and the files being ingested now),
and the dates it speaks for."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.corpus.icd10cm import DELETED_SOURCE_PATH, SOURCE_PATH, SYSTEM, load_icd10cm
from assistant.corpus.icd10cm_history import release_timeline
from assistant.corpus.icd10cm_releases import LoadedRelease, source_releases
from assistant.index.ingest import SourceBatch, batches_by_source


def merge_releases(stored: Iterable[LoadedRelease],
                   new: Iterable[LoadedRelease]) -> list[LoadedRelease]:
    """Stored and new release files; a new file replaces a stored one of the same name or
    effective date."""
    new = list(new)
    names = {r.snapshot.source for r in new}
    dates = {r.snapshot.effective for r in new}
    kept = [r for r in stored if r.snapshot.source not in names
            and r.snapshot.effective not in dates]
    return sorted(kept + new, key=lambda r: r.snapshot.effective)


def icd10cm_batches(categories: list[str] | None, stored: Iterable[LoadedRelease] = (),
                    new: Iterable[LoadedRelease] = ()) -> list[SourceBatch]:
    """One batch per source of ICD-10-CM records; the last declares the releases and stores
    the new files' snapshots, so that both are written only once every record is in."""
    new, stored = list(new), list(stored)
    loaded = merge_releases(stored, new)
    records = list(load_icd10cm(categories or None, loaded))
    # Every release file's batch, even an empty or replaced one, so its stale records go.
    sources = [SOURCE_PATH, DELETED_SOURCE_PATH] + [r.snapshot.source for r in stored + new]
    batches = batches_by_source(records, sources)
    last = batches[-1]
    last.releases = source_releases(release_timeline(loaded), SOURCE_PATH)
    last.releases_key = SYSTEM
    last.loaded_releases = new
    return batches
