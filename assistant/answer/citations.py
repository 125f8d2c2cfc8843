"""AnswerBuilder: collects sentences, numbered citations, codes with status, and warnings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from assistant.answer.basis import StatusBasis, event_when, status_basis, unsettled_clause
from assistant.answer.reasons import replacement_of
from assistant.horizon import ICD10CM, ICD10CM_START, horizon
from assistant.index.chunking import history_row
from assistant.index.records_db import EXAMPLE_CODES
from assistant.records import (Answer, Citation, CodeRecord, CodeResult, CodeStatus,
                               HistoryAction, HistoryEvent, Note, Section, SourceRelease,
                               Status)
from assistant.retrieval.analysis import DateSource, Question
from assistant.status import status_on, status_words

# The codes a "not verified" sentence names one by one; past this, the first and a count (each
# code's own entry says it too): a search answer lists up to ten codes.
UNVERIFIED_NAMED = 4


class AnswerBuilder:
    def __init__(self, question: Question,
                 lookup: Callable[[str], list[CodeRecord]] | None = None,
                 releases: Sequence[SourceRelease] = ()) -> None:
        self.question = question
        self.dos: date = question.dos
        self.lookup = lookup  # code -> list[CodeRecord], to give replacements their status
        self.releases = list(releases)  # the dates each loaded source speaks for
        self._sentences: list[str] = []
        self._citations: list[Citation] = []
        self._codes: list[CodeResult] = []
        self._warnings: list[str] = []
        # explanation -> (first record, its basis, codes): statuses not verified for the DOS
        self._unverified: dict[str, tuple[CodeRecord, StatusBasis, list[str]]] = {}

    # text

    def say(self, sentence: str) -> None:
        self._sentences.append(sentence)

    def warn(self, warning: str) -> None:
        if warning not in self._warnings:
            self._warnings.append(warning)

    # citations

    def cite(self, record: CodeRecord, section: str, field: str | None, quote: str,
             source: str | None = None) -> int:
        """`source`: where the quote is from, when not the record's own source (or the file
        the field was read from)."""
        source = source or record.field_sources.get(field or section) or record.source.path
        for citation in self._citations:
            if (citation.code, citation.system, citation.section, citation.field,
                    citation.quote, citation.source) == (record.code, record.system, section,
                                                         field, quote, source):
                return citation.n
        n = len(self._citations) + 1
        self._citations.append(Citation(n=n, code=record.code, system=record.system,
                                        source=source, section=section,
                                        field=field, quote=quote))
        return n

    def cite_title(self, record: CodeRecord) -> int:
        if "Long Descr" in record.attributes:
            return self.cite_field(record, "Long Descr")
        flag = "billable" if record.billable else "not billable"
        where = f"{record.version} {record.system}" if record.version else record.system
        return self.cite(record, "descriptor", None,
                         f"{record.code} {record.title} ({record.kind}; {where}: {flag})")

    def cite_field(self, record: CodeRecord, name: str) -> int:
        return self.cite(record, "record", name, f"{name} | {record.attributes[name]}")

    def cite_note(self, record: CodeRecord, note: Note) -> int:
        where = "" if note.stated_at == record.code else f" [stated at {note.stated_at}]"
        return self.cite(record, "notes", note.kind, f"{note.text}{where}")

    def cite_section(self, record: CodeRecord, section: Section) -> int:
        return self.cite(record, section.name, None, section.text)

    def cite_release(self, record: CodeRecord, release: SourceRelease) -> int:
        """The dates a loaded release speaks for, as the index declares them."""
        quote = (f"{release.name}: dates {release.effective.isoformat()} through "
                 f"{release.covers_through.isoformat()} ({release.citation or release.source})")
        return self.cite(record, "release", None, quote, source=release.source)

    def cite_event(self, record: CodeRecord, event: HistoryEvent) -> int:
        quote = history_row(event)
        if event.replacements:
            quote += f" | {', '.join(event.replacements)}"
        return self.cite(record, "history", None, quote)

    # codes and their status

    def add_code(self, record: CodeRecord, reasons: list[str], stated: bool = True) -> CodeStatus:
        """Name a code in the answer with its status on the DOS and why it is there (a code
        named again keeps its place and gains the new reasons). `stated` False: a code only
        another code's reasons name (the siblings of a default child); its status is in its
        entry, but it gets no warning and the text does not list it."""
        status = status_on(record, self.dos)
        for named in self._codes:
            if named.code == record.code and named.system == record.system:
                named.reasons += [r for r in reasons if r not in named.reasons]
                return status
        basis = self._basis(record, status)
        self._codes.append(CodeResult(
            code=record.code, system=record.system, title=record.title, status=status.status,
            deleted_on=_iso(status.effective), billable=status.billable,
            status_text=status_words(status.status, _iso(status.effective)),
            replacements=list(status.replacements), valid_from=_iso(status.valid_from),
            reasons=list(reasons), status_basis=basis.to_dict()))
        if not stated:
            return status
        if status.unsettled is not None and basis.warning:
            self._warnings.append(basis.warning)
            return status
        warning = _warning(record, status, self.dos, basis)
        if warning:
            self._warnings.append(warning)
        if basis.warning:
            explanation = basis.coverage.explanation
            self._unverified.setdefault(explanation, (record, basis, []))[2].append(record.code)
        return status

    def _basis(self, record: CodeRecord, status: CodeStatus) -> StatusBasis:
        return status_basis(record, status, self.releases, self.dos)

    def status_sentence(self, record: CodeRecord, only_if_not_active: bool = False) -> None:
        status = status_on(record, self.dos)
        if status.status == Status.ACTIVE and only_if_not_active:
            return
        self.say(self._status_words(record, status))
        self._period_change(record, status)
        for code in status.replacements:
            for replacement in (self.lookup(code) if self.lookup else []):
                self.add_code(replacement, replacement_of(record.code))

    def _status_words(self, record: CodeRecord, status: CodeStatus) -> str:
        dos = self.dos.isoformat()
        code = record.code
        if status.unsettled is not None:
            return self._unsettled_words(record, status.unsettled)
        if _before_icd10cm(record, self.dos):
            return self._before_icd10cm_words(record, status)
        if status.status == Status.ACTIVE:
            return self._active_words(record, status)
        n = self.cite_event(record, status.event) if status.event else self.cite_title(record)
        when = event_when(status.event) if status.event else f"on {_iso(status.effective)}"
        if status.status == Status.DELETED:
            words = (f"{code} was deleted {when} [{n}]: it is not "
                     f"reportable for a date of service of {dos}.")
            if status.replacements:
                words += f" Use instead: {', '.join(status.replacements)}."
            return words
        if status.effective:
            return (f"{code} is not billable for a date of service of {dos}: since "
                    f"{_since(status)} it is a heading [{n}] with more specific codes: "
                    f"{', '.join(status.replacements)}. Report one of those instead.")
        if status.valid_from:
            return (f"{code} was not yet in the code set on {dos}: it took effect {when} "
                    f"[{n}], so it is not reportable for that date.")
        return (f"{code} is a heading, not billable [{n}]: report one of the codes under it.")

    def _active_words(self, record: CodeRecord, status: CodeStatus) -> str:
        dos = self.dos.isoformat()
        upcoming = _next_change(record, self.dos)
        # With no earlier event, the change that ends its use is the evidence it was in use.
        evidence = status.event or upcoming
        n = self.cite_event(record, evidence) if evidence else self.cite_title(record)
        if self._basis(record, status).warning:
            # The date lies beyond what the data speaks for: never a plain yes (see build).
            words = f"{record.code} is valid and billable in the data loaded [{n}]."
        else:
            tense = "is" if self.dos >= self.question.today else "was"
            words = (f"{record.code} {tense} valid and billable for a date of service of {dos} "
                     f"[{n}].")
        if upcoming:
            m = self.cite_event(record, upcoming)
            change = {HistoryAction.DELETED: "was deleted",
                      HistoryAction.EXPANDED: "became a heading (not billable)"}
            words += (f" Later, {event_when(upcoming)}, it {change[upcoming.action]} "
                      f"[{m}].")
        return words

    def _unsettled_words(self, record: CodeRecord, event: HistoryEvent) -> str:
        n = self.cite_event(record, event)
        return (f"{unsettled_clause(record, event, self.releases)} [{n}]: its status for a "
                f"date of service of {self.dos.isoformat()} is not known.")

    def _before_icd10cm_words(self, record: CodeRecord, status: CodeStatus) -> str:
        known = horizon(self.releases, record.system, record.source.path)
        n = self.cite_release(record, known.first) if known else self.cite_title(record)
        words = (f"{record.code} was not reportable for a date of service of "
                 f"{self.dos.isoformat()}: ICD-10-CM took effect on {ICD10CM_START.isoformat()}, "
                 f"and ICD-9-CM applied before it [{n}].")
        if status.event is not None and status.valid_from:
            m = self.cite_event(record, status.event)
            words += f" {record.code} itself took effect {event_when(status.event)} [{m}]."
        return words

    def _period_change(self, record: CodeRecord, status: CodeStatus) -> None:
        end = self.question.dos_end
        if not end or end <= self.dos:
            return
        later = status_on(record, end)
        if later.status != status.status:
            event = _next_change(record, self.dos)
            when = event.date.isoformat() if event else end.isoformat()
            self.say(f"Its status changes within the period you asked about "
                     f"({self.dos.isoformat()} to {end.isoformat()}): from {when} it is "
                     f"{status_words(later.status)}.")

    def disagreement(self, record: CodeRecord) -> None:
        """A page whose Status Code field says active while its dated history deletes it."""
        field = record.attributes.get("Status Code")
        status = status_on(record, self.dos)
        if not field or status.status == Status.ACTIVE or "active" not in field.lower():
            return
        n = self.cite_field(record, "Status Code")
        self.say(f"The page's structured record still says Status Code \"{field}\" [{n}]; "
                 f"its dated history disagrees, and the dated history is what this answer "
                 f"follows.")

    def holdings(self, holdings: list[tuple[str, int, list[str]]]) -> None:
        parts = []
        for system, count, examples in holdings:
            known = horizon(self.releases, system)
            dates = known.summary() if known else "the dates it speaks for not declared"
            if count <= EXAMPLE_CODES:
                parts.append(f"{system} pages for {', '.join(examples)}, {dates}")
            else:
                parts.append(f"{system} ({count:,} codes), {dates}")
        held = "; ".join(parts) if parts else "nothing yet (run `coding-assistant ingest`)"
        self.say(f"The corpus holds: {held}. I won't guess a code that is not in it.")

    def build(self, grounded: bool = True, about: list[str] | None = None) -> Answer:
        """about: the codes the answer is about, that a follow-up refers back to."""
        self._say_unverified()
        grounded = grounded and bool(self._citations)
        kept = self.question.dos_from != DateSource.TODAY and not self.question.dos_end
        return Answer(question=self.question.text, date_of_service=self.dos.isoformat(),
                      answer=" ".join(self._sentences), grounded=grounded,
                      codes=list(self._codes), citations=list(self._citations),
                      warnings=list(self._warnings),
                      date_of_service_from=self.question.dos_from.value,
                      context_codes=list(about or []),
                      context_date_of_service=self.dos.isoformat() if kept else None)


    def _say_unverified(self) -> None:
        """For each reason the data does not cover the DOS: the codes whose status rests on
        it, which release that status comes from, and what is missing (text and warning)."""
        dos = self.dos.isoformat()
        for explanation, (record, basis, codes) in self._unverified.items():
            release = basis.coverage.release
            cited = f" [{self.cite_release(record, release)}]" if release else ""
            named = _listed(codes)
            self.say(f"Not verified for {dos} ({named}): {explanation[0].lower()}"
                     f"{explanation[1:].rstrip('.')}{cited}.")
            self._warnings.append(f"{named}: status on {dos} not verified. {explanation}")
        self._unverified.clear()


def _listed(codes: list[str]) -> str:
    """Codes named in full up to UNVERIFIED_NAMED; more as the first and a count."""
    if len(codes) <= UNVERIFIED_NAMED:
        return ", ".join(codes)
    return f"{codes[0]} and {len(codes) - 1} more codes in this answer"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _next_change(record: CodeRecord, after: date) -> HistoryEvent | None:
    events = sorted((e for e in record.history
                     if e.action in (HistoryAction.DELETED, HistoryAction.EXPANDED)
                     and e.date > after),
                    key=lambda e: e.date)
    return events[0] if events else None


def _before_icd10cm(record: CodeRecord, dos: date) -> bool:
    return record.system == ICD10CM and dos < ICD10CM_START


def _since(status: CodeStatus) -> str | None:
    event = status.event
    if event is not None and event.earliest is not None:
        return event_when(event).removeprefix("on ")
    return _iso(status.effective)


def _warning(record: CodeRecord, status: CodeStatus, dos: date,
             basis: StatusBasis) -> str | None:
    code = record.code
    if _before_icd10cm(record, dos):
        return (f"{code}: not reportable for a date of service of {dos.isoformat()}, before "
                f"ICD-10-CM took effect on {ICD10CM_START.isoformat()} (ICD-9-CM applied).")
    if status.status == Status.ACTIVE:
        return None
    if status.status == Status.DELETED:
        when = event_when(status.event) if status.event else f"on {_iso(status.effective)}"
        return (f"{code} was deleted {when}: not reportable for dates of "
                f"service on or after it.")
    if status.effective:
        return (f"{code} is not billable since {_since(status)}: report one of "
                f"{', '.join(status.replacements)}.")
    if status.valid_from:
        return (f"{code} was not valid until {_iso(status.valid_from)}: not reportable for a "
                f"date of service of {dos.isoformat()}.")
    return f"{code} is a heading, not billable: report a code under it."
