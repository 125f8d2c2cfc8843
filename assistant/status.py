"""A code's status on a date of service, derived from its dated history (never a stored flag).

An event whose date the sources do not pin down (`earliest` set) counts from its `date`, the
latest day it may have taken effect; on a day within `earliest`..`date` the status is the one
before it, with the event named in `unsettled` so that an answer can say the sources cannot
tell. No ICD-10-CM code is reportable before ICD-10-CM took effect on 2015-10-01.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from assistant.horizon import ICD10CM, ICD10CM_START
from assistant.records import CodeRecord, CodeStatus, HistoryAction, HistoryEvent, Status

# Actions that change whether a code may be reported; "changed" (a descriptor edit) does not.
_STATUS_ACTIONS = {HistoryAction.ADDED, HistoryAction.EXPANDED, HistoryAction.DELETED}
_STATUS_WORDS = {Status.ACTIVE: "active", Status.NOT_BILLABLE: "not billable",
                 Status.DELETED: "deleted"}


def status_on(record: CodeRecord, dos: date) -> CodeStatus:
    events = sorted(
        (e for e in record.history if e.action in _STATUS_ACTIONS), key=lambda e: e.date
    )
    if record.system == ICD10CM and dos < ICD10CM_START:
        return _before_icd10cm(events)
    past = [e for e in events if e.date <= dos]
    unsettled = next((e for e in events
                      if e.earliest is not None and e.earliest <= dos < e.date), None)
    if past:
        status = _status_after(past[-1])
    elif events:
        status = _status_before(events[0])
    else:
        status = CodeStatus(Status.ACTIVE if record.billable else Status.NOT_BILLABLE)
    return replace(status, unsettled=unsettled) if unsettled else status


def _before_icd10cm(events: list[HistoryEvent]) -> CodeStatus:
    """No ICD-10-CM code is reportable for a date before ICD-10-CM took effect (ICD-9-CM
    applied): not billable, valid from 2015-10-01 or from the code's own later addition."""
    first = events[0] if events else None
    if first is not None and first.action == HistoryAction.ADDED:
        return CodeStatus(Status.NOT_BILLABLE, valid_from=first.date, event=first)
    return CodeStatus(Status.NOT_BILLABLE, valid_from=ICD10CM_START)


def status_words(status: Status, since: str | None = None) -> str:
    """A status in words, the one wording every interface shows: "active", "not billable",
    "deleted"; with the date it took effect, "deleted 2015-01-01" and "not billable since
    2022-10-01"."""
    words = _STATUS_WORDS[status]
    if since and status == Status.DELETED:
        return f"{words} {since}"
    if since and status == Status.NOT_BILLABLE:
        return f"{words} since {since}"
    return words


def _status_after(event: HistoryEvent) -> CodeStatus:
    if event.action == HistoryAction.DELETED:
        return CodeStatus(Status.DELETED, event.date, event.replacements, event=event)
    if event.action == HistoryAction.EXPANDED:
        return CodeStatus(Status.NOT_BILLABLE, event.date, event.replacements, event=event)
    if event.billable is False:
        # Added as a heading: in the code set from then on, never billable itself.
        return CodeStatus(Status.NOT_BILLABLE, event=event)
    return CodeStatus(Status.ACTIVE, valid_from=event.date, event=event)


def _status_before(first_event: HistoryEvent) -> CodeStatus:
    """Status on a date earlier than every status event the history holds."""
    if first_event.action == HistoryAction.ADDED:
        # Not yet in the code set on that date: it cannot be reported.
        return CodeStatus(Status.NOT_BILLABLE, valid_from=first_event.date, event=first_event)
    # The first known event takes a code out of use, so it was in use before it (as a
    # heading, not billable, when the event says so).
    if first_event.billable is False:
        return CodeStatus(Status.NOT_BILLABLE)
    return CodeStatus(Status.ACTIVE)
