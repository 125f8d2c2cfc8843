"""`serve` answers requests side by side, each as it would alone: several client threads
against the real uvicorn server get the same answers as one client asking in turn."""

from __future__ import annotations

import socket
import functools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from assistant.answer.service import CodingAssistant
from assistant.interfaces import api
from assistant.interfaces.api import create_app

QUESTIONS = ["Is 77418 still active?", "Is E87.2 still valid for acidosis?",
             "Is D81.3 a billable code?", "code for essential hypertension",
             "Global days for 77418?", "What is G92?", "acute conjunctivitis",
             "chronic kidney disease stage 4", "lookup N18.4", "type 2 diabetes",
             "abdominal pain", "Could E88.81 be reported?"]


@pytest.fixture
def server(slice_index, monkeypatch):
    """The app served by uvicorn on a free local port, in a thread."""
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    yield from _serve(create_app())


def _serve(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def _ask(base: str, question: str) -> dict:
    response = httpx.post(f"{base}/api/ask", json={"question": question}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_concurrent_clients_get_the_answers_one_client_gets(server):
    one_by_one = [_ask(server, q) for q in QUESTIONS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        side_by_side = list(pool.map(lambda q: _ask(server, q), QUESTIONS * 3))
    assert side_by_side == one_by_one * 3
    assert {a["codes"][0]["code"] for a in one_by_one if a["codes"]} >= {"77418", "E87.2"}


def test_requests_are_answered_side_by_side(slice_index, monkeypatch):
    """Questions that can only finish together: one at a time, the first would wait for the
    others forever (the barrier times out and the request fails)."""
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    parties = min(4, api.ANSWER_THREADS)
    together = threading.Barrier(parties, timeout=20)

    class Rendezvous(CodingAssistant):
        def ask(self, *args, **kwargs):
            together.wait()
            return super().ask(*args, **kwargs)

    for base in _serve(create_app(Rendezvous())):
        with ThreadPoolExecutor(max_workers=parties) as pool:
            answers = list(pool.map(functools.partial(_ask, base), QUESTIONS[:parties]))
    assert parties >= 2 and [a["question"] for a in answers] == QUESTIONS[:parties]
