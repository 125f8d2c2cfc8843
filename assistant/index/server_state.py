"""Server mode: with a Chroma server set, the server is the one place the index lives.

The vectors are in the server's collection (vectors.py). Everything else a reader opens
(the records file, the lexical index, the synonym and Alphabetic Index tables) lives in a
second collection, `<collection>__state`, as a *snapshot*: the reader files packed into one
compressed tar, cut into parts stored base64 in metadata (Chroma indexes documents for full
text search, which makes a multi-megabyte document take seconds; a metadata string does not).
Beside the parts, two records:

- `published`: the snapshot readers open (its id, generation, part count, sha256, size);
  it is written only once every part of the snapshot is stored, so a reader sees the old
  snapshot or the new one, never half of one.
- `writer-lease`: who is ingesting, until when. Chroma has no compare-and-swap: a writer
  writes its lease, waits a moment and reads it back, and the heartbeat renews it. Two
  writers starting within that moment can both believe they won: the README's rule is one
  scheduled ingest per team, and the lease catches the rest.

On each node the index folder is only a cache: readers unpack snapshots under
`snapshots/<id>/`; a writer keeps its working copy at the folder's top, brought up to the
published snapshot before it ingests (so node B's ingest builds on node A's).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import tarfile
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.records_db import RecordsDB

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

STATE_SUFFIX = "__state"
PUBLISHED_ID = "published"
LEASE_ID = "writer-lease"
# Raw bytes per part (about 5.3 MB once base64): Chroma stores 16 MB of metadata in about a
# second; parts this size keep each request short.
PART_BYTES = 4 * 2**20
# A lease not renewed for this long is taken over by the next ingest (one that died).
LEASE_SECONDS = 120.0
RENEW_EVERY = 20.0
# Between writing the lease and reading it back: another writer's write lands in between.
CONFIRM_AFTER = 0.3
# How often a reader asks the server whether a new snapshot is published.
CHECK_EVERY = 1.0
SNAPSHOTS_DIR = "snapshots"
# The writer's working copy: which published snapshot (and generation) it holds.
MARKER_FILE = "server-snapshot.json"
RECORDS_FILE = "records.sqlite"
# Never in a snapshot: the embedded vector folder, the readers' unpacked snapshots, the lock.
NOT_PACKED = {"chroma", SNAPSHOTS_DIR, MARKER_FILE, ".ingest.lock"}
# Snapshot folders a node keeps: the newest, the one before (a running reader may still be
# answering from it) and one more for a slow process on the same node.
SNAPSHOTS_KEPT = 3


class ServerIndexMissingError(AssistantError):
    """Server mode, and no ingest has published an index on the server."""

    http_status = 503


class WriterLeaseError(AssistantError):
    """Another ingest holds the writer lease on the server (or took it over from this one)."""

    http_status = 503


class SnapshotError(AssistantError):
    """A snapshot on the server is damaged, or went away while it was read."""

    http_status = 503


class ForeignIndexError(AssistantError):
    """The working copy of a server-mode ingest holds an index that is not the server's."""


def where(settings: Settings) -> str:
    return f"{settings.chroma_host}:{settings.chroma_port}"


def state_collection(settings: Settings) -> Collection:
    from assistant.index.vectors import _client

    return _client(settings).get_or_create_collection(
        settings.collection + STATE_SUFFIX, embedding_function=None)


def _put(state: Collection, record_id: str, metadata: dict[str, Any]) -> None:
    # every record carries a one-number vector: a collection without vectors is not allowed
    state.upsert(ids=[record_id], embeddings=[[0.0]], metadatas=[metadata])


def _get(state: Collection, record_id: str) -> dict[str, Any] | None:
    found = state.get(ids=[record_id], include=["metadatas"])
    metadatas = found["metadatas"] or []
    return dict(metadatas[0]) if found["ids"] and metadatas[0] is not None else None


# ---- readers


@dataclass
class Published:
    snapshot: str
    generation: str
    parts: int
    sha256: str
    size: int
    published_at: str

    @classmethod
    def read(cls, state: Collection) -> Published | None:
        found = _get(state, PUBLISHED_ID)
        if found is None:
            return None
        return cls(**{name: found[name] for name in cls.__dataclass_fields__})


def published(settings: Settings) -> Published | None:
    return Published.read(state_collection(settings))


def reader_folder(settings: Settings) -> tuple[str, Path]:
    """(snapshot id, the folder it is unpacked in) of the published snapshot, downloaded
    when this node does not hold it yet."""
    state = state_collection(settings)
    current = Published.read(state)
    if current is None:
        raise ServerIndexMissingError(
            f"there is no index on the Chroma server at {where(settings)} (collection "
            f"{settings.collection}): run `coding-assistant ingest` with the same settings")
    snapshots = settings.index_dir / SNAPSHOTS_DIR
    folder = snapshots / current.snapshot
    if not folder.is_dir():
        _download(settings, state, current, snapshots)
    _clean(snapshots, keep=current.snapshot)
    return current.snapshot, folder


class SnapshotWatch:
    """Whether the server published another snapshot than the one a reader opened, asked
    of the server at most once every CHECK_EVERY seconds."""

    def __init__(self, settings: Settings, snapshot: str) -> None:
        self.settings = settings
        self.snapshot = snapshot
        self._asked_at = time.monotonic()
        self._changed = False
        self._lock = threading.Lock()
        self._state: Collection | None = None

    def changed(self) -> bool:
        if self._changed or time.monotonic() - self._asked_at < CHECK_EVERY:
            return self._changed
        if not self._lock.acquire(blocking=False):
            return False
        try:
            self._asked_at = time.monotonic()
            try:
                if self._state is None:
                    self._state = state_collection(self.settings)
                current = Published.read(self._state)
            except Exception:  # the server is away: keep answering from this snapshot
                self._state = None
                return False
            self._changed = current is not None and current.snapshot != self.snapshot
            return self._changed
        finally:
            self._lock.release()


def _download(settings: Settings, state: Collection, current: Published,
              snapshots: Path) -> None:
    """Fetch, check and unpack a snapshot beside the others, then move it in whole."""
    snapshots.mkdir(parents=True, exist_ok=True)
    unpacking = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=snapshots))
    try:
        packed = unpacking / "snapshot.tar.gz"
        digest = hashlib.sha256()
        with open(packed, "wb") as out:
            for n in range(current.parts):
                part = _get(state, f"snapshot-{current.snapshot}-{n}")
                if part is None:
                    raise SnapshotError(
                        f"part {n} of the index snapshot {current.snapshot} is missing on the "
                        f"Chroma server at {where(settings)} (a newer ingest replaced it): "
                        "ask again")
                data = base64.b64decode(part["data"])
                digest.update(data)
                out.write(data)
        if digest.hexdigest() != current.sha256:
            raise SnapshotError(
                f"the index snapshot {current.snapshot} on the Chroma server at "
                f"{where(settings)} is damaged (sha256 differs): run `coding-assistant ingest`")
        content = unpacking / "index"
        with tarfile.open(packed, "r:gz") as tar:
            tar.extractall(content, filter="data")
        packed.unlink()
        try:
            content.rename(snapshots / current.snapshot)
        except OSError:
            if not (snapshots / current.snapshot).is_dir():  # another process moved it in
                raise
    finally:
        shutil.rmtree(unpacking, ignore_errors=True)


def _clean(snapshots: Path, keep: str) -> None:
    folders = sorted((p for p in snapshots.iterdir() if p.is_dir() and p.name != keep
                      and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in folders[SNAPSHOTS_KEPT - 1:]:
        shutil.rmtree(old, ignore_errors=True)


# ---- the writer


@dataclass
class _Held:
    holder: str
    lost: bool = False


_held: dict[str, _Held] = {}   # server/collection -> the lease this process holds
_held_lock = threading.Lock()


@contextmanager
def writing(settings: Settings) -> Iterator[None]:
    """In server mode: hold the writer lease, bring the working copy up to the published
    snapshot, and publish what the ingest inside wrote. Re-entrant: the outermost holder
    publishes. In embedded mode: nothing."""
    if not settings.chroma_host:
        yield
        return
    key = f"{where(settings)}/{settings.collection}"
    with _held_lock:
        inner = key in _held
    if inner:
        yield
        return
    state = state_collection(settings)
    held = _take_lease(settings, state)
    with _held_lock:
        _held[key] = held
    stop = threading.Event()
    heartbeat = threading.Thread(target=_renew, args=(state, held, stop), daemon=True,
                                 name="writer-lease")
    heartbeat.start()
    try:
        synced = _sync_working_copy(settings, state)
        yield
        _publish_if_written(settings, state, held, synced)
    finally:
        stop.set()
        heartbeat.join()
        with _held_lock:
            _held.pop(key, None)
        _release(state, held)


def _take_lease(settings: Settings, state: Collection) -> _Held:
    holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    lease = _get(state, LEASE_ID)
    if lease is not None and lease["holder"] != holder and lease["expires_at"] > time.time():
        raise _busy(settings, lease)
    _put(state, LEASE_ID, _lease(holder))
    time.sleep(CONFIRM_AFTER)
    lease = _get(state, LEASE_ID)
    if lease is None or lease["holder"] != holder:
        raise _busy(settings, lease or {"holder": "unknown", "expires_at": time.time()})
    return _Held(holder)


def _lease(holder: str) -> dict[str, Any]:
    return {"holder": holder, "expires_at": time.time() + LEASE_SECONDS}


def _busy(settings: Settings, lease: dict[str, Any]) -> WriterLeaseError:
    until = datetime.fromtimestamp(lease["expires_at"], UTC).isoformat(timespec="seconds")
    return WriterLeaseError(
        f"another ingest is writing the index on the Chroma server at {where(settings)}: "
        f"{lease['holder']} holds the writer lease until {until} (renewed while it runs; "
        "an ingest that died frees it then): wait for it to finish")


def _renew(state: Collection, held: _Held, stop: threading.Event) -> None:
    while not stop.wait(RENEW_EVERY):
        try:
            lease = _get(state, LEASE_ID)
            if lease is None or lease["holder"] != held.holder:
                held.lost = True
                return
            _put(state, LEASE_ID, _lease(held.holder))
        except Exception:  # the server is away for a moment: try again at the next beat
            continue


def _release(state: Collection, held: _Held) -> None:
    try:
        lease = _get(state, LEASE_ID)
        if lease is not None and lease["holder"] == held.holder:
            state.delete(ids=[LEASE_ID])
    except Exception:  # the server is away: the lease expires by itself
        pass


@dataclass
class _Marker:
    server: str
    snapshot: str | None
    generation: str | None


def _read_marker(index_dir: Path) -> _Marker | None:
    path = index_dir / MARKER_FILE
    if not path.exists():
        return None
    return _Marker(**json.loads(path.read_text(encoding="utf-8")))


def _write_marker(index_dir: Path, marker: _Marker) -> None:
    path = index_dir / MARKER_FILE
    path.write_text(json.dumps(marker.__dict__), encoding="utf-8")


def _sync_working_copy(settings: Settings, state: Collection) -> _Marker:
    """The working copy at the published snapshot (unchanged when it holds it already)."""
    index_dir = settings.index_dir
    index_dir.mkdir(parents=True, exist_ok=True)
    server = f"{where(settings)}/{settings.collection}"
    marker = _read_marker(index_dir)
    current = Published.read(state)
    if marker is not None and marker.server == server and (
            current is None or marker.snapshot == current.snapshot):
        return marker
    if current is None:
        if (index_dir / RECORDS_FILE).exists():
            raise ForeignIndexError(
                f"the index folder {index_dir} holds an index that is not on the Chroma server "
                f"at {where(settings)}: give a server-mode ingest an empty "
                "CODING_ASSISTANT_INDEX_DIR (it is only a cache of the server)")
        marker = _Marker(server, None, None)
    else:
        snapshots = index_dir / SNAPSHOTS_DIR
        if not (snapshots / current.snapshot).is_dir():
            _download(settings, state, current, snapshots)
        for entry in _packed_entries(index_dir):
            _remove(entry)
        for entry in (snapshots / current.snapshot).iterdir():
            copy = shutil.copytree if entry.is_dir() else shutil.copy2
            copy(entry, index_dir / entry.name)
        marker = _Marker(server, current.snapshot, current.generation)
    _write_marker(index_dir, marker)
    return marker


def _publish_if_written(settings: Settings, state: Collection, held: _Held,
                        synced: _Marker) -> None:
    """Publish the working copy when an ingest finished a new generation in it."""
    generation = _generation(settings.index_dir / RECORDS_FILE)
    if generation is None or int(generation) % 2 or generation == synced.generation:
        return  # nothing written, or an ingest that did not finish
    lease = _get(state, LEASE_ID)
    if held.lost or lease is None or lease["holder"] != held.holder:
        raise WriterLeaseError(
            f"this ingest lost the writer lease on the Chroma server at {where(settings)} "
            f"(it was not renewed for {LEASE_SECONDS:.0f} s): its index was not published; "
            "run the ingest again")
    snapshot = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    previous = Published.read(state)
    with tempfile.TemporaryDirectory(prefix="snapshot-") as scratch:
        packed = Path(scratch) / "snapshot.tar.gz"
        _pack(settings.index_dir, packed)
        digest = hashlib.sha256()
        parts = 0
        with open(packed, "rb") as source:
            while data := source.read(PART_BYTES):
                digest.update(data)
                _put(state, f"snapshot-{snapshot}-{parts}",
                     {"kind": "part", "snapshot": snapshot, "part": parts,
                      "data": base64.b64encode(data).decode("ascii")})
                parts += 1
        size = packed.stat().st_size
    _put(state, PUBLISHED_ID, {
        "snapshot": snapshot, "generation": generation, "parts": parts,
        "sha256": digest.hexdigest(), "size": size,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds")})
    _write_marker(settings.index_dir, _Marker(synced.server, snapshot, generation))
    # the previous snapshot's parts stay: a reader may be downloading it right now
    kept = [snapshot] + ([previous.snapshot] if previous else [])
    state.delete(where={"$and": [{"kind": "part"}, {"snapshot": {"$nin": kept}}]})


def _generation(records: Path) -> str | None:
    if not records.exists():
        return None
    with closing(RecordsDB(records, create=False)) as db:
        return db.generation()


def _packed_entries(index_dir: Path) -> list[Path]:
    return [entry for entry in sorted(index_dir.iterdir()) if entry.name not in NOT_PACKED
            and not entry.name.startswith(RECORDS_FILE + "-")]   # -wal, -shm, -journal


def _pack(index_dir: Path, packed: Path) -> None:
    """The reader files as one tar.gz; the records file copied through SQLite's backup (a
    consistent copy even with a connection still open)."""
    with tempfile.TemporaryDirectory(prefix="records-", dir=packed.parent) as copy_dir:
        with tarfile.open(packed, "w:gz", compresslevel=1) as tar:
            for entry in _packed_entries(index_dir):
                if entry.name == RECORDS_FILE:
                    copy = Path(copy_dir) / RECORDS_FILE
                    with closing(sqlite3.connect(entry)) as source, \
                            closing(sqlite3.connect(copy)) as target:
                        source.backup(target)
                    tar.add(copy, arcname=RECORDS_FILE)
                else:
                    tar.add(entry, arcname=entry.name)


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink()
