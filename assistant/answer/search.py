"""'Which code for X?': the sentences about the codes ranking found, or why none was."""

from __future__ import annotations

from assistant.answer import reasons
from assistant.answer.citations import AnswerBuilder
from assistant.answer.source import AnswerSource
from assistant.corpus.alphabetic_index import is_drug_table_row, is_neoplasm_table_row, table_file
from assistant.ranking.fit import encounter_read
from assistant.ranking.index_entries import (EXTERNAL_CAUSE_RANGE, PLACE_CATEGORY, kind_said,
                                             procedure_note)
from assistant.ranking.rank import INDEX_SECTION, Candidate, is_answer, rank_codes
from assistant.records import CodeRecord, Status
from assistant.retrieval.analysis import Question
from assistant.retrieval.readings import Reading
from assistant.status import status_words

# Codes a search answer names: the best match and the other candidates.
SHOWN = 5
# Codes beside the chosen one that an open detail names (in the chosen code's reasons).
OPEN_DETAIL_OPTIONS = 6
# Alternatives the answer's text names: candidates one detail apart from the best match.
ALTERNATIVES_SHOWN = 3


def find_codes_for(question: Question, retriever: AnswerSource,
                   builder: AnswerBuilder) -> str | None:
    """The answer's sentences and codes; returns the best match's code (None: none found)."""
    held = {system for system, _, _ in retriever.holdings}
    if question.system and question.system not in held:
        builder.say(f"I don't have any {question.system} codes that answer this.")
        builder.holdings(retriever.holdings)
        return None
    ranked = rank_codes(question, retriever)
    if not ranked or not is_answer(ranked[0], retriever.abstention):
        builder.say("I couldn't find a code in the corpus that matches this description.")
        builder.holdings(retriever.holdings)
        return None
    best = ranked[0].record
    builder.add_code(best, reasons.ranked(ranked[0], 1))
    n = builder.cite_title(best)
    builder.say(f"{best.system} {best.code}: {best.title} [{n}].")
    _say_reading(ranked[0].reading, builder)
    _say_encounter(question.text, best, builder)
    _say_index_entry(ranked[0], builder)
    _say_place(ranked[0], builder)
    builder.status_sentence(best, only_if_not_active=True)
    alternatives: list[str] = []
    for place, candidate in enumerate(ranked[1:SHOWN], start=2):
        record = candidate.record
        status = builder.add_code(record, reasons.ranked(candidate, place))
        if _one_detail_apart(best, record) and len(alternatives) < ALTERNATIVES_SHOWN:
            m = builder.cite_title(record)
            flag = "" if status.status == Status.ACTIVE else f", {status_words(status.status)}"
            alternatives.append(f"{record.code} ({record.title}{flag}) [{m}]")
    if alternatives:
        builder.say("If the record states that detail otherwise: " + "; ".join(alternatives)
                    + ".")
    if ranked[0].heading is not None:
        _open_detail(ranked[0].heading.heading, best, retriever, builder)
    return best.code


def _one_detail_apart(best: CodeRecord, other: CodeRecord) -> bool:
    """Codes under one heading differ in the detail that heading's codes split on."""
    return other.system == best.system and other.parent is not None \
        and other.parent == best.parent


def _open_detail(heading: CodeRecord, chosen: CodeRecord, retriever: AnswerSource,
                 builder: AnswerBuilder) -> None:
    """Say briefly that the question leaves a detail open; the codes beside the one chosen
    go to its reasons (the JSON's `reasons`, `--explain`, the web page's disclosure)."""
    parent = retriever.record(f"{chosen.system}:{chosen.parent}") if chosen.parent else None
    if parent is None:
        return
    siblings = [c for c in parent.children if c != chosen.code][:OPEN_DETAIL_OPTIONS]
    records = [r for code in siblings for r in retriever.exact(code, chosen.system)]
    if not records:
        return
    for record in records:
        builder.add_code(record, reasons.open_detail(parent.code, chosen.code), stated=False)
    options = "; ".join(f"{r.code} {r.title}" for r in records)
    builder.add_code(chosen, [reasons.codes_beside(heading.code, heading.title, options)])
    n = builder.cite_title(heading)
    builder.say(f"The question matches {heading.code} ({heading.title}) [{n}] without the "
                f"detail that picks one of its codes, so {chosen.code}, the least specific "
                f"that fits, is shown; the codes beside it are in its reasons.")


def _say_index_entry(best: Candidate, builder: AnswerBuilder) -> None:
    """Where the best match came from the Alphabetic Index: the entry, cited."""
    if best.index is None:
        return
    term = best.index.term
    n = builder.cite(best.record, INDEX_SECTION, None, term.citation, source=table_file(term.via))
    if is_drug_table_row(term.via):
        builder.say(f"The ICD-10-CM Table of Drugs and Chemicals gives '{best.asked.text}' in "
                    f"its row and column: {term.via} [{n}].")
        return
    if is_neoplasm_table_row(term.via):
        builder.say(f"The ICD-10-CM Neoplasm Table gives '{best.asked.text}' at its site, in "
                    f"the column of its behaviour: {term.via} [{n}].")
        return
    see = f" ({term.via})" if term.via else ""
    if best.index.site:
        builder.say(f"The ICD-10-CM Alphabetic Index lists {term.entry}{see} [{n}]; no title "
                    f"in {best.record.code.split('.')[0]} names a body part (WordNet's words for "
                    f"them), so '{best.index.site}' is left to no code.")
        return
    if best.index.to_procedure:
        kind = kind_said(best.asked.text, best.index)
        builder.say(f"The ICD-10-CM Alphabetic Index lists {term.entry}{see} [{n}]; "
                    f"{best.record.code}'s note leaves the kind ('{kind}') to a procedure "
                    f"code: \"{procedure_note(best.record)}\".")
        return
    if best.index.unnamed:
        builder.say(f"The ICD-10-CM Alphabetic Index lists {term.entry}{see} [{n}], and "
                    f"{best.record.code}'s own text in the tabular names the rest of "
                    f"'{best.asked.text}'.")
        return
    if best.index.seen_from:
        builder.say(f"The ICD-10-CM Alphabetic Index lists {best.index.seen_from}, and under "
                    f"that {term.entry}{see} [{n}].")
        return
    builder.say(f"The ICD-10-CM Alphabetic Index lists '{best.asked.text}' under "
                f"{term.entry}{see} [{n}].")


def _say_encounter(question: str, best: CodeRecord, builder: AnswerBuilder) -> None:
    """Where the question names the code's encounter in its own words ("follow-up visit")."""
    read = encounter_read(question, best.title)
    if read is not None:
        builder.say(f"I read '{read[0]}' as a {read[1]} (the code's 7th character), as the "
                    f"ICD-10-CM guidelines define that encounter.")


def _say_place(best: Candidate, builder: AnswerBuilder) -> None:
    """Where the entry was found with the place, or the way it happened, the question names
    left out."""
    if best.index is not None and best.index.place:
        builder.say(f"I read '{best.index.place}' as where it happened: ICD-10-CM codes the "
                    f"place of occurrence apart ({PLACE_CATEGORY}), so the Index entry need "
                    f"not name it.")
    if best.index is not None and best.index.cause:
        builder.say(f"I read '{best.index.cause}' as how it happened: ICD-10-CM codes the "
                    f"external cause apart ({EXTERNAL_CAUSE_RANGE}), so the Index entry need "
                    f"not name it.")


def _say_reading(reading: Reading | None, builder: AnswerBuilder) -> None:
    if reading is None or not reading.replacements:
        return
    read = "; ".join(reasons.read_as(r) for r in reading.replacements)
    builder.say(f"I read {read}: the code set's words for what was asked.")
