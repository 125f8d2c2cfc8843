"""Whether two named codes are coded together, as their notes say, through
`ask --json`; and how a note's code references are read."""

from __future__ import annotations

import pytest

from assistant.answer.together import names_code
from assistant.corpus.icd10cm_conventions import note_conventions
from tests.ask_cli import ask_json


def _cited(data: dict, section: str, field: str) -> list[dict]:
    return [c for c in data["citations"] if c["section"] == section and c["field"] == field]


def test_an_excludes1_note_naming_the_other_code_keeps_them_apart(slice_index):
    data = ask_json("can E11.65 and E10.9 be billed together?")
    assert data["answer"].startswith("By their notes, E11.65 and E10.9 are not coded together.")
    stated = [c for c in _cited(data, "notes", "excludes1") if c["code"] == "E11.65"]
    assert any(c["quote"] == "type 1 diabetes mellitus (E10.-) [stated at E11]" for c in stated)
    assert "E11.65's Excludes1 note, stated at category E11, names E10.9" in data["answer"]
    meaning = _cited(data, "conventions", "excludes1")
    assert len(meaning) == 1 and "NOT CODED HERE" in meaning[0]["quote"]
    assert meaning[0]["source"].endswith("introduction (public domain)")
    assert f"[{meaning[0]['n']}]" in data["answer"]


def test_an_excludes2_note_of_a_chapter_lets_both_be_coded(slice_index):
    data = ask_json("is N18.4 allowed with E88.9?")
    assert data["answer"].startswith("By their notes, N18.4 and E88.9 may be coded together "
                                     "when the patient has both.")
    assert "N18.4's Excludes2 note, stated at chapter 14, names E88.9" in data["answer"]
    assert "acceptable to use both" in _cited(data, "conventions", "excludes2")[0]["quote"]
    assert not _cited(data, "conventions", "excludes1")


@pytest.mark.parametrize("question", ["does E11.22 need N18.4 with it?",
                                      "should I code N18.4 together with E11.22?"])
def test_a_code_first_or_use_additional_note_pairs_them_and_says_which_goes_first(
        slice_index, question):
    data = ask_json(question)
    assert "are coded together, E11.22 first." in data["answer"].split(". ")[0] + "."
    stated = [c["quote"] for c in _cited(data, "notes", "code_first") if c["code"] == "N18.4"]
    assert any("(E08.22, E09.22, E10.22, E11.22, E13.22)" in quote for quote in stated)
    assert any("N18.1-N18.6" in c["quote"] for c in _cited(data, "notes", "use_additional_code"))
    assert "etiology followed by manifestation" in _cited(data, "conventions", "code_first")[0][
        "quote"]
    # the verdict and the notes that name the other code, not every note of each
    assert not [c for c in _cited(data, "notes", "excludes1")]


def test_codes_whose_notes_name_neither_are_not_said_to_clash_or_pair(slice_index):
    data = ask_json("can I code N18.4 with I10?")
    assert data["answer"].startswith("No excludes, code first, use additional code or code also "
                                     "note of N18.4 or I10, at the code or at any heading above "
                                     "it, names the other")
    assert "their notes neither keep them apart nor pair them" in data["answer"]
    assert not [c for c in data["citations"] if c["section"] in ("conventions", "notes")]


@pytest.mark.parametrize("question", ["excludes1 for E11.65", "excludes1 for E11.65 and E10.9"])
def test_excludes_asked_for_without_together_are_listed_without_a_verdict(slice_index,
                                                                         question):
    data = ask_json(question)
    assert "By their notes" not in data["answer"]
    assert "Excludes1 notes for E11.65, stated at category E11" in data["answer"]
    assert not [c for c in data["citations"] if c["section"] == "conventions"]


@pytest.mark.parametrize("note, code, named", [
    ("detergent asthma (J69.8)", "J69.8", True),
    ("asthma (J45.-)", "J45.909", True),
    ("asthma (J45.-)", "J44.9", False),
    ("lung diseases due to external agents (J60-J70)", "J69.8", True),
    ("lung diseases due to external agents (J60-J70)", "J45.909", False),
    ("code to identify stage (N18.1-N18.4, N18.9)", "N18.30", True),
    ("code to identify stage (N18.1-N18.4, N18.9)", "N18.5", False),
    ("code to identify stage (N18.1-N18.4, N18.9)", "N18.9", True),
    ("smoke inhalation (T59.81-)", "T59.811A", True),
    ("smoke inhalation (T59.81-)", "T59.89XA", False),
    ("certain localized infections - see body system-related chapters", "A04.7", False),
])
def test_a_note_names_a_code_by_itself_its_heading_or_a_range(note, code, named):
    assert names_code(note, code) is named


def test_the_tabular_s_own_words_for_its_excludes_notes_are_read():
    conventions = note_conventions()
    assert "should never be used at the same time" in conventions["excludes1"]
    assert "acceptable to use both the code and the excluded code" in conventions["excludes2"]
    assert conventions["code_first"] == conventions["use_additional_code"]
    assert "sequencing of the two codes is discretionary" in conventions["code_also"]
    assert "April 2026" in conventions["source"]


@pytest.mark.parametrize("question, kinds", [
    ("can I code E11.65 with A00.7?", ["Excludes1"]),
    ("does E11.65 need A00.7 with it?", ["Excludes1", "Use additional code"]),
])
def test_a_pair_with_a_code_not_held_lists_the_held_code_s_notes(slice_index, question, kinds):
    data = ask_json(question)
    assert data["answer"].startswith("I don't have A00.7 in the corpus")
    assert "By their notes" not in data["answer"]
    for kind in kinds:
        assert f"{kind} notes for E11.65, stated at category E11" in data["answer"]
