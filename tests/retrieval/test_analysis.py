"""Question analysis on many phrasings: codes, dates of service, fields, kinds, systems."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.retrieval.analysis import (QuestionKind, analyse, find_codes,
                                          find_date, find_fields, find_system)

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
