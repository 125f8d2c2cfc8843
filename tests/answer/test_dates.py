"""A date of service given beside the question: read as given, or refused naming the date;
never replaced by another date (the CLI's --dos, a batch line, the parser itself)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from assistant.dates import parse_date_of_service
from assistant.answer.service import QuestionError
from assistant.interfaces.cli import main


@pytest.mark.parametrize("value, expected", [
    ("2023-06-30", date(2023, 6, 30)),
    (" 2024-02-29 ", date(2024, 2, 29)),  # a leap day
    (None, None),
    ("", None),
])
def test_a_date_as_given(value, expected):
    assert parse_date_of_service(value) == expected


@pytest.mark.parametrize("value, why", [
    ("2023-02-30", "February 2023 has 28 days"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("2023-04-31", "April 2023 has 30 days"),
    ("2023-13-01", "there is no month 13"),
    ("2023-00-10", "there is no month 0"),
    ("0000-01-01", "there is no year 0"),
])
def test_a_day_the_calendar_does_not_have_is_refused_by_name(value, why):
    with pytest.raises(QuestionError) as refused:
        parse_date_of_service(value, "date_of_service")
    assert str(refused.value) == f"date_of_service {value} is not a real date: {why}"


@pytest.mark.parametrize("value", ["30/02/2023", "2023-2-3", "yesterday", "20230630", 20230630,
                                   ["2023-06-30"]])
def test_another_layout_is_refused_by_name(value):
    with pytest.raises(QuestionError) as refused:
        parse_date_of_service(value, "date_of_service")
    assert repr(value) in str(refused.value) and "YYYY-MM-DD" in str(refused.value)


def test_ask_with_an_impossible_dos_names_it_and_answers_nothing(sample_index):
    result = CliRunner().invoke(main, ["ask", "Is 77418 still active?", "--dos", "2023-02-30",
                                       "--json"])
    assert result.exit_code == 2
    assert "2023-02-30 is not a real date: February 2023 has 28 days" in result.output
    assert '"answer"' not in result.output


def test_chat_with_an_impossible_dos_is_refused_before_it_starts():
    result = CliRunner().invoke(main, ["chat", "--dos", "2023-02-30"], input="quit\n")
    assert result.exit_code == 2 and "2023-02-30" in result.output


def test_a_batch_line_with_an_impossible_date_gets_an_error_naming_it(sample_index):
    lines = "\n".join(json.dumps(item) for item in [
        {"id": "bad", "question": "Is 77418 still active?", "date_of_service": "2023-02-30"},
        {"id": "layout", "question": "Is 77418 still active?", "date_of_service": "02/28/2023"},
        {"id": "good", "question": "Is 77418 still active?", "date_of_service": "2014-12-31"},
    ])
    result = CliRunner().invoke(main, ["batch"], input=lines.encode())
    assert result.exit_code == 0
    bad, layout, good = (json.loads(line) for line in result.output.splitlines())
    assert bad == {"id": "bad", "error": "date_of_service 2023-02-30 is not a real date: "
                                         "February 2023 has 28 days"}
    assert layout["id"] == "layout" and "'02/28/2023'" in layout["error"]
    assert "answer" not in layout
    assert good["date_of_service"] == "2014-12-31" and good["codes"][0]["status"] == "active"
