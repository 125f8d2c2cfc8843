"""Year-by-year history of ICD-10-CM codes, from the code set's official releases.

The history of every code comes from the dated snapshots of the whole code set (see
`icd10cm_releases`): the committed table of the releases FY2016 (2015-10-01) to the April 2026
update, plus any official release file a team loaded into the index. Each event's note cites
the release file and line it rests on ("icd10cm_order_2021.txt, line 94942").

Codes the snapshots held but the April 2026 tabular (and every newer loaded release) no
longer has are deleted codes; codes a newer loaded release adds that the tabular lacks are new
codes. Both get records of their own in `icd10cm`.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import lru_cache

from assistant.corpus.icd10cm_releases import (LoadedRelease, Timeline, committed_table, dotted,
                                               undotted)
from assistant.records import HistoryEvent

with warnings.catch_warnings():
    # simple_icd_10_cm reads its data with the deprecated importlib.resources.read_text.
    warnings.simplefilter("ignore", DeprecationWarning)
    import simple_icd_10_cm as tabular

__all__ = [
    "dotted",
    "history_for",
    "in_tabular",
    "nearest_ancestor",
    "release_timeline",
    "undotted",
]


def release_timeline(loaded: Iterable[LoadedRelease] = ()) -> Timeline:
    """The committed snapshots and the loaded release files, in effective-date order."""
    loaded = list(loaded)
    return Timeline(committed_table(), loaded) if loaded else _committed_timeline()


@lru_cache(maxsize=1)
def _committed_timeline() -> Timeline:
    return Timeline(committed_table())


def history_for(code: str, loaded: Iterable[LoadedRelease] = ()) -> list[HistoryEvent]:
    """The dated events of one ICD-10-CM code (dotted or not); empty when it never changed."""
    return release_timeline(loaded).history(undotted(code))


def in_tabular(code: str) -> bool:
    """Whether the April 2026 tabular has this (dotted) code as a category or code."""
    return bool(tabular.is_valid_item(code) and tabular.is_category_or_subcategory(code))


def nearest_ancestor(code: str, known: Iterable[str] = ()) -> str | None:
    """The longest proper prefix of a code that the April 2026 tabular or `known` (dotted
    codes) holds, dotted."""
    known = set(known)
    plain = undotted(code)
    for length in range(len(plain) - 1, 2, -1):
        candidate = dotted(plain[:length])
        if candidate in known or in_tabular(candidate):
            return candidate
    return None
