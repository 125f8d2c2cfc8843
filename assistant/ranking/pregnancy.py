"""A condition in a pregnancy coded as the pregnancy chapter's notes classify it, where the
Alphabetic Index names it under no "Pregnancy, complicated by" entry: "Diseases of the
respiratory system complicating pregnancy, childbirth and the puerperium" (O99.5) holds
"Conditions in J00-J99", so asthma (J45.909) in a pregnancy is coded O99.51-, and the note
"Use additional code to identify specific condition" puts J45.909 beside it.

A pregnant patient's age is read against the ages the chapter's own inclusion terms state:
"Supervision of elderly primigravida and multigravida" (O09.5) includes "Pregnancy for a
female 35 years and older at expected date of delivery", so a pregnant 40-year-old's visit
is O09.5-, which Z34's Excludes1 ("encounter for supervision of high risk pregnancy
(O09.-)") keeps out of the normal pregnancy's codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.records import CodeRecord, NoteKind
from assistant.ranking.sequencing import in_ranges, named_ranges, stated_ranges
from assistant.retrieval.index_lookup import GESTATION_WEEKS
from assistant.text import GRAVIDA_PARA, search_tokens

# The category letter of the pregnancy chapter's codes (ICD-10-CM chapter 15, O00-O9A).
PREGNANCY_LETTER = "O"
# "Conditions in J00-J99", "Conditions in F01-F09, F20-F52 and F54-F99", "Conditions in T74.11
# or T76.11": nothing but codes after it. A note that qualifies its codes ("... except T74 and
# T76", "... arising during pregnancy") says more than its ranges.
_CODES = r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z-]*)?(?:-[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z-]*)?)?"
_CONDITIONS_IN = re.compile(rf"^Conditions in ({_CODES}(?:(?:,\s*|,?\s+(?:and|or)\s+){_CODES})*)$")
# "Pregnancy for a female 35 years and older at expected date of delivery" (O09.5),
# "Supervision of pregnancy for a female less than 16 years old ..." (O09.6).
_AGE_BOUND = re.compile(r"\bfor a female (?:(\d+) years and older|less than (\d+) years old)\b",
                        re.I)
# The patient's age in years: "40 years old", "a 39-year-old", "39 yo", "39 y/o", "age 40".
_AGE_IN_YEARS = re.compile(r"\b(\d{1,2})\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b"
                           r"|\b(\d{1,2})\s*(?:yo|y/o|y\.o\.)(?!\w)|\baged?\s+(\d{1,2})\b", re.I)
# How many pregnancies the patient has had, this one counted: the words the O09 headings'
# codes name the two by ("primigravida", "multigravida": in WordNet, a woman pregnant for
# the first time, and one pregnant more than once), or an ordinal of this pregnancy.
PRIMIGRAVIDA, MULTIGRAVIDA = "primigravida", "multigravida"
_FIRST_PREGNANCY = re.compile(r"\b(?:first|1st)\s+(?:pregnancy|baby|child)\b|\bprimigravida\b",
                              re.I)
_LATER_PREGNANCY = re.compile(r"\b(?:second|third|fourth|fifth|sixth|2nd|3rd|[4-9]th)\s+"
                              r"(?:pregnancy|baby|child)\b|\bmultigravida\b", re.I)
_GRAVIDA = re.compile(r"\bG(\d{1,2})", re.I)
_PREGNANCY_WORD = re.compile(r"\bpregnan(?:t|cy)\b", re.I)


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


def has_conditions_in(record: CodeRecord) -> bool:
    return bool(conditions_in(record)[1])


def age_bound(record: CodeRecord) -> str:
    """The record's own inclusion term that bounds the patient's age ("Pregnancy for a
    female 35 years and older at expected date of delivery"), or ""."""
    return next((term.text for term in record.notes if term.kind == NoteKind.INCLUSION_TERM
                 and term.stated_at == record.code and _AGE_BOUND.search(term.text)), "")


def age_holds(bound: str, age: int) -> bool:
    """Whether an age bound (`age_bound`) holds the age."""
    match = _AGE_BOUND.search(bound)
    if match is None:
        return False
    at_least, below = match.groups()
    return age >= int(at_least) if at_least else age < int(below)


def patient_age(text: str) -> int | None:
    """The patient's age in years, as the text gives it; None where it gives none."""
    match = _AGE_IN_YEARS.search(text)
    return int(next(g for g in match.groups() if g)) if match else None


def gravidity_word(text: str) -> str:
    """PRIMIGRAVIDA where the text says this is the patient's first pregnancy ("first
    baby", "G1P0"), MULTIGRAVIDA where it says a later one ("second pregnancy", "G3P2");
    "" where it says neither."""
    notation = GRAVIDA_PARA.search(text)
    if notation is not None:
        gravida = _GRAVIDA.match(notation.group(0))
        if gravida is not None:
            return PRIMIGRAVIDA if int(gravida.group(1)) == 1 else MULTIGRAVIDA
    if _FIRST_PREGNANCY.search(text):
        return PRIMIGRAVIDA
    if _LATER_PREGNANCY.search(text):
        return MULTIGRAVIDA
    return ""


def excludes(record: CodeRecord, code: str) -> bool:
    """Whether an Excludes1 note of the record, its own or its heading's, names the code's
    range ("encounter for supervision of high risk pregnancy (O09.-)" of Z34)."""
    return any(in_ranges(code, named_ranges(note.text)) for note in record.notes
               if note.kind == NoteKind.EXCLUDES1)


def beyond_the_pregnancy(text: str) -> list[str]:
    """The text's search words less those that say she is pregnant, her age, how many
    pregnancies she has had and the weeks: the words of a condition, if it names one."""
    for said in (_FIRST_PREGNANCY, _LATER_PREGNANCY, GRAVIDA_PARA, _AGE_IN_YEARS,
                 GESTATION_WEEKS, _PREGNANCY_WORD):
        text = said.sub(" ", text)
    return search_tokens(text)
