"""A condition in a pregnancy coded as the pregnancy chapter's notes classify it, where the
Alphabetic Index names it under no "Pregnancy, complicated by" entry: "Diseases of the
respiratory system complicating pregnancy, childbirth and the puerperium" (O99.5) holds
"Conditions in J00-J99", so asthma (J45.909) in a pregnancy is coded O99.51-, and the note
"Use additional code to identify specific condition" puts J45.909 beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.records import CodeRecord
from assistant.ranking.sequencing import in_ranges, stated_ranges

# The category letter of the pregnancy chapter's codes (ICD-10-CM chapter 15, O00-O9A).
PREGNANCY_LETTER = "O"
# "Conditions in J00-J99", "Conditions in F01-F09, F20-F52 and F54-F99", "Conditions in T74.11
# or T76.11": nothing but codes after it. A note that qualifies its codes ("... except T74 and
# T76", "... arising during pregnancy") says more than its ranges.
_CODES = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z-]*)?(?:-[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z-]*)?)?"
_CONDITIONS_IN = re.compile(rf"^Conditions in ({_CODES}(?:(?:,\s*|,?\s+(?:and|or)\s+){_CODES})*)$")


def conditions_in(record: CodeRecord) -> tuple[str, list[tuple[str, str]]]:
    """The record's own "Conditions in" inclusion term and its ranges; ("", [])
    where it has none."""
    return stated_ranges(record, _CONDITIONS_IN)


def pregnancy_heading(condition: str, headings: Iterable[CodeRecord]) \
        -> tuple[CodeRecord, str] | None:
    """Of the pregnancy chapter's headings, the most specific whose "Conditions in" note
    holds the condition's code, with the note; None where none does, or the condition's code
    is itself the chapter's."""
    if condition.startswith(PREGNANCY_LETTER):
        return None
    best: tuple[CodeRecord, str] | None = None
    for record in headings:
        note, ranges = conditions_in(record)
        if in_ranges(condition, ranges) and (best is None or len(record.code) > len(best[0].code)):
            best = record, note
    return best
