"""Official HCPCS Level II release files -> one entry per procedure code and per modifier.

Two files of CMS's Alpha-Numeric HCPCS release are read, told apart by their content:

- the contractor file (`HCPC2019_CONTR_ANWEB.txt`): fixed width, 320 columns, Latin-1, laid
  out as `hcpcs_layout` transcribes CMS's record layout. A procedure record is a first line
  (record id 3, with the detail fields) and continuation lines (4) that carry the rest of its
  long description; a modifier record likewise (7, then 8);
- the spreadsheet of the same release (`HCPC2019_CONTR_ANWEB.xlsx`), one row per line of the
  contractor file, read by its heading row (HCPC, SEQNUM, RECID, LONG DESCRIPTION, ...).

A line or row that breaks the layout stops the read with an error naming the file and the
line (every such line of a text file, the first ten by number): a malformed release is never
half-loaded, since a release missing some of its codes would read as deleting them. The
release's date comes from its name (`HCPC2019...`: the 2019 annual release, effective
2019-01-01; a quarterly file named for April, July or October of a year: the 1st of that
month) or is given by the caller.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from assistant.corpus import hcpcs_layout as layout
from assistant.corpus.bad_lines import every_bad_line
from assistant.corpus.icd10cm_files import ReleaseFileError, read_text_release

__all__ = [
    "CONTRACTOR_TEXT",
    "HCPCS_XLSX",
    "HcpcsEntry",
    "HcpcsRelease",
    "hcpcs_date_from_name",
    "is_contractor_text",
    "read_contractor_file",
    "read_hcpcs_file",
    "read_hcpcs_xlsx",
]

CONTRACTOR_TEXT = "HCPCS contractor file"
HCPCS_XLSX = "HCPCS spreadsheet"

_PROCEDURE = re.compile(r"^[A-Z0-9]{5}$")
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")
_NAME_YEAR = re.compile(r"HCPC(?:S)?[_ -]?((?:19|20)\d\d)", re.IGNORECASE)
_NAME_MONTH = re.compile(r"(?<![A-Z])(JAN|APR|JUL|OCT)(?:UARY|IL|Y|OBER)?(?![A-Z])", re.IGNORECASE)
_MONTHS = {"JAN": 1, "APR": 4, "JUL": 7, "OCT": 10}
_MONTH_NAMES = {1: "January", 4: "April", 7: "July", 10: "October"}
# How many lines (or spreadsheet rows) are enough to tell a file's kind or find its heading.
_SNIFF_LINES = 20


@dataclass(frozen=True)
class HcpcsEntry:
    """One procedure code or modifier as one release lists it (its values as the file gives
    them: codes without meanings, dates as dates), and the lines it was read from."""

    code: str
    modifier: bool
    long: str
    short: str
    pricing: tuple[str, ...] = ()
    cross_references: tuple[str, ...] = ()
    coverage: str = ""
    asc_group: str = ""
    asc_effective: date | None = None
    betos: str = ""
    types_of_service: tuple[str, ...] = ()
    added: date | None = None
    action_effective: date | None = None
    termination: date | None = None
    action: str = ""
    first_line: int = 0
    last_line: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("asc_effective", "added", "action_effective", "termination"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HcpcsEntry:
        values = dict(data)
        for name in ("asc_effective", "added", "action_effective", "termination"):
            values[name] = date.fromisoformat(values[name]) if values.get(name) else None
        for name in ("pricing", "cross_references", "types_of_service"):
            values[name] = tuple(values.get(name, ()))
        return cls(**values)


@dataclass
class HcpcsRelease:
    """One release of HCPCS Level II as read from one file."""

    name: str        # the file's name, as citations give it
    kind: str        # CONTRACTOR_TEXT or HCPCS_XLSX
    effective: date
    sha256: str
    entries: dict[str, HcpcsEntry] = field(default_factory=dict)
    lines: int = 0   # lines (rows) read

    @property
    def label(self) -> str:
        """"HCPCS 2019 annual release" or "HCPCS April 2019 update"."""
        if self.effective.month == 1:
            return f"HCPCS {self.effective.year} annual release"
        month = _MONTH_NAMES.get(self.effective.month, self.effective.strftime("%B"))
        return f"HCPCS {month} {self.effective.year} update"

    def cite(self, entry: HcpcsEntry) -> str:
        if entry.first_line == entry.last_line:
            return f"{self.name}, line {entry.first_line}"
        return f"{self.name}, lines {entry.first_line}-{entry.last_line}"

    @property
    def codes(self) -> int:
        return sum(1 for e in self.entries.values() if not e.modifier)

    def stored(self) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
        """(header, rows) as the index stores a loaded release."""
        header = {"name": self.name, "kind": self.kind, "effective": self.effective.isoformat(),
                  "sha256": self.sha256, "lines": self.lines}
        return header, {key: entry.to_dict() for key, entry in self.entries.items()}

    @classmethod
    def from_stored(cls, header: dict[str, Any], rows: dict[str, dict[str, Any]]) -> HcpcsRelease:
        return cls(header["name"], header["kind"], date.fromisoformat(header["effective"]),
                   header["sha256"], {key: HcpcsEntry.from_dict(body) for key, body in rows.items()},
                   header.get("lines", 0))

    @property
    def modifiers(self) -> int:
        return sum(1 for e in self.entries.values() if e.modifier)


# --------------------------------------------------------------------------- kinds and dates


def hcpcs_date_from_name(name: str) -> date | None:
    """The date a release file takes effect, from its name: "HCPC2019_CONTR_ANWEB.txt" ->
    2019-01-01; a name that also names April, July or October -> the 1st of that month."""
    stem = Path(name).stem
    year = _NAME_YEAR.search(stem)
    if not year:
        return None
    month = _NAME_MONTH.search(stem[year.end():]) or _NAME_MONTH.search(stem[:year.start()])
    return date(int(year.group(1)), _MONTHS[month.group(1).upper()] if month else 1, 1)


def is_contractor_text(head: str) -> bool:
    """Whether the first lines of a file fit the contractor layout (most of them must)."""
    lines = [line.rstrip("\r") for line in head.split("\n")[:_SNIFF_LINES]]
    lines = [line for line in lines[:-1] if line.strip()] or [line for line in lines[:1]
                                                              if line.strip()]
    if not lines or _record_id(lines[0]) not in (layout.PROCEDURE_FIRST, layout.MODIFIER_FIRST):
        return False
    fits = [_looks_like_record(line) for line in lines]
    return sum(fits) * 2 > len(fits)


def _record_id(line: str) -> str:
    return layout.RECORD_ID.value(line) if len(line) >= layout.RECORD_ID.end else ""


def _looks_like_record(line: str) -> bool:
    if len(line) < layout.LONG_DESCRIPTION.start or len(line) > layout.RECORD_WIDTH:
        return False
    rid = _record_id(line)
    if rid not in layout.RECORD_IDS or not layout.SEQUENCE.value(line).isdigit():
        return False
    if rid in (layout.MODIFIER_FIRST, layout.MODIFIER_MORE):
        return line[:3] == "   " and bool(_MODIFIER.match(layout.MODIFIER.value(line)))
    return bool(_PROCEDURE.match(line[:5]))


def is_hcpcs_heading(cells: Iterable[object]) -> bool:
    names = {_heading_name(c) for c in cells}
    return {"HCPC", "LONG_DESCRIPTION"} <= names or {"HCPCS", "LONG_DESCRIPTION"} <= names


# --------------------------------------------------------------------------- reading


def read_hcpcs_file(path: Path, effective: date | None = None) -> HcpcsRelease:
    """Read a contractor text file or its spreadsheet (by its suffix)."""
    if path.suffix.lower() == ".xlsx":
        return read_hcpcs_xlsx(path, effective)
    return read_contractor_file(path, effective)


@dataclass(frozen=True)
class _Line:
    """One line (or spreadsheet row) of the release, its fields as written."""

    number: int
    code: str
    record_id: str
    sequence: str
    long: str
    short: str = ""
    pricing: tuple[str, ...] = ()
    cross_references: tuple[str, ...] = ()
    coverage: str = ""
    asc_group: str = ""
    asc_effective: str = ""
    betos: str = ""
    types_of_service: tuple[str, ...] = ()
    added: str = ""
    action_effective: str = ""
    termination: str = ""
    action: str = ""


def read_contractor_file(path: Path, effective: date | None = None) -> HcpcsRelease:
    raw = read_text_release(path, "the HCPCS contractor text file")
    when = _effective(path, effective)
    text = raw.decode("latin-1")  # the layout's encoding; every byte is a character
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    numbered = [(n, line.rstrip("\r")) for n, line in enumerate(lines, 1)]
    padded = any(len(line) == layout.RECORD_WIDTH for _, line in numbered[:_SNIFF_LINES])
    release = HcpcsRelease(path.name, CONTRACTOR_TEXT, when, hashlib.sha256(raw).hexdigest(),
                           lines=len(numbered))
    parsed: list[_Line] = []
    bad: list[ReleaseFileError] = []
    for number, line in numbered:
        if line.strip():
            try:
                parsed.append(_text_line(path, number, line, padded))
            except ReleaseFileError as error:
                bad.append(error)
    if bad:
        raise every_bad_line(path, bad)
    release.entries = _assemble(path, parsed)
    return release


def _text_line(path: Path, number: int, line: str, padded: bool) -> _Line:
    if len(line) > layout.RECORD_WIDTH:
        raise ReleaseFileError(path, f"the line is {len(line)} characters long; the layout's "
                                     f"records are {layout.RECORD_WIDTH}", number)
    if padded and len(line) < layout.RECORD_WIDTH:
        raise ReleaseFileError(path, f"the line is cut short: {len(line)} of the layout's "
                                     f"{layout.RECORD_WIDTH} columns", number)
    if not _looks_like_record(line):
        raise ReleaseFileError(path, "not in the HCPCS contractor layout (code in columns "
                                     "1-5, sequence number in 6-10, record id 3, 4, 7 or 8 "
                                     "in 11)", number)
    rid = _record_id(line)
    modifier = rid in (layout.MODIFIER_FIRST, layout.MODIFIER_MORE)
    code = layout.MODIFIER.value(line) if modifier else layout.CODE.value(line)
    base = _Line(number, code, rid, layout.SEQUENCE.value(line),
                 layout.LONG_DESCRIPTION.value(line))
    if rid in (layout.PROCEDURE_MORE, layout.MODIFIER_MORE):
        return base
    if len(line) < layout.LAST_DETAIL_COLUMN:
        raise ReleaseFileError(path, f"the first line of {code} is cut short before its "
                                     f"action code (column {layout.LAST_DETAIL_COLUMN})",
                               number)
    return _Line(
        number, code, rid, base.sequence, base.long,
        short=layout.SHORT_DESCRIPTION.value(line),
        pricing=_present(layout.PRICING_INDICATOR.values(line)),
        cross_references=_present(layout.CROSS_REFERENCE.values(line)),
        coverage=layout.COVERAGE.value(line),
        asc_group=layout.ASC_GROUP.value(line),
        asc_effective=layout.ASC_EFFECTIVE.value(line),
        betos=layout.BETOS.value(line),
        types_of_service=_present(layout.TYPE_OF_SERVICE.values(line)),
        added=layout.ADDED_DATE.value(line),
        action_effective=layout.ACTION_EFFECTIVE.value(line),
        termination=layout.TERMINATION_DATE.value(line),
        action=layout.ACTION_CODE.value(line),
    )


def _present(values: list[str]) -> tuple[str, ...]:
    return tuple(v for v in values if v)


def _assemble(path: Path, lines: Iterable[_Line]) -> dict[str, HcpcsEntry]:
    """Join each first line with its continuation lines into one entry per code/modifier."""
    entries: dict[str, HcpcsEntry] = {}
    current: _Line | None = None
    more: list[_Line] = []
    for line in lines:
        if line.record_id in (layout.PROCEDURE_FIRST, layout.MODIFIER_FIRST):
            if current is not None:
                _add_entry(path, entries, current, more)
            current, more = line, []
            continue
        first = (layout.PROCEDURE_FIRST if line.record_id == layout.PROCEDURE_MORE
                 else layout.MODIFIER_FIRST)
        if current is None or current.code != line.code or current.record_id != first:
            raise ReleaseFileError(
                path, f"a continuation line (record id {line.record_id}) of {line.code} that "
                      f"does not follow its first line (record id {first})", line.number)
        more.append(line)
    if current is not None:
        _add_entry(path, entries, current, more)
    if not entries:
        raise ReleaseFileError(path, "holds no procedure or modifier records")
    return entries


def _add_entry(path: Path, entries: dict[str, HcpcsEntry], first: _Line,
               more: list[_Line]) -> None:
    modifier = first.record_id == layout.MODIFIER_FIRST
    key = first.code
    if key in entries:
        raise ReleaseFileError(path, f"{'modifier' if modifier else 'code'} {key} listed "
                                     f"twice (first on line {entries[key].first_line})",
                               first.number)
    if not first.action:
        raise ReleaseFileError(path, f"{key} has no action code (column "
                                     f"{layout.ACTION_CODE.start})", first.number)
    long = " ".join(part for part in [first.long] + [m.long for m in more] if part)
    entries[key] = HcpcsEntry(
        code=key,
        modifier=modifier,
        long=" ".join(long.split()),
        short=first.short,
        pricing=first.pricing,
        cross_references=first.cross_references,
        coverage=first.coverage,
        asc_group=first.asc_group,
        asc_effective=_date(path, first, "ASC payment group effective date",
                            first.asc_effective),
        betos=first.betos,
        types_of_service=first.types_of_service,
        added=_date(path, first, "added date", first.added),
        action_effective=_date(path, first, "action effective date", first.action_effective),
        termination=_date(path, first, "termination date", first.termination),
        action=first.action,
        first_line=first.number,
        last_line=more[-1].number if more else first.number,
    )


def _date(path: Path, line: _Line, name: str, value: str) -> date | None:
    """A YYYYMMDD date of the layout; blank means none."""
    if not value:
        return None
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise ReleaseFileError(path, f"the {name} of {line.code} is {value!r}, not a YYYYMMDD "
                                     f"date", line.number) from None


def _effective(path: Path, effective: date | None) -> date:
    when = effective or hcpcs_date_from_name(path.name)
    if when is None:
        raise ReleaseFileError(path, "cannot tell which year's release it is: keep CMS's name "
                                     "(HCPC2019_CONTR_ANWEB.txt) or pass --effective "
                                     "YYYY-MM-DD")
    return when


# --------------------------------------------------------------------------- the spreadsheet

# Heading (normalised: upper case, runs of other characters as "_") -> the line's field.
_HEADINGS = {
    "HCPC": "code", "HCPCS": "code", "SEQNUM": "sequence", "SEQ_NUM": "sequence",
    "RECID": "record_id", "REC_ID": "record_id", "LONG_DESCRIPTION": "long",
    "SHORT_DESCRIPTION": "short", "COV": "coverage", "COV_CODE": "coverage",
    "ASC_GRP": "asc_group", "ASC_GPCD": "asc_group", "ASC_DT": "asc_effective",
    "ASC_EFF_DT": "asc_effective", "BETOS": "betos", "ADD_DT": "added", "ADD_DATE": "added",
    "ACT_EFF_DT": "action_effective", "TERM_DT": "termination", "ACTION_CD": "action",
    "ACTION_CODE": "action",
}
_REPEATED = {"PRICE": "pricing", "PRICE_CD": "pricing", "XREF": "cross_references",
             "TOS": "types_of_service"}
_REQUIRED = ("code", "record_id", "long", "added", "action_effective", "termination", "action")


def _heading_name(cell: object) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", str(cell or "").upper()).strip("_")


def read_hcpcs_xlsx(path: Path, effective: date | None = None) -> HcpcsRelease:
    from openpyxl import load_workbook  # only a spreadsheet needs it

    raw = _read_bytes_any(path)
    when = _effective(path, effective)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ReleaseFileError(path, f"not a readable .xlsx spreadsheet ({error})") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        release = HcpcsRelease(path.name, HCPCS_XLSX, when, hashlib.sha256(raw).hexdigest())
        release.entries = _assemble(path, _spreadsheet_lines(path, rows, release))
        return release
    finally:
        book.close()


def _spreadsheet_lines(path: Path, rows: Iterator[tuple[object, ...]],
                       release: HcpcsRelease) -> Iterator[_Line]:
    columns: dict[str, list[int]] | None = None
    for number, row in enumerate(rows, 1):
        release.lines = number
        if columns is None:
            if is_hcpcs_heading(row):
                columns = _columns(path, row, number)
            elif number >= _SNIFF_LINES:
                raise ReleaseFileError(path, "no heading row (HCPC, RECID, LONG DESCRIPTION, "
                                             f"...) in its first {_SNIFF_LINES} rows")
            continue
        cells = [_cell_text(value) for value in row]
        if not any(cells):
            continue
        yield _row_line(path, number, cells, columns)
    if columns is None:
        raise ReleaseFileError(path, "no heading row (HCPC, RECID, LONG DESCRIPTION, ...)")


def _columns(path: Path, heading: tuple[object, ...], number: int) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for index, cell in enumerate(heading):
        name = _heading_name(cell)
        target = _HEADINGS.get(name)
        repeated = re.match(r"^([A-Z_]+?)_?(\d)$", name)
        if target is None and repeated:
            target = _REPEATED.get(repeated.group(1))
        if target is not None:
            columns.setdefault(target, []).append(index)
    missing = [name for name in _REQUIRED if name not in columns]
    if missing:
        raise ReleaseFileError(path, f"the heading row lacks {', '.join(missing)}", number)
    return columns


def _row_line(path: Path, number: int, cells: list[str],
              columns: dict[str, list[int]]) -> _Line:
    def one(name: str) -> str:
        indexes = columns.get(name, [])
        return cells[indexes[0]] if indexes and indexes[0] < len(cells) else ""

    def many(name: str) -> tuple[str, ...]:
        return tuple(cells[i] for i in columns.get(name, []) if i < len(cells) and cells[i])

    code = one("code").upper()
    record_id = one("record_id")
    modifier = record_id in (layout.MODIFIER_FIRST, layout.MODIFIER_MORE)
    if record_id not in layout.RECORD_IDS or not (_MODIFIER if modifier else _PROCEDURE).match(code):
        raise ReleaseFileError(path, f"row with HCPC {code!r} and RECID {record_id!r}: not a "
                                     "procedure (3, 4) or modifier (7, 8) row", number)
    first = record_id in (layout.PROCEDURE_FIRST, layout.MODIFIER_FIRST)
    return _Line(
        number, code, record_id, one("sequence"), one("long"),
        short=one("short") if first else "",
        # A spreadsheet may hold the two-digit indicator "00" as the number 0.
        pricing=tuple(v.zfill(2) for v in many("pricing")) if first else (),
        cross_references=many("cross_references") if first else (),
        coverage=one("coverage") if first else "",
        asc_group=one("asc_group") if first else "",
        asc_effective=one("asc_effective") if first else "",
        betos=one("betos") if first else "",
        types_of_service=many("types_of_service") if first else (),
        added=one("added") if first else "",
        action_effective=one("action_effective") if first else "",
        termination=one("termination") if first else "",
        action=one("action") if first else "",
    )


def _cell_text(value: object) -> str:
    """A cell as the text file would have it: dates as YYYYMMDD, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_bytes_any(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReleaseFileError(path, f"cannot be read ({error.strerror or error})") from None
    if not raw:
        raise ReleaseFileError(path, "is empty")
    return raw
