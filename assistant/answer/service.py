"""The one entry point every interface uses: ask a question, look up a code."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

from assistant.config import Settings, get_settings
from assistant.errors import QuestionError
from assistant.records import Answer

if TYPE_CHECKING:  # the index and the model load lazily, on first use
    from assistant.index.embeddings import AssistantEmbeddings
    from assistant.retrieval.hybrid import HybridRetriever


@dataclass
class Conversation:
    """What a chat remembers between turns: the codes last discussed (those the last answer
    was about), and the date of service the conversation gave, which a follow-up keeps
    unless it gives another."""

    codes: list[str] = field(default_factory=list)
    dos: date | None = None


class Asker(Protocol):
    """What an interface asks questions of: a CodingAssistant, or one shared by threads."""

    def ask(self, question: str, date_of_service: date | None = None,
            conversation: Conversation | None = None) -> Answer: ...


def clean_question(text: str, max_chars: int) -> str:
    """Strip control characters; refuse empty or over-long questions with a clear message."""
    cleaned = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in text)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QuestionError("the question is empty: ask about a code or describe a diagnosis "
                            "or procedure")
    if len(cleaned) > max_chars:
        raise QuestionError(f"the question is {len(cleaned)} characters long; the limit is "
                            f"{max_chars}: ask about one thing at a time")
    return cleaned


def remember(conversation: Conversation, answer: Answer) -> None:
    """Keep what a follow-up may refer back to: the codes the answer is about, and its date
    of service when one was given (in the question, the request or the conversation)."""
    if answer.context_codes:
        conversation.codes = list(answer.context_codes)
    if answer.context_date_of_service:
        conversation.dos = date.fromisoformat(answer.context_date_of_service)


class CodingAssistant:
    def __init__(self, settings: Settings | None = None,
                 embeddings: AssistantEmbeddings | None = None) -> None:
        self.settings = settings or get_settings()
        self._embeddings = embeddings
        self._retriever: HybridRetriever | None = None
        self._reopening = threading.Lock()

    @property
    def retriever(self) -> HybridRetriever:
        """The index, opened on first use (so `--help` never loads it), and reopened when an
        ingest has finished since (a server follows the ingests without a restart)."""
        if self._retriever is None:
            from assistant.index.models import query_embeddings
            from assistant.retrieval.hybrid import HybridRetriever

            embeddings = self._embeddings or query_embeddings(self.settings)
            self._retriever = HybridRetriever.open(self.settings, embeddings)
        elif self._retriever.outdated():
            self._follow_writer()
        return self._retriever

    def _follow_writer(self) -> None:
        """Swap in a view of the index a finished ingest wrote, built whole before the swap
        (requests already running finish on the old one)."""
        if not self._reopening.acquire(blocking=False):
            return  # another request is opening it: this one reads the old generation
        try:
            current = self._retriever
            if current is not None and current.outdated():
                self._retriever = current.reopened() or current
        finally:
            self._reopening.release()

    def open_index(self) -> HybridRetriever:
        """Open the whole index and load the query model now, rather than on the first
        question that needs each part (a server does this once, before its first request)."""
        self.retriever.warm_up()
        # A server holds about a million long-lived objects (the open index, the kept
        # records and titles), and Python's full collection walked them all: half a second,
        # about once in 250 answers, finding no garbage (answers make no reference cycles
        # worth collecting). The index opened so far is frozen out of those passes, and
        # they run ten times less often (the third threshold: 10 -> 100).
        gc.freeze()
        gc.set_threshold(700, 10, 100)
        return self.retriever

    def ask(self, question: str, date_of_service: date | None = None,
            conversation: Conversation | None = None) -> Answer:
        """Answer one question. Raises QuestionError for an empty or over-long question."""
        from assistant.retrieval.analysis import QuestionKind, analyse

        text = clean_question(question, self.settings.max_question_chars)
        analysed = analyse(text, today=date.today(), dos=date_of_service,
                           context_codes=conversation.codes if conversation else [],
                           context_dos=conversation.dos if conversation else None)
        if analysed.date_problem:
            # Never answer for another day than the one the user wrote.
            raise QuestionError(f"{analysed.date_problem}; ask again with the date of service "
                                f"as YYYY-MM-DD")
        retriever = self.retriever
        if analysed.kind == QuestionKind.FIND:
            retriever.open_for_search()  # a first search: its parts load while we go on
        from assistant.answer.compose import compose_answer

        answer = compose_answer(analysed, retriever)
        if self.settings.audit_log is not None:
            from assistant.answer.audit import record

            record(self.settings.audit_log, question, answer)
        if conversation is not None:
            remember(conversation, answer)
        return answer

    def lookup(self, code: str, on: date | None = None) -> list[dict]:
        """The records of a code, read through the index this assistant already opened."""
        from assistant.answer.lookup import describe_record

        return [describe_record(r, on or date.today()) for r in self.retriever.exact(code)]
