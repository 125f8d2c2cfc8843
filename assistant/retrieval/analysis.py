"""Question analysis: codes, date of service, the field or note asked about, the kind of question."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from assistant.retrieval.hcpcs_questions import hcpcs_fields
from assistant.text import without_framing


class QuestionKind(StrEnum):
    FIND = "find_code"        # which code for X
    DESCRIBE = "describe"     # what is code Y
    STATUS = "status"         # is Y valid / billable / deleted
    FIELD = "field"           # what is Y's field F, or its notes


_ICD = re.compile(r"\b([A-Z][0-9][0-9A-Z])(?:\.([0-9A-Z]{1,4})|([0-9][0-9A-Z]{0,3}))?\b")
_ICD_DOTTED_ANY_CASE = re.compile(r"\b([A-Za-z][0-9][0-9A-Za-z])\.([0-9A-Za-z]{1,4})\b")
_CPT = re.compile(r"\b(\d{4}[0-9FTU])\b")
_HCPCS = re.compile(r"\b([A-V]\d{4})\b")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|" \
         r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_US_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(\d{{4}})\b", re.I)
_FISCAL_YEAR = re.compile(r"\bFY\s?(\d{4})\b", re.I)
_YEAR = re.compile(r"\b(?:in|during|for|throughout|of|dos|year)\s+(?:the\s+year\s+)?((?:19|20)\d{2})\b",
                   re.I)

# Record fields and notes, from the words coders use. Order matters: first match wins for
# overlapping cues ("modifier 26" before a bare "26").
_FIELD_CUES: list[tuple[str, str]] = [
    (r"global (period|days?|surgery|package)|\bglobal\b|post-?op(erative)? days", "Global Days"),
    (r"\bpc\s*/\s*tc\b|modifier[- ]?26\b|\b26 modifier|professional (component|portion)|"
     r"technical (component|portion)|\btc\b|professional.+technical", "PC/TC Indicator (26, TC)"),
    (r"multiple (procedures?|surgery)|modifier[- ]?51\b|\b51 modifier", "Multiple Procedures (51)"),
    (r"bilateral|modifier[- ]?50\b|\b50 modifier|both sides", "Bilateral Surgery (50)"),
    (r"physician supervision|supervision", "Physician Supervisions"),
    (r"assistant(s)? (at )?surg(eon|ery)|assist(ant|ing)? surgeon|modifier[- ]?8[02]\b|"
     r"\b8[02] modifier|\bassistant\b|\bassist\b", "Assistant Surgeon (80, 82)"),
    (r"co-?surg(eon|eons|ery)|modifier[- ]?62\b|\b62 modifier|two surgeons", "Co-Surgeons (62)"),
    (r"team surg(ery|eons?)|modifier[- ]?66\b|\b66 modifier|\bteam\b", "Team Surgery (66)"),
    (r"imaging family|diagnostic imaging", "Diagnostic Imaging Family"),
    (r"\bapc\b|status indicator|\bopps\b", "APC Status Indicator"),
    (r"betos|berenson", "Berenson-Eggers TOS (BETOS)"),
    (r"type of service|\btos\b", "Type of Service (TOS)"),
    (r"\bmues?\b|medically unlikely|unit limit|max(imum)? units", "MUE"),
    (r"\bccs\b|clinical classification", "CCS Clinical Classification"),
    (r"short (descr|descriptor|description)", "Short Descr"),
    (r"medium (descr|descriptor|description)", "Medium Descr"),
    (r"long (descr|descriptor|description)|full (descriptor|description)", "Long Descr"),
    (r"status code|status indicator code", "Status Code"),
    (r"excludes\s*-?\s*(1|one|i)\b|exclude1", "excludes1"),
    (r"excludes\s*-?\s*(2|two|ii)\b|exclude2", "excludes2"),
    (r"\bcode first\b", "code_first"),
    (r"use additional( code)?", "use_additional_code"),
    (r"\bcode also\b", "code_also"),
    (r"inclusion terms?|\bsynonyms?\b|other names|also called", "inclusion_term"),
    (r"\bincludes notes?\b|\bincludes\b", "includes"),
    (r"(7th|seventh) (character|char|digit)|7th-character|encounter (letter|character)",
     "seven_chr_def"),
    (r"\bindicat(ions?|ed)\b|when is it (used|done)|why (is it )?(done|performed)", "indications"),
    (r"\bpost-?procedure\b|after the procedure|recovery|aftercare|follow-?up care",
     "post_procedure"),
    (r"how is (it|this) (done|performed)|procedure steps|what happens during", "procedure"),
    (r"\b(code )?history\b(?! of)|when was (it|this|.+) (added|created|introduced|deleted|"
     r"changed)", "history"),
]
_FIELD_PATTERNS = [(re.compile(p, re.I), name) for p, name in _FIELD_CUES]
_BARE_EXCLUDES = re.compile(r"\bexcludes?\b(?!\s*-?\s*(1|2|one|two|i|ii)\b)", re.I)
_ALL_NOTES = re.compile(r"\b(notes?|instructions?|instructional notes?)\b", re.I)

_STATUS_WORDS = re.compile(
    r"\b(valid|invalid|still|active|inactive|deleted|retired|discontinued|terminated|billable|"
    r"reportable|reported|use|used|using|report|bill|billed|allowed|current|expired|exist|"
    r"exists|coded|submit|submitted|"
    r"acceptable|okay|ok)\b|can i|could i|may i|is it ok", re.I)
_DESCRIBE_WORDS = re.compile(r"\b(what|describe|meaning|mean|means|define|definition|explain|"
                             r"title|descriptor|description|tell me about|stand for)\b", re.I)
# A question of at most this many words that asks for a field ("global days?") is about the
# code last discussed.
FOLLOW_UP_MAX_WORDS = 4
_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|also)\b", re.I)
_PRONOUN = re.compile(r"\b(its|it|this code|that code|same code|this one|that one)\b", re.I)

_SYSTEM_CUES = [
    (re.compile(r"\bcpt\b|\bprocedure codes?\b|\bcategory (ii|iii)\b", re.I), "CPT"),
    (re.compile(r"\bhcpcs\b|level ii", re.I), "HCPCS"),
    (re.compile(r"\bicd[- ]?10(?:[- ]?cm)?\b|\bicd\b|\bdiagnos(is|es|tic) codes?\b|\bdx\b", re.I),
     "ICD-10-CM"),
]


@dataclass
class Question:
    text: str
    kind: QuestionKind
    codes: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    dos: date = field(default_factory=date.today)
    dos_end: date | None = None
    dos_given: bool = False
    system: str | None = None
    from_context: bool = False
    search_text: str = ""
    today: date = field(default_factory=date.today)  # the day it was asked


def analyse(text: str, today: date, dos: date | None = None,
            context_codes: list[str] | None = None) -> Question:
    codes = find_codes(text)
    when, until = find_date(text)
    fields = find_fields(text)
    from_context = False
    if not codes and context_codes and _refers_back(text, fields):
        codes = [context_codes[0]]
        from_context = True
    question = Question(
        text=text,
        kind=_kind(text, codes, fields),
        codes=codes,
        fields=fields,
        dos=dos or when or today,
        dos_end=None if dos else until,
        dos_given=bool(dos or when),
        system=find_system(text),
        from_context=from_context,
        today=today,
    )
    question.search_text = search_text(text)
    return question


def find_codes(text: str) -> list[str]:
    """Code-shaped tokens, in order of appearance, without duplicates (not yet checked)."""
    found: list[tuple[int, str]] = []
    masked = _mask_dates(text)
    for match in _ICD_DOTTED_ANY_CASE.finditer(masked):
        found.append((match.start(), f"{match.group(1)}.{match.group(2)}".upper()))
    for match in _ICD.finditer(masked):
        category, dotted, undotted = match.groups()
        tail = dotted or undotted
        found.append((match.start(), f"{category}.{tail}" if tail else category))
    for pattern in (_CPT, _HCPCS):
        for match in pattern.finditer(masked):
            found.append((match.start(), match.group(1).upper()))
    ordered: list[str] = []
    for _, code in sorted(found, key=lambda item: item[0]):
        if code not in ordered and not _is_year(code):
            ordered.append(code)
    return ordered


# A date of service found in a question: (the day, or the first day and the last of a period).
_Period = tuple[date, date | None]


def find_date(text: str) -> tuple[date | None, date | None]:
    """The date of service a question names: (start, end of the period) or (None, None)."""
    for finder in (_iso, _us, _month_day_year, _day_month_year, _month_year, _fiscal_year, _year):
        found = finder(text)
        if found:
            return found
    return None, None


def find_fields(text: str) -> list[str]:
    fields: list[str] = []
    for pattern, name in _FIELD_PATTERNS:
        if pattern.search(text) and name not in fields:
            fields.append(name)
    if _BARE_EXCLUDES.search(text):
        fields += [n for n in ("excludes1", "excludes2") if n not in fields]
    fields += [n for n in hcpcs_fields(text) if n not in fields]
    if not fields and _ALL_NOTES.search(text):
        fields = ["notes"]
    return fields


def find_system(text: str) -> str | None:
    for pattern, system in _SYSTEM_CUES:
        if pattern.search(text):
            return system
    return None


def search_text(text: str) -> str:
    """The question without its codes, dates and framing words, for similarity search."""
    cleaned = without_framing(_mask_dates(text))
    cleaned = re.sub(r"[?!:;\"]", " ", cleaned)
    return " ".join(cleaned.split()) or text


def _kind(text: str, codes: list[str], fields: list[str]) -> QuestionKind:
    if not codes:
        return QuestionKind.FIND
    if fields:
        return QuestionKind.FIELD
    if _STATUS_WORDS.search(text):
        return QuestionKind.STATUS
    return QuestionKind.DESCRIBE


def _refers_back(text: str, fields: list[str]) -> bool:
    """'and its global days?' or 'global days?' is a follow-up; 'what about sepsis?' is not."""
    if _PRONOUN.search(text):
        return True
    return bool(fields) and (bool(_FOLLOW_UP.search(text))
                             or len(text.split()) <= FOLLOW_UP_MAX_WORDS)


def _is_year(code: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d{2}", code))


def _mask_dates(text: str) -> str:
    for pattern in (_ISO_DATE, _US_DATE, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso(text: str) -> _Period | None:
    m = _ISO_DATE.search(text)
    d = m and _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return (d, None) if d else None


def _us(text: str) -> _Period | None:
    m = _US_DATE.search(text)
    if not m:
        return None
    year = int(m.group(3))
    year = year + 2000 if year < 100 else year
    d = _safe(year, int(m.group(1)), int(m.group(2)))
    return (d, None) if d else None


def _month_day_year(text: str) -> _Period | None:
    m = _MONTH_DAY_YEAR.search(text)
    d = m and _safe(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    return (d, None) if d else None


def _day_month_year(text: str) -> _Period | None:
    m = _DAY_MONTH_YEAR.search(text)
    d = m and _safe(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    return (d, None) if d else None


def _month_year(text: str) -> _Period | None:
    m = _MONTH_YEAR.search(text)
    if not m:
        return None
    year, month = int(m.group(2)), _MONTHS[m.group(1).lower()]
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def _fiscal_year(text: str) -> _Period | None:
    """Federal fiscal year N runs from October 1 of N-1 to September 30 of N."""
    m = _FISCAL_YEAR.search(text)
    if not m:
        return None
    year = int(m.group(1))
    return date(year - 1, 10, 1), date(year, 9, 30)


def _year(text: str) -> _Period | None:
    m = _YEAR.search(text)
    if not m:
        return None
    year = int(m.group(1))
    return date(year, 1, 1), date(year, 12, 31)
