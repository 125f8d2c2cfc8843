"""The exact code lookup: records and chunk texts in one SQLite file beside the vectors.

It is also the ingest's ledger: a chunk row is written only after its vectors are in Chroma,
so an interrupted build resumes where it stopped. Each thread gets its own connection, so a
server's requests read side by side instead of queueing on one.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from assistant.corpus.icd10cm_releases import CodeState, LoadedRelease, Snapshot
from assistant.records import Chunk, CodeRecord, SourceRelease

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    key TEXT PRIMARY KEY, system TEXT NOT NULL, code TEXT NOT NULL, norm_code TEXT NOT NULL,
    title TEXT NOT NULL, source TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_norm ON records(norm_code);
CREATE INDEX IF NOT EXISTS records_source ON records(source);
CREATE INDEX IF NOT EXISTS records_code ON records(system, code);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, record_key TEXT NOT NULL, system TEXT NOT NULL, code TEXT NOT NULL,
    section TEXT NOT NULL, field TEXT, source TEXT NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
CREATE INDEX IF NOT EXISTS chunks_record ON chunks(record_key);
CREATE TABLE IF NOT EXISTS releases (
    batch TEXT NOT NULL, system TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL,
    effective TEXT NOT NULL, covers_through TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS releases_batch ON releases(batch);
CREATE TABLE IF NOT EXISTS release_files (
    name TEXT PRIMARY KEY, effective TEXT NOT NULL, label TEXT NOT NULL, titled INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS page_files (source TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS release_codes (
    release TEXT NOT NULL, code TEXT NOT NULL, billable INTEGER NOT NULL, title TEXT,
    line INTEGER, notes TEXT, PRIMARY KEY (release, code)
);
CREATE TABLE IF NOT EXISTS official_files (
    name TEXT PRIMARY KEY, kind TEXT NOT NULL, effective TEXT NOT NULL, body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS official_rows (
    file TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (file, key)
);
CREATE TABLE IF NOT EXISTS fee_schedule (
    key TEXT PRIMARY KEY, system TEXT NOT NULL, code TEXT NOT NULL, body TEXT NOT NULL
);
"""


# Parsed records kept per process (the answer path reads the same few codes again and again).
RECORDS_KEPT = 32768
# Chunks kept per process, by id. An id is the hash of the chunk's content, so a kept chunk
# is never out of date; the whole set is dropped when full, and on this process's writes.
CHUNKS_KEPT = 32768
# Keys or ids per SQL query: below SQLite's oldest limit of 999 host parameters.
PARAMETERS_PER_QUERY = 500
# Codes `holdings` lists as examples of each code system; the answer names them all when a
# code system holds no more (the lone CPT page), and only a count when it holds more.
EXAMPLE_CODES = 20


# The index's generation (a meta entry): an ingest makes it odd when it starts writing and the
# next even number as its last step, so a reader that sees a new even number knows a whole
# ingest is in.
GENERATION_KEY = "generation"
# What the ICD-10-CM tabular says its instructional notes mean (a meta entry, JSON).
NOTE_CONVENTIONS_KEY = "icd10cm_note_conventions"

# (code system, how many records it holds, up to EXAMPLE_CODES of its codes)
Holding = tuple[str, int, list[str]]


def _cited_line(cite: str | None) -> int | None:
    match = re.search(r", line (\d+)$", cite or "")
    return int(match.group(1)) if match else None


def normalize_code(code: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", code.upper())


class RecordsDB:
    def __init__(self, path: Path, create: bool = True) -> None:
        """`create`: add the tables the file lacks (the ingest). A reader passes False: an
        index built by older code is read as it is, never written to."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._get_kept = functools.lru_cache(maxsize=RECORDS_KEPT)(self._get)
        self._chunks_kept: dict[str, Chunk] = {}
        if create:
            self._conn.executescript(_SCHEMA)

    @property
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on its first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), check_same_thread=False)
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._connections_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # records

    def upsert_records(self, records: Iterable[CodeRecord]) -> None:
        rows = (
            (r.key, r.system, r.code, normalize_code(r.code), r.title, r.source.path, r.to_json())
            for r in records
        )
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", rows
            )
        self._get_kept.cache_clear()

    def delete_records_not_in(self, source: str, keep: set[str]) -> int:
        stale = [k for k in self.record_keys(source) if k not in keep]
        with self._conn:
            self._conn.executemany("DELETE FROM records WHERE key = ?", ((k,) for k in stale))
        self._get_kept.cache_clear()
        return len(stale)

    def record_keys(self, source: str) -> set[str]:
        rows = self._conn.execute("SELECT key FROM records WHERE source = ?", (source,))
        return {row[0] for row in rows}

    def find(self, code: str, system: str | None = None) -> list[CodeRecord]:
        """Records whose code matches in any spelling (E11.65, e1165), optionally in one system."""
        query = "SELECT body FROM records WHERE norm_code = ?"
        params: list[str] = [normalize_code(code)]
        if system:
            query += " AND system = ?"
            params.append(system)
        return [CodeRecord.from_dict(json.loads(row[0])) for row in self._conn.execute(query, params)]

    def get(self, key: str) -> CodeRecord | None:
        """The record with this key. Parsed records are kept (the most recent
        RECORDS_KEPT): ranking reads the same headings and children over and over. Callers
        must not change them."""
        return self._get_kept(key)

    def _get(self, key: str) -> CodeRecord | None:
        row = self._conn.execute("SELECT body FROM records WHERE key = ?", (key,)).fetchone()
        return CodeRecord.from_dict(json.loads(row[0])) if row else None

    def titles(self, keys: Iterable[str]) -> dict[str, str]:
        return self._column_by_key("title", keys)

    def _column_by_key(self, column: str, keys: Iterable[str]) -> dict[str, str]:
        """Record key -> one column of its row (a column name of ours, never input), for the
        keys held, a query per PARAMETERS_PER_QUERY keys."""
        keys = list(keys)
        found: dict[str, str] = {}
        for start in range(0, len(keys), PARAMETERS_PER_QUERY):
            part = keys[start : start + PARAMETERS_PER_QUERY]
            marks = ",".join("?" * len(part))
            rows = self._conn.execute(
                f"SELECT key, {column} FROM records WHERE key IN ({marks})", part)
            found.update(dict(rows))
        return found

    def titles_under(self, system: str, code: str) -> list[tuple[str, str]]:
        """(code, title) of the codes that extend a code ("L89.1" -> "L89.10", "L89.159"...):
        in a hierarchical code set, the codes below it."""
        rows = self._conn.execute(
            "SELECT code, title FROM records WHERE system = ? AND code > ? AND code < ?",
            (system, code, code + "\U0010ffff"))
        return rows.fetchall()

    def holdings(self) -> list[Holding]:
        """(system, record count, up to EXAMPLE_CODES of its codes) for each system held."""
        rows = self._conn.execute("SELECT system, COUNT(*) FROM records GROUP BY system")
        held = []
        for system, count in rows.fetchall():
            codes = self._conn.execute(
                "SELECT code FROM records WHERE system = ? ORDER BY code LIMIT ?",
                (system, EXAMPLE_CODES))
            held.append((system, count, [row[0] for row in codes]))
        return held

    # facts about the index as a whole (the embedding model its vectors came from)

    def meta(self, key: str) -> str | None:
        """A fact the ingest recorded; None when not recorded (or the index predates them)."""
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:  # no meta table: reading never adds one
            return None
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._conn:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def note_conventions(self) -> dict[str, str]:
        """The tabular's own words for its instructional notes ({} before an ingest kept them)."""
        conventions: dict[str, str] = json.loads(self.meta(NOTE_CONVENTIONS_KEY) or "{}")
        return conventions

    def generation(self) -> str | None:
        """The index's generation (None: built before generations were kept)."""
        return self.meta(GENERATION_KEY)

    def start_generation(self) -> int:
        """Mark the index as being written (an odd generation); returns the generation."""
        writing = int(self.generation() or 0) | 1
        self.set_meta(GENERATION_KEY, str(writing))
        return writing

    # releases: the dates each source speaks for

    def replace_releases(self, batch: str, releases: Iterable[SourceRelease]) -> None:
        """The releases a source batch declares replace those it declared before."""
        rows = [(batch, r.system, r.kind, r.source, r.effective.isoformat(),
                 r.covers_through.isoformat(), json.dumps(r.to_dict(), ensure_ascii=False))
                for r in releases]
        with self._conn:
            self._conn.execute("DELETE FROM releases WHERE batch = ?", (batch,))
            self._conn.executemany("INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def releases(self, system: str | None = None) -> list[SourceRelease]:
        """Every declared release (of one system), oldest first."""
        query = "SELECT body FROM releases"
        params: list[str] = []
        if system:
            query += " WHERE system = ?"
            params.append(system)
        try:
            rows = self._conn.execute(query + " ORDER BY effective, kind", params).fetchall()
        except sqlite3.OperationalError:  # built before sources declared their dates
            return []
        return [SourceRelease.from_dict(json.loads(row[0])) for row in rows]

    # official release files a team loaded (their whole snapshot, so that the history can be
    # recomputed from every loaded release, whatever order they came in)

    def store_loaded_releases(self, releases: Iterable[LoadedRelease]) -> None:
        with self._conn:
            for release in releases:
                snap = release.snapshot
                # A file of the same name or the same effective date is replaced by this one.
                stale = [row[0] for row in self._conn.execute(
                    "SELECT name FROM release_files WHERE name = ? OR effective = ?",
                    (snap.source, snap.effective.isoformat()))]
                for name in stale:
                    self._conn.execute("DELETE FROM release_codes WHERE release = ?", (name,))
                    self._conn.execute("DELETE FROM release_files WHERE name = ?", (name,))
                self._conn.execute(
                    "INSERT OR REPLACE INTO release_files VALUES (?, ?, ?, ?, ?)",
                    (snap.source, snap.effective.isoformat(), snap.label, int(snap.titled),
                     release.sha256))
                self._conn.executemany(
                    "INSERT INTO release_codes VALUES (?, ?, ?, ?, ?, ?)",
                    ((snap.source, code, int(state.billable), state.title,
                      _cited_line(state.cite),
                      json.dumps(release.notes[code]) if code in release.notes else None)
                     for code, state in release.codes.items()))

    def loaded_releases(self) -> list[LoadedRelease]:
        loaded = []
        files = self._conn.execute(
            "SELECT name, effective, label, titled, sha256 FROM release_files ORDER BY effective")
        for name, effective, label, titled, sha in files.fetchall():
            snapshot = Snapshot(date.fromisoformat(effective), label, name, bool(titled),
                                loaded=True)
            codes: dict[str, CodeState] = {}
            notes: dict[str, list] = {}
            rows = self._conn.execute(
                "SELECT code, billable, title, line, notes FROM release_codes WHERE release = ?",
                (name,))
            for code, billable, title, line, note_json in rows:
                cite = f"{name}, line {line}" if line else name
                codes[code] = CodeState(bool(billable), title, cite)
                if note_json:
                    notes[code] = [tuple(n) for n in json.loads(note_json)]
            loaded.append(LoadedRelease(snapshot, codes, notes, sha))
        return loaded

    # page files: the sources that are files of a folder, which a folder ingest mirrors

    def keep_page_file(self, source: str, kept: bool) -> None:
        with self._conn:
            if kept:
                self._conn.execute("INSERT OR IGNORE INTO page_files VALUES (?)", (source,))
            else:
                self._conn.execute("DELETE FROM page_files WHERE source = ?", (source,))

    def page_files(self) -> set[str]:
        """Sources of the page files held (an index built before page_files were kept: the
        pages that declared their dates)."""
        rows = self._conn.execute(
            "SELECT source FROM page_files UNION SELECT source FROM releases WHERE kind = 'page'")
        return {row[0] for row in rows}

    # official HCPCS and fee schedule files a team loaded: each file's rows as read, so that
    # the records can be recomputed from every loaded file, whatever order they came in

    def store_official_file(self, kind: str, name: str, effective: date, header: dict,
                            rows: dict[str, dict]) -> None:
        """Store one file's rows; a stored file of the same kind and name or date goes."""
        with self._conn:
            stale = [row[0] for row in self._conn.execute(
                "SELECT name FROM official_files WHERE kind = ? AND (name = ? OR effective = ?)",
                (kind, name, effective.isoformat()))]
            for old in stale:
                self._conn.execute("DELETE FROM official_rows WHERE file = ?", (old,))
                self._conn.execute("DELETE FROM official_files WHERE name = ?", (old,))
            self._conn.execute("INSERT INTO official_files VALUES (?, ?, ?, ?)",
                               (name, kind, effective.isoformat(),
                                json.dumps(header, ensure_ascii=False)))
            self._conn.executemany(
                "INSERT INTO official_rows VALUES (?, ?, ?)",
                ((name, key, json.dumps(body, ensure_ascii=False)) for key, body in rows.items()))

    def official_files(self, kind: str) -> list[tuple[dict, dict[str, dict]]]:
        """(header, rows by key) of every stored file of a kind, oldest first."""
        found = []
        files = self._conn.execute(
            "SELECT name, body FROM official_files WHERE kind = ? ORDER BY effective", (kind,))
        for name, header in files.fetchall():
            rows = self._conn.execute("SELECT key, body FROM official_rows WHERE file = ?",
                                      (name,))
            found.append((json.loads(header), {key: json.loads(body) for key, body in rows}))
        return found

    # the physician fee schedule's record of each code, kept apart from the code's own record
    # (a code page, an HCPCS release) and merged into answers

    def replace_fee_schedule(self, records: Iterable[CodeRecord]) -> None:
        with self._conn:
            self._conn.execute("DELETE FROM fee_schedule")
            self._conn.executemany("INSERT INTO fee_schedule VALUES (?, ?, ?, ?)",
                                   ((r.key, r.system, r.code, r.to_json()) for r in records))

    def fee_schedule(self, key: str) -> CodeRecord | None:
        try:
            row = self._conn.execute("SELECT body FROM fee_schedule WHERE key = ?",
                                     (key,)).fetchone()
        except sqlite3.OperationalError:  # built before fee schedule files could be loaded
            return None
        return CodeRecord.from_dict(json.loads(row[0])) if row else None

    def sources_of(self, keys: Iterable[str]) -> dict[str, str]:
        """Record key -> the source that holds it, for the keys held."""
        return self._column_by_key("source", keys)

    # chunks

    def chunk_ids(self, source: str) -> set[str]:
        rows = self._conn.execute("SELECT id FROM chunks WHERE source = ?", (source,))
        return {row[0] for row in rows}

    def chunk_ids_in(self, system: str, sections: Iterable[str]) -> list[str]:
        """Ids of a code system's chunks of the sections named (through the system's records:
        the chunks table has no index by system, and scanning it takes a third of a second)."""
        sections = list(sections)
        marks = ",".join("?" * len(sections))
        rows = self._conn.execute(
            f"SELECT chunks.id FROM records JOIN chunks ON chunks.record_key = records.key "
            f"WHERE records.system = ? AND chunks.section IN ({marks}) ORDER BY chunks.id",
            [system, *sections])
        return [row[0] for row in rows]

    def add_chunks(self, chunks: Iterable[Chunk]) -> None:
        rows = (
            (c.id, c.record_key, c.system, c.code, c.section, c.field, c.source, c.text)
            for c in chunks
        )
        with self._conn:
            self._conn.executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._chunks_kept = {}

    def delete_chunks(self, ids: Iterable[str]) -> None:
        with self._conn:
            self._conn.executemany("DELETE FROM chunks WHERE id = ?", ((i,) for i in ids))
        self._chunks_kept = {}

    def iter_chunks(self) -> Iterator[Chunk]:
        rows = self._conn.execute(
            "SELECT text, system, code, section, source, field FROM chunks ORDER BY id"
        )
        for text, system, code, section, source, field in rows:
            yield Chunk(text=text, system=system, code=code, section=section, source=source,
                        field=field)

    def chunks_by_id(self, ids: list[str]) -> dict[str, Chunk]:
        kept = self._chunks_kept
        found = {cid: kept[cid] for cid in ids if cid in kept}
        missing = [cid for cid in ids if cid not in found]
        for start in range(0, len(missing), PARAMETERS_PER_QUERY):
            part = missing[start : start + PARAMETERS_PER_QUERY]
            marks = ",".join("?" * len(part))
            rows = self._conn.execute(
                f"SELECT id, text, system, code, section, source, field FROM chunks "
                f"WHERE id IN ({marks})", part,
            )
            for cid, text, system, code, section, source, field in rows:
                found[cid] = Chunk(text=text, system=system, code=code, section=section,
                                   source=source, field=field)
        if missing:
            if len(kept) + len(missing) > CHUNKS_KEPT:
                kept = self._chunks_kept = {}
            kept.update((cid, found[cid]) for cid in missing if cid in found)
        return found

    def chunks_of(self, record_key: str) -> list[tuple[str, Chunk]]:
        """(id, chunk) of one record's chunks."""
        rows = self._conn.execute(
            "SELECT id, text, system, code, section, source, field FROM chunks "
            "WHERE record_key = ? ORDER BY id", (record_key,))
        return [(cid, Chunk(text=text, system=system, code=code, section=section,
                            source=source, field=field))
                for cid, text, system, code, section, source, field in rows]

    def chunk_count(self) -> int:
        count: int = self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return count
