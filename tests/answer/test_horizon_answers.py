"""Answers at the edges of the data: every code entry says what its status rests on
(`status_basis`), a status past the newest loaded release is never a plain yes, no ICD-10-CM
code is reportable before 2015-10-01, and the dated history is the releases' own.

The index holds the sample CPT page and a slice of ICD-10-CM built with the fake embedding;
its history and horizons are the committed releases', as in the default index.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from assistant.answer.service import CodingAssistant
from assistant.config import Settings
from assistant.corpus.icd10cm_releases import committed_table, fiscal_year_end
from assistant.interfaces.api import create_app
from assistant.interfaces.cli import main
from tests.conftest import SAMPLE_PAGE, build_index

CATEGORIES = ["E11", "U07", "Z20", "V20", "I10"]
# The default's horizon, from the committed table (not pasted): its newest release's fiscal
# year ends on this day; no ICD-10-CM status after it is verified.
NEWEST = committed_table().snapshots[-1]
THROUGH = fiscal_year_end(NEWEST.effective)


@pytest.fixture(scope="module")
def _index_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("horizon-index")
    build_index(Settings(index_dir=folder, embedding="hash"), [SAMPLE_PAGE], CATEGORIES)
    return folder


@pytest.fixture
def horizon_index(_index_dir, monkeypatch) -> Settings:
    monkeypatch.setenv("CODING_ASSISTANT_INDEX_DIR", str(_index_dir))
    return Settings()


def ask(question: str, dos: str | None = None) -> dict:
    args = ["ask", question, "--json"] + (["--dos", dos] if dos else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def entry(data: dict, code: str) -> dict:
    (found,) = [c for c in data["codes"] if c["code"] == code]
    return found


def _missing_years(day: date) -> list[str]:
    """The fiscal years from the one after THROUGH to the one holding `day`."""
    last = day.year + 1 if day.month >= 10 else day.year
    return [f"FY{year}" for year in range(THROUGH.year + 1, last + 1)]


# --------------------------------------------------------------------------- past the horizon


def test_today_names_the_release_that_is_not_loaded(horizon_index):
    today = date.today()
    assert today > THROUGH, "this test assumes a date of service past the default's horizon"
    data = ask("Is E11.9 valid?")
    e119 = entry(data, "E11.9")
    assert (e119["status"], e119["billable"]) == ("active", True)  # what the data gives
    basis = e119["status_basis"]
    assert basis["covered"] is False and basis["reason"] == "after_newest"
    assert basis["verified_through"] == THROUGH.isoformat()
    assert basis["release"].startswith(NEWEST.label)
    missing = _missing_years(today)
    assert missing[0] == "FY2027" and all(year in basis["explanation"] for year in missing)
    assert "in effect since 2026-10-01" in basis["explanation"]
    # In the text and in a warning: the release it comes from and the date beyond it.
    assert f"valid and billable for a date of service of {today.isoformat()}" not in data["answer"]
    assert f"Not verified for {today.isoformat()} (E11.9)" in data["answer"]
    assert NEWEST.label in data["answer"] and "FY2027" in data["answer"]
    (warning,) = [w for w in data["warnings"] if "not verified" in w]
    assert warning.startswith("E11.9: ") and "FY2027" in warning
    assert basis["warning"] == warning
    release = [c for c in data["citations"] if c["section"] == "release"]
    assert release and release[0]["quote"].startswith(NEWEST.label)
    assert f"through {THROUGH.isoformat()}" in release[0]["quote"]


def test_the_same_date_through_the_api_and_the_service(horizon_index):
    day = date(2026, 11, 27)
    answer = CodingAssistant(horizon_index).ask("Is I10 billable?", day)
    (i10,) = answer.codes
    assert i10.status == "active" and i10.status_basis["covered"] is False
    assert "FY2027, in effect since 2026-10-01, is not loaded" in str(i10.status_basis["warning"])
    with TestClient(create_app(CodingAssistant(horizon_index))) as client:
        body = client.post("/api/ask", json={"question": "Is I10 billable?",
                                             "date_of_service": day.isoformat()}).json()
    assert body["codes"][0]["status_basis"] == i10.status_basis
    assert body["warnings"] == answer.warnings


def test_a_recorded_deletion_stays_a_plain_deletion(horizon_index):
    data = ask("Is 77418 still active?")
    e = entry(data, "77418")
    assert (e["status"], e["deleted_on"]) == ("deleted", "2015-01-01")
    # The page speaks through its copyright year; the deletion it records needs no horizon
    # warning.
    assert e["status_basis"]["covered"] is False and e["status_basis"]["warning"] is None
    assert data["warnings"] == ["77418 was deleted on 2015-01-01: not reportable for dates of "
                                "service on or after it."]
    assert "not verified" not in data["answer"].lower()


def test_inside_the_horizon_a_status_needs_no_warning(horizon_index):
    data = ask("Is I10 billable?", "2023-06-30")
    i10 = entry(data, "I10")
    assert i10["status"] == "active" and i10["status_basis"]["covered"] is True
    assert i10["status_basis"]["warning"] is None and data["warnings"] == []
    assert "I10 was valid and billable for a date of service of 2023-06-30" in data["answer"]
    assert i10["status_basis"]["release"] == "FY2023 April 2023 update (effective 2023-04-01)"


# --------------------------------------------------------------------------- the releases' dates


@pytest.mark.parametrize(("code", "before", "after", "took_effect", "release"), [
    ("U07.1", "2020-02-15", "2020-05-01", "2020-04-01", "FY2020 April 2020 update"),
    ("Z20.822", "2020-12-15", "2021-01-15", "2021-01-01", "FY2021 January 2021 update"),
])
def test_mid_year_codes_take_effect_as_published(horizon_index, code, before, after,
                                                 took_effect, release):
    early = ask(f"Is {code} valid?", before)
    e = entry(early, code)
    assert (e["status"], e["billable"], e["valid_from"]) == ("not_billable", False, took_effect)
    assert f"took effect on {took_effect}" in early["answer"]
    assert e["status_basis"]["covered"] is True and e["status_basis"]["warning"] is None
    late = ask(f"Is {code} valid?", after)
    e = entry(late, code)
    assert (e["status"], e["billable"]) == ("active", True) and late["warnings"] == []
    assert e["status_basis"]["release"].startswith(release)
    assert f"valid and billable for a date of service of {after}" in late["answer"]


def test_an_external_cause_code_before_its_release(horizon_index):
    data = ask("Is V20.01XA billable?", "2021-02-15")
    e = entry(data, "V20.01XA")
    assert (e["status"], e["billable"], e["valid_from"]) == ("not_billable", False, "2022-10-01")
    assert "not yet in the code set on 2021-02-15" in data["answer"]
    assert e["status_basis"]["release"].startswith("FY2021 January 2021 update")


def test_before_icd10cm_no_code_is_reportable(horizon_index):
    data = ask("Is E11.9 billable?", "2014-06-01")
    e = entry(data, "E11.9")
    assert (e["status"], e["billable"]) == ("not_billable", False)
    assert e["status_basis"]["reason"] == "before_icd10cm"
    assert "ICD-9-CM applied" in data["answer"] and "2015-10-01" in data["answer"]
    assert "valid and billable" not in data["answer"]
    assert any("ICD-9-CM" in w for w in data["warnings"])
    (release,) = [c for c in data["citations"] if c["section"] == "release"]
    assert release["quote"].startswith("FY2016 release (effective 2015-10-01)")


def test_before_icd10cm_a_code_added_later_says_when_it_came(horizon_index):
    data = ask("Is U07.1 valid?", "2014-06-01")
    e = entry(data, "U07.1")
    assert (e["status"], e["valid_from"]) == ("not_billable", "2020-04-01")
    assert "ICD-9-CM applied" in data["answer"]
    assert "U07.1 itself took effect on 2020-04-01" in data["answer"]


# --------------------------------------------------------------------------- what the data holds


def test_i_dont_have_that_names_each_code_sets_horizon(horizon_index):
    data = ask("Is 99999 still active?")
    assert data["grounded"] is False and data["codes"] == []
    assert "CPT pages for 77418, for dates 2002-01-01 through 2025-12-31" in data["answer"]
    assert (f"for dates 2015-10-01 through {THROUGH.isoformat()}, newest release loaded: "
            f"{NEWEST.label}") in data["answer"]


def test_lookup_shows_the_horizon_and_the_status_basis(horizon_index):
    result = CliRunner().invoke(main, ["lookup", "E11.9", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["horizon"]["from"] == "2015-10-01"
    assert data["horizon"]["through"] == THROUGH.isoformat()
    assert data["horizon"]["newest"].startswith(NEWEST.label)
    assert data["status_basis"]["covered"] is False and "FY2027" in data["status_basis"]["warning"]
    text = CliRunner().invoke(main, ["lookup", "77418"]).output
    assert "Its source speaks for dates 2002-01-01 through 2025-12-31" in text
    assert "Status basis: The status comes from corpus/pages/77418.txt" in text


# --------------------------------------------------------------------------- the terminal


def test_the_terminal_marks_a_status_past_the_data(horizon_index):
    import io

    from rich.console import Console

    from assistant.interfaces.render import render_answer

    answer = CodingAssistant(horizon_index).ask("Is E11.9 valid?", date(2026, 11, 27))
    for plain in (False, True):
        buffer = io.StringIO()
        console = Console(file=buffer, width=300, color_system=None, force_terminal=not plain)
        render_answer(answer, console, plain=plain, explain=True)
        shown = buffer.getvalue()
        assert ("E11.9⚠" in shown) is not plain  # the marker on the code, in a terminal
        assert "Warning: E11.9: status on 2026-11-27 not verified." in shown
        assert (f"    not verified for 2026-11-27: its data speaks for dates through "
                f"{THROUGH.isoformat()}") in shown
    covered = CodingAssistant(horizon_index).ask("Is E11.9 valid?", date(2023, 6, 30))
    buffer = io.StringIO()
    render_answer(covered, Console(file=buffer, width=300, color_system=None,
                                   force_terminal=True), plain=False)
    assert "E11.9" in buffer.getvalue() and "⚠" not in buffer.getvalue()
