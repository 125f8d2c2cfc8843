"""Open the built index for reading."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from assistant.config import Settings
from assistant.errors import AssistantError
from assistant.index.records_db import RecordsDB


class IndexMissingError(AssistantError):
    """No index has been built where the settings point."""

    http_status = 503


class IndexUnreadableError(AssistantError):
    """The index folder holds a records file that is not a readable index."""

    http_status = 503


def records_path(settings: Settings) -> Path:
    return settings.index_dir / "records.sqlite"


def open_records(settings: Settings) -> RecordsDB:
    path = records_path(settings)
    if not path.exists():
        raise IndexMissingError(
            f"no index at {settings.index_dir}: run `coding-assistant ingest` first "
            "(or `make demo`)"
        )
    _check_readable(settings, path)
    return RecordsDB(path, create=False)


def _check_readable(settings: Settings, path: Path) -> None:
    """A records file that SQLite can read (not another file left in the index folder)."""
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise IndexUnreadableError(
            f"the index at {settings.index_dir} cannot be read ({error}): rebuild it (delete "
            "the folder and run `coding-assistant ingest`)") from None


def reader_settings(settings: Settings) -> tuple[Settings, str | None]:
    """The settings a reader opens the index with, and the server snapshot they point at.

    Embedded: the settings as they are (None). Server mode: the index folder is a cache, and
    the reader opens the snapshot the server published, unpacked in it (see server_state).
    """
    if not settings.chroma_host:
        return settings, None
    from assistant.index.server_state import reader_folder

    snapshot, folder = reader_folder(settings)
    return settings.model_copy(update={"index_dir": folder}), snapshot
