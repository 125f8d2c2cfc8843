"""`lookup CODE`: the whole record of a code (with the physician fee schedule's fields merged
in, each citing its file), its history, its status on a date, what that status rests on, and
the dates the code's source speaks for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from assistant.answer.basis import status_basis
from assistant.answer.fee_schedule import with_fee_schedule
from assistant.config import Settings
from assistant.horizon import horizon
from assistant.index.open import open_records, reader_settings
from assistant.records import CodeRecord, SourceRelease
from assistant.status import status_on


def status_dict(record: CodeRecord, on: date) -> dict:
    status = status_on(record, on)
    data = {
        "date": on.isoformat(),
        "status": status.status,
        "billable": status.billable,
        "effective": status.effective.isoformat() if status.effective else None,
        "replacements": list(status.replacements),
        "valid_from": status.valid_from.isoformat() if status.valid_from else None,
    }
    if status.unsettled is not None:
        data["unsettled"] = status.unsettled.to_dict()
    return data


def describe_record(record: CodeRecord, on: date,
                    releases: Sequence[SourceRelease] = ()) -> dict:
    data = record.to_dict()
    data["status"] = status_dict(record, on)
    data["status_basis"] = status_basis(record, status_on(record, on), releases, on).to_dict()
    known = horizon(releases, record.system, record.source.path)
    data["horizon"] = known.to_dict() if known else None
    return data


def lookup_code(settings: Settings, code: str, system: str | None, on: date) -> list[dict]:
    db = open_records(reader_settings(settings)[0])
    try:
        releases = db.releases()
        return [describe_record(with_fee_schedule(r, db.fee_schedule(r.key)), on, releases)
                for r in db.find(code, system)]
    finally:
        db.close()
