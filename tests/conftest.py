"""Shared fixtures: every test gets its own home (index folder) and the fake embedding."""

from __future__ import annotations

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
                   "R10", "C34", "H10", "H52", "B02", "H66", "M51", "S72", "B00"]


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
