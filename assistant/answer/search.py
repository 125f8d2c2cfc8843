"""'Which code for X?': the sentences about the codes ranking found, or why none was."""

from __future__ import annotations

from assistant.answer import reasons
from assistant.answer.citations import AnswerBuilder
from assistant.answer.source import AnswerSource
from assistant.ranking.rank import INDEX_SECTION, INDEX_TABLE, Candidate, is_answer, rank_codes
from assistant.records import CodeRecord, Status
from assistant.retrieval.analysis import Question
from assistant.retrieval.readings import Reading
from assistant.status import status_words

# Codes a search answer names: the best match and the other candidates.
SHOWN = 5
# Codes beside the chosen one that an open detail names.
OPEN_DETAIL_OPTIONS = 6


def find_codes_for(question: Question, retriever: AnswerSource, builder: AnswerBuilder) -> None:
    held = {system for system, _, _ in retriever.holdings}
    if question.system and question.system not in held:
        builder.say(f"I don't have any {question.system} codes that answer this.")
        builder.holdings(retriever.holdings)
        return
    ranked = rank_codes(question, retriever)
    if not ranked or not is_answer(ranked[0], retriever.abstention):
        builder.say("I couldn't find a code in the corpus that matches this description.")
        builder.holdings(retriever.holdings)
        return
    _say_reading(ranked[0].reading, builder)
    best = ranked[0].record
    builder.add_code(best, reasons.ranked(ranked[0], 1))
    _say_index_entry(question, ranked[0], builder)
    n = builder.cite_title(best)
    builder.say(f"Best match: {best.system} {best.code}: {best.title} [{n}].")
    builder.status_sentence(best, only_if_not_active=True)
    others = []
    for place, candidate in enumerate(ranked[1:SHOWN], start=2):
        record = candidate.record
        status = builder.add_code(record, reasons.ranked(candidate, place))
        m = builder.cite_title(record)
        flag = "" if status.status == Status.ACTIVE else f", {status_words(status.status)}"
        others.append(f"{record.code} ({record.title}{flag}) [{m}]")
    if others:
        builder.say("Other candidates: " + "; ".join(others) + ".")
    if ranked[0].heading is not None:
        _open_detail(ranked[0].heading.heading, best, retriever, builder)


def _open_detail(heading: CodeRecord, chosen: CodeRecord, retriever: AnswerSource,
                 builder: AnswerBuilder) -> None:
    """Say which detail the question leaves open: the codes beside the one chosen."""
    parent = retriever.record(f"{chosen.system}:{chosen.parent}") if chosen.parent else None
    if parent is None:
        return
    siblings = [c for c in parent.children if c != chosen.code][:OPEN_DETAIL_OPTIONS]
    records = [r for code in siblings for r in retriever.exact(code, chosen.system)]
    if not records:
        return
    for record in records:
        builder.add_code(record, reasons.open_detail(parent.code, chosen.code))
    n = builder.cite_title(heading)
    options = "; ".join(f"{r.code} {r.title}" for r in records)
    builder.say(f"The question matches the heading {heading.code} ({heading.title}) [{n}] "
                f"without the detail that picks one of its codes, so the least specific code that "
                f"fits is shown. If the record says more, the code changes: {options}.")


def _say_index_entry(question: Question, best: Candidate, builder: AnswerBuilder) -> None:
    """Where the best match came from the Alphabetic Index: the entry, cited."""
    if best.index is None:
        return
    term = best.index.term
    n = builder.cite(best.record, INDEX_SECTION, None, term.citation, source=INDEX_TABLE)
    see = f" ({term.via})" if term.via else ""
    builder.say(f"The ICD-10-CM Alphabetic Index lists '{best.asked.text}' under "
                f"{term.entry}{see} [{n}].")


def _say_reading(reading: Reading | None, builder: AnswerBuilder) -> None:
    if reading is None or not reading.replacements:
        return
    read = "; ".join(reasons.read_as(r) for r in reading.replacements)
    builder.say(f"I read {read}: the code set's words for what was asked.")
