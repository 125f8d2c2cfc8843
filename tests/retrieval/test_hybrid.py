"""Dense search paths: exact in memory for a small code set, approximate and filtered for a
large one; both keep only the sections that say what a code is."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from assistant.answer.service import CodingAssistant
from assistant.index.testing import HashEmbeddings
from assistant.ranking.rank import rank_codes
from assistant.records import Chunk
from assistant.retrieval import hybrid
from assistant.retrieval.analysis import analyse


def search(question: str) -> list[hybrid.CodeHit]:
    return CodingAssistant().retriever.search_codes(question)


def chunk_sections(hits: list[hybrid.CodeHit]) -> set[str]:
    return {c.chunk.section for hit in hits for c in hit.chunks}


def test_a_large_code_set_is_searched_approximately_with_the_same_result(slice_index,
                                                                         monkeypatch):
    exact = search("unspecified abdominal pain")
    monkeypatch.setattr(hybrid, "SMALL_CODE_SET", 0)  # every code set counts as large
    approximate = search("unspecified abdominal pain")
    assert exact[0].code == approximate[0].code == "R10.9"
    assert chunk_sections(exact) <= set(hybrid.SEARCH_SECTIONS)
    assert chunk_sections(approximate) <= set(hybrid.SEARCH_SECTIONS)


def test_the_lone_cpt_page_is_found_beside_the_icd_slice(slice_index):
    hits = search("intensity modulated radiation treatment delivery")
    assert hits[0].code == "77418"


def _modules_after_ask(settings, question: str) -> dict[str, bool]:
    """Which heavy modules a real `coding-assistant ask` process imported."""
    import json
    import os
    import subprocess
    import sys

    heavy = ["chromadb", "bm25s", "scipy", "onnxruntime", "langchain_core", "langchain_chroma"]
    code = ("import json, sys; from click.testing import CliRunner; "
            "from assistant.interfaces.cli import main; "
            f"r = CliRunner().invoke(main, ['ask', {question!r}, '--json']); "
            "assert r.exit_code == 0, r.output; "
            f"print(json.dumps({{m: m in sys.modules for m in {heavy!r}}}))")
    env = {**os.environ, "CODING_ASSISTANT_INDEX_DIR": str(settings.index_dir)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    loaded: dict[str, bool] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def test_a_question_about_an_exact_code_opens_neither_vectors_nor_lexical_index(slice_index):
    loaded = _modules_after_ask(slice_index, "Is E87.2 still valid?")
    assert not any(loaded.values()), loaded


def _composed_with_parts_open(monkeypatch, question: str) -> set[str]:
    """The parts of the index open (or opened meanwhile, within a few seconds) when the
    answer to a first question starts being composed."""
    import time

    from assistant.answer import compose

    seen: set[str] = set()
    real_compose = compose.compose_answer

    def composing(analysed, retriever):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not {"collection", "lexical"} <= set(retriever._parts):
            time.sleep(0.01)
        seen.update(retriever._parts)
        return real_compose(analysed, retriever)

    monkeypatch.setattr(compose, "compose_answer", composing)
    CodingAssistant().ask(question)
    return seen


def test_a_first_search_question_opens_its_stores_while_the_answer_is_composed(slice_index,
                                                                               monkeypatch):
    assert {"collection", "lexical"} <= _composed_with_parts_open(
        monkeypatch, "unspecified abdominal pain")


def test_a_question_about_an_exact_code_starts_opening_no_store(slice_index, monkeypatch):
    seen: list[bool] = []
    monkeypatch.setattr(hybrid.HybridRetriever, "open_for_search",
                        lambda self: seen.append(True))
    CodingAssistant().ask("Is E87.2 still valid?")
    assert seen == []
    CodingAssistant().ask("unspecified abdominal pain")
    assert seen == [True]


def test_a_search_opens_the_stores_but_imports_no_langchain_nor_bm25s(slice_index):
    loaded = _modules_after_ask(slice_index, "unspecified abdominal pain")
    assert loaded["chromadb"]
    assert not loaded["langchain_core"] and not loaded["langchain_chroma"]
    # the lexical index is read from its saved arrays: bm25s (and the scipy it imports)
    # only build it
    assert not loaded["bm25s"] and not loaded["scipy"]


def test_the_langchain_retriever_gives_the_searchs_best_chunks(slice_index):
    retriever = CodingAssistant().retriever
    documents = retriever.as_retriever(k=3).invoke("unspecified abdominal pain")
    best = retriever.search_chunks("unspecified abdominal pain")[:3]
    assert [d.id for d in documents] == [h.chunk.id for h in best]
    assert documents[0].metadata["code"] == "R10.9"


class CountingEmbeddings(HashEmbeddings):
    """The fake model, noting every text it is asked to embed."""

    def __init__(self) -> None:
        self.queries: list[str] = []
        self.document_calls: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.document_calls.append(list(texts))
        return super().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return super().embed_query(text)


def test_alphabetic_index_entries_are_scored_with_the_question_embedded_once(slice_index):
    # "Abdominalgia -> see Pain, abdominal" (R10.9) is an entry of the FY2017 index.
    embeddings = CountingEmbeddings()
    retriever = CodingAssistant(embeddings=embeddings).retriever
    ranked = rank_codes(analyse("abdominalgia", today=date(2026, 11, 27)), retriever)

    assert ranked[0].record.code == "R10.9" and ranked[0].index is not None
    asked = set(embeddings.queries)
    assert embeddings.queries and len(embeddings.queries) == len(asked)  # each query once
    assert embeddings.document_calls  # the entries, in one batch per query at most
    assert len(embeddings.document_calls) <= len(asked)
    assert not any(asked & set(texts) for texts in embeddings.document_calls)


def test_an_entry_text_scores_as_the_cosine_of_the_question_and_the_text(slice_index):
    embeddings = HashEmbeddings()
    retriever = CodingAssistant(embeddings=embeddings).retriever
    texts = ["Abdominalgia -> see Pain, abdominal", "Acidemia E87.2"]
    chunks = [Chunk(text, "ICD-10-CM", code, "alphabetic_index", "test")
              for text, code in zip(texts, ["R10.9", "E87.2"])]

    hits = retriever.text_hits("abdominal pain", chunks + chunks[:1])

    query = np.asarray(embeddings.embed_query("abdominal pain"))
    expected = [float(query @ np.asarray(v)) for v in embeddings.embed_documents(texts)]
    assert [h.chunk for h in hits] == chunks + chunks[:1]
    assert [h.dense for h in hits] == pytest.approx(expected + expected[:1])
    assert hits[0].dense > 0 and hits[0].dense != hits[1].dense


def _nearest_asked(monkeypatch, retriever, question: str, system: str | None = None) -> list[int]:
    """How many nearest vectors each approximate search asked the vector store for."""
    asked: list[int] = []
    real_nearest = hybrid.nearest

    def recording(collection, vector, k):
        asked.append(k)
        return real_nearest(collection, vector, k)

    monkeypatch.setattr(hybrid, "SMALL_CODE_SET", 0)  # every code set searched approximately
    monkeypatch.setattr(hybrid, "nearest", recording)
    retriever.search_codes(question, system=system)
    return asked


def test_a_new_index_searches_wide_enough_to_read_only_the_candidates(slice_index, monkeypatch):
    from assistant.index.vectors import SEARCH_EF, search_breadth

    retriever = CodingAssistant().retriever
    assert search_breadth(retriever.collection) == SEARCH_EF
    assert _nearest_asked(monkeypatch, retriever, "unspecified abdominal pain") == [
        hybrid.CANDIDATES]
    # a code set asked: other sets' vectors are dropped, so the search reads more
    assert _nearest_asked(monkeypatch, retriever, "unspecified abdominal pain",
                          system="ICD-10-CM") == [hybrid.CANDIDATES * hybrid.OVERFETCH]


def test_an_index_made_narrower_is_read_with_the_over_fetch_until_an_ingest_widens_it(
        slice_index, monkeypatch, tmp_path):
    import shutil

    from assistant.index.vectors import SEARCH_EF, search_breadth, widen_search

    shutil.copytree(slice_index.index_dir, tmp_path / "index")
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    collection = CodingAssistant().retriever.collection
    collection.modify(configuration={"hnsw": {"ef_search": 100}})  # as Chroma made it before
    retriever = CodingAssistant().retriever
    assert _nearest_asked(monkeypatch, retriever, "unspecified abdominal pain") == [
        hybrid.CANDIDATES * hybrid.OVERFETCH * 2]
    widen_search(retriever.collection)  # as the next ingest does
    assert search_breadth(retriever.collection) == SEARCH_EF
    reopened = CodingAssistant().retriever  # a reader's next view of the index
    assert _nearest_asked(monkeypatch, reopened, "unspecified abdominal pain") == [
        hybrid.CANDIDATES]
