"""Whether the loaded sources speak for a date: the validity horizon of a code's status.

Every source declares the dates it speaks for (a `SourceRelease`: the ICD-10-CM default and
each of its dated releases, each official release file a team loaded, each code page). Given
those, a code's system (and, for a code page, its source) and a date of service,
`coverage` says whether a loaded release covers the date, which release the status rests on,
and, where none does, why: the date is before ICD-10-CM (ICD-9-CM applied), before the
first loaded release, in a gap between releases, or after the newest one (naming the release
that would cover it, e.g. "FY2027, in effect since 2026-10-01, is not loaded").

Pure: the answer stage reads the releases from the index and calls `coverage`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from assistant.records import CodeRecord, SourceRelease

ICD10CM = "ICD-10-CM"
HCPCS = "HCPCS"
# ICD-10-CM replaced ICD-9-CM for dates of service from this day on.
ICD10CM_START = date(2015, 10, 1)



class CoverageReason(StrEnum):
    """Whether a loaded release speaks for a date, and why not (the JSON's status_basis.reason)."""

    COVERED = "covered"                # a loaded release covers the date
    BEFORE_ICD10CM = "before_icd10cm"  # before 2015-10-01: ICD-9-CM applied
    BEFORE_HISTORY = "before_history"  # before the first loaded release of the code set
    GAP = "gap"                        # between two loaded releases
    AFTER_NEWEST = "after_newest"      # past the newest loaded release
    NO_RELEASE = "no_release"          # no loaded source declares its dates

# ICD-10-CM always declares its dates: none means an index built before sources declared them.
_REINGEST = " (the index predates that record: run `coding-assistant ingest` again)"
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\D{0,20}((?:19|20)\d\d)", re.IGNORECASE)


@dataclass(frozen=True)
class Coverage:
    """What the loaded releases say about one date for one code system (or code page).

    `release` is the release in effect on the date, the one the status rests on (None before
    the first); `newest` the newest loaded release; `explanation` a sentence an answer can use
    as it is.
    """

    system: str
    day: date
    reason: CoverageReason
    release: SourceRelease | None
    newest: SourceRelease | None
    explanation: str

    @property
    def covered(self) -> bool:
        return self.reason == CoverageReason.COVERED

    def to_dict(self) -> dict:
        """The JSON the answer stage can put on a code entry (e.g. as `status_basis`)."""
        return {
            "covered": self.covered,
            "reason": self.reason,
            "release": self.release.name if self.release else None,
            "verified_through": self.newest.covers_through.isoformat() if self.newest else None,
            "explanation": self.explanation,
        }


def coverage(releases: Iterable[SourceRelease], system: str, day: date,
             source: str | None = None) -> Coverage:
    """Whether the loaded releases of `system` cover `day`.

    For a code page (any kind "page" release of that `source`), only the page's own release
    counts; for a code set, every dated release of the system (kind "release").
    """
    mine = _releases_for(releases, system, source)
    if system == ICD10CM and day < ICD10CM_START:
        return Coverage(system, day, CoverageReason.BEFORE_ICD10CM, None, mine[-1] if mine else None,
                        f"{day.isoformat()} is before ICD-10-CM took effect on "
                        f"{ICD10CM_START.isoformat()}: ICD-9-CM applied, and no ICD-10-CM code "
                        f"is reportable for that date.")
    if not mine:
        return Coverage(system, day, CoverageReason.NO_RELEASE, None, None,
                        f"No loaded source declares which dates its {system} data speaks for"
                        f"{_REINGEST if system == ICD10CM else ''}.")
    newest = _furthest(mine)
    in_effect = [r for r in mine if r.effective <= day]
    if not in_effect:
        return Coverage(system, day, CoverageReason.BEFORE_HISTORY, None, newest,
                        f"The {system} history is not loaded for {day.isoformat()}: the "
                        f"earliest loaded source ({mine[0].name}) starts on "
                        f"{mine[0].effective.isoformat()}.")
    # Releases of one code set follow each other; those of two kinds of file (a yearly HCPCS
    # release and a quarterly fee schedule) may overlap: any that covers the day speaks for it.
    covering = [r for r in in_effect if r.covers(day)]
    if covering:
        release = covering[-1]
        return Coverage(system, day, CoverageReason.COVERED, release, newest,
                        f"{release.name} covers {day.isoformat()}.")
    release = _furthest(in_effect)
    if day > newest.covers_through:
        return Coverage(system, day, CoverageReason.AFTER_NEWEST, newest, newest,
                        f"The status comes from {release.name}, which speaks for dates through "
                        f"{release.covers_through.isoformat()}; {_not_loaded(system, release, day)}.")
    following = next(r for r in mine if r.effective > day)
    return Coverage(system, day, CoverageReason.GAP, release, newest,
                    f"The {system} history is not loaded for {day.isoformat()}: the status comes "
                    f"from {release.name}, which speaks for dates through "
                    f"{release.covers_through.isoformat()}; {_not_loaded(system, release, day)} "
                    f"(the next loaded release, {following.name}, takes effect on "
                    f"{following.effective.isoformat()}).")


def _furthest(releases: list[SourceRelease]) -> SourceRelease:
    """The release whose dates reach furthest (the newest, where releases follow each other)."""
    return max(releases, key=lambda r: (r.covers_through, r.effective))


def _releases_for(releases: Iterable[SourceRelease], system: str,
                  source: str | None) -> list[SourceRelease]:
    releases = [r for r in releases if r.system == system]
    pages = [r for r in releases if r.kind == "page" and (source is None or r.source == source)]
    chosen = pages if source is not None and pages else [r for r in releases
                                                          if r.kind == "release"]
    return sorted(chosen, key=lambda r: (r.effective, r.covers_through))


def _not_loaded(system: str, release: SourceRelease, day: date) -> str:
    """What is missing between the end of `release` and `day`: for ICD-10-CM the fiscal years
    ("FY2027, in effect since 2026-10-01, is not loaded"), otherwise the date itself."""
    if system == HCPCS:
        return _hcpcs_years_not_loaded(release, day)
    if system != ICD10CM:
        return f"{day.isoformat()} lies beyond it"
    first = release.covers_through.year + 1  # the fiscal year after the one it speaks for
    last = day.year + 1 if day.month >= 10 else day.year
    years = [(f"FY{y}", f"{y - 1}-10-01") for y in range(first, last + 1)]
    if len(years) == 1:
        (year, since), = years
        return f"{year}, in effect since {since}, is not loaded"
    named = [f"{year} (in effect since {since})" for year, since in years]
    return f"{', '.join(named[:-1])} and {named[-1]} are not loaded"


def _hcpcs_years_not_loaded(release: SourceRelease, day: date) -> str:
    """HCPCS Level II is released by calendar year: "the HCPCS 2020 release, in effect since
    2020-01-01, is not loaded"."""
    years = list(range(release.covers_through.year + 1, day.year + 1))
    if not years:
        return f"{day.isoformat()} lies beyond it"
    if len(years) == 1:
        return f"the HCPCS {years[0]} release, in effect since {years[0]}-01-01, is not loaded"
    return (f"the HCPCS releases {years[0]} to {years[-1]} (in effect since "
            f"{years[0]}-01-01) are not loaded")


@dataclass(frozen=True)
class Horizon:
    """The dates a source (or a whole code set) speaks for: from its first loaded release
    through the end of its newest."""

    system: str
    first: SourceRelease
    newest: SourceRelease
    releases: int

    def to_dict(self) -> dict[str, object]:
        return {"from": self.first.effective.isoformat(),
                "through": self.newest.covers_through.isoformat(),
                "newest": self.newest.name, "releases": self.releases}

    def summary(self) -> str:
        """One phrase: "for dates 2015-10-01 through 2026-09-30, newest release loaded: ..."."""
        span = (f"for dates {self.first.effective.isoformat()} through "
                f"{self.newest.covers_through.isoformat()}")
        if self.newest.kind == "page":
            return span
        return f"{span}, newest release loaded: {self.newest.name}"


def horizon(releases: Iterable[SourceRelease], system: str,
            source: str | None = None) -> Horizon | None:
    """What a code's source speaks for (a code page's own dates, or its code set's releases);
    with no `source`, the code set as a whole (its releases, or else all its pages)."""
    mine = _releases_for(releases, system, source)
    if not mine and source is None:
        mine = sorted((r for r in releases if r.system == system and r.kind == "page"),
                      key=lambda r: (r.effective, r.covers_through))
    if not mine:
        return None
    newest = max(mine, key=lambda r: (r.covers_through, r.effective))
    return Horizon(system, mine[0], newest, len(mine))


def page_release(record: CodeRecord) -> SourceRelease | None:
    """The dates a code page speaks for: from its first history row through the later of its
    last history row and the end of its newest copyright year."""
    dates = sorted(event.date for event in record.history)
    years = [int(y) for line in record.source.copyright for y in _COPYRIGHT_YEAR.findall(line)]
    ends = ([dates[-1]] if dates else []) + ([date(max(years), 12, 31)] if years else [])
    if not ends:
        return None
    start = dates[0] if dates else date(min(years), 1, 1)
    basis = []
    if dates:
        basis.append(f"history {dates[0].isoformat()} to {dates[-1].isoformat()}")
    if years:
        basis.append(f"copyright {max(years)}")
    return SourceRelease(record.system, f"{record.source.path} ({record.system} {record.code})",
                         "page", start, max(ends), record.source.path, "; ".join(basis))


__all__ = ["Coverage", "CoverageReason", "Horizon", "ICD10CM_START", "coverage", "horizon",
           "page_release"]
