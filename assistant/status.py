"""A code's status on a date of service, derived from its dated history (never a stored flag)."""

from __future__ import annotations

from datetime import date

from assistant.records import (
    ACTIVE,
    ADDED,
    DELETED,
    EXPANDED,
    NOT_BILLABLE,
    REMOVED,
    CodeRecord,
    CodeStatus,
)

# Actions that change whether a code may be reported; "changed" (a descriptor edit) does not.
_STATUS_ACTIONS = {ADDED, EXPANDED, REMOVED}


def status_on(record: CodeRecord, dos: date) -> CodeStatus:
    events = sorted(
        (e for e in record.history if e.action in _STATUS_ACTIONS), key=lambda e: e.date
    )
    past = [e for e in events if e.date <= dos]
    if past:
        return _status_after(past[-1])
    if events:
        return _status_before(events[0])
    return CodeStatus(ACTIVE if record.billable else NOT_BILLABLE)


def _status_after(event) -> CodeStatus:
    if event.action == REMOVED:
        return CodeStatus(DELETED, event.date, event.replacements, event=event)
    if event.action == EXPANDED:
        return CodeStatus(NOT_BILLABLE, event.date, event.replacements, event=event)
    return CodeStatus(ACTIVE, valid_from=event.date, event=event)


def _status_before(first_event) -> CodeStatus:
    """Status on a date earlier than every status event the history holds."""
    if first_event.action == ADDED:
        # Not yet in the code set on that date: it cannot be reported.
        return CodeStatus(NOT_BILLABLE, valid_from=first_event.date, event=first_event)
    # The first known event takes a code out of use, so it was in use before it.
    return CodeStatus(ACTIVE)
