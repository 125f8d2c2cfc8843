"""The Slack bot through the real Bolt app: signed requests in, Web API calls recorded by a
local stand-in for Slack on loopback. No Slack, no network beyond 127.0.0.1."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from concurrent.futures import Future
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

import pytest
from fastapi.testclient import TestClient
from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

from assistant.answer.service import CodingAssistant
from assistant.interfaces.api import create_app
from assistant.interfaces.slack_bot import answer_blocks, create_slack_app
from assistant.records import Answer, Citation, CodeResult

SECRET = "test-signing-secret"
QUESTION = "Is 77418 still active?"
HISTORY_QUOTE = "2015-01-01 | Deleted | Code deleted"


# ---------------------------------------------------------------- the Slack stand-in

class SlackStandIn:
    """A tiny Slack Web API on 127.0.0.1 that records every call it gets."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict]] = []
        # (HTTP status, JSON body) answers to give the next replies, before the usual ones
        self.scripted: list[tuple[int, dict]] = []
        self._changed = threading.Condition()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length") or 0)).decode()
                stand_in._record(self.path, _parse(raw, self.headers.get("content-type", "")))
                status, reply = stand_in._reply(self.path)
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(reply).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def _record(self, path: str, body: dict) -> None:
        with self._changed:
            self.calls.append((path, body))
            self._changed.notify_all()

    def _reply(self, path: str) -> tuple[int, dict]:
        if path.endswith("/auth.test"):
            return 200, {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1",
                         "user": "coding-assistant", "team": "Test",
                         "url": "https://t.slack.com/"}
        with self._changed:
            if self.scripted:
                return self.scripted.pop(0)
        return 200, {"ok": True, "channel": "C1", "ts": "1700000000.999999"}

    def replies(self) -> list[tuple[str, dict]]:
        return [(p, b) for p, b in self.calls if not p.endswith("/auth.test")]

    def wait_for_replies(self, count: int, timeout: float = 20.0) -> list[tuple[str, dict]]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.replies()) < count and time.monotonic() < deadline:
                self._changed.wait(deadline - time.monotonic())
        return self.replies()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _parse(raw: str, content_type: str) -> dict:
    if "json" in content_type:
        return json.loads(raw or "{}")
    return dict(parse_qsl(raw))


class InlineExecutor:
    """Runs listeners in the dispatching thread, so a reply exists once dispatch returns."""

    def submit(self, function, *args, **kwargs):
        future = Future()
        future.set_result(function(*args, **kwargs))
        return future


# ---------------------------------------------------------------- fixtures and helpers

@pytest.fixture
def stand_in():
    server = SlackStandIn()
    yield server
    server.close()


@pytest.fixture
def assistant(sample_index):
    return CodingAssistant()


@pytest.fixture
def slack_app(assistant, stand_in):
    return create_slack_app(assistant, token="xoxb-test", signing_secret=SECRET,
                            base_url=f"{stand_in.url}/api/", process_before_response=True,
                            listener_executor=InlineExecutor())


def signed_headers(body: str, content_type: str, timestamp: int | None = None,
                   secret: str = SECRET) -> dict:
    timestamp = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {"content-type": content_type, "x-slack-request-timestamp": timestamp,
            "x-slack-signature": signature}


def command_body(slack_url: str, text: str = QUESTION) -> str:
    return urlencode({"token": "legacy", "team_id": "T1", "channel_id": "C1", "user_id": "U1",
                      "user_name": "coder", "command": "/code", "text": text,
                      "response_url": f"{slack_url}/commands/T1/1/response",
                      "trigger_id": "1.2.3", "api_app_id": "A1"})


def event_body(event: dict, event_id: str = "Ev0001") -> str:
    return json.dumps({"token": "legacy", "team_id": "T1", "api_app_id": "A1", "event": event,
                       "type": "event_callback", "event_id": event_id,
                       "event_time": int(time.time()),
                       "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}]})


def mention(text: str = f"<@UBOT> {QUESTION}", **extra) -> dict:
    return {"type": "app_mention", "user": "U1", "text": text, "ts": "1700000000.000100",
            "channel": "C1", "event_ts": "1700000000.000100", **extra}


def direct_message(text: str = QUESTION, **extra) -> dict:
    return {"type": "message", "user": "U1", "text": text, "ts": "1700000001.000200",
            "channel": "D1", "channel_type": "im", "event_ts": "1700000001.000200", **extra}


def dispatch(app, body: str, content_type: str = "application/json", **header_overrides):
    headers = {**signed_headers(body, content_type), **header_overrides}
    return app.dispatch(BoltRequest(body=body, headers=headers))


def assert_answer_payload(payload: dict) -> None:
    """The Block Kit rendering of the 77418 answer: answer, warning, sources, fallback."""
    blocks = payload["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert any("77418 was deleted on 2015-01-01" in s for s in sections)
    warning = [s for s in sections if s.startswith(":warning:")]
    assert warning and "77418" in warning[0] and "2015-01-01" in warning[0]
    context = [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert any("history" in line and HISTORY_QUOTE in line for line in context)
    assert "77418" in payload["text"] and "2015-01-01" in payload["text"]
    assert len(blocks) <= 50 and all(len(s) <= 3000 for s in sections)


# ---------------------------------------------------------------- the three ways to ask

def test_slash_command_is_acked_and_answered_through_respond(slack_app, stand_in):
    response = dispatch(slack_app, command_body(stand_in.url), "application/x-www-form-urlencoded")

    assert response.status == 200
    (path, payload), = stand_in.replies()
    assert path == "/commands/T1/1/response"
    assert payload["response_type"] == "ephemeral"
    assert_answer_payload(payload)
    assert QUESTION in json.dumps(payload["blocks"])  # the reply quotes the question


def test_empty_slash_command_gets_usage_in_the_ack(slack_app, stand_in):
    response = dispatch(slack_app, command_body(stand_in.url, text="  "),
                        "application/x-www-form-urlencoded")

    assert response.status == 200
    assert "/code" in response.body
    assert stand_in.replies() == []


def test_mention_is_answered_in_its_thread(slack_app, stand_in):
    response = dispatch(slack_app, event_body(mention()))

    assert response.status == 200
    (path, payload), = stand_in.replies()
    assert path == "/api/chat.postMessage"
    assert payload["channel"] == "C1" and payload["thread_ts"] == "1700000000.000100"
    assert_answer_payload(payload)


def test_mention_inside_a_thread_replies_to_that_thread(slack_app, stand_in):
    dispatch(slack_app, event_body(mention(thread_ts="1690000000.000001")))

    (_, payload), = stand_in.replies()
    assert payload["thread_ts"] == "1690000000.000001"


def test_direct_message_is_answered_in_the_dm(slack_app, stand_in):
    response = dispatch(slack_app, event_body(direct_message()))

    assert response.status == 200
    (path, payload), = stand_in.replies()
    assert path == "/api/chat.postMessage"
    assert payload["channel"] == "D1" and "thread_ts" not in payload
    assert_answer_payload(payload)


@pytest.mark.parametrize("extra", [{"bot_id": "BOTHER"}, {"subtype": "message_changed"},
                                   {"channel_type": "channel"}])
def test_bot_messages_subtypes_and_channel_messages_are_ignored(slack_app, stand_in, extra):
    response = dispatch(slack_app, event_body(direct_message(**extra)))

    assert response.status == 200
    assert stand_in.replies() == []


def test_a_question_error_is_shown_to_the_user(slack_app, stand_in):
    dispatch(slack_app, event_body(direct_message(text="x" * 2500)))

    (_, payload), = stand_in.replies()
    assert "2000" in payload["text"]


# ---------------------------------------------------------------- what must never happen

def test_forged_signature_gets_401_and_no_reply(slack_app, stand_in):
    body = event_body(mention())
    headers = signed_headers(body, "application/json", secret="not-the-secret")

    response = slack_app.dispatch(BoltRequest(body=body, headers=headers))

    assert response.status == 401
    assert stand_in.replies() == []


def test_missing_signature_gets_401_and_no_reply(slack_app, stand_in):
    response = slack_app.dispatch(BoltRequest(body=command_body(stand_in.url), headers={
        "content-type": "application/x-www-form-urlencoded"}))

    assert response.status == 401
    assert stand_in.replies() == []


def test_request_older_than_five_minutes_gets_401_and_no_reply(slack_app, stand_in):
    body = command_body(stand_in.url)
    old = int(time.time()) - 6 * 60
    headers = signed_headers(body, "application/x-www-form-urlencoded", timestamp=old)

    response = slack_app.dispatch(BoltRequest(body=body, headers=headers))

    assert response.status == 401
    assert stand_in.replies() == []


def test_retried_event_gets_no_second_reply(slack_app, stand_in):
    body = event_body(mention(), event_id="EvRetry")

    first = dispatch(slack_app, body)
    retry = dispatch(slack_app, body, **{"x-slack-retry-num": "1",
                                         "x-slack-retry-reason": "http_timeout"})

    assert first.status == 200 and retry.status == 200
    assert len(stand_in.replies()) == 1


def test_redelivered_event_id_without_retry_header_gets_no_second_reply(slack_app, stand_in):
    body = event_body(direct_message(), event_id="EvTwice")

    dispatch(slack_app, body)
    dispatch(slack_app, body)

    assert len(stand_in.replies()) == 1


def test_question_text_is_never_logged(slack_app, stand_in, caplog):
    secret = "Patient Jane Roe MRN 123456: is 77418 still active?"
    body = event_body(direct_message(text=secret), event_id="EvLog")
    forged = signed_headers(body, "application/json", secret="wrong")

    with caplog.at_level(logging.INFO):
        slack_app.dispatch(BoltRequest(body=body, headers=forged))  # Bolt logs bodies at INFO
        dispatch(slack_app, body)

    assert "Jane Roe" not in caplog.text
    assert len(stand_in.replies()) == 1


# ---------------------------------------------------------------- through the HTTP server

def test_events_through_the_fastapi_route_with_background_listeners(assistant, stand_in):
    bolt = create_slack_app(assistant, token="xoxb-test", signing_secret=SECRET,
                            base_url=f"{stand_in.url}/api/")  # server defaults
    body = event_body(mention(), event_id="EvHttp")

    with TestClient(create_app(assistant, slack_app=bolt)) as http:
        first = http.post("/slack/events", content=body,
                          headers=signed_headers(body, "application/json"))
        retry = http.post("/slack/events", content=body, headers={
            **signed_headers(body, "application/json"), "x-slack-retry-num": "1"})
        forged = http.post("/slack/events", content=body,
                           headers=signed_headers(body, "application/json", secret="wrong"))
        replies = stand_in.wait_for_replies(1)
        time.sleep(0.5)  # room for a (wrong) second reply to arrive

    assert (first.status_code, retry.status_code, forged.status_code) == (200, 200, 401)
    assert len(stand_in.replies()) == 1
    assert_answer_payload(replies[0][1])


def test_url_verification_challenge_is_answered(slack_app):
    body = json.dumps({"token": "legacy", "challenge": "abc123", "type": "url_verification"})

    response = dispatch(slack_app, body)

    assert response.status == 200 and "abc123" in response.body


# ---------------------------------------------------------------- when Slack cannot be reached

class GatedAssistant:
    """Answers only once the test has its acknowledgements, and notes whether it had them:
    an ack that waited for the answer or the reply would find the gate still shut."""

    def __init__(self, inner: CodingAssistant) -> None:
        self.inner = inner
        self.acked = threading.Event()
        self.asked_after_ack: list[bool] = []

    def ask(self, question, date_of_service=None, conversation=None):
        self.asked_after_ack.append(self.acked.wait(10))
        return self.inner.ask(question, date_of_service, conversation)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


def _wait_for_logs(caplog, words: str, count: int, timeout: float = 20.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [r.getMessage() for r in caplog.records if words in r.getMessage()]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    return [r.getMessage() for r in caplog.records if words in r.getMessage()]


def test_signed_requests_are_acked_before_any_call_to_an_unreachable_slack(assistant, caplog):
    down = f"http://127.0.0.1:{_closed_port()}"
    gated = GatedAssistant(assistant)
    bolt = create_slack_app(gated, token="xoxb-test", signing_secret=SECRET,
                            base_url=f"{down}/api/", retries=1)
    requests = [(command_body(down), "application/x-www-form-urlencoded"),
                (event_body(mention(), event_id="EvDown"), "application/json")]

    with caplog.at_level(logging.DEBUG), TestClient(create_app(assistant, slack_app=bolt)) as http:
        responses = [http.post("/slack/events", content=body,
                               headers=signed_headers(body, content_type))
                     for body, content_type in requests]
        gated.acked.set()
        failures = _wait_for_logs(caplog, "could not be posted", 2)

    assert [r.status_code for r in responses] == [200, 200]
    assert gated.asked_after_ack == [True, True]  # acked before answering, so before posting
    assert sorted(failures) == [
        "Slack reply to channel C1 could not be posted after retrying (URLError); the coder "
        "got no answer",
        "Slack reply to the /code response URL of channel C1 could not be posted after "
        "retrying (URLError); the coder got no answer"]
    assert QUESTION not in caplog.text and "77418" not in caplog.text


def test_the_bot_never_calls_auth_test(slack_app, stand_in):
    dispatch(slack_app, event_body(mention()))
    dispatch(slack_app, command_body(stand_in.url), "application/x-www-form-urlencoded")

    assert len(stand_in.replies()) == 2
    assert not [path for path, _ in stand_in.calls if path.endswith("/auth.test")]


def test_a_reply_slack_answers_with_a_server_error_is_retried(slack_app, stand_in, caplog):
    stand_in.scripted = [(503, {"ok": False, "error": "service_unavailable"})]

    dispatch(slack_app, event_body(mention()))

    first, second = stand_in.replies()
    assert first == second and first[0] == "/api/chat.postMessage"
    assert_answer_payload(second[1])
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_reply_slack_refuses_is_replaced_by_a_notice(slack_app, stand_in, caplog):
    stand_in.scripted = [(200, {"ok": False, "error": "invalid_blocks"})]

    with caplog.at_level(logging.DEBUG):
        dispatch(slack_app, event_body(direct_message()))

    (_, refused), (_, notice) = stand_in.replies()
    assert "blocks" in refused and "blocks" not in notice
    assert notice["text"].startswith("Sorry, Slack did not accept the answer")
    assert ("Slack refused the reply to channel D1 (SlackApiError invalid_blocks); posting a "
            "short notice instead") in caplog.text
    assert QUESTION not in caplog.text


def test_a_refused_slash_command_reply_is_replaced_by_a_notice(slack_app, stand_in, caplog):
    stand_in.scripted = [(400, {"ok": False, "error": "invalid_blocks"})]

    dispatch(slack_app, command_body(stand_in.url), "application/x-www-form-urlencoded")

    (_, refused), (path, notice) = stand_in.replies()
    assert path == "/commands/T1/1/response" and "blocks" in refused
    assert notice["text"].startswith("Sorry, Slack did not accept the answer")
    assert "Slack refused the reply to the /code response URL of channel C1 (HTTP 400" in caplog.text


# ---------------------------------------------------------------- Block Kit limits

def _big_answer() -> Answer:
    citations = [Citation(n=i, code="E87.2", system="ICD-10-CM", source="icd10cm/2026.xml",
                          section="notes", field="excludes1", quote="q <&> " * 200)
                 for i in range(1, 31)]
    codes = [CodeResult(code=f"E87.2{i}", system="ICD-10-CM", title="Acidosis " * 30,
                        status="not_billable", deleted_on="2022-10-01", billable=False,
                        replacements=["E87.20", "E87.21"]) for i in range(40)]
    return Answer(question="q", date_of_service="2026-01-01", answer="word & <b> " * 2000,
                  grounded=True, codes=codes, citations=citations,
                  warnings=["E87.2 is not billable since 2022-10-01. " * 20] * 30)


def test_blocks_stay_within_slack_limits_and_say_when_cut():
    text, blocks = answer_blocks(_big_answer())

    assert len(text) <= 3000 and text.endswith("(truncated)")
    assert len(blocks) <= 50
    for block in blocks:
        texts = ([block["text"]["text"]] if block["type"] == "section"
                 else [e["text"] for e in block["elements"]])
        assert all(len(t) <= 3000 for t in texts)
    assert blocks[0]["text"]["text"].endswith("(truncated)")
    assert "&lt;b&gt;" in blocks[0]["text"]["text"] and "<b>" not in blocks[0]["text"]["text"]
    context = [b for b in blocks if b["type"] == "context"][0]
    assert len(context["elements"]) == 10
    assert "21 more sources" in context["elements"][-1]["text"]


def test_ungrounded_answer_says_not_in_the_corpus():
    answer = Answer(question="q", date_of_service="2026-01-01", grounded=False,
                    answer="The loaded code sets do not answer this.")

    text, blocks = answer_blocks(answer)

    assert text.startswith("Not in the corpus.")
    assert "Not in the corpus" in blocks[0]["text"]["text"]
    assert [b["type"] for b in blocks] == ["section"]


def test_a_status_past_the_data_is_marked_on_the_code(slice_index):
    from datetime import date

    answer = CodingAssistant(slice_index).ask("Is E11.9 valid?", date(2026, 11, 27))
    through = answer.codes[0].status_basis["verified_through"]

    text, blocks = answer_blocks(answer)

    codes = blocks[1]["text"]["text"]
    assert "`E11.9`" in codes and f":warning: _not verified: data through {through}_" in codes
    warnings = [b["text"]["text"] for b in blocks if b["type"] == "section"][2]
    assert ":warning: E11.9: status on 2026-11-27 not verified." in warnings
    assert "FY2027, in effect since 2026-10-01, is not loaded" in text


# ---------------------------------------------------------------- configuration and CLI

def test_slack_is_mounted_from_the_environment(sample_index, monkeypatch):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")  # checked on the first signed request
    body = event_body(mention())

    with TestClient(create_app()) as http:
        forged = http.post("/slack/events", content=body,
                           headers=signed_headers(body, "application/json", secret="wrong"))

    assert forged.status_code == 401


def test_slack_is_not_mounted_without_both_settings(sample_index, monkeypatch):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    with TestClient(create_app()) as http:
        assert http.post("/slack/events", content="{}").status_code in (404, 405)


def test_slack_command_line_needs_socket_mode_and_its_tokens(monkeypatch):
    from click.testing import CliRunner

    from assistant.interfaces.server_cli import slack

    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    runner = CliRunner()

    without_socket = runner.invoke(slack, [])
    without_tokens = runner.invoke(slack, ["--socket"])

    assert without_socket.exit_code == 2 and "coding-assistant serve" in without_socket.output
    assert without_tokens.exit_code == 2 and "SLACK_APP_TOKEN" in without_tokens.output


def test_a_follow_up_in_a_thread_keeps_the_threads_date_of_service(slack_app, stand_in):
    thread = "1690000000.000001"
    dispatch(slack_app, event_body(mention(text="<@UBOT> Was 77418 billable on 6/30/2014?",
                                           thread_ts=thread), event_id="Ev1"))
    dispatch(slack_app, event_body(mention(text="<@UBOT> and its global days?", thread_ts=thread,
                                           ts="1700000000.000300"), event_id="Ev2"))
    dispatch(slack_app, event_body(mention(text="<@UBOT> and in 2016?", thread_ts=thread,
                                           ts="1700000000.000400"), event_id="Ev3"))

    first, follow_up, new_date = [payload["text"] for _, payload in stand_in.replies()]
    assert "77418 was valid and billable for a date of service of 2014-06-30" in first
    assert "Date of service 2014-06-30, as earlier in this conversation" in follow_up
    assert "XXX" in follow_up
    assert "77418 was deleted on 2015-01-01" in new_date and "2016-01-01" in new_date
