"""The MS-DRG grouper's diagnosis maps (drgpy): which ICD-10-CM codes each version accepts.

The `drgpy` package ships the diagnosis map of every MS-DRG grouper version from v36
(FY2019, effective 2018-10-01) to v43.1 (April 2026 update). The ICD-10-CM history comes from
the code set's own releases (`icd10cm_releases`); the maps serve only where the releases leave
a date open (the April 2020 update, which no release file holds) and as a cross-check: every
code a map accepts is billable in the release of its date. They leave out about 7,500 billable
codes (mostly external causes, V00-Y99).
"""

from __future__ import annotations

import json
import lzma
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType

from assistant.corpus.icd10cm_releases import dotted

__all__ = ["MAP_VERSIONS", "MapVersion", "accepted_codes"]

_CODE_RE = re.compile(r"^[A-Z][0-9A-Z]{2,6}$")


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
