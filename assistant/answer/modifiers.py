"""'What does modifier LT mean?': the modifier's record from the loaded HCPCS releases, its
status on the date of service, or why the corpus cannot say."""

from __future__ import annotations

from assistant.answer.citations import AnswerBuilder
from assistant.answer.source import AnswerSource
from assistant.corpus.hcpcs import MODIFIER_KIND
from assistant.corpus.mpfs import FIELD_NAMES
from assistant.records import Answer
from assistant.retrieval.analysis import Question
from assistant.retrieval.hcpcs_questions import modifiers_named

NAMED = "modifier named"
# The fee schedule fields that name a modifier in their own name ("Bilateral Surgery (50)").
_FIELDS_NAMING = {modifier: label for label in FIELD_NAMES.values()
                  for modifier in label.partition("(")[2].rstrip(")").split(", ") if modifier}


def modifiers_asked(question: Question) -> list[str]:
    """The modifiers a question asks about itself: named, with no code beside them (a question
    that names a code asks about that code: "can modifier 50 be used with 27447?")."""
    if question.codes:
        return []
    return modifiers_named(question.text)


def answer_modifiers(modifiers: list[str], question: Question, source: AnswerSource,
                     builder: AnswerBuilder) -> Answer:
    missing = []
    for modifier in modifiers:
        records = [r for r in source.exact(modifier) if r.kind == MODIFIER_KIND]
        if not records:
            missing.append(modifier)
        for record in records:
            builder.add_code(record, [NAMED])
            n = builder.cite_title(record)
            builder.say(f"Modifier {record.code} ({record.system} Level II): {record.title} "
                        f"[{n}].")
            builder.status_sentence(record)
    if missing:
        _missing(missing, builder, source)
    return builder.build(grounded=len(missing) < len(modifiers))


def _missing(missing: list[str], builder: AnswerBuilder, source: AnswerSource) -> None:
    names = ", ".join(missing)
    builder.say(f"I don't have modifier {names} in the corpus: no loaded HCPCS release lists "
                f"{'it' if len(missing) == 1 else 'them'} (the releases list the Level II "
                f"modifiers; CPT's own two-digit modifiers are the AMA's).")
    fields = [f"'{_FIELDS_NAMING[m]}'" for m in missing if m in _FIELDS_NAMING]
    if fields:
        builder.say(f"Whether a code allows it is a field of that code: ask for its "
                    f"{', '.join(dict.fromkeys(fields))}.")
    builder.holdings(source.holdings)
