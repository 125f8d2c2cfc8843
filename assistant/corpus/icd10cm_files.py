"""Official ICD-10-CM release files -> one snapshot of the code set (code, billable, title, line).

Three kinds of file are read, told apart by their content, not only by their name:

- the "code descriptions in tabular order" file (`icd10cm_order_2026.txt`,
  `icd10cm-order-2026.txt`, `icd10cm-order-April-2026.txt`): fixed width, one line per
  category or code: order number (5, zero filled), blank, code without its dot (7), blank,
  1 for a billable code or 0 for a header, blank, short title (60), blank, long title;
- the code list (`code-list-April-2025.txt`): one chapter, block or code (no dot) a line;
  a code is billable when no other code of the list extends it; titles come from the
  tabular XML beside it;
- the tabular XML (`icd10cm_tabular_2026.xml`): its titles, notes, inclusion terms and 7th
  character definitions.

A line that fits none of the layouts stops the read with an error naming the file and the
line: a malformed release is never half-loaded. Effective dates: a file of fiscal year YYYY
takes effect on YYYY-1-10-01; a file named for January or April of YYYY on the 1st of that
month.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.corpus.errors import PageError
from assistant.errors import AssistantError

__all__ = [
    "CodeLine",
    "ReleaseFile",
    "ReleaseFileError",
    "effective_from_name",
    "file_kind",
    "read_code_list",
    "read_order_file",
    "read_release_file",
    "read_tabular_xml",
]

ORDER = "order file"
CODE_LIST = "code list"
TABULAR_XML = "tabular XML"

_CODE = re.compile(r"^[A-Z][0-9A-Z]{2,6}$")
_CHAPTER = re.compile(r"^\d{1,2}$")
_BLOCK = re.compile(r"^[A-Z][0-9A-Z]{2}-[A-Z][0-9A-Z]{2}$")
_MONTHS = {"jan": 1, "january": 1, "apr": 4, "april": 4, "oct": 10, "october": 10}
_NAME_DATE = re.compile(
    r"(?:(?P<month>jan(?:uary)?|apr(?:il)?|oct(?:ober)?)[-_ ]?(?P<myear>20\d\d))"
    r"|(?P<year>20\d\d)(?P<suffix>jan|apr)?", re.IGNORECASE)
# How many lines are enough to tell a file's kind.
_SNIFF_LINES = 20


class ReleaseFileError(PageError):
    """A release file that cannot be read: names the file and, where known, the line."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None):
        self.line = line
        where = f"{path}, line {line}" if line else str(path)
        AssistantError.__init__(self, f"{where}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class CodeLine:
    """One category or code of a release: undotted code, billable flag, long title, line."""

    code: str
    billable: bool
    title: str | None
    line: int


@dataclass
class ReleaseFile:
    """One official snapshot of the whole code set, as read from a file."""

    name: str  # the file's name, as citations give it ("icd10cm_order_2027.txt")
    kind: str
    sha256: str
    codes: dict[str, CodeLine] = field(default_factory=dict)

    def cite(self, code: str) -> str:
        found = self.codes.get(code)
        return f"{self.name}, line {found.line}" if found else self.name


# --------------------------------------------------------------------------- kinds and dates


def file_kind(path: Path) -> str | None:
    """ORDER, CODE_LIST or TABULAR_XML when the file's first lines fit that layout."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return None
    text = head.decode("latin-1")
    if text.lstrip("\ufeff\r\n\t ").startswith("<?xml") and "<ICD10CM.tabular" in text:
        return TABULAR_XML
    lines = [line.rstrip("\r") for line in text.split("\n")[:_SNIFF_LINES]]
    lines = [line for line in lines[:-1] if line.strip()] or lines[:1]
    # Most lines fitting is enough: a malformed line is then reported by the full read.
    if lines and _most(_order_fields(line) for line in lines):
        return ORDER
    if lines and _most(_list_entry(line.strip()) for line in lines) and any(
            _CODE.match(line.strip()) for line in lines):
        return CODE_LIST
    return None


def _most(checks: Iterable) -> bool:
    results = [bool(c) for c in checks]
    return sum(results) * 2 > len(results)


def effective_from_name(name: str) -> date | None:
    """The date a release file takes effect, from its name; None when the name has no year.

    "icd10cm_order_2027.txt" (FY2027) -> 2026-10-01; "icd10cm-order-April-2027.txt" ->
    2027-04-01; "icd10cm-order-Jan-2021.txt" -> 2021-01-01; "code-list-April-2025.txt" ->
    2025-04-01.
    """
    for match in _NAME_DATE.finditer(Path(name).name):
        month = match.group("month") or match.group("suffix")
        year = int(match.group("myear") or match.group("year"))
        if month:
            return date(year, _MONTHS[month.lower()], 1)
        return date(year - 1, 10, 1)
    return None


def _order_fields(line: str) -> tuple[str, bool, str] | None:
    """(code, billable, long title) of an order-file line; None when it breaks the layout.

    Columns: 1-5 order number, 7-13 code (padded), 15 the flag, 17-76 short title, 78- long.
    """
    line = line.rstrip("\r")
    if len(line) < 17 or not line[:5].isdigit() or line[5] != " " or line[13] != " ":
        return None
    code = line[6:13].rstrip()
    if not _CODE.match(code) or line[14] not in "01" or line[15] != " ":
        return None
    short = line[16:76].strip()
    long = line[77:].strip() if len(line) > 77 and line[76] == " " else ""
    if not short or (len(line) > 76 and line[76] != " "):
        return None
    return code, line[14] == "1", long or short


def _list_entry(text: str) -> bool:
    return bool(_CODE.match(text) or _CHAPTER.match(text) or _BLOCK.match(text))


# --------------------------------------------------------------------------- readers


def read_release_file(path: Path, xml: Path | None = None) -> ReleaseFile:
    """Read an order file or a code list (titles from `xml` where given); errors name the line."""
    kind = file_kind(path)
    if kind == ORDER:
        return read_order_file(path)
    if kind == CODE_LIST:
        return read_code_list(path, read_tabular_xml(xml).titles if xml else {})
    raise ReleaseFileError(path, "not an ICD-10-CM order file or code list")


def read_order_file(path: Path) -> ReleaseFile:
    raw = read_text_release(path)
    release = ReleaseFile(path.name, ORDER, hashlib.sha256(raw).hexdigest())
    text = _decode(raw, path)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        fields = _order_fields(line)
        if not fields:
            raise ReleaseFileError(
                path, "not in the order-file layout (order number, code, 0 or 1, short and "
                      "long title in fixed columns)", number)
        code, billable, title = fields
        if code in release.codes:
            raise ReleaseFileError(
                path, f"code {code} listed twice (first on line {release.codes[code].line})",
                number)
        release.codes[code] = CodeLine(code, billable, title, number)
    if not release.codes:
        raise ReleaseFileError(path, "holds no codes")
    _check_billable_flags(release, path)
    return release


def read_code_list(path: Path, titles: dict[str, str] | None = None) -> ReleaseFile:
    raw = read_text_release(path)
    release = ReleaseFile(path.name, CODE_LIST, hashlib.sha256(raw).hexdigest())
    entries: list[tuple[str, int]] = []
    for number, line in enumerate(_decode(raw, path).splitlines(), 1):
        text = line.strip()
        if not text:
            continue
        if not _list_entry(text):
            raise ReleaseFileError(path, f"{text[:40]!r} is not a chapter, block or code",
                                   number)
        if _CODE.match(text):
            entries.append((text, number))
    prefixes = {code[:k] for code, _ in entries for k in range(3, len(code))}
    titles = titles or {}
    for code, number in entries:
        # A block made of one category ("B10") is listed under the category's own name too.
        if code in release.codes:
            continue
        release.codes[code] = CodeLine(code, code not in prefixes, titles.get(code), number)
    if not release.codes:
        raise ReleaseFileError(path, "holds no codes")
    return release


def _check_billable_flags(release: ReleaseFile, path: Path) -> None:
    """A billable code is never extended by another code of the same release."""
    codes = release.codes
    for code, entry in codes.items():
        for k in range(3, len(code)):
            parent = codes.get(code[:k])
            if parent is not None and parent.billable:
                raise ReleaseFileError(
                    path, f"{parent.code} is marked billable (1) but {code} (line "
                          f"{entry.line}) extends it", parent.line)


def read_text_release(path: Path, kind: str = "a text release file") -> bytes:
    """The bytes of a release file that must be text; `kind` names what it should be in the
    error about a binary file ("the relative value file's CSV")."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReleaseFileError(path, f"cannot be read ({error.strerror or error})") from None
    if not raw.strip():
        raise ReleaseFileError(path, "is empty")
    if b"\x00" in raw[:4096]:
        raise ReleaseFileError(path, f"is binary, not {kind}")
    return raw


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


# --------------------------------------------------------------------------- tabular XML

# XML element -> note kind, as the loader of the April 2026 tabular names them.
_XML_NOTES = {
    "inclusionTerm": "inclusion_term",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code_first",
    "useAdditionalCode": "use_additional_code",
    "codeAlso": "code_also",
    "sevenChrNote": "seven_chr_note",
}
_PASSED_DOWN = ("includes", "excludes1", "excludes2", "code_first", "use_additional_code",
                "code_also")


@dataclass
class TabularXml:
    """What a tabular XML says of each code (undotted): title and notes (kind, text, stated at)."""

    name: str
    titles: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def read_tabular_xml(path: Path) -> TabularXml:
    """Titles of every diag, and for each the notes that apply to it: its own, then those its
    ancestor diags pass down (includes, excludes, code first/also, use additional code) and the
    nearest 7th character definitions and note. Codes the XML builds from a 7th character
    (S52.501A) get the title and notes of their 6-character stem plus that character."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        line = getattr(error, "position", (None,))[0]
        raise ReleaseFileError(path, f"not a readable tabular XML ({error})", line) from None
    if root.tag != "ICD10CM.tabular":
        raise ReleaseFileError(path, "not an ICD-10-CM tabular XML (no ICD10CM.tabular root)")
    result = TabularXml(path.name)
    for chapter in root.iter("chapter"):
        for section in chapter.iter("section"):
            for diag in section.findall("diag"):
                _walk_diag(diag, (), (), result)
    return result


def _own_notes(diag: ET.Element, code: str) -> tuple[list, list]:
    notes: list[tuple[str, str, str]] = []
    seven: list[tuple[str, str, str]] = []
    for child in diag:
        kind = _XML_NOTES.get(child.tag)
        if kind:
            notes += [(kind, (n.text or "").strip(), code) for n in child.iter("note")]
        elif child.tag == "sevenChrDef":
            seven += [("seven_chr_def", f"{e.get('char')}: {(e.text or '').strip()}", code)
                      for e in child.iter("extension")]
    return notes, seven


def _walk_diag(diag: ET.Element, passed: tuple, seven: tuple, result: TabularXml) -> None:
    dotted = (diag.findtext("name") or "").strip()
    code = dotted.replace(".", "")
    own, own_seven = _own_notes(diag, dotted)
    title = (diag.findtext("desc") or "").strip()
    result.titles[code] = title
    applies_seven = tuple(own_seven) or seven
    result.notes[code] = own + list(passed) + [n for n in applies_seven if n not in own]
    below = tuple(n for n in own if n[0] in _PASSED_DOWN) + passed
    children = diag.findall("diag")
    for child in children:
        _walk_diag(child, below, applies_seven, result)
    if not children and applies_seven:
        _seventh_character_codes(code, title, result.notes[code], applies_seven, result)


def _seventh_character_codes(stem: str, title: str, notes: list, seven: Iterable,
                             result: TabularXml) -> None:
    """S52.501 with the 7th characters A, D ... -> S52.501A ... (placeholder X up to 6)."""
    padded = stem.ljust(6, "X")
    for _, text, _ in [n for n in seven if n[0] == "seven_chr_def"]:
        char, _, meaning = text.partition(": ")
        code = padded + char
        result.titles.setdefault(code, f"{title}, {meaning}")
        result.notes.setdefault(code, list(notes))


def iter_codes(releases: Iterable[ReleaseFile]) -> set[str]:
    return {code for release in releases for code in release.codes}
