"""A running server follows the ingests: a finished ingest is seen by the next request, without
a restart; a request during an ingest reads the generation before it, whole."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import assistant.index.ingest as ingest_module
from assistant.answer.service import CodingAssistant
from assistant.config import PROJECT_ROOT
from assistant.interfaces.api import create_app
from assistant.interfaces.cli import main
from tests.conftest import SAMPLE_PAGE
from tests.index.test_folder_mirror import MADE_UP_WORD, made_up_page

QUESTION = f"{MADE_UP_WORD} calibration"


@pytest.fixture
def folder(tmp_path):
    """A pages folder holding the sample page, ingested."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "77418.txt").write_text(SAMPLE_PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(pages)])
    assert result.exit_code == 0, result.output
    return pages


@pytest.fixture
def served(folder, monkeypatch):
    """The API over that index, opened and warm, as `serve` runs it."""
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assistant = CodingAssistant()
    with TestClient(create_app(assistant)) as client:
        yield client, assistant


def codes_for(client: TestClient, question: str = QUESTION) -> list[str]:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200, response.text
    return [c["code"] for c in response.json()["codes"]]


def test_an_ingest_in_another_process_is_seen_by_the_next_question(served, folder):
    client, assistant = served
    assert "0000T" not in codes_for(client)
    before = assistant.retriever
    (folder / "0000T.txt").write_text(made_up_page(), encoding="utf-8")

    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(folder)], check=True,
                   cwd=PROJECT_ROOT, env=os.environ.copy(), capture_output=True)

    assert codes_for(client)[0] == "0000T"
    after = assistant.retriever
    assert after is not before and after.generation != before.generation
    held = {system: count for system, count, _ in after.holdings}
    assert held == {"CPT": 2}
    assert client.get("/api/lookup/0000T").status_code == 200


def test_no_ingest_no_reopening(served):
    client, assistant = served
    codes_for(client)
    opened = assistant.retriever
    codes_for(client)
    client.get("/api/lookup/77418")
    assert assistant.retriever is opened


def test_a_request_during_an_ingest_reads_the_old_generation_whole(served, folder, monkeypatch):
    client, assistant = served
    old = assistant.retriever.generation
    seen: list[tuple[str, str | None, bool]] = []   # (step, generation, found the new page)

    def ask(step: str) -> None:
        found = "0000T" in codes_for(client)
        seen.append((step, assistant.retriever.generation, found))

    def pausing(name: str):
        real = getattr(ingest_module, name)

        def wrapper(*args, **kwargs):
            ask(f"before {name}")
            result = real(*args, **kwargs)
            ask(f"after {name}")
            return result

        monkeypatch.setattr(ingest_module, name, wrapper)

    for name in ("_ingest_one", "rebuild_lexical", "rebuild_synonyms"):
        pausing(name)
    (folder / "0000T.txt").write_text(made_up_page(), encoding="utf-8")

    result = CliRunner().invoke(main, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    ask("after the ingest")

    during, last = seen[:-1], seen[-1]
    assert len(during) == 8  # two pages, then the lexical index and the synonym table
    assert all((generation, found) == (old, False) for _, generation, found in during), seen
    assert last[1] != old and last[2] is True, seen
