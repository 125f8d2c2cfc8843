"""Open the built index for reading."""

from __future__ import annotations

from assistant.config import Settings
from assistant.index.records_db import RecordsDB


class IndexMissingError(RuntimeError):
    pass


def records_path(settings: Settings):
    return settings.index_dir / "records.sqlite"


def open_records(settings: Settings) -> RecordsDB:
    path = records_path(settings)
    if not path.exists():
        raise IndexMissingError(
            f"no index at {settings.index_dir}: run `coding-assistant ingest` first "
            "(or `make demo`)"
        )
    return RecordsDB(path)
