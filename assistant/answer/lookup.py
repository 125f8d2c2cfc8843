"""`lookup CODE`: the whole record of a code, its history and its status on a date."""

from __future__ import annotations

from datetime import date

from assistant.config import Settings
from assistant.index.open import open_records
from assistant.records import CodeRecord
from assistant.status import status_on


def status_dict(record: CodeRecord, on: date) -> dict:
    status = status_on(record, on)
    return {
        "date": on.isoformat(),
        "status": status.status,
        "billable": status.billable,
        "effective": status.effective.isoformat() if status.effective else None,
        "replacements": list(status.replacements),
        "valid_from": status.valid_from.isoformat() if status.valid_from else None,
    }


def describe_record(record: CodeRecord, on: date) -> dict:
    data = record.to_dict()
    data["status"] = status_dict(record, on)
    return data


def lookup_code(settings: Settings, code: str, system: str | None, on: date) -> list[dict]:
    db = open_records(settings)
    try:
        return [describe_record(r, on) for r in db.find(code, system)]
    finally:
        db.close()
