"""Dense search paths: exact in memory for a small code set, approximate and filtered for a
large one; both keep only the sections that say what a code is."""

from __future__ import annotations

from assistant.answer.service import CodingAssistant
from assistant.retrieval import hybrid


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
