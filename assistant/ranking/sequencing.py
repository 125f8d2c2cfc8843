"""Which of two codes is reported first, as the tabular's "Code first" notes say.

A code whose tabular notes say "Code first obstetric condition or encounter for delivery
(O09-O60, O80-O82, O94-O9A)" (Z3A, weeks of gestation) is a secondary code: where a code of
those ranges answers the question too, that one is listed first and the secondary after it.
"""

from __future__ import annotations

import re

from assistant.records import CodeRecord, NoteKind

# A code or a range of codes a note names in parentheses: "O09-O60", "Z34.-", "E11.4".
_CODE = r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{0,4})?"
_NAMED = re.compile(rf"\b({_CODE})(?:\s*-\s*({_CODE}))?")
_PARENTHESES = re.compile(r"\(([^)]*)\)")
# The letters and digits of a category ("O30" of "O30.002").
CATEGORY_LENGTH = 3


def code_first_ranges(record: CodeRecord) -> list[tuple[str, str]]:
    """The (first, last) codes of each range a "Code first" note of the record names in
    parentheses; a single code or category is a range of itself."""
    ranges = []
    for note in record.notes:
        if note.kind != NoteKind.CODE_FIRST:
            continue
        for named in _PARENTHESES.findall(note.text):
            ranges += named_ranges(named)
    return ranges


def named_ranges(text: str) -> list[tuple[str, str]]:
    """The (first, last) codes of each code or range of codes the text names ("C15-C26",
    "C50.-"); a single code or category is a range of itself."""
    ranges = []
    for match in _NAMED.finditer(text):
        first = match.group(1).rstrip(".")
        ranges.append((first, (match.group(2) or first).rstrip(".")))
    return ranges


def stated_ranges(record: CodeRecord, note: re.Pattern[str]) -> tuple[str, list[tuple[str, str]]]:
    """The record's own inclusion term that `note` matches ("Conditions classifiable to
    C15-C26", "Conditions in J00-J99"; group 1 holds the codes) and its ranges; ("", [])
    where it has none."""
    for term in record.notes:
        if term.kind != NoteKind.INCLUSION_TERM or term.stated_at != record.code:
            continue
        stated = note.match(term.text)
        if stated is not None:
            return term.text, named_ranges(stated.group(1))
    return "", []


def in_ranges(code: str, ranges: list[tuple[str, str]]) -> bool:
    """Whether a code falls in one of the ranges: between two categories, or under a code."""
    for first, last in ranges:
        if first == last and code.startswith(first):
            return True
        if first != last and first[:CATEGORY_LENGTH] <= code[:CATEGORY_LENGTH] \
                <= last[:CATEGORY_LENGTH]:
            return True
    return False
