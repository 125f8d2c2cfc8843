"""The trimester a question's weeks of gestation fall in, as the tabular itself counts them.

ICD-10-CM's pregnancy chapter says in its notes how trimesters are counted ("1st trimester-
less than 14 weeks 0 days", "2nd trimester- 14 weeks 0 days to less than 28 weeks 0 days",
"3rd trimester- 28 weeks 0 days until delivery"), and its codes name the trimester in words
("Twin pregnancy, ..., second trimester"). A question that gives the weeks ("24 weeks
along") asks for the code of the trimester they fall in; the notes are read from the
chapter's record, never written here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.retrieval.index_lookup import GESTATION_WEEKS
from assistant.retrieval.readings import ORDINALS

# The texts whose weeks are kept once read: a question's, asked of title after title.
TEXTS_KEPT = 4096

# A chapter note's line that defines one trimester: its ordinal, then its bounds.
_TRIMESTER_NOTE = re.compile(r"^\s*(\d(?:st|nd|rd|th))\s+trimester\s*-\s*(.+)$", re.I | re.M)
_FROM_WEEKS = re.compile(r"^\s*(\d+)\s+weeks", re.I)
_BELOW_WEEKS = re.compile(r"less than\s+(\d+)\s+weeks", re.I)
# The trimester a code's title names ("unspecified trimester" names none the weeks pick).
_TRIMESTER_NAMED = re.compile(r"\b(\w+)\s+trimester\b", re.I)
# The weeks of gestation a code's title names, each with the bound it sets: "32 weeks gestation
# of pregnancy" (Z3A.32), "gestational age 32 completed weeks" (P07.35), "less than 23
# completed weeks", "Greater than 42 weeks", "before 37 completed weeks", "at or after 37
# completed weeks"; and a title that leaves them unspecified ("unspecified weeks of
# gestation", "Weeks of gestation of pregnancy not specified").
_WEEKS_NAMED = re.compile(r"\b(?:(less than|greater than|before|at or after|after)\s+)?"
                          r"(\d+)\s+(?:completed\s+)?weeks\b", re.I)
_WEEKS_UNSPECIFIED = re.compile(r"\bunspecified\s+weeks\b|\bweeks\b[^,]*\bnot\s+specified\b",
                                re.I)
_BOUNDS: dict[str, Callable[[int, int], bool]] = {
    "": lambda weeks, named: weeks == named,
    "less than": lambda weeks, named: weeks < named,
    "before": lambda weeks, named: weeks < named,
    "greater than": lambda weeks, named: weeks > named,
    "after": lambda weeks, named: weeks >= named,
    "at or after": lambda weeks, named: weeks >= named,
}


@dataclass(frozen=True)
class Trimester:
    """One trimester as the notes define it: weeks from `start` up to, not including, `end`
    (None: until delivery); `name` as the code titles write it ("second")."""

    name: str
    start: int
    end: int | None

    def holds(self, weeks: int) -> bool:
        return self.start <= weeks and (self.end is None or weeks < self.end)


def trimesters(notes: Iterable[str]) -> list[Trimester]:
    """The trimesters the notes define, in their order; none where no note defines one."""
    found = []
    for note in notes:
        for match in _TRIMESTER_NOTE.finditer(note):
            name = ORDINALS.get(match.group(1).lower())
            bounds = match.group(2)
            start, below = _FROM_WEEKS.match(bounds), _BELOW_WEEKS.search(bounds)
            if name is None or (start is None and below is None):
                continue
            found.append(Trimester(name, int(start.group(1)) if start else 0,
                                   int(below.group(1)) if below else None))
    return found


@functools.lru_cache(maxsize=TEXTS_KEPT)
def weeks_asked(question: str) -> int | None:
    """The weeks of gestation the question gives, if it gives them."""
    match = GESTATION_WEEKS.search(question)
    return int(match.group(1)) if match else None


def trimester_of(weeks: int, defined: list[Trimester]) -> str | None:
    """The name of the trimester the weeks fall in."""
    return next((t.name for t in defined if t.holds(weeks)), None)


def named_trimester(title: str) -> str | None:
    """The trimester a code's title names, in lower case ("unspecified" where it says so)."""
    match = _TRIMESTER_NAMED.search(title)
    return match.group(1).lower() if match else None


def names_other_weeks(title: str, weeks: int) -> bool:
    """The title names weeks of gestation that the weeks given are not ("gestational age 31
    completed weeks" for 32), or leaves them unspecified where they are given, as a title
    that names another trimester, or none, does (`named_trimester`)."""
    if _WEEKS_UNSPECIFIED.search(title):
        return True
    return any(not _BOUNDS[(bound or "").lower()](weeks, int(named))
               for bound, named in _WEEKS_NAMED.findall(title))
