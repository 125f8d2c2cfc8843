"""Whose record a code is for, as the ICD-10-CM chapters' notes say it.

Chapter 15: "CODES FROM THIS CHAPTER ARE FOR USE ONLY ON MATERNAL RECORDS, NEVER ON NEWBORN
RECORDS"; chapter 16: "Codes from this chapter are for use on newborn records only, never on
maternal records"; chapter 17: "Codes from this chapter are not for use on maternal records".
The word before "record(s)" names the person ("maternal", "newborn"); "never on" and "not for
use on" name a record the chapter's codes are not for. Read from the notes, never listed here.
"""

from __future__ import annotations

import re

# The record's section that holds a chapter's general notes (`icd10cm`).
NOTES_SECTION = "notes"
# "on newborn records only": the word before "record(s)" says whose.
_RECORD_OF = re.compile(r"\b(\w+)\s+records?\b", re.I)
# "never on newborn records", "not for use on maternal records".
_NEVER_ON = re.compile(r"\b(?:never|not\s+for\s+use)\s+on\s+(\w+)\s+records?\b", re.I)


def records_named(note: str) -> list[str]:
    """The words a note puts before "record(s)", in lower case: whose records it speaks of."""
    return [m.group(1).lower() for m in _RECORD_OF.finditer(note)]


def records_excluded(note: str) -> list[str]:
    """The records a note says its codes are never for, in lower case."""
    return [m.group(1).lower() for m in _NEVER_ON.finditer(note)]
