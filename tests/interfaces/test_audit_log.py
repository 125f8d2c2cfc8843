"""Questions are logged nowhere but the opt-in audit log: a whole session (the CLI, the HTTP
API, Slack) with every logger captured at DEBUG, with and without CODING_ASSISTANT_AUDIT_LOG."""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from test_slack import (SECRET, SlackStandIn, command_body, direct_message, event_body,
                        signed_headers)

from assistant.answer.audit import AuditLogError, audit_line, record
from assistant.answer.service import CodingAssistant
from assistant.config import Settings
from assistant.interfaces.api import create_app
from assistant.interfaces.cli import main
from assistant.interfaces.slack_bot import create_slack_app
from assistant.records import Answer

# Words a question may carry that must never reach a log: a name and a record number.
PRIVATE = "Jane Roe MRN 4417"
QUESTIONS = {
    "cli": f"Patient {PRIVATE} (cli): is 77418 still active?",
    "api": f"Patient {PRIVATE} (api): global days for 77418?",
    "slash": f"Patient {PRIVATE} (slash): is 77418 still active?",
    "dm": f"Patient {PRIVATE} (dm): was 77418 deleted?",
}


def _session(stand_in: SlackStandIn) -> None:
    """Ask each question once, each through its interface."""
    cli = CliRunner().invoke(main, ["ask", QUESTIONS["cli"], "--json"])
    assert cli.exit_code == 0, cli.output
    bolt = create_slack_app(CodingAssistant(), token="xoxb-test", signing_secret=SECRET,
                            base_url=f"{stand_in.url}/api/")
    with TestClient(create_app(slack_app=bolt)) as http:
        asked = http.post("/api/ask", json={"question": QUESTIONS["api"]})
        assert asked.status_code == 200
        assert http.get("/api/lookup/77418").status_code == 200
        for body, content_type in [
                (command_body(stand_in.url, QUESTIONS["slash"]),
                 "application/x-www-form-urlencoded"),
                (event_body(direct_message(QUESTIONS["dm"]), event_id="EvAudit"),
                 "application/json")]:
            response = http.post("/slack/events", content=body,
                                 headers=signed_headers(body, content_type))
            assert response.status_code == 200
        assert len(stand_in.wait_for_replies(2)) == 2


@pytest.fixture
def stand_in():
    server = SlackStandIn()
    yield server
    server.close()


@pytest.fixture
def quiet_env(monkeypatch):
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "CODING_ASSISTANT_AUDIT_LOG"):
        monkeypatch.delenv(name, raising=False)


def test_without_the_audit_log_no_question_is_logged_anywhere(sample_index, quiet_env, stand_in,
                                                               caplog, tmp_path):
    with caplog.at_level(logging.DEBUG):
        _session(stand_in)

    assert len(caplog.records) > 0  # the capture works: libraries do log at DEBUG
    assert PRIVATE not in caplog.text
    assert not [r for r in caplog.records if PRIVATE in str(r.args) or PRIVATE in str(r.msg)]
    assert not list(tmp_path.rglob("*audit*"))


def test_with_the_audit_log_questions_and_answers_are_in_it_and_nowhere_else(
        sample_index, quiet_env, stand_in, caplog, tmp_path, monkeypatch):
    audit = tmp_path / "audit" / "questions.jsonl"
    audit.parent.mkdir()
    monkeypatch.setenv("CODING_ASSISTANT_AUDIT_LOG", str(audit))

    with caplog.at_level(logging.DEBUG):
        _session(stand_in)

    assert PRIVATE not in caplog.text
    lines = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["question"] for line in lines) == sorted(QUESTIONS.values())
    for line in lines:
        assert line["answer"]["question"] == line["question"]
        assert "77418" in line["answer"]["answer"] and line["answer"]["codes"]
        assert datetime.fromisoformat(line["time"]).tzinfo is not None
    assert stat.S_IMODE(os.stat(audit).st_mode) == 0o600


def test_an_empty_setting_means_no_audit_log(monkeypatch):
    monkeypatch.setenv("CODING_ASSISTANT_AUDIT_LOG", " ")
    assert Settings().audit_log is None


def test_an_audit_log_that_cannot_be_written_refuses_the_answer(sample_index, monkeypatch,
                                                                  tmp_path):
    monkeypatch.setenv("CODING_ASSISTANT_AUDIT_LOG", str(tmp_path / "missing" / "audit.jsonl"))

    result = CliRunner().invoke(main, ["ask", "Is 77418 still active?"])

    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: CODING_ASSISTANT_AUDIT_LOG {tmp_path / 'missing'}")
    assert "cannot be written (No such file or directory)" in line


def test_lines_written_at_once_from_threads_stay_whole(tmp_path):
    audit = tmp_path / "audit.jsonl"
    answer = Answer(question="q", date_of_service="2026-01-01", answer="a " * 5000,
                    grounded=True)

    threads = [threading.Thread(target=lambda n=n: [record(audit, f"question {n}", answer)
                                                    for _ in range(20)]) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    lines = [json.loads(line) for line in audit.read_text().splitlines()]
    assert len(lines) == 160
    assert {line["question"] for line in lines} == {f"question {n}" for n in range(8)}


def test_an_audit_line_is_the_question_as_asked_and_the_whole_answer():
    answer = Answer(question="Is 77418 active?", date_of_service="2026-01-01", answer="No.",
                    grounded=True)
    moment = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    line = json.loads(audit_line("  Is 77418 active?", answer, moment))

    assert line == {"time": "2026-11-27T12:00:00+00:00", "question": "  Is 77418 active?",
                    "answer": answer.to_dict()}


def test_audit_log_error_is_a_settings_error():
    assert AuditLogError("x").exit_code == 2 and AuditLogError("x").http_status == 503
