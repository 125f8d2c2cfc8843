"""Every error a user can cause: one line in the terminal with its exit code, one JSON error
with its HTTP status from the API; never a traceback or a bare 500."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.answer.service import QuestionError
from assistant.errors import SettingsError
from assistant.corpus.errors import PageError
from assistant.corpus.wordnet import WordNetMissingError
from assistant.errors import AssistantError
from assistant.index.device import DeviceError
from assistant.index.ingest import IndexBusyError
from assistant.index.open import IndexMissingError, IndexUnreadableError
from assistant.index.records_db import RecordsDB
from assistant.index.vector_cache import VectorCacheError
from assistant.index.vectors import EmbeddingMismatchError, VectorStoreUnavailableError
from assistant.interfaces.api import ApiError, create_app
from assistant.interfaces.cli import main
from tests.conftest import SAMPLE_PAGE


@pytest.mark.parametrize("error, exit_code, http_status", [
    (QuestionError("empty"), 2, 422),
    (SettingsError("bad"), 2, 503),
    (IndexMissingError("none"), 1, 503),
    (IndexUnreadableError("garbage"), 1, 503),
    (EmbeddingMismatchError("other model"), 1, 503),
    (VectorStoreUnavailableError("no server"), 1, 503),
    (IndexBusyError("busy"), 1, 503),
    (PageError("page.txt", "empty"), 1, 422),
    (WordNetMissingError("missing"), 1, 503),
    (ApiError(413, "too big"), 1, 413),
    (DeviceError("no GPU"), 2, 503),
    (VectorCacheError("damaged pack"), 1, 500),
])
def test_each_error_maps_to_an_exit_code_and_an_http_status(error, exit_code, http_status):
    assert isinstance(error, AssistantError)
    assert (error.exit_code, error.http_status) == (exit_code, http_status)


def _ask(monkeypatch, question: str = "Is 77418 still active?", **env: str):
    for name, value in env.items():
        monkeypatch.setenv(f"CODING_ASSISTANT_{name}", value)
    return CliRunner().invoke(main, ["ask", question])


def _one_line(result) -> str:
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and "Traceback" not in result.output
    return line


@pytest.mark.parametrize("model_in_records", [True, False])
def test_an_embedding_model_mismatch_is_one_line_in_the_terminal(sample_index, monkeypatch,
                                                                  model_in_records):
    if not model_in_records:  # an index built before the records file kept the model
        db = RecordsDB(sample_index.index_dir / "records.sqlite")
        with db._conn:
            db._conn.execute("DROP TABLE meta")
        db.close()
    result = _ask(monkeypatch, EMBEDDING="minilm")  # the index was built with the fake one
    assert result.exit_code == 1
    line = _one_line(result)
    assert "built with the embedding model 'hash-bag-of-words-384'" in line
    assert "CODING_ASSISTANT_EMBEDDING" in line


@pytest.mark.parametrize("env, exit_code, says", [
    ({"EMBEDDING": "bert"}, 2, "unknown embedding 'bert' in CODING_ASSISTANT_EMBEDDING"),
    ({"CHROMA_PORT": "eighty"}, 2, "CODING_ASSISTANT_CHROMA_PORT is invalid"),
    ({}, 1, "run `coding-assistant ingest` first"),  # the autouse settings: an empty folder
])
def test_a_bad_setting_or_a_missing_index_is_one_line(monkeypatch, env, exit_code, says):
    result = _ask(monkeypatch, **env)
    assert result.exit_code == exit_code
    assert says in _one_line(result)


def test_batch_without_an_index_stops_at_once_with_the_one_line():
    """An error of the set-up fails every line alike: batch says it once, not per line."""
    lines = b"\n".join(json.dumps({"id": n, "question": "Is 77418 deleted?"}).encode()
                       for n in range(3))
    result = CliRunner().invoke(main, ["batch"], input=lines)
    assert result.exit_code == 1
    assert "run `coding-assistant ingest` first" in _one_line(result)


def test_an_unreachable_chroma_server_is_one_line(sample_index, monkeypatch):
    # A search needs the vector store (a question about an exact code reads only SQLite).
    result = _ask(monkeypatch, "intensity modulated radiation treatment", CHROMA_HOST="127.0.0.1",
                  CHROMA_PORT="9")
    assert result.exit_code == 1
    assert "cannot reach the Chroma server at 127.0.0.1:9" in _one_line(result)


def test_an_embedding_model_mismatch_is_a_json_error_from_the_api(sample_index, monkeypatch):
    monkeypatch.setenv("CODING_ASSISTANT_EMBEDDING", "minilm")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with TestClient(create_app()) as client:
        response = client.post("/api/ask", json={"question": "Is 77418 still active?"})
    assert response.status_code == 503
    assert "built with the embedding model 'hash-bag-of-words-384'" in response.json()["detail"]


def _not_an_index(settings) -> None:
    settings.index_dir.mkdir(parents=True)
    (settings.index_dir / "records.sqlite").write_text("not a database\n")


@pytest.mark.parametrize("args", [["ask", "Is 77418 still active?"], ["lookup", "77418"],
                                  ["ingest", "--no-icd10cm", str(SAMPLE_PAGE)]])
def test_an_index_folder_holding_another_file_is_one_line(isolated_settings, args):
    _not_an_index(isolated_settings)

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 1
    assert "cannot be read (file is not a database): rebuild it" in _one_line(result)


def test_an_unreadable_index_is_a_json_error_from_the_api(isolated_settings, monkeypatch):
    _not_an_index(isolated_settings)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with TestClient(create_app()) as client:
        asked = client.post("/api/ask", json={"question": "Is 77418 still active?"})
        looked_up = client.get("/api/lookup/77418")
    for response in (asked, looked_up):
        assert response.status_code == 503
        assert "cannot be read" in response.json()["detail"]


def test_ingest_of_nothing_usable_says_why_and_leaves_no_index(isolated_settings, tmp_path):
    not_a_page = tmp_path / "notes.txt"
    not_a_page.write_text("just some notes\n")

    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "missing"), str(not_a_page)])

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"error: {tmp_path / 'missing'}: no such file or folder" in result.stderr
    assert f"error: {not_a_page}: cannot tell which code this page is for" in result.stderr
    assert not isolated_settings.index_dir.exists()


def test_an_index_folder_that_cannot_be_created_is_one_line(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(blocker / "index"))

    result = CliRunner().invoke(main, ["ingest", "--no-icd10cm", str(SAMPLE_PAGE)])

    assert result.exit_code == 2
    assert f"CODING_ASSISTANT_INDEX_DIR {blocker / 'index'} cannot be created" in _one_line(result)


def _ingest(monkeypatch, **env: str):
    for name, value in env.items():
        monkeypatch.setenv(f"CODING_ASSISTANT_{name}", value)
    return CliRunner().invoke(main, ["ingest", str(SAMPLE_PAGE)])


@pytest.mark.parametrize("device", ["tpu", "cuda:x"])
def test_a_device_that_is_no_device_is_one_line_before_any_work(monkeypatch, device):
    result = _ingest(monkeypatch, EMBEDDING="minilm", DEVICE=device)
    assert result.exit_code == 2
    assert f"CODING_ASSISTANT_DEVICE={device!r} is not a device" in _one_line(result)


def test_a_damaged_vector_pack_is_one_line(monkeypatch, tmp_path):
    pack = tmp_path / "pack.npz"
    pack.write_bytes(b"not a zip file")
    result = _ingest(monkeypatch, VECTOR_PACK=str(pack))
    assert result.exit_code == 1
    line = _one_line(result)
    assert f"cannot read the vector pack {pack}" in line and "make vector-pack" in line
