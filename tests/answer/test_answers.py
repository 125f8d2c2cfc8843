"""Grounded answers through the CLI: the JSON contract, status, fields, none and bad questions."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from rich.console import Console

from assistant.answer.service import CodingAssistant, QuestionError
from assistant.interfaces.batch import FAILED
from assistant.interfaces.chat import run_chat
from assistant.interfaces.cli import main
from tests.ask_cli import ask_json


def test_json_contract_for_a_deleted_cpt_code(sample_index):
    data = ask_json("Is 77418 still active?")
    assert set(data) >= {"question", "date_of_service", "answer", "grounded", "codes",
                         "citations", "warnings"}
    assert data["grounded"] is True
    top = data["codes"][0]
    assert (top["code"], top["system"], top["status"], top["deleted_on"], top["billable"]) == (
        "77418", "CPT", "deleted", "2015-01-01", False)
    assert top["status_text"] == "deleted 2015-01-01" and top["reasons"] == ["exact code named"]
    history = [c for c in data["citations"] if c["section"] == "history"]
    assert history[0]["quote"] == "2015-01-01 | Deleted | Code deleted"
    assert history[0]["source"] == "corpus/pages/77418.txt"
    assert f"[{history[0]['n']}]" in data["answer"]
    assert any("77418" in w and "2015-01-01" in w for w in data["warnings"])


def test_every_code_says_why_it_is_there(slice_index):
    named = ask_json("Is D81.3 a billable code?")
    reasons = {c["code"]: c["reasons"] for c in named["codes"]}
    assert reasons["D81.3"] == ["exact code named"]
    assert reasons["D81.30"] == ["replacement of D81.3 (its history names it)"]
    found = ask_json("enlarged prostate without urinary symptoms")
    best, second = found["codes"][:2]
    assert best["code"] == "N40.0" and best["reasons"][0] == "best match"
    assert "inclusion term 'Enlarged prostate NOS': where the condition with no further " \
           "detail goes" in best["reasons"]
    assert any(r.startswith("score ") and "+ inclusion term NOS 0.250" in r
               for r in best["reasons"])
    assert second["reasons"][0] == "candidate 2"
    assert all(c["reasons"] for c in found["codes"])


def test_explain_prints_the_reasons_in_the_terminal(slice_index):
    plain = CliRunner().invoke(main, ["ask", "Is D81.3 a billable code?"])
    explained = CliRunner().invoke(main, ["ask", "Is D81.3 a billable code?", "--explain"])
    assert plain.exit_code == explained.exit_code == 0
    assert "Why these codes:" not in plain.output
    why = explained.output.split("Why these codes:\n")[1]
    assert "  D81.3: exact code named\n" in why
    assert "  D81.30: replacement of D81.3 (its history names it)\n" in why


def test_record_field_disagreeing_with_history_is_called_out(sample_index):
    data = ask_json("Is 77418 deleted?")
    assert "Status Code" in data["answer"] and "Active Code" in data["answer"]
    assert any(c["field"] == "Status Code" for c in data["citations"])


def test_status_before_deletion_on_the_date_of_service(sample_index):
    data = ask_json("Was 77418 billable?", "--dos", "2013-07-15")
    assert data["date_of_service"] == "2013-07-15"
    assert data["codes"][0]["status"] == "active" and not data["warnings"]
    assert "2015-01-01" in data["answer"]
    in_question = ask_json("Could 77418 be billed on 2014-12-31?")
    assert in_question["codes"][0]["status"] == "active"


@pytest.mark.parametrize("question, field, value", [
    ("What is the global period for 77418?", "Global Days", "XXX - Global Concept Does Not Apply"),
    ("Can modifier 26 be used with 77418?", "PC/TC Indicator (26, TC)",
     "3 - Technical Component Only Code"),
    ("77418 BETOS?", "Berenson-Eggers TOS (BETOS)", "P7A - Oncology - radiation therapy"),
    ("bilateral rule for 77418", "Bilateral Surgery (50)",
     "0 - 150% payment adjustment for bilateral procedures does NOT apply."),
])
def test_field_questions_quote_and_cite_the_field(sample_index, question, field, value):
    data = ask_json(question)
    assert value in data["answer"]
    cited = [c for c in data["citations"] if c["field"] == field]
    assert cited and cited[0]["quote"] == f"{field} | {value}"
    assert data["codes"][0]["status"] == "deleted"


def test_unanswerable_question_is_not_grounded_and_names_what_is_held(sample_index):
    data = ask_json("CPT code for a cardiac catheterization?")
    assert data["grounded"] is False and data["codes"] == []
    assert "77418" in data["answer"]


def test_unknown_code_is_never_presented(sample_index):
    data = ask_json("Is 99213 still valid?")
    assert data["grounded"] is False and data["codes"] == []
    assert "don't have 99213" in data["answer"]


def test_blank_and_overlong_questions_are_refused(sample_index):
    blank = CliRunner().invoke(main, ["ask", "   "])
    assert blank.exit_code == 2 and "empty" in blank.output
    long = CliRunner().invoke(main, ["ask", "x" * 2001])
    assert long.exit_code == 2 and "2000" in long.output


def test_control_characters_do_not_crash(sample_index):
    answer = CodingAssistant().ask("Is\x00 77418\x1b[31m deleted?\x07")
    assert answer.codes[0].code == "77418"
    with pytest.raises(QuestionError):
        CodingAssistant().ask("\x00\x01\x02")


def test_batch_answers_every_line_and_reports_bad_ones(sample_index):
    lines = b"\n".join([
        json.dumps({"id": "a", "question": "Is 77418 deleted?"}).encode(),
        json.dumps({"id": "b", "question": "   "}).encode(),
        b"{not json",
        b"\xff\xfe\xfa",
        json.dumps({"id": "e", "question": "y" * 3000}).encode(),
        json.dumps({"id": "f", "question": "Global days for 77418?"}).encode(),
    ])
    result = CliRunner().invoke(main, ["batch"], input=lines)
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o.get("id") for o in out] == ["a", "b", None, None, "e", "f"]
    assert out[0]["codes"][0]["status"] == "deleted"
    assert all("error" in o for o in out[1:5])
    assert "XXX" in out[5]["answer"]


def test_a_question_the_assistant_fails_on_is_reported_and_the_batch_goes_on(
        sample_index, monkeypatch, caplog):
    asked = CodingAssistant.ask

    def failing(self, question, *args, **kwargs):
        if "failing" in question:
            raise IndexError("list index out of range")  # a bug, as batch would meet one
        return asked(self, question, *args, **kwargs)

    monkeypatch.setattr(CodingAssistant, "ask", failing)
    lines = b"\n".join(json.dumps(item).encode() for item in [
        {"id": "a", "question": "a failing question about patient Jane Roe"},
        {"id": "b", "question": "Global days for 77418?"},
    ])
    result = CliRunner().invoke(main, ["batch"], input=lines)
    assert result.exit_code == 0
    failed, answered = [json.loads(line) for line in result.output.splitlines()]
    assert failed == {"id": "a", "error": FAILED}
    assert "XXX" in answered["answer"]
    # the log names the failure and the line, never the question
    assert "IndexError" in caplog.text and "line 1" in caplog.text
    assert "Jane Roe" not in caplog.text


def test_chat_transcript_resolves_a_follow_up(sample_index):
    questions = iter(["What is 77418?", "and its global days?", "quit"])
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, color_system=None)
    run_chat(None, plain=True, read=lambda prompt: next(questions), console=console)
    transcript = buffer.getvalue()
    assert "Intensity modulated treatment delivery" in transcript
    assert "Global days for 77418: XXX - Global Concept Does Not Apply" in transcript


def test_chat_ends_on_ctrl_d(sample_index):
    prompts = []

    def eof(prompt):
        if prompts:
            raise AssertionError("the chat asked again after Ctrl-D")
        prompts.append(prompt)
        raise EOFError

    buffer = io.StringIO()
    run_chat(None, plain=True, read=eof, console=Console(file=buffer, width=200))
    assert prompts == ["coder> "]
    greeting, after_eof = buffer.getvalue().splitlines()
    assert "Ctrl-D" in greeting
    assert after_eof == ""  # the line the prompt left open is ended; nothing else is said


def test_icd_status_with_replacements(slice_index):
    data = ask_json("Is D81.3 a billable code?")
    entry = data["codes"][0]
    assert (entry["code"], entry["status"], entry["deleted_on"]) == ("D81.3", "not_billable",
                                                                     "2019-10-01")
    assert {"D81.30", "D81.31", "D81.32", "D81.39"} <= set(entry["replacements"])
    assert all(c["status"] == "active" for c in data["codes"][1:])
    before = ask_json("Is D81.3 a billable code?", "--dos", "2019-09-30")
    assert before["codes"][0]["status"] == "active" and "2019-10-01" in before["answer"]


def test_inherited_notes_are_cited_with_where_they_are_stated(slice_index):
    data = ask_json("What are the excludes2 notes for I10?")
    assert "I60-I69" in data["answer"]
    assert all(c["code"] == "I10" for c in data["citations"])


def test_the_tense_follows_the_day_asked_not_the_machines_clock(sample_index):
    from datetime import date

    from assistant.answer.compose import compose_answer
    from assistant.retrieval.analysis import analyse

    retriever = CodingAssistant().retriever
    asked = analyse("Was 77418 billable?", today=date(2014, 6, 1), dos=date(2014, 6, 1))
    assert "77418 is valid and billable" in compose_answer(asked, retriever).answer
    later = analyse("Was 77418 billable?", today=date(2014, 6, 2), dos=date(2014, 6, 1))
    assert "77418 was valid and billable" in compose_answer(later, retriever).answer
