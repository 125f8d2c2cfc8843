"""Official-layout HCPCS Level II files for tests, written from the real 2019 excerpt
(`tests/fixtures/hcpcs-2019-contractor-excerpt.txt`, see its README). No code or description is
made up:

- the excerpt under CMS's file name, and as the release's spreadsheet (one row per line of the
  text file, under the heading names of CMS's HCPCyyyy_CONTR_ANWEB.xlsx);
- a 2018 release derived from it: the four codes the 2019 file discontinues on 2018-12-31 listed
  in use, as the 2019 file's dates say they were during 2018. The 2018 file's own action fields
  are not at hand: those four get action code N with their added date as action effective
  date, and C9015 and C9016 (added 2018-01-01) action A;
- a 2020 release derived from it: the 2019 lines less those four codes (a release after the
  year of a code's discontinuation no longer lists it);
- damaged copies, for the errors.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
EXCERPT = FIXTURES / "hcpcs-2019-contractor-excerpt.txt"
# Discontinued by the 2019 release: termination date 2018-12-31, action D.
DISCONTINUED = ("C8904", "C8907", "C9015", "C9016")
ADDED_2018 = ("C9015", "C9016")
NAME_2019 = "HCPC2019_CONTR_ANWEB.txt"


def excerpt_lines() -> list[str]:
    return EXCERPT.read_text(encoding="latin-1").split("\n")[:-1]


def write_lines(path: Path, lines: list[str], newline: str = "\n") -> Path:
    path.write_bytes(newline.join(lines).encode("latin-1") + newline.encode())
    return path


def write_2019(folder: Path, name: str = NAME_2019) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_lines(folder / name, excerpt_lines())


def columns(line: str, start: int, end: int, value: str) -> str:
    """The line with columns start..end (1-based, as the layout numbers them) set to value."""
    width = end - start + 1
    return line[:start - 1] + value.ljust(width)[:width] + line[end:]


def write_2018(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for line in excerpt_lines():
        if line[:5] in DISCONTINUED and line[10] == "3":
            added = line[268:276]
            line = columns(line, 285, 292, "")                      # no termination date
            line = columns(line, 277, 284, added)                   # action effective date
            line = columns(line, 293, 293, "A" if line[:5] in ADDED_2018 else "N")
        lines.append(line)
    return write_lines(folder / "HCPC2018_CONTR_ANWEB.txt", lines)


def write_2020(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [line for line in excerpt_lines() if line[:5] not in DISCONTINUED]
    return write_lines(folder / "HCPC2020_CONTR_ANWEB.txt", lines)


# The spreadsheet's heading names, one column per field of the contractor layout.
XLSX_HEADINGS = (["HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION"]
                 + [f"PRICE{i}" for i in range(1, 5)] + ["MULT_PI"]
                 + [f"CIM{i}" for i in range(1, 4)] + [f"MCM{i}" for i in range(1, 4)]
                 + ["STATUTE"] + [f"LABCERT{i}" for i in range(1, 9)]
                 + [f"XREF{i}" for i in range(1, 6)]
                 + ["COV", "ASC_GRP", "ASC_DT", "OPPS", "OPPS_PI", "OPPS_DT", "PROCNOTE", "BETOS"]
                 + [f"TOS{i}" for i in range(1, 6)]
                 + ["ANEST_BU", "ADD DT", "ACT EFF DT", "TERM DT", "ACTION CD"])
# (start, length, occurs) of each heading's field in the text line, in heading order.
_FIELDS = ([(1, 5, 1), (6, 5, 1), (11, 1, 1), (12, 80, 1), (92, 28, 1), (120, 2, 4),
            (128, 1, 1), (129, 6, 3), (147, 8, 3), (171, 10, 1), (181, 3, 8), (205, 5, 5),
            (230, 1, 1), (231, 2, 1), (233, 8, 1), (241, 3, 1), (244, 1, 1), (245, 8, 1),
            (253, 4, 1), (257, 3, 1), (261, 1, 5), (266, 3, 1), (269, 8, 1), (277, 8, 1),
            (285, 8, 1), (293, 1, 1)])


def xlsx_row(line: str) -> list[object]:
    """A text line as the spreadsheet's row: each field's text, dates and numbers as numbers."""
    cells: list[object] = []
    for start, length, occurs in _FIELDS:
        for index in range(occurs):
            begin = start - 1 + index * length
            text = line[begin:begin + length].strip()
            cells.append(int(text) if text.isdigit() and length == 8 else text or None)
    return cells


def write_xlsx(path: Path, lines: list[str], title_rows: list[str] = (),
               headings: list[str] | None = None) -> Path:
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    for title in title_rows:
        sheet.append([title])
    sheet.append(list(headings if headings is not None else XLSX_HEADINGS))
    for line in lines:
        sheet.append(xlsx_row(line))
    book.save(path)
    return path
