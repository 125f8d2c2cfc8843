"""The data model: code records, their history, chunks and answers. No I/O here."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field
from dataclasses import field as dataclass_field  # inside Chunk, `field` is an attribute
from datetime import date
from enum import StrEnum


class Status(StrEnum):
    """A code's status on a date of service (the JSON's "status")."""

    ACTIVE = "active"              # valid and billable
    NOT_BILLABLE = "not_billable"  # a heading, or not yet in the code set
    DELETED = "deleted"            # removed from the code set


class HistoryAction(StrEnum):
    """What a dated history event did to a code."""

    ADDED = "added"
    CHANGED = "changed"    # a descriptor edit: the status does not change
    DELETED = "deleted"
    EXPANDED = "expanded"  # became a header (not billable): more specific codes were created


class NoteKind(StrEnum):
    """The kinds of tabular note (ICD-10-CM's instructional notes and inclusion terms)."""

    INCLUSION_TERM = "inclusion_term"
    INCLUDES = "includes"
    EXCLUDES1 = "excludes1"
    EXCLUDES2 = "excludes2"
    CODE_FIRST = "code_first"
    USE_ADDITIONAL_CODE = "use_additional_code"
    CODE_ALSO = "code_also"
    SEVEN_CHR_DEF = "seven_chr_def"
    SEVEN_CHR_NOTE = "seven_chr_note"


@dataclass(frozen=True)
class HistoryEvent:
    """A dated change of a code.

    `earliest` is set when the sources loaded do not pin the change down: it took effect on
    some date from `earliest` to `date`, and `note` says which releases bound it. `billable`
    is False for an event of a heading (not billable): a code added as one, or deleted while
    one; None means the action decides.
    """

    date: date
    action: HistoryAction
    note: str = ""
    replacements: tuple[str, ...] = ()
    earliest: datetime.date | None = None  # `date` names the field inside this class
    billable: bool | None = None

    def to_dict(self) -> dict:
        data: dict[str, object] = {
            "date": self.date.isoformat(),
            "action": self.action,
            "note": self.note,
            "replacements": list(self.replacements),
        }
        if self.earliest is not None:
            data["earliest"] = self.earliest.isoformat()
        if self.billable is not None:
            data["billable"] = self.billable
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "HistoryEvent":
        earliest = data.get("earliest")
        return cls(
            date=date.fromisoformat(data["date"]),
            action=HistoryAction(data["action"]),
            note=data.get("note", ""),
            replacements=tuple(data.get("replacements", ())),
            earliest=date.fromisoformat(earliest) if earliest else None,
            billable=data.get("billable"),
        )


@dataclass(frozen=True)
class Note:
    """A tabular note (excludes1, code first, inclusion term...) and where it is stated.

    `stated_at` is the code or block the tabular states it at: the record's own code,
    or an ancestor whose note applies to it.
    """

    kind: NoteKind
    text: str
    stated_at: str

    @classmethod
    def from_dict(cls, data: dict) -> "Note":
        return cls(NoteKind(data["kind"]), data["text"], data["stated_at"])


@dataclass(frozen=True)
class Section:
    """A paragraph of clinical text, kept whole, with the section it was classified as."""

    name: str
    text: str


@dataclass
class Source:
    path: str
    copyright: list[str] = field(default_factory=list)


@dataclass
class CodeRecord:
    system: str
    code: str
    title: str
    descriptors: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    kind: str = "code"
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    billable: bool = True
    history: list[HistoryEvent] = field(default_factory=list)
    source: Source = field(default_factory=lambda: Source(path=""))
    version: str = ""
    # Where a field (or a section: "descriptor") was read when that is more exact than the
    # record's source: "HCPC2019_CONTR_ANWEB.txt, line 12". Citations name it.
    field_sources: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return record_key(self.system, self.code)

    def to_dict(self) -> dict:
        """The record as JSON-ready data: each field, in field order. Written out rather than
        through dataclasses.asdict, which deep-copies every value and made the records'
        JSON the costliest step of storing a full ICD-10-CM build."""
        return {
            "system": self.system,
            "code": self.code,
            "title": self.title,
            "descriptors": dict(self.descriptors),
            "attributes": dict(self.attributes),
            "sections": [{"name": s.name, "text": s.text} for s in self.sections],
            "notes": [{"kind": n.kind, "text": n.text, "stated_at": n.stated_at}
                      for n in self.notes],
            "kind": self.kind,
            "parent": self.parent,
            "children": list(self.children),
            "billable": self.billable,
            "history": [event.to_dict() for event in self.history],
            "source": {"path": self.source.path, "copyright": list(self.source.copyright)},
            "version": self.version,
            "field_sources": dict(self.field_sources),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "CodeRecord":
        return cls(
            system=data["system"],
            code=data["code"],
            title=data["title"],
            descriptors=dict(data.get("descriptors", {})),
            attributes=dict(data.get("attributes", {})),
            sections=[Section(**s) for s in data.get("sections", [])],
            notes=[Note.from_dict(n) for n in data.get("notes", [])],
            kind=data.get("kind", "code"),
            parent=data.get("parent"),
            children=list(data.get("children", [])),
            billable=data.get("billable", True),
            history=[HistoryEvent.from_dict(e) for e in data.get("history", [])],
            source=Source(**data.get("source", {"path": ""})),
            version=data.get("version", ""),
            field_sources=dict(data.get("field_sources", {})),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def record_key(system: str, code: str) -> str:
    return f"{system}:{code}"


@dataclass(frozen=True)
class SharedVector:
    """A code whose title is its parent's and the words of its encounter ("..., subsequent
    encounter for fracture with routine healing"): its vector is its parent's title's, moved
    by what those words move a title's vector on average (`index/shared_vectors.py`)."""

    parent_text: str   # "Torus fracture of lower end of right radius"
    encounter: str     # "subsequent encounter for fracture with routine healing"


@dataclass(frozen=True)
class Chunk:
    """A piece of searchable text of one record, with the section/field it came from."""

    text: str
    system: str
    code: str
    section: str
    source: str
    field: str | None = None
    # Where this chunk's vector is worked out from its parent's rather than embedded
    # (chunking.py says when). Only an ingest reads it; it is not part of the chunk's id.
    shared: SharedVector | None = dataclass_field(default=None, compare=False, repr=False)

    @property
    def record_key(self) -> str:
        return record_key(self.system, self.code)

    @functools.cached_property
    def id(self) -> str:
        """Deterministic id: the same content always gets the same id (idempotent upsert).
        Worked out once per chunk: a search reads it again and again."""
        payload = "\x1f".join(
            [self.system, self.code, self.section, self.field or "", self.source, self.text]
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def metadata(self) -> dict:
        return {
            "system": self.system,
            "code": self.code,
            "record_key": self.record_key,
            "section": self.section,
            "field": self.field or "",
            "source": self.source,
        }


@dataclass(frozen=True)
class CodeStatus:
    """A code's status on one date of service, derived from its dated history."""

    status: Status
    effective: date | None = None
    replacements: tuple[str, ...] = ()
    valid_from: date | None = None
    event: HistoryEvent | None = None
    # An event whose undetermined span (earliest .. date) holds the date of service: the
    # status is the one before that event, and the sources cannot say whether it still held.
    unsettled: HistoryEvent | None = None

    @property
    def billable(self) -> bool:
        return self.status == Status.ACTIVE


@dataclass(frozen=True)
class SourceRelease:
    """What one source speaks for: the dates from `effective` through `covers_through`.

    `kind` is "default" (the shipped ICD-10-CM history as a whole), "release" (one dated
    release of a code set: a committed snapshot or an official file a team loaded) or
    "page" (a code page). `source` is what a record cites (a file name or a page path);
    `citation` says where the dates come from.
    """

    system: str
    name: str
    kind: str
    effective: date
    covers_through: date
    source: str
    citation: str = ""
    sha256: str = ""

    def covers(self, day: date) -> bool:
        return self.effective <= day <= self.covers_through

    def to_dict(self) -> dict:
        data = asdict(self)
        data["effective"] = self.effective.isoformat()
        data["covers_through"] = self.covers_through.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "SourceRelease":
        return cls(**{**data, "effective": date.fromisoformat(data["effective"]),
                      "covers_through": date.fromisoformat(data["covers_through"])})


@dataclass
class Citation:
    n: int
    code: str
    system: str
    source: str
    section: str
    field: str | None
    quote: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CodeResult:
    code: str
    system: str
    title: str
    status: Status
    deleted_on: str | None
    billable: bool
    replacements: list[str] = field(default_factory=list)
    valid_from: str | None = None
    # The status in words ("deleted 2015-01-01"), as every interface shows it.
    status_text: str = ""
    # Why the code is in the answer, in short plain phrases ("exact code named").
    reasons: list[str] = field(default_factory=list)
    # What the status rests on: whether a loaded release covers the date of service, which
    # release, the data's last date, and the warning the answer gives where it matters.
    status_basis: dict[str, object] | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        if data["valid_from"] is None:
            del data["valid_from"]
        return data


@dataclass
class Answer:
    question: str
    date_of_service: str
    answer: str
    grounded: bool
    codes: list[CodeResult] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Where the date of service came from: "request", "question", "conversation", "today".
    date_of_service_from: str = "today"
    # What a follow-up refers back to: the codes the answer is about (named, or the best
    # match), and the date of service when one was given (None: today's, not kept).
    context_codes: list[str] = field(default_factory=list)
    context_date_of_service: str | None = None

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "date_of_service": self.date_of_service,
            "date_of_service_from": self.date_of_service_from,
            "answer": self.answer,
            "grounded": self.grounded,
            "codes": [c.to_dict() for c in self.codes],
            "citations": [c.to_dict() for c in self.citations],
            "warnings": list(self.warnings),
            "context": {"codes": list(self.context_codes),
                        "date_of_service": self.context_date_of_service},
        }
