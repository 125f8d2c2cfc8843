"""'Which code for X?': hybrid search, preference for codes reportable on the DOS, abstention."""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.answer.citations import AnswerBuilder
from assistant.answer.fit import (
    contradictions,
    default_preference,
    extra_words,
    names_any,
    nos_term_matches,
    unasked_details,
    unspecified_asked_and_stated,
)
from assistant.index.embeddings import HASH_NAME, MINILM_NAME
from assistant.records import ACTIVE, CodeRecord
from assistant.retrieval.analysis import Question, search_text
from assistant.retrieval.hybrid import CodeHit, word_coverage
from assistant.retrieval.readings import Reading, readings_of
from assistant.status import status_on

SHOWN = 5
MIN_WORD_COVERAGE = 0.6
# Per embedding model: (cosine alone enough, cosine enough when most words match). Below
# these the best match is not an answer (calibrated in bench/quality.py for MiniLM).
THRESHOLDS = {MINILM_NAME: (0.55, 0.40), HASH_NAME: (0.6, 0.2)}
# The rerank: dense similarity first, then word support, rank fusion, and penalties.
WORD_WEIGHT = 0.2
FUSION_WEIGHT = 0.3
CONTRADICTION_PENALTY = 0.3
UNASKED_DETAIL_PENALTY = 0.05
NOT_REPORTABLE_PENALTY = 0.15
# A code found only by reading the asker's words as synonyms ranks a little below one the
# words themselves find equally well.
READING_PENALTY = 0.03
# A code that names neither the asker's word for the condition nor the code sets' word for
# it ("pink eye", "conjunctivitis") is not about that condition, however close it reads.
UNNAMED_CONDITION_PENALTY = 0.2
# An inclusion term "X NOS" is the code set saying where X with no further detail goes: a
# question that names X and nothing more gets that code ("Influenza NOS" -> J11.1).
NOS_BONUS = 0.25
UNSPECIFIED_BONUS = 0.1
# Per word of a title that the question does not hold, beyond the fewest among candidates:
# with no detail asked, the code that adds none (often "..., unspecified") comes first.
EXTRA_WORD_PENALTY = 0.03


@dataclass
class Candidate:
    score: float
    hit: CodeHit
    record: CodeRecord
    heading: CodeRecord | None = None  # the heading it was chosen under, when it matched
    reading: Reading | None = None     # the reading of the question that found it
    asked: Question | None = None      # the question as that reading puts it

    @property
    def text(self) -> str:
        """The code's title and every chunk of it the search found."""
        return " ".join([self.record.title] + [h.chunk.text for h in self.hit.chunks])


def find_codes_for(question: Question, retriever, builder: AnswerBuilder) -> None:
    held = {system for system, _, _ in retriever.holdings}
    if question.system and question.system not in held:
        builder.say(f"I don't have any {question.system} codes that answer this.")
        builder.holdings(retriever.holdings)
        return
    ranked = _ranked(question, retriever)
    thresholds = THRESHOLDS[retriever.store.embeddings.model_name]
    if not ranked or not _supported(ranked[0], thresholds, retriever.synonyms.kin):
        builder.say("I couldn't find a code in the corpus that matches this description.")
        builder.holdings(retriever.holdings)
        return
    _say_reading(ranked[0].reading, builder)
    best = ranked[0].record
    builder.add_code(best)
    n = builder.cite_title(best)
    builder.say(f"Best match: {best.system} {best.code}: {best.title} [{n}].")
    builder.status_sentence(best, only_if_not_active=True)
    others = []
    for candidate in ranked[1:SHOWN]:
        record = candidate.record
        status = builder.add_code(record)
        m = builder.cite_title(record)
        flag = "" if status.status == ACTIVE else f", {status.status.replace('_', ' ')}"
        others.append(f"{record.code} ({record.title}{flag}) [{m}]")
    if others:
        builder.say("Other candidates: " + "; ".join(others) + ".")
    if ranked[0].heading is not None:
        _open_detail(ranked[0].heading, best, retriever, builder)


def _open_detail(heading: CodeRecord, chosen: CodeRecord, retriever,
                 builder: AnswerBuilder) -> None:
    """Say which detail the question leaves open: the codes beside the one chosen."""
    parent = retriever.db.get(f"{chosen.system}:{chosen.parent}") if chosen.parent else None
    siblings = [c for c in (parent.children if parent else []) if c != chosen.code][:6]
    records = [r for code in siblings for r in retriever.exact(code, chosen.system)]
    if not records:
        return
    for record in records:
        builder.add_code(record)
    n = builder.cite_title(heading)
    options = "; ".join(f"{r.code} {r.title}" for r in records)
    builder.say(f"The question matches the heading {heading.code} ({heading.title}) [{n}] "
                f"without the detail that picks one of its codes, so the least specific code that "
                f"fits is shown. If the record says more, the code changes: {options}.")


def _say_reading(reading: Reading | None, builder: AnswerBuilder) -> None:
    if reading is None or not reading.replacements:
        return
    read = "; ".join(f"'{r.said}' as '{r.read_as}' ({r.source})" for r in reading.replacements)
    builder.say(f"I read {read}: the code set's words for what was asked.")


def _ranked(question: Question, retriever) -> list[Candidate]:
    """Codes best first, over the question as asked and its readings in the code sets' words."""
    best: dict[str, Candidate] = {}
    readings = [Reading(question.text)] + readings_of(question.text, retriever.synonyms)
    for reading in readings:
        asked = question
        if reading.replacements:
            asked = replace(question, text=reading.text, search_text=search_text(reading.text))
        for candidate in _ranked_as_asked(asked, retriever):
            candidate.reading, candidate.asked = reading, asked
            if reading.replacements:
                candidate.score -= READING_PENALTY
            _keep_best(best, candidate)
    named = _named_in_readings(readings)
    for candidate in best.values():
        if not all(names_any(candidate.text, options) for options in named):
            candidate.score -= UNNAMED_CONDITION_PENALTY
    return sorted(best.values(), key=lambda c: c.score, reverse=True)


def _keep_best(best: dict[str, Candidate], candidate: Candidate) -> None:
    """One candidate per code: the one that scores highest."""
    key = candidate.record.key
    if key not in best or best[key].score < candidate.score:
        best[key] = candidate


def _named_in_readings(readings: list[Reading]) -> list[set[str]]:
    """For each phrase a reading read differently: the phrase and every reading of it."""
    named: dict[str, set[str]] = {}
    for reading in readings:
        for r in reading.replacements:
            named.setdefault(r.said.lower(), {r.said}).add(r.read_as)
    return list(named.values())


def _ranked_as_asked(question: Question, retriever) -> list[Candidate]:
    """Codes best first; a matched heading stands for the billable code chosen under it."""
    hits = retriever.search_codes(question.search_text, system=question.system)[:30]
    by_key = {hit.key: hit for hit in hits}
    best: dict[str, Candidate] = {}
    for hit in hits:
        record = retriever.db.get(hit.key)
        if record is None or record.kind not in ("code", "category"):
            continue
        heading = None
        if not record.billable and record.children:
            heading, record = record, _billable_under(record, by_key, retriever.db,
                                                      question.text, retriever.synonyms.kin)
            if record is None:
                continue
        _keep_best(best, Candidate(hit.score, hit, record, heading))
    candidates = list(best.values())
    _rerank(candidates, question, retriever.synonyms.kin)
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def _rerank(candidates: list[Candidate], question: Question,
            kin: dict[str, list[str]]) -> None:
    """Prefer the code the question's words fully support, reportable on the DOS.

    The fused rank brings the candidates; the order among them comes mostly from the dense
    similarity of the code's best chunk, then from how many of the question's words the code
    holds, less penalties for details that contradict the question (episode, side, with vs
    without) and for a code not reportable on the DOS when its own code set has one that is
    (across code sets nothing is demoted: a deleted procedure code is still the answer to a
    procedure question, shown with its deletion).
    """
    if not candidates:
        return
    top_fused = max(c.score for c in candidates)
    reportable = {c.record.key: status_on(c.record, question.dos).status == ACTIVE
                  for c in candidates}
    systems_with_reportable = {c.record.system for c in candidates if reportable[c.record.key]}
    extra = {c.record.key: extra_words(question.text, c.record.title, kin) for c in candidates}
    fewest = min(extra.values())
    for c in candidates:
        body = c.text
        score = (c.hit.best_dense + WORD_WEIGHT * word_coverage(question.search_text, body, kin)
                 + FUSION_WEIGHT * c.score / top_fused)
        score -= CONTRADICTION_PENALTY * contradictions(question.text, c.record.title)
        score -= UNASKED_DETAIL_PENALTY * unasked_details(question.text, c.record.title)
        score -= EXTRA_WORD_PENALTY * (extra[c.record.key] - fewest)
        if not reportable[c.record.key] and c.record.system in systems_with_reportable:
            score -= NOT_REPORTABLE_PENALTY
        if unspecified_asked_and_stated(question.text, body):
            score += UNSPECIFIED_BONUS
        if nos_term_matches(question.search_text, c.record, c.heading):
            score += NOS_BONUS
        c.score = score


def _billable_under(heading: CodeRecord, by_key: dict[str, CodeHit], db,
                    question: str, kin: dict[str, list[str]]) -> CodeRecord | None:
    """The billable code under a heading that the question supports.

    A child is taken where it matches the question better than the heading did; otherwise
    the default child: no detail the question did not ask for ("with ..."), then the one
    that holds, itself or below it, most of the question's words (the site it names), then
    the most "unspecified", then the fewest words the question lacks, then tabular order
    (so 7th character A, initial encounter, before D and S). Children whose details
    contradict the question are never taken; None when no child is left.
    """
    node = heading
    floor = by_key[heading.key].best_dense if heading.key in by_key else 0.0
    while node is not None and not node.billable and node.children:
        keys = [f"{node.system}:{child}" for child in node.children]
        titles = db.titles(keys)
        keys = [k for k in keys if not contradictions(question, titles.get(k, ""))]
        matched = [k for k in keys if k in by_key and by_key[k].best_dense > floor]
        if matched:
            key = max(matched, key=lambda k: by_key[k].best_dense)
        elif keys:
            below = db.titles_under(node.system, node.code)  # (code, title), once per level
            key = max(keys, key=lambda k: default_preference(
                question, titles.get(k, ""), kin, _titles_below(k.split(":", 1)[1], below)))
        else:
            return None
        node = db.get(key)
    return node if node is not None and node.billable else None


def _titles_below(code: str, below: list[tuple[str, str]]) -> list[str]:
    return [title for other, title in below if other.startswith(code) and other != code]


def _supported(candidate: Candidate, thresholds: tuple[float, float],
               kin: dict[str, list[str]]) -> bool:
    alone, with_words = thresholds
    hit = candidate.hit
    coverage = word_coverage(candidate.asked.search_text, candidate.text, kin)
    return hit.best_dense >= alone or (coverage >= MIN_WORD_COVERAGE and
                                       hit.best_dense >= with_words)
