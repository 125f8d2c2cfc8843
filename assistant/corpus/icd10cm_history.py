"""Year-by-year history of ICD-10-CM diagnosis codes, derived from the MS-DRG grouper maps.

The `drgpy` package ships the diagnosis map of every MS-DRG grouper version from v36
(FY2019, effective 2018-10-01) to v43.1 (April 2026 update). A map lists the ICD-10-CM
codes that grouper version accepts, so comparing consecutive versions dates each change
to the code set:

- a code absent from version N and accepted from version N+1 on was added on N+1's
  effective date (``HistoryAction.ADDED``); codes already in the first version get no such event, since
  the maps cannot say when they came in;
- a code accepted by N and not by N+1 stopped being valid on N+1's effective date: if the
  April 2026 tabular still holds it as a header it was ``EXPANDED`` into more specific codes,
  otherwise it was ``DELETED``.

Only the codes a map holds count. The maps leave out about 7,500 billable codes (mostly
external-cause codes, V00-Y99), which therefore get no events here; their status comes from
the April 2026 tabular alone. Every event note names the versions its fact comes from, so an
answer can cite it.
"""

from __future__ import annotations

import json
import lzma
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType

from assistant.records import HistoryAction, HistoryEvent

with warnings.catch_warnings():
    # simple_icd_10_cm reads its data with the deprecated importlib.resources.read_text.
    warnings.simplefilter("ignore", DeprecationWarning)
    import simple_icd_10_cm as tabular

__all__ = [
    "MAP_VERSIONS",
    "MapVersion",
    "accepted_codes",
    "deleted_codes",
    "dotted",
    "event_counts",
    "history_for",
    "icd10cm_histories",
    "nearest_tabular_ancestor",
    "undotted",
]

_CODE_RE = re.compile(r"^[A-Z][0-9A-Z]{2,6}$")
# How many codes a note lists before it says "and N more".
_NOTE_LIST_LIMIT = 12


@dataclass(frozen=True, order=True)
class MapVersion:
    """One MS-DRG grouper version and the date its diagnosis map took effect."""

    effective: date
    name: str

    @property
    def fiscal_year(self) -> int:
        """The federal fiscal year the version belongs to (FY2024 starts 2023-10-01)."""
        return self.effective.year + 1 if self.effective.month >= 10 else self.effective.year

    @property
    def is_april_update(self) -> bool:
        return "." in self.name

    @property
    def label(self) -> str:
        """A citable name, e.g. "MS-DRG v41 (FY2024)" or "MS-DRG v41.1 (FY2024 April update)"."""
        suffix = " April update" if self.is_april_update else ""
        return f"MS-DRG {self.name} (FY{self.fiscal_year}{suffix})"

    @property
    def short_label(self) -> str:
        suffix = " April update" if self.is_april_update else ""
        return f"{self.name} (FY{self.fiscal_year}{suffix})"


# The versions drgpy 0.2.1 bundles, oldest first (the ".1" versions are April updates).
MAP_VERSIONS: tuple[MapVersion, ...] = (
    MapVersion(date(2018, 10, 1), "v36"),
    MapVersion(date(2019, 10, 1), "v37"),
    MapVersion(date(2020, 10, 1), "v38"),
    MapVersion(date(2021, 10, 1), "v39"),
    MapVersion(date(2022, 10, 1), "v40"),
    MapVersion(date(2023, 10, 1), "v41"),
    MapVersion(date(2024, 4, 1), "v41.1"),
    MapVersion(date(2024, 10, 1), "v42"),
    MapVersion(date(2025, 4, 1), "v42.1"),
    MapVersion(date(2025, 10, 1), "v43"),
    MapVersion(date(2026, 4, 1), "v43.1"),
)

_TABULAR_NAME = "the April 2026 ICD-10-CM tabular"


def dotted(code: str) -> str:
    """ICD-10-CM code in its dotted form: "E872" -> "E87.2", "I10" -> "I10"."""
    code = code.strip().upper()
    if "." in code or len(code) <= 3:
        return code
    return f"{code[:3]}.{code[3:]}"


def undotted(code: str) -> str:
    """ICD-10-CM code without its dot, as the MS-DRG maps spell it: "E87.2" -> "E872"."""
    return code.strip().upper().replace(".", "")


# --------------------------------------------------------------------------- map data


def _read_dx_codes(version: str) -> list[str]:
    """The diagnosis codes of one version's map, undotted (only the map's keys are kept)."""
    raw = lzma.decompress(files("drgpy.runtime_data").joinpath(f"{version}.json.xz").read_bytes())
    text = raw.decode("utf-8")
    del raw
    # The payload is written with sorted keys; parse only the "dxmap" object when it can be
    # found, which is four times faster than decoding the whole payload.
    marker = '"dxmap":'
    start = text.find(marker)
    dxmap = None
    if start >= 0:
        try:
            dxmap, _ = json.JSONDecoder().raw_decode(text, start + len(marker))
        except ValueError:
            dxmap = None
    if not isinstance(dxmap, dict) or not all(_CODE_RE.match(code) for code in dxmap):
        payload = json.loads(text)
        if payload.get("version") != version:
            raise ValueError(f"drgpy runtime data for {version} names {payload.get('version')!r}")
        dxmap = payload["dxmap"]
    return list(dxmap)


@lru_cache(maxsize=1)
def _acceptance() -> Mapping[str, int]:
    """Undotted code -> bit mask of the MAP_VERSIONS indices whose map accepts it."""
    masks: dict[str, int] = {}
    for index, version in enumerate(MAP_VERSIONS):
        bit = 1 << index
        for code in _read_dx_codes(version.name):
            masks[code] = masks.get(code, 0) | bit
    return MappingProxyType(masks)


def accepted_codes(version: str) -> frozenset[str]:
    """The dotted ICD-10-CM codes the MS-DRG diagnosis map of `version` (e.g. "v41") accepts."""
    names = [v.name for v in MAP_VERSIONS]
    if version not in names:
        raise ValueError(f"unknown MS-DRG version {version!r}; choose one of: {', '.join(names)}")
    bit = 1 << names.index(version)
    return frozenset(dotted(code) for code, mask in _acceptance().items() if mask & bit)


# --------------------------------------------------------------------------- tabular helpers


def _in_tabular(code: str) -> bool:
    """Whether the April 2026 tabular has this (dotted) code as a category or code."""
    return bool(tabular.is_valid_item(code) and tabular.is_category_or_subcategory(code))


def _is_header(code: str) -> bool:
    return _in_tabular(code) and not tabular.is_leaf(code)


def _billable_descendants(code: str) -> list[str]:
    return [c for c in tabular.get_descendants(code) if tabular.is_leaf(c)]


def nearest_tabular_ancestor(code: str) -> str | None:
    """The longest proper prefix of a code that the April 2026 tabular holds, dotted."""
    plain = undotted(code)
    for length in range(len(plain) - 1, 2, -1):
        candidate = dotted(plain[:length])
        if _in_tabular(candidate):
            return candidate
    return None


def _matches_pattern(deleted: str, candidate: str, prefix_len: int) -> bool:
    """Whether `candidate` refines `deleted` below their shared prefix.

    Both undotted and of equal length; where the deleted code has the placeholder "X" any
    character may stand, elsewhere the characters must agree (so T404X1A matches T40411A,
    T40421A and T40491A: same intent and same 7th character).
    """
    if len(candidate) != len(deleted) or candidate == deleted:
        return False
    return all(d == "X" or d == c for d, c in zip(deleted[prefix_len:], candidate[prefix_len:]))


# --------------------------------------------------------------------------- derivation


def _limited(codes: Iterable[str]) -> str:
    codes = list(codes)
    if len(codes) <= _NOTE_LIST_LIMIT:
        return ", ".join(codes)
    shown = ", ".join(codes[:_NOTE_LIST_LIMIT])
    return f"{shown} and {len(codes) - _NOTE_LIST_LIMIT} more"


def _accepted_at(index: int) -> set[str]:
    bit = 1 << index
    return {code for code, mask in _acceptance().items() if mask & bit}


def _added_event(code: str, index: int, returning: bool) -> HistoryEvent:
    version, previous = MAP_VERSIONS[index], MAP_VERSIONS[index - 1]
    if returning:
        note = (
            f"Accepted again by {version.label}, effective {version.effective.isoformat()}, "
            f"after being absent from {previous.label}."
        )
    else:
        note = (
            f"First accepted by {version.label}, effective {version.effective.isoformat()}; "
            f"not by {previous.short_label}."
        )
    return HistoryEvent(version.effective, HistoryAction.ADDED, note)


def _expanded_event(code: str, index: int, accepted_next: set[str]) -> HistoryEvent:
    version, previous = MAP_VERSIONS[index], MAP_VERSIONS[index - 1]
    descendants = _billable_descendants(code)
    present = [c for c in descendants if undotted(c) in accepted_next]
    if present:
        replacements = present
        where = f"{version.short_label} accepts its subcodes {_limited(present)} instead"
    else:
        # The maps leave these subcodes out; name the tabular's billable subcodes.
        replacements = descendants
        where = (
            f"{_TABULAR_NAME} lists its billable subcodes {_limited(descendants)}"
            if descendants
            else f"{_TABULAR_NAME} lists no billable subcodes"
        )
    note = (
        f"Accepted by {previous.label}; not by {version.short_label}, effective "
        f"{version.effective.isoformat()}; {where}. The April 2026 ICD-10-CM tabular has "
        f"{code} as a header (not billable)."
    )
    return HistoryEvent(version.effective, HistoryAction.EXPANDED, note, tuple(replacements))


def _removed_event(
    code: str, index: int, newly: set[str], accepted_next: set[str], kept: bool = False
) -> HistoryEvent:
    version, previous = MAP_VERSIONS[index], MAP_VERSIONS[index - 1]
    plain = undotted(code)
    ancestor = nearest_tabular_ancestor(code)
    replacements: list[str] = []
    detail = ""
    if ancestor is not None:
        plain_ancestor = undotted(ancestor)
        accepted_ancestors = [
            dotted(plain[:length])
            for length in range(len(plain) - 1, 2, -1)
            if plain[:length] in accepted_next
        ]
        if accepted_ancestors:
            # The subcodes were collapsed back into their (now billable) parent.
            replacements = accepted_ancestors[:1]
            detail = f" {version.short_label} accepts {replacements[0]} instead."
        else:
            replacements = sorted(
                dotted(c)
                for c in newly
                if c.startswith(plain_ancestor) and _matches_pattern(plain, c, len(plain_ancestor))
            )
            if replacements:
                detail = (
                    f" Codes first accepted by {version.short_label} that refine it: "
                    f"{_limited(replacements)}."
                )
            else:
                under = sorted(dotted(c) for c in newly if c.startswith(plain_ancestor))
                if under:
                    detail = (
                        f" Codes first accepted by {version.short_label} under {ancestor}: "
                        f"{_limited(under)}."
                    )
                else:
                    detail = f" {version.short_label} adds no code under {ancestor}."
    where = (
        "a later version accepts it again"
        if kept
        else f"absent from {_TABULAR_NAME} (code deleted)"
    )
    note = (
        f"Accepted by {previous.label}; not by {version.short_label}, effective "
        f"{version.effective.isoformat()}; {where}.{detail}"
    )
    return HistoryEvent(version.effective, HistoryAction.DELETED, note, tuple(replacements))


@lru_cache(maxsize=1)
def icd10cm_histories() -> Mapping[str, tuple[HistoryEvent, ...]]:
    """Dotted code -> its dated events, for every code some MS-DRG map accepts (cached).

    Codes accepted by every version, from v36 on, map to an empty tuple.
    """
    masks = _acceptance()
    full = (1 << len(MAP_VERSIONS)) - 1
    histories: dict[str, tuple[HistoryEvent, ...]] = {}
    changes: dict[int, tuple[set[str], set[str]]] = {}  # index -> (newly accepted, accepted)
    for code, mask in masks.items():
        if mask == full:
            histories[dotted(code)] = ()
            continue
        events: list[HistoryEvent] = []
        seen = bool(mask & 1)
        for index in range(1, len(MAP_VERSIONS)):
            before = bool(mask & (1 << (index - 1)))
            now = bool(mask & (1 << index))
            if before == now:
                continue
            if index not in changes:
                accepted = _accepted_at(index)
                changes[index] = (accepted - _accepted_at(index - 1), accepted)
            newly, accepted_next = changes[index]
            name = dotted(code)
            if now:
                events.append(_added_event(name, index, returning=seen))
                seen = True
            elif _in_tabular(name) and tabular.is_leaf(name):
                if mask >> (index + 1) == 0:
                    # Billable in the April 2026 tabular while no later map has it back:
                    # the maps and the tabular disagree, so no event is claimed.
                    continue
                # Out for a while, back later: a removal, then an "accepted again" event.
                events.append(_removed_event(name, index, newly, accepted_next, kept=True))
            elif _is_header(name):
                events.append(_expanded_event(name, index, accepted_next))
            else:
                events.append(_removed_event(name, index, newly, accepted_next))
        histories[dotted(code)] = tuple(events)
    return MappingProxyType(histories)


def history_for(code: str) -> list[HistoryEvent]:
    """The dated events of one ICD-10-CM code (dotted or not); empty when none are known."""
    return list(icd10cm_histories().get(dotted(code), ()))


@lru_cache(maxsize=1)
def _deleted_codes() -> tuple[str, ...]:
    return tuple(sorted(dotted(c) for c in _acceptance() if not _in_tabular(dotted(c))))


def deleted_codes() -> tuple[str, ...]:
    """Dotted codes some MS-DRG map accepts that the April 2026 tabular no longer has."""
    return _deleted_codes()


def event_counts(
    histories: Mapping[str, Iterable[HistoryEvent]] | None = None,
) -> dict[tuple[date, HistoryAction], int]:
    """Number of events per (effective date, action), oldest first."""
    if histories is None:
        histories = icd10cm_histories()
    counts = Counter((e.date, e.action) for events in histories.values() for e in events)
    return dict(sorted(counts.items()))
