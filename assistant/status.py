"""A code's status on a date of service, derived from its dated history (never a stored flag)."""

from __future__ import annotations

from datetime import date

from assistant.records import CodeRecord, CodeStatus, HistoryAction, HistoryEvent, Status

# Actions that change whether a code may be reported; "changed" (a descriptor edit) does not.
_STATUS_ACTIONS = {HistoryAction.ADDED, HistoryAction.EXPANDED, HistoryAction.DELETED}
_STATUS_WORDS = {Status.ACTIVE: "active", Status.NOT_BILLABLE: "not billable",
                 Status.DELETED: "deleted"}


def status_on(record: CodeRecord, dos: date) -> CodeStatus:
    events = sorted(
        (e for e in record.history if e.action in _STATUS_ACTIONS), key=lambda e: e.date
    )
    past = [e for e in events if e.date <= dos]
    if past:
        return _status_after(past[-1])
    if events:
        return _status_before(events[0])
    return CodeStatus(Status.ACTIVE if record.billable else Status.NOT_BILLABLE)


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
    return CodeStatus(Status.ACTIVE, valid_from=event.date, event=event)


def _status_before(first_event: HistoryEvent) -> CodeStatus:
    """Status on a date earlier than every status event the history holds."""
    if first_event.action == HistoryAction.ADDED:
        # Not yet in the code set on that date: it cannot be reported.
        return CodeStatus(Status.NOT_BILLABLE, valid_from=first_event.date, event=first_event)
    # The first known event takes a code out of use, so it was in use before it.
    return CodeStatus(Status.ACTIVE)
