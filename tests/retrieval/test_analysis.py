"""Question analysis on many phrasings: codes, dates of service, fields, kinds, systems."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.dates import find_date
from assistant.retrieval.analysis import (QuestionKind, analyse, find_codes, find_fields,
                                          find_system)

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("text, codes", [
    ("is 99214 payable", ["99214"]),
    ("0073T description", ["0073T"]),
    ("what about G0123?", ["G01.23", "G0123"]),
    ("E11.65 or e11.9", ["E11.65", "E11.9"]),
    ("does E1165 need a second code", ["E11.65", "E1165"]),
    ("S52.501A vs W19.XXXA", ["S52.501A", "W19.XXXA"]),
    ("category N18 and code I10", ["N18", "I10"]),
    ("type 2 diabetes in 2019", []),
    ("COVID-19 exposure", []),
    ("DOS 11/4/2022 for 77418", ["77418"]),
    ("vitamin B12 deficiency anemia", []),          # a vitamin's name, not a code
    ("vitamin B12 deficiency, D51.9?", ["D51.9"]),
    ("G2P1 at 24 wks, swollen ankles", []),         # gravida and para, not a code
    ("G3 P2, is O99.89 right?", ["O99.89"]),
])
def test_codes_in_any_common_spelling(text, codes):
    assert find_codes(text) == codes


@pytest.mark.parametrize("text, start, end", [
    ("was it valid on 2013-07-15", date(2013, 7, 15), None),
    ("DOS 11/4/2022", date(2022, 11, 4), None),
    ("date of service 03/31/2024?", date(2024, 3, 31), None),
    ("seen on March 5, 2021", date(2021, 3, 5), None),
    ("seen 5 March 2021", date(2021, 3, 5), None),
    ("in April 2017", date(2017, 4, 1), date(2017, 4, 30)),
    ("during 2025", date(2025, 1, 1), date(2025, 12, 31)),
    ("valid in FY2024?", date(2023, 10, 1), date(2024, 9, 30)),
    ("no date at all", None, None),
    ("on 2023-02-30 which is no date", None, None),
    ("DOS 6/30/23", date(2023, 6, 30), None),
    ("on June 30 2023", date(2023, 6, 30), None),
    ("on 30 Jun 2023", date(2023, 6, 30), None),
    ("on 30-Jun-2023", date(2023, 6, 30), None),
    ("the 30th of June 2023", date(2023, 6, 30), None),
    ("2023/06/30", date(2023, 6, 30), None),
    ("20230630", date(2023, 6, 30), None),
    ("in 6/2023", date(2023, 6, 1), date(2023, 6, 30)),
])
def test_dates_of_service(text, start, end):
    assert find_date(text) == (start, end)


@pytest.mark.parametrize("text, field", [
    ("what's the global period on it", "Global Days"),
    ("can I bill modifier 26 with this", "PC/TC Indicator (26, TC)"),
    ("is there a professional component", "PC/TC Indicator (26, TC)"),
    ("can it be done on both sides with modifier 50", "Bilateral Surgery (50)"),
    ("may an assistant at surgery bill", "Assistant Surgeon (80, 82)"),
    ("co-surgeon allowed?", "Co-Surgeons (62)"),
    ("team surgery rules", "Team Surgery (66)"),
    ("its BETOS category", "Berenson-Eggers TOS (BETOS)"),
    ("type of service", "Type of Service (TOS)"),
    ("how many units (MUE)", "MUE"),
    ("the APC status", "APC Status Indicator"),
    ("CCS category", "CCS Clinical Classification"),
    ("physician supervision level", "Physician Supervisions"),
    ("imaging family", "Diagnostic Imaging Family"),
    ("multiple procedure reduction", "Multiple Procedures (51)"),
    ("list the Excludes 1 notes", "excludes1"),
    ("excludes2 for it", "excludes2"),
    ("any code first instruction", "code_first"),
    ("use additional code note", "use_additional_code"),
    ("code also notes", "code_also"),
    ("inclusion terms", "inclusion_term"),
    ("which 7th character for a subsequent encounter", "seven_chr_def"),
    ("what is it indicated for", "indications"),
])
def test_fields_from_coders_words(text, field):
    assert field in find_fields(text)


def test_bare_excludes_means_both_kinds():
    assert find_fields("what does it exclude? excludes") == ["excludes1", "excludes2"]


def test_history_of_a_condition_is_not_the_code_history():
    assert "history" not in find_fields("personal history of nicotine dependence")


@pytest.mark.parametrize("text, kind", [
    ("abdominal pain in a child", QuestionKind.FIND),
    ("what does 77418 mean", QuestionKind.DESCRIBE),
    ("77418", QuestionKind.DESCRIBE),
    ("Is E11.9 still reportable?", QuestionKind.STATUS),
    ("can we bill D81.3 in 2020", QuestionKind.STATUS),
    ("global period of 77418", QuestionKind.FIELD),
    ("excludes1 notes of N18.4", QuestionKind.FIELD),
])
def test_kinds_of_question(text, kind):
    assert analyse(text, TODAY).kind == kind


@pytest.mark.parametrize("text, system", [
    ("CPT code for knee arthroscopy", "CPT"),
    ("ICD-10 code for gout", "ICD-10-CM"),
    ("diagnosis code for gout", "ICD-10-CM"),
    ("HCPCS for a walker", "HCPCS"),
    ("gout", None),
])
def test_code_system_hints(text, system):
    assert find_system(text) == system


def test_follow_up_uses_the_code_last_discussed():
    follow_up = analyse("and its global days?", TODAY, context_codes=["77418"])
    assert follow_up.codes == ["77418"] and follow_up.kind == QuestionKind.FIELD and follow_up.from_context
    new_search = analyse("what about acute bronchitis?", TODAY, context_codes=["77418"])
    assert new_search.codes == [] and new_search.kind == QuestionKind.FIND


def test_explicit_date_of_service_wins_and_today_is_the_default():
    assert analyse("is I10 valid", TODAY).dos == TODAY
    assert analyse("is I10 valid on 2019-01-01", TODAY, dos=date(2020, 1, 1)).dos == date(2020, 1, 1)
    assert analyse("is I10 valid on 2019-01-01", TODAY).dos == date(2019, 1, 1)


def test_the_day_asked_is_kept_for_the_answer_to_use():
    assert analyse("Is E87.2 valid?", today=date(2030, 1, 2)).today == date(2030, 1, 2)


@pytest.mark.parametrize("text, problem", [
    ("on 2022-02-30", "2022-02-30 is not a date: February 2022 has 28 days"),
    ("DOS 2/29/2023", "2/29/2023 is not a date: February 2023 has 28 days"),
    ("on 2023-13-01", "2023-13-01 is not a date: there is no month 13"),
    ("on 0000-03-01", "0000-03-01 is not a date: there is no year 0"),
    ("on 31/12/2023", "31/12/2023 is not a month/day/year date; if it means 31 December 2023, "
                      "write it as 2023-12-31"),
    ("on 2024-02-29", None),
    ("during 2025", None),
])
def test_a_date_that_cannot_be_read_is_named_with_why(text, problem):
    from assistant.dates import date_problem

    found = date_problem(text)
    assert (found.startswith(problem) if problem else found is None), found
    if problem:
        assert analyse(f"Is I10 valid {text}?", TODAY).date_problem == found


@pytest.mark.parametrize("text, kind, fields", [
    ("show the change history of 77418", QuestionKind.HISTORY, []),
    ("what happened to 77418 in 2015?", QuestionKind.HISTORY, []),
    ("when was R05 split into R05.1-R05.9?", QuestionKind.HISTORY, []),
    ("Is M17.0 bilateral knee osteoarthritis still valid?", QuestionKind.STATUS, []),
    ("can the care team still bill I10?", QuestionKind.STATUS, []),
    ("Is 77418 bilateral surgery allowed?", QuestionKind.FIELD, ["Bilateral Surgery (50)"]),
    ("is bilateral allowed for 77418?", QuestionKind.FIELD, ["Bilateral Surgery (50)"]),
    ("what additional codes go with I13.0?", QuestionKind.FIELD, ["use_additional_code"]),
    ("what else do I code with E11.22?", QuestionKind.FIELD, ["paired_codes"]),
    ("what goes with I13.0", QuestionKind.FIELD, ["paired_codes"]),
    ("is there a code-first note for F02.80?", QuestionKind.FIELD, ["code_first"]),
    ("what do I sequence first with F02.80", QuestionKind.FIELD, ["code_first"]),
    ("code also for K50.90", QuestionKind.FIELD, ["code_also"]),
    ("excludes2 for K50.90?", QuestionKind.FIELD, ["excludes2"]),
])
def test_cues_are_scored_not_first_match(text, kind, fields):
    question = analyse(text, TODAY)
    assert (question.kind, question.fields) == (kind, fields)


def test_a_follow_up_giving_only_a_date_is_about_the_codes_in_context():
    from assistant.retrieval.analysis import DateSource

    follow_up = analyse("what about for a date of service of 2021-03-01?", TODAY,
                        context_codes=["R05"], context_dos=date(2020, 1, 1))
    assert follow_up.codes == ["R05"] and follow_up.kind == QuestionKind.STATUS
    assert (follow_up.dos, follow_up.dos_from) == (date(2021, 3, 1), DateSource.QUESTION)
    kept = analyse("and its excludes1 notes?", TODAY, context_codes=["R05"],
                   context_dos=date(2020, 1, 1))
    assert (kept.dos, kept.dos_from) == (date(2020, 1, 1), DateSource.CONVERSATION)
    new_topic = analyse("acute bronchitis", TODAY, context_codes=["R05"],
                        context_dos=date(2020, 1, 1))
    assert (new_topic.dos, new_topic.dos_from) == (TODAY, DateSource.TODAY)


PAIRED, NOTES, EXCLUDES = ["paired_codes"], ["notes"], ["excludes1", "excludes2"]
TOGETHER = EXCLUDES + ["together"]


@pytest.mark.parametrize("text, kind, fields", [
    # Another code reported with this one, asked without naming the note that says so.
    ("E10.9 - is there an extra code I should add?", QuestionKind.FIELD, PAIRED),
    ("do I need another code alongside N18.4?", QuestionKind.FIELD, PAIRED),
    ("coding I10 - which other codes go along with it?", QuestionKind.FIELD, PAIRED),
    ("what second code is needed with N39.0?", QuestionKind.FIELD, PAIRED),
    ("what more codes should be reported with E11.22?", QuestionKind.FIELD, PAIRED),
    ("which codes get added on top of I13.0?", QuestionKind.FIELD, PAIRED),
    ("what do I report in addition to F10.20?", QuestionKind.FIELD, PAIRED),
    ("anything else to report with K70.30?", QuestionKind.FIELD, PAIRED),
    ("is there anything else I need to code for E66.01?", QuestionKind.FIELD, PAIRED),
    ("must I also code the organism with N39.0?", QuestionKind.FIELD, PAIRED),
    ("should we also report long-term insulin use for E11.65?", QuestionKind.FIELD, PAIRED),
    ("what gets coded together with E08.9?", QuestionKind.FIELD, PAIRED),
    ("for N40.1, what symptom codes should be added?", QuestionKind.FIELD, PAIRED),
    ("what should I be adding to J44.1?", QuestionKind.FIELD, PAIRED),
    ("which extra codes does the tabular tell me to add for E11.65?", QuestionKind.FIELD, PAIRED),
    ("O99.419 - do I add a further code for the condition?", QuestionKind.FIELD, PAIRED),
    ("any other code required along with D63.1?", QuestionKind.FIELD, PAIRED),
    ("E11.65: what needs adding?", QuestionKind.FIELD, PAIRED),
    ("Does K70.30 need a second code?", QuestionKind.FIELD, PAIRED),
    ("K70.30 - what else gets reported?", QuestionKind.FIELD, PAIRED),
    ("should I be coding anything else with F10.20?", QuestionKind.FIELD, PAIRED),
    ("tell me what to add with E11.65", QuestionKind.FIELD, PAIRED),
    # Every note, asked of the tabular or as instructions.
    ("what does the tabular say about E11.65?", QuestionKind.FIELD, NOTES),
    ("what does the tabular list tell me for K70.30?", QuestionKind.FIELD, NOTES),
    ("any instructions for N40.1?", QuestionKind.FIELD, NOTES),
    ("are there coding instructions at R10.9?", QuestionKind.FIELD, NOTES),
    # Whether two codes may be reported together: the notes of either that name the other.
    ("can I61.9 and I10 be billed together?", QuestionKind.FIELD, TOGETHER),
    ("is M54.5 allowed with M54.16?", QuestionKind.FIELD, TOGETHER),
    ("may K21.9 and K20.90 be coded together?", QuestionKind.FIELD, TOGETHER),
    ("can R10.9 be reported with K35.80 on the same claim?", QuestionKind.FIELD, TOGETHER),
    ("is it ok to code J45.909 with J44.9?", QuestionKind.FIELD, TOGETHER),
    ("are E66.9 and Z68.41 allowed together?", QuestionKind.FIELD, TOGETHER),
    ("can I use N18.4 alongside I12.9?", QuestionKind.FIELD, TOGETHER),
    ("Are I10 and N18.4 billable together?", QuestionKind.FIELD, TOGETHER),
    ("I10 with I12.9 - is that allowed?", QuestionKind.FIELD, TOGETHER),
    ("should I code I12.9 together with N18.4?", QuestionKind.FIELD, ["together"]),
    ("does E11.22 need N18.4 with it?", QuestionKind.FIELD, ["together"]),
    # When a code changed, started or ended: its history, with a field named beside it kept.
    ("when did the short descriptor of 77418 change?", QuestionKind.HISTORY, ["Short Descr"]),
    ("when did the long description of E11.9 change?", QuestionKind.HISTORY, ["Long Descr"]),
    ("was the global period of 77418 ever changed?", QuestionKind.HISTORY, ["Global Days"]),
    ("when does E87.2 end?", QuestionKind.HISTORY, []),
    ("when did U07.1 start?", QuestionKind.HISTORY, []),
    ("when did R05.1 get added?", QuestionKind.HISTORY, []),
    ("when did 77418 get deleted?", QuestionKind.HISTORY, []),
    ("when will E11.9 be deleted?", QuestionKind.HISTORY, []),
    ("when was the descriptor of 77418 revised?", QuestionKind.HISTORY, []),
    ("when was 77418 last updated?", QuestionKind.HISTORY, []),
    ("in what year was G92 deleted?", QuestionKind.HISTORY, []),
    ("what changed for E87.2 in 2022?", QuestionKind.HISTORY, []),
    ("what changed in 2023 for E88.81?", QuestionKind.HISTORY, []),
    ("has the title of E11.9 been revised?", QuestionKind.HISTORY, []),
    ("E87.2 - when did it stop being billable?", QuestionKind.HISTORY, []),
    ("history for R05", QuestionKind.HISTORY, []),
    ("history of code E87.2", QuestionKind.HISTORY, []),
    ("did 77418 ever change?", QuestionKind.HISTORY, []),
    ("what year did U07.1 come in?", QuestionKind.HISTORY, []),
    ("what changes happened to R05 in 2020?", QuestionKind.HISTORY, []),
    ("what's the MUE for 77418 and has it changed?", QuestionKind.HISTORY, ["MUE"]),
])
def test_every_way_of_asking_for_notes_and_history(text, kind, fields):
    question = analyse(text, TODAY)
    assert (question.kind, question.fields) == (kind, fields)


@pytest.mark.parametrize("text, kind, fields", [
    # A code and a status or date word, with no note asked: status, "add" or not.
    ("can I use E87.2?", QuestionKind.STATUS, []),
    ("can I add E87.2 on 6/30/23?", QuestionKind.STATUS, []),
    ("could I add D81.3 for a DOS of 2019-06-30?", QuestionKind.STATUS, []),
    ("can we add E11.9 for this patient?", QuestionKind.STATUS, []),
    ("can I bill E11.9 and E11.65 on 2023-01-01?", QuestionKind.STATUS, []),
    ("can E11.9 be billed in 2023?", QuestionKind.STATUS, []),
    ("is it ok to report E87.2 in 2024?", QuestionKind.STATUS, []),
    ("is 77418 still active?", QuestionKind.STATUS, []),
    ("what is E11.65?", QuestionKind.DESCRIBE, []),
    ("E11.65", QuestionKind.DESCRIBE, []),
    ("short descriptor of 77418", QuestionKind.FIELD, ["Short Descr"]),
    # A field's own start or end is the field, not a change of the code.
    ("when does the global period of 27447 end?", QuestionKind.FIELD, ["Global Days"]),
    ("Is modifier 50 allowed with 77418?", QuestionKind.FIELD, ["Bilateral Surgery (50)"]),
    # A patient's history beside a note named is the note.
    ("Z80.0 family history, what additional code?", QuestionKind.FIELD, ["use_additional_code"]),
    ("what more specific codes are there with E11.9?", QuestionKind.DESCRIBE, []),
    ("is there another code with E87.2's meaning to use instead?", QuestionKind.STATUS, []),
    ("do I need another code now that E87.2 is invalid?", QuestionKind.STATUS, []),
    ("can I still use E87.2 after it changed?", QuestionKind.STATUS, []),
    ("Can I report E11.9 with a date of service of 2023-01-01?", QuestionKind.STATUS, []),
    ("may I add I10 to the claim?", QuestionKind.STATUS, []),
])
def test_status_describe_and_field_questions_keep_their_kind(text, kind, fields):
    question = analyse(text, TODAY)
    assert (question.kind, question.fields) == (kind, fields)
