"""A history's code as the tabular's own notes give it, for a condition the Index does not
name under "History": "Personal history of other malignant neoplasm of skin" (Z85.828)
holds "Conditions classifiable to C44", so a history of basal cell carcinoma of the skin
(C44.91) is Z85.828; "Family history of malignant neoplasm of digestive organs" (Z80.0)
holds "Conditions classifiable to C15-C26", so a family history of colon cancer (C18.9) is
Z80.0. The condition's code is the one the Alphabetic Index, or else the search, gives for
the condition alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.records import CodeRecord
from assistant.ranking.sequencing import in_ranges, stated_ranges

# The categories of each kind of history (ICD-10-CM Z80-Z84 family, Z85-Z87 personal).
FAMILY_CATEGORIES = ("Z80", "Z81", "Z82", "Z83", "Z84")
PERSONAL_CATEGORIES = ("Z85", "Z86", "Z87")
# "Conditions classifiable to C15-C26", "Personal history of conditions classifiable to
# O24.4-": nothing but codes after it. A note that qualifies its codes ("... that have been
# repaired", "... except traumatic fractures") says more than its ranges.
_CLASSIFIABLE = re.compile(r"^(?i:(?:personal history of )?conditions classifiable "
                           r"(?:elsewhere )?(?:to|in)) ([A-Z0-9.,;\s-]+)$")


def classifiable(record: CodeRecord) -> tuple[str, list[tuple[str, str]]]:
    """The record's own "Conditions classifiable to" inclusion term and its ranges; ("", [])
    where it has none."""
    return stated_ranges(record, _CLASSIFIABLE)


def history_code(condition: str, codes: list[str],
                 record: Callable[[str], CodeRecord | None]) -> tuple[CodeRecord, str] | None:
    """Of the history codes (`codes`, as keys), the most specific whose "Conditions
    classifiable to" note holds the condition's code, with the note; None where none does."""
    best: tuple[CodeRecord, str] | None = None
    for key in codes:
        found = record(key)
        if found is None:
            continue
        note, ranges = classifiable(found)
        if in_ranges(condition, ranges) and (best is None or len(found.code) > len(best[0].code)):
            best = found, note
    return best


def classified_otherwise(condition: str, record: CodeRecord,
                         parent: Callable[[CodeRecord], CodeRecord | None]) -> str:
    """The nearest "Conditions classifiable to" note of the history code or a heading above
    it, where its ranges do not hold the condition's code ("Family history of colon polyps"
    under Z83.7, "Conditions classifiable to D12, K00-K93", is no history of C18.9); ""
    where the nearest holds it or there is none."""
    found: CodeRecord | None = record
    while found is not None:
        note, ranges = classifiable(found)
        if ranges:
            return "" if in_ranges(condition, ranges) else f"{found.code}'s note '{note}'"
        found = parent(found)
    return ""
