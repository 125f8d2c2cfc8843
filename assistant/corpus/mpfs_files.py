"""The physician fee schedule relative value file (`PPRRVU25_JAN.csv`) -> one row per code and
modifier.

CMS publishes it each quarter (`RVU25A` ... `RVU25D`, zipped). Its first lines are a title and
copyright lines; then a heading row (CMS writes some headings over two rows: "GLOB" above
"DAYS"), then one row per HCPCS/CPT code and modifier. Columns are found by their heading
names, never by position: CMS has moved columns between years. The columns read are those of
the seed page's structured record: HCPCS, MOD, DESCRIPTION, STATUS CODE, PCTC IND, GLOB DAYS,
MULT PROC, BILAT SURG, ASST SURG, CO SURG and TEAM SURG.

A row that breaks the layout (a code that is no code, a row cut short) stops the read with an
error naming the file and every such line: a malformed file is never half-loaded. The file's year and
quarter come from its name (`PPRRVU25_JAN.csv`, `PPRRVU2026_Apr_nonQPP.csv`), else from its
title line ("2025 National Physician Fee Schedule Relative Value File January Release"), else
from the caller.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from assistant.corpus.bad_lines import every_bad_line
from assistant.corpus.icd10cm_files import ReleaseFileError, read_text_release

__all__ = ["FeeRow", "FeeScheduleFile", "fee_date_from_name", "is_fee_schedule_csv",
           "read_fee_schedule"]

FEE_SCHEDULE_CSV = "physician fee schedule relative value file"

# The row's fields -> the heading names CMS has used for them (upper case, single spaces; a
# heading written over two rows is read as its two parts joined).
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("HCPCS", "HCPCS CODE"),
    "modifier": ("MOD", "MODIFIER"),
    "description": ("DESCRIPTION",),
    "status": ("STATUS CODE", "STATUS"),
    "pctc": ("PCTC IND", "PCTC", "PC/TC IND"),
    "global_days": ("GLOB DAYS", "GLOBAL DAYS", "GLOB"),
    "multiple": ("MULT PROC", "MULT"),
    "bilateral": ("BILAT SURG", "BILAT"),
    "assistant": ("ASST SURG", "ASST"),
    "co_surgeons": ("CO SURG",),
    "team": ("TEAM SURG",),
}
_CODE = re.compile(r"^[A-Z0-9]{5}$")
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
_NAME = re.compile(r"PPRRVU(\d{4}|\d{2})[_ -]?(JAN|APR|JUL|OCT)", re.IGNORECASE)
_ZIP_NAME = re.compile(r"RVU(\d{2})([ABCD])", re.IGNORECASE)
_TITLE = re.compile(r"((?:19|20)\d\d)\b.*?\b(January|April|July|October)\b", re.IGNORECASE)
_MONTHS = {"JAN": 1, "APR": 4, "JUL": 7, "OCT": 10, "JANUARY": 1, "APRIL": 4, "JULY": 7,
           "OCTOBER": 10}
_ZIP_QUARTERS = {"A": 1, "B": 4, "C": 7, "D": 10}
# Lines read to find the heading row (the title and copyright lines come first).
_HEADING_WITHIN = 40


@dataclass(frozen=True)
class FeeRow:
    """One row of the file: a code, or a code with a modifier (26, TC, 53...)."""

    code: str
    modifier: str
    description: str
    status: str
    pctc: str
    global_days: str
    multiple: str
    bilateral: str
    assistant: str
    co_surgeons: str
    team: str
    line: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeeRow:
        return cls(**data)


@dataclass
class FeeScheduleFile:
    """One quarter's relative value file as read: its rows keyed "code|modifier"."""

    name: str
    effective: date
    sha256: str
    rows: dict[str, FeeRow] = field(default_factory=dict)
    # The title and copyright lines above the heading, as the file gives them.
    preamble: list[str] = field(default_factory=list)
    lines: int = 0

    @property
    def quarter(self) -> int:
        return (self.effective.month - 1) // 3 + 1

    @property
    def label(self) -> str:
        """"physician fee schedule 2025 Q1"."""
        return f"physician fee schedule {self.effective.year} Q{self.quarter}"

    def cite(self, row: FeeRow) -> str:
        return f"{self.name}, line {row.line}"

    @property
    def codes(self) -> int:
        return len({row.code for row in self.rows.values()})

    def stored(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """(header, rows) as the index stores a loaded file."""
        header = {"name": self.name, "effective": self.effective.isoformat(),
                  "sha256": self.sha256, "preamble": self.preamble, "lines": self.lines}
        return header, {key: row.to_dict() for key, row in self.rows.items()}

    @classmethod
    def from_stored(cls, header: dict[str, Any],
                    rows: dict[str, dict[str, Any]]) -> FeeScheduleFile:
        return cls(header["name"], date.fromisoformat(header["effective"]), header["sha256"],
                   {key: FeeRow.from_dict(body) for key, body in rows.items()},
                   list(header.get("preamble", [])), header.get("lines", 0))


def row_key(code: str, modifier: str) -> str:
    return f"{code}|{modifier}"


# --------------------------------------------------------------------------- kinds and dates


def fee_date_from_name(name: str) -> date | None:
    """"PPRRVU25_JAN.csv" -> 2025-01-01; "PPRRVU2026_Apr_nonQPP.csv" -> 2026-04-01; a file in
    CMS's zip "RVU25C" -> 2025-07-01."""
    match = _NAME.search(name)
    if match:
        year = int(match.group(1))
        return date(year + 2000 if year < 100 else year, _MONTHS[match.group(2).upper()], 1)
    match = _ZIP_NAME.search(name)
    if match:
        return date(2000 + int(match.group(1)), _ZIP_QUARTERS[match.group(2).upper()], 1)
    return None


def is_fee_schedule_csv(head: str) -> bool:
    """Whether the first lines of a file hold the relative value file's heading row."""
    rows = _rows(head.split("\n")[:_HEADING_WITHIN])
    return _heading_at(rows) is not None


def _rows(lines: list[str]) -> list[list[str]]:
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(lines)]
    except csv.Error:
        return []


def _heading_at(rows: list[list[str]]) -> int | None:
    """The index of the row that names the code and modifier columns."""
    for index, row in enumerate(rows[:_HEADING_WITHIN]):
        names = {cell.upper() for cell in row}
        if "HCPCS" in names and ("MOD" in names or "MODIFIER" in names):
            return index
    return None


# --------------------------------------------------------------------------- reading


def read_fee_schedule(path: Path, effective: date | None = None) -> FeeScheduleFile:
    raw = read_text_release(path, "the relative value file's CSV")
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    head: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            head.append((reader.line_num, [cell.strip() for cell in row]))
            if len(head) >= _HEADING_WITHIN:
                break
        at = _heading_at([cells for _, cells in head])
        if at is None:
            raise ReleaseFileError(path, "no heading row naming HCPCS and MOD in its first "
                                         f"{_HEADING_WITHIN} lines: not the relative value "
                                         "file's CSV")
        names, data_from = _heading(head, at)
        columns = _columns(path, names, head[at][0])
        when = effective or fee_date_from_name(path.name) or _date_from_title(head[:at])
        if when is None:
            raise ReleaseFileError(path, "cannot tell which quarter's file it is: keep CMS's "
                                         "name (PPRRVU25_JAN.csv) or pass --effective "
                                         "YYYY-MM-DD")
        schedule = FeeScheduleFile(path.name, when, hashlib.sha256(raw).hexdigest(),
                                   preamble=_preamble(head[:at]))
        bad: list[ReleaseFileError] = []
        for number, cells in head[data_from:]:
            _add_checked(path, schedule, number, cells, columns, bad)
        for row in reader:
            _add_checked(path, schedule, reader.line_num, [cell.strip() for cell in row],
                         columns, bad)
    except csv.Error as error:
        raise ReleaseFileError(path, f"not readable as CSV ({error})", reader.line_num) from None
    if bad:
        raise every_bad_line(path, bad)
    schedule.lines = reader.line_num
    if not schedule.rows:
        raise ReleaseFileError(path, "holds no code rows below its heading row")
    return schedule


def _heading(head: list[tuple[int, list[str]]], at: int) -> tuple[list[str], int]:
    """The column names (a heading written over two rows joined) and where the data starts."""
    names = head[at][1]
    code_at = [n.upper() for n in names].index("HCPCS")
    below = head[at + 1][1] if at + 1 < len(head) else []
    above = head[at - 1][1] if at > 0 else []
    if _is_heading_part(below, code_at):
        return _joined(names, below), at + 2
    if _is_heading_part(above, code_at):
        return _joined(above, names), at + 1
    return [" ".join(n.upper().split()) for n in names], at + 1


def _is_heading_part(cells: list[str], code_at: int) -> bool:
    """A row of heading words: several cells, and no code under the HCPCS heading (wherever
    that column is: a data row always has one there)."""
    filled = [c for c in cells if c]
    code = cells[code_at].upper() if code_at < len(cells) else ""
    return len(filled) >= 3 and not _CODE.match(code)


def _joined(upper: list[str], lower: list[str]) -> list[str]:
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    return [" ".join(f"{a} {b}".upper().split()) for a, b in zip(upper, lower)]


def _columns(path: Path, names: list[str], line: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for index, heading in enumerate(names):
            if heading in aliases:
                found[name] = index
                break
    missing = [COLUMNS[name][0] for name in COLUMNS if name not in found]
    if missing:
        raise ReleaseFileError(path, f"the heading row lacks {', '.join(missing)}", line)
    return found


def _add_checked(path: Path, schedule: FeeScheduleFile, number: int, cells: list[str],
                 columns: dict[str, int], bad: list[ReleaseFileError]) -> None:
    """Add the row, or collect why it breaks the layout (every bad row is named)."""
    try:
        _add_row(path, schedule, number, cells, columns)
    except ReleaseFileError as error:
        bad.append(error)


def _add_row(path: Path, schedule: FeeScheduleFile, number: int, cells: list[str],
             columns: dict[str, int]) -> None:
    if not any(cells):
        return
    needed = max(columns.values()) + 1
    if len(cells) < needed:
        raise ReleaseFileError(path, f"the row has {len(cells)} of the heading's {needed} "
                                     "columns read: cut short or damaged", number)
    values = {name: cells[index] for name, index in columns.items()}
    code, modifier = values["code"].upper(), values["modifier"].upper()
    if not _CODE.match(code):
        raise ReleaseFileError(path, f"{values['code'][:20]!r} in the HCPCS column is not a "
                                     "code", number)
    if modifier and not _MODIFIER.match(modifier):
        raise ReleaseFileError(path, f"{values['modifier'][:20]!r} in the MOD column is not a "
                                     "modifier", number)
    if len(values["status"]) != 1:
        raise ReleaseFileError(path, f"the status code of {code} is {values['status']!r}, not "
                                     "one letter", number)
    key = row_key(code, modifier)
    if key in schedule.rows:
        raise ReleaseFileError(path, f"{code}{' ' + modifier if modifier else ''} listed twice "
                                     f"(first on line {schedule.rows[key].line})", number)
    schedule.rows[key] = FeeRow(
        code=code, modifier=modifier, description=values["description"],
        status=values["status"].upper(), pctc=values["pctc"],
        global_days=values["global_days"].upper(), multiple=values["multiple"],
        bilateral=values["bilateral"], assistant=values["assistant"],
        co_surgeons=values["co_surgeons"], team=values["team"], line=number)


def _preamble(head: list[tuple[int, list[str]]]) -> list[str]:
    return [" ".join(cell for cell in cells if cell) for _, cells in head if any(cells)]


def _date_from_title(head: list[tuple[int, list[str]]]) -> date | None:
    for _, cells in head:
        match = _TITLE.search(" ".join(cells))
        if match:
            return date(int(match.group(1)), _MONTHS[match.group(2).upper()], 1)
    return None


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
