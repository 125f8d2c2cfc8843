"""Reading official ICD-10-CM release files: layouts, dates from names, errors with lines."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.icd10cm_files import (CODE_LIST, ORDER, ReleaseFileError,
                                            effective_from_name, file_kind, read_code_list,
                                            read_order_file)

# Lines in the official layout, from the FY2026 order file.
ORDER_LINES = [
    "00001 A00     0 Cholera                                                      Cholera",
    "00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           "
    "Cholera due to Vibrio cholerae 01, biovar cholerae",
    "00003 A001    1 Cholera due to Vibrio cholerae 01, biovar eltor              "
    "Cholera due to Vibrio cholerae 01, biovar eltor",
    "00004 A009    1 Cholera, unspecified                                         "
    "Cholera, unspecified",
]


@pytest.mark.parametrize(("name", "when"), [
    ("icd10cm_order_2027.txt", date(2026, 10, 1)),
    ("icd10cm-order-2027.txt", date(2026, 10, 1)),
    ("icd10cm-order-April-2027.txt", date(2027, 4, 1)),
    ("icd10cm-order-Jan-2021.txt", date(2021, 1, 1)),
    ("code-list-April-2025.txt", date(2025, 4, 1)),
    ("release.txt", None),
])
def test_effective_date_from_the_name(name, when):
    assert effective_from_name(name) == when


def test_an_order_file_is_read_by_its_columns(tmp_path):
    path = tmp_path / "whatever.txt"
    path.write_bytes(("\r\n".join(ORDER_LINES) + "\r\n").encode("ascii"))
    assert file_kind(path) == ORDER
    release = read_order_file(path)
    assert [(c.code, c.billable, c.line) for c in release.codes.values()] == [
        ("A00", False, 1), ("A000", True, 2), ("A001", True, 3), ("A009", True, 4)]
    assert release.codes["A000"].title == "Cholera due to Vibrio cholerae 01, biovar cholerae"
    assert release.cite("A001") == "whatever.txt, line 3"


@pytest.mark.parametrize(("line", "why"), [
    ("00003 A001    2 Cholera due to Vibrio", "order-file layout"),
    ("0003 A001    1 Cholera", "order-file layout"),
    ("00003 A000    1 Cholera again                                                Cholera",
     "listed twice"),
])
def test_a_malformed_line_is_named(tmp_path, line, why):
    path = tmp_path / "icd10cm_order_2027.txt"
    path.write_text("\n".join(ORDER_LINES[:2] + [line] + ORDER_LINES[3:]), encoding="ascii")
    with pytest.raises(ReleaseFileError, match=why) as error:
        read_order_file(path)
    assert "icd10cm_order_2027.txt, line 3" in str(error.value)


def test_a_billable_code_with_codes_under_it_is_refused(tmp_path):
    path = tmp_path / "icd10cm_order_2027.txt"
    lines = list(ORDER_LINES)
    lines[0] = lines[0][:14] + "1" + lines[0][15:]
    path.write_text("\n".join(lines), encoding="ascii")
    with pytest.raises(ReleaseFileError, match="A00 is marked billable") as error:
        read_order_file(path)
    assert error.value.line == 1


def test_empty_and_binary_files_are_refused(tmp_path):
    empty = tmp_path / "icd10cm_order_2027.txt"
    empty.write_text("")
    with pytest.raises(ReleaseFileError, match="empty"):
        read_order_file(empty)
    binary = tmp_path / "icd10cm_order_2028.txt"
    binary.write_bytes(b"\x00\x01" * 100)
    with pytest.raises(ReleaseFileError, match="binary"):
        read_order_file(binary)


def test_a_code_list_is_billable_by_its_hierarchy(tmp_path):
    path = tmp_path / "code-list-April-2027.txt"
    path.write_text("1\r\nA00-A09\r\nA00\r\nA000\r\nA001\r\nA009\r\nB10\r\nB10\r\n")
    assert file_kind(path) == CODE_LIST
    release = read_code_list(path, {"A000": "Cholera due to Vibrio cholerae 01, biovar cholerae"})
    assert {c: e.billable for c, e in release.codes.items()} == {
        "A00": False, "A000": True, "A001": True, "A009": True, "B10": True}
    assert release.codes["A000"].title.startswith("Cholera due to")
    bad = tmp_path / "code-list-April-2028.txt"
    bad.write_text("A00\r\nA000\r\nnot a code\r\n")
    with pytest.raises(ReleaseFileError, match="line 3"):
        read_code_list(bad)
