"""HCPCS Level II records from the loaded releases: fields with their meanings, dated history
(a termination date 2018-12-31: reportable through that day, deleted from 2019-01-01), and one
history per code from several releases loaded in any order."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.corpus.hcpcs import (SOURCE_PATH, hcpcs_records, hcpcs_source_releases,
                                    merge_releases)
from assistant.corpus.hcpcs_files import read_contractor_file
from assistant.records import HistoryAction, Status
from assistant.status import status_on
from tests.hcpcs_files import DISCONTINUED, write_2018, write_2019, write_2020


def _by_code(records):
    return {r.code: r for r in records}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hcpcs")
    return {year: read_contractor_file(write(folder))
            for year, write in ((2018, write_2018), (2019, write_2019), (2020, write_2020))}


@pytest.fixture(scope="module")
def records_2019(files):
    return _by_code(hcpcs_records([files[2019]]))


def test_one_record_per_code_and_modifier(records_2019):
    assert len(records_2019) == 55
    lt = records_2019["LT"]
    assert (lt.system, lt.kind, lt.source.path) == ("HCPCS", "modifier", SOURCE_PATH)
    assert lt.title == "Left side (used to identify procedures performed on the left side of " \
                       "the body)"
    e0135 = records_2019["E0135"]
    assert e0135.kind == "code" and e0135.billable
    assert e0135.descriptors == {"long": "Walker, folding (pickup), adjustable or fixed height",
                                 "short": "Walker folding adjust/fixed"}


def test_fields_carry_their_meaning_from_the_layout(records_2019):
    e0100 = records_2019["E0100"].attributes
    assert e0100["Pricing Indicator"] == ("32 - Inexpensive & routinely purchased DME (price "
                                          "subject to floors and ceilings)")
    assert e0100["Coverage Code"] == "D - Special coverage instructions apply"
    assert e0100["Berenson-Eggers TOS (BETOS)"] == "D1E - Other DME"
    assert e0100["Type of Service (TOS)"] == ("A - Used durable medical equipment (DME); P - Lump "
                                              "sum purchase of DME, prosthetics, orthotics; R - "
                                              "Rental of DME")
    assert e0100["ASC Payment Group"] == "blank - Not approved for ASC"
    assert e0100["Action Code"] == "N - No maintenance for this code"
    assert (e0100["Added Date"], e0100["Action Effective Date"]) == ("1986-01-01", "1996-01-01")
    assert "Termination Date" not in e0100 and "Cross Reference Code" not in e0100
    c9015 = records_2019["C9015"].attributes
    assert c9015["ASC Payment Group"] == ("YY - Approved to be performed in an ambulatory "
                                          "surgical center (since 2018-01-01)")
    assert c9015["Cross Reference Code"] == "J0599"
    assert c9015["Action Code"] == "D - Discontinue procedure or modifier code"
    assert c9015["Termination Date"] == "2018-12-31 (the last date it may be reported)"


def test_every_field_cites_its_file_and_lines(records_2019):
    a0426 = records_2019["A0426"]
    assert set(a0426.field_sources.values()) == {"HCPC2019_CONTR_ANWEB.txt, lines 2-3"}
    assert set(a0426.field_sources) == {"descriptor", "history", *a0426.attributes}


def test_termination_2018_12_31_reportable_through_that_day_deleted_from_2019(records_2019):
    c8904 = records_2019["C8904"]
    added, deleted = c8904.history
    assert (added.date, added.action) == (date(2001, 10, 1), HistoryAction.ADDED)
    assert (deleted.date, deleted.action) == (date(2019, 1, 1), HistoryAction.DELETED)
    assert deleted.replacements == ("77046",)
    assert "termination date 2018-12-31 in HCPC2019_CONTR_ANWEB.txt, line 13" in deleted.note
    assert status_on(c8904, date(2018, 12, 31)).status == Status.ACTIVE
    assert status_on(c8904, date(2019, 1, 1)).status == Status.DELETED
    assert status_on(c8904, date(2001, 9, 30)).status == Status.NOT_BILLABLE  # not yet added


def test_the_action_effective_date_is_dated_history(records_2019):
    e0100 = records_2019["E0100"]
    changed = [e for e in e0100.history if e.action == HistoryAction.CHANGED]
    assert [e.date for e in changed] == [date(1996, 1, 1)]
    assert "action code is N - No maintenance for this code" in changed[0].note
    assert status_on(e0100, date(2019, 6, 1)).status == Status.ACTIVE


def test_the_release_speaks_for_its_calendar_year(files):
    (release,) = hcpcs_source_releases([files[2019]])
    assert (release.system, release.kind) == ("HCPCS", "release")
    assert (release.effective, release.covers_through) == (date(2019, 1, 1), date(2019, 12, 31))
    assert release.source == "HCPC2019_CONTR_ANWEB.txt" and release.sha256


# --------------------------------------------------------------------------- several releases


def test_several_releases_give_one_history_whatever_their_order(files):
    forward = hcpcs_records(merge_releases([], [files[2018], files[2019], files[2020]]))
    backward = hcpcs_records(merge_releases([files[2020]], [files[2019], files[2018]]))
    assert [r.to_dict() for r in forward] == [r.to_dict() for r in backward]
    c8904 = _by_code(forward)["C8904"]
    # listed in use by 2018, discontinued by 2019, gone from 2020: one deletion
    assert [(e.date, e.action) for e in c8904.history
            if e.action != HistoryAction.CHANGED] == [(date(2001, 10, 1), HistoryAction.ADDED),
                                                      (date(2019, 1, 1), HistoryAction.DELETED)]
    assert c8904.version == "HCPCS 2019 annual release"  # its newest listing


def test_each_release_speaks_up_to_the_next(files):
    releases = hcpcs_source_releases([files[2019], files[2018]])
    assert [(r.effective, r.covers_through) for r in releases] == [
        (date(2018, 1, 1), date(2018, 12, 31)), (date(2019, 1, 1), date(2019, 12, 31))]


def test_a_code_dropped_across_a_missing_year_is_deleted_on_a_date_the_releases_bound(files):
    # 2018 lists C8904 in use, 2019 is not loaded, 2020 no longer lists it
    records = _by_code(hcpcs_records([files[2018], files[2020]]))
    deleted = records["C8904"].history[-1]
    assert deleted.action == HistoryAction.DELETED
    assert (deleted.earliest, deleted.date) == (date(2019, 1, 1), date(2020, 1, 1))
    assert "not in HCPC2020_CONTR_ANWEB.txt" in deleted.note
    assert status_on(records["C8904"], date(2019, 6, 1)).unsettled == deleted
    assert status_on(records["C8904"], date(2020, 1, 1)).status == Status.DELETED
    # codes in both stay as they are
    assert [e.action for e in records["E0135"].history] == [HistoryAction.ADDED,
                                                           HistoryAction.CHANGED]


def test_a_release_replaces_a_stored_one_of_the_same_date(files):
    merged = merge_releases([files[2019]], [files[2019]])
    assert merged == [files[2019]]
    assert {r.name for r in merge_releases([files[2018]], [files[2019]])} == \
        {"HCPC2018_CONTR_ANWEB.txt", "HCPC2019_CONTR_ANWEB.txt"}


def test_the_derived_releases_differ_only_in_the_discontinued_codes(files):
    assert set(files[2019].entries) - set(files[2020].entries) == set(DISCONTINUED)
    assert files[2018].entries["C9015"].action == "A"
    assert files[2018].entries["C8904"].termination is None
