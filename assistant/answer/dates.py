"""A date of service given beside the question (`--dos`, a batch line's "date_of_service", the
API body's): read exactly as given, or refused with a message that names it. A date that
cannot be read is never replaced by another one (today, or the nearest real day).

Dates written inside the question text are read by `retrieval.analysis`.
"""

from __future__ import annotations

import calendar
import re
from datetime import MINYEAR, date

from assistant.answer.service import QuestionError

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
EXAMPLE = "2023-06-30"


def parse_date_of_service(value: object, name: str = "date of service") -> date | None:
    """The date `value` (YYYY-MM-DD) names; None when none is given (absent or empty).

    Raises QuestionError naming `name` and the value for anything else: another layout, or
    a day the calendar does not have ("2023-02-30").
    """
    if value is None or value == "":
        return None
    text = value.strip() if isinstance(value, str) else None
    match = _ISO_DATE.match(text) if text else None
    if match is None:
        raise QuestionError(f"{name} {value!r} is not a date: write it as YYYY-MM-DD, "
                            f"e.g. {EXAMPLE}")
    year, month, day = (int(part) for part in match.groups())
    problem = _not_on_the_calendar(year, month, day)
    if problem:
        raise QuestionError(f"{name} {text} is not a real date: {problem}")
    return date(year, month, day)


def _not_on_the_calendar(year: int, month: int, day: int) -> str | None:
    if year < MINYEAR:
        return f"there is no year {year}"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{calendar.month_name[month]} {year} has {days} days"
    return None
