"""Dates as coders write them, read in one place.

- `parse_date_of_service`: a date of service given beside the question (`--dos`, a batch
  line's "date_of_service", the API body's, lookup's `on`): YYYY-MM-DD exactly, or refused
  with a message that names it.
- `find_date` and `date_problem`: a date written inside a question, in any form a coder writes
  (2023-06-30, 6/30/2023, June 30 2023, 30 Jun 2023, "DOS 6/30/23", a month, a year, FY2024),
  or why it cannot be read.

A date that cannot be read is never replaced by another one (today, or the nearest real day).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MINYEAR, date

from assistant.errors import QuestionError

EXAMPLE = "2023-06-30"
_EXACT_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date_of_service(value: object, name: str = "date of service") -> date | None:
    """The date `value` (YYYY-MM-DD) names; None when none is given (absent or empty).

    Raises QuestionError naming `name` and the value for anything else: another layout, or
    a day the calendar does not have ("2023-02-30").
    """
    if value is None or value == "":
        return None
    text = value.strip() if isinstance(value, str) else None
    match = _EXACT_ISO_DATE.match(text) if text else None
    if match is None:
        raise QuestionError(f"{name} {value!r} is not a date: write it as YYYY-MM-DD, "
                            f"e.g. {EXAMPLE}")
    year, month, day = (int(part) for part in match.groups())
    problem = calendar_problem(year, month, day)
    if problem:
        raise QuestionError(f"{name} {text} is not a real date: {problem}")
    return date(year, month, day)


def calendar_problem(year: int, month: int, day: int) -> str | None:
    """Why (year, month, day) is no day of the calendar ("February 2023 has 28 days"), or None."""
    if year < MINYEAR:
        return f"there is no year {year}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None


# Dates written inside a question.

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|" \
         r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# Every way a coder writes a day, each read as (year, month, day) by its reader below.
_ISO_DATE = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_COMPACT_DATE = re.compile(r"\b((?:19|20)\d{2})(\d{2})(\d{2})\b")
_US_DATE = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}[\s-]+(\d{{1,2}}){_ORDINAL},?[\s-]+(\d{{4}})\b", re.I)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s-]+{_MONTH},?[\s-]+(\d{{4}}|\d{{2}})\b", re.I)
# A month or a year is a period: the status at its start, and any change within it.
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?(\d{{4}})\b", re.I)
_NUMERIC_MONTH_YEAR = re.compile(r"(?<![\d/.-])\b(\d{1,2})/(\d{4})\b(?![/.-]\d)")
_FISCAL_YEAR = re.compile(r"\bFY\s?(\d{4})\b", re.I)
_YEAR = re.compile(r"\b(?:in|during|for|throughout|of|dos|year)\s+(?:the\s+year\s+)?((?:19|20)\d{2})\b",
                   re.I)
# A two-digit year is this century's ("6/30/23" is 2023).
_CENTURY = 2000


# A date of service found in a question: (the day, or the first day and the last of a period).
_Period = tuple[date, date | None]


@dataclass(frozen=True)
class _DateMention:
    """A date as written in a question: where, what it reads as, or why it cannot be read."""

    start: int
    written: str
    period: _Period | None
    problem: str | None = None


def find_date(text: str) -> tuple[date | None, date | None]:
    """The date of service a question names: (start, end of the period) or (None, None).
    The first date written that can be read; see `date_problem` for one that cannot."""
    for mention in _date_mentions(text):
        if mention.period:
            return mention.period
    return None, None


def date_problem(text: str) -> str | None:
    """Why a date written in the question cannot be read ("2022-02-30 is not a date:
    February 2022 has 28 days"), or None when every date in it can."""
    problems = [m.problem for m in _date_mentions(text) if m.problem]
    return problems[0] if problems else None


def _date_mentions(text: str) -> list[_DateMention]:
    """Every date the text writes, in order, each span read once (the most exact form first:
    a day before a month, a month before a year)."""
    found: list[_DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, read in _DATE_READERS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            mention = read(match)
            if mention is not None:
                found.append(mention)
                taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.start)


def _day(match: re.Match[str], year: int, month: int, day: int) -> _DateMention:
    written = match.group(0)
    problem = calendar_problem(year, month, day)
    if problem:
        return _DateMention(match.start(), written, None, f"{written} is not a date: {problem}")
    return _DateMention(match.start(), written, (date(year, month, day), None))


def _read_iso(match: re.Match[str]) -> _DateMention:
    return _day(match, int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _read_compact(match: re.Match[str]) -> _DateMention:
    return _day(match, int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _read_us(match: re.Match[str]) -> _DateMention:
    month, day, year = int(match.group(1)), int(match.group(3)), _full_year(match.group(4))
    if month > 12 and day <= 12:
        written = match.group(0)
        return _DateMention(match.start(), written, None,
                            f"{written} is not a month/day/year date; if it means "
                            f"{month} {calendar.month_name[day]} {year}, write it as "
                            f"{year:04d}-{day:02d}-{month:02d}")
    return _day(match, year, month, day)


def _read_month_day_year(match: re.Match[str]) -> _DateMention:
    return _day(match, int(match.group(3)), _MONTHS[match.group(1).lower()], int(match.group(2)))


def _read_day_month_year(match: re.Match[str]) -> _DateMention:
    return _day(match, _full_year(match.group(3)), _MONTHS[match.group(2).lower()],
                int(match.group(1)))


def _month(match: re.Match[str], year: int, month: int) -> _DateMention | None:
    if not 1 <= month <= 12:
        return None  # "13/2023" is no month; nothing here reads it as a date
    problem = calendar_problem(year, month, 1)
    if problem:  # "April 0000"
        return _DateMention(match.start(), match.group(0), None,
                            f"{match.group(0)} is not a date: {problem}")
    last = calendar.monthrange(year, month)[1]
    return _DateMention(match.start(), match.group(0),
                        (date(year, month, 1), date(year, month, last)))


def _read_month_year(match: re.Match[str]) -> _DateMention | None:
    return _month(match, int(match.group(2)), _MONTHS[match.group(1).lower()])


def _read_numeric_month_year(match: re.Match[str]) -> _DateMention | None:
    return _month(match, int(match.group(2)), int(match.group(1)))


def _read_fiscal_year(match: re.Match[str]) -> _DateMention:
    """Federal fiscal year N runs from October 1 of N-1 to September 30 of N."""
    year, written = int(match.group(1)), match.group(0)
    problem = calendar_problem(year, 9, 30)
    if problem is None and year - 1 < MINYEAR:
        problem = f"fiscal year {year} would begin in year {year - 1}"
    if problem:  # FY0000, FY0001
        return _DateMention(match.start(), written, None, f"{written} is not a date: {problem}")
    return _DateMention(match.start(), written, (date(year - 1, 10, 1), date(year, 9, 30)))


def _read_year(match: re.Match[str]) -> _DateMention:
    year = int(match.group(1))
    return _DateMention(match.start(), match.group(0), (date(year, 1, 1), date(year, 12, 31)))


def _full_year(written: str) -> int:
    year = int(written)
    return year + _CENTURY if len(written) == 2 else year


_DATE_READERS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], _DateMention | None]]] = [
    (_ISO_DATE, _read_iso),
    (_COMPACT_DATE, _read_compact),
    (_US_DATE, _read_us),
    (_MONTH_DAY_YEAR, _read_month_day_year),
    (_DAY_MONTH_YEAR, _read_day_month_year),
    (_MONTH_YEAR, _read_month_year),
    (_NUMERIC_MONTH_YEAR, _read_numeric_month_year),
    (_FISCAL_YEAR, _read_fiscal_year),
    (_YEAR, _read_year),
]
# Forms whose digits could be read as codes: blanked out before codes are looked for.
_DAY_FORMS = (_ISO_DATE, _COMPACT_DATE, _US_DATE, _MONTH_DAY_YEAR, _DAY_MONTH_YEAR,
              _NUMERIC_MONTH_YEAR)


def without_dates(text: str) -> str:
    """The text with every date it writes (a day, a month, a year, a fiscal year) blanked."""
    for mention in _date_mentions(text):
        end = mention.start + len(mention.written)
        text = text[:mention.start] + " " * len(mention.written) + text[end:]
    return text


def without_days(text: str) -> str:
    """The text with every written day blanked (digits a code reader could take for a code)."""
    for pattern in _DAY_FORMS:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text
