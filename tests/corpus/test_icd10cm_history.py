"""Year-by-year ICD-10-CM history derived from the MS-DRG v36-v43.1 diagnosis maps."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from assistant.corpus import icd10cm_history as history
from assistant.corpus.icd10cm_history import (
    MAP_VERSIONS,
    accepted_codes,
    deleted_codes,
    dotted,
    event_counts,
    history_for,
    icd10cm_histories,
    nearest_tabular_ancestor,
    undotted,
)
from assistant.records import HistoryAction


def test_versions_match_drgpy():
    from drgpy._versions import SUPPORTED_VERSIONS

    assert [(v.name, v.effective) for v in MAP_VERSIONS] == [
        (v.name, v.effective_date) for v in SUPPORTED_VERSIONS
    ]


def test_version_labels():
    by_name = {v.name: v for v in MAP_VERSIONS}
    assert by_name["v36"].label == "MS-DRG v36 (FY2019)"
    assert by_name["v41"].label == "MS-DRG v41 (FY2024)"
    assert by_name["v41.1"].effective == date(2024, 4, 1)
    assert by_name["v41.1"].label == "MS-DRG v41.1 (FY2024 April update)"
    assert by_name["v43"].fiscal_year == 2026


def test_dotted_and_undotted():
    assert dotted("E872") == "E87.2"
    assert dotted("T7840XA") == "T78.40XA"
    assert dotted("I10") == "I10"
    assert dotted("e87.2") == "E87.2"
    assert undotted("W19.XXXA") == "W19XXXA"


def test_accepted_codes_of_a_version():
    v38, v39 = accepted_codes("v38"), accepted_codes("v39")
    assert "G92" in v38 and "G92" not in v39
    assert "G92.00" in v39 and "G92.00" not in v38
    assert "G92.0" not in v39  # a header is never accepted
    assert len(accepted_codes("v36")) == 65067
    assert len(accepted_codes("v43.1")) == 67258
    with pytest.raises(ValueError):
        accepted_codes("v35")


# One sample per effective date: (code, date, action, replacements), checked in the maps.
EVENTS = [
    ("D75.A", date(2019, 10, 1), HistoryAction.ADDED, ()),
    ("D81.3", date(2019, 10, 1), HistoryAction.EXPANDED, ("D81.30", "D81.31", "D81.32", "D81.39")),
    ("H81.41", date(2019, 10, 1), HistoryAction.DELETED, ("H81.4",)),
    ("T67.0XXA", date(2019, 10, 1), HistoryAction.DELETED, ("T67.01XA", "T67.02XA", "T67.09XA")),
    ("A84.81", date(2020, 10, 1), HistoryAction.ADDED, ()),
    ("E74.8", date(2020, 10, 1), HistoryAction.EXPANDED, ("E74.810", "E74.818", "E74.819", "E74.89")),
    ("T40.4X1A", date(2020, 10, 1), HistoryAction.DELETED, ("T40.411A", "T40.421A", "T40.491A")),
    ("Q51.20", date(2020, 10, 1), HistoryAction.DELETED, ()),
    ("G92.00", date(2021, 10, 1), HistoryAction.ADDED, ()),
    ("M54.5", date(2021, 10, 1), HistoryAction.EXPANDED, ("M54.50", "M54.51", "M54.59")),
    ("T40.7X1A", date(2021, 10, 1), HistoryAction.DELETED, ("T40.711A", "T40.721A")),
    ("E87.20", date(2022, 10, 1), HistoryAction.ADDED, ()),
    ("E87.2", date(2022, 10, 1), HistoryAction.EXPANDED, ("E87.20", "E87.21", "E87.22", "E87.29")),
    ("O35.0XX0", date(2022, 10, 1), HistoryAction.DELETED,
     tuple(f"O35.0{d}X0" for d in "0123456789")),
    ("A41.54", date(2023, 10, 1), HistoryAction.ADDED, ()),
    ("E88.81", date(2023, 10, 1), HistoryAction.EXPANDED, ("E88.810", "E88.811", "E88.818", "E88.819")),
    ("C81.0A", date(2024, 10, 1), HistoryAction.ADDED, ()),
    ("C86.0", date(2024, 10, 1), HistoryAction.EXPANDED, ("C86.00", "C86.01")),
    ("T81.32XA", date(2024, 10, 1), HistoryAction.DELETED, ("T81.320A", "T81.321A", "T81.328A", "T81.329A")),
    ("B88.01", date(2025, 10, 1), HistoryAction.ADDED, ()),
    ("D71", date(2025, 10, 1), HistoryAction.EXPANDED, ("D71.1", "D71.8", "D71.9")),
    ("S30.1XXA", date(2025, 10, 1), HistoryAction.DELETED, ("S30.11XA", "S30.12XA", "S30.13XA")),
]


@pytest.mark.parametrize(("code", "when", "action", "replacements"), EVENTS)
def test_event_per_fiscal_year(code, when, action, replacements):
    events = history_for(code)
    assert [(e.date, e.action, e.replacements) for e in events] == [(when, action, replacements)]


def test_expansion_lists_only_the_subcodes_of_that_time():
    # Z59.8 has 9 billable subcodes in the April 2026 tabular; v39 accepted 4 of them.
    (event,) = history_for("Z59.8")
    assert event.replacements == ("Z59.811", "Z59.812", "Z59.819", "Z59.89")


def test_notes_cite_the_versions():
    (expanded,) = history_for("E88.81")
    assert expanded.note.startswith("Accepted by MS-DRG v40 (FY2023); not by v41 (FY2024)")
    assert "E88.810, E88.811, E88.818, E88.819" in expanded.note
    assert "header (not billable)" in expanded.note
    (added,) = history_for("E87.20")
    assert added.note.startswith("First accepted by MS-DRG v40 (FY2023), effective 2022-10-01")
    assert "not by v39 (FY2022)" in added.note
    (removed,) = history_for("Q51.20")
    assert "Accepted by MS-DRG v37 (FY2020); not by v38 (FY2021)" in removed.note
    assert "code deleted" in removed.note


def test_codes_of_the_first_version_get_no_added_event():
    assert history_for("I10") == []
    assert history_for("A00.0") == []
    assert "I10" in icd10cm_histories()


def test_codes_outside_the_maps_have_no_history():
    assert history_for("W19.XXXA") == []
    assert "W19.XXXA" not in icd10cm_histories()


def test_april_updates_change_nothing():
    dates = {e.date for events in icd10cm_histories().values() for e in events}
    assert not {date(2024, 4, 1), date(2025, 4, 1), date(2026, 4, 1)} & dates


def _counts_from_consecutive_maps() -> dict:
    """Events per (date, action) counted from set differences of consecutive maps and the
    April 2026 tabular, independently of the per-code walk `icd10cm_histories` does: a code
    new to a map was added (again); one a map drops was expanded when the tabular holds it as
    a header, deleted when the tabular no longer holds it, and deleted for a while when it
    is a billable code some later map accepts again (otherwise the sources disagree and no
    event is claimed)."""
    import simple_icd_10_cm as tabular

    maps = [accepted_codes(v.name) for v in MAP_VERSIONS]
    counts: Counter = Counter()
    for index in range(1, len(maps)):
        when, before, now = MAP_VERSIONS[index].effective, maps[index - 1], maps[index]
        counts[(when, HistoryAction.ADDED)] += len(now - before)
        accepted_later = frozenset().union(*maps[index + 1:])
        for code in before - now:
            held = tabular.is_valid_item(code) and tabular.is_category_or_subcategory(code)
            if not held:
                counts[(when, HistoryAction.DELETED)] += 1
            elif not tabular.is_leaf(code):
                counts[(when, HistoryAction.EXPANDED)] += 1
            elif code in accepted_later:
                counts[(when, HistoryAction.DELETED)] += 1
    return {key: n for key, n in sorted(counts.items()) if n}


def test_event_counts_per_effective_date():
    # Pinned from `_counts_from_consecutive_maps` over the drgpy 0.2.1 maps: a drgpy release
    # that changes a map shows here first.
    assert event_counts() == _counts_from_consecutive_maps() == {
        (date(2019, 10, 1), HistoryAction.ADDED): 200,
        (date(2019, 10, 1), HistoryAction.DELETED): 7,
        (date(2019, 10, 1), HistoryAction.EXPANDED): 14,
        (date(2020, 10, 1), HistoryAction.ADDED): 369,
        (date(2020, 10, 1), HistoryAction.DELETED): 19,
        (date(2020, 10, 1), HistoryAction.EXPANDED): 39,
        (date(2021, 10, 1), HistoryAction.ADDED): 159,
        (date(2021, 10, 1), HistoryAction.DELETED): 18,
        (date(2021, 10, 1), HistoryAction.EXPANDED): 15,
        (date(2022, 10, 1), HistoryAction.ADDED): 699,
        (date(2022, 10, 1), HistoryAction.DELETED): 14,
        (date(2022, 10, 1), HistoryAction.EXPANDED): 36,
        (date(2023, 10, 1), HistoryAction.ADDED): 299,
        (date(2023, 10, 1), HistoryAction.EXPANDED): 28,
        (date(2024, 10, 1), HistoryAction.ADDED): 252,
        (date(2024, 10, 1), HistoryAction.DELETED): 3,
        (date(2024, 10, 1), HistoryAction.EXPANDED): 33,
        (date(2025, 10, 1), HistoryAction.ADDED): 467,
        (date(2025, 10, 1), HistoryAction.DELETED): 12,
        (date(2025, 10, 1), HistoryAction.EXPANDED): 16,
    }


def test_deleted_codes():
    codes = deleted_codes()
    assert len(codes) == 73
    assert {"H81.41", "T40.4X1A", "Q51.20", "S30.1XXA"} <= set(codes)
    for code in codes:
        assert history_for(code)[-1].action == HistoryAction.DELETED
    assert nearest_tabular_ancestor("T40.4X1A") == "T40.4"
    assert nearest_tabular_ancestor("H81.41") == "H81.4"


def test_expanded_and_removed_match_the_tabular():
    import simple_icd_10_cm as tabular

    for code, events in icd10cm_histories().items():
        for event in events:
            if event.action == HistoryAction.EXPANDED:
                assert not tabular.is_leaf(code), code
                assert event.replacements
                assert all(tabular.is_leaf(r) for r in event.replacements), code
            elif event.action == HistoryAction.DELETED:
                assert code in deleted_codes(), code


def _fake_acceptance(monkeypatch, masks: dict[str, int]):
    monkeypatch.setattr(history, "_acceptance", lambda: masks)
    return history.icd10cm_histories.__wrapped__()


def test_a_code_that_returns_gets_a_new_added_event(monkeypatch):
    full = (1 << len(MAP_VERSIONS)) - 1
    # I10: in v36, out of v37, back from v38 on (a made-up pattern to exercise the rule).
    histories = _fake_acceptance(monkeypatch, {"I10": full & ~0b10, "I15": full})
    events = histories["I10"]
    assert [(e.date, e.action) for e in events] == [
        (date(2019, 10, 1), HistoryAction.DELETED),
        (date(2020, 10, 1), HistoryAction.ADDED),
    ]
    assert events[1].note.startswith("Accepted again by MS-DRG v38 (FY2021)")


def test_billable_code_missing_from_the_last_maps_gets_no_deletion(monkeypatch):
    # I10 accepted by v36-v42.1 only (made up): the tabular says billable, so no event.
    histories = _fake_acceptance(monkeypatch, {"I10": 0b00111111111})
    assert histories["I10"] == ()
