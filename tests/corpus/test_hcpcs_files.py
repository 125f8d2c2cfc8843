"""Reading CMS's HCPCS Level II files: the real 2019 contractor excerpt, its spreadsheet, and
damaged copies of it (every error names the file and the line)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.corpus.hcpcs_files import (HCPCS_XLSX, hcpcs_date_from_name, is_contractor_text,
                                          read_contractor_file, read_hcpcs_xlsx)
from assistant.corpus.icd10cm_files import ReleaseFileError
from tests.hcpcs_files import (EXCERPT, NAME_2019, XLSX_HEADINGS, columns, excerpt_lines,
                               write_2019, write_lines, write_xlsx)
from tests.release_files import write_order_file


@pytest.fixture(scope="module")
def release():
    return read_contractor_file(EXCERPT)


def test_the_excerpt_holds_48_codes_and_7_modifiers(release):
    assert (release.codes, release.modifiers, release.lines) == (48, 7, 77)
    assert release.effective == date(2019, 1, 1)  # from its name: hcpcs-2019-...
    assert release.label == "HCPCS 2019 annual release"
    assert sorted(k for k, e in release.entries.items() if e.modifier) == \
        ["GA", "GY", "GZ", "LT", "RT", "TC", "XS"]


def test_continuation_lines_are_joined_into_one_long_description(release):
    a0426 = release.entries["A0426"]
    assert a0426.long == ("Ambulance service, advanced life support, non-emergency transport, "
                          "level 1 (als 1)")
    assert (a0426.first_line, a0426.last_line) == (2, 3)
    j0129 = release.entries["J0129"]
    assert j0129.long.endswith("not for use when drug is self administered)")
    tc = release.entries["TC"]
    assert tc.modifier and (tc.first_line, tc.last_line) == (62, 68)
    assert "technical component alone; under those circumstances" in tc.long  # spaces as one
    assert release.cite(tc) == "hcpcs-2019-contractor-excerpt.txt, lines 62-68"


def test_the_detail_fields_are_read_from_their_columns(release):
    c9015 = release.entries["C9015"]
    assert c9015.short == "C-1 esterase, haegarda"
    assert c9015.pricing == ("53",) and c9015.coverage == "D" and c9015.betos == "O1E"
    assert c9015.cross_references == ("J0599",)
    assert c9015.types_of_service == ("9", "F")
    assert (c9015.asc_group, c9015.asc_effective) == ("YY", date(2018, 1, 1))
    assert (c9015.added, c9015.action_effective, c9015.termination) == \
        (date(2018, 1, 1), date(2019, 1, 1), date(2018, 12, 31))
    assert c9015.action == "D"
    e0100 = release.entries["E0100"]
    assert e0100.types_of_service == ("A", "P", "R") and e0100.termination is None
    assert e0100.action == "N"
    lt = release.entries["LT"]
    assert (lt.pricing, lt.betos, lt.coverage, lt.added) == ((), "", "C", date(1984, 1, 1))


def test_latin1_text_and_trailing_spaces_stripped_read_the_same(release, tmp_path):
    stripped = [line.rstrip() for line in excerpt_lines()]
    path = write_lines(tmp_path / NAME_2019, stripped, newline="\r\n")
    again = read_contractor_file(path)
    assert again.entries == {k: e for k, e in release.entries.items()}


@pytest.mark.parametrize(("name", "expected"), [
    ("HCPC2019_CONTR_ANWEB.txt", date(2019, 1, 1)),
    ("HCPC2019_CONTR_ANWEB.xlsx", date(2019, 1, 1)),
    ("HCPC2024_APR_ANWEB.txt", date(2024, 4, 1)),
    ("HCPC2024_JULY_ANWEB_v2.txt", date(2024, 7, 1)),
    ("hcpcs-2019-contractor-excerpt.txt", date(2019, 1, 1)),
    ("contractor.txt", None),
])
def test_the_release_date_comes_from_the_file_name(name, expected):
    assert hcpcs_date_from_name(name) == expected


def test_a_file_named_without_its_year_needs_the_date_given(tmp_path):
    path = write_lines(tmp_path / "contractor.txt", excerpt_lines())
    with pytest.raises(ReleaseFileError, match="cannot tell which year's release"):
        read_contractor_file(path)
    assert read_contractor_file(path, date(2019, 1, 1)).codes == 48


def test_the_kind_is_told_by_content(tmp_path):
    assert is_contractor_text(EXCERPT.read_text(encoding="latin-1"))
    order = write_order_file(tmp_path / "icd10cm_order_2027.txt", {"I10": (True, "Essential "
                                                                                 "(primary) hypertension")})
    assert order and not is_contractor_text((tmp_path / "icd10cm_order_2027.txt").read_text())
    page = Path(__file__).parents[2] / "corpus" / "pages" / "77418.txt"
    assert not is_contractor_text(page.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- damaged files


def _damaged(tmp_path: Path, change) -> Path:
    lines = excerpt_lines()
    change(lines)
    return write_lines(tmp_path / NAME_2019, lines)


def test_a_file_cut_short_names_the_line(tmp_path):
    lines = excerpt_lines()
    path = tmp_path / NAME_2019
    path.write_bytes(("\n".join(lines[:40]) + "\n" + lines[40][:150]).encode("latin-1"))
    with pytest.raises(ReleaseFileError, match=r"line 41: the line is cut short: 150 of the "
                                               r"layout's 320 columns"):
        read_contractor_file(path)


def test_every_bad_line_is_named_and_nothing_is_half_loaded(tmp_path):
    def damaged(lines):
        lines[12] = lines[12][:150]                     # C8904 cut short
        lines[19] = columns(lines[19], 11, 11, "9")     # no such record id
        for index in range(30, 45):
            lines[index] = columns(lines[index], 11, 11, "X")
    with pytest.raises(ReleaseFileError) as raised:
        read_contractor_file(_damaged(tmp_path, damaged))
    message = str(raised.value)
    assert "17 lines break the layout, so the file is not loaded: line 13: the line is " \
           "cut short" in message
    assert "; line 20: not in the HCPCS contractor layout" in message
    assert "line 38:" in message and "line 39:" not in message and "; and 7 more" in message


def test_a_first_line_cut_before_its_action_code_names_the_line(tmp_path):
    lines = [line.rstrip() for line in excerpt_lines()]
    path = tmp_path / NAME_2019
    path.write_bytes(("\n".join(lines[:10]) + "\n" + lines[10][:200]).encode("latin-1"))
    with pytest.raises(ReleaseFileError, match=r"line 11: the first line of A4208 is cut short"):
        read_contractor_file(path)


def test_a_line_out_of_the_layout_names_the_line(tmp_path):
    def bad_record_id(lines):
        lines[19] = columns(lines[19], 11, 11, "9")
    with pytest.raises(ReleaseFileError, match=r"line 20: not in the HCPCS contractor layout"):
        read_contractor_file(_damaged(tmp_path, bad_record_id))


def test_a_continuation_line_out_of_place_names_the_line(tmp_path):
    def moved(lines):
        lines[2], lines[3] = lines[3], lines[2]   # A0426's continuation after A0427's start
    with pytest.raises(ReleaseFileError, match=r"line 4: a continuation line \(record id 4\) of "
                                               r"A0426 that does not follow its first line"):
        read_contractor_file(_damaged(tmp_path, moved))


def test_a_date_that_is_no_date_names_the_field_and_line(tmp_path):
    def bad_date(lines):
        lines[12] = columns(lines[12], 285, 292, "20181332")
    with pytest.raises(ReleaseFileError, match=r"line 13: the termination date of C8904 is "
                                               r"'20181332', not a YYYYMMDD date"):
        read_contractor_file(_damaged(tmp_path, bad_date))


def test_a_code_listed_twice_names_both_lines(tmp_path):
    def twice(lines):
        lines.insert(16, lines[0])
    with pytest.raises(ReleaseFileError, match=r"line 17: code A0425 listed twice \(first on "
                                               r"line 1\)"):
        read_contractor_file(_damaged(tmp_path, twice))


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "is empty"),
    (b"\x00\x01PK\x03\x04" * 100, "is binary"),
    (b"x" * 400 + b"\n", "the line is 400 characters long"),
])
def test_empty_binary_and_overlong_files_are_refused(tmp_path, content, reason):
    path = tmp_path / NAME_2019
    path.write_bytes(content)
    with pytest.raises(ReleaseFileError, match=reason):
        read_contractor_file(path)


# --------------------------------------------------------------------------- the spreadsheet


def test_the_spreadsheet_reads_as_the_text_file(release, tmp_path):
    path = write_xlsx(tmp_path / "HCPC2019_CONTR_ANWEB.xlsx", excerpt_lines(),
                      title_rows=["2019 Alpha-Numeric HCPCS File"])
    sheet = read_hcpcs_xlsx(path)
    assert sheet.kind == HCPCS_XLSX and sheet.effective == date(2019, 1, 1)
    assert set(sheet.entries) == set(release.entries)
    for key, entry in release.entries.items():
        read = sheet.entries[key]
        # the same fields; lines are the sheet's rows (one title row and the heading first)
        assert (read.long, read.short, read.pricing, read.cross_references, read.coverage,
                read.betos, read.types_of_service, read.added, read.action_effective,
                read.termination, read.action, read.asc_effective) == \
               (entry.long, entry.short, entry.pricing, entry.cross_references, entry.coverage,
                entry.betos, entry.types_of_service, entry.added, entry.action_effective,
                entry.termination, entry.action, entry.asc_effective)
        assert read.first_line == entry.first_line + 2


def test_a_spreadsheet_without_its_heading_row_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "HCPC2019_CONTR_ANWEB.xlsx", excerpt_lines()[:5],
                      headings=["CODE", "NUMBER", "TEXT"])
    with pytest.raises(ReleaseFileError, match="no heading row"):
        read_hcpcs_xlsx(path)


def test_a_spreadsheet_heading_without_the_dates_is_refused(tmp_path):
    headings = [h for h in XLSX_HEADINGS if h != "TERM DT"]
    path = write_xlsx(tmp_path / "HCPC2019_CONTR_ANWEB.xlsx", excerpt_lines()[:5],
                      headings=headings)
    with pytest.raises(ReleaseFileError, match="the heading row lacks termination"):
        read_hcpcs_xlsx(path)


def test_a_damaged_spreadsheet_is_refused(tmp_path):
    path = tmp_path / "HCPC2019_CONTR_ANWEB.xlsx"
    write_xlsx(path, excerpt_lines())
    path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ReleaseFileError, match="not a readable .xlsx spreadsheet"):
        read_hcpcs_xlsx(path)


def test_write_2019_uses_cms_name(tmp_path):
    assert read_contractor_file(write_2019(tmp_path)).name == NAME_2019
