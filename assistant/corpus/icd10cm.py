"""The ICD-10-CM loader: the April 2026 tabular (simple-icd-10-cm) -> CodeRecord.

One record per tabular entry, top-down in tabular order: chapters ("1".."22"), blocks
("I10-I1A"), categories ("I10", "G92") and codes in dotted form ("E87.2", "S12.8XXA",
"S52.501A"). Each record carries the notes stated at the entry itself and, copied with
`stated_at` naming the stating ancestor, the notes its ancestor blocks and categories state
that apply to it (includes, excludes1, excludes2, code first, use additional code, code
also, 7th character definitions and note). Inclusion terms stay on the entry that states
them. Notes stated at a chapter stay on the chapter's record.

Every code's dated history comes from the official releases (`icd10cm_history`): the
committed FY2016-April 2026 snapshots plus the release files a team loaded. Codes a release
held that the April 2026 tabular (and every newer loaded release) no longer has are yielded
after the tabular, as deleted codes whose history ends in a deletion event, titled as their
last release listed them. Codes a newer loaded release adds are yielded last, as new records
of that release, with the notes of its tabular XML where one was loaded with it. A loaded
release newer than the tabular also sets a code's billable flag, children and title.

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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from assistant.corpus.icd10cm_history import (dotted, in_tabular, nearest_ancestor,
                                              release_timeline, undotted)
from assistant.corpus.icd10cm_history import tabular as _tabular
from assistant.corpus.icd10cm_releases import CodeState, LoadedRelease, Timeline, same_title
from assistant.errors import SettingsError
from assistant.records import CodeRecord, HistoryEvent, Note, NoteKind, Section, Source

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
# The categories to load (undotted), None for all.
_Wanted = frozenset[str] | None
TABULAR_VERSION = "2026-04"
SOURCE_PATH = "simple-icd-10-cm: ICD-10-CM tabular, April 2026 (public domain)"
DELETED_SOURCE_PATH = (
    "ICD-10-CM official releases FY2016-FY2026 (corpus/icd10cm/releases.tsv.gz, public domain)"
)
TITLE_NOT_AVAILABLE = "title not available in the loaded releases"

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


def load_icd10cm(categories: list[str] | None = None,
                 loaded: Iterable[LoadedRelease] = ()) -> Iterator[CodeRecord]:
    """Yield one CodeRecord per April 2026 tabular entry, then one per deleted code, then one
    per code a loaded release adds.

    `categories` (3-character categories such as ["E87", "G92"], dots and case ignored)
    restricts the load to those categories and their descendants, plus the chapters and
    blocks above them and the deleted and new codes under them. `loaded` are the official
    release files loaded into the index.
    """
    timeline = release_timeline(loaded)
    wanted = _normalize_categories(categories, timeline)
    histories = _Histories(timeline)
    for chapter in _chapters():
        yield from _walk_chapter(chapter, wanted, histories)
    yield from _off_tabular_records(wanted, histories)


class _Histories:
    """Each code's history and, where a loaded release is newer than the tabular, its state
    in that release."""

    def __init__(self, timeline: Timeline):
        self.timeline = timeline
        tabular_date = timeline.table.snapshots[-1].effective
        self.newer = [r for r in timeline.loaded if r.snapshot.effective > tabular_date]
        self.newer.sort(key=lambda r: r.snapshot.effective)
        self._new_children: dict[str, list[str]] | None = None
        self._current: set[str] | None = None

    def history(self, code: str) -> list[HistoryEvent]:
        return self.timeline.history(undotted(code))

    def newest_state(self, code: str) -> tuple[bool, CodeState | None]:
        """(found, state) in the newest loaded release newer than the tabular."""
        if not self.newer:
            return False, None
        return True, self.newer[-1].codes.get(undotted(code))

    def newest_title(self, code: str, title: str) -> str:
        """The title a newer loaded release gives the code, where it revised it."""
        for release in reversed(self.newer):
            state = release.codes.get(undotted(code))
            if state is not None and state.title:
                return title if same_title(title, state.title) else state.title
        return title

    def added_children(self, code: str) -> list[str]:
        """Codes newer loaded releases add directly under `code` (dotted)."""
        if not self.newer:
            return []
        if self._new_children is None:
            self._new_children = {}
            for plain in self.timeline.codes():
                name = dotted(plain)
                if in_tabular(name) or not self._present_now(plain):
                    continue
                parent = nearest_ancestor(name, self._current_codes())
                if parent:
                    self._new_children.setdefault(parent, []).append(name)
        return self._new_children.get(code, [])

    def _present_now(self, plain: str) -> bool:
        return self.timeline.in_newest(plain)

    def _current_codes(self) -> set[str]:
        if self._current is None:
            self._current = {dotted(c) for c in self.timeline.codes()
                             if self.timeline.in_newest(c)}
        return self._current


# --------------------------------------------------------------------------- tabular walk


def _normalize_categories(categories: Iterable[str] | None,
                          timeline: Timeline) -> frozenset[str] | None:
    if categories is None:
        return None
    if isinstance(categories, str):
        raise TypeError("categories must be a list of category codes, not a string")
    wanted = frozenset(undotted(c) for c in categories)
    released = {code[:3] for code in timeline.codes()}
    unknown = sorted(
        c
        for c in wanted
        if len(c) != 3 or not (_tabular.is_category(c) or c in released)
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
    billable = not children
    found, newest = histories.newest_state(code)
    if found:
        billable = newest is not None and newest.billable
    yield _record(
        code=code,
        kind="category" if _tabular.is_category(code) else "code",
        title=histories.newest_title(code, _tabular.get_description(code)),
        parent=parent,
        children=children + histories.added_children(code),
        notes=inherited.for_entry(own),
        sections=sections,
        billable=billable,
        history=histories.history(code),
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
    history: list[HistoryEvent] | None = None,
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


# --------------------------------------------------------------------------- codes off the tabular


def _off_tabular_records(wanted: _Wanted, histories: _Histories) -> Iterator[CodeRecord]:
    """Deleted codes (held by a release, by no release in effect now), then new codes (held by
    a loaded release newer than the tabular)."""
    timeline = histories.timeline
    titles = timeline.table.latest_titles()
    deleted: list[str] = []
    added: list[str] = []
    for plain in timeline.codes():
        name = dotted(plain)
        if (wanted is not None and plain[:3] not in wanted) or in_tabular(name):
            continue
        (added if histories._present_now(plain) else deleted).append(plain)
    current = histories._current_codes()
    for plain in deleted:
        yield _deleted_record(plain, timeline, titles.get(plain), current)
    for plain in added:
        yield _new_record(plain, histories, current)


def _last_title(plain: str, timeline: Timeline, committed_title: str | None) -> str | None:
    title = committed_title
    for state in timeline.states(plain):
        if state is not None and state.title:
            title = state.title
    return title


def _deleted_record(plain: str, timeline: Timeline, committed_title: str | None,
                    current: set[str]) -> CodeRecord:
    name = dotted(plain)
    title = _last_title(plain, timeline, committed_title)
    history = timeline.history(plain)
    attributes = {"Status in the April 2026 tabular": "absent (deleted code)"}
    states = timeline.states(plain)
    last = max((i for i, s in enumerate(states) if s is not None), default=None)
    if last is not None:
        attributes["Last listed in"] = timeline.snapshots[last].label
    return CodeRecord(
        system=SYSTEM,
        code=name,
        title=title or TITLE_NOT_AVAILABLE,
        descriptors={"long": title} if title else {},
        attributes=attributes,
        kind="category" if len(plain) == 3 else "code",
        parent=nearest_ancestor(name, current),
        children=[],
        billable=False,
        history=history,
        source=Source(path=DELETED_SOURCE_PATH),
        version=TABULAR_VERSION,
    )


def _new_record(plain: str, histories: _Histories, current: set[str]) -> CodeRecord:
    """A code a loaded release adds: titled and sourced as its newest release lists it."""
    timeline = histories.timeline
    name = dotted(plain)
    release = next((r for r in reversed(histories.newer) if plain in r.codes), None)
    state = release.codes[plain] if release else timeline.states(plain)[-1]
    # Only codes the newest snapshot lists are new records.
    assert state is not None, plain
    source = release.snapshot.source if release else timeline.newest.source
    title = state.title or _last_title(plain, timeline, None) or TITLE_NOT_AVAILABLE
    notes = [Note(NoteKind(kind), text, dotted(stated_at)) for kind, text, stated_at in
             (release.notes.get(plain, []) if release else [])]
    return CodeRecord(
        system=SYSTEM,
        code=name,
        title=title,
        descriptors={"long": title},
        attributes={"Listed in": f"{state.cite or source}"},
        notes=notes,
        kind="category" if len(plain) == 3 else "code",
        parent=nearest_ancestor(name, current),
        children=histories.added_children(name),
        billable=state.billable,
        history=timeline.history(plain),
        source=Source(path=source),
        version=release.snapshot.label if release else TABULAR_VERSION,
    )
