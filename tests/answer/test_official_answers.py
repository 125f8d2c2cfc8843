"""Answers through `ask --json` once a team loaded CMS's HCPCS releases (2018 and 2019, from the
real excerpt) and two physician fee schedule files (2014 and 2015: made-up rows but 77418's)
beside the sample page: search in a coder's words, status around a termination, fields citing
the file and line, the release's horizon past its end, modifiers only from what the releases
hold, and a code only the fee schedule describes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from assistant.config import Settings
from assistant.interfaces.cli import main
from assistant.interfaces.ingest_cli import run_ingest
from tests.conftest import SAMPLE_PAGE, build_index
from tests.fee_schedule_files import write_2014, write_2015
from tests.hcpcs_files import write_2018, write_2019

HCPCS_2019 = "HCPC2019_CONTR_ANWEB.txt"


@pytest.fixture(scope="module")
def _index_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("official")
    settings = Settings(index_dir=folder / "index", embedding="hash")
    build_index(settings, [SAMPLE_PAGE], None)
    downloads = folder / "downloads"
    for write in (write_2018, write_2019, write_2014, write_2015):
        write(downloads)
    console = Console(file=io.StringIO())
    assert run_ingest(settings, [downloads], False, console) == 0, console.file.getvalue()
    return settings.index_dir


@pytest.fixture(autouse=True)
def official(_index_dir, monkeypatch) -> None:
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(_index_dir))


def ask(question: str, dos: str = "2019-06-01") -> dict:
    result = CliRunner().invoke(main, ["ask", question, "--dos", dos, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def entry(data: dict, code: str) -> dict:
    (found,) = [c for c in data["codes"] if c["code"] == code]
    return found


def cited(data: dict, field: str) -> list[str]:
    return [c["source"] for c in data["citations"] if c["field"] == field]


# --------------------------------------------------------------------------- HCPCS Level II


def test_search_in_a_coders_words_finds_the_level_ii_code_citing_its_line():
    data = ask("folding walker, adjustable height")
    assert data["grounded"] and data["codes"][0]["code"] == "E0135"
    assert data["codes"][0]["system"] == "HCPCS"
    assert f"{HCPCS_2019}, line 32" in cited(data, "Long Descr")
    flu = ask("administration of flu vaccine")   # the descriptor says "influenza virus"
    assert flu["codes"][0]["code"] == "G0008"


def test_status_around_a_termination_date_cites_it():
    last_day = ask("Is C9015 valid?", "2018-12-31")
    assert entry(last_day, "C9015")["status"] == "active"
    after = ask("Is C9015 valid?", "2019-01-01")
    c9015 = entry(after, "C9015")
    assert (c9015["status"], c9015["deleted_on"], c9015["replacements"]) == (
        "deleted", "2019-01-01", ["J0599"])
    quotes = [c["quote"] for c in after["citations"] if c["section"] == "history"]
    assert any(f"termination date 2018-12-31 in {HCPCS_2019}, line 15" in q for q in quotes)
    assert any("C9015 was deleted on 2019-01-01" in w for w in after["warnings"])


def test_fields_of_a_release_cite_the_file_and_line():
    data = ask("What is the coverage code of E0100?")
    assert "D - Special coverage instructions apply" in data["answer"]
    assert cited(data, "Coverage Code") == [f"{HCPCS_2019}, line 17"]
    short = ask("short description of E0135")
    assert "Walker folding adjust/fixed" in short["answer"]
    assert cited(short, "Short Descr") == [f"{HCPCS_2019}, line 32"]


def test_past_the_newest_release_the_status_is_not_verified():
    inside = entry(ask("Is E0135 valid?", "2019-06-01"), "E0135")["status_basis"]
    assert inside["covered"] is True
    data = ask("Is E0135 valid?", "2021-03-01")
    basis = entry(data, "E0135")["status_basis"]
    assert (basis["covered"], basis["verified_through"]) == (False, "2019-12-31")
    assert "HCPCS 2019 annual release" in basis["release"]
    assert any("E0135: status on 2021-03-01 not verified" in w for w in data["warnings"])


# --------------------------------------------------------------------------- modifiers


def test_a_modifier_asked_by_name_is_answered_from_the_release():
    data = ask("What does modifier LT mean?")
    lt = entry(data, "LT")
    assert (lt["system"], lt["status"]) == ("HCPCS", "active")
    assert "Left side (used to identify procedures performed on the left side of the body)" \
        in data["answer"]
    assert cited(data, "Long Descr") == [f"{HCPCS_2019}, line 69"]


def test_a_modifier_no_release_lists_is_not_invented():
    data = ask("What does modifier 59 mean?")
    assert data["grounded"] is False and data["codes"] == []
    assert "I don't have modifier 59" in data["answer"]
    assert "distinct" not in data["answer"].lower()   # no text from memory


# --------------------------------------------------------------------------- fee schedule


def test_fee_schedule_fields_cite_the_file_and_line():
    data = ask("What is the global period of 00010?", "2015-02-01")
    assert "090 - One day before, the procedure day and 90 days after" in data["answer"]
    assert cited(data, "Global Days") == ["PPRRVU15_JAN.csv, line 5"]
    bilateral = ask("Can modifier 50 be used with 00010?", "2015-02-01")
    assert "150% payment adjustment for bilateral procedures applies" in bilateral["answer"]
    assert cited(bilateral, "Bilateral Surgery (50)") == ["PPRRVU15_JAN.csv, line 5"]


def test_a_code_only_the_fee_schedule_describes_says_no_clinical_text_is_loaded():
    data = ask("What is 00020?", "2015-02-01")
    assert "No clinical text is loaded for 00020" in data["answer"]
    assert "PC/TC Indicator (26, TC): 1 - Diagnostic test" in data["answer"]
    assert "PPRRVU15_JAN.csv, line 7" in cited(data, "With modifier 26")


def test_status_code_i_is_warned_as_not_valid_for_medicare():
    data = ask("Is 00030 billable?", "2015-02-01")
    assert "status code I - Not valid for Medicare purposes" in data["answer"]
    assert any("00030: not valid for Medicare" in w for w in data["warnings"])


def test_a_code_absent_from_the_next_file_is_deleted_on_its_date():
    data = ask("Is 00050 valid?", "2015-02-01")
    e = entry(data, "00050")
    assert (e["status"], e["deleted_on"]) == ("deleted", "2015-01-01")
    assert any("not in PPRRVU15_JAN.csv" in c["quote"] for c in data["citations"])


def test_the_sample_page_answers_77418_and_the_fee_schedule_adds_its_file():
    data = ask("What are the global days of 77418?", "2014-06-01")
    assert "XXX - Global Concept Does Not Apply" in data["answer"]
    assert cited(data, "Global Days") == ["corpus/pages/77418.txt"]
    status = ask("Is 77418 valid?", "2014-06-01")
    assert entry(status, "77418")["status"] == "active"
    assert "PPRRVU14_JAN.csv, line 5" in cited(status, "Status Code")
    assert "No clinical text" not in status["answer"]
