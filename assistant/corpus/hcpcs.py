"""HCPCS Level II records from the official releases a team loaded (one per code and modifier).

Each record is the code as the newest loaded release lists it: its long description as title,
long and short descriptions as descriptors, and the administrative fields that carry meaning
for a coder as "value - meaning" fields (pricing indicator, coverage code, BETOS, type of
service, ASC payment group, cross-reference code, action code and the three dates). Every field
cites the file and lines it was read from.

Its dated history comes from every loaded release, whatever order they were loaded in:

- the added date: ``added`` on that date;
- the termination date, the last date the code may be reported: ``deleted`` the day after
  (termination 2018-12-31: reportable through that day, deleted from 2019-01-01), with the
  cross-reference codes as its replacements;
- the action effective date with its action code: R (re-activate) ``added`` again on that
  date; a change (B, C, F, P, S, T) or no maintenance (N) ``changed`` on that date (the date
  of the code's last change, whatever the file says it was);
- a code listed by one release and absent from the next loaded one: ``deleted`` on the next
  one's date (on a date between the two when a year is missing between them); listed again
  with no termination date after a deletion: ``added`` again on that release's date.

An event two releases state alike is kept once, as the older release states it. Each release
speaks for its calendar year (an update from its month), up to the next loaded release.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from assistant.corpus import hcpcs_layout as layout
from assistant.corpus.hcpcs_files import HcpcsEntry, HcpcsRelease
from assistant.records import CodeRecord, HistoryAction, HistoryEvent, Source, SourceRelease

__all__ = ["SOURCE_PATH", "SYSTEM", "hcpcs_records", "hcpcs_source_releases", "merge_releases"]

SYSTEM = "HCPCS"
# Every HCPCS Level II record is of this one source: its fields cite their release file.
SOURCE_PATH = "CMS Alpha-Numeric HCPCS files (HCPCS Level II, public domain)"
MODIFIER_KIND = "modifier"

# Events of one date in the order a status reads them: a deletion, then an addition on the
# same day (re-activated), then a change.
_ORDER = {HistoryAction.DELETED: 0, HistoryAction.ADDED: 1, HistoryAction.EXPANDED: 1,
          HistoryAction.CHANGED: 2}


def merge_releases(stored: Iterable[HcpcsRelease],
                   new: Iterable[HcpcsRelease]) -> list[HcpcsRelease]:
    """Stored and new releases, oldest first; a new one replaces a stored one of the same file
    name or the same date."""
    new = list(new)
    names = {r.name for r in new}
    dates = {r.effective for r in new}
    kept = [r for r in stored if r.name not in names and r.effective not in dates]
    return sorted(kept + new, key=lambda r: r.effective)


def spans(releases: Sequence[HcpcsRelease]) -> list[tuple[HcpcsRelease, date]]:
    """Each release, oldest first, with the last date it speaks for: the end of its calendar
    year, or the day before the next loaded release."""
    ordered = sorted(releases, key=lambda r: r.effective)
    found = []
    for index, release in enumerate(ordered):
        through = date(release.effective.year, 12, 31)
        if index + 1 < len(ordered):
            through = min(through, ordered[index + 1].effective - timedelta(days=1))
        found.append((release, through))
    return found


def hcpcs_source_releases(releases: Sequence[HcpcsRelease]) -> list[SourceRelease]:
    return [SourceRelease(SYSTEM, f"{r.label} (effective {r.effective.isoformat()})", "release",
                          r.effective, through, r.name, f"{r.name} as published", r.sha256)
            for r, through in spans(releases)]


def hcpcs_records(releases: Sequence[HcpcsRelease]) -> list[CodeRecord]:
    """One record per code and modifier any loaded release lists, procedure codes first."""
    timeline = spans(releases)
    keys = sorted({key for release, _ in timeline for key in release.entries},
                  key=lambda k: (len(k) == 2, k))
    return [_record(key, timeline) for key in keys]


def _record(key: str, timeline: list[tuple[HcpcsRelease, date]]) -> CodeRecord:
    release, entry = next((r, r.entries[key]) for r, _ in reversed(timeline) if key in r.entries)
    where = release.cite(entry)
    attributes = _attributes(entry)
    listed = "; ".join(r.cite(r.entries[key]) for r, _ in timeline if key in r.entries)
    return CodeRecord(
        system=SYSTEM,
        code=key,
        title=entry.long or entry.short,
        descriptors={"long": entry.long, "short": entry.short} if entry.short else
        {"long": entry.long},
        attributes=attributes,
        kind=MODIFIER_KIND if entry.modifier else "code",
        billable=True,
        history=_history(key, timeline),
        source=Source(path=SOURCE_PATH),
        version=release.label,
        field_sources={**{name: where for name in ["descriptor", *attributes]},
                       "history": listed},
    )


def _attributes(entry: HcpcsEntry) -> dict[str, str]:
    fields: dict[str, str] = {"Long Descr": entry.long}
    if entry.short:
        fields["Short Descr"] = entry.short
    if entry.pricing:
        fields["Pricing Indicator"] = "; ".join(layout.meaning(layout.PRICING_INDICATORS, p)
                                                for p in entry.pricing)
    if entry.coverage:
        fields["Coverage Code"] = layout.meaning(layout.COVERAGE_CODES, entry.coverage)
    if entry.betos:
        fields["Berenson-Eggers TOS (BETOS)"] = layout.meaning(layout.BETOS_CODES, entry.betos)
    if entry.types_of_service:
        fields["Type of Service (TOS)"] = "; ".join(
            layout.meaning(layout.TYPE_OF_SERVICE_CODES, t) for t in entry.types_of_service)
    if not entry.modifier:
        fields["ASC Payment Group"] = _asc(entry)
    if entry.cross_references:
        fields["Cross Reference Code"] = ", ".join(entry.cross_references)
    fields["Action Code"] = layout.meaning(layout.ACTION_CODES, entry.action)
    if entry.added:
        fields["Added Date"] = entry.added.isoformat()
    if entry.action_effective:
        fields["Action Effective Date"] = entry.action_effective.isoformat()
    if entry.termination:
        fields["Termination Date"] = (f"{entry.termination.isoformat()} (the last date it may "
                                      f"be reported)")
    return fields


def _asc(entry: HcpcsEntry) -> str:
    if not entry.asc_group:
        return f"blank - {layout.ASC_MEANINGS['']}"
    text = layout.meaning(layout.ASC_MEANINGS, entry.asc_group)
    if entry.asc_effective:
        text += f" (since {entry.asc_effective.isoformat()})"
    return text


# --------------------------------------------------------------------------- history


def _history(key: str, timeline: list[tuple[HcpcsRelease, date]]) -> list[HistoryEvent]:
    events: dict[tuple[date, HistoryAction], HistoryEvent] = {}
    for release, _ in timeline:
        entry = release.entries.get(key)
        if entry is not None:
            for event in _entry_events(release, entry):
                events.setdefault((event.date, event.action), event)
    ordered = _sorted(events.values())
    last: tuple[HcpcsRelease, HcpcsEntry, date] | None = None
    for release, through in timeline:
        entry = release.entries.get(key)
        state = _state(ordered, release.effective)
        if entry is None and last is not None and state == HistoryAction.ADDED:
            ordered = _sorted([*ordered, _dropped(key, last, release)])
        elif entry is not None and state == HistoryAction.DELETED and _listed_open(entry, release):
            ordered = _sorted([*ordered, _listed_again(release, entry)])
        if entry is not None:
            last = (release, entry, through)
    return ordered


def _sorted(events: Iterable[HistoryEvent]) -> list[HistoryEvent]:
    return sorted(events, key=lambda e: (e.date, _ORDER[e.action]))


def _state(events: list[HistoryEvent], day: date) -> HistoryAction | None:
    """The last status event (added or deleted) on or before `day`; None before the first."""
    past = [e for e in events if e.date <= day and e.action != HistoryAction.CHANGED]
    return past[-1].action if past else None


def _listed_open(entry: HcpcsEntry, release: HcpcsRelease) -> bool:
    """Listed with no termination date up to the release's date: in use in that release."""
    return entry.termination is None or entry.termination >= release.effective


def _entry_events(release: HcpcsRelease, entry: HcpcsEntry) -> list[HistoryEvent]:
    where = release.cite(entry)
    action = layout.meaning(layout.ACTION_CODES, entry.action)
    effective = entry.action_effective
    events = []
    if entry.added:
        note = f"Added {entry.added.isoformat()}: the added date in {where}."
        if entry.action == layout.ACTION_ADD and effective:
            note += f" Action {action}, effective {effective.isoformat()}."
        events.append(HistoryEvent(entry.added, HistoryAction.ADDED, note))
    if entry.termination:
        ended = entry.termination + timedelta(days=1)
        note = (f"Deleted from {ended.isoformat()}: termination date "
                f"{entry.termination.isoformat()} in {where}, the last date it may be reported.")
        if entry.action == layout.ACTION_DISCONTINUE:
            when = f", effective {effective.isoformat()}" if effective else ""
            note += f" Action {action}{when}."
        if entry.cross_references:
            note += f" Cross reference: {', '.join(entry.cross_references)}."
        events.append(HistoryEvent(ended, HistoryAction.DELETED, note, entry.cross_references))
    elif entry.action == layout.ACTION_DISCONTINUE and effective:
        note = (f"Discontinued effective {effective.isoformat()}: action {action} in {where} "
                f"(no termination date given).")
        events.append(HistoryEvent(effective, HistoryAction.DELETED, note,
                                   entry.cross_references))
    if effective and entry.action == layout.ACTION_REACTIVATE:
        note = f"Re-activated effective {effective.isoformat()}: action {action} in {where}."
        events.append(HistoryEvent(effective, HistoryAction.ADDED, note))
    elif effective and entry.action not in (layout.ACTION_ADD, layout.ACTION_DISCONTINUE) and \
            effective != entry.added:
        what = ("the date of its last change; this release's action code is "
                f"{action}, so the file does not say what changed"
                if entry.action == layout.ACTION_NONE else f"action {action}")
        note = f"Action effective date {effective.isoformat()} in {where}: {what}."
        events.append(HistoryEvent(effective, HistoryAction.CHANGED, note))
    return events


def _dropped(key: str, last: tuple[HcpcsRelease, HcpcsEntry, date],
             release: HcpcsRelease) -> HistoryEvent:
    """A code the previous release listed in use that `release` no longer lists."""
    before, entry, through = last
    earliest = through + timedelta(days=1)
    note = (f"Deleted: not in {release.name} ({release.label}); last listed in {before.label}: "
            f"{before.cite(entry)}, with no termination date.")
    if earliest < release.effective:
        note += (f" The releases loaded do not pin the date down: {before.label} speaks for "
                 f"dates through {through.isoformat()}, {release.label} from "
                 f"{release.effective.isoformat()}.")
        return HistoryEvent(release.effective, HistoryAction.DELETED, note, earliest=earliest)
    return HistoryEvent(release.effective, HistoryAction.DELETED, note)


def _listed_again(release: HcpcsRelease, entry: HcpcsEntry) -> HistoryEvent:
    note = (f"Listed again in {release.label} with no termination date: "
            f"{release.cite(entry)}.")
    return HistoryEvent(release.effective, HistoryAction.ADDED, note)
