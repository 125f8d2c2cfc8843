"""Answers after a team loads next October's official release (an official-layout
`icd10cm_order_2027.txt` made from the April 2026 release with real past states replayed, see
tests/release_files.py), and after an April file loaded without it (a change the loaded
releases do not pin down)."""

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
from tests.conftest import build_index
from tests.release_files import SLICE, fy2027_codes, write_order_file

OCT1 = "2026-10-01"
NOVEMBER = "2026-11-15"


def _index_with(folder: Path, release: Path, codes: dict) -> Path:
    settings = Settings(index_dir=folder / "index", embedding="hash",
                        icd10cm_slice=",".join(SLICE))
    build_index(settings, [], SLICE)
    write_order_file(release, codes)
    console = Console(file=io.StringIO())
    assert run_ingest(settings, [release], False, console) == 0, console.file.getvalue()
    return settings.index_dir


@pytest.fixture(scope="module")
def _fy2027_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fy2027")
    return _index_with(folder, folder / "icd10cm_order_2027.txt", fy2027_codes())


@pytest.fixture(scope="module")
def _april_2027_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("april2027")
    return _index_with(folder, folder / "icd10cm-order-April-2027.txt", fy2027_codes())


@pytest.fixture
def fy2027(_fy2027_dir, monkeypatch) -> None:
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(_fy2027_dir))


@pytest.fixture
def april_2027(_april_2027_dir, monkeypatch) -> None:
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(_april_2027_dir))


def ask(question: str, dos: str) -> dict:
    result = CliRunner().invoke(main, ["ask", question, "--dos", dos, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def entry(data: dict, code: str) -> dict:
    (found,) = [c for c in data["codes"] if c["code"] == code]
    return found


def _cites_the_release(data: dict) -> bool:
    return any("icd10cm_order_2027.txt" in c["quote"] for c in data["citations"]
               if c["section"] == "history")


# --------------------------------------------------------------------------- FY2027 loaded


def test_a_split_code_answers_with_its_new_codes(fy2027):
    data = ask("Is H81.4 billable?", NOVEMBER)
    h814 = entry(data, "H81.4")
    assert (h814["status"], h814["deleted_on"]) == ("not_billable", OCT1)
    assert h814["replacements"] == ["H81.41", "H81.42", "H81.43", "H81.49"]
    assert f"since {OCT1} it is a heading" in data["answer"] and _cites_the_release(data)
    h8141 = entry(data, "H81.41")
    assert h8141["status"] == "active" and h8141["status_basis"]["covered"] is True
    assert h814["status_basis"]["release"] == f"FY2027 release (effective {OCT1})"
    assert not [w for w in data["warnings"] if "not verified" in w]


def test_a_dropped_code_is_deleted_with_its_parent_as_replacement(fy2027):
    data = ask("Is E87.20 valid?", NOVEMBER)
    e8720 = entry(data, "E87.20")
    assert (e8720["status"], e8720["deleted_on"], e8720["replacements"]) == (
        "deleted", OCT1, ["E87.2"])
    assert f"E87.20 was deleted on {OCT1}" in data["answer"] and _cites_the_release(data)
    assert entry(data, "E87.2")["status"] == "active"


def test_a_code_billable_again_and_a_new_code(fy2027):
    e872 = entry(ask("Is E87.2 billable?", NOVEMBER), "E87.2")
    assert (e872["status"], e872["valid_from"]) == ("active", OCT1)
    added = ask("Is H81.41 valid?", NOVEMBER)
    assert entry(added, "H81.41")["valid_from"] == OCT1 and _cites_the_release(added)
    before = ask("Is H81.41 valid?", "2026-09-30")
    assert entry(before, "H81.41")["status"] == "deleted"  # deleted 2019-10-01 until then


def test_a_retitled_code_answers_with_its_new_title(fy2027):
    data = ask("What is E88.81?", NOVEMBER)
    assert entry(data, "E88.81")["title"] == "Metabolic syndrome"
    assert "ICD-10-CM E88.81: Metabolic syndrome [" in data["answer"]
    history = ask("When was E88.81 changed?", NOVEMBER)
    assert ("2026-10-01 changed: Title revised in FY2027 release, effective 2026-10-01: "
            "\"Metabolic syndrome\"") in history["answer"]


def test_an_unchanged_code_answers_for_november_without_the_horizon_warning(fy2027):
    data = ask("Is I10 billable?", NOVEMBER)
    i10 = entry(data, "I10")
    assert i10["status"] == "active" and data["warnings"] == []
    assert i10["status_basis"]["covered"] is True
    assert i10["status_basis"]["release"] == f"FY2027 release (effective {OCT1})"
    assert i10["status_basis"]["verified_through"] == "2027-09-30"
    assert f"I10 was valid and billable for a date of service of {NOVEMBER}" in data["answer"] \
        or f"I10 is valid and billable for a date of service of {NOVEMBER}" in data["answer"]


# --------------------------------------------------------------------------- April 2027 only


def test_a_change_the_releases_do_not_pin_down_is_said_as_such(april_2027):
    data = ask("Is E87.20 valid?", "2026-12-01")
    e8720 = entry(data, "E87.20")
    assert e8720["status"] == "active"  # as the April 2026 release lists it
    assert e8720["status_basis"]["reason"] == "gap"
    assert ("E87.20 is listed in FY2026 April 2026 update (effective 2026-04-01) and not in "
            "FY2027 April 2027 update (effective 2027-04-01); the change took effect on a date "
            "from 2026-10-01 to 2027-04-01") in data["answer"]
    assert "status for a date of service of 2026-12-01 is not known" in data["answer"]
    assert any(w.startswith("E87.20: status on 2026-12-01 not known.") for w in data["warnings"])
    assert "valid and billable" not in data["answer"]


def test_after_an_open_change_its_span_is_given_not_a_picked_date(april_2027):
    data = ask("Is E87.20 valid?", "2027-05-01")
    e8720 = entry(data, "E87.20")
    assert (e8720["status"], e8720["deleted_on"]) == ("deleted", "2027-04-01")
    assert ("E87.20 was deleted on a date from 2026-10-01 to 2027-04-01 (the loaded releases "
            "do not pin it down)") in data["answer"]
    assert "deleted on 2027-04-01" not in data["answer"]


def test_the_marker_of_an_open_change_does_not_claim_how_far_the_data_goes(april_2027):
    from assistant.interfaces.slack_bot import answer_blocks

    data = ask("Is E87.20 valid?", "2026-12-01")
    _, blocks = answer_blocks(data)
    line = [row for row in blocks[1]["text"]["text"].splitlines() if "`E87.20`" in row][0]
    assert line.endswith(":warning: _not verified for this date_")
