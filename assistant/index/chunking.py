"""CodeRecord -> chunks: the pieces of text that search matches and answers cite."""

from __future__ import annotations

from collections.abc import Callable

from assistant.records import Chunk, CodeRecord, HistoryEvent, NoteKind, SharedVector

# make(section, text, field=None): a chunk of one record.
_Make = Callable[..., Chunk]

# Sections that say what a code is: the only ones searched, so the only ones embedded. The
# others (notes about other codes, history, record fields) are kept in SQLite and the
# lexical index, for lookups and citations.
SEARCH_SECTIONS = ["descriptor", "inclusion_term", "includes_term", "description", "indications",
                   "procedure", "post_procedure", "clinical_notes"]


def chunks_for(record: CodeRecord) -> list[Chunk]:
    make = _maker(record)
    chunks = [make("descriptor", _descriptor_text(record), shared=_shared_vector(record))]
    for section in record.sections:
        chunks.append(make(section.name, section.text))
    if record.attributes:
        lines = [f"{name}: {value}" for name, value in record.attributes.items()]
        chunks.append(make("record", f"{record.system} {record.code} record\n" + "\n".join(lines)))
        for name, value in record.attributes.items():
            chunks.append(make("record", f"{name}: {value}", field=name))
    if record.history:
        rows = [history_row(e) for e in record.history]
        chunks.append(make("history", "\n".join(rows)))
    chunks.extend(_note_chunks(record, make))
    return _unique(chunks)


def is_embedded(chunk: Chunk) -> bool:
    return chunk.section in SEARCH_SECTIONS


def history_row(event: HistoryEvent) -> str:
    """A history event as the page's own table row: 2015-01-01 | Deleted | Code deleted."""
    return f"{event.date.isoformat()} | {event.action.capitalize()} | {event.note}"


def _maker(record: CodeRecord) -> _Make:
    def make(section: str, text: str, field: str | None = None,
             shared: SharedVector | None = None) -> Chunk:
        return Chunk(text=text, system=record.system, code=record.code, section=section,
                     source=record.source.path, field=field, shared=shared)
    return make


def _shared_vector(record: CodeRecord) -> SharedVector | None:
    """Where a code's 7th character names a later encounter or a sequela, its title is its
    parent's and those words: "Torus fracture of lower end of right radius, subsequent
    encounter for fracture with routine healing" (S52.521D) is S52.521's title and the
    encounter's words.

    A third of ICD-10-CM's descriptors are such codes; their vectors are worked out from
    their parents' (`index/shared_vectors.py`) instead of embedded. An initial encounter
    keeps its own vector: questions name it most, and sharing it lost questions in the
    measures of bench/results/perf.md. Other 7th characters (the eye, the fetus, the stage)
    keep theirs.
    """
    code = record.code.replace(".", "")
    if len(code) != 7 or _descriptor_text(record) != record.title:
        return None
    for note in record.notes:
        if note.kind != NoteKind.SEVEN_CHR_DEF:
            continue
        char, _, meaning = note.text.partition(": ")
        suffix = f", {meaning}"
        later = meaning.startswith(("subsequent encounter", "sequela"))
        if char == code[-1] and later and record.title.endswith(suffix):
            return SharedVector(record.title[: -len(suffix)], meaning)
    return None


def _descriptor_text(record: CodeRecord) -> str:
    parts = [record.title]
    for name in ("short", "medium"):
        value = record.descriptors.get(name)
        if value and value != record.title:
            parts.append(value)
    return "\n".join(parts)


def _note_chunks(record: CodeRecord, make: _Make) -> list[Chunk]:
    """Inclusion terms one by one; other notes by kind, only where the record states them.

    Inherited copies are left out of the index: the ancestor's own chunk carries them, and
    repeating them under every subcode would let note text outrank the codes themselves.
    """
    chunks = []
    by_kind: dict[str, list[str]] = {}
    for note in record.notes:
        if note.stated_at != record.code:
            continue
        if note.kind == NoteKind.INCLUSION_TERM:
            chunks.append(make("inclusion_term", note.text))
        else:
            by_kind.setdefault(note.kind, []).append(note.text)
        if note.kind == NoteKind.INCLUDES:
            # "Includes: high blood pressure" at I10 names the condition as well as a term does.
            chunks.append(make("includes_term", note.text))
    for kind, texts in by_kind.items():
        chunks.append(make("notes", "\n".join(texts), field=kind))
    return chunks


def _unique(chunks: list[Chunk]) -> list[Chunk]:
    seen: dict[str, Chunk] = {}
    for chunk in chunks:
        seen.setdefault(chunk.id, chunk)
    return list(seen.values())
