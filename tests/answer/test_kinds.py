"""The kinds of question coders ask, through `ask --json`: history, notes stated above a
code, status words beside field words, dates in every form, follow-ups that keep a date."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rich.console import Console

from assistant.answer.service import CodingAssistant, Conversation
from assistant.interfaces.chat import run_chat
from assistant.interfaces.cli import main
from tests.ask_cli import ask_json


# ---------------------------------------------------------------- history

def test_the_change_history_is_told_from_the_pages_own_rows(sample_index):
    data = ask_json("show the change history of 77418")
    quotes = [c["quote"] for c in data["citations"] if c["section"] == "history"]
    assert quotes == ["2002-01-01 | Added | First appearance in code book in 2002.",
                      "2005-01-01 | Changed | Code description changed.",
                      "2011-01-01 | Changed | Short description changed.",
                      "2015-01-01 | Deleted | Code deleted"]
    assert all(f"[{c['n']}]" in data["answer"] for c in data["citations"])
    assert data["codes"][0]["status"] == "deleted"


def test_a_history_question_with_a_year_tells_that_years_rows(sample_index):
    data = ask_json("what happened to 77418 in 2015?")
    quotes = [c["quote"] for c in data["citations"] if c["section"] == "history"]
    assert quotes == ["2015-01-01 | Deleted | Code deleted"]
    assert "2002" not in data["answer"]
    quiet = ask_json("what happened to 77418 in 2008?")
    assert "records no change from 2008-01-01 to 2008-12-31" in quiet["answer"]


def test_when_a_code_was_split_is_its_expansion_row(slice_index):
    data = ask_json("when was D81.3 split into D81.30-D81.39?")
    rows = [c for c in data["citations"] if c["section"] == "history" and c["code"] == "D81.3"]
    assert rows and rows[0]["quote"].startswith("2019-10-01 | Expanded")
    assert "2019-10-01 expanded into D81.30, D81.31, D81.32, D81.39" in data["answer"]
    # The codes it was split into are named with their status, not told again.
    assert {c["code"] for c in data["codes"]} >= {"D81.3", "D81.30", "D81.39"}
    assert not [c for c in data["citations"] if c["section"] == "history"
                and c["code"] == "D81.30"]


def test_when_a_field_changed_is_its_history_row_first_and_its_value(sample_index):
    data = ask_json("when did the short descriptor of 77418 change?")
    rows = [c["quote"] for c in data["citations"] if c["section"] == "history"]
    assert rows[0] == "2011-01-01 | Changed | Short description changed."
    assert len(rows) == 4  # the other rows follow, by date
    value = [c for c in data["citations"] if c["field"] == "Short Descr"]
    assert value and f"[{value[0]['n']}]" in data["answer"]
    assert data["codes"][0]["code"] == "77418" and data["codes"][0]["status"] == "deleted"


def test_what_changed_in_a_year_is_that_years_rows(slice_index):
    data = ask_json("what changed for E87.2 in 2022?")
    rows = [c["quote"] for c in data["citations"] if c["section"] == "history"]
    assert rows and all(row.startswith("2022-") for row in rows)
    assert "2022-10-01 expanded into E87.20" in data["answer"]


# ---------------------------------------------------------------- notes stated above a code

@pytest.mark.parametrize("question, code, kind, text", [
    ("E11.65 patient on insulin - which extra code does the tabular tell me to add?", "E11.65",
     "use_additional_code", "insulin (Z79.4)"),
    ("coding E11.22 - do I need another code alongside it?", "E11.22", "use_additional_code",
     "insulin (Z79.4)"),
    ("for N40.1, what symptom codes should be added?", "N40.1", "use_additional_code",
     "(R39.16)"),
])
def test_a_note_asked_for_without_its_name_is_cited(slice_index, question, code, kind, text):
    data = ask_json(question)
    assert data["codes"][0]["code"] == code
    notes = [c for c in data["citations"] if c["field"] == kind and c["code"] == code]
    assert any(text in c["quote"] for c in notes)
    assert all(f"[{c['n']}]" in data["answer"] for c in notes)


def test_adding_a_code_on_a_date_is_still_a_status_question(slice_index):
    data = ask_json("can I add E87.2 on 6/30/23?")
    assert (data["codes"][0]["code"], data["codes"][0]["status"]) == ("E87.2", "not_billable")
    assert not [c for c in data["citations"] if c["field"] in ("use_additional_code", "excludes1",
                                                              "excludes2")]
    assert "E87.2 is not billable for a date of service of 2023-06-30" in data["answer"]


@pytest.mark.parametrize("question, kind, stated_at, text", [
    ("what else do I code with E11.22?", "use_additional_code", "category E11", "insulin (Z79.4)"),
    ("is there a code-first note for N18.30?", "code_first", "category N18",
     "hypertensive chronic kidney disease"),
    ("what should be sequenced first with N18.31?", "code_first", "category N18",
     "diabetic chronic kidney disease"),
    ("excludes2 for N40.0?", "excludes2", "chapter 14", "perinatal period"),
])
def test_a_note_is_found_where_it_is_stated_and_said_so(slice_index, question, kind, stated_at,
                                                         text):
    data = ask_json(question)
    code = data["codes"][0]["code"]
    assert f"stated at {stated_at} and so applying to {code}" in data["answer"]
    notes = [c for c in data["citations"] if c["field"] == kind]
    assert any(text in c["quote"] for c in notes)
    assert all(c["code"] == code for c in notes)


# ---------------------------------------------------------------- status words win

@pytest.mark.parametrize("question, code", [
    ("Is H10.9 bilateral conjunctivitis still valid?", "H10.9"),
    ("can the care team still bill I10?", "I10"),
])
def test_a_status_question_stays_one_beside_a_field_word(slice_index, question, code):
    data = ask_json(question)
    assert data["codes"][0]["code"] == code and data["codes"][0]["status"] == "active"
    assert f"{code} is valid and billable" in data["answer"]
    assert "fee-schedule" not in data["answer"]


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("written", ["2019-06-30", "6/30/2019", "06/30/2019", "June 30 2019",
                                     "June 30, 2019", "30 Jun 2019", "DOS 6/30/19",
                                     "30-Jun-2019", "Jun 30th, 2019", "2019/06/30"])
def test_every_date_form_a_coder_writes_is_read(slice_index, written):
    data = ask_json(f"Was D81.3 billable on {written}?")
    assert data["date_of_service"] == "2019-06-30"
    assert data["date_of_service_from"] == "question"
    assert data["codes"][0]["status"] == "active"


@pytest.mark.parametrize("written, why", [
    ("2022-02-30", "February 2022 has 28 days"),
    ("2/30/2022", "February 2022 has 28 days"),
    ("February 30, 2022", "February 2022 has 28 days"),
    ("2023-13-01", "there is no month 13"),
    ("30/06/2023", "not a month/day/year date"),
])
def test_an_impossible_date_is_refused_by_name_never_answered_for_today(slice_index, written,
                                                                          why):
    result = CliRunner().invoke(main, ["ask", f"Is E11.9 valid on {written}?", "--json"])
    assert result.exit_code == 2
    assert written in result.output and why in result.output
    batch = CliRunner().invoke(main, ["batch"], input=json.dumps(
        {"id": "x", "question": f"Is E11.9 valid on {written}?"}))
    line = json.loads(batch.output)
    assert line["id"] == "x" and written in line["error"] and "codes" not in line


# ---------------------------------------------------------------- follow-ups keep the date

def test_a_follow_up_keeps_the_conversations_date_and_says_so(slice_index):
    assistant, conversation = CodingAssistant(), Conversation()
    first = assistant.ask("Is D81.3 billable on 2019-06-30?", conversation=conversation)
    assert first.date_of_service == "2019-06-30" and conversation.dos is not None
    follow_up = assistant.ask("and its excludes1 notes?", conversation=conversation).to_dict()
    assert follow_up["date_of_service"] == "2019-06-30"
    assert follow_up["date_of_service_from"] == "conversation"
    assert follow_up["answer"].startswith("Date of service 2019-06-30, as earlier in this "
                                          "conversation.")
    other = assistant.ask("and on 2021-01-15?", conversation=conversation).to_dict()
    assert other["date_of_service"] == "2021-01-15"
    assert (other["codes"][0]["code"], other["codes"][0]["status"]) == ("D81.3", "not_billable")


def test_a_date_only_follow_up_in_chat_answers_for_the_codes_in_context(slice_index):
    questions = iter(["Is D81.3 billable?",
                      "what about for a date of service of 2019-03-01?", "quit"])
    buffer = io.StringIO()
    run_chat(None, plain=True, read=lambda prompt: next(questions),
             console=Console(file=buffer, width=300, color_system=None))
    transcript = buffer.getvalue()
    assert "I couldn't find a code" not in transcript
    assert "D81.3 was valid and billable for a date of service of 2019-03-01" in transcript
