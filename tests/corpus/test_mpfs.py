"""The physician fee schedule relative value file: read by its heading names (wherever the
columns are, a heading over two rows), fields as "value - meaning" citing file and line,
statuses with the file's date, and damaged files named with their line."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.icd10cm_files import ReleaseFileError
from assistant.corpus.mpfs import (SOURCE_PATH, fee_records, fee_source_releases, merge_files,
                                   system_of)
from assistant.corpus.mpfs_files import fee_date_from_name, is_fee_schedule_csv, read_fee_schedule
from assistant.records import HistoryAction, Status
from assistant.status import status_on
from tests.fee_schedule_files import HEADINGS, ROWS_2014, write_2014, write_2015, write_fee_schedule


def _by_code(records):
    return {r.code: r for r in records}


@pytest.fixture
def files(tmp_path):
    return {2014: read_fee_schedule(write_2014(tmp_path)),
            2015: read_fee_schedule(write_2015(tmp_path))}


def test_rows_are_read_by_heading_names_with_their_lines(files):
    schedule = files[2014]
    assert (schedule.effective, schedule.label) == (date(2014, 1, 1),
                                                    "physician fee schedule 2014 Q1")
    assert (schedule.codes, len(schedule.rows)) == (6, 8)  # 00020 with 26 and TC
    row = schedule.rows["77418|"]
    assert (row.description, row.status, row.global_days, row.pctc, row.line) == (
        "RADIATION TX DELIVERY IMRT", "A", "XXX", "3", 5)
    assert schedule.rows["00020|26"].description == "MADE-UP DESCRIPTOR B PROF"
    assert schedule.preamble[0].startswith("2014 National Physician Fee Schedule")


def test_a_heading_over_two_rows_and_moved_columns_read_the_same(tmp_path, files):
    split = read_fee_schedule(write_2014(tmp_path / "split", split_heading=True))
    moved = read_fee_schedule(write_2014(tmp_path / "moved", headings=list(reversed(HEADINGS))))
    def fields(schedule):
        return {key: (r.description, r.status, r.pctc, r.global_days, r.multiple, r.bilateral,
                      r.assistant, r.co_surgeons, r.team) for key, r in schedule.rows.items()}
    assert fields(split) == fields(moved) == fields(files[2014])
    assert split.rows["77418|"].line == 6  # one more heading row above it


def test_fields_have_the_seed_pages_names_and_meanings(files):
    records = _by_code(fee_records([files[2014]]))
    a = records["00010"].attributes
    assert a["Global Days"] == "090 - One day before, the procedure day and 90 days after"
    assert a["Bilateral Surgery (50)"] == ("1 - 150% payment adjustment for bilateral "
                                           "procedures applies.")
    assert a["Co-Surgeons (62)"] == "1 - Co-surgeons permitted with supporting documentation."
    assert records["77418"].attributes["Global Days"] == "XXX - Global Concept Does Not Apply"
    assert records["77418"].attributes["PC/TC Indicator (26, TC)"] == \
        "3 - Technical Component Only Code"
    b = records["00020"]
    assert b.attributes["With modifier 26"] == "listed; Short Descr 'MADE-UP DESCRIPTOR B PROF'"
    assert b.field_sources["With modifier 26"] == "PPRRVU14_JAN.csv, line 8"
    assert b.field_sources["Global Days"] == "PPRRVU14_JAN.csv, line 7"
    assert (b.system, b.source.path) == ("CPT", SOURCE_PATH)
    assert system_of("E0135") == "HCPCS" and system_of("0001F") == "CPT"


def test_deleted_status_and_absence_from_the_next_file_are_dated(files):
    records = _by_code(fee_records(merge_files([files[2015]], [files[2014]])))
    deleted = records["00040"].history
    assert [(e.date, e.action) for e in deleted] == [(date(2014, 1, 1), HistoryAction.DELETED)]
    assert "Status code D - Deleted code" in deleted[0].note
    dropped = records["00050"]
    assert [(e.date, e.action) for e in dropped.history] == [
        (date(2015, 1, 1), HistoryAction.DELETED)]
    assert status_on(dropped, date(2014, 12, 31)).status == Status.ACTIVE
    assert status_on(dropped, date(2015, 1, 1)).status == Status.DELETED
    # absent from the 2014 file, listed in the 2015 one: added on the 2015 file's date
    assert [(e.date, e.action) for e in records["00060"].history] == [
        (date(2015, 1, 1), HistoryAction.ADDED)]
    assert status_on(records["00060"], date(2014, 6, 1)).status != Status.ACTIVE
    # status I is no deletion: the code stays, and the file's status code says so
    assert records["00030"].history == []
    assert records["00030"].attributes["Status Code"].startswith("I - Not valid for Medicare")


def test_each_file_speaks_for_its_quarter(files):
    releases = fee_source_releases([files[2014]])
    assert {(r.system, r.effective, r.covers_through) for r in releases} == {
        ("CPT", date(2014, 1, 1), date(2014, 3, 31))}


@pytest.mark.parametrize(("name", "expected"), [
    ("PPRRVU25_JAN.csv", date(2025, 1, 1)), ("PPRRVU2026_Apr_nonQPP.csv", date(2026, 4, 1)),
    ("RVU25C/whatever.csv", date(2025, 7, 1)), ("fees.csv", None)])
def test_the_quarter_comes_from_the_name(name, expected):
    assert fee_date_from_name(name) == expected


def test_the_quarter_comes_from_the_title_line_when_the_name_lacks_it(tmp_path):
    path = write_fee_schedule(tmp_path / "fees.csv", ROWS_2014,
                              "2016 National Physician Fee Schedule Relative Value File July "
                              "Release")
    assert read_fee_schedule(path).effective == date(2016, 7, 1)


def test_the_kind_is_told_by_its_heading_row(tmp_path):
    assert is_fee_schedule_csv(write_2014(tmp_path).read_text(encoding="latin-1"))
    assert not is_fee_schedule_csv("code,title\nA00,Cholera\n")


def _damaged(tmp_path, change):
    path = write_2014(tmp_path)
    lines = path.read_bytes().decode("latin-1").split("\r\n")
    change(lines)
    path.write_bytes("\r\n".join(lines).encode("latin-1"))
    return path


@pytest.mark.parametrize(("change", "message"), [
    (lambda lines: lines.__setitem__(5, "NOT A CODE" + lines[5][5:]),
     r"line 6: 'NOT A CODE' in the HCPCS column is not a code"),
    (lambda lines: lines.__setitem__(6, lines[6][:20]), r"line 7: the row has \d+ of the "
                                                        r"heading's \d+ columns read"),
    (lambda lines: lines.insert(7, lines[4]), r"line 8: 77418 listed twice \(first on line 5\)"),
    (lambda lines: lines.__setitem__(3, lines[3].replace("GLOB DAYS", "GLOBAL PERIOD")),
     r"line 4: the heading row lacks GLOB DAYS"),
    (lambda lines: lines.__setitem__(3, "nothing,here"), r"no heading row naming HCPCS and MOD"),
])
def test_a_damaged_file_names_the_line_and_the_reason(tmp_path, change, message):
    with pytest.raises(ReleaseFileError, match=message):
        read_fee_schedule(_damaged(tmp_path, change))


def test_every_bad_row_is_named(tmp_path):
    def damaged(lines):
        lines[5] = "NOT A CODE" + lines[5][5:]
        lines[8] = lines[8][:20]
    with pytest.raises(ReleaseFileError, match=r"2 lines break the layout, so the file is not "
                                               r"loaded: line 6: 'NOT A CODE' .*; line 9: the "
                                               r"row has"):
        read_fee_schedule(_damaged(tmp_path, damaged))


def test_an_empty_or_binary_file_is_refused(tmp_path):
    empty = tmp_path / "PPRRVU14_JAN.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReleaseFileError, match="is empty"):
        read_fee_schedule(empty)
    empty.write_bytes(b"PK\x03\x04\x00\x00" * 50)
    with pytest.raises(ReleaseFileError, match="is binary"):
        read_fee_schedule(empty)
