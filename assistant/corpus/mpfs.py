"""Physician fee schedule records: one per code, from every relative value file a team loaded.

A record holds the code's row without a modifier as the newest loaded file lists it, under the
seed page's field names with "value - meaning" texts ("Global Days": "XXX - Global Concept Does
Not Apply"), and each modifier row (26, TC, 53...) as one more field ("With modifier 26") that
names what differs from the code's own row. Every field cites the file and line it was read
from. The meanings are those of the file's documentation as `../shared/cms/README.md`
paraphrases them; where the seed page (corpus/pages/77418.txt) words a value, its wording is
kept.

Its dated history, from every loaded file in date order (whatever order they were loaded in):

- status code D, F or H (deleted) in a file: ``deleted`` on that file's date;
- listed in one file and absent from the next loaded one: ``deleted`` on the next one's date;
- absent from (or deleted in) a loaded file and listed in use in a later one: ``added`` on the
  later one's date.

Where a year began between the two files and its January file is not loaded, such a change
took effect on a date from that January 1 to the later file's date (the event's `earliest`).
Quarters between two loaded files are not covered: answers about them say so (the horizon).

Status codes I and G (not valid for Medicare: another code is used) are no deletion: the code
stays in the code set, and answers say what the file says. A code that no other source describes
becomes a record of its own; for a code a page or an HCPCS release describes, this record is kept
apart and merged into the answer, each field citing its own file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from assistant.corpus.mpfs_files import FeeRow, FeeScheduleFile
from assistant.records import CodeRecord, HistoryAction, HistoryEvent, Source, SourceRelease

__all__ = ["DELETED_STATUSES", "FIELD_NAMES", "NOT_VALID_FOR_MEDICARE", "SOURCE_PATH",
           "fee_records", "fee_source_releases", "merge_files", "system_of"]

SOURCE_PATH = "CMS physician fee schedule relative value files (PPRRVU)"
STATUS_CODE = "Status Code"

# FeeRow field -> the seed page's field name.
FIELD_NAMES = {
    "description": "Short Descr",
    "status": STATUS_CODE,
    "global_days": "Global Days",
    "pctc": "PC/TC Indicator (26, TC)",
    "multiple": "Multiple Procedures (51)",
    "bilateral": "Bilateral Surgery (50)",
    "assistant": "Assistant Surgeon (80, 82)",
    "co_surgeons": "Co-Surgeons (62)",
    "team": "Team Surgery (66)",
}

STATUS_CODES = {
    "A": "Active code",
    "B": "Bundled code",
    "C": "Contractor priced code",
    "D": "Deleted code (with a 90-day grace period)",
    "E": "Excluded from the fee schedule by regulation",
    "F": "Deleted code (no grace period)",
    "G": "Not valid for Medicare purposes: another code is used (with a grace period)",
    "H": "Deleted modifier",
    "I": "Not valid for Medicare purposes: another code is used",
    "J": "Anesthesia service",
    "M": "Measurement code",
    "N": "Non-covered service",
    "P": "Bundled or excluded code",
    "R": "Restricted coverage",
    "T": "Injection service, paid only when no other service is paid that day",
    "X": "Statutory exclusion",
}
DELETED_STATUSES = frozenset("DFH")
NOT_VALID_FOR_MEDICARE = frozenset("IG")
GLOBAL_DAYS = {
    "000": "Procedure day only",
    "010": "Procedure day and 10 days after",
    "090": "One day before, the procedure day and 90 days after",
    "MMM": "Maternity code",
    "XXX": "Global Concept Does Not Apply",
    "YYY": "Contractor decides the global period",
    "ZZZ": "Always part of another service's global period",
}
PCTC = {
    "0": "Physician service",
    "1": "Diagnostic test with professional and technical components (modifiers 26 and TC)",
    "2": "Professional Component Only Code",
    "3": "Technical Component Only Code",
    "4": "Global Test Only Code",
    "5": "Incident to code",
    "6": "Laboratory physician interpretation code",
    "7": "Physical therapy service",
    "8": "Physician interpretation code",
    "9": "Concept does not apply",
}
MULTIPLE = {
    "0": "No payment adjustment rules for multiple procedures apply.",
    "1": "Standard payment adjustment rules for multiple procedures apply.",
    "2": "Standard payment adjustment rules for multiple procedures apply.",
    "3": "Special rules for multiple endoscopic procedures apply.",
    "4": "Special rules for multiple diagnostic imaging procedures apply.",
    "5": "Special rules for multiple therapy services apply.",
    "6": "Special rules for multiple diagnostic cardiovascular services apply.",
    "7": "Special rules for multiple diagnostic ophthalmology services apply.",
    "9": "Concept does not apply.",
}
BILATERAL = {
    "0": "150% payment adjustment for bilateral procedures does NOT apply.",
    "1": "150% payment adjustment for bilateral procedures applies.",
    "2": "150% payment adjustment does not apply: the values already cover both sides.",
    "3": "Each side is paid as a separate procedure.",
    "9": "Concept does not apply.",
}
ASSISTANT = {
    "0": "Payment restriction for assistants at surgery applies to this procedure unless "
         "supporting documentation shows medical necessity.",
    "1": "Statutory payment restriction for assistants at surgery applies to this procedure.",
    "2": "Payment restriction for assistants at surgery does not apply to this procedure.",
    "9": "Concept does not apply.",
}
CO_SURGEONS = {
    "0": "Co-surgeons not permitted for this procedure.",
    "1": "Co-surgeons permitted with supporting documentation.",
    "2": "Co-surgeons permitted.",
    "9": "Concept does not apply.",
}
TEAM = {
    "0": "Team surgeons not permitted for this procedure.",
    "1": "Team surgeons permitted with supporting documentation.",
    "2": "Team surgeons permitted.",
    "9": "Concept does not apply.",
}
_MEANINGS = {"status": STATUS_CODES, "global_days": GLOBAL_DAYS, "pctc": PCTC,
             "multiple": MULTIPLE, "bilateral": BILATERAL, "assistant": ASSISTANT,
             "co_surgeons": CO_SURGEONS, "team": TEAM}
NOT_DOCUMENTED = "not among the values the file's documentation gives"
_CPT = re.compile(r"^\d{4}[0-9FTU]$")


def system_of(code: str) -> str:
    """CPT for five digits or four and F, T or U; HCPCS (Level II) otherwise."""
    return "CPT" if _CPT.match(code) else "HCPCS"


def merge_files(stored: Iterable[FeeScheduleFile],
                new: Iterable[FeeScheduleFile]) -> list[FeeScheduleFile]:
    """Stored and new files, oldest first; a new one replaces a stored one of the same name or
    the same date (the QPP and non-QPP files of a quarter hold the same codes and indicators)."""
    new = list(new)
    names = {f.name for f in new}
    dates = {f.effective for f in new}
    kept = [f for f in stored if f.name not in names and f.effective not in dates]
    return sorted(kept + new, key=lambda f: f.effective)


def spans(files: Sequence[FeeScheduleFile]) -> list[tuple[FeeScheduleFile, date]]:
    """Each file, oldest first, with the last date it speaks for: the end of its quarter, or
    the day before the next loaded file."""
    ordered = sorted(files, key=lambda f: f.effective)
    found = []
    for index, schedule in enumerate(ordered):
        end_month = schedule.effective.month + 2
        through = date(schedule.effective.year, end_month + 1, 1) - timedelta(days=1) \
            if end_month < 12 else date(schedule.effective.year, 12, 31)
        if index + 1 < len(ordered):
            through = min(through, ordered[index + 1].effective - timedelta(days=1))
        found.append((schedule, through))
    return found


def fee_source_releases(files: Sequence[FeeScheduleFile]) -> list[SourceRelease]:
    """The dates each file speaks for, for each code system it lists."""
    releases = []
    for schedule, through in spans(files):
        systems = sorted({system_of(row.code) for row in schedule.rows.values()})
        for system in systems:
            releases.append(SourceRelease(
                system, f"{schedule.label} ({schedule.name})", "release", schedule.effective,
                through, schedule.name, f"{schedule.name} as published", schedule.sha256))
    return releases


def value_text(name: str, value: str) -> str:
    """"XXX - Global Concept Does Not Apply"; a blank indicator says so."""
    if not value:
        return "blank (not given in the file)"
    table = _MEANINGS.get(name)
    if table is None:
        return value
    return f"{value} - {table.get(value, NOT_DOCUMENTED)}"


def fee_records(files: Sequence[FeeScheduleFile]) -> list[CodeRecord]:
    timeline = spans(files)
    codes = sorted({row.code for schedule, _ in timeline for row in schedule.rows.values()})
    rows_by_code: dict[str, list[dict[str, FeeRow]]] = {code: [] for code in codes}
    for schedule, _ in timeline:
        per_code: dict[str, dict[str, FeeRow]] = {}
        for row in schedule.rows.values():
            per_code.setdefault(row.code, {})[row.modifier] = row
        for code in codes:
            rows_by_code[code].append(per_code.get(code, {}))
    return [_record(code, timeline, rows_by_code[code]) for code in codes]


def _record(code: str, timeline: list[tuple[FeeScheduleFile, date]],
            listed: list[dict[str, FeeRow]]) -> CodeRecord:
    index = max(i for i, rows in enumerate(listed) if rows)
    schedule, rows = timeline[index][0], listed[index]
    base = rows.get("") or rows[sorted(rows)[0]]
    attributes, sources = _fields(schedule, base, rows)
    return CodeRecord(
        system=system_of(code),
        code=code,
        title=base.description or code,
        descriptors={"short": base.description} if base.description else {},
        attributes=attributes,
        kind="code",
        billable=True,
        history=_history(code, timeline, listed),
        source=Source(path=SOURCE_PATH, copyright=list(schedule.preamble)),
        version=schedule.label,
        field_sources={"descriptor": schedule.cite(base), **sources,
                       "history": "; ".join(_listings(timeline, listed))},
    )


def _listings(timeline: list[tuple[FeeScheduleFile, date]],
              listed: list[dict[str, FeeRow]]) -> list[str]:
    """The line of the code's own row in each file that lists it."""
    found = []
    for (schedule, _), rows in zip(timeline, listed):
        row = rows.get("") or (rows[sorted(rows)[0]] if rows else None)
        if row is not None:
            found.append(schedule.cite(row))
    return found


def _fields(schedule: FeeScheduleFile, base: FeeRow,
            rows: dict[str, FeeRow]) -> tuple[dict[str, str], dict[str, str]]:
    attributes: dict[str, str] = {}
    sources: dict[str, str] = {}
    if base.modifier:
        attributes["Fee schedule row"] = f"listed only with modifier {base.modifier}"
        sources["Fee schedule row"] = schedule.cite(base)
    for name, label in FIELD_NAMES.items():
        value = getattr(base, name)
        attributes[label] = value if name == "description" else value_text(name, value)
        sources[label] = schedule.cite(base)
    for modifier in sorted(m for m in rows if m and m != base.modifier):
        row = rows[modifier]
        label = f"With modifier {modifier}"
        attributes[label] = _differences(base, row)
        sources[label] = schedule.cite(row)
    return attributes, sources


def _differences(base: FeeRow, row: FeeRow) -> str:
    changed = [f"{FIELD_NAMES[name]} {_shown(name, getattr(row, name))}"
               for name in FIELD_NAMES if getattr(row, name) != getattr(base, name)]
    if not changed:
        return "listed; the same fields as the code's own row"
    return "listed; " + "; ".join(changed)


def _shown(name: str, value: str) -> str:
    return f"'{value}'" if name == "description" else value_text(name, value)


# --------------------------------------------------------------------------- history


def _history(code: str, timeline: list[tuple[FeeScheduleFile, date]],
             listed: list[dict[str, FeeRow]]) -> list[HistoryEvent]:
    events: list[HistoryEvent] = []
    in_use: bool | None = None        # None before the first file that lists it
    # The latest file that did not list it in use (absent, or deleted there), and its end.
    out_of_use: tuple[FeeScheduleFile, date] | None = None
    last: tuple[FeeScheduleFile, FeeRow, date] | None = None
    for (schedule, through), rows in zip(timeline, listed):
        row = rows.get("") or (rows[sorted(rows)[0]] if rows else None)
        if row is None:
            if in_use and last is not None:
                events.append(_dropped(last, schedule))
                in_use = False
            out_of_use = (schedule, through)
            continue
        deleted = row.status in DELETED_STATUSES
        if deleted:
            if in_use is not False:
                events.append(HistoryEvent(schedule.effective, HistoryAction.DELETED,
                                           f"Status code {value_text('status', row.status)} "
                                           f"in {schedule.cite(row)} ({schedule.label})."))
            out_of_use = (schedule, through)
        elif in_use is not True and out_of_use is not None:
            events.append(_added(out_of_use, schedule, row))
        in_use = not deleted
        last = (schedule, row, through)
    return events


def _dropped(last: tuple[FeeScheduleFile, FeeRow, date],
             schedule: FeeScheduleFile) -> HistoryEvent:
    before, row, _ = last
    note = (f"Deleted: not in {schedule.name} ({schedule.label}); last listed in "
            f"{before.cite(row)} ({before.label}) with status code "
            f"{value_text('status', row.status)}.")
    return _between(HistoryAction.DELETED, note, before, schedule)


def _added(out_of_use: tuple[FeeScheduleFile, date], schedule: FeeScheduleFile,
           row: FeeRow) -> HistoryEvent:
    """Listed in use in `schedule` after a loaded file that did not list it (or deleted it)."""
    before, _ = out_of_use
    note = (f"Added: listed with status code {value_text('status', row.status)} in "
            f"{schedule.cite(row)} ({schedule.label}); not in use in {before.label} "
            f"({before.name}).")
    return _between(HistoryAction.ADDED, note, before, schedule)


def _between(action: HistoryAction, note: str, before: FeeScheduleFile,
             after: FeeScheduleFile) -> HistoryEvent:
    """A change between two loaded files takes effect on the later one's date, unless a year
    began between them whose January file is not loaded: then on a date from that January 1
    to the later file's date (the loaded files do not pin it down)."""
    january = date(before.effective.year + 1, 1, 1)
    if january < after.effective:
        note += (f" The files loaded do not pin the date down: {before.label} is followed by "
                 f"{after.label}, and the files from {january.isoformat()} on are not loaded.")
        return HistoryEvent(after.effective, action, note, earliest=january)
    return HistoryEvent(after.effective, action, note)
