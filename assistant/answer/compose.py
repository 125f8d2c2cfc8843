"""The grounded answer composer: every fact cited, every code with its status on the DOS.

No language model: sentences are built from the records the retrieval found. Nothing that is
not in the corpus is ever named as a code.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.answer import reasons
from assistant.answer.citations import AnswerBuilder
from assistant.answer.fee_schedule import (fee_schedule_sentences, missing_field_reason,
                                           with_fee_schedule)
from assistant.answer.modifiers import answer_modifiers, modifiers_asked
from assistant.answer.search import find_codes_for
from assistant.answer.source import AnswerSource
from assistant.answer.together import heading_words, together_sentences
from assistant.records import Answer, CodeRecord, HistoryEvent, Note, NoteKind, Status
from assistant.retrieval.analysis import DateSource, Question, QuestionKind

_FIELD_LABELS = {
    "Global Days": "Global days",
    "PC/TC Indicator (26, TC)": "PC/TC indicator (modifiers 26, TC)",
    "Multiple Procedures (51)": "Multiple procedures (modifier 51)",
    "Bilateral Surgery (50)": "Bilateral surgery (modifier 50)",
    "Assistant Surgeon (80, 82)": "Assistant surgeon (modifiers 80, 82)",
    "Co-Surgeons (62)": "Co-surgeons (modifier 62)",
    "Team Surgery (66)": "Team surgery (modifier 66)",
}
NOTE_LABELS = {
    NoteKind.INCLUSION_TERM: "Inclusion terms",
    NoteKind.INCLUDES: "Includes notes",
    NoteKind.EXCLUDES1: "Excludes1 notes",
    NoteKind.EXCLUDES2: "Excludes2 notes",
    NoteKind.CODE_FIRST: "Code first notes",
    NoteKind.USE_ADDITIONAL_CODE: "Use additional code notes",
    NoteKind.CODE_ALSO: "Code also notes",
    NoteKind.SEVEN_CHR_DEF: "7th character values",
    NoteKind.SEVEN_CHR_NOTE: "7th character notes",
}
# Questions that ask for several kinds of note at once.
NOTE_GROUPS = {
    "notes": list(NOTE_LABELS),
    "paired_codes": [NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL_CODE, NoteKind.CODE_ALSO],
    # Two codes asked about together, when only one of them is held: its notes of those kinds.
    "together": [NoteKind.EXCLUDES1, NoteKind.CODE_FIRST, NoteKind.USE_ADDITIONAL_CODE,
                 NoteKind.CODE_ALSO, NoteKind.EXCLUDES2],
}
GROUP_LABELS = {"notes": "notes",
                "paired_codes": "code first, use additional code or code also notes",
                "together": "excludes, code first, use additional code or code also notes"}
# Headings above a code (subcategories, category, block) walked up to find its chapter.
MAX_HEADING_LEVELS = 8
# Codes under a heading that a describe answer names; `lookup` lists them all.
CHILDREN_SHOWN = 12
_SECTION_LABELS = {"indications": "Indications", "procedure": "Procedure",
                   "post_procedure": "Post-procedure", "description": "Description"}


def compose_answer(question: Question, retriever: AnswerSource) -> Answer:
    builder = AnswerBuilder(question, lookup=retriever.exact, releases=retriever.releases)
    modifiers = modifiers_asked(question)
    if modifiers:
        return answer_modifiers(modifiers, question, retriever, builder)
    if question.dos_from == DateSource.CONVERSATION:
        builder.say(f"Date of service {question.dos.isoformat()}, as earlier in this "
                    f"conversation.")
    if question.kind == QuestionKind.FIND:
        best = find_codes_for(question, retriever, builder)
        return builder.build(about=[best] if best else [])
    records, unknown = _resolve(question, retriever)
    if unknown:
        builder.say(f"I don't have {', '.join(unknown)} in the corpus, so I can't say anything "
                    f"about {'it' if len(unknown) == 1 else 'them'}.")
    if not records:
        builder.holdings(retriever.holdings)
        return builder.build(grounded=False)
    together = _asks_if_together(question, records)
    if together:
        together_sentences({r.code: (r, r.notes + _chapter_notes(r, retriever))
                            for r in records if r.system == "ICD-10-CM"},
                           retriever.note_conventions, builder)
    shown: set[str] = set()
    for own in records:
        fee = retriever.fee_schedule(own.key)
        record = with_fee_schedule(own, fee)
        if together:
            _named_answer(record, question, builder)
        elif question.kind == QuestionKind.FIELD:
            _field_answer(record, question, builder, retriever)
        elif question.kind == QuestionKind.HISTORY:
            shown |= _history_answer(record, question, builder, shown)
            _field_sentences(record, question, builder, retriever)
        elif question.kind == QuestionKind.STATUS:
            _status_answer(record, question, builder)
        else:
            _describe_answer(record, question, builder)
        fee_schedule_sentences(own, fee, question, builder)
    return builder.build(about=[r.code for r in records])


def _asks_if_together(question: Question, records: list[CodeRecord]) -> bool:
    """Two or more ICD-10-CM codes asked about together ("can X and Y be billed together?")."""
    return (question.kind == QuestionKind.FIELD and "together" in question.fields
            and len({r.code for r in records if r.system == "ICD-10-CM"}) >= 2)


def _resolve(question: Question,
             retriever: AnswerSource) -> tuple[list[CodeRecord], list[str]]:
    """Records for the codes named; spellings that match no code in the corpus are unknown."""
    records: list[CodeRecord] = []
    unknown: list[str] = []
    for code in question.codes:
        found = retriever.exact(code, question.system) or retriever.exact(code)
        if found:
            records.extend(r for r in found if r.key not in {x.key for x in records})
        elif not _shadowed(code, question.codes, retriever):
            unknown.append(code)
    return records, unknown


def _shadowed(code: str, codes: list[str], retriever: AnswerSource) -> bool:
    """G0123 reads as both HCPCS G0123 and ICD-10-CM G01.23: one reading found is enough."""
    plain = code.replace(".", "")
    return any(other != code and other.replace(".", "") == plain and retriever.exact(other)
               for other in codes)


def _status_answer(record: CodeRecord, question: Question, builder: AnswerBuilder) -> None:
    builder.add_code(record, reasons.named_code(question.from_context))
    builder.status_sentence(record)
    builder.disagreement(record)


def _describe_answer(record: CodeRecord, question: Question, builder: AnswerBuilder) -> None:
    status = builder.add_code(record, reasons.named_code(question.from_context))
    n = builder.cite_title(record)
    kind = "" if record.kind == "code" else f" ({record.kind})"
    builder.say(f"{record.system} {record.code}{kind}: {record.title} [{n}].")
    if status.status != Status.ACTIVE:
        _children_sentence(record, builder)
    builder.status_sentence(record)
    builder.disagreement(record)


def _children_sentence(record: CodeRecord, builder: AnswerBuilder) -> None:
    children = record.children[:CHILDREN_SHOWN]
    if not children:
        return
    more = (f" and {len(record.children) - len(children)} more"
            if len(record.children) > CHILDREN_SHOWN else "")
    builder.say(f"It is a heading, not reported itself; the codes under it: "
                f"{', '.join(children)}{more} (see `lookup {record.code}`).")


def _field_answer(record: CodeRecord, question: Question, builder: AnswerBuilder,
                  retriever: AnswerSource) -> None:
    builder.add_code(record, reasons.named_code(question.from_context))
    _field_sentences(record, question, builder, retriever)
    builder.status_sentence(record, only_if_not_active=True)
    builder.disagreement(record)


def _named_answer(record: CodeRecord, question: Question, builder: AnswerBuilder) -> None:
    """A code the answer spoke of already (two codes asked about together): its status."""
    builder.add_code(record, reasons.named_code(question.from_context))
    builder.status_sentence(record, only_if_not_active=True)
    builder.disagreement(record)


def _field_sentences(record: CodeRecord, question: Question, builder: AnswerBuilder,
                     retriever: AnswerSource) -> None:
    for name in question.fields:
        if name == "together" and len(question.fields) > 1:
            continue  # the excludes notes it was asked with say it
        if name in record.attributes:
            n = builder.cite_field(record, name)
            label = _FIELD_LABELS.get(name, name)
            builder.say(f"{label} for {record.code}: {record.attributes[name]} [{n}].")
        elif name in NOTE_LABELS or name in NOTE_GROUPS:
            _notes_sentence(record, name, builder, _chapter_notes(record, retriever))
        elif name in _SECTION_LABELS:
            _section_sentence(record, name, builder)
        else:
            n = builder.cite_title(record)
            builder.say(f"The corpus has no {name} for {record.system} {record.code} [{n}] "
                        f"({_why_missing(record)}).")


def _why_missing(record: CodeRecord) -> str:
    reason = missing_field_reason(record)
    if reason:
        return reason
    if record.system == "ICD-10-CM":
        return "ICD-10-CM records carry no fee-schedule fields"
    return "its page has no such field"


def _notes_sentence(record: CodeRecord, kind: str, builder: AnswerBuilder,
                    chapter_notes: list[Note]) -> None:
    """`kind`: a note kind asked about, or a group of kinds (NOTE_GROUPS). The notes of the code and
    of every heading above it (subcategory, category, block, chapter), each said where it is
    stated."""
    kinds = NOTE_GROUPS[kind] if kind in NOTE_GROUPS else [NoteKind(kind)]
    notes = record.notes + chapter_notes
    said = False
    for note_kind in kinds:
        stating: dict[str, list[Note]] = {}
        for note in notes:
            if note.kind == note_kind:
                stating.setdefault(note.stated_at, []).append(note)
        for stated_at, stated in stating.items():
            said = True
            cited = "; ".join(f"{note.text} [{builder.cite_note(record, note)}]" for note in stated)
            where = "" if stated_at == record.code else \
                f", stated at {heading_words(stated_at)} and so applying to {record.code}"
            builder.say(f"{NOTE_LABELS[note_kind]} for {record.code}{where}: {cited}.")
    if not said:
        label = GROUP_LABELS[kind] if kind in NOTE_GROUPS else NOTE_LABELS[NoteKind(kind)].lower()
        n = builder.cite_title(record)
        builder.say(f"The corpus has no {label} for {record.system} {record.code} [{n}], "
                    f"stated at it or at any heading above it (category, block or chapter).")


def _chapter_notes(record: CodeRecord, retriever: AnswerSource) -> list[Note]:
    """The notes stated at the record's chapter: the chapter's record keeps them (the
    record's own notes hold those of its subcategory, category and block)."""
    key, seen = record.parent, 0
    while key and seen < MAX_HEADING_LEVELS:
        above = retriever.record(f"{record.system}:{key}")
        if above is None:
            return []
        if above.kind == "chapter":
            return [n for n in above.notes if n.stated_at == above.code]
        key, seen = above.parent, seen + 1
    return []


def _section_sentence(record: CodeRecord, name: str, builder: AnswerBuilder) -> None:
    sections = [s for s in record.sections if s.name == name]
    if not sections:
        builder.say(f"The corpus has no {_SECTION_LABELS[name].lower()} text for "
                    f"{record.system} {record.code}.")
        return
    for section in sections:
        n = builder.cite_section(record, section)
        builder.say(f"{_SECTION_LABELS[name]} ({record.code}): {section.text} [{n}]")


def _history_answer(record: CodeRecord, question: Question, builder: AnswerBuilder,
                    shown: set[str]) -> set[str]:
    """What happened to a code, from its dated history rows, each cited as the source writes
    it; only those within the period or on the day asked, when the question gives one. A code
    named as another's replacement in a row already shown is not told again. Returns the
    codes the rows shown name as replacements. Rows about a field asked for come first."""
    builder.add_code(record, reasons.named_code(question.from_context))
    if record.code in shown:
        return set()
    events = sorted(record.history, key=lambda e: (not _names_a_field(e, question.fields), e.date))
    if question.dos_from == DateSource.QUESTION:
        first, last = question.dos, question.dos_end or question.dos
        within = [e for e in events if (e.earliest or e.date) <= last and first <= e.date]
        period = _period_words(first, last)
        if not within and events:
            builder.say(f"The history of {record.code} records no change {period}.")
        events = within or events
    if not events:
        builder.say(f"The corpus holds no dated history for {record.system} {record.code}.")
        builder.status_sentence(record)
        return set()
    rows = []
    for event in events:
        n = builder.cite_event(record, event)
        # A change the loaded releases do not pin down took effect within a span of dates.
        when = event.date.isoformat() if event.earliest is None else \
            f"{event.earliest.isoformat()} to {event.date.isoformat()}"
        into = f" into {', '.join(event.replacements)}" if event.replacements else ""
        note = f": {event.note}" if event.note else ""
        rows.append(f"{when} {event.action}{into}{note} [{n}]")
    builder.say(f"History of {record.system} {record.code}: " + "; ".join(rows) + ".")
    builder.status_sentence(record)
    return {code for event in events for code in event.replacements}


def _names_a_field(event: HistoryEvent, fields: list[str]) -> bool:
    """Whether a row's words name a field: "Short description changed." names Short Descr
    (each word of the field's name begins a word of the row)."""
    words = re.findall(r"[a-z]+", f"{event.action} {event.note}".lower())
    named = [re.findall(r"[a-z]+", name.lower()) for name in fields]
    return any(parts and all(any(word.startswith(part) for word in words) for part in parts)
               for parts in named)


def _period_words(first: date, last: date) -> str:
    return f"on {first.isoformat()}" if first == last else \
        f"from {first.isoformat()} to {last.isoformat()}"
