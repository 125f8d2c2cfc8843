"""`coding-assistant ingest PATH...` with CMS's HCPCS and physician fee schedule files: kinds
told by content (files, folders, zips as CMS ships them), a report per file, a bad file named
with its reason and line while every good one is indexed, files in any order, and re-ingest
changing nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.config import Settings
from assistant.index.records_db import RecordsDB
from assistant.interfaces.cli import main
from assistant.records import HistoryAction
from tests.fee_schedule_files import write_2014, write_2015
from tests.hcpcs_files import (NAME_2019, excerpt_lines, write_2018, write_2019, write_lines,
                               write_xlsx)


def _ingest(*paths: Path):
    return CliRunner().invoke(main, ["ingest", *map(str, paths)])


def _db(settings: Settings) -> RecordsDB:
    return RecordsDB(settings.index_dir / "records.sqlite")


def _record(settings: Settings, code: str):
    db = _db(settings)
    try:
        found = db.find(code, None)
        return found[0] if found else None
    finally:
        db.close()


def _snapshot(settings: Settings) -> tuple[dict, set, list]:
    db = _db(settings)
    try:
        rows = db._conn.execute("SELECT key, body FROM records").fetchall()
        return dict(rows), {c.id for c in db.iter_chunks()}, db.releases()
    finally:
        db.close()


def test_a_folder_of_both_kinds_loads_and_reports_each_file(sample_index, tmp_path):
    folder = tmp_path / "downloads"
    write_2019(folder)
    write_2014(folder)
    (folder / "GPCI2014.csv").write_text("locality,gpci\n01,1.0\n")
    result = _ingest(folder)
    assert result.exit_code == 0, result.output
    assert "HCPC2019_CONTR_ANWEB.txt: HCPCS 2019 annual release: 48 codes and 7 modifiers " \
           "(77 lines)" in result.output
    assert "PPRRVU14_JAN.csv: physician fee schedule 2014 Q1: 6 codes (8 rows with their " \
           "modifiers)" in result.output
    assert "skipped GPCI2014.csv" in result.output
    e0135 = _record(sample_index, "E0135")
    assert e0135.system == "HCPCS" and e0135.field_sources["Short Descr"] == \
        "HCPC2019_CONTR_ANWEB.txt, line 32"
    assert _record(sample_index, "00010").source.path.startswith("CMS physician fee schedule")
    # searched by their descriptors: one chunk per code, not one per field
    db = _db(sample_index)
    try:
        chunks = [c for c in db.iter_chunks() if c.source == e0135.source.path]
    finally:
        db.close()
    assert len(chunks) == 55 and {c.section for c in chunks} == {"descriptor"}


def test_the_page_keeps_77418_and_the_fee_schedule_row_is_kept_apart(sample_index, tmp_path):
    page_before = _record(sample_index, "77418")
    assert _ingest(write_2014(tmp_path)).exit_code == 0
    db = _db(sample_index)
    try:
        (page,) = db.find("77418", None)
        fee = db.fee_schedule(page.key)
    finally:
        db.close()
    assert page.to_dict() == page_before.to_dict()      # the page's record is untouched
    assert fee is not None and fee.field_sources["Global Days"] == "PPRRVU14_JAN.csv, line 5"
    assert fee.attributes["Global Days"] == "XXX - Global Concept Does Not Apply"


def test_a_corrupt_file_is_named_with_its_line_and_the_good_ones_still_load(sample_index,
                                                                             tmp_path):
    folder = tmp_path / "downloads"
    write_2014(folder)
    lines = excerpt_lines()
    lines[12] = lines[12][:150]
    write_lines(folder / "HCPC2019_CONTR_ANWEB.txt", lines)
    result = _ingest(folder)
    assert result.exit_code == 1
    assert "HCPC2019_CONTR_ANWEB.txt, line 13: the line is cut short" in result.output
    assert _record(sample_index, "C8904") is None        # the bad release is not half-loaded
    assert _record(sample_index, "00010") is not None    # the good file is indexed


def test_an_unrecognised_file_is_named_and_fails_the_run(sample_index, tmp_path):
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n1,2\n")
    result = _ingest(odd, write_2014(tmp_path))
    assert result.exit_code == 1
    assert "notes.csv: not a file the assistant reads" in result.output
    assert _record(sample_index, "00010") is not None


def test_zips_as_cms_ships_them_and_a_damaged_zip(sample_index, tmp_path):
    text = write_2019(tmp_path / "unzipped")
    sheet = write_xlsx(tmp_path / "unzipped" / "HCPC2019_CONTR_ANWEB.xlsx", excerpt_lines())
    with zipfile.ZipFile(tmp_path / "2019-alpha-numeric-hcpcs-file.zip", "w") as archive:
        archive.write(text, NAME_2019)
        archive.write(sheet, sheet.name)
        archive.writestr("HCPC2019_recordlayout.pdf", b"%PDF-1.4")
    with zipfile.ZipFile(tmp_path / "RVU14A.zip", "w") as archive:
        archive.write(write_2014(tmp_path / "rvu"), "PPRRVU14_JAN.csv")
    (tmp_path / "RVU15A.zip").write_bytes(b"PK\x03\x04 cut short")
    result = _ingest(tmp_path / "2019-alpha-numeric-hcpcs-file.zip", tmp_path / "RVU14A.zip",
                     tmp_path / "RVU15A.zip")
    assert result.exit_code == 1
    assert "RVU15A.zip: not a readable zip archive" in result.output
    assert "HCPC2019_CONTR_ANWEB.xlsx: the same release as HCPC2019_CONTR_ANWEB.txt" in \
        result.output
    assert "HCPC2019_recordlayout.pdf: not a file the assistant reads" in result.output
    assert _record(sample_index, "LT").kind == "modifier"
    assert _record(sample_index, "00020") is not None


def test_files_loaded_one_at_a_time_in_any_order_give_one_history(sample_index, tmp_path):
    assert _ingest(write_2019(tmp_path / "a")).exit_code == 0
    assert _ingest(write_2018(tmp_path / "b")).exit_code == 0
    assert _ingest(write_2015(tmp_path / "c")).exit_code == 0
    assert _ingest(write_2014(tmp_path / "d")).exit_code == 0
    c9015 = _record(sample_index, "C9015")
    assert [(e.date.isoformat(), e.action) for e in c9015.history] == [
        ("2018-01-01", HistoryAction.ADDED), ("2019-01-01", HistoryAction.DELETED)]
    assert "HCPC2018_CONTR_ANWEB.txt, line 15" in c9015.field_sources["history"]
    dropped = _record(sample_index, "00050")
    assert [(e.date.isoformat(), e.action) for e in dropped.history] == [
        ("2015-01-01", HistoryAction.DELETED)]


def test_re_ingesting_the_same_files_changes_nothing(sample_index, tmp_path):
    paths = [write_2019(tmp_path), write_2014(tmp_path), write_2015(tmp_path)]
    assert _ingest(*paths).exit_code == 0
    before = _snapshot(sample_index)
    again = _ingest(*paths)
    assert again.exit_code == 0
    assert "chunks added: 0" in again.output and "removed: 0" in again.output
    assert _snapshot(sample_index) == before


@pytest.mark.parametrize("name", ["HCPC2019_CONTR_ANWEB.txt", "PPRRVU14_JAN.csv"])
def test_an_empty_file_under_cms_name_is_an_error_not_a_page(sample_index, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    result = _ingest(path)
    assert result.exit_code == 1
    assert f"{name}: is empty" in result.output


def test_an_index_built_before_fee_schedules_is_read_without_being_written(sample_index):
    import sqlite3

    from assistant.answer.service import CodingAssistant

    path = sample_index.index_dir / "records.sqlite"
    with sqlite3.connect(path) as conn:  # the tables an index of older code lacks
        for table in ("fee_schedule", "official_files", "official_rows"):
            conn.execute(f"DROP TABLE {table}")
    before = path.read_bytes()
    answer = CodingAssistant(sample_index).ask("What are the global days of 77418?")
    assert "XXX - Global Concept Does Not Apply" in answer.answer
    assert path.read_bytes() == before
