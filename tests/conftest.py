"""Shared fixtures: every test gets its own home (index folder) and the fake embedding."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT, Settings

SAMPLE_PAGE = PROJECT_ROOT / "corpus" / "pages" / "77418.txt"


@pytest.fixture(scope="session")
def model_cache_dir(tmp_path_factory) -> Path:
    """A cache folder shared by the tests of the real model: it is exported to ONNX once."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch) -> Settings:
    """Point the settings at a temporary index, cache and the deterministic fake embedding."""
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CODING_ASSISTANT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CODING_ASSISTANT_EMBEDDING", "hash")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return Settings()


def build_index(settings: Settings, page_paths: list[Path], icd10cm_categories: list[str] | None):
    from assistant.corpus.sources import load_page_records
    from assistant.horizon import page_release
    from assistant.index.icd10cm_batches import icd10cm_batches
    from assistant.index.ingest import SourceBatch, ingest_sources
    from assistant.index.models import document_embeddings

    errors: list[str] = []
    batches = [SourceBatch(r.source.path, [r], [page_release(r)])
               for r in load_page_records(page_paths, PROJECT_ROOT, errors)]
    if icd10cm_categories:
        batches += icd10cm_batches(icd10cm_categories)
    report = ingest_sources(batches, settings, document_embeddings(settings))
    assert not errors, errors
    return report


# A few categories that hold the codes the answer tests ask about.
TEST_CATEGORIES = ["D81", "E87", "E88", "G92", "I10", "N18", "N40", "E10", "E11", "T78", "W19",
                   "R10", "C34", "H10", "H52", "B02", "H66", "M51", "S72", "B00", "T51", "T62", "S32",
                   "N94", "N39", "I42", "Z80", "Z90", "R16", "Z79", "Z86", "T39", "M79", "Z51",
                   "I44", "H93", "C83", "C91", "E22", "I47", "R23", "Z11", "T63", "T75",
                   "Y92", "Z96", "Z34", "Z00", "O30", "Z3A", "Q82", "T16", "H53", "L91", "I45",
                   "H26", "A04", "R14", "R30", "K29", "K40", "Z93", "Z97", "S43", "S91", "S93",
                   "K56", "Y93", "F32", "E05", "D51", "C61", "C78", "C22",
                   "I83", "K25", "Z73", "W55", "S90", "W57", "Z28", "Z53", "P07", "O91",
                   "P83", "Z23", "F98", "K06", "R45", "Z81", "F17", "Z91", "O22", "M21", "I48",
                   "O09", "Z88", "T40", "B19", "O42"]


@pytest.fixture
def sample_index(isolated_settings) -> Settings:
    """The sample CPT page indexed with the fake embedding (no ICD-10-CM)."""
    build_index(isolated_settings, [SAMPLE_PAGE], None)
    return isolated_settings


@pytest.fixture(scope="session")
def _icd_slice_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("icd-slice-index")
    settings = Settings(index_dir=folder, embedding="hash", cache_dir=folder / "cache")
    build_index(settings, [SAMPLE_PAGE], TEST_CATEGORIES)
    return folder


@pytest.fixture
def slice_index(_icd_slice_dir, monkeypatch) -> Settings:
    """The sample page and a slice of ICD-10-CM, built once per session (fake embedding)."""
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(_icd_slice_dir))
    return Settings()


def in_ci() -> bool:
    ci = os.environ.get("CI", "")
    return bool(ci) and ci.lower() not in ("0", "false", "no")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A real `chroma run` on a free loopback port, for the whole session (server mode)."""
    binary = Path(sys.executable).parent / "chroma"
    if not binary.exists():
        missing = f"the chroma command is not installed beside {sys.executable}"
        if in_ci():
            pytest.fail(f"{missing}; CI is set, so the server-mode tests must run",
                        pytrace=False)
        pytest.skip(missing)
    folder = tmp_path_factory.mktemp("chroma-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with open(folder / "server.log", "wb") as log:
        server = subprocess.Popen([str(binary), "run", "--path", str(folder / "data"),
                                   "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_heartbeat(port, server)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_for_heartbeat(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"chroma run exited with {server.returncode}", pytrace=False)
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"chroma run did not answer on port {port} within {seconds:.0f} s",
                pytrace=False)


@pytest.fixture
def server_mode(chroma_server, monkeypatch) -> str:
    """Server-mode settings: the session's Chroma server, a collection of this test's own;
    returns the collection's name."""
    host, port = chroma_server
    collection = f"test_{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("CODING_ASSISTANT_CHROMA_HOST", host)
    monkeypatch.setenv("CODING_ASSISTANT_CHROMA_PORT", str(port))
    monkeypatch.setenv("CODING_ASSISTANT_COLLECTION", collection)
    return collection


@pytest.fixture(params=["embedded", "server"])
def index_mode(request, monkeypatch, tmp_path) -> str:
    """Run a test over an embedded index and over the Chroma server: in server mode the
    index is built by one node (folder `writer`) and read by another with an empty folder."""
    if request.param == "server":
        request.getfixturevalue("server_mode")
    return request.param


def reader_node(index_mode: str, tmp_path: Path, monkeypatch) -> None:
    """In server mode, read as a second node would: an index folder that starts empty."""
    if index_mode == "server":
        monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(tmp_path / "reader-node"))


@pytest.fixture
def sample_index_in_mode(index_mode, tmp_path, monkeypatch) -> str:
    """The sample page indexed embedded, or into the Chroma server and read by a second node
    with an empty index folder; returns the mode."""
    build_index(Settings(), [SAMPLE_PAGE], None)
    reader_node(index_mode, tmp_path, monkeypatch)
    return index_mode
