"""ICD-10-CM history from the code set's own dated releases (snapshots of the whole set).

Each snapshot is the code set in effect from its effective date: every category and code it
holds, billable (1) or header (0), with its long title and the line that lists it. A code
absent from the snapshot in effect on a date is not valid on that date. Comparing each pair of
consecutive snapshots dates every change:

- absent -> present: ``added`` (a heading, not billable, when the release lists it with 0);
- header -> billable: ``added`` (billable from then on);
- billable -> header: ``expanded``: not billable, its billable codes in the later release
  are the replacements;
- present -> absent: ``deleted``, with replacements where the later release shows them
  (a billable ancestor the code was folded back into, or the new codes that refine it);
- a long title that differs (both releases read from order files): ``changed``.

An event takes effect on the later snapshot's date when no other date on which the code set
could have changed (a fiscal year's October 1 or a published mid-year update, see
PUBLISHED_UPDATES) lies between the two snapshots. Otherwise the releases loaded do not pin
the change down: the event's ``date`` is the latest date it may have taken effect (the later
snapshot's), ``earliest`` the first, and its note says so.

The default snapshots (FY2016 to the April 2026 tabular) are read from the table committed
under ``corpus/icd10cm/`` (see ``corpus/icd10cm/build_releases.py``, which rebuilds it from the
official files); release files a team loads with ``coding-assistant ingest`` are stored in the
index and join them here, in date order, whatever order they were loaded in.
"""

from __future__ import annotations

import gzip
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from assistant.records import HistoryAction, HistoryEvent, SourceRelease

__all__ = [
    "ICD10CM_START",
    "PUBLISHED_UPDATES",
    "TABLE_PATH",
    "CodeState",
    "MidYearUpdate",
    "Snapshot",
    "Timeline",
    "committed_table",
    "dotted",
    "fiscal_year",
    "fiscal_year_end",
    "undotted",
]

SYSTEM = "ICD-10-CM"
# ICD-10-CM replaced ICD-9-CM for dates of service from this day on (FY2016).
ICD10CM_START = date(2015, 10, 1)
TABLE_PATH = Path(__file__).resolve().parents[2] / "corpus" / "icd10cm" / "releases.tsv.gz"
# How many codes a note lists before it says "and N more".
_NOTE_LIST_LIMIT = 12


def dotted(code: str) -> str:
    """ICD-10-CM code in its dotted form: "E872" -> "E87.2", "I10" -> "I10"."""
    code = code.strip().upper()
    if "." in code or len(code) <= 3:
        return code
    return f"{code[:3]}.{code[3:]}"


def undotted(code: str) -> str:
    """ICD-10-CM code without its dot, as the release files spell it: "E87.2" -> "E872"."""
    return code.strip().upper().replace(".", "")


def fiscal_year(day: date) -> int:
    """The federal fiscal year a date falls in (FY2027 runs 2026-10-01 to 2027-09-30)."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_end(day: date) -> date:
    return date(fiscal_year(day), 9, 30)


# --------------------------------------------------------------------------- mid-year updates


@dataclass(frozen=True)
class MidYearUpdate:
    """A published update of ICD-10-CM between two fiscal years, and where it is published.

    Which codes an update changed comes from the releases themselves (a snapshot of the
    update, the addenda, the MS-DRG maps of that year). Only where no loaded file tells the
    update's codes from the fiscal year's others does `codes` list the codes its publication
    names.
    """

    effective: date
    name: str
    source: str
    codes: tuple[str, ...] = ()


_CDC = "CDC/NCHS ICD-10-CM files and announcements, as recorded in shared/cms/README.md"
PUBLISHED_UPDATES: tuple[MidYearUpdate, ...] = (
    MidYearUpdate(date(2020, 4, 1), "April 2020 update (U07.0, U07.1)",
                  f"{_CDC}: U07.1 took effect 2020-04-01"),
    MidYearUpdate(date(2021, 1, 1), "January 2021 update",
                  f"{_CDC}: J12.82, M35.81, M35.89, Z11.52, Z20.822 and Z86.16 took effect "
                  "2021-01-01",
                  codes=("J1282", "M3581", "M3589", "Z1152", "Z20822", "Z8616")),
    MidYearUpdate(date(2022, 4, 1), "April 2022 update",
                  "icd10cm_order_addenda_2022.txt (changes within FY2022)"),
    MidYearUpdate(date(2023, 4, 1), "April 2023 update",
                  f"{_CDC}: the April 2023 update took effect 2023-04-01"),
    MidYearUpdate(date(2024, 4, 1), "April 2024 update",
                  "icd10cm_order_2024.txt (the April 2024 version; its addenda list no "
                  "change within FY2024)"),
    MidYearUpdate(date(2025, 4, 1), "April 2025 update", "code-list-April-2025.txt"),
    MidYearUpdate(date(2026, 4, 1), "April 2026 update", "code-list-April-2026.txt"),
)


def change_dates(after: date, upto: date) -> list[date]:
    """Dates in (after, upto] on which the code set may have changed, oldest first: each
    October 1 (a new fiscal year), each published mid-year update, and `upto` itself."""
    dates = {upto}
    dates |= {u.effective for u in PUBLISHED_UPDATES if after < u.effective <= upto}
    dates |= {date(y, 10, 1) for y in range(after.year, upto.year + 1)
              if after < date(y, 10, 1) <= upto}
    return sorted(dates)


# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class Snapshot:
    """One dated release of the whole code set.

    `source` is the file its lines are cited from; `basis` says how a snapshot that no single
    file holds was derived (empty for a file as published); `titled` is true when its titles
    are the order file's long titles (the only ones compared for "changed" events).
    """

    effective: date
    label: str
    source: str
    titled: bool = True
    basis: str = ""
    second_source: str = ""
    loaded: bool = False

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.effective)


@dataclass(frozen=True)
class CodeState:
    """A code as one snapshot lists it. `cite` is "file, line N" where the line is known."""

    billable: bool
    title: str | None = None
    cite: str | None = None


@dataclass
class ReleaseTable:
    """The committed snapshots: per code a state string ('B' billable, 'H' header, '-' absent,
    one character per snapshot), its long titles where they change and its cited lines at
    each change."""

    snapshots: list[Snapshot]
    rows: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def states(self, code: str) -> list[CodeState | None]:
        row = self.rows.get(code)
        if row is None:
            return [None] * len(self.snapshots)
        flags, titles, cites = row
        title_at = _parse_indexed(titles, "|")
        cite_at = _parse_indexed(cites, ",")
        states: list[CodeState | None] = []
        title = None
        for index, flag in enumerate(flags):
            title = title_at.get(index, title)
            if flag == "-":
                states.append(None)
                continue
            snapshot = self.snapshots[index]
            states.append(CodeState(flag == "B", title if snapshot.titled else None,
                                    self._cite(snapshot, cite_at.get(index))))
        return states

    @staticmethod
    def _cite(snapshot: Snapshot, line: str | None) -> str:
        if not line:
            return snapshot.source
        if line.startswith("a"):
            return f"{snapshot.second_source}, line {line[1:]}"
        return f"{snapshot.source}, line {line}"

    def latest_titles(self) -> dict[str, str]:
        """Code -> the long title of the newest snapshot that gives one."""
        titles = {}
        for code, (_, text, _) in self.rows.items():
            if text:
                titles[code] = text.rsplit("|", 1)[-1].split(":", 1)[1]
        return titles


def same_title(a: str | None, b: str | None) -> bool:
    """Titles compare without accents, case and spacing: the tabular XML writes "Sézary"
    where the order files write "Sezary", and that is no revision."""
    return _folded(a) == _folded(b)


def _folded(title: str | None) -> str | None:
    if title is None:
        return None
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.split()).casefold()


def _parse_indexed(text: str, separator: str) -> dict[int, str]:
    found: dict[int, str] = {}
    if not text:
        return found
    for part in text.split(separator):
        index, _, value = part.partition(":")
        found[int(index)] = value
    return found


_SNAPSHOT_LINE = "#snapshot"


def write_table(path: Path, snapshots: Sequence[Snapshot],
                codes: Mapping[str, Sequence[CodeState | None]], header: Iterable[str]) -> None:
    """Write the committed table: provenance comments, the snapshots, one row per code."""
    lines = [f"# {text}" for text in header]
    for index, snap in enumerate(snapshots):
        lines.append("\t".join([_SNAPSHOT_LINE, str(index), snap.effective.isoformat(),
                                snap.label, snap.source, "1" if snap.titled else "0",
                                snap.basis, snap.second_source]))
    for code in sorted(codes, key=_tabular_sort_key):
        lines.append("\t".join((code, *_encode_row(codes[code]))))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def _encode_row(states: Sequence[CodeState | None]) -> tuple[str, str, str]:
    flags = "".join("-" if s is None else ("B" if s.billable else "H") for s in states)
    titles, cites = [], []
    last_title = None
    for index, state in enumerate(states):
        if state is None:
            continue
        if state.title is not None and not same_title(state.title, last_title):
            if "|" in state.title or "\t" in state.title:
                raise ValueError(f"title of {state} holds a separator")
            titles.append(f"{index}:{state.title}")
            last_title = state.title
        if state.cite and _changes_at(states, index):
            cites.append(f"{index}:{state.cite}")
    return flags, "|".join(titles), ",".join(cites)


def _changes_at(states: Sequence[CodeState | None], index: int) -> bool:
    """Whether the code's state differs from a neighbouring snapshot's (a cited change)."""
    here = states[index]
    for other in (index - 1, index + 1):
        if 0 <= other < len(states):
            there = states[other]
            if there is None or here is None or there.billable != here.billable or (
                    there.title and here.title and not same_title(there.title, here.title)):
                return True
    return False


def _tabular_sort_key(code: str) -> tuple:
    return (code[:3], code)


def read_table(path: Path = TABLE_PATH) -> ReleaseTable:
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    table = ReleaseTable([])
    for line in text.splitlines():
        if line.startswith(_SNAPSHOT_LINE):
            _, _, effective, label, source, titled, basis, second = line.split("\t")
            table.snapshots.append(Snapshot(date.fromisoformat(effective), label, source,
                                            titled == "1", basis, second))
        elif line and not line.startswith("#"):
            code, flags, titles, cites = line.split("\t")
            table.rows[code] = (flags, titles, cites)
    return table


@lru_cache(maxsize=1)
def committed_table() -> ReleaseTable:
    """The snapshots shipped with the project (read once)."""
    return read_table()


# --------------------------------------------------------------------------- the timeline


@dataclass
class LoadedRelease:
    """A release file a team loaded: its snapshot, every code it lists (undotted) and, when
    its tabular XML was loaded with it, the notes that apply to each code (kind, text, stated
    at)."""

    snapshot: Snapshot
    codes: dict[str, CodeState]
    notes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    sha256: str = ""


class Timeline:
    """All snapshots in effective-date order (committed ones and loaded files) and the
    history each code gets from them. A loaded file replaces a committed snapshot of the same
    effective date."""

    def __init__(self, table: ReleaseTable, loaded: Iterable[LoadedRelease] = ()):
        self.table = table
        loaded = sorted(loaded, key=lambda r: r.snapshot.effective)
        replaced = {r.snapshot.effective for r in loaded}
        # (snapshot, index in the committed table or None, loaded codes or None)
        entries: list[tuple[Snapshot, int | None, dict[str, CodeState] | None]] = [
            (snap, i, None) for i, snap in enumerate(table.snapshots)
            if snap.effective not in replaced]
        entries += [(r.snapshot, None, r.codes) for r in loaded]
        entries.sort(key=lambda e: e[0].effective)
        self._entries = entries
        self._loaded = loaded
        self.snapshots = [e[0] for e in entries]
        self._all_codes = sorted(set(table.rows).union(*(r.codes for r in loaded)))

    @property
    def newest(self) -> Snapshot:
        return self.snapshots[-1]

    @property
    def loaded(self) -> list[LoadedRelease]:
        return list(self._loaded)

    def codes(self) -> list[str]:
        """Every undotted code any snapshot lists, sorted."""
        return self._all_codes

    def in_newest(self, code: str) -> bool:
        """Whether the newest snapshot lists the (undotted) code."""
        _, index, codes = self._entries[-1]
        if codes is not None:
            return code in codes
        assert index is not None  # a committed snapshot
        row = self.table.rows.get(code)
        return row is not None and row[0][index] != "-"

    def states(self, code: str) -> list[CodeState | None]:
        committed = self.table.states(code) if code in self.table.rows else None
        states: list[CodeState | None] = []
        for _, index, codes in self._entries:
            if codes is not None:
                states.append(codes.get(code))
            else:
                assert index is not None  # a committed snapshot
                states.append(committed[index] if committed is not None else None)
        return states

    def _quiet(self, code: str) -> bool:
        """Fast check: listed alike, with one title, by every snapshot (most codes are)."""
        row = self.table.rows.get(code)
        if row is None:
            return False
        flags, titles, _ = row
        if flags[0] == "-" or flags.count(flags[0]) != len(flags) or "|" in titles:
            return False
        title = titles.partition(":")[2] or None
        for release in self._loaded:
            state = release.codes.get(code)
            if state is None or state.billable != (flags[0] == "B"):
                return False
            if state.title and title and not same_title(state.title, title):
                return False
        return True

    def codes_under(self, code: str) -> list[str]:
        """Codes that extend `code` in any snapshot, sorted."""
        start = bisect_left(self._all_codes, code + "\x00")
        found = []
        for other in self._all_codes[start:]:
            if not other.startswith(code):
                break
            found.append(other)
        return found

    def history(self, code: str) -> list[HistoryEvent]:
        """The dated events of one undotted code, oldest first."""
        if self._quiet(code):
            return []
        states = self.states(code)
        if _steady(states):
            return []
        events: list[HistoryEvent] = []
        seen = states[0] is not None
        titled = states[0] if states[0] is not None and states[0].title else None
        for i in range(1, len(states)):
            before, after = states[i - 1], states[i]
            if before is None and after is None:
                continue
            events.extend(self._events(code, i, before, after, seen, titled))
            seen = seen or after is not None
            if after is not None and after.title:
                titled = after
        return events

    # ---------------------------------------------------------------- one change

    def _events(self, code: str, i: int, before: CodeState | None, after: CodeState | None,
                seen: bool, titled: CodeState | None) -> list[HistoryEvent]:
        """The events between snapshots i-1 and i; `titled` is the code's state in the newest
        earlier snapshot that gave its title."""
        older, newer = self.snapshots[i - 1], self.snapshots[i]
        dates = change_dates(older.effective, newer.effective)
        event_date, earliest = dates[-1], (dates[0] if len(dates) > 1 else None)
        name = dotted(code)
        where = _when(newer, event_date, earliest)
        unsure = _unsure(older, newer, dates) if earliest else ""
        if before is None:
            assert after is not None  # the caller skips codes neither snapshot lists
            again = " again, after being absent from " + older.label if seen else ""
            kind = "" if after.billable else " as a heading (not billable)"
            note = (f"Added{again}{kind} {where}: {after.cite or newer.source}; "
                    f"not in {_named(older)}.{_basis(newer)}{unsure}")
            return [_event(event_date, HistoryAction.ADDED, note, earliest=earliest,
                           billable=None if after.billable else False)]
        if after is None:
            replacements, detail = self._deletion_replacements(code, i)
            note = (f"Deleted {where}: not in {newer.source}; last listed in {older.label}: "
                    f"{before.cite or older.source}.{detail}{_basis(newer)}{unsure}")
            return [_event(event_date, HistoryAction.DELETED, note, tuple(replacements), earliest,
                           billable=None if before.billable else False)]
        events: list[HistoryEvent] = []
        if before.billable and not after.billable:
            children = self._billable_under(code, i)
            listed = _limited([dotted(c) for c in children]) or "no billable codes"
            note = (f"Not billable {where}: {after.cite or newer.source} lists {name} as a "
                    f"heading (0) with {listed}; billable in {older.label}: "
                    f"{before.cite or older.source}.{_basis(newer)}{unsure}")
            events.append(_event(event_date, HistoryAction.EXPANDED, note,
                                 tuple(dotted(c) for c in children), earliest))
        elif after.billable and not before.billable:
            note = (f"Billable {where}: {after.cite or newer.source} lists {name} with 1; a "
                    f"heading in {older.label}: {before.cite or older.source}."
                    f"{_basis(newer)}{unsure}")
            events.append(_event(event_date, HistoryAction.ADDED, note, earliest=earliest))
        if titled and after.title and not same_title(titled.title, after.title):
            note = (f"Title revised {where}: \"{after.title}\" ({after.cite or newer.source}); "
                    f"before: \"{titled.title}\" ({titled.cite}).{unsure}")
            events.append(_event(event_date, HistoryAction.CHANGED, note, earliest=earliest))
        return events

    def _billable_under(self, code: str, i: int) -> list[str]:
        found = []
        for other in self.codes_under(code):
            state = self.states(other)[i]
            if state is not None and state.billable:
                found.append(other)
        return found

    def _deletion_replacements(self, code: str, i: int) -> tuple[list[str], str]:
        """What the later release offers instead: a billable ancestor the code was folded
        back into, or new codes that refine it (placeholder X matching any character)."""
        newer = self.snapshots[i]
        ancestors = [code[:k] for k in range(len(code) - 1, 2, -1)]
        listed = [a for a in ancestors if self.states(a)[i] is not None]
        if not listed:
            return [], ""
        ancestor = listed[0]
        if _billable(self.states(ancestor)[i]):
            return [dotted(ancestor)], f" {newer.source} lists {dotted(ancestor)} instead."
        new_under: list[str] = []
        for other in self.codes_under(ancestor):
            states = self.states(other)
            if states[i] is not None and states[i - 1] is None:
                new_under.append(other)
        refined = [c for c in new_under
                   if _refines(code, c, len(ancestor)) and _billable(self.states(c)[i])]
        if refined:
            names = [dotted(c) for c in refined]
            return names, f" Codes new in {newer.source} that refine it: {_limited(names)}."
        if new_under:
            names = [dotted(c) for c in new_under]
            return [], f" Codes new in {newer.source} under {dotted(ancestor)}: {_limited(names)}."
        return [], ""


def _steady(states: Sequence[CodeState | None]) -> bool:
    first = states[0]
    if first is None:
        return False
    title = first.title
    for state in states[1:]:
        if state is None or state.billable != first.billable:
            return False
        if state.title and title and not same_title(state.title, title):
            return False
        title = state.title or title
    return True


def _refines(deleted: str, candidate: str, prefix_len: int) -> bool:
    """Same length, and equal below the shared prefix where the deleted code has no
    placeholder X (so T404X1A is refined by T40411A, T40421A and T40491A)."""
    if len(candidate) != len(deleted) or candidate == deleted:
        return False
    return all(d == "X" or d == c for d, c in zip(deleted[prefix_len:], candidate[prefix_len:]))


def _billable(state: CodeState | None) -> bool:
    return state is not None and state.billable


def _event(when: date, action: HistoryAction, note: str, replacements: tuple[str, ...] = (),
           earliest: date | None = None, billable: bool | None = None) -> HistoryEvent:
    return HistoryEvent(when, action, note, replacements, earliest=earliest, billable=billable)


def _when(newer: Snapshot, event_date: date, earliest: date | None) -> str:
    if earliest:
        return f"by {newer.label} (effective {event_date.isoformat()})"
    return f"in {newer.label}, effective {event_date.isoformat()}"


def _named(snapshot: Snapshot) -> str:
    """A snapshot's label, with its file where one file holds it as published."""
    return snapshot.label if snapshot.basis else f"{snapshot.label} ({snapshot.source})"


def _basis(snapshot: Snapshot) -> str:
    return f" ({snapshot.label}: {snapshot.basis}.)" if snapshot.basis else ""


def _unsure(older: Snapshot, newer: Snapshot, dates: list[date]) -> str:
    options = ", ".join(d.isoformat() for d in dates[:-1])
    return (f" The releases loaded do not pin the date down: not in effect under "
            f"{older.label} (from {older.effective.isoformat()}), in effect under "
            f"{newer.label} (from {newer.effective.isoformat()}); it took effect on "
            f"{options} or {dates[-1].isoformat()}.")


def _limited(codes: Sequence[str]) -> str:
    if len(codes) <= _NOTE_LIST_LIMIT:
        return ", ".join(codes)
    return f"{', '.join(codes[:_NOTE_LIST_LIMIT])} and {len(codes) - _NOTE_LIST_LIMIT} more"


def iter_histories(timeline: Timeline) -> Iterator[tuple[str, list[HistoryEvent]]]:
    """(dotted code, events) for every code with at least one event."""
    for code in timeline.codes():
        events = timeline.history(code)
        if events:
            yield dotted(code), events


DEFAULT_NAME = "ICD-10-CM default: official releases FY2016-FY2026 and the April 2026 tabular"


def source_releases(timeline: Timeline, batch_source: str) -> list[SourceRelease]:
    """The dates each snapshot speaks for, and the shipped default as a whole.

    A snapshot speaks for the dates from its effective date to the day before the next one,
    and never past the end of its fiscal year (a later year's October release may be missing:
    an April 2027 file loaded without FY2027 leaves October 2026 to March 2027 uncovered).
    The default covers 2015-10-01 through the end of its newest release's fiscal year.
    """
    releases = []
    committed = timeline.table.snapshots
    releases.append(SourceRelease(
        SYSTEM, DEFAULT_NAME, "default", committed[0].effective,
        fiscal_year_end(committed[-1].effective), batch_source,
        f"corpus/icd10cm/releases.tsv.gz ({len(committed)} snapshots)"))
    snapshots = timeline.snapshots
    loaded = {r.snapshot.source: r.sha256 for r in timeline.loaded}
    for index, snap in enumerate(snapshots):
        through = fiscal_year_end(snap.effective)
        if index + 1 < len(snapshots):
            through = min(through, snapshots[index + 1].effective - timedelta(days=1))
        citation = snap.basis or f"{snap.source} as published"
        releases.append(SourceRelease(
            SYSTEM, f"{snap.label} (effective {snap.effective.isoformat()})", "release",
            snap.effective, through, snap.source, citation,
            loaded.get(snap.source, "") if snap.loaded else ""))
    return releases
