"""The physician fee schedule's record of a code, merged into the answer about that code.

The fee schedule is a second record source: for a code a page or an HCPCS release describes
(CPT 77418 and its page), the relative value file's row is kept apart from that record and
merged here, at answer time, never stored over it. The merged view adds the fields the code's
own record lacks, each citing the file and line it came from, and the file's dated events (a
deletion the page does not record). A field both give alike is said once; where they differ,
the answer says both, each cited. Status answers say the file's status code with the file's
date; status codes I and G (not valid for Medicare) add a warning. A code only the fee schedule
describes is answered from the file's fields, saying no clinical text is loaded.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.citations import AnswerBuilder
from assistant.corpus import hcpcs, mpfs
from assistant.records import CodeRecord
from assistant.retrieval.analysis import Question, QuestionKind

# Fields a describe answer of a code only the fee schedule describes names, in this order.
_DESCRIBED = [label for name, label in mpfs.FIELD_NAMES.items() if name != "description"]


def only_fee_schedule(record: CodeRecord) -> bool:
    """A record the physician fee schedule made: no page or release describes the code."""
    return record.source.path == mpfs.SOURCE_PATH


def with_fee_schedule(record: CodeRecord, fee: CodeRecord | None) -> CodeRecord:
    """The record with the fee schedule's fields it lacks (each citing its own file and line)
    and the file's dated events it does not already hold."""
    if fee is None or only_fee_schedule(record):
        return record
    attributes = dict(record.attributes)
    sources = dict(record.field_sources)
    for name, value in fee.attributes.items():
        if name not in attributes:
            attributes[name] = value
            sources[name] = fee.field_sources.get(name, fee.source.path)
    held = {(event.date, event.action) for event in record.history}
    history = record.history + [e for e in fee.history if (e.date, e.action) not in held]
    return replace(record, attributes=attributes, field_sources=sources,
                   history=sorted(history, key=lambda e: e.date))


def fee_schedule_sentences(record: CodeRecord, fee: CodeRecord | None, question: Question,
                           builder: AnswerBuilder) -> None:
    """What the fee schedule adds to an answer about `record` (its own, unmerged record)."""
    if fee is None:
        return
    if question.kind == QuestionKind.FIELD:
        if not only_fee_schedule(record):
            _differences(record, fee, question, builder)
        return
    _status_code(fee, builder)
    if question.kind == QuestionKind.DESCRIBE and only_fee_schedule(record):
        _no_clinical_text(fee, builder)


def missing_field_reason(record: CodeRecord) -> str | None:
    """Why a record lacks a field, for the records this module and the HCPCS loader make."""
    if record.source.path == hcpcs.SOURCE_PATH:
        return ("the HCPCS release does not give it, and no physician fee schedule file "
                "loaded lists the code")
    if only_fee_schedule(record):
        return "the physician fee schedule file does not give it"
    return None


def _differences(record: CodeRecord, fee: CodeRecord, question: Question,
                 builder: AnswerBuilder) -> None:
    for name in question.fields:
        own, theirs = record.attributes.get(name), fee.attributes.get(name)
        if own is None or theirs is None or own == theirs:
            continue
        n = builder.cite_field(fee, name)
        builder.say(f"The {fee.version} file gives {name} for {record.code} otherwise: "
                    f"{theirs} [{n}].")


def _status_code(fee: CodeRecord, builder: AnswerBuilder) -> None:
    status = fee.attributes.get(mpfs.STATUS_CODE)
    if not status:
        return
    n = builder.cite_field(fee, mpfs.STATUS_CODE)
    where = fee.field_sources.get(mpfs.STATUS_CODE, fee.source.path)
    builder.say(f"In the {fee.version} ({where}), {fee.code} has status code {status} [{n}].")
    if status[:1] in mpfs.NOT_VALID_FOR_MEDICARE:
        builder.warn(f"{fee.code}: not valid for Medicare in the {fee.version} (status code "
                     f"{status}; {where}).")


def _no_clinical_text(fee: CodeRecord, builder: AnswerBuilder) -> None:
    parts = []
    for name in _DESCRIBED:
        if name in fee.attributes and name != mpfs.STATUS_CODE:
            parts.append(f"{name}: {fee.attributes[name]} [{builder.cite_field(fee, name)}]")
    modifiers = [name for name in fee.attributes if name.startswith("With modifier")]
    for name in modifiers:
        parts.append(f"{name}: {fee.attributes[name]} [{builder.cite_field(fee, name)}]")
    builder.say(f"No clinical text is loaded for {fee.code}: no code page describes it. The "
                f"{fee.version} file gives its fields: " + "; ".join(parts) + ".")
