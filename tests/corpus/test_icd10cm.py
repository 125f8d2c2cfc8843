"""The ICD-10-CM loader on category slices of the April 2026 tabular (one full load, slow)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

import pytest

from assistant.corpus.icd10cm import (
    DELETED_SOURCE_PATH,
    NOTE_KINDS,
    SOURCE_PATH,
    TITLE_NOT_AVAILABLE,
    load_icd10cm,
)
from assistant.corpus.icd10cm_history import tabular as _tabular
from assistant.corpus.icd10cm_releases import committed_table, dotted
from assistant.errors import SettingsError
from assistant.records import CodeRecord, HistoryAction, Status
from assistant.status import status_on

SLICE = ["I10", "N18", "E87", "E88", "D81", "G92", "S52", "S12", "T07", "T20", "T78", "W19",
         "H81", "S30", "B99"]


@pytest.fixture(scope="module")
def records() -> dict[str, CodeRecord]:
    loaded = list(load_icd10cm(SLICE))
    by_code = {r.code: r for r in loaded}
    assert len(by_code) == len(loaded), "record codes must be unique"
    return by_code


def _notes(record: CodeRecord, kind: str, stated_at: str | None = None) -> list[str]:
    return [n.text for n in record.notes
            if n.kind == kind and (stated_at is None or n.stated_at == stated_at)]


# --------------------------------------------------------------------------- shape


def test_category_record_fields(records):
    i10 = records["I10"]
    assert i10.system == "ICD-10-CM"
    assert i10.kind == "category"
    assert i10.title == "Essential (primary) hypertension"
    assert i10.descriptors == {"long": "Essential (primary) hypertension"}
    assert i10.billable is True
    assert i10.parent == "I10-I1A"
    assert i10.children == []
    assert i10.version == "2026-04"
    assert i10.source.path == SOURCE_PATH
    assert i10.history == []


def test_chapter_and_block_above_a_category(records):
    block = records["I10-I1A"]
    assert block.kind == "block"
    assert block.parent == "9"
    assert block.billable is False
    assert block.children == ["I10", "I11", "I12", "I13", "I15", "I16", "I1A"]
    chapter = records["9"]
    assert chapter.kind == "chapter"
    assert chapter.parent is None
    assert chapter.billable is False
    assert "I10-I1A" in chapter.children


def test_dotted_code_forms(records):
    assert records["E87.2"].parent == "E87"
    assert records["T78.40XA"].title == "Allergy, unspecified, initial encounter"
    assert records["W19.XXXA"].title == "Unspecified fall, initial encounter"
    assert records["W19.XXXA"].parent == "W19"
    assert all(r.code.count(".") <= 1 for r in records.values())


def test_billable_flag_of_headers_and_leaves(records):
    assert records["E87"].billable is False
    assert records["E87.2"].billable is False
    assert records["E87.2"].children == ["E87.20", "E87.21", "E87.22", "E87.29"]
    assert all(records[c].billable for c in records["E87.2"].children)
    assert records["G92"].billable is False
    assert records["G92.0"].billable is False
    assert records["G92.00"].billable is True
    assert records["S52.501"].billable is False
    assert records["S52.501A"].billable is True
    for record in records.values():
        if record.kind in ("chapter", "block"):
            assert record.billable is False
        elif record.source.path == SOURCE_PATH:
            assert record.billable == (not record.children)


def test_slice_holds_only_requested_categories(records):
    categories = {r.code for r in records.values() if r.kind == "category"}
    assert categories == set(SLICE)
    assert not any(code.startswith("E86") for code in records)


def test_unknown_category_is_refused():
    with pytest.raises(SettingsError, match="ZZ9"):
        list(load_icd10cm(["ZZ9"]))


# --------------------------------------------------------------------------- notes


def test_note_kinds_are_the_documented_ones(records):
    kinds = {n.kind for r in records.values() for n in r.notes}
    assert kinds <= set(NOTE_KINDS)
    assert {"inclusion_term", "includes", "excludes1", "excludes2", "code_first",
            "use_additional_code", "code_also", "seven_chr_def", "seven_chr_note"} <= kinds


def test_own_notes_are_stated_at_the_code_verbatim(records):
    e8720 = records["E87.20"]
    assert _notes(e8720, "inclusion_term", "E87.20") == ["Lactic acidosis NOS",
                                                          "Metabolic acidosis NOS"]
    assert _notes(e8720, "code_also", "E87.20") == [
        ", if applicable, respiratory failure with hypercapnia (J96. with 5th character 2)"
    ]


def test_excludes1_of_a_category_is_copied_onto_its_subcodes(records):
    text = "metabolic acidemia in newborn, unspecified (P19.9)"
    assert text in _notes(records["E87"], "excludes1", "E87")
    for code in ("E87.2", "E87.20", "E87.29"):
        assert text in _notes(records[code], "excludes1", "E87"), code
    # The subcategory's own excludes1 stays stated at the subcategory.
    own = "diabetic acidosis - see categories E08-E10, E11, E13 with ketoacidosis"
    assert _notes(records["E87.20"], "excludes1", "E87.2") == [own]


def test_code_first_of_n18_applies_to_n18_4(records):
    n184 = records["N18.4"]
    assert _notes(n184, "code_first", "N18") == [
        "any associated:",
        "diabetic chronic kidney disease (E08.22, E09.22, E10.22, E11.22, E13.22)",
        "hypertensive chronic kidney disease (I12.-, I13.-)",
    ]
    assert "kidney transplant status (Z94.0)" in _notes(n184, "use_additional_code", "N18")


def test_block_notes_are_copied_with_the_block_as_stated_at(records):
    assert "Ehlers-Danlos syndromes (Q79.6-)" in _notes(records["E87.20"], "excludes2", "E70-E88")


def test_inclusion_terms_stay_on_their_own_entry(records):
    assert _notes(records["E87.20"], "inclusion_term") == ["Lactic acidosis NOS",
                                                          "Metabolic acidosis NOS"]
    assert _notes(records["E87.2"], "inclusion_term") == []
    assert _notes(records["E87.21"], "inclusion_term") == ["Acute lactic acidosis"]
    for record in records.values():
        for note in record.notes:
            if note.kind == "inclusion_term":
                assert note.stated_at == record.code


def test_chapter_notes_stay_on_the_chapter(records):
    text = "transitory endocrine and metabolic disorders specific to newborn (P70-P74)"
    assert _notes(records["4"], "excludes1", "4") == [text]
    assert text not in _notes(records["E87.20"], "excludes1")


def test_seven_character_definitions_on_a_seven_character_code(records):
    code = records["S52.501A"]
    assert code.title == ("Unspecified fracture of the lower end of right radius, "
                          "initial encounter for closed fracture")
    defs = _notes(code, "seven_chr_def", "S52")
    assert "A: initial encounter for closed fracture" in defs
    assert "S: sequela" in defs
    assert len(defs) == 16
    assert _notes(code, "seven_chr_note", "S52") == [
        "The appropriate 7th character is to be added to all codes from category S52"
    ]
    # Stated once at the category, it is the category's own note.
    assert len(_notes(records["S52"], "seven_chr_def", "S52")) == 16


def test_nearest_seven_character_definitions_win(records):
    # S12.8 restates its own 7th characters (A, D, S); S12's fracture ones do not apply.
    code = records["S12.8XXA"]
    assert _notes(code, "seven_chr_def") == [
        "A: initial encounter", "D: subsequent encounter", "S: sequela"
    ]
    assert {n.stated_at for n in code.notes if n.kind == "seven_chr_def"} == {"S12.8"}
    assert "B: initial encounter for open fracture" in _notes(records["S12.0"], "seven_chr_def")


def test_single_category_block_is_folded_into_its_category(records):
    t07 = records["T07"]
    assert t07.kind == "category"
    assert t07.parent == "T07-T88"
    assert t07.attributes == {"Block": "T07: Injuries involving multiple body regions (T07)"}
    # The block's excludes1 and the category's own, both stated at "T07".
    assert _notes(t07, "excludes1", "T07") == [
        "burns and corrosions (T20-T32)",
        "frostbite (T33-T34)",
        "insect bite or sting, venomous (T63.4)",
        "sunburn (L55.-)",
        "injury NOS (T14.90)",
    ]
    assert "frostbite (T33-T34)" in _notes(records["T07.XXXA"], "excludes1", "T07")
    b99 = records["B99"]
    assert b99.parent == "1"
    assert "B99" in records["1"].children


def test_grouping_blocks_hold_their_blocks_and_pass_notes_down(records):
    assert records["T20-T25"].parent == "T20-T32"
    assert records["T20-T32"].parent == "T07-T88"
    assert records["T07-T88"].parent == "19"
    assert records["T20-T32"].children == ["T20-T25", "T26-T28", "T30-T32"]
    assert "T20-T32" in records["T07-T88"].children
    assert "T20-T32" not in records["19"].children
    code = records["T20.011A"]
    assert "scalds" in _notes(code, "includes", "T20-T32")
    assert "sunburn (L55.-)" in _notes(code, "excludes2", "T20-T32")


# --------------------------------------------------------------------------- deleted codes


def test_deleted_code_titled_as_its_last_release_listed_it(records):
    h8141 = records["H81.41"]
    assert h8141.kind == "code"
    assert h8141.billable is False
    assert h8141.title == "Vertigo of central origin, right ear"
    assert h8141.descriptors == {"long": "Vertigo of central origin, right ear"}
    assert h8141.parent == "H81.4"
    assert h8141.source.path == DELETED_SOURCE_PATH
    assert h8141.attributes["Last listed in"] == "FY2019 release"
    last = h8141.history[-1]
    assert (last.date, last.action, last.replacements) == (
        date(2019, 10, 1), HistoryAction.DELETED, ("H81.4",))
    assert "icd10cm_order_2019.txt, line" in last.note
    assert "H81.41" not in records["H81.4"].children
    assert TITLE_NOT_AVAILABLE not in {r.title for r in records.values()}


def test_deleted_code_with_its_fy2025_title(records):
    s301 = records["S30.1XXA"]
    assert s301.title == "Contusion of abdominal wall, initial encounter"
    assert s301.descriptors == {"long": "Contusion of abdominal wall, initial encounter"}
    assert s301.parent == "S30.1"
    assert s301.attributes["Last listed in"] == "FY2025 April 2025 update"
    last = s301.history[-1]
    assert (last.date, last.action) == (date(2025, 10, 1), HistoryAction.DELETED)
    assert last.replacements == ("S30.11XA", "S30.12XA", "S30.13XA")
    assert status_on(s301, date(2025, 9, 30)).status == Status.ACTIVE
    assert status_on(s301, date(2025, 10, 1)).status == Status.DELETED


def test_only_deleted_codes_under_the_slice():
    codes = [r.code for r in load_icd10cm(["H81"]) if r.source.path == DELETED_SOURCE_PATH]
    assert codes == ["H81.41", "H81.42", "H81.43", "H81.49"]


# --------------------------------------------------------------------------- status


@pytest.mark.parametrize(
    ("code", "effective", "replacements"),
    [
        ("D81.3", date(2019, 10, 1), ("D81.30", "D81.31", "D81.32", "D81.39")),
        ("G92", date(2021, 10, 1),
         ("G92.00", "G92.01", "G92.02", "G92.03", "G92.04", "G92.05", "G92.8", "G92.9")),
        ("E87.2", date(2022, 10, 1), ("E87.20", "E87.21", "E87.22", "E87.29")),
        ("E88.81", date(2023, 10, 1), ("E88.810", "E88.811", "E88.818", "E88.819")),
    ],
)
def test_status_before_and_after_an_expansion(records, code, effective, replacements):
    record = records[code]
    assert status_on(record, effective - timedelta(days=1)).status == Status.ACTIVE
    after = status_on(record, effective)
    assert after.status == Status.NOT_BILLABLE
    assert after.effective == effective
    assert after.replacements == replacements
    assert status_on(record, date(2026, 4, 1)).status == Status.NOT_BILLABLE


def test_new_subcode_is_active_from_its_first_release(records):
    e8720 = records["E87.20"]
    assert [(e.date, e.action) for e in e8720.history] == [(date(2022, 10, 1), HistoryAction.ADDED)]
    assert "icd10cm_order_2023.txt, line" in e8720.history[0].note
    assert status_on(e8720, date(2022, 9, 30)).status == Status.NOT_BILLABLE
    assert status_on(e8720, date(2022, 10, 1)).status == Status.ACTIVE


def test_i10_is_active_today(records):
    assert status_on(records["I10"], date.today()).status == Status.ACTIVE
    assert status_on(records["I10"], date(2018, 10, 1)).status == Status.ACTIVE


def test_external_cause_code_in_every_release_has_no_event(records):
    w19 = records["W19.XXXA"]
    assert w19.history == []
    assert status_on(w19, date(2026, 4, 1)).status == Status.ACTIVE


# --------------------------------------------------------------------------- full load


@pytest.mark.slow
def test_full_load():
    start = time.perf_counter()
    kinds: Counter[str] = Counter()
    codes: set[str] = set()
    billable = deleted = 0
    for record in load_icd10cm():
        assert record.code not in codes
        codes.add(record.code)
        kinds[record.kind] += 1
        billable += record.billable
        deleted += record.source.path == DELETED_SOURCE_PATH
    elapsed = time.perf_counter() - start
    # Expected counts from the tabular itself and the committed releases table, not from the
    # loader: every tabular entry (a block named like its one category is that category), and
    # every code a release listed that the tabular no longer holds.
    entries = set(_tabular.get_all_codes(True))
    held = {c for c in entries if _tabular.is_category_or_subcategory(c)}
    gone = {dotted(c) for c in committed_table().rows} - held
    assert len(codes) == len(entries) + len(gone)
    assert billable == sum(1 for c in held if _tabular.is_leaf(c))
    assert deleted == len(gone)
    assert kinds == {
        "chapter": sum(1 for c in entries if _tabular.is_chapter(c)),
        "block": sum(1 for c in entries if _tabular.is_block(c) and not _tabular.is_category(c)),
        "category": sum(1 for c in entries if _tabular.is_category(c)),
        "code": sum(1 for c in entries if _tabular.is_subcategory(c)) + len(gone),
    }
    assert elapsed < 120
