"""Validity horizons: which loaded release a status rests on, and when none covers a date."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.icd10cm_history import release_timeline
from assistant.corpus.icd10cm_releases import source_releases
from assistant.corpus.pages import find_pages, load_page
from assistant.horizon import CoverageReason, coverage, page_release
from assistant.records import SourceRelease
from tests.conftest import SAMPLE_PAGE

ICD = "ICD-10-CM"


@pytest.fixture(scope="module")
def default_releases() -> list[SourceRelease]:
    return source_releases(release_timeline(), "tabular")


def test_the_default_covers_fy2016_through_fy2026(default_releases):
    (default,) = [r for r in default_releases if r.kind == "default"]
    assert (default.effective, default.covers_through) == (date(2015, 10, 1), date(2026, 9, 30))
    releases = [r for r in default_releases if r.kind == "release"]
    assert releases[0].effective == date(2015, 10, 1)
    assert releases[-1].covers_through == date(2026, 9, 30)
    for earlier, later in zip(releases, releases[1:]):
        assert (later.effective - earlier.covers_through).days == 1  # no gap, no overlap


@pytest.mark.parametrize(("day", "release"), [
    (date(2015, 10, 1), "FY2016 release"),
    (date(2020, 6, 1), "FY2020 April 2020 update"),
    (date(2021, 2, 15), "FY2021 January 2021 update"),
    (date(2023, 6, 30), "FY2023 April 2023 update"),
    (date(2026, 9, 30), "FY2026 April 2026 update"),
])
def test_the_release_a_status_rests_on(default_releases, day, release):
    result = coverage(default_releases, ICD, day)
    assert result.reason == CoverageReason.COVERED and result.release.name.startswith(release)


def test_a_date_past_the_newest_release_names_the_missing_fiscal_years(default_releases):
    result = coverage(default_releases, ICD, date(2026, 11, 27))
    assert result.reason == CoverageReason.AFTER_NEWEST and not result.covered
    assert result.release.name.startswith("FY2026 April 2026 update")
    assert "FY2027, in effect since 2026-10-01, is not loaded" in result.explanation
    later = coverage(default_releases, ICD, date(2027, 10, 2))
    assert "FY2027 (in effect since 2026-10-01) and FY2028 (in effect since 2027-10-01) " \
           "are not loaded" in later.explanation
    assert result.to_dict()["verified_through"] == "2026-09-30"


def test_before_icd10cm_icd9cm_applied(default_releases):
    result = coverage(default_releases, ICD, date(2015, 9, 30))
    assert result.reason == CoverageReason.BEFORE_ICD10CM and "ICD-9-CM applied" in result.explanation


def test_a_gap_between_loaded_releases_and_a_history_not_loaded():
    releases = [SourceRelease(ICD, "FY2024 release", "release", date(2023, 10, 1),
                              date(2024, 9, 30), "a.txt"),
                SourceRelease(ICD, "FY2026 release", "release", date(2025, 10, 1),
                              date(2026, 9, 30), "b.txt")]
    gap = coverage(releases, ICD, date(2025, 6, 1))
    assert gap.reason == CoverageReason.GAP and gap.release.name == "FY2024 release"
    assert gap.explanation == (
        "The ICD-10-CM history is not loaded for 2025-06-01: the status comes from FY2024 "
        "release, which speaks for dates through 2024-09-30; FY2025, in effect since "
        "2024-10-01, is not loaded (the next loaded release, FY2026 release, takes effect on "
        "2025-10-01).")
    assert coverage(releases, ICD, date(2020, 6, 1)).reason == CoverageReason.BEFORE_HISTORY
    assert coverage([], "CPT", date(2020, 6, 1)).reason == CoverageReason.NO_RELEASE
    assert "run `coding-assistant ingest` again" in coverage([], ICD, date(2020, 6, 1)).explanation


def test_a_code_page_speaks_through_its_copyright_year():
    record = load_page(find_pages([SAMPLE_PAGE])[0])
    release = page_release(record)
    assert (release.effective, release.covers_through) == (date(2002, 1, 1), date(2025, 12, 31))
    assert release.kind == "page" and "copyright 2025" in release.citation
    releases = [release]
    assert coverage(releases, "CPT", date(2025, 6, 1), record.source.path).covered
    after = coverage(releases, "CPT", date(2026, 11, 27), record.source.path)
    assert after.reason == CoverageReason.AFTER_NEWEST and "2025-12-31" in after.explanation


def test_release_round_trips_through_json():
    release = SourceRelease(ICD, "x", "release", date(2026, 10, 1), date(2027, 9, 30), "f.txt",
                            "f.txt as published", "ab")
    assert SourceRelease.from_dict(release.to_dict()) == release


def test_a_release_speaks_no_further_than_its_fiscal_year():
    """An April 2027 file loaded without FY2027's October file: April 2026 still ends on
    2026-09-30, and October 2026 to March 2027 is a gap that names the missing FY2027."""
    from assistant.corpus.icd10cm_releases import LoadedRelease, Snapshot

    timeline = release_timeline()
    codes = {c: s for c in timeline.codes() if (s := timeline.states(c)[-1]) is not None}
    april_2027 = LoadedRelease(Snapshot(date(2027, 4, 1), "FY2027 April 2027 update",
                                        "icd10cm-order-April-2027.txt", loaded=True), codes)
    releases = source_releases(release_timeline([april_2027]), "tabular")
    gap = coverage(releases, ICD, date(2026, 12, 1))
    assert gap.reason == CoverageReason.GAP
    assert gap.release.name.startswith("FY2026 April 2026 update")
    assert "FY2027, in effect since 2026-10-01, is not loaded" in gap.explanation
    assert "FY2027 April 2027 update (effective 2027-04-01), takes effect on 2027-04-01" \
        in gap.explanation
    assert coverage(releases, ICD, date(2027, 4, 1)).covered


# --------------------------------------------------------------------------- two kinds of file

def _release(system: str, name: str, start: date, end: date) -> SourceRelease:
    return SourceRelease(system, name, "release", start, end, name)


# An HCPCS code's status rests on its yearly release and on the quarterly fee schedule files
# that list it: their dates overlap.
HCPCS_2019 = _release("HCPCS", "HCPCS 2019 annual release", date(2019, 1, 1), date(2019, 12, 31))
FEE_2019_Q1 = _release("HCPCS", "physician fee schedule 2019 Q1", date(2019, 1, 1),
                       date(2019, 3, 31))
FEE_2019_Q2 = _release("HCPCS", "physician fee schedule 2019 Q2", date(2019, 4, 1),
                       date(2019, 6, 30))
FEE_2020_Q1 = _release("HCPCS", "physician fee schedule 2020 Q1", date(2020, 1, 1),
                       date(2020, 3, 31))


@pytest.mark.parametrize(("day", "release"), [
    (date(2019, 2, 1), "HCPCS 2019 annual release"),        # both cover it
    (date(2019, 5, 1), "physician fee schedule 2019 Q2"),   # both: the later one
    (date(2019, 8, 1), "HCPCS 2019 annual release"),        # past the fee schedule's quarter
    (date(2020, 2, 1), "physician fee schedule 2020 Q1"),   # past the HCPCS release
])
def test_overlapping_releases_any_that_covers_the_day_speaks_for_it(day, release):
    result = coverage([HCPCS_2019, FEE_2019_Q1, FEE_2019_Q2, FEE_2020_Q1], "HCPCS", day)
    assert result.reason == CoverageReason.COVERED
    assert result.release.name == release


def test_past_every_overlapping_release_the_one_reaching_furthest_is_the_basis():
    result = coverage([HCPCS_2019, FEE_2019_Q1, FEE_2019_Q2], "HCPCS", date(2021, 5, 1))
    assert result.reason == CoverageReason.AFTER_NEWEST
    assert result.release == HCPCS_2019 and result.newest == HCPCS_2019
    assert result.to_dict()["verified_through"] == "2019-12-31"
    assert ("the HCPCS releases 2020 to 2021 (in effect since 2020-01-01) are not loaded"
            in result.explanation)
    one = coverage([HCPCS_2019], "HCPCS", date(2020, 3, 1))
    assert "the HCPCS 2020 release, in effect since 2020-01-01, is not loaded" in one.explanation


def test_a_quarter_between_two_fee_schedule_files_is_a_gap():
    result = coverage([FEE_2019_Q1, FEE_2020_Q1], "HCPCS", date(2019, 6, 1))
    assert result.reason == CoverageReason.GAP and result.release == FEE_2019_Q1
    assert "physician fee schedule 2020 Q1, takes effect on 2020-01-01" in result.explanation
