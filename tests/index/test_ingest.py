"""Ingest: idempotent re-ingest, changed pages, folders with bad files, model mismatch, lookup."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from assistant.config import PROJECT_ROOT, Settings
from assistant.index.chunking import is_embedded
from assistant.index.testing import HashEmbeddings
from assistant.index.ingest import SourceBatch, ingest_sources
from assistant.index.records_db import RecordsDB
from assistant.index.vectors import EmbeddingMismatchError, open_vector_store
from assistant.interfaces.cli import main
from tests.conftest import SAMPLE_PAGE, build_index

SAMPLE_TEXT = SAMPLE_PAGE.read_text(encoding="utf-8")


def _stored_ids(settings: Settings) -> tuple[set[str], set[str]]:
    """Ids with a vector, and ids of the ledger's chunks that search reads (the only ones
    embedded)."""
    store = open_vector_store(settings, HashEmbeddings())
    vector_ids = set(store.get()["ids"])
    db = RecordsDB(settings.index_dir / "records.sqlite")
    ledger_ids = {c.id for c in db.iter_chunks() if is_embedded(c)}
    db.close()
    return vector_ids, ledger_ids


def test_reingesting_unchanged_pages_adds_nothing(isolated_settings):
    first = build_index(isolated_settings, [SAMPLE_PAGE], None)
    second = build_index(isolated_settings, [SAMPLE_PAGE], None)
    assert first.added > 20 and first.removed == 0
    assert (second.added, second.removed, second.unchanged) == (0, 0, first.added)
    vectors, ledger = _stored_ids(isolated_settings)
    assert vectors == ledger and len(vectors) < first.added


def test_only_the_sections_search_reads_are_embedded(sample_index):
    vectors, _ = _stored_ids(sample_index)
    db = RecordsDB(sample_index.index_dir / "records.sqlite")
    sections = {c.section for c in db.iter_chunks() if c.id in vectors}
    unembedded = {c.section for c in db.iter_chunks() if c.id not in vectors}
    db.close()
    assert sections == {"descriptor", "description", "indications", "procedure",
                        "post_procedure"}
    assert unembedded == {"record", "history"}


def test_changed_page_replaces_its_chunks_and_leaves_none_behind(isolated_settings, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    page = folder / "77418.txt"
    page.write_text(SAMPLE_TEXT, encoding="utf-8")
    first = build_index(isolated_settings, [folder], None)
    changed = SAMPLE_TEXT.replace("XXX - Global Concept Does Not Apply", "000 - Changed for test")
    page.write_text(changed, encoding="utf-8")
    second = build_index(isolated_settings, [folder], None)
    assert second.added >= 2 and second.removed == second.added
    vectors, ledger = _stored_ids(isolated_settings)
    assert vectors == ledger
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    assert db.chunk_count() == first.added
    db.close()
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    texts = " ".join(c.text for c in db.iter_chunks())
    assert "000 - Changed for test" in texts and "XXX - Global" not in texts
    assert db.find("77418")[0].attributes["Global Days"] == "000 - Changed for test"


def test_chunks_cover_sections_record_fields_and_history(sample_index):
    db = RecordsDB(sample_index.index_dir / "records.sqlite")
    chunks = list(db.iter_chunks())
    sections = {c.section for c in chunks}
    assert {"descriptor", "description", "indications", "procedure", "post_procedure", "record",
            "history"} <= sections
    fields = {c.field for c in chunks if c.section == "record" and c.field}
    assert len(fields) == 18 and "Global Days" in fields
    history = next(c for c in chunks if c.section == "history")
    assert "2015-01-01 | Deleted | Code deleted" in history.text


def test_embedding_model_mismatch_is_a_clear_error(sample_index):
    class OtherModel(HashEmbeddings):
        model_name = "some-other-model"

    with pytest.raises(EmbeddingMismatchError, match="hash-bag-of-words-384"):
        open_vector_store(sample_index, OtherModel())


def test_interrupted_ingest_keeps_the_serving_index_and_resumes(isolated_settings, tmp_path):
    from assistant.corpus.pages import find_pages, load_page

    record = load_page(find_pages([SAMPLE_PAGE])[0], PROJECT_ROOT)
    build_index(isolated_settings, [SAMPLE_PAGE], None)
    before, _ = _stored_ids(isolated_settings)

    class Failing(HashEmbeddings):
        def embed_documents(self, texts):
            raise RuntimeError("embedding died half-way")

    record.attributes["Global Days"] = "000 - Changed for test"
    record.title += " (changed for test)"  # a text that search reads, so it is embedded
    with pytest.raises(RuntimeError):
        ingest_sources([SourceBatch(record.source.path, [record])], isolated_settings, Failing())
    after, ledger = _stored_ids(isolated_settings)
    assert after == before == ledger
    report = ingest_sources([SourceBatch(record.source.path, [record])], isolated_settings,
                            HashEmbeddings())
    assert report.added >= 2 and report.removed == report.added


def test_folder_ingest_indexes_good_files_and_reports_every_bad_one(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "77418.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (folder / "77418.html").write_bytes(b"")
    (folder / "0073T.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "unknown_page.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(folder)])
    assert result.exit_code == 1
    assert "files: 1" in result.output and "errors: 3" in result.output
    for name, why in [("77418.html", "empty"), ("0073T.txt", "binary"),
                      ("unknown_page.txt", "name the file after its code")]:
        assert any(name in line and why in line for line in result.output.splitlines()), name
    looked_up = CliRunner().invoke(main, ["lookup", "77418", "--json"])
    assert looked_up.exit_code == 0


def test_lookup_json_shows_record_history_and_copyright(sample_index):
    result = CliRunner().invoke(main, ["lookup", "77418", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["attributes"]) == 18
    assert data["attributes"]["Global Days"] == "XXX - Global Concept Does Not Apply"
    assert [e["date"] for e in data["history"]] == [
        "2002-01-01", "2005-01-01", "2011-01-01", "2015-01-01"]
    assert data["source"]["path"] == "corpus/pages/77418.txt"
    assert data["source"]["copyright"] == [
        "© Copyright 2025 American Medical Association. All rights reserved.",
        "© Copyright 2025 Coding Ahead. All rights reserved."]
    assert data["status"]["status"] == "deleted" and data["status"]["effective"] == "2015-01-01"


def test_lookup_of_unknown_code_says_so(sample_index):
    result = CliRunner().invoke(main, ["lookup", "99999"])
    assert result.exit_code == 1 and "No code" in result.output


def test_help_does_not_import_torch():
    code = ("import sys; from click.testing import CliRunner; from assistant.interfaces.cli "
            "import main; r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0; "
            "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_interrupted_icd10cm_build_resumes_where_it_stopped(isolated_settings, monkeypatch):
    from assistant.corpus.sources import load_icd10cm_records
    from assistant.index import ingest as ingest_module

    records = load_icd10cm_records(["E87", "G92"])
    batch = SourceBatch(records[0].source.path, [r for r in records
                                                if r.source.path == records[0].source.path])
    monkeypatch.setattr(ingest_module, "BATCH_SIZE", 16)
    calls = {"n": 0}

    class DiesAfterTwoBatches(HashEmbeddings):
        def embed_documents(self, texts):
            calls["n"] += 1
            if calls["n"] > 2:
                raise KeyboardInterrupt
            return super().embed_documents(texts)

    with pytest.raises(KeyboardInterrupt):
        ingest_sources([batch], isolated_settings, DiesAfterTwoBatches())
    vectors, ledger = _stored_ids(isolated_settings)
    assert len(vectors) == len(ledger) == 32
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    assert db.chunk_count() == 32  # the chunks without vectors come after the embedded ones
    db.close()
    resumed = ingest_sources([batch], isolated_settings, HashEmbeddings())
    assert resumed.unchanged == 32 and resumed.added > 0
    vectors, ledger = _stored_ids(isolated_settings)
    db = RecordsDB(isolated_settings.index_dir / "records.sqlite")
    total = db.chunk_count()
    db.close()
    assert vectors == ledger and total == resumed.added + 32 and len(vectors) < total


def test_lookup_of_an_icd10cm_code_shows_hierarchy_notes_and_history(slice_index):
    result = CliRunner().invoke(main, ["lookup", "G92", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["system"] == "ICD-10-CM" and data["billable"] is False
    assert data["parent"] and {"G92.0", "G92.8", "G92.9"} <= set(data["children"])
    expanded = [e for e in data["history"] if e["action"] == "expanded"]
    assert expanded[0]["date"] == "2021-10-01"
    assert data["status"]["status"] == "not_billable"
    assert data["status"]["effective"] == "2021-10-01"
    child = json.loads(CliRunner().invoke(main, ["lookup", "N18.4", "--json"]).output)
    inherited = [n for n in child["notes"] if n["stated_at"] == "N18"]
    assert inherited and all(n["kind"] != "inclusion_term" for n in inherited)
    assert child["billable"] is True and child["status"]["status"] == "active"


def test_ingest_builds_the_synonym_table_from_what_it_indexed(isolated_settings):
    from assistant.index.synonyms import SYNONYMS_FILE, SynonymTable

    report = build_index(isolated_settings, [], ["N18", "H10"])
    table = SynonymTable.load(isolated_settings.index_dir / SYNONYMS_FILE)
    assert report.warnings == []
    assert table.acronyms["CKD"][0][0] == "chronic kidney disease"
    assert table.phrases["pinkeye"][0][0] == "conjunctivitis"
    assert "conjunctivitis" not in str(table.phrases.get("high blood pressure"))


def test_without_wordnet_the_ingest_still_serves_and_warns(isolated_settings, monkeypatch):
    from assistant.corpus import wordnet
    from assistant.index.synonyms import SYNONYMS_FILE, SynonymTable

    def missing():
        raise wordnet.WordNetMissingError("the WordNet data is not installed")

    monkeypatch.setattr(wordnet, "wordnet_dir", missing)
    report = build_index(isolated_settings, [], ["N18", "H10"])
    assert report.added > 0 and len(report.warnings) == 1
    assert "WordNet" in report.warnings[0]
    table = SynonymTable.load(isolated_settings.index_dir / SYNONYMS_FILE)
    assert "CKD" in table.acronyms and table.phrases  # HPO's layperson words remain
    assert all(source.startswith("HPO ") for options in table.phrases.values()
               for _, source in options)


def test_an_ingest_widens_the_search_of_an_index_made_before(isolated_settings):
    from assistant.index.vectors import SEARCH_EF, open_collection, search_breadth

    build_index(isolated_settings, [SAMPLE_PAGE], None)
    collection = open_collection(isolated_settings, HashEmbeddings.model_name)
    assert search_breadth(collection) == SEARCH_EF  # made that wide
    collection.modify(configuration={"hnsw": {"ef_search": 100}})  # as Chroma made it before
    build_index(isolated_settings, [SAMPLE_PAGE], None)
    assert search_breadth(open_collection(isolated_settings, HashEmbeddings.model_name)) == SEARCH_EF



def _descriptors(settings: Settings, codes: list[str]) -> tuple[dict[str, str], dict[str, np.ndarray]]:
    """The descriptor chunks of these codes: their texts, and their stored vectors."""
    db = RecordsDB(settings.index_dir / "records.sqlite")
    chunks = {c.id: c for c in db.iter_chunks() if c.code in codes and c.section == "descriptor"}
    db.close()
    found = open_vector_store(settings, HashEmbeddings()).get(ids=list(chunks),
                                                              include=["embeddings"])
    vectors = {chunks[i].code: np.asarray(v) for i, v in zip(found["ids"], found["embeddings"])}
    assert set(vectors) == set(codes)
    return {c.code: c.text for c in chunks.values()}, vectors


def test_a_later_encounters_vector_is_worked_out_from_its_parents_and_keeps_its_words(
        slice_index):
    codes = ["S72.001", "S72.001A", "S72.001D", "S72.001S", "E11.321", "E11.3211"]
    texts, vectors = _descriptors(slice_index, codes)
    own = {code: np.asarray(HashEmbeddings().embed_query(text)) for code, text in texts.items()}
    # an initial encounter, and a 7th character that names the eye: embedded whole
    np.testing.assert_allclose(vectors["S72.001A"], own["S72.001A"], atol=1e-6)
    np.testing.assert_allclose(vectors["E11.3211"], own["E11.3211"], atol=1e-6)
    # a later encounter and a sequela: their parent's vector, moved by their words' shift
    for code in ("S72.001D", "S72.001S"):
        assert not np.allclose(vectors[code], vectors["S72.001"], atol=1e-3)
        assert float(np.linalg.norm(vectors[code])) == pytest.approx(1.0, abs=1e-5)
    assert not np.allclose(vectors["S72.001D"], vectors["S72.001S"], atol=1e-3)
    # the lexical search and the citations still read the encounter words
    assert texts["S72.001D"].endswith(", subsequent encounter for closed fracture with routine "
                                      "healing")
