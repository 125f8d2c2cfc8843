"""CMS's HCPCS Level II and physician fee schedule files: which file a path is, and reading
each good one (a bad one is named with its reason and skipped whole).

A file is told by its content: the contractor file's 320-column lines, a spreadsheet whose
heading row names HCPC and LONG DESCRIPTION, a CSV whose heading row names HCPCS and MOD. A
file that fails those checks but carries CMS's name for one of them (`HCPC2019_CONTR_ANWEB.txt`,
`PPRRVU25_JAN.csv`) is read as that kind anyway, so that its damage is reported, line and all.
Files CMS ships beside them that the assistant does not read (the fee schedule's GPCI, LOCCO,
ANES and OPPSCAP files, the .txt and .xlsx copies of the relative value file, documentation)
are named as skipped, not as errors. One release given twice (the contractor text and its
spreadsheet) is read once, from the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from assistant.corpus.hcpcs_files import (CONTRACTOR_TEXT, HCPCS_XLSX, HcpcsRelease,
                                          hcpcs_date_from_name, is_contractor_text,
                                          is_hcpcs_heading, read_hcpcs_file)
from assistant.corpus.icd10cm_files import ReleaseFileError
from assistant.corpus.mpfs_files import (FEE_SCHEDULE_CSV, FeeScheduleFile, fee_date_from_name,
                                         is_fee_schedule_csv, read_fee_schedule)

__all__ = ["CONTRACTOR_TEXT", "FEE_SCHEDULE_CSV", "HCPCS_XLSX", "companion", "load_fee_schedules",
           "load_hcpcs_releases", "official_kind"]

_HCPCS_NAME = re.compile(r"HCPC\d{4}.*ANWEB", re.IGNORECASE)
_FEE_NAME = re.compile(r"^PPRRVU", re.IGNORECASE)
# CMS files shipped in the same zips that the assistant does not read.
_COMPANIONS = re.compile(r"^(GPCI|LOCCO|ANES|OPPSCAP|RVUPUF|PPRRVU|PFREV|.*record[ _-]?layout|"
                         r"readme)", re.IGNORECASE)
_SNIFF_BYTES = 8192
_XLSX_SNIFF_ROWS = 20


def official_kind(path: Path) -> str | None:
    """CONTRACTOR_TEXT, HCPCS_XLSX or FEE_SCHEDULE_CSV by content, else by CMS's file name."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        if _xlsx_has_hcpcs_heading(path) or _HCPCS_NAME.search(path.name):
            return HCPCS_XLSX
        return None
    head = _head(path)
    if suffix == ".csv":
        if is_fee_schedule_csv(head) or _FEE_NAME.match(path.name):
            return FEE_SCHEDULE_CSV
        return None
    if suffix in (".txt", ""):
        if is_contractor_text(head) or _HCPCS_NAME.search(path.name):
            return CONTRACTOR_TEXT
    return None


def companion(path: Path) -> bool:
    """A file CMS ships beside the releases that the assistant does not read."""
    return bool(_COMPANIONS.match(path.name)) or path.suffix.lower() in (".pdf", ".doc", ".docx")


def _head(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES).decode("latin-1")
    except OSError:
        return ""


def _xlsx_has_hcpcs_heading(path: Path) -> bool:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a readable spreadsheet: not this kind
        return False
    try:
        rows = book.worksheets[0].iter_rows(max_row=_XLSX_SNIFF_ROWS, values_only=True)
        return any(is_hcpcs_heading(row) for row in rows)
    finally:
        book.close()


# --------------------------------------------------------------------------- reading


def load_hcpcs_releases(paths: list[Path], effective: date | None, errors: list[str],
                        said: Callable[[str], None]) -> list[HcpcsRelease]:
    """Every good HCPCS file as a release (the text of a release before its spreadsheet); each
    bad one is added to `errors`; `said` gets one line per file."""
    releases: list[HcpcsRelease] = []
    ordered = sorted(paths, key=lambda p: (p.suffix.lower() == ".xlsx", p.name))
    for path in ordered:
        when = effective or hcpcs_date_from_name(path.name)
        same = next((r for r in releases if when is not None and r.effective == when), None)
        if same is not None:
            said(f"{path.name}: the same release as {same.name} ({same.label}), read from it")
            continue
        try:
            release = read_hcpcs_file(path, effective)
        except ReleaseFileError as error:
            errors.append(str(error))
            continue
        releases.append(release)
        said(f"{path.name}: {release.label}: {release.codes:,} codes and {release.modifiers:,} "
             f"modifiers ({release.lines:,} lines)")
    return releases


def load_fee_schedules(paths: list[Path], effective: date | None, errors: list[str],
                       said: Callable[[str], None]) -> list[FeeScheduleFile]:
    """Every good relative value file; each bad one is added to `errors`; one line per file."""
    files: list[FeeScheduleFile] = []
    for path in sorted(paths, key=lambda p: p.name):
        when = effective or fee_date_from_name(path.name)
        same = next((f for f in files if when is not None and f.effective == when), None)
        if same is not None:
            said(f"{path.name}: the same quarter as {same.name} ({same.label}), read from it")
            continue
        try:
            schedule = read_fee_schedule(path, effective)
        except ReleaseFileError as error:
            errors.append(str(error))
            continue
        files.append(schedule)
        said(f"{path.name}: {schedule.label}: {schedule.codes:,} codes ({len(schedule.rows):,} "
             f"rows with their modifiers)")
    return files
