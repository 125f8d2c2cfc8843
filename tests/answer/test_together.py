"""Whether two named codes are coded together, as their excludes notes say, through
`ask --json`; and how a note's code references are read."""

from __future__ import annotations

import pytest

from assistant.answer.together import names_code
from assistant.corpus.icd10cm_conventions import excludes_conventions
from tests.ask_cli import ask_json


def _cited(data: dict, section: str, field: str) -> list[dict]:
    return [c for c in data["citations"] if c["section"] == section and c["field"] == field]


def test_an_excludes1_note_naming_the_other_code_keeps_them_apart(slice_index):
    data = ask_json("can E11.65 and E10.9 be billed together?")
    assert data["answer"].startswith("By their excludes notes, E11.65 and E10.9 are not coded "
                                     "together.")
    stated = [c for c in _cited(data, "notes", "excludes1") if c["code"] == "E11.65"]
    assert any(c["quote"] == "type 1 diabetes mellitus (E10.-) [stated at E11]" for c in stated)
    assert "E11.65's Excludes1 note, stated at category E11, names E10.9" in data["answer"]
    meaning = _cited(data, "conventions", "excludes1")
    assert len(meaning) == 1 and "NOT CODED HERE" in meaning[0]["quote"]
    assert meaning[0]["source"].endswith("introduction (public domain)")
    assert f"[{meaning[0]['n']}]" in data["answer"]


def test_an_excludes2_note_of_a_chapter_lets_both_be_coded(slice_index):
    data = ask_json("is N18.4 allowed with E11.22?")
    assert data["answer"].startswith("By their excludes notes, N18.4 and E11.22 may be coded "
                                     "together when the patient has both.")
    assert "N18.4's Excludes2 note, stated at chapter 14, names E11.22" in data["answer"]
    assert "acceptable to use both" in _cited(data, "conventions", "excludes2")[0]["quote"]
    assert not _cited(data, "conventions", "excludes1")


def test_codes_whose_excludes_notes_name_neither_are_not_said_to_clash(slice_index):
    data = ask_json("can I code N18.4 with I10?")
    assert data["answer"].startswith("No excludes note of N18.4 or I10, at the code or at any "
                                     "heading above it, names the other")
    assert "their excludes notes do not keep them apart" in data["answer"]
    assert not [c for c in data["citations"] if c["section"] == "conventions"]


def test_one_code_s_excludes_notes_give_no_verdict(slice_index):
    data = ask_json("excludes1 for E11.65")
    assert "By their excludes notes" not in data["answer"]
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
    conventions = excludes_conventions()
    assert "should never be used at the same time" in conventions["excludes1"]
    assert "acceptable to use both the code and the excluded code" in conventions["excludes2"]
    assert "April 2026" in conventions["source"]
