"""Alphabetic Index terms: codes followed to today's from the records, entries matched by words."""

from __future__ import annotations

import json

import pytest
from datetime import date

from assistant.corpus.alphabetic_index import IndexEntry
from assistant.index.index_terms import (INDEX_TERMS_FILE, LEGACY_TERMS_FILE, IndexTermTable,
                                         block_ends, build_index_terms, entry_words,
                                         grouping_places, todays_codes)
from assistant.records import CodeRecord, HistoryAction, HistoryEvent
from assistant.retrieval.index_lookup import (Places, clauses, index_matches, less_patient,
                                              named_cause, named_occasion, named_place,
                                              unclipped)

TODAY = date(2026, 11, 27)


def _record(code: str, billable: bool = True, history: tuple[HistoryEvent, ...] = (),
            children: tuple[str, ...] = ()) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=code, billable=billable,
                      history=list(history), children=list(children),
                      kind="code" if "." in code else "category")


# Real ICD-10-CM changes: R51 became a heading on 2020-10-01 (R51.0, R51.9); D81.3 on
# 2019-10-01. The deletion chain below is made up to test following twice.
RECORDS = {r.code: r for r in [
    _record("R04.0"),
    _record("R51", billable=False, children=("R51.0", "R51.9"), history=(
        HistoryEvent(date(2020, 10, 1), HistoryAction.EXPANDED, "", ("R51.0", "R51.9")),)),
    _record("S62.10", billable=False, children=("S62.101", "S62.102")),
    _record("X00.1", billable=False, history=(
        HistoryEvent(date(2019, 10, 1), HistoryAction.DELETED, "", ("X00.2",)),)),
    _record("X00.2", billable=False, history=(
        HistoryEvent(date(2021, 10, 1), HistoryAction.DELETED, "", ("X00.3", "X00.4")),)),
    _record("X00.3"),
    _record("X00.4"),
    _record("O30.00", billable=False),
    _record("T17.1", billable=False),
    _record("S81.80", billable=False),
    _record("O30.02", billable=False),
    _record("Z23"),
]}


def find(code: str) -> CodeRecord | None:
    return RECORDS.get(code)


def test_index_codes_are_followed_to_todays_codes_from_the_records():
    assert todays_codes("R04.0", find, TODAY) == ("R04.0",)
    assert todays_codes("R51", find, TODAY) == ("R51",)       # a heading: the question decides
    assert todays_codes("S62.10-", find, TODAY) == ("S62.10",)  # characters left to choose
    assert todays_codes("X00.1", find, TODAY) == ("X00.3", "X00.4")  # deleted twice, followed
    assert todays_codes("Z99.99", find, TODAY) == ()          # not in the records indexed


def _table(*entries: IndexEntry) -> IndexTermTable:
    return build_index_terms(entries, find, TODAY)


ENTRIES = [
    IndexEntry(("Nosebleed",), ("",), "R04.0"),
    IndexEntry(("Headache",), ("",), "R51"),
    IndexEntry(("Fracture, traumatic", "wrist"), ("", ""), "S62.10-"),
    IndexEntry(("Hemorrhage, hemorrhagic", "nose"), ("(nontraumatic)", ""), "R04.0"),
    IndexEntry(("Pinkeye",), ("",), "X00.1", "see Made up"),
    IndexEntry(("Gone",), ("",), "Z99.99"),
]


def test_entries_leading_nowhere_today_are_dropped():
    table = _table(*ENTRIES)
    assert [t.entry for t in table.terms] == ["Nosebleed", "Headache", "Fracture, traumatic, wrist",
                                              "Hemorrhage, hemorrhagic, nose", "Pinkeye"]
    assert table.terms[4].citation == "Index: Pinkeye -> see Made up"
    assert table.terms[0].citation == "Index: Nosebleed R04.0"


def _matched(question: str) -> list[str]:
    return [m.term.entry for m in index_matches(question, _table(*ENTRIES))]


def test_an_entry_matches_when_it_names_every_word_of_the_condition():
    assert _matched("nosebleed") == ["Nosebleed"]
    assert _matched("recurrent nosebleed") == []            # "recurrent" is not in the entry
    # Any form of a title ("hemorrhagic"), any order, modifiers may be named.
    assert _matched("nose hemorrhagic") == ["Hemorrhage, hemorrhagic, nose"]
    assert _matched("nontraumatic hemorrhage of the nose") == ["Hemorrhage, hemorrhagic, nose"]
    # Side and encounter are left to the heading's codes; a qualifier need not be asked.
    assert _matched("fracture of left wrist, follow-up visit") == ["Fracture, traumatic, wrist"]
    assert _matched("wrist") == []                          # every level must be named
    assert _matched("pink eye") == ["Pinkeye"]              # two words written as one


def test_a_verb_of_getting_or_telling_is_not_part_of_the_condition():
    assert _matched("got a nosebleed") == ["Nosebleed"]      # "got stung by a wasp"
    assert _matched("she says she got a headache") == ["Headache"]
    # a verb of having: "she has endometriosis", "pregnant and have hemorrhoids"
    assert _matched("she has a nosebleed") == ["Nosebleed"]
    assert _matched("I have a headache") == ["Headache"]


def test_a_finding_added_as_absent_is_not_part_of_the_condition():
    assert _matched("nosebleed, no headache") == ["Nosebleed"]
    assert _matched("nosebleed, no headache, recurrent") == []  # "recurrent" is still asked
    assert _matched("nosebleed with no headache") == []         # only a clause after a comma


def test_a_later_clause_on_how_it_heals_is_not_part_of_the_condition():
    assert _matched("fracture of left wrist, follow-up visit, healing well") \
        == ["Fracture, traumatic, wrist"]
    assert _matched("fracture of left wrist; healing slowly") == ["Fracture, traumatic, wrist"]
    # only a clause after the first, and only one that names healing
    assert _matched("fracture of left wrist, healing well, recurrent") == []
    assert _matched("well healing fracture of left wrist") == []
    assert _matched("fracture of left wrist, recurrent wrist pain not healing") == []


def test_the_most_specific_entry_wins():
    table = _table(IndexEntry(("Fracture, traumatic",), ("",), "S62.10-"), *ENTRIES)
    assert [m.term.entry for m in index_matches("wrist fracture", table)] == [
        "Fracture, traumatic, wrist"]


def test_the_table_survives_a_save_and_load(tmp_path):
    table = _table(*ENTRIES)
    table.save(tmp_path / INDEX_TERMS_FILE)
    loaded = IndexTermTable.load(tmp_path / INDEX_TERMS_FILE)
    assert list(loaded.terms) == list(table.terms)
    assert [loaded.terms[i] for i in range(len(table.terms))] == list(table.terms)
    assert loaded.by_main == table.by_main
    assert all(loaded.by_main[w] == table.by_main[w] for w in table.by_main)
    assert loaded.by_main.get("nowhere", ()) == ()
    for text in ("pink eye", "nosebleed", "fracture of left wrist", "wrist"):
        assert index_matches(text, loaded) == index_matches(text, table)


def test_a_loaded_table_keeps_a_bounded_number_of_entries_read(tmp_path, monkeypatch):
    import assistant.index.index_terms as index_terms

    table = _table(*ENTRIES)
    table.save(tmp_path / INDEX_TERMS_FILE)
    loaded = IndexTermTable.load(tmp_path / INDEX_TERMS_FILE)
    monkeypatch.setattr(index_terms, "TERMS_KEPT", 2)
    for _ in range(2):  # read twice over: entries dropped are read again, the same
        assert [loaded.terms[i] for i in range(len(table.terms))] == list(table.terms)
        assert len(loaded.terms._made) <= 2  # type: ignore[attr-defined]


def test_a_loaded_table_keeps_no_word_that_no_entry_has(tmp_path):
    """Questions bring any words; only a table's own main words are read and kept."""
    table = _table(*ENTRIES)
    table.save(tmp_path / INDEX_TERMS_FILE)
    loaded = IndexTermTable.load(tmp_path / INDEX_TERMS_FILE)
    for word in ("nowher", "zzz", "pinkey"):  # the keys are word prefixes
        loaded.by_main.get(word)
    kept = loaded.by_main._read  # type: ignore[attr-defined]
    assert set(kept) == {"pinkey"} and "pinkey" in loaded.by_main and "zzz" not in loaded.by_main
    assert len(loaded.by_main) == len(table.by_main)


def test_a_fact_about_a_main_words_entries_is_worked_out_once_and_only_for_main_words():
    table = _table(*ENTRIES)
    asked: list[str] = []

    def entry_count(of: IndexTermTable, word: str) -> int:
        asked.append(word)
        return len(of.by_main.get(word, ()))

    counts = [table.per_main_word(entry_count, w) for w in ("pinkey", "pinkey", "zzz", "zzz")]
    assert counts == [len(table.by_main["pinkey"])] * 2 + [0, 0]
    # a main word's fact is kept; a word no entry has is worked out each time, never kept
    assert asked == ["pinkey", "zzz", "zzz"]


def test_a_saved_table_replaces_the_one_before_and_the_older_json_beside_it(tmp_path):
    (tmp_path / LEGACY_TERMS_FILE).write_text("[]")
    _table(ENTRIES[0]).save(tmp_path / INDEX_TERMS_FILE)
    _table(*ENTRIES).save(tmp_path / INDEX_TERMS_FILE)
    assert sorted(p.name for p in tmp_path.iterdir()) == [INDEX_TERMS_FILE]
    loaded = IndexTermTable.load(tmp_path / INDEX_TERMS_FILE)
    assert len(loaded.terms) == len(_table(*ENTRIES).terms)


def test_an_index_built_before_the_sqlite_table_is_read_from_its_json(tmp_path):
    """The JSON table an earlier ingest wrote (the same rows, one list each) still answers."""
    table = _table(*ENTRIES)
    rows = [[t.entry, t.via, t.code, list(t.codes), [[list(f) for f in lv] for lv in t.levels],
             sorted(t.optional)] for t in table.terms]
    (tmp_path / LEGACY_TERMS_FILE).write_text(json.dumps(rows))
    loaded = IndexTermTable.load(tmp_path / INDEX_TERMS_FILE)
    assert list(loaded.terms) == list(table.terms)
    assert loaded.by_main == table.by_main
    assert [m.term.entry for m in index_matches("pink eye", loaded)] == ["Pinkeye"]


def test_an_index_without_the_table_has_an_empty_one(tmp_path):
    loaded = IndexTermTable.load(tmp_path / INDEX_TERMS_FILE)
    assert len(loaded.terms) == 0 and index_matches("pink eye", loaded) == []


def test_each_entrys_block_ends_where_the_entries_under_its_levels_end():
    levels = [("a",), ("a", "b"), ("a", "b", "c"), ("a", "d"), ("e",), ("e",)]
    assert block_ends(levels) == [(4,), (4, 3), (4, 3, 3), (4, 4), (6,), (6,)]


# The FY2017 Index's own titles under "Hemorrhage, hemorrhagic (nontraumatic)"; codes made up
HEMORRHAGE_ENTRIES = [
    IndexEntry(("Hemorrhage, hemorrhagic",), ("(nontraumatic)",), "X00.3"),
    IndexEntry(("Hemorrhage, hemorrhagic", "lung"), ("(nontraumatic)", ""), "X00.4"),
    IndexEntry(("Hemorrhage, hemorrhagic", "lung", "newborn"), ("(nontraumatic)", "", ""), "X00.3"),
    IndexEntry(("Hemorrhage, hemorrhagic", "lung", "massive"), ("(nontraumatic)", "", ""), "X00.4"),
    IndexEntry(("Hemorrhage, hemorrhagic", "nose"), ("(nontraumatic)", ""), "R04.0"),
]


class _ReadCounted(list):
    """Entries that remember which positions were read."""

    def __init__(self, terms):
        super().__init__(terms)
        self.read: list[int] = []

    def __getitem__(self, position):
        self.read.append(position)
        return super().__getitem__(position)


def test_the_entries_under_a_level_not_named_are_not_read():
    table = _table(*HEMORRHAGE_ENTRIES)
    expected = [m.term.entry for m in index_matches("hemorrhage of the nose", table)]
    table.terms = _ReadCounted(table.terms)
    assert [m.term.entry for m in index_matches("hemorrhage of the nose", table)] \
        == expected == ["Hemorrhage, hemorrhagic, nose"]
    # "lung" is not named: neither it nor its subterms are read (the main term's entries by
    # their first subterm's words were read once, by the first lookup)
    assert set(table.terms.read) == {0, 4}
    table.terms.read.clear()
    assert [m.term.entry for m in index_matches("massive lung hemorrhage", table)] \
        == ["Hemorrhage, hemorrhagic, lung, massive"]
    # under a named first subterm all are read; "nose" is not named
    assert {1, 2, 3} <= set(table.terms.read) and 4 not in table.terms.read


def test_a_grouping_place_is_a_level_no_entry_ends_at():
    table = _table(*GROUPED_ENTRIES, *HEMORRHAGE_ENTRIES)
    assert grouping_places(table.terms) == [(1,), (), (), (), (), (), ()]


def test_a_table_saved_before_block_ends_and_grouping_places_still_matches(tmp_path):
    import sqlite3

    table = _table(*GROUPED_ENTRIES, *HEMORRHAGE_ENTRIES)
    path = tmp_path / INDEX_TERMS_FILE
    table.save(path)
    with sqlite3.connect(path) as conn:  # the columns an earlier ingest did not write
        conn.executescript("""
            CREATE TABLE older (word TEXT NOT NULL, position INTEGER NOT NULL,
                                PRIMARY KEY (word, position)) WITHOUT ROWID;
            INSERT INTO older SELECT word, position FROM main_words;
            DROP TABLE main_words;
            ALTER TABLE older RENAME TO main_words;
        """)
    loaded = IndexTermTable.load(path)
    for question in ("foreign body in the nose", "hemorrhage of the nose", "massive lung bleed"):
        for through_groups in (False, True):
            assert index_matches(question, loaded, through_groups=through_groups) \
                == index_matches(question, table, through_groups=through_groups)
    assert index_matches("foreign body in the nose", loaded, through_groups=True)


def test_a_word_is_not_named_by_one_that_only_begins_like_it():
    # Real FY2017 Index entries: both begin "splene" as a lookup compares words.
    records = {code: _record(code) for code in ("Z90.81", "R16.1")}
    table = build_index_terms([
        IndexEntry(("Status", "splenectomy"), ("(post)", ""), "Z90.81"),
        IndexEntry(("Splenectasis",), ("",), "R16.1", "see Splenomegaly"),
    ], records.get, TODAY)
    assert [m.term.entry for m in index_matches("splenectomy", table)] == []
    assert [m.term.entry for m in index_matches("status post splenectomy", table)] == [
        "Status, splenectomy"]
    assert [m.term.entry for m in index_matches("splenectasis", table)] == ["Splenectasis"]


def test_a_table_of_drugs_row_is_matched_by_either_word_of_a_level_and_cites_the_table():
    # Real FY2017 Table of Drugs rows (corpus/icd10cm/drug_terms_2017.tsv.gz); the encounter
    # is chosen under the six-character codes.
    table_row = "Table of Drugs and Chemicals: Acetaminophen, Poisoning, "
    records = {code: _record(code, billable=False, children=(code + "A",))
               for code in ("T39.1X1", "T39.1X2")}
    table = build_index_terms([
        IndexEntry(("Acetaminophen", "poisoning|overdose"), ("", "(accidental) (unintentional)"),
                   "T39.1X1", table_row + "Accidental (unintentional) T39.1X1"),
        IndexEntry(("Acetaminophen", "poisoning|overdose", "intentional|self-harm"), ("", "", ""),
                   "T39.1X2", table_row + "Intentional self-harm T39.1X2"),
    ], records.get, TODAY)

    def matched(question: str) -> list[str]:
        return [m.term.code for m in index_matches(question, table)]

    assert matched("acetaminophen overdose, initial encounter") == ["T39.1X1"]
    assert matched("accidental acetaminophen poisoning") == ["T39.1X1"]
    assert matched("intentional overdose of acetaminophen") == ["T39.1X2"]
    assert matched("acetaminophen self-harm overdose") == ["T39.1X2"]
    assert matched("acetaminophen") == []                  # the column must be named
    [term] = [m.term for m in index_matches("acetaminophen overdose", table)]
    assert term.entry == "Acetaminophen, poisoning or overdose"
    assert term.citation == table_row + "Accidental (unintentional) T39.1X1"


# Places of occurrence, as ICD-10-CM 2026 titles them (Y92.34, Y92.000, Y92.523, Y92.016).
PLACES = Places.of([
    "Swimming pool (public) as the place of occurrence of the external cause",
    "Kitchen of unspecified non-institutional (private) residence as the place of occurrence "
    "of the external cause",
    "Highway rest stop as the place of occurrence of the external cause",
    "Swimming-pool in single-family (private) house or garden as the place of occurrence of "
    "the external cause"])


def test_a_place_of_occurrence_after_in_or_at_is_found_as_written():
    def place(question: str) -> str | None:
        return named_place(question, lambda: PLACES)

    assert place("near drowning in a pool") == "in a pool"
    assert place("burn at the swimming pool, initial encounter") == "at the swimming pool"
    assert place("cut his hand in his kitchen") == "in his kitchen"
    # a body part, or any word no place names, is part of the condition
    assert place("splinter in the left palm") is None
    assert place("pain in the pool area") is None
    assert place("drowning") is None
    # "rest" is a word of a place's name ("Highway rest stop"), but no place itself
    assert place("shortness of breath at rest") is None
    assert "house" in PLACES.words and "house" not in PLACES.heads


def test_a_place_is_read_only_where_the_question_has_an_in_or_at_phrase():
    read: list[str] = []

    def places() -> Places:
        read.append("read")
        return PLACES

    assert named_place("near drowning", places) is None and not read


# The Index's own entries (FY2017), codes made up: "Prenatal, care, normal pregnancy" says
# "see Pregnancy, normal" and "Pregnancy, normal" has the subterm "first".
SEE_ENTRIES = [
    IndexEntry(("Prenatal", "care, normal pregnancy"), ("", ""), "X00.3", "see Pregnancy, normal"),
    IndexEntry(("Pregnancy", "normal"), ("(single) (uterine)", "(supervision of)"), "X00.3"),
    IndexEntry(("Pregnancy", "normal", "first"), ("(single) (uterine)", "(supervision of)", ""),
               "X00.4"),
    IndexEntry(("Headache", "first"), ("", ""), "R51"),
]


def test_a_see_reference_is_followed_to_the_subterm_that_names_the_rest():
    table = _table(*SEE_ENTRIES)
    found = index_matches("routine prenatal care, first pregnancy", table)
    assert [(m.term.entry, m.seen_from) for m in found] == [
        ("Pregnancy, normal, first",
         "Prenatal, care, normal pregnancy -> see Pregnancy, normal")]
    # Nothing left to read on: the entry itself.
    assert [(m.term.entry, m.seen_from) for m in index_matches("prenatal care", table)] == [
        ("Prenatal, care, normal pregnancy", "")]
    # Only under the entry referred to ("Headache, first" names "first" too), and only what
    # names every word left.
    assert index_matches("prenatal care, second pregnancy", table) == []
    # No reference followed when the entry names none.
    assert index_matches("headache, normal pregnancy", table) == []


# FY2017 Alphabetic Index, as its file has them (codes made up): "Otitis, media (acute)
# ..., serous" says "see Otitis, media, nonsuppurative" (and gives its code, as the table the
# product reads does), whose subterm "acute or subacute NEC, serous" names the kind.
OTITIS_ENTRIES = [
    IndexEntry(("Otitis", "media", "serous"), ("", "(acute)", ""), "X00.3",
               "see Otitis, media, nonsuppurative"),
    IndexEntry(("Otitis", "media", "nonsuppurative"), ("", "(acute)", ""), "X00.3"),
    IndexEntry(("Otitis", "media", "nonsuppurative", "acute or subacute NEC", "serous"),
               ("", "(acute)", "", "", ""), "X00.4"),
]


def test_an_entry_that_names_every_word_still_reads_on_under_its_see_reference():
    table = _table(*OTITIS_ENTRIES)
    # "acute" is only a nonessential modifier of "media"; under the entry referred to it
    # picks the subterm, with "serous"
    assert [(m.term.entry, m.seen_from) for m in
            index_matches("acute serous otitis media", table)] == [
        ("Otitis, media, nonsuppurative, acute or subacute NEC, serous",
         "Otitis, media, serous -> see Otitis, media, nonsuppurative")]
    # Nothing under it names "serous" alone: the entry itself, and its reference's code
    assert [(m.term.entry, m.term.code) for m in index_matches("serous otitis media", table)] \
        == [("Otitis, media, serous", "X00.3")]


def test_the_referring_entrys_own_word_is_read_on_with_the_words_it_leaves():
    # FY2017: "Otitis, media, nonsuppurative, chronic" and its subterm "serous" (codes made
    # up); "chronic" is left by "Otitis, media, serous", and "serous" is its own word
    table = _table(*OTITIS_ENTRIES,
                   *_table_entries_chronic(),
                   IndexEntry(("Otitis", "media", "nonsuppurative", "chronic", "serous"),
                              ("", "(acute)", "", "", ""), "R04.0"))
    assert [(m.term.entry, m.seen_from) for m in
            index_matches("chronic serous otitis media", table)] == [
        ("Otitis, media, nonsuppurative, chronic, serous",
         "Otitis, media, serous -> see Otitis, media, nonsuppurative")]
    # where nothing under it names its own word too, the words it leaves alone
    assert [m.term.entry for m in index_matches("chronic serous otitis media",
                                                _table(*OTITIS_ENTRIES[:2],
                                                       *_table_entries_chronic()))] == [
        "Otitis, media, nonsuppurative, chronic"]


def _table_entries_chronic() -> list[IndexEntry]:
    return [IndexEntry(("Otitis", "media", "nonsuppurative", "chronic"), ("", "(acute)", "", ""),
                       "R51")]


def test_of_entries_that_name_as_much_those_that_write_the_questions_own_words_are_kept():
    # FY2017 Index titles (codes made up): "pneumococcal" and "pneumonia" share a word prefix
    # with "Pneumocephalus", and "Pneumohydropericardium" says "see Pericarditis"
    table = _table(IndexEntry(("Pneumonia", "pneumococcal"), ("", ""), "X00.3"),
                   IndexEntry(("Pneumocephalus",), ("",), "X00.4"),
                   IndexEntry(("Pneumohydropericardium",), ("",), "X00.4", "see Pericarditis"),
                   IndexEntry(("Pericarditis", "pneumococcal"), ("", ""), "X00.4"))
    assert [m.term.entry for m in index_matches("pneumococcal pneumonia", table)] == [
        "Pneumonia, pneumococcal"]


def test_a_subterm_of_two_words_joined_by_or_is_named_by_either():
    table = _table(*OTITIS_ENTRIES)
    assert [m.term.entry for m in index_matches("subacute nonsuppurative otitis media serous",
                                                table)] == [
        "Otitis, media, nonsuppurative, acute or subacute NEC, serous"]


def test_a_hyphenated_word_of_an_entry_is_named_by_the_word_written_as_one():
    # The Index's own titles ("Check-up" says "see Examination"), codes made up
    table = _table(IndexEntry(("Check-up",), ("",), "X00.3", "see Examination"),
                   IndexEntry(("Examination", "annual"), ("(for) (routine)", "(adult) (physical)"),
                              "X00.4"),
                   IndexEntry(("Long-term", "anti-inflammatory, non-steroidal"), ("", ""),
                              "X00.3"))
    assert [m.term.entry for m in index_matches("checkup", table)] == ["Check-up"]
    assert [m.term.entry for m in index_matches("check-up", table)] == ["Check-up"]
    # and its "see" reference is followed to the subterm the question names
    assert [(m.term.entry, m.seen_from) for m in index_matches("annual checkup", table)] == [
        ("Examination, annual", "Check-up -> see Examination")]
    # a qualifier's too
    assert [m.term.entry for m in index_matches("long-term nonsteroidal antiinflammatory",
                                                table)] == [
        "Long-term, anti-inflammatory, non-steroidal"]
    assert index_matches("check", table) == []  # every word of a form, still


# FY2017 Alphabetic Index, as its file has them: "Pregnancy, twin" O30.00-, and under "Twin",
# "pregnancy" with "see Pregnancy, twin, conjoined" (O30.02-)
TWIN_ENTRIES = [IndexEntry(("Pregnancy", "twin"), ("(single) (uterine)", ""), "O30.00-"),
                IndexEntry(("Twin", "pregnancy"), ("(newborn)", ""), "O30.02-",
                           "see Pregnancy, twin, conjoined")]


def test_weeks_of_gestation_are_no_word_of_the_condition():
    table = _table(*TWIN_ENTRIES)
    assert [m.term.entry for m in index_matches("pregnant with twins, 24 weeks along", table)] \
        == ["Pregnancy, twin"]
    assert [m.term.entry for m in index_matches("twin pregnancy at 30 weeks gestation", table)] \
        == ["Pregnancy, twin"]


def test_a_see_reference_to_a_kind_the_question_does_not_name_gives_way():
    # "Twin, pregnancy" names the question's words, but its reference adds "conjoined"
    table = _table(*TWIN_ENTRIES)
    assert [m.term.entry for m in index_matches("twin pregnancy", table)] == ["Pregnancy, twin"]
    # where it is the only entry that names them, it is kept
    alone = _table(TWIN_ENTRIES[1])
    assert [m.term.entry for m in index_matches("twin pregnancy", alone)] == ["Twin, pregnancy"]


@pytest.mark.parametrize("text, left", [
    ("newborn with a birthmark on her back", "with a birthmark"),
    ("Newborn, jaundice", "jaundice"),
    ("mole on the back", "mole on the back"),       # no possessive: no body site read
    ("maternal care for breech", "care for breech"),
])
def test_less_patient_leaves_the_condition(text, left):
    assert less_patient(text, frozenset(["newbor", "matern"])) == left


def test_a_site_on_the_body_may_be_left_to_no_code_where_the_caller_says_none_names_one():
    # The Index's "Tag, skin" (code made up here); the caller (`unsited`) says whether the
    # words left are a body part that no code of the entry's category names.
    table = _table(IndexEntry(("Tag", "skin"), ("", ""), "X00.3"))
    asked: list[frozenset[str]] = []

    def unsited(term, words) -> bool:
        asked.append(words)
        return True

    assert index_matches("skin tag on the neck", table) == []
    [match] = index_matches("skin tag on the neck", table, unsited=unsited)
    assert (match.term.entry, match.site, match.unnamed) == ("Tag, skin", "on the neck", ())
    assert asked == [frozenset({"neck"})]
    assert index_matches("skin tag on the neck", table, unsited=lambda t, w: False) == []
    # only a site the question puts after "on", and only where it names the entry's levels
    assert index_matches("skin tag neck", table, unsited=unsited) == []
    assert index_matches("tag on the neck", table, unsited=unsited) == []


def test_a_subterm_may_leave_out_a_word_its_own_main_term_calls_nonessential():
    # FY2017 Index: "Diabetes, diabetic (mellitus) (sugar)"; "Borderline, diabetes mellitus"
    # (the codes here are stand-ins from RECORDS)
    table = _table(IndexEntry(("Diabetes, diabetic",), ("(mellitus) (sugar)",), "R04.0"),
                   IndexEntry(("Borderline", "diabetes mellitus"), ("", ""), "X00.3"),
                   IndexEntry(("Borderline", "mellitus diabetes"), ("", ""), "X00.4"))
    entries = [m.term.entry for m in index_matches("borderline diabetes", table)]
    assert entries == ["Borderline, diabetes mellitus"]
    # only the word after the main term's, as the Index writes the modifier
    assert [m.term.entry for m in index_matches("borderline mellitus", table)] == []


def test_a_subterm_may_leave_out_its_last_word_where_the_entry_calls_it_nonessential():
    # FY2017 Index: "Sprain (joint) (ligament), shoulder joint" S43.40- (stand-in code)
    table = _table(IndexEntry(("Sprain", "shoulder joint"), ("(joint) (ligament)", ""), "X00.3"),
                   IndexEntry(("Sprain", "joint shoulder"), ("(joint) (ligament)", ""), "X00.4"),
                   IndexEntry(("Strain", "shoulder joint"), ("", ""), "R04.0"))
    assert [m.term.entry for m in index_matches("sprained shoulder", table)] \
        == ["Sprain, shoulder joint"]
    # only the last word (the kind), and only one the entry's main term calls nonessential
    assert [m.term.entry for m in index_matches("sprain joint", table)] == []
    assert index_matches("strain shoulder", table) == []


# FY2017 Alphabetic Index, as its file has them; neither "Foreign body, entering through
# orifice" nor "Bruise, with, open wound" gives a code of its own.
GROUPED_ENTRIES = [
    IndexEntry(("Foreign body", "entering through orifice", "nose"), ("", "", "(passage)"), "T17.1"),
    IndexEntry(("Bruise", "with", "open wound", "shin"), ("(skin surface intact)", "", "", ""),
               "S81.80-", "see Wound, open, shin, see Wound, open, leg"),
]


def test_a_subterm_that_only_groups_others_may_be_read_through():
    table = _table(*GROUPED_ENTRIES)
    assert index_matches("foreign body in the nose", table) == []
    assert [m.term.entry for m in index_matches("foreign body in the nose", table,
                                                through_groups=True)] \
        == ["Foreign body, entering through orifice, nose"]
    # every other level must still be named
    assert index_matches("foreign body", table, through_groups=True) == []
    # a subterm under "with" names a condition that must be present
    assert index_matches("bruised shin", table, through_groups=True) == []
    assert index_matches("bruise shin", table, through_groups=True) == []


# The Index's own titles under "Status (post)" and "Trachoma", codes made up
STATUS_ENTRIES = [IndexEntry(("Status", "tracheostomy"), ("(post)", ""), "X00.3"),
                  IndexEntry(("Status", "gastrostomy"), ("(post)", ""), "X00.4"),
                  IndexEntry(("Status", "cardiac", "pacemaker"), ("(post)", "", ""), "X00.3"),
                  IndexEntry(("Status", "cardioverter-defribillator"), ("(post)", ""), "X00.4"),
                  IndexEntry(("Trachoma",), ("",), "X00.3")]


def test_a_clipped_word_is_the_one_word_it_begins_under_the_main_term():
    table = _table(*STATUS_ENTRIES)
    # "Trachoma" begins with "trach" too, but is no entry under "Status"
    assert unclipped(["trach"], "status", table) == {"trach": "tracheostomy"}
    assert index_matches("status tracheostomy", table)[0].term.entry == "Status, tracheostomy"
    # a word the Index compares as it is written is no clipped word ("gastro" is how
    # "gastrostomy" is compared), nor one that begins two words ("cardiac", "cardioverter"),
    # nor one too short to tell ("tra"), nor one that begins nothing there
    assert unclipped(["gastro", "card", "tra", "cast"], "status", table) == {}
    # nothing under a main term the Index does not have
    assert unclipped(["trach"], "presence of", table) == {}


def test_an_entry_that_says_a_or_b_is_named_by_either():
    # the Index's own titles under "Status (post)", codes made up
    table = _table(IndexEntry(("Status", "hearing-aid or device"), ("(post)", "(external)"),
                              "X00.3"),
                   IndexEntry(("Status", "coronary artery graft or prosthesis"), ("(post)", ""),
                              "X00.4"))
    def entries(text: str) -> list[str]:
        return [m.term.entry for m in index_matches(text, table)]
    assert entries("status hearing aid") == ["Status, hearing-aid or device"]
    assert entries("status hearing device") == ["Status, hearing-aid or device"]
    assert entries("status coronary artery prosthesis") == [
        "Status, coronary artery graft or prosthesis"]
    assert entries("status coronary artery graft") == [
        "Status, coronary artery graft or prosthesis"]
    # the words either way share stay needed: "aid" alone, "artery graft" without "coronary"
    assert entries("status aid") == []
    assert entries("status artery graft") == []
@pytest.mark.parametrize("text, parts", [
    ("stepped on a tack, puncture wound of the right foot", ["stepped on a tack",
                                                             "puncture wound of the right foot"]),
    ("sprain; left ankle,", ["sprain", "left ankle"]),
    # a part that joins words with "and" or "or" ends a list the comma began: one name
    ("toddler with hand, foot and mouth disease", ["toddler with hand, foot and mouth disease"]),
    ("cough, fever or chills, initial visit", ["cough, fever or chills", "initial visit"]),
])
def test_a_question_is_parted_into_clauses_at_its_commas_but_not_inside_a_list(text, parts):
    assert clauses(text) == parts


# Words of ICD-10-CM 2026 external causes' titles (W00.0, W11, W20, W26.0, Y93.02, Y93.55,
# Y93.G3).
CAUSE_WORDS = frozenset(w for title in [
    "Fall on same level due to ice and snow", "Fall on and from ladder", "Contact with knife",
    "Struck by thrown, projected or falling object", "Activity, running",
    "Activity, bike riding", "Activity, cooking and baking"] for w in entry_words(title))


def test_how_it_happened_after_the_condition_is_found_as_written():
    def cause(question: str) -> str | None:
        return named_cause(question, lambda: CAUSE_WORDS)

    assert cause("cut my finger while cooking") == "while cooking"
    assert cause("fractured wrist after falling on ice, initial encounter") \
        == "after falling on ice"
    assert cause("sprained ankle running") == "running"
    assert cause("cut my thumb with a knife") == "with a knife"
    # a word no external cause names is part of the condition, as is the question's start
    assert cause("cut my finger while slicing a bagel") is None
    assert cause("running nose") is None
    assert cause("bleeding from the nose") is None


def test_how_it_happened_is_read_only_where_the_question_has_such_a_phrase():
    read: list[str] = []

    def words() -> frozenset[str]:
        read.append("read")
        return CAUSE_WORDS

    assert named_cause("sprained left ankle", words) is None and not read


def test_words_that_tell_how_a_condition_is_reported_or_goes_are_no_word_of_it():
    # FY2017 Alphabetic Index entries, codes made up
    table = _table(IndexEntry(("Senile, senility",), ("",), "X00.3"),
                   IndexEntry(("Flushing",), ("",), "X00.4"))
    assert [m.term.entry for m in index_matches("getting senile", table)] == ["Senile, senility"]
    assert [m.term.entry for m in index_matches("pt reports she keeps flushing", table)] == [
        "Flushing"]
    assert [m.term.entry for m in index_matches("always flushing", table)] == ["Flushing"]
    assert [m.term.entry for m in index_matches("complains of flushing lately", table)] == [
        "Flushing"]
    # every other word is still asked
    assert index_matches("keeps flushing red", table) == []
    # a verb of having or being ("has been", "gets")
    assert [m.term.entry for m in index_matches("he has been so senile", table)] == [
        "Senile, senility"]
    assert [m.term.entry for m in index_matches("she gets flushing", table)] == ["Flushing"]


def test_an_age_still_and_without_are_no_words_of_the_condition():
    # FY2017 Alphabetic Index entries, codes made up
    table = _table(IndexEntry(("Sucking thumb, child",), ("",), "X00.1"),
                   IndexEntry(("Loss", "weight"), ("", ""), "X00.2"),
                   IndexEntry(("Still's disease or syndrome",), ("",), "X00.3"))
    for question, entry in (("my 6-year-old still sucking thumb", "Sucking thumb, child"),
                            ("a 15 month old sucking thumb", "Sucking thumb, child"),
                            ("loss of weight without trying", "Loss, weight"),
                            ("Still's disease", "Still's disease or syndrome")):
        assert [m.term.entry for m in index_matches(question, table)] == [entry]
    # a word of age without a number is still asked ("old")
    assert index_matches("old sucking thumb", table) == []


def test_the_occasion_a_condition_happens_on_is_the_clause_of_the_askers_doing():
    assert named_occasion("my gums bleed every time I brush") == "every time I brush"
    assert named_occasion("gums bleed whenever she flosses, a lot") == "whenever she flosses"
    # an occasion said without the asker's doing is the condition's own ("pain when peeing")
    assert named_occasion("pain when peeing") is None
    assert named_occasion("when I brush") is None  # nothing before it


def test_a_regular_past_participle_is_looked_up_under_its_verbs_main_term():
    # FY2017 Alphabetic Index: "Burn-out (state)" Z73.0, "Pulled muscle - see Strain"; codes
    # made up
    table = _table(IndexEntry(("Burn-out",), ("(state)",), "X00.3"),
                   IndexEntry(("Pulled muscle",), ("",), "X00.4"),
                   IndexEntry(("Pull",), ("",), "X00.3"))
    assert [m.term.entry for m in index_matches("feels completely burned out", table)] == [
        "Burn-out"]
    assert [m.term.entry for m in index_matches("burnt out", table)] == []  # irregular
    # a participle the Index writes as it is stays
    assert [m.term.entry for m in index_matches("pulled muscle", table)] == ["Pulled muscle"]


def test_a_word_written_as_one_is_named_by_an_entry_of_its_two_words():
    # FY2017 Alphabetic Index: "Ear, wax (impacted)" H61.20, "Wax in ear", "Heartburn" R12;
    # codes made up
    table = _table(IndexEntry(("Ear", "wax"), ("", "(impacted)"), "X00.3"),
                   IndexEntry(("Wax in ear",), ("",), "X00.4"),
                   IndexEntry(("Heartburn",), ("",), "X00.3"),
                   IndexEntry(("Burn", "heart"), ("", ""), "X00.4"))
    assert [m.term.entry for m in index_matches("impacted earwax", table)] == ["Ear, wax"]
    assert {m.term.entry for m in index_matches("left earwax", table)} == {"Ear, wax",
                                                                          "Wax in ear"}
    # a word that begins a main term is looked up as it is
    assert [m.term.entry for m in index_matches("heartburn", table)] == ["Heartburn"]
    # two letters that written as one make a stopword ("o" "f" of "c/o f/u": "of") are no word
    assert index_matches("c/o f/u", table) == []


def test_an_entry_whose_code_leaves_the_kind_to_a_procedure_code_names_no_more_of_it():
    # "Vaccination (prophylactic), encounter for" Z23: the kind of vaccine is the procedure
    # code's ("types_left" says so of Z23); an entry may leave no more words than it names
    table = _table(IndexEntry(("Vaccination", "encounter for"), ("(prophylactic)", ""), "Z23"))
    question = "encounter for a tetanus vaccine"
    assert index_matches(question, table) == []
    assert index_matches(question, table, types_left=lambda term, words: False) == []
    [match] = index_matches(question, table, types_left=lambda term, words: True)
    assert match.to_procedure == ("tetanu",) and match.unnamed == ()
    assert index_matches("encounter for a tetanus diphtheria vaccine", table,
                         types_left=lambda term, words: True) == []
