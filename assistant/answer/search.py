"""'Which code for X?': hybrid search, preference for codes reportable on the DOS, abstention."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.citations import AnswerBuilder
from assistant.index.embeddings import HASH_NAME, MINILM_NAME
from assistant.index.lexical import tokenize
from assistant.records import ACTIVE, CodeRecord
from assistant.retrieval.analysis import Question
from assistant.retrieval.hybrid import CodeHit, word_coverage
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
# Encounter (7th character) words; a follow-up visit is a subsequent encounter by the
# ICD-10-CM guidelines' definition of that character.
_EPISODES = {"initial": re.compile(r"\binitial\b", re.I),
             "subsequent": re.compile(r"\bsubsequent\b|\bfollow-?up\b", re.I),
             "sequela": re.compile(r"\bsequela", re.I)}
_SIDES = {"left": re.compile(r"\bleft\b", re.I), "right": re.compile(r"\bright\b", re.I),
          "bilateral": re.compile(r"\bbilateral|both\b", re.I)}
_UNSPECIFIED_ASKED = re.compile(r"\b(not specified|unspecified|nos|not otherwise specified|"
                                r"unknown)\b", re.I)
_UNSPECIFIED_STATED = re.compile(r"\bunspecified\b|\bNOS\b")
# "History of X" means the patient's own history unless the question says whose.
_FAMILY = re.compile(r"\bfamily\b", re.I)
UNSPECIFIED_BONUS = 0.1
# Per word of a title that the question does not hold, beyond the fewest among candidates:
# with no detail asked, the code that adds none (often "..., unspecified") comes first.
EXTRA_WORD_PENALTY = 0.03
_GENERIC_WORDS = {"unspecified", "nos", "and", "of", "the", "or", "in", "to", "with",
                  "without", "a", "an", "by", "for", "due", "as", "on"}
_WITHOUT = re.compile(r"\b(without|no|w/o|negative for)\b", re.I)
_WITH = re.compile(r"\b(with|w/)\b", re.I)


@dataclass
class Candidate:
    score: float
    hit: CodeHit
    record: CodeRecord
    heading: CodeRecord | None = None  # the heading it was chosen under, when it matched

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
    if not ranked or not _supported(question, ranked[0], thresholds):
        builder.say("I couldn't find a code in the corpus that matches this description.")
        builder.holdings(retriever.holdings)
        return
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


def _ranked(question: Question, retriever) -> list[Candidate]:
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
                                                      question.text)
            if record is None:
                continue
        candidate = Candidate(hit.score, hit, record, heading)
        if record.key not in best or best[record.key].score < candidate.score:
            best[record.key] = candidate
    candidates = list(best.values())
    _rerank(candidates, question)
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def _rerank(candidates: list[Candidate], question: Question) -> None:
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
    extra = {c.record.key: _extra_words(question.text, c.record.title) for c in candidates}
    fewest = min(extra.values())
    for c in candidates:
        body = c.text
        score = (c.hit.best_dense + WORD_WEIGHT * word_coverage(question.search_text, body)
                 + FUSION_WEIGHT * c.score / top_fused)
        score -= CONTRADICTION_PENALTY * _contradictions(question.text, c.record.title)
        if _WITH.search(c.record.title) and not _WITH.search(question.text):
            score -= UNASKED_DETAIL_PENALTY
        score -= EXTRA_WORD_PENALTY * (extra[c.record.key] - fewest)
        if not reportable[c.record.key] and c.record.system in systems_with_reportable:
            score -= NOT_REPORTABLE_PENALTY
        if _UNSPECIFIED_ASKED.search(question.text) and _UNSPECIFIED_STATED.search(body):
            score += UNSPECIFIED_BONUS
        c.score = score


def _default_preference(question: str, title: str) -> tuple[bool, int, int]:
    unasked_with = bool(_WITH.search(title)) and not _WITH.search(question)
    return (not unasked_with, title.lower().count("unspecified"), -_extra_words(question, title))


def _extra_words(question: str, title: str) -> int:
    asked = {w[:5] for w in tokenize(question)}
    return sum(1 for w in tokenize(title) if w not in _GENERIC_WORDS and w[:5] not in asked)


def _contradictions(question: str, title: str) -> int:
    """Details the title states that the question states otherwise."""
    count = 0
    for options in (_EPISODES, _SIDES):
        asked = {name for name, pattern in options.items() if pattern.search(question)}
        stated = {name for name, pattern in options.items() if pattern.search(title)}
        count += bool(asked and stated and not asked & stated)
    count += bool(_FAMILY.search(title)) and not _FAMILY.search(question)
    asked_without = bool(_WITHOUT.search(question))
    title_with = bool(_WITH.search(title)) and not _WITHOUT.search(title)
    title_without = bool(_WITHOUT.search(title)) and not _WITH.search(title)
    count += asked_without and title_with
    count += bool(_WITH.search(question)) and not asked_without and title_without
    return count


def _billable_under(heading: CodeRecord, by_key: dict[str, CodeHit], db,
                    question: str) -> CodeRecord | None:
    """The billable code under a heading that the question supports.

    A child is taken where it matches the question better than the heading did; otherwise
    the default child: no detail the question did not ask for ("with ..."), then the most
    "unspecified", then the fewest words the question lacks, then tabular order (so 7th
    character A, initial encounter, before D and S). Children whose details contradict the
    question are never taken; None when no child is left.
    """
    node = heading
    floor = by_key[heading.key].best_dense if heading.key in by_key else 0.0
    while node is not None and not node.billable and node.children:
        keys = [f"{node.system}:{child}" for child in node.children]
        titles = db.titles(keys)
        keys = [k for k in keys if not _contradictions(question, titles.get(k, ""))]
        matched = [k for k in keys if k in by_key and by_key[k].best_dense > floor]
        if matched:
            key = max(matched, key=lambda k: by_key[k].best_dense)
        elif keys:
            key = max(keys, key=lambda k: _default_preference(question, titles.get(k, "")))
        else:
            return None
        node = db.get(key)
    return node if node is not None and node.billable else None


def _supported(question: Question, candidate: Candidate,
               thresholds: tuple[float, float]) -> bool:
    alone, with_words = thresholds
    hit = candidate.hit
    coverage = word_coverage(question.search_text, candidate.text)
    return hit.best_dense >= alone or (coverage >= MIN_WORD_COVERAGE and
                                       hit.best_dense >= with_words)
