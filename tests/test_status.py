"""Status on a date of service, derived from the dated history, around each event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from assistant.corpus.pages import find_pages, load_page
from assistant.records import (ACTIVE, ADDED, DELETED, EXPANDED, NOT_BILLABLE, REMOVED, CodeRecord,
                               HistoryEvent)
from assistant.status import status_on
from tests.conftest import SAMPLE_PAGE

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def page_record():
    return load_page(find_pages([SAMPLE_PAGE])[0])


@pytest.mark.parametrize("on, status", [
    (date(2001, 12, 31), NOT_BILLABLE),   # before it was added
    (date(2002, 1, 1), ACTIVE),
    (date(2004, 12, 31), ACTIVE),
    (date(2005, 1, 1), ACTIVE),           # a descriptor change does not change the status
    (date(2011, 1, 1), ACTIVE),
    (date(2014, 12, 31), ACTIVE),
    (date(2015, 1, 1), DELETED),
    (date(2026, 11, 26), DELETED),
])
def test_sample_page_status_around_each_history_row(page_record, on, status):
    assert status_on(page_record, on).status == status


def test_deletion_carries_its_date_and_the_record_flag_does_not_override(page_record):
    assert page_record.attributes["Status Code"] == "Active Code"
    result = status_on(page_record, date(2020, 1, 1))
    assert (result.status, result.effective) == (DELETED, date(2015, 1, 1))
    assert status_on(page_record, date(2001, 6, 1)).valid_from == date(2002, 1, 1)


def _record(history, billable=True):
    return CodeRecord(system="ICD-10-CM", code="X00.0", title="derived test record",
                      billable=billable, history=history)


def test_expansion_makes_a_code_not_billable_with_its_replacements():
    when = date(2019, 10, 1)
    record = _record([HistoryEvent(when, EXPANDED, "", ("X00.01", "X00.02"))], billable=False)
    assert status_on(record, when - DAY).status == ACTIVE
    after = status_on(record, when)
    assert (after.status, after.effective, after.replacements) == (
        NOT_BILLABLE, when, ("X00.01", "X00.02"))


def test_readded_code_is_active_again():
    record = _record([HistoryEvent(date(2019, 10, 1), REMOVED),
                      HistoryEvent(date(2021, 10, 1), ADDED)])
    assert status_on(record, date(2020, 5, 1)).status == DELETED
    assert status_on(record, date(2021, 10, 1)).status == ACTIVE


def test_without_history_the_billable_flag_decides():
    assert status_on(_record([]), date(2020, 1, 1)).status == ACTIVE
    assert status_on(_record([], billable=False), date(2020, 1, 1)).status == NOT_BILLABLE
