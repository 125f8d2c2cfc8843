"""Which codes answer "which code for X?", best first.

The one place that orders candidate codes, behind `CodeSource` (what it needs of the
retriever). The question is ranked as asked and as read in the code sets' words ("pink eye"
as "conjunctivitis"); the lists are merged, one candidate per code, the best scoring kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.index.embeddings import Abstention
from assistant.ranking.fit import (contradictions, default_preference, extra_words, names_any,
                                   nos_term_matches, unasked_details,
                                   unspecified_asked_and_stated, word_coverage)
from assistant.ranking.source import CodeSource
from assistant.records import ACTIVE, CodeRecord
from assistant.retrieval.analysis import Question, search_text
from assistant.retrieval.hybrid import CodeHit
from assistant.retrieval.readings import Reading, readings_of
from assistant.status import status_on

MIN_WORD_COVERAGE = 0.6
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


def rank_codes(question: Question, source: CodeSource) -> list[Candidate]:
    """Codes best first, over the question as asked and its readings in the code sets' words."""
    best: dict[str, Candidate] = {}
    readings = [Reading(question.text)] + readings_of(question.text, source.synonyms)
    for reading in readings:
        asked = question
        if reading.replacements:
            asked = replace(question, text=reading.text, search_text=search_text(reading.text))
        for candidate in _ranked_as_asked(asked, source):
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


def _ranked_as_asked(question: Question, source: CodeSource) -> list[Candidate]:
    """Codes best first; a matched heading stands for the billable code chosen under it."""
    hits = source.search_codes(question.search_text, system=question.system)[:30]
    by_key = {hit.key: hit for hit in hits}
    best: dict[str, Candidate] = {}
    for hit in hits:
        record = source.record(hit.key)
        if record is None or record.kind not in ("code", "category"):
            continue
        heading = None
        if not record.billable and record.children:
            heading, record = record, _billable_under(record, by_key, source, question.text,
                                                      source.synonyms.kin)
            if record is None:
                continue
        _keep_best(best, Candidate(hit.score, hit, record, heading))
    candidates = list(best.values())
    _rerank(candidates, question, source.synonyms.kin)
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


def _billable_under(heading: CodeRecord, by_key: dict[str, CodeHit], source: CodeSource,
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
        titles = source.titles(keys)
        keys = [k for k in keys if not contradictions(question, titles.get(k, ""))]
        matched = [k for k in keys if k in by_key and by_key[k].best_dense > floor]
        if matched:
            key = max(matched, key=lambda k: by_key[k].best_dense)
        elif keys:
            below = source.titles_under(node.system, node.code)  # (code, title), once per level
            key = max(keys, key=lambda k: default_preference(
                question, titles.get(k, ""), kin, _titles_below(k.split(":", 1)[1], below)))
        else:
            return None
        node = source.record(key)
    return node if node is not None and node.billable else None


def _titles_below(code: str, below: list[tuple[str, str]]) -> list[str]:
    return [title for other, title in below if other.startswith(code) and other != code]


def is_answer(candidate: Candidate, abstention: Abstention, kin: dict[str, list[str]]) -> bool:
    """Whether the best candidate is close enough to answer, or the answer is "not found"."""
    alone, with_words = abstention.alone, abstention.with_words
    hit = candidate.hit
    coverage = word_coverage(candidate.asked.search_text, candidate.text, kin)
    return hit.best_dense >= alone or (coverage >= MIN_WORD_COVERAGE and
                                       hit.best_dense >= with_words)
