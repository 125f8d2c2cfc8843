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
    assert "FY2027 (in effect since 2026-10-01) is not loaded" in result.explanation
    later = coverage(default_releases, ICD, date(2027, 10, 2))
    assert "FY2027 (in effect since 2026-10-01) and FY2028 (in effect since 2027-10-01) " \
           "are not loaded" in later.explanation
    assert result.to_dict()["verified_through"] == "2026-09-30"


def test_before_icd10cm_icd9cm_applied(default_releases):
    result = coverage(default_releases, ICD, date(2015, 9, 30))
    assert result.reason == CoverageReason.BEFORE_ICD10CM and "ICD-9-CM applied" in result.explanation


def test_a_gap_between_loaded_releases_and_a_history_not_loaded():
    releases = [SourceRelease(ICD, "FY2024 release", "release", date(2023, 10, 1),
                              date(2024, 3, 31), "a.txt"),
                SourceRelease(ICD, "FY2025 release", "release", date(2024, 10, 1),
                              date(2025, 9, 30), "b.txt")]
    assert coverage(releases, ICD, date(2024, 6, 1)).reason == CoverageReason.GAP
    assert coverage(releases, ICD, date(2020, 6, 1)).reason == CoverageReason.BEFORE_HISTORY
    assert coverage([], "CPT", date(2020, 6, 1)).reason == CoverageReason.NO_RELEASE


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
