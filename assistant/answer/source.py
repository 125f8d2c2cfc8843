"""What the answer stage needs of the retriever: ranking's CodeSource, exact code lookup, what
the index holds (to say so when nothing answers), the dates its sources speak for and the
physician fee schedule's record of a code (merged into answers about it), and what the
ICD-10-CM tabular says its instructional notes mean."""

from __future__ import annotations

from typing import Protocol

from assistant.index.records_db import Holding
from assistant.ranking.source import CodeSource
from assistant.records import CodeRecord, SourceRelease


class AnswerSource(CodeSource, Protocol):
    @property
    def holdings(self) -> list[Holding]: ...

    @property
    def releases(self) -> list[SourceRelease]: ...

    @property
    def note_conventions(self) -> dict[str, str]: ...

    def exact(self, code: str, system: str | None = None) -> list[CodeRecord]: ...

    def fee_schedule(self, key: str) -> CodeRecord | None: ...
