"""Physician fee schedule relative value files (`PPRRVUyy_MON.csv`) for tests, in CMS's layout:
title and copyright-style lines, the heading row (optionally written over two rows, or with
its columns in another order), one row per code and modifier.

MADE UP: every row but CPT 77418's. The codes 00010-00060 are not CPT codes (CPT's codes start
at 00100), and their descriptors and indicator values are invented for the tests; no CPT text
is in these files. The 77418 row takes its descriptor and indicators from the shipped sample
page (corpus/pages/77418.txt), in a 2014 file (the page records 77418 deleted on 2015-01-01).
"""

from __future__ import annotations

import csv
from dataclasses import astuple, dataclass
from pathlib import Path

# The heading row of CMS's CSV (the columns the loader reads, and others it must skip).
HEADINGS = ["HCPCS", "MOD", "DESCRIPTION", "STATUS CODE", "NOT USED FOR MEDICARE PAYMENT",
            "WORK RVU", "NON-FAC PE RVU", "NON-FAC NA INDICATOR", "FACILITY PE RVU",
            "FACILITY NA INDICATOR", "MP RVU", "NON-FACILITY TOTAL", "FACILITY TOTAL",
            "PCTC IND", "GLOB DAYS", "PRE OP", "INTRA OP", "POST OP", "MULT PROC", "BILAT SURG",
            "ASST SURG", "CO SURG", "TEAM SURG", "ENDO BASE", "CONV FACTOR",
            "PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES", "CALCULATION FLAG",
            "DIAGNOSTIC IMAGING FAMILY INDICATOR"]
_READ = {"HCPCS": 0, "MOD": 1, "DESCRIPTION": 2, "STATUS CODE": 3, "PCTC IND": 4,
         "GLOB DAYS": 5, "MULT PROC": 6, "BILAT SURG": 7, "ASST SURG": 8, "CO SURG": 9,
         "TEAM SURG": 10}
MADE_UP_NOTE = ("TEST FILE in the layout of CMS's relative value file: every row but 77418's "
                "is made up (codes 00010-00060 are not CPT codes; their descriptors and "
                "indicators are invented); 77418's row is taken from corpus/pages/77418.txt")


@dataclass(frozen=True)
class Row:
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


# From the sample page: Short Descr, Status Code (Active Code), Global Days XXX, PC/TC 3,
# Multiple Procedures 0, Bilateral Surgery 0, Assistant Surgeon 0, Co-Surgeons 0, Team Surgery 0.
ROW_77418 = Row("77418", "", "RADIATION TX DELIVERY IMRT", "A", "3", "XXX", "0", "0", "0", "0",
                "0")
# Made up (see the module's docstring).
GLOBAL_090 = Row("00010", "", "MADE-UP DESCRIPTOR A", "A", "0", "090", "2", "1", "2", "1", "0")
WITH_PCTC = Row("00020", "", "MADE-UP DESCRIPTOR B", "A", "1", "XXX", "4", "0", "9", "9", "9")
WITH_PCTC_26 = Row("00020", "26", "MADE-UP DESCRIPTOR B PROF", "A", "1", "XXX", "4", "0", "9",
                   "9", "9")
WITH_PCTC_TC = Row("00020", "TC", "MADE-UP DESCRIPTOR B TECH", "A", "1", "XXX", "4", "0", "9",
                   "9", "9")
NOT_FOR_MEDICARE = Row("00030", "", "MADE-UP DESCRIPTOR C", "I", "9", "XXX", "9", "9", "9", "9",
                       "9")
DELETED_2014 = Row("00040", "", "MADE-UP DESCRIPTOR D", "D", "9", "XXX", "9", "9", "9", "9", "9")
DROPPED_2015 = Row("00050", "", "MADE-UP DESCRIPTOR E", "A", "0", "000", "0", "0", "0", "0", "0")
NEW_2015 = Row("00060", "", "MADE-UP DESCRIPTOR F", "A", "0", "010", "0", "0", "0", "0", "0")

ROWS_2014 = [ROW_77418, GLOBAL_090, WITH_PCTC, WITH_PCTC_26, WITH_PCTC_TC, NOT_FOR_MEDICARE,
             DELETED_2014, DROPPED_2015]
ROWS_2015 = [GLOBAL_090, WITH_PCTC, WITH_PCTC_26, WITH_PCTC_TC, NOT_FOR_MEDICARE, NEW_2015]


def csv_row(row: Row, headings: list[str]) -> list[str]:
    values = astuple(row)
    return [values[_READ[name]] if name in _READ else "" for name in headings]


def write_fee_schedule(path: Path, rows: list[Row], title: str, split_heading: bool = False,
                       headings: list[str] | None = None) -> Path:
    """A relative value file: title and note lines, the heading, the rows (CRLF, as CSV)."""
    headings = headings or HEADINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="latin-1") as handle:
        writer = csv.writer(handle)
        writer.writerow([title] + [""] * (len(headings) - 1))
        writer.writerow([MADE_UP_NOTE] + [""] * (len(headings) - 1))
        writer.writerow([""] * len(headings))
        if split_heading:
            # "GLOB" over "DAYS": the first word above, the rest below, as the CSV does.
            writer.writerow([h.split(" ", 1)[0] if " " in h else "" for h in headings])
            writer.writerow([h.split(" ", 1)[1] if " " in h else h for h in headings])
        else:
            writer.writerow(headings)
        for row in rows:
            writer.writerow(csv_row(row, headings))
    return path


def write_2014(folder: Path, split_heading: bool = False,
               headings: list[str] | None = None) -> Path:
    return write_fee_schedule(folder / "PPRRVU14_JAN.csv", ROWS_2014,
                              "2014 National Physician Fee Schedule Relative Value File January "
                              "Release", split_heading, headings)


def write_2015(folder: Path, split_heading: bool = False,
               headings: list[str] | None = None) -> Path:
    return write_fee_schedule(folder / "PPRRVU15_JAN.csv", ROWS_2015,
                              "2015 National Physician Fee Schedule Relative Value File January "
                              "Release", split_heading, headings)
