"""What a code's status rests on (the JSON's `status_basis`) and what an answer must say of it.

A status for a date of service no loaded release covers is never a plain yes: where the data
says a code is valid and billable, or a heading, the answer says which release the status
comes from and that the date lies beyond it, in its text and in a warning. A change the data
records (a deletion, a heading since a date, a code not yet added) stays what it is. Before
2015-10-01 no ICD-10-CM code is reportable (ICD-9-CM applied). An event the loaded releases do
not pin down (`HistoryEvent.earliest`) is said as such, never as one picked date.

Pure: the answer builder passes in the releases the index declares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.horizon import Coverage, CoverageReason, coverage
from assistant.records import CodeRecord, CodeStatus, HistoryAction, HistoryEvent, SourceRelease, Status


@dataclass(frozen=True)
class StatusBasis:
    """The coverage of the date of service, and the warning the answer gives about it (None
    where the status holds as stated)."""

    coverage: Coverage
    warning: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {**self.coverage.to_dict(), "warning": self.warning}


def status_basis(record: CodeRecord, status: CodeStatus, releases: Sequence[SourceRelease],
                 dos: date) -> StatusBasis:
    covered = coverage(releases, record.system, dos, record.source.path)
    if status.unsettled is not None:
        return StatusBasis(covered, f"{record.code}: status on {dos.isoformat()} not known. "
                                    f"{unsettled_clause(record, status.unsettled, releases)}.")
    if covered.reason == CoverageReason.BEFORE_ICD10CM:
        return StatusBasis(covered)  # the status itself says it: not reportable
    if covered.covered or not _rests_on_the_newest_data(status):
        return StatusBasis(covered)
    return StatusBasis(covered, f"{record.code}: status on {dos.isoformat()} not verified. "
                                f"{covered.explanation}")


def _rests_on_the_newest_data(status: CodeStatus) -> bool:
    """Valid and billable, or a heading, as the data's releases list it: what a release the
    data lacks could change. A recorded change out of use (or not yet in use) stays one."""
    if status.status == Status.ACTIVE:
        return True
    return (status.status == Status.NOT_BILLABLE and status.effective is None
            and status.valid_from is None)


def unsettled_clause(record: CodeRecord, event: HistoryEvent,
                     releases: Sequence[SourceRelease]) -> str:
    """How the two releases around an open change list the code, and the span it took effect
    in: "E87.2 is billable in <older release> and a heading in <newer release>; the change
    took effect on a date from 2026-10-01 to 2027-04-01 (the loaded releases do not pin it
    down)"."""
    assert event.earliest is not None
    older = coverage(releases, record.system, event.earliest - timedelta(days=1),
                     record.source.path).release
    newer = coverage(releases, record.system, event.date, record.source.path).release
    when = event_when(event)
    if older is None or newer is None:
        return f"{record.code} {_ACTION_WORDS[event.action]} {when}"
    before, after = _STATES[event.action]
    return (f"{record.code} is {before} {older.name} and {after} {newer.name}; the change "
            f"took effect {when}")


def event_when(event: HistoryEvent) -> str:
    """When an event took effect: "on 2021-01-01", or, where the loaded releases leave it
    open, "on a date from 2026-10-01 to 2027-04-01 (the loaded releases do not pin it
    down)"."""
    if event.earliest is None:
        return f"on {event.date.isoformat()}"
    return (f"on a date from {event.earliest.isoformat()} to {event.date.isoformat()} (the "
            f"loaded releases do not pin it down)")


# (its state in the older release, in the newer one) around each kind of status event
_STATES = {
    HistoryAction.ADDED: ("not in", "listed in"),
    HistoryAction.DELETED: ("listed in", "not in"),
    HistoryAction.EXPANDED: ("billable in", "a heading in"),
    HistoryAction.CHANGED: ("titled otherwise in", "retitled in"),
}
_ACTION_WORDS = {
    HistoryAction.ADDED: "was added",
    HistoryAction.DELETED: "was deleted",
    HistoryAction.EXPANDED: "became a heading (not billable)",
    HistoryAction.CHANGED: "was retitled",
}
