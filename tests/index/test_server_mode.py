"""Server mode against a real `chroma run`: the server is the one place the index lives.

Node A ingests into the server; node B, with an index folder that starts empty and the same
settings, answers the same, follows A's later ingests without a restart, and one writer at a
time holds the server's writer lease.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.answer.service import CodingAssistant
from assistant.config import Settings
from assistant.index import server_state
from assistant.interfaces.api import create_app
from assistant.interfaces.cli import main
from tests.conftest import SAMPLE_PAGE
from tests.index.test_folder_mirror import MADE_UP_WORD, made_up_page

SLICE = "E87,D81,N18"
QUESTIONS = [["ask", "--json", "Is E87.2 still valid?"],
             ["ask", "--json", "chronic kidney disease stage 3a"],
             ["ask", "--json", "Is D81.3 billable on 6/30/2019?"],
             ["ask", "--json", "Is 77418 still active?"],
             ["ask", "--json", "--dos", "2014-06-30", "radiation treatment delivery"],
             ["lookup", "--json", "E87.2"],
             ["lookup", "--json", "N18.31"],
             ["lookup", "--json", "77418"]]


def run(node: Path, *args: str) -> tuple[int, str]:
    """The CLI as it runs on a node whose index folder is `node`."""
    result = CliRunner().invoke(main, list(args),
                                env={"CODING_ASSISTANT_INDEX_DIR": str(node)})
    return result.exit_code, result.output


def ingest(node: Path, *paths: Path, icd: bool = False) -> str:
    flags = ["--icd10cm"] if icd else ["--no-icd10cm"]
    code, output = run(node, "ingest", *flags, *map(str, paths))
    assert code == 0, output
    return output


@pytest.fixture
def pages(tmp_path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "77418.txt").write_text(SAMPLE_PAGE.read_text(encoding="utf-8"),
                                      encoding="utf-8")
    return folder


@pytest.fixture
def node_a(server_mode, pages, tmp_path, monkeypatch) -> Path:
    """Node A has ingested the sample page and an ICD-10-CM slice into the server."""
    monkeypatch.setenv("CODING_ASSISTANT_ICD10CM_SLICE", SLICE)
    ingest(tmp_path / "node-a", pages, icd=True)
    return tmp_path / "node-a"


def state() -> server_state.Collection:
    return server_state.state_collection(Settings())


def answers(node: Path) -> list[object]:
    found = []
    for args in QUESTIONS:
        code, output = run(node, *args)
        assert code == 0, output
        found.append(json.loads(output))
    return found


def test_a_second_node_with_an_empty_folder_answers_the_same(node_a, tmp_path, monkeypatch):
    node_b = tmp_path / "node-b"
    from_a, from_b = answers(node_a), answers(node_b)

    assert from_b == from_a
    # the index B answered from came from the server: its folder holds one unpacked snapshot
    published = server_state.published(Settings())
    assert published is not None
    assert [p.name for p in (node_b / "snapshots").iterdir()] == [published.snapshot]
    # and the same code sets as A
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(node_b))
    held_b = {s: n for s, n, _ in CodingAssistant(Settings()).retriever.holdings}
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(node_a))
    held_a = {s: n for s, n, _ in CodingAssistant(Settings()).retriever.holdings}
    assert held_b == held_a and held_b["CPT"] == 1 and held_b["ICD-10-CM"] > 50


def test_the_answers_are_those_of_an_embedded_index(node_a, pages, tmp_path, monkeypatch):
    from_server = answers(tmp_path / "node-b")
    for name in ("CHROMA_HOST", "CHROMA_PORT", "COLLECTION"):
        monkeypatch.delenv(f"CODING_ASSISTANT_{name}")
    embedded = tmp_path / "embedded"
    ingest(embedded, pages, icd=True)

    assert answers(embedded) == from_server


def test_no_index_on_the_server_is_one_line_naming_it(server_mode, tmp_path, chroma_server):
    host, port = chroma_server
    code, output = run(tmp_path / "empty", "ask", "Is E87.2 still valid?")

    assert code == 1
    assert output.strip() == (
        f"error: there is no index on the Chroma server at {host}:{port} (collection "
        f"{server_mode}): run `coding-assistant ingest` with the same settings")


QUESTION = f"{MADE_UP_WORD} calibration"


def test_a_later_ingest_on_a_is_seen_by_a_running_reader_on_b(node_a, pages, tmp_path,
                                                             monkeypatch):
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(tmp_path / "node-b"))
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    assistant = CodingAssistant(Settings())
    with TestClient(create_app(assistant)) as client:
        assert "0000T" not in codes_for(client)
        first = assistant.retriever

        (pages / "0000T.txt").write_text(made_up_page(), encoding="utf-8")
        ingest(node_a, pages)
        assert codes_for(client)[0] == "0000T"   # the first question after a second
        added = assistant.retriever
        assert added is not first and added.watch is not None
        assert client.get("/api/lookup/0000T").status_code == 200

        (pages / "0000T.txt").unlink()
        assert "pages removed: 1" in ingest(node_a, pages)
        assert "0000T" not in codes_for(client)
        assert client.get("/api/lookup/0000T").status_code == 404
        assert assistant.retriever is not added
    # B keeps the newest snapshots only; the server keeps the newest and the one before
    parts = state().get(where={"kind": "part"}, include=["metadatas"])
    assert len({m["snapshot"] for m in parts["metadatas"]}) == 2


def codes_for(client: TestClient) -> list[str]:
    time.sleep(server_state.CHECK_EVERY + 0.1)  # readers ask the server once a second
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200, response.text
    return [c["code"] for c in response.json()["codes"]]


def test_node_b_ingest_builds_on_node_a(node_a, pages, tmp_path):
    (pages / "0000T.txt").write_text(made_up_page(), encoding="utf-8")
    output = ingest(tmp_path / "node-b", pages / "0000T.txt")

    assert "records: 1 " in output    # only the new page: the rest came from A's snapshot
    code, found = run(tmp_path / "node-c", "lookup", "--json", "E87.2")
    assert code == 0 and json.loads(found)
    code, found = run(tmp_path / "node-c", "lookup", "--json", "0000T")
    assert code == 0 and json.loads(found)


def put_lease(holder: str, expires_at: float) -> None:
    state().upsert(ids=[server_state.LEASE_ID], embeddings=[[0.0]],
                   metadatas=[{"holder": holder, "expires_at": expires_at}])


def test_a_live_lease_held_by_another_refuses_the_ingest(server_mode, pages, tmp_path):
    put_lease("node-a:4242:feedbeef", time.time() + 60)

    code, output = run(tmp_path / "node-b", "ingest", "--no-icd10cm", str(pages))

    assert code == 1
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in output
    assert "node-a:4242:feedbeef holds the writer lease until" in lines[0]
    assert server_state.published(Settings()) is None
    assert not (tmp_path / "node-b" / "records.sqlite").exists()


def test_an_expired_lease_is_taken_over_and_a_finished_ingest_releases_it(server_mode, pages,
                                                                         tmp_path):
    put_lease("node-a:4242:feedbeef", time.time() - 1)

    ingest(tmp_path / "node-b", pages)

    assert server_state.published(Settings()) is not None
    assert state().get(ids=[server_state.LEASE_ID])["ids"] == []


def test_an_ingest_holds_the_lease_while_it_runs(server_mode, pages, tmp_path, monkeypatch):
    seen: list[dict] = []
    real_sync = server_state._sync_working_copy

    def sync_and_look(settings, collection):
        seen.append(server_state._get(collection, server_state.LEASE_ID) or {})
        return real_sync(settings, collection)

    monkeypatch.setattr(server_state, "_sync_working_copy", sync_and_look)
    ingest(tmp_path / "node-a", pages)

    assert len(seen) == 1 and seen[0]["expires_at"] > time.time()
    assert seen[0]["holder"].split(":")[1].isdigit()


def test_an_ingest_that_dies_leaves_the_published_snapshot(node_a, pages, tmp_path,
                                                          monkeypatch):
    before = server_state.published(Settings())
    (pages / "0000T.txt").write_text(made_up_page(), encoding="utf-8")

    def die(*args, **kwargs):
        raise RuntimeError("the ingest died")

    monkeypatch.setattr("assistant.index.ingest.rebuild_synonyms", die)
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["ingest", str(pages)], catch_exceptions=False,
                           env={"CODING_ASSISTANT_INDEX_DIR": str(node_a)})

    assert server_state.published(Settings()) == before
    assert state().get(ids=[server_state.LEASE_ID])["ids"] == []
    code, output = run(tmp_path / "node-b", "lookup", "--json", "0000T")
    assert code == 1 and "No code '0000T'" in output


def test_an_index_folder_of_another_index_is_refused(server_mode, pages, tmp_path,
                                                     monkeypatch):
    local = tmp_path / "local"
    with monkeypatch.context() as embedded:
        embedded.delenv("CODING_ASSISTANT_CHROMA_HOST")
        embedded.setenv("CODING_ASSISTANT_INDEX_DIR", str(local))
        ingest(local, pages)

    code, output = run(local, "ingest", "--no-icd10cm", str(pages))

    assert code == 1 and "is not on the Chroma server" in output
    assert len(output.strip().splitlines()) == 1


def test_the_heartbeat_renews_the_lease_while_the_ingest_runs(server_mode, pages, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr(server_state, "RENEW_EVERY", 0.2)
    expiries: list[float] = []
    real_sync = server_state._sync_working_copy

    def slow_sync(settings, collection):
        for _ in range(3):
            expiries.append(server_state._get(collection, server_state.LEASE_ID)["expires_at"])
            time.sleep(0.5)
        return real_sync(settings, collection)

    monkeypatch.setattr(server_state, "_sync_working_copy", slow_sync)
    ingest(tmp_path / "node-a", pages)

    assert expiries == sorted(expiries) and expiries[-1] > expiries[0]


def test_an_ingest_whose_lease_was_taken_over_does_not_publish(server_mode, pages, tmp_path,
                                                               monkeypatch):
    real_sync = server_state._sync_working_copy

    def taken_over(settings, collection):
        put_lease("node-b:99:cafebabe", time.time() + 60)   # as if ours had expired
        return real_sync(settings, collection)

    monkeypatch.setattr(server_state, "_sync_working_copy", taken_over)
    code, output = run(tmp_path / "node-a", "ingest", "--no-icd10cm", str(pages))

    assert code == 1 and "lost the writer lease" in output and "Traceback" not in output
    assert server_state.published(Settings()) is None
    assert server_state._get(state(), server_state.LEASE_ID)["holder"] == "node-b:99:cafebabe"
