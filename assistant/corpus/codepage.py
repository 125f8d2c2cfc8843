"""Parse a code page (plain text, or the same page saved as HTML) into a CodeRecord.

A page has: copyright lines, the official description paragraph, the publisher's clinical
paragraphs (indications, procedure, post-procedure) without headings, a pipe-delimited
structured record, and a history table (Date | Action | Notes).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from assistant.corpus.errors import PageError
from assistant.corpus.html_text import html_to_text, looks_like_html
from assistant.records import CodeRecord, HistoryAction, HistoryEvent, Section, Source

_COPYRIGHT = re.compile(r"^\s*(©|\(c\)|copyright\b)", re.IGNORECASE)
_HISTORY_ROW = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*\|(.*)$")
_SEPARATOR_ROW = re.compile(r"^[\s|:-]+$")
_DESCRIPTOR_FIELDS = {"Short Descr": "short", "Medium Descr": "medium", "Long Descr": "long"}
_ACTIONS = {"added": HistoryAction.ADDED, "changed": HistoryAction.CHANGED,
            "deleted": HistoryAction.DELETED, "revised": HistoryAction.CHANGED}

# Closing calls to action that advertise the publisher; they say nothing about the code.
_MARKETING = re.compile(
    r"(get instant|expert-level medical coding assistance|sign up|subscribe|try it free|"
    r"start your free|click here)",
    re.IGNORECASE,
)

# Clinical paragraphs carry no headings: classify each by what it says.
_SECTION_CUES = [
    ("post_procedure", re.compile(
        r"\b(after the (completion|procedure)|post-?procedure|post-?treatment|follow-up|"
        r"recovery|discharged?)\b", re.IGNORECASE)),
    ("indications", re.compile(
        r"\b(indicated|indications?|warrant|candidates?|conditions? (such as|including))\b",
        re.IGNORECASE)),
    ("procedure", re.compile(
        r"\b(the procedure|procedure (for|involves|begins)|steps?|performed|technique)\b",
        re.IGNORECASE)),
]


def read_page_text(path: Path) -> str:
    """Read a page's bytes as text: UTF-8 (with or without BOM), else Latin-1/CP-1252."""
    data = path.read_bytes()
    if not data.strip():
        raise PageError(path, "the file is empty")
    if b"\x00" in data or _control_ratio(data) > 0.05:
        raise PageError(path, "the file is binary, not a text or HTML page")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if looks_like_html(text):
        text = html_to_text(text)
    return text


def parse_page(path: Path, system: str, code: str, display_path: str | None = None) -> CodeRecord:
    text = read_page_text(path)
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    copyright_lines: list[str] = []
    paragraphs: list[str] = []
    record_cells: list[str] = []
    history_lines: list[str] = []
    in_history = False
    saw_history_header = False
    for line in lines:
        if _COPYRIGHT.match(line):
            copyright_lines.append(line)
            paragraphs.append(line)  # keeps the position: the official text follows the AMA line
        elif _is_history_header(line) or (in_history and _is_header_piece(line)):
            in_history = saw_history_header = True
        elif _HISTORY_ROW.match(line):
            in_history = True
            history_lines.append(line)
        elif in_history and _SEPARATOR_ROW.match(line):
            continue
        elif "|" in line and not in_history:
            record_cells.extend(cell.strip() for cell in line.split("|"))
        elif _MARKETING.search(line):
            continue
        else:
            paragraphs.append(line)
    attributes = _parse_record(path, [c for c in record_cells if c])
    if saw_history_header and not history_lines:
        raise PageError(path, "the history table (Date | Action | Notes) has no rows: it is cut short")
    history = _parse_history(path, history_lines)
    sections = _classify(paragraphs)
    descriptors = {
        short: attributes[name] for name, short in _DESCRIPTOR_FIELDS.items() if name in attributes
    }
    title = descriptors.get("long") or descriptors.get("medium") or descriptors.get("short") or code
    return CodeRecord(
        system=system,
        code=code,
        title=title,
        descriptors=descriptors,
        attributes=attributes,
        sections=sections,
        kind="code",
        billable=True,
        history=history,
        source=Source(path=display_path or str(path), copyright=copyright_lines),
        version="page",
    )


def _control_ratio(data: bytes) -> float:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls / len(sample)


def _is_history_header(line: str) -> bool:
    cells = [c.strip().lower() for c in line.split("|") if c.strip()]
    return cells[:3] == ["date", "action", "notes"] or cells == ["date"]


def _is_header_piece(line: str) -> bool:
    """The history header is sometimes split one cell a line: Date / | / Action / | / Notes."""
    return line.strip().lower() in {"|", "action", "notes", "date"}


def _parse_record(path: Path, cells: list[str]) -> dict[str, str]:
    if not cells:
        raise PageError(path, "no structured record (the pipe-delimited field | value table)")
    if len(cells) % 2:
        raise PageError(
            path, f"the structured record is incomplete: field '{cells[-1]}' has no value"
        )
    attributes = dict(zip(cells[0::2], cells[1::2]))
    if "Long Descr" not in attributes and "Short Descr" not in attributes:
        raise PageError(path, "the structured record has no Short or Long Descr field")
    return attributes


def _parse_history(path: Path, rows: list[str]) -> list[HistoryEvent]:
    events = []
    for row in rows:
        match = _HISTORY_ROW.match(row)
        if match is None:
            raise PageError(path, f"history row is not 'date | action | notes': '{row}'")
        cells = [c.strip() for c in match.group(2).split("|")]
        # A whole row is "date | action | notes |": the closing pipe makes a third cell.
        if len(cells) < 3 or not cells[0]:
            raise PageError(path, f"history row is cut short: '{row}'")
        try:
            when = date.fromisoformat(match.group(1))
        except ValueError:
            raise PageError(path, f"history row has an invalid date: '{row}'") from None
        action = _ACTIONS.get(cells[0].lower())
        if action is None:
            raise PageError(path, f"history row has an unknown action '{cells[0]}' (known: "
                                  f"{', '.join(_ACTIONS)}): '{row}'")
        events.append(HistoryEvent(date=when, action=action, note=cells[1]))
    return sorted(events, key=lambda e: e.date)


def _classify(paragraphs: list[str]) -> list[Section]:
    """Name each paragraph: the one after the AMA line is the official description."""
    sections: list[Section] = []
    after_ama = False
    for paragraph in paragraphs:
        if _COPYRIGHT.match(paragraph):
            after_ama = "american medical association" in paragraph.lower()
            continue
        if after_ama:
            sections.append(Section("description", paragraph))
            after_ama = False
            continue
        sections.append(Section(_section_name(paragraph), paragraph))
    return sections


def _section_name(paragraph: str) -> str:
    for name, cue in _SECTION_CUES:
        if cue.search(paragraph[:200]):
            return name
    return "clinical_notes"
