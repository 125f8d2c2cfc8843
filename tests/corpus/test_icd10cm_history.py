"""ICD-10-CM history from the official releases (the committed table), checked against the
releases themselves, the published mid-year dates and the MS-DRG maps."""

from __future__ import annotations

import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT
from assistant.corpus.icd10cm_history import history_for, release_timeline
from assistant.corpus.icd10cm_releases import (TABLE_PATH, change_dates, committed_table,
                                               dotted, fiscal_year, undotted)
from assistant.records import CodeRecord, HistoryAction, Status
from assistant.status import status_on

SHARED = PROJECT_ROOT.parent / "shared" / "cms" / "icd10cm"
DAY = timedelta(days=1)


def _record(code: str) -> CodeRecord:
    states = release_timeline().states(undotted(code))
    billable = states[-1] is not None and states[-1].billable
    return CodeRecord(system="ICD-10-CM", code=code, title="", billable=billable,
                      history=history_for(code))


def _events(code: str) -> list[tuple]:
    return [(e.date, e.action, e.replacements) for e in history_for(code)
            if e.action != HistoryAction.CHANGED]


# --------------------------------------------------------------------------- the errors


def test_u07_1_took_effect_with_the_april_2020_update():
    (event,) = history_for("U07.1")
    assert (event.date, event.action, event.earliest) == (date(2020, 4, 1), HistoryAction.ADDED, None)
    assert "icd10cm_order_2021.txt, line 95358" in event.note
    assert "MS-DRG v37" in event.note
    assert status_on(_record("U07.1"), date(2020, 3, 31)).status == Status.NOT_BILLABLE
    assert status_on(_record("U07.1"), date(2020, 4, 1)).status == Status.ACTIVE


@pytest.mark.parametrize("code", ["Z86.16", "Z20.822", "J12.82", "M35.81", "M35.89", "Z11.52"])
def test_january_2021_codes_took_effect_2021_01_01(code):
    assert _events(code) == [(date(2021, 1, 1), HistoryAction.ADDED, ())]
    assert status_on(_record(code), date(2020, 12, 31)).status == Status.NOT_BILLABLE
    assert status_on(_record(code), date(2021, 1, 1)).status == Status.ACTIVE


def test_the_january_2021_update_made_m35_8_a_heading():
    assert _events("M35.8") == [(date(2021, 1, 1), HistoryAction.EXPANDED, ("M35.81", "M35.89"))]


def test_other_fy2021_codes_took_effect_2020_10_01():
    assert _events("A84.81") == [(date(2020, 10, 1), HistoryAction.ADDED, ())]
    (event,) = history_for("A84.81")
    assert "icd10cm_order_2021.txt, line 634" in event.note


def test_external_cause_codes_have_their_release_history():
    # V20.01XA is first listed by the FY2023 release: not in the code set on 2021-02-15.
    assert _events("V20.01XA") == [(date(2022, 10, 1), HistoryAction.ADDED, ())]
    before = status_on(_record("V20.01XA"), date(2021, 2, 15))
    assert before.status == Status.NOT_BILLABLE and before.valid_from == date(2022, 10, 1)
    assert status_on(_record("V20.01XA"), date(2022, 10, 1)).status == Status.ACTIVE
    assert history_for("W19.XXXA") == []  # in every release since FY2016


# --------------------------------------------------------------------------- the dev statuses


@pytest.mark.parametrize(("code", "when", "replacements"), [
    ("D81.3", date(2019, 10, 1), ("D81.30", "D81.31", "D81.32", "D81.39")),
    ("G92", date(2021, 10, 1),
     ("G92.00", "G92.01", "G92.02", "G92.03", "G92.04", "G92.05", "G92.8", "G92.9")),
    ("E87.2", date(2022, 10, 1), ("E87.20", "E87.21", "E87.22", "E87.29")),
    ("E88.81", date(2023, 10, 1), ("E88.810", "E88.811", "E88.818", "E88.819")),
])
def test_expansions_of_the_dev_codes(code, when, replacements):
    assert _events(code) == [(when, HistoryAction.EXPANDED, replacements)]
    record = _record(code)
    assert status_on(record, when - DAY).status == Status.ACTIVE
    after = status_on(record, when)
    assert (after.status, after.effective, after.replacements) == (Status.NOT_BILLABLE, when,
                                                                   replacements)


def test_e88_81_billable_on_2023_06_30_and_its_title_revised_on_expansion():
    assert status_on(_record("E88.81"), date(2023, 6, 30)).status == Status.ACTIVE
    (changed,) = [e for e in history_for("E88.81") if e.action == HistoryAction.CHANGED]
    assert changed.date == date(2023, 10, 1)
    assert '"Metabolic syndrome"' in changed.note and "icd10cm_order_2024.txt" in changed.note


def test_i10_never_changed():
    assert history_for("I10") == []
    assert status_on(_record("I10"), date(2026, 4, 1)).status == Status.ACTIVE


# One sample per kind of change and date, as the releases list them.
@pytest.mark.parametrize(("code", "events"), [
    ("H81.41", [(date(2019, 10, 1), HistoryAction.DELETED, ("H81.4",))]),
    ("T40.4X1A", [(date(2020, 10, 1), HistoryAction.DELETED, ("T40.411A", "T40.421A", "T40.491A"))]),
    ("Q51.20", [(date(2018, 10, 1), HistoryAction.ADDED, ()),
                (date(2020, 10, 1), HistoryAction.DELETED, ())]),
    ("M54.5", [(date(2021, 10, 1), HistoryAction.EXPANDED, ("M54.50", "M54.51", "M54.59"))]),
    ("Z28.31", [(date(2022, 4, 1), HistoryAction.ADDED, ())]),
    ("T74.A1XA", [(date(2023, 4, 1), HistoryAction.ADDED, ())]),
    ("S30.1XXA", [(date(2025, 10, 1), HistoryAction.DELETED, ("S30.11XA", "S30.12XA", "S30.13XA"))]),
    ("D71", [(date(2025, 10, 1), HistoryAction.EXPANDED, ("D71.1", "D71.8", "D71.9"))]),
])
def test_sample_events(code, events):
    assert _events(code) == events


def test_a_heading_added_is_never_billable():
    (event,) = history_for("T74.A")
    assert (event.date, event.action, event.billable) == (date(2023, 4, 1), HistoryAction.ADDED, False)
    record = _record("T74.A")
    assert status_on(record, date(2023, 3, 31)).valid_from == date(2023, 4, 1)
    after = status_on(record, date(2024, 1, 1))
    assert after.status == Status.NOT_BILLABLE and after.valid_from is None


def _counts_from_consecutive_snapshots() -> Counter:
    """Status events per (date, action), counted from the set differences of consecutive
    snapshots' columns of the committed table, independently of the per-code walk
    `Timeline.history` does: a code a snapshot lists and the one before does not was added; one
    it drops was deleted; a billable code it lists as a heading was expanded; a heading it lists
    as billable was added (made billable)."""
    table = committed_table()
    columns = list(zip(*(flags for flags, _, _ in table.rows.values())))
    codes = list(table.rows)
    counts: Counter = Counter()
    for i in range(1, len(table.snapshots)):
        when = table.snapshots[i].effective
        before = {c: f for c, f in zip(codes, columns[i - 1]) if f != "-"}
        now = {c: f for c, f in zip(codes, columns[i]) if f != "-"}
        counts[(when, HistoryAction.ADDED)] += len(now.keys() - before.keys())
        counts[(when, HistoryAction.DELETED)] += len(before.keys() - now.keys())
        kept = before.keys() & now.keys()
        counts[(when, HistoryAction.EXPANDED)] += sum(before[c] + now[c] == "BH" for c in kept)
        counts[(when, HistoryAction.ADDED)] += sum(before[c] + now[c] == "HB" for c in kept)
    return Counter({key: n for key, n in counts.items() if n})


def test_event_counts_per_date():
    timeline = release_timeline()
    counts = Counter((e.date, e.action) for code in timeline.codes()
                     for e in timeline.history(code) if e.action != HistoryAction.CHANGED)
    assert counts == _counts_from_consecutive_snapshots()
    # Pinned from `_counts_from_consecutive_snapshots` over the committed table: a rebuilt
    # table that changes them shows here first.
    per_date: Counter = Counter()
    for (day, _), n in counts.items():
        per_date[day] += n
    assert per_date == {
        date(2016, 10, 1): 2646, date(2017, 10, 1): 575, date(2018, 10, 1): 371,
        date(2019, 10, 1): 350, date(2020, 4, 1): 3, date(2020, 10, 1): 675,
        date(2021, 1, 1): 7, date(2021, 10, 1): 230, date(2022, 4, 1): 5,
        date(2022, 10, 1): 1755, date(2023, 4, 1): 57, date(2023, 10, 1): 526,
        date(2024, 10, 1): 327, date(2025, 10, 1): 642,
    }
    assert not any(e.earliest for code in timeline.codes() for e in timeline.history(code))


# --------------------------------------------------------------------------- agreement


def test_every_code_agrees_with_every_release():
    """On each snapshot's date, a code it lists billable is active, a heading not billable,
    and a code it does not list is not reportable."""
    timeline = release_timeline()
    for code in timeline.codes():
        flags = timeline.table.rows[code][0]
        if flags in ("B" * len(flags), "H" * len(flags)):
            continue  # listed alike by every release: no event, status from the flag
        states = timeline.states(code)
        record = CodeRecord(system="ICD-10-CM", code=dotted(code), title="",
                            billable=bool(states[-1] and states[-1].billable),
                            history=timeline.history(code))
        for snapshot, state in zip(timeline.snapshots, states):
            status = status_on(record, snapshot.effective).status
            expected = Status.ACTIVE if state and state.billable else None
            if expected:
                assert status == Status.ACTIVE, (code, snapshot.label)
            else:
                assert status != Status.ACTIVE, (code, snapshot.label)


def test_every_code_an_msdrg_map_accepts_is_billable_in_that_fiscal_year():
    from assistant.corpus.msdrg_maps import MAP_VERSIONS, accepted_codes

    table = release_timeline().table
    for version in MAP_VERSIONS:
        year = fiscal_year(version.effective)
        indices = [i for i, s in enumerate(table.snapshots) if s.fiscal_year == year]
        for code in accepted_codes(version.name):
            flags = table.rows[undotted(code)][0]
            assert any(flags[i] == "B" for i in indices), (version.name, code)


def test_change_dates_between_two_releases():
    assert change_dates(date(2026, 4, 1), date(2026, 10, 1)) == [date(2026, 10, 1)]
    assert change_dates(date(2026, 4, 1), date(2027, 4, 1)) == [date(2026, 10, 1),
                                                                date(2027, 4, 1)]
    assert change_dates(date(2019, 10, 1), date(2021, 1, 1)) == [
        date(2020, 4, 1), date(2020, 10, 1), date(2021, 1, 1)]


def test_the_committed_table_is_small_and_names_its_sources():
    assert TABLE_PATH.stat().st_size < 2_000_000
    import gzip

    header = [line for line in gzip.decompress(TABLE_PATH.read_bytes()).decode().splitlines()
              if line.startswith("# ")]
    assert any("cms_2016_dx.zip (sha256 " in line for line in header)
    assert any("icd10cm-order-Jan-2021.txt" in line for line in header)
    table = committed_table()
    assert table.snapshots[0].effective == date(2015, 10, 1)
    assert table.snapshots[-1].effective == date(2026, 4, 1)


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/cms/icd10cm")
def test_the_table_holds_every_published_order_file_as_it_is(tmp_path):
    from assistant.corpus.icd10cm_files import read_order_file

    table = committed_table()
    for year in range(2016, 2027):
        with zipfile.ZipFile(SHARED / f"cms_{year}_dx.zip") as archive:
            member = next(m for m in archive.namelist()
                          if Path(m).name == f"icd10cm_order_{year}.txt")
            path = tmp_path / f"icd10cm_order_{year}.txt"
            path.write_bytes(archive.read(member))
        release = read_order_file(path)
        index = next(i for i, s in enumerate(table.snapshots)
                     if s.source == path.name and not s.basis)
        held = {code for code, row in table.rows.items() if row[0][index] != "-"}
        assert held == set(release.codes), year
        for code, line in release.codes.items():
            assert (table.rows[code][0][index] == "B") == line.billable, (year, code)
