"""Why each code is in an answer: short plain phrases for the JSON's `reasons` and `--explain`.

A code is in an answer because the question named it, because a named code's history points
to it, or because ranking found it; the last says how (the words that matched, the reading
used, the heading it was chosen under, and every term of its score by name).
"""

from __future__ import annotations

from assistant.corpus.alphabetic_index import source_of
from assistant.ranking.rank import Candidate
from assistant.retrieval.readings import WHEN_SOURCE, Replacement

EXACT_CODE = "exact code named"
FROM_CONVERSATION = "the code the conversation was about (a follow-up)"


def named_code(from_conversation: bool) -> list[str]:
    return [FROM_CONVERSATION if from_conversation else EXACT_CODE]


def replacement_of(code: str) -> list[str]:
    return [f"replacement of {code} (its history names it)"]


def open_detail(heading_code: str, chosen_code: str) -> list[str]:
    return [f"another code under {heading_code}: the detail the question leaves open decides "
            f"between it and {chosen_code}"]


def codes_beside(heading_code: str, heading_title: str, options: str) -> str:
    return (f"the question matches {heading_code} ({heading_title}) without the detail that "
            f"picks one of its codes; if the record says more, the code changes: {options}")


def ranked(candidate: Candidate, place: int) -> list[str]:
    """The candidate's role, what it was found by, and its score term by term."""
    reasons = ["best match" if place == 1 else f"candidate {place}"]
    if candidate.reading is not None:
        reasons += [f"read {read_as(r)}" for r in candidate.reading.replacements]
    reasons += [f"'{said}' set aside: it says when, how often or how much, no part of the "
                f"condition ({WHEN_SOURCE})" for said in candidate.when]
    words = candidate.words
    if words.found:
        found = ", ".join(dict.fromkeys(words.found))
        reasons.append(f"words matched: {found} ({len(words.found)} of {len(words.asked)})")
    elif words.asked:
        reasons.append("no word of the question in its text: found by meaning alone")
    if candidate.heading is not None:
        heading = candidate.heading.heading
        if candidate.heading.by_default:
            reasons.append(f"heading default: {heading.code} ({heading.title}) matched without "
                           f"the detail that picks a code, so the least specific code that fits")
            if candidate.heading.default_term is not None:
                reasons.append(f"the tabular lists '{candidate.heading.default_term}' here: "
                               f"its own code for the condition with that detail unsaid")
        else:
            reasons.append(f"chosen under heading {heading.code}: it matches the question "
                           f"better than the heading")
    if candidate.index is not None:
        term = candidate.index.term
        leads = "" if term.code.rstrip("-").rstrip(".") == candidate.record.code else \
            f", which leads today to {candidate.record.code}"
        reasons.append(f"{term.citation} ({source_of(term.via)}){leads}")
        if candidate.index.seen_from:
            reasons.append(f"reached by the Index's cross-reference: {candidate.index.seen_from}")
        if candidate.index.site:
            reasons.append(f"'{candidate.index.site}' left to no code: no title in "
                           f"{candidate.record.code.split('.')[0]} names a body part (WordNet's "
                           f"words for them)")
        if candidate.index.place:
            reasons.append(f"'{candidate.index.place}' read as where it happened, a place of "
                           f"occurrence coded apart")
        if candidate.index.cause:
            reasons.append(f"'{candidate.index.cause}' read as how it happened, an external "
                           f"cause coded apart")
    if candidate.nos_term is not None:
        reasons.append(f"inclusion term '{candidate.nos_term}': where the condition with no "
                       f"further detail goes")
    reasons.append(score_phrase(candidate))
    return reasons


def read_as(replacement: Replacement) -> str:
    """"'pink eye' as 'conjunctivitis' (WordNet 3.0)"; words read as nothing ("grandpa is")
    as no part of the condition."""
    if not replacement.read_as:
        return f"'{replacement.said}' as no part of the condition ({replacement.source})"
    return f"'{replacement.said}' as '{replacement.read_as}' ({replacement.source})"


def score_phrase(candidate: Candidate) -> str:
    """'score 1.061 = similarity 0.711 + words matched 0.200 - title words not asked 0.030'."""
    first, *rest = candidate.terms
    parts = [f"{first.name} {first.value:.3f}"]
    parts += [f"{'+' if t.value >= 0 else '-'} {t.name} {abs(t.value):.3f}" for t in rest]
    return f"score {candidate.score:.3f} = " + " ".join(parts)
