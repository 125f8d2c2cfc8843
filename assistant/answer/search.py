"""'Which code for X?': hybrid search, preference for codes reportable on the DOS, abstention."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.citations import AnswerBuilder
from assistant.index.embeddings import HASH_NAME, MINILM_NAME
from assistant.records import ACTIVE, CodeRecord
from assistant.retrieval.analysis import Question
from assistant.retrieval.hybrid import CodeHit, word_coverage
from assistant.status import status_on

SHOWN = 5
MIN_WORD_COVERAGE = 0.6
# Per embedding model: (cosine alone enough, cosine enough when most words match). Below
# these the best match is not an answer (calibrated in bench/quality.py for MiniLM).
THRESHOLDS = {MINILM_NAME: (0.62, 0.40), HASH_NAME: (0.6, 0.2)}
NOT_REPORTABLE_WEIGHT = 0.6


@dataclass
class Candidate:
    score: float
    hit: CodeHit
    record: CodeRecord
    heading: CodeRecord | None = None  # the heading it was chosen under, when it matched


def find_codes_for(question: Question, retriever, builder: AnswerBuilder) -> None:
    held = {system for system, _, _ in retriever.db.holdings()}
    if question.system and question.system not in held:
        builder.say(f"I don't have any {question.system} codes that answer this.")
        builder.holdings(retriever.db)
        return
    ranked = _ranked(question, retriever)
    thresholds = THRESHOLDS[retriever.store.embeddings.model_name]
    if not ranked or not _supported(question, ranked[0], thresholds):
        builder.say("I couldn't find a code in the corpus that matches this description.")
        builder.holdings(retriever.db)
        return
    best = ranked[0].record
    builder.add_code(best)
    n = builder.cite_title(best)
    builder.say(f"Best match: {best.system} {best.code}: {best.title} [{n}].")
    builder.status_sentence(best, only_if_not_active=True)
    others = []
    for candidate in ranked[1:SHOWN]:
        record = candidate.record
        builder.add_code(record)
        m = builder.cite_title(record)
        status = status_on(record, question.dos)
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
                f"without the detail that picks one of its codes, so the unspecified code is "
                f"shown. If the record says more, the code changes: {options}.")


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
            heading, record = record, _billable_under(record, by_key, retriever.db)
            if record is None:
                continue
        candidate = Candidate(hit.score, hit, record, heading)
        if record.key not in best or best[record.key].score < candidate.score:
            best[record.key] = candidate
    _prefer_reportable(list(best.values()), question)
    return sorted(best.values(), key=lambda c: c.score, reverse=True)


def _prefer_reportable(candidates: list[Candidate], question: Question) -> None:
    """A code not reportable on the DOS yields to a reportable one of the same code set.

    Across code sets nothing is demoted: a deleted procedure code is still the answer to a
    procedure question, shown with its deletion, rather than some diagnosis code.
    """
    reportable = {c.record.key: status_on(c.record, question.dos).status == ACTIVE
                  for c in candidates}
    systems_with_reportable = {c.record.system for c in candidates if reportable[c.record.key]}
    for candidate in candidates:
        if not reportable[candidate.record.key] and \
                candidate.record.system in systems_with_reportable:
            candidate.score *= NOT_REPORTABLE_WEIGHT


def _billable_under(heading: CodeRecord, by_key: dict[str, CodeHit], db) -> CodeRecord | None:
    """The billable code under a heading: the best-matching child, else the unspecified one.

    Returns None when neither exists: the question does not support choosing a code.
    """
    node = heading
    floor = by_key[heading.key].score if heading.key in by_key else 0.0
    while node is not None and not node.billable and node.children:
        keys = [f"{node.system}:{child}" for child in node.children]
        # A child is chosen only where it matches better than the heading the question hit.
        matched = [key for key in keys if key in by_key and by_key[key].score > floor]
        if matched:
            key = max(matched, key=lambda k: by_key[k].score)
        else:
            titles = db.titles(keys)
            unspecified = [k for k in keys if "unspecified" in titles.get(k, "").lower()]
            if not unspecified:
                return None
            # C34.9 -> C34.90 (unspecified part of unspecified lung), not C34.91 (right lung)
            key = max(unspecified, key=lambda k: (titles[k].lower().count("unspecified"),
                                                  -len(titles[k])))
        node = db.get(key)
    return node if node is not None and node.billable else None


def _supported(question: Question, candidate: Candidate,
               thresholds: tuple[float, float]) -> bool:
    alone, with_words = thresholds
    hit = candidate.hit
    text = " ".join([candidate.record.title] + [c.chunk.text for c in hit.chunks])
    coverage = word_coverage(question.search_text, text)
    return hit.best_dense >= alone or (coverage >= MIN_WORD_COVERAGE and
                                       hit.best_dense >= with_words)
