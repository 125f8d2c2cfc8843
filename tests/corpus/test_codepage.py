"""The code-page parser on the real sample page, its HTML/CRLF/Latin-1 renderings, bad input."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

import pytest

from assistant.corpus.codepage import parse_page
from assistant.corpus.errors import PageError
from assistant.corpus.pages import find_pages, load_page
from tests.conftest import SAMPLE_PAGE

FIELDS = [
    "Short Descr", "Medium Descr", "Long Descr", "Status Code", "Global Days",
    "PC/TC Indicator (26, TC)", "Multiple Procedures (51)", "Bilateral Surgery (50)",
    "Physician Supervisions", "Assistant Surgeon (80, 82)", "Co-Surgeons (62)",
    "Team Surgery (66)", "Diagnostic Imaging Family", "APC Status Indicator",
    "Type of Service (TOS)", "Berenson-Eggers TOS (BETOS)", "MUE", "CCS Clinical Classification",
]
SAMPLE_TEXT = SAMPLE_PAGE.read_text(encoding="utf-8")


def parse(path: Path):
    return parse_page(path, "CPT", "77418", display_path="corpus/pages/77418.txt")


@pytest.fixture
def record():
    return parse(SAMPLE_PAGE)


def test_every_record_field_in_page_order(record):
    assert list(record.attributes) == FIELDS
    values = dict(record.attributes)
    assert values["Short Descr"] == "RADIATION TX DELIVERY IMRT"
    assert values["Medium Descr"] == "NTSTY MODUL DLVR 1/MLT FLDS/ARCS PR TX SESSION"
    assert values["Long Descr"].startswith("Intensity modulated treatment delivery, single or")
    assert values["Long Descr"].endswith("binary, dynamic MLC, per treatment session")
    assert values["Status Code"] == "Active Code"
    assert values["Global Days"] == "XXX - Global Concept Does Not Apply"
    assert values["PC/TC Indicator (26, TC)"] == "3 - Technical Component Only Code"
    assert values["Multiple Procedures (51)"] == (
        "0 - No payment adjustment rules for multiple procedures apply.")
    assert values["Bilateral Surgery (50)"] == (
        "0 - 150% payment adjustment for bilateral procedures does NOT apply.")
    assert values["Physician Supervisions"] == "9 - Concept does not apply."
    assert values["Assistant Surgeon (80, 82)"] == (
        "0 - Payment restriction for assistants at surgery applies to this procedure...")
    assert values["Co-Surgeons (62)"] == "0 - Co-surgeons not permitted for this procedure."
    assert values["Team Surgery (66)"] == "0 - Team surgeons not permitted for this procedure."
    assert values["Diagnostic Imaging Family"] == "99 - Concept Does Not Apply"
    assert values["APC Status Indicator"] == "Procedure or Service, Not Discounted when Multiple"
    assert values["Type of Service (TOS)"] == "6 - Therapeutic Radiology"
    assert values["Berenson-Eggers TOS (BETOS)"] == "P7A - Oncology - radiation therapy"
    assert values["MUE"] == "Not applicable/unspecified."
    assert values["CCS Clinical Classification"] == "211 - Therapeutic radiology"
    assert record.descriptors == {"short": values["Short Descr"], "medium": values["Medium Descr"],
                                  "long": values["Long Descr"]}
    assert record.title == values["Long Descr"]


def test_history_rows_in_date_order(record):
    rows = [(e.date, e.action, e.note) for e in record.history]
    assert rows == [
        (date(2002, 1, 1), "added", "First appearance in code book in 2002."),
        (date(2005, 1, 1), "changed", "Code description changed."),
        (date(2011, 1, 1), "changed", "Short description changed."),
        (date(2015, 1, 1), "deleted", "Code deleted"),
    ]


def test_sections_are_classified_and_kept_whole(record):
    names = [s.name for s in record.sections]
    assert names == ["description", "indications", "procedure", "post_procedure"]
    paragraphs = [line for line in SAMPLE_TEXT.splitlines() if len(line) > 150 and "|" not in line]
    assert [s.text for s in record.sections] == paragraphs
    assert record.sections[0].text.startswith("Intensity Modulated Radiation Therapy (IMRT) is a")


def test_copyright_lines_kept_and_marketing_dropped(record):
    assert record.source.copyright == [
        "© Copyright 2025 American Medical Association. All rights reserved.",
        "© Copyright 2025 Coding Ahead. All rights reserved.",
    ]
    everything = record.to_json()
    assert "Get instant expert-level" not in everything


def _as_html(text: str) -> str:
    """The sample page as a browser would save it: paragraphs, two tables, scripts, styles."""
    lines = text.splitlines()
    record_line = next(line for line in lines if line.startswith("Short Descr |"))
    cells = [c.strip() for c in record_line.split("|") if c.strip()]
    rows = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>"
                   for a, b in zip(cells[0::2], cells[1::2]))
    history = [line for line in lines if line[:4].isdigit()]
    hist_rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in row.split("|")[:3]) + "</tr>"
        for row in history)
    paragraphs = [line for line in lines if "|" not in line and line.strip() and
                  line.strip() not in ("Date", "Action", "Notes")]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:-1])
    return (
        "<!DOCTYPE html><html><head><title>77418</title><style>p { color: red }</style>"
        "<script>var fake = 'Global Days | 090 |';</script></head><body>"
        "<nav>Home | Codes | Pricing</nav>"
        f"{body}<table>{rows}</table>"
        "<table><thead><tr><th>Date</th><th>Action</th><th>Notes</th></tr></thead>"
        f"<tbody>{hist_rows}</tbody></table>"
        f"<script>document.write('2020-01-01 | Deleted | fake |')</script>"
        f"<p>{html.escape(paragraphs[-1])}</p></body></html>"
    )


@pytest.mark.parametrize("variant", ["html", "crlf", "latin1"])
def test_renderings_give_the_same_record(tmp_path, record, variant):
    path = tmp_path / f"77418.{'html' if variant == 'html' else 'txt'}"
    if variant == "html":
        path.write_text(_as_html(SAMPLE_TEXT), encoding="utf-8")
    elif variant == "crlf":
        path.write_bytes(SAMPLE_TEXT.replace("\n", "\r\n").encode("utf-8"))
    else:
        path.write_bytes(SAMPLE_TEXT.encode("latin-1"))
    other = parse(path)
    assert other.attributes == record.attributes
    assert other.history == record.history
    assert other.sections == record.sections
    assert other.source.copyright == record.source.copyright


def _page_error(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PageError) as caught:
        parse(path)
    assert caught.value.path == str(path)
    return caught.value.reason


def test_empty_file_is_refused(tmp_path):
    assert "empty" in _page_error(tmp_path, "77418.txt", b"")
    assert "empty" in _page_error(tmp_path, "77418.txt", b"  \n\n ")


def test_binary_file_is_refused(tmp_path):
    assert "binary" in _page_error(tmp_path, "77418.txt", bytes(range(256)) * 4)


def test_page_without_record_table_is_refused(tmp_path):
    text = "\n".join(line for line in SAMPLE_TEXT.splitlines() if "Short Descr" not in line)
    assert "no structured record" in _page_error(tmp_path, "77418.txt", text.encode())


def test_history_cut_short_is_refused(tmp_path):
    cut = SAMPLE_TEXT[: SAMPLE_TEXT.index("First appearance")]
    assert "cut short" in _page_error(tmp_path, "77418.txt", cut.encode())
    header_only = SAMPLE_TEXT[: SAMPLE_TEXT.index("2015-01-01")]
    assert "no rows" in _page_error(tmp_path, "77418.txt", header_only.encode())


def test_history_action_the_parser_does_not_know_is_refused(tmp_path):
    # A status rests on the actions it knows; one it cannot read is not quietly kept.
    odd = SAMPLE_TEXT.replace("| Deleted |", "| Reinstated |", 1)
    assert odd != SAMPLE_TEXT
    reason = _page_error(tmp_path, "77418.txt", odd.encode())
    assert "unknown action 'Reinstated'" in reason and "added, changed, deleted" in reason


def test_record_cut_short_is_refused(tmp_path):
    cut = SAMPLE_TEXT.replace("| CCS Clinical Classification | 211 - Therapeutic radiology |",
                              "| CCS Clinical Classification |")
    assert "incomplete" in _page_error(tmp_path, "77418.txt", cut.encode())


def test_code_comes_from_file_name_or_manifest(tmp_path):
    (tmp_path / "77418.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "page-a.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "000_7221c03306899f4f.txt").write_text(SAMPLE_TEXT, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,system,code\npage-a.txt,CPT,77418\n")
    pages = {p.path.name: p for p in find_pages([tmp_path])}
    assert (pages["77418.txt"].system, pages["77418.txt"].code) == ("CPT", "77418")
    assert (pages["page-a.txt"].system, pages["page-a.txt"].code) == ("CPT", "77418")
    with pytest.raises(PageError, match="name the file after its code"):
        load_page(pages["000_7221c03306899f4f.txt"])


def test_shipped_corpus_is_the_sample_page_byte_for_byte():
    shared = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "000_7221c03306899f4f.txt"
    if not shared.exists():
        pytest.skip("the shared sample page is not beside this checkout")
    assert SAMPLE_PAGE.read_bytes() == shared.read_bytes()
