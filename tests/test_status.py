"""Status on a date of service, derived from the dated history, around each event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant.corpus.pages import find_pages, load_page
from assistant.records import CodeRecord, HistoryAction, HistoryEvent, Status
from assistant.status import status_on, status_words
from tests.conftest import SAMPLE_PAGE

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def page_record():
    return load_page(find_pages([SAMPLE_PAGE])[0])


@pytest.mark.parametrize("on, status", [
    (date(2001, 12, 31), Status.NOT_BILLABLE),   # before it was added
    (date(2002, 1, 1), Status.ACTIVE),
    (date(2004, 12, 31), Status.ACTIVE),
    (date(2005, 1, 1), Status.ACTIVE),           # a descriptor change does not change the status
    (date(2011, 1, 1), Status.ACTIVE),
    (date(2014, 12, 31), Status.ACTIVE),
    (date(2015, 1, 1), Status.DELETED),
    (date(2026, 11, 26), Status.DELETED),
])
def test_sample_page_status_around_each_history_row(page_record, on, status):
    assert status_on(page_record, on).status == status


def test_deletion_carries_its_date_and_the_record_flag_does_not_override(page_record):
    assert page_record.attributes["Status Code"] == "Active Code"
    result = status_on(page_record, date(2020, 1, 1))
    assert (result.status, result.effective) == (Status.DELETED, date(2015, 1, 1))
    assert status_on(page_record, date(2001, 6, 1)).valid_from == date(2002, 1, 1)


def _record(history, billable=True):
    return CodeRecord(system="ICD-10-CM", code="X00.0", title="derived test record",
                      billable=billable, history=history)


def test_expansion_makes_a_code_not_billable_with_its_replacements():
    when = date(2019, 10, 1)
    record = _record([HistoryEvent(when, HistoryAction.EXPANDED, "", ("X00.01", "X00.02"))], billable=False)
    assert status_on(record, when - DAY).status == Status.ACTIVE
    after = status_on(record, when)
    assert (after.status, after.effective, after.replacements) == (
        Status.NOT_BILLABLE, when, ("X00.01", "X00.02"))


def test_readded_code_is_active_again():
    record = _record([HistoryEvent(date(2019, 10, 1), HistoryAction.DELETED),
                      HistoryEvent(date(2021, 10, 1), HistoryAction.ADDED)])
    assert status_on(record, date(2020, 5, 1)).status == Status.DELETED
    assert status_on(record, date(2021, 10, 1)).status == Status.ACTIVE


def test_without_history_the_billable_flag_decides():
    assert status_on(_record([]), date(2020, 1, 1)).status == Status.ACTIVE
    assert status_on(_record([], billable=False), date(2020, 1, 1)).status == Status.NOT_BILLABLE


@pytest.mark.parametrize("status, since, words", [
    (Status.ACTIVE, None, "active"),
    (Status.DELETED, "2015-01-01", "deleted 2015-01-01"),
    (Status.DELETED, None, "deleted"),
    (Status.NOT_BILLABLE, "2022-10-01", "not billable since 2022-10-01"),
    (Status.NOT_BILLABLE, None, "not billable"),
])
def test_one_wording_of_a_status(status, since, words):
    assert status_words(status, since) == words


def test_enums_keep_the_json_strings():
    import json

    record = _record([HistoryEvent(date(2015, 1, 1), HistoryAction.DELETED, "Code deleted")])
    data = json.loads(record.to_json())
    assert data["history"][0]["action"] == "deleted"
    again = CodeRecord.from_dict(data)
    assert again.history[0].action is HistoryAction.DELETED
    assert status_on(again, date(2016, 1, 1)).status is Status.DELETED
    # A history action and a status are different things, though both read "deleted".
    assert HistoryAction.DELETED == Status.DELETED == "deleted"
    assert type(HistoryAction.DELETED) is not type(Status.DELETED)


@pytest.mark.parametrize("history, valid_from", [
    ([], date(2015, 10, 1)),
    ([HistoryEvent(date(2019, 10, 1), HistoryAction.EXPANDED, "", ("X00.01",))], date(2015, 10, 1)),
    ([HistoryEvent(date(2020, 4, 1), HistoryAction.ADDED)], date(2020, 4, 1)),
])
def test_no_icd10cm_code_is_reportable_before_icd10cm(history, valid_from):
    record = _record(history)
    before = status_on(record, date(2015, 9, 30))
    assert (before.status, before.valid_from) == (Status.NOT_BILLABLE, valid_from)
    assert not before.billable
    # A CPT code's status before 2015-10-01 is its own history's.
    cpt = CodeRecord(system="CPT", code="99999", title="derived test record", history=history)
    assert status_on(cpt, date(2015, 9, 30)).status == (
        Status.NOT_BILLABLE if history and history[0].action == HistoryAction.ADDED
        else Status.ACTIVE)


def test_icd10cm_codes_are_reportable_from_2015_10_01():
    assert status_on(_record([]), date(2015, 10, 1)).status == Status.ACTIVE
