"""Bad input everywhere, property-tested: any page, release file, question or API body gives
a result or the documented error (PageError, ReleaseFileError, a 4xx JSON error), never
another exception. Example counts stay small: the suite runs on two shared cores."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.corpus.codepage import parse_page
from assistant.corpus.errors import PageError
from assistant.corpus.icd10cm_files import (ReleaseFileError, effective_from_name, file_kind,
                                            read_code_list, read_order_file, read_release_file,
                                            read_tabular_xml)
from assistant.corpus.sources import find_files, load_release_files
from assistant.retrieval.analysis import Question, analyse
from tests.conftest import SAMPLE_PAGE

FEW = settings(max_examples=40, deadline=None, database=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.too_slow])

SAMPLE_TEXT = SAMPLE_PAGE.read_text(encoding="utf-8")
SAMPLE_LINES = SAMPLE_TEXT.splitlines()
# Lines in the official layout, from the FY2026 order file (as in tests/corpus).
ORDER_LINES = [
    "00001 A00     0 Cholera                                                      Cholera",
    "00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           "
    "Cholera due to Vibrio cholerae 01, biovar cholerae",
    "00004 A009    1 Cholera, unspecified                                         "
    "Cholera, unspecified",
]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bad-input")


def _lines_text(lines: list[str], crlf: bool) -> str:
    return ("\r\n" if crlf else "\n").join(lines)


def _encoded(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
    return st.tuples(texts, encodings).map(
        lambda pair: pair[0].encode(pair[1], errors="replace"))


# ---------------------------------------------------------------- the page parser

def _page_texts() -> st.SearchStrategy[str]:
    shuffled = st.lists(st.sampled_from(SAMPLE_LINES) | st.text(max_size=80), max_size=25).map(
        "\n".join)
    cut = st.integers(0, len(SAMPLE_TEXT)).map(lambda n: SAMPLE_TEXT[:n])
    html = shuffled.map(lambda text: "<html><head><script>var x = '<p>';</script></head><body>"
                        + "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
                        + "</body></html>")
    broken_html = st.text(alphabet="<>/&;=\"' pabdivtrscriptyle", max_size=200)
    return shuffled | cut | html | broken_html


@FEW
@given(raw=st.binary(max_size=3000) | _encoded(_page_texts()))
def test_any_page_gives_a_record_or_a_page_error(scratch, raw):
    path = scratch / "77418.txt"
    path.write_bytes(raw)
    try:
        record = parse_page(path, "CPT", "77418")
    except PageError as error:
        assert error.reason and str(path) in str(error)
        return
    assert record.code == "77418" and record.title
    json.loads(record.to_json())


# ---------------------------------------------------------------- the release-file loaders

_CODES = st.from_regex(r"[A-Z][0-9A-Z]{2,6}", fullmatch=True)
_TITLES = st.text(alphabet=st.characters(codec="latin-1", exclude_categories=["Cc"]),
                  min_size=0, max_size=70)


def _order_line(number: int, code: str, flag: str, title: str) -> str:
    return f"{number:05d} {code:<7} {flag} {title[:60]:<60} {title}"


_ORDER_LINE = st.builds(_order_line, st.integers(0, 99999), _CODES, st.sampled_from("01x "),
                        _TITLES)
_ORDER_TEXTS = st.builds(_lines_text, st.lists(
    _ORDER_LINE | st.sampled_from(ORDER_LINES) | st.text(max_size=40), max_size=20),
    st.booleans())
_LIST_LINE = _CODES | st.from_regex(r"[A-Z][0-9]{2}-[A-Z][0-9]{2}", fullmatch=True) | st.from_regex(
    r"[0-9]{1,2}", fullmatch=True) | st.text(max_size=12)
_LIST_TEXTS = st.builds(_lines_text, st.lists(_LIST_LINE, max_size=30), st.booleans())


@FEW
@given(raw=st.binary(max_size=2000) | _encoded(_ORDER_TEXTS))
def test_any_order_file_gives_a_release_or_a_release_file_error(scratch, raw):
    path = scratch / "icd10cm_order_2027.txt"
    path.write_bytes(raw)
    try:
        release = read_order_file(path)
    except ReleaseFileError as error:
        assert error.reason and "icd10cm_order_2027.txt" in str(error)
        return
    assert release.codes
    for code, line in release.codes.items():  # the file's own rule holds for what it gives
        assert line.code == code and line.line >= 1
        assert not any(release.codes.get(code[:k], line).billable and k < len(code)
                       for k in range(3, len(code)) if code[:k] in release.codes)


@FEW
@given(raw=st.binary(max_size=1000) | _encoded(_LIST_TEXTS))
def test_any_code_list_gives_a_release_or_a_release_file_error(scratch, raw):
    path = scratch / "code-list-April-2027.txt"
    path.write_bytes(raw)
    try:
        release = read_code_list(path)
    except ReleaseFileError as error:
        assert error.reason and "code-list-April-2027.txt" in str(error)
        return
    assert release.codes
    extended = {code[:k] for code in release.codes for k in range(3, len(code))}
    assert all(line.billable == (code not in extended) for code, line in release.codes.items())


_XML_TAGS = ["chapter", "section", "diag", "name", "desc", "inclusionTerm", "note", "includes",
             "excludes1", "excludes2", "codeFirst", "useAdditionalCode", "codeAlso",
             "sevenChrDef", "sevenChrNote", "extension"]


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(tag: str, char: str, text: str, inner: list[str]) -> str:
        attribute = f' char="{escape(char)}"' if tag == "extension" else ""
        return f"<{tag}{attribute}>{escape(text)}{''.join(inner)}</{tag}>"
    return st.builds(render, st.sampled_from(_XML_TAGS), st.text(max_size=2),
                     _CODES | st.text(max_size=30), st.lists(children, max_size=4))


_XML_BODIES = st.recursive(st.builds(lambda code: f"<name>{code}</name>", _CODES) | st.text(
    max_size=20).map(escape), _element, max_leaves=25)
_XML_TEXTS = st.builds(
    lambda body, root: f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>{body}</{root}>',
    st.lists(_XML_BODIES, max_size=4).map("".join),
    st.sampled_from(["ICD10CM.tabular", "ICD10CM.index", "tabular"]))


@FEW
@given(raw=st.binary(max_size=1000) | _XML_TEXTS.map(lambda t: t.encode("utf-8")))
def test_any_tabular_xml_gives_titles_or_a_release_file_error(scratch, raw):
    path = scratch / "icd10cm_tabular_2027.xml"
    path.write_bytes(raw)
    try:
        xml = read_tabular_xml(path)
    except ReleaseFileError as error:
        assert error.reason and "icd10cm_tabular_2027.xml" in str(error)
        return
    assert all(isinstance(title, str) for title in xml.titles.values())
    assert all(len(note) == 3 for notes in xml.notes.values() for note in notes)


def _zip(members: list[tuple[str, bytes]], deflated: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


_MEMBER_NAMES = st.sampled_from(["icd10cm_order_2027.txt", "icd10cm_tabular_2027.xml",
                                 "code-list-April-2027.txt", "readme.txt", "dir/", "notes.pdf",
                                 "icd10cm-order-2027.txt"])
_MEMBERS = st.lists(st.tuples(_MEMBER_NAMES, st.binary(max_size=300) | _ORDER_TEXTS.map(
    str.encode) | _XML_TEXTS.map(str.encode)), max_size=4)
_ZIPS = st.builds(_zip, _MEMBERS, st.booleans())


def _damage(data: bytes, where: float, junk: bytes) -> bytes:
    at = int(where * len(data))
    return data[:at] + junk + data[at + len(junk):]


_DAMAGED_ZIPS = st.builds(_damage, _ZIPS, st.floats(0, 1), st.binary(min_size=1, max_size=8))
# A zip whose directory is whole but whose member's data is not (its CRC fails on reading).
_BAD_CRC = _damage(_zip([("icd10cm_order_2027.txt", "\n".join(ORDER_LINES).encode())]), 0.25,
                   b"\xff\xff")


@pytest.mark.filterwarnings("ignore:Duplicate name")
@FEW
@example(raw=_BAD_CRC, name="release.zip")
@given(raw=_ZIPS | _DAMAGED_ZIPS | st.binary(max_size=500),
       name=st.sampled_from(["icd10cm_order_2027.txt", "release.zip", "icd10cm-April-2027.zip",
                             "code-list-April-2027.txt", "pages"]))
def test_any_release_file_or_zip_loads_or_is_listed_as_an_error(scratch, tmp_path_factory,
                                                                raw, name):
    path = scratch / name
    path.write_bytes(raw)
    unpack = tmp_path_factory.mktemp("unpack")
    try:
        found = find_files([path], unpack)
    except ReleaseFileError as error:
        assert error.reason and name in str(error)
        return
    errors: list[str] = []
    loaded = load_release_files(found, None, errors)
    assert len(loaded) + len(errors) == len(found.releases)
    assert all(isinstance(error, str) and error for error in errors)
    for one in [path] + found.releases:
        assert file_kind(one) in (None, "order file", "code list", "tabular XML")
        try:
            read_release_file(one)
        except ReleaseFileError:
            pass


@FEW
@given(name=st.text(max_size=60) | st.from_regex(
    r"(icd10cm|code-list)[-_](order[-_])?((jan|apr|oct)[a-z]*[-_ ]?)?20[0-9][0-9](jan|apr)?\.txt",
    fullmatch=True))
def test_any_file_name_gives_a_date_or_none(name):
    found = effective_from_name(name)
    assert found is None or date(1999, 1, 1) <= found <= date(2100, 1, 1)


# ---------------------------------------------------------------- the question analysis

_QUESTION_PIECES = st.sampled_from([
    "is", "still", "active", "valid", "billable", "for", "on", "in", "during", "and", "its",
    "global days", "code", "deleted", "what", "?", ",", ".", "FY", "April", "Sept.", "of",
    "77418", "0394T", "G0101", "E87.2", "E872", "e87.20", "S52.501A", "Z99.89", "1234",
    "2023-06-30", "2023-02-30", "0000-00-00", "9999-12-31", "13/45/2020", "2/29/2023",
    "31 April 2024", "April 2017", "FY2027", "FY0", "during 2025", "since 1900", "20261",
]) | st.integers(-10, 100000).map(str) | st.text(max_size=15)
_QUESTIONS = st.lists(_QUESTION_PIECES, max_size=20).map(" ".join) | st.text(max_size=300)


@FEW
@given(text=_QUESTIONS, today=st.dates(date(1990, 1, 1), date(2100, 12, 31)),
       dos=st.none() | st.dates(date(1900, 1, 1), date(2200, 12, 31)),
       context=st.lists(_CODES, max_size=3))
def test_any_question_is_analysed(text, today, dos, context):
    question = analyse(text, today=today, dos=dos, context_codes=context)

    assert isinstance(question, Question) and question.text == text
    assert isinstance(question.dos, date) and (dos is None or question.dos == dos)
    assert all(isinstance(code, str) and code for code in question.codes)
    assert isinstance(question.search_text, str)


@pytest.mark.parametrize("text, written", [("Is 77418 active in FY0000?", "FY0000"),
                                           ("E87.2 in FY 0001", "FY 0001"),
                                           ("77418 in April 0000", "April 0000")])
def test_a_year_zero_is_refused_by_name(text, written):
    question = analyse(text, today=date(2026, 11, 27))

    assert question.date_problem is not None
    assert question.date_problem.startswith(f"{written} is not a date: ")
    assert "year 0" in question.date_problem


# ---------------------------------------------------------------- the API request body

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=4),
    max_leaves=12)
_ASK_BODIES = st.fixed_dictionaries({}, optional={
    "question": st.text(max_size=200) | _QUESTIONS | _JSON,
    "date_of_service": st.none() | st.dates().map(str) | st.text(max_size=12) | _JSON,
    "context_codes": st.lists(st.text(max_size=18) | _CODES, max_size=30) | _JSON,
})
_BODIES = (_ASK_BODIES.map(json.dumps) | _JSON.map(json.dumps)).map(str.encode) | st.binary(
    max_size=300)


@pytest.fixture
def api(sample_index, monkeypatch):
    from fastapi.testclient import TestClient

    from assistant.interfaces.api import create_app

    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with TestClient(create_app()) as client:
        yield client


@FEW
@given(body=_BODIES)
def test_any_ask_body_gets_an_answer_or_a_json_client_error(api, body):
    response = api.post("/api/ask", content=body, headers={"content-type": "application/json"})

    assert response.status_code in (200, 413, 422), response.text
    data = response.json()
    if response.status_code == 200:
        assert {"question", "answer", "grounded", "codes", "citations", "warnings"} <= set(data)
    else:
        assert list(data) == ["detail"] and isinstance(data["detail"], str) and data["detail"]
