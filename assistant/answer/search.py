"""'Which code for X?': hybrid search, preference for codes reportable on the DOS, abstention."""

from __future__ import annotations

from assistant.answer.citations import AnswerBuilder
from assistant.records import ACTIVE, CodeRecord
from assistant.retrieval.analysis import Question
from assistant.retrieval.hybrid import CodeHit, word_coverage
from assistant.status import status_on

from assistant.index.embeddings import HASH_NAME, MINILM_NAME

SHOWN = 5
MIN_WORD_COVERAGE = 0.6
# Per embedding model: (cosine alone enough, cosine enough when most words match). Below
# these the best match is not an answer (calibrated in bench/quality.py for MiniLM).
THRESHOLDS = {MINILM_NAME: (0.62, 0.40), HASH_NAME: (0.6, 0.2)}


def find_codes_for(question: Question, retriever, builder: AnswerBuilder) -> None:
    held = {system for system, _, _ in retriever.db.holdings()}
    if question.system and question.system not in held:
        builder.say(f"I don't have any {question.system} codes that answer this.")
        builder.holdings(retriever.db)
        return
    ranked = _ranked(question, retriever)
    thresholds = THRESHOLDS[retriever.store.embeddings.model_name]
    if not ranked or not _supported(question, *ranked[0], thresholds):
        builder.say("I couldn't find a code in the corpus that matches this description.")
        builder.holdings(retriever.db)
        return
    best_hit, best = ranked[0]
    builder.add_code(best)
    n = builder.cite_title(best)
    builder.say(f"Best match: {best.system} {best.code}: {best.title} [{n}].")
    builder.status_sentence(best, only_if_not_active=True)
    others = []
    for _, record in ranked[1:SHOWN]:
        builder.add_code(record)
        m = builder.cite_title(record)
        status = status_on(record, question.dos)
        flag = "" if status.status == ACTIVE else f", {status.status.replace('_', ' ')}"
        others.append(f"{record.code} ({record.title}{flag}) [{m}]")
    if others:
        builder.say("Other candidates: " + "; ".join(others) + ".")


def _ranked(question: Question, retriever) -> list[tuple[CodeHit, CodeRecord]]:
    hits = retriever.search_codes(question.search_text, system=question.system)[:30]
    scored = []
    for hit in hits:
        record = retriever.db.get(hit.key)
        if record is None or record.kind not in ("code", "category"):
            continue
        weight = 1.0
        if status_on(record, question.dos).status != ACTIVE:
            weight *= 0.6
        scored.append((hit.score * weight, hit, record))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [(hit, record) for _, hit, record in scored]


def _supported(question: Question, hit: CodeHit, record: CodeRecord,
               thresholds: tuple[float, float]) -> bool:
    alone, with_words = thresholds
    text = " ".join([record.title] + [c.chunk.text for c in hit.chunks])
    coverage = word_coverage(question.search_text, text)
    dense = hit.best_dense
    return dense >= alone or (coverage >= MIN_WORD_COVERAGE and dense >= with_words)
