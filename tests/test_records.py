"""The record's stored form: every field, in field order, as dataclasses.asdict gives it."""

import dataclasses
import json
from datetime import date

from assistant.records import (CodeRecord, HistoryAction, HistoryEvent, Note, NoteKind, Section,
                               Source)


def _full_record() -> CodeRecord:
    # Field values in real layouts; the text is not a real code's.
    return CodeRecord(
        system="ICD-10-CM", code="X00.0", title="Example title",
        descriptors={"long": "Example long descriptor"},
        attributes={"status": "billable"},
        sections=[Section(name="descriptor", text="Example paragraph")],
        notes=[Note(NoteKind("excludes1"), "Example note", "X00")],
        kind="code", parent="X00", children=["X00.01", "X00.02"], billable=False,
        history=[HistoryEvent(date(2020, 10, 1), HistoryAction.CHANGED, note="edited",
                              replacements=("X00.1",), earliest=date(2019, 10, 1),
                              billable=True)],
        source=Source(path="corpus/example.txt", copyright=["Example notice"]),
        version="2026",
        field_sources={"descriptor": "example.txt, line 3"},
    )


def test_to_dict_holds_every_field_as_asdict_does():
    record = _full_record()
    expected = dataclasses.asdict(record)
    expected["history"] = [event.to_dict() for event in record.history]
    assert record.to_dict() == expected
    assert list(record.to_dict()) == [f.name for f in dataclasses.fields(CodeRecord)]
    assert record.to_json() == json.dumps(expected, ensure_ascii=False)


def test_to_dict_round_trips_and_shares_no_list_or_dict():
    record = _full_record()
    data = record.to_dict()
    assert CodeRecord.from_dict(json.loads(record.to_json())) == record
    data["children"].append("X00.09")
    data["descriptors"]["short"] = "changed"
    data["source"]["copyright"].append("changed")
    assert record.children == ["X00.01", "X00.02"]
    assert "short" not in record.descriptors
    assert record.source.copyright == ["Example notice"]
