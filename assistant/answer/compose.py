"""The grounded answer composer: every fact cited, every code with its status on the DOS.

No language model: sentences are built from the records the retrieval found. Nothing that is
not in the corpus is ever named as a code.
"""

from __future__ import annotations

from assistant.answer import reasons
from assistant.answer.citations import AnswerBuilder
from assistant.answer.fee_schedule import (fee_schedule_sentences, missing_field_reason,
                                           with_fee_schedule)
from assistant.answer.modifiers import answer_modifiers, modifiers_asked
from assistant.answer.search import find_codes_for
from assistant.answer.source import AnswerSource
from assistant.records import Answer, CodeRecord, NoteKind, Status
from assistant.retrieval.analysis import Question, QuestionKind

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
# Codes under a heading that a describe answer names; `lookup` lists them all.
CHILDREN_SHOWN = 12
_SECTION_LABELS = {"indications": "Indications", "procedure": "Procedure",
                   "post_procedure": "Post-procedure", "description": "Description"}


def compose_answer(question: Question, retriever: AnswerSource) -> Answer:
    builder = AnswerBuilder(question, lookup=retriever.exact, releases=retriever.releases)
    modifiers = modifiers_asked(question)
    if modifiers:
        return answer_modifiers(modifiers, question, retriever, builder)
    if question.kind == QuestionKind.FIND:
        find_codes_for(question, retriever, builder)
        return builder.build()
    records, unknown = _resolve(question, retriever)
    if unknown:
        builder.say(f"I don't have {', '.join(unknown)} in the corpus, so I can't say anything "
                    f"about {'it' if len(unknown) == 1 else 'them'}.")
    if not records:
        builder.holdings(retriever.holdings)
        return builder.build(grounded=False)
    for own in records:
        fee = retriever.fee_schedule(own.key)
        record = with_fee_schedule(own, fee)
        if question.kind == QuestionKind.FIELD:
            _field_answer(record, question, builder)
        elif question.kind == QuestionKind.STATUS:
            _status_answer(record, question, builder)
        else:
            _describe_answer(record, question, builder)
        fee_schedule_sentences(own, fee, question, builder)
    return builder.build()


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


def _field_answer(record: CodeRecord, question: Question, builder: AnswerBuilder) -> None:
    builder.add_code(record, reasons.named_code(question.from_context))
    for name in question.fields:
        if name in record.attributes:
            n = builder.cite_field(record, name)
            label = _FIELD_LABELS.get(name, name)
            builder.say(f"{label} for {record.code}: {record.attributes[name]} [{n}].")
        elif name in NOTE_LABELS or name == "notes":
            _notes_sentence(record, name, builder)
        elif name in _SECTION_LABELS:
            _section_sentence(record, name, builder)
        elif name == "history":
            _history_sentence(record, builder)
        else:
            n = builder.cite_title(record)
            builder.say(f"The corpus has no {name} for {record.system} {record.code} [{n}] "
                        f"({_why_missing(record)}).")
    builder.status_sentence(record, only_if_not_active=True)
    builder.disagreement(record)


def _why_missing(record: CodeRecord) -> str:
    reason = missing_field_reason(record)
    if reason:
        return reason
    if record.system == "ICD-10-CM":
        return "ICD-10-CM records carry no fee-schedule fields"
    return "its page has no such field"


def _notes_sentence(record: CodeRecord, kind: str, builder: AnswerBuilder) -> None:
    """`kind`: a note kind asked about, or "notes" for all of them."""
    kinds = list(NOTE_LABELS) if kind == "notes" else [NoteKind(kind)]
    said = False
    for note_kind in kinds:
        notes = [n for n in record.notes if n.kind == note_kind]
        if not notes:
            continue
        said = True
        parts = []
        for note in notes:
            n = builder.cite_note(record, note)
            where = "" if note.stated_at == record.code else \
                f" (stated at {note.stated_at}, applies to {record.code})"
            parts.append(f"{note.text}{where} [{n}]")
        builder.say(f"{NOTE_LABELS[note_kind]} for {record.code}: " + "; ".join(parts) + ".")
    if not said:
        label = "notes" if kind == "notes" else NOTE_LABELS[NoteKind(kind)].lower()
        n = builder.cite_title(record)
        builder.say(f"The corpus has no {label} for {record.system} {record.code} [{n}], "
                    f"stated at it or at a heading above it.")


def _section_sentence(record: CodeRecord, name: str, builder: AnswerBuilder) -> None:
    sections = [s for s in record.sections if s.name == name]
    if not sections:
        builder.say(f"The corpus has no {_SECTION_LABELS[name].lower()} text for "
                    f"{record.system} {record.code}.")
        return
    for section in sections:
        n = builder.cite_section(record, section)
        builder.say(f"{_SECTION_LABELS[name]} ({record.code}): {section.text} [{n}]")


def _history_sentence(record: CodeRecord, builder: AnswerBuilder) -> None:
    if not record.history:
        builder.say(f"The corpus holds no dated history for {record.system} {record.code}.")
        return
    parts = []
    for event in record.history:
        n = builder.cite_event(record, event)
        when = event.date.isoformat() if event.earliest is None else \
            f"{event.earliest.isoformat()} to {event.date.isoformat()}"
        parts.append(f"{when} {event.action} ({event.note}) [{n}]")
    builder.say(f"History of {record.code}: " + "; ".join(parts) + ".")

