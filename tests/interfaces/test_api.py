"""The HTTP API through the real app (sample CPT page 77418, fake embedding)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from assistant.interfaces.api import create_app

QUESTION = "Is 77418 still active?"


@pytest.fixture
def client(sample_index_in_mode, monkeypatch):
    """The API over the sample page, embedded and in server mode (a second node reading)."""
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with TestClient(create_app()) as test_client:
        yield test_client


def test_ask_returns_the_answer_contract(client):
    response = client.post("/api/ask", json={"question": QUESTION})

    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"question", "date_of_service", "answer", "grounded", "codes",
                         "citations", "warnings"}
    assert data["question"] == QUESTION
    assert data["grounded"] is True
    first = data["codes"][0]
    assert (first["code"], first["status"], first["deleted_on"]) == ("77418", "deleted",
                                                                      "2015-01-01")
    history = [c for c in data["citations"] if c["section"] == "history"]
    assert history and history[0]["quote"] == "2015-01-01 | Deleted | Code deleted"
    assert f"[{history[0]['n']}]" in data["answer"]
    assert any("77418" in w and "2015-01-01" in w for w in data["warnings"])


def test_date_of_service_is_passed_through(client):
    response = client.post("/api/ask", json={"question": QUESTION,
                                             "date_of_service": "2014-06-30"})

    assert response.status_code == 200
    data = response.json()
    assert data["date_of_service"] == "2014-06-30"
    assert data["codes"][0]["code"] == "77418"
    assert data["codes"][0]["status"] != "deleted"  # still valid before 2015-01-01


@pytest.mark.parametrize("body", [{}, {"question": ""}, {"question": "   \n "},
                                  {"question": 77418}, {"date_of_service": "2020-01-01"}])
def test_missing_or_blank_question_is_422_with_a_message(client, body):
    response = client.post("/api/ask", json=body)

    assert response.status_code == 422
    assert "question" in response.json()["detail"]


@pytest.mark.parametrize("dos, why", [
    ("2020-13-01", "is not a real date: there is no month 13"),
    ("2023-02-30", "is not a real date: February 2023 has 28 days"),
    ("yesterday", "is not a date: write it as YYYY-MM-DD"),
    ("20200101", "is not a date: write it as YYYY-MM-DD"),
    (20200101, "is not a date: write it as YYYY-MM-DD"),
])
def test_bad_date_is_422_naming_the_date(client, dos, why):
    response = client.post("/api/ask", json={"question": QUESTION, "date_of_service": dos})

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert str(dos) in detail and why in detail
    assert "answer" not in response.json()


def test_lookup_with_an_impossible_date_is_422_naming_it(client):
    response = client.get("/api/lookup/77418", params={"on": "2023-02-30"})

    assert response.status_code == 422
    assert "on 2023-02-30 is not a real date" in response.json()["detail"]


def test_body_that_is_not_a_json_object_is_422(client):
    response = client.post("/api/ask", content=b"question=hi",
                           headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert "JSON object" in response.json()["detail"]


def test_over_long_question_is_422_with_the_limit(client):
    response = client.post("/api/ask", json={"question": "x" * 2001})

    assert response.status_code == 422
    assert "2000" in response.json()["detail"]


def test_body_over_16_kib_is_413(client):
    response = client.post("/api/ask", json={"question": QUESTION, "pad": "x" * 17000})

    assert response.status_code == 413
    assert "16 KiB" in response.json()["detail"]


def test_streamed_body_over_16_kib_is_413_without_content_length(client):
    def chunks():
        yield b'{"question": "' + b"x" * 9000
        yield b"x" * 9000 + b'"}'

    response = client.post("/api/ask", content=chunks(),
                           headers={"content-type": "application/json"})

    assert response.status_code == 413


def test_lookup_known_code(client):
    response = client.get("/api/lookup/77418")

    assert response.status_code == 200
    record = response.json()["records"][0]
    assert record["code"] == "77418"
    assert record["status"]["status"] == "deleted"


def test_lookup_unknown_code_is_404_with_a_message(client):
    response = client.get("/api/lookup/99999")

    assert response.status_code == 404
    assert "99999" in response.json()["detail"]


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_page_and_static_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert 'label for="question"' in page.text and 'type="date"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_question_text_is_never_logged(client, caplog):
    secret = "Patient Jane Roe MRN 123456 is 77418 still active?"
    with caplog.at_level(logging.DEBUG):
        client.post("/api/ask", json={"question": secret})
        client.post("/api/ask", json={"question": secret, "date_of_service": "bad"})

    assert "Jane Roe" not in caplog.text


@pytest.fixture
def slice_client(slice_index, monkeypatch):
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.mark.parametrize("context, code, status", [(["E87.2", "I10"], "E87.2", "not_billable"),
                                                   (["77418"], "77418", "deleted")])
def test_follow_up_uses_the_codes_sent_back(slice_client, context, code, status):
    # The index holds the sample page and hundreds of ICD-10-CM codes: only the context says
    # which one "it" is.
    response = slice_client.post("/api/ask", json={"question": "Is it still active?",
                                                   "context_codes": context})

    assert response.status_code == 200
    data = response.json()
    assert [(c["code"], c["status"]) for c in data["codes"]][:1] == [(code, status)]
    assert data["grounded"] and code in data["answer"]


def test_serve_command_options():
    from click.testing import CliRunner

    from assistant.interfaces.server_cli import serve

    result = CliRunner().invoke(serve, ["--help"])

    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


def test_missing_index_is_503_with_the_fix(monkeypatch):
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with TestClient(create_app()) as client:  # the autouse settings point at an empty folder
        response = client.post("/api/ask", json={"question": QUESTION})

    assert response.status_code == 503
    assert "ingest" in response.json()["detail"]


def test_a_follow_up_keeps_the_date_of_service_sent_back(slice_client):
    first = slice_client.post("/api/ask", json={"question": "Is D81.3 billable on 6/30/2019?"})
    context = first.json()["context"]
    assert context == {"codes": ["D81.3"], "date_of_service": "2019-06-30"}
    follow_up = slice_client.post("/api/ask", json={
        "question": "and its excludes1 notes?", "context_codes": context["codes"],
        "context_date_of_service": context["date_of_service"]}).json()
    assert follow_up["date_of_service"] == "2019-06-30"
    assert follow_up["date_of_service_from"] == "conversation"
    assert follow_up["codes"][0]["code"] == "D81.3" and follow_up["codes"][0]["status"] == "active"
    # A date-only follow-up answers for the codes in context on the new date.
    on_a_date = slice_client.post("/api/ask", json={
        "question": "what about for a date of service of 2020-03-01?",
        "context_codes": context["codes"],
        "context_date_of_service": context["date_of_service"]}).json()
    assert on_a_date["date_of_service_from"] == "question"
    assert (on_a_date["codes"][0]["code"], on_a_date["codes"][0]["status"]) == (
        "D81.3", "not_billable")
    bad = slice_client.post("/api/ask", json={"question": "Is I10 valid?",
                                              "context_date_of_service": "2019-02-30"})
    assert bad.status_code == 422 and "context_date_of_service" in bad.json()["detail"]
