"""'Which code for X?': hybrid search, preference for codes reportable on the DOS, abstention."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.answer.citations import AnswerBuilder
from assistant.index.embeddings import HASH_NAME, MINILM_NAME
from assistant.index.lexical import tokenize
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
_WITHOUT_CLAUSE = re.compile(r"\bwithout\b[^,]*", re.I)
# ICD-10-CM Official Guidelines I.C.19.c.1: a fracture not said to be open or closed is coded
# as closed, and one not said to be displaced or not as displaced; the other choice is a
# detail the question did not give.
_FRACTURE_DETAIL = re.compile(r"\bnondisplaced\b|\bopen fracture\b", re.I)
_FRACTURE_DETAIL_ASKED = re.compile(r"\bnon-?displaced\b|\bopen\b", re.I)
# A fracture is traumatic (chapter 19) unless said to be pathological or a stress fracture
# (chapter 13): coding it there contradicts a question that does not say so.
_NOT_TRAUMATIC = re.compile(r"\b(pathological|stress) fracture\b", re.I)
_NOT_TRAUMATIC_ASKED = re.compile(r"\bpatholog|\bstress\b|\bfatigue\b|\bosteoporo", re.I)
# The 7th character's "with routine healing" is the uncomplicated course, like "without
# complications": no detail to ask for (delayed healing, nonunion and malunion are).
_ROUTINE = re.compile(r"\bwith routine healing\b", re.I)
_NOS = re.compile(r"\bNOS\b")
_NONESSENTIAL = re.compile(r"\([^)]*\)|\[[^\]]*\]")


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
            key = candidate.record.key
            if key not in best or best[key].score < candidate.score:
                best[key] = candidate
    named = _named_in_readings(readings)
    for candidate in best.values():
        if not all(_names_any(candidate.text, options) for options in named):
            candidate.score -= UNNAMED_CONDITION_PENALTY
    return sorted(best.values(), key=lambda c: c.score, reverse=True)


def _named_in_readings(readings: list[Reading]) -> list[set[str]]:
    """For each phrase a reading read differently: the phrase and every reading of it."""
    named: dict[str, set[str]] = {}
    for reading in readings:
        for r in reading.replacements:
            named.setdefault(r.said.lower(), {r.said}).add(r.read_as)
    return list(named.values())


def _names_any(text: str, phrases: set[str]) -> bool:
    prefixes = {w[:5] for w in tokenize(text)}
    return any(all(w[:5] in prefixes for w in tokenize(p)) for p in phrases)


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
        candidate = Candidate(hit.score, hit, record, heading)
        if record.key not in best or best[record.key].score < candidate.score:
            best[record.key] = candidate
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
    extra = {c.record.key: _extra_words(question.text, c.record.title, kin) for c in candidates}
    fewest = min(extra.values())
    for c in candidates:
        body = c.text
        score = (c.hit.best_dense + WORD_WEIGHT * word_coverage(question.search_text, body, kin)
                 + FUSION_WEIGHT * c.score / top_fused)
        score -= CONTRADICTION_PENALTY * _contradictions(question.text, c.record.title)
        score -= UNASKED_DETAIL_PENALTY * _unasked_details(question.text, c.record.title)
        score -= EXTRA_WORD_PENALTY * (extra[c.record.key] - fewest)
        if not reportable[c.record.key] and c.record.system in systems_with_reportable:
            score -= NOT_REPORTABLE_PENALTY
        if _UNSPECIFIED_ASKED.search(question.text) and _UNSPECIFIED_STATED.search(body):
            score += UNSPECIFIED_BONUS
        if _nos_term_matches(question.search_text, c):
            score += NOS_BONUS
        c.score = score


def _unasked_details(question: str, title: str) -> int:
    """Details a title adds that the question did not give: a "with ..." (routine healing is
    none), a nondisplaced or an open fracture."""
    count = int(bool(_WITH.search(_ROUTINE.sub(" ", title))) and not _WITH.search(question))
    count += bool(_FRACTURE_DETAIL.search(title)) and not _FRACTURE_DETAIL_ASKED.search(question)
    return count


def _nos_term_matches(question: str, candidate: Candidate) -> bool:
    """The code (or a heading it was chosen under) states "X NOS" and the question is X,
    plus at most details the code's own title states (side, encounter).

    Nonessential words in parentheses or brackets are left out of X, as the tabular means.
    """
    asked = _content_prefixes(question)
    stated = _content_prefixes(candidate.record.title)
    records = [candidate.record] + ([candidate.heading] if candidate.heading else [])
    for record in records:
        for note in record.notes:
            if note.kind == "inclusion_term" and _NOS.search(note.text):
                term = _content_prefixes(_NOS.sub(" ", _NONESSENTIAL.sub(" ", note.text)))
                if term and term <= asked and asked - term <= stated:
                    return True
    return False


def _content_prefixes(text: str) -> set[str]:
    return {w[:5] for w in tokenize(text) if w not in _GENERIC_WORDS and not w.isdigit()}


def _default_preference(question: str, title: str, kin: dict[str, list[str]],
                        titles_below: list[str]) -> tuple[bool, float, int, int]:
    """How well a child fits when the question matched only its heading: no unasked
    "with ..."; the most question words held by it or a code below it ("sacrum" is under
    "back"); the most "unspecified"; the fewest words the question lacks."""
    unasked_with = bool(_WITH.search(title)) and not _WITH.search(question)
    coverage = max(word_coverage(question, t, kin) for t in [title, *titles_below])
    return (not unasked_with, coverage,
            title.lower().count("unspecified"), -_extra_words(question, title, kin))


def _extra_words(question: str, title: str, kin: dict[str, list[str]] | None = None) -> int:
    """Title words the question lacks; a "without ..." clause adds no detail to ask for."""
    asked = {w[:5] for w in tokenize(question)}
    asked |= {k[:5] for w in tokenize(question) for k in (kin or {}).get(w, ())}
    title = _WITHOUT_CLAUSE.sub(" ", _ROUTINE.sub(" ", title))
    return sum(1 for w in tokenize(title) if w not in _GENERIC_WORDS and w[:5] not in asked)


def _contradictions(question: str, title: str) -> int:
    """Details the title states that the question states otherwise."""
    count = 0
    for options in (_EPISODES, _SIDES):
        asked = {name for name, pattern in options.items() if pattern.search(question)}
        stated = {name for name, pattern in options.items() if pattern.search(title)}
        count += bool(asked and stated and not asked & stated)
    count += bool(_FAMILY.search(title)) and not _FAMILY.search(question)
    count += bool(_NOT_TRAUMATIC.search(title)) and not _NOT_TRAUMATIC_ASKED.search(question)
    asked_without = bool(_WITHOUT.search(question))
    title_with = bool(_WITH.search(title)) and not _WITHOUT.search(title)
    title_without = bool(_WITHOUT.search(title)) and not _WITH.search(title)
    count += asked_without and title_with
    count += bool(_WITH.search(question)) and not asked_without and title_without
    return count


def _billable_under(heading: CodeRecord, by_key: dict[str, CodeHit], db,
                    question: str, kin: dict[str, list[str]]) -> CodeRecord | None:
    """The billable code under a heading that the question supports.

    A child is taken where it matches the question better than the heading did; otherwise
    the default child: no detail the question did not ask for ("with ..."), then the one
    that holds, itself or below it, most of the question's words (the site it names), then
    the most
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
            key = max(keys, key=lambda k: _default_preference(
                question, titles.get(k, ""), kin, db.titles_under(node.system, k.split(":", 1)[1])))
        else:
            return None
        node = db.get(key)
    return node if node is not None and node.billable else None


def _supported(candidate: Candidate, thresholds: tuple[float, float],
               kin: dict[str, list[str]]) -> bool:
    alone, with_words = thresholds
    hit = candidate.hit
    coverage = word_coverage(candidate.asked.search_text, candidate.text, kin)
    return hit.best_dense >= alone or (coverage >= MIN_WORD_COVERAGE and
                                       hit.best_dense >= with_words)
